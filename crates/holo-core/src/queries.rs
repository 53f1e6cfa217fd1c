//! Read-only queries over the catalogue and the sync history, for status screens and tests.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::Result;
use crate::sync::SyncSummary;

/// Row counts of the catalogue and the collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CatalogueCounts {
    pub sets: u64,
    pub cards: u64,
    pub variations: u64,
    pub price_snapshots: u64,
    pub collection_entries: u64,
}

pub fn catalogue_counts(connection: &Connection) -> Result<CatalogueCounts> {
    let count = |table: &str| -> Result<u64> {
        let sql = format!("SELECT count(*) FROM {table}");
        Ok(connection.query_row(&sql, [], |row| row.get::<_, i64>(0))? as u64)
    };
    Ok(CatalogueCounts {
        sets: count("sets")?,
        cards: count("cards")?,
        variations: count("card_variations")?,
        price_snapshots: count("price_snapshots")?,
        collection_entries: count("collection_entries")?,
    })
}

/// A stored run: its record, and its summary once it has finished.
#[derive(Debug, Clone, Serialize)]
pub struct RunRecord {
    pub run_id: String,
    pub status: String,
    pub api_url: String,
    pub pid: u32,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub summary: Option<SyncSummary>,
}

/// Returns the last `limit` runs, newest first. A summary that no longer parses (written by
/// another version) is left out rather than failing the list.
pub fn recent_runs(connection: &Connection, limit: usize) -> Result<Vec<RunRecord>> {
    let mut statement = connection.prepare(
        "SELECT id, status, api_url, pid, started_at, finished_at, summary
         FROM sync_runs ORDER BY started_at DESC, id DESC LIMIT ?1",
    )?;
    let runs = statement
        .query_map([limit as i64], |row| {
            let summary: Option<String> = row.get(6)?;
            Ok(RunRecord {
                run_id: row.get(0)?,
                status: row.get(1)?,
                api_url: row.get(2)?,
                pid: row.get(3)?,
                started_at: row.get(4)?,
                finished_at: row.get(5)?,
                summary: summary.and_then(|text| serde_json::from_str(&text).ok()),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(runs)
}

/// Returns the variation keys of one card, in display order.
pub fn variation_keys(connection: &Connection, card_id: &str) -> Result<Vec<(String, String)>> {
    let mut statement = connection.prepare(
        "SELECT variation_type, treatment FROM card_variations WHERE card_id = ?1 ORDER BY position",
    )?;
    let keys = statement
        .query_map([card_id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(keys)
}

/// Returns the name of a card, or `None` when the card is not in the database.
pub fn card_name(connection: &Connection, card_id: &str) -> Result<Option<String>> {
    Ok(connection
        .query_row("SELECT name FROM cards WHERE id = ?1", [card_id], |row| {
            row.get(0)
        })
        .optional()?)
}
