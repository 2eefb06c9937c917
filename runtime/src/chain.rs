//! The default credentials chain, in aws-sdk-rust's order: environment variables, the selected
//! profile of the shared files, web identity from the environment, container credentials (ECS,
//! EKS Pod Identity), then EC2 instance metadata (IMDSv2). Every source of input (variables,
//! files, HTTP) goes through [`ChainEnv`], so the chain runs the same over recorded traffic.
//!
//! Roles (`role_arn`, web identity) and SSO need STS and the SSO portal. The runtime has no
//! client for them: a [`Federation`] makes those calls (the `awsgen-credentials` crate has one,
//! over generated STS and SSO clients); without it those sources are an error that says so.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::credentials::{Credentials, CredentialsError, ProvideCredentials};
use crate::http::{ConnectorError, HttpConnector};
pub use crate::profile_chain::Role;
use crate::profile_chain::{Base, ChainError, ProfileChain};
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
            http: Arc::new(crate::http::HyperConnector::new(Duration::from_secs(1))?),
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

/// What a federation call needs from the chain: the transport, and the region to call in.
#[derive(Clone)]
pub struct FederationCx {
    /// The chain's transport ([`ChainEnv::http`]).
    pub http: Arc<dyn HttpConnector>,
    /// The region of the STS endpoint, or of the SSO portal.
    pub region: String,
    /// The chain's settings (endpoint overrides, FIPS, dual-stack) for the client it calls.
    pub shared: crate::config::SharedConfig,
}

/// The STS and SSO portal calls the chain makes for roles, web identities and SSO profiles.
/// The runtime has no STS or SSO client; the `awsgen-credentials` crate implements this with
/// clients generated from the STS and SSO models.
pub trait Federation: Send + Sync + fmt::Debug + 'static {
    /// STS `AssumeRole`, signed with `source`.
    fn assume_role<'a>(
        &'a self,
        cx: &'a FederationCx,
        source: Credentials,
        role: &'a Role,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>>;
    /// STS `AssumeRoleWithWebIdentity`, unsigned.
    fn web_identity<'a>(
        &'a self,
        cx: &'a FederationCx,
        role_arn: &'a str,
        session_name: &'a str,
        token: &'a str,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>>;
    /// SSO portal `GetRoleCredentials`, unsigned, with the cached access token.
    fn sso_role<'a>(
        &'a self,
        cx: &'a FederationCx,
        account_id: &'a str,
        role_name: &'a str,
        access_token: &'a str,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>>;
}

/// The default chain as a provider: each call walks the chain; put it behind the client's cache
/// (the client builder does).
#[derive(Debug, Clone)]
pub struct DefaultChain {
    env: ChainEnv,
    profile: Option<String>,
    federation: Option<Arc<dyn Federation>>,
}

fn provider_error(provider: &'static str, message: impl Into<String>) -> CredentialsError {
    CredentialsError::Provider { provider, message: message.into() }
}

/// A source either gives its answer, or does not apply here (nothing is configured for it, and
/// the reason says what was looked for): the chain moves on.
enum Step {
    NotConfigured(String),
    Done(Result<Credentials, CredentialsError>),
}

impl DefaultChain {
    /// The chain over `env`; `profile` overrides `AWS_PROFILE`.
    pub fn new(env: ChainEnv, profile: Option<String>) -> Self {
        Self { env, profile, federation: None }
    }

    /// The STS and SSO calls for roles, web identities and SSO profiles; without them those
    /// sources are an error that says so.
    pub fn with_federation(mut self, federation: Arc<dyn Federation>) -> Self {
        self.federation = Some(federation);
        self
    }

    /// Walks the chain once.
    /// Walks the chain once. When no source applies, the error lists what each one looked for.
    pub async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::new();
        match self.environment() {
            Step::Done(r) => return r,
            Step::NotConfigured(why) => tried.push(("environment", why)),
        }
        match self.profile().await {
            Step::Done(r) => return r,
            Step::NotConfigured(why) => tried.push(("profile", why)),
        }
        if let (Some(file), Some(role)) = (self.env.get("AWS_WEB_IDENTITY_TOKEN_FILE"), self.env.get("AWS_ROLE_ARN")) {
            let (set, name) = self.profiles()?;
            return self.web_identity(&set, &name, &role, &file, self.env.get("AWS_ROLE_SESSION_NAME")).await;
        }
        tried.push(("web identity", "AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not both set".into()));
        match self.container().await {
            Step::Done(r) => return r,
            Step::NotConfigured(why) => tried.push(("container", why)),
        }
        match self.imds().await {
            Step::Done(r) => r,
            Step::NotConfigured(why) => {
                tried.push(("instance metadata", why));
                Err(CredentialsError::NoneInChain { tried })
            }
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
            _ => Step::NotConfigured("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set".into()),
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
        .map_err(|e| provider_error("profile", format!("could not parse profile file: {e}")))?;
        Ok((set, self.profile.clone().unwrap_or(loc.profile)))
    }

    /// The region, from the same places as aws-sdk-rust's region chain: `AWS_REGION`,
    /// `AWS_DEFAULT_REGION`, the selected profile's `region`, then the instance's region from
    /// instance metadata (unless disabled). `None` when none gives one.
    pub async fn region(&self) -> Option<String> {
        if let Some(r) = self.env.get("AWS_REGION").or_else(|| self.env.get("AWS_DEFAULT_REGION")) {
            return Some(r);
        }
        if let Ok((set, name)) = self.profiles() {
            if let Some(r) = set.get(&name, "region").filter(|r| !r.trim().is_empty()) {
                return Some(r.trim().to_string());
            }
        }
        if self.env.get("AWS_EC2_METADATA_DISABLED").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
            return None;
        }
        let base = self.imds_endpoint(&ImdsOverrides::default()).ok()?;
        let request = |method: &str, path: &str, header: (&str, &str)| imds_request(&base, method, path, header);
        let token = self.imds_token(&request).await.ok()??;
        match self
            .send_with_retry(
                request("GET", "/latest/meta-data/placement/region", ("x-aws-ec2-metadata-token", &token)),
                "imds",
            )
            .await
        {
            Ok((200, body)) => Some(String::from_utf8_lossy(&body).trim().to_string()).filter(|r| !r.is_empty()),
            _ => None,
        }
    }

    /// The selected profile alone (the profile provider of aws-sdk-rust): its chain of base
    /// credentials and roles, run. `Ok(None)` when the profile is not there or holds no
    /// credentials at all.
    pub async fn resolve_profile(&self) -> Result<Option<Credentials>, CredentialsError> {
        match self.profile().await {
            Step::Done(r) => r.map(Some),
            Step::NotConfigured(_) => Ok(None),
        }
    }

    async fn profile(&self) -> Step {
        let (set, name) = match self.profiles() {
            Ok(p) => p,
            Err(e) => return Step::Done(Err(e)),
        };
        // A selected profile that does not exist, or holds only settings, gives nothing: the
        // chain moves on.
        if !set.profiles.contains_key(&name) {
            return Step::NotConfigured(format!("profile `{name}` is not in the config or credentials file"));
        }
        match crate::profile_chain::resolve(&set, &name) {
            Err(ChainError::NoCredentials(why)) => Step::NotConfigured(why),
            Err(e) => Step::Done(Err(provider_error("profile", e.to_string()))),
            Ok(chain) => Step::Done(self.run_chain(&set, &name, chain).await),
        }
    }

    /// The base credentials of a profile's chain, then each role assumed with the ones before.
    async fn run_chain(
        &self,
        set: &crate::profile::ProfileSet,
        name: &str,
        chain: ProfileChain,
    ) -> Result<Credentials, CredentialsError> {
        let mut creds = match chain.base {
            Base::AccessKey { access_key_id, secret_access_key, session_token, account_id } => {
                let c = Credentials::new(access_key_id, secret_access_key, session_token);
                match account_id {
                    Some(a) => c.with_account_id(a),
                    None => c,
                }
            }
            Base::NamedSource(source) => {
                let (step, missing) = match source.as_str() {
                    "Environment" => {
                        (self.environment(), "credential_source = Environment, and the environment has no keys")
                    }
                    "EcsContainer" => {
                        (self.container().await, "credential_source = EcsContainer, and no container endpoint is set")
                    }
                    _ => (
                        self.imds().await,
                        "credential_source = Ec2InstanceMetadata, and instance metadata gave no credentials \
                         (disabled, no instance role, or not on EC2)",
                    ),
                };
                match step {
                    Step::Done(r) => r?,
                    Step::NotConfigured(_) => {
                        return Err(provider_error("profile", format!("profile `{name}`: {missing}")))
                    }
                }
            }
            Base::WebIdentity { role_arn, token_file, session_name } => {
                self.web_identity(set, name, &role_arn, &token_file, session_name).await?
            }
            Base::Sso { session, start_url, region, account_id, role_name } => {
                let (Some(account_id), Some(role_name)) = (account_id, role_name) else {
                    return Err(provider_error(
                        "sso",
                        format!(
                            "profile `{name}` has no sso_account_id and sso_role_name: the selected profile will \
                             resolve an access token instead of credentials"
                        ),
                    ));
                };
                let token = self.sso_token(session.as_deref().unwrap_or(&start_url))?;
                let cx = FederationCx { http: self.env.http.clone(), region, shared: self.shared_config(set, name) };
                self.federation()?.sso_role(&cx, &account_id, &role_name, &token).await?
            }
            Base::Process(cmd) => {
                let c = credential_process(&cmd).await?;
                // The profile's account, when the process names none.
                match (c.account_id(), set.get(name, "aws_account_id").filter(|a| !a.is_empty())) {
                    (None, Some(a)) => c.with_account_id(a),
                    _ => c,
                }
            }
        };
        for role in &chain.roles {
            let cx = FederationCx {
                http: self.env.http.clone(),
                region: self.sts_region(set, name),
                shared: self.shared_config(set, name),
            };
            creds = self.federation()?.assume_role(&cx, creds, role).await?;
        }
        Ok(creds)
    }

    /// `AssumeRoleWithWebIdentity` with the token in `token_file`.
    async fn web_identity(
        &self,
        set: &crate::profile::ProfileSet,
        name: &str,
        role_arn: &str,
        token_file: &str,
        session_name: Option<String>,
    ) -> Result<Credentials, CredentialsError> {
        let token = (self.env.read)(Path::new(token_file))
            .map_err(|e| provider_error("web identity", format!("cannot read the token file `{token_file}`: {e}")))?;
        let token = String::from_utf8_lossy(&token).trim().to_string();
        let session_name = session_name.unwrap_or_else(default_session_name);
        let cx = FederationCx {
            http: self.env.http.clone(),
            region: self.sts_region(set, name),
            shared: self.shared_config(set, name),
        };
        self.federation()?.web_identity(&cx, role_arn, &session_name, &token).await
    }

    fn federation(&self) -> Result<&dyn Federation, CredentialsError> {
        self.federation.as_deref().ok_or_else(|| {
            provider_error(
                "sts",
                "this source needs STS or the SSO portal, which the runtime alone cannot call: \
                 use the chain of the `awsgen-credentials` crate (`awsgen_credentials::default_chain()`)",
            )
        })
    }

    /// The chain's settings as a client sees them: its `AWS_*` variables and profiles, for
    /// endpoint overrides, FIPS and dual-stack of the STS and SSO clients.
    fn shared_config(&self, set: &crate::profile::ProfileSet, name: &str) -> crate::config::SharedConfig {
        let env = crate::config::SETTINGS_VARS
            .iter()
            .filter_map(|k| self.env.get(k).map(|v| (k.to_string(), v)))
            .chain(["STS", "SSO"].iter().filter_map(|s| {
                self.env.get(&format!("AWS_ENDPOINT_URL_{s}")).map(|v| (format!("AWS_ENDPOINT_URL_{s}"), v))
            }))
            .collect();
        crate::config::SharedConfig::new(env, set.clone(), name.to_string())
    }

    /// The region STS is called in: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`,
    /// else `us-east-1`.
    fn sts_region(&self, set: &crate::profile::ProfileSet, name: &str) -> String {
        self.env
            .get("AWS_REGION")
            .or_else(|| self.env.get("AWS_DEFAULT_REGION"))
            .or_else(|| set.get(name, "region").filter(|r| !r.is_empty()).map(str::to_string))
            .unwrap_or_else(|| "us-east-1".into())
    }

    /// The SSO access token cached by `aws sso login` under `~/.aws/sso/cache`, in a file
    /// named by the SHA-1 of the session name (or the legacy start URL); it must not have
    /// expired.
    fn sso_token(&self, key: &str) -> Result<String, CredentialsError> {
        let hash =
            crate::sigv4::hex(ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, key.as_bytes()).as_ref());
        let home = self.env.get("HOME").or_else(|| self.env.get("USERPROFILE")).unwrap_or_else(|| ".".into());
        let path = PathBuf::from(home).join(".aws/sso/cache").join(format!("{hash}.json"));
        let bytes = (self.env.read)(&path)
            .map_err(|e| provider_error("sso", format!("failed to read `{}`: {e}", path.display())))?;
        let not_token =
            |e: String| provider_error("sso", format!("`{}` is not a cached SSO token: {e}", path.display()));
        let members = crate::protocol::json::string_members(&bytes, &["accessToken", "expiresAt"])
            .map_err(|e| not_token(e.to_string()))?;
        let [Some(access_token), Some(expires_at)] = <[Option<String>; 2]>::try_from(members).expect("two names")
        else {
            return Err(not_token("it has no accessToken or expiresAt".into()));
        };
        let expires = crate::protocol::parse_date_time(&expires_at)
            .ok_or_else(|| provider_error("sso", format!("`{}`: bad expiresAt `{expires_at}`", path.display())))?;
        if expires <= crate::DateTime::now() {
            return Err(provider_error("sso", "the SSO session has expired: run `aws sso login`"));
        }
        Ok(access_token)
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
            Ok(None) => {
                return Step::NotConfigured(
                    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set".into(),
                )
            }
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
            return Step::NotConfigured("disabled by AWS_EC2_METADATA_DISABLED".into());
        }
        let base = match self.imds_endpoint(&ImdsOverrides::default()) {
            Ok(b) => b,
            Err(e) => return Step::Done(Err(e)),
        };
        let request = |method: &str, path: &str, header: (&str, &str)| imds_request(&base, method, path, header);
        let token = match self.imds_token(&request).await {
            Ok(Some(t)) => t,
            // Off EC2 nothing answers: the chain has nothing more to try.
            Ok(None) => return Step::NotConfigured(format!("no answer from {base} (not on EC2?)")),
            Err(e) => return Step::Done(Err(e)),
        };
        // A token the server no longer takes (401) is fetched again, once per request.
        let mut token = token;
        let mut get = async |path: &str| -> Result<(u16, Vec<u8>), CredentialsError> {
            let r = self.send_with_retry(request("GET", path, ("x-aws-ec2-metadata-token", &token)), "imds").await?;
            if r.0 != 401 {
                return Ok(r);
            }
            token = match self.imds_token(&request).await? {
                Some(t) => t,
                None => return Err(provider_error("imds", "the token was refused and no new one was given")),
            };
            self.send_with_retry(request("GET", path, ("x-aws-ec2-metadata-token", &token)), "imds").await
        };
        let role = match get("/latest/meta-data/iam/security-credentials/").await {
            Ok((200, body)) => String::from_utf8_lossy(&body).lines().next().unwrap_or_default().trim().to_string(),
            Ok((404, _)) => return Step::NotConfigured("the instance has no IAM role".into()),
            Ok((status, _)) => {
                return Step::Done(Err(provider_error("imds", format!("role request answered HTTP {status}"))))
            }
            Err(e) => return Step::Done(Err(e)),
        };
        let path = format!("/latest/meta-data/iam/security-credentials/{role}");
        Step::Done(match get(&path).await {
            Ok((200, body)) => parse_credentials("imds", &body),
            Ok((status, _)) => Err(provider_error("imds", format!("credentials request answered HTTP {status}"))),
            Err(e) => Err(e),
        })
    }

    /// An IMDSv2 session token (six hours); `Ok(None)` when nothing answers.
    async fn imds_token(
        &self,
        request: &impl Fn(&str, &str, (&str, &str)) -> crate::http::Request,
    ) -> Result<Option<String>, CredentialsError> {
        match self
            .send_with_retry(
                request("PUT", "/latest/api/token", ("x-aws-ec2-metadata-token-ttl-seconds", "21600")),
                "imds",
            )
            .await
        {
            Ok((200, body)) => Ok(Some(String::from_utf8_lossy(&body).trim().to_string())),
            Ok((403, _)) => Err(provider_error("imds", "request forbidden: IMDS is disabled on this instance")),
            Ok((status, _)) => Err(provider_error("imds", format!("token request answered HTTP {status}"))),
            Err(_) => Ok(None),
        }
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

/// One instance metadata request: `method` to `base` + `path`, with one header.
fn imds_request(base: &str, method: &str, path: &str, header: (&str, &str)) -> crate::http::Request {
    http::Request::builder()
        .method(method)
        .uri(format!("{base}{path}"))
        .header(header.0, header.1)
        .body(Default::default())
        .expect("a valid request")
}

/// The session name of a role without `role_session_name`, as aws-sdk-rust makes one.
pub fn default_session_name() -> String {
    let millis = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_millis());
    format!("awsgen-rust-{millis}")
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
    let names = ["Code", "Message", "AccessKeyId", "SecretAccessKey", "Token", "Expiration", "AccountId"];
    let members = crate::protocol::json::string_members(body, &names)
        .map_err(|e| provider_error(provider, format!("unreadable answer: {e}")))?;
    let [code, message, id, secret, token, expiration, account_id] =
        <[Option<String>; 7]>::try_from(members).expect("seven names");
    if let Some(code) = code.filter(|c| c != "Success") {
        return Err(provider_error(provider, format!("{code}: {}", message.unwrap_or_default())));
    }
    let (Some(id), Some(secret)) = (id, secret) else {
        return Err(provider_error(provider, "the answer has no AccessKeyId or SecretAccessKey"));
    };
    let mut c = Credentials::new(id, secret, token);
    if let Some(e) = expiration {
        let t = crate::protocol::parse_date_time(&e)
            .and_then(|t| SystemTime::try_from(t).ok())
            .ok_or_else(|| provider_error(provider, format!("bad Expiration `{e}`")))?;
        c = c.with_expiry(t);
    }
    if let Some(a) = account_id {
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
        return Err(provider_error(
            "credential_process",
            format!("Error retrieving credentials: external process exited with code {}", out.status),
        ));
    }
    let unreadable = |e: String| {
        provider_error(
            "credential_process",
            format!("Error retrieving credentials from external process, could not parse response: invalid JSON in response ({e})"),
        )
    };
    let names = ["Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration", "AccountId"];
    let members = crate::protocol::json::string_members(&out.stdout, &names).map_err(|e| unreadable(e.to_string()))?;
    let [version, id, secret, session_token, expiration, account_id] =
        <[Option<String>; 6]>::try_from(members).expect("six names");
    let (Some(version), Some(id), Some(secret)) = (version, id, secret) else {
        return Err(unreadable("Version, AccessKeyId and SecretAccessKey are required".into()));
    };
    if version != "1" {
        return Err(provider_error("credential_process", format!("output Version {version} is not 1")));
    }
    let mut c = Credentials::new(id, secret, session_token);
    if let Some(e) = expiration {
        let t = crate::protocol::parse_date_time(&e)
            .and_then(|t| SystemTime::try_from(t).ok())
            .ok_or_else(|| provider_error("credential_process", format!("bad Expiration `{e}`")))?;
        c = c.with_expiry(t);
    }
    if let Some(a) = account_id {
        c = c.with_account_id(a);
    }
    Ok(c)
}
