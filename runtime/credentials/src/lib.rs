//! The default credentials chain with every source aws-sdk-rust's has: the runtime's chain
//! (environment, profiles, containers, instance metadata) plus the sources that call AWS,
//! through clients generated from the STS and SSO models (`runtime/sts`, `runtime/sso`):
//!
//! - `role_arn` profiles (with `source_profile` or `credential_source`, chained roles,
//!   `external_id`, `role_session_name`, `duration_seconds`): STS `AssumeRole`;
//! - web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`, as on EKS with IRSA, or a
//!   profile's `web_identity_token_file`): STS `AssumeRoleWithWebIdentity`, unsigned;
//! - SSO profiles (`sso_session` or legacy `sso_start_url`, with the token `aws sso login`
//!   cached): the SSO portal's `GetRoleCredentials`, unsigned.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let chain = awsgen_credentials::default_chain()?;
//! // Any generated client: `Client::builder().credentials_provider(chain)`.
//! # let _ = chain;
//! # Ok(())
//! # }
//! ```
//!
//! The runtime crate stays free of these clients: they plug into its chain as a
//! [`Federation`].

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use awsgen_runtime::chain::{ChainEnv, DefaultChain, Federation, FederationCx, Role};
use awsgen_runtime::credentials::CredentialsError;
use awsgen_runtime::http::{ConnectorError, HttpConnector, Request, Response, SetupError};
use awsgen_runtime::{BoxFuture, Credentials};
use awsgen_sso::Sso as _;
use awsgen_sts::Sts as _;

/// The default chain of this process (its environment, files and HTTPS), with STS and SSO.
pub fn default_chain() -> Result<DefaultChain, SetupError> {
    Ok(chain(ChainEnv::process()?, None))
}

/// The chain over `env`, for the profile `profile` (else `AWS_PROFILE`, else `default`), with
/// STS and SSO.
pub fn chain(env: ChainEnv, profile: Option<String>) -> DefaultChain {
    DefaultChain::new(env, profile).with_federation(Arc::new(Generated))
}

/// The region of this process, from the same places as aws-sdk-rust's region chain (see
/// [`DefaultChain::region`]), for the profile `profile` (else `AWS_PROFILE`).
pub async fn region(profile: Option<&str>) -> Result<Option<String>, SetupError> {
    Ok(DefaultChain::new(ChainEnv::process()?, profile.map(str::to_string)).region().await)
}

/// The [`Federation`] over the generated STS and SSO clients.
#[derive(Debug, Clone, Copy, Default)]
pub struct Generated;

/// The chain's transport, as a client's connector.
struct Shared(Arc<dyn HttpConnector>);

impl HttpConnector for Shared {
    fn send(&self, request: Request, timeout: Option<Duration>) -> BoxFuture<'_, Result<Response, ConnectorError>> {
        self.0.send(request, timeout)
    }
}

/// No credentials: for the unsigned calls, which never ask.
#[derive(Debug)]
struct Unsigned;

impl awsgen_runtime::credentials::ProvideCredentials for Unsigned {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async { Err(CredentialsError::NotFound) })
    }
}

fn error(provider: &'static str, message: impl Into<String>) -> CredentialsError {
    CredentialsError::Provider { provider, message: message.into() }
}

/// `arn:aws:sts::123456789012:assumed-role/...` gives `123456789012`.
fn account_of(arn: &str) -> Option<String> {
    arn.split(':').nth(4).filter(|a| !a.is_empty()).map(str::to_string)
}

fn sts_client(cx: &FederationCx, credentials: Option<Credentials>) -> Result<awsgen_sts::Client, CredentialsError> {
    let b = awsgen_sts::Client::builder()
        .shared_config(cx.shared.clone())
        .region(cx.region.clone())
        .connector(Shared(cx.http.clone()));
    let b = match credentials {
        Some(c) => b.credentials(c),
        None => b.credentials_provider(Unsigned),
    };
    b.build().map_err(|e| error("sts", format!("cannot build the STS client: {e}")))
}

fn from_sts(
    creds: Option<awsgen_sts::types::Credentials>,
    user_arn: Option<&str>,
) -> Result<Credentials, CredentialsError> {
    let c = creds.ok_or_else(|| error("sts", "the answer holds no Credentials"))?;
    let expiry =
        SystemTime::try_from(c.expiration).map_err(|e| error("sts", format!("the answer's Expiration: {e}")))?;
    let mut out = Credentials::new(c.access_key_id, c.secret_access_key, Some(c.session_token)).with_expiry(expiry);
    if let Some(a) = user_arn.and_then(account_of) {
        out = out.with_account_id(a);
    }
    Ok(out)
}

impl Federation for Generated {
    fn assume_role<'a>(
        &'a self,
        cx: &'a FederationCx,
        source: Credentials,
        role: &'a Role,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let duration = match &role.duration_seconds {
                Some(d) => Some(d.trim().parse::<i32>().map_err(|_| {
                    error("sts", format!("duration_seconds `{d}` of role `{}` is not a number", role.role_arn))
                })?),
                None => None,
            };
            let client = sts_client(cx, Some(source))?;
            let input = awsgen_sts::operation::assume_role::AssumeRoleInput::builder()
                .role_arn(role.role_arn.clone())
                .role_session_name(
                    role.session_name.clone().unwrap_or_else(awsgen_runtime::chain::default_session_name),
                )
                .set_external_id(role.external_id.clone())
                .set_duration_seconds(duration)
                .build()
                .map_err(|e| error("sts", format!("AssumeRole of `{}`: {e}", role.role_arn)))?;
            let out = client
                .assume_role(input)
                .await
                .map_err(|e| error("sts", format!("AssumeRole of `{}` failed: {e}", role.role_arn)))?;
            from_sts(out.credentials, out.assumed_role_user.as_ref().map(|u| u.arn.as_str()))
        })
    }

    fn web_identity<'a>(
        &'a self,
        cx: &'a FederationCx,
        role_arn: &'a str,
        session_name: &'a str,
        token: &'a str,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let client = sts_client(cx, None)?;
            let input = awsgen_sts::operation::assume_role_with_web_identity::AssumeRoleWithWebIdentityInput::builder()
                .role_arn(role_arn)
                .role_session_name(session_name)
                .web_identity_token(token)
                .build()
                .map_err(|e| error("web identity", format!("AssumeRoleWithWebIdentity of `{role_arn}`: {e}")))?;
            let out = client
                .assume_role_with_web_identity(input)
                .await
                .map_err(|e| error("web identity", format!("AssumeRoleWithWebIdentity of `{role_arn}` failed: {e}")))?;
            from_sts(out.credentials, out.assumed_role_user.as_ref().map(|u| u.arn.as_str()))
        })
    }

    fn sso_role<'a>(
        &'a self,
        cx: &'a FederationCx,
        account_id: &'a str,
        role_name: &'a str,
        access_token: &'a str,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let client = awsgen_sso::Client::builder()
                .shared_config(cx.shared.clone())
                .region(cx.region.clone())
                .connector(Shared(cx.http.clone()))
                .credentials_provider(Unsigned)
                .build()
                .map_err(|e| error("sso", format!("cannot build the SSO client: {e}")))?;
            let input = awsgen_sso::operation::get_role_credentials::GetRoleCredentialsInput::builder()
                .account_id(account_id)
                .role_name(role_name)
                .access_token(access_token)
                .build()
                .map_err(|e| error("sso", format!("GetRoleCredentials of role `{role_name}`: {e}")))?;
            let out = client
                .get_role_credentials(input)
                .await
                .map_err(|e| error("sso", format!("GetRoleCredentials of role `{role_name}` failed: {e}")))?;
            let c = out.role_credentials.ok_or_else(|| error("sso", "the answer holds no roleCredentials"))?;
            let (Some(id), Some(secret)) = (c.access_key_id, c.secret_access_key) else {
                return Err(error("sso", "the answer has no accessKeyId or secretAccessKey"));
            };
            let expiry = SystemTime::UNIX_EPOCH + Duration::from_millis(u64::try_from(c.expiration).unwrap_or(0));
            Ok(Credentials::new(id, secret, c.session_token).with_expiry(expiry).with_account_id(account_id))
        })
    }
}
