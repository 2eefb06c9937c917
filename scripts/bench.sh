#!/usr/bin/env bash
# Runs the criterion benchmarks and prints the figures BENCHMARKS.md reports, as ratios against
# the anchors measured in the same run (aws-sdk-appflow, hand-written serde structs).
#
#   scripts/bench.sh            # run, then report
#   scripts/bench.sh --report   # report the last run only
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ "${1:-}" != "--report" ]; then
  cargo bench -p benches --bench wire -- --warm-up-time 1 --measurement-time 3
  cargo bench -p benches --bench generate -- --warm-up-time 1 --measurement-time 5
fi
python3 - "$root/target/criterion" <<'PY'
import json, sys, os
base = sys.argv[1]
def t(*parts):
    with open(os.path.join(base, *parts, "new", "estimates.json")) as f:
        return json.load(f)["mean"]["point_estimate"]  # nanoseconds
def us(ns): return f"{ns/1000:9.2f} µs"
print("Serializing the realistic UpdateFlow input (about 5 KB)")
ours_req = t("serialize_update_flow", "ours_request")
hand = t("serialize_update_flow", "hand_written_serde")
ours_share = t("serialize_update_flow", "ours_call", "realistic") - t("serialize_update_flow", "ours_call", "minimal")
sdk_share = t("serialize_update_flow", "sdk_call", "realistic") - t("serialize_update_flow", "sdk_call", "minimal")
print(f"  ours, serialize_request       {us(ours_req)}")
print(f"  hand-written serde_json       {us(hand)}   ours / hand-written = {ours_req/hand:.2f}")
print(f"  body share of a call, ours    {us(ours_share)}")
print(f"  body share of a call, SDK     {us(sdk_share)}   SDK / ours = {sdk_share/ours_share:.2f}")
print("Parsing the realistic DescribeConnector response (about 3.5 KB)")
ours_parse = t("parse_describe_connector", "ours_response")
hand_p = t("parse_describe_connector", "hand_written_serde")
ours_pshare = t("parse_describe_connector", "ours_call", "realistic") - t("parse_describe_connector", "ours_call", "minimal")
sdk_pshare = t("parse_describe_connector", "sdk_call", "realistic") - t("parse_describe_connector", "sdk_call", "minimal")
print(f"  ours, parse_response          {us(ours_parse)}")
print(f"  hand-written serde_json       {us(hand_p)}   ours / hand-written = {ours_parse/hand_p:.2f}")
print(f"  body share of a call, ours    {us(ours_pshare)}")
print(f"  body share of a call, SDK     {us(sdk_pshare)}   SDK / ours = {sdk_pshare/ours_pshare:.2f}")
print("The whole signed call through an in-process transport")
for g in ["serialize_update_flow", "parse_describe_connector"]:
    o, s = t(g, "ours_call", "realistic"), t(g, "sdk_call", "realistic")
    print(f"  {g:28} ours {us(o)}  SDK {us(s)}   SDK / ours = {s/o:.2f}")
print("Generation, end to end (parse to rendered files)")
for b in ["appflow_four_operations", "appflow_full", "sagemaker"]:
    print(f"  {b:28} {t('generate', b)/1e6:9.1f} ms")
PY
