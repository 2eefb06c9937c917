//! HTTP: the request and response types the generated code builds and reads, the transport
//! trait, and the default HTTPS transport.

use std::time::Duration;

use crate::BoxFuture;

/// The default transport could not be set up (no TLS roots, for example).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot build the HTTP client: {0}")]
pub struct SetupError(pub String);

/// An HTTP request as generated serializers build it: the URI holds only path and query; the
/// client adds scheme and host.
pub type Request = http::Request<Vec<u8>>;
/// An HTTP response as generated parsers read it. The body is `Bytes`, so that transports hand
/// it over without copying.
pub type Response = http::Response<bytes::Bytes>;

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

/// Sends one HTTP request. The default is [`ReqwestConnector`]; tests and benchmarks plug in
/// an in-process one.
pub trait HttpConnector: Send + Sync + 'static {
    /// Sends `request` and reads the whole response, within `timeout` when one is given.
    fn send(&self, request: Request, timeout: Option<Duration>) -> BoxFuture<'_, Result<Response, ConnectorError>>;
}

/// HTTPS over reqwest (hyper, with rustls for TLS).
#[derive(Debug, Clone)]
pub struct ReqwestConnector(reqwest::Client);

impl ReqwestConnector {
    /// A connector with the given connect timeout.
    pub fn new(connect_timeout: Duration) -> Result<Self, SetupError> {
        reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .build()
            .map(Self)
            .map_err(|e| SetupError(e.to_string()))
    }
}

impl HttpConnector for ReqwestConnector {
    fn send(&self, request: Request, timeout: Option<Duration>) -> BoxFuture<'_, Result<Response, ConnectorError>> {
        Box::pin(async move {
            let io = |e: reqwest::Error| ConnectorError::Io(Box::new(e));
            let req = reqwest::Request::try_from(request.map(reqwest::Body::from)).map_err(io)?;
            let exchange = async {
                let resp = self.0.execute(req).await.map_err(io)?;
                let mut builder = http::Response::builder().status(resp.status());
                for (k, v) in resp.headers() {
                    builder = builder.header(k, v);
                }
                let body = resp.bytes().await.map_err(io)?;
                builder.body(body).map_err(|e| ConnectorError::Io(Box::new(e)))
            };
            match timeout {
                Some(t) => tokio::time::timeout(t, exchange).await.map_err(|_| ConnectorError::Timeout(t))?,
                None => exchange.await,
            }
        })
    }
}

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
