//! The official Signature Version 4 test suite (`../shared/reference/sigv4-testsuite/`): for
//! every case, the raw request (`.req`) is signed with the suite's credentials and date, and our
//! canonical request, string to sign and `Authorization` header must equal `.creq`, `.sts` and
//! `.authz` byte for byte. Prints `sigv4 test suite: passed P, failed F, total N`.
//!
//! The suite gives paths as the signer should see them. Two of them (`get-space`, `get-utf8`)
//! hold characters no HTTP request line can: they are sent percent-encoded, and the signer is
//! given that wire path as it is (`PathEncoding::AsIs`), which is the suite's canonical URI; every
//! other case is signed as our clients sign (`PathEncoding::Double`).

use std::io::Write as _;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use awsgen_runtime::sigv4::{self, PathEncoding, SigningKeyCache};
use awsgen_runtime::Credentials;
use integration_tests::shared_dir;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

/// The token of `get-vanilla-with-session-token`, from its `.creq`.
const VANILLA_TOKEN: &str = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";

/// Every case folder (one holding a `.req` named like the folder), sorted.
fn cases(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries.into_iter().filter(|p| p.is_dir()) {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if p.join(format!("{name}.req")).is_file() {
            out.push(p.clone());
        }
        cases(&p, out);
    }
}

/// A `.req` file as an `http::Request`: obsolete line folding is unfolded as HTTP parsers do,
/// and characters a request line cannot hold are percent-encoded.
fn parse_request(text: &str) -> (http::Request<Vec<u8>>, bool) {
    let (head, body) = match text.split_once("\n\n") {
        Some((h, b)) => (h, b.as_bytes().to_vec()),
        None => (text, Vec::new()),
    };
    let mut lines = head.lines();
    let first = lines.next().unwrap();
    let method = first.split(' ').next().unwrap();
    let target = first[method.len() + 1..].rsplit_once(" HTTP/").unwrap().0;
    let needs_encoding = target.bytes().any(|b| b == b' ' || !b.is_ascii());
    let wire: String = target
        .bytes()
        .map(|b| if b == b' ' || !b.is_ascii() { format!("%{b:02X}") } else { char::from(b).to_string() })
        .collect();
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().expect("a continuation follows a header");
            last.1.push(' ');
            last.1.push_str(line.trim_start());
        } else if let Some((k, v)) = line.split_once(':') {
            headers.push((k.to_string(), v.to_string()));
        }
    }
    let host = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("host")).map(|(_, v)| v.clone()).unwrap();
    let mut b = http::Request::builder().method(method).uri(format!("https://{host}{wire}"));
    for (k, v) in &headers {
        if !k.eq_ignore_ascii_case("host") {
            b = b.header(k.as_str(), v.as_str());
        }
    }
    (b.body(body).unwrap(), needs_encoding)
}

fn string_to_sign(creq: &str, date_time: &str, scope: &str) -> String {
    use sha2::Digest as _;
    let hash = sha2::Sha256::digest(creq.as_bytes());
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("AWS4-HMAC-SHA256\n{date_time}\n{scope}\n{hex}")
}

#[test]
fn every_case_of_the_official_sigv4_test_suite() {
    let Some(shared) = shared_dir() else { return };
    let mut dirs = Vec::new();
    cases(&shared.join("reference/sigv4-testsuite"), &mut dirs);
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160); // 20150830T123600Z
    let (mut passed, mut failures) = (0, Vec::new());
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let read = |ext: &str| std::fs::read_to_string(dir.join(format!("{name}.{ext}"))).unwrap();
        let (mut request, raw_path) = parse_request(&read("req"));
        let encoding = if raw_path { PathEncoding::AsIs } else { PathEncoding::Double };
        // `post-sts-header-before` signs the session token; `-after` adds it after signing.
        let token = match name.as_str() {
            "post-sts-header-before" => Some(TOKEN.to_string()),
            "get-vanilla-with-session-token" => Some(VANILLA_TOKEN.to_string()),
            _ => None,
        };
        let creds = Credentials::new("AKIDEXAMPLE", SECRET, token);
        let payload = sigv4::payload_hash(request.body());
        sigv4::sign_with(
            &mut request,
            &payload,
            &creds,
            "us-east-1",
            "service",
            time,
            &SigningKeyCache::default(),
            encoding,
        )
        .unwrap();
        let (creq, _) = sigv4::canonical_request_with(&request, &payload, encoding).unwrap();
        let sts = string_to_sign(&creq, "20150830T123600Z", "20150830/us-east-1/service/aws4_request");
        let authz = request.headers()["authorization"].to_str().unwrap().to_string();
        let mut wrong = Vec::new();
        for (what, ours, theirs) in
            [("creq", &creq, read("creq")), ("sts", &sts, read("sts")), ("authz", &authz, read("authz"))]
        {
            if *ours != theirs {
                wrong.push(format!("{what}: ours\n{ours}\n--- expected\n{theirs}"));
            }
        }
        if wrong.is_empty() {
            passed += 1;
        } else {
            failures.push(format!("{name}:\n{}", wrong.join("\n")));
        }
    }
    let _ = writeln!(
        std::io::stdout(),
        "sigv4 test suite: passed {passed}, failed {}, total {}",
        failures.len(),
        dirs.len()
    );
    assert!(dirs.len() >= 30, "the suite has {} cases", dirs.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
