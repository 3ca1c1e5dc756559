#!/usr/bin/env node
// A real OpenID provider for oauthctl's end-to-end suite: npm `oidc-provider` (pinned in
// package.json) on 127.0.0.1, with our configuration.
//
// Usage: node e2e/provider.mjs [--port N]       (or E2E_PORT=N; default 0 = a free port)
// With E2E_MTLS_DIR=DIR: mutual TLS on a second, https port (e2e/mtls.mjs).
// Prints `READY <issuer>` on stdout once it listens; logs one line per request on stderr.
//
// What it serves (the constants below are mirrored in tests/cli/e2e/harness.rs):
//   clients   oauthctl-native   public native client (auth method none), loopback
//                               redirect URI http://127.0.0.1/callback with ANY port
//                               (oidc-provider 9 matches loopback redirect URIs of native
//                               clients port-agnostically, RFC 8252 section 7.3; nothing to
//                               patch), grants: code, refresh_token, device_code
//             oauthctl-basic    confidential, client_secret_basic, all grants
//             oauthctl-post     confidential, client_secret_post, all grants
//   PKCE      required for every client, S256 only
//   refresh   issued when the granted scope holds offline_access (oidc-provider keeps
//             offline_access only when the authorization request carries prompt=consent,
//             as the spec says; the device flow has no prompt and keeps it), and ROTATED on
//             every use: the old refresh token is consumed, reusing it revokes the grant
//   features  device flow, client credentials, open dynamic registration, introspection,
//             revocation, userinfo, resource indicators, RP-initiated logout
//   resources urn:oauthctl:e2e:jwt-api     -> JWT access tokens (RS256), scope api:read api:write
//             urn:oauthctl:e2e:opaque-api  -> opaque access tokens, scope api:read api:write
//             no resource                  -> opaque access token for userinfo
//   account   alice (any password): sub alice, email alice@example.com, name Alice Example
//   keys      an RS256 (kid e2e-rs256) and an ES256 (kid e2e-es256) signing key: committed
//             throwaway keys in e2e/keys/ (E2E_KEYS=other: a second pair under the same
//             kids, for "another provider"); id tokens of oauthctl-native are ES256
//   oauthctl-jwt      confidential, client_secret_jwt (HS256 over its secret), request
//                     objects HS256, JARM responses RS256, authorization_details type
//                     payment_initiation; grants: code, refresh_token, token exchange and
//                     JWT bearer (both registered below with registerGrantType)
//   oauthctl-key      private_key_jwt with tests/fixtures/client-jwks.json (the PUBLIC
//                     halves of the committed throwaway test keys client-ec.pem and
//                     rsa-private.pem)
//   extensions PAR (oidc-provider's default), request objects (JAR), JWT response modes
//             (JARM), rich authorization requests (type payment_initiation, granted as
//             asked); token exchange (RFC 8693: an active access token of this provider
//             as subject_token gives a new access token for the same grant) and JWT bearer
//             (RFC 7523: an assertion signed by a key of tests/fixtures/client-jwks.json, iss the
//             client, sub the account, aud the issuer or token endpoint): minimal handlers,
//             the checks are oauthctl's
//   CSP       every response carries a Content-Security-Policy that allows only this
//             server (the built-in pages @import a web font from the internet)
//
// Breaking on purpose, to show that the suite fails: E2E_BREAK=<comma list>
//   client_id     the native client is registered as oauthctl-native-BROKEN instead
//   redirect_uri  the native client's registered redirect URI path is /not-the-callback
//   secret        the confidential clients' secrets differ from the documented ones
//                 (oauthctl-jwt's too: client_secret_jwt fails)
//   csp           no Content-Security-Policy header (the login page then reaches for the font)
//   extensions    PAR, request objects and JWT response modes off, RAR knows no type, the
//                 two registered grants refuse every request, oauthctl-key has only the
//                 RSA key registered
//
// Lifetime: exits on SIGTERM/SIGINT, and when stdin reaches end of file if
// E2E_STDIN_LIFELINE=1 (the Rust harness holds the pipe, so a killed test run leaves
// no provider behind).

import { createPrivateKey, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';

import { compactVerify, createLocalJWKSet, decodeJwt } from 'jose';
import Provider, { errors as oidcErrors } from 'oidc-provider';

import { startMtls } from './mtls.mjs';

export const NATIVE_CLIENT_ID = 'oauthctl-native';
export const BASIC_CLIENT_ID = 'oauthctl-basic';
export const BASIC_CLIENT_SECRET = 'e2e-basic-secret-0123456789abcdef';
export const POST_CLIENT_ID = 'oauthctl-post';
export const POST_CLIENT_SECRET = 'e2e-post-secret-0123456789abcdef';
export const JWT_RESOURCE = 'urn:oauthctl:e2e:jwt-api';
export const OPAQUE_RESOURCE = 'urn:oauthctl:e2e:opaque-api';
export const RESOURCE_SCOPE = 'api:read api:write';
export const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
  + "font-src 'self'; img-src 'self' data:";

const ACCOUNTS = {
  alice: {
    sub: 'alice',
    email: 'alice@example.com',
    email_verified: true,
    name: 'Alice Example',
    given_name: 'Alice',
    family_name: 'Example',
  },
};

export const JWT_CLIENT_ID = 'oauthctl-jwt';
export const JWT_CLIENT_SECRET = 'e2e-jwt-secret-0123456789abcdef0123456789abcdef';
export const KEY_CLIENT_ID = 'oauthctl-key';
export const RAR_TYPE = 'payment_initiation';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
// The public halves of oauthctl's throwaway test keys (tests/fixtures/client-jwks.json: of
// client-ec.pem and rsa-private.pem, committed test keys): oauthctl-key authenticates with
// them, and they sign the JWT bearer assertions this provider accepts.
const CLIENT_JWKS = JSON.parse(readFileSync(new URL('../tests/fixtures/client-jwks.json', import.meta.url), 'utf8'));

const KNOWN_BREAKS = new Set(['client_id', 'redirect_uri', 'secret', 'csp', 'extensions']);

function fail(msg) {
  process.stderr.write(`provider.mjs: error: ${msg}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  let port = process.env.E2E_PORT ?? '0';
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--port') {
      port = argv[i + 1];
      i += 1;
    } else if (a.startsWith('--port=')) {
      port = a.slice('--port='.length);
    } else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: node e2e/provider.mjs [--port N]   (env: E2E_PORT, E2E_BREAK, E2E_KEYS, E2E_STDIN_LIFELINE)\n');
      process.exit(0);
    } else {
      fail(`unknown argument ${a}; usage: node e2e/provider.mjs [--port N]`);
    }
  }
  const n = Number(port);
  if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`--port ${port} is not a port number`);
  return { port: n };
}

function breaks() {
  const set = new Set((process.env.E2E_BREAK ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  for (const b of set) {
    if (!KNOWN_BREAKS.has(b)) fail(`E2E_BREAK=${b} is unknown; known: ${[...KNOWN_BREAKS].join(', ')}`);
  }
  return set;
}

// Committed throwaway keys (e2e/keys/README.md says why they are not generated here);
// E2E_KEYS=other gives another provider the other pair, under the same kids.
function signingKeys() {
  const set = process.env.E2E_KEYS ?? 'provider';
  if (set !== 'provider' && set !== 'other') fail(`E2E_KEYS=${set} is unknown; known: provider, other`);
  const jwk = (alg) => createPrivateKey(readFileSync(new URL(`./keys/${set}-${alg}.pem`, import.meta.url)))
    .export({ format: 'jwk' });
  return {
    keys: [
      { ...jwk('rs256'), kid: 'e2e-rs256', alg: 'RS256', use: 'sig' },
      { ...jwk('es256'), kid: 'e2e-es256', alg: 'ES256', use: 'sig' },
    ],
  };
}

// The clients of the modern extensions (PAR, JAR, JARM, RAR, client_secret_jwt,
// private_key_jwt, token exchange, JWT bearer).
function extensionClients(loopback, broken) {
  return [
    {
      client_id: JWT_CLIENT_ID,
      client_secret: broken.has('secret') ? `${JWT_CLIENT_SECRET}-BROKEN` : JWT_CLIENT_SECRET,
      client_name: 'oauthctl e2e (client_secret_jwt)',
      application_type: 'native',
      token_endpoint_auth_method: 'client_secret_jwt',
      token_endpoint_auth_signing_alg: 'HS256',
      // (Client metadata of a feature that is off would make the client invalid.)
      ...(broken.has('extensions') ? {} : {
        request_object_signing_alg: 'HS256',
        authorization_signed_response_alg: 'RS256',
        authorization_details_types: [RAR_TYPE],
      }),
      redirect_uris: [loopback],
      grant_types: ['authorization_code', 'refresh_token', TOKEN_EXCHANGE, JWT_BEARER],
      response_types: ['code'],
    },
    {
      client_id: KEY_CLIENT_ID,
      client_name: 'oauthctl e2e (private_key_jwt)',
      application_type: 'native',
      token_endpoint_auth_method: 'private_key_jwt',
      // Broken: only the RSA key registered, so client-ec.pem's assertions fail.
      jwks: broken.has('extensions')
        ? { keys: CLIENT_JWKS.keys.filter((k) => k.kty === 'RSA') }
        : CLIENT_JWKS,
      redirect_uris: [loopback],
      grant_types: ['authorization_code', 'refresh_token', JWT_BEARER],
      response_types: ['code'],
    },
  ];
}

function extensionFeatures(broken) {
  const on = !broken.has('extensions');
  const types = on ? { [RAR_TYPE]: { validate() {} } } : {};
  return {
    pushedAuthorizationRequests: { enabled: on },
    requestObjects: { enabled: on },
    jwtResponseModes: { enabled: on },
    richAuthorizationRequests: {
      enabled: true,
      types,
      // Granted as asked (the consent page adds them to the grant).
      authorizationDetailsForGrantSource: (ctx) => ctx.oidc.grant?.rar
        ?? (ctx.oidc.params.authorization_details ? JSON.parse(ctx.oidc.params.authorization_details) : undefined),
      authorizationDetailsForAccessToken: (_ctx, _token, source) => source?.rar,
      authorizationDetailsForIntrospection: (_ctx, token) => token.rar,
    },
  };
}

// An access token of `accountId`'s grant for the client, as a token answer.
async function issue(provider, ctx, accountId, grantId, scope, extra) {
  const { client } = ctx.oidc;
  let gid = grantId;
  if (!gid) {
    const grant = new provider.Grant({ accountId, clientId: client.clientId });
    grant.addOIDCScope(scope);
    gid = await grant.save();
  }
  const at = new provider.AccessToken({ accountId, client, grantId: gid, scope, gty: 'e2e' });
  const value = await at.save();
  ctx.body = { access_token: value, token_type: 'Bearer', expires_in: at.expiration, scope, ...extra };
}

// Token exchange (RFC 8693) and JWT bearer (RFC 7523 section 2.1), minimal: oidc-provider
// has neither built in.
function registerGrants(provider, broken) {
  const { InvalidGrant } = oidcErrors;
  const refuse = broken.has('extensions');
  provider.registerGrantType(TOKEN_EXCHANGE, async (ctx) => {
    const { params } = ctx.oidc;
    const subject = refuse ? undefined : await provider.AccessToken.find(params.subject_token);
    if (!subject || subject.isExpired) throw new InvalidGrant('subject_token is not an active access token of this provider');
    await issue(provider, ctx, subject.accountId, subject.grantId, params.scope || subject.scope, {
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    });
  }, ['subject_token', 'subject_token_type', 'actor_token', 'actor_token_type', 'audience',
    'requested_token_type', 'scope']);
  const keys = createLocalJWKSet(CLIENT_JWKS);
  provider.registerGrantType(JWT_BEARER, async (ctx) => {
    const { params, client } = ctx.oidc;
    if (refuse) throw new InvalidGrant('assertion refused (E2E_BREAK=extensions)');
    try {
      await compactVerify(params.assertion, keys);
    } catch (e) {
      throw new InvalidGrant(`assertion signature: ${e.message}`);
    }
    const c = decodeJwt(params.assertion);
    const auds = [].concat(c.aud ?? []);
    const now = Math.floor(Date.now() / 1000);
    if (c.iss !== client.clientId) throw new InvalidGrant('assertion iss is not the client');
    if (!auds.some((a) => a === provider.issuer || a === `${provider.issuer}/token`)) throw new InvalidGrant('assertion aud');
    if (!(c.exp > now)) throw new InvalidGrant('assertion expired');
    if (!ACCOUNTS[c.sub]) throw new InvalidGrant('assertion sub is no account');
    await issue(provider, ctx, c.sub, undefined, params.scope || 'openid', {});
  }, ['assertion', 'scope']);
}

function configuration(broken) {
  const loopback = broken.has('redirect_uri')
    ? 'http://127.0.0.1/not-the-callback'
    : 'http://127.0.0.1/callback';
  const allGrants = [
    'authorization_code',
    'refresh_token',
    'client_credentials',
    'urn:ietf:params:oauth:grant-type:device_code',
  ];
  const secretSuffix = broken.has('secret') ? '-BROKEN' : '';
  return {
    clients: [
      {
        client_id: broken.has('client_id') ? `${NATIVE_CLIENT_ID}-BROKEN` : NATIVE_CLIENT_ID,
        client_name: 'oauthctl e2e (native)',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: [loopback],
        post_logout_redirect_uris: [loopback],
        grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
        response_types: ['code'],
        id_token_signed_response_alg: 'ES256',
      },
      {
        client_id: BASIC_CLIENT_ID,
        client_secret: BASIC_CLIENT_SECRET + secretSuffix,
        client_name: 'oauthctl e2e (client_secret_basic)',
        application_type: 'native',
        token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: [loopback],
        grant_types: allGrants,
        response_types: ['code'],
      },
      {
        client_id: POST_CLIENT_ID,
        client_secret: POST_CLIENT_SECRET + secretSuffix,
        client_name: 'oauthctl e2e (client_secret_post)',
        application_type: 'native',
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: [loopback],
        grant_types: allGrants,
        response_types: ['code'],
      },
      ...extensionClients(loopback, broken),
    ],
    jwks: signingKeys(),
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
    },
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    async findAccount(_ctx, id) {
      const claims = ACCOUNTS[id];
      if (!claims) return undefined;
      return { accountId: id, async claims() { return { ...claims }; } };
    },
    pkce: { required: () => true },
    // A refresh token whenever the client may refresh and offline_access was granted.
    async issueRefreshToken(_ctx, client, code) {
      return client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access');
    },
    // Rotate on every use, for public and confidential clients alike.
    rotateRefreshToken: () => true,
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 120,
      ClientCredentials: 600,
      DeviceCode: 600,
      Grant: 14 * 24 * 3600,
      IdToken: 600,
      Interaction: 600,
      RefreshToken: 14 * 24 * 3600,
      Session: 24 * 3600,
    },
    features: {
      devInteractions: { enabled: true },
      deviceFlow: { enabled: true },
      clientCredentials: { enabled: true },
      registration: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      ...extensionFeatures(broken),
      resourceIndicators: {
        enabled: true,
        // No resource asked for: the access token is for userinfo (opaque).
        defaultResource: (_ctx, _client, oneOf) => oneOf,
        // The token request may omit `resource` and get the one that was authorized.
        useGrantedResource: () => true,
        async getResourceServerInfo(_ctx, resource) {
          if (resource === JWT_RESOURCE) {
            return {
              scope: RESOURCE_SCOPE,
              audience: JWT_RESOURCE,
              accessTokenTTL: 600,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: 'RS256' } },
            };
          }
          if (resource === OPAQUE_RESOURCE) {
            return {
              scope: RESOURCE_SCOPE,
              audience: OPAQUE_RESOURCE,
              accessTokenTTL: 600,
              accessTokenFormat: 'opaque',
            };
          }
          throw new Provider.errors.InvalidTarget(`unknown resource ${resource}`);
        },
      },
    },
  };
}

async function main() {
  const { port } = parseArgs(process.argv.slice(2));
  const broken = breaks();

  // Listen first, so the issuer can carry the real port even when port 0 was asked for.
  const server = http.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const issuer = `http://127.0.0.1:${server.address().port}`;
  // Mutual TLS (e2e/mtls.mjs): a second, https listener and the tls_client_auth client.
  const mtls = process.env.E2E_MTLS_DIR ? await startMtls(process.env.E2E_MTLS_DIR) : null;
  const config = mtls
    ? mtls.extend(configuration(broken), 'http://127.0.0.1/callback')
    : configuration(broken);
  const provider = new Provider(issuer, config);
  if (mtls) mtls.attach(provider);
  registerGrants(provider, broken);

  provider.use(async (ctx, next) => {
    // Set before the routes run: oidc-provider adds script hashes to an existing
    // script-src (form_post), and the built-in pages' font @import is refused.
    if (!broken.has('csp')) ctx.set('Content-Security-Policy', CSP);
    const started = Date.now();
    try {
      await next();
    } finally {
      // Paths only: query strings and bodies may carry codes and tokens.
      process.stderr.write(`${ctx.method} ${ctx.path} ${ctx.status} ${Date.now() - started}ms\n`);
    }
  });
  for (const event of ['authorization.error', 'grant.error', 'server_error', 'introspection.error',
    'revocation.error', 'userinfo.error', 'registration_create.error', 'device_authorization.error']) {
    provider.on(event, (...args) => {
      const err = args.find((a) => a instanceof Error);
      if (err) process.stderr.write(`event ${event}: ${err.error ?? err.name}: ${err.error_description ?? err.message}\n`);
    });
  }

  server.on('request', provider.callback());

  const stop = () => {
    server.close();
    server.closeAllConnections();
    if (mtls) mtls.server.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (process.env.E2E_STDIN_LIFELINE === '1') {
    process.stdin.on('end', stop);
    process.stdin.on('error', stop);
    process.stdin.resume();
  }

  process.stdout.write(`READY ${issuer}\n`);
  if (broken.size) process.stderr.write(`provider.mjs: BROKEN ON PURPOSE: ${[...broken].join(', ')}\n`);
}

main().catch((err) => fail(err.stack ?? String(err)));
