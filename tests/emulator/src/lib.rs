//! `holo-emulator`: a local emulator of the Pokémon TCG API v2.
//!
//! It serves the real card data of a pokemon-tcg-data folder on 127.0.0.1 with the request
//! shapes of `https://api.pokemontcg.io/v2`, so that Holo's client, sync engine and tests run
//! offline. It adds what the data lacks and the live API has. Every card embeds its set, and
//! carries `tcgplayer` and `cardmarket` prices that are computed and move with a configurable
//! price date. Image URLs point at the emulator, which returns generated PNGs. On request it
//! also misbehaves like the live service: latency, rate limits, server errors, dropped and
//! truncated responses, unstable paging, malformed cards and data that changes between syncs.
//!
//! ```no_run
//! # async fn example() -> Result<(), holo_emulator::Error> {
//! let emulator = holo_emulator::start(holo_emulator::EmulatorConfig::new(
//!     holo_emulator::default_data_dir(),
//! ))
//! .await?;
//! println!("cards at {}/cards", emulator.base_url());
//! emulator.shutdown().await
//! # }
//! ```

pub mod catalogue;
mod config;
mod documents;
mod error;
mod faults;
mod hashing;
mod images;
mod order;
mod params;
mod price_date;
pub mod pricing;
mod query;
mod rate_limit;
mod render;
mod routes;
mod search;
mod server;
mod state;

use std::path::PathBuf;

pub use catalogue::Catalogue;
pub use config::{DataSource, EmulatorConfig};
pub use error::Error;
pub use faults::FaultConfig;
pub use params::MAX_PAGE_SIZE;
pub use price_date::PriceDate;
pub use server::{RunningEmulator, start};
pub use state::ActiveData;

/// Returns the shared pokemon-tcg-data folder that sits beside the repository, for tests.
///
/// The path is fixed at compile time from this crate's folder (`tests/emulator`), so it is
/// only right for a build inside the repository checkout.
pub fn default_data_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/pokemon-tcg-data"
    ))
}
