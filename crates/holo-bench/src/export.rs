//! The export scenario: a synced database with a collection of [`ENTRIES`] entries, exported
//! by `holo export --out` in each format.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use holo_core::collection;
use holo_core::collection::import::{ImportMode, apply_import, plan_import};
use holo_core::collection::record::{Condition, EntryRecord, FileFormat, ParsedFile, ParsedRow};
use holo_core::db::Database;

use crate::{measure_sync, wait_with_rusage};

/// Entries in the benchmark collection: a large collector's, above what most own.
const ENTRIES: usize = 20_000;

/// Builds the collection and prints the export figures for each format.
pub fn run(holo: &Path, api_url: &str, runs: usize) -> anyhow::Result<()> {
    let folder = tempfile::tempdir()?;
    let database_path = folder.path().join("holo.db");
    measure_sync(holo, &database_path, api_url)?;
    let import_time = own_entries(&database_path)?;

    println!(
        "{:<30} {:>9} {:>9} {:>10}",
        "export of 20,000 entries", "wall ms", "peak MB", "file KB"
    );
    for format in [
        FileFormat::HoloCsv,
        FileFormat::HoloJson,
        FileFormat::TcgplayerCsv,
    ] {
        let name = match format {
            FileFormat::HoloCsv => "csv",
            FileFormat::HoloJson => "json",
            _ => "tcgplayer",
        };
        let out = folder.path().join(format!("export.{name}"));
        let mut walls = Vec::new();
        let mut peak_kib = 0;
        for _ in 0..runs.max(1) {
            let (wall, rss) = measure_export(holo, &database_path, name, &out)?;
            walls.push(wall);
            peak_kib = peak_kib.max(rss);
        }
        walls.sort();
        let size = std::fs::metadata(&out)?.len();
        println!(
            "{:<30} {:>9} {:>9.1} {:>10}",
            format.label(),
            walls[walls.len() / 2].as_millis(),
            peak_kib as f64 / 1024.0,
            size / 1024
        );
    }
    println!(
        "\nwall ms: `holo export --out FILE`, process start to exit, the median of {runs} runs. \
         The collection was planned and imported in one transaction in {} ms.",
        import_time.as_millis()
    );
    Ok(())
}

/// Owns the first [`ENTRIES`] variations, one copy each, through the core's import, and
/// returns how long the plan and the import took.
fn own_entries(database_path: &Path) -> anyhow::Result<Duration> {
    let database = Database::open(database_path)?;
    let reader = database.reader()?;
    let mut statement = reader.prepare(
        "SELECT card_id, variation_type, treatment FROM card_variations
         ORDER BY card_id, position LIMIT ?1",
    )?;
    let rows = statement
        .query_map([ENTRIES as i64], |row| {
            let mut record = EntryRecord::new();
            record.card_id = Some(row.get(0)?);
            record.variation_type = Some(row.get(1)?);
            record.treatment = Some(row.get(2)?);
            record.condition = Condition::LightlyPlayed;
            record.purchase_price_cents = Some(125);
            record.note = Some("bench, with a comma".to_owned());
            Ok(record)
        })?
        .enumerate()
        .map(|(index, record)| {
            record.map(|record| ParsedRow {
                line: index + 2,
                record: Ok(record),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if rows.len() < ENTRIES {
        bail!("the catalogue has only {} variations", rows.len());
    }
    let file = ParsedFile {
        format: FileFormat::HoloCsv,
        rows,
    };
    let started = Instant::now();
    let plan = plan_import(&reader, &file, ImportMode::Replace)?;
    if plan.added.len() != ENTRIES {
        bail!("the plan adds {} entries, not {ENTRIES}", plan.added.len());
    }
    collection::write_blocking(database.writer(), move |connection| {
        apply_import(connection, &plan)
    })?;
    Ok(started.elapsed())
}

fn measure_export(
    holo: &Path,
    database: &Path,
    format: &str,
    out: &Path,
) -> anyhow::Result<(Duration, u64)> {
    let started = Instant::now();
    let child = Command::new(holo)
        .args(["export", "--format", format, "--db"])
        .arg(database)
        .arg("--out")
        .arg(out)
        .env("HOLO_LOG", "warn")
        .env("HOLO_LOG_DIR", database.with_extension("logs"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot start {}", holo.display()))?;
    let (_stdout, peak_rss_kib, exit_code) = wait_with_rusage(child)?;
    let wall = started.elapsed();
    if exit_code != 0 {
        bail!("holo export --format {format} exited with {exit_code}");
    }
    Ok((wall, peak_rss_kib))
}
