//! The shared config and credentials files (`~/.aws/config`, `~/.aws/credentials`): where they
//! are, how they parse, and how their sections merge, as every AWS SDK reads them. Both client
//! configuration and credential providers read profiles through here.
//!
//! A malformed file is an error that names the file, the line and what is wrong; a file that
//! is missing is no error (there is nothing to read).

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Which file a text came from: they name sections differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `~/.aws/config`: `[profile name]`, `[default]`, `[sso-session name]`, `[services name]`.
    Config,
    /// `~/.aws/credentials`: `[name]`.
    Credentials,
}

/// Properties by lowercase name. A property with sub-properties (`s3 =` followed by indented
/// `name = value` lines) holds them as text, one `\nname = value` per line.
pub type Properties = BTreeMap<String, String>;

/// Every section of both files, merged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileSet {
    /// `[profile name]` (config) and `[name]` (credentials) sections.
    pub profiles: BTreeMap<String, Properties>,
    /// `[sso-session name]` sections.
    pub sso_sessions: BTreeMap<String, Properties>,
    /// `[services name]` sections: per-service settings, as sub-properties.
    pub services: BTreeMap<String, Properties>,
}

impl ProfileSet {
    /// A profile's property.
    pub fn get(&self, profile: &str, property: &str) -> Option<&str> {
        self.profiles.get(profile)?.get(property).map(String::as_str)
    }

    /// The sub-properties of a property (`s3 =` then `  endpoint_url = ...`), parsed.
    pub fn sub_properties(value: &str) -> Properties {
        value
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect()
    }
}

/// A file could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    /// The file's path.
    pub file: String,
    /// The line, from 1.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ProfileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Self { file, line, message } = self;
        write!(f, "{file}:{line}: {message}")
    }
}

impl std::error::Error for ProfileError {}

/// One section as written: its kind, its name (validated), and its properties.
struct Section {
    kind: SectionKind,
    /// `None` when the name is not valid: the section is parsed and then ignored.
    name: Option<String>,
    properties: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SectionKind {
    /// `[profile name]` in the config file, `[name]` in the credentials file.
    Profile,
    /// `[default]` in the config file: loses to `[profile default]`.
    BareDefault,
    SsoSession,
    Services,
    /// A header the file kind does not use (`[foo]` in the config file, `[profile foo]` in the
    /// credentials file): ignored.
    Ignored,
}

fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "-/.%@_:+".contains(c))
}

fn valid_property_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
}

/// Removes a comment that starts with `#` or `;` after whitespace, or at `allow_adjacent`.
fn strip_comment(s: &str, allow_adjacent: bool) -> &str {
    let bytes = s.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if (*b == b'#' || *b == b';') && (allow_adjacent || i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return &s[..i];
        }
    }
    s
}

fn header(line: &str, kind: FileKind) -> Result<(SectionKind, Option<String>), String> {
    let inner = line.trim().strip_prefix('[').expect("a header starts with [");
    let Some(end) = inner.find(']') else { return Err("Profile definition must end with ']'".into()) };
    let rest = strip_comment(&inner[end + 1..], true);
    if !rest.trim().is_empty() {
        return Err("Profile definition must end with ']'".into());
    }
    let title = inner[..end].trim();
    let (prefix, name) = match title.split_once([' ', '\t']) {
        Some((p, n)) => (p, n.trim()),
        None => ("", title),
    };
    let named = |k: SectionKind, n: &str| (k, valid_name(n).then(|| n.to_string()));
    Ok(match (kind, prefix) {
        (FileKind::Config, "profile") => named(SectionKind::Profile, name),
        (FileKind::Config, "sso-session") => named(SectionKind::SsoSession, name),
        (FileKind::Config, "services") => named(SectionKind::Services, name),
        (FileKind::Config, "") if title == "default" => (SectionKind::BareDefault, Some("default".into())),
        (FileKind::Config, _) => (SectionKind::Ignored, None),
        (FileKind::Credentials, "") => named(SectionKind::Profile, title),
        (FileKind::Credentials, _) => {
            // `[profile foo]` has no meaning here; any other space in the title makes an
            // invalid name.
            if prefix == "profile" {
                (SectionKind::Ignored, None)
            } else {
                named(SectionKind::Profile, title)
            }
        }
    })
}

fn parse_sections(text: &str, kind: FileKind, file: &str) -> Result<Vec<Section>, ProfileError> {
    let err = |line: usize, message: &str| ProfileError { file: file.to_string(), line, message: message.to_string() };
    let mut sections: Vec<Section> = Vec::new();
    // Whether the last property takes sub-properties (its value was empty).
    let mut in_property: Option<bool> = None;
    for (i, raw) in text.split('\n').enumerate() {
        let n = i + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if trimmed.starts_with('[') {
            let (k, name) = header(line, kind).map_err(|m| err(n, &m))?;
            sections.push(Section { kind: k, name, properties: Vec::new() });
            in_property = None;
            continue;
        }
        let Some(section) = sections.last_mut() else { return Err(err(n, "Expected a profile definition")) };
        if line.starts_with([' ', '\t']) {
            // A continuation of the last property, or one of its sub-properties.
            let Some(subs) = in_property else {
                return Err(err(n, "Expected a property definition, found continuation"));
            };
            if subs {
                let Some((k, _)) = trimmed.split_once('=') else {
                    return Err(err(n, "Expected an '=' sign defining a sub-property"));
                };
                if k.trim().is_empty() {
                    return Err(err(n, "Sub-property did not have a name"));
                }
            }
            let last = section.properties.last_mut().expect("a property is open");
            last.1.push('\n');
            last.1.push_str(trimmed);
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            return Err(err(n, "Expected an '=' sign defining a property"));
        };
        let key = k.trim();
        if key.is_empty() {
            return Err(err(n, "Property did not have a name"));
        }
        let value = strip_comment(v, false).trim().to_string();
        in_property = Some(value.is_empty());
        section.properties.push((key.to_string(), value));
    }
    Ok(sections)
}

/// Merges the sections of the config and credentials files (either may be missing): duplicate
/// sections merge, the last value of a property wins, `[profile default]` hides `[default]` in
/// the config file, and the credentials file wins over the config file.
pub fn parse(config: Option<(&str, &str)>, credentials: Option<(&str, &str)>) -> Result<ProfileSet, ProfileError> {
    let mut set = ProfileSet::default();
    let add = |target: &mut BTreeMap<String, Properties>, s: &Section| {
        let Some(name) = &s.name else { return };
        let props = target.entry(name.clone()).or_default();
        for (k, v) in &s.properties {
            if valid_property_name(k) {
                props.insert(k.to_ascii_lowercase(), v.clone());
            }
        }
    };
    if let Some((file, text)) = config {
        let sections = parse_sections(text, FileKind::Config, file)?;
        let prefixed_default =
            sections.iter().any(|s| s.kind == SectionKind::Profile && s.name.as_deref() == Some("default"));
        for s in &sections {
            match s.kind {
                SectionKind::Profile => add(&mut set.profiles, s),
                SectionKind::BareDefault if !prefixed_default => add(&mut set.profiles, s),
                SectionKind::SsoSession => add(&mut set.sso_sessions, s),
                SectionKind::Services => add(&mut set.services, s),
                SectionKind::BareDefault | SectionKind::Ignored => {}
            }
        }
    }
    if let Some((file, text)) = credentials {
        for s in parse_sections(text, FileKind::Credentials, file)? {
            if s.kind == SectionKind::Profile {
                add(&mut set.profiles, &s);
            }
        }
    }
    Ok(set)
}

/// Where the files are and which profile is selected, from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locations {
    /// The shared config file.
    pub config: PathBuf,
    /// The shared credentials file.
    pub credentials: PathBuf,
    /// The selected profile.
    pub profile: String,
}

/// The home folder as the SDKs find it: `HOME`, then on Windows `USERPROFILE`, then
/// `HOMEDRIVE` + `HOMEPATH`.
fn home(env: &dyn Fn(&str) -> Option<String>, windows: bool) -> Option<String> {
    let get = |k: &str| env(k).filter(|v| !v.is_empty());
    get("HOME").or_else(|| {
        if !windows {
            return None;
        }
        get("USERPROFILE").or_else(|| Some(format!("{}{}", get("HOMEDRIVE")?, get("HOMEPATH")?)))
    })
}

/// The file locations and profile name for an environment (`AWS_CONFIG_FILE`,
/// `AWS_SHARED_CREDENTIALS_FILE`, `AWS_PROFILE`, the home folder); `windows` picks the path
/// separator and home-folder rules. `~` at the start of a configured path is the home folder.
pub fn locations(env: &dyn Fn(&str) -> Option<String>, windows: bool) -> Locations {
    let sep = if windows { "\\" } else { "/" };
    let home = home(env, windows).unwrap_or_else(|| ".".into());
    let expand = |p: String| match p.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with(['/', '\\']) => format!("{home}{rest}"),
        _ => p,
    };
    let default = |f: &str| format!("{home}{sep}.aws{sep}{f}");
    let get = |k: &str| env(k).filter(|v| !v.is_empty());
    Locations {
        config: PathBuf::from(expand(get("AWS_CONFIG_FILE").unwrap_or_else(|| default("config")))),
        credentials: PathBuf::from(expand(
            get("AWS_SHARED_CREDENTIALS_FILE").unwrap_or_else(|| default("credentials")),
        )),
        profile: get("AWS_PROFILE").unwrap_or_else(|| "default".into()),
    }
}

/// Reads and parses both files from `locations`; a missing file counts as empty.
pub fn load(locations: &Locations) -> Result<ProfileSet, ProfileError> {
    let read = |p: &PathBuf| std::fs::read_to_string(p).ok().map(|t| (p.display().to_string(), t));
    let (config, credentials) = (read(&locations.config), read(&locations.credentials));
    parse(
        config.as_ref().map(|(f, t)| (f.as_str(), t.as_str())),
        credentials.as_ref().map(|(f, t)| (f.as_str(), t.as_str())),
    )
}
