//! The responses of the injected faults: `429`, `5xx` pages, dropped and truncated bodies.

use std::io;
use std::time::Duration;

use axum::body::{Body, Bytes, to_bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::routes::ApiError;

/// The statuses the live service is known to send under load.
pub(super) const ERROR_STATUSES: [StatusCode; 4] = [
    StatusCode::INTERNAL_SERVER_ERROR,
    StatusCode::BAD_GATEWAY,
    StatusCode::SERVICE_UNAVAILABLE,
    StatusCode::GATEWAY_TIMEOUT,
];

/// How long a dropped response waits after its partial body before closing, so the partial
/// bytes reach the client first.
const DROP_DELAY: Duration = Duration::from_millis(20);

/// Builds a `429` in the API's error shape with `Retry-After` in seconds.
pub(super) fn rate_limit_response(retry_after: u64) -> Response {
    let message = format!("Too Many Requests. Retry after {retry_after} seconds.");
    let mut response = ApiError::new(StatusCode::TOO_MANY_REQUESTS, message).into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    response
}

/// Builds a `5xx` in the API's error shape, or as a bare HTML page like a proxy's.
pub(super) fn server_error_response(status: StatusCode, as_html: bool) -> Response {
    let reason = status.canonical_reason().unwrap_or("Server Error");
    if !as_html {
        let message =
            format!("{reason}. The server could not complete the request; try again later.");
        return ApiError::new(status, message).into_response();
    }
    let code = status.as_u16();
    let page = format!(
        "<!DOCTYPE html>\n<html><head><title>{code} {reason}</title></head>\n\
         <body><h1>{code} {reason}</h1><p>The server could not complete the request. \
         Try again later.</p></body></html>\n"
    );
    let content_type = [(header::CONTENT_TYPE, "text/html; charset=utf-8")];
    (status, content_type, page).into_response()
}

/// Reads a whole response body; the emulator's own bodies are in memory already.
async fn split(response: Response) -> Result<(axum::http::response::Parts, Bytes), Response> {
    let (parts, body) = response.into_parts();
    match to_bytes(body, usize::MAX).await {
        Ok(bytes) => Ok((parts, bytes)),
        Err(error) => {
            tracing::error!(%error, "failed to read a response body to inject a fault");
            Err(
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error.")
                    .into_response(),
            )
        }
    }
}

/// Returns how many bytes of a body to keep: 10% to 90% of it, and at least one byte fewer.
fn cut_length(length: usize, cut_point: f64) -> usize {
    let keep = (length as f64 * (0.1 + 0.8 * cut_point)) as usize;
    keep.min(length.saturating_sub(1))
}

/// Sends the headers with the full `Content-Length`, part of the body, then closes.
pub(super) async fn dropped(response: Response, cut_point: f64) -> Response {
    let (mut parts, bytes) = match split(response).await {
        Ok(split) => split,
        Err(response) => return response,
    };
    let keep = cut_length(bytes.len(), cut_point);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let head = futures::stream::iter([Ok::<Bytes, io::Error>(bytes.slice(..keep))]);
    let failure = futures::stream::once(async {
        tokio::time::sleep(DROP_DELAY).await;
        Err(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "injected connection drop",
        ))
    });
    let body = Body::from_stream(futures::StreamExt::chain(head, failure));
    Response::from_parts(parts, body)
}

/// Sends part of the body with a `Content-Length` that matches the part.
pub(super) async fn truncated(response: Response, cut_point: f64) -> Response {
    let (mut parts, bytes) = match split(response).await {
        Ok(split) => split,
        Err(response) => return response,
    };
    let keep = cut_length(bytes.len(), cut_point);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes.slice(..keep)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_length_keeps_a_strict_prefix() {
        assert_eq!(cut_length(0, 0.5), 0);
        assert_eq!(cut_length(1, 0.99), 0);
        assert_eq!(cut_length(100, 0.0), 10);
        assert_eq!(cut_length(100, 0.999), 89);
    }
}
