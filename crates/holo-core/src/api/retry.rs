//! How long to wait before sending a failed request again.

use std::time::Duration;

/// Exponential backoff with jitter, capped, and overridden by the server's `Retry-After`.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts per request, the first one included.
    pub max_attempts: u32,
    /// The delay before the first retry; each further retry doubles it.
    pub base_delay: Duration,
    /// The largest delay the doubling reaches.
    pub max_delay: Duration,
    /// The largest `Retry-After` honoured; a server asking for more gets this.
    pub max_retry_after: Duration,
    /// The minimum wait after a 429 that names no `Retry-After`. The public API counts its limit
    /// per minute, so the short backoff meant for 5xx responses would spend every attempt inside
    /// the same minute.
    pub rate_limit_delay: Duration,
}

impl Default for RetryPolicy {
    /// Six attempts at 0.25, 0.5, 1, 2 and 4 s (before jitter) ride out about eight seconds of
    /// trouble per request, which covers the public API's usual bursts of 5xx responses.
    fn default() -> Self {
        Self {
            max_attempts: 6,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(120),
            rate_limit_delay: Duration::from_secs(15),
        }
    }
}

impl RetryPolicy {
    /// Returns the wait before retry number `attempt` (1 for the first retry). The jitter
    /// spreads the delay over its upper half, so clients that failed together do not retry
    /// together.
    ///
    /// `rate_limited` is whether the failure was a 429: without a `Retry-After`, it waits at
    /// least [`RetryPolicy::rate_limit_delay`].
    pub fn delay_before_retry(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        rate_limited: bool,
    ) -> Duration {
        if let Some(requested) = retry_after {
            return requested.min(self.max_retry_after);
        }
        let doubling = 2u32.saturating_pow(attempt.saturating_sub(1));
        let ceiling = self.base_delay.saturating_mul(doubling).min(self.max_delay);
        let half = ceiling / 2;
        let backoff = half + half.mul_f64(fastrand::f64());
        if rate_limited {
            backoff.max(self.rate_limit_delay)
        } else {
            backoff
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_without_retry_after_waits_longer() {
        let policy = RetryPolicy::default();
        assert!(policy.delay_before_retry(1, None, true) >= policy.rate_limit_delay);
        assert!(policy.delay_before_retry(1, None, false) < policy.rate_limit_delay);
    }

    #[test]
    fn delay_doubles_up_to_the_cap() {
        let policy = RetryPolicy::default();
        for attempt in 1..=10 {
            let ceiling = policy
                .base_delay
                .saturating_mul(2u32.pow(attempt - 1))
                .min(policy.max_delay);
            let delay = policy.delay_before_retry(attempt, None, false);
            assert!(delay >= ceiling / 2, "attempt {attempt}: {delay:?}");
            assert!(delay <= ceiling, "attempt {attempt}: {delay:?}");
        }
    }

    #[test]
    fn retry_after_wins_but_is_capped() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.delay_before_retry(1, Some(Duration::from_secs(7)), true),
            Duration::from_secs(7)
        );
        assert_eq!(
            policy.delay_before_retry(1, Some(Duration::from_secs(3600)), true),
            policy.max_retry_after
        );
    }
}
