//! Full syncs of the real card data through an emulator that misbehaves like the real API on a
//! bad day. Transient faults must cost retries, never cards.

use std::time::Duration;

use holo_core::api::{ApiClient, ApiConfig, RetryPolicy};
use holo_core::db::Database;
use holo_core::sync::{ErrorKind, RunStatus, SyncOptions, SyncSummary, run_sync};
use holo_emulator::{EmulatorConfig, FaultConfig};
use rusqlite::Connection;
use tokio::sync::mpsc;

const CARDS: u64 = 20_078;

/// Short delays, so a test spends its time on faults rather than on sleeping, and enough
/// attempts that a 10% error rate cannot exhaust them by chance (0.2^10).
fn patient_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 10,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(40),
        max_retry_after: Duration::from_millis(100),
        rate_limit_delay: Duration::from_millis(100),
    }
}

/// Syncs through an emulator with `faults` on `port` (0 for any), stopped afterwards. Returns
/// the summary and the port, because the emulator writes its address into image URLs and two
/// databases compare equal only when synced from the same one.
async fn sync_through(faults: FaultConfig, port: u16, database: &Database) -> (SyncSummary, u16) {
    let mut config = EmulatorConfig::new(holo_emulator::default_data_dir());
    config.faults = faults;
    config.port = port;
    let emulator = holo_emulator::start(config).await.unwrap();
    let mut api = ApiConfig::new(emulator.base_url(), None);
    api.retry = patient_retries();
    let client = ApiClient::new(api).unwrap();
    let (events, _receiver) = mpsc::unbounded_channel();
    // One request at a time, so that the seed replays the same faults on every run.
    let options = SyncOptions {
        concurrency: 1,
        ..SyncOptions::default()
    };
    let summary = run_sync(database, &client, options, events).await.unwrap();
    let port = emulator.address().port();
    emulator.shutdown().await.unwrap();
    (summary, port)
}

/// Every card's id and stored JSON, in id order.
fn card_rows(connection: &Connection) -> Vec<String> {
    connection
        .prepare("SELECT id || '|' || data FROM cards ORDER BY id")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn variation_rows(connection: &Connection) -> Vec<String> {
    connection
        .prepare(
            "SELECT card_id || '|' || variation_type || '|' || treatment FROM card_variations \
             ORDER BY card_id, variation_type, treatment",
        )
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_faults_cost_retries_not_cards() {
    let folder = tempfile::tempdir().unwrap();
    let faulty = Database::open(folder.path().join("faulty.db")).unwrap();
    let clean = Database::open(folder.path().join("clean.db")).unwrap();
    let faults = FaultConfig {
        seed: 7,
        error_rate: 0.1,
        drop_rate: 0.05,
        truncate_rate: 0.05,
        unstable_order: true,
        ..FaultConfig::default()
    };

    let (summary, port) = sync_through(faults, 0, &faulty).await;
    let (reference, _) = sync_through(FaultConfig::default(), port, &clean).await;

    assert_eq!(
        summary.status,
        RunStatus::Succeeded,
        "errors: {:?}",
        summary.errors
    );
    assert!(summary.retries > 0, "the faults caused no retry");
    assert!(summary.requests > reference.requests);
    assert_eq!(summary.counts.cards_seen, CARDS);
    assert_eq!(summary.counts.cards_inserted, CARDS);
    assert_eq!(summary.counts.cards_failed, 0);
    assert_eq!(
        summary.counts.variations_inserted,
        reference.counts.variations_inserted
    );
    let faulty_reader = faulty.reader().unwrap();
    let clean_reader = clean.reader().unwrap();
    assert!(
        card_rows(&faulty_reader) == card_rows(&clean_reader),
        "cards differ from a clean sync"
    );
    assert!(
        variation_rows(&faulty_reader) == variation_rows(&clean_reader),
        "variations differ from a clean sync"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_cards_are_reported_by_id() {
    let folder = tempfile::tempdir().unwrap();
    let database = Database::open(folder.path().join("holo.db")).unwrap();
    let faults = FaultConfig {
        seed: 3,
        bad_card_rate: 0.01,
        ..FaultConfig::default()
    };

    let (summary, _) = sync_through(faults, 0, &database).await;

    assert_eq!(summary.status, RunStatus::Partial);
    assert!(summary.counts.cards_failed > 0);
    assert_eq!(
        summary.counts.cards_inserted + summary.counts.cards_failed,
        CARDS
    );
    assert_eq!(summary.counts.cards_seen, CARDS);
    assert_eq!(summary.errors.len() as u64, summary.counts.cards_failed);
    for error in &summary.errors {
        assert_eq!(error.kind, ErrorKind::Card);
        assert!(
            error.card_id.is_some(),
            "a bad card without its id: {error:?}"
        );
        assert!(error.set_id.is_some());
    }
    let stored: i64 = database
        .reader()
        .unwrap()
        .query_row("SELECT count(*) FROM cards", [], |row| row.get(0))
        .unwrap();
    assert_eq!(stored as u64, summary.counts.cards_inserted);
}
