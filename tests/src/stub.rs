//! A scripted HTTP/1.1 server on 127.0.0.1 for client tests. It records every request, checks
//! its SigV4 signature (by signing the received request again with the same credentials at the
//! request's own `X-Amz-Date`, and comparing), and answers from a script: a response, a
//! connection reset, or a delay first.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use awsgen_runtime::client::sign_request;
use awsgen_runtime::Credentials;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Answer with a status, headers and a body.
    Respond { status: u16, headers: Vec<(String, String)>, body: String },
    /// Close the connection with a TCP reset, without answering.
    Reset,
    /// Wait, then do the inner reply.
    Delay(Duration, Box<Reply>),
}

impl Reply {
    /// A JSON response.
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::Respond { status, headers: vec![("Content-Type".into(), "application/json".into())], body: body.into() }
    }
    /// A JSON error response with `X-Amzn-ErrorType`.
    pub fn error(status: u16, code: &str, message: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("Content-Type".into(), "application/json".into()), ("X-Amzn-ErrorType".into(), code.into())],
            body: serde_json::json!({ "message": message }).to_string(),
        }
    }
}

/// STS's answer to `AssumeRole`: the given key pair and session token, valid for an hour, for
/// a role of `account`.
pub fn assume_role_response(access_key_id: &str, secret: &str, token: &str, account: &str) -> Reply {
    let expiration = chrono::DateTime::<chrono::Utc>::from(SystemTime::now() + Duration::from_secs(3600))
        .format("%Y-%m-%dT%H:%M:%SZ");
    let body = format!(
        "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>\
         <AssumedRoleUser><AssumedRoleId>AROA:s</AssumedRoleId><Arn>arn:aws:sts::{account}:assumed-role/r/s</Arn></AssumedRoleUser>\
         <Credentials><AccessKeyId>{access_key_id}</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey>\
         <SessionToken>{token}</SessionToken><Expiration>{expiration}</Expiration></Credentials>\
         </AssumeRoleResult></AssumeRoleResponse>"
    );
    Reply::Respond { status: 200, headers: vec![("Content-Type".into(), "text/xml".into())], body }
}

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    /// Header names in lowercase, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Whether the SigV4 signature checked out.
    pub signature_ok: bool,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// A running stub server.
pub struct Stub {
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Stub {
    /// Starts a server that answers the n-th request with `script[n]` (the last entry repeats),
    /// checking signatures against `credentials`, `region` and `service`.
    pub async fn start(script: Vec<Reply>, credentials: Credentials, region: &str, service: &str) -> Stub {
        Self::start_with_clock(script, credentials, region, service, 0).await
    }

    /// [`Stub::start`] with the server's clock `ahead_secs` ahead of the machine's: every
    /// response carries a `Date` header from that clock, and a request signed more than five
    /// minutes away from it is answered `403 RequestTimeTooSkewed`, as AWS services answer.
    pub async fn start_with_clock(
        script: Vec<Reply>,
        credentials: Credentials,
        region: &str,
        service: &str,
        ahead_secs: i64,
    ) -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind on loopback");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let state =
            (received.clone(), Arc::new(script), credentials, region.to_string(), service.to_string(), ahead_secs);
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else { break };
                let state = state.clone();
                tokio::spawn(async move {
                    let _ = serve(socket, state).await;
                });
            }
        });
        Stub { url, received }
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

type State = (Arc<Mutex<Vec<Received>>>, Arc<Vec<Reply>>, Credentials, String, String, i64);

/// The server's clock.
fn server_now(ahead_secs: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now() + chrono::Duration::seconds(ahead_secs)
}

/// Whether `x-amz-date` is more than five minutes from the server's clock.
fn skewed(headers: &[(String, String)], ahead_secs: i64) -> bool {
    let Some((_, date)) = headers.iter().find(|(k, _)| k == "x-amz-date") else { return false };
    let Ok(t) = chrono::NaiveDateTime::parse_from_str(date, "%Y%m%dT%H%M%SZ") else { return true };
    (t.and_utc() - server_now(ahead_secs)).num_seconds().abs() > 300
}

/// Reads one request from `socket` (headers, then `Content-Length` bytes of body), keeping
/// what follows it in `buf`; `None` when the peer closed the connection.
async fn read_request(
    socket: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<(String, String, Vec<(String, String)>, Vec<u8>)>> {
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let mut chunk = [0u8; 8192];
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let (method, path) = (first.next().unwrap_or("").to_string(), first.next().unwrap_or("").to_string());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    while buf.len() < head_end + 4 + len {
        let mut chunk = [0u8; 8192];
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf[head_end + 4..head_end + 4 + len].to_vec();
    buf.drain(..head_end + 4 + len);
    Ok(Some((method, path, headers, body)))
}

/// Does `reply` on `socket`; `false` when the connection is to be dropped.
async fn answer(socket: &mut TcpStream, mut reply: Reply, date: Option<String>) -> std::io::Result<bool> {
    loop {
        match reply {
            Reply::Delay(d, inner) => {
                tokio::time::sleep(d).await;
                reply = *inner;
            }
            Reply::Reset => {
                // A zero linger makes the close a TCP reset; it does not block on drop, which
                // is what the deprecation warns about.
                #[allow(deprecated)]
                socket.set_linger(Some(Duration::ZERO))?;
                return Ok(false);
            }
            Reply::Respond { status, headers, body } => {
                let mut out = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\n", body.len());
                if let Some(d) = &date {
                    out.push_str(&format!("Date: {d}\r\n"));
                }
                for (k, v) in headers {
                    out.push_str(&format!("{k}: {v}\r\n"));
                }
                out.push_str("\r\n");
                out.push_str(&body);
                socket.write_all(out.as_bytes()).await?;
                return Ok(true);
            }
        }
    }
}

/// Answers each request with what `handler` says; every request is kept in `received`.
pub async fn serve_with(handler: Arc<dyn Fn(&Received) -> Reply + Send + Sync>) -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind on loopback");
    let url = format!("http://{}", listener.local_addr().unwrap());
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = received.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { break };
            let (handler, log) = (handler.clone(), log.clone());
            tokio::spawn(async move {
                let mut buf = Vec::new();
                while let Ok(Some((method, path, headers, body))) = read_request(&mut socket, &mut buf).await {
                    let r = Received { method, path, headers, body, signature_ok: false };
                    let reply = handler(&r);
                    log.lock().unwrap().push(r);
                    if !matches!(answer(&mut socket, reply, None).await, Ok(true)) {
                        break;
                    }
                }
            });
        }
    });
    (url, received)
}

async fn serve(
    mut socket: TcpStream,
    (received, script, creds, region, service, ahead_secs): State,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    while let Some((method, path, headers, body)) = read_request(&mut socket, &mut buf).await? {
        let signature_ok = verify(&method, &path, &headers, &body, &creds, &region, &service);
        let n = {
            let mut r = received.lock().unwrap();
            r.push(Received { method, path, headers, body, signature_ok });
            r.len() - 1
        };
        let mut reply = script[n.min(script.len() - 1)].clone();
        if !signature_ok {
            reply = Reply::error(403, "InvalidSignatureException", "the signature does not match");
        } else if ahead_secs != 0 && skewed(&received.lock().unwrap()[n].headers, ahead_secs) {
            reply = Reply::error(
                403,
                "RequestTimeTooSkewed",
                "the difference between the request time and the server's time is too large",
            );
        }
        let date = (ahead_secs != 0).then(|| server_now(ahead_secs).format("%a, %d %b %Y %H:%M:%S GMT").to_string());
        if !answer(&mut socket, reply, date).await? {
            return Ok(());
        }
    }
    Ok(())
}

/// Signs the received request again at its own `X-Amz-Date`, over the headers it says it
/// signed, and compares the `Authorization` headers.
fn verify(
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
    creds: &Credentials,
    region: &str,
    service: &str,
) -> bool {
    let get = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let (Some(auth), Some(date), Some(host)) = (get("authorization"), get("x-amz-date"), get("host")) else {
        return false;
    };
    let Some(signed) = auth.split("SignedHeaders=").nth(1).and_then(|s| s.split(',').next()) else { return false };
    let Ok(time) = chrono::NaiveDateTime::parse_from_str(&date, "%Y%m%dT%H%M%SZ") else { return false };
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(time.and_utc().timestamp() as u64);
    let mut req = http::Request::builder().method(method).uri(format!("http://{host}{path}"));
    for name in signed.split(';').filter(|n| !matches!(*n, "host" | "x-amz-date" | "x-amz-security-token")) {
        if let Some(v) = get(name) {
            req = req.header(name, v);
        }
    }
    let Ok(req) = req.body(body.to_vec()) else { return false };
    match sign_request(&req, creds, region, service, time) {
        Ok(resigned) => resigned.headers().get("authorization").and_then(|v| v.to_str().ok()) == Some(auth.as_str()),
        Err(_) => false,
    }
}
