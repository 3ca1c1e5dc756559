use std::io::{IsTerminal, Read};

use serde_json::{json, Map, Value};

use crate::cli::DecodeArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::http::HttpRequest;
use crate::jwt::{self, Jwks, Token};
use crate::output;
use crate::provider::{discovery, ProviderSpec};

const TIME_CLAIMS: &[&str] = &["exp", "iat", "nbf", "auth_time"];
/// Fields of a token response that hold tokens.
const TOKEN_FIELDS: &[&str] = &[
    "access_token",
    "id_token",
    "refresh_token",
    "api_key",
    "token",
];

pub fn run(args: &DecodeArgs, ctx: &Context) -> Result<()> {
    let input = read_input(args)?;
    let tokens = split_input(&input)?;
    let secret = match &args.secret {
        Some(src) => Some(read_secret(src, args.token.as_deref())?),
        None => None,
    };
    let now = jwt::now();
    let mut jwks_cache: Option<(Jwks, String)> = None;
    let mut results: Vec<(String, Value)> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    for (name, raw) in &tokens {
        let parsed = jwt::parse(raw).map_err(|e| {
            if tokens.len() > 1 {
                Error::input(format!("{name}: {}", e.message)).with_hint(e.hint.unwrap_or_default())
            } else {
                e
            }
        })?;
        let mut out = describe(&parsed, raw, now);
        if args.verify {
            let verdict = match &parsed {
                Token::Jws(jws) => {
                    let jwks =
                        if jws.alg().starts_with("HS") || jws.alg().eq_ignore_ascii_case("none") {
                            None
                        } else {
                            if jwks_cache.is_none() {
                                jwks_cache = Some(load_jwks(args, ctx, jws)?);
                            }
                            jwks_cache.as_ref()
                        };
                    let sig = jwt::verify(jws, jwks.map(|(j, _)| j), secret.as_deref());
                    let problems = jwt::check_claims(
                        &jws.claims,
                        now,
                        args.leeway.as_secs() as i64,
                        args.iss.as_deref(),
                        args.aud.as_deref(),
                    );
                    match sig {
                        Ok(v) => {
                            let mut verdict = json!({
                                "signature": "valid",
                                "alg": v.alg,
                                "kid": v.kid,
                                "keys_from": jwks.map(|(_, s)| s.clone()),
                                "problems": problems,
                            });
                            if !problems.is_empty() {
                                verdict["valid"] = json!(false);
                                failures.push(format!("{name}: {}", problems.join("; ")));
                            } else {
                                verdict["valid"] = json!(true);
                            }
                            verdict
                        }
                        Err(e) => {
                            failures.push(format!("{name}: {}", e.message));
                            json!({"signature": "invalid", "valid": false, "reason": e.message, "problems": problems})
                        }
                    }
                }
                Token::Jwe { .. } => {
                    failures.push(format!(
                        "{name}: an encrypted token (JWE) cannot be verified without decrypting it"
                    ));
                    json!({"valid": false, "reason": "encrypted (JWE)"})
                }
                Token::Opaque { .. } if tokens.len() > 1 => {
                    json!({"valid": null, "reason": "opaque: nothing to verify"})
                }
                Token::Opaque { .. } => {
                    failures.push(format!(
                        "{name}: an opaque token has no signature to verify"
                    ));
                    json!({"valid": false, "reason": "opaque"})
                }
            };
            out["verification"] = verdict;
        }
        results.push((name.clone(), out));
    }

    if ctx.global.json {
        let v = if results.len() == 1 && tokens[0].0 == "token" {
            results[0].1.clone()
        } else {
            Value::Object(results.iter().cloned().collect())
        };
        output::json(&v)?;
    } else {
        let mut text = String::new();
        for (name, r) in &results {
            text.push_str(&render(name, r));
        }
        output::stdout(&text)?;
    }
    if !failures.is_empty() {
        return Err(
            Error::input(format!("verification failed: {}", failures.join("; ")))
                .with_hint("the token must not be trusted; see the reasons above"),
        );
    }
    Ok(())
}

fn read_input(args: &DecodeArgs) -> Result<String> {
    match args.token.as_deref() {
        Some("-") => read_stdin(),
        Some(t) => Ok(t.to_string()),
        None if !std::io::stdin().is_terminal() => read_stdin(),
        None => Err(Error::usage("no token given")
            .with_hint("oauthctl decode TOKEN, or pipe it in: … | oauthctl decode -")),
    }
}

fn read_stdin() -> Result<String> {
    let mut s = String::new();
    std::io::stdin()
        .take((jwt::MAX_TOKEN_LEN + 1024) as u64)
        .read_to_string(&mut s)
        .map_err(|e| Error::input(format!("cannot read the token from stdin: {e}")))?;
    Ok(s)
}

/// `Bearer …`, `Authorization: Bearer …`, a token response JSON, or a bare token.
fn split_input(input: &str) -> Result<Vec<(String, String)>> {
    let mut s = input.trim();
    if let Some(rest) = strip_prefix_ci(s, "authorization:") {
        s = rest.trim();
    }
    if let Some(rest) = strip_prefix_ci(s, "bearer ") {
        s = rest.trim();
    }
    if s.starts_with('{') {
        let v: Value = serde_json::from_str(s).map_err(|e| {
            Error::input(format!("the input starts with `{{` but is not JSON: {e}"))
                .with_hint("pass a token, `Bearer TOKEN`, or a whole token response JSON")
        })?;
        let mut found = Vec::new();
        collect_tokens(&v, &mut found);
        if found.is_empty() {
            return Err(Error::input(format!(
                "the JSON holds none of the fields {}",
                TOKEN_FIELDS.join(", ")
            )));
        }
        return Ok(found);
    }
    Ok(vec![("token".to_string(), s.to_string())])
}

fn collect_tokens(v: &Value, found: &mut Vec<(String, String)>) {
    if let Value::Object(m) = v {
        for f in TOKEN_FIELDS {
            if let Some(Value::String(t)) = m.get(*f) {
                found.push(((*f).to_string(), t.clone()));
            }
        }
        // An envelope such as Onboardbase's {data: {...}}.
        if let Some(inner @ Value::Object(_)) = m.get("data") {
            collect_tokens(inner, found);
        }
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix) {
        Some(&s[prefix.len()..])
    } else {
        None
    }
}

/// `@FILE`, `env:VAR` or `-` (stdin); never the secret itself.
fn read_secret(src: &str, token_arg: Option<&str>) -> Result<Vec<u8>> {
    let trim = |mut v: Vec<u8>| {
        while v.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            v.pop();
        }
        v
    };
    if let Some(path) = src.strip_prefix('@') {
        return std::fs::read(path)
            .map(trim)
            .map_err(|e| Error::input(format!("cannot read the secret from {path}: {e}")));
    }
    if let Some(var) = src.strip_prefix("env:") {
        return std::env::var(var)
            .map(|v| trim(v.into_bytes()))
            .map_err(|_| Error::input(format!("the environment variable {var} is not set")));
    }
    if src == "-" {
        if token_arg.is_none() || token_arg == Some("-") {
            return Err(
                Error::usage("stdin cannot carry both the token and the secret").with_hint(
                    "pass the token as an argument, or the secret with @FILE or env:VAR",
                ),
            );
        }
        let mut v = Vec::new();
        std::io::stdin()
            .take(1024 * 1024)
            .read_to_end(&mut v)
            .map_err(|e| Error::input(format!("cannot read the secret from stdin: {e}")))?;
        return Ok(trim(v));
    }
    Err(
        Error::usage("--secret takes @FILE, env:VAR or - (stdin), never the secret itself")
            .with_hint("a secret on the command line ends up in shell history and in `ps`"),
    )
}

/// The JWKS: `--jwks FILE|URL`, else the provider's `jwks_uri`, else the token issuer's.
fn load_jwks(args: &DecodeArgs, ctx: &Context, jws: &jwt::Jws) -> Result<(Jwks, String)> {
    let rt = ctx.runtime()?;
    let url = if let Some(src) = &args.jwks {
        if !(src.starts_with("http://") || src.starts_with("https://")) {
            let bytes = std::fs::read(src)
                .map_err(|e| Error::input(format!("cannot read the JWKS file {src}: {e}")))?;
            return Ok((Jwks::from_json(&bytes, src)?, src.clone()));
        }
        src.clone()
    } else if let Some(iss) = args
        .iss
        .clone()
        .or_else(|| {
            jws.claims
                .get("iss")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .filter(|_| ctx.global.provider.is_none())
    {
        ctx.ui.info(&format!(
            "Fetching the keys of the token's issuer {iss} (pass --jwks or -p to choose them)"
        ));
        let (d, _) = rt.block_on(discovery::load(
            ctx.http()?,
            &iss,
            None,
            ctx.discovery_ttl()?,
        ))?;
        d.document
            .get("jwks_uri")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| Error::server(format!("the metadata of {iss} has no jwks_uri")))?
    } else {
        let p = rt
            .block_on(ctx.provider(&ProviderSpec::default()))
            .map_err(|e| {
                if e.message == "no provider given" {
                    Error::input("no keys to verify with: the token has no `iss`")
                        .with_hint("pass --jwks FILE|URL or -p NAME")
                } else {
                    e
                }
            })?;
        p.spec.jwks_uri.clone().ok_or_else(|| {
            Error::input(format!("provider `{}` has no jwks_uri", p.name))
                .with_hint("pass --jwks FILE|URL, or set jwks_uri (or issuer) for the provider")
        })?
    };
    let parsed = url::Url::parse(&url)
        .map_err(|e| Error::input(format!("JWKS URL `{url}` is not a URL: {e}")))?;
    let resp = rt.block_on(ctx.http()?.send(HttpRequest::get(parsed)))?;
    if !resp.is_success() {
        return Err(Error::server(format!(
            "the JWKS at {url} answered HTTP {}",
            resp.status
        )));
    }
    Ok((Jwks::from_json(&resp.body, &url)?, url))
}

/// The decoded token as JSON: kind, header, claims, times in words.
pub(crate) fn describe(t: &Token, raw: &str, now: i64) -> Value {
    match t {
        Token::Jws(j) => {
            let mut times = Map::new();
            for c in TIME_CLAIMS {
                if let Some(ts) = j.claims.get(*c).and_then(Value::as_f64) {
                    let ts = ts as i64;
                    times.insert(
                        (*c).to_string(),
                        json!({"unix": ts, "utc": jwt::iso(ts), "relative": jwt::describe_time(c, ts, now)}),
                    );
                }
            }
            let unsigned = j.alg().eq_ignore_ascii_case("none");
            json!({
                "kind": "jws",
                "header": j.header,
                "claims": j.claims,
                "times": times,
                "issuer": j.claims.get("iss"),
                "subject": j.claims.get("sub"),
                "audience": j.claims.get("aud"),
                "scopes": jwt::scopes(&j.claims),
                "unsigned": unsigned,
                "signature_bytes": j.signature.len(),
            })
        }
        Token::Jwe { header } => json!({
            "kind": "jwe",
            "header": header,
            "explanation": "an encrypted JWT (JWE): its claims are encrypted for the recipient named in the header; only the holder of the decryption key can read them, and oauthctl does not decrypt",
        }),
        Token::Opaque { len } => json!({
            "kind": "opaque",
            "length": len,
            "looks_like": if raw.len() >= 8 { format!("{}…", &raw[..4]) } else { String::new() },
            "explanation": "an opaque token, not a JWT: only the server that issued it can tell what it means (ask its introspection endpoint, RFC 7662)",
        }),
    }
}

pub(crate) fn render(name: &str, r: &Value) -> String {
    let mut s = String::new();
    match r["kind"].as_str() {
        Some("jws") => {
            let alg = r["header"]["alg"].as_str().unwrap_or("?");
            let kid = r["header"]["kid"]
                .as_str()
                .map(|k| format!(", kid {k}"))
                .unwrap_or_default();
            s.push_str(&format!("{name}: JWT signed with {alg}{kid}\n"));
            if r["unsigned"] == true {
                s.push_str("  WARNING: unsigned (alg: none): anyone could have written it\n");
            }
            let pick = |label: &str, v: &Value| -> Option<String> {
                match v {
                    Value::Null => None,
                    Value::String(x) => Some(format!("  {label:<9} {x}\n")),
                    other => Some(format!("  {label:<9} {other}\n")),
                }
            };
            for (label, key) in [
                ("issuer", "issuer"),
                ("subject", "subject"),
                ("audience", "audience"),
            ] {
                if let Some(line) = pick(label, &r[key]) {
                    s.push_str(&line);
                }
            }
            if let Some(sc) = r["scopes"].as_array().filter(|a| !a.is_empty()) {
                let list: Vec<&str> = sc.iter().filter_map(Value::as_str).collect();
                s.push_str(&format!("  {:<9} {}\n", "scopes", list.join(" ")));
            }
            if let Some(exp) = r["times"].get("exp") {
                s.push_str(&format!(
                    "  {:<9} {} ({})\n",
                    "expiry",
                    exp["utc"].as_str().unwrap_or(""),
                    exp["relative"].as_str().unwrap_or("")
                ));
            }
            s.push_str("\nHeader\n");
            for (k, v) in r["header"].as_object().into_iter().flatten() {
                s.push_str(&format!("  {k:<12} {}\n", plain(v)));
            }
            s.push_str("\nClaims\n");
            for (k, v) in r["claims"].as_object().into_iter().flatten() {
                let mut line = format!("  {k:<12} {}", plain(v));
                if let Some(t) = r["times"].get(k.as_str()) {
                    line.push_str(&format!(
                        "  ({}, {})",
                        t["utc"].as_str().unwrap_or(""),
                        t["relative"].as_str().unwrap_or("")
                    ));
                }
                s.push_str(&line);
                s.push('\n');
            }
            match r.get("verification") {
                Some(v) if v["signature"] == "valid" => {
                    let from = v["keys_from"]
                        .as_str()
                        .map(|f| format!(" with a key from {f}"))
                        .unwrap_or_default();
                    s.push_str(&format!(
                        "\nSignature: valid ({}{}){from}\n",
                        v["alg"].as_str().unwrap_or(""),
                        v["kid"]
                            .as_str()
                            .map(|k| format!(", kid {k}"))
                            .unwrap_or_default()
                    ));
                    for p in v["problems"].as_array().into_iter().flatten() {
                        s.push_str(&format!("Claims: {}\n", p.as_str().unwrap_or("")));
                    }
                }
                Some(v) if v["valid"].is_null() => {}
                Some(v) => s.push_str(&format!(
                    "\nSignature: INVALID: {}\n",
                    v["reason"].as_str().unwrap_or("")
                )),
                None => s.push_str("\nSignature: not verified (use --verify)\n"),
            }
        }
        Some("jwe") => {
            s.push_str(&format!("{name}: encrypted JWT (JWE)\n"));
            for (k, v) in r["header"].as_object().into_iter().flatten() {
                s.push_str(&format!("  {k:<12} {}\n", plain(v)));
            }
            s.push_str(&format!("{}\n", r["explanation"].as_str().unwrap_or("")));
        }
        _ => {
            s.push_str(&format!(
                "{name}: opaque token ({} characters), not a JWT\n{}\n",
                r["length"],
                r["explanation"].as_str().unwrap_or("")
            ));
        }
    }
    s.push('\n');
    s
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
