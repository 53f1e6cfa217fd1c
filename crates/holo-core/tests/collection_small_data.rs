//! The collection across syncs of small generated data: a card whose variations change, and a
//! card that leaves the API.

mod common;

use std::path::Path;

use common::{Own, collection_dump, own_all, wish};
use holo_core::collection::entries::{self, EntryTarget};
use holo_core::collection::import::{ImportMode, apply_import, plan_import};
use holo_core::collection::prices::today_utc;
use holo_core::collection::record::{Condition, EntryRecord, FileFormat, ParsedFile, ParsedRow};
use holo_core::collection::{self, views};
use holo_core::db::Database;
use holo_core::sync::SyncMode;
use holo_emulator::{EmulatorConfig, RunningEmulator};
use serde_json::{Value, json};

fn set(updated_at: &str) -> Value {
    json!({
        "id": "t1", "name": "Test One", "series": "Test", "printedTotal": 2, "total": 2,
        "legalities": {"unlimited": "Legal"}, "releaseDate": "2020/01/01",
        "updatedAt": updated_at,
        "images": {"symbol": "https://images.example/s.png", "logo": "https://images.example/l.png"}
    })
}

fn card(number: &str, name: &str, rarity: &str) -> Value {
    json!({
        "id": format!("t1-{number}"), "name": name, "supertype": "Pokémon",
        "subtypes": ["Basic"], "hp": "60", "number": number, "rarity": rarity,
        "legalities": {"unlimited": "Legal"},
        "images": {"small": "https://images.example/a.png", "large": "https://images.example/b.png"}
    })
}

/// Writes a data folder shaped like pokemon-tcg-data with the one set `t1`.
fn write_data(folder: &Path, set: Value, cards: Vec<Value>) {
    std::fs::create_dir_all(folder.join("sets")).unwrap();
    std::fs::create_dir_all(folder.join("cards/en")).unwrap();
    std::fs::write(
        folder.join("sets/en.json"),
        serde_json::to_vec(&[set]).unwrap(),
    )
    .unwrap();
    std::fs::write(
        folder.join("cards/en/t1.json"),
        serde_json::to_vec(&cards).unwrap(),
    )
    .unwrap();
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

fn variation_keys(database: &Database, card_id: &str) -> Vec<(String, bool)> {
    let reader = database.reader().unwrap();
    let mut statement = reader
        .prepare(
            "SELECT treatment, retired_at IS NOT NULL FROM card_variations WHERE card_id = ?1
             ORDER BY retired_at IS NOT NULL, position, treatment",
        )
        .unwrap();
    statement
        .query_map([card_id], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[tokio::test]
async fn entries_follow_changed_variations_and_stay_on_delisted_cards() {
    let folder = tempfile::tempdir().unwrap();
    let data = folder.path().join("data");
    write_data(
        &data,
        set("2020/01/01 00:00:00"),
        vec![
            card("1", "Pikachu", "Rare Holo"),
            card("2", "Raichu", "Common"),
        ],
    );
    let emulator = holo_emulator::start(EmulatorConfig::new(data.clone()))
        .await
        .unwrap();
    let database = Database::open(folder.path().join("holo.db")).unwrap();
    common::sync(&database, emulator.base_url(), SyncMode::Incremental).await;
    assert_eq!(
        variation_keys(&database, "t1-1"),
        [
            ("Holofoil".into(), false),
            ("Reverse Holofoil".into(), false)
        ]
    );
    own_all(
        &database,
        &[
            Own {
                note: Some("the holo"),
                price_cents: Some(500),
                ..Own::new("t1-1", 2)
            },
            Own {
                variation: Some("Reverse Holofoil"),
                condition: Condition::LightlyPlayed,
                ..Own::new("t1-1", 1)
            },
            Own::new("t1-2", 1),
        ],
    )
    .await;
    wish(&database, "t1-1", None).await;
    let before = collection_dump(&database);

    // The holo becomes a secret rare: its holofoil printing gets the rarity's treatment, and
    // the emulator prices secret rares in holofoil only, so the reverse holo goes. Raichu
    // leaves the set.
    write_data(
        &data,
        set("2020/02/01 00:00:00"),
        vec![card("1", "Pikachu", "Rare Secret")],
    );
    let emulator = restart_on_same_port(emulator, &data).await;
    let changed = common::sync(&database, emulator.base_url(), SyncMode::Incremental).await;
    assert_eq!(changed.counts.cards_delisted, 1);
    assert_eq!(
        variation_keys(&database, "t1-1"),
        [
            ("Secret Rare".into(), false),
            ("Holofoil".into(), true),
            ("Reverse Holofoil".into(), true),
        ]
    );

    let reader = database.reader().unwrap();
    let entries = views::list_entries(&reader, today_utc()).unwrap();
    assert_eq!(entries.len(), 3, "no entry was deleted");
    let holo = &entries[0];
    assert_eq!(
        holo.treatment, "Secret Rare",
        "the holo copies followed their printing"
    );
    assert_eq!(holo.quantity, 2);
    assert_eq!(holo.note.as_deref(), Some("the holo"));
    assert_eq!(holo.purchase_price_cents, Some(500));
    assert!(holo.wishlisted, "the wishlist mark followed too");
    assert!(!holo.variation_retired);
    let reverse = &entries[1];
    assert_eq!(reverse.treatment, "Reverse Holofoil");
    assert!(
        reverse.variation_retired,
        "no variation has its printing any more"
    );
    assert_eq!(reverse.quantity, 1);
    let raichu = &entries[2];
    assert_eq!(raichu.card_id, "t1-2");
    assert!(raichu.delisted);
    assert_eq!(raichu.quantity, 1);

    // A file exported before the rename names the holo by its old key: the import and an
    // explicit old key reach the entry on the new variation instead of adding one.
    let old_export = EntryRecord {
        card_id: Some("t1-1".into()),
        variation_type: Some("Standard".into()),
        treatment: Some("Holofoil".into()),
        printing: Some("Holofoil".into()),
        quantity: 2,
        ..EntryRecord::new()
    };
    let file = ParsedFile {
        format: FileFormat::HoloCsv,
        rows: vec![ParsedRow {
            line: 2,
            record: Ok(old_export),
        }],
    };
    let plan = plan_import(&reader, &file, ImportMode::Replace).unwrap();
    assert!(plan.added.is_empty(), "{:?}", plan.added);
    assert_eq!(plan.merged.len(), 1);
    assert_eq!(plan.merged[0].treatment, "Secret Rare");
    assert_eq!(plan.merged[0].quantity_before, 2);
    assert_eq!(plan.merged[0].quantity, 2);
    collection::write(database.writer(), move |connection| {
        apply_import(connection, &plan)
    })
    .await
    .unwrap();
    let old_key = EntryTarget {
        variation: Some("Standard/Holofoil".parse().unwrap()),
        ..EntryTarget::new("t1-1")
    };
    let owned = collection::write(database.writer(), move |connection| {
        entries::set_quantity(connection, &old_key, 2)
    })
    .await
    .unwrap();
    assert_eq!(owned.treatment, "Secret Rare");
    assert_eq!(owned.quantity_before, 2);
    assert_eq!(
        views::list_entries(&reader, today_utc()).unwrap(),
        entries,
        "no entry was added or changed"
    );

    let completion = views::set_completion(&reader, "t1").unwrap().unwrap();
    assert_eq!(
        completion.cards_total, 1,
        "the delisted card is not counted"
    );
    assert_eq!(completion.cards_owned, 1);
    assert_eq!(completion.variations_total, 1);
    assert_eq!(completion.variations_owned, 1);

    // Back to the first data: every variation returns, and the entries with it.
    write_data(
        &data,
        set("2020/03/01 00:00:00"),
        vec![
            card("1", "Pikachu", "Rare Holo"),
            card("2", "Raichu", "Common"),
        ],
    );
    let emulator = restart_on_same_port(emulator, &data).await;
    common::sync(&database, emulator.base_url(), SyncMode::Incremental).await;
    assert_eq!(
        collection_dump(&database),
        before,
        "the entries are back where they started"
    );
    let entries = views::list_entries(&database.reader().unwrap(), today_utc()).unwrap();
    assert!(
        entries
            .iter()
            .all(|entry| !entry.delisted && !entry.variation_retired)
    );
    emulator.shutdown().await.unwrap();
}
