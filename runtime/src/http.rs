//! HTTP: the request and response types the generated code builds and reads, the transport
//! trait, and the default HTTPS transport.

use std::time::Duration;

use crate::body::ByteStream;
use crate::BoxFuture;

/// The default transport could not be set up (no TLS roots, for example).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupError(pub String);

impl std::fmt::Display for SetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Self(e) = self;
        write!(f, "cannot build the HTTP client: {e}")
    }
}

impl std::error::Error for SetupError {}

/// An HTTP request as generated serializers build it: the URI holds only path and query; the
/// client adds scheme and host.
pub type Request = http::Request<Vec<u8>>;
/// An HTTP response as generated parsers read it. The body is `Bytes`, so that transports hand
/// it over without copying.
pub type Response = http::Response<bytes::Bytes>;

/// A request whose body streams ([`HttpConnector::send_streaming`]).
pub type StreamingRequest = http::Request<ByteStream>;
/// A response whose body streams: handed over when its head has arrived.
pub type StreamingResponse = http::Response<ByteStream>;

/// A transport failure of one attempt.
#[derive(Debug)]
pub enum ConnectorError {
    /// No complete response within the attempt timeout.
    Timeout(Duration),
    /// Connecting, sending or receiving failed.
    Io(Box<dyn std::error::Error + Send + Sync>),
}

impl std::fmt::Display for ConnectorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConnectorError::Timeout(t) => write!(f, "no complete response within {t:?}"),
            ConnectorError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ConnectorError {}

/// Sends one HTTP request. The default is [`HyperConnector`]; tests and benchmarks plug in
/// an in-process one.
pub trait HttpConnector: Send + Sync + 'static {
    /// Sends `request` and reads the whole response, within `timeout` when one is given.
    fn send(&self, request: Request, timeout: Option<Duration>) -> BoxFuture<'_, Result<Response, ConnectorError>>;

    /// Sends `request`, its body read as it goes out, and returns the response as soon as its
    /// head has arrived, its body a stream. `timeout` bounds a stall, not the transfer: the
    /// attempt fails when no request bytes went out and no response arrived for that long, and
    /// the body fails when no bytes arrive for that long.
    ///
    /// The default collects the request body and calls [`Self::send`]: right for test doubles,
    /// which hold whole bodies anyway.
    fn send_streaming(
        &self,
        request: StreamingRequest,
        timeout: Option<Duration>,
    ) -> BoxFuture<'_, Result<StreamingResponse, ConnectorError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = body.collect().await.map_err(|e| ConnectorError::Io(Box::new(e)))?;
            let response = self.send(http::Request::from_parts(parts, Vec::from(body)), timeout).await?;
            Ok(response.map(ByteStream::new))
        })
    }
}
#[cfg(feature = "client")]
mod connect;
#[cfg(feature = "client")]
mod transport;
#[cfg(feature = "client")]
pub use transport::{HyperConnector, Proxies};

#[cfg(feature = "test-util")]
pub use test_util::StaticConnector;

#[cfg(feature = "test-util")]
mod test_util {
    use std::sync::Arc;
    use std::time::Duration;

    use super::{ConnectorError, HttpConnector, Request, Response};
    use crate::BoxFuture;

    /// An in-process transport that answers every request with one canned response and keeps the
    /// last request it was sent: for tests and benchmarks, no network involved.
    #[derive(Debug)]
    pub struct StaticConnector {
        response: Response,
        last: std::sync::Mutex<Option<Request>>,
    }

    impl StaticConnector {
        /// Answers with `status` and `body` (as JSON).
        pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
            let response = http::Response::builder()
                .status(status)
                .header("content-type", "application/json")
                .body(bytes::Bytes::from(body.into()))
                .expect("a valid status");
            Self { response, last: std::sync::Mutex::new(None) }
        }

        /// The last request sent, signed.
        pub fn last_request(&self) -> Option<Request> {
            self.last.lock().expect("not poisoned").clone()
        }
    }

    impl HttpConnector for Arc<StaticConnector> {
        fn send(
            &self,
            request: Request,
            _timeout: Option<Duration>,
        ) -> BoxFuture<'_, Result<Response, ConnectorError>> {
            *self.last.lock().expect("not poisoned") = Some(request);
            let response = self.response.clone();
            Box::pin(async move { Ok(response) })
        }
    }
}
