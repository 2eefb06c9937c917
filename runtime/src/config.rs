//! Client settings from where AWS users keep them: the environment, then the selected profile of
//! the shared config files. Explicit builder values win over both (see
//! [`ClientBuilder::from_env`](crate::client::ClientBuilder::from_env)).

use std::collections::BTreeMap;

use crate::profile::{self, ProfileError, ProfileSet};

/// A set of default settings the AWS SDKs define (`defaults_mode`, `AWS_DEFAULTS_MODE`), from
/// the SDKs' shared default configuration; explicit settings win over it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum DefaultsMode {
    /// Safe in most places: 3.1 s to connect and negotiate TLS (the default).
    #[default]
    Standard,
    /// For calls within the caller's own region: 1.1 s.
    InRegion,
    /// For calls to another region: 3.1 s.
    CrossRegion,
    /// For mobile networks: 30 s.
    Mobile,
    /// The shared configuration's base values: 1.1 s.
    Legacy,
    /// Would detect the environment; this client takes it as [`Standard`](Self::Standard), as
    /// the SDKs do when detection finds nothing.
    Auto,
}

/// The values a [`DefaultsMode`] gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Defaults {
    /// The retry mode.
    pub retry_mode: crate::retry::RetryMode,
    /// Time to open a connection.
    pub connect_timeout: std::time::Duration,
    /// Time to negotiate TLS (the HTTP client counts it within the connect timeout).
    pub tls_negotiation_timeout: std::time::Duration,
}

impl DefaultsMode {
    /// Every mode, by its name in the shared configuration.
    pub const ALL: [(&'static str, DefaultsMode); 6] = [
        ("standard", DefaultsMode::Standard),
        ("in-region", DefaultsMode::InRegion),
        ("cross-region", DefaultsMode::CrossRegion),
        ("mobile", DefaultsMode::Mobile),
        ("legacy", DefaultsMode::Legacy),
        ("auto", DefaultsMode::Auto),
    ];

    /// The settings this mode gives.
    pub fn defaults(self) -> Defaults {
        let ms = match self {
            DefaultsMode::Standard | DefaultsMode::CrossRegion | DefaultsMode::Auto => 3100,
            DefaultsMode::InRegion | DefaultsMode::Legacy => 1100,
            DefaultsMode::Mobile => 30_000,
        };
        let t = std::time::Duration::from_millis(ms);
        Defaults { retry_mode: crate::retry::RetryMode::Standard, connect_timeout: t, tls_negotiation_timeout: t }
    }
}

impl std::str::FromStr for DefaultsMode {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, m)| *m).ok_or(())
    }
}

/// The variables the settings here read (beside the per-service `AWS_ENDPOINT_URL_<SERVICE>`).
pub const SETTINGS_VARS: [&str; 9] = [
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_USE_FIPS_ENDPOINT",
    "AWS_USE_DUALSTACK_ENDPOINT",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
    "AWS_DEFAULTS_MODE",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_ENDPOINT_URL",
];

/// The environment and the selected profile, as one source of settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SharedConfig {
    /// The variables that were read (only `AWS_*` ones are kept).
    env: BTreeMap<String, String>,
    profiles: ProfileSet,
    profile: String,
}

/// A setting holds a value of the wrong form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    /// The variable or profile property.
    pub source_name: String,
    /// The value found.
    pub value: String,
    /// What the setting takes.
    pub expected: &'static str,
}

impl std::fmt::Display for SettingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Self { source_name, value, expected } = self;
        write!(f, "{source_name}: `{value}` is not {expected}")
    }
}

impl std::error::Error for SettingError {}

impl SharedConfig {
    /// From the process environment and the files it points to.
    pub fn from_env() -> Result<Self, ProfileError> {
        Self::from_env_with_profile(None)
    }

    /// [`from_env`](Self::from_env), with `profile` (a `--profile` option) instead of
    /// `AWS_PROFILE` when given.
    pub fn from_env_with_profile(profile: Option<&str>) -> Result<Self, ProfileError> {
        let lookup = |k: &str| std::env::var(k).ok();
        let locations = profile::locations(&lookup, cfg!(windows));
        let profiles = profile::load(&locations)?;
        let name = profile.map_or(locations.profile, str::to_string);
        Ok(Self::new(std::env::vars().filter(|(k, _)| k.starts_with("AWS_")).collect(), profiles, name))
    }

    /// From given variables, profiles and the name of the selected profile.
    pub fn new(env: BTreeMap<String, String>, profiles: ProfileSet, profile: String) -> Self {
        Self { env, profiles, profile }
    }

    fn var(&self, k: &str) -> Option<&str> {
        self.env.get(k).map(String::as_str).filter(|v| !v.is_empty())
    }

    fn prop(&self, k: &str) -> Option<&str> {
        self.profiles.get(&self.profile, k).filter(|v| !v.is_empty())
    }

    /// An `AWS_*` variable as this configuration saw it.
    pub fn env_var(&self, name: &str) -> Option<&str> {
        self.env.get(name).map(String::as_str)
    }

    /// The name of the selected profile.
    pub fn profile_name(&self) -> &str {
        &self.profile
    }

    /// The profiles, for credential providers.
    pub fn profiles(&self) -> &ProfileSet {
        &self.profiles
    }

    /// `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`.
    pub fn region(&self) -> Option<String> {
        self.var("AWS_REGION")
            .or_else(|| self.var("AWS_DEFAULT_REGION"))
            .or_else(|| self.prop("region"))
            .map(str::to_string)
    }

    fn flag(&self, var: &str, prop: &str) -> Result<Option<bool>, SettingError> {
        let (name, value) = match (self.var(var), self.prop(prop)) {
            (Some(v), _) => (var, v),
            (None, Some(v)) => (prop, v),
            (None, None) => return Ok(None),
        };
        match value.to_ascii_lowercase().as_str() {
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            _ => Err(SettingError { source_name: name.into(), value: value.into(), expected: "`true` or `false`" }),
        }
    }

    /// `AWS_USE_FIPS_ENDPOINT`, then the profile's `use_fips_endpoint`.
    pub fn use_fips(&self) -> Result<Option<bool>, SettingError> {
        self.flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")
    }

    /// `AWS_USE_DUALSTACK_ENDPOINT`, then the profile's `use_dualstack_endpoint`.
    pub fn use_dual_stack(&self) -> Result<Option<bool>, SettingError> {
        self.flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint")
    }

    /// `AWS_MAX_ATTEMPTS`, then the profile's `max_attempts`.
    pub fn max_attempts(&self) -> Result<Option<u32>, SettingError> {
        let (name, value) = match (self.var("AWS_MAX_ATTEMPTS"), self.prop("max_attempts")) {
            (Some(v), _) => ("AWS_MAX_ATTEMPTS", v),
            (None, Some(v)) => ("max_attempts", v),
            (None, None) => return Ok(None),
        };
        match value.parse::<u32>() {
            Ok(n) if n > 0 => Ok(Some(n)),
            _ => {
                Err(SettingError { source_name: name.into(), value: value.into(), expected: "a whole number above 0" })
            }
        }
    }

    /// `AWS_RETRY_MODE`, then the profile's `retry_mode`: `standard`, `adaptive`, or `legacy`
    /// (taken as `standard`).
    pub fn retry_mode(&self) -> Result<Option<crate::retry::RetryMode>, SettingError> {
        let (name, value) = match (self.var("AWS_RETRY_MODE"), self.prop("retry_mode")) {
            (Some(v), _) => ("AWS_RETRY_MODE", v),
            (None, Some(v)) => ("retry_mode", v),
            (None, None) => return Ok(None),
        };
        value.parse().map(Some).map_err(|()| SettingError {
            source_name: name.into(),
            value: value.into(),
            expected: "`standard`, `adaptive` or `legacy`",
        })
    }

    /// `AWS_DEFAULTS_MODE`, then the profile's `defaults_mode`.
    pub fn defaults_mode(&self) -> Result<Option<DefaultsMode>, SettingError> {
        let (name, value) = match (self.var("AWS_DEFAULTS_MODE"), self.prop("defaults_mode")) {
            (Some(v), _) => ("AWS_DEFAULTS_MODE", v),
            (None, Some(v)) => ("defaults_mode", v),
            (None, None) => return Ok(None),
        };
        value.parse().map(Some).map_err(|()| SettingError {
            source_name: name.into(),
            value: value.into(),
            expected: "`standard`, `in-region`, `cross-region`, `mobile`, `legacy` or `auto`",
        })
    }

    /// Whether configured endpoint URLs are ignored: `explicit` (the client's own setting),
    /// then `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`, then the profile's
    /// `ignore_configured_endpoint_urls`.
    pub fn ignore_configured_endpoint_urls(&self, explicit: Option<bool>) -> bool {
        explicit
            .or_else(|| self.var("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").map(|v| v.eq_ignore_ascii_case("true")))
            .or_else(|| self.prop("ignore_configured_endpoint_urls").map(|v| v.eq_ignore_ascii_case("true")))
            .unwrap_or(false)
    }

    /// The configured endpoint URL for the service `service_id` (its `aws.api#service`
    /// `sdkId`), unless configured URLs are ignored: `AWS_ENDPOINT_URL_<SERVICE>`, then
    /// `AWS_ENDPOINT_URL`, then the service's `endpoint_url` in the profile's `services`
    /// section, then the profile's `endpoint_url`.
    pub fn endpoint_url(&self, service_id: &str, ignore: Option<bool>) -> Option<String> {
        if self.ignore_configured_endpoint_urls(ignore) {
            return None;
        }
        let env_name = format!("AWS_ENDPOINT_URL_{}", service_id.to_ascii_uppercase().replace([' ', '-'], "_"));
        let key = service_id.to_ascii_lowercase().replace(' ', "_");
        let from_services = || {
            let section = self.profiles.services.get(self.prop("services")?)?;
            ProfileSet::sub_properties(section.get(&key)?).get("endpoint_url").cloned()
        };
        self.var(&env_name)
            .or_else(|| self.var("AWS_ENDPOINT_URL"))
            .map(str::to_string)
            .or_else(from_services)
            .or_else(|| self.prop("endpoint_url").map(str::to_string))
    }
}
