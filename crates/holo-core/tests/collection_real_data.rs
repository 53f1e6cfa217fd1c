//! The collection on the real card data: export and import round trips into fresh databases,
//! and syncs that leave owned cards alone.

mod common;

use common::{Own, collection_dump, own_all, start_real_emulator, sync, synced_database, wish};
use holo_core::collection::export::export;
use holo_core::collection::files;
use holo_core::collection::import::{ImportMode, apply_import, plan_import};
use holo_core::collection::prices::today_utc;
use holo_core::collection::record::{Condition, FileFormat};
use holo_core::collection::{self, views};
use holo_core::db::Database;
use holo_core::sync::SyncMode;

/// A note that CSV must quote: a comma, a double quote and a line break.
const AWKWARD_NOTE: &str = "Pulled at \"launch\", first pack\nsecond line";

/// A collection across four sets, with several variations and conditions of one card, a graded
/// copy, another language, a purchase price, an awkward note and two wishlist marks.
///
/// The graded copy is the only Near Mint English copy of its variation, because a TCGplayer
/// file has no grade column: two such rows would merge on import.
async fn own_sample(database: &Database) {
    own_all(
        database,
        &[
            Own {
                price_cents: Some(1234),
                note: Some(AWKWARD_NOTE),
                ..Own::new("swsh10-190", 2)
            },
            Own::new("swsh10-2", 3),
            Own {
                variation: Some("Reverse Holofoil"),
                condition: Condition::LightlyPlayed,
                ..Own::new("swsh10-2", 1)
            },
            Own {
                variation: Some("Reverse Holofoil"),
                condition: Condition::Damaged,
                language: "Japanese",
                ..Own::new("swsh10-2", 4)
            },
            Own {
                variation: Some("1st Edition Holofoil"),
                grade: Some(("PSA", "9")),
                price_cents: Some(250_000),
                ..Own::new("base1-4", 1)
            },
            Own {
                variation: Some("Unlimited Holofoil"),
                condition: Condition::ModeratelyPlayed,
                ..Own::new("base1-4", 1)
            },
            Own::new("swsh10tg-TG01", 1),
            Own::new("sv3pt5-1", 2),
        ],
    )
    .await;
    wish(database, "swsh10-190", None).await;
    wish(database, "sv3pt5-2", None).await;
}

fn export_bytes(database: &Database, format: FileFormat) -> Vec<u8> {
    let reader = database.reader().unwrap();
    let (bytes, _summary) = export(&reader, format, Vec::new()).unwrap();
    bytes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn round_trip_exports_identical_bytes() {
    let emulator = start_real_emulator().await;
    let folder = tempfile::tempdir().unwrap();
    let source = synced_database(&folder.path().join("source"), emulator.base_url()).await;
    own_sample(&source).await;

    for format in [
        FileFormat::HoloJson,
        FileFormat::HoloCsv,
        FileFormat::TcgplayerCsv,
    ] {
        let exported = export_bytes(&source, format);
        let again = export_bytes(&source, format);
        assert_eq!(exported, again, "{format:?}: two exports differ");

        let target_folder = folder.path().join(format.label().replace(' ', "-"));
        let target = synced_database(&target_folder, emulator.base_url()).await;
        let parsed = files::read(&exported).unwrap();
        let plan = plan_import(&target.reader().unwrap(), &parsed, ImportMode::Replace).unwrap();
        assert!(
            plan.unmatched.is_empty(),
            "{format:?}: {:?}",
            plan.unmatched
        );
        assert!(
            plan.unreadable.is_empty(),
            "{format:?}: {:?}",
            plan.unreadable
        );
        assert!(
            plan.merged.is_empty(),
            "{format:?}: a fresh database has no entries"
        );
        collection::write(target.writer(), move |connection| {
            apply_import(connection, &plan)
        })
        .await
        .unwrap();

        let reexported = export_bytes(&target, format);
        assert_eq!(
            String::from_utf8_lossy(&reexported),
            String::from_utf8_lossy(&exported),
            "{format:?}: the round trip changed the file"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_lists_the_sample_in_collection_order() {
    let emulator = start_real_emulator().await;
    let folder = tempfile::tempdir().unwrap();
    let database = synced_database(folder.path(), emulator.base_url()).await;
    own_sample(&database).await;

    let parsed = files::read(&export_bytes(&database, FileFormat::HoloCsv)).unwrap();
    let records: Vec<_> = parsed
        .rows
        .into_iter()
        .map(|row| row.record.unwrap())
        .collect();
    let cards: Vec<&str> = records
        .iter()
        .map(|record| record.card_id.as_deref().unwrap())
        .collect();
    assert_eq!(
        cards,
        [
            "base1-4",
            "base1-4",
            "swsh10-2",
            "swsh10-2",
            "swsh10-2",
            "swsh10-190",
            "swsh10tg-TG01",
            "sv3pt5-1",
            "sv3pt5-2",
        ]
    );
    let conditions: Vec<(Condition, u32, bool)> = records
        .iter()
        .map(|record| (record.condition, record.quantity, record.wishlist))
        .collect();
    assert_eq!(
        conditions[2..5],
        [
            (Condition::NearMint, 3, false),
            (Condition::LightlyPlayed, 1, false),
            (Condition::Damaged, 4, false),
        ],
        "swsh10-2: normal first, then reverse holo copies best condition first"
    );
    assert_eq!(conditions[5], (Condition::NearMint, 2, true));
    assert_eq!(
        conditions[8],
        (Condition::NearMint, 0, true),
        "a wishlist-only row"
    );
    assert_eq!(records[5].note.as_deref(), Some(AWKWARD_NOTE));
    assert_eq!(records[0].grade.as_deref(), Some("9"));
    assert_eq!(records[0].printing.as_deref(), Some("1st Edition Holofoil"));
    assert_eq!(records[5].set_code.as_deref(), Some("ASR"));

    let entries = views::list_entries(&database.reader().unwrap(), today_utc()).unwrap();
    assert_eq!(entries.len(), 8);
    let exported_ids: Vec<&str> = cards[..8].to_vec();
    let listed_ids: Vec<&str> = entries.iter().map(|entry| entry.card_id.as_str()).collect();
    assert_eq!(
        listed_ids, exported_ids,
        "the list and the export share one order"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn syncs_leave_owned_cards_alone() {
    let emulator = start_real_emulator().await;
    let folder = tempfile::tempdir().unwrap();
    let database = synced_database(folder.path(), emulator.base_url()).await;
    own_sample(&database).await;
    let before = collection_dump(&database);
    assert_eq!(before.len(), 10);

    sync(&database, emulator.base_url(), SyncMode::Incremental).await;
    assert_eq!(
        collection_dump(&database),
        before,
        "after an incremental sync"
    );

    let full = sync(&database, emulator.base_url(), SyncMode::Full).await;
    assert_eq!(full.counts.cards_inserted, 0);
    assert_eq!(collection_dump(&database), before, "after a full sync");

    emulator.set_price_date("2026/12/02").unwrap();
    let priced = sync(&database, emulator.base_url(), SyncMode::Full).await;
    assert!(priced.counts.prices_recorded > 0);
    assert_eq!(collection_dump(&database), before, "after new prices");
}
