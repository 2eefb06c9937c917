//! Retries with exponential backoff and full jitter.

use std::time::Duration;

/// Retries: how many attempts in all, and the bounds of the exponential backoff (with full
/// jitter) between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    /// Attempts in all, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// The backoff before the second attempt (before jitter).
    pub initial_backoff: Duration,
    /// The largest backoff.
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    /// Three attempts, 1 s initial backoff, 20 s at most: the AWS SDKs' standard mode.
    fn default() -> Self {
        Self { max_attempts: 3, initial_backoff: Duration::from_secs(1), max_backoff: Duration::from_secs(20) }
    }
}

impl RetryConfig {
    /// The delay before attempt `attempt + 1` (attempt counts from 1): a uniformly random
    /// duration up to `min(max_backoff, initial_backoff * 2^(attempt-1))`.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.initial_backoff.saturating_mul(1u32 << (attempt.saturating_sub(1)).min(16));
        exp.min(self.max_backoff).mul_f64(fastrand::f64())
    }
}

/// The error codes the AWS SDKs treat as throttling, and retry.
pub const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// The retry quota of the AWS SDKs' standard retry mode: a client-wide budget that retries draw
/// from and successes refill, so that when a service is failing, a client stops multiplying its
/// load by its attempts.
#[derive(Debug)]
pub struct RetryQuota {
    available: std::sync::Mutex<u32>,
    capacity: u32,
}

impl Default for RetryQuota {
    fn default() -> Self {
        Self::new(Self::CAPACITY)
    }
}

impl RetryQuota {
    /// The budget of a new client.
    pub const CAPACITY: u32 = 500;
    /// What a retry after an error response costs.
    pub const RETRY_COST: u32 = 5;
    /// What a retry after a timeout or a connection failure costs.
    pub const TIMEOUT_RETRY_COST: u32 = 10;
    /// What a call that succeeds at the first attempt gives back.
    pub const NO_RETRY_INCREMENT: u32 = 1;

    /// A quota of `capacity`.
    pub fn new(capacity: u32) -> Self {
        Self { available: std::sync::Mutex::new(capacity), capacity }
    }

    /// Takes `cost` for a retry; `false` (and nothing taken) when the quota has less.
    pub fn try_acquire(&self, cost: u32) -> bool {
        let mut a = self.available.lock().unwrap_or_else(|p| p.into_inner());
        if *a < cost {
            return false;
        }
        *a -= cost;
        true
    }

    /// Gives back `amount` (a call succeeded), up to the capacity.
    pub fn release(&self, amount: u32) {
        let mut a = self.available.lock().unwrap_or_else(|p| p.into_inner());
        *a = (*a + amount).min(self.capacity);
    }

    /// What is left.
    pub fn available(&self) -> u32 {
        *self.available.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The error codes that say a request was signed with a clock too far from the service's.
pub const CLOCK_SKEW_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "RequestInTheFuture",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
];

/// How far the service's clock is from ours, learned from responses, in milliseconds: added to
/// the signing time of later requests.
#[derive(Debug, Default)]
pub struct ClockSkew(std::sync::atomic::AtomicI64);

impl ClockSkew {
    /// `time` corrected by the skew learned so far.
    pub fn apply(&self, time: std::time::SystemTime) -> std::time::SystemTime {
        let ms = self.0.load(std::sync::atomic::Ordering::Relaxed);
        let d = Duration::from_millis(ms.unsigned_abs());
        if ms >= 0 {
            time + d
        } else {
            time.checked_sub(d).unwrap_or(time)
        }
    }

    /// Learns the skew from a response's `Date` header, received at `now`; returns whether it
    /// changed by more than a few seconds (so a retry signed afresh can succeed).
    pub fn learn(&self, date: &str, now: std::time::SystemTime) -> bool {
        let Some(server) = crate::protocol::parse_http_date(date) else { return false };
        let local = crate::DateTime::from(now);
        let skew = (server - local).num_milliseconds();
        let old = self.0.swap(skew, std::sync::atomic::Ordering::Relaxed);
        (skew - old).abs() > 5_000
    }

    /// The skew in milliseconds (the service's clock minus ours).
    pub fn millis(&self) -> i64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quota_drains_and_refills() {
        let q = RetryQuota::new(12);
        assert!(q.try_acquire(RetryQuota::RETRY_COST));
        assert!(q.try_acquire(RetryQuota::RETRY_COST));
        assert!(!q.try_acquire(RetryQuota::RETRY_COST), "2 left");
        q.release(RetryQuota::RETRY_COST);
        assert_eq!(q.available(), 7);
        q.release(100);
        assert_eq!(q.available(), 12, "never above the capacity");
    }

    #[test]
    fn skew_is_learned_from_the_date_header() {
        let s = ClockSkew::default();
        let now = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        // The server is 20 minutes ahead.
        assert!(s.learn("Sun, 30 Aug 2015 12:56:00 GMT", now));
        assert_eq!(s.millis(), 20 * 60 * 1000);
        assert_eq!(s.apply(now), now + Duration::from_secs(1200));
        assert!(!s.learn("Sun, 30 Aug 2015 12:56:01 GMT", now), "a second is no change");
    }
}
