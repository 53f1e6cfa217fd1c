//! `holo-bench`: runs release builds of `holo sync` against `holo-emulator` on the real card
//! data and prints wall time, requests and peak memory for each scenario, next to its target.
//!
//! Each scenario runs `--runs` times and reports the median wall time and the largest peak RSS.
//! Peak RSS is the kernel's `ru_maxrss` for the `holo` process alone, read with `wait4`.
//!
//! A last scenario times `holo export` of a collection of 20,000 entries in each format.

mod export;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use serde_json::Value;

#[derive(Parser)]
#[command(about = "Benchmark `holo sync` against the local API emulator")]
struct Options {
    /// Card data folder the emulator serves.
    #[arg(long, default_value = "../shared/pokemon-tcg-data")]
    data: PathBuf,

    /// Folder with release builds of `holo` and `holo-emulator`.
    #[arg(long, default_value = "target/release")]
    bin: PathBuf,

    /// Runs per scenario; the median wall time is reported.
    #[arg(long, default_value_t = 3)]
    runs: usize,

    /// Latency the emulator adds to every response in the slow-network scenario, in ms.
    #[arg(long, default_value_t = 200)]
    latency_ms: u64,

    /// Skip the bad-day scenario (latency, 5xx responses and a rate limit), which takes about
    /// two minutes because the rate limit allows 120 requests a minute.
    #[arg(long)]
    skip_bad_day: bool,

    /// Run only the export scenario.
    #[arg(long)]
    export_only: bool,
}

/// The bad-day scenario's emulator flags: 200 ms latency, 10% of responses 5xx, 120 requests a
/// minute, from a fixed seed.
const BAD_DAY: &[&str] = &[
    "--latency-ms",
    "200",
    "--error-rate",
    "0.1",
    "--rate-limit",
    "120",
    "--seed",
    "1",
];

/// The measurements of one `holo sync` run.
struct Measurement {
    wall: Duration,
    peak_rss_kib: u64,
    summary: Value,
}

/// A scenario's figures and its target.
struct Row {
    scenario: &'static str,
    target: &'static str,
    measurements: Vec<Measurement>,
}

fn main() -> anyhow::Result<()> {
    let options = Options::parse();
    let holo = options.bin.join("holo");
    let emulator_binary = options.bin.join("holo-emulator");
    for binary in [&holo, &emulator_binary] {
        if !binary.exists() {
            bail!(
                "{} not found; build it with `cargo build --release` first",
                binary.display()
            );
        }
    }

    if options.export_only {
        let emulator = Emulator::start(&emulator_binary, &options.data, &["--latency-ms", "0"])?;
        return export::run(&holo, &emulator.url, options.runs);
    }

    let mut rows = Vec::new();
    {
        let emulator = Emulator::start(&emulator_binary, &options.data, &["--latency-ms", "0"])?;
        let mut full = Vec::new();
        let mut unchanged = Vec::new();
        for _ in 0..options.runs {
            let folder = tempfile::tempdir()?;
            let database = folder.path().join("holo.db");
            full.push(measure_sync(&holo, &database, &emulator.url)?);
            unchanged.push(measure_sync(&holo, &database, &emulator.url)?);
        }
        rows.push(Row {
            scenario: "full sync, empty database",
            target: "< 1000 ms, < 150 MB",
            measurements: full,
        });
        rows.push(Row {
            scenario: "re-sync, nothing changed",
            target: "< 150 ms",
            measurements: unchanged,
        });
    }
    {
        let latency = options.latency_ms.to_string();
        let emulator =
            Emulator::start(&emulator_binary, &options.data, &["--latency-ms", &latency])?;
        let mut slow = Vec::new();
        for _ in 0..options.runs {
            let folder = tempfile::tempdir()?;
            slow.push(measure_sync(
                &holo,
                &folder.path().join("holo.db"),
                &emulator.url,
            )?);
        }
        let scenario = if options.latency_ms == 200 {
            "full sync, 200 ms latency"
        } else {
            "full sync, added latency"
        };
        rows.push(Row {
            scenario,
            target: "< 15000 ms",
            measurements: slow,
        });
    }
    if !options.skip_bad_day {
        // One run: the rate limit alone makes it last a minute and a half.
        let emulator = Emulator::start(&emulator_binary, &options.data, BAD_DAY)?;
        let folder = tempfile::tempdir()?;
        let run = measure_sync(&holo, &folder.path().join("holo.db"), &emulator.url)?;
        rows.push(Row {
            scenario: "bad day: 5xx, 120/min, 200 ms",
            target: "succeeded, 20078 cards",
            measurements: vec![run],
        });
    }

    print_table(&rows);
    println!();
    let emulator = Emulator::start(&emulator_binary, &options.data, &["--latency-ms", "0"])?;
    export::run(&holo, &emulator.url, options.runs)
}

/// Runs `holo sync --json` and returns its wall time, peak RSS and summary.
pub(crate) fn measure_sync(
    holo: &Path,
    database: &Path,
    api_url: &str,
) -> anyhow::Result<Measurement> {
    let started = Instant::now();
    let child = Command::new(holo)
        .args(["sync", "--json", "--db"])
        .arg(database)
        .args(["--api-url", api_url])
        .env("HOLO_LOG", "warn")
        .env("HOLO_LOG_DIR", database.with_extension("logs"))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("cannot start {}", holo.display()))?;
    let (stdout, peak_rss_kib, exit_code) = wait_with_rusage(child)?;
    let wall = started.elapsed();
    // A partial or failed run still prints its summary, whose status the table shows.
    let line = stdout
        .lines()
        .last()
        .with_context(|| format!("holo sync exited with {exit_code} and printed no summary"))?;
    let summary: Value = serde_json::from_str(line).context("the summary line is not JSON")?;
    Ok(Measurement {
        wall,
        peak_rss_kib,
        summary,
    })
}

/// Reads the child's stdout to the end, then reaps it with `wait4` for its resource usage.
pub(crate) fn wait_with_rusage(mut child: Child) -> anyhow::Result<(String, u64, i32)> {
    let mut stdout = String::new();
    if let Some(pipe) = child.stdout.take() {
        for line in BufReader::new(pipe).lines() {
            stdout.push_str(&line?);
            stdout.push('\n');
        }
    }
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills in; zeroed is a valid initial value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own unreaped child; both out-pointers are valid for the call.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if reaped != pid {
        bail!("wait4 failed: {}", std::io::Error::last_os_error());
    }
    let exit_code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    // On Linux ru_maxrss is in KiB.
    Ok((stdout, usage.ru_maxrss as u64, exit_code))
}

/// A running `holo-emulator`, stopped when dropped.
struct Emulator {
    child: Child,
    url: String,
}

impl Emulator {
    fn start(binary: &Path, data: &Path, flags: &[&str]) -> anyhow::Result<Self> {
        let mut child = Command::new(binary)
            .arg("--data")
            .arg(data)
            .args(["--port", "0"])
            .args(flags)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let stdout = child.stdout.take().context("no stdout from the emulator")?;
        let mut first_line = String::new();
        BufReader::new(stdout).read_line(&mut first_line)?;
        let url = first_line
            .trim()
            .strip_prefix("listening on ")
            .with_context(|| format!("unexpected first line from the emulator: {first_line:?}"))?
            .to_string();
        Ok(Self { child, url })
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn print_table(rows: &[Row]) {
    println!(
        "{:<30} {:>9} {:>9} {:>9} {:>8} {:>9} {:>8} {:>10}  target",
        "scenario", "wall ms", "sync ms", "requests", "retries", "peak MB", "cards", "status"
    );
    for row in rows {
        let mut walls: Vec<Duration> = row.measurements.iter().map(|m| m.wall).collect();
        walls.sort();
        let median = walls[walls.len() / 2];
        let median_run = row
            .measurements
            .iter()
            .find(|m| m.wall == median)
            .expect("the median is one of the runs");
        let peak_kib = row
            .measurements
            .iter()
            .map(|m| m.peak_rss_kib)
            .max()
            .unwrap_or(0);
        let summary = &median_run.summary;
        let field = |name: &str| {
            summary[name]
                .as_u64()
                .map_or_else(|| "?".to_string(), |n| n.to_string())
        };
        println!(
            "{:<30} {:>9} {:>9} {:>9} {:>8} {:>9.1} {:>8} {:>10}  {}",
            row.scenario,
            median.as_millis(),
            field("duration_ms"),
            field("requests"),
            field("retries"),
            peak_kib as f64 / 1024.0,
            field("cards_seen"),
            summary["status"].as_str().unwrap_or("?"),
            row.target,
        );
    }
    println!(
        "\nwall ms: process start to exit, the median of {} runs; sync ms: the run's own duration_ms; \
         peak MB: the largest ru_maxrss of the holo process.",
        rows.first().map_or(0, |row| row.measurements.len())
    );
}
