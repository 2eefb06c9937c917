//! Call an AppFlow operation from the command line; see `integration_tests::cli` for usage.
//!
//! ```text
//! cargo run --example appflow -- --region us-east-1 describe-connector input.json
//! ```

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code =
        integration_tests::cli::run(&args, &mut std::io::stdin(), &mut std::io::stdout(), &mut std::io::stderr()).await;
    std::process::exit(code);
}
