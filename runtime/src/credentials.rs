//! AWS credentials, the providers that supply them, and the cache in front of a provider.

use std::fmt;
#[cfg(feature = "client")]
use std::sync::Arc;
#[cfg(feature = "client")]
use std::time::Duration;
use std::time::SystemTime;

use crate::BoxFuture;

/// AWS credentials. `Debug` never shows the secret key or the session token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
    account_id: Option<String>,
}

impl Credentials {
    /// Credentials from explicit values.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry: None,
            account_id: None,
        }
    }

    /// The same credentials, for the account `account_id` (for account-based endpoints).
    pub fn with_account_id(mut self, account_id: impl Into<String>) -> Self {
        self.account_id = Some(account_id.into());
        self
    }

    /// The account the credentials belong to, when known.
    pub fn account_id(&self) -> Option<&str> {
        self.account_id.as_deref()
    }

    /// The same credentials, valid until `expiry` (temporary credentials).
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// When they stop being valid; `None` for long-term keys.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }

    /// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and the optional
    /// `AWS_SESSION_TOKEN`.
    pub fn from_env() -> Result<Self, CredentialsError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Credentials from the standard variables, read through `lookup` (testable without
    /// touching the process environment).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, CredentialsError> {
        let get = |k: &str| lookup(k).filter(|v| !v.is_empty());
        match (get("AWS_ACCESS_KEY_ID"), get("AWS_SECRET_ACCESS_KEY")) {
            (Some(id), Some(secret)) => Ok(Self::new(id, secret, get("AWS_SESSION_TOKEN"))),
            (None, None) => Err(CredentialsError::NotFound),
            (None, Some(_)) => {
                Err(CredentialsError::Incomplete { set: "AWS_SECRET_ACCESS_KEY", unset: "AWS_ACCESS_KEY_ID" })
            }
            (Some(_), None) => {
                Err(CredentialsError::Incomplete { set: "AWS_ACCESS_KEY_ID", unset: "AWS_SECRET_ACCESS_KEY" })
            }
        }
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key (for signing; never shown by `Debug`).
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials (never shown by `Debug`).
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field("session_token", &self.session_token.as_ref().map(|_| "** redacted **"))
            .field("expiry", &self.expiry)
            .field("account_id", &self.account_id)
            .finish()
    }
}

/// No usable credentials were found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsError {
    /// None of the places credentials are looked for has any.
    NotFound,
    /// One half of a key pair is set, the other is not.
    Incomplete {
        /// The variable that is set.
        set: &'static str,
        /// The one that is missing.
        unset: &'static str,
    },
    /// A credentials provider failed (its message never holds a secret).
    Provider {
        /// Which provider.
        provider: &'static str,
        /// What went wrong.
        message: String,
    },
    /// The credentials have expired and no fresh ones could be had.
    Expired,
    /// No source of the default chain applies here: what each one looked for, in order.
    NoneInChain {
        /// Each source, and why it gave nothing.
        tried: Vec<(&'static str, String)>,
    },
}

impl std::fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotFound => f.write_str(
                "no credentials: none in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), the selected \
                 profile, a container credentials endpoint or instance metadata; set them, or pass them to the client builder",
            ),
            Self::Incomplete { set, unset } => write!(f, "{set} is set but {unset} is not"),
            Self::Provider { provider, message } => write!(f, "credentials provider {provider}: {message}"),
            Self::Expired => f.write_str("the credentials expired and could not be refreshed"),
            Self::NoneInChain { tried } => write!(f, "no credentials from the default chain; {}", tried_text(tried)),
        }
    }
}

impl std::error::Error for CredentialsError {}

fn tried_text(tried: &[(&'static str, String)]) -> String {
    tried.iter().map(|(p, why)| format!("{p}: {why}")).collect::<Vec<_>>().join("; ")
}

impl CredentialsError {
    /// True when nothing was found at all (as opposed to a source that failed).
    pub fn is_not_found(&self) -> bool {
        matches!(self, CredentialsError::NotFound | CredentialsError::NoneInChain { .. })
    }
}

/// A source of credentials: the default chain, a fixed set, or one of the user's own. Object
/// safe, so clients hold it as `Arc<dyn ProvideCredentials>`.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Fresh credentials (with their expiry, for temporary ones).
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let c = self.clone();
        Box::pin(async move { Ok(c) })
    }
}

/// Credentials from a provider, reused until shortly before they expire. One caller refreshes
/// while the others wait for its result (no thundering herd); when a refresh fails while the
/// cached credentials are still valid, those are used.
#[cfg(feature = "client")]
pub struct CredentialsCache {
    provider: Arc<dyn ProvideCredentials>,
    cached: tokio::sync::Mutex<Option<Arc<Credentials>>>,
    refresh_before: Duration,
}

#[cfg(feature = "client")]
impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsCache").field("provider", &self.provider).finish_non_exhaustive()
    }
}

#[cfg(feature = "client")]
impl CredentialsCache {
    /// How long before expiry credentials are refreshed (as the AWS SDKs: five minutes).
    pub const REFRESH_BEFORE: Duration = Duration::from_secs(300);

    /// A cache in front of `provider`.
    pub fn new(provider: Arc<dyn ProvideCredentials>) -> Self {
        Self { provider, cached: tokio::sync::Mutex::new(None), refresh_before: Self::REFRESH_BEFORE }
    }

    /// Credentials valid at `now`: the cached ones, or fresh ones from the provider.
    pub async fn get(&self, now: SystemTime) -> Result<Arc<Credentials>, CredentialsError> {
        // Held across the refresh: concurrent callers wait for its result.
        let mut cached = self.cached.lock().await;
        let fresh_enough = |c: &Credentials| c.expiry.is_none_or(|e| e > now + self.refresh_before);
        let valid = |c: &Credentials| c.expiry.is_none_or(|e| e > now);
        if let Some(c) = cached.as_ref().filter(|c| fresh_enough(c)) {
            return Ok(c.clone());
        }
        match self.provider.provide_credentials().await {
            Ok(c) => {
                let c = Arc::new(c);
                *cached = Some(c.clone());
                Ok(c)
            }
            Err(e) => match cached.as_ref().filter(|c| valid(c)) {
                Some(c) => Ok(c.clone()),
                None if cached.is_some() => Err(if e.is_not_found() { CredentialsError::Expired } else { e }),
                None => Err(e),
            },
        }
    }
}

#[cfg(all(test, feature = "client"))]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Hands out credentials valid for `ttl`, counting its calls; fails once `failing` is set.
    #[derive(Debug)]
    struct Counting {
        calls: AtomicUsize,
        ttl: Duration,
        now: SystemTime,
        failing: std::sync::atomic::AtomicBool,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            let fail = self.failing.load(Ordering::SeqCst);
            Box::pin(async move {
                tokio::time::sleep(Duration::from_millis(10)).await;
                if fail {
                    return Err(CredentialsError::Provider { provider: "test", message: "down".into() });
                }
                Ok(Credentials::new(format!("AKID{n}"), "secret", None).with_expiry(self.now + self.ttl))
            })
        }
    }

    fn counting(ttl: Duration, now: SystemTime) -> Arc<Counting> {
        Arc::new(Counting { calls: AtomicUsize::new(0), ttl, now, failing: Default::default() })
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_share_one_refresh() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let p = counting(Duration::from_secs(3600), now);
        let cache = Arc::new(CredentialsCache::new(p.clone()));
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let c = cache.clone();
                tokio::spawn(async move { c.get(now).await.unwrap().access_key_id().to_string() })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap(), "AKID0");
        }
        assert_eq!(p.calls.load(Ordering::SeqCst), 1, "one refresh for twenty callers");
    }

    #[tokio::test(start_paused = true)]
    async fn credentials_are_refreshed_before_they_expire_and_kept_when_a_refresh_fails() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let p = counting(Duration::from_secs(3600), now);
        let cache = CredentialsCache::new(p.clone());
        assert_eq!(cache.get(now).await.unwrap().access_key_id(), "AKID0");
        // Still fresh 50 minutes later: reused.
        assert_eq!(cache.get(now + Duration::from_secs(3000)).await.unwrap().access_key_id(), "AKID0");
        // Four minutes before expiry: refreshed.
        assert_eq!(cache.get(now + Duration::from_secs(3360)).await.unwrap().access_key_id(), "AKID1");
        // The provider fails; the cached ones (valid until now + 3600) are still used before they expire.
        p.failing.store(true, Ordering::SeqCst);
        assert_eq!(cache.get(now + Duration::from_secs(3500)).await.unwrap().access_key_id(), "AKID1");
        // After expiry, the failure shows.
        let err = cache.get(now + Duration::from_secs(3700)).await.unwrap_err();
        assert_eq!(err.to_string(), "credentials provider test: down");
    }
}

/// A credentials provider of the official AWS SDK for Rust (anything `aws-config` builds: its
/// default chain, `AssumeRoleProvider`, a custom `ProvideCredentials`) as a provider of this
/// runtime, for `ClientBuilder::credentials_provider`. Behind the `aws-credential-types`
/// feature; without it, nothing of the official SDK is compiled.
#[cfg(feature = "aws-credential-types")]
#[derive(Debug)]
pub struct FromAws<P>(pub P);

#[cfg(feature = "aws-credential-types")]
impl<P: aws_credential_types::provider::ProvideCredentials> ProvideCredentials for FromAws<P> {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let c = self.0.provide_credentials().await.map_err(|e| CredentialsError::Provider {
                provider: "aws-credential-types",
                message: aws_error_text(&e),
            })?;
            let mut out =
                Credentials::new(c.access_key_id(), c.secret_access_key(), c.session_token().map(str::to_string));
            if let Some(e) = c.expiry() {
                out = out.with_expiry(e);
            }
            if let Some(a) = c.account_id() {
                out = out.with_account_id(a.as_str());
            }
            Ok(out)
        })
    }
}

/// An official SDK error with its causes, one after another.
#[cfg(feature = "aws-credential-types")]
fn aws_error_text(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
