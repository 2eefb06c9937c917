//! HTTP: the request and response types the generated code builds and reads, the transport
//! trait, and the default HTTPS transport.

use std::future::Future as _;
use std::time::Duration;

use crate::body::{ByteStream, StreamError};
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

/// Sends one HTTP request. The default is [`ReqwestConnector`]; tests and benchmarks plug in
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

    fn send_streaming(
        &self,
        request: StreamingRequest,
        timeout: Option<Duration>,
    ) -> BoxFuture<'_, Result<StreamingResponse, ConnectorError>> {
        Box::pin(async move {
            let io = |e: reqwest::Error| ConnectorError::Io(Box::new(e));
            let progress = Progress::new();
            let (parts, body) = request.into_parts();
            let body = reqwest::Body::wrap(Upload { body, progress: progress.clone() });
            let req = reqwest::Request::try_from(http::Request::from_parts(parts, body)).map_err(io)?;
            let resp = match timeout {
                Some(t) => until_stalled(self.0.execute(req), &progress, t).await?.map_err(io)?,
                None => self.0.execute(req).await.map_err(io)?,
            };
            let len = resp.content_length();
            let resp = http::Response::<reqwest::Body>::from(resp);
            let (parts, body) = resp.into_parts();
            let download = Download { body, idle: timeout.map(|t| (t, Box::pin(tokio::time::sleep(t)))) };
            Ok(http::Response::from_parts(parts, ByteStream::from_chunks(download, len)))
        })
    }
}

/// When a streaming exchange last moved, shared by its request body and its watchdog.
#[derive(Clone)]
struct Progress(std::sync::Arc<Moved>);

struct Moved {
    started: std::time::Instant,
    /// Milliseconds from `started` to the last movement.
    last_millis: std::sync::atomic::AtomicU64,
}

impl Progress {
    fn new() -> Self {
        let moved = Moved { started: std::time::Instant::now(), last_millis: std::sync::atomic::AtomicU64::new(0) };
        Progress(std::sync::Arc::new(moved))
    }

    fn record(&self) {
        let millis = self.0.started.elapsed().as_millis() as u64;
        self.0.last_millis.store(millis, std::sync::atomic::Ordering::Relaxed);
    }

    fn last(&self) -> tokio::time::Instant {
        let millis = self.0.last_millis.load(std::sync::atomic::Ordering::Relaxed);
        tokio::time::Instant::from_std(self.0.started + Duration::from_millis(millis))
    }
}

/// `exchange`, failed with a timeout only when `progress` did not move for `limit`.
async fn until_stalled<T>(
    exchange: impl std::future::Future<Output = T>,
    progress: &Progress,
    limit: Duration,
) -> Result<T, ConnectorError> {
    let mut exchange = std::pin::pin!(exchange);
    let mut deadline = std::pin::pin!(tokio::time::sleep(limit));
    std::future::poll_fn(|cx| {
        if let std::task::Poll::Ready(out) = exchange.as_mut().poll(cx) {
            return std::task::Poll::Ready(Ok(out));
        }
        while deadline.as_mut().poll(cx).is_ready() {
            let next = progress.last() + limit;
            if next <= tokio::time::Instant::now() {
                return std::task::Poll::Ready(Err(ConnectorError::Timeout(limit)));
            }
            deadline.as_mut().reset(next);
        }
        std::task::Poll::Pending
    })
    .await
}

/// A request body for hyper, recording each time it is asked for data as progress.
struct Upload {
    body: ByteStream,
    progress: Progress,
}

impl http_body::Body for Upload {
    type Data = bytes::Bytes;
    type Error = StreamError;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<bytes::Bytes>, StreamError>>> {
        use futures_core::Stream as _;
        let this = self.get_mut();
        // Hyper asks for more when the connection took what it had, and the body's source wakes
        // it when it has more: either is the exchange moving. (A source gathered into larger
        // chunks, as aws-chunked does, moves without yielding each time.)
        this.progress.record();
        std::pin::Pin::new(&mut this.body).poll_next(cx).map(|item| item.map(|r| r.map(http_body::Frame::data)))
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match self.body.len() {
            Some(n) => http_body::SizeHint::with_exact(n),
            None => http_body::SizeHint::default(),
        }
    }
}

/// A response body from hyper that fails when no bytes arrive for the idle limit.
struct Download {
    body: reqwest::Body,
    idle: Option<(Duration, std::pin::Pin<Box<tokio::time::Sleep>>)>,
}

impl futures_core::Stream for Download {
    type Item = Result<bytes::Bytes, StreamError>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use http_body::Body as _;
        use std::task::Poll;
        let this = self.get_mut();
        loop {
            match std::pin::Pin::new(&mut this.body).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    // Trailers carry no data: read on.
                    let Ok(data) = frame.into_data() else { continue };
                    if let Some((limit, sleep)) = &mut this.idle {
                        sleep.as_mut().reset(tokio::time::Instant::now() + *limit);
                    }
                    return Poll::Ready(Some(Ok(data)));
                }
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(StreamError::Source(Box::new(e))))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => {}
            }
            if let Some((limit, sleep)) = &mut this.idle {
                if sleep.as_mut().poll(cx).is_ready() {
                    let limit = *limit;
                    this.idle = None;
                    this.body = reqwest::Body::from(bytes::Bytes::new());
                    return Poll::Ready(Some(Err(StreamError::Stalled(limit))));
                }
            }
            return Poll::Pending;
        }
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
