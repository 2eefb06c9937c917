//! The default credentials chain, in aws-sdk-rust's order: environment variables, the selected
//! profile of the shared files, web identity from the environment, container credentials (ECS,
//! EKS Pod Identity), then EC2 instance metadata (IMDSv2). Every source of input (variables,
//! files, HTTP) goes through [`ChainEnv`], so the chain runs the same over recorded traffic.
//!
//! Roles (`role_arn`, web identity) and SSO need the STS and SSO clients, which this generator
//! produces once its awsQuery protocol lands; until then those sources are a clear error naming
//! what is missing, never a guess.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::credentials::{Credentials, CredentialsError, ProvideCredentials};
use crate::http::{ConnectorError, HttpConnector};
use crate::BoxFuture;

/// Looks up an environment variable.
pub type VarFn = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;
/// Reads a file.
pub type ReadFn = Arc<dyn Fn(&Path) -> std::io::Result<Vec<u8>> + Send + Sync>;

/// Where the chain reads its inputs: the process environment and file system, or stand-ins.
#[derive(Clone)]
pub struct ChainEnv {
    /// A variable's value.
    pub var: VarFn,
    /// A file's contents.
    pub read: ReadFn,
    /// The HTTP transport for the container and instance metadata endpoints.
    pub http: Arc<dyn HttpConnector>,
    /// How long one metadata request may take (the chain must fail fast off EC2).
    pub timeout: Duration,
}

impl fmt::Debug for ChainEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChainEnv").field("timeout", &self.timeout).finish_non_exhaustive()
    }
}

impl ChainEnv {
    /// The process environment, the real file system and an HTTP client with short timeouts.
    pub fn process() -> Result<Self, crate::http::SetupError> {
        Ok(Self {
            var: Arc::new(|k| std::env::var(k).ok()),
            read: Arc::new(|p| std::fs::read(p)),
            http: Arc::new(crate::http::ReqwestConnector::new(Duration::from_secs(1))?),
            timeout: Duration::from_secs(1),
        })
    }

    fn get(&self, k: &str) -> Option<String> {
        (self.var)(k).filter(|v| !v.trim().is_empty())
    }
}

/// Instance metadata settings an application sets in code, over the environment and profile.
#[derive(Debug, Clone, Default)]
pub struct ImdsOverrides {
    /// The endpoint, for example `http://169.254.169.254`.
    pub endpoint: Option<String>,
    /// `IPv4` or `IPv6`.
    pub mode: Option<String>,
}

/// The default chain as a provider: each call walks the chain; put it behind the client's cache
/// (the client builder does).
#[derive(Debug, Clone)]
pub struct DefaultChain {
    env: ChainEnv,
    profile: Option<String>,
}

fn provider_error(provider: &'static str, message: impl Into<String>) -> CredentialsError {
    CredentialsError::Provider { provider, message: message.into() }
}

/// A source that does not apply here (nothing configured for it): the chain moves on.
enum Step {
    NotConfigured,
    Done(Result<Credentials, CredentialsError>),
}

impl DefaultChain {
    /// The chain over `env`; `profile` overrides `AWS_PROFILE`.
    pub fn new(env: ChainEnv, profile: Option<String>) -> Self {
        Self { env, profile }
    }

    /// Walks the chain once.
    pub async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        if let Step::Done(r) = self.environment() {
            return r;
        }
        match self.profile().await {
            Step::Done(r) => return r,
            Step::NotConfigured => {}
        }
        if self.env.get("AWS_WEB_IDENTITY_TOKEN_FILE").is_some() && self.env.get("AWS_ROLE_ARN").is_some() {
            return Err(needs_sts("web identity (AWS_WEB_IDENTITY_TOKEN_FILE)"));
        }
        if let Step::Done(r) = self.container().await {
            return r;
        }
        match self.imds().await {
            Step::Done(r) => r,
            Step::NotConfigured => Err(CredentialsError::NotFound),
        }
    }

    fn environment(&self) -> Step {
        match (self.env.get("AWS_ACCESS_KEY_ID"), self.env.get("AWS_SECRET_ACCESS_KEY")) {
            (Some(id), Some(secret)) => {
                let mut c = Credentials::new(id, secret, self.env.get("AWS_SESSION_TOKEN"));
                if let Some(a) = self.env.get("AWS_ACCOUNT_ID") {
                    c = c.with_account_id(a);
                }
                Step::Done(Ok(c))
            }
            _ => Step::NotConfigured,
        }
    }

    fn profiles(&self) -> Result<(crate::profile::ProfileSet, String), CredentialsError> {
        let var = |k: &str| (self.env.var)(k);
        let loc = crate::profile::locations(&var, cfg!(windows));
        let read = |p: &PathBuf| {
            (self.env.read)(p).ok().map(|b| (p.display().to_string(), String::from_utf8_lossy(&b).into_owned()))
        };
        let (config, credentials) = (read(&loc.config), read(&loc.credentials));
        let set = crate::profile::parse(
            config.as_ref().map(|(f, t)| (f.as_str(), t.as_str())),
            credentials.as_ref().map(|(f, t)| (f.as_str(), t.as_str())),
        )
        .map_err(|e| provider_error("profile", e.to_string()))?;
        Ok((set, self.profile.clone().unwrap_or(loc.profile)))
    }

    async fn profile(&self) -> Step {
        let (set, name) = match self.profiles() {
            Ok(p) => p,
            Err(e) => return Step::Done(Err(e)),
        };
        // A selected profile that does not exist gives nothing: the chain moves on.
        let Some(p) = set.profiles.get(&name) else { return Step::NotConfigured };
        let get = |k: &str| p.get(k).map(String::as_str).filter(|v| !v.is_empty());
        if let Some(role) = get("role_arn") {
            // The source credentials come first: without them there is nothing to assume with.
            let source = match (get("source_profile"), get("credential_source"), get("web_identity_token_file")) {
                (_, Some("Environment"), _) => match self.environment() {
                    Step::Done(r) => r.map(|_| ()),
                    Step::NotConfigured => Err(provider_error(
                        "profile",
                        format!("profile `{name}`: credential_source = Environment, and the environment has no keys"),
                    )),
                },
                (_, Some("EcsContainer"), _) => match self.container().await {
                    Step::Done(r) => r.map(|_| ()),
                    Step::NotConfigured => Err(provider_error("profile", "credential_source = EcsContainer, and no container endpoint is set")),
                },
                (_, Some("Ec2InstanceMetadata"), _) => match self.imds().await {
                    Step::Done(r) => r.map(|_| ()),
                    Step::NotConfigured => Err(provider_error(
                        "profile",
                        "credential_source = Ec2InstanceMetadata, and instance metadata gave no credentials \
                         (disabled, no instance role, or not on EC2)",
                    )),
                },
                (_, Some(other), _) => Err(provider_error("profile", format!("profile `{name}`: unknown credential_source `{other}`"))),
                (Some(source), None, _) => source_profile_check(&set, source, 0),
                (None, None, Some(_)) => Ok(()),
                (None, None, None) => Err(provider_error(
                    "profile",
                    format!("profile `{name}`: role_arn `{role}` needs source_profile, credential_source or web_identity_token_file"),
                )),
            };
            return Step::Done(source.and_then(|()| Err(needs_sts(&format!("profile `{name}`: role_arn")))));
        }
        if get("web_identity_token_file").is_some() {
            return Step::Done(Err(provider_error(
                "profile",
                format!("profile `{name}`: `web_identity_token_file` was specified but `role_arn` was missing"),
            )));
        }
        if get("sso_session").is_some() || get("sso_start_url").is_some() {
            return Step::Done(self.sso_token(&set, &name, p).and_then(|()| Err(needs_sso(&name))));
        }
        if let Some(cmd) = get("credential_process") {
            return Step::Done(credential_process(cmd).await);
        }
        match (get("aws_access_key_id"), get("aws_secret_access_key")) {
            (Some(id), Some(secret)) => {
                let mut c = Credentials::new(id, secret, get("aws_session_token").map(str::to_string));
                if let Some(a) = get("aws_account_id") {
                    c = c.with_account_id(a);
                }
                Step::Done(Ok(c))
            }
            (Some(_), None) => Step::Done(Err(provider_error(
                "profile",
                format!("profile `{name}` has aws_access_key_id but no aws_secret_access_key"),
            ))),
            _ => Step::NotConfigured,
        }
    }

    /// The SSO access token cached by `aws sso login`, which the SSO portal call needs: its
    /// file is named by the SHA-1 of the session name (or legacy start URL).
    fn sso_token(
        &self,
        set: &crate::profile::ProfileSet,
        name: &str,
        p: &crate::profile::Properties,
    ) -> Result<(), CredentialsError> {
        use sha1::Digest as _;
        let key = match p.get("sso_session") {
            Some(session) => {
                if !set.sso_sessions.contains_key(session) {
                    return Err(provider_error(
                        "sso",
                        format!("profile `{name}`: sso-session `{session}` is not defined"),
                    ));
                }
                session.clone()
            }
            None => p.get("sso_start_url").cloned().unwrap_or_default(),
        };
        let hash: String = sha1::Sha1::digest(key.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        let home = self.env.get("HOME").unwrap_or_else(|| ".".into());
        let path = PathBuf::from(home).join(".aws/sso/cache").join(format!("{hash}.json"));
        (self.env.read)(&path)
            .map(|_| ())
            .map_err(|e| provider_error("sso", format!("failed to read `{}`: {e}", path.display())))
    }

    /// The container credentials endpoint: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` under ECS's
    /// 169.254.170.2, else `AWS_CONTAINER_CREDENTIALS_FULL_URI` if it is HTTPS or a loopback,
    /// ECS or EKS Pod Identity address; `None` when neither is set.
    pub fn container_endpoint(&self) -> Result<Option<http::Uri>, CredentialsError> {
        let (name, url) = match (
            self.env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"),
            self.env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
        ) {
            (Some(rel), _) => ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", format!("http://169.254.170.2{rel}")),
            (None, Some(full)) => ("AWS_CONTAINER_CREDENTIALS_FULL_URI", full),
            (None, None) => return Ok(None),
        };
        let bad = |why: String| Err(provider_error("container", format!("{name}: `{url}` {why}")));
        let uri: http::Uri = match url.parse() {
            Ok(u) => u,
            Err(e) => return bad(format!("is not a URL: {e}")),
        };
        if uri.host().is_none() {
            return bad("did not specify a host".into());
        }
        if !container_host_allowed(&uri) {
            return bad("is neither HTTPS nor a loopback, ECS or EKS Pod Identity address".into());
        }
        Ok(Some(uri))
    }

    async fn container(&self) -> Step {
        let uri = match self.container_endpoint() {
            Ok(Some(u)) => u,
            Ok(None) => return Step::NotConfigured,
            Err(e) => return Step::Done(Err(e)),
        };
        let token = match self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            Some(file) => match (self.env.read)(Path::new(&file)) {
                Ok(b) => Some(String::from_utf8_lossy(&b).trim().to_string()),
                Err(e) => return Step::Done(Err(provider_error("container", format!("reading `{file}`: {e}")))),
            },
            None => self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        };
        let mut req = http::Request::builder().method("GET").uri(uri).header("accept", "application/json");
        if let Some(t) = token {
            req = req.header("authorization", t);
        }
        let req = req.body(Default::default()).expect("a valid request");
        Step::Done(match self.send_with_retry(req, "container").await {
            Ok((200, body)) => parse_credentials("container", &body),
            Ok((status, _)) => Err(provider_error("container", format!("the endpoint answered HTTP {status}"))),
            Err(e) => Err(e),
        })
    }

    /// IMDSv2: a session token, the instance role's name, then its credentials.
    async fn imds(&self) -> Step {
        if self.env.get("AWS_EC2_METADATA_DISABLED").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
            return Step::NotConfigured;
        }
        let base = match self.imds_endpoint(&ImdsOverrides::default()) {
            Ok(b) => b,
            Err(e) => return Step::Done(Err(e)),
        };
        let request = |method: &str, path: &str, header: (&str, &str)| {
            http::Request::builder()
                .method(method)
                .uri(format!("{base}{path}"))
                .header(header.0, header.1)
                .body(Default::default())
                .expect("a valid request")
        };
        let token = match self
            .send_with_retry(
                request("PUT", "/latest/api/token", ("x-aws-ec2-metadata-token-ttl-seconds", "21600")),
                "imds",
            )
            .await
        {
            Ok((200, body)) => String::from_utf8_lossy(&body).trim().to_string(),
            Ok((403, _)) => {
                return Step::Done(Err(provider_error("imds", "request forbidden: IMDS is disabled on this instance")))
            }
            Ok((status, _)) => {
                return Step::Done(Err(provider_error("imds", format!("token request answered HTTP {status}"))))
            }
            // Off EC2 nothing answers: the chain has nothing more to try.
            Err(_) => return Step::NotConfigured,
        };
        let auth = ("x-aws-ec2-metadata-token", token.as_str());
        let role = match self
            .send_with_retry(request("GET", "/latest/meta-data/iam/security-credentials/", auth), "imds")
            .await
        {
            Ok((200, body)) => String::from_utf8_lossy(&body).lines().next().unwrap_or_default().trim().to_string(),
            Ok((404, _)) => return Step::NotConfigured,
            Ok((status, _)) => {
                return Step::Done(Err(provider_error("imds", format!("role request answered HTTP {status}"))))
            }
            Err(e) => return Step::Done(Err(e)),
        };
        let path = format!("/latest/meta-data/iam/security-credentials/{role}");
        Step::Done(match self.send_with_retry(request("GET", &path, auth), "imds").await {
            Ok((200, body)) => parse_credentials("imds", &body),
            Ok((status, _)) => Err(provider_error("imds", format!("credentials request answered HTTP {status}"))),
            Err(e) => Err(e),
        })
    }

    /// The instance metadata endpoint, without a trailing `/`: an explicit endpoint, then
    /// `AWS_EC2_METADATA_SERVICE_ENDPOINT`, then the profile's `ec2_metadata_service_endpoint`;
    /// else the address of the endpoint mode (explicit, `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE`,
    /// the profile's `ec2_metadata_service_endpoint_mode`; `IPv4` or `IPv6`, any case).
    pub fn imds_endpoint(&self, overrides: &ImdsOverrides) -> Result<String, CredentialsError> {
        let profile = self.profiles().ok();
        let prop = |k: &str| {
            let (set, name) = profile.as_ref()?;
            set.get(name, k).filter(|v| !v.is_empty()).map(str::to_string)
        };
        let endpoint = overrides
            .endpoint
            .clone()
            .map(|e| ("the endpoint override", e))
            .or_else(|| {
                self.env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT").map(|e| ("AWS_EC2_METADATA_SERVICE_ENDPOINT", e))
            })
            .or_else(|| prop("ec2_metadata_service_endpoint").map(|e| ("ec2_metadata_service_endpoint", e)));
        if let Some((source, e)) = endpoint {
            let uri: http::Uri =
                e.parse().map_err(|err| provider_error("imds", format!("{source}: `{e}` is not a URL: {err}")))?;
            if uri.scheme().is_none() || uri.authority().is_none() {
                return Err(provider_error("imds", format!("{source}: `{e}` needs a scheme and a host")));
            }
            return Ok(e.trim_end_matches('/').to_string());
        }
        let mode = overrides
            .mode
            .clone()
            .or_else(|| self.env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"))
            .or_else(|| prop("ec2_metadata_service_endpoint_mode"));
        match mode {
            None => Ok("http://169.254.169.254".into()),
            Some(m) if m.eq_ignore_ascii_case("ipv4") => Ok("http://169.254.169.254".into()),
            Some(m) if m.eq_ignore_ascii_case("ipv6") => Ok("http://[fd00:ec2::254]".into()),
            Some(m) => Err(provider_error("imds", format!("`{m}` is not a valid endpoint mode (IPv4 or IPv6)"))),
        }
    }

    /// Sends `req`, again once after a 5xx or a transport error; the status and body.
    async fn send_with_retry(
        &self,
        req: crate::http::Request,
        provider: &'static str,
    ) -> Result<(u16, Vec<u8>), CredentialsError> {
        let mut last = None;
        for _ in 0..2 {
            match self.env.http.send(req.clone(), Some(self.env.timeout)).await {
                Ok(r) if r.status().is_server_error() => last = Some(format!("HTTP {}", r.status().as_u16())),
                Ok(r) => return Ok((r.status().as_u16(), r.body().to_vec())),
                Err(ConnectorError::Timeout(t)) => last = Some(format!("no answer within {t:?}")),
                Err(ConnectorError::Io(e)) => last = Some(e.to_string()),
            }
        }
        Err(provider_error(provider, last.unwrap_or_default()))
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.resolve())
    }
}

/// Whether `name`, the source profile of a role, can give the credentials to assume it with:
/// static keys, a web identity with its role, or a role of its own (up to a depth of ten).
fn source_profile_check(set: &crate::profile::ProfileSet, name: &str, depth: usize) -> Result<(), CredentialsError> {
    let err = |m: String| Err(provider_error("profile", m));
    if depth > 10 {
        return err(format!("source_profile `{name}`: the chain of roles is longer than ten or loops"));
    }
    let Some(p) = set.profiles.get(name) else { return err(format!("source_profile `{name}` does not exist")) };
    let get = |k: &str| p.get(k).map(String::as_str).filter(|v| !v.is_empty());
    match (get("role_arn"), get("web_identity_token_file"), get("aws_access_key_id"), get("source_profile")) {
        (None, Some(_), _, _) => {
            err(format!("profile `{name}`: `web_identity_token_file` was specified but `role_arn` was missing"))
        }
        (Some(_), _, _, Some(next)) if next != name => source_profile_check(set, next, depth + 1),
        (Some(_), _, _, _) | (None, None, Some(_), _) => Ok(()),
        (None, None, None, _) => err(format!("source_profile `{name}` has no credentials")),
    }
}

fn needs_sts(what: &str) -> CredentialsError {
    provider_error("sts", format!("{what} needs STS AssumeRole, which is not generated yet (awsQuery)"))
}

fn needs_sso(profile: &str) -> CredentialsError {
    provider_error("sso", format!("profile `{profile}`: SSO GetRoleCredentials is not generated into the chain yet"))
}

/// HTTPS anywhere, or HTTP to a loopback address, ECS's 169.254.170.2 or EKS Pod Identity's
/// 169.254.170.23 / fd00:ec2::23.
fn container_host_allowed(uri: &http::Uri) -> bool {
    if uri.scheme_str() == Some("https") {
        return true;
    }
    let host = uri.host().unwrap_or_default().trim_start_matches('[').trim_end_matches(']');
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback() || host == "169.254.170.2" || host == "169.254.170.23" || host == "fd00:ec2::23",
        Err(_) => host == "localhost",
    }
}

/// The JSON the container and instance metadata endpoints answer with.
fn parse_credentials(provider: &'static str, body: &[u8]) -> Result<Credentials, CredentialsError> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Body {
        code: Option<String>,
        message: Option<String>,
        access_key_id: Option<String>,
        secret_access_key: Option<String>,
        token: Option<String>,
        expiration: Option<String>,
        account_id: Option<String>,
    }
    let b: Body =
        serde_json::from_slice(body).map_err(|e| provider_error(provider, format!("unreadable answer: {e}")))?;
    if let Some(code) = b.code.filter(|c| c != "Success") {
        return Err(provider_error(provider, format!("{code}: {}", b.message.unwrap_or_default())));
    }
    let (Some(id), Some(secret)) = (b.access_key_id, b.secret_access_key) else {
        return Err(provider_error(provider, "the answer has no AccessKeyId or SecretAccessKey"));
    };
    let mut c = Credentials::new(id, secret, b.token);
    if let Some(e) = b.expiration {
        let t = crate::protocol::parse_date_time(&e)
            .ok_or_else(|| provider_error(provider, format!("bad Expiration `{e}`")))?;
        c = c.with_expiry(SystemTime::from(t));
    }
    if let Some(a) = b.account_id {
        c = c.with_account_id(a);
    }
    Ok(c)
}

/// `credential_process`: runs the command and reads its JSON (`Version` 1).
async fn credential_process(command: &str) -> Result<Credentials, CredentialsError> {
    let out = if cfg!(windows) {
        std::process::Command::new("cmd").args(["/C", command]).output()
    } else {
        std::process::Command::new("sh").args(["-c", command]).output()
    }
    .map_err(|e| provider_error("credential_process", format!("cannot run it: {e}")))?;
    if !out.status.success() {
        return Err(provider_error("credential_process", format!("the command failed ({})", out.status)));
    }
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Body {
        version: u32,
        access_key_id: String,
        secret_access_key: String,
        session_token: Option<String>,
        expiration: Option<String>,
        account_id: Option<String>,
    }
    let b: Body = serde_json::from_slice(&out.stdout)
        .map_err(|e| provider_error("credential_process", format!("unreadable output: {e}")))?;
    if b.version != 1 {
        return Err(provider_error("credential_process", format!("output Version {} is not 1", b.version)));
    }
    let mut c = Credentials::new(b.access_key_id, b.secret_access_key, b.session_token);
    if let Some(e) = b.expiration {
        let t = crate::protocol::parse_date_time(&e)
            .ok_or_else(|| provider_error("credential_process", format!("bad Expiration `{e}`")))?;
        c = c.with_expiry(SystemTime::from(t));
    }
    if let Some(a) = b.account_id {
        c = c.with_account_id(a);
    }
    Ok(c)
}
