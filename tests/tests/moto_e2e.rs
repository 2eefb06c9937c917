//! End to end against moto, the AWS emulator, on 127.0.0.1, through crates generated from the
//! shared models, one per protocol family: DynamoDB (awsJson1_0: tables, the `TableExists` and
//! `TableNotExists` waiters, `ListTables` paged, `Scan` paged on its map token), S3 (restXml: a bucket, 2,500 objects, the
//! `BucketExists` and `ObjectExists` waiters, `GetObject`, `ListObjectsV2` paged, a presigned
//! `PutObject` and `GetObject` sent without credentials), STS, IAM
//! and SNS (awsQuery) and SQS (awsJson1_0, query-compatible). moto is installed by the test
//! itself, into a virtual environment under `target/`. Prints
//! `moto end-to-end: passed P, failed F, total N`.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use std::io::Write as _;

use integration_tests::{shared_dir, workspace_root};

/// A moto server, stopped when dropped.
struct Moto {
    child: Child,
    url: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_moto(python: &Path) -> Moto {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(python)
        .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto starts");
    let moto = Moto { child, url: format!("http://127.0.0.1:{port}") };
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        assert!(Instant::now() < deadline, "moto did not listen on {addr} within a minute");
        std::thread::sleep(Duration::from_millis(200));
    }
    moto
}

const MAIN: &str = r#"
//! One scenario per service, each through its generated crate as a user writes it; prints
//! `ok <scenario>: <what it saw>` or `FAIL <scenario>: <error>`.
use std::sync::Arc;
use std::time::Duration;

use dynamodb::runtime::Credentials;

macro_rules! t {
    ($e:expr) => {
        $e.map_err(|e| e.to_string())?
    };
}

fn creds() -> Credentials {
    Credentials::new("testing", "testing", None)
}

async fn dynamodb(url: &str) -> Result<String, String> {
    use dynamodb::operation::create_table::CreateTableInput;
    use dynamodb::operation::describe_table::DescribeTableInput;
    use dynamodb::operation::list_tables::ListTablesInput;
    use dynamodb::operation::put_item::PutItemInput;
    use dynamodb::operation::scan::ScanInput;
    use dynamodb::types::{AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType};
    use dynamodb::{DynamoDb, DynamoDbPaginators, DynamoDbWaiters};
    let client = t!(dynamodb::Client::builder().region("us-east-1").endpoint_url(url).credentials(creds()).build());
    for i in 0..5 {
        let input = t!(CreateTableInput::builder()
            .table_name(format!("table-{i}"))
            .attribute_definitions(vec![t!(AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(ScalarAttributeType::S)
                .build())])
            .key_schema(vec![t!(KeySchemaElement::builder().attribute_name("pk").key_type(KeyType::Hash).build())])
            .billing_mode(BillingMode::PayPerRequest)
            .build());
        t!(client.create_table(input).await);
    }
    let table = t!(DescribeTableInput::builder().table_name("table-3").build());
    let done = t!(client.wait_until_table_exists(table, Duration::from_secs(120)).await);
    let pages = t!(client.list_tables_pages(ListTablesInput::builder().build()).page_size(2).collect_pages().await);
    let sizes: Vec<usize> = pages.iter().map(|p| p.table_names.as_ref().map_or(0, Vec::len)).collect();
    let names = t!(client.list_tables_items(ListTablesInput::builder().limit(2).build()).collect_items().await);
    // Scan pages on a map token: each page's `LastEvaluatedKey` is the next `ExclusiveStartKey`.
    for i in 0..5 {
        let item = std::collections::BTreeMap::from([("pk".to_string(), AttributeValue::S(format!("item-{i}")))]);
        t!(client.put_item(t!(PutItemInput::builder().table_name("table-0").item(item).build())).await);
    }
    let scan = || ScanInput::builder().table_name("table-0");
    let scanned = t!(client.scan_pages(t!(scan().build())).page_size(2).collect_pages().await);
    let scan_sizes: Vec<usize> = scanned.iter().map(|p| p.items.as_ref().map_or(0, Vec::len)).collect();
    let mut keys: Vec<String> = t!(client.scan_items(t!(scan().limit(2).build())).collect_items().await)
        .iter()
        .filter_map(|item| match item.get("pk") {
            Some(AttributeValue::S(s)) => Some(s.clone()),
            _ => None,
        })
        .collect();
    keys.sort();
    let missing = t!(DescribeTableInput::builder().table_name("no-such-table").build());
    let gone = t!(client.wait_until_table_not_exists(missing, Duration::from_secs(120)).await);
    Ok(format!(
        "TableExists acceptor {} after {}; pages {sizes:?}; items {}; scan pages {scan_sizes:?}, items {}; \
         TableNotExists acceptor {} after {}",
        done.acceptor,
        done.attempts,
        names.join(","),
        keys.join(","),
        gone.acceptor,
        gone.attempts
    ))
}

async fn s3(url: &str) -> Result<String, String> {
    use s3::operation::create_bucket::CreateBucketInput;
    use s3::operation::get_object::GetObjectInput;
    use s3::operation::head_bucket::HeadBucketInput;
    use s3::operation::head_object::HeadObjectInput;
    use s3::operation::list_objects_v2::ListObjectsV2Input;
    use s3::operation::put_object::PutObjectInput;
    use s3::{ClientContextParams, S3Paginators, S3Waiters, S3};
    let client = Arc::new(t!(s3::Client::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(creds())
        .force_path_style(true)
        .build()));
    let bucket = "awsgen-e2e";
    t!(client.create_bucket(t!(CreateBucketInput::builder().bucket(bucket).build())).await);
    let exists = t!(client
        .wait_until_bucket_exists(t!(HeadBucketInput::builder().bucket(bucket).build()), Duration::from_secs(60))
        .await);
    // 2,500 keys, 25 at a time.
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..2500 {
        let client = client.clone();
        tasks.spawn(async move {
            let input = PutObjectInput::builder()
                .bucket(bucket)
                .key(format!("key-{i:05}"))
                .body(format!("object {i}").into_bytes())
                .build()
                .map_err(|e| e.to_string())?;
            client.put_object(input).await.map(|_| ()).map_err(|e| e.to_string())
        });
        if tasks.len() >= 25 {
            t!(tasks.join_next().await.unwrap().unwrap());
        }
    }
    while let Some(r) = tasks.join_next().await {
        t!(r.unwrap());
    }
    let head = t!(HeadObjectInput::builder().bucket(bucket).key("key-00042").build());
    let object = t!(client.wait_until_object_exists(head, Duration::from_secs(60)).await);
    let got = t!(client.get_object(t!(GetObjectInput::builder().bucket(bucket).key("key-02499").build())).await);
    let body = String::from_utf8_lossy(&t!(got.body.collect().await)).to_string();
    let pages = t!(client
        .list_objects_v2_pages(t!(ListObjectsV2Input::builder().bucket(bucket).build()))
        .collect_pages()
        .await);
    let sizes: Vec<usize> = pages.iter().map(|p| p.contents.as_ref().map_or(0, Vec::len)).collect();
    let last = pages.last().and_then(|p| p.contents.as_ref()).and_then(|c| c.last()).and_then(|o| o.key.clone());
    // Sent with a CRC32 (the default for operations that support checksums) and checked on the
    // way back; SHA-256 when the caller names it.
    let crc32 = got.checksum_crc32.is_some();
    t!(client
        .put_object(t!(PutObjectInput::builder()
            .bucket(bucket)
            .key("sha.txt")
            .body(b"checked".to_vec())
            .checksum_algorithm(s3::types::ChecksumAlgorithm::Sha256)
            .build()))
        .await);
    let sha = t!(client.get_object(t!(GetObjectInput::builder().bucket(bucket).key("sha.txt").build())).await);
    let checksums = format!("crc32 {crc32}, sha256 {}", sha.checksum_sha256.is_some());
    // Multi-Region Access Points (SigV4a) and S3 Express buckets: a clear error, nothing sent.
    let aws = t!(s3::Client::builder().region("us-west-2").credentials(creds()).build());
    let mut refused = Vec::new();
    for bucket in ["arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap", "mybucket--usw2-az1--x-s3"] {
        let input = t!(GetObjectInput::builder().bucket(bucket).key("k").build());
        match aws.get_object(input).await {
            Err(s3::Error::Endpoint(e)) => refused.push(e.to_string()),
            other => return Err(format!("{bucket}: expected an endpoint error, got {other:?}")),
        }
    }
    // Presigned PUT, then GET, sent without credentials.
    use s3::runtime::http::HttpConnector as _;
    let http = t!(s3::runtime::http::HyperConnector::new(Duration::from_secs(5)));
    let key = "presigned.txt";
    let put = t!(client
        .core()
        .presign::<s3::operation::put_object::PutObject>(
            t!(PutObjectInput::builder().bucket(bucket).key(key).build()),
            Duration::from_secs(300)
        )
        .await);
    let mut req = s3::runtime::http::Request::new(b"sent presigned".to_vec());
    *req.method_mut() = put.method;
    *req.uri_mut() = put.uri;
    let put_status = t!(http.send(req, None).await).status().as_u16();
    let get = t!(client
        .core()
        .presign::<s3::operation::get_object::GetObject>(
            t!(GetObjectInput::builder().bucket(bucket).key(key).build()),
            Duration::from_secs(300)
        )
        .await);
    let mut req = s3::runtime::http::Request::new(Vec::new());
    *req.uri_mut() = get.uri;
    let got = t!(http.send(req, None).await);
    let presigned = format!("{} {} {:?}", put_status, got.status().as_u16(), String::from_utf8_lossy(got.body()));
    Ok(format!(
        "BucketExists acceptor {} after {}; ObjectExists acceptor {} after {}; GetObject {body:?}; \
         ListObjectsV2 pages {sizes:?}, last {}; presigned PUT, GET: {presigned}; checksums {checksums}; \
         refused: {}",
        exists.acceptor,
        exists.attempts,
        object.acceptor,
        object.attempts,
        last.unwrap_or_default(),
        refused.join(" / ")
    ))
}

/// The byte at `offset` of the large object: a pattern that shows any byte moved or lost.
fn pattern(offset: usize) -> u8 {
    ((offset * 31 + offset / 4096) % 251) as u8
}

/// The peak resident memory of this process so far (`VmHWM`), in MiB.
fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0);
    kib / 1024
}

/// A 64 MiB object: `PutObject` streamed from a file (its CRC32 in an `aws-chunked` trailer),
/// `GetObject` read as a stream (its CRC32 checked as it is read), and the process's peak
/// memory before and after.
async fn s3_stream(url: &str) -> Result<String, String> {
    use s3::operation::create_bucket::CreateBucketInput;
    use s3::operation::get_object::GetObjectInput;
    use s3::operation::put_object::PutObjectInput;
    use s3::runtime::body::ByteStream;
    use s3::{ClientContextParams, S3};
    use std::io::Write as _;
    const SIZE: usize = 64 << 20;
    let client = t!(s3::Client::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(creds())
        .force_path_style(true)
        .build());
    let bucket = "awsgen-stream";
    t!(client.create_bucket(t!(CreateBucketInput::builder().bucket(bucket).build())).await);
    let path = std::env::temp_dir().join(format!("awsgen-e2e-{}.bin", std::process::id()));
    {
        let mut file = std::io::BufWriter::new(t!(std::fs::File::create(&path)));
        let mut piece = vec![0u8; 1 << 20];
        for start in (0..SIZE).step_by(piece.len()) {
            for (i, b) in piece.iter_mut().enumerate() {
                *b = pattern(start + i);
            }
            t!(file.write_all(&piece));
        }
        t!(file.flush());
    }
    let before = peak_rss_mib();
    let body = t!(ByteStream::from_path(&path).await);
    let put = t!(PutObjectInput::builder().bucket(bucket).key("large.bin").body(body).build());
    let sent = t!(client.put_object(put).await);
    let mut got = t!(client.get_object(t!(GetObjectInput::builder().bucket(bucket).key("large.bin").build())).await);
    let (mut read, mut chunks, mut same) = (0usize, 0usize, true);
    while let Some(chunk) = got.body.next().await {
        let chunk = t!(chunk);
        same &= chunk.iter().enumerate().all(|(i, b)| *b == pattern(read + i));
        read += chunk.len();
        chunks += 1;
    }
    let after = peak_rss_mib();
    // The same file as a multipart upload of two 32 MiB parts, each a range of the file.
    use s3::operation::complete_multipart_upload::CompleteMultipartUploadInput;
    use s3::operation::create_multipart_upload::CreateMultipartUploadInput;
    use s3::operation::head_object::HeadObjectInput;
    use s3::operation::upload_part::UploadPartInput;
    use s3::types::{CompletedMultipartUpload, CompletedPart};
    let created = t!(client
        .create_multipart_upload(t!(CreateMultipartUploadInput::builder().bucket(bucket).key("parts.bin").build()))
        .await);
    let upload_id = created.upload_id.unwrap_or_default();
    let mut parts = Vec::new();
    for (i, offset) in [0, SIZE / 2].into_iter().enumerate() {
        let body = t!(ByteStream::from_file_range(&path, offset as u64, (SIZE / 2) as u64).await);
        let number = i as i32 + 1;
        let input = t!(UploadPartInput::builder()
            .bucket(bucket)
            .key("parts.bin")
            .upload_id(upload_id.clone())
            .part_number(number)
            .body(body)
            .build());
        let part = t!(client.upload_part(input).await);
        parts.push(
            CompletedPart::builder().part_number(number).e_tag(part.e_tag.unwrap_or_default()).build(),
        );
    }
    let complete = t!(CompleteMultipartUploadInput::builder()
        .bucket(bucket)
        .key("parts.bin")
        .upload_id(upload_id)
        .multipart_upload(CompletedMultipartUpload::builder().parts(parts).build())
        .build());
    t!(client.complete_multipart_upload(complete).await);
    let head = t!(client.head_object(t!(HeadObjectInput::builder().bucket(bucket).key("parts.bin").build())).await);
    let _ = std::fs::remove_file(&path);
    println!("memory s3-stream: peak RSS {before} MiB before the transfers, {after} MiB after; {chunks} chunks read");
    Ok(format!(
        "PutObject from a file and GetObject as a stream: {read} bytes, {}; CRC32 sent {}, checked {}; \
         the transfers' peak memory {} than the object; multipart upload of two file ranges: {:?} bytes",
        if same { "every byte in place" } else { "bytes differ" },
        sent.checksum_crc32 == got.checksum_crc32 && got.checksum_crc32.is_some(),
        got.checksum_crc32.is_some(),
        if after < before + (SIZE as u64 >> 20) / 2 { "far less" } else { "not far less" },
        head.content_length,
    ))
}

async fn sts(url: &str) -> Result<String, String> {
    use sts::operation::get_caller_identity::GetCallerIdentityInput;
    use sts::Sts;
    let client = t!(sts::Client::builder().region("us-east-1").endpoint_url(url).credentials(creds()).build());
    let me = t!(client.get_caller_identity(GetCallerIdentityInput::builder().build()).await);
    Ok(format!("account {}", me.account.unwrap_or_default()))
}

async fn iam(url: &str) -> Result<String, String> {
    use iam::operation::create_user::CreateUserInput;
    use iam::operation::list_users::ListUsersInput;
    use iam::Iam;
    let client = t!(iam::Client::builder().region("us-east-1").endpoint_url(url).credentials(creds()).build());
    for name in ["alice", "bob"] {
        t!(client.create_user(t!(CreateUserInput::builder().user_name(name).build())).await);
    }
    let users = t!(client.list_users(ListUsersInput::builder().build()).await);
    let mut names: Vec<String> = users.users.into_iter().map(|u| u.user_name).collect();
    names.sort();
    Ok(format!("users {}", names.join(",")))
}

async fn sns(url: &str) -> Result<String, String> {
    use sns::operation::create_topic::CreateTopicInput;
    use sns::operation::publish::PublishInput;
    use sns::Sns;
    let client = t!(sns::Client::builder().region("us-east-1").endpoint_url(url).credentials(creds()).build());
    let topic = t!(client.create_topic(t!(CreateTopicInput::builder().name("events").build())).await);
    let arn = topic.topic_arn.unwrap_or_default();
    let sent = t!(client.publish(t!(PublishInput::builder().topic_arn(arn.clone()).message("hello").build())).await);
    Ok(format!("topic {}; message id set: {}", arn.rsplit(':').next().unwrap_or(""), sent.message_id.is_some()))
}

async fn sqs(url: &str) -> Result<String, String> {
    use sqs::operation::create_queue::CreateQueueInput;
    use sqs::operation::receive_message::ReceiveMessageInput;
    use sqs::operation::send_message::SendMessageInput;
    use sqs::Sqs;
    let client = t!(sqs::Client::builder().region("us-east-1").endpoint_url(url).credentials(creds()).build());
    let queue = t!(client.create_queue(t!(CreateQueueInput::builder().queue_name("jobs").build())).await);
    let queue_url = queue.queue_url.unwrap_or_default();
    t!(client.send_message(t!(SendMessageInput::builder().queue_url(queue_url.clone()).message_body("hello").build())).await);
    let got = t!(client
        .receive_message(t!(ReceiveMessageInput::builder().queue_url(queue_url).max_number_of_messages(1).build()))
        .await);
    let bodies: Vec<String> = got.messages.unwrap_or_default().into_iter().filter_map(|m| m.body).collect();
    Ok(format!("received {bodies:?}"))
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let url = std::env::var("MOTO_URL").expect("MOTO_URL");
    let results = [
        ("s3-stream", s3_stream(&url).await),
        ("dynamodb", dynamodb(&url).await),
        ("s3", s3(&url).await),
        ("sts", sts(&url).await),
        ("iam", iam(&url).await),
        ("sns", sns(&url).await),
        ("sqs", sqs(&url).await),
    ];
    for (name, r) in results {
        match r {
            Ok(what) => println!("ok {name}: {what}"),
            Err(e) => println!("FAIL {name}: {e}"),
        }
    }
}
"#;

/// The services the program calls, by the shared model file they are generated from.
const SERVICES: [(&str, &str); 6] =
    [("dynamodb", "dynamodb"), ("s3", "s3"), ("sts", "sts"), ("iam", "iam"), ("sns", "sns"), ("sqs", "sqs")];

/// What each scenario must print after `ok <name>: `.
const EXPECTED: [(&str, &str); 7] = [
    (
        "s3-stream",
        "PutObject from a file and GetObject as a stream: 67108864 bytes, every byte in place; CRC32 sent true, \
         checked true; the transfers' peak memory far less than the object; multipart upload of two file \
         ranges: Some(67108864) bytes",
    ),
    (
        "dynamodb",
        "TableExists acceptor 0 after 1; pages [2, 2, 1]; items table-0,table-1,table-2,table-3,table-4; \
         scan pages [2, 2, 1], items item-0,item-1,item-2,item-3,item-4; TableNotExists acceptor 0 after 1",
    ),
    (
        "s3",
        "BucketExists acceptor 0 after 1; ObjectExists acceptor 0 after 1; GetObject \"object 2499\"; \
         ListObjectsV2 pages [1000, 1000, 500], last key-02499; presigned PUT, GET: 200 200 \"sent presigned\"; \
         checksums crc32 true, sha256 true; refused: GetObject: the endpoint requires the auth scheme `sigv4a`, \
         which is not supported yet / GetObject: the endpoint requires the auth scheme `sigv4-s3express`, which is not \
         supported yet",
    ),
    ("sts", "account 123456789012"),
    ("iam", "users alice,bob"),
    ("sns", "topic events; message id set: true"),
    ("sqs", "received [\"hello\"]"),
];

#[test]
fn generated_clients_against_moto() {
    let Some(shared) = shared_dir() else { return };
    let root = workspace_root();
    let Some(python) = integration_tests::python_venv("moto-venv", &root.join("tests/moto/requirements.txt")) else {
        return;
    };
    let out = root.join("target/moto-e2e");
    let _ = std::fs::remove_dir_all(&out);
    let mut deps = String::new();
    for (krate, model) in SERVICES {
        let text = std::fs::read_to_string(shared.join(format!("aws-models/{model}.json"))).unwrap();
        integration_tests::generate_crate(&format!("{model}.json"), &text, krate, &out.join(krate));
        deps.push_str(&format!("{krate} = {{ path = \"../{krate}\" }}\n"));
    }
    std::fs::create_dir_all(out.join("e2e/src")).unwrap();
    std::fs::write(
        out.join("e2e/Cargo.toml"),
        format!(
            "[package]\nname = \"e2e\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n\
             {deps}tokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n"
        ),
    )
    .unwrap();
    std::fs::write(out.join("e2e/src/main.rs"), MAIN).unwrap();
    let members: Vec<String> = SERVICES.iter().map(|(k, _)| format!("\"{k}\"")).collect();
    std::fs::write(
        out.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [{}, \"e2e\"]\n", members.join(", ")),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let built = Command::new(&cargo)
        .args(["build", "--quiet", "-p", "e2e", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(root.join("target/compliance/target"))
        .status()
        .expect("cargo runs");
    assert!(built.success(), "the end-to-end program does not build (see above)");

    let moto = start_moto(&python);
    let run = Command::new(root.join("target/compliance/target/debug/e2e"))
        .env("MOTO_URL", &moto.url)
        .output()
        .expect("the program runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&run.stderr));
    let mut problems = Vec::new();
    for (name, want) in EXPECTED {
        let line = stdout
            .lines()
            .filter(|l| l.starts_with("ok ") || l.starts_with("FAIL "))
            .find(|l| l.split_once(": ").is_some_and(|(h, _)| h.ends_with(&format!(" {name}"))));
        match line {
            Some(l) if l == format!("ok {name}: {want}") => {}
            Some(l) => problems.push(format!("{l}\n  want: ok {name}: {want}")),
            None => problems.push(format!("{name}: no line in\n{stdout}")),
        }
    }
    for line in stdout.lines().filter(|l| l.starts_with("memory ")) {
        let _ = writeln!(std::io::stdout(), "{line}");
    }
    let _ = writeln!(
        std::io::stdout(),
        "moto end-to-end: passed {}, failed {}, total {}",
        EXPECTED.len() - problems.len(),
        problems.len(),
        EXPECTED.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
