//! The API routes under `/v2`.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde_json::json;

use super::{ApiError, json_response};
use crate::catalogue::{Catalogue, Vocabulary};
use crate::documents::ADDED_CARD_FIELDS;
use crate::faults::FaultPlan;
use crate::params::{ListParams, Selection};
use crate::render::{CardShape, Rendition};
use crate::search::{search_cards, search_sets};
use crate::state::AppState;

type Shared = State<Arc<AppState>>;

pub(super) fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/sets", get(list_sets))
        .route("/sets/{id}", get(get_set))
        .route("/cards", get(list_cards))
        .route("/cards/{id}", get(get_card))
        .route("/types", get(types))
        .route("/subtypes", get(subtypes))
        .route("/supertypes", get(supertypes))
        .route("/rarities", get(rarities))
}

async fn list_cards(
    State(state): Shared,
    plan: Option<Extension<FaultPlan>>,
    RawQuery(raw_query): RawQuery,
) -> Result<Response, ApiError> {
    let params = ListParams::parse(raw_query.as_deref()).map_err(ApiError::bad_request)?;
    let rendition = state.rendition();
    let catalogue = rendition.catalogue();
    params
        .check_fields(|name| is_card_field(catalogue, name))
        .map_err(ApiError::bad_request)?;
    let date = state.price_date();
    let matching = search_cards(catalogue, &params.query, &params.order_by, date);

    let mut plan = plan.map(|Extension(plan)| plan).unwrap_or_default();
    let shift = plan.page_shift(matching.len(), params.page_size);
    let page = &matching[params.window(matching.len(), shift)];
    let body = list_body(&params, page.len(), matching.len(), |out| {
        for (index, &position) in page.iter().enumerate() {
            if index > 0 {
                out.push(b',');
            }
            let replacement = plan.bad_card(&catalogue.cards()[position].record);
            let shape = CardShape {
                select: params.select.as_ref(),
                replacement: replacement.as_ref(),
            };
            rendition.write_card(out, position, date, shape);
        }
    });
    Ok(json_response(StatusCode::OK, body))
}

async fn get_card(
    State(state): Shared,
    plan: Option<Extension<FaultPlan>>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw_query): RawQuery,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
    let select = parse_select(raw_query.as_deref())?;
    let rendition = state.rendition();
    let catalogue = rendition.catalogue();
    let position = catalogue
        .card_position(&id)
        .ok_or_else(|| ApiError::not_found(format!("No card has the id {id:?}.")))?;
    let mut plan = plan.map(|Extension(plan)| plan).unwrap_or_default();
    let replacement = plan.bad_card(&catalogue.cards()[position].record);
    let shape = CardShape {
        select: select.as_ref(),
        replacement: replacement.as_ref(),
    };
    let mut body = Vec::with_capacity(4096);
    body.extend_from_slice(b"{\"data\":");
    rendition.write_card(&mut body, position, state.price_date(), shape);
    body.push(b'}');
    Ok(json_response(StatusCode::OK, body))
}

async fn list_sets(
    State(state): Shared,
    RawQuery(raw_query): RawQuery,
) -> Result<Response, ApiError> {
    let params = ListParams::parse(raw_query.as_deref()).map_err(ApiError::bad_request)?;
    let rendition = state.rendition();
    let catalogue = rendition.catalogue();
    params
        .check_fields(|name| catalogue.set_fields().contains(name))
        .map_err(ApiError::bad_request)?;
    let matching = search_sets(catalogue, &params.query, &params.order_by);
    // The unstable-order fault shifts card pages only; the data has far fewer than 250 sets.
    let page = &matching[params.window(matching.len(), 0)];
    let body = list_body(&params, page.len(), matching.len(), |out| {
        write_sets(out, &rendition, page, params.select.as_ref());
    });
    Ok(json_response(StatusCode::OK, body))
}

async fn get_set(
    State(state): Shared,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw_query): RawQuery,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
    let select = parse_select(raw_query.as_deref())?;
    let rendition = state.rendition();
    let position = rendition
        .catalogue()
        .set_position(&id)
        .ok_or_else(|| ApiError::not_found(format!("No set has the id {id:?}.")))?;
    let mut body = Vec::with_capacity(1024);
    body.extend_from_slice(b"{\"data\":");
    rendition.write_set(&mut body, position, select.as_ref());
    body.push(b'}');
    Ok(json_response(StatusCode::OK, body))
}

async fn types(State(state): Shared) -> Response {
    vocabulary_body(&state, |vocabulary| &vocabulary.types)
}

async fn subtypes(State(state): Shared) -> Response {
    vocabulary_body(&state, |vocabulary| &vocabulary.subtypes)
}

async fn supertypes(State(state): Shared) -> Response {
    vocabulary_body(&state, |vocabulary| &vocabulary.supertypes)
}

async fn rarities(State(state): Shared) -> Response {
    vocabulary_body(&state, |vocabulary| &vocabulary.rarities)
}

fn vocabulary_body(state: &AppState, values: fn(&Vocabulary) -> &BTreeSet<String>) -> Response {
    let rendition = state.rendition();
    let body = json!({ "data": values(rendition.catalogue().vocabulary()) });
    json_response(StatusCode::OK, body.to_string().into_bytes())
}

fn is_card_field(catalogue: &Catalogue, name: &str) -> bool {
    catalogue.card_fields().contains(name) || ADDED_CARD_FIELDS.contains(&name)
}

/// Reads only `select` from a query string, for the single-record requests.
fn parse_select(raw_query: Option<&str>) -> Result<Option<Selection>, ApiError> {
    let pairs = form_urlencoded::parse(raw_query.unwrap_or("").as_bytes());
    let mut select = None;
    for (name, value) in pairs {
        if name == "select" {
            select = Some(Selection::parse(&value).map_err(ApiError::bad_request)?);
        }
    }
    Ok(select)
}

fn write_sets(
    out: &mut Vec<u8>,
    rendition: &Rendition,
    page: &[usize],
    select: Option<&Selection>,
) {
    for (index, &position) in page.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        rendition.write_set(out, position, select);
    }
}

/// Builds the list envelope around items written by `write_items`.
fn list_body(
    params: &ListParams,
    count: usize,
    total: usize,
    write_items: impl FnOnce(&mut Vec<u8>),
) -> Vec<u8> {
    let mut body = Vec::with_capacity(count * 3072 + 128);
    body.extend_from_slice(b"{\"data\":[");
    write_items(&mut body);
    let tail = format!(
        "],\"page\":{},\"pageSize\":{},\"count\":{count},\"totalCount\":{total}}}",
        params.page, params.page_size
    );
    body.extend_from_slice(tail.as_bytes());
    body
}
