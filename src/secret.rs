//! A string that must not leak: `Debug` and `Display` print `[redacted]`.

use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    /// The value itself: every call site is a place where a secret leaves the type.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A secret given on the command line by reference, so that it stays out of `ps` and the
/// shell history: `-` (the next line of stdin), `env:VAR`, `@FILE` (its content), or
/// else the value itself. Surrounding white space is dropped. Returns the value and
/// where it came from, for error messages. `flag` names the option (`--code`).
pub fn from_arg(src: &str, flag: &str) -> crate::error::Result<(Secret, String)> {
    use crate::error::Error;
    let (raw, from) = if src == "-" {
        let mut line = String::new();
        std::io::BufRead::read_line(&mut std::io::stdin().lock(), &mut line)
            .map_err(|e| Error::input(format!("cannot read {flag} from stdin: {e}")))?;
        (line, "stdin".to_string())
    } else if let Some(var) = src.strip_prefix("env:") {
        let v = std::env::var(var).map_err(|_| {
            Error::input(format!(
                "{flag} env:{var}: the variable {var} is not set (or not UTF-8)"
            ))
            .with_hint(format!("export {var}=… first"))
        })?;
        (v, format!("${var}"))
    } else if let Some(path) = src.strip_prefix('@') {
        let v = std::fs::read_to_string(path).map_err(|e| {
            Error::input(format!("cannot read {flag} from {path}: {e}"))
                .with_hint(format!("{flag} @FILE reads the value from FILE"))
        })?;
        (v, path.to_string())
    } else {
        (src.to_string(), flag.to_string())
    };
    let v = raw.trim();
    if v.is_empty() {
        return Err(
            Error::input(format!("{flag}: the value from {from} is empty")).with_hint(format!(
                "{flag} takes the value, `-` (a line of stdin), env:VAR or @FILE"
            )),
        );
    }
    Ok((Secret::new(v), from))
}

#[cfg(test)]
mod tests {
    #[test]
    fn debug_and_display_redact() {
        let s = super::Secret::new("hunter2");
        assert_eq!(format!("{s:?} {s}"), "[redacted] [redacted]");
        assert_eq!(s.expose(), "hunter2");
    }
}
