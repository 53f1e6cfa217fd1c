//! Syncing from the app: start or follow a run, cancel it, list past runs.

use holo_core::browse::{self, RunHistoryEntry};
use holo_core::sync::{SyncEvent, SyncMode, SyncSummary};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::error::CommandError;
use crate::settings;
use crate::state::AppState;

/// Sync runs the history lists.
const HISTORY_LENGTH: usize = 20;

/// Starts a sync, or follows the one this app is already running, streaming its events to
/// `on_progress`. Resolves with the run's summary when it ends.
///
/// `full` fetches every set whatever the last runs found, the same as `holo sync --full`. A
/// request to follow a running sync keeps that run's mode.
#[tauri::command]
#[specta::specta]
pub async fn start_sync(
    app: AppHandle,
    state: State<'_, AppState>,
    full: bool,
    on_progress: Channel<SyncEvent>,
) -> Result<SyncSummary, CommandError> {
    let settings = settings::load(&app)?;
    let database = state.database()?;
    let mode = if full {
        SyncMode::Full
    } else {
        SyncMode::Incremental
    };
    state.sync.run(database, &settings, mode, on_progress).await
}

/// Asks the running sync to stop after the sets in flight. Returns whether a sync was running.
#[tauri::command]
#[specta::specta]
pub fn cancel_sync(state: State<'_, AppState>) -> bool {
    state.sync.cancel()
}

#[tauri::command]
#[specta::specta]
pub async fn sync_history(
    state: State<'_, AppState>,
) -> Result<Vec<RunHistoryEntry>, CommandError> {
    state
        .read(|connection| Ok(browse::run_history(connection, HISTORY_LENGTH)?))
        .await
}
