//! Control routes for tests and demos: move the price date, switch the data, switch images
//! off and on.
//!
//! They sit outside `/v2`, so faults, latency and the request count never touch them.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use super::{ApiError, json_response};
use crate::price_date::PriceDate;
use crate::state::{ActiveData, AppState};

/// The body of `POST /admin/price-date`.
#[derive(Debug, Deserialize)]
pub(super) struct PriceDateRequest {
    date: String,
}

/// Sets the price date from `{"date": "YYYY/MM/DD"}` and returns it.
pub(super) async fn set_price_date(
    State(state): State<Arc<AppState>>,
    body: Result<Json<PriceDateRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(request) = body.map_err(|rejection| {
        ApiError::bad_request(format!(
            "expected a JSON body such as {{\"date\": \"2026/12/02\"}}: {}",
            rejection.body_text()
        ))
    })?;
    let date: PriceDate = request
        .date
        .parse()
        .map_err(|error: crate::Error| ApiError::bad_request(error.to_string()))?;
    state.set_price_date(date);
    let body = json!({"data": {"priceDate": date.to_string()}});
    Ok(json_response(StatusCode::OK, body.to_string().into_bytes()))
}

/// Switches between the initial data and the `--data-next` data, and returns which is served.
pub(super) async fn switch_data(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    let active = state
        .switch_data()
        .map_err(|error| ApiError::new(StatusCode::CONFLICT, format!("Conflict. {error}.")))?;
    let rendition = state.rendition();
    let name = match active {
        ActiveData::Initial => "initial",
        ActiveData::Next => "next",
    };
    let dir = rendition.catalogue().dir().display().to_string();
    let body = json!({"data": {"active": name, "dataDir": dir}});
    Ok(json_response(StatusCode::OK, body.to_string().into_bytes()))
}

/// The body of `POST /admin/images`.
#[derive(Debug, Deserialize)]
pub(super) struct ImagesRequest {
    available: bool,
}

/// Switches image serving off or on from `{"available": false}`, so that a client can be tested
/// against an image host that is down.
pub(super) async fn set_images(
    State(state): State<Arc<AppState>>,
    body: Result<Json<ImagesRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(request) = body.map_err(|rejection| {
        ApiError::bad_request(format!(
            "expected a JSON body such as {{\"available\": false}}: {}",
            rejection.body_text()
        ))
    })?;
    state.set_images_available(request.available);
    let body = json!({"data": {"imagesAvailable": request.available}});
    Ok(json_response(StatusCode::OK, body.to_string().into_bytes()))
}
