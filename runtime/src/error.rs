//! The error type of every generated operation.

use std::time::Duration;

/// What can go wrong when calling an operation. `E` is the operation's own error enum, with
/// one variant per error the model declares.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The service answered with an error the model declares for this operation.
    Service(E),
    /// The service answered with an error the model does not declare for this operation.
    Unhandled(crate::protocol::UnhandledError),
    /// The input failed client-side validation (`@required`, `@length`, `@range`, `@pattern`);
    /// nothing was sent.
    Validation(crate::validate::ValidationErrors),
    /// No credentials were found, or the ones found cannot be used.
    Credentials(crate::credentials::CredentialsError),
    /// The endpoint rules give no endpoint for this call's parameters.
    Endpoint(crate::endpoint::EndpointError),
    /// The input cannot be put into an HTTP request (for example an empty path label).
    Serialization(crate::protocol::SerializeError),
    /// The request could not be signed.
    Signing(crate::sigv4::SigningError),
    /// The request could not be sent, or the connection failed while waiting for the answer.
    Transport(Box<dyn std::error::Error + Send + Sync>),
    /// No complete answer within the configured time.
    Timeout(Duration),
    /// The service answered, but the answer does not parse as the model says it should.
    Response(crate::protocol::ResponseError),
    /// The operation is not implemented by this implementation of the client trait (a test
    /// double that implements only some operations).
    NotImplemented {
        /// The operation's name in the model.
        operation: &'static str,
    },
    /// A paginator stopped: the service answered with the pagination token it was sent, so
    /// asking again would loop forever.
    RepeatedToken {
        /// The operation's name in the model.
        operation: &'static str,
    },
}

impl<E: std::fmt::Display> std::fmt::Display for Error<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Service(e) => write!(f, "service error: {e}"),
            Error::Unhandled(e) => write!(f, "{e}"),
            Error::Validation(e) => write!(f, "{e}"),
            Error::Credentials(e) => write!(f, "credentials error: {e}"),
            Error::Endpoint(e) => write!(f, "endpoint: {e}"),
            Error::Serialization(e) => write!(f, "cannot serialize the request: {e}"),
            Error::Signing(e) => write!(f, "signing error: {e}"),
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Timeout(t) => write!(f, "timed out after {t:?}"),
            Error::Response(e) => write!(f, "{e}"),
            Error::NotImplemented { operation } => write!(f, "operation {operation} is not implemented by this client"),
            Error::RepeatedToken { operation } => {
                write!(f, "{operation}: the service returned the same pagination token it was sent; stopping")
            }
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Service(e) => Some(e),
            Error::Validation(e) => Some(e),
            Error::Credentials(e) => Some(e),
            Error::Endpoint(e) => Some(e),
            Error::Serialization(e) => Some(e),
            Error::Signing(e) => Some(e),
            Error::Transport(e) => Some(&**e),
            Error::Response(e) => Some(e),
            Error::Unhandled(_) | Error::Timeout(_) | Error::NotImplemented { .. } | Error::RepeatedToken { .. } => {
                None
            }
        }
    }
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

    /// True when the service said to slow down: a throttling error code or HTTP 429.
    pub fn is_throttling(&self) -> bool {
        match self {
            Error::Service(e) => crate::retry::THROTTLING_CODES.contains(&e.code()),
            Error::Unhandled(u) => u.is_throttling(),
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

#[cfg(feature = "client")]
impl Error<std::convert::Infallible> {
    /// The same error as any operation's: one that cannot be a modeled error fits them all.
    pub(crate) fn widen<E>(self) -> Error<E> {
        match self {
            Error::Service(never) => match never {},
            Error::Unhandled(e) => Error::Unhandled(e),
            Error::Validation(e) => Error::Validation(e),
            Error::Credentials(e) => Error::Credentials(e),
            Error::Endpoint(e) => Error::Endpoint(e),
            Error::Serialization(e) => Error::Serialization(e),
            Error::Signing(e) => Error::Signing(e),
            Error::Transport(e) => Error::Transport(e),
            Error::Timeout(t) => Error::Timeout(t),
            Error::Response(e) => Error::Response(e),
            Error::NotImplemented { operation } => Error::NotImplemented { operation },
            Error::RepeatedToken { operation } => Error::RepeatedToken { operation },
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
        || crate::retry::THROTTLING_CODES.contains(&E::CODE)
        || matches!(status, Some(500 | 502 | 503 | 504))
}
