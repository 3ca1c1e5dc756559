//! The one error type, its documented exit codes and hints.

use std::fmt;

/// What kind of failure, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A bug or an unexpected condition.
    Internal,
    /// The command line was wrong (clap reports its own errors with the same code).
    Usage,
    /// Bad input: a config file, a provider setting, a token or a file given by the user.
    Input,
    /// No usable session: the user must log in.
    LoginRequired,
    /// The authorization server (or API) answered with an error or an unusable answer.
    Server,
    /// The server could not be reached: DNS, refused connection, TLS.
    Network,
    /// Something took too long: an HTTP request, the browser, a lock.
    Timeout,
    /// The token store (keyring or files) failed.
    Storage,
    /// Interrupted by the user (Ctrl-C).
    Interrupted,
}

impl ErrorKind {
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Internal => 1,
            ErrorKind::Usage => 2,
            ErrorKind::Input => 3,
            ErrorKind::LoginRequired => 4,
            ErrorKind::Server => 5,
            ErrorKind::Network => 6,
            ErrorKind::Timeout => 7,
            ErrorKind::Storage => 8,
            ErrorKind::Interrupted => 130,
        }
    }
}

/// The exit code table, as documented in the README and the man pages.
pub const EXIT_CODES: &[(u8, &str)] = &[
    (0, "success"),
    (1, "internal error (a bug: please report it)"),
    (2, "usage error: unknown command, flag or bad flag value"),
    (
        3,
        "bad input: config file, provider settings, a token or file given to oauthctl",
    ),
    (
        4,
        "login required: no session, or it can no longer be refreshed",
    ),
    (
        5,
        "the authorization server or API answered with an error or an unusable answer",
    ),
    (
        6,
        "network or TLS failure: host not found, connection refused, certificate rejected",
    ),
    (
        7,
        "timeout: an HTTP request, the browser redirect or a lock took too long",
    ),
    (8, "storage failure: keyring or token files"),
    (130, "interrupted (Ctrl-C)"),
];

/// An error with its kind, a message saying what went wrong and a hint saying what to do.
#[derive(Debug)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            hint: None,
        }
    }
    pub fn internal(m: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, m)
    }
    pub fn usage(m: impl Into<String>) -> Self {
        Self::new(ErrorKind::Usage, m)
    }
    pub fn input(m: impl Into<String>) -> Self {
        Self::new(ErrorKind::Input, m)
    }
    pub fn login_required(m: impl Into<String>) -> Self {
        Self::new(ErrorKind::LoginRequired, m)
    }
    pub fn server(m: impl Into<String>) -> Self {
        Self::new(ErrorKind::Server, m)
    }
    pub fn network(m: impl Into<String>) -> Self {
        Self::new(ErrorKind::Network, m)
    }
    pub fn timeout(m: impl Into<String>) -> Self {
        Self::new(ErrorKind::Timeout, m)
    }
    pub fn storage(m: impl Into<String>) -> Self {
        Self::new(ErrorKind::Storage, m)
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    pub fn exit_code(&self) -> u8 {
        self.kind.exit_code()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The last resort for an I/O error with no better context: it keeps the OS's words.
/// Where the file is known, say which (`cannot write {path}: {e}`) instead.
impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::internal(format!("I/O error: {e}"))
    }
}
