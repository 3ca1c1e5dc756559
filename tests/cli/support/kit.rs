//! What the tests of the tool integrations (`git-credential`, `kubectl-credential`, `run`,
//! the Debian package) need: the real tools, found where Debian puts them (a missing one
//! fails the test, never skips it: `scripts/e2e-setup.sh` installs them), and two small
//! servers on 127.0.0.1 that accept only an access token the mock still honours: a git
//! server (`git http-backend` behind Basic auth) and a fake Kubernetes API server.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;

use base64::Engine;

use super::mock::get_bearer;

const SETUP_HINT: &str =
    "run scripts/e2e-setup.sh (installs git, kubernetes-client, bash-completion, man-db and cargo-deb when missing)";

/// Debian's git (the `git` package), not another one earlier on PATH.
pub fn debian_git() -> PathBuf {
    require_package("git", "/usr/bin/git")
}

/// Debian's kubectl (the `kubernetes-client` package): installed, or unpacked by
/// `scripts/e2e-setup.sh` under `e2e/kubernetes-client/` when another package owns
/// /usr/bin/kubectl.
pub fn debian_kubectl() -> PathBuf {
    if dpkg_installed("kubernetes-client") {
        return PathBuf::from("/usr/bin/kubectl");
    }
    let unpacked =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("e2e/kubernetes-client/usr/bin/kubectl");
    assert!(
        unpacked.exists(),
        "Debian's kubectl (kubernetes-client) is missing: {SETUP_HINT}"
    );
    unpacked
}

pub fn dpkg_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
}

/// `file`, from Debian's `package`; fails the test when either is missing.
pub fn require_package(package: &str, file: &str) -> PathBuf {
    assert!(
        dpkg_installed(package) && Path::new(file).exists(),
        "{file} (Debian package {package}) is missing: {SETUP_HINT}"
    );
    PathBuf::from(file)
}

/// The directory of the built `oauthctl`, to put first on PATH: the README's lines say
/// `oauthctl`, and the tests run them as written.
pub fn bin_dir() -> PathBuf {
    assert_cmd::cargo::cargo_bin("oauthctl")
        .parent()
        .expect("bin dir")
        .to_path_buf()
}

/// PATH for the tools: oauthctl, then Debian's directories (so `git` is Debian's).
pub fn tool_path() -> String {
    format!("{}:/usr/bin:/bin:/usr/sbin:/sbin", bin_dir().display())
}

/// Whether the mock still honours `token` (its userinfo endpoint answers 200).
pub fn token_valid(userinfo: &str, token: &str) -> bool {
    get_bearer(userinfo, token).status == 200
}

/// What a server saw: each presented token and whether it was accepted.
#[derive(Default, Clone)]
pub struct Seen {
    pub tokens: Vec<(String, bool)>,
}

impl Seen {
    pub fn accepted(&self) -> Vec<String> {
        self.tokens
            .iter()
            .filter(|t| t.1)
            .map(|t| t.0.clone())
            .collect()
    }
    pub fn refused(&self) -> Vec<String> {
        self.tokens
            .iter()
            .filter(|t| !t.1)
            .map(|t| t.0.clone())
            .collect()
    }
}

/// A small server on 127.0.0.1; its thread ends with the test process.
pub struct Front {
    pub base: String,
    pub seen: Arc<Mutex<Seen>>,
    _server: Arc<tiny_http::Server>,
}

fn header(req: &tiny_http::Request, name: &str) -> Option<String> {
    req.headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str().to_string())
}

fn respond(req: tiny_http::Request, status: u16, headers: &[(String, String)], body: Vec<u8>) {
    let mut resp = tiny_http::Response::from_data(body).with_status_code(status);
    for (k, v) in headers {
        if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            resp = resp.with_header(h);
        }
    }
    let _ = req.respond(resp);
}

/// The Basic-auth password of a request.
fn basic_password(req: &tiny_http::Request) -> Option<String> {
    let v = header(req, "Authorization")?;
    let b = v.strip_prefix("Basic ")?;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b.trim())
        .ok()?;
    let s = String::from_utf8(raw).ok()?;
    s.split_once(':').map(|(_, p)| p.to_string())
}

/// `git http-backend` (Debian's) for the repositories under `root`, behind Basic auth
/// whose password must be an access token the mock honours (checked at `userinfo`).
pub fn git_server(root: &Path, userinfo: &str) -> Front {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind"));
    let port = server.server_addr().to_ip().expect("ip").port();
    let seen: Arc<Mutex<Seen>> = Arc::default();
    let (s2, seen2, root, userinfo) = (
        server.clone(),
        seen.clone(),
        root.to_path_buf(),
        userinfo.to_string(),
    );
    thread::spawn(move || {
        for req in s2.incoming_requests() {
            let ok = match basic_password(&req) {
                Some(p) => {
                    let ok = token_valid(&userinfo, &p);
                    seen2.lock().unwrap().tokens.push((p, ok));
                    ok
                }
                None => false,
            };
            if !ok {
                let h = [(
                    "WWW-Authenticate".to_string(),
                    "Basic realm=\"git\"".to_string(),
                )];
                respond(req, 401, &h, b"a valid access token is required\n".to_vec());
                continue;
            }
            cgi(req, &root);
        }
    });
    Front {
        base: format!("http://127.0.0.1:{port}"),
        seen,
        _server: server,
    }
}

/// Runs one request through `git http-backend` (CGI).
fn cgi(mut req: tiny_http::Request, root: &Path) {
    let mut body = Vec::new();
    let _ = req.as_reader().read_to_end(&mut body);
    let url = req.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let mut cmd = Command::new(debian_git());
    cmd.arg("http-backend")
        .env_clear()
        .env("GIT_PROJECT_ROOT", root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("REQUEST_METHOD", req.method().as_str())
        .env("PATH_INFO", path)
        .env("QUERY_STRING", query)
        .env("CONTENT_LENGTH", body.len().to_string())
        .env("REMOTE_USER", "oauth2")
        .env("REMOTE_ADDR", "127.0.0.1")
        .env("PATH", "/usr/bin:/bin");
    for (h, var) in [
        ("Content-Type", "CONTENT_TYPE"),
        ("Content-Encoding", "HTTP_CONTENT_ENCODING"),
        ("Git-Protocol", "GIT_PROTOCOL"),
    ] {
        if let Some(v) = header(&req, h) {
            cmd.env(var, v);
        }
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("git http-backend");
    let mut stdin = child.stdin.take().unwrap();
    let writer = thread::spawn(move || {
        let _ = stdin.write_all(&body);
    });
    let out = child.wait_with_output().expect("git http-backend output");
    let _ = writer.join();
    let raw = out.stdout;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, 4))
        .or_else(|| raw.windows(2).position(|w| w == b"\n\n").map(|i| (i, 2)));
    let Some((at, sep)) = split else {
        respond(req, 500, &[], raw);
        return;
    };
    let head = String::from_utf8_lossy(&raw[..at]).to_string();
    let mut status = 200;
    let mut headers = Vec::new();
    for line in head.lines() {
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("Status") {
                status = v.trim()[..3].parse().unwrap_or(500);
            } else {
                headers.push((k.trim().to_string(), v.trim().to_string()));
            }
        }
    }
    respond(req, status, &headers, raw[at + sep..].to_vec());
}

/// A fake Kubernetes API server over HTTPS (kubectl sends credentials only over TLS):
/// enough discovery for `kubectl get namespaces` and one namespace, `oauthctl-ok`, for a
/// bearer token the mock honours; 401 otherwise. One request per connection.
pub fn kube_server(userinfo: &str) -> KubeServer {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair, SanType};
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let mut leaf_params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    leaf_params
        .subject_alt_names
        .push(SanType::IpAddress("127.0.0.1".parse().unwrap()));
    let leaf = leaf_params.signed_by(&leaf_key, &ca, &ca_key).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(leaf.der().to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
        )
        .unwrap();
    let config = Arc::new(config);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen: Arc<Mutex<Seen>> = Arc::default();
    let (seen2, userinfo) = (seen.clone(), userinfo.to_string());
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(tcp) = stream else { continue };
            let (config, seen, userinfo) = (config.clone(), seen2.clone(), userinfo.clone());
            thread::spawn(move || {
                let conn = rustls::ServerConnection::new(config).unwrap();
                let mut tls = rustls::StreamOwned::new(conn, tcp);
                let (status, body) = kube_answer(&mut tls, &seen, &userinfo);
                let resp = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(resp.as_bytes());
                let _ = tls.flush();
                tls.conn.send_close_notify();
                let _ = tls.flush();
            });
        }
    });
    KubeServer {
        base: format!("https://127.0.0.1:{port}"),
        ca_pem: ca.pem(),
        seen,
    }
}

pub struct KubeServer {
    pub base: String,
    pub ca_pem: String,
    pub seen: Arc<Mutex<Seen>>,
}

fn kube_answer(tls: &mut impl Read, seen: &Mutex<Seen>, userinfo: &str) -> (u16, &'static str) {
    let mut buf = [0u8; 4096];
    let mut req = Vec::new();
    while !req.windows(4).any(|w| w == b"\r\n\r\n") {
        match tls.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => req.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&req).to_string();
    let path = head
        .split_whitespace()
        .nth(1)
        .unwrap_or("")
        .split('?')
        .next()
        .unwrap_or("")
        .to_string();
    let token = head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case("authorization")
            .then(|| v.trim().strip_prefix("Bearer ").map(str::to_string))
            .flatten()
    });
    let ok = match token {
        Some(t) => {
            let ok = token_valid(userinfo, &t);
            seen.lock().unwrap().tokens.push((t, ok));
            ok
        }
        None => false,
    };
    if !ok {
        return (
            401,
            r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#,
        );
    }
    match path.as_str() {
        "/api" => (
            200,
            r#"{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]}"#,
        ),
        "/apis" => (
            200,
            r#"{"kind":"APIGroupList","apiVersion":"v1","groups":[]}"#,
        ),
        "/api/v1" => (
            200,
            r#"{"kind":"APIResourceList","groupVersion":"v1","resources":[{"name":"namespaces","singularName":"","namespaced":false,"kind":"Namespace","verbs":["get","list"],"shortNames":["ns"]}]}"#,
        ),
        "/api/v1/namespaces" => (
            200,
            r#"{"kind":"NamespaceList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[{"metadata":{"name":"oauthctl-ok","creationTimestamp":"2026-01-01T00:00:00Z"},"status":{"phase":"Active"}}]}"#,
        ),
        _ => (
            404,
            r#"{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}"#,
        ),
    }
}

/// A README section: the lines between `<!-- NAME -->` and `<!-- /NAME -->`, without
/// the code fence, so the tests run what the README says.
pub fn readme_block(name: &str) -> String {
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let start = format!("<!-- {name} -->");
    let end = format!("<!-- /{name} -->");
    let a = readme
        .find(&start)
        .unwrap_or_else(|| panic!("README.md has no {start}"));
    let b = readme[a..]
        .find(&end)
        .unwrap_or_else(|| panic!("README.md has no {end}"));
    readme[a + start.len()..a + b]
        .lines()
        .filter(|l| !l.starts_with("```"))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}
