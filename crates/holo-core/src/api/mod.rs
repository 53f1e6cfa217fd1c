//! The Pokémon TCG API v2 client.
//!
//! It pages through list requests, retries what is worth retrying and counts every request it
//! sends. It does not interpret cards: a page comes back as raw JSON items, so that one card
//! that does not parse costs that card, not its page.

pub mod model;
mod retry;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use serde::Deserialize;
use serde_json::value::RawValue;
use tracing::{debug, warn};

pub use retry::RetryPolicy;

/// The API's largest page. Fewer, larger pages mean fewer requests against its rate limit.
pub const PAGE_SIZE: usize = 250;

/// How long one request may take, body included. The public API has been seen to take several
/// seconds for a 250-card page under load.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How much of an error body (an HTML page, say) goes into an error message.
const ERROR_BODY_EXCERPT: usize = 200;

/// The API's address and credentials.
#[derive(Clone)]
pub struct ApiConfig {
    /// The API root, for example `https://api.pokemontcg.io/v2`.
    pub base_url: String,
    /// Sent as `X-Api-Key` when present.
    pub api_key: Option<String>,
    pub retry: RetryPolicy,
}

impl ApiConfig {
    pub fn new(base_url: impl Into<String>, api_key: Option<String>) -> Self {
        Self {
            base_url: base_url.into().trim_end_matches('/').to_string(),
            api_key: api_key.filter(|key| !key.is_empty()),
            retry: RetryPolicy::default(),
        }
    }
}

// Written by hand so that the API key never reaches a log line.
impl std::fmt::Debug for ApiConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiConfig")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("retry", &self.retry)
            .finish()
    }
}

/// A failed request, after any retries.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{url} answered HTTP {status}: {message}")]
    Status {
        url: String,
        status: u16,
        message: String,
        retry_after: Option<Duration>,
    },

    #[error("request to {url} failed: {source}")]
    Transport {
        url: String,
        #[source]
        source: reqwest::Error,
    },

    #[error("invalid response from {url}: {reason}")]
    InvalidBody { url: String, reason: String },

    #[error("cannot build an HTTP client: {0}")]
    Client(#[source] reqwest::Error),

    #[error(
        "invalid API URL {url:?}: {reason}; expected an http or https URL such as https://api.pokemontcg.io/v2"
    )]
    InvalidUrl { url: String, reason: String },
}

impl FetchError {
    /// Returns whether the same request may succeed if sent again: rate limits, server errors,
    /// timeouts, dropped connections and cut-short bodies. A 400 or 404 will not change.
    pub fn is_retryable(&self) -> bool {
        match self {
            FetchError::Status { status, .. } => *status == 408 || *status == 429 || *status >= 500,
            FetchError::Transport { source, .. } => !source.is_builder(),
            FetchError::InvalidBody { .. } => true,
            FetchError::Client(_) | FetchError::InvalidUrl { .. } => false,
        }
    }

    /// Returns whether the server reported the client over its rate limit (HTTP 429).
    pub fn is_rate_limit(&self) -> bool {
        matches!(self, FetchError::Status { status: 429, .. })
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// One page of a list request, its items still raw JSON.
#[derive(Debug, Deserialize)]
pub struct Page {
    pub data: Vec<Box<RawValue>>,
    #[serde(rename = "totalCount")]
    pub total_count: usize,
}

/// Counters shared by every clone of a client.
#[derive(Debug, Default)]
struct Counters {
    requests: AtomicU64,
    retries: AtomicU64,
    /// When the server last asked, with a 429 and `Retry-After`, that no request come before.
    /// Every request of every clone waits for it, so concurrent requests back off together
    /// instead of each spending its own attempts on the same rate limit.
    paused_until: std::sync::Mutex<Option<tokio::time::Instant>>,
}

/// A client for one API root. Cloning shares the connection pool and the counters.
#[derive(Debug, Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    config: Arc<ApiConfig>,
    counters: Arc<Counters>,
}

impl ApiClient {
    /// Creates a client, rejecting a base URL that is not an absolute http or https URL.
    pub fn new(config: ApiConfig) -> Result<Self, FetchError> {
        check_base_url(&config.base_url)?;
        let mut headers = HeaderMap::new();
        if let Some(key) = &config.api_key {
            let mut value = HeaderValue::from_str(key).map_err(|_| FetchError::InvalidBody {
                url: config.base_url.clone(),
                reason: "the API key contains characters that cannot go in an HTTP header".into(),
            })?;
            value.set_sensitive(true);
            headers.insert("X-Api-Key", value);
        }
        let http = reqwest::Client::builder()
            .user_agent(concat!("holo/", env!("CARGO_PKG_VERSION")))
            .default_headers(headers)
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .build()
            .map_err(FetchError::Client)?;
        Ok(Self {
            http,
            config: Arc::new(config),
            counters: Arc::default(),
        })
    }

    pub fn base_url(&self) -> &str {
        &self.config.base_url
    }

    /// Returns how many HTTP requests this client has sent, retries included.
    pub fn requests(&self) -> u64 {
        self.counters.requests.load(Ordering::Relaxed)
    }

    /// Returns how many of those requests were retries of a failed one.
    pub fn retries(&self) -> u64 {
        self.counters.retries.load(Ordering::Relaxed)
    }

    /// Fetches one page of `resource` (`sets` or `cards`), 1-based, retrying per the policy.
    pub async fn get_page(
        &self,
        resource: &str,
        query: &[(&str, &str)],
        page: usize,
    ) -> Result<Page, FetchError> {
        let url = format!("{}/{resource}", self.config.base_url);
        let page_text = page.to_string();
        let page_size = PAGE_SIZE.to_string();
        let mut full_query: Vec<(&str, &str)> = query.to_vec();
        full_query.push(("page", &page_text));
        full_query.push(("pageSize", &page_size));

        let policy = &self.config.retry;
        let mut attempt = 1;
        loop {
            match self.try_get_page(&url, &full_query).await {
                Ok(page) => return Ok(page),
                Err(error) if error.is_retryable() && attempt < policy.max_attempts => {
                    let delay = policy.delay_before_retry(
                        attempt,
                        error.retry_after(),
                        error.is_rate_limit(),
                    );
                    if error.is_rate_limit() {
                        self.pause_all(delay);
                    }
                    warn!(%url, ?query, page, attempt, delay_ms = delay.as_millis() as u64, %error, "request failed, retrying");
                    self.counters.retries.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// Holds every request of this client back for `delay` from now, unless a longer pause is
    /// already in force.
    fn pause_all(&self, delay: Duration) {
        let until = tokio::time::Instant::now() + delay;
        let mut paused = self
            .counters
            .paused_until
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if paused.is_none_or(|current| current < until) {
            *paused = Some(until);
        }
    }

    async fn wait_for_pause(&self) {
        let until = *self
            .counters
            .paused_until
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(until) = until {
            tokio::time::sleep_until(until).await;
        }
    }

    async fn try_get_page(&self, url: &str, query: &[(&str, &str)]) -> Result<Page, FetchError> {
        self.wait_for_pause().await;
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
        let transport = |source| FetchError::Transport {
            url: url.to_string(),
            source,
        };
        let response = self
            .http
            .get(url)
            .query(query)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        let retry_after = parse_retry_after(response.headers());
        let body = response.bytes().await.map_err(transport)?;
        debug!(%url, ?query, status = status.as_u16(), bytes = body.len(), "response");

        if !status.is_success() {
            return Err(FetchError::Status {
                url: url.to_string(),
                status: status.as_u16(),
                message: error_message(&body),
                retry_after,
            });
        }
        serde_json::from_slice(&body).map_err(|error| FetchError::InvalidBody {
            url: url.to_string(),
            reason: error.to_string(),
        })
    }
}

fn check_base_url(url: &str) -> Result<(), FetchError> {
    let invalid = |reason: &str| FetchError::InvalidUrl {
        url: url.to_string(),
        reason: reason.to_string(),
    };
    let parsed = reqwest::Url::parse(url).map_err(|error| invalid(&error.to_string()))?;
    match parsed.scheme() {
        "http" | "https" if parsed.host().is_some() => Ok(()),
        "http" | "https" => Err(invalid("it has no host")),
        scheme => Err(invalid(&format!(
            "the scheme {scheme:?} is not http or https"
        ))),
    }
}

/// Reads `Retry-After` in seconds. The HTTP-date form is not used by this API and is ignored,
/// which falls back to the policy's own backoff.
fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds: f64 = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds))
}

/// Extracts the API's `{"error": {"message": ...}}`, or the start of whatever else came back.
fn error_message(body: &[u8]) -> String {
    #[derive(Deserialize)]
    struct ErrorBody {
        error: ErrorDetail,
    }
    #[derive(Deserialize)]
    struct ErrorDetail {
        message: String,
    }
    if let Ok(parsed) = serde_json::from_slice::<ErrorBody>(body) {
        return parsed.error.message;
    }
    let text = String::from_utf8_lossy(body);
    let excerpt: String = text.chars().take(ERROR_BODY_EXCERPT).collect();
    excerpt.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_api_key() {
        let config = ApiConfig::new("http://127.0.0.1:1/v2", Some("secret-key-123".into()));
        let text = format!("{config:?}");
        assert!(!text.contains("secret-key-123"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }

    #[test]
    fn empty_api_key_is_no_key() {
        assert_eq!(
            ApiConfig::new("http://x/v2/", Some(String::new())).api_key,
            None
        );
    }

    #[test]
    fn base_url_loses_trailing_slash() {
        assert_eq!(ApiConfig::new("http://x/v2/", None).base_url, "http://x/v2");
    }

    #[test]
    fn base_url_must_be_http() {
        for url in ["garbage", "", "ftp://example.com/v2", "http://"] {
            let error = ApiClient::new(ApiConfig::new(url, None)).err();
            assert!(
                matches!(error, Some(FetchError::InvalidUrl { .. })),
                "{url}: {error:?}"
            );
        }
        assert!(ApiClient::new(ApiConfig::new("http://127.0.0.1:8765/v2", None)).is_ok());
        assert!(ApiClient::new(ApiConfig::new("https://api.pokemontcg.io/v2", None)).is_ok());
    }

    #[test]
    fn retry_after_in_seconds() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("3"));
        assert_eq!(parse_retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(parse_retry_after(&headers), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("-1"));
        assert_eq!(parse_retry_after(&headers), None);
    }

    #[test]
    fn error_message_from_json_or_html() {
        assert_eq!(
            error_message(br#"{"error":{"message":"Not Found","code":404}}"#),
            "Not Found"
        );
        assert_eq!(
            error_message(b"<html>\n  <body>502 Bad Gateway</body>\n</html>"),
            "<html> <body>502 Bad Gateway</body> </html>"
        );
    }

    #[test]
    fn retryable_statuses() {
        let status = |status| FetchError::Status {
            url: String::new(),
            status,
            message: String::new(),
            retry_after: None,
        };
        for code in [408, 429, 500, 502, 503, 504] {
            assert!(status(code).is_retryable(), "{code}");
        }
        for code in [400, 401, 403, 404] {
            assert!(!status(code).is_retryable(), "{code}");
        }
    }
}
