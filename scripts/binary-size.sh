#!/usr/bin/env bash
# The release binary, stripped, of a minimal program that builds an AppFlow client with the
# full default credentials chain and region from the environment, and calls DescribeConnector:
# ours (the crate generated from the full upstream model, with awsgen-credentials) against the
# same program written with aws-sdk-appflow and aws-config. Prints both sizes and the ratio.
#
#   scripts/binary-size.sh
set -euo pipefail
export CARGO_INCREMENTAL=0
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$root/../shared}
work="$root/target/binary-size"
rm -rf "$work"
mkdir -p "$work/ours/src" "$work/sdk/src"

(cd "$root" && cargo xtask codegen --model "$shared/models/appflow.json" --out "$work/appflow-full" --crate-name appflow-full >/dev/null)
sdk_version=$(awk '/^name = "aws-sdk-appflow"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$root/Cargo.lock")

profile='
[profile.release]
strip = true

[workspace]'

cat > "$work/ours/Cargo.toml" <<TOML
[package]
name = "describe-connector"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
appflow-full = { path = "../appflow-full" }
awsgen-credentials = { path = "$root/runtime/credentials" }
tokio = { version = "1", features = ["macros", "rt"] }
$profile
TOML
cat > "$work/ours/src/main.rs" <<'RS'
use appflow_full::operation::describe_connector::DescribeConnectorInput;
use appflow_full::types::ConnectorType;
use appflow_full::{Appflow, Client};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder().from_env()?.credentials_provider(awsgen_credentials::default_chain()?).build()?;
    let input = DescribeConnectorInput::builder().connector_type(ConnectorType::Salesforce).build()?;
    println!("{:?}", client.describe_connector(input).await.map(|o| o.connector_configuration));
    Ok(())
}
RS

cat > "$work/sdk/Cargo.toml" <<TOML
[package]
name = "describe-connector"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
aws-sdk-appflow = "=$sdk_version"
aws-config = "1"
tokio = { version = "1", features = ["macros", "rt"] }
$profile
TOML
cat > "$work/sdk/src/main.rs" <<'RS'
use aws_sdk_appflow::types::ConnectorType;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = aws_sdk_appflow::Client::new(&config);
    let out = client.describe_connector().connector_type(ConnectorType::Salesforce).send().await;
    println!("{:?}", out.map(|o| o.connector_configuration));
    Ok(())
}
RS

cp "$root/Cargo.lock" "$work/ours/Cargo.lock"
cp "$root/Cargo.lock" "$work/sdk/Cargo.lock"
size() { # folder: bytes of the stripped release binary
  cargo build --quiet --release --manifest-path "$work/$1/Cargo.toml" --target-dir "$work/target-$1" >&2
  stat -c %s "$work/target-$1/release/describe-connector"
}
ours=$(size ours)
sdk=$(size sdk)
printf '%-40s %12s %12s %8s\n' binary "ours (KiB)" "sdk (KiB)" ratio
printf '%-40s %12d %12d %8.2f\n' "DescribeConnector, release, stripped" $((ours / 1024)) $((sdk / 1024)) \
  "$(awk "BEGIN { print $ours / $sdk }")"
echo "aws-sdk-appflow $sdk_version; $(rustc --version)"
