//! The HTTP routes: `/v2` (the API, behind the fault middleware), `/images` and `/admin`.
//!
//! Every error is sent in the API's shape, `{"error": {"message": "...", "code": N}}`, with the
//! same HTTP status, including unknown paths and methods.

mod admin;
mod images;
mod v2;

use std::sync::Arc;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use crate::faults::{FaultLayer, inject};
use crate::state::AppState;

/// Builds the whole router of one emulator.
pub(crate) fn router(state: Arc<AppState>, faults: Arc<FaultLayer>) -> Router {
    let api = v2::router()
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(faults, inject));
    Router::new()
        .nest("/v2", api)
        .route("/images/{*path}", get(images::image))
        .route("/admin/price-date", post(admin::set_price_date))
        .route("/admin/switch-data", post(admin::switch_data))
        .route("/admin/images", post(admin::set_images))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

/// An error response in the API's JSON shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    /// Builds a `400` for a request the emulator cannot honour. `detail` names the value and why.
    pub fn bad_request(detail: impl AsRef<str>) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("Bad Request. {}", capitalise(detail.as_ref())),
        )
    }

    /// Builds a `404`. `detail` names what was not found.
    pub fn not_found(detail: impl AsRef<str>) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            format!("Not Found. {}", detail.as_ref()),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"message": self.message, "code": self.status.as_u16()}});
        json_response(self.status, body.to_string().into_bytes())
    }
}

/// Sends bytes that are already JSON.
pub(crate) fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let content_type = [(header::CONTENT_TYPE, "application/json; charset=utf-8")];
    (status, content_type, body).into_response()
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

async fn not_found() -> ApiError {
    ApiError::not_found("The requested resource could not be found.")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "Method Not Allowed. The API accepts only GET requests, and /admin only POST requests.",
    )
}
