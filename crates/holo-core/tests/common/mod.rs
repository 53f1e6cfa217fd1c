//! Helpers shared by the collection tests: an emulator on the real card data, synced
//! databases, and owning cards through the core's writer.

#![allow(dead_code)] // Each test binary uses its own subset.

use holo_core::api::{ApiClient, ApiConfig};
use holo_core::collection::entries::{EntryTarget, EntryUpdate, Grade, Purchase, QuantityChange};
use holo_core::collection::record::Condition;
use holo_core::collection::variation::VariationSelector;
use holo_core::collection::{self, entries};
use holo_core::db::Database;
use holo_core::sync::{RunStatus, SyncMode, SyncOptions, SyncSummary, run_sync};
use holo_emulator::{EmulatorConfig, RunningEmulator};
use rusqlite::Connection;
use tokio::sync::mpsc;

pub async fn start_real_emulator() -> RunningEmulator {
    holo_emulator::start(EmulatorConfig::new(holo_emulator::default_data_dir()))
        .await
        .expect("the emulator starts on the shared data")
}

/// Syncs `database` from `base_url` and asserts that the run succeeded.
pub async fn sync(database: &Database, base_url: &str, mode: SyncMode) -> SyncSummary {
    let client = ApiClient::new(ApiConfig::new(base_url, None)).unwrap();
    let (events, _receiver) = mpsc::unbounded_channel();
    let options = SyncOptions {
        mode,
        ..SyncOptions::default()
    };
    let summary = run_sync(database, &client, options, events).await.unwrap();
    assert_eq!(summary.status, RunStatus::Succeeded, "{:?}", summary.errors);
    summary
}

/// Opens a new database in `folder` and syncs it from `base_url`.
pub async fn synced_database(folder: &std::path::Path, base_url: &str) -> Database {
    let database = Database::open(folder.join("holo.db")).unwrap();
    sync(&database, base_url, SyncMode::Incremental).await;
    database
}

/// One entry to own: card, variation (`None` for the first), condition, grade, language,
/// quantity, purchase price in cents (USD) and note.
pub struct Own<'a> {
    pub card_id: &'a str,
    pub variation: Option<&'a str>,
    pub condition: Condition,
    pub grade: Option<(&'a str, &'a str)>,
    pub language: &'a str,
    pub quantity: u32,
    pub price_cents: Option<i64>,
    pub note: Option<&'a str>,
}

impl<'a> Own<'a> {
    pub fn new(card_id: &'a str, quantity: u32) -> Self {
        Own {
            card_id,
            variation: None,
            condition: Condition::NearMint,
            grade: None,
            language: "English",
            quantity,
            price_cents: None,
            note: None,
        }
    }

    pub fn target(&self) -> EntryTarget {
        EntryTarget {
            card_id: self.card_id.to_owned(),
            variation: self
                .variation
                .map(|text| text.parse::<VariationSelector>().unwrap()),
            condition: self.condition,
            grade: self.grade.map(|(company, grade)| Grade {
                company: company.to_owned(),
                grade: grade.to_owned(),
            }),
            language: self.language.to_owned(),
        }
    }
}

/// Owns each entry through the writer, setting its quantity, price and note.
pub async fn own_all(database: &Database, owned: &[Own<'_>]) {
    for own in owned {
        let target = own.target();
        let update = EntryUpdate {
            quantity: Some(QuantityChange::Set(own.quantity)),
            purchase: own.price_cents.map(|price_cents| {
                Some(Purchase {
                    price_cents,
                    currency: "USD".to_owned(),
                })
            }),
            note: own.note.map(|note| Some(note.to_owned())),
        };
        collection::write(database.writer(), move |connection| {
            entries::update_entry(connection, &target, &update)
        })
        .await
        .unwrap_or_else(|error| panic!("owning {}: {error}", own.card_id));
    }
}

/// Puts a variation on the wishlist through the writer.
pub async fn wish(database: &Database, card_id: &str, variation: Option<&str>) {
    let card_id = card_id.to_owned();
    let selector = variation.map(|text| text.parse::<VariationSelector>().unwrap());
    collection::write(database.writer(), move |connection| {
        entries::set_wishlisted(connection, &card_id, selector.as_ref(), true)
    })
    .await
    .unwrap();
}

/// Every entry and wishlist row with its card and variation key, in a stable order: what "the
/// collection is unchanged" compares.
pub fn collection_dump(database: &Database) -> Vec<String> {
    let connection: Connection = database.reader().unwrap();
    let queries = [
        "SELECT v.card_id || '|' || v.variation_type || '|' || v.treatment || '|' || e.quantity
                || '|' || e.condition || '|' || ifnull(e.grade_company, '-') || '|'
                || ifnull(e.grade, '-') || '|' || e.language || '|'
                || ifnull(e.purchase_price_cents, '-') || '|' || ifnull(e.purchase_currency, '-')
                || '|' || e.added_at || '|' || ifnull(e.note, '-') || '|' || e.id
         FROM collection_entries e JOIN card_variations v ON v.id = e.variation_id
         ORDER BY e.id",
        "SELECT 'wish|' || v.card_id || '|' || v.variation_type || '|' || v.treatment || '|'
                || w.added_at
         FROM wishlist w JOIN card_variations v ON v.id = w.variation_id ORDER BY v.id",
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
