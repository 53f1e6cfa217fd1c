//! Errors of starting and controlling an emulator.
//!
//! These are the errors that a caller of the library or the command line receives. Errors that the
//! emulator sends to its HTTP clients are [`crate::routes::ApiError`] values instead, because
//! they become JSON bodies rather than Rust errors.

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;

/// An error of loading data, binding the port or changing a running emulator.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The data folder does not have the shape of pokemon-tcg-data.
    #[error(
        "data folder {} is not a pokemon-tcg-data folder: {reason}; \
         pass a folder that contains sets/en.json and cards/en/<set id>.json",
        path.display()
    )]
    DataFolder { path: PathBuf, reason: String },

    /// A data file could not be read.
    #[error("failed to read {}: {source}", path.display())]
    ReadFile { path: PathBuf, source: io::Error },

    /// A data file is not valid JSON or does not have the expected shape.
    #[error("invalid data file {}: {reason}", path.display())]
    DataFile { path: PathBuf, reason: String },

    /// A price date is not a calendar date written as `YYYY/MM/DD`.
    #[error("invalid price date {0:?}: expected a calendar date written as YYYY/MM/DD")]
    InvalidPriceDate(String),

    /// A fault rate is outside 0..=1.
    #[error("invalid {name} {value}: a rate is a share between 0 and 1")]
    InvalidRate { name: &'static str, value: f64 },

    /// A rate limit of zero requests a minute.
    #[error("invalid rate limit 0: the limit is a number of requests a minute, at least 1")]
    InvalidRateLimit,

    /// A data switch was requested but no second data folder was configured.
    #[error("no second data folder is configured; start the emulator with --data-next DIR")]
    NoNextData,

    /// The listening socket could not be bound.
    #[error("failed to bind {addr}: {source}; if the port is taken, pass port 0 for a free one")]
    Bind { addr: SocketAddr, source: io::Error },

    /// The server stopped with an I/O error.
    #[error("the HTTP server failed: {0}")]
    Serve(#[source] io::Error),

    /// A background task of the emulator panicked or was cancelled.
    #[error("an emulator task failed: {0}")]
    Task(String),
}
