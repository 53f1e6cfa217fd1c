//! A sliding one-minute window of accepted requests, for the `--rate-limit` fault.
//!
//! The real API limits keyless clients to about 30 requests a minute and responds `429` past
//! that. The window remembers when each accepted request arrived. A new request is accepted
//! while fewer than the limit arrived in the last 60 seconds. Otherwise it learns how long until
//! the oldest of them leaves the window, which becomes the `Retry-After` header.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// The length of the window.
pub const WINDOW: Duration = Duration::from_secs(60);

/// Arrival times of the requests accepted in the last [`WINDOW`].
#[derive(Debug)]
pub struct RateWindow {
    limit: usize,
    accepted: VecDeque<Instant>,
}

impl RateWindow {
    /// Creates a window that accepts `limit` requests a minute.
    pub fn new(limit: u32) -> RateWindow {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        RateWindow {
            limit,
            accepted: VecDeque::with_capacity(limit.min(1024)),
        }
    }

    /// Accepts a request arriving at `now`, or returns how long until one would be accepted.
    pub fn admit(&mut self, now: Instant) -> Result<(), Duration> {
        while let Some(&oldest) = self.accepted.front() {
            if now.saturating_duration_since(oldest) >= WINDOW {
                self.accepted.pop_front();
            } else {
                break;
            }
        }
        if self.accepted.len() < self.limit {
            self.accepted.push_back(now);
            return Ok(());
        }
        let oldest = self.accepted.front().copied().unwrap_or(now);
        Err(WINDOW.saturating_sub(now.saturating_duration_since(oldest)))
    }
}

/// Rounds a wait up to whole seconds for `Retry-After`, never below 1.
pub fn retry_after_seconds(wait: Duration) -> u64 {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    seconds.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_up_to_limit_then_waits() {
        let start = Instant::now();
        let mut window = RateWindow::new(2);
        assert_eq!(window.admit(start), Ok(()));
        assert_eq!(window.admit(start + Duration::from_secs(10)), Ok(()));
        let wait = window
            .admit(start + Duration::from_secs(20))
            .expect_err("third admitted");
        assert_eq!(wait, Duration::from_secs(40));
    }

    #[test]
    fn window_slides() {
        let start = Instant::now();
        let mut window = RateWindow::new(1);
        assert_eq!(window.admit(start), Ok(()));
        assert!(window.admit(start + Duration::from_secs(59)).is_err());
        assert_eq!(window.admit(start + Duration::from_secs(60)), Ok(()));
    }

    #[test]
    fn retry_after_rounds_up() {
        assert_eq!(retry_after_seconds(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_seconds(Duration::from_millis(40_001)), 41);
        assert_eq!(retry_after_seconds(Duration::from_secs(40)), 40);
        assert_eq!(retry_after_seconds(Duration::ZERO), 1);
    }
}
