//! Fault injection: making the emulator behave like the real service on a bad day.
//!
//! All faults live in one middleware on the `/v2` routes, so `/admin` and `/images` never see
//! them. For every request the middleware counts it, then, in this order:
//!
//! 1. responds `429` with `Retry-After` when the rate limit is reached (`--rate-limit`);
//! 2. waits the configured latency (`--latency-ms`), without holding up other requests;
//! 3. responds `500`, `502`, `503` or `504`, half of them as an HTML page (`--error-rate`);
//! 4. lets the handler respond, passing it a [`FaultPlan`] for the faults that need to know the
//!    data: pages that repeat and skip cards (`--unstable-order`) and cards with a field of the
//!    wrong type (`--bad-card-rate`);
//! 5. closes the connection part-way through the body (`--drop-rate`) or cuts the JSON short
//!    with a matching `Content-Length` (`--truncate-rate`).
//!
//! Every random choice is drawn from a generator seeded with the seed (`--seed`) and the
//! request's sequence number. A run with the same flags and the same sequence of requests
//! therefore gets the same faults, and a failure can be replayed. Requests that run concurrently may be
//! numbered in a different order from one run to the next.

mod plan;
mod responses;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

pub use plan::FaultPlan;
use responses::{ERROR_STATUSES, dropped, rate_limit_response, server_error_response, truncated};

use crate::Error;
use crate::hashing::mix;
use crate::rate_limit::{RateWindow, retry_after_seconds};

/// The faults to inject. The default injects none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultConfig {
    /// Seed of every random choice.
    pub seed: u64,
    /// Requests accepted a minute before responding `429`; `None` for no limit.
    pub rate_limit: Option<u32>,
    /// Share (0 to 1) of requests that get a `5xx` response.
    pub error_rate: f64,
    /// Share (0 to 1) of responses whose connection is closed part-way through the body.
    pub drop_rate: f64,
    /// Share (0 to 1) of responses whose body is cut short.
    pub truncate_rate: f64,
    /// Whether pages of a result over 250 items are shifted so they repeat and skip items.
    pub unstable_order: bool,
    /// Share (0 to 1) of served cards that get one field of the wrong type.
    pub bad_card_rate: f64,
}

impl FaultConfig {
    /// Checks that every rate is a share between 0 and 1 and the rate limit is positive.
    pub fn validate(&self) -> Result<(), Error> {
        check_rate("error rate", self.error_rate)?;
        check_rate("drop rate", self.drop_rate)?;
        check_rate("truncate rate", self.truncate_rate)?;
        check_rate("bad card rate", self.bad_card_rate)?;
        if self.rate_limit == Some(0) {
            return Err(Error::InvalidRateLimit);
        }
        Ok(())
    }
}

/// Returns the rate if it is a share between 0 and 1.
pub fn check_rate(name: &'static str, value: f64) -> Result<f64, Error> {
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(Error::InvalidRate { name, value })
    }
}

/// The middleware's state, shared by all requests of one emulator.
pub(crate) struct FaultLayer {
    config: FaultConfig,
    latency: Duration,
    rate_window: Option<Mutex<RateWindow>>,
    requests: Arc<AtomicU64>,
}

impl FaultLayer {
    pub(crate) fn new(config: FaultConfig, latency: Duration, requests: Arc<AtomicU64>) -> Self {
        let rate_window = config
            .rate_limit
            .map(|limit| Mutex::new(RateWindow::new(limit)));
        FaultLayer {
            config,
            latency,
            rate_window,
            requests,
        }
    }

    /// Returns how long to wait when the rate limit rejects a request arriving now.
    fn rate_limited(&self) -> Option<Duration> {
        let window = self.rate_window.as_ref()?;
        let mut window = window
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        window.admit(Instant::now()).err()
    }
}

/// The random choices of one request, drawn up front in a fixed order so that turning one
/// fault on does not change the choices of the others.
struct Draws {
    error: f64,
    error_status: usize,
    error_as_html: bool,
    drop: f64,
    truncate: f64,
    cut_point: f64,
    plan_seed: u64,
}

impl Draws {
    fn new(seed: u64, request_number: u64) -> Draws {
        let mut rng = fastrand::Rng::with_seed(mix(seed ^ mix(request_number)));
        Draws {
            error: rng.f64(),
            error_status: rng.usize(0..ERROR_STATUSES.len()),
            error_as_html: rng.bool(),
            drop: rng.f64(),
            truncate: rng.f64(),
            cut_point: rng.f64(),
            plan_seed: rng.u64(..),
        }
    }
}

/// Injects the configured faults into one `/v2` request, in the order the module documentation
/// lists.
pub(crate) async fn inject(
    State(layer): State<Arc<FaultLayer>>,
    mut request: Request,
    next: Next,
) -> Response {
    let request_number = layer.requests.fetch_add(1, Ordering::Relaxed);
    let config = &layer.config;
    let draws = Draws::new(config.seed, request_number);
    let path = request.uri().path().to_owned();

    if let Some(wait) = layer.rate_limited() {
        let seconds = retry_after_seconds(wait);
        tracing::info!(
            request_number,
            path,
            retry_after = seconds,
            "injected fault: rate limit"
        );
        return rate_limit_response(seconds);
    }
    if !layer.latency.is_zero() {
        tokio::time::sleep(layer.latency).await;
    }
    if draws.error < config.error_rate {
        let status = ERROR_STATUSES[draws.error_status];
        let html = draws.error_as_html;
        tracing::info!(request_number, path, %status, html, "injected fault: server error");
        return server_error_response(status, draws.error_as_html);
    }

    let plan = FaultPlan::new(draws.plan_seed, config.unstable_order, config.bad_card_rate);
    request.extensions_mut().insert(plan);
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::debug!(
        request_number,
        path,
        status = %response.status(),
        elapsed_us = started.elapsed().as_micros() as u64,
        "handled request"
    );

    if draws.drop < config.drop_rate {
        tracing::info!(request_number, path, "injected fault: connection dropped");
        return dropped(response, draws.cut_point).await;
    }
    if draws.truncate < config.truncate_rate {
        tracing::info!(request_number, path, "injected fault: body truncated");
        return truncated(response, draws.cut_point).await;
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_rejects_rates_outside_unit_interval() {
        for rate in [-0.1, 1.5, f64::NAN] {
            let config = FaultConfig {
                error_rate: rate,
                ..FaultConfig::default()
            };
            assert!(config.validate().is_err(), "{rate} accepted");
        }
        let zero_limit = FaultConfig {
            rate_limit: Some(0),
            ..FaultConfig::default()
        };
        assert!(zero_limit.validate().is_err());
        assert!(FaultConfig::default().validate().is_ok());
    }

    #[test]
    fn draws_depend_on_seed_and_request() {
        let first = Draws::new(0, 1);
        let again = Draws::new(0, 1);
        let next = Draws::new(0, 2);
        let other_seed = Draws::new(7, 1);
        assert_eq!(first.plan_seed, again.plan_seed);
        assert_ne!(first.plan_seed, next.plan_seed);
        assert_ne!(first.plan_seed, other_seed.plan_seed);
    }
}
