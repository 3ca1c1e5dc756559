//! The page: one self-contained HTML document (inline CSS, a strict Content-Security-Policy,
//! an inline SVG diagram, no script), readable in light and dark mode and printable. Every
//! text that came from a server, a token or the user is HTML-escaped here.

use base64::Engine;
use serde_json::Value;

use super::escape::esc;
use super::model::{Body, Exchange, Kind, Report, Step};
use super::Meta;

/// The most of one body the page shows (a normal login stays far under 1 MB).
const MAX_BODY: usize = 64 * 1024;

const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
                   base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const CSS: &str = include_str!("report.css");

fn table(rows: &[(String, String)], head: (&str, &str)) -> String {
    if rows.is_empty() {
        return "<p class=\"muted\">none</p>".into();
    }
    let mut s = format!(
        "<table><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>",
        head.0, head.1
    );
    for (k, v) in rows {
        s.push_str(&format!(
            "<tr><td class=\"k\">{}</td><td><code>{}</code></td></tr>",
            esc(k),
            esc(v)
        ));
    }
    s.push_str("</tbody></table>");
    s
}

fn cut(text: &str) -> String {
    if text.len() <= MAX_BODY {
        return text.to_string();
    }
    let mut end = MAX_BODY;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n… ({} bytes in all)", &text[..end], text.len())
}

fn body(b: &Body) -> String {
    let mime = b.mime.to_ascii_lowercase();
    let label = format!("<p class=\"mime\">{}</p>", esc(&b.mime));
    if mime.contains("x-www-form-urlencoded") {
        let rows: Vec<(String, String)> = url::form_urlencoded::parse(b.text.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        return label + &table(&rows, ("parameter", "value"));
    }
    if let Ok(v) = serde_json::from_str::<Value>(&b.text) {
        let pretty = serde_json::to_string_pretty(&v).unwrap_or_else(|_| b.text.clone());
        return format!("{label}<pre>{}</pre>", esc(&cut(&pretty)));
    }
    format!("{label}<pre>{}</pre>", esc(&cut(&b.text)))
}

/// The JWTs in `text` (three base64url parts, the first two JSON).
fn jwts(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let is_tok = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.';
    for w in text.split(|c: char| !is_tok(c)) {
        let parts: Vec<&str> = w.split('.').collect();
        if parts.len() >= 2 && parts[0].starts_with("eyJ") && parts[1].starts_with("eyJ") {
            let t = w.to_string();
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

fn b64json(part: &str) -> Option<Value> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// "in 59 min" / "3 h ago", from `at` to the step's time.
fn in_words(at: i64, now: i64) -> String {
    let d = at - now;
    let a = d.unsigned_abs();
    let amount = if a < 120 {
        format!("{a} s")
    } else if a < 7200 {
        format!("{} min", a / 60)
    } else if a < 172_800 {
        format!("{} h", a / 3600)
    } else {
        format!("{} days", a / 86400)
    };
    if d >= 0 {
        format!("in {amount}")
    } else {
        format!("{amount} ago")
    }
}

fn jwt_block(token: &str, step_time: i64) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    let (Some(header), Some(claims)) = (b64json(parts[0]), parts.get(1).and_then(|p| b64json(p)))
    else {
        return String::new();
    };
    let mut times = String::new();
    for k in ["exp", "iat", "nbf", "auth_time"] {
        if let Some(t) = claims.get(k).and_then(Value::as_i64) {
            let when = std::time::UNIX_EPOCH
                .checked_add(std::time::Duration::from_secs(t.max(0) as u64))
                .map(|w| humantime::format_rfc3339_seconds(w).to_string())
                .unwrap_or_default();
            let verb = if k == "exp" { "expires" } else { k };
            times.push_str(&format!(
                "<li><code>{k}</code> {when} UTC — {verb} {}</li>",
                in_words(t, step_time)
            ));
        }
    }
    let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
    format!(
        "<div class=\"jwt\"><p><b>JWT</b> <code>{}…</code></p><ul>{times}</ul>\
         <div class=\"cols\"><div><p class=\"mime\">header</p><pre>{}</pre></div>\
         <div><p class=\"mime\">claims</p><pre>{}</pre></div></div></div>",
        esc(&token.chars().take(24).collect::<String>()),
        esc(&pretty(&header)),
        esc(&pretty(&claims)),
    )
}

fn unix(started: &str) -> i64 {
    humantime::parse_rfc3339_weak(started)
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn http_step(x: &Exchange, st: &Step) -> String {
    let mut s = format!(
        "<p class=\"url\"><b>{}</b> <code>{}</code></p>",
        esc(&x.method),
        esc(&x.url)
    );
    s.push_str("<div class=\"cols\"><section><h4>Request</h4>");
    s.push_str(&table(&x.request_headers, ("header", "value")));
    if let Some(b) = &x.request_body {
        s.push_str(&body(b));
    }
    s.push_str("</section><section><h4>Response</h4>");
    if let Some(e) = &x.error {
        s.push_str(&format!("<p class=\"bad\">{}</p>", esc(e)));
    }
    s.push_str(&table(&x.response_headers, ("header", "value")));
    if let Some(b) = &x.response_body {
        s.push_str(&body(b));
    }
    s.push_str("</section></div>");
    let mut all = x.url.clone();
    for (_, v) in x.request_headers.iter().chain(&x.response_headers) {
        all.push(' ');
        all.push_str(v);
    }
    for b in [&x.request_body, &x.response_body].into_iter().flatten() {
        all.push(' ');
        all.push_str(&b.text);
    }
    for t in jwts(&all) {
        s.push_str(&jwt_block(&t, unix(&st.started)));
    }
    s
}

fn step(st: &Step) -> String {
    let class = if st.failing {
        "step failing"
    } else if st.is_error() {
        "step error"
    } else {
        "step"
    };
    let inner = match &st.kind {
        Kind::Http(x) => http_step(x, st),
        Kind::Handoff { from, to, what } => format!(
            "<p>{} → {}: {}</p><p class=\"muted\">A hand-off through the browser: oauthctl \
             does not see it as an HTTP exchange; it is inferred from the steps around it.</p>",
            esc(from),
            esc(to),
            esc(what)
        ),
    };
    let failing = if st.failing {
        " <span class=\"tag bad\">the command failed here</span>"
    } else {
        ""
    };
    format!(
        "<details class=\"{class}\" id=\"step-{n}\" open><summary><span class=\"num\">{n}</span> \
         <b>{title}</b> <span class=\"status\">{status}</span> <span class=\"muted\">{ms:.0} ms · \
         {started}</span>{failing}</summary>{inner}</details>\n",
        n = st.number,
        title = esc(&st.title()),
        status = esc(&st.status_label()),
        ms = st.time_ms,
        started = esc(&st.started),
    )
}

fn verdict(r: &Report) -> String {
    let Some(m) = &r.meta else {
        return format!(
            "<section class=\"verdict unknown\"><h2>No verdict</h2><p>This HAR file was \
             written by {}, not by oauthctl: it says what went over the wire, not how the \
             command ended nor why. The steps are below.</p></section>",
            esc(r.creator.trim())
        );
    };
    let o = &m.outcome;
    if o.ok {
        return format!(
            "<section class=\"verdict ok\"><h2>Succeeded</h2><p><code>oauthctl {}</code> \
             ended with exit code 0 after {} step(s).</p></section>",
            esc(&m.command),
            r.steps.len()
        );
    }
    let mut s = format!(
        "<section class=\"verdict bad\"><h2>Failed: exit code {}</h2>\
         <pre class=\"terminal\"><b>oauthctl: error:</b> {}",
        o.exit_code,
        esc(o.message.as_deref().unwrap_or(""))
    );
    if let Some(h) = &o.hint {
        s.push_str(&format!("\n  <b>hint:</b> {}", esc(h)));
    }
    s.push_str("</pre>");
    if let Some(next) = o.hint.as_deref().and_then(|h| {
        h.lines()
            .rev()
            .find_map(|l| l.trim().strip_prefix("next: ").map(str::to_string))
    }) {
        s.push_str(&format!(
            "<p class=\"next\">Try next: <code>{}</code></p>",
            esc(&next)
        ));
    }
    s.push_str("</section>");
    s
}

fn knew(r: &Report, m: Option<&Meta>) -> String {
    let mut s = String::from("<section><h2>What oauthctl knew</h2>");
    if let Some(m) = m {
        let provider = m.provider.as_deref().unwrap_or("(none)");
        s.push_str(&format!("<p>Provider <code>{}</code>", esc(provider)));
        if let Some(d) = &m.discovered_from {
            s.push_str(&format!(", discovery from <code>{}</code>", esc(d)));
        }
        s.push_str("</p>");
        let mut t = String::from(
            "<table><thead><tr><th>setting</th><th>value</th><th>from</th></tr></thead><tbody>",
        );
        for x in &m.settings {
            t.push_str(&format!(
                "<tr><td class=\"k\">{}</td><td><code>{}</code></td><td>{}</td></tr>",
                esc(&x.name),
                esc(&x.value),
                esc(&x.source)
            ));
        }
        t.push_str("</tbody></table>");
        s.push_str(&t);
    }
    let (a, t) = r.redirect_uris();
    let show = |v: Option<String>| {
        v.map(|v| format!("<code>{}</code>", esc(&v)))
            .unwrap_or_else(|| "<span class=\"muted\">not seen</span>".into())
    };
    let same = match (&a, &t) {
        (Some(a), Some(t)) if a != t => "<span class=\"tag bad\">they differ</span>",
        (Some(_), Some(_)) => "<span class=\"tag good\">the same</span>",
        _ => "",
    };
    s.push_str(&format!(
        "<table><thead><tr><th>redirect URI at the authorization request</th>\
         <th>redirect URI at the token request</th></tr></thead><tbody><tr><td>{}</td><td>{}</td></tr></tbody></table><p>{same}</p>",
        show(a),
        show(t)
    ));
    let pkce = r.pkce_method().unwrap_or_else(|| "none seen".into());
    s.push_str(&format!("<p>PKCE method: <code>{}</code></p>", esc(&pkce)));
    let skew = match r.clock_skew() {
        Some(k) if k.abs() < 2.0 => format!("{k:+.1} s (within the 1 s resolution of HTTP dates)"),
        Some(k) => format!("{k:+.1} s (positive: the server's clock is ahead)"),
        None => "unknown (no server sent a Date header)".into(),
    };
    s.push_str(&format!(
        "<p>Clock skew against the server's <code>Date</code>: {}</p></section>",
        esc(&skew)
    ));
    s
}

fn environment(r: &Report, m: Option<&Meta>) -> String {
    let mut rows: Vec<(String, String)> = Vec::new();
    match m {
        Some(m) => {
            let e = &m.environment;
            rows.push(("oauthctl".into(), e.version.clone()));
            rows.push(("OS".into(), format!("{} {}", e.os, e.arch)));
            rows.push(("store".into(), e.store.clone()));
            rows.push(("profile".into(), e.profile.clone()));
            rows.push(("command".into(), format!("oauthctl {}", m.command)));
            rows.push(("report written".into(), m.written_at.clone()));
        }
        None => rows.push(("HAR written by".into(), r.creator.trim().to_string())),
    }
    for st in &r.steps {
        rows.push((
            format!("step {} ({})", st.number, st.title()),
            format!("{} UTC", st.started),
        ));
    }
    format!(
        "<section><h2>Environment</h2>{}</section>",
        table(&rows, ("", ""))
    )
}

/// The whole page.
pub fn render(r: &Report) -> String {
    let m = r.meta.as_ref();
    let title = m
        .map(|m| format!("oauthctl {} — flow report", m.command))
        .unwrap_or_else(|| "HTTP flow report".into());
    let mut s = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <title>{t}</title><style>{CSS}</style></head><body>\n",
        t = esc(&title)
    );
    if m.is_some_and(|m| m.show_secrets) {
        s.push_str(
            "<div class=\"banner\" role=\"alert\">This report was written with \
             <code>--show-secrets</code>: it holds tokens, codes and client secrets in \
             clear. Do not share it.</div>\n",
        );
    }
    s.push_str(&format!("<header><h1>{}</h1>", esc(&title)));
    if let Some(m) = m {
        s.push_str(&format!(
            "<p class=\"muted\">provider <code>{}</code> · oauthctl {} · {} step(s) · secrets \
             shown as <code>[redacted:…]</code> markers: an equal value has an equal marker</p>",
            esc(m.provider.as_deref().unwrap_or("(none)")),
            esc(&m.environment.version),
            r.steps.len()
        ));
    }
    s.push_str("</header>\n");
    s.push_str(&verdict(r));
    s.push_str("<section><h2>Sequence</h2><div class=\"diagram\">");
    s.push_str(&super::svg::diagram(r));
    s.push_str("</div></section>\n<section><h2>Steps</h2>\n");
    for st in &r.steps {
        s.push_str(&step(st));
    }
    s.push_str("</section>\n");
    s.push_str(&knew(r, m));
    s.push_str(&environment(r, m));
    s.push_str("<footer class=\"muted\">Written by oauthctl. Self-contained: this page loads nothing from anywhere.</footer></body></html>\n");
    s
}
