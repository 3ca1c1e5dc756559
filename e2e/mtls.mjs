// Mutual TLS (RFC 8705) for e2e/provider.mjs, on when E2E_MTLS_DIR names a directory
// holding a test PKI made by the test at start (tests/cli/e2e/mtls.rs, with rcgen):
//   ca.pem                  the test CA (trusted for client certificates)
//   server.pem, server.key  the TLS port's certificate for 127.0.0.1, from that CA
// What it adds to the provider:
//   a second listener, https://127.0.0.1:PORT, serving the same provider with client
//   certificates requested (not required) and checked against ca.pem;
//   discovery's mtls_endpoint_aliases pointing the token, userinfo, introspection,
//   revocation, device and PAR endpoints there;
//   features.mTLS with tls_client_auth, self_signed_tls_client_auth and
//   certificate-bound access tokens;
//   the client `oauthctl-mtls`: tls_client_auth for the certificate with the DNS name
//   client.e2e.test, loopback redirect URIs, code + refresh + client credentials,
//   tls_client_certificate_bound_access_tokens.

import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as https from 'node:https';
import { join } from 'node:path';

export const MTLS_CLIENT_ID = 'oauthctl-mtls';
export const MTLS_SAN_DNS = 'client.e2e.test';

// oidc-provider 9's default routes.
const ROUTES = {
  token_endpoint: '/token',
  userinfo_endpoint: '/me',
  introspection_endpoint: '/token/introspection',
  revocation_endpoint: '/token/revocation',
  device_authorization_endpoint: '/device/auth',
  pushed_authorization_request_endpoint: '/request',
};

function peerCertificate(ctx) {
  const socket = ctx.req.socket;
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const peer = socket.getPeerCertificate(false);
  if (!peer || !peer.raw) return undefined;
  return new X509Certificate(peer.raw);
}

// Listens on a free https port; the provider is attached later with `attach`.
export async function startMtls(dir) {
  const server = https.createServer({
    cert: readFileSync(join(dir, 'server.pem')),
    key: readFileSync(join(dir, 'server.key')),
    ca: readFileSync(join(dir, 'ca.pem')),
    requestCert: true,
    rejectUnauthorized: false,
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `https://127.0.0.1:${server.address().port}`;
  return {
    server,
    origin,
    // The provider configuration with mutual TLS added.
    extend(config, loopback) {
      const aliases = Object.fromEntries(
        Object.entries(ROUTES).map(([k, path]) => [k, `${origin}${path}`]),
      );
      return {
        ...config,
        clients: [
          ...config.clients,
          {
            client_id: MTLS_CLIENT_ID,
            client_name: 'oauthctl e2e (tls_client_auth)',
            application_type: 'native',
            token_endpoint_auth_method: 'tls_client_auth',
            tls_client_auth_san_dns: MTLS_SAN_DNS,
            tls_client_certificate_bound_access_tokens: true,
            redirect_uris: [loopback],
            grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
            response_types: ['code'],
          },
        ],
        discovery: { ...(config.discovery ?? {}), mtls_endpoint_aliases: aliases },
        clientAuthMethods: [
          ...(config.clientAuthMethods ?? ['client_secret_basic', 'client_secret_jwt',
            'client_secret_post', 'private_key_jwt', 'none']),
          'tls_client_auth',
          'self_signed_tls_client_auth',
        ],
        features: {
          ...config.features,
          mTLS: {
            enabled: true,
            certificateBoundAccessTokens: true,
            selfSignedTlsClientAuth: true,
            tlsClientAuth: true,
            getCertificate: peerCertificate,
            certificateAuthorized(ctx) {
              const { socket } = ctx.req;
              if (socket.authorized !== true) {
                process.stderr.write(`mtls: client certificate not authorized: ${socket.authorizationError}\n`);
              }
              return socket.authorized === true;
            },
            certificateSubjectMatches(ctx, property, expected) {
              const cert = peerCertificate(ctx);
              if (!cert) return false;
              if (property === 'tls_client_auth_san_dns') {
                return (cert.subjectAltName ?? '').split(', ').includes(`DNS:${expected}`);
              }
              if (property === 'tls_client_auth_subject_dn') {
                return cert.subject.split('\n').reverse().join(',') === expected;
              }
              return false;
            },
          },
        },
      };
    },
    attach(provider) {
      server.on('request', provider.callback());
    },
  };
}
