#!/usr/bin/env bash
# Cold compile time of the crate generated from the full upstream AppFlow model (all 25
# operations, with the HTTP client) against aws-sdk-appflow with default features, in debug
# and release; prints the times and the ratio. "cold" starts from an empty target folder, so
# dependencies count too; "crate alone" rebuilds just the generated crate (or aws-sdk-appflow)
# with its dependencies already built.
#
#   scripts/compile-time.sh            # both profiles
#   PROFILES=debug scripts/compile-time.sh
set -euo pipefail
# Path dependencies (our generated crate) build incrementally by default and crates.io ones
# (aws-sdk-appflow) do not; incremental state is extra work on a cold build, so it is off for both.
export CARGO_INCREMENTAL=0
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/target/compile-time"
profiles=${PROFILES:-"debug release"}
rm -rf "$work"
mkdir -p "$work"

# Ours: the full model, every operation.
(cd "$root" && cargo xtask codegen --model ../shared/models/appflow.json --out "$work/ours" --crate-name appflow-full >/dev/null)
cp "$root/Cargo.lock" "$work/ours/Cargo.lock"

# Theirs: aws-sdk-appflow at the version this workspace locks, default features.
sdk_version=$(awk '/^name = "aws-sdk-appflow"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$root/Cargo.lock")
mkdir -p "$work/sdk/src"
cat > "$work/sdk/Cargo.toml" <<TOML
[package]
name = "sdk-compile-time"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
aws-sdk-appflow = "=$sdk_version"

[workspace]
TOML
echo "pub use aws_sdk_appflow;" > "$work/sdk/src/lib.rs"
cp "$root/Cargo.lock" "$work/sdk/Cargo.lock"
# Fetch first, so that downloading is not timed.
cargo fetch --manifest-path "$work/ours/Cargo.toml" >/dev/null 2>&1
cargo fetch --manifest-path "$work/sdk/Cargo.toml" >/dev/null 2>&1

build() { # manifest target-dir profile [cargo options...]
  local flag=""
  [ "$3" = release ] && flag="--release"
  local start end
  start=$(date +%s.%N)
  cargo build --quiet $flag --manifest-path "$1" --target-dir "$2" "${@:4}" >&2
  end=$(date +%s.%N)
  awk "BEGIN { print $end - $start }"
}

rebuild() { # manifest target-dir profile package: the crate alone, its dependencies built
  local flag=""
  [ "$3" = release ] && flag="--release"
  cargo clean --quiet $flag -p "$4" --manifest-path "$1" --target-dir "$2" >&2
  build "$1" "$2" "$3"
}

printf '%-22s %12s %12s %8s\n' build "ours (s)" "sdk (s)" ratio
for p in $profiles; do
  ours=$(build "$work/ours/Cargo.toml" "$work/target-ours-$p" "$p")
  sdk=$(build "$work/sdk/Cargo.toml" "$work/target-sdk-$p" "$p")
  printf '%-22s %12.1f %12.1f %8.2f\n' "$p, cold" "$ours" "$sdk" "$(awk "BEGIN { print $ours / $sdk }")"
  ours=$(rebuild "$work/ours/Cargo.toml" "$work/target-ours-$p" "$p" appflow-full)
  sdk=$(rebuild "$work/sdk/Cargo.toml" "$work/target-sdk-$p" "$p" aws-sdk-appflow)
  printf '%-22s %12.1f %12.1f %8.2f\n' "$p, crate alone" "$ours" "$sdk" "$(awk "BEGIN { print $ours / $sdk }")"
  # The `tracing` feature's cost: what turning it on rebuilds (tracing itself, the runtime and
  # the crate), against the crate alone without it.
  alone=$ours
  ours=$(build "$work/ours/Cargo.toml" "$work/target-ours-$p" "$p" --features tracing)
  printf '%-22s %12.1f %12s %8.2f  (against our crate alone)\n' "$p, +tracing feature" "$ours" - "$(awk "BEGIN { print $ours / $alone }")"
done
echo "aws-sdk-appflow $sdk_version; $(nproc) cores; $(rustc --version)"
