//! The crates generated from the snapshot fixtures (codegen/tests/fixtures/ok) compile, with
//! clippy warnings denied: the snapshots are not just text, they build.

use std::process::Command;

use integration_tests::workspace_root;

#[test]
fn fixture_crates_pass_clippy() {
    let root = workspace_root();
    let fixtures = root.join("codegen/tests/fixtures/ok");
    let out = root.join("target/fixture-crates");
    let _ = std::fs::remove_dir_all(&out);
    let mut members = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&fixtures).unwrap().flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        integration_tests::generate_crate(&name, &text, &format!("fixture-{name}"), &out.join(&name));
        members.push(format!("\"{name}\""));
    }
    // The crate of the full AppFlow model (25 operations), whose paginators page through a mock.
    let mut test_packages =
        vec!["fixture-context_params", "fixture-waiters", "fixture-cbor", "fixture-streaming", "fixture-structure"];
    if let Some(shared) = integration_tests::shared_dir() {
        let text = std::fs::read_to_string(shared.join("models/appflow.json")).unwrap();
        let generated =
            integration_tests::generate_crate("appflow.json", &text, "fixture-appflow-full", &out.join("appflow_full"));
        assert_eq!(generated.summary.operations, 25);
        std::fs::write(out.join("appflow_full/tests/paging.rs"), APPFLOW_PAGING_TEST).unwrap();
        integration_tests::add_dev_dependencies(&out.join("appflow_full/Cargo.toml"), TOKIO);
        members.push("\"appflow_full\"".into());
        test_packages.push("fixture-appflow-full");
    }
    // The client context parameters' builder methods reach the endpoint rules.
    std::fs::write(out.join("context_params/tests/builder.rs"), CONTEXT_PARAMS_TEST).unwrap();
    integration_tests::add_dev_dependencies(&out.join("context_params/Cargo.toml"), TOKIO);
    // Builders: defaults, required members set and cleared, `Debug`, equality.
    std::fs::create_dir_all(out.join("structure/tests")).unwrap();
    std::fs::write(out.join("structure/tests/builders.rs"), STRUCTURE_TEST).unwrap();
    // CBOR bodies written and read back, and a CBOR error.
    std::fs::create_dir_all(out.join("cbor/tests")).unwrap();
    std::fs::write(out.join("cbor/tests/roundtrip.rs"), CBOR_TEST).unwrap();
    integration_tests::add_dev_dependencies(&out.join("cbor/Cargo.toml"), "http = \"1\"");
    // Paginators and waiters over a test double, on tokio's paused clock.
    std::fs::create_dir_all(out.join("waiters/tests")).unwrap();
    std::fs::write(out.join("waiters/tests/behaviour.rs"), WAITERS_TEST).unwrap();
    integration_tests::add_dev_dependencies(
        &out.join("waiters/Cargo.toml"),
        "tokio = { version = \"1\", features = [\"macros\", \"rt\", \"time\", \"test-util\"] }\nfutures-core = \"0.3\"",
    );
    // Streaming bodies over real HTTP on 127.0.0.1: aws-chunked uploads, retries, checked
    // downloads, and the stall timeout.
    std::fs::create_dir_all(out.join("streaming/tests")).unwrap();
    std::fs::write(out.join("streaming/tests/streams.rs"), STREAMING_TEST).unwrap();
    integration_tests::add_dev_dependencies(
        &out.join("streaming/Cargo.toml"),
        "tokio = { version = \"1\", features = [\"macros\", \"rt\", \"net\", \"time\", \"io-util\"] }",
    );
    std::fs::write(
        out.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", ")),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["clippy", "--quiet", "--workspace", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(root.join("target/compliance/target"))
        .args(["--", "-D", "warnings"])
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the generated fixture crates do not pass clippy (see the output above)");
    let mut test = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    test.args(["test", "--quiet"]);
    for p in &test_packages {
        test.args(["-p", p]);
    }
    let status = test
        .arg("--manifest-path")
        .arg(out.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(root.join("target/compliance/target"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the tests of {test_packages:?} fail (see the output above)");
}

/// The dev-dependency of the fixture tests that run async code.
const TOKIO: &str = "tokio = { version = \"1\", features = [\"macros\", \"rt\"] }";

const CONTEXT_PARAMS_TEST: &str = r#"
use fixture_context_params::{Client, ClientContextParams};
use fixture_context_params::runtime::Credentials;

fn builder() -> fixture_context_params::runtime::client::ClientBuilder<Client> {
    Client::builder().region("us-west-2").credentials(Credentials::new("AKID", "secret", None))
}

#[test]
fn typed_builder_methods_set_the_endpoint_rules_parameters() {
    let endpoint = |b: fixture_context_params::runtime::client::ClientBuilder<Client>| b.build().unwrap().core().endpoint().to_string();
    assert_eq!(endpoint(builder()), "https://service.us-west-2.example.com/");
    assert_eq!(endpoint(builder().force_path_style(true)), "https://path.us-west-2.example.com/");
    assert_eq!(endpoint(builder().stage("beta")), "https://beta.us-west-2.example.com/");
    assert_eq!(endpoint(builder().force_path_style(false).stage("gamma").retry_param(true)), "https://gamma.us-west-2.example.com/");
}

/// Answers 200 to everything and keeps the URIs it was sent, and whether they were signed.
#[derive(Clone, Default)]
struct Capture(std::sync::Arc<std::sync::Mutex<Vec<String>>>, std::sync::Arc<std::sync::Mutex<Vec<bool>>>);

impl fixture_context_params::runtime::http::HttpConnector for Capture {
    fn send(
        &self,
        request: fixture_context_params::runtime::http::Request,
        _timeout: Option<std::time::Duration>,
    ) -> fixture_context_params::BoxFuture<'_, Result<fixture_context_params::runtime::http::Response, fixture_context_params::runtime::http::ConnectorError>> {
        self.0.lock().unwrap().push(request.uri().to_string());
        self.1.lock().unwrap().push(request.headers().contains_key("authorization"));
        Box::pin(async { Ok(http_response()) })
    }
}

fn http_response() -> fixture_context_params::runtime::http::Response {
    let mut r = fixture_context_params::runtime::http::Response::new(Default::default());
    *r.status_mut() = 200u16.try_into().unwrap();
    r
}

#[test]
fn operation_context_params_come_from_the_input_by_their_path() {
    use fixture_context_params::ContextExample;
    use fixture_context_params::operation::batch::BatchInput;
    use fixture_context_params::types::Item;
    let capture = Capture::default();
    let client = builder().connector(capture.clone()).build().unwrap();
    let input = BatchInput::builder().items(vec![Item::builder().name("first").build(), Item::builder().name("second").build()]).build();
    let run = |input| block_on(client.batch(input));
    run(input).unwrap();
    run(BatchInput::builder().build()).unwrap();
    let uris = capture.0.lock().unwrap().clone();
    assert_eq!(uris, ["https://first.us-west-2.example.com/batch", "https://service.us-west-2.example.com/batch"]);
}

/// Polls a future whose connector answers at once to completion on this thread.
fn block_on<F: std::future::Future>(fut: F) -> F::Output {
    let mut fut = std::pin::pin!(fut);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(r) = fut.as_mut().poll(&mut cx) {
            return r;
        }
    }
}

#[tokio::test]
async fn unsigned_operations_need_no_credentials_and_carry_no_signature() {
    use fixture_context_params::ContextExample;
    use fixture_context_params::operation::{anonymous::AnonymousInput, maybe_signed::MaybeSignedInput, batch::BatchInput};
    if std::env::var_os("AWS_ACCESS_KEY_ID").is_some() || std::env::var_os("AWS_PROFILE").is_some() {
        eprintln!("note: AWS credentials in the environment; this test needs a clean one");
        return;
    }
    let capture = Capture::default();
    // No credentials anywhere (and no instance metadata): the client still builds.
    let env = [("AWS_EC2_METADATA_DISABLED".to_string(), "true".to_string())].into_iter().collect();
    let shared = fixture_context_params::runtime::config::SharedConfig::new(env, Default::default(), "default".into());
    let client = Client::builder()
        .region("us-west-2")
        .shared_config(shared)
        .connector(capture.clone())
        .build()
        .unwrap();
    client.anonymous(AnonymousInput::builder().build()).await.unwrap();
    client.maybe_signed(MaybeSignedInput::builder().build()).await.unwrap();
    // The default chain finds nothing.
    let err = client.batch(BatchInput::builder().build()).await.unwrap_err();
    assert!(err.to_string().starts_with("credentials error: no credentials"), "{err}");
    assert_eq!(*capture.1.lock().unwrap(), [false, false], "two unsigned requests sent, the signed one not");
    // With credentials, signed operations are signed and unsigned ones still are not.
    let client = builder().connector(capture.clone()).build().unwrap();
    client.anonymous(AnonymousInput::builder().build()).await.unwrap();
    client.batch(BatchInput::builder().build()).await.unwrap();
    assert_eq!(*capture.1.lock().unwrap(), [false, false, false, true]);
}
"#;

const WAITERS_TEST: &str = r#"
use std::sync::Mutex;
use std::time::Duration;

use fixture_waiters::operation::describe_table::{DescribeTableError, DescribeTableInput, DescribeTableOutput};
use fixture_waiters::operation::list_things::{ListThingsError, ListThingsInput, ListThingsOutput};
use fixture_waiters::operation::scan_things::{ScanThingsError, ScanThingsInput, ScanThingsOutput};
use fixture_waiters::runtime::waiter::WaitError;
use fixture_waiters::types::{Index, KeyValue, Page, ResourceNotFoundException, Status, Table};
use fixture_waiters::{BoxFuture, Error, WaitersExample, WaitersExamplePaginators, WaitersExampleWaiters};

/// Answers from a script, and records the inputs and when they came.
#[derive(Default)]
struct Mock {
    pages: Mutex<Vec<ListThingsOutput>>,
    tables: Mutex<Vec<Result<DescribeTableOutput, Error<DescribeTableError>>>>,
    seen: Mutex<Vec<(Option<String>, Option<i32>)>>,
    polls: Mutex<Vec<tokio::time::Instant>>,
    scans: Mutex<Vec<ScanThingsOutput>>,
    scan_keys: Mutex<Vec<(Option<Key>, Option<i32>)>>,
}

type Key = std::collections::BTreeMap<String, KeyValue>;

impl WaitersExample for Mock {
    fn list_things(&self, input: ListThingsInput) -> BoxFuture<'_, Result<ListThingsOutput, Error<ListThingsError>>> {
        self.seen.lock().unwrap().push((input.next_token.clone(), input.max_results));
        let page = self.pages.lock().unwrap().remove(0);
        Box::pin(async move { Ok(page) })
    }

    fn describe_table(&self, _input: DescribeTableInput) -> BoxFuture<'_, Result<DescribeTableOutput, Error<DescribeTableError>>> {
        self.polls.lock().unwrap().push(tokio::time::Instant::now());
        let answer = self.tables.lock().unwrap().remove(0);
        Box::pin(async move { answer })
    }

    fn scan_things(&self, input: ScanThingsInput) -> BoxFuture<'_, Result<ScanThingsOutput, Error<ScanThingsError>>> {
        self.scan_keys.lock().unwrap().push((input.exclusive_start_key.clone(), input.limit));
        let page = self.scans.lock().unwrap().remove(0);
        Box::pin(async move { Ok(page) })
    }
}

fn key(pk: &str) -> Key {
    Key::from([("pk".to_string(), KeyValue::S(pk.to_string()))])
}

fn scan_page(last: Option<Key>, items: &[&str]) -> ScanThingsOutput {
    let mut out = ScanThingsOutput::builder().items(items.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    if let Some(k) = last {
        out = out.last_evaluated_key(k);
    }
    out.build()
}

#[tokio::test]
async fn a_map_token_moves_from_each_output_and_an_empty_map_ends_the_pages() {
    let mock = Mock::default();
    *mock.scans.lock().unwrap() =
        vec![scan_page(Some(key("b")), &["a", "b"]), scan_page(Some(key("d")), &["c", "d"]), scan_page(Some(Key::new()), &["e"])];
    let items = mock.scan_things_items(ScanThingsInput::builder().limit(2).build()).collect_items().await.unwrap();
    assert_eq!(items, ["a", "b", "c", "d", "e"]);
    assert_eq!(*mock.scan_keys.lock().unwrap(), [(None, Some(2)), (Some(key("b")), Some(2)), (Some(key("d")), Some(2))]);
    // No key ends them too, and page_size sets `Limit`.
    let mock = Mock::default();
    *mock.scans.lock().unwrap() = vec![scan_page(Some(key("a")), &["a"]), scan_page(None, &["b"])];
    let pages = mock.scan_things_pages(ScanThingsInput::builder().build()).page_size(1).collect_pages().await.unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(*mock.scan_keys.lock().unwrap(), [(None, Some(1)), (Some(key("a")), Some(1))]);
}

#[tokio::test]
async fn a_repeated_map_token_ends_with_an_error() {
    let mock = Mock::default();
    *mock.scans.lock().unwrap() = vec![scan_page(Some(key("a")), &["a"]), scan_page(Some(key("a")), &["b"]), scan_page(None, &["never"])];
    let mut p = mock.scan_things_pages(ScanThingsInput::builder().build());
    assert!(p.next_page().await.unwrap().is_ok());
    let err = p.next_page().await.unwrap().unwrap_err();
    assert!(matches!(err, Error::RepeatedToken { operation: "ScanThings" }), "{err}");
    assert!(p.next_page().await.is_none(), "the error is the last item");
}

fn page(token: Option<&str>, things: &[&str]) -> ListThingsOutput {
    let mut p = Page::builder().things(things.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    if let Some(t) = token {
        p = p.next_token(t);
    }
    ListThingsOutput::builder().page(p.build()).build()
}

fn pages(mock: &Mock, list: Vec<ListThingsOutput>) {
    *mock.pages.lock().unwrap() = list;
}

#[tokio::test]
async fn pages_come_in_order_with_the_token_moved_from_each_output() {
    let mock = Mock::default();
    pages(&mock, vec![page(Some("t1"), &["a", "b"]), page(Some("t2"), &["c"]), page(Some(""), &["d"])]);
    let all = mock.list_things_pages(ListThingsInput::builder().build()).page_size(2).collect_pages().await.unwrap();
    assert_eq!(all.len(), 3, "an empty token ends the pages");
    assert_eq!(
        *mock.seen.lock().unwrap(),
        [(None, Some(2)), (Some("t1".into()), Some(2)), (Some("t2".into()), Some(2))]
    );
}

#[tokio::test]
async fn items_are_flattened_and_max_items_is_honoured() {
    let mock = Mock::default();
    pages(&mock, vec![page(Some("t1"), &["a", "b"]), page(Some("t2"), &["c", "d"]), page(None, &["e"])]);
    let items = mock.list_things_items(ListThingsInput::builder().build()).collect_items().await.unwrap();
    assert_eq!(items, ["a", "b", "c", "d", "e"]);
    let mock = Mock::default();
    pages(&mock, vec![page(Some("t1"), &["a", "b"]), page(Some("t2"), &["c", "d"]), page(None, &["e"])]);
    let items = mock.list_things_items(ListThingsInput::builder().build()).max_items(3).collect_items().await.unwrap();
    assert_eq!(items, ["a", "b", "c"]);
    assert_eq!(mock.seen.lock().unwrap().len(), 2, "no page past the one with the last item");
    // max_pages stops the pages.
    let mock = Mock::default();
    pages(&mock, vec![page(Some("t1"), &["a"]), page(Some("t2"), &["b"])]);
    let all = mock.list_things_pages(ListThingsInput::builder().build()).max_pages(1).collect_pages().await.unwrap();
    assert_eq!(all.len(), 1);
}

#[tokio::test]
async fn a_repeated_token_ends_with_an_error() {
    let mock = Mock::default();
    pages(&mock, vec![page(Some("t1"), &["a"]), page(Some("t1"), &["b"]), page(None, &["never"])]);
    let mut p = mock.list_things_pages(ListThingsInput::builder().build());
    assert!(p.next_page().await.unwrap().is_ok());
    let err = p.next_page().await.unwrap().unwrap_err();
    assert!(matches!(err, Error::RepeatedToken { operation: "ListThings" }), "{err}");
    assert!(p.next_page().await.is_none(), "the error is the last item");
}

#[tokio::test]
async fn pages_are_a_stream() {
    let mock = Mock::default();
    pages(&mock, vec![page(Some("t1"), &["a"]), page(None, &["b"])]);
    let mut items = mock.list_things_items(ListThingsInput::builder().build());
    let mut got = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| futures_core::Stream::poll_next(std::pin::Pin::new(&mut items), cx)).await {
        got.push(item.unwrap());
    }
    assert_eq!(got, ["a", "b"]);
}

fn table(status: Status) -> Result<DescribeTableOutput, Error<DescribeTableError>> {
    Ok(DescribeTableOutput::builder().table(Table::builder().table_status(status).build()).build())
}

fn not_found() -> Result<DescribeTableOutput, Error<DescribeTableError>> {
    Err(Error::Service(DescribeTableError::ResourceNotFoundException(ResourceNotFoundException::builder().build())))
}

fn input() -> DescribeTableInput {
    DescribeTableInput::builder().table_name("t").build().unwrap()
}

#[tokio::test(start_paused = true)]
async fn a_waiter_succeeds_after_three_polls_with_the_delays_in_bounds() {
    let mock = Mock::default();
    *mock.tables.lock().unwrap() = vec![not_found(), table(Status::Creating), table(Status::Active)];
    let start = tokio::time::Instant::now();
    let done = mock.wait_until_table_exists(input(), Duration::from_secs(300)).await.unwrap();
    assert_eq!((done.acceptor, done.attempts), (0, 3));
    assert!(done.response.is_ok());
    let polls = mock.polls.lock().unwrap().clone();
    // minDelay 2, maxDelay 10: the first delay is 2 s, the second between 2 and 4 s.
    assert_eq!(polls[0] - start, Duration::ZERO);
    assert_eq!(polls[1] - polls[0], Duration::from_secs(2));
    let second = polls[2] - polls[1];
    assert!(second >= Duration::from_secs(2) && second <= Duration::from_secs(4), "{second:?}");
}

#[tokio::test(start_paused = true)]
async fn a_failure_acceptor_ends_the_wait() {
    let mock = Mock::default();
    *mock.tables.lock().unwrap() = vec![table(Status::Creating), table(Status::Failed)];
    let err = mock.wait_until_table_exists(input(), Duration::from_secs(300)).await.unwrap_err();
    match err {
        WaitError::Failure { acceptor: 1, response: Ok(_), .. } => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn an_error_type_acceptor_can_mean_success() {
    let mock = Mock::default();
    *mock.tables.lock().unwrap() = vec![table(Status::Active), not_found()];
    let done = mock.wait_until_table_not_exists(input(), Duration::from_secs(300)).await.unwrap();
    // An output no acceptor matches means "poll again"; the error then matches `errorType`.
    assert_eq!((done.acceptor, done.attempts), (0, 2));
    assert!(matches!(done.response, Err(Error::Service(DescribeTableError::ResourceNotFoundException(_)))));
    // An error that no acceptor expects ends the wait.
    *mock.tables.lock().unwrap() = vec![Err(Error::NotImplemented { operation: "DescribeTable" })];
    let err = mock.wait_until_table_exists(input(), Duration::from_secs(300)).await.unwrap_err();
    assert!(matches!(err, WaitError::Unexpected { .. }), "{err:?}");
}

#[tokio::test(start_paused = true)]
async fn a_waiter_times_out_without_waiting_past_max_wait() {
    let mock = Mock::default();
    *mock.tables.lock().unwrap() = (0..100).map(|_| table(Status::Creating)).collect();
    let start = tokio::time::Instant::now();
    let err = mock.wait_until_table_exists(input(), Duration::from_secs(60)).await.unwrap_err();
    let WaitError::TimedOut { attempts, elapsed, last: Some(Ok(_)), .. } = err else { panic!("{err:?}") };
    assert!(attempts > 3, "{attempts} attempts");
    assert!(elapsed <= Duration::from_secs(60) && tokio::time::Instant::now() - start <= Duration::from_secs(60));
    // Every delay is within minDelay..maxDelay, except the last, which is cut so that the last
    // poll still leaves minDelay before the deadline.
    let polls = mock.polls.lock().unwrap().clone();
    let delays: Vec<Duration> = polls.windows(2).map(|p| p[1] - p[0]).collect();
    let (last, rest) = delays.split_last().unwrap();
    for d in rest {
        assert!(*d >= Duration::from_secs(2) && *d <= Duration::from_secs(10), "delay {d:?} in {delays:?}");
    }
    assert!(*last <= Duration::from_secs(10));
    assert!(Duration::from_secs(60) - (*polls.last().unwrap() - start) >= Duration::from_secs(2), "{delays:?}");
}

#[tokio::test(start_paused = true)]
async fn projections_with_all_and_any() {
    let mock = Mock::default();
    let indexes = |s: &[Status]| -> Result<DescribeTableOutput, Error<DescribeTableError>> {
        let list: Vec<Index> = s.iter().map(|s| Index::builder().index_status(s.clone()).build()).collect();
        Ok(DescribeTableOutput::builder().table(Table::builder().global_secondary_indexes(list).build()).build())
    };
    *mock.tables.lock().unwrap() = vec![
        indexes(&[]),
        indexes(&[Status::Active, Status::Creating]),
        indexes(&[Status::Active, Status::Active]),
    ];
    let done = mock.wait_until_indexes_active(input(), Duration::from_secs(60)).await.unwrap();
    assert_eq!(done.attempts, 3, "an empty list is not all ACTIVE");
    *mock.tables.lock().unwrap() = vec![indexes(&[Status::Active, Status::Failed])];
    let err = mock.wait_until_indexes_active(input(), Duration::from_secs(60)).await.unwrap_err();
    assert!(matches!(err, WaitError::Failure { acceptor: 1, .. }), "{err:?}");
}
"#;

const APPFLOW_PAGING_TEST: &str = r#"
use std::sync::Mutex;

use fixture_appflow_full::operation::list_flows::{ListFlowsError, ListFlowsInput, ListFlowsOutput};
use fixture_appflow_full::types::FlowDefinition;
use fixture_appflow_full::{Appflow, AppflowPaginators, BoxFuture, Error};

/// Three pages of flows, and the tokens it was asked for.
#[derive(Default)]
struct Mock {
    asked: Mutex<Vec<(Option<String>, Option<i32>)>>,
}

impl Appflow for Mock {
    fn list_flows(&self, input: ListFlowsInput) -> BoxFuture<'_, Result<ListFlowsOutput, Error<ListFlowsError>>> {
        self.asked.lock().unwrap().push((input.next_token.clone(), input.max_results));
        let page = match input.next_token.as_deref() {
            None => (vec!["a", "b"], Some("p2")),
            Some("p2") => (vec!["c", "d"], Some("p3")),
            _ => (vec!["e"], None),
        };
        let flows: Vec<FlowDefinition> = page.0.iter().map(|n| FlowDefinition::builder().flow_name(*n).build()).collect();
        let mut out = ListFlowsOutput::builder().flows(flows);
        if let Some(t) = page.1 {
            out = out.next_token(t);
        }
        let out = out.build();
        Box::pin(async move { Ok(out) })
    }
}

#[tokio::test]
async fn list_flows_pages_through_a_mock() {
    let mock = Mock::default();
    let pages = mock.list_flows_pages(ListFlowsInput::builder().build()).page_size(2).collect_pages().await.unwrap();
    let names: Vec<String> = pages
        .iter()
        .flat_map(|p| p.flows.iter().flatten())
        .map(|f| f.flow_name.clone().unwrap())
        .collect();
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
    assert_eq!(
        *mock.asked.lock().unwrap(),
        [(None, Some(2)), (Some("p2".into()), Some(2)), (Some("p3".into()), Some(2))]
    );
    // As a trait object too.
    let dynamic: &dyn Appflow = &mock;
    assert_eq!(dynamic.list_flows_pages(ListFlowsInput::builder().build()).collect_pages().await.unwrap().len(), 3);
}
"#;

const STRUCTURE_TEST: &str = r##"
use fixture_structure::types::Thing;

#[test]
fn members_with_a_default_have_it_until_set_and_again_when_cleared() {
    let t = Thing::builder().name("a").build().unwrap();
    assert_eq!((t.size, t.enabled), (10, true));
    let t = Thing::builder().name("a").size(3).enabled(false).set_size(None).build().unwrap();
    assert_eq!((t.size, t.enabled), (10, false));
}

#[test]
fn a_required_member_cleared_is_missing_again() {
    let err = Thing::builder().name("a").set_name(None).build().unwrap_err();
    assert_eq!(err.missing, ["name"]);
    assert_eq!(Thing::builder().set_name(Some("b".into())).build().unwrap().name, "b");
    // Set to its zero value, it is set.
    assert_eq!(Thing::builder().name("").build().unwrap().name, "");
}

#[test]
fn builder_debug_shows_the_value_redacted_and_what_is_unset() {
    let d = format!("{:?}", Thing::builder().secret("hunter2").size(3));
    assert!(d.starts_with("ThingBuilder { value: Thing { name: \"\", size: 3,"), "{d}");
    assert!(d.ends_with(r#"unset: ["name"] }"#), "{d}");
    assert!(!d.contains("hunter2"), "{d}");
    let d = format!("{:?}", Thing::builder().name("a"));
    assert!(!d.contains("unset"), "{d}");
}

#[test]
fn builders_are_equal_when_what_was_set_is() {
    assert_eq!(Thing::builder().name("a"), Thing::builder().name("b").name("a"));
    assert_ne!(Thing::builder().name(""), Thing::builder());
    assert_eq!(Thing::builder().name("a").set_name(None), Thing::builder());
}
"##;

const CBOR_TEST: &str = r#"
use awsgen_runtime::protocol::cbor::{self, Value};
use awsgen_runtime::Operation as _;
use fixture_cbor::operation::put::{Put, PutError, PutInput};
use fixture_cbor::types::{Choice, Item, Kind};

fn field<'a>(v: &'a Value, name: &str) -> &'a Value {
    cbor::entries(v).unwrap().find(|(k, _)| *k == name).map(|(_, v)| v).unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn the_request_body_is_a_cbor_map_of_the_set_members() {
    let child = Item::builder().name("inner").build().unwrap();
    let input = PutInput::builder()
        .name("outer")
        .count(-7)
        .ratio(f64::NAN)
        .flag(true)
        .data(b"\x00\xff".to_vec())
        .when(awsgen_runtime::protocol::parse_epoch_seconds("1700000000.5").unwrap())
        .tags(vec!["a".to_string(), "b".to_string()])
        .insert_attrs("x", 1)
        .kind(Kind::Large)
        .choice(Choice::Number(5))
        .child(child)
        .build()
        .unwrap();
    let req = Put::serialize_request(&input).unwrap();
    assert_eq!(req.uri().path(), "/service/Service/operation/Put");
    assert_eq!(req.headers()["smithy-protocol"], "rpc-v2-cbor");
    assert_eq!(req.headers()["content-type"], "application/cbor");
    let body = cbor::decode(req.body()).unwrap();
    assert_eq!(field(&body, "name"), &Value::Text("outer".into()));
    assert_eq!(cbor::int::<i64>(field(&body, "count")).unwrap(), -7);
    assert!(cbor::float(field(&body, "ratio")).unwrap().is_nan());
    assert_eq!(field(&body, "data"), &Value::Bytes(vec![0, 255]));
    assert!(matches!(field(&body, "when"), Value::Tag(1, _)));
    assert_eq!(cbor::timestamp(field(&body, "when")).unwrap().subsec_nanos(), 500_000_000);
    assert_eq!(field(&body, "kind"), &Value::Text("large".into()));
    assert_eq!(cbor::int::<i32>(field(field(&body, "choice"), "number")).unwrap(), 5);
    assert_eq!(field(field(&body, "child"), "name"), &Value::Text("inner".into()));
    assert!(cbor::entries(&body).unwrap().all(|(_, v)| !v.is_null()), "unset members are left out");
}

#[test]
fn responses_and_errors_read_back() {
    let item = Item::builder()
        .name("echo")
        .count(3)
        .tags(vec!["t".to_string()])
        .choice(Choice::Text("hi".into()))
        .when(awsgen_runtime::protocol::parse_epoch_seconds("1.25").unwrap())
        .build()
        .unwrap();
    // What the service sends: the same map, written by the input's own writer, with a null.
    let mut value = cbor::ToCbor::to_cbor(&item).unwrap();
    if let Value::Map(m) = &mut value {
        m.push((Value::Text("ratio".into()), Value::Null));
        m.push((Value::Text("unknownMember".into()), Value::Bool(true)));
    }
    let ok = http::Response::builder().status(200).body(cbor::encode(&value).unwrap().into()).unwrap();
    let out = Put::parse_response(&ok).unwrap();
    assert_eq!(out.name, "echo");
    assert_eq!(out.count, Some(3));
    assert_eq!(out.ratio, None);
    assert_eq!(out.choice, Some(Choice::Text("hi".into())));
    assert_eq!(out.when.unwrap().subsec_nanos(), 250_000_000);

    let err = Value::Map(vec![
        (Value::Text("__type".into()), Value::Text("ex#Rejected".into())),
        (Value::Text("message".into()), Value::Text("no".into())),
    ]);
    let bad = http::Response::builder().status(400).body(cbor::encode(&err).unwrap().into()).unwrap();
    match Put::parse_response(&bad) {
        Err(awsgen_runtime::Error::Service(PutError::Rejected(e))) => assert_eq!(e.message.as_deref(), Some("no")),
        other => panic!("{other:?}"),
    }
    let garbage = http::Response::builder().status(200).body(vec![0xb9, 0x00].into()).unwrap();
    let e = Put::parse_response(&garbage).unwrap_err().to_string();
    assert!(e.contains("invalid CBOR body"), "{e}");
}
"#;

const STREAMING_TEST: &str = r#"
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fixture_streaming::operation::download::DownloadInput;
use fixture_streaming::operation::upload::UploadInput;
use fixture_streaming::runtime::body::{ByteStream, StreamError};
use fixture_streaming::runtime::checksum::Algorithm;
use fixture_streaming::runtime::Credentials;
use fixture_streaming::{Client, Error, StreamingExample};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One scripted answer: status, headers, and the body in chunks with a pause before each.
#[derive(Clone)]
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    chunks: Vec<Vec<u8>>,
    pause: Duration,
}

fn ok(headers: Vec<(&'static str, String)>, chunks: Vec<Vec<u8>>, pause: Duration) -> Reply {
    Reply { status: 200, headers, chunks, pause }
}

fn failure() -> Reply {
    Reply { status: 500, headers: vec![], chunks: vec![b"{}".to_vec()], pause: Duration::ZERO }
}

/// A request as the server read it: the head's lines, lowercased, and the body.
struct Seen {
    head: Vec<String>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.iter().find_map(|l| l.strip_prefix(&format!("{name}: ")))
    }
}

/// An HTTP/1.1 server on 127.0.0.1 answering with `replies` in turn (the last one again once they
/// run out), keeping what it was sent.
async fn serve(replies: Vec<Reply>) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let (replies, next) = (Arc::new(replies), Arc::new(AtomicUsize::new(0)));
    let record = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut conn, _)) = listener.accept().await else { return };
            let (replies, next, record) = (replies.clone(), next.clone(), record.clone());
            tokio::spawn(async move {
                let mut buf = Vec::new();
                loop {
                    let Some(end) = read_head(&mut conn, &mut buf).await else { return };
                    let head: Vec<String> =
                        String::from_utf8_lossy(&buf[..end]).lines().map(|l| l.to_ascii_lowercase()).collect();
                    buf.drain(..end + 4);
                    let len: usize = head
                        .iter()
                        .find_map(|l| l.strip_prefix("content-length: "))
                        .map_or(0, |v| v.trim().parse().unwrap());
                    while buf.len() < len {
                        let mut more = [0u8; 65536];
                        match conn.read(&mut more).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&more[..n]),
                        }
                    }
                    let body: Vec<u8> = buf.drain(..len).collect();
                    record.lock().unwrap().push(Seen { head, body });
                    let i = next.fetch_add(1, Ordering::SeqCst).min(replies.len() - 1);
                    let reply = replies[i].clone();
                    let total: usize = reply.chunks.iter().map(Vec::len).sum();
                    let mut out = format!("HTTP/1.1 {} X\r\ncontent-length: {total}\r\n", reply.status);
                    for (k, v) in &reply.headers {
                        out.push_str(&format!("{k}: {v}\r\n"));
                    }
                    out.push_str("\r\n");
                    if conn.write_all(out.as_bytes()).await.is_err() {
                        return;
                    }
                    for chunk in &reply.chunks {
                        tokio::time::sleep(reply.pause).await;
                        if conn.write_all(chunk).await.is_err() || conn.flush().await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    (url, seen)
}

async fn read_head(conn: &mut tokio::net::TcpStream, buf: &mut Vec<u8>) -> Option<usize> {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            return Some(end);
        }
        let mut more = [0u8; 65536];
        match conn.read(&mut more).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&more[..n]),
        }
    }
}

fn client(url: &str, timeout: Duration) -> Client {
    Client::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(Credentials::new("AKID", "secret", None))
        .attempt_timeout(Some(timeout))
        .build()
        .unwrap()
}

fn data(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

/// The data of an aws-chunked body, and its trailer.
fn decode_aws_chunked(mut rest: &[u8]) -> (Vec<u8>, String) {
    let mut data = Vec::new();
    loop {
        let line = rest.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&rest[..line]).unwrap(), 16).unwrap();
        rest = &rest[line + 2..];
        if size == 0 {
            return (data, String::from_utf8(rest.to_vec()).unwrap());
        }
        data.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("awsgen-streams-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    path
}

#[tokio::test]
async fn a_file_goes_out_aws_chunked_with_its_checksum_in_a_trailer() {
    let (url, seen) = serve(vec![ok(vec![("etag", "\"e1\"".into())], vec![], Duration::ZERO)]).await;
    let bytes = data(200_000);
    let path = temp_file("upload", &bytes);
    let input = UploadInput::builder().key("k").body(ByteStream::from_path(&path).await.unwrap()).build().unwrap();
    let out = client(&url, Duration::from_secs(5)).upload(input).await.unwrap();
    assert_eq!(out.etag.as_deref(), Some("\"e1\""));
    let seen = seen.lock().unwrap();
    let r = &seen[0];
    assert_eq!(r.header("content-encoding"), Some("aws-chunked"));
    assert_eq!(r.header("x-amz-decoded-content-length"), Some("200000"));
    assert_eq!(r.header("x-amz-trailer"), Some("x-amz-checksum-crc32"));
    assert_eq!(r.header("x-amz-sdk-checksum-algorithm"), Some("crc32"), "(the server lowercases what it saw)");
    assert!(r.header("authorization").is_some_and(|a| a.contains("signedheaders=") && a.contains("x-amz-trailer")));
    let (sent, trailer) = decode_aws_chunked(&r.body);
    assert_eq!(sent, bytes);
    assert_eq!(trailer, format!("x-amz-checksum-crc32:{}\r\n\r\n", Algorithm::Crc32.checksum(&bytes)));
    std::fs::remove_file(path).unwrap();
}

#[tokio::test]
async fn bodies_in_memory_are_signed_and_sent_as_they_are() {
    let (url, seen) = serve(vec![ok(vec![], vec![], Duration::ZERO)]).await;
    let input = UploadInput::builder().key("k").body(b"small".to_vec()).build().unwrap();
    client(&url, Duration::from_secs(5)).upload(input).await.unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].body, b"small");
    assert_eq!(seen[0].header("x-amz-checksum-crc32").map(str::to_string), Some(Algorithm::Crc32.checksum(b"small").to_ascii_lowercase()));
    assert!(seen[0].header("content-encoding").is_none());
}

#[tokio::test]
async fn a_file_is_sent_again_on_a_retry_and_a_one_shot_stream_is_not() {
    let (url, seen) = serve(vec![failure(), ok(vec![], vec![], Duration::ZERO)]).await;
    let bytes = data(70_000);
    let path = temp_file("retry", &bytes);
    let input = UploadInput::builder().key("k").body(ByteStream::from_path(&path).await.unwrap()).build().unwrap();
    client(&url, Duration::from_secs(5)).upload(input).await.unwrap();
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 2, "one retry");
        assert_eq!(decode_aws_chunked(&seen[0].body).0, bytes);
        assert_eq!(decode_aws_chunked(&seen[1].body).0, bytes);
    }
    std::fs::remove_file(path).unwrap();

    let (url, seen) = serve(vec![failure(), ok(vec![], vec![], Duration::ZERO)]).await;
    static ONCE: &[u8] = b"read once";
    let input = UploadInput::builder().key("k").body(ByteStream::from_reader(ONCE, Some(9))).build().unwrap();
    let err = client(&url, Duration::from_secs(5)).upload(input).await.unwrap_err();
    assert!(matches!(err, Error::Unhandled(_)), "{err:?}");
    assert_eq!(seen.lock().unwrap().len(), 1, "a stream that was read is not sent again");
}

#[tokio::test]
async fn a_stream_without_a_length_is_refused_before_sending() {
    let (url, seen) = serve(vec![ok(vec![], vec![], Duration::ZERO)]).await;
    static DATA: &[u8] = b"unknown length";
    let input = UploadInput::builder().key("k").body(ByteStream::from_reader(DATA, None)).build().unwrap();
    let err = client(&url, Duration::from_secs(5)).upload(input).await.unwrap_err();
    assert!(err.to_string().contains("Upload needs the length of its streaming body"), "{err}");
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn downloads_arrive_as_a_stream_checked_against_their_checksum() {
    let bytes = data(300_000);
    let chunks: Vec<Vec<u8>> = bytes.chunks(50_000).map(<[u8]>::to_vec).collect();
    let good = vec![("x-amz-checksum-crc32", Algorithm::Crc32.checksum(&bytes))];
    let (url, seen) = serve(vec![ok(good, chunks.clone(), Duration::from_millis(5))]).await;
    let mut out = client(&url, Duration::from_secs(5)).download(DownloadInput::builder().key("k").build().unwrap()).await.unwrap();
    assert_eq!(out.content_length, Some(300_000));
    assert_eq!(out.body.len(), Some(300_000));
    let mut pieces = 0;
    let mut got = Vec::new();
    while let Some(piece) = out.body.next().await {
        got.extend_from_slice(&piece.unwrap());
        pieces += 1;
    }
    assert_eq!(got, bytes);
    assert!(pieces > 1, "read as it arrived");
    assert_eq!(seen.lock().unwrap()[0].header("x-amz-checksum-mode"), Some("enabled"));

    let bad = vec![("x-amz-checksum-crc32", Algorithm::Crc32.checksum(b"other"))];
    let (url, _) = serve(vec![ok(bad, chunks, Duration::ZERO)]).await;
    let out = client(&url, Duration::from_secs(5)).download(DownloadInput::builder().key("k").build().unwrap()).await.unwrap();
    let err = out.body.collect().await.unwrap_err();
    assert!(matches!(err, StreamError::Checksum { algorithm: "CRC32", bytes: 300_000, .. }), "{err}");
}

#[tokio::test]
async fn a_transfer_that_keeps_moving_outlasts_the_timeout_and_a_stalled_one_fails() {
    let timeout = Duration::from_millis(300);
    // Eight pieces 100 ms apart: 800 ms in all, never 300 ms without data.
    let slow = vec![vec![7u8; 1000]; 8];
    let (url, _) = serve(vec![ok(vec![], slow, Duration::from_millis(100))]).await;
    let out = client(&url, timeout).download(DownloadInput::builder().key("k").build().unwrap()).await.unwrap();
    assert_eq!(out.body.collect().await.unwrap().len(), 8000);

    let stalled = Reply { status: 200, headers: vec![], chunks: vec![vec![1u8; 10], vec![2u8; 10]], pause: Duration::from_millis(1500) };
    let (url, _) = serve(vec![stalled]).await;
    let out = client(&url, timeout).download(DownloadInput::builder().key("k").build().unwrap()).await.unwrap();
    let started = std::time::Instant::now();
    let err = out.body.collect().await.unwrap_err();
    assert!(matches!(err, StreamError::Stalled(t) if t == timeout), "{err}");
    assert!(started.elapsed() < Duration::from_millis(1200), "failed after {:?}", started.elapsed());

    // Uploads: a source that yields every 100 ms goes through; one that stops fails the attempt.
    let (url, seen) = serve(vec![ok(vec![], vec![], Duration::ZERO)]).await;
    let (reader, mut writer) = tokio::io::duplex(1024);
    tokio::spawn(async move {
        for _ in 0..8 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            writer.write_all(&[9u8; 1000]).await.unwrap();
        }
    });
    let input = UploadInput::builder().key("k").body(ByteStream::from_reader(reader, Some(8000))).build().unwrap();
    client(&url, timeout).upload(input).await.unwrap();
    assert_eq!(decode_aws_chunked(&seen.lock().unwrap()[0].body).0, vec![9u8; 8000]);

    let (url, _) = serve(vec![ok(vec![], vec![], Duration::ZERO)]).await;
    let (reader, mut writer) = tokio::io::duplex(1024);
    tokio::spawn(async move {
        writer.write_all(&[9u8; 1000]).await.unwrap();
        tokio::time::sleep(Duration::from_secs(3)).await;
        drop(writer);
    });
    let input = UploadInput::builder().key("k").body(ByteStream::from_reader(reader, Some(8000))).build().unwrap();
    let started = std::time::Instant::now();
    let err = client(&url, timeout).upload(input).await.unwrap_err();
    assert!(matches!(err, Error::Timeout(t) if t == timeout), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(1500), "failed after {:?}", started.elapsed());
}
"#;
