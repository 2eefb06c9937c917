//! `tracing` spans for each call and each attempt, behind the `tracing` feature; without it the
//! types here are empty and every method compiles to nothing.
//!
//! A call's span is `awsgen.call` (INFO) with `service`, `operation`, `attempts`, `status`,
//! `error_code` and `duration_ms`; each attempt is an `awsgen.attempt` span (DEBUG) inside it
//! with `attempt`, `status`, `error_code` and `duration_ms`. No field carries a header, a body,
//! a URL query or a credential.

use std::future::Future;
#[cfg(feature = "tracing")]
use std::time::Instant;

/// The span of one call.
pub(crate) struct CallSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
    #[cfg(feature = "tracing")]
    start: Instant,
}

/// The span of one attempt.
pub(crate) struct AttemptSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
    #[cfg(feature = "tracing")]
    start: Instant,
}

/// What an attempt or a call ended with.
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
pub(crate) struct Outcome<'a> {
    /// The HTTP status, when a response came.
    pub status: Option<u16>,
    /// The service's error code, for an error response.
    pub error_code: Option<&'a str>,
}

impl CallSpan {
    pub(crate) fn new(service: &'static str, operation: &'static str) -> Self {
        #[cfg(not(feature = "tracing"))]
        let _ = (service, operation);
        Self {
            #[cfg(feature = "tracing")]
            span: tracing::info_span!(
                "awsgen.call",
                service,
                operation,
                attempts = tracing::field::Empty,
                status = tracing::field::Empty,
                error_code = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            ),
            #[cfg(feature = "tracing")]
            start: Instant::now(),
        }
    }

    /// An attempt's span, a child of this one.
    pub(crate) fn attempt(&self, attempt: u32) -> AttemptSpan {
        #[cfg(not(feature = "tracing"))]
        let _ = attempt;
        AttemptSpan {
            #[cfg(feature = "tracing")]
            span: tracing::debug_span!(
                parent: &self.span,
                "awsgen.attempt",
                attempt,
                status = tracing::field::Empty,
                error_code = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            ),
            #[cfg(feature = "tracing")]
            start: Instant::now(),
        }
    }

    /// Records how the call ended, after `attempts` attempts.
    pub(crate) fn finish(&self, attempts: u32, outcome: Outcome<'_>) {
        #[cfg(feature = "tracing")]
        {
            self.span.record("attempts", attempts);
            record(&self.span, &outcome, self.start);
        }
        #[cfg(not(feature = "tracing"))]
        let _ = (attempts, outcome);
    }
}

impl AttemptSpan {
    /// Runs `f` inside this span.
    pub(crate) fn instrument<F: Future>(&self, f: F) -> impl Future<Output = F::Output> {
        #[cfg(feature = "tracing")]
        return tracing::Instrument::instrument(f, self.span.clone());
        #[cfg(not(feature = "tracing"))]
        f
    }

    /// Records how the attempt ended.
    pub(crate) fn finish(&self, outcome: Outcome<'_>) {
        #[cfg(feature = "tracing")]
        record(&self.span, &outcome, self.start);
        #[cfg(not(feature = "tracing"))]
        let _ = outcome;
    }
}

#[cfg(feature = "tracing")]
fn record(span: &tracing::Span, outcome: &Outcome<'_>, start: Instant) {
    if let Some(s) = outcome.status {
        span.record("status", s);
    }
    if let Some(c) = outcome.error_code {
        span.record("error_code", c);
    }
    span.record("duration_ms", start.elapsed().as_secs_f64() * 1000.0);
}
