//! The default transport reaches services through the proxies it is given (as
//! `HyperConnector::new` takes them from `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`): a
//! `CONNECT` tunnel through the proxy, with its credentials, or directly for hosts `NO_PROXY`
//! names.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use awsgen_runtime::http::{HttpConnector, HyperConnector, Proxies};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// A CONNECT proxy on loopback that records each request's head and pipes the tunnel.
async fn proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let mut client = BufReader::new(client);
                let mut head = String::new();
                loop {
                    let mut line = String::new();
                    if client.read_line(&mut line).await.unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    head.push_str(&line);
                }
                let target = head.split_whitespace().nth(1).unwrap_or_default().to_string();
                log.lock().unwrap().push(head);
                let Ok(mut upstream) = TcpStream::connect(&target).await else { return };
                let mut client = client.into_inner();
                client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await.unwrap();
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            });
        }
    });
    (format!("http://user:secret@{addr}"), seen)
}

/// A server answering every request with `200 ok`.
async fn server() -> String {
    counting_server(false).await.0
}

fn get(url: &str) -> awsgen_runtime::http::Request {
    http::Request::builder().uri(format!("{url}/path")).header("host", "service").body(Vec::new()).unwrap()
}

#[tokio::test]
async fn requests_go_through_the_proxy_with_its_credentials() {
    let (proxy_url, seen) = proxy().await;
    let target = server().await;
    let proxies = Proxies { http: Some(proxy_url.clone()), https: Some(proxy_url), no_proxy: None };
    let connector = HyperConnector::with_proxies(Duration::from_secs(2), proxies).unwrap();
    let response = connector.send(get(&target), Some(Duration::from_secs(5))).await.expect("through the proxy");
    assert_eq!(response.status(), 200);
    assert_eq!(&response.body()[..], b"ok");
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "{seen:?}");
    let authority = target.trim_start_matches("http://");
    assert!(seen[0].starts_with(&format!("CONNECT {authority} HTTP/1.1\r\n")), "{}", seen[0]);
    // `user:secret`, base64.
    assert!(seen[0].to_ascii_lowercase().contains("proxy-authorization: basic dxnlcjpzzwnyzxq="), "{}", seen[0]);
}

#[tokio::test]
async fn hosts_no_proxy_names_are_reached_directly() {
    let (proxy_url, seen) = proxy().await;
    let target = server().await;
    let proxies = Proxies { http: Some(proxy_url.clone()), https: Some(proxy_url), no_proxy: Some("127.0.0.1".into()) };
    let connector = HyperConnector::with_proxies(Duration::from_secs(2), proxies).unwrap();
    let response = connector.send(get(&target), Some(Duration::from_secs(5))).await.expect("directly");
    assert_eq!(response.status(), 200);
    assert!(seen.lock().unwrap().is_empty(), "the proxy was used");
}

#[test]
fn proxy_credentials_stay_out_of_debug() {
    let p = Proxies { https: Some("http://user:secret@proxy:3128".into()), ..Proxies::default() };
    let shown = format!("{p:?}");
    assert!(!shown.contains("secret") && !shown.contains("user"), "{shown}");
    assert!(shown.contains("http://***@proxy:3128"), "{shown}");
}

#[tokio::test]
async fn an_unreachable_proxy_is_a_transport_error_not_a_hang() {
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let proxies = Proxies { http: Some(dead.clone()), https: Some(dead), no_proxy: None };
    let connector = HyperConnector::with_proxies(Duration::from_secs(2), proxies).unwrap();
    let started = std::time::Instant::now();
    let err = connector.send(get("http://192.0.2.1:9"), Some(Duration::from_secs(5))).await.unwrap_err();
    assert!(matches!(err, awsgen_runtime::http::ConnectorError::Io(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(4), "it failed fast");
}

/// A server answering `200 ok` that counts the connections it accepts, and closes each one
/// after its first answer when `close` is set (without saying so, as a server timing out an
/// idle connection does).
async fn counting_server(close: bool) -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::spawn(async move {
                let mut socket = BufReader::new(socket);
                loop {
                    let mut line = String::new();
                    if socket.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    if line == "\r\n" {
                        let reply = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";
                        if socket.get_mut().write_all(reply).await.is_err() || close {
                            return;
                        }
                    }
                }
            });
        }
    });
    (format!("http://{addr}"), accepted)
}

#[tokio::test]
async fn connections_are_kept_and_reused() {
    let (target, accepted) = counting_server(false).await;
    let connector = HyperConnector::with_proxies(Duration::from_secs(2), Proxies::default()).unwrap();
    for _ in 0..3 {
        let response = connector.send(get(&target), Some(Duration::from_secs(5))).await.expect("an answer");
        assert_eq!(&response.body()[..], b"ok");
    }
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 1, "one connection for all three");
}

#[tokio::test]
async fn a_connection_the_server_closed_is_replaced() {
    let (target, accepted) = counting_server(true).await;
    let connector = HyperConnector::with_proxies(Duration::from_secs(2), Proxies::default()).unwrap();
    for _ in 0..3 {
        let response = connector.send(get(&target), Some(Duration::from_secs(5))).await.expect("an answer");
        assert_eq!(&response.body()[..], b"ok");
        // The server's close reaches the pool.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 3);
}

#[tokio::test]
async fn https_speaks_tls_and_says_so_when_the_server_does_not() {
    // A plain-HTTP server behind an https:// URL: the handshake fails, with the host named.
    let (target, _) = counting_server(false).await;
    let target = target.replace("http://", "https://");
    let connector = HyperConnector::with_proxies(Duration::from_secs(2), Proxies::default()).unwrap();
    let err = connector.send(get(&target), Some(Duration::from_secs(5))).await.unwrap_err().to_string();
    assert!(err.contains("TLS with 127.0.0.1:"), "{err}");
}

#[test]
fn an_unusable_proxy_url_is_a_setup_error_without_its_credentials() {
    let proxies = Proxies { https: Some("socks5://user:secret@proxy:1080".into()), ..Proxies::default() };
    let err = HyperConnector::with_proxies(Duration::from_secs(2), proxies).unwrap_err().to_string();
    assert!(err.contains("only http://") && !err.contains("secret"), "{err}");
}

#[test]
fn a_root_certificate_that_does_not_parse_is_a_setup_error() {
    let err = HyperConnector::with_extra_roots(Duration::from_secs(2), &[b"not a certificate".to_vec()]).unwrap_err();
    assert!(err.to_string().contains("root certificate is not usable"), "{err}");
}
