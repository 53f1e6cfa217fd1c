//! The error every command returns: a stable code the UI branches on, and a sentence for the
//! collector. The full source chain goes to the log where the error is made.

use holo_core::collection::CollectionError;
use holo_core::sync::{LockError, LockHolder, SyncError};
use serde::Serialize;

/// The kind of failure, in terms the UI can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The database could not be read or written.
    Database,
    /// The database could not be opened when the app started, so nothing can be shown or
    /// synced until the cause is fixed and the app restarted. The message gives the reason.
    DatabaseUnavailable,
    /// The requested set or card is not in the database.
    NotFound,
    /// Another process, such as `holo sync`, holds the database's sync lock.
    SyncRunningElsewhere,
    /// The API settings cannot make a client, for example a key with invalid characters.
    ApiSettings,
    /// A settings value was rejected; the message names it.
    InvalidSettings,
    /// The settings file could not be read or written.
    SettingsStore,
    /// A value sent by the UI or read from a file was rejected; the message names it.
    InvalidInput,
    /// A file the collector chose could not be read or written.
    File,
    /// The collection changed while an operation on it was prepared; trying again works.
    Conflict,
    /// A bug or an unexpected failure inside the app.
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
}

impl CommandError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// Logs `source` with its chain and returns an error with `code` and `message`.
    pub fn logged(code: ErrorCode, message: &str, source: &dyn std::error::Error) -> Self {
        tracing::error!(code = ?code, error = %chain(source), "{message}");
        Self::new(code, format!("{message}: {source}"))
    }

    pub fn not_found(what: &str, id: &str) -> Self {
        Self::new(
            ErrorCode::NotFound,
            format!("{what} {id} is not in the database. Sync to fetch it."),
        )
    }
}

impl From<holo_core::Error> for CommandError {
    fn from(error: holo_core::Error) -> Self {
        Self::logged(ErrorCode::Database, "Reading the database failed", &error)
    }
}

impl From<CollectionError> for CommandError {
    fn from(error: CollectionError) -> Self {
        let code = match &error {
            CollectionError::CardNotFound(_)
            | CollectionError::VariationNotFound { .. }
            | CollectionError::EntryNotFound { .. } => ErrorCode::NotFound,
            CollectionError::AmbiguousVariation { .. }
            | CollectionError::InvalidQuantity { .. }
            | CollectionError::InvalidEntry(_) => ErrorCode::InvalidInput,
            CollectionError::PlanOutdated { .. } => ErrorCode::Conflict,
            CollectionError::File(_) => ErrorCode::File,
            CollectionError::Database(_) => {
                return Self::logged(
                    ErrorCode::Database,
                    "The collection could not be saved",
                    &error,
                );
            }
        };
        tracing::warn!(code = ?code, %error, "a collection request was rejected");
        Self::new(code, capitalise(&error.to_string()))
    }
}

/// Returns `text` with its first letter in upper case, for core messages shown as sentences.
fn capitalise(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}

impl From<SyncError> for CommandError {
    fn from(error: SyncError) -> Self {
        match error {
            SyncError::Lock(LockError::Held(holder)) => Self::new(
                ErrorCode::SyncRunningElsewhere,
                running_elsewhere_message(holder.as_ref()),
            ),
            other => Self::logged(ErrorCode::Database, "The sync could not start", &other),
        }
    }
}

/// Returns the error every command gives when the database at `path` could not be opened at
/// start-up, with what the collector can do about it.
pub fn database_unavailable(path: &std::path::Path, error: &holo_core::Error) -> CommandError {
    use holo_core::Error;
    tracing::error!(path = %path.display(), error = %chain(error), "opening the database failed");
    let advice = match error {
        Error::NewerSchema { .. } => {
            "It was written by a newer version of Holo: update Holo, or set HOLO_DB to use \
             another database file."
        }
        Error::NotHoloDatabase { .. } => {
            "It is another program's database, so Holo left it alone: set HOLO_DB to another \
             file, or move this one aside and Holo makes a new database on the next start."
        }
        _ if is_not_a_database(error) => {
            "The file is damaged or is not a Holo database. Move it aside, and Holo makes a new \
             one on the next start (your settings are kept), or set HOLO_DB to another file."
        }
        _ if error.is_storage_failure() || is_storage_error(error) => {
            "Check that the folder exists, is writable and that the disk has free space, then \
             start Holo again."
        }
        _ => "Start Holo again; if this repeats, the log file has the details.",
    };
    CommandError::new(
        ErrorCode::DatabaseUnavailable,
        format!(
            "Holo could not open its database {}: {error}. {advice}",
            path.display()
        ),
    )
}

/// Returns whether SQLite found that the file is not a database or is corrupt.
fn is_not_a_database(error: &holo_core::Error) -> bool {
    let failure = match error {
        holo_core::Error::Open { source, .. } | holo_core::Error::Sqlite(source) => source,
        _ => return false,
    };
    matches!(
        failure.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
    )
}

/// Returns whether the error comes from the file system: a folder or lock file that cannot be
/// made, a read-only or full disk.
fn is_storage_error(error: &holo_core::Error) -> bool {
    match error {
        holo_core::Error::CreateFolder { .. } | holo_core::Error::LockFile { .. } => true,
        holo_core::Error::Open { source, .. } => matches!(
            source.sqlite_error_code(),
            Some(
                rusqlite::ErrorCode::CannotOpen
                    | rusqlite::ErrorCode::ReadOnly
                    | rusqlite::ErrorCode::DiskFull
                    | rusqlite::ErrorCode::PermissionDenied
            )
        ),
        _ => false,
    }
}

fn running_elsewhere_message(holder: Option<&LockHolder>) -> String {
    let who = holder.map_or_else(
        || "another program".to_string(),
        |holder| format!("process {} (started {})", holder.pid, holder.started_at),
    );
    format!(
        "A sync is already running on this database in {who}, perhaps `holo sync`. \
         Wait for it to finish, then press Sync now again."
    )
}

/// Formats an error and its sources as one line, outermost first.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

/// Runs a blocking database read off the async runtime.
pub async fn blocking<T, F>(work: F) -> Result<T, CommandError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, CommandError> + Send + 'static,
{
    tokio::task::spawn_blocking(work).await.map_err(|join| {
        CommandError::logged(ErrorCode::Internal, "A database read stopped", &join)
    })?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_held_names_the_process() {
        let holder = LockHolder {
            run_id: "run-1".into(),
            pid: 4242,
            started_at: "2026-12-04T10:00:00.000Z".into(),
        };
        let error = CommandError::from(SyncError::Lock(LockError::Held(Some(holder))));
        assert_eq!(error.code, ErrorCode::SyncRunningElsewhere);
        assert!(error.message.contains("process 4242"), "{}", error.message);
    }

    #[test]
    fn lock_held_by_unknown_holder() {
        let error = CommandError::from(SyncError::Lock(LockError::Held(None)));
        assert_eq!(error.code, ErrorCode::SyncRunningElsewhere);
        assert!(
            error.message.contains("another program"),
            "{}",
            error.message
        );
    }

    #[test]
    fn unavailable_database_not_a_database() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("holo.db");
        std::fs::write(&path, "these are notes, not a database\n".repeat(200)).unwrap();
        let error = holo_core::db::Database::open(&path)
            .err()
            .expect("a text file must not open as a database");

        let error = database_unavailable(&path, &error);

        assert_eq!(error.code, ErrorCode::DatabaseUnavailable);
        assert!(
            error.message.contains(&path.display().to_string()),
            "{}",
            error.message
        );
        assert!(
            error.message.contains("not a Holo database"),
            "{}",
            error.message
        );
    }

    #[test]
    fn unavailable_database_newer_schema() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("holo.db");
        drop(holo_core::db::Database::open(&path).unwrap());
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute(
                "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) \
                 VALUES (999, 'from_the_future', '2030-01-01T00:00:00Z', '0')",
                [],
            )
            .unwrap();
        let error = holo_core::db::Database::open(&path).err().unwrap();

        let error = database_unavailable(&path, &error);

        assert_eq!(error.code, ErrorCode::DatabaseUnavailable);
        assert!(error.message.contains("update Holo"), "{}", error.message);
    }

    #[test]
    fn unavailable_database_missing_folder() {
        let folder = tempfile::tempdir().unwrap();
        // A file where the database's folder should be makes the folder impossible to create.
        let blocker = folder.path().join("data");
        std::fs::write(&blocker, "").unwrap();
        let path = blocker.join("holo.db");
        let error = holo_core::db::Database::open(&path).err().unwrap();

        let error = database_unavailable(&path, &error);

        assert_eq!(error.code, ErrorCode::DatabaseUnavailable);
        assert!(error.message.contains("is writable"), "{}", error.message);
    }

    #[test]
    fn code_serialises_in_snake_case() {
        let json = serde_json::to_string(&ErrorCode::SyncRunningElsewhere).unwrap();
        assert_eq!(json, "\"sync_running_elsewhere\"");
    }
}
