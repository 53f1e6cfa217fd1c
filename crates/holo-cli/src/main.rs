//! `holo`, the command-line face of Holo's core: sync the catalogue, show what is stored.
//!
//! Exit codes are part of the interface (scripts and the tests rely on them):
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success; for `sync`, the run ended `succeeded` |
//! | 1 | an error before or around the run: the database cannot be opened or written, a bad setting |
//! | 2 | invalid command-line usage |
//! | 3 | another sync is running on this database |
//! | 4 | the sync ended `partial`: some sets or cards failed, the rest was written |
//! | 5 | the sync ended `failed`: nothing could be synced |
//! | 6 | the sync was cancelled (Ctrl-C) |
//! | 7 | `verify` found problems, each listed |
//! | 8 | `import` imported nothing: the file cannot be read, or no row matched |

mod collection;
mod status;
mod sync;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// The exit code for errors that are not a run's outcome.
const EXIT_ERROR: u8 = 1;

#[derive(Parser)]
#[command(
    name = "holo",
    version,
    about = "Holo: a local copy of the Pokémon TCG catalogue and your collection"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Sync the catalogue from the Pokémon TCG API into the database.
    Sync(sync::SyncArgs),
    /// Show the database's contents (counts) and the last sync runs.
    Status(status::StatusArgs),
    /// Check the database: integrity, foreign keys, variations, set counts, search index.
    Verify(verify::VerifyArgs),
    /// Add copies of a card to the collection, or set their number, price or note.
    Own(collection::OwnArgs),
    /// Put a card's variation on the wishlist, or take it off with --off.
    Wishlist(collection::WishlistArgs),
    /// List the collection's entries, set completion and value.
    Collection(collection::CollectionArgs),
    /// Write the collection to a file: Holo CSV, Holo JSON or the TCGplayer app's CSV.
    Export(collection::ExportArgs),
    /// Read a collection file (Holo, TCGplayer or Collectr) into the collection.
    Import(collection::ImportArgs),
}

/// The database option every subcommand takes.
#[derive(Args, Clone)]
struct DatabaseArgs {
    /// Database file [default: the desktop app's, in the platform's data folder].
    #[arg(long, env = "HOLO_DB", value_name = "PATH")]
    db: Option<PathBuf>,
}

impl DatabaseArgs {
    fn path(&self) -> anyhow::Result<PathBuf> {
        match &self.db {
            Some(path) => Ok(path.clone()),
            None => holo_core::paths::default_database_path().ok_or_else(|| {
                anyhow::anyhow!("no data folder on this system (is HOME set?); pass --db PATH")
            }),
        }
    }

    /// Returns the path of an existing database, or an error that tells the user to sync first.
    fn existing_path(&self) -> anyhow::Result<PathBuf> {
        let path = self.path()?;
        if !path.exists() {
            anyhow::bail!(
                "no database at {}; run `holo sync` first or pass --db PATH",
                path.display()
            );
        }
        Ok(path)
    }

    /// Opens an existing database and returns a read connection. Opening it through the core
    /// first applies pending migrations, so an older database reads right. When the storage
    /// rejects that (a read-only folder, a lock file that cannot be made), the file is opened
    /// read-only as it is.
    fn reader(&self) -> anyhow::Result<rusqlite::Connection> {
        use holo_core::Error;

        let path = self.existing_path()?;
        match holo_core::db::Database::open(&path) {
            Ok(database) => Ok(database.reader()?),
            Err(error @ (Error::LockFile { .. } | Error::Open { .. } | Error::Sqlite(_))) => {
                tracing::warn!(%error, "cannot open the database for writing; reading it as it is");
                Ok(holo_core::db::open_immutable(&path)?)
            }
            Err(error) => Err(error.into()),
        }
    }
}

fn main() -> ExitCode {
    restore_default_sigpipe();
    let cli = Cli::parse();
    let _log_guard = holo_core::logging::init();
    let outcome = match cli.command {
        Command::Sync(args) => sync::run(args),
        Command::Status(args) => status::run(args).map(|()| ExitCode::SUCCESS),
        Command::Verify(args) => verify::run(args),
        Command::Own(args) => collection::own(args).map(|()| ExitCode::SUCCESS),
        Command::Wishlist(args) => collection::wishlist(args).map(|()| ExitCode::SUCCESS),
        Command::Collection(args) => collection::show(args).map(|()| ExitCode::SUCCESS),
        Command::Export(args) => collection::export_command(args).map(|()| ExitCode::SUCCESS),
        Command::Import(args) => collection::import(args),
    };
    outcome.unwrap_or_else(|error| {
        eprintln!("error: {}", describe(&error));
        ExitCode::from(EXIT_ERROR)
    })
}

/// Joins an error and its causes, leaving out a cause that repeats the one before it: the
/// core's errors quote their source, and SQLite's codes restate their message.
fn describe(error: &anyhow::Error) -> String {
    let mut text = error.to_string();
    let mut previous = text.clone();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) && !cause.ends_with(&previous) {
            text.push_str(": ");
            text.push_str(&cause);
        }
        previous = cause;
    }
    text
}

/// Makes a closed output pipe (`holo collection | head -1`) end the process quietly, as it does
/// for other command-line tools. Rust ignores SIGPIPE by default, which turns the next write
/// into an error that `println!` reports as a panic.
#[cfg(unix)]
fn restore_default_sigpipe() {
    // SAFETY: called first in `main`, before any other thread exists; SIG_DFL is a valid
    // disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn restore_default_sigpipe() {}
