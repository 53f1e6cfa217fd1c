//! Full syncs of the real card data (171 sets, 20,078 cards) through the API emulator.

use std::collections::HashMap;

use holo_core::api::{ApiClient, ApiConfig};
use holo_core::db::Database;
use holo_core::queries;
use holo_core::sync::{RunStatus, SyncEvent, SyncMode, SyncOptions, SyncSummary, run_sync};
use holo_emulator::{EmulatorConfig, RunningEmulator};
use rusqlite::Connection;
use tokio::sync::mpsc;

const SETS: u64 = 171;
const CARDS: u64 = 20_078;

/// The keys the job Holo replaces failed on with unique-constraint errors.
const OLD_JOB_KEYS: [(&str, &str, &str); 8] = [
    ("pgo-79", "VSTAR", "Rainbow Rare"),
    ("pgo-80", "VMAX", "Rainbow Rare"),
    ("pgo-86", "VSTAR", "Secret Rare"),
    ("swsh10-190", "VSTAR", "Rainbow Rare"),
    ("swsh35-79", "V", "Secret Rare"),
    ("xy9-123", "EX", "Secret Rare"),
    ("xy7-96", "EX", "Secret Rare"),
    ("swsh4-186", "VMAX", "Rainbow Rare"),
];

async fn start_emulator() -> RunningEmulator {
    let config = EmulatorConfig::new(holo_emulator::default_data_dir());
    holo_emulator::start(config)
        .await
        .expect("the emulator starts on the shared data")
}

async fn sync(database: &Database, emulator: &RunningEmulator) -> (SyncSummary, Vec<SyncEvent>) {
    sync_with(database, emulator, SyncOptions::default()).await
}

async fn sync_with(
    database: &Database,
    emulator: &RunningEmulator,
    options: SyncOptions,
) -> (SyncSummary, Vec<SyncEvent>) {
    let client = ApiClient::new(ApiConfig::new(emulator.base_url(), None)).unwrap();
    let (sender, mut receiver) = mpsc::unbounded_channel();
    let summary = run_sync(database, &client, options, sender).await.unwrap();
    let mut events = Vec::new();
    while let Ok(event) = receiver.try_recv() {
        events.push(event);
    }
    (summary, events)
}

fn count(connection: &Connection, sql: &str) -> u64 {
    connection
        .query_row(sql, [], |row| row.get::<_, i64>(0))
        .unwrap() as u64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_sync_then_unchanged_resyncs() {
    let emulator = start_emulator().await;
    let folder = tempfile::tempdir().unwrap();
    let database = Database::open(folder.path().join("holo.db")).unwrap();

    let (first, events) = sync(&database, &emulator).await;
    let reader = database.reader().unwrap();

    // The run and its counts.
    assert_eq!(
        first.status,
        RunStatus::Succeeded,
        "errors: {:?}",
        first.errors
    );
    assert_eq!(first.sets_total, SETS);
    assert_eq!(first.sets_succeeded, SETS);
    assert_eq!(first.sets_inserted, SETS);
    assert_eq!(first.counts.cards_seen, CARDS);
    assert_eq!(first.counts.cards_inserted, CARDS);
    assert_eq!(first.counts.cards_failed, 0);
    assert!(first.errors.is_empty());

    // The summary adds up to what is in the database.
    let counts = queries::catalogue_counts(&reader).unwrap();
    assert_eq!(counts.sets, SETS);
    assert_eq!(counts.cards, CARDS);
    assert_eq!(counts.variations, first.counts.variations_inserted);
    assert_eq!(counts.price_snapshots, first.counts.prices_recorded);
    assert!(counts.variations >= CARDS);

    // Every card has a variation; no variation key repeats.
    let bare = count(
        &reader,
        "SELECT count(*) FROM cards WHERE id NOT IN (SELECT card_id FROM card_variations)",
    );
    assert_eq!(bare, 0, "cards without a variation");
    let repeated = count(
        &reader,
        "SELECT count(*) FROM (SELECT 1 FROM card_variations \
         GROUP BY card_id, variation_type, treatment HAVING count(*) > 1)",
    );
    assert_eq!(repeated, 0);

    // The old job's conflicting keys, exactly once each.
    for (card_id, variation_type, treatment) in OLD_JOB_KEYS {
        let found: u64 = reader
            .query_row(
                "SELECT count(*) FROM card_variations \
                 WHERE card_id = ?1 AND variation_type = ?2 AND treatment = ?3",
                [card_id, variation_type, treatment],
                |row| row.get::<_, i64>(0),
            )
            .unwrap() as u64;
        assert_eq!(found, 1, "({card_id}, {variation_type}, {treatment})");
    }

    // A set over the API's 250-card page arrives whole.
    let swshp = count(&reader, "SELECT count(*) FROM cards WHERE set_id = 'swshp'");
    assert_eq!(swshp, 304);

    // Events: one start, one finish per set with sets_done counting up, one end.
    assert!(matches!(
        events.first(),
        Some(SyncEvent::RunStarted {
            sets_total: SETS,
            ..
        })
    ));
    assert!(matches!(events.last(), Some(SyncEvent::RunFinished { .. })));
    let finished: Vec<u64> = events
        .iter()
        .filter_map(|event| match event {
            SyncEvent::SetFinished { sets_done, .. } => Some(*sets_done),
            _ => None,
        })
        .collect();
    assert_eq!(finished, (1..=SETS).collect::<Vec<_>>());
    let started = events
        .iter()
        .filter(|event| matches!(event, SyncEvent::SetStarted { .. }))
        .count();
    assert_eq!(started as u64, SETS);

    // The stored run record matches the summary.
    let runs = queries::recent_runs(&reader, 1).unwrap();
    assert_eq!(runs[0].run_id, first.run_id);
    assert_eq!(runs[0].status, "succeeded");
    assert_eq!(runs[0].summary.as_ref(), Some(&first));
    let set_results = count(&reader, "SELECT count(*) FROM sync_set_results");
    assert_eq!(set_results, SETS);

    // A second run over the same data finds every set up to date from the set list alone.
    let changed_before = count(&reader, "SELECT total_changes()");
    let revisions_before = count(&reader, "SELECT sum(revision) FROM cards");
    let (second, _) = sync(&database, &emulator).await;
    assert_eq!(second.status, RunStatus::Succeeded);
    assert_eq!(second.sets_up_to_date, SETS);
    assert_eq!(second.requests, 1);
    assert_eq!(second.counts.cards_fetched, 0);
    assert_eq!(second.counts.cards_seen, CARDS);
    assert_eq!(second.counts.cards_inserted, 0);
    assert_eq!(second.counts.cards_updated, 0);
    assert_eq!(second.counts.cards_failed, 0);
    assert_eq!(second.counts.cards_unchanged, CARDS);
    assert_eq!(second.counts.variations_inserted, 0);
    assert_eq!(second.counts.variations_updated, 0);
    assert_eq!(second.counts.variations_unchanged, counts.variations);
    assert_eq!(second.counts.prices_recorded, 0);
    assert_eq!(second.sets_unchanged, SETS);
    assert_eq!(changed_before, 0, "the reader connection wrote nothing");
    assert_eq!(
        count(&reader, "SELECT sum(revision) FROM cards"),
        revisions_before
    );
    let changed_cards = count(
        &reader,
        &format!(
            "SELECT count(*) FROM cards WHERE changed_at >= '{}'",
            second.started_at
        ),
    );
    assert_eq!(changed_cards, 0);

    // A full run fetches every card again, and every upsert finds nothing to change.
    let full = SyncOptions {
        mode: SyncMode::Full,
        ..SyncOptions::default()
    };
    let (third, _) = sync_with(&database, &emulator, full).await;
    assert_eq!(third.status, RunStatus::Succeeded);
    assert_eq!(third.sets_up_to_date, 0);
    assert_eq!(third.sets_unchanged, SETS);
    assert_eq!(third.counts.cards_fetched, CARDS);
    assert_eq!(third.counts.cards_unchanged, CARDS);
    assert_eq!(third.counts.cards_inserted, 0);
    assert_eq!(third.counts.cards_updated, 0);
    assert_eq!(third.counts.variations_inserted, 0);
    assert_eq!(third.counts.variations_updated, 0);
    assert_eq!(third.counts.variations_unchanged, counts.variations);
    assert_eq!(third.counts.prices_recorded, 0);
    assert_eq!(
        count(&reader, "SELECT sum(revision) FROM cards"),
        revisions_before
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn price_date_move_records_snapshots_only() {
    let emulator = start_emulator().await;
    let folder = tempfile::tempdir().unwrap();
    let database = Database::open(folder.path().join("holo.db")).unwrap();
    let (first, _) = sync(&database, &emulator).await;
    assert_eq!(first.status, RunStatus::Succeeded);

    emulator.set_price_date("2026/12/02").unwrap();
    let refresh = SyncOptions {
        refresh_prices: true,
        ..SyncOptions::default()
    };
    let (second, _) = sync_with(&database, &emulator, refresh).await;
    assert_eq!(
        second.status,
        RunStatus::Succeeded,
        "errors: {:?}",
        second.errors
    );
    assert!(second.prices_refreshed);
    assert_eq!(
        second.counts.cards_fetched, 0,
        "prices alone, through select"
    );
    assert_eq!(
        second.counts.cards_updated, 0,
        "prices live apart from card rows"
    );
    assert_eq!(second.counts.prices_recorded, first.counts.prices_recorded);

    let reader = database.reader().unwrap();
    let dates: HashMap<String, u64> = reader
        .prepare("SELECT price_date, count(*) FROM price_snapshots WHERE source = 'tcgplayer' GROUP BY price_date")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get::<_, i64>(1)? as u64)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(dates.len(), 2, "{dates:?}");
    assert_eq!(dates.get("2026-12-01"), dates.get("2026-12-02"));
}

/// Copies the shared data into `folder`, letting `edit` change each set list and card file.
fn copy_data(folder: &std::path::Path, edit: impl Fn(&str, &mut Vec<serde_json::Value>)) {
    let source = holo_emulator::default_data_dir();
    std::fs::create_dir_all(folder.join("cards/en")).unwrap();
    let read = |path: std::path::PathBuf| -> Vec<serde_json::Value> {
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
    };
    let mut sets = read(source.join("sets/en.json"));
    edit("sets", &mut sets);
    for set in &sets {
        let id = set["id"].as_str().unwrap();
        let mut cards = read(source.join(format!("cards/en/{id}.json")));
        edit(id, &mut cards);
        let file = folder.join(format!("cards/en/{id}.json"));
        std::fs::write(file, serde_json::to_vec(&cards).unwrap()).unwrap();
    }
    std::fs::create_dir_all(folder.join("sets")).unwrap();
    std::fs::write(
        folder.join("sets/en.json"),
        serde_json::to_vec(&sets).unwrap(),
    )
    .unwrap();
}

fn bump_updated_at(sets: &mut [serde_json::Value], id: &str) {
    let set = sets.iter_mut().find(|set| set["id"] == id).unwrap();
    set["updatedAt"] = serde_json::json!("2026/12/03 09:00:00");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changed_data_syncs_exactly() {
    let folder = tempfile::tempdir().unwrap();
    let (before, after) = (folder.path().join("before"), folder.path().join("after"));
    // Before: the catalogue without its newest set, me2pt5 (295 cards).
    copy_data(&before, |file, items| {
        if file == "sets" {
            items.retain(|set| set["id"] != "me2pt5");
        }
    });
    // After: me2pt5 is added, swsh4-25 renamed, base1-102 gone from base1, and si1 gone from
    // the set list; the sets whose cards changed move their updatedAt, as the API promises.
    copy_data(&after, |file, items| match file {
        "sets" => {
            items.retain(|set| set["id"] != "si1");
            bump_updated_at(items, "swsh4");
            bump_updated_at(items, "base1");
        }
        "swsh4" => {
            let card = items
                .iter_mut()
                .find(|card| card["id"] == "swsh4-25")
                .unwrap();
            card["name"] = serde_json::json!("Charizard (reprint)");
        }
        "base1" => items.retain(|card| card["id"] != "base1-102"),
        _ => {}
    });
    let mut config = EmulatorConfig::new(before);
    config.next_data = Some(after.into());
    let emulator = holo_emulator::start(config).await.unwrap();
    let database = Database::open(folder.path().join("holo.db")).unwrap();

    let (first, _) = sync(&database, &emulator).await;
    assert_eq!(first.status, RunStatus::Succeeded);
    assert_eq!(first.counts.cards_inserted, CARDS - 295);

    emulator.switch_data().unwrap();
    let (second, _) = sync(&database, &emulator).await;

    assert_eq!(
        second.status,
        RunStatus::Succeeded,
        "errors: {:?}",
        second.errors
    );
    assert_eq!(second.sets_total, SETS - 1);
    assert_eq!(second.sets_inserted, 1);
    assert_eq!(second.sets_updated, 2);
    assert_eq!(second.sets_up_to_date, SETS - 1 - 3);
    assert_eq!(second.sets_delisted, 1);
    assert_eq!(second.counts.cards_inserted, 295);
    assert_eq!(second.counts.cards_updated, 1);
    assert_eq!(second.counts.cards_delisted, 1);
    assert_eq!(second.counts.cards_failed, 0);
    let base1_and_swsh4 = 101 + 203;
    assert_eq!(second.counts.cards_fetched, 295 + base1_and_swsh4);

    let reader = database.reader().unwrap();
    assert_eq!(
        queries::card_name(&reader, "swsh4-25").unwrap().as_deref(),
        Some("Charizard (reprint)")
    );
    let delisted_card: Option<String> = reader
        .query_row(
            "SELECT delisted_at FROM cards WHERE id = 'base1-102'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(delisted_card.is_some(), "base1-102 is kept and marked");
    let delisted_set: Option<String> = reader
        .query_row("SELECT delisted_at FROM sets WHERE id = 'si1'", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert!(delisted_set.is_some(), "si1 is kept and marked");
    let si1_cards = count(&reader, "SELECT count(*) FROM cards WHERE set_id = 'si1'");
    assert!(si1_cards > 0, "a delisted set keeps its cards");
    assert_eq!(count(&reader, "SELECT count(*) FROM cards"), CARDS);
}
