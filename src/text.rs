//! Text helpers shared by the protocol and the support tools: an HTML page turned into
//! readable words, and text from outside (servers, tokens, files) made inert for a
//! terminal: control characters escaped, long texts cut with their length noted.

/// How many characters of a server's text are shown (an `error_description`, a page).
pub const MAX_SHOWN: usize = 2000;

/// Untrusted text made inert for a terminal: every C0 and C1 control character (ESC,
/// CR, LF, TAB, DEL, U+0080–U+009F included) is shown escaped (`\x1b`, `\n`,
/// `\u{9b}`), so a server cannot move the cursor, recolour, rewrite or add a line.
pub fn inert(s: &str) -> String {
    if !s.chars().any(is_control) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_escaped(&mut out, c);
    }
    out
}

/// Like [`inert`], keeping line feeds: for oauthctl's own multi-line messages that
/// may quote outside text.
pub fn inert_lines(s: &str) -> String {
    if !s.chars().any(|c| c != '\n' && is_control(c)) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c == '\n' {
            out.push(c);
        } else {
            push_escaped(&mut out, c);
        }
    }
    out
}

/// A C0 or C1 control character, or DEL.
pub fn is_control(c: char) -> bool {
    c.is_control()
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x80 && c.is_control() => {
            out.push_str(&format!("\\x{:02x}", c as u32));
        }
        c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        c => out.push(c),
    }
}

/// At most `max` characters of `s`; a longer text ends with `… (N characters in all)`.
pub fn cut(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    format!(
        "{}… ({n} characters in all)",
        s.chars().take(max).collect::<String>()
    )
}

/// Server text for a message: cut to [`MAX_SHOWN`] characters, then made inert.
pub fn untrusted(s: &str) -> String {
    inert(&cut(s, MAX_SHOWN))
}

/// The `<title>` and the start of the visible text of an HTML page, in one line:
/// `"Title": text…` (at most 300 characters of text).
pub fn html_excerpt(html: &str) -> String {
    let (title, text) = html_text(html);
    let mut body = text.as_str();
    if let Some(t) = &title {
        body = body.strip_prefix(t.as_str()).unwrap_or(body).trim_start();
    }
    let body: String = if body.chars().count() > 300 {
        format!("{}…", body.chars().take(300).collect::<String>())
    } else {
        body.to_string()
    };
    match (title, body.is_empty()) {
        (Some(t), true) => format!("\"{t}\""),
        (Some(t), false) => format!("\"{t}\": {body}"),
        (None, _) => body,
    }
}

/// The `<title>` and the visible text of an HTML page (scripts and styles left out,
/// common entities decoded, whitespace collapsed).
pub fn html_text(html: &str) -> (Option<String>, String) {
    let lower = html.to_ascii_lowercase();
    let title = lower.find("<title").and_then(|s| {
        let open_end = s + lower[s..].find('>')? + 1;
        let close = open_end + lower[open_end..].find("</title")?;
        Some(decode_entities(html[open_end..close].trim()))
    });
    let mut text = String::new();
    let mut i = 0;
    while i < html.len() {
        let Some(rel) = html[i..].find('<') else {
            text.push_str(&html[i..]);
            break;
        };
        text.push_str(&html[i..i + rel]);
        text.push(' ');
        let lt = i + rel;
        let block = ["<script", "<style", "<title", "<head"]
            .iter()
            .find(|t| lower[lt..].starts_with(**t))
            .map(|t| format!("</{}", &t[1..]));
        let end = match block {
            Some(close) => lower[lt..]
                .find(&close)
                .and_then(|c| lower[lt + c..].find('>').map(|g| lt + c + g + 1)),
            None => lower[lt..].find('>').map(|g| lt + g + 1),
        };
        match end {
            Some(e) => i = e,
            None => break,
        }
    }
    let text = decode_entities(&text);
    let mut text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // Tags became spaces: none belongs before punctuation or inside brackets.
    for (from, to) in [
        (" :", ":"),
        (" ,", ","),
        (" ;", ";"),
        (" .", "."),
        ("( ", "("),
        (" )", ")"),
    ] {
        text = text.replace(from, to);
    }
    (title, text)
}

fn decode_entities(s: &str) -> String {
    s.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&amp;", "&")
}
