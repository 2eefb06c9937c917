//! Client settings from the environment and the shared config files: every case of the
//! cross-SDK configured-endpoint tests (`endpoint-url-config-tests.json`), and a client built
//! with `from_env` over a fake home folder.

use std::io::Write as _;

use std::collections::BTreeMap;

use awsgen_runtime::config::SharedConfig;
use awsgen_runtime::profile::ProfileSet;
use integration_tests::shared_dir;
use serde_json::Value;

fn strings(v: &Value) -> BTreeMap<String, String> {
    v.as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_string)))
        .collect()
}

#[test]
fn every_configured_endpoint_url_case() {
    let Some(shared) = shared_dir() else { return };
    let text = std::fs::read_to_string(shared.join("reference/endpoint-url-config-tests.json")).unwrap();
    let suites: Value = serde_json::from_str(&text).unwrap();
    let (mut passed, mut failures) = (0, Vec::new());
    for suite in suites["testSuites"].as_array().unwrap() {
        let mut profiles = ProfileSet::default();
        for (name, props) in suite["profiles"].as_object().unwrap() {
            profiles.profiles.insert(name.clone(), strings(props));
        }
        // A services section holds one sub-property block per service.
        for (name, services) in suite["services"].as_object().unwrap() {
            let section = services
                .as_object()
                .unwrap()
                .iter()
                .map(|(svc, props)| {
                    let block: String = strings(props).iter().map(|(k, v)| format!("\n{k} = {v}")).collect();
                    (svc.clone(), block)
                })
                .collect();
            profiles.services.insert(name.clone(), section);
        }
        for case in suite["endpointUrlTests"].as_array().unwrap() {
            let env = strings(&suite["environments"][case["environment"].as_str().unwrap()]);
            let client = &suite["client_configs"][case["client_config"].as_str().unwrap()];
            let profile = case["profile"].as_str().unwrap().to_string();
            let config = SharedConfig::new(env, profiles.clone(), profile);
            let service = case["service"].as_str().unwrap();
            let explicit = client.get("endpoint_url").and_then(Value::as_str).map(str::to_string);
            let ignore = client.get("ignore_configured_endpoint_urls").and_then(Value::as_bool);
            let got = explicit.or_else(|| config.endpoint_url(service, ignore));
            let want = case["output"]["endpointUrl"].as_str().unwrap();
            // No configured URL: the endpoint comes from the rules, the regional one.
            let region = config.region().unwrap_or_default();
            let got = got.unwrap_or_else(|| format!("https://{service}.{region}.amazonaws.com"));
            if got == want {
                passed += 1;
            } else {
                failures.push(format!("{}: {got} instead of {want}", case["name"]));
            }
        }
    }
    let _ = writeln!(
        std::io::stdout(),
        "configured endpoint URLs: passed {passed}, failed {}, total {}",
        failures.len(),
        passed + failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_client_takes_its_settings_from_the_environment_and_the_profile() {
    let dir = std::env::temp_dir().join(format!("awsgen-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config"),
        "[profile work]\nregion = eu-central-1\nuse_fips_endpoint = true\nmax_attempts = 5\n\
         [profile broken]\nuse_dualstack_endpoint = maybe\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("credentials"),
        "[work]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s3cr3t\n",
    )
    .unwrap();
    let load = |vars: &[(&str, &str)]| {
        let env: BTreeMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let lookup = |k: &str| env.get(k).cloned();
        let locations = awsgen_runtime::profile::locations(&lookup, false);
        SharedConfig::new(env.clone(), awsgen_runtime::profile::load(&locations).unwrap(), locations.profile)
    };
    let files = [
        ("AWS_CONFIG_FILE", dir.join("config").display().to_string()),
        ("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials").display().to_string()),
    ];
    let vars = |extra: &[(&'static str, &'static str)]| -> Vec<(&str, String)> {
        let mut v: Vec<(&str, String)> = files.iter().map(|(k, p)| (*k, p.clone())).collect();
        v.extend(extra.iter().map(|(k, val)| (*k, val.to_string())));
        v
    };
    let cfg = |extra: &[(&'static str, &'static str)]| {
        let v = vars(extra);
        let pairs: Vec<(&str, &str)> = v.iter().map(|(k, val)| (*k, val.as_str())).collect();
        load(&pairs)
    };

    // The profile's region, FIPS and keys.
    let client = appflow::Client::builder().shared_config(cfg(&[("AWS_PROFILE", "work")])).build().unwrap();
    assert_eq!(client.core().endpoint().to_string(), "https://appflow-fips.eu-central-1.amazonaws.com/");
    assert_eq!(client.core().region(), "eu-central-1");
    // The environment wins over the profile, and explicit values over both.
    let client = appflow::Client::builder()
        .shared_config(cfg(&[("AWS_PROFILE", "work"), ("AWS_REGION", "us-west-2"), ("AWS_USE_FIPS_ENDPOINT", "false")]))
        .build()
        .unwrap();
    assert_eq!(client.core().endpoint().to_string(), "https://appflow.us-west-2.amazonaws.com/");
    let client = appflow::Client::builder()
        .region("ap-south-1")
        .use_fips(false)
        .shared_config(cfg(&[("AWS_PROFILE", "work"), ("AWS_ENDPOINT_URL", "http://localhost:4566")]))
        .build()
        .unwrap();
    assert_eq!(client.core().endpoint().to_string(), "http://localhost:4566/");
    let client = appflow::Client::builder()
        .shared_config(cfg(&[("AWS_PROFILE", "work"), ("AWS_ENDPOINT_URL_APPFLOW", "http://localhost:1")]))
        .use_fips(false)
        .build()
        .unwrap();
    assert_eq!(client.core().endpoint().to_string(), "http://localhost:1/");
    // A malformed setting says where and what.
    let err = appflow::Client::builder().region("us-east-1").shared_config(cfg(&[("AWS_PROFILE", "broken")])).build();
    assert_eq!(
        err.unwrap_err().to_string(),
        "client configuration: use_dualstack_endpoint: `maybe` is not `true` or `false`"
    );
    // The retry mode and the defaults mode, from the environment or the profile.
    let client = appflow::Client::builder()
        .shared_config(cfg(&[("AWS_PROFILE", "work"), ("AWS_RETRY_MODE", "adaptive"), ("AWS_DEFAULTS_MODE", "mobile")]))
        .build()
        .unwrap();
    assert!(client.core().rate_limiter().is_some(), "AWS_RETRY_MODE=adaptive");
    let client = appflow::Client::builder().shared_config(cfg(&[("AWS_PROFILE", "work")])).build().unwrap();
    assert!(client.core().rate_limiter().is_none(), "standard by default");
    let err = appflow::Client::builder()
        .region("us-east-1")
        .shared_config(cfg(&[("AWS_DEFAULTS_MODE", "fastest")]))
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "client configuration: AWS_DEFAULTS_MODE: `fastest` is not `standard`, `in-region`, `cross-region`, \
         `mobile`, `legacy` or `auto`"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The runtime's defaults modes give what the SDKs' shared default configuration says: its base
/// values with each mode's overrides (`override`, `multiply`, `add`), and `auto` as `standard`.
#[test]
fn the_defaults_modes_agree_with_the_sdks_default_configuration() {
    use awsgen_runtime::config::DefaultsMode;
    let Some(shared) = shared_dir() else { return };
    let text = std::fs::read_to_string(shared.join("reference/sdk-default-configuration.json")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let base = &doc["base"];
    let modes = doc["modes"].as_object().unwrap();
    let value = |mode: &str, key: &str| -> Value {
        let b = base[key].clone();
        let Some(m) = modes.get(mode).and_then(|m| m.get(key)) else { return b };
        if let Some(v) = m.get("override") {
            return v.clone();
        }
        let n = b.as_f64().unwrap();
        if let Some(f) = m.get("multiply").and_then(Value::as_f64) {
            return serde_json::json!(n * f);
        }
        if let Some(a) = m.get("add").and_then(Value::as_f64) {
            return serde_json::json!(n + a);
        }
        panic!("{mode}.{key}: unknown modifier {m}");
    };
    let mut checked = 0;
    for (name, mode) in DefaultsMode::ALL {
        let source = if name == "auto" { "standard" } else { name };
        assert!(name == "auto" || modes.contains_key(name) || name == "legacy", "{name} is not in the file");
        let d = mode.defaults();
        let ms = |key: &str| value(source, key).as_f64().unwrap() as u128;
        assert_eq!(d.connect_timeout.as_millis(), ms("connectTimeoutInMillis"), "{name}");
        assert_eq!(d.tls_negotiation_timeout.as_millis(), ms("tlsNegotiationTimeoutInMillis"), "{name}");
        let retry: awsgen_runtime::RetryMode = value(source, "retryMode").as_str().unwrap().parse().unwrap();
        assert_eq!(d.retry_mode, retry, "{name}");
        checked += 1;
    }
    // Every mode of the file is one of ours.
    for name in modes.keys() {
        assert!(name.parse::<DefaultsMode>().is_ok(), "the file's mode {name} is not supported");
    }
    assert_eq!(checked, 6);
}
