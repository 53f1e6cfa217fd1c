//! State shared by the commands: the open database and the sync in progress.

use std::sync::Arc;

use holo_core::db::Database;
use rusqlite::Connection;

use crate::error::CommandError;
use crate::sync::SyncHub;

pub struct AppState {
    /// The open database, or why it could not be opened. The window opens either way, so the
    /// collector reads the reason instead of watching the app vanish.
    database: Result<Arc<Database>, CommandError>,
    pub sync: SyncHub,
}

impl AppState {
    pub fn new(database: Database) -> Self {
        Self {
            database: Ok(Arc::new(database)),
            sync: SyncHub::default(),
        }
    }

    /// Creates a state whose every command fails with `error`, for a database that could not
    /// be opened.
    pub fn unavailable(error: CommandError) -> Self {
        Self {
            database: Err(error),
            sync: SyncHub::default(),
        }
    }

    /// Returns the open database, or the error that kept it from opening.
    pub fn database(&self) -> Result<Arc<Database>, CommandError> {
        self.database.clone()
    }

    /// Runs `query` on a fresh read connection on a blocking thread. Each read has its own
    /// connection, so in WAL mode browsing does not wait for a sync's writes.
    pub async fn read<T, F>(&self, query: F) -> Result<T, CommandError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, CommandError> + Send + 'static,
    {
        let database = self.database()?;
        crate::error::blocking(move || query(&database.reader()?)).await
    }
}
