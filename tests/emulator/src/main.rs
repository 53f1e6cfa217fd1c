//! The `holo-emulator` command: serve a pokemon-tcg-data folder as the Pokémon TCG API v2.
//!
//! The first line on standard output is `listening on http://127.0.0.1:PORT/v2`, so a script
//! that passes `--port 0` can read the port from it. Logs go to standard error, filtered by
//! `RUST_LOG` (default `info`).

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use holo_emulator::{EmulatorConfig, FaultConfig, PriceDate};
use tracing_subscriber::EnvFilter;

/// A local emulator of the Pokémon TCG API v2 (https://api.pokemontcg.io/v2) that serves a
/// pokemon-tcg-data folder on 127.0.0.1, with computed prices, generated images and optional
/// faults.
#[derive(Debug, Parser)]
#[command(name = "holo-emulator", version)]
struct Cli {
    /// Folder to serve, laid out like pokemon-tcg-data: sets/en.json and cards/en/<set id>.json.
    #[arg(long, value_name = "DIR")]
    data: PathBuf,

    /// Second data folder; `POST /admin/switch-data` switches to it and back.
    #[arg(long, value_name = "DIR")]
    data_next: Option<PathBuf>,

    /// TCP port to listen on at 127.0.0.1; 0 picks a free port.
    #[arg(long, value_name = "N", default_value_t = 8765)]
    port: u16,

    /// Delay added to every /v2 response, in milliseconds.
    #[arg(long, value_name = "N", default_value_t = 0)]
    latency_ms: u64,

    /// Date whose prices are served, as YYYY/MM/DD; `POST /admin/price-date` changes it later.
    #[arg(long, value_name = "YYYY/MM/DD", default_value = "2026/12/01", value_parser = parse_price_date)]
    price_date: PriceDate,

    /// Seed of every random fault choice; the same seed and requests give the same faults.
    #[arg(long, value_name = "N", default_value_t = 0)]
    seed: u64,

    /// Requests accepted per minute (sliding window); past that, 429 with Retry-After in seconds.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    rate_limit: Option<u32>,

    /// Share of /v2 requests, from 0 to 1, that get a 500, 502, 503 or 504, half as an HTML page.
    #[arg(long, value_name = "P", default_value_t = 0.0, value_parser = parse_rate)]
    error_rate: f64,

    /// Share of /v2 responses, from 0 to 1, whose connection is closed part-way through the body.
    #[arg(long, value_name = "P", default_value_t = 0.0, value_parser = parse_rate)]
    drop_rate: f64,

    /// Share of /v2 responses, from 0 to 1, whose JSON body is cut short (Content-Length matches).
    #[arg(long, value_name = "P", default_value_t = 0.0, value_parser = parse_rate)]
    truncate_rate: f64,

    /// Shift each page of a result over 250 items by up to a fifth of a page, so pages repeat
    /// and skip items.
    #[arg(long)]
    unstable_order: bool,

    /// Share of served cards, from 0 to 1, with one field of the wrong JSON type
    /// (e.g. "hp": 120 or "subtypes": "Basic").
    #[arg(long, value_name = "P", default_value_t = 0.0, value_parser = parse_rate)]
    bad_card_rate: f64,
}

impl Cli {
    fn into_config(self) -> EmulatorConfig {
        let mut config = EmulatorConfig::new(self.data);
        config.next_data = self.data_next.map(Into::into);
        config.port = self.port;
        config.latency = Duration::from_millis(self.latency_ms);
        config.price_date = self.price_date;
        config.faults = FaultConfig {
            seed: self.seed,
            rate_limit: self.rate_limit,
            error_rate: self.error_rate,
            drop_rate: self.drop_rate,
            truncate_rate: self.truncate_rate,
            unstable_order: self.unstable_order,
            bad_card_rate: self.bad_card_rate,
        };
        config
    }
}

fn parse_price_date(text: &str) -> Result<PriceDate, String> {
    text.parse()
        .map_err(|error: holo_emulator::Error| error.to_string())
}

fn parse_rate(text: &str) -> Result<f64, String> {
    let rate: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number; write a share such as 0.05 for 5%"))?;
    if (0.0..=1.0).contains(&rate) {
        Ok(rate)
    } else {
        Err(format!(
            "{text} is outside 0..1; write a share such as 0.05 for 5%"
        ))
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(io::stderr)
        .with_env_filter(filter)
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let emulator = holo_emulator::start(cli.into_config())
        .await
        .context("failed to start the emulator")?;
    {
        let mut stdout = io::stdout().lock();
        writeln!(stdout, "listening on {}", emulator.base_url())?;
        stdout.flush()?;
    }
    wait_for_stop_signal().await?;
    tracing::info!("stop signal received; shutting down");
    emulator.shutdown().await?;
    Ok(())
}

/// Waits for Ctrl-C or, on Unix, SIGTERM.
async fn wait_for_stop_signal() -> io::Result<()> {
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result,
            _ = terminate.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}
