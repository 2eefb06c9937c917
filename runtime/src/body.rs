//! Streaming bodies: [`ByteStream`], the type of every `@streaming` blob member (S3's
//! `PutObject` and `GetObject` bodies, Polly's audio, ...).
//!
//! A `ByteStream` is bytes in memory, a file (or a range of one), or any stream of chunks. A
//! request body is sent without ever being held whole in memory, and a response body is handed
//! over as soon as the response's head has arrived: read it chunk by chunk with
//! [`ByteStream::next`] (or as a [`futures_core::Stream`]), or [`ByteStream::collect`] it.
//!
//! Bodies in memory and files can be sent again, so calls with them are retried; a one-shot
//! stream is sent once, and a failure is returned without a retry.

use std::fmt;
#[cfg(feature = "client")]
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;

/// Any error a stream's source reports.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// How much is read from a file or reader at a time.
#[cfg(feature = "client")]
const CHUNK: usize = 64 * 1024;

/// Reading a streaming body failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError {
    /// The stream's source (a file, a reader, the connection) failed.
    Source(BoxError),
    /// No data arrived for the client's attempt timeout: the transfer stalled.
    Stalled(Duration),
    /// The body ended before its length: a file that shrank while it was sent, or a
    /// connection closed early.
    Truncated {
        /// Bytes read.
        got: u64,
        /// The body's length.
        expected: u64,
    },
    /// The body did not hash to the checksum the service sent with it.
    Checksum {
        /// The algorithm's name (`CRC32`, ...).
        algorithm: &'static str,
        /// The checksum in the response's header.
        expected: String,
        /// The checksum of what arrived.
        computed: String,
        /// How many bytes arrived.
        bytes: u64,
    },
}

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Source(e) => write!(f, "reading the body failed: {e}"),
            Self::Stalled(e) => write!(f, "no data for {e:?}: the transfer stalled"),
            Self::Truncated { got, expected } => write!(f, "the body ended after {got} of its {expected} bytes"),
            Self::Checksum { algorithm, expected, computed, bytes } => write!(f, "the body does not match its {algorithm} checksum: the service says {expected}, the {bytes} bytes received hash to {computed}"),
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Source(e) => Some(&**e),
            _ => None,
        }
    }
}

type DynStream = Pin<Box<dyn Stream<Item = Result<Bytes, StreamError>> + Send>>;

/// A body that streams: bytes in memory, a file, or any stream of chunks, with its length when
/// it is known.
///
/// ```
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use awsgen_runtime::body::ByteStream;
/// let small = ByteStream::from("hello");
/// let large = ByteStream::from_path("video.mp4").await?;
/// assert_eq!(small.len(), Some(5));
/// # let _ = large;
/// # Ok(()) }
/// ```
pub struct ByteStream {
    inner: Inner,
}

enum Inner {
    Bytes(Bytes),
    /// A file range not opened yet: it can be sent as often as needed.
    #[cfg(feature = "client")]
    File {
        path: PathBuf,
        offset: u64,
        len: u64,
    },
    /// A stream in progress. In a `Mutex` only so that `ByteStream` is `Sync` like the structures
    /// holding it; it is polled through `&mut`, never locked.
    Stream {
        stream: Mutex<DynStream>,
        len: Option<u64>,
    },
}

impl ByteStream {
    /// A body of `bytes`, in memory.
    pub fn new(bytes: Bytes) -> Self {
        ByteStream { inner: Inner::Bytes(bytes) }
    }

    /// The whole file at `path`, read as it is sent. Its length is taken now.
    #[cfg(feature = "client")]
    pub async fn from_path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref().to_path_buf();
        let (path, len) = file_len(path).await?;
        Ok(ByteStream { inner: Inner::File { path, offset: 0, len } })
    }

    /// `len` bytes of the file at `path` from `offset` (a part of a multipart upload, say). The
    /// range is checked against the file's length now.
    #[cfg(feature = "client")]
    pub async fn from_file_range(path: impl AsRef<Path>, offset: u64, len: u64) -> std::io::Result<Self> {
        let (path, size) = file_len(path.as_ref().to_path_buf()).await?;
        if offset.checked_add(len).is_none_or(|end| end > size) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("{} is {size} bytes long: it has no {len} bytes from offset {offset}", path.display()),
            ));
        }
        Ok(ByteStream { inner: Inner::File { path, offset, len } })
    }

    /// A body read from `stream` as it is sent, once; `len` is its length if known (S3, for one,
    /// needs it to accept an upload).
    pub fn from_stream<S, E>(stream: S, len: Option<u64>) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        let mapped = MapErr { inner: Box::pin(stream) };
        ByteStream { inner: Inner::Stream { stream: Mutex::new(Box::pin(mapped)), len } }
    }

    /// A body read from `reader` as it is sent, once; `len` is its length if known.
    #[cfg(feature = "client")]
    pub fn from_reader<R>(reader: R, len: Option<u64>) -> Self
    where
        R: tokio::io::AsyncRead + Send + 'static,
    {
        let stream = ReaderStream { reader: Box::pin(reader), limit: len, read: 0 };
        ByteStream { inner: Inner::Stream { stream: Mutex::new(Box::pin(stream)), len } }
    }

    /// A stream of already checked chunks, for the transports and wrappers of this crate.
    pub(crate) fn from_chunks(
        stream: impl Stream<Item = Result<Bytes, StreamError>> + Send + 'static,
        len: Option<u64>,
    ) -> Self {
        ByteStream { inner: Inner::Stream { stream: Mutex::new(Box::pin(stream)), len } }
    }

    /// The length in bytes, when it is known.
    pub fn len(&self) -> Option<u64> {
        match &self.inner {
            Inner::Bytes(b) => Some(b.len() as u64),
            #[cfg(feature = "client")]
            Inner::File { len, .. } => Some(*len),
            Inner::Stream { len, .. } => *len,
        }
    }

    /// Whether the body is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// The bytes, when the body is in memory.
    pub fn bytes(&self) -> Option<&Bytes> {
        match &self.inner {
            Inner::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// A copy that sends the same bytes again (bodies in memory and files), or `None` for a
    /// one-shot stream.
    pub fn try_clone(&self) -> Option<Self> {
        match &self.inner {
            Inner::Bytes(b) => Some(ByteStream::new(b.clone())),
            #[cfg(feature = "client")]
            Inner::File { path, offset, len } => {
                Some(ByteStream { inner: Inner::File { path: path.clone(), offset: *offset, len: *len } })
            }
            Inner::Stream { .. } => None,
        }
    }

    /// The next chunk, `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Bytes, StreamError>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The whole body, in memory.
    pub async fn collect(mut self) -> Result<Bytes, StreamError> {
        if let Inner::Bytes(b) = self.inner {
            return Ok(b);
        }
        // The length is a hint from the sender: the space reserved up front is capped.
        let hint = self.len().unwrap_or(0).min(8 << 20) as usize;
        let mut out = Vec::with_capacity(hint);
        while let Some(chunk) = self.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(Bytes::from(out))
    }

    /// The body as an [`AsyncRead`](tokio::io::AsyncRead), to copy into a file with
    /// `tokio::io::copy` or hand to a decoder; a failure to read is an `io::Error` whose source
    /// is the [`StreamError`].
    #[cfg(feature = "client")]
    pub fn into_async_read(self) -> impl tokio::io::AsyncRead + Send + Unpin {
        StreamReader { stream: self, chunk: Bytes::new() }
    }

    /// Takes a body that is not in memory out of `self`, leaving an empty one; a body in memory
    /// stays (the operation's serializer writes it as any other payload).
    #[doc(hidden)]
    pub fn take_if_streaming(&mut self) -> Option<Self> {
        match self.inner {
            Inner::Bytes(_) => None,
            _ => Some(std::mem::take(self)),
        }
    }

    #[cfg(feature = "client")]
    /// Opens a file body, turning it into a stream in progress.
    #[cfg(feature = "client")]
    fn start(&mut self) {
        if let Inner::File { path, offset, len } = &self.inner {
            let stream =
                FileStream { path: path.clone(), offset: *offset, len: *len, read: 0, state: FileState::Idle(None) };
            let len = Some(*len);
            self.inner = Inner::Stream { stream: Mutex::new(Box::pin(stream)), len };
        }
    }
}

/// Runs blocking file work on tokio's blocking threads, as `tokio::fs` does (without its ~4,000
/// lines to compile for the two calls this module makes).
#[cfg(feature = "client")]
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> std::io::Result<T> + Send + 'static) -> std::io::Result<T> {
    tokio::task::spawn_blocking(work).await.unwrap_or_else(|e| Err(std::io::Error::other(e)))
}

/// The path and the length of the file at it.
#[cfg(feature = "client")]
async fn file_len(path: PathBuf) -> std::io::Result<(PathBuf, u64)> {
    blocking(move || {
        let len = std::fs::metadata(&path)?.len();
        Ok((path, len))
    })
    .await
}

impl Stream for ByteStream {
    type Item = Result<Bytes, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        #[cfg(feature = "client")]
        this.start();
        match &mut this.inner {
            Inner::Bytes(b) if b.is_empty() => Poll::Ready(None),
            Inner::Bytes(b) => Poll::Ready(Some(Ok(std::mem::take(b)))),
            Inner::Stream { stream, .. } => stream.get_mut().unwrap_or_else(|p| p.into_inner()).as_mut().poll_next(cx),
            #[cfg(feature = "client")]
            Inner::File { .. } => unreachable!("started above"),
        }
    }
}

impl Default for ByteStream {
    fn default() -> Self {
        ByteStream::new(Bytes::new())
    }
}

impl From<Bytes> for ByteStream {
    fn from(b: Bytes) -> Self {
        ByteStream::new(b)
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(v: Vec<u8>) -> Self {
        ByteStream::new(Bytes::from(v))
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(v: &'static [u8]) -> Self {
        ByteStream::new(Bytes::from_static(v))
    }
}

impl From<&'static str> for ByteStream {
    fn from(v: &'static str) -> Self {
        ByteStream::new(Bytes::from_static(v.as_bytes()))
    }
}

impl From<String> for ByteStream {
    fn from(v: String) -> Self {
        ByteStream::new(Bytes::from(v))
    }
}

/// Bodies in memory are equal when their bytes are; files when they are the same range of the
/// same path. A stream equals nothing, itself included: it can only be compared by reading it.
impl PartialEq for ByteStream {
    fn eq(&self, other: &Self) -> bool {
        match (&self.inner, &other.inner) {
            (Inner::Bytes(a), Inner::Bytes(b)) => a == b,
            #[cfg(feature = "client")]
            (Inner::File { path: p, offset: o, len: l }, Inner::File { path: q, offset: r, len: m }) => {
                p == q && o == r && l == m
            }
            _ => false,
        }
    }
}

/// Shows where the body is and its length, never its content.
impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Bytes(b) => write!(f, "ByteStream({} bytes in memory)", b.len()),
            #[cfg(feature = "client")]
            Inner::File { path, offset, len } => {
                write!(f, "ByteStream({len} bytes of {} from {offset})", path.display())
            }
            Inner::Stream { len: Some(len), .. } => write!(f, "ByteStream(stream of {len} bytes)"),
            Inner::Stream { len: None, .. } => write!(f, "ByteStream(stream of unknown length)"),
        }
    }
}

/// A caller's stream, its errors boxed.
struct MapErr<S> {
    inner: Pin<Box<S>>,
}

impl<S, E> Stream for MapErr<S>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: Into<BoxError>,
{
    type Item = Result<Bytes, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut()
            .inner
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|r| r.map_err(|e| StreamError::Source(e.into()))))
    }
}

/// Chunks of up to [`CHUNK`] bytes read from an `AsyncRead`, stopping at `limit` bytes when the
/// length is known.
#[cfg(feature = "client")]
struct ReaderStream<R> {
    reader: Pin<Box<R>>,
    limit: Option<u64>,
    read: u64,
}

#[cfg(feature = "client")]
impl<R: tokio::io::AsyncRead> Stream for ReaderStream<R> {
    type Item = Result<Bytes, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        poll_read_chunk(this.reader.as_mut(), cx, this.limit, &mut this.read)
    }
}

/// Reads the next chunk of at most [`CHUNK`] bytes, and at most what is left of `limit`.
#[cfg(feature = "client")]
fn poll_read_chunk<R: tokio::io::AsyncRead + ?Sized>(
    reader: Pin<&mut R>,
    cx: &mut Context<'_>,
    limit: Option<u64>,
    read: &mut u64,
) -> Poll<Option<Result<Bytes, StreamError>>> {
    let want = match limit {
        Some(l) if *read >= l => return Poll::Ready(None),
        Some(l) => CHUNK.min((l - *read) as usize),
        None => CHUNK,
    };
    let mut buf = vec![0u8; want];
    let mut rb = tokio::io::ReadBuf::new(&mut buf);
    match reader.poll_read(cx, &mut rb) {
        Poll::Pending => Poll::Pending,
        Poll::Ready(Err(e)) => Poll::Ready(Some(Err(StreamError::Source(Box::new(e))))),
        Poll::Ready(Ok(())) => {
            let n = rb.filled().len();
            if n == 0 {
                // The end of a body of known length comes early: an error, not a short body.
                return Poll::Ready(limit.map(|expected| Err(StreamError::Truncated { got: *read, expected })));
            }
            *read += n as u64;
            buf.truncate(n);
            Poll::Ready(Some(Ok(Bytes::from(buf))))
        }
    }
}

/// [`ByteStream::into_async_read`]: the current chunk, handed out as the reader asks.
#[cfg(feature = "client")]
struct StreamReader {
    stream: ByteStream,
    chunk: Bytes,
}

#[cfg(feature = "client")]
impl tokio::io::AsyncRead for StreamReader {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        while this.chunk.is_empty() {
            match Pin::new(&mut this.stream).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Err(std::io::Error::other(e))),
                Poll::Ready(Some(Ok(chunk))) => this.chunk = chunk,
            }
        }
        let n = this.chunk.len().min(buf.remaining());
        buf.put_slice(&this.chunk.split_to(n));
        Poll::Ready(Ok(()))
    }
}

/// `len` bytes of the file at `path` from `offset`, read a chunk at a time on tokio's blocking
/// threads; the first read opens the file.
#[cfg(feature = "client")]
struct FileStream {
    path: PathBuf,
    offset: u64,
    len: u64,
    read: u64,
    state: FileState,
}

#[cfg(feature = "client")]
type ChunkRead = tokio::task::JoinHandle<Result<(std::fs::File, Vec<u8>), BoxError>>;

#[cfg(feature = "client")]
enum FileState {
    /// No read in flight: the file once it is open.
    Idle(Option<std::fs::File>),
    Reading(ChunkRead),
    Done,
}

#[cfg(feature = "client")]
impl FileStream {
    fn read_next(&self, file: Option<std::fs::File>) -> ChunkRead {
        use std::io::{Read as _, Seek as _};
        let (path, offset) = (self.path.clone(), self.offset);
        let want = CHUNK.min((self.len - self.read) as usize);
        tokio::task::spawn_blocking(move || {
            let mut file = match file {
                Some(f) => f,
                None => {
                    let opened = std::fs::File::open(&path).and_then(|mut f| {
                        f.seek(std::io::SeekFrom::Start(offset))?;
                        Ok(f)
                    });
                    opened.map_err(|e| format!("cannot open {}: {e}", path.display()))?
                }
            };
            let mut buf = vec![0u8; want];
            let mut n = 0;
            while n < want {
                match file.read(&mut buf[n..]) {
                    Ok(0) => break,
                    Ok(k) => n += k,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(Box::new(e) as BoxError),
                }
            }
            buf.truncate(n);
            Ok((file, buf))
        })
    }
}

#[cfg(feature = "client")]
impl Stream for FileStream {
    type Item = Result<Bytes, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        use std::future::Future as _;
        let this = self.get_mut();
        loop {
            match &mut this.state {
                FileState::Done => return Poll::Ready(None),
                FileState::Idle(_) if this.read >= this.len => {
                    this.state = FileState::Done;
                    return Poll::Ready(None);
                }
                FileState::Idle(file) => {
                    let file = file.take();
                    this.state = FileState::Reading(this.read_next(file));
                }
                FileState::Reading(handle) => {
                    let result = match Pin::new(handle).poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(joined) => joined.unwrap_or_else(|e| Err(Box::new(e))),
                    };
                    return Poll::Ready(Some(match result {
                        Err(e) => {
                            this.state = FileState::Done;
                            Err(StreamError::Source(e))
                        }
                        // The end of the file comes early: an error, not a short body.
                        Ok((_, buf)) if buf.is_empty() => {
                            this.state = FileState::Done;
                            Err(StreamError::Truncated { got: this.read, expected: this.len })
                        }
                        Ok((file, buf)) => {
                            this.read += buf.len() as u64;
                            this.state = FileState::Idle(Some(file));
                            Ok(Bytes::from(buf))
                        }
                    }));
                }
            }
        }
    }
}

/// A stream of the given chunks and errors, in order: for tests of what reads streams.
#[cfg(test)]
pub(crate) struct Chunks(pub Vec<Result<Bytes, std::io::Error>>);

#[cfg(test)]
impl Stream for Chunks {
    type Item = Result<Bytes, std::io::Error>;
    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        Poll::Ready(if this.0.is_empty() { None } else { Some(this.0.remove(0)) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bodies_in_memory_are_one_chunk_and_replay() {
        let mut b = ByteStream::from("hello");
        assert_eq!(b.len(), Some(5));
        let again = b.try_clone().expect("in memory");
        assert_eq!(b.next().await.unwrap().unwrap(), "hello");
        assert!(b.next().await.is_none());
        assert_eq!(again.collect().await.unwrap(), "hello");
        assert_eq!(format!("{:?}", ByteStream::from("secret")), "ByteStream(6 bytes in memory)");
    }

    #[cfg(feature = "client")]
    #[tokio::test]
    async fn files_stream_in_chunks_and_ranges_are_checked() {
        let dir = std::env::temp_dir().join(format!("awsgen-body-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("data");
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();

        let mut b = ByteStream::from_path(&path).await.unwrap();
        assert_eq!(b.len(), Some(200_000));
        let replay = b.try_clone().unwrap();
        let mut chunks = 0;
        let mut got = Vec::new();
        while let Some(c) = b.next().await {
            let c = c.unwrap();
            assert!(c.len() <= CHUNK);
            got.extend_from_slice(&c);
            chunks += 1;
        }
        assert_eq!(got, data);
        assert!(chunks >= 4, "{chunks} chunks");
        assert_eq!(replay.collect().await.unwrap(), data);

        let mut copied = Vec::new();
        let mut reader = ByteStream::from_path(&path).await.unwrap().into_async_read();
        tokio::io::copy(&mut reader, &mut copied).await.unwrap();
        assert_eq!(copied, data, "read through AsyncRead");

        let part = ByteStream::from_file_range(&path, 1000, 5000).await.unwrap();
        assert_eq!(part.collect().await.unwrap(), data[1000..6000]);
        let err = ByteStream::from_file_range(&path, 199_999, 2).await.unwrap_err();
        assert!(err.to_string().contains("no 2 bytes from offset 199999"), "{err}");

        // A file that shrinks after its length was taken is an error, not a short body.
        let shrinking = ByteStream::from_path(&path).await.unwrap();
        std::fs::write(&path, &data[..10]).unwrap();
        let err = shrinking.collect().await.unwrap_err();
        assert!(matches!(err, StreamError::Truncated { got: 10, expected: 200_000 }), "{err}");

        std::fs::remove_file(&path).unwrap();
        let gone = ByteStream { inner: Inner::File { path: path.clone(), offset: 0, len: 3 } };
        let err = gone.collect().await.unwrap_err();
        assert!(err.to_string().contains("cannot open"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn streams_are_read_once_with_their_errors() {
        let s = ByteStream::from_stream(Chunks(vec![Ok("ab".into()), Ok("cd".into())]), Some(4));
        assert!(s.try_clone().is_none());
        assert_ne!(s, ByteStream::from_stream(Chunks(vec![]), None));
        assert_eq!(s.collect().await.unwrap(), "abcd");
        let failing = ByteStream::from_stream(Chunks(vec![Ok("ab".into()), Err(std::io::Error::other("disk"))]), None);
        let err = failing.collect().await.unwrap_err();
        assert_eq!(err.to_string(), "reading the body failed: disk");
    }

    #[cfg(feature = "client")]
    #[tokio::test]
    async fn readers_are_read_up_to_their_length() {
        let reader = ByteStream::from_reader(&b"0123456789"[..], None);
        assert_eq!(reader.collect().await.unwrap(), "0123456789");
        let limited = ByteStream::from_reader(&b"0123456789"[..], Some(4));
        assert_eq!(limited.collect().await.unwrap(), "0123");
    }
}
