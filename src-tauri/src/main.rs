//! Holo's desktop app: a Tauri window whose web UI browses the local catalogue and runs syncs.
//!
//! `holo-app --export-bindings` writes the UI's TypeScript bindings and exits.

// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod bindings;
mod commands;
mod error;
mod settings;
mod state;
mod sync;

use holo_core::db::Database;
use tauri::Manager;

use crate::state::AppState;

fn main() {
    if std::env::args().any(|argument| argument == "--export-bindings") {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(bindings::BINDINGS_PATH);
        match bindings::export(&path) {
            Ok(()) => println!("wrote {}", path.display()),
            Err(error) => {
                eprintln!("Writing the bindings to {} failed: {error}", path.display());
                std::process::exit(1);
            }
        }
        return;
    }

    // Kept alive until the app exits: dropping it flushes the log file.
    let log_guard = holo_core::logging::init_with_prefix("holo-app");
    let specta = bindings::builder();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::new().build())
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(specta.invoke_handler())
        .setup(|app| {
            let path = settings::database_path()?;
            tracing::info!(path = %path.display(), "opening the database");
            // A database that cannot be opened still gets a window, which shows the reason.
            let state = match Database::open(&path) {
                Ok(database) => AppState::new(database),
                Err(error) => AppState::unavailable(error::database_unavailable(&path, &error)),
            };
            app.manage(state);
            Ok(())
        })
        .run(tauri::tauri_build_context!());
    if let Err(error) = result {
        tracing::error!(%error, "the app stopped with an error");
        eprintln!("Holo stopped: {error}");
        drop(log_guard);
        std::process::exit(1);
    }
}
