//! The collection's worth, now and at each past price date, and a card's price history.
//! Prices are read as [`super::prices`] describes.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use super::error::CollectionError;
use super::prices::{LATEST_TCGPLAYER_SNAPSHOT, dollars_to_cents, price_cents_sql, stale_cutoff};
use super::variation::card_variations;

/// The collection's market value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CollectionValue {
    /// Σ quantity × price over the entries with a price, in US cents.
    pub total_cents: i64,
    pub entries: u32,
    pub copies: u64,
    /// Entries left out of the total because their variation has no price.
    pub entries_without_price: u32,
    /// Entries whose price is more than 30 days older than `today`.
    pub stale_entries: u32,
    /// The oldest price date the total uses (`YYYY-MM-DD`): the value is at least this fresh.
    pub oldest_price_date: Option<String>,
    pub newest_price_date: Option<String>,
}

/// Computes the collection's value from each entry's latest price.
pub fn collection_value(
    connection: &Connection,
    today: NaiveDate,
) -> Result<CollectionValue, CollectionError> {
    let sql = format!(
        "SELECT e.quantity, {}, p.price_date
         FROM collection_entries e
         JOIN card_variations v ON v.id = e.variation_id
         JOIN cards c ON c.id = v.card_id
         LEFT JOIN price_snapshots p ON p.id = {LATEST_TCGPLAYER_SNAPSHOT}",
        price_cents_sql("p", "v.printing")
    );
    let cutoff = stale_cutoff(today);
    let mut value = CollectionValue::default();
    let mut statement = connection.prepare(&sql)?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let quantity: u32 = row.get(0)?;
        let cents: Option<i64> = row.get(1)?;
        let date: Option<String> = row.get(2)?;
        value.entries += 1;
        value.copies += u64::from(quantity);
        let (Some(cents), Some(date)) = (cents, date) else {
            value.entries_without_price += 1;
            continue;
        };
        value.total_cents += i64::from(quantity) * cents;
        if date < cutoff {
            value.stale_entries += 1;
        }
        if value
            .oldest_price_date
            .as_ref()
            .is_none_or(|oldest| &date < oldest)
        {
            value.oldest_price_date = Some(date.clone());
        }
        if value
            .newest_price_date
            .as_ref()
            .is_none_or(|newest| &date > newest)
        {
            value.newest_price_date = Some(date);
        }
    }
    Ok(value)
}

/// The collection's value on one past price date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ValuePoint {
    /// `YYYY-MM-DD`.
    pub price_date: String,
    /// Σ quantity × price, each entry at its latest price on or before `price_date`, in US
    /// cents.
    pub total_cents: i64,
    /// Entries that had a price by then.
    pub entries_priced: u32,
}

/// Returns the collection's value at every date on which an owned card has a TCGplayer
/// snapshot, oldest first. Each entry counts at its latest price on or before the date; an
/// entry with no price by then adds nothing. Entries are today's: the history does not know
/// when a copy was added or removed.
pub fn value_history(connection: &Connection) -> Result<Vec<ValuePoint>, CollectionError> {
    let sql = format!(
        "WITH owned AS (
             SELECT v.card_id, v.printing, sum(e.quantity) AS quantity, count(*) AS entries
             FROM collection_entries e JOIN card_variations v ON v.id = e.variation_id
             GROUP BY v.card_id, v.printing
         ),
         dates AS (
             SELECT DISTINCT ps.price_date FROM price_snapshots ps
             WHERE ps.source = 'tcgplayer' AND ps.card_id IN (SELECT card_id FROM owned)
         ),
         valued AS (
             SELECT d.price_date, o.quantity, o.entries, (
                 SELECT {} FROM price_snapshots p
                 WHERE p.card_id = o.card_id AND p.source = 'tcgplayer'
                   AND p.price_date <= d.price_date
                 ORDER BY p.price_date DESC LIMIT 1
             ) AS cents
             FROM dates d, owned o
         )
         SELECT price_date, ifnull(sum(quantity * cents), 0),
                ifnull(sum(entries) FILTER (WHERE cents IS NOT NULL), 0)
         FROM valued GROUP BY price_date ORDER BY price_date",
        price_cents_sql("p", "o.printing")
    );
    let points = connection
        .prepare(&sql)?
        .query_map([], |row| {
            Ok(ValuePoint {
                price_date: row.get(0)?,
                total_cents: row.get(1)?,
                entries_priced: row.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(points)
}

/// One TCGplayer printing's market prices over time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PriceSeries {
    /// The `tcgplayer.prices` key (`holofoil`).
    pub printing: String,
    /// Oldest first; a snapshot without a market price for the printing has no point.
    pub points: Vec<PricePoint>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PricePoint {
    /// `YYYY-MM-DD`.
    pub price_date: String,
    pub market_cents: i64,
}

/// Returns a card's TCGplayer market price history per printing: the card's variations'
/// printings in display order, then any other printing the snapshots name, alphabetically.
pub fn card_price_history(
    connection: &Connection,
    card_id: &str,
) -> Result<Vec<PriceSeries>, CollectionError> {
    let variations = card_variations(connection, card_id)?;
    let mut statement = connection.prepare_cached(
        "SELECT price_date, prices FROM price_snapshots
         WHERE card_id = ?1 AND source = 'tcgplayer' ORDER BY price_date",
    )?;
    let mut series: BTreeMap<String, Vec<PricePoint>> = BTreeMap::new();
    let mut rows = statement.query([card_id])?;
    while let Some(row) = rows.next()? {
        let price_date: String = row.get(0)?;
        let prices: String = row.get(1)?;
        let Ok(serde_json::Value::Object(printings)) = serde_json::from_str(&prices) else {
            continue;
        };
        for (printing, fields) in printings {
            let points = series.entry(printing).or_default();
            if let Some(market) = fields.get("market").and_then(serde_json::Value::as_f64) {
                points.push(PricePoint {
                    price_date: price_date.clone(),
                    market_cents: dollars_to_cents(market),
                });
            }
        }
    }

    let mut ordered = Vec::with_capacity(series.len());
    for printing in variations.iter().filter_map(|v| v.printing.as_deref()) {
        if let Some(points) = series.remove(printing) {
            ordered.push(PriceSeries {
                printing: printing.to_owned(),
                points,
            });
        }
    }
    ordered.extend(
        series
            .into_iter()
            .map(|(printing, points)| PriceSeries { printing, points }),
    );
    Ok(ordered)
}
