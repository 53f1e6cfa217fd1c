//! The collection: copies per variation, the wishlist, completion, value, export and import.
//!
//! Writes run on the database's writer thread. Every command that changes a card's copies
//! returns the card's ownership as read after the write, so the page never shows a guess.

use std::path::PathBuf;

use holo_core::collection::entries::{self, EntryTarget, Grade};
use holo_core::collection::export::{self, ExportSummary};
use holo_core::collection::import::{self, ImportCounts, ImportMode, ImportPlan};
use holo_core::collection::prices::today_utc;
use holo_core::collection::record::{Condition, FileFormat, ParsedFile};
use holo_core::collection::value::{self, CollectionValue, PriceSeries, ValuePoint};
use holo_core::collection::variation::VariationSelector;
use holo_core::collection::views::{self, CardOwnership, EntryView, OwnedMark, SetCompletion};
use holo_core::collection::{self, files};
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::error::{CommandError, ErrorCode};
use crate::state::AppState;

/// The largest collection file an import reads. A Holo JSON export of 20,000 entries is about
/// 10 MB, so this leaves room for far larger collections while refusing a wrong file (a video,
/// a disk image) before it is read into memory.
const MAX_IMPORT_BYTES: u64 = 200 * 1024 * 1024;

/// A new number of copies for one kind of copy of a card.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct CopiesUpdate {
    pub card_id: String,
    pub variation_type: String,
    pub treatment: String,
    pub condition: Condition,
    pub grade: Option<Grade>,
    pub language: String,
    /// The new count; 0 removes the entry.
    pub quantity: u32,
}

/// Everything the collection page shows.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CollectionOverview {
    pub entries: Vec<EntryView>,
    pub value: CollectionValue,
    /// The collection's value at each price date, oldest first.
    pub history: Vec<ValuePoint>,
}

#[tauri::command]
#[specta::specta]
pub async fn card_ownership(
    state: State<'_, AppState>,
    card_id: String,
) -> Result<CardOwnership, CommandError> {
    state
        .read(move |connection| Ok(views::card_ownership(connection, &card_id)?))
        .await
}

/// Sets the number of copies of one kind of copy (variation, condition, grade, language).
#[tauri::command]
#[specta::specta]
pub async fn set_copies(
    state: State<'_, AppState>,
    update: CopiesUpdate,
) -> Result<CardOwnership, CommandError> {
    let writer = state.database()?.writer().clone();
    let ownership = collection::write(&writer, move |connection| {
        let target = EntryTarget {
            card_id: update.card_id.clone(),
            variation: Some(VariationSelector::new(
                Some(&update.variation_type),
                &update.treatment,
            )),
            condition: update.condition,
            grade: update.grade,
            language: update.language,
        };
        let outcome = entries::set_quantity(connection, &target, update.quantity)?;
        tracing::info!(
            card_id = %outcome.card_id,
            treatment = %outcome.treatment,
            condition = %outcome.condition,
            before = outcome.quantity_before,
            after = outcome.quantity,
            "copies changed"
        );
        views::card_ownership(connection, &update.card_id)
    })
    .await?;
    Ok(ownership)
}

/// Puts a variation on the wishlist or takes it off.
#[tauri::command]
#[specta::specta]
pub async fn set_wishlisted(
    state: State<'_, AppState>,
    card_id: String,
    variation_type: String,
    treatment: String,
    wishlisted: bool,
) -> Result<CardOwnership, CommandError> {
    let writer = state.database()?.writer().clone();
    let ownership = collection::write(&writer, move |connection| {
        let selector = VariationSelector::new(Some(&variation_type), &treatment);
        entries::set_wishlisted(connection, &card_id, Some(&selector), wishlisted)?;
        views::card_ownership(connection, &card_id)
    })
    .await?;
    Ok(ownership)
}

/// Returns the owned and wishlisted cards of a set, for the marks and filters of its grid.
#[tauri::command]
#[specta::specta]
pub async fn owned_marks(
    state: State<'_, AppState>,
    set_id: String,
) -> Result<Vec<OwnedMark>, CommandError> {
    state
        .read(move |connection| Ok(views::owned_marks(connection, &set_id)?))
        .await
}

/// Returns every set's completion, for the set list.
#[tauri::command]
#[specta::specta]
pub async fn set_completions(
    state: State<'_, AppState>,
) -> Result<Vec<SetCompletion>, CommandError> {
    state
        .read(|connection| Ok(views::set_completions(connection)?))
        .await
}

/// Returns one set's completion, for the set page, or `not_found` for a set not stored.
#[tauri::command]
#[specta::specta]
pub async fn set_completion(
    state: State<'_, AppState>,
    set_id: String,
) -> Result<SetCompletion, CommandError> {
    state
        .read(move |connection| {
            views::set_completion(connection, &set_id)?
                .ok_or_else(|| CommandError::not_found("Set", &set_id))
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn collection_overview(
    state: State<'_, AppState>,
) -> Result<CollectionOverview, CommandError> {
    state
        .read(|connection| {
            let today = today_utc();
            Ok(CollectionOverview {
                entries: views::list_entries(connection, today)?,
                value: value::collection_value(connection, today)?,
                history: value::value_history(connection)?,
            })
        })
        .await
}

/// Returns the card's market price at each price date, per printing.
#[tauri::command]
#[specta::specta]
pub async fn card_price_history(
    state: State<'_, AppState>,
    card_id: String,
) -> Result<Vec<PriceSeries>, CommandError> {
    state
        .read(move |connection| Ok(value::card_price_history(connection, &card_id)?))
        .await
}

/// Writes the whole collection to `path` in `format`, replacing the file only once it is
/// complete.
#[tauri::command]
#[specta::specta]
pub async fn export_collection(
    state: State<'_, AppState>,
    format: FileFormat,
    path: String,
) -> Result<ExportSummary, CommandError> {
    state
        .read(move |connection| {
            let summary = export::export_to_file(connection, format, &PathBuf::from(&path))?;
            tracing::info!(%path, ?format, written = summary.written, "collection exported");
            Ok(summary)
        })
        .await
}

/// Reads a collection file and returns what importing it would do, without writing anything.
#[tauri::command]
#[specta::specta]
pub async fn preview_import(
    state: State<'_, AppState>,
    path: String,
    mode: ImportMode,
) -> Result<ImportPlan, CommandError> {
    let file = read_collection_file(&path).await?;
    state
        .read(move |connection| Ok(import::plan_import(connection, &file, mode)?))
        .await
}

/// Imports a collection file in one transaction: every matched row is written, or none.
/// The plan is made again on the writer, so it matches the collection it is applied to.
#[tauri::command]
#[specta::specta]
pub async fn import_collection(
    state: State<'_, AppState>,
    path: String,
    mode: ImportMode,
) -> Result<ImportCounts, CommandError> {
    let file = read_collection_file(&path).await?;
    let writer = state.database()?.writer().clone();
    let counts = collection::write(&writer, move |connection| {
        let plan = import::plan_import(connection, &file, mode)?;
        import::apply_import(connection, &plan)
    })
    .await?;
    tracing::info!(%path, ?mode, ?counts, "collection imported");
    Ok(counts)
}

/// Reads and parses a collection file off the async runtime.
async fn read_collection_file(path: &str) -> Result<ParsedFile, CommandError> {
    let path = PathBuf::from(path);
    crate::error::blocking(move || {
        let unreadable = |error: &dyn std::error::Error| {
            CommandError::logged(
                ErrorCode::File,
                &format!("Reading {} failed", path.display()),
                error,
            )
        };
        let size = std::fs::metadata(&path)
            .map_err(|error| unreadable(&error))?
            .len();
        if size > MAX_IMPORT_BYTES {
            return Err(CommandError::new(
                ErrorCode::InvalidInput,
                format!(
                    "{} is {} MB, larger than any collection file Holo reads ({} MB). \
                     Choose a Holo, TCGplayer or Collectr export.",
                    path.display(),
                    size / (1024 * 1024),
                    MAX_IMPORT_BYTES / (1024 * 1024)
                ),
            ));
        }
        let bytes = std::fs::read(&path).map_err(|error| unreadable(&error))?;
        files::read(&bytes).map_err(|error| {
            CommandError::new(
                ErrorCode::InvalidInput,
                format!("{} cannot be imported: {error}", path.display()),
            )
        })
    })
    .await
}
