//! One sync at a time per database, across processes.
//!
//! The lock is an OS file lock on `<database>.sync-lock`, so the kernel releases it when its
//! process ends, even by SIGKILL: a killed sync never blocks the next one. The file's content
//! names the holder, so a sync that cannot start can say which run is in the way.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::Error;

/// The run that holds the lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LockHolder {
    pub run_id: String,
    pub pid: u32,
    pub started_at: String,
}

impl std::fmt::Display for LockHolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "run {} (process {}, started {})",
            self.run_id, self.pid, self.started_at
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another sync holds the lock. The holder is `None` when its file could not be read,
    /// for example in the instant between its lock and its write.
    #[error("another sync is running on this database: {}", describe(.0))]
    Held(Option<LockHolder>),

    #[error(transparent)]
    Io(#[from] Error),
}

fn describe(holder: &Option<LockHolder>) -> String {
    holder
        .as_ref()
        .map_or_else(|| "an unknown run".to_string(), LockHolder::to_string)
}

/// A held sync lock; dropping it releases the lock.
#[derive(Debug)]
pub struct SyncLock {
    _file: File,
}

impl SyncLock {
    /// Returns the lock file's path for a database.
    pub fn path_for(database: &Path) -> PathBuf {
        let mut name = database.as_os_str().to_owned();
        name.push(".sync-lock");
        PathBuf::from(name)
    }

    /// Takes the lock for `holder` without waiting, or returns the holder that has it.
    pub fn try_acquire(database: &Path, holder: &LockHolder) -> Result<Self, LockError> {
        let path = Self::path_for(database);
        let io_error = |source| Error::LockFile {
            path: path.clone(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_error)?;

        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(LockError::Held(read_holder(&mut file))),
            Err(TryLockError::Error(source)) => return Err(io_error(source).into()),
        }

        let text = serde_json::to_string(holder).expect("a LockHolder always serialises");
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(text.as_bytes()))
            .and_then(|()| file.flush())
            .map_err(io_error)?;
        Ok(Self { _file: file })
    }
}

fn read_holder(file: &mut File) -> Option<LockHolder> {
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    serde_json::from_str(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holder(run_id: &str) -> LockHolder {
        LockHolder {
            run_id: run_id.into(),
            pid: std::process::id(),
            started_at: "2026-12-04T00:00:00.000Z".into(),
        }
    }

    #[test]
    fn second_acquire_names_the_holder() {
        let folder = tempfile::tempdir().unwrap();
        let database = folder.path().join("holo.db");
        let _first = SyncLock::try_acquire(&database, &holder("first")).unwrap();
        match SyncLock::try_acquire(&database, &holder("second")) {
            Err(LockError::Held(Some(found))) => assert_eq!(found.run_id, "first"),
            other => panic!("expected the lock to be held by run first, got {other:?}"),
        }
    }

    #[test]
    fn lock_is_free_after_drop() {
        let folder = tempfile::tempdir().unwrap();
        let database = folder.path().join("holo.db");
        drop(SyncLock::try_acquire(&database, &holder("first")).unwrap());
        let second = SyncLock::try_acquire(&database, &holder("second"));
        assert!(second.is_ok(), "{second:?}");
    }

    #[test]
    fn missing_folder_is_an_io_error() {
        let folder = tempfile::tempdir().unwrap();
        let database = folder.path().join("no/such/folder/holo.db");
        let result = SyncLock::try_acquire(&database, &holder("first"));
        assert!(
            matches!(result, Err(LockError::Io(Error::LockFile { .. }))),
            "{result:?}"
        );
    }
}
