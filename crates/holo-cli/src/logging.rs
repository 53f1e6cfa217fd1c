//! Log lines on stderr through `tracing`, with millisecond UTC timestamps. The level comes
//! from `HOLO_LOG` (the `RUST_LOG` syntax: `debug`, `holo_core=debug`, ...). The default is
//! `info`, except for the migration runner, whose per-open chatter is only worth a warning.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::time::ChronoUtc;

const DEFAULT_FILTER: &str = "info,refinery_core=warn";

pub fn init() {
    let filter =
        EnvFilter::try_from_env("HOLO_LOG").unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_timer(ChronoUtc::new("%Y-%m-%dT%H:%M:%S%.3fZ".into()))
        .with_target(false)
        .init();
}
