//! Read-only views of the collection for the app and the CLI: entries, a card's ownership, a
//! set grid's marks and set completion.
//!
//! Every function takes a read connection (see [`crate::db::Database::reader`]). Functions that
//! flag stale prices take `today`; pass [`super::prices::today_utc`].

use chrono::NaiveDate;
use rusqlite::{Connection, Row};
use serde::Serialize;

use super::entries::Grade;
use super::error::CollectionError;
use super::prices::{LATEST_TCGPLAYER_SNAPSHOT, price_cents_sql, stale_cutoff};
use super::record::Condition;
use super::variation::card_variations;

/// One entry as the collection list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EntryView {
    pub entry_id: i64,
    pub card_id: String,
    pub card_name: String,
    pub number: String,
    pub rarity: Option<String>,
    pub set_id: String,
    pub set_name: String,
    pub image_small: Option<String>,
    pub variation_type: String,
    pub treatment: String,
    /// The `tcgplayer.prices` key of the variation (`reverseHolofoil`).
    pub printing: Option<String>,
    pub condition: Condition,
    pub grade: Option<Grade>,
    pub language: String,
    pub quantity: u32,
    pub purchase_price_cents: Option<i64>,
    pub purchase_currency: Option<String>,
    pub note: Option<String>,
    pub added_at: String,
    /// The market price of one copy in US cents; see [`super::prices`].
    pub market_price_cents: Option<i64>,
    /// `YYYY-MM-DD`.
    pub market_price_date: Option<String>,
    /// The price is more than 30 days older than `today`.
    pub stale: bool,
    /// The API no longer lists the card.
    pub delisted: bool,
    /// The card's latest data no longer has this variation.
    pub variation_retired: bool,
    pub wishlisted: bool,
}

/// The columns every entry query selects, in [`entry_from_row`]'s order. `c`, `s`, `v` and `i`
/// are the card, set, variation and the entry (or wishlist) row; `p` is the latest snapshot.
pub(crate) fn entry_columns() -> String {
    format!(
        "i.entry_id, c.id, c.name, c.number, c.rarity, s.id, s.name, c.image_small,
         v.variation_type, v.treatment, v.printing, i.condition, i.grade_company, i.grade,
         i.language, i.quantity, i.purchase_price_cents, i.purchase_currency, i.note,
         i.added_at, {}, p.price_date, c.delisted_at IS NOT NULL, v.retired_at IS NOT NULL,
         EXISTS (SELECT 1 FROM wishlist w WHERE w.variation_id = v.id), s.ptcgo_code",
        price_cents_sql("p", "v.printing")
    )
}

/// The joins behind [`entry_columns`], given the `items` row source.
pub(crate) fn entry_joins(items: &str) -> String {
    format!(
        "{items} i
         JOIN card_variations v ON v.id = i.variation_id
         JOIN cards c ON c.id = v.card_id
         JOIN sets s ON s.id = c.set_id
         LEFT JOIN price_snapshots p ON p.id = {LATEST_TCGPLAYER_SNAPSHOT}"
    )
}

/// The collection's order: set release date, set id, card number in natural order, variation
/// position (retired variations last), then condition best first, ungraded before graded,
/// grade company and grade as text, and language. Owned rows come before a wishlist-only row
/// of the same variation.
pub(crate) const ENTRY_ORDER: &str = "s.release_date, s.id, c.number_sort, c.number, c.id,
     v.retired_at IS NOT NULL, v.position, v.variation_type, v.treatment, i.quantity = 0,
     CASE i.condition WHEN 'Near Mint' THEN 0 WHEN 'Lightly Played' THEN 1
         WHEN 'Moderately Played' THEN 2 WHEN 'Heavily Played' THEN 3 ELSE 4 END,
     ifnull(i.grade_company, ''), ifnull(i.grade, ''), i.language";

/// Reads a row of [`entry_columns`]. `cutoff` is the first price date that is not stale.
pub(crate) fn entry_from_row(row: &Row<'_>, cutoff: &str) -> rusqlite::Result<EntryView> {
    let condition: String = row.get(11)?;
    let company: Option<String> = row.get(12)?;
    let grade: Option<String> = row.get(13)?;
    let market_price_date: Option<String> = row.get(21)?;
    let market_price_cents: Option<i64> = row.get(20)?;
    Ok(EntryView {
        entry_id: row.get::<_, Option<i64>>(0)?.unwrap_or(0),
        card_id: row.get(1)?,
        card_name: row.get(2)?,
        number: row.get(3)?,
        rarity: row.get(4)?,
        set_id: row.get(5)?,
        set_name: row.get(6)?,
        image_small: row.get(7)?,
        variation_type: row.get(8)?,
        treatment: row.get(9)?,
        printing: row.get(10)?,
        condition: parse_condition(&condition, 11)?,
        grade: company
            .zip(grade)
            .map(|(company, grade)| Grade { company, grade }),
        language: row.get(14)?,
        quantity: row.get(15)?,
        purchase_price_cents: row.get(16)?,
        purchase_currency: row.get(17)?,
        note: row.get(18)?,
        added_at: row.get(19)?,
        stale: market_price_cents.is_some()
            && market_price_date
                .as_deref()
                .is_some_and(|date| date < cutoff),
        market_price_cents,
        market_price_date,
        delisted: row.get(22)?,
        variation_retired: row.get(23)?,
        wishlisted: row.get(24)?,
    })
}

/// Reads a stored condition; the schema's CHECK allows only the five names.
pub(crate) fn parse_condition(text: &str, column: usize) -> rusqlite::Result<Condition> {
    text.parse().map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(
            column,
            rusqlite::types::Type::Text,
            Box::new(error),
        )
    })
}

/// Returns every entry in the collection's order (see the export module), with its card, set
/// and latest market price.
pub fn list_entries(
    connection: &Connection,
    today: NaiveDate,
) -> Result<Vec<EntryView>, CollectionError> {
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {ENTRY_ORDER}",
        entry_columns(),
        entry_joins("(SELECT id AS entry_id, * FROM collection_entries)")
    );
    let cutoff = stale_cutoff(today);
    let entries = connection
        .prepare(&sql)?
        .query_map([], |row| entry_from_row(row, &cutoff))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(entries)
}

/// One copy kind of a variation, for the card page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OwnedCopies {
    pub entry_id: i64,
    pub condition: Condition,
    pub grade: Option<Grade>,
    pub language: String,
    pub quantity: u32,
    pub purchase_price_cents: Option<i64>,
    pub purchase_currency: Option<String>,
    pub note: Option<String>,
    pub added_at: String,
}

/// One variation of a card with what the collector has of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VariationOwnership {
    pub variation_type: String,
    pub treatment: String,
    pub printing: Option<String>,
    /// The card's latest data no longer has this variation. Retired variations are listed only
    /// when they still have entries or a wishlist mark.
    pub retired: bool,
    pub wishlisted: bool,
    /// Copies owned across `entries`.
    pub quantity: u32,
    /// In the collection's order.
    pub entries: Vec<OwnedCopies>,
}

/// A card's variations with the collector's entries and wishlist marks, for the card page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CardOwnership {
    pub card_id: String,
    /// Copies owned across every variation.
    pub quantity: u32,
    pub variations: Vec<VariationOwnership>,
}

/// Returns a card's ownership; [`CollectionError::CardNotFound`] when the card is unknown.
pub fn card_ownership(
    connection: &Connection,
    card_id: &str,
) -> Result<CardOwnership, CollectionError> {
    let variations = card_variations(connection, card_id)?;
    let mut entries_statement = connection.prepare_cached(
        "SELECT id, condition, grade_company, grade, language, quantity, purchase_price_cents,
                purchase_currency, note, added_at
         FROM collection_entries i WHERE variation_id = ?1
         ORDER BY CASE i.condition WHEN 'Near Mint' THEN 0 WHEN 'Lightly Played' THEN 1
                  WHEN 'Moderately Played' THEN 2 WHEN 'Heavily Played' THEN 3 ELSE 4 END,
                  ifnull(grade_company, ''), ifnull(grade, ''), language",
    )?;
    let mut wishlist_statement =
        connection.prepare_cached("SELECT 1 FROM wishlist WHERE variation_id = ?1")?;

    let mut ownership = CardOwnership {
        card_id: card_id.to_owned(),
        quantity: 0,
        variations: Vec::with_capacity(variations.len()),
    };
    for variation in variations {
        let entries = entries_statement
            .query_map([variation.id], copies_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let wishlisted = wishlist_statement.exists([variation.id])?;
        if variation.retired && entries.is_empty() && !wishlisted {
            continue;
        }
        let quantity = entries.iter().map(|entry| entry.quantity).sum();
        ownership.quantity += quantity;
        ownership.variations.push(VariationOwnership {
            variation_type: variation.variation_type,
            treatment: variation.treatment,
            printing: variation.printing,
            retired: variation.retired,
            wishlisted,
            quantity,
            entries,
        });
    }
    Ok(ownership)
}

fn copies_from_row(row: &Row<'_>) -> rusqlite::Result<OwnedCopies> {
    let condition: String = row.get(1)?;
    let company: Option<String> = row.get(2)?;
    let grade: Option<String> = row.get(3)?;
    Ok(OwnedCopies {
        entry_id: row.get(0)?,
        condition: parse_condition(&condition, 1)?,
        grade: company
            .zip(grade)
            .map(|(company, grade)| Grade { company, grade }),
        language: row.get(4)?,
        quantity: row.get(5)?,
        purchase_price_cents: row.get(6)?,
        purchase_currency: row.get(7)?,
        note: row.get(8)?,
        added_at: row.get(9)?,
    })
}

/// The mark a set grid shows on one card: copies owned and whether any variation is wishlisted.
/// "Owned" is `quantity > 0`, "duplicates" is `quantity > 1`, and a card without a mark is
/// missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OwnedMark {
    pub card_id: String,
    /// Copies owned across the card's variations and entries.
    pub quantity: u32,
    /// Variations with at least one copy.
    pub variations_owned: u32,
    pub wishlisted: bool,
}

/// Returns the marks of a set's cards that are owned or wishlisted, in natural number order.
/// Cards without either are left out.
pub fn owned_marks(
    connection: &Connection,
    set_id: &str,
) -> Result<Vec<OwnedMark>, CollectionError> {
    let mut statement = connection.prepare_cached(
        "SELECT c.id,
                (SELECT ifnull(sum(e.quantity), 0) FROM collection_entries e
                 JOIN card_variations v ON v.id = e.variation_id WHERE v.card_id = c.id),
                (SELECT count(DISTINCT e.variation_id) FROM collection_entries e
                 JOIN card_variations v ON v.id = e.variation_id WHERE v.card_id = c.id),
                EXISTS (SELECT 1 FROM wishlist w
                        JOIN card_variations v ON v.id = w.variation_id WHERE v.card_id = c.id)
                    AS wishlisted
         FROM cards c WHERE c.set_id = ?1
         ORDER BY c.number_sort, c.number",
    )?;
    let marks = statement
        .query_map([set_id], |row| {
            Ok(OwnedMark {
                card_id: row.get(0)?,
                quantity: row.get(1)?,
                variations_owned: row.get(2)?,
                wishlisted: row.get(3)?,
            })
        })?
        .filter(|mark| {
            mark.as_ref()
                .map_or(true, |mark| mark.quantity > 0 || mark.wishlisted)
        })
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(marks)
}

/// A set's completion, counted from the stored rows rather than the set's `total`.
/// Delisted cards and retired variations count in neither the owned nor the total figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SetCompletion {
    pub set_id: String,
    pub set_name: String,
    /// Cards with at least one copy of any variation.
    pub cards_owned: u32,
    pub cards_total: u32,
    /// Variations with at least one copy: the master set's progress.
    pub variations_owned: u32,
    pub variations_total: u32,
}

const COMPLETION_SQL: &str = "
    WITH listed AS (
        SELECT c.id, c.set_id FROM cards c WHERE c.delisted_at IS NULL
    ),
    current AS (
        SELECT v.id, v.card_id, listed.set_id FROM card_variations v
        JOIN listed ON listed.id = v.card_id WHERE v.retired_at IS NULL
    ),
    owned_cards AS (
        SELECT listed.set_id, count(DISTINCT listed.id) AS owned FROM collection_entries e
        JOIN card_variations v ON v.id = e.variation_id JOIN listed ON listed.id = v.card_id
        GROUP BY listed.set_id
    ),
    owned_variations AS (
        SELECT current.set_id, count(DISTINCT current.id) AS owned FROM collection_entries e
        JOIN current ON current.id = e.variation_id GROUP BY current.set_id
    )
    SELECT s.id, s.name, ifnull(owned_cards.owned, 0),
           (SELECT count(*) FROM listed WHERE listed.set_id = s.id),
           ifnull(owned_variations.owned, 0),
           (SELECT count(*) FROM current WHERE current.set_id = s.id)
    FROM sets s
    LEFT JOIN owned_cards ON owned_cards.set_id = s.id
    LEFT JOIN owned_variations ON owned_variations.set_id = s.id";

fn completion_from_row(row: &Row<'_>) -> rusqlite::Result<SetCompletion> {
    Ok(SetCompletion {
        set_id: row.get(0)?,
        set_name: row.get(1)?,
        cards_owned: row.get(2)?,
        cards_total: row.get(3)?,
        variations_owned: row.get(4)?,
        variations_total: row.get(5)?,
    })
}

/// Returns the completion of every set, oldest release first.
pub fn set_completions(connection: &Connection) -> Result<Vec<SetCompletion>, CollectionError> {
    let sql = format!("{COMPLETION_SQL} ORDER BY s.release_date, s.id");
    let completions = connection
        .prepare(&sql)?
        .query_map([], completion_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(completions)
}

/// Returns one set's completion, or `None` when the set is unknown.
pub fn set_completion(
    connection: &Connection,
    set_id: &str,
) -> Result<Option<SetCompletion>, CollectionError> {
    let sql = format!("{COMPLETION_SQL} WHERE s.id = ?1");
    let mut statement = connection.prepare(&sql)?;
    let mut rows = statement.query_map([set_id], completion_from_row)?;
    Ok(rows.next().transpose()?)
}
