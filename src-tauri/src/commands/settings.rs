//! Reading and changing the settings.

use tauri::AppHandle;

use crate::error::CommandError;
use crate::settings::{self, SettingsUpdate, SettingsView};

#[tauri::command]
#[specta::specta]
pub fn get_settings(app: AppHandle) -> Result<SettingsView, CommandError> {
    settings::view(&app)
}

#[tauri::command]
#[specta::specta]
pub fn save_settings(app: AppHandle, update: SettingsUpdate) -> Result<SettingsView, CommandError> {
    settings::save(&app, update)?;
    settings::view(&app)
}
