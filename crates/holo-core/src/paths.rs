//! Default locations of Holo's files.

use std::path::PathBuf;

/// The desktop app's bundle identifier. Tauri puts the app's data in
/// `<platform data folder>/<identifier>`, so the CLI uses the same folder and both open one
/// database. Keep in step with `identifier` in `tauri.conf.json`.
pub const APP_IDENTIFIER: &str = "io.holo.desktop";

/// The database file's name inside the data folder.
pub const DATABASE_FILE_NAME: &str = "holo.db";

/// The public Pokémon TCG API, the default for every sync.
pub const DEFAULT_API_URL: &str = "https://api.pokemontcg.io/v2";

/// Returns the default folder for log files, where Tauri 2 puts an app's logs:
/// `~/Library/Logs/io.holo.desktop` on macOS, `<local data folder>/io.holo.desktop/logs`
/// elsewhere (on Linux `~/.local/share/io.holo.desktop/logs`). `None` without a home directory.
pub fn default_log_dir() -> Option<PathBuf> {
    if cfg!(target_os = "macos") {
        Some(dirs::home_dir()?.join("Library/Logs").join(APP_IDENTIFIER))
    } else {
        Some(dirs::data_local_dir()?.join(APP_IDENTIFIER).join("logs"))
    }
}

/// Returns the default database path, `<data folder>/io.holo.desktop/holo.db`
/// (on Linux `~/.local/share/io.holo.desktop/holo.db`), or `None` when the platform
/// has no data folder (no home directory).
pub fn default_database_path() -> Option<PathBuf> {
    Some(
        dirs::data_dir()?
            .join(APP_IDENTIFIER)
            .join(DATABASE_FILE_NAME),
    )
}
