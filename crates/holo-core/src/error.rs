use std::path::PathBuf;

/// Errors from opening or writing the database. Fetch errors have their own type,
/// [`crate::api::FetchError`], because the sync engine records them instead of stopping.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot create the database folder {path}: {source}")]
    CreateFolder {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("cannot open the database {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },

    #[error("cannot apply the database migrations to {path}: {source}")]
    Migrate {
        path: PathBuf,
        source: refinery::Error,
    },

    #[error(
        "the database {path} was written by a newer version of Holo (schema version {version}; \
         this build knows up to {known}). Update Holo, or pass --db to use another database."
    )]
    NewerSchema {
        path: PathBuf,
        version: i64,
        known: i64,
    },

    #[error(
        "{path} is an SQLite database of another program, not a Holo database; it was left \
         unchanged. Pass --db with a new file name or an existing Holo database."
    )]
    NotHoloDatabase { path: PathBuf },

    #[error("cannot copy the database aside to {path} before migrating it: {reason}")]
    Backup { path: PathBuf, reason: String },

    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),

    #[error("the database writer thread has stopped")]
    WriterStopped,

    #[error("cannot use the lock file {path}: {source}")]
    LockFile {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Error {
    /// Returns whether the storage itself rejects writes (disk full, read-only file or folder, I/O
    /// failure), so that every further write would fail the same way.
    pub fn is_storage_failure(&self) -> bool {
        use rusqlite::ErrorCode::{
            CannotOpen, DiskFull, PermissionDenied, ReadOnly, SystemIoFailure,
        };
        let Error::Sqlite(rusqlite::Error::SqliteFailure(failure, _)) = self else {
            return false;
        };
        matches!(
            failure.code,
            DiskFull | ReadOnly | SystemIoFailure | CannotOpen | PermissionDenied
        )
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
