//! The error type of every generated operation.

use std::fmt;
use std::time::Duration;

/// What can go wrong when calling an operation. `E` is the operation's own error enum, with
/// one variant per error the model declares.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The service answered with an error the model declares for this operation.
    Service(E),
    /// The service answered with an error the model does not declare for this operation.
    Unhandled(UnhandledError),
    /// The input failed client-side validation (`@required`, `@length`, `@range`, `@pattern`);
    /// nothing was sent.
    Validation(ValidationErrors),
    /// No credentials were found, or the ones found cannot be used.
    Credentials(crate::credentials::CredentialsError),
    /// The input cannot be put into an HTTP request (for example an empty path label).
    Serialization(crate::protocol::SerializeError),
    /// The request could not be signed.
    Signing(crate::sigv4::SigningError),
    /// The request could not be sent, or the connection failed while waiting for the answer.
    Transport(Box<dyn std::error::Error + Send + Sync>),
    /// No complete answer within the configured time.
    Timeout(Duration),
    /// The service answered, but the answer does not parse as the model says it should.
    Response(ResponseError),
    /// The operation is not implemented by this implementation of the client trait (a test
    /// double that implements only some operations).
    NotImplemented {
        /// The operation's name in the model.
        operation: &'static str,
    },
}

impl<E: ModeledErrorEnum> Error<E> {
    /// True when trying the same call again may succeed: throttling, server-side and transport
    /// errors, timeouts, and modeled errors marked `@retryable`.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Service(e) => e.is_retryable(),
            Error::Unhandled(u) => u.is_retryable(),
            Error::Transport(_) | Error::Timeout(_) => true,
            _ => false,
        }
    }

    /// The error code the service sent, for service errors.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Service(e) => Some(e.code()),
            Error::Unhandled(u) => u.code.as_deref(),
            _ => None,
        }
    }

    /// The modeled error, if this is one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            Error::Service(e) => Some(e),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Service(e) => write!(f, "service error: {e}"),
            Error::Unhandled(u) => write!(f, "{u}"),
            Error::Validation(v) => write!(f, "{v}"),
            Error::Credentials(m) => write!(f, "credentials error: {m}"),
            Error::Serialization(m) => write!(f, "cannot serialize the request: {m}"),
            Error::Signing(m) => write!(f, "signing error: {m}"),
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Timeout(d) => write!(f, "timed out after {d:?}"),
            Error::Response(e) => write!(f, "{e}"),
            Error::NotImplemented { operation } => write!(f, "operation {operation} is not implemented by this client"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Service(e) => Some(e),
            Error::Transport(e) => Some(e.as_ref()),
            Error::Validation(v) => Some(v),
            Error::Response(r) => Some(r),
            Error::Credentials(e) => Some(e),
            Error::Serialization(e) => Some(e),
            Error::Signing(e) => Some(e),
            _ => None,
        }
    }
}

/// What the generated per-operation error enums have in common.
pub trait ModeledErrorEnum: std::error::Error + Send + Sync + 'static {
    /// The error code on the wire.
    fn code(&self) -> &'static str;
    /// True when the model marks the error `@retryable`.
    fn is_retryable(&self) -> bool;
}

/// What generated error structures have in common.
pub trait ModeledError: std::error::Error {
    /// The error code on the wire (the shape name).
    const CODE: &'static str;
    /// True for `@error("server")`.
    const SERVER_FAULT: bool;
    /// True when the model marks the error `@retryable`.
    const RETRYABLE: bool;
    /// True when the model marks the error `@retryable(throttling: true)`.
    const THROTTLING: bool;
    /// The `@httpError` status code, if the model sets one.
    const HTTP_STATUS: Option<u16>;
    /// The error's message, if it has one.
    fn message(&self) -> Option<&str>;
}

/// Whether a modeled error is worth retrying: `@retryable`, a throttling code, or an HTTP status
/// of 500, 502, 503 or 504 (a server fault without a status counts as 500).
pub fn modeled_is_retryable<E: ModeledError>() -> bool {
    let status = E::HTTP_STATUS.or(if E::SERVER_FAULT { Some(500) } else { None });
    E::RETRYABLE
        || E::THROTTLING
        || THROTTLING_CODES.contains(&E::CODE)
        || matches!(status, Some(500 | 502 | 503 | 504))
}

/// An error response the model does not declare for the operation. Keeps everything the
/// service sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnhandledError {
    /// The HTTP status code.
    pub status: u16,
    /// The error code (namespace and `:uri` suffix removed), if one was found.
    pub code: Option<String>,
    /// The error message, if one was found.
    pub message: Option<String>,
    /// The raw response body.
    pub body: Vec<u8>,
}

const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

impl UnhandledError {
    /// True for throttling codes, HTTP 429, and 500, 502, 503 and 504.
    pub fn is_retryable(&self) -> bool {
        self.is_throttling() || matches!(self.status, 500 | 502 | 503 | 504)
    }

    /// True for the throttling codes the AWS SDKs retry, and HTTP 429.
    pub fn is_throttling(&self) -> bool {
        self.status == 429 || self.code.as_deref().is_some_and(|c| THROTTLING_CODES.contains(&c))
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unhandled service error (HTTP {})", self.status)?;
        if let Some(c) = &self.code {
            write!(f, " {c}")?;
        }
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnhandledError {}

/// A response that does not parse as the model says it should.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseError {
    /// The HTTP status code.
    pub status: u16,
    /// What is wrong, and where (line and column for JSON bodies, the header name for headers).
    pub message: String,
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed response (HTTP {}): {}", self.status, self.message)
    }
}

impl std::error::Error for ResponseError {}

/// One failed constraint: the member's path in the input and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The member path, e.g. `tasks[0].sourceFields`.
    pub path: String,
    /// What the constraint requires.
    pub message: String,
}

/// Every constraint the input fails, in member order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidationErrors(pub Vec<ValidationError>);

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid input:")?;
        for (i, e) in self.0.iter().enumerate() {
            let sep = if i == 0 { " " } else { "; " };
            write!(f, "{sep}{}: {}", e.path, e.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}
