//! The collection's writes, views, value and import on a small hand-made catalogue, with
//! exact expected figures.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use holo_core::collection::entries::{
    self, EntryTarget, EntryUpdate, Grade, Purchase, QuantityChange,
};
use holo_core::collection::import::{ImportMode, ImportPlan, apply_import, plan_import};
use holo_core::collection::record::{Condition, EntryRecord, FileFormat, ParsedFile, ParsedRow};
use holo_core::collection::variation::VariationSelector;
use holo_core::collection::{self, CollectionError, value, views};
use holo_core::db::Database;
use holo_core::numbers::natural_sort_key;
use rusqlite::{Connection, TransactionBehavior, params};

const NOW: &str = "2026-12-04T00:00:00.000Z";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
}

/// Writes catalogue rows directly, as a sync would.
struct Catalogue(Connection);

impl Catalogue {
    fn set(&self, id: &str, name: &str, code: &str, release_date: &str) {
        self.0
            .execute(
                "INSERT INTO sets (id, name, series, ptcgo_code, release_date, data, created_at,
                                   changed_at)
                 VALUES (?1, ?2, 'Test', ?3, ?4, '{}', ?5, ?5)",
                params![id, name, code, release_date, NOW],
            )
            .unwrap();
    }

    /// A card with its variations, given as (treatment, printing) in position order.
    fn card(&self, set_id: &str, number: &str, name: &str, variations: &[(&str, Option<&str>)]) {
        let id = format!("{set_id}-{number}");
        self.card_with_id(&id, set_id, number, name, variations);
    }

    /// Writes a card whose id is not `SET-NUMBER`, as when a set prints one number on several
    /// cards.
    fn card_with_id(
        &self,
        id: &str,
        set_id: &str,
        number: &str,
        name: &str,
        variations: &[(&str, Option<&str>)],
    ) {
        self.0
            .execute(
                "INSERT INTO cards (id, set_id, name, number, number_sort, supertype, rarity,
                                    data, created_at, changed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'Pokémon', 'Common', '{}', ?6, ?6)",
                params![id, set_id, name, number, natural_sort_key(number), NOW],
            )
            .unwrap();
        for (position, (treatment, printing)) in variations.iter().enumerate() {
            self.0
                .execute(
                    "INSERT INTO card_variations (card_id, variation_type, treatment, printing,
                                                  position, created_at, changed_at)
                     VALUES (?1, 'Standard', ?2, ?3, ?4, ?5, ?5)",
                    params![id, treatment, printing, position as i64, NOW],
                )
                .unwrap();
        }
    }

    fn prices(&self, card_id: &str, source: &str, date: &str, prices: &str) {
        self.0
            .execute(
                "INSERT INTO price_snapshots (card_id, source, price_date, prices, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![card_id, source, date, prices, NOW],
            )
            .unwrap();
    }

    fn delist(&self, card_id: &str) {
        self.0
            .execute(
                "UPDATE cards SET delisted_at = ?2 WHERE id = ?1",
                params![card_id, NOW],
            )
            .unwrap();
    }
}

/// Two sets: `s1` with five cards (s1-4 delisted), `s2` with one; prices as the figures below
/// need them.
fn catalogue() -> (tempfile::TempDir, Database) {
    let folder = tempfile::tempdir().unwrap();
    let database = Database::open(folder.path().join("holo.db")).unwrap();
    let catalogue = Catalogue(Connection::open(database.path()).unwrap());
    catalogue.set("s1", "Test One", "TST", "2020-01-01");
    catalogue.set("s2", "Test Two", "TWO", "2021-01-01");
    let normal_and_reverse = [
        ("Normal", Some("normal")),
        ("Reverse Holofoil", Some("reverseHolofoil")),
    ];
    catalogue.card("s1", "1", "Pikachu", &normal_and_reverse);
    catalogue.card("s1", "2", "Raichu", &[("Holofoil", Some("holofoil"))]);
    catalogue.card("s1", "3", "Flabébé", &[("Normal", None)]);
    catalogue.card("s1", "4", "Eevee", &[("Normal", Some("normal"))]);
    catalogue.card("s1", "5", "Eevee", &[("Normal", Some("normal"))]);
    catalogue.card("s2", "1", "Pikachu", &[("Normal", Some("normal"))]);
    catalogue.delist("s1-4");
    catalogue.prices(
        "s1-1",
        "tcgplayer",
        "2026-11-01",
        r#"{"normal": {"market": 1.0, "mid": 2.0}, "reverseHolofoil": {"market": null, "mid": 3.5}}"#,
    );
    catalogue.prices(
        "s1-1",
        "tcgplayer",
        "2026-12-01",
        r#"{"normal": {"market": 1.25}, "reverseHolofoil": {"mid": 4.0}}"#,
    );
    catalogue.prices(
        "s1-1",
        "cardmarket",
        "2026-12-02",
        r#"{"trendPrice": 99.0}"#,
    );
    catalogue.prices(
        "s1-2",
        "tcgplayer",
        "2026-10-01",
        r#"{"holofoil": {"market": 10.0}}"#,
    );
    (folder, database)
}

fn target(card_id: &str, variation: Option<&str>, condition: Condition) -> EntryTarget {
    EntryTarget {
        variation: variation.map(|text| text.parse::<VariationSelector>().unwrap()),
        condition,
        ..EntryTarget::new(card_id)
    }
}

fn set_quantity(database: &Database, target: EntryTarget, quantity: u32) -> entries::EntryOutcome {
    collection::write_blocking(database.writer(), move |connection| {
        entries::set_quantity(connection, &target, quantity)
    })
    .unwrap()
}

/// s1-1 normal 2 NM + 1 LP, s1-1 reverse 1, s1-2 3, s1-3 1, delisted s1-4 1, s2-1 1; s1-5 on
/// the wishlist.
fn own_sample(database: &Database) {
    use Condition::{LightlyPlayed, NearMint};
    set_quantity(database, target("s1-1", None, NearMint), 2);
    set_quantity(database, target("s1-1", Some("Normal"), LightlyPlayed), 1);
    set_quantity(
        database,
        target("s1-1", Some("Reverse Holofoil"), NearMint),
        1,
    );
    set_quantity(database, target("s1-2", None, NearMint), 3);
    set_quantity(database, target("s1-3", None, NearMint), 1);
    set_quantity(database, target("s1-4", None, NearMint), 1);
    set_quantity(database, target("s2-1", None, NearMint), 1);
    collection::write_blocking(database.writer(), |connection| {
        entries::set_wishlisted(connection, "s1-5", None, true)
    })
    .unwrap();
}

fn quantities(database: &Database) -> Vec<(String, String, String, u32)> {
    let reader = database.reader().unwrap();
    views::list_entries(&reader, today())
        .unwrap()
        .into_iter()
        .map(|entry| {
            (
                entry.card_id,
                entry.treatment,
                entry.condition.to_string(),
                entry.quantity,
            )
        })
        .collect()
}

#[test]
fn value_sums_latest_prices() {
    let (_folder, database) = catalogue();
    own_sample(&database);

    let value = value::collection_value(&database.reader().unwrap(), today()).unwrap();

    // Normal 3 × $1.25 + reverse 1 × $4.00 (mid, no market) + holo 3 × $10.00.
    assert_eq!(value.total_cents, 375 + 400 + 3000);
    assert_eq!(value.entries, 7);
    assert_eq!(value.copies, 10);
    assert_eq!(
        value.entries_without_price, 3,
        "no printing, no snapshot, delisted"
    );
    assert_eq!(value.stale_entries, 1, "s1-2's price is from 2026-10-01");
    assert_eq!(value.oldest_price_date.as_deref(), Some("2026-10-01"));
    assert_eq!(value.newest_price_date.as_deref(), Some("2026-12-01"));
}

#[test]
fn value_history_uses_prices_known_by_each_date() {
    let (_folder, database) = catalogue();
    own_sample(&database);

    let history = value::value_history(&database.reader().unwrap()).unwrap();

    let points: Vec<(&str, i64, u32)> = history
        .iter()
        .map(|point| {
            (
                point.price_date.as_str(),
                point.total_cents,
                point.entries_priced,
            )
        })
        .collect();
    assert_eq!(
        points,
        [
            ("2026-10-01", 3000, 1),
            ("2026-11-01", 300 + 350 + 3000, 4),
            ("2026-12-01", 375 + 400 + 3000, 4),
        ]
    );
}

#[test]
fn card_price_history_per_printing() {
    let (_folder, database) = catalogue();
    let history = value::card_price_history(&database.reader().unwrap(), "s1-1").unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].printing, "normal");
    let normal: Vec<(&str, i64)> = history[0]
        .points
        .iter()
        .map(|point| (point.price_date.as_str(), point.market_cents))
        .collect();
    assert_eq!(normal, [("2026-11-01", 100), ("2026-12-01", 125)]);
    assert_eq!(history[1].printing, "reverseHolofoil");
    assert!(
        history[1].points.is_empty(),
        "no market price on either date"
    );
}

#[test]
fn completion_counts_rows_not_totals() {
    let (_folder, database) = catalogue();
    own_sample(&database);
    let reader = database.reader().unwrap();

    let all = views::set_completions(&reader).unwrap();

    let figures: Vec<(&str, u32, u32, u32, u32)> = all
        .iter()
        .map(|set| {
            (
                set.set_id.as_str(),
                set.cards_owned,
                set.cards_total,
                set.variations_owned,
                set.variations_total,
            )
        })
        .collect();
    // s1: cards 1, 2, 3 of 1, 2, 3, 5 (4 is delisted); variations 4 of 5.
    assert_eq!(figures, [("s1", 3, 4, 4, 5), ("s2", 1, 1, 1, 1)]);
    assert_eq!(
        views::set_completion(&reader, "s1").unwrap().as_ref(),
        Some(&all[0])
    );
    assert_eq!(views::set_completion(&reader, "nope").unwrap(), None);
}

#[test]
fn owned_marks_of_a_set() {
    let (_folder, database) = catalogue();
    own_sample(&database);

    let marks = views::owned_marks(&database.reader().unwrap(), "s1").unwrap();

    let figures: Vec<(&str, u32, u32, bool)> = marks
        .iter()
        .map(|mark| {
            (
                mark.card_id.as_str(),
                mark.quantity,
                mark.variations_owned,
                mark.wishlisted,
            )
        })
        .collect();
    assert_eq!(
        figures,
        [
            ("s1-1", 4, 2, false),
            ("s1-2", 3, 1, false),
            ("s1-3", 1, 1, false),
            ("s1-4", 1, 1, false),
            ("s1-5", 0, 0, true),
        ]
    );
}

#[test]
fn list_flags_stale_and_delisted() {
    let (_folder, database) = catalogue();
    own_sample(&database);

    let entries = views::list_entries(&database.reader().unwrap(), today()).unwrap();

    let raichu = entries.iter().find(|e| e.card_id == "s1-2").unwrap();
    assert!(raichu.stale);
    assert_eq!(raichu.market_price_cents, Some(1000));
    let pikachu = entries.iter().find(|e| e.card_id == "s1-1").unwrap();
    assert!(!pikachu.stale);
    assert_eq!(pikachu.market_price_date.as_deref(), Some("2026-12-01"));
    let eevee = entries.iter().find(|e| e.card_id == "s1-4").unwrap();
    assert!(eevee.delisted);
    let flabebe = entries.iter().find(|e| e.card_id == "s1-3").unwrap();
    assert_eq!(flabebe.market_price_cents, None);
    assert!(!flabebe.stale, "no price is not a stale price");
}

#[test]
fn card_ownership_groups_entries_by_variation() {
    let (_folder, database) = catalogue();
    own_sample(&database);
    let reader = database.reader().unwrap();

    let ownership = views::card_ownership(&reader, "s1-1").unwrap();

    assert_eq!(ownership.quantity, 4);
    assert_eq!(ownership.variations.len(), 2);
    let normal = &ownership.variations[0];
    assert_eq!(normal.treatment, "Normal");
    assert_eq!(normal.quantity, 3);
    let conditions: Vec<Condition> = normal.entries.iter().map(|e| e.condition).collect();
    assert_eq!(conditions, [Condition::NearMint, Condition::LightlyPlayed]);
    assert!(!normal.wishlisted);
    let error = views::card_ownership(&reader, "nope-1").unwrap_err();
    assert_eq!(error.code(), "card_not_found");
}

#[test]
fn quantity_writes_set_add_and_remove() {
    let (_folder, database) = catalogue();
    let pikachu = || target("s1-1", None, Condition::NearMint);

    let first = set_quantity(&database, pikachu(), 2);
    assert_eq!((first.quantity_before, first.quantity), (0, 2));
    assert_eq!(first.treatment, "Normal", "the first variation by position");
    let added = collection::write_blocking(database.writer(), move |connection| {
        entries::add_quantity(connection, &pikachu(), 3)
    })
    .unwrap();
    assert_eq!((added.quantity_before, added.quantity), (2, 5));
    let removed = set_quantity(&database, target("s1-1", None, Condition::NearMint), 0);
    assert_eq!((removed.quantity_before, removed.quantity), (5, 0));
    assert!(quantities(&database).is_empty());
}

#[test]
fn graded_and_ungraded_copies_are_separate_entries() {
    let (_folder, database) = catalogue();
    set_quantity(&database, target("s1-2", None, Condition::NearMint), 1);
    let graded = EntryTarget {
        grade: Some(Grade {
            company: "PSA".into(),
            grade: "10".into(),
        }),
        ..target("s1-2", None, Condition::NearMint)
    };
    set_quantity(&database, graded.clone(), 1);
    set_quantity(&database, graded, 2);
    let value = value::collection_value(&database.reader().unwrap(), today()).unwrap();
    assert_eq!(value.entries, 2);
    assert_eq!(value.copies, 3);
}

#[test]
fn write_errors_are_clear() {
    let (_folder, database) = catalogue();
    let write = |target: EntryTarget, update: EntryUpdate| {
        collection::write_blocking(database.writer(), move |connection| {
            entries::update_entry(connection, &target, &update)
        })
        .unwrap_err()
    };
    let set = |quantity| EntryUpdate {
        quantity: Some(QuantityChange::Set(quantity)),
        ..EntryUpdate::default()
    };

    let error = write(target("s9-1", None, Condition::NearMint), set(1));
    assert_eq!(error.code(), "card_not_found");
    let error = write(
        target("s1-1", Some("Holofoil"), Condition::NearMint),
        set(1),
    );
    assert_eq!(error.code(), "variation_not_found");
    assert!(
        error
            .to_string()
            .contains("Standard/Normal, Standard/Reverse Holofoil"),
        "{error}"
    );
    let add_none = EntryUpdate {
        quantity: Some(QuantityChange::Add(0)),
        ..EntryUpdate::default()
    };
    let error = write(target("s1-1", None, Condition::NearMint), add_none);
    assert_eq!(error.code(), "invalid_quantity");
    let note_only = EntryUpdate {
        note: Some(Some("hello".into())),
        ..EntryUpdate::default()
    };
    let error = write(target("s1-1", None, Condition::NearMint), note_only);
    assert_eq!(error.code(), "entry_not_found");
    let bad_currency = EntryUpdate {
        purchase: Some(Some(Purchase {
            price_cents: 100,
            currency: "dollars".into(),
        })),
        ..set(1)
    };
    let error = write(target("s1-1", None, Condition::NearMint), bad_currency);
    assert_eq!(error.code(), "invalid_entry");
    let half_grade = EntryTarget {
        grade: Some(Grade {
            company: "PSA".into(),
            grade: " ".into(),
        }),
        ..target("s1-1", None, Condition::NearMint)
    };
    assert_eq!(write(half_grade, set(1)).code(), "invalid_entry");
    assert!(
        quantities(&database).is_empty(),
        "no failed write left a row"
    );
}

/// Holds SQLite's write lock on another connection, as a sync in another process does, for
/// `hold` after the returned receiver gets a message, then commits.
fn hold_write_lock(
    database: &Database,
    hold: Duration,
) -> (thread::JoinHandle<()>, mpsc::Receiver<()>) {
    let path = database.path().to_path_buf();
    let (locked, on_locked) = mpsc::channel();
    let holder = thread::spawn(move || {
        let mut connection = Connection::open(path).unwrap();
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .unwrap();
        transaction
            .execute("UPDATE sets SET changed_at = ?1 WHERE id = 's2'", [NOW])
            .unwrap();
        locked.send(()).unwrap();
        thread::sleep(hold);
        transaction.commit().unwrap();
    });
    (holder, on_locked)
}

#[test]
fn writes_wait_for_another_writer() {
    let (_folder, database) = catalogue();
    let hold = Duration::from_millis(300);

    let (holder, locked) = hold_write_lock(&database, hold);
    locked.recv().unwrap();
    let started = Instant::now();
    let owned = collection::write_blocking(database.writer(), move |connection| {
        entries::set_quantity(connection, &target("s1-1", None, Condition::NearMint), 2)
    });
    let waited = started.elapsed();
    holder.join().unwrap();
    assert_eq!(owned.unwrap().quantity, 2);
    assert!(waited >= hold / 2, "set_quantity waited only {waited:?}");

    let (holder, locked) = hold_write_lock(&database, hold);
    locked.recv().unwrap();
    let wished = collection::write_blocking(database.writer(), move |connection| {
        entries::set_wishlisted(connection, "s1-2", None, true)
    });
    holder.join().unwrap();
    assert!(wished.unwrap().changed);

    let planned = plan(&database, ImportMode::Replace);
    let (holder, locked) = hold_write_lock(&database, hold);
    locked.recv().unwrap();
    let imported = apply(&database, planned);
    holder.join().unwrap();
    imported.unwrap();
    assert_eq!(quantities(&database).len(), 4);
}

fn record(fields: impl FnOnce(&mut EntryRecord)) -> EntryRecord {
    let mut record = EntryRecord::new();
    fields(&mut record);
    record
}

/// One row per matching rule and per reason a row is left out, with their line numbers.
fn sample_file() -> ParsedFile {
    let rows = vec![
        // 2: by card id.
        record(|r| r.card_id = Some("s1-1".into())),
        // 3: by set code and a printed number with total and leading zeros.
        record(|r| {
            r.set_code = Some("tst".into());
            r.number = Some("002/005".into());
            r.quantity = 2;
        }),
        // 4: by set name and card name, ignoring accents and case.
        record(|r| {
            r.set_name = Some("test one".into());
            r.card_name = Some("FLABEBE".into());
        }),
        // 5: by printing name.
        record(|r| {
            r.set_id = Some("s1".into());
            r.number = Some("1".into());
            r.printing = Some("Reverse Holofoil".into());
            r.condition = Condition::Damaged;
        }),
        // 6: ambiguous card name.
        record(|r| {
            r.set_name = Some("Test One".into());
            r.card_name = Some("Eevee".into());
        }),
        // 7: unknown set.
        record(|r| {
            r.set_name = Some("Base Set 9".into());
            r.number = Some("1".into());
        }),
        // 8: unknown variation key.
        record(|r| {
            r.card_id = Some("s1-1".into());
            r.variation_type = Some("V".into());
            r.treatment = Some("Normal".into());
        }),
        // 10 (9 is unreadable): the same entry as line 2, so the copies add up.
        record(|r| {
            r.card_id = Some("s1-1".into());
            r.note = Some("second row".into());
        }),
        // 11: a wishlist-only row.
        record(|r| {
            r.card_id = Some("s2-1".into());
            r.quantity = 0;
            r.wishlist = true;
        }),
    ];
    let mut parsed: Vec<ParsedRow> = rows
        .into_iter()
        .enumerate()
        .map(|(index, record)| ParsedRow {
            line: if index < 7 { index + 2 } else { index + 3 },
            record: Ok(record),
        })
        .collect();
    parsed.insert(
        7,
        ParsedRow {
            line: 9,
            record: Err("invalid quantity \"two\"".into()),
        },
    );
    ParsedFile {
        format: FileFormat::HoloCsv,
        rows: parsed,
    }
}

fn plan(database: &Database, mode: ImportMode) -> ImportPlan {
    plan_import(&database.reader().unwrap(), &sample_file(), mode).unwrap()
}

fn apply(database: &Database, plan: ImportPlan) -> Result<(), CollectionError> {
    collection::write_blocking(database.writer(), move |connection| {
        apply_import(connection, &plan)
    })
    .map(|_| ())
}

#[test]
fn import_plan_matches_and_reports_rows() {
    let (_folder, database) = catalogue();

    let plan = plan(&database, ImportMode::Replace);

    assert_eq!(plan.rows, 10);
    let added: Vec<(&str, &str, Vec<u32>, u32)> = plan
        .added
        .iter()
        .map(|e| {
            (
                e.card_id.as_str(),
                e.treatment.as_str(),
                e.lines.clone(),
                e.quantity,
            )
        })
        .collect();
    assert_eq!(
        added,
        [
            ("s1-1", "Normal", vec![2, 10], 2),
            ("s1-2", "Holofoil", vec![3], 2),
            ("s1-3", "Normal", vec![4], 1),
            ("s1-1", "Reverse Holofoil", vec![5], 1),
        ]
    );
    assert_eq!(plan.added[0].note.as_deref(), Some("second row"));
    assert!(plan.merged.is_empty());
    assert_eq!(plan.wishlisted.len(), 1);
    assert_eq!(plan.wishlisted[0].lines, [11]);
    let unmatched: Vec<u32> = plan.unmatched.iter().map(|row| row.line).collect();
    assert_eq!(unmatched, [6, 7, 8]);
    let reasons: Vec<&str> = plan
        .unmatched
        .iter()
        .map(|row| row.reason.as_str())
        .collect();
    assert!(
        reasons[0].starts_with("ambiguous: 2 cards named \"Eevee\""),
        "{}",
        reasons[0]
    );
    assert!(
        reasons[0].contains("s1-4 (Eevee #4, Test One), s1-5 (Eevee #5, Test One)"),
        "{}",
        reasons[0]
    );
    assert_eq!(reasons[1], "set \"Base Set 9\" not found");
    assert!(
        reasons[2].contains("has no variation \"V/Normal\""),
        "{}",
        reasons[2]
    );
    assert_eq!(plan.unreadable.len(), 1);
    assert_eq!(plan.unreadable[0].line, 9);
}

#[test]
fn import_twice_sets_add_mode_adds() {
    let (_folder, database) = catalogue();
    apply(&database, plan(&database, ImportMode::Replace)).unwrap();
    let once = quantities(&database);
    assert_eq!(once.len(), 4);

    let again = plan(&database, ImportMode::Replace);
    assert!(again.added.is_empty());
    assert_eq!(again.merged.len(), 4);
    assert!(again.wishlisted.is_empty(), "already on the wishlist");
    apply(&database, again).unwrap();
    assert_eq!(
        quantities(&database),
        once,
        "a second import changes nothing"
    );

    apply(&database, plan(&database, ImportMode::Add)).unwrap();
    let doubled: Vec<u32> = quantities(&database).iter().map(|row| row.3).collect();
    let single: Vec<u32> = once.iter().map(|row| row.3).collect();
    assert_eq!(doubled, single.iter().map(|q| q * 2).collect::<Vec<_>>());
}

#[test]
fn failed_import_changes_nothing() {
    let (_folder, database) = catalogue();
    set_quantity(&database, target("s1-2", None, Condition::NearMint), 7);
    let before = quantities(&database);

    // A planned entry whose variation does not exist fails on its foreign key after the
    // entries before it were written.
    let mut broken = plan(&database, ImportMode::Replace);
    let mut ghost = broken.added[0].clone();
    ghost.variation_id = 999_999;
    broken.added.push(ghost);
    let error = apply(&database, broken).unwrap_err();
    assert_eq!(error.code(), "database");
    assert_eq!(quantities(&database), before);
    let wishlisted: i64 = database
        .reader()
        .unwrap()
        .query_row("SELECT count(*) FROM wishlist", [], |row| row.get(0))
        .unwrap();
    assert_eq!(wishlisted, 0);

    // A plan made before the collection changed is refused whole.
    let outdated = plan(&database, ImportMode::Add);
    set_quantity(&database, target("s1-2", None, Condition::NearMint), 8);
    let error = apply(&database, outdated).unwrap_err();
    assert_eq!(error.code(), "plan_outdated");
    assert_eq!(quantities(&database)[0].3, 8);
    assert_eq!(quantities(&database).len(), 1);
}

/// Adds two sets with a subset each that shares their code, as Crown Zenith and Celebrations
/// have, with cards that share a name or a number.
fn add_sets_with_subsets(database: &Database) {
    let catalogue = Catalogue(Connection::open(database.path()).unwrap());
    let holo = [("Holofoil", Some("holofoil"))];
    catalogue.set("cz", "Crown Zenith", "CRZ", "2023-01-20");
    catalogue.set("czgg", "Crown Zenith Galarian Gallery", "CRZ", "2023-01-20");
    catalogue.card("cz", "160", "Pikachu", &holo);
    catalogue.card("czgg", "GG30", "Pikachu", &holo);
    catalogue.set("cel", "Celebrations", "CEL", "2021-10-08");
    catalogue.set(
        "celc",
        "Celebrations: Classic Collection",
        "CEL",
        "2021-10-08",
    );
    catalogue.card("cel", "15", "Lunala", &holo);
    catalogue.card_with_id("celc-15_A1", "celc", "15", "Venusaur", &holo);
    catalogue.card_with_id("celc-15_D", "celc", "15", "Claydol", &holo);
}

/// Plans one row read from a file of `format` and returns its card id or unmatched reason.
fn match_one(database: &Database, format: FileFormat, row: EntryRecord) -> Result<String, String> {
    let file = ParsedFile {
        format,
        rows: vec![ParsedRow {
            line: 2,
            record: Ok(row),
        }],
    };
    let plan = plan_import(&database.reader().unwrap(), &file, ImportMode::Replace).unwrap();
    match (plan.added.as_slice(), plan.unmatched.as_slice()) {
        ([entry], []) => Ok(entry.card_id.clone()),
        ([], [problem]) => Err(problem.reason.clone()),
        _ => panic!("expected one added or unmatched row: {plan:?}"),
    }
}

fn row(set_code: Option<&str>, set_name: &str, number: &str, card_name: &str) -> EntryRecord {
    record(|r| {
        r.set_code = set_code.map(str::to_owned);
        r.set_name = Some(set_name.into());
        r.number = Some(number.into());
        r.card_name = Some(card_name.into());
        r.printing = Some("Holofoil".into());
    })
}

#[test]
fn import_finds_numbers_in_subsets() {
    let (_folder, database) = catalogue();
    add_sets_with_subsets(&database);
    let collectr = FileFormat::CollectrCsv;

    let gallery = match_one(
        &database,
        collectr,
        row(None, "Crown Zenith", "GG30", "Pikachu"),
    );
    assert_eq!(gallery.as_deref(), Ok("czgg-GG30"));
    let main = match_one(
        &database,
        collectr,
        row(None, "Crown Zenith", "160", "Pikachu"),
    );
    assert_eq!(main.as_deref(), Ok("cz-160"));
}

#[test]
fn import_rejects_unknown_number_without_name_fallback() {
    let (_folder, database) = catalogue();
    add_sets_with_subsets(&database);
    let row = row(None, "Crown Zenith", "GG99", "Pikachu");

    let reason = match_one(&database, FileFormat::CollectrCsv, row).unwrap_err();

    assert!(
        reason.starts_with("set \"Crown Zenith\" has no card number GG99;"),
        "{reason}"
    );
}

#[test]
fn import_narrows_shared_numbers_by_name() {
    let (_folder, database) = catalogue();
    add_sets_with_subsets(&database);
    let tcgplayer = FileFormat::TcgplayerCsv;

    let lunala = match_one(
        &database,
        tcgplayer,
        row(Some("CEL"), "Celebrations", "15", "Lunala"),
    );
    assert_eq!(lunala.as_deref(), Ok("cel-15"));
    let classic = "Celebrations: Classic Collection";
    let claydol = match_one(
        &database,
        tcgplayer,
        row(Some("CEL"), classic, "15", "Claydol"),
    );
    assert_eq!(claydol.as_deref(), Ok("celc-15_D"));
}

#[test]
fn ambiguous_number_advice_fits_the_format() {
    let (_folder, database) = catalogue();
    add_sets_with_subsets(&database);
    let classic = "Celebrations: Classic Collection";

    let reason = match_one(
        &database,
        FileFormat::TcgplayerCsv,
        row(Some("CEL"), classic, "15", "Mew"),
    )
    .unwrap_err();
    assert!(
        reason.starts_with("ambiguous: 2 cards with number \"15\""),
        "{reason}"
    );
    assert!(
        reason.contains("celc-15_A1 (Venusaur #15, Celebrations: Classic Collection)"),
        "{reason}"
    );
    assert!(!reason.contains("card id"), "{reason}");
    assert!(
        reason.contains("change the row's set name or card name"),
        "{reason}"
    );

    let reason = match_one(
        &database,
        FileFormat::HoloCsv,
        row(Some("CEL"), classic, "15", "Mew"),
    )
    .unwrap_err();
    assert!(reason.ends_with("add the card id to the row"), "{reason}");
}

/// Language and grading company of every entry, in id order.
fn kinds(database: &Database) -> Vec<(String, Option<String>, u32)> {
    let reader = database.reader().unwrap();
    let mut statement = reader
        .prepare("SELECT language, grade_company, quantity FROM collection_entries ORDER BY id")
        .unwrap();
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn entry_case_variants_are_one_entry() {
    let (_folder, database) = catalogue();
    let graded = |company: &str| EntryTarget {
        grade: Some(Grade {
            company: company.into(),
            grade: "10".into(),
        }),
        ..target("s1-2", None, Condition::NearMint)
    };
    let in_language = |language: &str| EntryTarget {
        language: language.into(),
        ..target("s1-1", None, Condition::NearMint)
    };

    set_quantity(&database, graded("psa"), 1);
    let second = set_quantity(&database, graded("PSA"), 2);
    assert_eq!(second.quantity_before, 1);
    set_quantity(&database, in_language("japanese"), 1);
    let second = set_quantity(&database, in_language(" JAPANESE "), 3);
    assert_eq!(second.quantity_before, 1);
    assert_eq!(second.language, "Japanese");
    set_quantity(&database, in_language("Klingon"), 1);
    let unknown = set_quantity(&database, in_language("klingon"), 4);
    assert_eq!(unknown.language, "Klingon", "the first spelling is kept");

    let expected = [
        ("English".to_owned(), Some("PSA".to_owned()), 2),
        ("Japanese".to_owned(), None, 3),
        ("Klingon".to_owned(), None, 4),
    ];
    assert_eq!(kinds(&database), expected);
}

#[test]
fn import_case_variants_are_one_entry() {
    let (_folder, database) = catalogue();
    set_quantity(
        &database,
        EntryTarget {
            language: "Klingon".into(),
            ..target("s1-1", None, Condition::NearMint)
        },
        1,
    );
    let row = |language: &str, company: Option<&str>| {
        record(|r| {
            r.card_id = Some("s1-2".into());
            r.language = language.into();
            r.grade_company = company.map(str::to_owned);
            r.grade = company.map(|_| "9.5".to_owned());
        })
    };
    let rows = [
        row("french", Some("bgs")),
        row("FRENCH", Some("BGS")),
        row("KLINGON", None),
        row("vulcan", None),
        row("Vulcan", None),
    ];
    let file = ParsedFile {
        format: FileFormat::HoloCsv,
        rows: rows
            .into_iter()
            .enumerate()
            .map(|(index, record)| ParsedRow {
                line: index + 2,
                record: Ok(record),
            })
            .collect(),
    };

    let plan = plan_import(&database.reader().unwrap(), &file, ImportMode::Replace).unwrap();

    let added: Vec<(&str, Option<&str>, &[u32])> = plan
        .added
        .iter()
        .map(|entry| {
            let company = entry.grade.as_ref().map(|grade| grade.company.as_str());
            (entry.language.as_str(), company, entry.lines.as_slice())
        })
        .collect();
    let expected: [(&str, Option<&str>, &[u32]); 3] = [
        ("French", Some("BGS"), &[2, 3]),
        ("Klingon", None, &[4]),
        ("vulcan", None, &[5, 6]),
    ];
    assert_eq!(added, expected);
}
