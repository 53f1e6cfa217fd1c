//! The log set-up the CLI and the desktop app share: log lines through `tracing`, on stderr
//! and in a daily log file, each with a millisecond UTC timestamp and the process id (a sync's
//! lines also carry its run id, from the engine's span).
//!
//! The level comes from `HOLO_LOG` (the `RUST_LOG` syntax: `debug`, `holo_core=debug`, ...).
//! The default is `info`, except for the migration runner, whose per-open chatter is only worth
//! a warning. The file goes to `HOLO_LOG_DIR`, or the platform's log folder for the app.

use std::path::PathBuf;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::time::FormatTime;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer, fmt};

const DEFAULT_FILTER: &str = "info,refinery_core=warn";

/// Daily files kept before the oldest is deleted.
const LOG_FILES_KEPT: usize = 14;

/// The timestamp and process id that open every line: `2026-12-04T15:52:07.123Z pid=4242`.
struct TimeAndPid;

impl FormatTime for TimeAndPid {
    fn format_time(&self, writer: &mut Writer<'_>) -> std::fmt::Result {
        let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ");
        write!(writer, "{now} pid={}", std::process::id())
    }
}

/// Starts logging. Keep the returned guard alive until the process ends: dropping it flushes
/// the file. When the log folder cannot be used, logging goes on stderr alone, with a warning.
pub fn init() -> Option<WorkerGuard> {
    init_with_prefix("holo")
}

/// Like [`init`], with log files named `<prefix>.<date>.log`, so that the CLI and the app keep
/// separate files in the one log folder.
pub fn init_with_prefix(prefix: &str) -> Option<WorkerGuard> {
    let filter =
        || EnvFilter::try_from_env("HOLO_LOG").unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let stderr_layer = fmt::layer()
        .with_writer(std::io::stderr)
        .with_timer(TimeAndPid)
        .with_target(false)
        .with_filter(filter());

    let folder = std::env::var_os("HOLO_LOG_DIR")
        .map(PathBuf::from)
        .or_else(crate::paths::default_log_dir);
    let appender = folder.as_ref().map(|folder| {
        // The appender prunes old files by listing the folder, and complains if it is missing.
        std::fs::create_dir_all(folder).map_err(|error| error.to_string())?;
        RollingFileAppender::builder()
            .rotation(Rotation::DAILY)
            .filename_prefix(prefix)
            .filename_suffix("log")
            .max_log_files(LOG_FILES_KEPT)
            .build(folder)
            .map_err(|error| error.to_string())
    });

    match appender {
        Some(Ok(appender)) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let file_layer = fmt::layer()
                .with_writer(writer)
                .with_timer(TimeAndPid)
                .with_target(false)
                .with_ansi(false)
                .with_filter(filter());
            tracing_subscriber::registry()
                .with(stderr_layer)
                .with(file_layer)
                .init();
            Some(guard)
        }
        Some(Err(error)) => {
            tracing_subscriber::registry().with(stderr_layer).init();
            let folder = folder.unwrap_or_default();
            tracing::warn!(folder = %folder.display(), %error, "cannot write log files; logging to stderr only");
            None
        }
        None => {
            tracing_subscriber::registry().with(stderr_layer).init();
            None
        }
    }
}
