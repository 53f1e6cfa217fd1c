//! The SQLite database: one place that configures connections, applies the migrations and
//! starts the writer.
//!
//! Every write goes through the single [`Writer`] thread, so writes never contend with each
//! other. Readers open their own connections with [`Database::reader`]; in WAL mode they see
//! the last committed state and are never blocked by the writer.

mod writer;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::{Error, Result};

pub use writer::Writer;

mod embedded {
    refinery::embed_migrations!("../../migrations");
}

/// How long a connection waits for a lock held by another connection before it gives up with
/// `SQLITE_BUSY`. Long enough to ride out another process's set transaction (tens of ms).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open database: its path, and the writer thread that owns the only write connection.
pub struct Database {
    path: PathBuf,
    writer: Writer,
}

impl Database {
    /// Opens the database at `path`, creating it and its folder if missing, and applies any
    /// pending migrations before the writer starts.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        if let Some(folder) = path
            .parent()
            .filter(|folder| !folder.as_os_str().is_empty())
        {
            std::fs::create_dir_all(folder).map_err(|source| Error::CreateFolder {
                path: folder.to_path_buf(),
                source,
            })?;
        }

        // Two processes opening a new database at once would both apply the first migration;
        // a file lock makes the second wait and then find it applied.
        let _migration_lock = lock_for_migration(&path)?;
        let mut connection = open_connection(&path, OpenFlags::default())?;
        migrate(&mut connection, &path)?;
        let writer = Writer::spawn(connection);
        Ok(Self { path, writer })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The writer thread. Every write to the database goes through it.
    pub fn writer(&self) -> &Writer {
        &self.writer
    }

    /// Opens a new read-only connection for queries.
    pub fn reader(&self) -> Result<Connection> {
        open_reader(&self.path)
    }
}

/// Opens a read-only connection to an existing database, without migrating it.
pub fn open_reader(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    open_connection(path, flags)
}

/// Opens a database on storage that cannot be written (a read-only folder or medium) for
/// reading. SQLite cannot open a WAL database there the usual way, since readers need its
/// shared-memory file; `immutable=1` promises SQLite the file will not change under it.
///
/// NOTE: an immutable connection ignores the WAL, so it misses transactions that were never
/// checkpointed into the main file (after a crash, say). A clean close always checkpoints.
pub fn open_immutable(path: &Path) -> Result<Connection> {
    let text = path.to_string_lossy();
    let mut uri = String::from("file:");
    for c in text.chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            _ => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI;
    let connection = Connection::open_with_flags(&uri, flags).map_err(|source| Error::Open {
        path: path.to_path_buf(),
        source,
    })?;
    connection
        .query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
        .map_err(|source| Error::Open {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(connection)
}

/// Opens and configures a connection: WAL journal, foreign keys enforced, busy timeout.
fn open_connection(path: &Path, flags: OpenFlags) -> Result<Connection> {
    let open_error = |source| Error::Open {
        path: path.to_path_buf(),
        source,
    };
    let connection = Connection::open_with_flags(path, flags).map_err(open_error)?;
    configure(&connection).map_err(open_error)?;
    Ok(connection)
}

fn configure(connection: &Connection) -> rusqlite::Result<()> {
    connection.busy_timeout(BUSY_TIMEOUT)?;
    if !connection.is_readonly(rusqlite::MAIN_DB)? {
        // WAL is a property of the file, so only a writable connection can switch it on.
        connection.pragma_update(None, "journal_mode", "WAL")?;
        // In WAL mode NORMAL loses at most the last transactions on power loss, never
        // consistency, and saves an fsync per transaction.
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.pragma_update(None, "cache_size", -65536)?;
    }
    connection.pragma_update(None, "foreign_keys", "ON")?;
    // Make sure the file really is a database now, not at the first query.
    connection.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))?;
    Ok(())
}

/// Takes a blocking lock on `<database>.open-lock`, held until the returned file is dropped.
fn lock_for_migration(database: &Path) -> Result<std::fs::File> {
    let mut name = database.as_os_str().to_owned();
    name.push(".open-lock");
    let path = PathBuf::from(name);
    let lock_error = |source| Error::LockFile {
        path: path.clone(),
        source,
    };
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(lock_error)?;
    file.lock().map_err(lock_error)?;
    Ok(file)
}

/// Applies pending migrations. A database that has applied a migration this build does not
/// know was written by a newer Holo: it is rejected before anything is written. A database
/// with pending migrations is first copied to `<database>.before-v<N>.bak`, where N is the
/// schema version it had, so a failed or regretted upgrade loses nothing.
fn migrate(connection: &mut Connection, path: &Path) -> Result<()> {
    let known = embedded::migrations::runner()
        .get_migrations()
        .iter()
        .map(|migration| migration.version() as i64)
        .max()
        .unwrap_or(0);
    let applied = applied_schema_version(connection)?;
    if applied.is_none() && has_tables(connection)? {
        // Another program's SQLite database: adding Holo's tables to it would change a file
        // that is not ours.
        return Err(Error::NotHoloDatabase {
            path: path.to_path_buf(),
        });
    }
    if let Some(applied) = applied {
        if applied > known {
            return Err(Error::NewerSchema {
                path: path.to_path_buf(),
                version: applied,
                known,
            });
        }
        if applied < known {
            back_up(connection, path, applied)?;
        }
    }
    embedded::migrations::runner()
        // A database that has migrations this build does not know was written by a newer Holo.
        .set_abort_missing(true)
        .run(connection)
        .map_err(|source| Error::Migrate {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(())
}

/// Returns the highest migration version applied, or `None` for a database Holo never
/// migrated (a new, empty file).
/// Returns whether the database has any table, which a new or empty file has not.
fn has_tables(connection: &Connection) -> Result<bool> {
    Ok(connection.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table'",
        [],
        |row| row.get(0),
    )?)
}

fn applied_schema_version(connection: &Connection) -> Result<Option<i64>> {
    let has_history: bool = connection.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE name = 'refinery_schema_history'",
        [],
        |row| row.get(0),
    )?;
    if !has_history {
        return Ok(None);
    }
    Ok(connection.query_row(
        "SELECT max(version) FROM refinery_schema_history",
        [],
        |row| row.get(0),
    )?)
}

/// Copies the database to `<database>.before-v<version>.bak` with `VACUUM INTO`, which writes a
/// consistent, compact copy without blocking readers.
fn back_up(connection: &Connection, path: &Path, version: i64) -> Result<PathBuf> {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".before-v{version}.bak"));
    let backup = PathBuf::from(name);
    if backup.exists() {
        // A copy from an earlier attempt at the same upgrade is the one worth keeping.
        return Ok(backup);
    }
    let target = backup.to_str().ok_or_else(|| Error::Backup {
        path: backup.clone(),
        reason: "the path is not valid UTF-8".into(),
    })?;
    connection
        .execute("VACUUM INTO ?1", [target])
        .map_err(|error| Error::Backup {
            path: backup.clone(),
            reason: error.to_string(),
        })?;
    tracing::info!(backup = %backup.display(), version, "copied the database aside before migrating it");
    Ok(backup)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_creates_schema_and_wal() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("nested/holo.db");
        let database = Database::open(&path).unwrap();
        let reader = database.reader().unwrap();

        let journal: String = reader
            .query_row("PRAGMA journal_mode", [], |row| row.get(0))
            .unwrap();
        assert_eq!(journal, "wal");
        let foreign_keys: i64 = reader
            .query_row("PRAGMA foreign_keys", [], |row| row.get(0))
            .unwrap();
        assert_eq!(foreign_keys, 1);
        let tables: i64 = reader
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN \
                 ('sets', 'cards', 'card_variations', 'price_snapshots', 'collection_entries', \
                  'sync_runs', 'sync_set_results', 'sync_errors')",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(tables, 8);
    }

    #[test]
    fn open_twice_applies_migrations_once() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("holo.db");
        drop(Database::open(&path).unwrap());
        let database = Database::open(&path).unwrap();
        let applied: i64 = database
            .reader()
            .unwrap()
            .query_row("SELECT count(*) FROM refinery_schema_history", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(applied, 2);
    }

    #[test]
    fn open_rejects_file_that_is_not_a_database() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("notes.db");
        std::fs::write(
            &path,
            "these are not the droids you are looking for, not SQLite",
        )
        .unwrap();
        let error = Database::open(&path)
            .err()
            .expect("opening a text file must fail");
        assert!(
            matches!(error, Error::Open { .. }),
            "unexpected error: {error}"
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("these are not"), "the file was changed");
    }

    #[test]
    fn immutable_reader_reads_odd_paths() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("odd ?#% name.db");
        let writer = Connection::open(&path).unwrap();
        writer
            .execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE sets (id TEXT); INSERT INTO sets VALUES ('base1');")
            .unwrap();
        // Closing the last connection checkpoints the WAL into the file.
        drop(writer);
        let connection = open_immutable(&path).unwrap();
        let sets: i64 = connection
            .query_row("SELECT count(*) FROM sets", [], |row| row.get(0))
            .unwrap();
        assert_eq!(sets, 1);
    }

    #[test]
    fn back_up_copies_the_database() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("holo.db");
        drop(Database::open(&path).unwrap());
        let connection = Connection::open(&path).unwrap();
        connection
            .execute(
                "INSERT INTO sync_state (key, value) VALUES ('marker', 'kept')",
                [],
            )
            .unwrap();

        let backup = back_up(&connection, &path, 1).unwrap();

        assert_eq!(backup, folder.path().join("holo.db.before-v1.bak"));
        let copy = Connection::open(&backup).unwrap();
        let marker: String = copy
            .query_row(
                "SELECT value FROM sync_state WHERE key = 'marker'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(marker, "kept");
    }

    /// A database at schema version 1 with one collection entry, as the first release left it.
    fn version_1_database_with_an_entry(path: &Path) {
        let mut connection = Connection::open(path).unwrap();
        embedded::migrations::runner()
            .set_target(refinery::Target::Version(1))
            .run(&mut connection)
            .unwrap();
        connection
            .execute_batch(
                "INSERT INTO sets (id, name, series, release_date, data, created_at, changed_at)
                 VALUES ('swsh10', 'Astral Radiance', 'Sword & Shield', '2022-05-27', '{}', 'x', 'x');
                 INSERT INTO cards (id, set_id, name, number, number_sort, supertype, data,
                                    created_at, changed_at)
                 VALUES ('swsh10-1', 'swsh10', 'Bulbasaur', '1', '1', 'Pokémon', '{}', 'x', 'x');
                 INSERT INTO card_variations (id, card_id, variation_type, treatment, position,
                                              created_at, changed_at)
                 VALUES (7, 'swsh10-1', 'Standard', 'Normal', 0, 'x', 'x');
                 INSERT INTO collection_entries (variation_id, quantity, added_at, note)
                 VALUES (7, 3, '2026-01-01T00:00:00.000Z', 'kept');",
            )
            .unwrap();
    }

    #[test]
    fn open_upgrades_version_1_and_keeps_entries() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("holo.db");
        version_1_database_with_an_entry(&path);

        let database = Database::open(&path).unwrap();

        let reader = database.reader().unwrap();
        let (quantity, note): (i64, String) = reader
            .query_row(
                "SELECT quantity, note FROM collection_entries WHERE variation_id = 7",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap();
        assert_eq!(quantity, 3);
        assert_eq!(note, "kept");
        let wishlist: i64 = reader
            .query_row("SELECT count(*) FROM wishlist", [], |row| row.get(0))
            .unwrap();
        assert_eq!(wishlist, 0);
        let backup = folder.path().join("holo.db.before-v1.bak");
        let copy = Connection::open(&backup).unwrap();
        let version: i64 = copy
            .query_row(
                "SELECT max(version) FROM refinery_schema_history",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(version, 1, "the backup holds the schema before the upgrade");
    }

    #[test]
    fn identity_index_rejects_a_second_row_of_one_copy_kind() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("holo.db");
        version_1_database_with_an_entry(&path);
        drop(Database::open(&path).unwrap());
        let connection = Connection::open(&path).unwrap();
        let insert = |grade: Option<&str>| {
            connection.execute(
                "INSERT INTO collection_entries (variation_id, quantity, grade_company, grade,
                                                 added_at)
                 VALUES (7, 1, ?1, ?2, 'x')",
                rusqlite::params![grade.map(|_| "PSA"), grade],
            )
        };

        assert!(insert(None).is_err(), "a second ungraded Near Mint row");
        assert!(insert(Some("10")).is_ok());
        assert!(insert(Some("10")).is_err(), "a second PSA 10 row");
        assert!(insert(Some("9")).is_ok());
    }

    #[test]
    fn open_rejects_another_programs_database() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("notes.sqlite");
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);")
            .unwrap();
        let size_before = std::fs::metadata(&path).unwrap().len();

        let error = Database::open(&path)
            .err()
            .expect("a database of another program must be rejected");

        assert!(matches!(error, Error::NotHoloDatabase { .. }), "{error}");
        assert!(error.to_string().contains("not a Holo database"), "{error}");
        let tables: i64 = Connection::open(&path)
            .unwrap()
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(tables, 1, "Holo's tables were added");
        assert_eq!(std::fs::metadata(&path).unwrap().len(), size_before);
    }

    #[test]
    fn open_rejects_database_from_newer_holo() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("holo.db");
        drop(Database::open(&path).unwrap());
        let connection = Connection::open(&path).unwrap();
        connection
            .execute(
                "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) \
                 VALUES (999, 'from_the_future', '2030-01-01T00:00:00Z', '0')",
                [],
            )
            .unwrap();
        drop(connection);

        let size_before = std::fs::metadata(&path).unwrap().len();
        let error = Database::open(&path)
            .err()
            .expect("a newer schema must be rejected");
        assert!(
            matches!(
                error,
                Error::NewerSchema {
                    version: 999,
                    known: 2,
                    ..
                }
            ),
            "unexpected error: {error}"
        );
        assert!(
            error.to_string().contains("newer version of Holo"),
            "{error}"
        );
        assert_eq!(std::fs::metadata(&path).unwrap().len(), size_before);
    }
}
