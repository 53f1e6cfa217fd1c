//! The app's settings: API base URL, API key and sync concurrency, kept with
//! tauri-plugin-store in `settings.json` in the app's data folder.
//!
//! Environment variables win over stored values, as they do for the CLI: `HOLO_API_URL`,
//! `HOLO_API_KEY`, `HOLO_SYNC_CONCURRENCY`, and `HOLO_DB` for the database path. The API key
//! never leaves the Rust side whole: the UI receives its last four characters only.

use std::path::PathBuf;

use holo_core::paths::{DEFAULT_API_URL, default_database_path};
use holo_core::sync::{DEFAULT_CONCURRENCY, MAX_CONCURRENCY};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime};
use tauri_plugin_store::StoreExt;

use crate::error::{CommandError, ErrorCode};

const STORE_FILE: &str = "settings.json";
const API_URL_KEY: &str = "api_url";
const API_KEY_KEY: &str = "api_key";
const CONCURRENCY_KEY: &str = "concurrency";

/// How many trailing characters of the API key the UI may show.
const KEY_HINT_LENGTH: usize = 4;

/// The settings a sync runs with, after environment overrides.
#[derive(Clone)]
pub struct Settings {
    pub api_url: String,
    pub api_key: Option<String>,
    pub concurrency: u32,
}

/// The settings as the UI shows them.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SettingsView {
    pub api_url: String,
    /// Set when `HOLO_API_URL` overrides the stored URL.
    pub api_url_from_env: bool,
    pub default_api_url: String,
    /// The key's last characters, such as `…3f9a`, or `None` when no key is set.
    pub api_key_hint: Option<String>,
    pub api_key_from_env: bool,
    pub concurrency: u32,
    pub concurrency_from_env: bool,
    pub max_concurrency: u32,
    pub database_path: String,
    pub database_from_env: bool,
}

/// A change of the settings, sent by the settings form.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct SettingsUpdate {
    pub api_url: String,
    pub api_key: ApiKeyUpdate,
    pub concurrency: u32,
}

#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ApiKeyUpdate {
    Keep,
    Replace { key: String },
    Remove,
}

fn env_value(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

/// Returns the database path: `HOLO_DB`, or the default shared with the CLI.
pub fn database_path() -> Result<PathBuf, CommandError> {
    if let Some(path) = env_value("HOLO_DB") {
        return Ok(PathBuf::from(path));
    }
    default_database_path().ok_or_else(|| {
        CommandError::new(
            ErrorCode::Database,
            "This system has no data folder for the database. Set HOLO_DB to a file path.",
        )
    })
}

fn store_error(error: tauri_plugin_store::Error) -> CommandError {
    CommandError::logged(
        ErrorCode::SettingsStore,
        "The settings file could not be used",
        &error,
    )
}

/// Reads the stored settings and applies the environment overrides.
pub fn load<R: Runtime>(app: &AppHandle<R>) -> Result<Settings, CommandError> {
    let store = app.store(STORE_FILE).map_err(store_error)?;
    let stored_text = |key: &str| {
        store
            .get(key)
            .and_then(|value| value.as_str().map(String::from))
    };
    let stored_concurrency = store
        .get(CONCURRENCY_KEY)
        .and_then(|value| value.as_u64())
        .and_then(|value| u32::try_from(value).ok());
    let env_concurrency = env_value("HOLO_SYNC_CONCURRENCY").and_then(|text| text.parse().ok());

    Ok(Settings {
        api_url: env_value("HOLO_API_URL")
            .or_else(|| stored_text(API_URL_KEY))
            .unwrap_or_else(|| DEFAULT_API_URL.to_string()),
        api_key: env_value("HOLO_API_KEY").or_else(|| stored_text(API_KEY_KEY)),
        concurrency: env_concurrency
            .or(stored_concurrency)
            .unwrap_or(DEFAULT_CONCURRENCY as u32)
            .clamp(1, MAX_CONCURRENCY as u32),
    })
}

pub fn view<R: Runtime>(app: &AppHandle<R>) -> Result<SettingsView, CommandError> {
    let settings = load(app)?;
    Ok(SettingsView {
        api_url: settings.api_url,
        api_url_from_env: env_value("HOLO_API_URL").is_some(),
        default_api_url: DEFAULT_API_URL.to_string(),
        api_key_hint: settings.api_key.as_deref().map(key_hint),
        api_key_from_env: env_value("HOLO_API_KEY").is_some(),
        concurrency: settings.concurrency,
        concurrency_from_env: env_value("HOLO_SYNC_CONCURRENCY").is_some(),
        max_concurrency: MAX_CONCURRENCY as u32,
        database_path: database_path()?.display().to_string(),
        database_from_env: env_value("HOLO_DB").is_some(),
    })
}

/// Validates and stores `update`. Environment overrides still win afterwards.
pub fn save<R: Runtime>(app: &AppHandle<R>, update: SettingsUpdate) -> Result<(), CommandError> {
    let api_url = validate_api_url(&update.api_url)?;
    validate_concurrency(update.concurrency)?;
    let store = app.store(STORE_FILE).map_err(store_error)?;
    store.set(API_URL_KEY, api_url);
    store.set(CONCURRENCY_KEY, update.concurrency);
    match update.api_key {
        ApiKeyUpdate::Keep => {}
        ApiKeyUpdate::Replace { key } => store.set(API_KEY_KEY, key.trim()),
        ApiKeyUpdate::Remove => {
            store.delete(API_KEY_KEY);
        }
    }
    store.save().map_err(store_error)?;
    tracing::info!(concurrency = update.concurrency, "settings saved");
    Ok(())
}

fn validate_api_url(text: &str) -> Result<String, CommandError> {
    let url = text.trim().trim_end_matches('/');
    let has_host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
    if !has_host || url.contains(char::is_whitespace) {
        return Err(CommandError::new(
            ErrorCode::InvalidSettings,
            format!(
                "The API URL {text:?} is invalid: it must start with http:// or https:// and name a host."
            ),
        ));
    }
    Ok(url.to_string())
}

fn validate_concurrency(concurrency: u32) -> Result<(), CommandError> {
    if (1..=MAX_CONCURRENCY as u32).contains(&concurrency) {
        return Ok(());
    }
    Err(CommandError::new(
        ErrorCode::InvalidSettings,
        format!(
            "Sync concurrency {concurrency} is invalid: use 1 to {MAX_CONCURRENCY} sets at once."
        ),
    ))
}

/// Returns `…` and the key's last characters; a key too short to hide shows as `…` alone.
fn key_hint(key: &str) -> String {
    let characters: Vec<char> = key.chars().collect();
    if characters.len() <= KEY_HINT_LENGTH * 2 {
        return "…".to_string();
    }
    let tail: String = characters[characters.len() - KEY_HINT_LENGTH..]
        .iter()
        .collect();
    format!("…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_url_accepts_http_and_https() {
        assert_eq!(
            validate_api_url("https://api.pokemontcg.io/v2/").unwrap(),
            "https://api.pokemontcg.io/v2"
        );
        assert_eq!(
            validate_api_url(" http://127.0.0.1:8080/v2 ").unwrap(),
            "http://127.0.0.1:8080/v2"
        );
    }

    #[test]
    fn api_url_rejects_other_text() {
        for text in [
            "",
            "ftp://host",
            "api.pokemontcg.io",
            "https://",
            "https:///v2",
            "http://a b",
        ] {
            let error = validate_api_url(text).unwrap_err();
            assert_eq!(error.code, ErrorCode::InvalidSettings, "{text:?}");
        }
    }

    #[test]
    fn concurrency_bounds() {
        assert!(validate_concurrency(1).is_ok());
        assert!(validate_concurrency(MAX_CONCURRENCY as u32).is_ok());
        assert!(validate_concurrency(0).is_err());
        assert!(validate_concurrency(MAX_CONCURRENCY as u32 + 1).is_err());
    }

    #[test]
    fn key_hint_shows_last_four() {
        assert_eq!(key_hint("0123456789abcdef"), "…cdef");
        assert_eq!(key_hint("short"), "…");
    }
}
