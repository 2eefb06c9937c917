#!/usr/bin/env bash
# What rustc spends on the generated crate alone against aws-sdk-appflow alone (and DynamoDB's
# against aws-sdk-dynamodb), in instructions counted by Valgrind (cachegrind, no cache
# simulation): ours, theirs and the ratio. Unlike seconds these repeat from run to run whatever
# else the machine does, so a change of one percent can be seen; they count rustc's threads
# together, so they weigh LLVM's parallel work more than the wall time does.
#
#   scripts/compile-instructions.sh              # debug, AppFlow and DynamoDB
#   PROFILE=release MODELS=appflow scripts/compile-instructions.sh
#
# About 2 minutes for ours and 5 for aws-sdk-appflow per profile under Valgrind, after the
# dependencies are built.
set -euo pipefail
command -v valgrind >/dev/null || { echo "valgrind is needed (apt install valgrind)" >&2; exit 1; }
export CARGO_INCREMENTAL=0
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$root/../shared}
work="$root/target/compile-instructions"
profile=${PROFILE:-debug}
models=${MODELS:-"appflow dynamodb"}
flag=""
[ "$profile" = release ] && flag="--release"
mkdir -p "$work"

# Runs rustc under cachegrind for the crate named in $COUNT_CRATE, and plainly for the others.
cat > "$work/rustc-wrapper" <<'SH'
#!/usr/bin/env bash
rustc="$1"; shift
for a in "$@"; do
  if [ "$a" = "$COUNT_CRATE" ]; then
    exec valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$COUNT_OUT" \
      --log-file="$COUNT_OUT.log" "$rustc" "$@"
  fi
done
exec "$rustc" "$@"
SH
chmod +x "$work/rustc-wrapper"

sdk_version=$(awk '/^name = "aws-sdk-appflow"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$root/Cargo.lock")
sdk_crate() { # folder dependency-line
  mkdir -p "$work/$1/src"
  printf '[package]\nname = "sdk-compile"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n[dependencies]\n%s\n\n[workspace]\n' \
    "$2" > "$work/$1/Cargo.toml"
  echo "" > "$work/$1/src/lib.rs"
  cp "$root/Cargo.lock" "$work/$1/Cargo.lock"
}

count() { # manifest package crate-name: instructions rustc spends on the package alone
  local target="$work/target-$profile" out="$work/$3.cachegrind"
  # The wrapper is part of what Cargo fingerprints: build the dependencies through it too.
  RUSTC_WRAPPER="$work/rustc-wrapper" COUNT_CRATE=none cargo build --quiet $flag \
    --manifest-path "$1" --target-dir "$target" >&2
  cargo clean --quiet $flag -p "$2" --manifest-path "$1" --target-dir "$target" >&2
  RUSTC_WRAPPER="$work/rustc-wrapper" COUNT_CRATE="$3" COUNT_OUT="$out" cargo build --quiet $flag \
    --manifest-path "$1" --target-dir "$target" >&2
  awk '/^summary:/ { print $2 }' "$out"
}

printf '%-28s %16s %16s %8s\n' "rustc instructions ($profile)" ours sdk ratio
for m in $models; do
  case $m in
    appflow) model="$shared/models/appflow.json" ours_name=appflow-full sdk_dep="aws-sdk-appflow = \"=$sdk_version\""
      sdk_pkg=aws-sdk-appflow ;;
    dynamodb) model="$shared/aws-models/dynamodb.json" ours_name=dynamodb-ours sdk_dep='aws-sdk-dynamodb = "1"'
      sdk_pkg=aws-sdk-dynamodb ;;
    *) echo "unknown model $m (appflow or dynamodb)" >&2; exit 1 ;;
  esac
  [ -f "$model" ] || { echo "$model not found: set SHARED to the shared folder" >&2; exit 1; }
  rm -rf "$work/ours-$m"
  (cd "$root" && cargo xtask codegen --model "$model" --out "$work/ours-$m" --crate-name "$ours_name" >/dev/null)
  cp "$root/Cargo.lock" "$work/ours-$m/Cargo.lock"
  sdk_crate "sdk-$m" "$sdk_dep"
  ours=$(count "$work/ours-$m/Cargo.toml" "$ours_name" "${ours_name//-/_}")
  sdk=$(count "$work/sdk-$m/Cargo.toml" "$sdk_pkg" "${sdk_pkg//-/_}")
  printf '%-28s %16s %16s %8s\n' "$m, the crate alone" "$ours" "$sdk" "$(awk "BEGIN { printf \"%.3f\", $ours / $sdk }")"
done
echo "$(nproc) cores; $(rustc --version); $(valgrind --version)"
