#!/usr/bin/env bash
# Compile time of crates we generate against the official SDK's, in one run on this machine,
# printed as ours, theirs and the ratio:
#
# - cold: the crate generated from the full upstream AppFlow model (all 25 operations, default
#   features: the HTTPS client included) from an empty target folder, against aws-sdk-appflow
#   with its default features;
# - third-party: the same cold builds of each side's dependencies without its own crates (the
#   HTTP, TLS and async stack), and ours against the whole of aws-sdk-appflow: how much of the
#   cold-build ratio is spent before our code starts;
# - crate alone: the same crates rebuilt with their dependencies built, with rustc's peak memory;
# - DynamoDB, crate alone: ours from the shared DynamoDB model against aws-sdk-dynamodb;
# - types only, cold: ours without default features (types, builders, wire functions; no HTTP
#   stack, no async runtime) against aws-sdk-appflow without default features;
# - programs: one that calls DescribeConnector, cold, and it and one that calls every operation
#   with their dependencies built (the crate and the program left to build);
# - the `tracing` feature's cost, against our crate alone.
#
#   scripts/compile-time.sh            # both profiles
#   PROFILES=debug scripts/compile-time.sh
#   RUNS=3 scripts/compile-time.sh     # the fastest of three cold builds each, ours and theirs
#                                      # in turn (a single cold build moves by a tenth)
#   LARGE=1 scripts/compile-time.sh    # also SageMaker alone (358 operations, the largest shared
#                                      # model) against aws-sdk-sagemaker: minutes more
set -euo pipefail
# Path dependencies (our generated crates) build incrementally by default and crates.io ones do
# not; incremental state is extra work on a cold build, so it is off for both.
export CARGO_INCREMENTAL=0
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$root/../shared}
work="$root/target/compile-time"
profiles=${PROFILES:-"debug release"}
runs=${RUNS:-1}
rm -rf "$work"
mkdir -p "$work"

# Ours: the full AppFlow model, every operation; and DynamoDB.
(cd "$root" && cargo xtask codegen --model "$shared/models/appflow.json" --out "$work/ours" --crate-name appflow-full >/dev/null)
(cd "$root" && cargo xtask codegen --model "$shared/aws-models/dynamodb.json" --out "$work/ours-ddb" --crate-name dynamodb-ours >/dev/null)
cp "$root/Cargo.lock" "$work/ours/Cargo.lock"
cp "$root/Cargo.lock" "$work/ours-ddb/Cargo.lock"
large=${LARGE:-}
if [ -n "$large" ]; then
  (cd "$root" && cargo xtask codegen --model "$shared/aws-models/sagemaker.json" --out "$work/ours-big" --crate-name sagemaker-ours >/dev/null)
  cp "$root/Cargo.lock" "$work/ours-big/Cargo.lock"
fi

# Theirs, at the version this workspace locks (aws-sdk-dynamodb: the newest release that goes
# with the same smithy runtime crates).
sdk_version=$(awk '/^name = "aws-sdk-appflow"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$root/Cargo.lock")
sdk_crate() { # folder dependency-line
  mkdir -p "$work/$1/src"
  cat > "$work/$1/Cargo.toml" <<TOML
[package]
name = "sdk-compile-time"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
$2

[workspace]
TOML
  echo "pub use $3;" > "$work/$1/src/lib.rs"
  cp "$root/Cargo.lock" "$work/$1/Cargo.lock"
}
sdk_crate sdk "aws-sdk-appflow = \"=$sdk_version\"" aws_sdk_appflow
sdk_crate sdk-types "aws-sdk-appflow = { version = \"=$sdk_version\", default-features = false }" aws_sdk_appflow
sdk_crate sdk-ddb "aws-sdk-dynamodb = \"1\"" aws_sdk_dynamodb
[ -n "$large" ] && sdk_crate sdk-big "aws-sdk-sagemaker = \"1\"" aws_sdk_sagemaker
# Programs that use the crates: one calls DescribeConnector, the other every operation, each with
# a client built from the environment and the default credentials chain (ours:
# awsgen-credentials; theirs: aws-config). Generated functions are compiled where they are
# called (`#[inline]`), so the cost of our crate's code shows in the program that calls it.
ops=$(grep -oE 'input: [a-z_]+::' "$work/ours/src/client.rs" | sed 's/input: //; s/:://' | sort -u)
program() { # folder dependency-lines client-line call-format operations...
  mkdir -p "$work/$1/src"
  cat > "$work/$1/Cargo.toml" <<TOML
[package]
name = "program"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
$2
tokio = { version = "1", features = ["macros", "rt"] }

[workspace]
TOML
  {
    echo '#[tokio::main(flavor = "current_thread")]'
    echo 'async fn main() -> Result<(), Box<dyn std::error::Error>> {'
    echo "    $3"
    local op
    for op in "${@:5}"; do
      # shellcheck disable=SC2059 # the format is the caller's
      printf "    println!(\"{}\", $4.await.is_ok());\n" "$op"
    done
    echo '    Ok(())'
    echo '}'
  } > "$work/$1/src/main.rs"
  cp "$root/Cargo.lock" "$work/$1/Cargo.lock"
}
ours_deps="appflow-full = { path = \"../ours\" }
awsgen-credentials = { path = \"$root/runtime/credentials\" }"
ours_client='use appflow_full::Appflow; let client = appflow_full::Client::builder().from_env()?.credentials_provider(awsgen_credentials::default_chain()?).build()?;'
sdk_deps="aws-sdk-appflow = \"=$sdk_version\"
aws-config = \"1\""
sdk_client='let client = aws_sdk_appflow::Client::new(&aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await);'
# shellcheck disable=SC2086 # one word per operation
{
  program prog-ours-one "$ours_deps" "$ours_client" 'client.%s(Default::default())' describe_connector
  program prog-ours-all "$ours_deps" "$ours_client" 'client.%s(Default::default())' $ops
  program prog-sdk-one "$sdk_deps" "$sdk_client" 'client.%s().send()' describe_connector
  program prog-sdk-all "$sdk_deps" "$sdk_client" 'client.%s().send()' $ops
}
progs="prog-ours-one prog-ours-all prog-sdk-one prog-sdk-all"

# Fetch first, so that downloading is not timed.
for d in ours ours-ddb sdk sdk-types sdk-ddb $progs ${large:+ours-big sdk-big}; do
  cargo fetch --manifest-path "$work/$d/Cargo.toml" >/dev/null 2>&1
done

build() { # manifest target-dir profile [cargo options...]: prints seconds
  local flag=""
  [ "$3" = release ] && flag="--release"
  local start end
  start=$(date +%s.%N)
  cargo build --quiet $flag --manifest-path "$1" --target-dir "$2" "${@:4}" >&2
  end=$(date +%s.%N)
  awk "BEGIN { print $end - $start }"
}

rebuild() { # manifest target-dir profile package...: the packages alone, their dependencies
  # built; prints seconds and rustc's peak resident memory in MiB
  local flag="" pkg
  [ "$3" = release ] && flag="--release"
  cargo build --quiet $flag --manifest-path "$1" --target-dir "$2" >&2
  for pkg in "${@:4}"; do
    cargo clean --quiet $flag -p "$pkg" --manifest-path "$1" --target-dir "$2" >&2
  done
  local start end rss
  start=$(date +%s.%N)
  rss=$( { /usr/bin/time -f '%M' cargo build --quiet $flag --manifest-path "$1" --target-dir "$2" >&2; } 2>&1 | tail -1)
  end=$(date +%s.%N)
  awk "BEGIN { print $end - $start, $rss / 1024 }"
}

# `-p name@version` for each third-party package a crate depends on: what is left of its cold
# build when its own code (ours: awsgen-*; theirs: the SDK and smithy runtime crates, but not the
# aws-lc crypto library) is taken away.
third_party() { # manifest own-packages-regex
  cargo tree --manifest-path "$1" -e normal,no-proc-macro --prefix none --format '{p}' 2>/dev/null |
    sed 's/ (\*)//' | grep -v ' (/' | awk '{ sub(/^v/, "", $2); print $1 "@" $2 }' |
    grep -Ev "$2" | sort -u | sed 's/^/-p /'
}
ours_own='^(appflow-full|awsgen-)'
sdk_own='^aws-(sdk-|smithy-|runtime|types|credential-types|sigv4|config)'

min() { awk "BEGIN { print ($1 < $2) ? $1 : $2 }"; }
cold() { # ours-folder sdk-folder profile [ours-target sdk-target]: the fastest of $runs cold
  # builds of each, in turn, from empty target folders (target-<name>-<profile>; by default the
  # folders' names); prints ours and theirs
  local o=1e9 s=1e9 to="$work/target-${4:-$1}-$3" ts="$work/target-${5:-$2}-$3"
  for _ in $(seq "$runs"); do
    rm -rf "$to" "$ts"
    o=$(min "$(build "$work/$1/Cargo.toml" "$to" "$3")" "$o")
    s=$(min "$(build "$work/$2/Cargo.toml" "$ts" "$3")" "$s")
  done
  echo "$o $s"
}
ratio() { awk "BEGIN { printf \"%.2f\", $1 / $2 }"; }
row() { printf '%-38s %12s %12s %8s\n' "$@"; }

row build "ours" "sdk" ratio
for p in $profiles; do
  read -r ours sdk <<<"$(cold ours sdk "$p")"
  row "$p, cold (s)" "$(printf %.1f "$ours")" "$(printf %.1f "$sdk")" "$(ratio "$ours" "$sdk")"
  cold_sdk=$sdk
  # The same cold builds without each side's own crates: the HTTP, TLS and async stack that
  # comes with it. Ours against theirs, and then ours against all of aws-sdk-appflow: the
  # share of the cold-build goal that is spent before any of our code compiles.
  rm -rf "$work/target-ours-$p" "$work/target-sdk-$p"
  # shellcheck disable=SC2046 # one word per option
  ours=$(build "$work/ours/Cargo.toml" "$work/target-ours-$p" "$p" $(third_party "$work/ours/Cargo.toml" "$ours_own"))
  # shellcheck disable=SC2046
  sdk=$(build "$work/sdk/Cargo.toml" "$work/target-sdk-$p" "$p" $(third_party "$work/sdk/Cargo.toml" "$sdk_own"))
  row "$p, cold, third-party (s)" "$(printf %.1f "$ours")" "$(printf %.1f "$sdk")" "$(ratio "$ours" "$sdk")"
  row "$p, ours third-party / sdk" "$(printf %.1f "$ours")" "$(printf %.1f "$cold_sdk")" "$(ratio "$ours" "$cold_sdk")"
  read -r ours ours_rss <<<"$(rebuild "$work/ours/Cargo.toml" "$work/target-ours-$p" "$p" appflow-full)"
  read -r sdk sdk_rss <<<"$(rebuild "$work/sdk/Cargo.toml" "$work/target-sdk-$p" "$p" aws-sdk-appflow)"
  row "$p, crate alone (s)" "$(printf %.1f "$ours")" "$(printf %.1f "$sdk")" "$(ratio "$ours" "$sdk")"
  row "$p, crate alone, rustc (MiB)" "$(printf %.0f "$ours_rss")" "$(printf %.0f "$sdk_rss")" "$(ratio "$ours_rss" "$sdk_rss")"
  alone=$ours
  # The programs: the one that calls DescribeConnector cold, and each of them with its
  # dependencies built (what is left to build is the generated crate or aws-sdk-appflow, and
  # the program).
  read -r ours sdk <<<"$(cold prog-ours-one prog-sdk-one "$p" prog-ours prog-sdk)"
  row "$p, 1 call, cold program (s)" "$(printf %.1f "$ours")" "$(printf %.1f "$sdk")" "$(ratio "$ours" "$sdk")"
  for n in one all; do
    read -r ours ours_rss <<<"$(rebuild "$work/prog-ours-$n/Cargo.toml" "$work/target-prog-ours-$p" "$p" appflow-full program)"
    read -r sdk sdk_rss <<<"$(rebuild "$work/prog-sdk-$n/Cargo.toml" "$work/target-prog-sdk-$p" "$p" aws-sdk-appflow program)"
    label="1 call"
    [ "$n" = all ] && label="$(echo "$ops" | wc -w) calls"
    row "$p, $label, crate+program (s)" "$(printf %.1f "$ours")" "$(printf %.1f "$sdk")" "$(ratio "$ours" "$sdk")"
    row "$p, $label, rustc (MiB)" "$(printf %.0f "$ours_rss")" "$(printf %.0f "$sdk_rss")" "$(ratio "$ours_rss" "$sdk_rss")"
  done
  rm -rf "$work/target-prog-ours-$p" "$work/target-prog-sdk-$p"
  # The `tracing` feature's cost: what turning it on rebuilds (tracing itself, the runtime and
  # the crate), against the crate alone without it.
  ours=$(build "$work/ours/Cargo.toml" "$work/target-ours-$p" "$p" --features tracing)
  row "$p, +tracing (s)" "$(printf %.1f "$ours")" - "$(ratio "$ours" "$alone") of ours alone"
  rm -rf "$work/target-ours-$p" "$work/target-sdk-$p"
  if grep -q '^client = ' "$work/ours/Cargo.toml"; then
    ours=$(build "$work/ours/Cargo.toml" "$work/target-ours-types-$p" "$p" --no-default-features)
    sdk=$(build "$work/sdk-types/Cargo.toml" "$work/target-sdk-types-$p" "$p")
    row "$p, types only, cold (s)" "$(printf %.1f "$ours")" "$(printf %.1f "$sdk")" "$(ratio "$ours" "$sdk")"
    rm -rf "$work/target-ours-types-$p" "$work/target-sdk-types-$p"
  fi
  read -r ours ours_rss <<<"$(rebuild "$work/ours-ddb/Cargo.toml" "$work/target-ours-ddb-$p" "$p" dynamodb-ours)"
  read -r sdk sdk_rss <<<"$(rebuild "$work/sdk-ddb/Cargo.toml" "$work/target-sdk-ddb-$p" "$p" aws-sdk-dynamodb)"
  row "$p, DynamoDB alone (s)" "$(printf %.1f "$ours")" "$(printf %.1f "$sdk")" "$(ratio "$ours" "$sdk")"
  row "$p, DynamoDB alone, rustc (MiB)" "$(printf %.0f "$ours_rss")" "$(printf %.0f "$sdk_rss")" "$(ratio "$ours_rss" "$sdk_rss")"
  rm -rf "$work/target-ours-ddb-$p" "$work/target-sdk-ddb-$p"
  if [ -n "$large" ]; then
    read -r ours ours_rss <<<"$(rebuild "$work/ours-big/Cargo.toml" "$work/target-ours-big-$p" "$p" sagemaker-ours)"
    read -r sdk sdk_rss <<<"$(rebuild "$work/sdk-big/Cargo.toml" "$work/target-sdk-big-$p" "$p" aws-sdk-sagemaker)"
    row "$p, SageMaker alone (s)" "$(printf %.1f "$ours")" "$(printf %.1f "$sdk")" "$(ratio "$ours" "$sdk")"
    row "$p, SageMaker alone, rustc (MiB)" "$(printf %.0f "$ours_rss")" "$(printf %.0f "$sdk_rss")" "$(ratio "$ours_rss" "$sdk_rss")"
    rm -rf "$work/target-ours-big-$p" "$work/target-sdk-big-$p"
  fi
done
echo "aws-sdk-appflow $sdk_version; $(nproc) cores; $(rustc --version); cold builds: the fastest of $runs"
