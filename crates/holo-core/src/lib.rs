//! Holo's core: everything that does not need a window.
//!
//! - [`db`] opens the SQLite database, applies the migrations and owns the single writer thread.
//! - [`api`] talks to the Pokémon TCG API v2 (or the local emulator of it).
//! - [`variations`] turns a card into the printings a collector can own.
//! - [`sync`] brings the API's catalogue into the database and reports progress as events.
//!
//! Nothing here depends on Tauri, so the CLI, the desktop app and the tests share one engine.

pub mod api;
pub mod browse;
pub mod collection;
pub mod db;
#[cfg(feature = "logging")]
pub mod logging;
pub mod numbers;
pub mod paths;
pub mod queries;
pub mod sync;
pub mod time;
pub mod variations;
pub mod verify;

mod error;

pub use error::{Error, Result};
