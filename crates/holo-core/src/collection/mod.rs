//! The collection: what the collector owns, per variation and condition, and how it moves in
//! and out of files.
//!
//! An *entry* is one kind of copy of a variation: its identity is the variation, condition,
//! grade (company and grade, or none) and language, and it carries a quantity, so owning the
//! same card in two conditions is two entries. The *wishlist* marks variations the collector
//! wants, owned or not.
//!
//! - [`record`] defines [`record::EntryRecord`], the shape an entry has in every file format.
//! - [`files`] reads and writes the file formats (Holo's CSV and JSON, the TCGplayer app's
//!   CSV, Collectr's CSV) without touching the database.
//! - [`variation`] finds the variation an entry is about.
//! - [`entries`] writes entries and the wishlist. Its functions take `&mut Connection`: run
//!   them on the writer thread, for example with [`write`] or [`write_blocking`].
//! - [`views`] and [`value`] read the collection for the app and the CLI, on a read connection.
//!
//! No sync deletes or changes an entry. When a card's variation disappears from its data, the
//! sync marks it retired and moves its entries to the card's matching current variation (see
//! `sync::store`).

pub mod entries;
pub mod error;
pub mod export;
pub mod files;
pub mod import;
pub mod prices;
pub mod record;
pub mod value;
pub mod variation;
pub mod views;

use rusqlite::Connection;

use crate::db::Writer;

pub use error::CollectionError;

/// Runs a collection write on the writer thread and returns its result.
pub async fn write<T, F>(writer: &Writer, work: F) -> Result<T, CollectionError>
where
    T: Send + 'static,
    F: FnOnce(&mut Connection) -> Result<T, CollectionError> + Send + 'static,
{
    writer.run(move |connection| Ok(work(connection))).await?
}

/// Runs a collection write on the writer thread and blocks until it is done. For synchronous
/// callers such as the CLI; never call it from an async task.
pub fn write_blocking<T, F>(writer: &Writer, work: F) -> Result<T, CollectionError>
where
    T: Send + 'static,
    F: FnOnce(&mut Connection) -> Result<T, CollectionError> + Send + 'static,
{
    writer.run_blocking(move |connection| Ok(work(connection)))?
}
