//! The collection commands: `own`, `wishlist`, `collection`, `export` and `import`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use holo_core::collection::entries::{
    self, EntryOutcome, EntryTarget, EntryUpdate, Grade, Purchase, QuantityChange,
};
use holo_core::collection::export::{export, export_to_file};
use holo_core::collection::import::{ImportMode, ImportPlan, apply_import, plan_import};
use holo_core::collection::prices::today_utc;
use holo_core::collection::record::{Condition, FileFormat};
use holo_core::collection::value::{self, CollectionValue};
use holo_core::collection::variation::VariationSelector;
use holo_core::collection::views::{self, EntryView, SetCompletion};
use holo_core::collection::{self, files};
use holo_core::db::Database;
use serde::Serialize;

use crate::DatabaseArgs;

/// The exit code of `holo import` when the file cannot be read or no row could be imported.
const EXIT_NOTHING_IMPORTED: u8 = 8;

#[derive(Args)]
pub struct OwnArgs {
    #[command(flatten)]
    database: DatabaseArgs,

    /// The card's id, as in `swsh10-190`.
    card_id: String,

    /// The variation: TYPE/TREATMENT (`VSTAR/Rainbow Rare`) or a treatment the card has once
    /// (`Reverse Holofoil`) [default: the card's first variation].
    #[arg(long, value_name = "VARIATION")]
    variation: Option<String>,

    /// Set the number of copies; 0 removes the entry.
    #[arg(long, value_name = "N", conflicts_with = "add")]
    quantity: Option<u32>,

    /// Add N copies. Without --quantity or --add, one copy is added, unless --price or --note is
    /// given: then only those change, on an existing entry.
    #[arg(long, value_name = "N")]
    add: Option<u32>,

    /// Near Mint, Lightly Played, Moderately Played, Heavily Played or Damaged (or NM, LP, MP,
    /// HP, DMG).
    #[arg(long, default_value = "Near Mint", value_parser = parse_condition)]
    condition: Condition,

    /// The grading company, as in PSA; needs --grade.
    #[arg(long, value_name = "COMPANY", requires = "grade")]
    grade_company: Option<String>,

    /// The grade, as in 10; needs --grade-company.
    #[arg(long, requires = "grade_company")]
    grade: Option<String>,

    #[arg(long, default_value = "English")]
    language: String,

    /// The price paid for one copy, as in 12.50.
    #[arg(long, value_name = "AMOUNT", value_parser = parse_cents)]
    price: Option<i64>,

    /// The currency of --price, an ISO 4217 code.
    #[arg(long, default_value = "USD", requires = "price")]
    currency: String,

    /// A note on the entry; an empty text clears it.
    #[arg(long)]
    note: Option<String>,

    /// Print the result as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct WishlistArgs {
    #[command(flatten)]
    database: DatabaseArgs,

    /// The card's id, as in `swsh10-190`.
    card_id: String,

    /// The variation, as for `holo own` [default: the card's first variation].
    #[arg(long, value_name = "VARIATION")]
    variation: Option<String>,

    /// Take the variation off the wishlist.
    #[arg(long)]
    off: bool,

    /// Print the result as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct CollectionArgs {
    #[command(flatten)]
    database: DatabaseArgs,

    /// Print one JSON object (entries, completion, value) instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    database: DatabaseArgs,

    /// csv (Holo CSV), json (Holo JSON) or tcgplayer (the TCGplayer app's CSV).
    #[arg(long, value_parser = parse_format)]
    format: FileFormat,

    /// The file to write, replaced whole or left as it was [default: standard output].
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Args)]
pub struct ImportArgs {
    #[command(flatten)]
    database: DatabaseArgs,

    /// A Holo CSV or JSON file, a TCGplayer app export or a Collectr export.
    file: PathBuf,

    /// Show what the import would do without writing.
    #[arg(long)]
    dry_run: bool,

    /// Add the file's copies to existing entries instead of setting their quantity.
    #[arg(long)]
    add: bool,

    /// Print the plan as one JSON object.
    #[arg(long)]
    json: bool,
}

fn parse_condition(text: &str) -> Result<Condition, String> {
    text.parse()
        .map_err(|error: holo_core::collection::record::InvalidCondition| error.to_string())
}

fn parse_format(text: &str) -> Result<FileFormat, String> {
    let format = FileFormat::from_name(text).map_err(|error| error.to_string())?;
    if !format.is_writable() {
        return Err(format!(
            "Holo cannot write {}; use csv, json or tcgplayer",
            format.label()
        ));
    }
    Ok(format)
}

/// Parses an amount such as `12.5` or `12.50` into cents.
fn parse_cents(text: &str) -> Result<i64, String> {
    let invalid = || format!("invalid amount {text:?}: expected 0 or more, as in 12.50");
    let (whole, fraction) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
    let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) || fraction.len() > 2 {
        return Err(invalid());
    }
    let whole: i64 = whole.parse().map_err(|_| invalid())?;
    let cents: i64 = format!("{fraction:0<2}").parse().map_err(|_| invalid())?;
    whole
        .checked_mul(100)
        .and_then(|value| value.checked_add(cents))
        .ok_or_else(invalid)
}

/// Opens an existing database, applying pending migrations.
fn open(database: &DatabaseArgs) -> anyhow::Result<Database> {
    Ok(Database::open(database.existing_path()?)?)
}

fn selector(text: Option<&str>) -> anyhow::Result<Option<VariationSelector>> {
    Ok(text.map(str::parse).transpose()?)
}

pub fn own(args: OwnArgs) -> anyhow::Result<()> {
    let database = open(&args.database)?;
    let target = EntryTarget {
        card_id: args.card_id.clone(),
        variation: selector(args.variation.as_deref())?,
        condition: args.condition,
        grade: args
            .grade_company
            .clone()
            .zip(args.grade.clone())
            .map(|(company, grade)| Grade { company, grade }),
        language: args.language.clone(),
    };
    let details_only = args.price.is_some() || args.note.is_some();
    let quantity = match (args.quantity, args.add) {
        (Some(quantity), _) => Some(QuantityChange::Set(quantity)),
        (None, Some(count)) => Some(QuantityChange::Add(count)),
        (None, None) if details_only => None,
        (None, None) => Some(QuantityChange::Add(1)),
    };
    let update = EntryUpdate {
        quantity,
        purchase: args.price.map(|price_cents| {
            Some(Purchase {
                price_cents,
                currency: args.currency.trim().to_uppercase(),
            })
        }),
        note: args
            .note
            .clone()
            .map(|note| Some(note).filter(|note| !note.is_empty())),
    };
    let outcome = collection::write_blocking(database.writer(), move |connection| {
        entries::update_entry(connection, &target, &update)
    })?;
    if args.json {
        println!("{}", serde_json::to_string(&outcome)?);
    } else {
        println!("{}", describe_outcome(&outcome));
    }
    Ok(())
}

fn describe_outcome(outcome: &EntryOutcome) -> String {
    let grade = outcome
        .grade
        .as_ref()
        .map(|grade| format!(", {} {}", grade.company, grade.grade))
        .unwrap_or_default();
    let entry = format!(
        "{} {}/{} ({}{grade}, {})",
        outcome.card_id,
        outcome.variation_type,
        outcome.treatment,
        outcome.condition,
        outcome.language
    );
    match (outcome.quantity_before, outcome.quantity) {
        (0, 0) => format!("{entry}: not owned, nothing to remove"),
        (before, 0) => format!("{entry}: removed ({})", copies(before)),
        (0, after) => format!("{entry}: {}, new entry", copies(after)),
        (before, after) => format!("{entry}: {} (was {before})", copies(after)),
    }
}

pub fn wishlist(args: WishlistArgs) -> anyhow::Result<()> {
    let database = open(&args.database)?;
    let card_id = args.card_id.clone();
    let selector = selector(args.variation.as_deref())?;
    let wishlisted = !args.off;
    let outcome = collection::write_blocking(database.writer(), move |connection| {
        entries::set_wishlisted(connection, &card_id, selector.as_ref(), wishlisted)
    })?;
    if args.json {
        println!("{}", serde_json::to_string(&outcome)?);
        return Ok(());
    }
    let state = match (outcome.wishlisted, outcome.changed) {
        (true, true) => "added to the wishlist",
        (true, false) => "already on the wishlist",
        (false, true) => "taken off the wishlist",
        (false, false) => "was not on the wishlist",
    };
    println!(
        "{} {}/{}: {state}",
        outcome.card_id, outcome.variation_type, outcome.treatment
    );
    Ok(())
}

#[derive(Serialize)]
struct CollectionReport {
    entries: Vec<EntryView>,
    /// Sets with at least one owned card.
    completion: Vec<SetCompletion>,
    value: CollectionValue,
}

pub fn show(args: CollectionArgs) -> anyhow::Result<()> {
    let reader = args.database.reader()?;
    let today = today_utc();
    let report = CollectionReport {
        entries: views::list_entries(&reader, today)?,
        completion: views::set_completions(&reader)?
            .into_iter()
            .filter(|set| set.cards_owned > 0)
            .collect(),
        value: value::collection_value(&reader, today)?,
    };
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print_collection(&report);
    }
    Ok(())
}

fn print_collection(report: &CollectionReport) {
    if report.entries.is_empty() {
        println!("The collection is empty; add cards with `holo own CARD_ID`.");
        return;
    }
    for entry in &report.entries {
        let grade = entry
            .grade
            .as_ref()
            .map(|grade| format!(" {} {}", grade.company, grade.grade))
            .unwrap_or_default();
        let mut flags = Vec::new();
        if entry.stale {
            flags.push("stale price");
        }
        if entry.delisted {
            flags.push("delisted");
        }
        if entry.variation_retired {
            flags.push("retired variation");
        }
        if entry.wishlisted {
            flags.push("wishlisted");
        }
        println!(
            "{:>4} × {:<16} {:<28} {:<34} {}{grade} {}  {}{}",
            entry.quantity,
            entry.card_id,
            entry.card_name,
            format!("{}/{}", entry.variation_type, entry.treatment),
            entry.condition.abbreviation(),
            entry.language,
            entry
                .market_price_cents
                .map(dollars)
                .unwrap_or_else(|| "no price".to_owned()),
            if flags.is_empty() {
                String::new()
            } else {
                format!("  [{}]", flags.join(", "))
            }
        );
    }
    println!("\nSets:");
    for set in &report.completion {
        println!(
            "  {:<12} {:<36} cards {}/{}, variations {}/{}",
            set.set_id,
            set.set_name,
            set.cards_owned,
            set.cards_total,
            set.variations_owned,
            set.variations_total
        );
    }
    let value = &report.value;
    let dates = match (&value.oldest_price_date, &value.newest_price_date) {
        (Some(oldest), Some(newest)) if oldest != newest => {
            format!("prices of {oldest} to {newest}")
        }
        (Some(date), _) => format!("prices of {date}"),
        _ => "no prices".to_owned(),
    };
    println!(
        "\nValue {} ({dates}): {} entries, {} copies, {} without a price, {} with a stale price",
        dollars(value.total_cents),
        value.entries,
        value.copies,
        value.entries_without_price,
        value.stale_entries
    );
}

fn dollars(cents: i64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

pub fn export_command(args: ExportArgs) -> anyhow::Result<()> {
    let reader = args.database.reader()?;
    match &args.out {
        Some(path) => {
            let summary = export_to_file(&reader, args.format, path)?;
            eprintln!(
                "Exported {} records to {} ({}){}",
                summary.written,
                path.display(),
                args.format.label(),
                skipped_note(summary.skipped)
            );
        }
        None => {
            let stdout = std::io::stdout().lock();
            let (mut out, summary) = export(&reader, args.format, std::io::BufWriter::new(stdout))?;
            out.flush().context("cannot write to standard output")?;
            if summary.skipped > 0 {
                eprintln!("{}", skipped_note(summary.skipped).trim_start_matches("; "));
            }
        }
    }
    Ok(())
}

fn skipped_note(skipped: u32) -> String {
    if skipped == 0 {
        return String::new();
    }
    format!("; {skipped} wishlist-only records left out, since the format has no wishlist")
}

#[derive(Serialize)]
struct ImportReport<'a> {
    file: String,
    applied: bool,
    #[serde(flatten)]
    plan: &'a ImportPlan,
}

pub fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    // A dry run only reads, so it also works on a database on read-only storage.
    let database = if args.dry_run {
        None
    } else {
        Some(open(&args.database)?)
    };
    let bytes = match std::fs::read(&args.file) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("error: cannot read {}: {error}", args.file.display());
            return Ok(ExitCode::from(EXIT_NOTHING_IMPORTED));
        }
    };
    let parsed = match files::read(&bytes) {
        Ok(parsed) => parsed,
        Err(error) => {
            eprintln!("error: cannot import {}: {error}", args.file.display());
            return Ok(ExitCode::from(EXIT_NOTHING_IMPORTED));
        }
    };
    let mode = if args.add {
        ImportMode::Add
    } else {
        ImportMode::Replace
    };
    let reader = match &database {
        Some(database) => database.reader()?,
        None => args.database.reader()?,
    };
    let plan = plan_import(&reader, &parsed, mode)?;
    let (plan, applied) = match database {
        Some(database) if !plan.is_empty() => {
            let plan = collection::write_blocking(database.writer(), move |connection| {
                apply_import(connection, &plan)?;
                Ok(plan)
            })?;
            (plan, true)
        }
        _ => (plan, false),
    };

    if args.json {
        let report = ImportReport {
            file: args.file.display().to_string(),
            applied,
            plan: &plan,
        };
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print_import(&args.file, &plan, applied);
    }
    if plan.is_empty() {
        return Ok(ExitCode::from(EXIT_NOTHING_IMPORTED));
    }
    Ok(ExitCode::SUCCESS)
}

fn print_import(file: &Path, plan: &ImportPlan, applied: bool) {
    let verb = if applied { "Imported" } else { "Would import" };
    println!(
        "{verb} {} ({}, {} rows): {} added, {} merged, {} wishlisted, {} unmatched, {} unreadable",
        file.display(),
        plan.format.label(),
        plan.rows,
        plan.added.len(),
        plan.merged.len(),
        plan.wishlisted.len(),
        plan.unmatched.len(),
        plan.unreadable.len()
    );
    for entry in &plan.added {
        println!(
            "  added    line {}: {} {}/{} × {}",
            join_lines(&entry.lines),
            entry.card_id,
            entry.variation_type,
            entry.treatment,
            entry.quantity
        );
    }
    for entry in &plan.merged {
        println!(
            "  merged   line {}: {} {}/{} × {} (was {})",
            join_lines(&entry.lines),
            entry.card_id,
            entry.variation_type,
            entry.treatment,
            entry.quantity,
            entry.quantity_before
        );
    }
    for wish in &plan.wishlisted {
        println!(
            "  wishlist line {}: {} {}/{}",
            join_lines(&wish.lines),
            wish.card_id,
            wish.variation_type,
            wish.treatment
        );
    }
    for row in &plan.unmatched {
        println!("  unmatched  line {}: {}", row.line, row.reason);
    }
    for row in &plan.unreadable {
        println!("  unreadable line {}: {}", row.line, row.reason);
    }
    if plan.is_empty() {
        println!("Nothing could be imported.");
    }
}

fn join_lines(lines: &[u32]) -> String {
    let lines: Vec<String> = lines.iter().map(u32::to_string).collect();
    lines.join(", ")
}

/// Formats a number of copies with the right plural: `1 copy`, `2 copies`.
fn copies(count: u32) -> String {
    if count == 1 {
        "1 copy".to_owned()
    } else {
        format!("{count} copies")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_to_cents() {
        assert_eq!(parse_cents("12.50"), Ok(1250));
        assert_eq!(parse_cents("12.5"), Ok(1250));
        assert_eq!(parse_cents("7"), Ok(700));
        assert_eq!(parse_cents("0.05"), Ok(5));
        for bad in [
            "",
            "-1",
            "1.234",
            "1,50",
            "abc",
            ".5",
            "99999999999999999999",
        ] {
            assert!(parse_cents(bad).is_err(), "{bad:?}");
        }
    }
}
