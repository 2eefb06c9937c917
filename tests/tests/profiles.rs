//! The shared config file parser against the cross-SDK corpus:
//! `profile-parser-tests.json` (parsing and merging) and `file-location-tests.json` (where the
//! files are and which profile is selected).

use std::io::Write as _;

use awsgen_runtime::profile::{self, ProfileSet};
use integration_tests::shared_dir;
use serde_json::{json, Value};

fn as_json(set: &ProfileSet) -> (Value, Value) {
    (serde_json::to_value(&set.profiles).unwrap(), serde_json::to_value(&set.sso_sessions).unwrap())
}

#[test]
fn every_profile_parser_case() {
    let Some(shared) = shared_dir() else { return };
    let text =
        std::fs::read_to_string(shared.join("reference/aws-config-test-data/profile-parser-tests.json")).unwrap();
    let suite: Value = serde_json::from_str(&text).unwrap();
    let mut failures = Vec::new();
    let cases = suite["tests"].as_array().unwrap();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let config = case["input"].get("configFile").and_then(Value::as_str).map(|t| ("config", t));
        let credentials = case["input"].get("credentialsFile").and_then(Value::as_str).map(|t| ("credentials", t));
        let got = profile::parse(config, credentials);
        let out = &case["output"];
        let ok = match (&got, out.get("errorContaining").and_then(Value::as_str)) {
            (Err(e), Some(want)) => e.to_string().contains(want),
            (Ok(set), None) => {
                let (profiles, sso) = as_json(set);
                profiles == out["config"]["profiles"]
                    && out["config"].get("sso_sessions").is_none_or(|want| *want == sso)
            }
            _ => false,
        };
        if !ok {
            failures.push(format!("{name}: got {got:?}, expected {out}"));
        }
    }
    let _ = writeln!(
        std::io::stdout(),
        "profile parser: passed {}, failed {}, total {}",
        cases.len() - failures.len(),
        failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_file_location_case() {
    let Some(shared) = shared_dir() else { return };
    let text = std::fs::read_to_string(shared.join("reference/aws-config-test-data/file-location-tests.json")).unwrap();
    let suite: Value = serde_json::from_str(&text).unwrap();
    let cases = suite["tests"].as_array().unwrap();
    for case in cases {
        let env = case["environment"].clone();
        let lookup = move |k: &str| env.get(k).and_then(Value::as_str).map(str::to_string);
        let l = profile::locations(&lookup, case["platform"] == "windows");
        let got = json!({
            "configLocation": l.config.to_string_lossy(),
            "credentialsLocation": l.credentials.to_string_lossy(),
            "profile": l.profile,
        });
        let mut want =
            json!({"configLocation": case["configLocation"], "credentialsLocation": case["credentialsLocation"]});
        want["profile"] = case.get("profile").cloned().unwrap_or(json!("default"));
        assert_eq!(got, want, "{}", case["name"]);
    }
    let _ = writeln!(std::io::stdout(), "file locations: passed {}, failed 0, total {}", cases.len(), cases.len());
}

#[test]
fn a_malformed_file_names_the_file_and_line() {
    let e =
        profile::parse(Some(("/home/u/.aws/config", "[profile ok]\nregion = x\n[profile broken\n")), None).unwrap_err();
    assert_eq!(e.to_string(), "/home/u/.aws/config:3: Profile definition must end with ']'");
    assert_eq!(
        ProfileSet::sub_properties("\ns3 = x\nendpoint_url = https://e"),
        [("endpoint_url".to_string(), "https://e".to_string()), ("s3".to_string(), "x".to_string())].into()
    );
}
