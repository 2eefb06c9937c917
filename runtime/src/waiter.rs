//! Waiters: poll an operation until one of the model's acceptors says the resource reached the
//! state wanted (success), can no longer reach it (failure), or the time allowed runs out, with
//! Smithy's delay between attempts. Generated code supplies the call and the acceptors, compiled
//! from their JMESPath expressions.

use std::time::Duration;

use crate::{BoxFuture, Error};

/// What an acceptor says when it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// The resource is in the state waited for.
    Success,
    /// It will never get there.
    Failure,
    /// Not yet: poll again.
    Retry,
}

/// A waiter's delays: Smithy's `minDelay` and `maxDelay` (seconds in the model), and the most
/// time to wait in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delays {
    /// The shortest delay between attempts.
    pub min: Duration,
    /// The longest delay between attempts.
    pub max: Duration,
}

impl Delays {
    /// The delay before attempt `attempt + 1` (counting from 1), with `remaining` of the
    /// maximum wait left; `None` when no further attempt fits. Smithy's formula: exponential from
    /// `min`, capped at `max` past the attempt ceiling, a uniformly random duration between `min`
    /// and that, and cut so that the last attempt still leaves `min` before the deadline.
    pub fn delay(&self, attempt: u32, remaining: Duration, random: f64) -> Option<Duration> {
        if remaining <= self.min {
            return None;
        }
        let ceiling = ((self.max.as_secs_f64() / self.min.as_secs_f64()).ln() / 2f64.ln() + 1.0) as u32;
        let upper = if attempt > ceiling {
            self.max
        } else {
            self.min.saturating_mul(1u32.checked_shl(attempt - 1).unwrap_or(u32::MAX)).min(self.max)
        };
        let mut delay = self.min + (upper.saturating_sub(self.min)).mul_f64(random.clamp(0.0, 1.0));
        if remaining.saturating_sub(delay) <= self.min {
            delay = remaining - self.min;
        }
        Some(delay)
    }
}

/// How a wait ended other than in success.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitError<O, E> {
    /// A failure acceptor matched this response.
    Failure {
        /// The waiter's name.
        waiter: &'static str,
        /// The index of the acceptor that matched, in the model's order.
        acceptor: usize,
        /// The response it matched: an output, or an error.
        response: Result<O, Error<E>>,
    },
    /// An error no acceptor expects.
    Unexpected {
        /// The waiter's name.
        waiter: &'static str,
        /// The error.
        error: Error<E>,
    },
    /// The maximum wait passed before any success or failure acceptor matched.
    TimedOut {
        /// The waiter's name.
        waiter: &'static str,
        /// How many times the operation was called.
        attempts: u32,
        /// How long it waited.
        elapsed: Duration,
        /// The last response.
        last: Option<Result<O, Error<E>>>,
    },
}

impl<O, E: std::fmt::Display> std::fmt::Display for WaitError<O, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WaitError::Failure { waiter, acceptor, .. } => {
                write!(f, "{waiter}: the resource reached a state it cannot leave (acceptor {acceptor} matched)")
            }
            WaitError::Unexpected { waiter, error } => write!(f, "{waiter}: {error}"),
            WaitError::TimedOut { waiter, attempts, elapsed, .. } => {
                write!(f, "{waiter}: still not done after {attempts} attempts over {elapsed:?}")
            }
        }
    }
}

impl<O: std::fmt::Debug, E: std::error::Error + 'static> std::error::Error for WaitError<O, E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::Unexpected { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// A success acceptor matched.
#[derive(Debug)]
#[non_exhaustive]
pub struct WaitSuccess<O, E> {
    /// The index of the acceptor that matched, in the model's order.
    pub acceptor: usize,
    /// The response it matched: the last output, or for an `errorType` acceptor, the error.
    pub response: Result<O, Error<E>>,
    /// How many times the operation was called.
    pub attempts: u32,
}

/// A waiter's outcome.
pub type WaitResult<O, E> = Result<WaitSuccess<O, E>, WaitError<O, E>>;

/// The acceptors of a waiter, as one function: the index and state of the first that matches.
pub type Acceptors<I, O, E> = fn(&I, &Result<O, Error<E>>) -> Option<(usize, AcceptorState)>;

/// One waiter of one operation, as generated.
pub struct Waiter<I, O, E> {
    /// The waiter's name in the model.
    pub name: &'static str,
    /// Its delays.
    pub delays: Delays,
    /// The acceptors in the model's order: the first that matches decides (`None`: it does not
    /// match).
    pub acceptors: Acceptors<I, O, E>,
}

impl<I: Clone, O, E> Waiter<I, O, E> {
    /// Calls `call` with `input` until an acceptor decides or `max_wait` passes.
    pub async fn wait<'a>(
        &self,
        input: I,
        max_wait: Duration,
        call: impl Fn(I) -> BoxFuture<'a, Result<O, Error<E>>>,
    ) -> WaitResult<O, E> {
        let start = tokio::time::Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let response = call(input.clone()).await;
            let last = match (self.acceptors)(&input, &response) {
                Some((acceptor, AcceptorState::Success)) => {
                    return Ok(WaitSuccess { acceptor, response, attempts: attempt })
                }
                Some((acceptor, AcceptorState::Failure)) => {
                    return Err(WaitError::Failure { waiter: self.name, acceptor, response })
                }
                Some((_, AcceptorState::Retry)) => response,
                None => match response {
                    Err(error) => return Err(WaitError::Unexpected { waiter: self.name, error }),
                    ok => ok,
                },
            };
            let elapsed = start.elapsed();
            let remaining = max_wait.saturating_sub(elapsed);
            let Some(delay) = self.delays.delay(attempt, remaining, fastrand::f64()) else {
                return Err(WaitError::TimedOut { waiter: self.name, attempts: attempt, elapsed, last: Some(last) });
            };
            tokio::time::sleep(delay).await;
        }
    }
}

/// `stringEquals` and friends on the values a path gives, as the acceptors compare them.
pub mod compare {
    /// `allStringEquals`: a non-empty list whose every value equals `expected`.
    pub fn all<'a>(values: impl IntoIterator<Item = &'a str>, expected: &str) -> bool {
        let mut any = false;
        for v in values {
            if v != expected {
                return false;
            }
            any = true;
        }
        any
    }

    /// `anyStringEquals`: a list with a value equal to `expected`.
    pub fn any<'a>(values: impl IntoIterator<Item = &'a str>, expected: &str) -> bool {
        values.into_iter().any(|v| v == expected)
    }
}

/// A JMESPath `length(...)` as the number it compares as.
pub fn length(n: usize) -> f64 {
    n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_follow_smithys_formula() {
        let d = Delays { min: Duration::from_secs(2), max: Duration::from_secs(120) };
        let long = Duration::from_secs(10_000);
        // At the top of the random range: 2, 4, 8, ... up to the ceiling, then 120.
        let top: Vec<u64> = (1..10).map(|a| d.delay(a, long, 1.0).unwrap().as_secs()).collect();
        assert_eq!(top, [2, 4, 8, 16, 32, 64, 120, 120, 120]);
        // At the bottom, always the minimum.
        assert_eq!(d.delay(5, long, 0.0), Some(Duration::from_secs(2)));
        // Cut so that the next attempt leaves the minimum before the deadline.
        assert_eq!(d.delay(6, Duration::from_secs(20), 1.0), Some(Duration::from_secs(18)));
        assert_eq!(d.delay(1, Duration::from_secs(2), 1.0), None, "no time left for another attempt");
    }
}
