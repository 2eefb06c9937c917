//! End to end against moto, the AWS emulator, on 127.0.0.1: a DynamoDB crate generated from
//! the shared model creates tables, waits for one with the `TableExists` waiter, and pages
//! through `ListTables` two tables at a time, with the paginators and waiters generated from the
//! model. moto is installed by the test itself, into a virtual environment under `target/`.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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
use std::time::Duration;

use dynamodb::operation::create_table::CreateTableInput;
use dynamodb::operation::describe_table::DescribeTableInput;
use dynamodb::operation::list_tables::ListTablesInput;
use dynamodb::runtime::Credentials;
use dynamodb::types::{AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType};
use dynamodb::{Client, DynamoDb, DynamoDbPaginators, DynamoDbWaiters};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let url = std::env::var("MOTO_URL").expect("MOTO_URL");
    let client = Client::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(Credentials::new("testing", "testing", None))
        .build()
        .unwrap();
    for i in 0..5 {
        let input = CreateTableInput::builder()
            .table_name(format!("table-{i}"))
            .attribute_definitions(vec![AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap()])
            .key_schema(vec![KeySchemaElement::builder().attribute_name("pk").key_type(KeyType::Hash).build().unwrap()])
            .billing_mode(BillingMode::PayPerRequest)
            .build()
            .unwrap();
        client.create_table(input).await.unwrap();
    }
    let table = DescribeTableInput::builder().table_name("table-3").build().unwrap();
    let done = client.wait_until_table_exists(table, Duration::from_secs(120)).await.unwrap();
    println!("TableExists: acceptor {} after {} attempt(s)", done.acceptor, done.attempts);
    let pages = client.list_tables_pages(ListTablesInput::builder().build()).page_size(2).collect_pages().await.unwrap();
    let sizes: Vec<usize> = pages.iter().map(|p| p.table_names.as_ref().map_or(0, Vec::len)).collect();
    println!("ListTables pages: {sizes:?}");
    let names = client.list_tables_items(ListTablesInput::builder().limit(2).build()).collect_items().await.unwrap();
    println!("ListTables items: {}", names.join(","));
    let missing = DescribeTableInput::builder().table_name("no-such-table").build().unwrap();
    let gone = client.wait_until_table_not_exists(missing, Duration::from_secs(120)).await.unwrap();
    println!("TableNotExists: acceptor {} after {} attempt(s)", gone.acceptor, gone.attempts);
}
"#;

#[test]
fn dynamodb_pages_and_waits_against_moto() {
    let Some(shared) = shared_dir() else { return };
    let root = workspace_root();
    let Some(python) = integration_tests::python_venv("moto-venv", &root.join("tests/moto/requirements.txt")) else {
        return;
    };
    let out = root.join("target/moto-e2e");
    let _ = std::fs::remove_dir_all(&out);
    let text = std::fs::read_to_string(shared.join("aws-models/dynamodb.json")).unwrap();
    integration_tests::generate_crate("dynamodb.json", &text, "dynamodb", &out.join("dynamodb"));
    std::fs::create_dir_all(out.join("e2e/src")).unwrap();
    std::fs::write(
        out.join("e2e/Cargo.toml"),
        "[package]\nname = \"e2e\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n\
         dynamodb = { path = \"../dynamodb\" }\ntokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n",
    )
    .unwrap();
    std::fs::write(out.join("e2e/src/main.rs"), MAIN).unwrap();
    std::fs::write(out.join("Cargo.toml"), "[workspace]\nresolver = \"2\"\nmembers = [\"dynamodb\", \"e2e\"]\n")
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
    assert!(built.success(), "the DynamoDB end-to-end program does not build (see above)");

    let moto = start_moto(&python);
    let run = Command::new(root.join("target/compliance/target/debug/e2e"))
        .env("MOTO_URL", &moto.url)
        .output()
        .expect("the program runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&run.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "TableExists: acceptor 0 after 1 attempt(s)",
            "ListTables pages: [2, 2, 1]",
            "ListTables items: table-0,table-1,table-2,table-3,table-4",
            "TableNotExists: acceptor 0 after 1 attempt(s)",
        ],
        "{stdout}"
    );
}
