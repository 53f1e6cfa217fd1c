//! Syncs of small generated data folders: bad cards, changed cards, dead servers, cancels.

use std::path::Path;
use std::time::Duration;

use holo_core::api::{ApiClient, ApiConfig, RetryPolicy};
use holo_core::db::Database;
use holo_core::sync::{ErrorKind, RunStatus, SyncMode, SyncOptions, SyncSummary, run_sync};
use holo_emulator::{EmulatorConfig, RunningEmulator};
use serde_json::{Value, json};
use tokio::sync::mpsc;

fn set(id: &str, name: &str) -> Value {
    json!({
        "id": id, "name": name, "series": "Test", "printedTotal": 3, "total": 3,
        "legalities": {"unlimited": "Legal"}, "releaseDate": "2020/01/01",
        "updatedAt": "2020/01/01 00:00:00",
        "images": {"symbol": "https://images.example/s.png", "logo": "https://images.example/l.png"}
    })
}

fn card(set_id: &str, number: &str, name: &str) -> Value {
    json!({
        "id": format!("{set_id}-{number}"), "name": name, "supertype": "Pokémon",
        "subtypes": ["Basic"], "hp": "60", "number": number, "rarity": "Common",
        "legalities": {"unlimited": "Legal"},
        "images": {"small": "https://images.example/a.png", "large": "https://images.example/b.png"}
    })
}

/// Writes a data folder shaped like pokemon-tcg-data: `sets/en.json` and `cards/en/<set>.json`.
fn write_data(folder: &Path, sets: &[(Value, Vec<Value>)]) {
    std::fs::create_dir_all(folder.join("sets")).unwrap();
    std::fs::create_dir_all(folder.join("cards/en")).unwrap();
    let set_list: Vec<&Value> = sets.iter().map(|(set, _)| set).collect();
    std::fs::write(
        folder.join("sets/en.json"),
        serde_json::to_vec(&set_list).unwrap(),
    )
    .unwrap();
    for (set, cards) in sets {
        let file = folder.join(format!("cards/en/{}.json", set["id"].as_str().unwrap()));
        std::fs::write(file, serde_json::to_vec(cards).unwrap()).unwrap();
    }
}

fn two_sets_with_a_bad_card() -> Vec<(Value, Vec<Value>)> {
    let mut bad = card("t1", "2", "Broken");
    bad["hp"] = json!(120);
    vec![
        (
            set("t1", "Test One"),
            vec![card("t1", "1", "Pikachu"), bad, card("t1", "3", "Raichu")],
        ),
        (
            set("t2", "Test Two"),
            vec![card("t2", "1", "Eevee"), card("t2", "2", "Vaporeon")],
        ),
    ]
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 2,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_millis(50),
        rate_limit_delay: Duration::from_millis(50),
    }
}

fn eevee_set() -> Vec<(Value, Vec<Value>)> {
    vec![(
        set("t2", "Test Two"),
        vec![card("t2", "1", "Eevee"), card("t2", "2", "Vaporeon")],
    )]
}

/// Stops `emulator` and serves `data` on the same port, because the emulator writes its own
/// address into every image URL and a new port would change every card.
async fn restart_on_same_port(emulator: RunningEmulator, data: &Path) -> RunningEmulator {
    let port = emulator.address().port();
    emulator.shutdown().await.unwrap();
    let mut config = EmulatorConfig::new(data.to_path_buf());
    config.port = port;
    holo_emulator::start(config).await.unwrap()
}

async fn start(data: &Path) -> RunningEmulator {
    holo_emulator::start(EmulatorConfig::new(data.to_path_buf()))
        .await
        .unwrap()
}

async fn sync_with(database: &Database, base_url: &str, options: SyncOptions) -> SyncSummary {
    let mut config = ApiConfig::new(base_url, None);
    config.retry = fast_retries();
    let client = ApiClient::new(config).unwrap();
    let (events, _receiver) = mpsc::unbounded_channel();
    run_sync(database, &client, options, events).await.unwrap()
}

#[tokio::test]
async fn bad_card_is_reported_and_the_rest_stored() {
    let folder = tempfile::tempdir().unwrap();
    write_data(&folder.path().join("data"), &two_sets_with_a_bad_card());
    let emulator = start(&folder.path().join("data")).await;
    let database = Database::open(folder.path().join("holo.db")).unwrap();

    let summary = sync_with(&database, emulator.base_url(), SyncOptions::default()).await;

    assert_eq!(summary.status, RunStatus::Partial);
    assert_eq!(summary.sets_partial, 1);
    assert_eq!(summary.sets_succeeded, 1);
    assert_eq!(summary.counts.cards_seen, 5);
    assert_eq!(summary.counts.cards_inserted, 4);
    assert_eq!(summary.counts.cards_failed, 1);
    assert_eq!(summary.errors.len(), 1);
    let error = &summary.errors[0];
    assert_eq!(error.kind, ErrorKind::Card);
    assert_eq!(error.card_id.as_deref(), Some("t1-2"));
    assert_eq!(error.set_id.as_deref(), Some("t1"));
    assert!(error.message.contains("invalid type"), "{}", error.message);

    let reader = database.reader().unwrap();
    let stored: Vec<String> = reader
        .prepare("SELECT id FROM cards ORDER BY id")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(stored, ["t1-1", "t1-3", "t2-1", "t2-2"]);
    let recorded: i64 = reader
        .query_row(
            "SELECT count(*) FROM sync_errors WHERE run_id = ?1 AND card_id = 't1-2'",
            [&summary.run_id],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(recorded, 1);
}

#[tokio::test]
async fn changed_card_is_updated_and_searchable() {
    let folder = tempfile::tempdir().unwrap();
    let data = folder.path().join("data");
    let mut sets = eevee_set();
    write_data(&data, &sets);
    let database = Database::open(folder.path().join("holo.db")).unwrap();
    let first_emulator = start(&data).await;
    let first = sync_with(&database, first_emulator.base_url(), SyncOptions::default()).await;
    assert_eq!(first.counts.cards_inserted, 2);

    // A changed card moves its set's updatedAt, so an incremental run fetches the set again.
    sets[0].1[1]["name"] = json!("Jolteon");
    sets[0].0["updatedAt"] = json!("2020/02/01 00:00:00");
    write_data(&data, &sets);
    let second_emulator = restart_on_same_port(first_emulator, &data).await;
    let second = sync_with(
        &database,
        second_emulator.base_url(),
        SyncOptions::default(),
    )
    .await;

    assert_eq!(second.status, RunStatus::Succeeded);
    assert_eq!(second.sets_updated, 1);
    assert_eq!(second.counts.cards_fetched, 2);
    assert_eq!(second.counts.cards_updated, 1);
    assert_eq!(second.counts.cards_unchanged, 1);
    assert_eq!(second.counts.cards_inserted, 0);
    let reader = database.reader().unwrap();
    let found: String = reader
        .query_row(
            "SELECT cards.id FROM cards_search JOIN cards ON cards.rowid = cards_search.rowid \
             WHERE cards_search MATCH 'jolt*'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(found, "t2-2");
    let stale: i64 = reader
        .query_row(
            "SELECT count(*) FROM cards_search WHERE cards_search MATCH 'vaporeon'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(stale, 0);
}

#[tokio::test]
async fn unreachable_api_fails_the_run() {
    let folder = tempfile::tempdir().unwrap();
    let database = Database::open(folder.path().join("holo.db")).unwrap();
    // Bind a port, then free it, so nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();

    let summary = sync_with(
        &database,
        &format!("http://127.0.0.1:{port}/v2"),
        SyncOptions::default(),
    )
    .await;

    assert_eq!(summary.status, RunStatus::Failed);
    assert_eq!(summary.sets_total, 0);
    assert_eq!(summary.errors.len(), 1);
    assert_eq!(summary.errors[0].kind, ErrorKind::ListSets);
    assert_eq!(summary.requests, 2, "one request and one retry");
    assert_eq!(summary.retries, 1);
}

#[tokio::test]
async fn cancelled_run_writes_no_set() {
    let folder = tempfile::tempdir().unwrap();
    write_data(&folder.path().join("data"), &two_sets_with_a_bad_card());
    let emulator = start(&folder.path().join("data")).await;
    let database = Database::open(folder.path().join("holo.db")).unwrap();
    let options = SyncOptions::default();
    options.cancel.cancel();

    let summary = sync_with(&database, emulator.base_url(), options).await;

    assert_eq!(summary.status, RunStatus::Cancelled);
    assert_eq!(summary.sets_total, 2);
    assert_eq!(summary.sets_cancelled, 2);
    let cards: i64 = database
        .reader()
        .unwrap()
        .query_row("SELECT count(*) FROM cards", [], |row| row.get(0))
        .unwrap();
    assert_eq!(cards, 0);
}

#[tokio::test]
async fn interrupted_run_is_closed_by_the_next() {
    let folder = tempfile::tempdir().unwrap();
    write_data(&folder.path().join("data"), &two_sets_with_a_bad_card());
    let emulator = start(&folder.path().join("data")).await;
    let database = Database::open(folder.path().join("holo.db")).unwrap();
    database
        .writer()
        .run(|connection| {
            connection.execute(
                "INSERT INTO sync_runs (id, status, api_url, pid, started_at) \
                 VALUES ('killed-run', 'running', 'http://x', 1, '2026-01-01T00:00:00.000Z')",
                [],
            )?;
            Ok(())
        })
        .await
        .unwrap();

    sync_with(&database, emulator.base_url(), SyncOptions::default()).await;

    let reader = database.reader().unwrap();
    let status: String = reader
        .query_row(
            "SELECT status FROM sync_runs WHERE id = 'killed-run'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(status, "failed");
    let kind: String = reader
        .query_row(
            "SELECT kind FROM sync_errors WHERE run_id = 'killed-run'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(kind, "interrupted");
}

#[tokio::test]
async fn unchanged_set_is_skipped_until_full() {
    let folder = tempfile::tempdir().unwrap();
    let data = folder.path().join("data");
    let mut sets = eevee_set();
    write_data(&data, &sets);
    let database = Database::open(folder.path().join("holo.db")).unwrap();
    let first_emulator = start(&data).await;
    sync_with(&database, first_emulator.base_url(), SyncOptions::default()).await;

    // A card changes but the set's updatedAt does not, as the API may do.
    sets[0].1[0]["hp"] = json!("70");
    write_data(&data, &sets);
    let emulator = restart_on_same_port(first_emulator, &data).await;

    let incremental = sync_with(&database, emulator.base_url(), SyncOptions::default()).await;
    assert_eq!(incremental.status, RunStatus::Succeeded);
    assert_eq!(incremental.sets_up_to_date, 1);
    assert_eq!(incremental.counts.cards_fetched, 0);
    assert_eq!(incremental.counts.cards_unchanged, 2);
    assert_eq!(incremental.requests, 1, "only the set list");

    let full = SyncOptions {
        mode: SyncMode::Full,
        ..SyncOptions::default()
    };
    let full = sync_with(&database, emulator.base_url(), full).await;
    assert_eq!(full.status, RunStatus::Succeeded);
    assert_eq!(full.sets_up_to_date, 0);
    assert_eq!(full.counts.cards_fetched, 2);
    assert_eq!(full.counts.cards_updated, 1);
    assert_eq!(full.counts.cards_unchanged, 1);
}
