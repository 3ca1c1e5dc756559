//! The closed sets of values a provider setting may take, as enums.
//!
//! Each is written and read as the exact string used in presets.toml, config files and
//! the docs (`client_secret_basic`, `query`, …). An unknown value is refused with a
//! message that names the setting and every allowed value.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The value given is not one of the allowed ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    /// The setting, e.g. `pkce`.
    pub field: &'static str,
    pub value: String,
    pub allowed: &'static [&'static str],
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} = \"{}\" is not one of: {}",
            self.field,
            self.value,
            self.allowed.join(", ")
        )
    }
}

impl std::error::Error for UnknownValue {}

/// An enum of settings strings: `as_str`, `Display`, `FromStr`, and serde as the string.
macro_rules! choice {
    (
        $(#[$meta:meta])*
        pub enum $name:ident for $field:literal {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// The setting these values are for.
            pub const FIELD: &'static str = $field;
            /// Every allowed value, as written.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, UnknownValue> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownValue {
                        field: $field,
                        value: s.to_string(),
                        allowed: Self::NAMES,
                    }),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

choice! {
    /// How the authorization response comes back (OAuth 2.0 Multiple Response Type
    /// Encoding Practices, Form Post Response Mode, and JARM: the `*.jwt` modes wrap
    /// the response in a JWT signed by the server; `jwt` is the server's default for the
    /// response type, `query.jwt` for a code).
    pub enum ResponseMode for "response_mode" {
        Query = "query",
        FormPost = "form_post",
        Jwt = "jwt",
        QueryJwt = "query.jwt",
        FormPostJwt = "form_post.jwt",
    }
}

impl ResponseMode {
    /// Whether the response is a JWT (JARM) that must be verified before it is used.
    pub fn is_jwt(self) -> bool {
        self.as_str().ends_with("jwt")
    }
}

choice! {
    /// How the client authenticates at the token endpoint (RFC 7591
    /// `token_endpoint_auth_method`; `client_secret_query` puts the credentials in the
    /// query string; `client_secret_jwt` signs an assertion with the secret).
    pub enum ClientAuth for "token_endpoint_auth_method" {
        None = "none",
        ClientSecretBasic = "client_secret_basic",
        ClientSecretPost = "client_secret_post",
        ClientSecretQuery = "client_secret_query",
        /// RFC 7523 §2.2: a JWT signed with HS256 over the client secret.
        ClientSecretJwt = "client_secret_jwt",
        PrivateKeyJwt = "private_key_jwt",
        /// RFC 8705 §2.1: a certificate from a CA, its subject registered with the server.
        TlsClientAuth = "tls_client_auth",
        /// RFC 8705 §2.2: a self-signed certificate registered with the server.
        SelfSignedTlsClientAuth = "self_signed_tls_client_auth",
    }
}

impl ClientAuth {
    /// Whether the client authenticates with its TLS certificate (RFC 8705).
    pub fn uses_certificate(self) -> bool {
        matches!(
            self,
            ClientAuth::TlsClientAuth | ClientAuth::SelfSignedTlsClientAuth
        )
    }

    /// Whether the method sends a client secret.
    pub fn uses_secret(self) -> bool {
        matches!(
            self,
            ClientAuth::ClientSecretBasic
                | ClientAuth::ClientSecretPost
                | ClientAuth::ClientSecretQuery
                | ClientAuth::ClientSecretJwt
        )
    }
}

choice! {
    /// Whether PKCE S256 is sent: `supported` and `required` send it, `unsupported` not.
    pub enum Pkce for "pkce" {
        Required = "required",
        Supported = "supported",
        Unsupported = "unsupported",
    }
}

choice! {
    /// Where token request parameters go: a form body (the default) or the query string.
    pub enum ParamsIn for "token_request_params" {
        Body = "body",
        Query = "query",
    }
}

choice! {
    /// How `expires_in` counts: seconds from now (RFC 6749) or a Unix time (Onboardbase).
    pub enum ExpiresIn for "expires_in_format" {
        Relative = "relative",
        Absolute = "absolute",
    }
}

choice! {
    /// The shape of error responses: RFC 6749's `{error, error_description}` or
    /// `{data: null, errors: [{message, code}]}` (Onboardbase).
    pub enum ErrorShape for "error_format" {
        Rfc6749 = "rfc6749",
        ErrorsArray = "errors_array",
    }
}

choice! {
    /// How "who am I" is asked: a GET with the bearer token, or a form POST of
    /// client_id, client_secret and access_token (Worksection).
    pub enum UserinfoRequest for "userinfo_request" {
        BearerGet = "bearer_get",
        FormPost = "form_post",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_parses_and_prints_as_written() {
        for name in ClientAuth::NAMES {
            let m: ClientAuth = name.parse().unwrap();
            assert_eq!(m.as_str(), *name);
            assert_eq!(m.to_string(), *name);
        }
        assert_eq!("query".parse::<ParamsIn>(), Ok(ParamsIn::Query));
        assert_eq!("body".parse::<ParamsIn>(), Ok(ParamsIn::Body));
        assert_eq!("required".parse::<Pkce>(), Ok(Pkce::Required));
        assert_eq!("unsupported".parse::<Pkce>(), Ok(Pkce::Unsupported));
        assert_eq!("absolute".parse::<ExpiresIn>(), Ok(ExpiresIn::Absolute));
        assert_eq!("errors_array".parse(), Ok(ErrorShape::ErrorsArray));
        assert_eq!("form_post".parse(), Ok(UserinfoRequest::FormPost));
    }

    #[test]
    fn an_unknown_value_names_the_setting_and_the_allowed_values() {
        let e = "magic_link".parse::<ClientAuth>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "token_endpoint_auth_method = \"magic_link\" is not one of: none, client_secret_basic, client_secret_post, client_secret_query, client_secret_jwt, private_key_jwt, tls_client_auth, self_signed_tls_client_auth"
        );
        let e = "maybe".parse::<Pkce>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "pkce = \"maybe\" is not one of: required, supported, unsupported"
        );
        // Case matters: the values are written exactly.
        assert!("Query".parse::<ParamsIn>().is_err());
    }

    #[test]
    fn serde_reads_and_writes_the_strings() {
        #[derive(Debug, Deserialize, Serialize)]
        struct T {
            m: ClientAuth,
        }
        let t: T = toml::from_str("m = \"client_secret_post\"").unwrap();
        assert_eq!(t.m, ClientAuth::ClientSecretPost);
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"m":"client_secret_post"}"#
        );
        let e = toml::from_str::<T>("m = \"magic\"").unwrap_err();
        assert!(
            e.message()
                .contains("token_endpoint_auth_method = \"magic\" is not one of: none,"),
            "{e}"
        );
    }
}
