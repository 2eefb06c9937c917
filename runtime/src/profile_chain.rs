//! Which credentials a profile stands for, worked out before anything is called: a base source
//! (static keys, a named source, a web identity, SSO, a `credential_process`), then the roles
//! to assume in turn, innermost first. [`crate::chain`] runs the result.
//!
//! The rules, as aws-sdk-rust applies them: the selected profile's `role_arn` wins over its
//! own keys; a source profile's static keys end the chain (its `role_arn` is then ignored); a
//! profile may name itself as its source to use its own keys; any other loop is an error.

use std::fmt;

use crate::profile::{ProfileSet, Properties};

/// A role to assume with STS `AssumeRole`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// `role_arn`.
    pub role_arn: String,
    /// `external_id`.
    pub external_id: Option<String>,
    /// `role_session_name`; the chain makes one up without it.
    pub session_name: Option<String>,
    /// `duration_seconds`, as written (STS checks the range).
    pub duration_seconds: Option<String>,
}

/// Where the first credentials of a chain come from.
#[derive(Clone, PartialEq, Eq)]
pub enum Base {
    /// Keys written in the profile.
    #[allow(missing_docs)]
    AccessKey {
        access_key_id: String,
        secret_access_key: String,
        session_token: Option<String>,
        account_id: Option<String>,
    },
    /// `credential_source`: `Environment`, `EcsContainer` or `Ec2InstanceMetadata`.
    NamedSource(String),
    /// `web_identity_token_file` with its `role_arn`.
    #[allow(missing_docs)]
    WebIdentity { role_arn: String, token_file: String, session_name: Option<String> },
    /// SSO role credentials (`sso_session` or the legacy `sso_start_url`).
    Sso {
        /// `sso_session`, for the new form; `None` for the legacy one.
        session: Option<String>,
        /// `sso_start_url` (of the session, in the new form).
        start_url: String,
        /// `sso_region` (of the session, in the new form): where the portal is called.
        region: String,
        /// `sso_account_id`.
        account_id: Option<String>,
        /// `sso_role_name`.
        role_name: Option<String>,
    },
    /// `credential_process`.
    Process(String),
}

impl fmt::Debug for Base {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Base::AccessKey { access_key_id, account_id, .. } => f
                .debug_struct("AccessKey")
                .field("access_key_id", access_key_id)
                .field("secret_access_key", &"** redacted **")
                .field("account_id", account_id)
                .finish_non_exhaustive(),
            Base::NamedSource(s) => f.debug_tuple("NamedSource").field(s).finish(),
            Base::WebIdentity { role_arn, token_file, session_name } => f
                .debug_struct("WebIdentity")
                .field("role_arn", role_arn)
                .field("token_file", token_file)
                .field("session_name", session_name)
                .finish(),
            Base::Sso { session, start_url, region, account_id, role_name } => f
                .debug_struct("Sso")
                .field("session", session)
                .field("start_url", start_url)
                .field("region", region)
                .field("account_id", account_id)
                .field("role_name", role_name)
                .finish(),
            Base::Process(_) => f.debug_tuple("Process").field(&"** command **").finish(),
        }
    }
}

/// A profile's credentials: the base, then each role assumed with the credentials before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileChain {
    /// The first credentials.
    pub base: Base,
    /// The roles to assume, in the order they are assumed.
    pub roles: Vec<Role>,
}

/// Why a profile gives no chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainError {
    /// The profile holds settings but nothing to make credentials from.
    NoCredentials(String),
    /// The profile is written wrong.
    Invalid(String),
}

impl fmt::Display for ChainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainError::NoCredentials(m) | ChainError::Invalid(m) => f.write_str(m),
        }
    }
}

fn get<'p>(p: &'p Properties, k: &str) -> Option<&'p str> {
    p.get(k).map(String::as_str).filter(|v| !v.is_empty())
}

fn invalid<T>(m: impl Into<String>) -> Result<T, ChainError> {
    Err(ChainError::Invalid(m.into()))
}

/// The chain of the profile `selected` in `set`.
pub fn resolve(set: &ProfileSet, selected: &str) -> Result<ProfileChain, ChainError> {
    if set.profiles.is_empty() {
        return invalid("No profiles were defined");
    }
    let Some(mut p) = set.profiles.get(selected) else {
        return invalid(format!("profile `{selected}` was not defined"));
    };
    let mut name = selected;
    let mut visited = vec![selected];
    let mut roles = Vec::new();
    loop {
        // A source profile (not the selected one) with keys ends the chain.
        if !roles.is_empty() {
            if let Some(base) = access_key(name, p)? {
                return Ok(finish(base, roles));
            }
        }
        let Some(role_arn) = get(p, "role_arn") else {
            // A source profile without credentials breaks the chain; only the selected one may
            // simply have none (the default chain then moves on).
            return match base_of(set, name, p) {
                Ok(b) => Ok(finish(b, roles)),
                Err(ChainError::NoCredentials(m)) if !roles.is_empty() => Err(ChainError::Invalid(m)),
                Err(e) => Err(e),
            };
        };
        let role = Role {
            role_arn: role_arn.to_string(),
            external_id: get(p, "external_id").map(str::to_string),
            session_name: get(p, "role_session_name").map(str::to_string),
            duration_seconds: get(p, "duration_seconds").map(str::to_string),
        };
        match (get(p, "source_profile"), get(p, "credential_source"), get(p, "web_identity_token_file")) {
            (Some(_), Some(_), _) => {
                return invalid(format!("profile `{name}`: profile contained both source_profile and credential_source"))
            }
            (None, Some(source), _) => {
                if !["Environment", "EcsContainer", "Ec2InstanceMetadata"].contains(&source) {
                    return invalid(format!(
                        "profile `{name}`: credential_source `{source}` is not one of Environment, EcsContainer, Ec2InstanceMetadata"
                    ));
                }
                roles.push(role);
                return Ok(finish(Base::NamedSource(source.to_string()), roles));
            }
            (None, None, Some(token_file)) => {
                let base = Base::WebIdentity {
                    role_arn: role.role_arn,
                    token_file: token_file.to_string(),
                    session_name: role.session_name,
                };
                return Ok(finish(base, roles));
            }
            (None, None, None) => {
                return invalid(format!("profile `{name}`: role_arn is set, so the profile must contain `source_profile` or `credential_source`"))
            }
            (Some(source), None, _) if source == name => {
                // Its own keys, then its role.
                roles.push(role);
                return match access_key(name, p)? {
                    Some(base) => Ok(finish(base, roles)),
                    None => Err(ChainError::Invalid(format!("profile `{name}` did not contain credential information"))),
                };
            }
            (Some(source), None, _) => {
                roles.push(role);
                if visited.contains(&source) {
                    return invalid(format!(
                        "profile formed an infinite loop: {} -> {source}",
                        visited.join(" -> ")
                    ));
                }
                let Some(next) = set.profiles.get(source) else {
                    return invalid(format!("could not find source profile {source} referenced from {name}"));
                };
                visited.push(source);
                name = source;
                p = next;
            }
        }
    }
}

/// The roles were collected outermost first; they run innermost first.
fn finish(base: Base, mut roles: Vec<Role>) -> ProfileChain {
    roles.reverse();
    ProfileChain { base, roles }
}

/// The profile's static keys: `None` without any, an error when only half is there.
fn access_key(name: &str, p: &Properties) -> Result<Option<Base>, ChainError> {
    match (get(p, "aws_access_key_id"), get(p, "aws_secret_access_key")) {
        (Some(id), Some(secret)) => Ok(Some(Base::AccessKey {
            access_key_id: id.to_string(),
            secret_access_key: secret.to_string(),
            session_token: get(p, "aws_session_token").map(str::to_string),
            account_id: get(p, "aws_account_id").map(str::to_string),
        })),
        (Some(_), None) => invalid(format!("profile `{name}`: profile missing aws_secret_access_key")),
        (None, Some(_)) => invalid(format!("profile `{name}`: profile missing aws_access_key_id")),
        (None, None) => Ok(None),
    }
}

/// The base of a profile without a role.
fn base_of(set: &ProfileSet, name: &str, p: &Properties) -> Result<Base, ChainError> {
    if get(p, "web_identity_token_file").is_some() {
        return invalid(format!(
            "profile `{name}`: `web_identity_token_file` was specified but `role_arn` was missing"
        ));
    }
    if get(p, "sso_session").is_some() || get(p, "sso_start_url").is_some() || get(p, "sso_account_id").is_some() {
        return sso(set, name, p);
    }
    if let Some(cmd) = get(p, "credential_process") {
        return Ok(Base::Process(cmd.to_string()));
    }
    match access_key(name, p)? {
        Some(base) => Ok(base),
        None => Err(ChainError::NoCredentials(format!("profile `{name}` did not contain credential information"))),
    }
}

fn sso(set: &ProfileSet, name: &str, p: &Properties) -> Result<Base, ChainError> {
    let account_id = get(p, "sso_account_id");
    let role_name = get(p, "sso_role_name");
    match (account_id, role_name) {
        (None, Some(_)) => {
            return invalid(format!(
                "profile `{name}`: if `sso_role_name` is set, then `sso_account_id` must also be set"
            ))
        }
        (Some(_), None) => {
            return invalid(format!(
                "profile `{name}`: if `sso_account_id` is set, then `sso_role_name` must also be set"
            ))
        }
        _ => {}
    }
    let (session, start_url, region) = match get(p, "sso_session") {
        Some(session) => {
            let Some(s) = set.sso_sessions.get(session) else {
                return invalid(format!(
                    "sso-session named `{session}` (referenced by profile `{name}`) was not found"
                ));
            };
            for key in ["sso_region", "sso_start_url"] {
                if let Some(own) = get(p, key) {
                    if get(s, key) != Some(own) {
                        return invalid(format!(
                            "profile `{name}`: `{key}` can only be specified in the [sso-session] config when a session name is given"
                        ));
                    }
                }
            }
            (Some(session.to_string()), get(s, "sso_start_url"), get(s, "sso_region"))
        }
        None => (None, get(p, "sso_start_url"), get(p, "sso_region")),
    };
    let Some(start_url) = start_url else { return invalid(format!("profile `{name}`: SSO needs `sso_start_url`")) };
    let Some(region) = region else { return invalid(format!("profile `{name}`: SSO needs `sso_region`")) };
    Ok(Base::Sso {
        session,
        start_url: start_url.to_string(),
        region: region.to_string(),
        account_id: account_id.map(str::to_string),
        role_name: role_name.map(str::to_string),
    })
}
