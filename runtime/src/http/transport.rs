//! The default transport: hyper's pooled HTTP/1.1 client over rustls, with the environment's
//! proxies, and the stall timeouts of streaming exchanges.

use std::future::Future as _;
use std::time::Duration;

use super::connect::{redact, Lease, Pool, ProxyRules};
use super::{ConnectorError, HttpConnector, Request, Response, SetupError, StreamingRequest, StreamingResponse};
use crate::body::{ByteStream, StreamError};
use crate::BoxFuture;

/// HTTPS over hyper: HTTP/1.1 with pooled keep-alive connections, rustls (the `ring` provider)
/// with Mozilla's root certificates (`webpki-roots`) for TLS, and the proxies the environment
/// names (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, upper or lower case), reached with
/// `CONNECT` tunnels. Clones share one pool of connections.
#[derive(Clone)]
pub struct HyperConnector {
    pool: std::sync::Arc<Pool>,
}

impl std::fmt::Debug for HyperConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HyperConnector").finish_non_exhaustive()
    }
}

/// The proxies of [`HyperConnector::with_proxies`], as URLs (`http://user:password@host:port`).
/// `Debug` leaves out any credentials in them.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Proxies {
    /// For `http://` endpoints.
    pub http: Option<String>,
    /// For `https://` endpoints.
    pub https: Option<String>,
    /// Hosts reached directly, as `NO_PROXY` lists them: `example.com,.internal,10.0.0.0/8`.
    pub no_proxy: Option<String>,
}

impl std::fmt::Debug for Proxies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let redact = |u: &Option<String>| u.as_deref().map(redact);
        f.debug_struct("Proxies")
            .field("http", &redact(&self.http))
            .field("https", &redact(&self.https))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

impl HyperConnector {
    /// A connector with the given connect timeout (name lookup, TCP, proxy tunnel and TLS
    /// handshake together) and the proxies the environment names.
    pub fn new(connect_timeout: Duration) -> Result<Self, SetupError> {
        Self::build(connect_timeout, ProxyRules::from_env()?, &[])
    }

    /// A connector with the given connect timeout and proxies, whatever the environment says.
    pub fn with_proxies(connect_timeout: Duration, proxies: Proxies) -> Result<Self, SetupError> {
        Self::build(connect_timeout, ProxyRules::new(proxies)?, &[])
    }

    /// A connector that trusts `roots` (DER-encoded CA certificates) besides Mozilla's: for
    /// endpoints behind a private CA, or a TLS-inspecting proxy. The environment's proxies apply.
    pub fn with_extra_roots(connect_timeout: Duration, roots: &[Vec<u8>]) -> Result<Self, SetupError> {
        Self::build(connect_timeout, ProxyRules::from_env()?, roots)
    }

    fn build(connect_timeout: Duration, proxies: ProxyRules, roots: &[Vec<u8>]) -> Result<Self, SetupError> {
        Ok(Self { pool: std::sync::Arc::new(Pool::new(connect_timeout, proxies, roots)?) })
    }
}

/// A request body for hyper: bytes in memory, or a stream.
pub(super) enum OutBody {
    Full(Option<bytes::Bytes>),
    Stream(Upload),
}

impl http_body::Body for OutBody {
    type Data = bytes::Bytes;
    type Error = StreamError;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<bytes::Bytes>, StreamError>>> {
        match self.get_mut() {
            OutBody::Full(bytes) => std::task::Poll::Ready(bytes.take().map(|b| Ok(http_body::Frame::data(b)))),
            OutBody::Stream(upload) => std::pin::Pin::new(upload).poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, OutBody::Full(None))
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match self {
            OutBody::Full(bytes) => http_body::SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            OutBody::Stream(upload) => upload.size_hint(),
        }
    }
}

/// The whole of a response body.
async fn collect(mut body: hyper::body::Incoming) -> Result<bytes::Bytes, ConnectorError> {
    use http_body::Body as _;
    let mut out = bytes::BytesMut::new();
    while let Some(frame) = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await {
        let frame = frame.map_err(|e| ConnectorError::Io(Box::new(e)))?;
        if let Ok(data) = frame.into_data() {
            out.extend_from_slice(&data);
        }
    }
    Ok(out.freeze())
}

impl HttpConnector for HyperConnector {
    fn send(&self, request: Request, timeout: Option<Duration>) -> BoxFuture<'_, Result<Response, ConnectorError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = if body.is_empty() { OutBody::Full(None) } else { OutBody::Full(Some(body.into())) };
            let exchange = async {
                let (response, lease) = self.pool.send(http::Request::from_parts(parts, body)).await?;
                let (parts, body) = response.into_parts();
                let body = collect(body).await?;
                lease.release();
                Ok(http::Response::from_parts(parts, body))
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
            let progress = Progress::new();
            let (parts, body) = request.into_parts();
            let body = OutBody::Stream(Upload { body, progress: progress.clone() });
            let request = http::Request::from_parts(parts, body);
            let (resp, lease) = match timeout {
                Some(t) => until_stalled(self.pool.send(request), &progress, t).await??,
                None => self.pool.send(request).await?,
            };
            let len = http_body::Body::size_hint(resp.body()).exact();
            let (parts, body) = resp.into_parts();
            let idle = timeout.map(|t| (t, Box::pin(tokio::time::sleep(t))));
            let download = Download { body: Some(body), lease: Some(lease), idle };
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
pub(super) struct Upload {
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
    /// `None` once it has failed.
    body: Option<hyper::body::Incoming>,
    /// The connection, given back to the pool when the body has been read to its end.
    lease: Option<Lease>,
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
            let Some(body) = &mut this.body else { return Poll::Ready(None) };
            match std::pin::Pin::new(body).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    // Trailers carry no data: read on.
                    let Ok(data) = frame.into_data() else { continue };
                    if let Some((limit, sleep)) = &mut this.idle {
                        sleep.as_mut().reset(tokio::time::Instant::now() + *limit);
                    }
                    return Poll::Ready(Some(Ok(data)));
                }
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(StreamError::Source(Box::new(e))))),
                Poll::Ready(None) => {
                    if let Some(lease) = this.lease.take() {
                        lease.release();
                    }
                    return Poll::Ready(None);
                }
                Poll::Pending => {}
            }
            if let Some((limit, sleep)) = &mut this.idle {
                if sleep.as_mut().poll(cx).is_ready() {
                    let limit = *limit;
                    this.idle = None;
                    this.body = None;
                    this.lease = None;
                    return Poll::Ready(Some(Err(StreamError::Stalled(limit))));
                }
            }
            return Poll::Pending;
        }
    }
}
