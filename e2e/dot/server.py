#!/usr/bin/env python3
"""django-oauth-toolkit (DOT) as a real OpenID provider for oauthctl's end-to-end suite
(tests/cli/e2e/django.rs). One file: Django is configured here with settings.configure,
its database is sqlite in a temporary directory (migrated at start), and it is served by
the standard library's wsgiref (threaded) on 127.0.0.1 only.

Usage: e2e/dot/.venv/bin/python e2e/dot/server.py [--port N]   (default: a free port)
Prints `READY <issuer>` on stdout once it accepts requests; the issuer is
http://127.0.0.1:PORT/o (discovery: <issuer>/.well-known/openid-configuration).

What it serves (DOT mounted at /o/):
  * OpenID Connect on, an RS256 key generated at every start (its kid is the key's
    JWK thumbprint), PKCE required (S256), refresh tokens rotated, reuse of an old refresh
    token refused (and, as DOT's reuse protection, the whole token family revoked),
    revocation (/o/revoke_token/), introspection (/o/introspect/, for confidential
    clients), userinfo (/o/userinfo/), RP-initiated logout (/o/logout/: no confirmation page
    with a valid id_token_hint; it deletes the client's tokens for the user), the device
    grant (/o/device-authorization/, user code at /o/device/).
  * RFC 8414 metadata also at the root: /.well-known/oauth-authorization-server/o.
  * The account: alice / any-password (the password e2e/browser.mjs types by default),
    email alice@example.com, name "Alice Example". Her `sub` is DOT's: the user's
    primary key, "1".
  * A sign-in page of its own at /accounts/login/ (Django's LoginView, fields username
    and password, a button of type submit); DOT's consent page ("Authorize") for
    oauthctl-native, none for the other clients (`skip_authorization`).
  * Clients (RS256 ID tokens, scopes openid profile email read introspection):
      oauthctl-native       public, authorization code (+ refresh), PKCE, redirect URI
                            http://127.0.0.1/callback on any port (RFC 8252 7.3)
      oauthctl-wrong-aud    like oauthctl-native, but its ID tokens carry
                            aud "someone-else" (signed by DOT all the same)
      oauthctl-wrong-nonce  like oauthctl-native, but its ID tokens carry a nonce
                            that is not the one sent
      oauthctl-basic        confidential, authorization code, client_secret_basic
                            (or _post), secret e2e-basic-secret-0123456789abcdef; as any
                            confidential client it may introspect every token
      oauthctl-device       public, device authorization grant (RFC 8628): the user
                            enters the code at /o/device/ and accepts on DOT's page;
                            polling interval 1 s
      oauthctl-service      confidential, client credentials, secret
                            e2e-service-secret-0123456789abcdef
E2E_BREAK (as for e2e/provider.mjs; the suite must then fail): `client_id` registers the
native and device clients under other ids, `secret` gives the confidential clients other secrets,
`faults` makes the two faulty clients' ID tokens correct.
Log (stderr): one line per request, `METHOD PATH STATUS` (no query, so no code or token),
plus `AUTHORIZE client_id=… nonce=…` for each authorization request (the nonce is not a
secret: it is in the browser's URL and in the ID token).
E2E_STDIN_LIFELINE=1: exit when standard input closes (the test harness holds it open).
"""

import argparse
import os
import secrets
import sys
import tempfile
import threading
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

ISSUER_PATH = "/o"
USERNAME = "alice"
PASSWORD = "any-password"
EMAIL = "alice@example.com"
NAME = "Alice Example"
NATIVE_REDIRECT = "http://127.0.0.1/callback"
BASIC_SECRET = "e2e-basic-secret-0123456789abcdef"
SERVICE_SECRET = "e2e-service-secret-0123456789abcdef"
# Client id -> the claim its ID tokens get wrong (see FaultyValidator).
FAULTY = {"oauthctl-wrong-aud": ("aud", "someone-else"), "oauthctl-wrong-nonce": ("nonce", "not-the-nonce-sent")}
BREAK = os.environ.get("E2E_BREAK", "")  # other values are e2e/provider.mjs's: ignored here

LOGIN_TEMPLATE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Sign in - django-oauth-toolkit</title></head>
<body><h1>Sign in</h1>
{% if form.errors %}<p class="error">Your username and password did not match.</p>{% endif %}
<form method="post" action="{{ request.path }}">{% csrf_token %}
<p><label>Username <input name="username" autofocus></label></p>
<p><label>Password <input name="password" type="password"></label></p>
<input type="hidden" name="next" value="{{ next }}">
<button type="submit">Sign in</button>
</form></body></html>
"""


def rsa_private_key_pem():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def configure(issuer, db_dir):
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY=secrets.token_urlsafe(32),
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        USE_TZ=True,
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "oauth2_provider",
        ],
        MIDDLEWARE=[
            "django.middleware.common.CommonMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.path.join(db_dir, "dot.sqlite3"),
                "OPTIONS": {"timeout": 20},
            }
        },
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "OPTIONS": {
                    "context_processors": ["django.template.context_processors.request"],
                    "loaders": [
                        ("django.template.loaders.locmem.Loader", {"login.html": LOGIN_TEMPLATE}),
                        "django.template.loaders.app_directories.Loader",
                    ],
                },
            }
        ],
        LOGIN_URL="/accounts/login/",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],  # fast; test only
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        LOGGING_CONFIG=None,
        # Tables straight from the models (migrate --run-syncdb): seconds faster than
        # replaying every migration, and the schema is the same.
        MIGRATION_MODULES={app: None for app in ["auth", "contenttypes", "sessions", "oauth2_provider"]},
        OAUTH2_PROVIDER={
            "OIDC_ENABLED": True,
            "OIDC_RSA_PRIVATE_KEY": rsa_private_key_pem(),
            "OIDC_ISS_ENDPOINT": issuer,
            "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
            "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
            "PKCE_REQUIRED": True,
            "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,  # S256 only
            "ROTATE_REFRESH_TOKEN": True,
            "REFRESH_TOKEN_REUSE_PROTECTION": True,
            "ACCESS_TOKEN_EXPIRE_SECONDS": 600,
            "SCOPES": {
                "openid": "OpenID Connect",
                "profile": "Your name",
                "email": "Your email address",
                "read": "Read access",
                "introspection": "Introspect tokens",
            },
            "DEFAULT_SCOPES": ["read"],
            # RFC 8628: DOT's user-code page; polling every second keeps the test short.
            "OAUTH_DEVICE_VERIFICATION_URI": issuer + "/device/",
            "DEVICE_FLOW_INTERVAL": 1,
            "OAUTH2_VALIDATOR_CLASS": __name__ + ".FaultyValidator",
        },
    )


def define_validator():
    """The validator: alice's claims, and the two faulty clients' wrong ID tokens."""
    from oauth2_provider.oauth2_validators import OAuth2Validator

    class FaultyValidator(OAuth2Validator):
        def get_additional_claims(self, request):
            return {
                "email": request.user.email,
                "email_verified": True,
                "name": f"{request.user.first_name} {request.user.last_name}",
                "preferred_username": request.user.username,
            }

        def get_id_token_dictionary(self, token, token_handler, request):
            # DOT puts these claims over oauthlib's (aud, nonce) and then signs the token.
            claims, expiration = super().get_id_token_dictionary(token, token_handler, request)
            fault = FAULTY.get(request.client_id or getattr(request.client, "client_id", ""))
            if fault and BREAK != "faults":
                claims[fault[0]] = fault[1]
            return claims, expiration

    globals()["FaultyValidator"] = FaultyValidator


def urls():
    from django.contrib.auth.views import LoginView
    from django.urls import include, path
    from oauth2_provider.urls import metadata_urlpatterns

    root_metadata = [p for p in metadata_urlpatterns if "issuer_path" in str(p.pattern)]
    return [
        path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
        # RFC 8414 3.1: the metadata of issuer <origin>/o at <origin>/.well-known/oauth-authorization-server/o
        path("", include((root_metadata, "root_metadata"))),
        path("accounts/login/", LoginView.as_view(template_name="login.html"), name="login"),
    ]


def seed():
    from django.contrib.auth import get_user_model
    from oauth2_provider.models import get_application_model

    user = get_user_model().objects.create_user(
        USERNAME, email=EMAIL, password=PASSWORD, first_name="Alice", last_name="Example"
    )
    App = get_application_model()
    common = {"algorithm": App.RS256_ALGORITHM, "user": user}
    broken = "-broken" if BREAK == "client_id" else ""
    secret_suffix = "-broken" if BREAK == "secret" else ""
    for cid in ["oauthctl-native", *FAULTY]:
        App.objects.create(
            skip_authorization=cid != "oauthctl-native",
            name=cid,
            client_id=cid + broken if cid == "oauthctl-native" else cid,
            client_secret="",
            client_type=App.CLIENT_PUBLIC,
            authorization_grant_type=App.GRANT_AUTHORIZATION_CODE,
            redirect_uris=NATIVE_REDIRECT,
            post_logout_redirect_uris=NATIVE_REDIRECT,
            **common,
        )
    App.objects.create(
        name="oauthctl-basic",
        client_id="oauthctl-basic",
        client_secret=BASIC_SECRET + secret_suffix,
        client_type=App.CLIENT_CONFIDENTIAL,
        authorization_grant_type=App.GRANT_AUTHORIZATION_CODE,
        skip_authorization=True,
        redirect_uris=NATIVE_REDIRECT,
        **common,
    )
    App.objects.create(
        name="oauthctl-device",
        client_id="oauthctl-device" + broken,
        client_secret="",
        client_type=App.CLIENT_PUBLIC,
        authorization_grant_type=App.GRANT_DEVICE_CODE,
        **common,
    )
    App.objects.create(
        name="oauthctl-service",
        client_id="oauthctl-service",
        client_secret=SERVICE_SECRET + secret_suffix,
        client_type=App.CLIENT_CONFIDENTIAL,
        authorization_grant_type=App.GRANT_CLIENT_CREDENTIALS,
        skip_authorization=True,
        **common,
    )


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class Handler(WSGIRequestHandler):
    def log_request(self, code="-", size="-"):
        path = self.path.split("?", 1)[0]
        sys.stderr.write(f"{self.command} {path} {code}\n")
        if path == ISSUER_PATH + "/authorize/" and self.command == "GET":
            q = parse_qs(self.path.split("?", 1)[1] if "?" in self.path else "")
            one = lambda k: q.get(k, ["-"])[0]  # noqa: E731
            sys.stderr.write(f"AUTHORIZE client_id={one('client_id')} nonce={one('nonce')}\n")
        sys.stderr.flush()

    def log_message(self, format, *args):  # noqa: A002 - errors only; requests above
        sys.stderr.write("server: " + (format % args) + "\n")
        sys.stderr.flush()


def lifeline(db_dir):
    sys.stdin.read()
    import shutil

    shutil.rmtree(db_dir, ignore_errors=True)
    os._exit(0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    db_dir = tempfile.mkdtemp(prefix="oauthctl-e2e-dot-")
    # Bind first: the issuer names the port.
    httpd = make_server("127.0.0.1", args.port, lambda e, s: app(e, s), ThreadingServer, Handler)
    issuer = f"http://127.0.0.1:{httpd.server_port}{ISSUER_PATH}"
    configure(issuer, db_dir)
    import django

    django.setup()
    define_validator()
    globals()["urlpatterns"] = urls()
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
    seed()
    app = get_wsgi_application()
    if os.environ.get("E2E_STDIN_LIFELINE") == "1":
        threading.Thread(target=lifeline, args=(db_dir,), daemon=True).start()
    print(f"READY {issuer}", flush=True)
    try:
        httpd.serve_forever()
    finally:
        import shutil

        shutil.rmtree(db_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
