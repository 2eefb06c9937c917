#!/usr/bin/env bash
# Runs the criterion benchmarks and prints the figures BENCHMARKS.md reports, as ratios against
# the anchors measured in the same run (aws-sdk-appflow, hand-written serde structs).
#
#   scripts/bench.sh                 # run, then report
#   scripts/bench.sh --report        # report the last run only
#   scripts/bench.sh --instructions  # instruction counts (Callgrind through gungraun) instead
#
# Instruction counts do not move between runs, so they are what the wire goals are stated on;
# the times are reported beside them. Valgrind hides the CPU's SHA extensions, so under it both
# SDKs hash in portable code: the payload's SHA-256 weighs more in the counts than in the times.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ "${1:-}" = "--instructions" ]; then
  command -v valgrind >/dev/null || { echo "valgrind is needed (apt install valgrind)" >&2; exit 1; }
  # The runner must be the version of the gungraun library in Cargo.lock.
  version=$(awk '/^name = "gungraun"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
  runner="$root/target/tools/bin/gungraun-runner"
  if [ "$("$runner" --version 2>/dev/null)" != "gungraun-runner $version" ]; then
    cargo install --quiet --locked --version "$version" --root "$root/target/tools" gungraun-runner
  fi
  mkdir -p target/gungraun
  GUNGRAUN_RUNNER="$runner" cargo bench -p benches --bench instructions 2>&1 | tee target/gungraun/instructions.txt
  python3 - target/gungraun/instructions.txt <<'PY'
import re, sys
counts, name = {}, None
for line in open(sys.argv[1]):
    m = re.match(r"instructions::\w+::(\w+) (\w+):", line)
    if m:
        name = (m.group(1), m.group(2))
    m = re.match(r"\s+Instructions:\s+(\d+)", line)
    if m and name:
        counts[name] = int(m.group(1))
def n(f, case): return counts[(f, case)]
print("\nInstruction counts of one warm call, input built (Callgrind, through gungraun)")
for op, ours, sdk in [("UpdateFlow", "ours_update_flow", "sdk_update_flow"),
                      ("DescribeConnector", "ours_describe_connector", "sdk_describe_connector")]:
    for case in ["realistic", "minimal"]:
        o, s = n(ours, case), n(sdk, case)
        print(f"  {op:18} {case:10} ours {o:9,}  SDK {s:9,}   SDK / ours = {s/o:.2f}")
    o = n(ours, "realistic") - n(ours, "minimal")
    s = n(sdk, "realistic") - n(sdk, "minimal")
    print(f"  {op:18} body share  ours {o:9,}  SDK {s:9,}   SDK / ours = {s/o:.2f}")
print(f"  serialize_request (UpdateFlow)      {n('ours_serialize_update_flow', 'realistic'):9,}")
print(f"  parse_response (DescribeConnector)  {n('ours_parse_describe_connector', 'realistic'):9,}")
PY
  exit 0
fi
if [ "${1:-}" != "--report" ]; then
  cargo bench -p benches --bench wire -- --warm-up-time 1 --measurement-time 3
  cargo bench -p benches --bench generate -- --warm-up-time 1 --measurement-time 5
fi
python3 - "$root/target/criterion" <<'PY'
import json, sys, os
base = sys.argv[1]
def t(*parts):
    # The median, not the mean: on a shared machine other tenants' bursts land in a few samples
    # and pull the mean of one side of a ratio.
    with open(os.path.join(base, *parts, "new", "estimates.json")) as f:
        return json.load(f)["median"]["point_estimate"]  # nanoseconds
def us(ns): return f"{ns/1000:9.2f} µs"
def share(g, who):
    return t(g, who, "realistic") - t(g, who, "minimal")
kinds = [("with input building", "call"), ("the call alone", "call_alone")]
print("Serializing the realistic UpdateFlow input (about 5 KB)")
g = "serialize_update_flow"
ours_req, hand = t(g, "ours_request"), t(g, "hand_written_serde")
print(f"  ours, serialize_request       {us(ours_req)}")
print(f"  hand-written serde_json       {us(hand)}   ours / hand-written = {ours_req/hand:.2f}")
for label, k in kinds:
    o, s = share(g, f"ours_{k}"), share(g, f"sdk_{k}")
    print(f"  body share, {label:20} ours {us(o)}  SDK {us(s)}   SDK / ours = {s/o:.2f}")
print("Parsing the realistic DescribeConnector response (about 3.5 KB)")
g = "parse_describe_connector"
ours_parse, hand_p = t(g, "ours_response"), t(g, "hand_written_serde")
print(f"  ours, parse_response          {us(ours_parse)}")
print(f"  hand-written serde_json       {us(hand_p)}   ours / hand-written = {ours_parse/hand_p:.2f}")
for label, k in kinds:
    o, s = share(g, f"ours_{k}"), share(g, f"sdk_{k}")
    print(f"  body share, {label:20} ours {us(o)}  SDK {us(s)}   SDK / ours = {s/o:.2f}")
print("The whole signed call through an in-process transport, realistic input and response")
for g in ["serialize_update_flow", "parse_describe_connector"]:
    for label, k in kinds:
        o, s = t(g, f"ours_{k}", "realistic"), t(g, f"sdk_{k}", "realistic")
        print(f"  {g:25} {label:20} ours {us(o)}  SDK {us(s)}   SDK / ours = {s/o:.2f}")
print("Endpoint resolution (once per client, at build; calls of operations without endpoint")
print("parameters of their own pay nothing more)")
print(f"  AppFlow rules, eu-west-1 with FIPS   {us(t('endpoint_resolve_appflow'))}")
print("Generation, end to end (parse to rendered files)")
for b in ["appflow_four_operations", "appflow_full", "sagemaker"]:
    print(f"  {b:28} {t('generate', b)/1e6:9.1f} ms")
PY
