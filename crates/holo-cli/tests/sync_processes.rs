//! `holo sync` as separate processes: exit codes, the one-sync-at-a-time lock, and a killed
//! sync that must not block the next.

mod common;

use std::time::{Duration, Instant};

use common::{assert_verifies, catalogue_dump, holo, last_json_line, start_emulator, sync_command};
use rusqlite::Connection;

#[test]
fn sync_json_summary_and_exit_code() {
    let (_runtime, emulator) = start_emulator(Duration::ZERO);
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("holo.db");

    let output = sync_command(&database, emulator.base_url())
        .output()
        .unwrap();

    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary = last_json_line(&output);
    for field in [
        "run_id",
        "status",
        "sets_total",
        "cards_seen",
        "cards_inserted",
        "cards_updated",
        "cards_unchanged",
        "cards_failed",
        "variations_inserted",
        "variations_updated",
        "variations_unchanged",
        "requests",
        "duration_ms",
    ] {
        assert!(
            summary.get(field).is_some(),
            "summary lacks {field}: {summary}"
        );
    }
    assert_eq!(summary["status"], "succeeded");
    assert_eq!(summary["sets_total"], 171);
    assert_eq!(summary["cards_inserted"], 20_078);
    let run_id = summary["run_id"].as_str().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(run_id),
        "log lines carry the run id: {stderr}"
    );
}

#[test]
fn two_syncs_at_once_run_one() {
    // Latency keeps the first sync running while the second starts.
    let (_runtime, emulator) = start_emulator(Duration::from_millis(20));
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("holo.db");
    // Neither process finds a database, so they also race to create and migrate it.
    let first = sync_command(&database, emulator.base_url())
        .spawn()
        .unwrap();
    let second = sync_command(&database, emulator.base_url())
        .spawn()
        .unwrap();
    let outputs = [
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    ];

    let mut codes: Vec<i32> = outputs
        .iter()
        .map(|output| output.status.code().unwrap())
        .collect();
    codes.sort();
    assert_eq!(codes, [0, 3], "one sync runs, the other exits 3");
    let (winner, loser) = if outputs[0].status.code() == Some(0) {
        (&outputs[0], &outputs[1])
    } else {
        (&outputs[1], &outputs[0])
    };
    let winner_run = last_json_line(winner)["run_id"]
        .as_str()
        .unwrap()
        .to_string();
    let loser_stderr = String::from_utf8_lossy(&loser.stderr);
    assert!(
        loser_stderr.contains(&winner_run),
        "the refused sync names the running one: {loser_stderr}"
    );
    assert!(
        loser.stdout.is_empty(),
        "the refused sync prints no summary"
    );

    let reference = folder.path().join("reference.db");
    let single = sync_command(&reference, emulator.base_url())
        .output()
        .unwrap();
    assert_eq!(single.status.code(), Some(0));
    let contested = catalogue_dump(&database);
    assert_eq!(contested.len(), catalogue_dump(&reference).len());
    assert!(
        contested == catalogue_dump(&reference),
        "the catalogue differs from a single sync's"
    );
}

#[test]
fn killed_sync_does_not_block_the_next() {
    let (_runtime, emulator) = start_emulator(Duration::from_millis(100));
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("holo.db");

    let mut doomed = sync_command(&database, emulator.base_url())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let killed_run = loop {
        assert!(Instant::now() < deadline, "the sync never recorded its run");
        if let Ok(connection) = Connection::open(&database) {
            let running: Option<String> = connection
                .query_row(
                    "SELECT id FROM sync_runs WHERE status = 'running'",
                    [],
                    |row| row.get(0),
                )
                .ok();
            if let Some(run_id) = running {
                break run_id;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    doomed.kill().unwrap();
    doomed.wait().unwrap();

    let next = sync_command(&database, emulator.base_url())
        .output()
        .unwrap();

    assert_eq!(
        next.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&next.stderr)
    );
    let connection = Connection::open(&database).unwrap();
    let status: String = connection
        .query_row(
            "SELECT status FROM sync_runs WHERE id = ?1",
            [&killed_run],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(status, "failed");
    let integrity: String = connection
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
}

#[test]
fn status_reports_counts_and_runs() {
    let (_runtime, emulator) = start_emulator(Duration::ZERO);
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("holo.db");
    let synced = sync_command(&database, emulator.base_url())
        .output()
        .unwrap();
    assert_eq!(synced.status.code(), Some(0));

    let missing = holo(&database)
        .args(["status", "--db"])
        .arg(folder.path().join("none.db"))
        .output()
        .unwrap();
    assert_eq!(
        missing.status.code(),
        Some(1),
        "status on a missing database fails cleanly"
    );
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no database at"));

    let output = holo(&database)
        .args(["status", "--json", "--db"])
        .arg(&database)
        .output()
        .unwrap();

    assert_eq!(output.status.code(), Some(0));
    let status = last_json_line(&output);
    assert_eq!(status["counts"]["sets"], 171);
    assert_eq!(status["counts"]["cards"], 20_078);
    assert_eq!(status["runs"][0]["status"], "succeeded");
    assert_eq!(status["runs"][0]["summary"]["cards_inserted"], 20_078);

    assert_verifies(&database, "verify after a clean sync");

    // Take a card's variations away behind Holo's back: verify must name the card.
    let connection = Connection::open(&database).unwrap();
    connection
        .execute("DELETE FROM card_variations WHERE card_id = 'xy7-96'", [])
        .unwrap();
    drop(connection);
    let broken = holo(&database)
        .args(["verify", "--json", "--db"])
        .arg(&database)
        .output()
        .unwrap();
    assert_eq!(broken.status.code(), Some(7));
    let findings = last_json_line(&broken);
    assert_eq!(findings[0]["check"], "cards without a variation");
    assert_eq!(findings[0]["detail"], "xy7-96");
}

#[test]
fn unreachable_api_exits_5() {
    let folder = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = sync_command(
        &folder.path().join("holo.db"),
        &format!("http://127.0.0.1:{port}/v2"),
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(5));
    let summary = last_json_line(&output);
    assert_eq!(summary["status"], "failed");
    assert_eq!(summary["errors"][0]["kind"], "list_sets");
}
