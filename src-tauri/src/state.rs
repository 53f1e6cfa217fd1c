//! State shared by the commands: the open database and the sync in progress.

use std::sync::Arc;

use holo_core::db::Database;
use rusqlite::Connection;

use crate::error::CommandError;
use crate::sync::SyncHub;

pub struct AppState {
    pub database: Arc<Database>,
    pub sync: SyncHub,
}

impl AppState {
    pub fn new(database: Database) -> Self {
        Self {
            database: Arc::new(database),
            sync: SyncHub::default(),
        }
    }

    /// Runs `query` on a fresh read connection on a blocking thread. Each read has its own
    /// connection, so in WAL mode browsing does not wait for a sync's writes.
    pub async fn read<T, F>(&self, query: F) -> Result<T, CommandError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, CommandError> + Send + 'static,
    {
        let database = Arc::clone(&self.database);
        crate::error::blocking(move || query(&database.reader()?)).await
    }
}
