//! Connections of the default transport: DNS, TCP (IPv6 and IPv4 raced as RFC 8305 has it),
//! `CONNECT` tunnels through the environment's proxies, TLS with rustls, and a pool of idle
//! HTTP/1.1 connections per origin, over hyper's connection-level client.
//!
//! hyper-util's pooled client did this before; doing it here, in the few hundred lines this
//! client needs, takes hyper-util, hyper-rustls, futures-util, tracing and ipnet out of every
//! build (the full AppFlow crate's cold debug build: 44.0 s of CPU before, 36.6 s after, in one
//! `cargo build --timings` measurement each; see `BENCHMARKS.md`).

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper::client::conn::http1::SendRequest;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use super::transport::OutBody;
use super::{ConnectorError, Proxies, SetupError};

/// How long an idle connection is kept for reuse (hyper-util's default too).
const IDLE_FOR: Duration = Duration::from_secs(90);
/// How long the first address family gets before the other is tried beside it (RFC 8305).
const FALLBACK_AFTER: Duration = Duration::from_millis(300);
/// The largest proxy answer to a `CONNECT` that is read.
const MAX_CONNECT_RESPONSE: usize = 8 * 1024;

/// Where connections go: scheme, host and port.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Origin {
    https: bool,
    host: String,
    port: u16,
}

impl Origin {
    fn of(uri: &http::Uri) -> Result<Self, ConnectorError> {
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            other => {
                return Err(failed(format!("cannot send to {uri}: the scheme {other:?} is neither http nor https")))
            }
        };
        let Some(host) = uri.host().filter(|h| !h.is_empty()) else {
            return Err(failed(format!("cannot send to {uri}: it names no host")));
        };
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        Ok(Origin { https, host: host.to_string(), port })
    }

    /// The host without the brackets of an IPv6 literal.
    fn bare_host(&self) -> &str {
        unbracketed(&self.host)
    }
}

/// `host` without the brackets of an IPv6 literal (`[::1]` is `::1`).
fn unbracketed(host: &str) -> &str {
    host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host)
}

fn failed(message: String) -> ConnectorError {
    ConnectorError::Io(message.into())
}

fn io_failed(context: String, e: io::Error) -> ConnectorError {
    ConnectorError::Io(Box::new(io::Error::new(e.kind(), format!("{context}: {e}"))))
}

/// A pooled connection's sender, checked out for one exchange.
struct Idle {
    sender: SendRequest<OutBody>,
    since: Instant,
}

impl Idle {
    /// Still open, and not idle for too long to trust.
    fn usable(&self, now: Instant) -> bool {
        !self.sender.is_closed() && now.duration_since(self.since) < IDLE_FOR
    }
}

/// Opens connections and keeps the idle ones.
pub(super) struct Pool {
    tls: tokio_rustls::TlsConnector,
    connect_timeout: Duration,
    proxies: ProxyRules,
    idle: Mutex<HashMap<Origin, Vec<Idle>>>,
}

/// A connection in use by one exchange: given back with [`Lease::release`] once its response
/// has been read to the end, or dropped (and with it the connection) when it has not.
pub(super) struct Lease {
    pool: Arc<Pool>,
    origin: Origin,
    sender: SendRequest<OutBody>,
}

impl Lease {
    /// Back into the pool: the response was read to its end.
    pub(super) fn release(self) {
        let Lease { pool, origin, sender } = self;
        if sender.is_closed() {
            return;
        }
        let mut idle = pool.idle.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let list = idle.entry(origin).or_default();
        list.retain(|c| c.usable(now));
        list.push(Idle { sender, since: now });
    }
}

impl Pool {
    pub(super) fn new(
        connect_timeout: Duration,
        proxies: ProxyRules,
        extra_roots: &[Vec<u8>],
    ) -> Result<Self, SetupError> {
        let mut roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        for der in extra_roots {
            roots
                .add(rustls::pki_types::CertificateDer::from(der.clone()))
                .map_err(|e| SetupError(format!("a root certificate is not usable: {e}")))?;
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| SetupError(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Pool {
            tls: tokio_rustls::TlsConnector::from(Arc::new(config)),
            connect_timeout,
            proxies,
            idle: Mutex::new(HashMap::new()),
        })
    }

    /// The most recently used idle connection to `origin` that is still open.
    fn checkout(&self, origin: &Origin) -> Option<SendRequest<OutBody>> {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        let list = idle.get_mut(origin)?;
        let now = Instant::now();
        while let Some(c) = list.pop() {
            if c.usable(now) {
                return Some(c.sender);
            }
        }
        None
    }

    /// Sends `request` (its URI absolute) on an idle connection to its origin, or a new one.
    /// A request an idle connection could not take (the server had closed it) goes out again
    /// on a new connection; nothing of it was sent.
    pub(super) async fn send(
        self: &Arc<Self>,
        request: http::Request<OutBody>,
    ) -> Result<(http::Response<hyper::body::Incoming>, Lease), ConnectorError> {
        let origin = Origin::of(request.uri())?;
        let mut request = origin_form(request, &origin)?;
        loop {
            let (mut sender, reused) = match self.checkout(&origin) {
                Some(sender) => (sender, true),
                None => (self.open(&origin).await?, false),
            };
            if let Err(e) = sender.ready().await {
                if reused {
                    continue;
                }
                return Err(ConnectorError::Io(Box::new(e)));
            }
            match sender.try_send_request(request).await {
                Ok(response) => {
                    let lease = Lease { pool: self.clone(), origin, sender };
                    return Ok((response, lease));
                }
                Err(mut e) => match e.take_message() {
                    Some(unsent) if reused => request = unsent,
                    _ => return Err(ConnectorError::Io(Box::new(e.into_error()))),
                },
            }
        }
    }

    /// A new HTTP/1.1 connection to `origin`, within the connect timeout.
    async fn open(&self, origin: &Origin) -> Result<SendRequest<OutBody>, ConnectorError> {
        let t = self.connect_timeout;
        let io = tokio::time::timeout(t, self.stream(origin)).await.map_err(|_| {
            failed(format!("connecting to {}:{} did not complete within {t:?}", origin.host, origin.port))
        })??;
        let (sender, connection) =
            hyper::client::conn::http1::handshake(io).await.map_err(|e| ConnectorError::Io(Box::new(e)))?;
        // The connection's reading and writing; it ends when the connection closes.
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(sender)
    }

    /// TCP to the origin or through its proxy, and TLS for `https`.
    async fn stream(&self, origin: &Origin) -> Result<Conn, ConnectorError> {
        let tcp = match self.proxies.for_origin(origin) {
            None => tcp(origin.bare_host(), origin.port).await?,
            Some(proxy) => proxy.tunnel(origin).await?,
        };
        if !origin.https {
            return Ok(Conn::new(Stream::Tcp(tcp)));
        }
        let name = rustls::pki_types::ServerName::try_from(origin.bare_host().to_string())
            .map_err(|e| failed(format!("cannot connect to {}: not a valid TLS server name: {e}", origin.host)))?;
        let tls = self
            .tls
            .connect(name, tcp)
            .await
            .map_err(|e| io_failed(format!("TLS with {}:{} failed", origin.host, origin.port), e))?;
        Ok(Conn::new(Stream::Tls(Box::new(tls))))
    }
}

/// The request as it goes on the wire to an origin: its URI in origin form (path and query)
/// and a `Host` header.
fn origin_form(request: http::Request<OutBody>, origin: &Origin) -> Result<http::Request<OutBody>, ConnectorError> {
    let (mut parts, body) = request.into_parts();
    if !parts.headers.contains_key(http::header::HOST) {
        let default_port = if origin.https { 443 } else { 80 };
        let host = match parts.uri.port_u16() {
            Some(p) if p != default_port => format!("{}:{p}", origin.host),
            _ => origin.host.clone(),
        };
        let value = http::HeaderValue::try_from(host).map_err(|e| failed(format!("not a valid host header: {e}")))?;
        parts.headers.insert(http::header::HOST, value);
    }
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    parts.uri = http::Uri::try_from(path).map_err(|e| failed(format!("not a valid request target {path:?}: {e}")))?;
    Ok(http::Request::from_parts(parts, body))
}

/// A TCP connection to `host:port`: every address the name resolves to, one at a time, the
/// first address's family first and the other family raced beside it after a moment.
async fn tcp(host: &str, port: u16) -> Result<TcpStream, ConnectorError> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| io_failed(format!("cannot resolve {host}"), e))?
        .collect();
    let Some(first) = addrs.first() else {
        return Err(failed(format!("{host} resolves to no address")));
    };
    let (primary, fallback): (Vec<_>, Vec<_>) = addrs.iter().partition(|a| a.is_ipv6() == first.is_ipv6());
    let stream = if fallback.is_empty() {
        in_turn(&primary).await
    } else {
        let later = async {
            tokio::time::sleep(FALLBACK_AFTER).await;
            in_turn(&fallback).await
        };
        first_success(in_turn(&primary), later).await
    };
    let stream = stream.map_err(|e| io_failed(format!("cannot connect to {host}:{port}"), e))?;
    // Requests are written whole; waiting to fill a segment only adds latency.
    stream.set_nodelay(true).map_err(|e| io_failed(format!("cannot set up the connection to {host}:{port}"), e))?;
    Ok(stream)
}

/// The first of `addrs` that accepts a connection, or the last failure.
async fn in_turn(addrs: &[SocketAddr]) -> io::Result<TcpStream> {
    let mut last = io::Error::new(io::ErrorKind::NotFound, "no address");
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(s) => return Ok(s),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Whichever of `a` and `b` connects first; the failure of the one finishing last when both fail.
async fn first_success(
    a: impl std::future::Future<Output = io::Result<TcpStream>>,
    b: impl std::future::Future<Output = io::Result<TcpStream>>,
) -> io::Result<TcpStream> {
    let (mut a, mut b) = (std::pin::pin!(a), std::pin::pin!(b));
    let (mut a_failed, mut b_failed) = (None, None);
    std::future::poll_fn(|cx| {
        if a_failed.is_none() {
            match a.as_mut().poll(cx) {
                Poll::Ready(Ok(s)) => return Poll::Ready(Ok(s)),
                Poll::Ready(Err(e)) => a_failed = Some(e),
                Poll::Pending => {}
            }
        }
        if b_failed.is_none() {
            match b.as_mut().poll(cx) {
                Poll::Ready(Ok(s)) => return Poll::Ready(Ok(s)),
                Poll::Ready(Err(e)) => b_failed = Some(e),
                Poll::Pending => {}
            }
        }
        match (&a_failed, &b_failed) {
            (Some(_), Some(_)) => Poll::Ready(Err(b_failed.take().or(a_failed.take()).expect("both failed"))),
            _ => Poll::Pending,
        }
    })
    .await
}

/// The environment's proxies, or those given, parsed.
#[derive(Default)]
pub(super) struct ProxyRules {
    http: Option<Proxy>,
    https: Option<Proxy>,
    direct: NoProxy,
}

impl ProxyRules {
    /// From `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` (upper case first, then
    /// lower case), as curl reads them. Under CGI (`REQUEST_METHOD` set) a request header could
    /// set `HTTP_PROXY`, so no proxy is taken from the environment at all.
    pub(super) fn from_env() -> Result<Self, SetupError> {
        if std::env::var_os("REQUEST_METHOD").is_some() {
            return Ok(Self::default());
        }
        let var = |names: [&str; 2]| names.iter().find_map(|n| std::env::var(n).ok()).filter(|v| !v.trim().is_empty());
        let all = var(["ALL_PROXY", "all_proxy"]);
        Self::new(Proxies {
            http: var(["HTTP_PROXY", "http_proxy"]).or_else(|| all.clone()),
            https: var(["HTTPS_PROXY", "https_proxy"]).or(all),
            no_proxy: var(["NO_PROXY", "no_proxy"]),
        })
    }

    pub(super) fn new(proxies: Proxies) -> Result<Self, SetupError> {
        let parse = |u: Option<String>| u.filter(|u| !u.trim().is_empty()).map(|u| Proxy::parse(u.trim())).transpose();
        Ok(ProxyRules {
            http: parse(proxies.http)?,
            https: parse(proxies.https)?,
            direct: NoProxy::parse(proxies.no_proxy.as_deref().unwrap_or_default()),
        })
    }

    fn for_origin(&self, origin: &Origin) -> Option<&Proxy> {
        let proxy = if origin.https { self.https.as_ref() } else { self.http.as_ref() }?;
        (!self.direct.matches(origin.bare_host())).then_some(proxy)
    }
}

/// An HTTP proxy, reached with `CONNECT`.
struct Proxy {
    host: String,
    port: u16,
    /// `Basic …` for the `Proxy-Authorization` header.
    authorization: Option<String>,
}

impl Proxy {
    /// `http://user:password@host:port`, or `host:port`; the user and password
    /// percent-encoded.
    fn parse(url: &str) -> Result<Self, SetupError> {
        let shown = redact(url);
        let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
        if !scheme.eq_ignore_ascii_case("http") {
            return Err(SetupError(format!(
                "the proxy {shown} is not usable: only http:// proxies (reached with CONNECT) are supported"
            )));
        }
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let (userinfo, host_port) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let bad = || SetupError(format!("the proxy {shown} is not a valid URL"));
        let uri: http::uri::Authority = host_port.parse().map_err(|_| bad())?;
        if uri.host().is_empty() {
            return Err(bad());
        }
        let authorization = userinfo.map(|u| {
            use base64::Engine as _;
            let (user, password) = u.split_once(':').unwrap_or((u, ""));
            let decode = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned();
            let pair = format!("{}:{}", decode(user), decode(password));
            format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair))
        });
        Ok(Proxy { host: uri.host().to_string(), port: uri.port_u16().unwrap_or(80), authorization })
    }

    /// A TCP connection to `origin` through a `CONNECT` tunnel.
    async fn tunnel(&self, origin: &Origin) -> Result<TcpStream, ConnectorError> {
        let tcp = tcp(unbracketed(&self.host), self.port).await?;
        let target = format!("{}:{}", origin.host, origin.port);
        let mut head = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n");
        if let Some(auth) = &self.authorization {
            head.push_str(&format!("Proxy-Authorization: {auth}\r\n"));
        }
        head.push_str("\r\n");
        let context = || format!("the proxy {}:{} for {target}", self.host, self.port);
        let mut out = head.as_bytes();
        while !out.is_empty() {
            tcp.writable().await.map_err(|e| io_failed(context(), e))?;
            match tcp.try_write(out) {
                Ok(n) => out = &out[n..],
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(io_failed(context(), e)),
            }
        }
        // The proxy's answer ends with an empty line, and nothing follows it until this side
        // speaks first (a TLS hello, or a request), so whatever is read is the answer's.
        let mut answer = Vec::with_capacity(256);
        let mut chunk = [0u8; 512];
        while !answer.ends_with(b"\r\n\r\n") {
            if answer.len() >= MAX_CONNECT_RESPONSE {
                return Err(failed(format!(
                    "{}: its answer to CONNECT is longer than {MAX_CONNECT_RESPONSE} bytes",
                    context()
                )));
            }
            tcp.readable().await.map_err(|e| io_failed(context(), e))?;
            match tcp.try_read(&mut chunk) {
                Ok(0) => return Err(failed(format!("{} closed the connection before answering CONNECT", context()))),
                Ok(n) => answer.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(io_failed(context(), e)),
            }
        }
        let status_line =
            String::from_utf8_lossy(answer.split(|&b| b == b'\r').next().unwrap_or_default()).into_owned();
        let status = status_line.split_whitespace().nth(1).unwrap_or_default();
        if !status_line.starts_with("HTTP/1.") || status.len() != 3 || !status.starts_with('2') {
            let why = if status == "407" { " (proxy authentication required)" } else { "" };
            return Err(failed(format!("{} refused the tunnel: {status_line}{why}", context())));
        }
        Ok(tcp)
    }
}

/// `scheme://user:password@host` shown as `scheme://***@host`.
pub(super) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}***{}", &url[..s + 3], &url[at..]),
        (None, Some(at)) => format!("***{}", &url[at..]),
        _ => url.to_string(),
    }
}

/// The hosts `NO_PROXY` names, reached directly: `*` for all, IP addresses and networks
/// (`10.0.0.0/8`, `::1`), and domains, each with its subdomains (`example.com` and
/// `.example.com` both name `example.com` and `a.example.com`).
#[derive(Default, Debug)]
pub(super) struct NoProxy {
    all: bool,
    networks: Vec<(IpAddr, u8)>,
    domains: Vec<String>,
}

impl NoProxy {
    pub(super) fn parse(list: &str) -> Self {
        let mut rules = NoProxy::default();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            if entry == "*" {
                rules.all = true;
            } else if let Some(net) = network(entry) {
                rules.networks.push(net);
            } else {
                let domain = entry.trim_start_matches('.').trim_end_matches('.');
                rules.domains.push(domain.to_ascii_lowercase());
            }
        }
        rules
    }

    /// Whether `host` (an IPv6 literal without brackets) is reached directly.
    pub(super) fn matches(&self, host: &str) -> bool {
        if self.all {
            return true;
        }
        if let Ok(ip) = host.parse::<IpAddr>() {
            return self.networks.iter().any(|&(net, bits)| in_network(ip, net, bits));
        }
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.domains.iter().any(|d| {
            host == *d
                || (host.len() > d.len()
                    && host.ends_with(d.as_str())
                    && host.as_bytes()[host.len() - d.len() - 1] == b'.')
        })
    }
}

/// `10.0.0.0/8`, `fd00::/8`, or one address (all its bits).
fn network(entry: &str) -> Option<(IpAddr, u8)> {
    let (addr, bits) = match entry.split_once('/') {
        Some((a, b)) => (a, Some(b.parse::<u8>().ok()?)),
        None => (entry, None),
    };
    let addr = unbracketed(addr).parse::<IpAddr>().ok()?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let bits = bits.unwrap_or(max);
    (bits <= max).then_some((addr, bits))
}

fn in_network(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    let (ip, net, width) = match (ip, net) {
        (IpAddr::V4(i), IpAddr::V4(n)) => (u128::from(u32::from(i)), u128::from(u32::from(n)), 32),
        (IpAddr::V6(i), IpAddr::V6(n)) => (u128::from(i), u128::from(n), 128),
        _ => return false,
    };
    let shift = width - u32::from(bits);
    shift >= width || (ip >> shift) == (net >> shift)
}

/// A connection's byte stream: plain TCP, or TLS over it.
enum Stream {
    Tcp(TcpStream),
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
}

/// A [`Stream`] as hyper reads and writes it. Reads go through a buffer of the connection's
/// own, so that no `unsafe` is needed to let tokio fill hyper's uninitialised one; the copy
/// costs little beside TLS.
struct Conn {
    stream: Stream,
    buf: Box<[u8]>,
}

impl Conn {
    fn new(stream: Stream) -> Self {
        // One TLS record's plaintext at most.
        Conn { stream, buf: vec![0; 16 * 1024].into_boxed_slice() }
    }

    fn io(&mut self) -> Pin<&mut dyn AsyncReadWrite> {
        self.stream.io()
    }
}

impl Stream {
    fn io(&mut self) -> Pin<&mut dyn AsyncReadWrite> {
        match self {
            Stream::Tcp(s) => Pin::new(s),
            Stream::Tls(s) => Pin::new(&mut **s),
        }
    }
}

trait AsyncReadWrite: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> AsyncReadWrite for T {}

impl hyper::rt::Read for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        mut cursor: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let n = cursor.remaining().min(this.buf.len());
        let mut read = tokio::io::ReadBuf::new(&mut this.buf[..n]);
        let polled = this.stream.io().poll_read(cx, &mut read);
        if let Poll::Ready(Ok(())) = polled {
            cursor.put_slice(read.filled());
        }
        polled
    }
}

impl hyper::rt::Write for Conn {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.get_mut().io().poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().io().poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        match &self.stream {
            Stream::Tcp(s) => s.is_write_vectored(),
            Stream::Tls(s) => s.is_write_vectored(),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().io().poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().io().poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_proxy_names_domains_with_their_subdomains() {
        let rules = NoProxy::parse(" example.com, .internal ,Local.Test., ");
        for host in ["example.com", "a.example.com", "A.B.EXAMPLE.COM.", "internal", "x.internal", "local.test"] {
            assert!(rules.matches(host), "{host}");
        }
        for host in ["notexample.com", "example.com.evil", "com", "xinternal", "10.0.0.1"] {
            assert!(!rules.matches(host), "{host}");
        }
    }

    #[test]
    fn no_proxy_names_addresses_and_networks() {
        let rules = NoProxy::parse("10.0.0.0/8, 192.168.1.7, ::1, [fd00::]/8, 0.0.0.0/0x");
        for host in ["10.1.2.3", "192.168.1.7", "::1", "fd12::1"] {
            assert!(rules.matches(host), "{host}");
        }
        for host in ["11.0.0.1", "192.168.1.8", "::2", "fe00::1", "example.com"] {
            assert!(!rules.matches(host), "{host}");
        }
        assert!(NoProxy::parse("0.0.0.0/0").matches("8.8.8.8"));
        assert!(!NoProxy::parse("0.0.0.0/0").matches("::1"), "a v4 network holds no v6 address");
        assert!(NoProxy::parse("*").matches("anything.example"));
        assert!(!NoProxy::parse("").matches("example.com"));
    }

    #[test]
    fn proxy_urls_parse_with_their_credentials() {
        let p = Proxy::parse("http://us%40er:p%3Ass@proxy.local:3128/").unwrap();
        assert_eq!((p.host.as_str(), p.port), ("proxy.local", 3128));
        // base64("us@er:p:ss")
        assert_eq!(p.authorization.as_deref(), Some("Basic dXNAZXI6cDpzcw=="));
        let p = Proxy::parse("proxy.local").unwrap();
        assert_eq!((p.host.as_str(), p.port, p.authorization), ("proxy.local", 80, None));
        let e = Proxy::parse("socks5://user:secret@proxy:1080").err().unwrap().to_string();
        assert!(e.contains("only http://") && !e.contains("secret"), "{e}");
        let e = Proxy::parse("http://user:secret@").err().unwrap().to_string();
        assert!(e.contains("not a valid URL") && !e.contains("secret"), "{e}");
    }

    #[test]
    fn requests_go_out_in_origin_form_with_a_host() {
        let to = |uri: &str| {
            let request = http::Request::builder().uri(uri).body(OutBody::Full(None)).unwrap();
            let origin = Origin::of(request.uri()).unwrap();
            let out = origin_form(request, &origin).unwrap();
            (out.uri().to_string(), out.headers()[http::header::HOST].to_str().unwrap().to_string())
        };
        assert_eq!(
            to("https://appflow.us-east-1.amazonaws.com/a/b?c=d"),
            ("/a/b?c=d".into(), "appflow.us-east-1.amazonaws.com".into())
        );
        assert_eq!(to("http://127.0.0.1:8080"), ("/".into(), "127.0.0.1:8080".into()));
        assert_eq!(to("https://[::1]:443/x"), ("/x".into(), "[::1]".into()));
        assert!(Origin::of(&"ftp://example.com/".parse().unwrap()).is_err());
        assert!(Origin::of(&"/relative".parse().unwrap()).is_err());
    }
}
