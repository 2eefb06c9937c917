//! Retries as the AWS SDKs make them: exponential backoff with full jitter, the standard mode's
//! retry quota, the adaptive mode's client-side rate limiter, and clock-skew correction.

#[cfg(feature = "client")]
use std::sync::Mutex;
use std::time::Duration;

/// How a client retries (`retry_mode` in the shared config, `AWS_RETRY_MODE`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryMode {
    /// Backoff with jitter and the retry quota (the default of every defaults mode).
    #[default]
    Standard,
    /// Standard, and after the first throttling response a client-side rate limiter that sends
    /// no faster than the service has lately accepted, recovering along a CUBIC curve.
    Adaptive,
}

impl std::str::FromStr for RetryMode {
    type Err = ();

    /// `standard` or `adaptive`; `legacy` (an older SDKs' mode) is taken as `standard`.
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "standard" | "legacy" => Ok(Self::Standard),
            "adaptive" => Ok(Self::Adaptive),
            _ => Err(()),
        }
    }
}

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

/// The adaptive retry mode's client-side rate limiter, as the AWS SDKs define it: disabled
/// until the first throttling response; then a token bucket whose fill rate is the CUBIC
/// congestion window of the measured send rate: cut to 0.7 of it at each throttling response,
/// grown back along `0.4 (t - K)^3 + W_max` with successes, and never above twice the measured
/// rate. Times are [`tokio::time::Instant`]s, so a paused test clock drives it.
#[cfg(feature = "client")]
#[derive(Debug)]
pub struct RateLimiter {
    state: Mutex<LimiterState>,
}

#[cfg(feature = "client")]
#[derive(Debug)]
struct LimiterState {
    start: tokio::time::Instant,
    enabled: bool,
    /// Tokens per second.
    fill_rate: f64,
    max_capacity: f64,
    /// Below zero when requests have reserved tokens not yet refilled.
    capacity: f64,
    last_refill: Option<f64>,
    // The measured send rate, smoothed over half-second buckets.
    measured_rate: f64,
    last_bucket: f64,
    count: f64,
    // CUBIC.
    w_max: f64,
    k: f64,
    last_throttle: f64,
}

#[cfg(feature = "client")]
impl Default for RateLimiter {
    fn default() -> Self {
        let start = tokio::time::Instant::now();
        Self {
            state: Mutex::new(LimiterState {
                start,
                enabled: false,
                fill_rate: Self::MIN_FILL_RATE,
                max_capacity: Self::MIN_FILL_RATE,
                capacity: 0.0,
                last_refill: None,
                measured_rate: 0.0,
                last_bucket: 0.0,
                count: 0.0,
                w_max: 0.0,
                k: 0.0,
                last_throttle: 0.0,
            }),
        }
    }
}

#[cfg(feature = "client")]
impl RateLimiter {
    /// The slowest the limiter sends: one request every two seconds.
    pub const MIN_FILL_RATE: f64 = 0.5;
    const BETA: f64 = 0.7;
    const SCALE: f64 = 0.4;
    const SMOOTHING: f64 = 0.8;
    const BUCKETS_PER_SECOND: f64 = 2.0;

    fn lock(&self) -> std::sync::MutexGuard<'_, LimiterState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How long to wait before sending a request; takes its token now, so that concurrent
    /// callers queue in order. Zero until the first throttling response.
    pub fn acquire(&self) -> Duration {
        let mut s = self.lock();
        if !s.enabled {
            return Duration::ZERO;
        }
        let now = s.now();
        s.refill(now);
        s.capacity -= 1.0;
        if s.capacity >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-s.capacity / s.fill_rate)
        }
    }

    /// Records a response: `throttled` when the service said to slow down.
    pub fn record(&self, throttled: bool) {
        let mut s = self.lock();
        let now = s.now();
        let measured = s.measure(now);
        let rate = if throttled {
            let rate = if s.enabled { measured.min(s.fill_rate) } else { measured };
            s.w_max = rate;
            s.k = (s.w_max * (1.0 - Self::BETA) / Self::SCALE).cbrt();
            s.last_throttle = now;
            s.enabled = true;
            rate * Self::BETA
        } else {
            Self::SCALE * (now - s.last_throttle - s.k).powi(3) + s.w_max
        };
        s.set_fill_rate(rate.min(2.0 * measured));
    }

    /// Whether throttling has switched the limiter on.
    pub fn enabled(&self) -> bool {
        self.lock().enabled
    }

    /// The current fill rate in requests per second.
    pub fn fill_rate(&self) -> f64 {
        self.lock().fill_rate
    }
}

#[cfg(feature = "client")]
impl LimiterState {
    fn now(&self) -> f64 {
        (tokio::time::Instant::now() - self.start).as_secs_f64()
    }

    fn refill(&mut self, now: f64) {
        if let Some(last) = self.last_refill {
            self.capacity = (self.capacity + (now - last) * self.fill_rate).min(self.max_capacity);
        }
        self.last_refill = Some(now);
    }

    fn set_fill_rate(&mut self, rate: f64) {
        let rate = rate.max(RateLimiter::MIN_FILL_RATE);
        self.fill_rate = rate;
        self.max_capacity = if rate >= 1.0 { rate.floor() } else { rate };
        self.capacity = self.capacity.min(self.max_capacity);
    }

    /// Counts a response and returns the smoothed send rate.
    fn measure(&mut self, now: f64) -> f64 {
        let bucket = (now * RateLimiter::BUCKETS_PER_SECOND).floor() / RateLimiter::BUCKETS_PER_SECOND;
        self.count += 1.0;
        if bucket > self.last_bucket {
            let current = self.count / (bucket - self.last_bucket);
            self.measured_rate = current * RateLimiter::SMOOTHING + self.measured_rate * (1.0 - RateLimiter::SMOOTHING);
            self.count = 0.0;
            self.last_bucket = bucket;
        }
        self.measured_rate
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
        let skew = server.millis_since(&local);
        let old = self.0.swap(skew, std::sync::atomic::Ordering::Relaxed);
        (skew - old).abs() > 5_000
    }

    /// The skew in milliseconds (the service's clock minus ours).
    pub fn millis(&self) -> i64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

#[cfg(all(test, feature = "client"))]
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

    #[tokio::test(start_paused = true)]
    async fn the_limiter_switches_on_at_throttling_and_recovers_along_the_cubic_curve() {
        let l = RateLimiter::default();
        assert_eq!(l.acquire(), Duration::ZERO, "off until throttled");
        // Ten requests a second for two seconds, then a throttling response.
        for _ in 0..20 {
            tokio::time::advance(Duration::from_millis(100)).await;
            l.record(false);
        }
        assert!(!l.enabled());
        l.record(true);
        assert!(l.enabled());
        let cut = l.fill_rate();
        assert!((RateLimiter::MIN_FILL_RATE..10.0 * 0.75).contains(&cut), "cut to {cut}");
        // The bucket starts empty: requests are spaced by 1 / rate.
        let waits: Vec<Duration> = (0..3).map(|_| l.acquire()).collect();
        assert!(waits[0] > Duration::ZERO && waits[1] > waits[0] && waits[2] > waits[1], "{waits:?}");
        // Successes grow the rate back towards the rate before the cut, and past it.
        for _ in 0..30 {
            tokio::time::advance(Duration::from_millis(200)).await;
            l.record(false);
        }
        assert!(l.fill_rate() > cut, "recovered from {cut} to {}", l.fill_rate());
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
