//! Durations as people write them: `90s`, `5m`, `1h`, `1h30m`, `250ms`, `2d`.

use std::time::Duration;

/// The longest duration oauthctl accepts: 100 years (anything longer is surely a typo,
/// and would overflow the clock arithmetic of a deadline).
pub const MAX: Duration = Duration::from_secs(100 * 365 * 86400);

fn too_long(input: &str) -> String {
    format!("duration `{input}` is too long: the most oauthctl accepts is 100 years (36500d)")
}

/// Parses a duration; a bare number means seconds. Never panics: a negative, non-finite
/// or too long duration is an error saying so.
pub fn parse(input: &str) -> Result<Duration, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("empty duration: write it like 90s, 5m or 1h".into());
    }
    if let Ok(n) = s.parse::<u64>() {
        let d = Duration::from_secs(n);
        return if d > MAX { Err(too_long(input)) } else { Ok(d) };
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(too_long(input));
    }
    let mut total = Duration::ZERO;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if digits == 0 {
            return Err(format!(
                "invalid duration `{input}`: expected a number before `{rest}` (write it like 90s, 5m or 1h)"
            ));
        }
        let number: f64 = rest[..digits].parse().map_err(|_| {
            format!(
                "invalid duration `{input}`: `{}` is not a number",
                &rest[..digits]
            )
        })?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = rest[..unit_len].trim();
        rest = &rest[unit_len..];
        let secs = match unit {
            "ms" => number / 1000.0,
            "s" | "sec" | "secs" => number,
            "m" | "min" | "mins" => number * 60.0,
            "h" | "hr" | "hrs" => number * 3600.0,
            "d" | "day" | "days" => number * 86400.0,
            "" => {
                return Err(format!(
                    "invalid duration `{input}`: a unit is missing after {number} (use ms, s, m, h or d)"
                ))
            }
            other => {
                return Err(format!(
                    "invalid duration `{input}`: unknown unit `{other}` (use ms, s, m, h or d)"
                ))
            }
        };
        let part = Duration::try_from_secs_f64(secs).map_err(|_| too_long(input))?;
        total = total
            .checked_add(part)
            .filter(|t| *t <= MAX)
            .ok_or_else(|| too_long(input))?;
    }
    Ok(total)
}

/// Short human form: `42 min`, `3 h`, `12 s`, `2 d`.
pub fn human(d: Duration) -> String {
    let s = d.as_secs();
    if s < 120 {
        format!("{s} s")
    } else if s < 7200 {
        format!("{} min", s / 60)
    } else if s < 172_800 {
        format!("{} h", s / 3600)
    } else {
        format!("{} d", s / 86400)
    }
}

/// `in 59 min`, `2 h ago`, or `None`: an expiry (a Unix time) as seen at `now`.
pub fn expires_in_words(expires_at: Option<u64>, now: u64) -> Option<String> {
    let at = expires_at?;
    Some(if at >= now {
        format!("in {}", human(Duration::from_secs(at - now)))
    } else {
        format!("{} ago", human(Duration::from_secs(now - at)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_words() {
        assert_eq!(
            expires_in_words(Some(3700), 100).as_deref(),
            Some("in 60 min")
        );
        assert_eq!(
            expires_in_words(Some(100), 200).as_deref(),
            Some("100 s ago")
        );
        assert_eq!(expires_in_words(None, 1), None);
    }

    #[test]
    fn parses_common_forms() {
        assert_eq!(parse("90s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse("5m").unwrap(), Duration::from_secs(300));
        assert_eq!(parse("1h").unwrap(), Duration::from_secs(3600));
        assert_eq!(parse("1h30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(parse("30").unwrap(), Duration::from_secs(30));
        assert_eq!(parse("30d").unwrap(), Duration::from_secs(30 * 86400));
    }

    #[test]
    fn rejects_garbage_with_a_reason() {
        assert!(parse("5 parsecs").unwrap_err().contains("unknown unit"));
        assert!(parse("m").unwrap_err().contains("expected a number"));
        assert!(parse("").is_err());
    }

    #[test]
    fn human_forms() {
        assert_eq!(human(Duration::from_secs(42 * 60)), "42 min");
        assert_eq!(human(Duration::from_secs(3 * 3600)), "3 h");
    }
}
