//! Imports of the sample files in `tests/fixtures/collection` into a database synced from the
//! real card data, with the exact rows each format adds and leaves out.

mod common;

use common::{start_real_emulator, synced_database};
use holo_core::collection::import::{ImportMode, ImportPlan, apply_import, plan_import};
use holo_core::collection::prices::today_utc;
use holo_core::collection::record::{FileFormat, ParsedFile};
use holo_core::collection::{self, files, views};
use holo_core::db::Database;

fn read_fixture(name: &str) -> ParsedFile {
    let path = format!(
        "{}/tests/fixtures/collection/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    files::read(&std::fs::read(path).unwrap()).unwrap()
}

fn plan(database: &Database, name: &str, mode: ImportMode) -> ImportPlan {
    plan_import(&database.reader().unwrap(), &read_fixture(name), mode).unwrap()
}

async fn apply(database: &Database, plan: ImportPlan) {
    collection::write(database.writer(), move |connection| {
        apply_import(connection, &plan)
    })
    .await
    .unwrap();
}

/// Card id, variation key and quantity of every entry, in the collection's order.
fn entries(database: &Database) -> Vec<(String, String, u32)> {
    views::list_entries(&database.reader().unwrap(), today_utc())
        .unwrap()
        .into_iter()
        .map(|e| {
            let key = format!("{}/{}", e.variation_type, e.treatment);
            (e.card_id, key, e.quantity)
        })
        .collect()
}

/// What importing one sample file into an empty collection must plan.
struct Expected {
    file: &'static str,
    format: FileFormat,
    /// (file lines, card id, variation key, quantity), in file order.
    added: &'static [(&'static [u32], &'static str, &'static str, u32)],
    wishlisted: &'static [u32],
    /// (line, start of the reason).
    unmatched: &'static [(u32, &'static str)],
    unreadable: &'static [u32],
}

const EXPECTED: &[Expected] = &[
    Expected {
        file: "holo.csv",
        format: FileFormat::HoloCsv,
        added: &[
            (&[2], "swsh10-190", "VSTAR/Rainbow Rare", 1),
            (&[3], "swsh10-46", "Radiant/Holofoil", 3),
            // The file's key Standard/Holofoil names no variation; its Holofoil printing is
            // base1's unlimited print.
            (&[4], "base1-4", "Standard/Unlimited Holofoil", 1),
            (&[7], "xy2-62", "Standard/Reverse Holofoil", 4),
            (&[8], "base1-27", "Standard/Normal", 2),
            (&[9], "sv2-254", "Standard/Ultra Rare", 1),
        ],
        wishlisted: &[6],
        unmatched: &[(10, "set \"swsh10\" has no card number 999;")],
        unreadable: &[],
    },
    Expected {
        file: "holo.json",
        format: FileFormat::HoloJson,
        added: &[
            (&[2], "swsh10-190", "VSTAR/Rainbow Rare", 1),
            (&[3], "swsh10-46", "Radiant/Holofoil", 3),
            (&[4], "base1-4", "Standard/Unlimited Holofoil", 1),
            (&[6], "xy2-62", "Standard/Reverse Holofoil", 4),
            (&[7], "base1-27", "Standard/Normal", 2),
            (&[8], "sv2-254", "Standard/Ultra Rare", 1),
        ],
        wishlisted: &[5],
        unmatched: &[(9, "set \"swsh10\" has no card number 999;")],
        unreadable: &[],
    },
    Expected {
        file: "holo-edited.csv",
        format: FileFormat::HoloCsv,
        added: &[
            (&[2], "swsh10-190", "VSTAR/Rainbow Rare", 2),
            // No variation or printing column: the card's first variation.
            (&[3], "base1-4", "Standard/1st Edition Holofoil", 1),
            (&[12], "swsh10-131", "Standard/Normal", 3),
        ],
        wishlisted: &[5],
        unmatched: &[],
        unreadable: &[6, 7, 9, 10, 11],
    },
    Expected {
        file: "tcgplayer.csv",
        format: FileFormat::TcgplayerCsv,
        added: &[
            (&[2], "swsh10-190", "VSTAR/Rainbow Rare", 1),
            (&[3], "swsh10-46", "Radiant/Holofoil", 3),
            (&[4], "swsh10-131", "Standard/Reverse Holofoil", 2),
            (&[5], "base1-4", "Standard/Unlimited Holofoil", 1),
            (&[6], "xy2-62", "Standard/Reverse Holofoil", 4),
            (&[7], "base1-27", "Standard/Normal", 2),
            (&[8], "sv3pt5-151", "ex/Holofoil", 1),
            (&[9], "sv2-254", "Standard/Ultra Rare", 1),
        ],
        wishlisted: &[],
        unmatched: &[(10, "set \"ASR\" has no card number 999/189;")],
        unreadable: &[11],
    },
    Expected {
        file: "collectr.csv",
        format: FileFormat::CollectrCsv,
        added: &[
            (&[2], "swsh10-190", "VSTAR/Rainbow Rare", 1),
            (&[3], "base1-4", "Standard/Unlimited Holofoil", 1),
            (&[5], "xy2-62", "Standard/Reverse Holofoil", 4),
            (&[10], "swsh7-215", "VMAX/Rainbow Rare", 1),
            (&[11], "sv2-254", "Standard/Ultra Rare", 2),
        ],
        wishlisted: &[4],
        unmatched: &[(9, "set \"Astral Radiance\" has no card number 998/189;")],
        unreadable: &[7, 8],
    },
];

fn check_plan(plan: &ImportPlan, expected: &Expected) {
    let file = expected.file;
    assert_eq!(plan.format, expected.format, "{file}");
    let added: Vec<(Vec<u32>, &str, String, u32)> = plan
        .added
        .iter()
        .map(|e| {
            let key = format!("{}/{}", e.variation_type, e.treatment);
            (e.lines.clone(), e.card_id.as_str(), key, e.quantity)
        })
        .collect();
    let expected_added: Vec<(Vec<u32>, &str, String, u32)> = expected
        .added
        .iter()
        .map(|(lines, card, key, quantity)| (lines.to_vec(), *card, key.to_string(), *quantity))
        .collect();
    assert_eq!(added, expected_added, "{file}: added");
    assert!(
        plan.merged.is_empty(),
        "{file}: merged into an empty collection"
    );
    let wished: Vec<u32> = plan
        .wishlisted
        .iter()
        .flat_map(|w| w.lines.clone())
        .collect();
    assert_eq!(wished, expected.wishlisted, "{file}: wishlisted");
    let unmatched: Vec<u32> = plan.unmatched.iter().map(|row| row.line).collect();
    let expected_lines: Vec<u32> = expected.unmatched.iter().map(|(line, _)| *line).collect();
    assert_eq!(
        unmatched, expected_lines,
        "{file}: unmatched {:?}",
        plan.unmatched
    );
    for (row, (_, reason)) in plan.unmatched.iter().zip(expected.unmatched) {
        assert!(
            row.reason.starts_with(reason),
            "{file} line {}: {}",
            row.line,
            row.reason
        );
    }
    let unreadable: Vec<u32> = plan.unreadable.iter().map(|row| row.line).collect();
    assert_eq!(unreadable, expected.unreadable, "{file}: unreadable");
    assert!(plan.unreadable.iter().all(|row| !row.reason.is_empty()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sample_files_import_exactly() {
    let emulator = start_real_emulator().await;
    let folder = tempfile::tempdir().unwrap();
    for (index, expected) in EXPECTED.iter().enumerate() {
        let database =
            synced_database(&folder.path().join(index.to_string()), emulator.base_url()).await;
        let first = plan(&database, expected.file, ImportMode::Replace);
        check_plan(&first, expected);
        apply(&database, first).await;
        let once = entries(&database);
        assert_eq!(once.len(), expected.added.len(), "{}", expected.file);

        let second = plan(&database, expected.file, ImportMode::Replace);
        assert!(second.added.is_empty(), "{}", expected.file);
        assert_eq!(
            second.merged.len(),
            expected.added.len(),
            "{}",
            expected.file
        );
        assert!(
            second.wishlisted.is_empty(),
            "{}: already wishlisted",
            expected.file
        );
        apply(&database, second).await;
        assert_eq!(
            entries(&database),
            once,
            "{}: imported twice",
            expected.file
        );

        apply(&database, plan(&database, expected.file, ImportMode::Add)).await;
        let doubled: Vec<(String, String, u32)> = once
            .iter()
            .map(|(card, key, quantity)| (card.clone(), key.clone(), quantity * 2))
            .collect();
        assert_eq!(entries(&database), doubled, "{}: --add", expected.file);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn holo_fixture_keeps_every_field() {
    let emulator = start_real_emulator().await;
    let folder = tempfile::tempdir().unwrap();
    let database = synced_database(folder.path(), emulator.base_url()).await;
    apply(&database, plan(&database, "holo.json", ImportMode::Replace)).await;

    let listed = views::list_entries(&database.reader().unwrap(), today_utc()).unwrap();
    let lilligant = listed.iter().find(|e| e.card_id == "swsh10-190").unwrap();
    assert_eq!(lilligant.purchase_price_cents, Some(4500));
    assert_eq!(lilligant.purchase_currency.as_deref(), Some("USD"));
    assert_eq!(lilligant.added_at, "2024-05-02T18:30:00.000Z");
    assert_eq!(
        lilligant.note.as_deref(),
        Some("Pulled from a booster, the \"first hit\"")
    );
    let charizard = listed.iter().find(|e| e.card_id == "base1-4").unwrap();
    let grade = charizard.grade.as_ref().unwrap();
    assert_eq!((grade.company.as_str(), grade.grade.as_str()), ("PSA", "9"));
    assert_eq!(charizard.added_at, "2023-11-18");
    let iono = listed.iter().find(|e| e.card_id == "sv2-254").unwrap();
    assert_eq!(iono.language, "Japanese");
    assert_eq!(iono.purchase_currency.as_deref(), Some("EUR"));
    let farfetchd = listed.iter().find(|e| e.card_id == "base1-27").unwrap();
    assert_eq!(farfetchd.language, "French");
    assert!(
        !farfetchd.added_at.is_empty(),
        "a row without a date is added now"
    );
}

/// Plans `text` (a whole file) and returns each row's card id or unmatched reason, by line.
fn match_rows(database: &Database, text: &str) -> Vec<(u32, Result<String, String>)> {
    let file = files::read(text.as_bytes()).unwrap();
    let plan = plan_import(&database.reader().unwrap(), &file, ImportMode::Replace).unwrap();
    let mut rows: Vec<(u32, Result<String, String>)> = plan
        .added
        .iter()
        .map(|entry| (entry.lines[0], Ok(entry.card_id.clone())))
        .chain(
            plan.unmatched
                .iter()
                .map(|row| (row.line, Err(row.reason.clone()))),
        )
        .collect();
    rows.sort_by_key(|(line, _)| *line);
    rows
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subset_numbers_match_on_real_sets() {
    let emulator = start_real_emulator().await;
    let folder = tempfile::tempdir().unwrap();
    let database = synced_database(folder.path(), emulator.base_url()).await;

    let collectr = concat!(
        "Portfolio Name,Category,Set,Product Name,Card Number,Rarity,Variance,Grade,",
        "Card Condition,Average Cost Paid,Quantity,Market Price (As of 2024-05-01),",
        "Price Override,Watchlist,Date Added,Notes\n",
        "Main,Pokemon,Crown Zenith,Pikachu,GG30,,Holofoil,,Near Mint,,1,,,no,,\n",
        "Main,Pokemon,Crown Zenith,Pikachu,GG99,,Holofoil,,Near Mint,,1,,,no,,\n",
        "Main,Pokemon,Crown Zenith,Pikachu,160/159,,Holofoil,,Near Mint,,1,,,no,,\n",
    );
    let rows = match_rows(&database, collectr);
    assert_eq!(rows[0], (2, Ok("swsh12pt5gg-GG30".to_owned())));
    assert_eq!(rows[1].0, 3);
    let reason = rows[1].1.as_ref().unwrap_err();
    assert!(
        reason.starts_with("set \"Crown Zenith\" has no card number GG99;"),
        "{reason}"
    );
    assert_eq!(rows[2], (4, Ok("swsh12pt5-160".to_owned())));

    let tcgplayer = concat!(
        "Quantity,Name,Simple Name,Set,Card Number,Set Code,Printing,Condition,Language,",
        "Rarity,Product ID,SKU\n",
        "1,Lunala,Lunala,Celebrations,015/025,CEL,Holofoil,Near Mint,English,Holo Rare,,\n",
        "1,Claydol,Claydol,Celebrations: Classic Collection,15,CEL,Holofoil,Near Mint,",
        "English,Classic Collection,,\n",
    );
    let rows = match_rows(&database, tcgplayer);
    assert_eq!(rows[0], (2, Ok("cel25-15".to_owned())));
    assert_eq!(rows[1].0, 3);
    let claydol = rows[1].1.as_ref().unwrap();
    assert!(claydol.starts_with("cel25c-15"), "{claydol}");
}
