//! `GET /images/<path>`: a placeholder PNG for every image URL of the served data.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::ApiError;
use crate::images::{entity_tag, placeholder_png};
use crate::state::AppState;

/// Serves the PNG for a path that occurs in the data, honouring `If-None-Match`.
pub(super) async fn image(
    State(state): State<Arc<AppState>>,
    path: Result<Path<String>, PathRejection>,
    request_headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Path(path) = path.map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
    if !state.images_available() {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Service Unavailable. Images are switched off (POST /admin/images).",
        ));
    }
    if !state.rendition().catalogue().has_image(&path) {
        return Err(ApiError::not_found(format!(
            "No image has the path {path:?}."
        )));
    }
    let tag = entity_tag(&path);
    let tag_header = HeaderValue::from_str(&tag).map_err(|error| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("Internal Server Error. {error}"),
        )
    })?;
    let unchanged = request_headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|value| value.as_bytes() == tag.as_bytes());
    if unchanged {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, tag_header)]).into_response());
    }
    let png = placeholder_png(&path).map_err(|error| {
        tracing::error!(path, %error, "failed to encode a placeholder image");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error. The image could not be encoded.",
        )
    })?;
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("image/png")),
        (header::ETAG, tag_header),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=86400"),
        ),
    ];
    Ok((StatusCode::OK, headers, png).into_response())
}
