//! OAuth errors as the emulated provider writes them.

use serde_json::{json, Value};

use super::profile::Profile;

/// An error answer: an RFC 6749 error name, a description, an HTTP status, and the more
/// specific names a provider with numeric codes may use instead (Onboardbase's
/// `invalid_code`, `auth_code_expired`).
#[derive(Debug, Clone, PartialEq)]
pub struct OAuthError {
    pub error: &'static str,
    pub description: String,
    pub status: u16,
    pub aliases: &'static [&'static str],
    /// A `WWW-Authenticate` header value (RFC 6749 §5.2, RFC 6750 §3).
    pub www_authenticate: Option<String>,
    /// A `DPoP-Nonce` header value (RFC 9449 §8, §9).
    pub dpop_nonce: Option<String>,
}

impl OAuthError {
    pub fn new(error: &'static str, status: u16, description: impl Into<String>) -> Self {
        OAuthError {
            error,
            description: description.into(),
            status,
            aliases: &[],
            www_authenticate: None,
            dpop_nonce: None,
        }
    }
    pub fn invalid_request(d: impl Into<String>) -> Self {
        Self::new("invalid_request", 400, d)
    }
    pub fn invalid_client(d: impl Into<String>) -> Self {
        Self::new("invalid_client", 401, d).aliases(&["unauthorized_client"])
    }
    pub fn invalid_grant(d: impl Into<String>) -> Self {
        Self::new("invalid_grant", 400, d).aliases(&["invalid_code"])
    }
    pub fn expired_code(d: impl Into<String>) -> Self {
        Self::new("invalid_grant", 400, d).aliases(&["auth_code_expired", "invalid_code"])
    }
    pub fn unauthorized_client(d: impl Into<String>) -> Self {
        Self::new("unauthorized_client", 400, d)
    }
    pub fn unsupported_grant_type(d: impl Into<String>) -> Self {
        Self::new("unsupported_grant_type", 400, d).aliases(&["invalid_request"])
    }
    pub fn invalid_scope(d: impl Into<String>) -> Self {
        Self::new("invalid_scope", 400, d)
    }
    pub fn invalid_token(d: impl Into<String>) -> Self {
        let desc: String = d.into();
        Self::new("invalid_token", 401, desc.clone())
            .aliases(&["unauthorized_client"])
            .www(format!(
                "Bearer realm=\"oauthctl-mock\", error=\"invalid_token\", error_description=\"{}\"",
                desc.replace('"', "'")
            ))
    }
    pub fn server_error(d: impl Into<String>) -> Self {
        Self::new("server_error", 500, d)
    }
    pub fn not_found(d: impl Into<String>) -> Self {
        Self::new("invalid_request", 404, d)
    }
    pub fn aliases(mut self, a: &'static [&'static str]) -> Self {
        self.aliases = a;
        self
    }
    pub fn www(mut self, v: impl Into<String>) -> Self {
        self.www_authenticate = Some(v.into());
        self
    }
    pub fn status(mut self, s: u16) -> Self {
        self.status = s;
        self
    }

    /// The name the provider uses: with numeric codes, the first alias it knows.
    pub fn name_for(&self, profile: &Profile) -> &'static str {
        if profile.errors_array() {
            if let Some(codes) = &profile.spec.error_codes {
                for a in self.aliases {
                    if codes.contains_key(*a) {
                        return a;
                    }
                }
            }
        }
        self.error
    }

    /// The JSON body in the provider's error format.
    pub fn body(&self, profile: &Profile) -> Value {
        let name = self.name_for(profile);
        if profile.errors_array() {
            let codes = profile.spec.error_codes.clone().unwrap_or_default();
            let code = codes
                .get(name)
                .or_else(|| codes.get("invalid_request"))
                .copied()
                .unwrap_or(1000);
            json!({"data": null, "errors": [{"message": name, "code": code}]})
        } else {
            json!({"error": name, "error_description": self.description})
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn onboardbase_uses_its_numeric_codes() {
        let ob = Profile::load("onboardbase").unwrap();
        let b = OAuthError::expired_code("expired").body(&ob);
        assert_eq!(b["errors"][0]["code"], 1800);
        assert_eq!(b["errors"][0]["message"], "auth_code_expired");
        assert!(b["data"].is_null());
        let b = OAuthError::invalid_grant("bad").body(&ob);
        assert_eq!(b["errors"][0]["code"], 1700);
        let b = OAuthError::invalid_scope("bad").body(&ob);
        assert_eq!(b["errors"][0]["code"], 1400);
    }

    #[test]
    fn others_use_rfc6749() {
        let hub = Profile::load("hub").unwrap();
        let b = OAuthError::expired_code("the code expired").body(&hub);
        assert_eq!(
            b,
            json!({"error": "invalid_grant", "error_description": "the code expired"})
        );
    }
}
