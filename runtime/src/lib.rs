//! Hand-written support for the crates that `cargo xtask codegen` generates.
//!
//! Everything here is independent of any one model. One module per concern:
//!
//! | module | what |
//! |---|---|
//! | [`client`] | the client every generated `Client` wraps: configuration and the call loop |
//! | [`config`] | client settings from the environment and the shared config files |
//! | [`credentials`] | AWS credentials |
//! | [`sigv4`] | Signature Version 4 |
//! | [`hash`] | SHA-256 and HMAC-SHA-256 (ring's with the client) |
//! | [`time`] | [`DateTime`], the timestamp type, and its text forms |
//! | [`endpoint`] | the endpoint of a region, endpoint URLs, host prefixes |
//! | [`retry`] | retry settings and backoff |
//! | [`body`] | streaming bodies ([`body::ByteStream`]) |
//! | [`http`] | request and response types, the transport trait and the default HTTPS transport |
//! | [`profile`] | the shared config and credentials files |
//! | [`protocol`] | wire helpers generated serializers and parsers call: [`protocol::rest`], [`protocol::json`] |
//! | [`validate`] | client-side checks of `@length`, `@range`, `@pattern` and `@required` |
//! | [`Error`] and friends | what a call returns when it fails |

#![warn(missing_docs)]

pub mod body;
#[cfg(feature = "client")]
pub mod chain;
pub mod checksum;
#[cfg(feature = "client")]
pub mod client;
pub mod config;
pub mod credentials;
pub mod document;
pub mod endpoint;
pub mod hash;
pub mod http;
pub mod paginate;
pub mod profile;
#[cfg(feature = "client")]
pub mod profile_chain;
pub mod protocol;
pub mod retry;
pub mod sigv4;
pub mod time;
#[cfg(feature = "client")]
mod trace;
pub mod validate;
#[cfg(feature = "client")]
pub mod waiter;

mod build;
mod error;
mod numbers;

/// The `bytes` crate, whose `Bytes` response bodies are.
pub use bytes;

pub use build::BuildError;
#[cfg(feature = "client")]
pub use client::{ClientBuilder, ConfigError};
pub use credentials::Credentials;
pub use document::Document;
pub use error::{modeled_is_retryable, Error, ModeledError, ModeledErrorEnum};
pub use numbers::{BigDecimal, BigInteger};
pub use protocol::{ResponseError, UnhandledError};
pub use retry::{RetryConfig, RetryMode};
pub use time::DateTime;
pub use validate::{ValidationError, ValidationErrors};

/// The future returned by client trait methods: boxed so that the trait can be used as `dyn`.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// What every generated operation descriptor says about its operation.
pub trait Operation {
    /// The operation's input structure.
    type Input;
    /// The operation's output structure.
    type Output;
    /// The enum of errors the model declares for the operation.
    type Error;
    /// The operation's name in the model.
    const NAME: &'static str;
    /// How the protocol finds the error code and message of an error response.
    const ERROR_INFO: fn(&http::Response) -> protocol::ErrorInfo;
    /// Sent without a signature (`@auth([])` or `@optionalAuth` in the model), so it needs no
    /// credentials.
    const UNSIGNED: bool = false;

    /// Fills every empty `@idempotencyToken` member of `input` with `next()`. Clients call it
    /// once per call, before the first attempt, so that retries reuse the same token.
    /// The default does nothing: most operations have no such member.
    fn fill_idempotency_tokens(input: &mut Self::Input, next: &mut dyn FnMut() -> String) {
        let _ = (input, next);
    }

    /// The text to put in front of the endpoint's host (`@endpoint(hostPrefix)`), with its
    /// labels filled from the input; `None` for most operations.
    fn host_prefix(input: &Self::Input) -> Result<Option<String>, protocol::SerializeError> {
        let _ = input;
        Ok(None)
    }

    /// A URL from the input that replaces the resolved endpoint (Machine Learning's `Predict`
    /// names its endpoint in `PredictEndpoint`); `None` for every other operation.
    fn endpoint_url(input: &Self::Input) -> Option<&str> {
        let _ = input;
        None
    }

    /// Takes the input's streaming body (`@streaming` payload) out when it is a file or a
    /// stream, to be sent as it is read; `None` for operations without one, and for a body in
    /// memory, which the serializer writes like any payload.
    fn take_request_stream(input: &mut Self::Input) -> Option<body::ByteStream> {
        let _ = input;
        None
    }

    /// The input's streaming body must have a known length (`@requiresLength`): a stream
    /// without one is refused before anything is sent.
    const STREAM_REQUIRES_LENGTH: bool = false;

    /// The output's payload streams: the client hands the response over when its head has
    /// arrived, its body unread ([`Self::set_response_stream`]).
    const STREAMING_OUTPUT: bool = false;

    /// Puts a response's streaming body into the output read from its head.
    fn set_response_stream(output: &mut Self::Output, body: body::ByteStream) {
        let _ = (output, body);
    }

    /// The request checksum the input asks for (`aws.protocols#httpChecksum`); `None` for an
    /// operation without one.
    fn request_checksum(input: &Self::Input) -> Option<checksum::RequestChecksum> {
        let _ = input;
        None
    }

    /// The algorithms a response of the operation may carry a checksum in (`responseAlgorithms`).
    const RESPONSE_CHECKSUMS: &'static [&'static str] = &[];

    /// Whether the response's checksum is to be checked: the input's validation mode member
    /// (`ChecksumMode`), which `when_supported` turns on when the caller left it unset.
    fn response_checksum_enabled(input: &mut Self::Input, when_supported: bool) -> bool {
        let _ = (input, when_supported);
        false
    }

    /// The endpoint rules parameters the operation sets (its static ones, and input members
    /// marked `@contextParam`); the client resolves the endpoint with them. Most operations
    /// set none.
    fn endpoint_params(input: &Self::Input) -> Vec<(&'static str, endpoint::rules::Value)> {
        let _ = input;
        Vec::new()
    }

    /// The HTTP request for `input` (path and query only; the client adds the endpoint).
    fn serialize_request(input: &Self::Input) -> Result<http::Request, protocol::SerializeError>;

    /// The output, read from a successful response.
    fn read_output(response: &http::Response) -> Result<Self::Output, ResponseError>;

    /// The modeled error whose code is `code`, read from an error response; `None` when the
    /// operation declares no error with that code. The default is for operations that declare
    /// no errors.
    fn read_error(code: &str, response: &http::Response) -> Option<Result<Self::Error, ResponseError>> {
        let _ = (code, response);
        None
    }

    /// The output, or the operation's error, read from an HTTP response: [`Self::read_output`]
    /// for a success status, else the error the response's code names ([`Self::read_error`]),
    /// or an unhandled error for a code the operation does not declare.
    fn parse_response(response: &http::Response) -> Result<Self::Output, Error<Self::Error>> {
        // Written without closures or `?`: this is compiled once per operation, and what does
        // not depend on the operation is in `protocol::unhandled`.
        if response.status().is_success() {
            return match Self::read_output(response) {
                Ok(output) => Ok(output),
                Err(e) => Err(Error::Response(e)),
            };
        }
        let info = (Self::ERROR_INFO)(response);
        let modeled = match info.code.as_deref() {
            Some(code) => Self::read_error(code, response),
            None => None,
        };
        Err(match modeled {
            Some(Ok(e)) => Error::Service(e),
            Some(Err(e)) => Error::Response(e),
            None => Error::Unhandled(protocol::unhandled(response, info)),
        })
    }
}

#[doc(hidden)]
pub mod __private {
    //! Items generated code names; not part of the public API.
    #[cfg(feature = "regex")]
    pub use regex_lite;
}

/// `?` for the generated readers: the same early return, written out where it is used rather
/// than through `Try::branch` and `FromResidual`, which `?` would compile once per type read.
#[doc(hidden)]
#[macro_export]
macro_rules! try_read {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return Err(e),
        }
    };
}
