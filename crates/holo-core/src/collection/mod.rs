//! The collection: what the collector owns, per variation and condition, and how it moves in
//! and out of files.
//!
//! - [`record`] defines [`record::EntryRecord`], the shape an entry has in every file format.
//! - [`files`] reads and writes the file formats (Holo's CSV and JSON, the TCGplayer app's
//!   CSV, Collectr's CSV) without touching the database.

pub mod files;
pub mod record;
