//! Helpers shared by the process tests: an in-process emulator, `holo` commands that never
//! touch the user's folders, and a canonical dump of the catalogue for comparisons.

#![allow(dead_code)] // Each test binary uses its own subset.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use holo_emulator::{EmulatorConfig, RunningEmulator};
use rusqlite::Connection;
use serde_json::Value;

/// The `holo` binary under test: `HOLO_TEST_BIN` when set (the Makefile points it at a release
/// build), else the debug build Cargo made for this test.
pub fn holo_binary() -> PathBuf {
    std::env::var_os("HOLO_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_holo")))
}

/// Starts an emulator on the shared data, on a runtime that serves it while the test thread
/// waits for child processes.
pub fn start_emulator(latency: Duration) -> (tokio::runtime::Runtime, RunningEmulator) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut config = EmulatorConfig::new(holo_emulator::default_data_dir());
    config.latency = latency;
    let emulator = runtime.block_on(holo_emulator::start(config)).unwrap();
    (runtime, emulator)
}

/// A `holo` command that logs into the database's folder, never into the user's log folder.
pub fn holo(database: &Path) -> Command {
    let mut command = Command::new(holo_binary());
    command
        .env("HOLO_LOG_DIR", database.parent().unwrap().join("logs"))
        .env_remove("HOLO_LOG");
    command
}

pub fn sync_command(database: &Path, api_url: &str) -> Command {
    let mut command = holo(database);
    command
        .args(["sync", "--json", "--db"])
        .arg(database)
        .args(["--api-url", api_url])
        .env_remove("HOLO_API_KEY")
        .env_remove("HOLO_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Runs `holo verify` on `database` and asserts that it finds nothing; `context` names the moment in failure messages.
pub fn assert_verifies(database: &Path, context: &str) {
    let verified = holo(database)
        .args(["verify", "--db"])
        .arg(database)
        .output()
        .unwrap();
    assert_eq!(
        verified.status.code(),
        Some(0),
        "{context}: {}",
        String::from_utf8_lossy(&verified.stdout)
    );
}

pub fn last_json_line(output: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().last().unwrap_or_else(|| {
        panic!(
            "no stdout; stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    serde_json::from_str(line)
        .unwrap_or_else(|error| panic!("last stdout line is not JSON ({error}): {line}"))
}

/// The catalogue's content, without the timestamps that differ between any two syncs.
pub fn catalogue_dump(database: &Path) -> Vec<String> {
    let connection = Connection::open(database).unwrap();
    let queries = [
        "SELECT id || '|' || data FROM sets ORDER BY id",
        "SELECT id || '|' || set_id || '|' || number_sort || '|' || data FROM cards ORDER BY id",
        "SELECT card_id || '|' || variation_type || '|' || treatment || '|' || ifnull(printing, '') \
         || '|' || position FROM card_variations ORDER BY card_id, variation_type, treatment",
        "SELECT card_id || '|' || source || '|' || price_date || '|' || prices FROM price_snapshots \
         ORDER BY card_id, source, price_date",
    ];
    let mut rows = Vec::new();
    for sql in queries {
        let mut statement = connection.prepare(sql).unwrap();
        let found = statement
            .query_map([], |row| row.get::<_, String>(0))
            .unwrap();
        rows.extend(found.map(Result::unwrap));
    }
    rows
}
