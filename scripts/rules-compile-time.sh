#!/usr/bin/env bash
# What a model's endpoint rules cost to compile: a crate holding only the rules as static data
# (S3's is the largest rule set of the shared models), built in debug and release with the rules
# engine already built; prints the seconds of the crate alone.
#
#   scripts/rules-compile-time.sh [MODEL.json]   # default ../shared/aws-models/s3.json
set -euo pipefail
export CARGO_INCREMENTAL=0
root=$(cd "$(dirname "$0")/.." && pwd)
model=${1:-"$root/../shared/aws-models/s3.json"}
work="$root/target/rules-compile-time"
rm -rf "$work"
(cd "$root" && cargo xtask endpoint-rules "$model" "$work")
cp "$root/Cargo.lock" "$work/Cargo.lock"
for profile in dev release; do
  cargo build --quiet --manifest-path "$work/Cargo.toml" --profile "$profile" -p awsgen-rules
  touch "$work/src/lib.rs"
  start=$(date +%s.%N)
  cargo build --quiet --manifest-path "$work/Cargo.toml" --profile "$profile"
  end=$(date +%s.%N)
  printf '%-8s the rules of %s alone: %.2f s (%s lines of static data)\n' "$profile" "$(basename "$model")" \
    "$(echo "$end - $start" | bc)" "$(wc -l < "$work/src/lib.rs")"
done
