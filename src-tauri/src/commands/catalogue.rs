//! Browsing the catalogue: sets, a set's cards, a card, name search.

use holo_core::browse::{self, CardDetail, CardSummary, SeriesGroup, SetSummary};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn list_series(state: State<'_, AppState>) -> Result<Vec<SeriesGroup>, CommandError> {
    state
        .read(|connection| Ok(browse::series_groups(connection)?))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn get_set(
    state: State<'_, AppState>,
    set_id: String,
) -> Result<SetSummary, CommandError> {
    state
        .read(move |connection| {
            browse::set_summary(connection, &set_id)?
                .ok_or_else(|| CommandError::not_found("Set", &set_id))
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn list_set_cards(
    state: State<'_, AppState>,
    set_id: String,
) -> Result<Vec<CardSummary>, CommandError> {
    state
        .read(move |connection| Ok(browse::set_cards(connection, &set_id)?))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn get_card(
    state: State<'_, AppState>,
    card_id: String,
) -> Result<CardDetail, CommandError> {
    state
        .read(move |connection| {
            browse::card_detail(connection, &card_id)?
                .ok_or_else(|| CommandError::not_found("Card", &card_id))
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn search_cards(
    state: State<'_, AppState>,
    text: String,
) -> Result<Vec<CardSummary>, CommandError> {
    state
        .read(move |connection| {
            Ok(browse::search_cards(
                connection,
                &text,
                browse::SEARCH_LIMIT,
            )?)
        })
        .await
}
