//! The writes of a sync, run on the writer thread. A set, its cards, variations, prices and
//! search entries, and the set's result row, go in one transaction: a set is in the database
//! whole or as it was before.
//!
//! Every upsert updates only when the content differs and returns `revision`, so its counts are
//! what SQLite did: a row back with revision 0 was inserted, one with a higher revision was
//! updated, and no row back means the content was already there.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Statement, Transaction, params};

use super::events::{
    ErrorKind, RowChange, RunStatus, SetResult, SyncCounts, SyncErrorRecord, SyncSummary,
};
use super::lock::LockHolder;
use super::plan::StoredSet;
use super::prepare::{PreparedCard, PreparedSet, PriceSnapshot};
use crate::Result;
use crate::time::{api_date_to_iso, now_rfc3339};
use crate::variations::Variation;

const UPSERT_SET: &str = "
    INSERT INTO sets (id, name, series, printed_total, total, ptcgo_code, release_date,
                      api_updated_at, symbol_url, logo_url, data, created_at, changed_at)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)
    ON CONFLICT (id) DO UPDATE SET
        name = excluded.name, series = excluded.series, printed_total = excluded.printed_total,
        total = excluded.total, ptcgo_code = excluded.ptcgo_code,
        release_date = excluded.release_date, api_updated_at = excluded.api_updated_at,
        symbol_url = excluded.symbol_url, logo_url = excluded.logo_url, data = excluded.data,
        changed_at = excluded.changed_at, revision = revision + 1
    WHERE sets.data IS NOT excluded.data
    RETURNING revision";

// Every column but set_id is derived from `data`, so comparing the two covers them all.
const UPSERT_CARD: &str = "
    INSERT INTO cards (id, set_id, name, number, number_sort, supertype, subtypes, rarity,
                       image_small, image_large, data, created_at, changed_at)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)
    ON CONFLICT (id) DO UPDATE SET
        set_id = excluded.set_id, name = excluded.name, number = excluded.number,
        number_sort = excluded.number_sort, supertype = excluded.supertype,
        subtypes = excluded.subtypes, rarity = excluded.rarity,
        image_small = excluded.image_small, image_large = excluded.image_large,
        data = excluded.data, changed_at = excluded.changed_at, revision = revision + 1,
        delisted_at = NULL
    WHERE cards.data IS NOT excluded.data OR cards.set_id IS NOT excluded.set_id
       OR cards.delisted_at IS NOT NULL
    RETURNING revision";

// A set's cards that a complete fetch did not return (?2: a JSON array of the ids it did).
const DELIST_CARDS: &str = "
    UPDATE cards SET delisted_at = ?3
    WHERE set_id = ?1 AND delisted_at IS NULL AND id NOT IN (SELECT value FROM json_each(?2))";

// Sets a complete set list did not name (?1: a JSON array of the ids it did), and sets it
// names again.
const DELIST_SETS: &str = "
    UPDATE sets SET delisted_at = ?2
    WHERE delisted_at IS NULL AND id NOT IN (SELECT value FROM json_each(?1))";
const RELIST_SETS: &str = "
    UPDATE sets SET delisted_at = NULL
    WHERE delisted_at IS NOT NULL AND id IN (SELECT value FROM json_each(?1))";

// A variation the card has again loses its retired mark.
const UPSERT_VARIATION: &str = "
    INSERT INTO card_variations (card_id, variation_type, treatment, printing, position,
                                 created_at, changed_at)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
    ON CONFLICT (card_id, variation_type, treatment) DO UPDATE SET
        printing = excluded.printing, position = excluded.position,
        changed_at = excluded.changed_at, revision = revision + 1, retired_at = NULL
    WHERE card_variations.printing IS NOT excluded.printing
       OR card_variations.position IS NOT excluded.position
       OR card_variations.retired_at IS NOT NULL
    RETURNING revision";

// The current (not retired) variations of some cards (?1: a JSON array of card ids).
const CURRENT_VARIATIONS: &str = "
    SELECT id, card_id, variation_type, treatment, printing, position FROM card_variations
    WHERE retired_at IS NULL AND card_id IN (SELECT value FROM json_each(?1))";

const UPSERT_PRICE: &str = "
    INSERT INTO price_snapshots (card_id, source, price_date, url, prices, recorded_at)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6)
    ON CONFLICT (card_id, source, price_date) DO UPDATE SET
        url = excluded.url, prices = excluded.prices, recorded_at = excluded.recorded_at
    WHERE price_snapshots.prices IS NOT excluded.prices OR price_snapshots.url IS NOT excluded.url
    RETURNING id";

/// Writes one fetched set and its result row in one transaction.
pub fn write_set(
    connection: &mut Connection,
    run_id: &str,
    set: &PreparedSet,
    total_count: usize,
    cards: &[PreparedCard],
    mut errors: Vec<SyncErrorRecord>,
) -> Result<SetResult> {
    let transaction = connection.transaction()?;
    let now = now_rfc3339();
    let set_change = upsert_set(&transaction, set, &now)?;

    let mut counts = SyncCounts {
        cards_seen: (cards.len() + errors.len()) as u64,
        cards_fetched: (cards.len() + errors.len()) as u64,
        cards_failed: errors.len() as u64,
        ..SyncCounts::default()
    };
    write_cards(&transaction, &set.set.id, cards, &now, &mut counts)?;
    counts.cards_delisted = delist_missing_cards(&transaction, &set.set.id, cards, &errors, &now)?;

    let result = SetResult {
        set_id: set.set.id.clone(),
        set_name: set.set.name.clone(),
        status: if errors.is_empty() {
            super::SetStatus::Succeeded
        } else {
            super::SetStatus::Partial
        },
        set_change: Some(set_change),
        api_total_count: Some(total_count as u64),
        counts,
        errors: std::mem::take(&mut errors),
    };
    insert_set_result(&transaction, run_id, &result, &now)?;
    transaction.commit()?;
    Ok(result)
}

/// Upserts a set's cards with their variations and price snapshots, adding to `counts`.
fn write_cards(
    transaction: &Transaction,
    set_id: &str,
    cards: &[PreparedCard],
    now: &str,
    counts: &mut SyncCounts,
) -> Result<()> {
    // Prepared once per set rather than looked up in the statement cache once per row.
    let mut card_statement = transaction.prepare_cached(UPSERT_CARD)?;
    let mut variation_statement = transaction.prepare_cached(UPSERT_VARIATION)?;
    let mut price_statement = transaction.prepare_cached(UPSERT_PRICE)?;
    let mut stored_variations = load_current_variations(transaction, cards)?;
    for card in cards {
        match upsert_card(&mut card_statement, set_id, card, now)? {
            RowChange::Inserted => counts.cards_inserted += 1,
            RowChange::Updated => counts.cards_updated += 1,
            RowChange::Unchanged => counts.cards_unchanged += 1,
        }
        let stored = stored_variations.remove(&card.id).unwrap_or_default();
        for (position, variation) in card.variations.iter().enumerate() {
            match upsert_variation(&mut variation_statement, &card.id, variation, position, now)? {
                RowChange::Inserted => counts.variations_inserted += 1,
                RowChange::Updated => counts.variations_updated += 1,
                RowChange::Unchanged => counts.variations_unchanged += 1,
            }
        }
        retire_missing_variations(transaction, card, &stored, now)?;
        for price in &card.prices {
            if upsert_price(&mut price_statement, &card.id, price, now)? {
                counts.prices_recorded += 1;
            }
        }
    }

    Ok(())
}

/// A stored variation, as the sync compares it with a card's new variations.
#[derive(Debug)]
struct StoredVariation {
    id: i64,
    variation_type: String,
    treatment: String,
    printing: Option<String>,
    position: i64,
}

/// Reads the current variations of the cards about to be written, by card id.
fn load_current_variations(
    transaction: &Transaction,
    cards: &[PreparedCard],
) -> Result<HashMap<String, Vec<StoredVariation>>> {
    let ids: Vec<&str> = cards.iter().map(|card| card.id.as_str()).collect();
    let ids = serde_json::to_string(&ids).expect("a list of strings always serialises");
    let mut statement = transaction.prepare_cached(CURRENT_VARIATIONS)?;
    let mut rows = statement.query([ids])?;
    let mut by_card: HashMap<String, Vec<StoredVariation>> = HashMap::new();
    while let Some(row) = rows.next()? {
        by_card
            .entry(row.get(1)?)
            .or_default()
            .push(StoredVariation {
                id: row.get(0)?,
                variation_type: row.get(2)?,
                treatment: row.get(3)?,
                printing: row.get(4)?,
                position: row.get(5)?,
            });
    }
    Ok(by_card)
}

/// Marks the card's stored variations that its new data no longer derives as retired, and
/// moves their collection entries and wishlist marks to the new variation that stands for the
/// same copies:
///
/// - the new variation with the same `printing` key, so a renamed treatment keeps its price;
/// - else, when the old variation had no printing or none of the new ones has one (the card
///   lost or gained its prices), the new variation at the same position.
///
/// An entry whose identity the target already has stays on the retired variation rather than
/// being merged, so that no quantity, price or note changes. Every entry stays too when no
/// variation matches. Both remain listed, flagged as on a retired variation.
fn retire_missing_variations(
    transaction: &Transaction,
    card: &PreparedCard,
    stored: &[StoredVariation],
    now: &str,
) -> Result<()> {
    let is_current = |old: &StoredVariation| {
        card.variations
            .iter()
            .any(|new| new.variation_type == old.variation_type && new.treatment == old.treatment)
    };
    for old in stored.iter().filter(|old| !is_current(old)) {
        transaction
            .prepare_cached("UPDATE card_variations SET retired_at = ?2 WHERE id = ?1")?
            .execute(params![old.id, now])?;
        let Some(target) = follow_target(old, &card.variations) else {
            tracing::info!(card_id = %card.id, variation = %old.treatment, "retired a variation with no successor");
            continue;
        };
        let target_id: i64 = transaction
            .prepare_cached(
                "SELECT id FROM card_variations
                 WHERE card_id = ?1 AND variation_type = ?2 AND treatment = ?3",
            )?
            .query_row(
                params![card.id, target.variation_type, target.treatment],
                |row| row.get(0),
            )?;
        let moved = transaction
            .prepare_cached(
                "UPDATE OR IGNORE collection_entries SET variation_id = ?2 WHERE variation_id = ?1",
            )?
            .execute(params![old.id, target_id])?;
        transaction
            .prepare_cached(
                "UPDATE OR IGNORE wishlist SET variation_id = ?2 WHERE variation_id = ?1",
            )?
            .execute(params![old.id, target_id])?;
        tracing::info!(
            card_id = %card.id,
            from = %old.treatment,
            to = %target.treatment,
            entries_moved = moved,
            "retired a variation and moved its entries"
        );
    }
    Ok(())
}

/// Returns the new variation that takes over a retired one's entries, if any.
fn follow_target<'a>(old: &StoredVariation, new: &'a [Variation]) -> Option<&'a Variation> {
    if let Some(printing) = &old.printing {
        let same_printing = new
            .iter()
            .find(|variation| variation.printing.as_ref() == Some(printing));
        if same_printing.is_some() {
            return same_printing;
        }
    }
    let new_has_printings = new.iter().any(|variation| variation.printing.is_some());
    if old.printing.is_none() || !new_has_printings {
        return usize::try_from(old.position)
            .ok()
            .and_then(|position| new.get(position));
    }
    None
}

/// Marks the set's stored cards that this complete fetch did not return as delisted. Cards that
/// failed to parse were returned, so they count as listed; a failure without an id could be
/// any card, so then nothing is marked.
fn delist_missing_cards(
    transaction: &Transaction,
    set_id: &str,
    cards: &[PreparedCard],
    errors: &[SyncErrorRecord],
    now: &str,
) -> Result<u64> {
    if errors.iter().any(|error| error.card_id.is_none()) {
        return Ok(0);
    }
    let returned: Vec<&str> = cards
        .iter()
        .map(|card| card.id.as_str())
        .chain(errors.iter().filter_map(|error| error.card_id.as_deref()))
        .collect();
    let returned = serde_json::to_string(&returned).expect("a list of strings always serialises");
    let delisted = transaction
        .prepare_cached(DELIST_CARDS)?
        .execute(params![set_id, returned, now])?;
    Ok(delisted as u64)
}

/// Marks the stored sets that a complete set list did not name as delisted, and clears the mark
/// of those it names again. Returns how many sets were newly delisted.
pub fn delist_missing_sets(connection: &mut Connection, listed: &[String]) -> Result<u64> {
    let transaction = connection.transaction()?;
    let listed = serde_json::to_string(listed).expect("a list of strings always serialises");
    let delisted = transaction.execute(DELIST_SETS, params![listed, now_rfc3339()])?;
    transaction.execute(RELIST_SETS, params![listed])?;
    transaction.commit()?;
    Ok(delisted as u64)
}

/// Records a set that was not written, with its errors, leaving the set's rows untouched.
pub fn record_failed_set(
    connection: &mut Connection,
    run_id: &str,
    result: &SetResult,
) -> Result<()> {
    let transaction = connection.transaction()?;
    insert_set_result(&transaction, run_id, result, &now_rfc3339())?;
    transaction.commit()?;
    Ok(())
}

fn upsert_set(transaction: &Transaction, prepared: &PreparedSet, now: &str) -> Result<RowChange> {
    let set = &prepared.set;
    let revision = transaction
        .prepare_cached(UPSERT_SET)?
        .query_row(
            params![
                set.id,
                set.name,
                set.series,
                set.printed_total,
                set.total,
                set.ptcgo_code,
                api_date_to_iso(&set.release_date),
                set.updated_at,
                set.images.symbol,
                set.images.logo,
                prepared.data,
                now,
            ],
            |row| row.get::<_, i64>(0),
        )
        .optional()?;
    Ok(row_change(revision))
}

fn upsert_card(
    statement: &mut Statement,
    set_id: &str,
    card: &PreparedCard,
    now: &str,
) -> Result<RowChange> {
    let revision = statement
        .query_row(
            params![
                card.id,
                set_id,
                card.name,
                card.number,
                card.number_sort,
                card.supertype,
                card.subtypes,
                card.rarity,
                card.image_small,
                card.image_large,
                card.data,
                now,
            ],
            |row| row.get::<_, i64>(0),
        )
        .optional()?;
    Ok(row_change(revision))
}

fn upsert_variation(
    statement: &mut Statement,
    card_id: &str,
    variation: &Variation,
    position: usize,
    now: &str,
) -> Result<RowChange> {
    let revision = statement
        .query_row(
            params![
                card_id,
                variation.variation_type,
                variation.treatment,
                variation.printing,
                position as i64,
                now,
            ],
            |row| row.get::<_, i64>(0),
        )
        .optional()?;
    Ok(row_change(revision))
}

/// Returns whether a snapshot was added or corrected.
fn upsert_price(
    statement: &mut Statement,
    card_id: &str,
    price: &PriceSnapshot,
    now: &str,
) -> Result<bool> {
    let id = statement
        .query_row(
            params![
                card_id,
                price.source,
                price.price_date,
                price.url,
                price.prices,
                now
            ],
            |row| row.get::<_, i64>(0),
        )
        .optional()?;
    Ok(id.is_some())
}

fn row_change(revision: Option<i64>) -> RowChange {
    match revision {
        None => RowChange::Unchanged,
        Some(0) => RowChange::Inserted,
        Some(_) => RowChange::Updated,
    }
}

fn insert_set_result(
    transaction: &Transaction,
    run_id: &str,
    result: &SetResult,
    now: &str,
) -> Result<()> {
    let counts = &result.counts;
    transaction
        .prepare_cached(
            "INSERT INTO sync_set_results (run_id, set_id, status, api_total_count, cards_seen,
                 cards_inserted, cards_updated, cards_unchanged, cards_failed, variations_inserted,
                 variations_updated, variations_unchanged, prices_recorded, finished_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?
        .execute(params![
            run_id,
            result.set_id,
            result.status.as_str(),
            result.api_total_count.map(|count| count as i64),
            counts.cards_seen as i64,
            counts.cards_inserted as i64,
            counts.cards_updated as i64,
            counts.cards_unchanged as i64,
            counts.cards_failed as i64,
            counts.variations_inserted as i64,
            counts.variations_updated as i64,
            counts.variations_unchanged as i64,
            counts.prices_recorded as i64,
            now,
        ])?;
    insert_errors(transaction, run_id, &result.errors, now)
}

fn insert_errors(
    transaction: &Transaction,
    run_id: &str,
    errors: &[SyncErrorRecord],
    now: &str,
) -> Result<()> {
    let mut statement = transaction.prepare_cached(
        "INSERT INTO sync_errors (run_id, set_id, card_id, kind, message, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for error in errors {
        statement.execute(params![
            run_id,
            error.set_id,
            error.card_id,
            error.kind.as_str(),
            error.message,
            now
        ])?;
    }
    Ok(())
}

/// Marks runs left `running` by a process that ended mid-run as failed. Only called while
/// holding the sync lock, so no such run can still be alive.
pub fn close_interrupted_runs(connection: &mut Connection) -> Result<usize> {
    let transaction = connection.transaction()?;
    let now = now_rfc3339();
    let run_ids: Vec<String> = transaction
        .prepare("SELECT id FROM sync_runs WHERE status = 'running'")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for run_id in &run_ids {
        let error = SyncErrorRecord {
            kind: ErrorKind::Interrupted,
            set_id: None,
            card_id: None,
            message: "the process ended before the run finished".into(),
        };
        insert_errors(&transaction, run_id, std::slice::from_ref(&error), &now)?;
        transaction.execute(
            "UPDATE sync_runs SET status = ?2, finished_at = ?3 WHERE id = ?1",
            params![run_id, RunStatus::Failed.as_str(), now],
        )?;
    }
    transaction.commit()?;
    Ok(run_ids.len())
}

/// Inserts the `running` record of a new run.
pub fn begin_run(connection: &mut Connection, holder: &LockHolder, api_url: &str) -> Result<()> {
    connection.execute(
        "INSERT INTO sync_runs (id, status, api_url, pid, started_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            holder.run_id,
            RunStatus::Running.as_str(),
            api_url,
            holder.pid,
            holder.started_at
        ],
    )?;
    Ok(())
}

/// Stores a run's final status and summary, and the run-level errors (those without a set
/// result row, such as a failed set list).
pub fn finish_run(
    connection: &mut Connection,
    summary: &SyncSummary,
    run_errors: &[SyncErrorRecord],
) -> Result<()> {
    let transaction = connection.transaction()?;
    insert_errors(
        &transaction,
        &summary.run_id,
        run_errors,
        &summary.finished_at,
    )?;
    let summary_json = serde_json::to_string(summary).expect("a summary always serialises");
    transaction.execute(
        "UPDATE sync_runs SET status = ?2, finished_at = ?3, summary = ?4 WHERE id = ?1",
        params![
            summary.run_id,
            summary.status.as_str(),
            summary.finished_at,
            summary_json
        ],
    )?;
    transaction.commit()?;
    Ok(())
}

/// Reads the stored state of every set, for the planner.
pub fn load_stored_sets(connection: &Connection) -> Result<HashMap<String, StoredSet>> {
    let mut statement = connection.prepare(
        "WITH latest AS (
             -- SQLite returns the bare columns of the row that holds the max().
             SELECT set_id, status, max(finished_at) AS finished_at
             FROM sync_set_results GROUP BY set_id
         ),
         card_counts AS (SELECT set_id, count(*) AS cards FROM cards GROUP BY set_id),
         variation_counts AS (
             SELECT cards.set_id, count(*) AS variations
             FROM card_variations JOIN cards ON cards.id = card_variations.card_id
             GROUP BY cards.set_id
         )
         SELECT sets.id, sets.data, latest.status, latest.finished_at,
                ifnull(card_counts.cards, 0), ifnull(variation_counts.variations, 0)
         FROM sets
         LEFT JOIN latest ON latest.set_id = sets.id
         LEFT JOIN card_counts ON card_counts.set_id = sets.id
         LEFT JOIN variation_counts ON variation_counts.set_id = sets.id",
    )?;
    let rows = statement.query_map([], |row| {
        let status: Option<String> = row.get(2)?;
        let finished_at: Option<String> = row.get(3)?;
        Ok((
            row.get::<_, String>(0)?,
            StoredSet {
                data: row.get(1)?,
                last_result: status.zip(finished_at),
                cards: row.get::<_, i64>(4)? as u64,
                variations: row.get::<_, i64>(5)? as u64,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const PRICES_REFRESHED_AT: &str = "prices_refreshed_at";

/// Returns when prices were last refreshed for every card, if ever.
pub fn prices_refreshed_at(connection: &Connection) -> Result<Option<String>> {
    Ok(connection
        .query_row(
            "SELECT value FROM sync_state WHERE key = ?1",
            [PRICES_REFRESHED_AT],
            |row| row.get(0),
        )
        .optional()?)
}

pub fn set_prices_refreshed_at(connection: &mut Connection, at: &str) -> Result<()> {
    connection.execute(
        "INSERT INTO sync_state (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![PRICES_REFRESHED_AT, at],
    )?;
    Ok(())
}

/// Writes one page of a price refresh in one transaction. Snapshots of cards the database does
/// not have yet are left out: the card's set will bring them when it is fetched. Returns the
/// snapshots added or corrected.
pub fn write_price_page(
    connection: &mut Connection,
    cards: &[(String, Vec<PriceSnapshot>)],
) -> Result<u64> {
    let transaction = connection.transaction()?;
    let now = now_rfc3339();
    let mut recorded = 0;
    {
        let mut known = transaction.prepare_cached("SELECT 1 FROM cards WHERE id = ?1")?;
        let mut price_statement = transaction.prepare_cached(UPSERT_PRICE)?;
        for (card_id, prices) in cards {
            if !known.exists([card_id])? {
                continue;
            }
            for price in prices {
                if upsert_price(&mut price_statement, card_id, price, &now)? {
                    recorded += 1;
                }
            }
        }
    }
    transaction.commit()?;
    Ok(recorded)
}
