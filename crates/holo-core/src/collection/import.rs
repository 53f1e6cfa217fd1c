//! Importing a collection file: plan on a read connection, then apply the plan in one
//! transaction on the writer.
//!
//! Each row's card is found by its `card_id`, else by set and number. The set is named by its
//! id, its code (the API's `ptcgoCode`) or its name, which matches ignoring case, accents and
//! punctuation and also as price sites write it (`Base Set`, `Scarlet & Violet 151`, `SWSH10:
//! Astral Radiance`). The number is compared in natural order
//! (`190/189` is `190`, `007` is `7`, case ignored) in the named sets and in the subsets that
//! share their code (Crown Zenith's Galarian Gallery). Several cards with the number are
//! narrowed to the set with the row's exact set name, then to the row's card name. A row
//! without a number is matched by set and card name when exactly one card of the set has that
//! name; a row whose number no card has is unmatched. Its variation is the one with the row's Holo key
//! (`variation_type` and `treatment`), else the one priced by the row's printing (`Reverse
//! Holofoil` is `reverseHolofoil`), else the card's first variation by position. A Holo key
//! that names no variation of the card falls back to the printing when the row has one. A
//! retired variation gives way to the current one the sync moved its entries to
//! ([`successor`](super::variation::successor)), unless it still has the row's entry, so a file
//! exported before a sync renamed a variation merges with the entries where they are now.
//!
//! Rows with the same identity (variation, condition, grade, language) add up. In the default
//! [`ImportMode::Replace`] an entry that already exists gets the file's quantity, so importing
//! one file twice changes nothing the second time; [`ImportMode::Add`] adds the file's copies.
//! An import never removes an entry or a wishlist mark.

use std::cell::RefCell;
use std::collections::HashMap;

use rusqlite::{Connection, Transaction, params};
use serde::{Deserialize, Serialize};

use super::entries::{
    DEFAULT_LANGUAGE, Grade, Purchase, add_to_wishlist, begin_write, canonical_language,
    check_purchase, find_entry, grade_columns, used_languages,
};
use super::error::CollectionError;
use super::files::simple_name;
use super::record::{Condition, EntryRecord, FileFormat, ParsedFile};
use super::variation::{
    StoredVariation, VariationSelector, card_variations, pick_variation, printing_key,
    printing_name, successor,
};
use crate::numbers::natural_sort_key;
use crate::time::now_rfc3339;

/// The treatment of an entry that already exists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum ImportMode {
    /// The entry gets the file's quantity.
    #[default]
    Replace,
    /// The file's copies are added to the entry's.
    Add,
}

/// An import's plan, row by row, which [`apply_import`] writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportPlan {
    pub format: FileFormat,
    pub mode: ImportMode,
    /// Data rows in the file, readable or not.
    pub rows: u32,
    /// Entries the collection does not have yet.
    pub added: Vec<PlannedEntry>,
    /// Entries the collection has, whose quantity the import sets or adds to.
    pub merged: Vec<PlannedEntry>,
    /// Variations the import puts on the wishlist.
    pub wishlisted: Vec<PlannedWish>,
    /// Rows whose card or variation was not found, or whose values Holo rejects.
    pub unmatched: Vec<RowProblem>,
    /// Rows the file reader could not read.
    pub unreadable: Vec<RowProblem>,
}

impl ImportPlan {
    /// Returns whether applying the plan would change nothing: no row matched.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.merged.is_empty() && self.wishlisted.is_empty()
    }
}

/// One entry an import writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlannedEntry {
    /// The file lines that make up the entry, in file order.
    pub lines: Vec<u32>,
    pub card_id: String,
    pub variation_id: i64,
    pub variation_type: String,
    pub treatment: String,
    pub condition: Condition,
    pub grade: Option<Grade>,
    pub language: String,
    /// Copies before the import; 0 for an added entry.
    pub quantity_before: u32,
    /// Copies after the import.
    pub quantity: u32,
    /// Written when set; an existing entry keeps its own otherwise. The same holds for `note`.
    pub purchase: Option<Purchase>,
    pub note: Option<String>,
    /// Kept for an added entry (now when `None`); an existing entry keeps its own.
    pub added_at: Option<String>,
}

/// A variation an import puts on the wishlist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlannedWish {
    pub lines: Vec<u32>,
    pub card_id: String,
    pub variation_id: i64,
    pub variation_type: String,
    pub treatment: String,
    pub added_at: Option<String>,
}

/// A row the import leaves out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RowProblem {
    /// The row's line in the file, as [`ParsedRow::line`](super::record::ParsedRow) gives it.
    pub line: u32,
    pub reason: String,
}

/// The counts of an applied import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportCounts {
    pub added: u32,
    pub merged: u32,
    pub wishlisted: u32,
    pub unmatched: u32,
    pub unreadable: u32,
}

/// Plans the import of a read file against the database on `connection`, without writing.
pub fn plan_import(
    connection: &Connection,
    file: &ParsedFile,
    mode: ImportMode,
) -> Result<ImportPlan, CollectionError> {
    let matcher = Matcher::new(connection, file.format)?;
    let mut plan = ImportPlan {
        format: file.format,
        mode,
        rows: file.rows.len() as u32,
        added: Vec::new(),
        merged: Vec::new(),
        wishlisted: Vec::new(),
        unmatched: Vec::new(),
        unreadable: Vec::new(),
    };
    // Where each identity's entry, and each variation's wish, sit in the plan.
    let mut entries: HashMap<EntryKey, (bool, usize)> = HashMap::new();
    let mut wishes: HashMap<i64, usize> = HashMap::new();

    for row in &file.rows {
        let line = row.line as u32;
        let record = match &row.record {
            Ok(record) => record,
            Err(reason) => {
                plan.unreadable.push(RowProblem {
                    line,
                    reason: reason.clone(),
                });
                continue;
            }
        };
        let matched = match matcher.match_row(record) {
            Ok(matched) => matched,
            Err(reason) => {
                plan.unmatched.push(RowProblem { line, reason });
                continue;
            }
        };
        if record.wishlist {
            plan_wish(connection, &mut plan, &mut wishes, &matched, record, line)?;
        }
        if record.quantity > 0
            && let Err(reason) = plan_entry(connection, &mut plan, &mut entries, matched, line)
        {
            plan.unmatched.push(RowProblem { line, reason });
        }
    }
    Ok(plan)
}

/// Writes a plan in one transaction: everything or, on any error, nothing. Fails with
/// [`CollectionError::PlanOutdated`] when an entry's quantity is no longer what the plan saw.
pub fn apply_import(
    connection: &mut Connection,
    plan: &ImportPlan,
) -> Result<ImportCounts, CollectionError> {
    let transaction = begin_write(connection)?;
    let now = now_rfc3339();
    for entry in plan.added.iter().chain(&plan.merged) {
        check_unchanged(&transaction, entry)?;
        if entry.quantity_before == 0 {
            insert_planned(&transaction, entry, &now)?;
        } else {
            update_planned(&transaction, entry)?;
        }
    }
    for wish in &plan.wishlisted {
        add_to_wishlist(
            &transaction,
            wish.variation_id,
            wish.added_at.as_deref().unwrap_or(&now),
        )?;
    }
    transaction.commit()?;
    Ok(ImportCounts {
        added: plan.added.len() as u32,
        merged: plan.merged.len() as u32,
        wishlisted: plan.wishlisted.len() as u32,
        unmatched: plan.unmatched.len() as u32,
        unreadable: plan.unreadable.len() as u32,
    })
}

/// An entry's identity within one import.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct EntryKey {
    variation_id: i64,
    condition: Condition,
    grade: Option<Grade>,
    language: String,
}

/// A row matched to a variation, with its values checked.
struct MatchedRow {
    variation: StoredVariation,
    key: EntryKey,
    quantity: u32,
    purchase: Option<Purchase>,
    note: Option<String>,
    added_at: Option<String>,
}

fn plan_entry(
    connection: &Connection,
    plan: &mut ImportPlan,
    entries: &mut HashMap<EntryKey, (bool, usize)>,
    matched: MatchedRow,
    line: u32,
) -> Result<(), String> {
    if let Some(&(is_new, index)) = entries.get(&matched.key) {
        let entry = if is_new {
            &mut plan.added[index]
        } else {
            &mut plan.merged[index]
        };
        entry.quantity = entry
            .quantity
            .checked_add(matched.quantity)
            .ok_or("the rows of this entry add up to more copies than Holo can count")?;
        entry.lines.push(line);
        entry.purchase = entry.purchase.take().or(matched.purchase);
        entry.note = entry.note.take().or(matched.note);
        entry.added_at = entry.added_at.take().or(matched.added_at);
        return Ok(());
    }

    let key = &matched.key;
    let existing = find_entry(
        connection,
        key.variation_id,
        key.condition,
        key.grade.as_ref(),
        &key.language,
    )
    .map_err(|error| error.to_string())?;
    let quantity_before = existing.map_or(0, |(_, quantity)| quantity);
    let quantity = match plan.mode {
        ImportMode::Replace if existing.is_some() => matched.quantity,
        _ => quantity_before
            .checked_add(matched.quantity)
            .ok_or("the entry would have more copies than Holo can count")?,
    };
    let entry = PlannedEntry {
        lines: vec![line],
        card_id: matched.variation.card_id.clone(),
        variation_id: matched.variation.id,
        variation_type: matched.variation.variation_type.clone(),
        treatment: matched.variation.treatment.clone(),
        condition: key.condition,
        grade: key.grade.clone(),
        language: key.language.clone(),
        quantity_before,
        quantity,
        purchase: matched.purchase,
        note: matched.note,
        added_at: matched.added_at,
    };
    let is_new = existing.is_none();
    let list = if is_new {
        &mut plan.added
    } else {
        &mut plan.merged
    };
    entries.insert(matched.key, (is_new, list.len()));
    list.push(entry);
    Ok(())
}

fn plan_wish(
    connection: &Connection,
    plan: &mut ImportPlan,
    wishes: &mut HashMap<i64, usize>,
    matched: &MatchedRow,
    record: &EntryRecord,
    line: u32,
) -> Result<(), CollectionError> {
    let variation = &matched.variation;
    if let Some(&index) = wishes.get(&variation.id) {
        plan.wishlisted[index].lines.push(line);
        return Ok(());
    }
    let listed = connection
        .prepare_cached("SELECT 1 FROM wishlist WHERE variation_id = ?1")?
        .exists([variation.id])?;
    if listed {
        return Ok(());
    }
    wishes.insert(variation.id, plan.wishlisted.len());
    plan.wishlisted.push(PlannedWish {
        lines: vec![line],
        card_id: variation.card_id.clone(),
        variation_id: variation.id,
        variation_type: variation.variation_type.clone(),
        treatment: variation.treatment.clone(),
        added_at: record.added_at.clone(),
    });
    Ok(())
}

fn check_unchanged(transaction: &Transaction, entry: &PlannedEntry) -> Result<(), CollectionError> {
    let found = find_entry(
        transaction,
        entry.variation_id,
        entry.condition,
        entry.grade.as_ref(),
        &entry.language,
    )?
    .map_or(0, |(_, quantity)| quantity);
    if found != entry.quantity_before {
        return Err(CollectionError::PlanOutdated {
            card_id: entry.card_id.clone(),
            expected: entry.quantity_before,
            found,
        });
    }
    Ok(())
}

fn insert_planned(
    transaction: &Transaction,
    entry: &PlannedEntry,
    now: &str,
) -> Result<(), CollectionError> {
    let (company, grade) = grade_columns(entry.grade.as_ref());
    transaction
        .prepare_cached(
            "INSERT INTO collection_entries (variation_id, quantity, condition, grade_company,
                 grade, language, purchase_price_cents, purchase_currency, added_at, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            entry.variation_id,
            entry.quantity,
            entry.condition.as_str(),
            company,
            grade,
            entry.language,
            entry.purchase.as_ref().map(|p| p.price_cents),
            entry.purchase.as_ref().map(|p| p.currency.as_str()),
            entry.added_at.as_deref().unwrap_or(now),
            entry.note,
        ])?;
    Ok(())
}

fn update_planned(transaction: &Transaction, entry: &PlannedEntry) -> Result<(), CollectionError> {
    let (company, grade) = grade_columns(entry.grade.as_ref());
    transaction
        .prepare_cached(
            "UPDATE collection_entries
             SET quantity = ?6,
                 purchase_price_cents = ifnull(?7, purchase_price_cents),
                 purchase_currency = CASE WHEN ?7 IS NULL THEN purchase_currency ELSE ?8 END,
                 note = ifnull(?9, note)
             WHERE variation_id = ?1 AND condition = ?2 AND ifnull(grade_company, '') = ?3
               AND ifnull(grade, '') = ?4 AND language = ?5",
        )?
        .execute(params![
            entry.variation_id,
            entry.condition.as_str(),
            company.unwrap_or(""),
            grade.unwrap_or(""),
            entry.language,
            entry.quantity,
            entry.purchase.as_ref().map(|p| p.price_cents),
            entry.purchase.as_ref().map(|p| p.currency.as_str()),
            entry.note,
        ])?;
    Ok(())
}

/// A set as rows are matched against it.
struct SetRow {
    id: String,
    name: String,
    code: Option<String>,
    /// The set's name in the forms price sites use, folded: `base` and `base set`, `151` and
    /// `scarlet violet 151`.
    names: [String; 3],
}

impl SetRow {
    /// Returns whether a file's set name names this set; see [`Matcher::matching_sets`].
    fn is_named(&self, name: &str) -> bool {
        let wanted = folded(name);
        // TCGplayer prefixes some set names with a code: "SWSH10: Astral Radiance".
        let without_prefix = name.split_once(": ").map(|(_, rest)| folded(rest));
        self.names
            .iter()
            .any(|set_name| *set_name == wanted || without_prefix.as_ref() == Some(set_name))
    }
}

/// A card a row may name.
struct Candidate {
    id: String,
    name: String,
    number: String,
    set_id: String,
}

/// Finds the card and variation of file rows.
struct Matcher<'a> {
    connection: &'a Connection,
    sets: Vec<SetRow>,
    /// The languages of the collection's entries and of the rows planned so far.
    languages: RefCell<Vec<String>>,
    /// Whether the file's format has a card id column, so an ambiguous row can be fixed by
    /// adding the card id.
    has_card_id: bool,
}

impl<'a> Matcher<'a> {
    fn new(connection: &'a Connection, format: FileFormat) -> Result<Self, CollectionError> {
        let sets = connection
            .prepare("SELECT id, name, ptcgo_code, series FROM sets ORDER BY release_date, id")?
            .query_map([], |row| {
                let name: String = row.get(1)?;
                let series: String = row.get(3)?;
                Ok(SetRow {
                    id: row.get(0)?,
                    code: row.get(2)?,
                    names: [
                        folded(&name),
                        folded(&format!("{name} Set")),
                        folded(&format!("{series} {name}")),
                    ],
                    name,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let has_card_id = matches!(format, FileFormat::HoloCsv | FileFormat::HoloJson);
        Ok(Matcher {
            connection,
            sets,
            languages: RefCell::new(used_languages(connection)?),
            has_card_id,
        })
    }

    fn match_row(&self, record: &EntryRecord) -> Result<MatchedRow, String> {
        let card_id = self.match_card(record)?;
        let variations =
            card_variations(self.connection, &card_id).map_err(|error| error.to_string())?;
        let named = match_variation(&card_id, &variations, record)?;
        let mut key = EntryKey {
            variation_id: named.id,
            condition: record.condition,
            grade: record_grade(record)?,
            language: self.language(record.language.trim()),
        };
        let variation = self
            .current_variation(named, &variations, &key)
            .map_err(|error| error.to_string())?
            .clone();
        key.variation_id = variation.id;
        Ok(MatchedRow {
            variation,
            key,
            quantity: record.quantity,
            purchase: record_purchase(record)?,
            note: record.note.clone().filter(|note| !note.is_empty()),
            added_at: record
                .added_at
                .clone()
                .filter(|added_at| !added_at.trim().is_empty()),
        })
    }

    /// Returns the spelling to store for a row's language (see [`canonical_language`]) and
    /// remembers a new one, so that rows spelling it in other cases make one entry.
    fn language(&self, language: &str) -> String {
        if language.is_empty() {
            return DEFAULT_LANGUAGE.to_owned();
        }
        let mut used = self.languages.borrow_mut();
        let canonical = canonical_language(language, &used);
        if !used.contains(&canonical) {
            used.push(canonical.clone());
        }
        canonical
    }

    /// Returns the successor of a retired variation a row names (a file exported before a sync
    /// renamed the variation), where the sync moved its entries, unless the retired variation
    /// still has the row's entry. Returns `named` when it is current or has no successor.
    fn current_variation<'v>(
        &self,
        named: &'v StoredVariation,
        variations: &'v [StoredVariation],
        key: &EntryKey,
    ) -> Result<&'v StoredVariation, CollectionError> {
        let Some(current) = successor(named, variations) else {
            return Ok(named);
        };
        let left_behind = find_entry(
            self.connection,
            named.id,
            key.condition,
            key.grade.as_ref(),
            &key.language,
        )?;
        Ok(if left_behind.is_some() {
            named
        } else {
            current
        })
    }

    /// Returns the id of the card a record names, or why none was found.
    fn match_card(&self, record: &EntryRecord) -> Result<String, String> {
        let card_id = non_empty(&record.card_id);
        if let Some(card_id) = card_id {
            let exists = self
                .connection
                .prepare_cached("SELECT 1 FROM cards WHERE id = ?1")
                .and_then(|mut statement| statement.exists([card_id]))
                .map_err(|error| error.to_string())?;
            if exists {
                return Ok(card_id.to_owned());
            }
        }
        let sets = self.matching_sets(record);
        let set_named = [&record.set_id, &record.set_code, &record.set_name]
            .iter()
            .any(|field| non_empty(field).is_some());
        if sets.is_empty() {
            return Err(match (card_id, set_named) {
                (Some(id), _) => format!("card {id} not found"),
                (None, true) => format!("set {} not found", describe_set(record)),
                (None, false) => "the row names no card id and no set".to_owned(),
            });
        }
        if let Some(number) = non_empty(&record.number) {
            return self.match_number(record, &sets, number);
        }
        let Some(name) = non_empty(&record.card_name) else {
            return Err("the row names a set but no card number or name".to_owned());
        };
        let by_name = self
            .cards_by_name(&sets, name)
            .map_err(|error| error.to_string())?;
        match by_name.as_slice() {
            [only] => Ok(only.id.clone()),
            [] => Err(format!(
                "set {} has no card named {name:?}",
                describe_set(record)
            )),
            several => Err(self.ambiguous(several, "named", name)),
        }
    }

    /// Returns the id of the card with `number` in `sets` or in a subset of theirs.
    ///
    /// A subset such as Crown Zenith's Galarian Gallery shares its main set's code, and files
    /// often name it by the main set, so the sets sharing a code with `sets` are searched too.
    /// When several cards have the number, the ones whose set the row names by its exact name
    /// are kept, then the ones with the row's card name. A number that no card has is an error
    /// and never falls back to the card name, which would pick another print of the same
    /// Pokémon.
    fn match_number(
        &self,
        record: &EntryRecord,
        sets: &[&SetRow],
        number: &str,
    ) -> Result<String, String> {
        let mut searched: Vec<&SetRow> = sets.to_vec();
        for set in &self.sets {
            let shares_code = set
                .code
                .as_deref()
                .is_some_and(|code| sets.iter().any(|named| named.code.as_deref() == Some(code)));
            if shares_code && !searched.iter().any(|known| known.id == set.id) {
                searched.push(set);
            }
        }
        let mut cards = self
            .cards_by_number(&searched, number)
            .map_err(|error| error.to_string())?;
        if cards.is_empty() {
            return Err(format!(
                "set {} has no card number {number}; check the number, or leave it out to \
                 match the card by name",
                describe_set(record)
            ));
        }
        if cards.len() > 1
            && let Some(set_name) = non_empty(&record.set_name)
        {
            let named_sets: Vec<&str> = self
                .sets
                .iter()
                .filter(|set| set.is_named(set_name))
                .map(|set| set.id.as_str())
                .collect();
            keep_if_any(&mut cards, |card| {
                named_sets.contains(&card.set_id.as_str())
            });
        }
        if cards.len() > 1
            && let Some(card_name) = non_empty(&record.card_name)
        {
            let wanted = folded(card_name);
            keep_if_any(&mut cards, |card| folded(&card.name) == wanted);
        }
        match cards.as_slice() {
            [only] => Ok(only.id.clone()),
            several => Err(self.ambiguous(several, "with number", number)),
        }
    }

    /// Returns the sets a record names: by id, else by code, else by name, ignoring case.
    fn matching_sets(&self, record: &EntryRecord) -> Vec<&SetRow> {
        if let Some(id) = non_empty(&record.set_id) {
            let found: Vec<&SetRow> = self
                .sets
                .iter()
                .filter(|set| set.id.eq_ignore_ascii_case(id))
                .collect();
            if !found.is_empty() {
                return found;
            }
        }
        if let Some(code) = non_empty(&record.set_code) {
            let found: Vec<&SetRow> = self
                .sets
                .iter()
                .filter(|set| {
                    set.code
                        .as_deref()
                        .is_some_and(|c| c.eq_ignore_ascii_case(code))
                })
                .collect();
            if !found.is_empty() {
                return found;
            }
        }
        let Some(name) = non_empty(&record.set_name) else {
            return Vec::new();
        };
        self.sets.iter().filter(|set| set.is_named(name)).collect()
    }

    /// Cards of `sets` whose number is `number` in natural order.
    fn cards_by_number(&self, sets: &[&SetRow], number: &str) -> rusqlite::Result<Vec<Candidate>> {
        let printed = number.split('/').next().unwrap_or(number).trim();
        let key = natural_sort_key(printed);
        let mut statement = self.connection.prepare_cached(
            "SELECT id, name, number, set_id FROM cards WHERE set_id = ?1 AND number_sort = ?2",
        )?;
        let mut cards = Vec::new();
        for set in sets {
            let rows = statement.query_map(params![set.id, key], candidate_from_row)?;
            cards.extend(rows.collect::<rusqlite::Result<Vec<_>>>()?);
        }
        Ok(cards)
    }

    /// Cards of `sets` whose name is `name`, ignoring case, accents and punctuation.
    fn cards_by_name(&self, sets: &[&SetRow], name: &str) -> rusqlite::Result<Vec<Candidate>> {
        let wanted = folded(name);
        let mut statement = self.connection.prepare_cached(
            "SELECT id, name, number, set_id FROM cards WHERE set_id = ?1
             ORDER BY number_sort, number",
        )?;
        let mut cards = Vec::new();
        for set in sets {
            for card in statement.query_map([&set.id], candidate_from_row)? {
                let card = card?;
                if folded(&card.name) == wanted {
                    cards.push(card);
                }
            }
        }
        Ok(cards)
    }

    /// Formats the reason for a row that names several cards, with the candidates and how to
    /// pick one.
    fn ambiguous(&self, cards: &[Candidate], how: &str, value: &str) -> String {
        let candidates: Vec<String> = cards
            .iter()
            .map(|card| {
                let set_name = self
                    .sets
                    .iter()
                    .find(|set| set.id == card.set_id)
                    .map_or(card.set_id.as_str(), |set| set.name.as_str());
                format!("{} ({} #{}, {set_name})", card.id, card.name, card.number)
            })
            .collect();
        let advice = if self.has_card_id {
            "add the card id to the row"
        } else {
            "change the row's set name or card name to those of one of them"
        };
        format!(
            "ambiguous: {} cards {how} {value:?}: {}; {advice}",
            cards.len(),
            candidates.join(", ")
        )
    }
}

/// Keeps the items that pass `keep`, unless none does.
fn keep_if_any<T>(items: &mut Vec<T>, keep: impl Fn(&T) -> bool) {
    if items.iter().any(&keep) {
        items.retain(keep);
    }
}

fn candidate_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Candidate> {
    Ok(Candidate {
        id: row.get(0)?,
        name: row.get(1)?,
        number: row.get(2)?,
        set_id: row.get(3)?,
    })
}

/// Picks the variation of a matched card; see the module documentation for the order.
fn match_variation<'v>(
    card_id: &str,
    variations: &'v [StoredVariation],
    record: &EntryRecord,
) -> Result<&'v StoredVariation, String> {
    let variation_type = non_empty(&record.variation_type);
    let printing = non_empty(&record.printing);
    if let Some(treatment) = non_empty(&record.treatment) {
        let selector = VariationSelector::new(variation_type, treatment);
        return match pick_variation(card_id, variations, Some(&selector)) {
            Ok(variation) => Ok(variation),
            // A key from another Holo version or a hand edit: the printing still names the
            // copies exactly, by the price key.
            Err(error) => match printing {
                Some(printing) => {
                    match_printing(card_id, variations, printing).map_err(|_| error.to_string())
                }
                None => Err(error.to_string()),
            },
        };
    }
    if variation_type.is_some() {
        return Err("the row names a variation type but no treatment".to_owned());
    }
    match printing {
        Some(printing) => match_printing(card_id, variations, printing),
        None => pick_variation(card_id, variations, None).map_err(|error| error.to_string()),
    }
}

/// Picks the variation priced by a printing name. `Holofoil` also finds an
/// `unlimitedHolofoil` variation when the card has no plain `holofoil` one, because price
/// sites list a 1st Edition set's unlimited print as plain Holofoil.
fn match_printing<'v>(
    card_id: &str,
    variations: &'v [StoredVariation],
    printing: &str,
) -> Result<&'v StoredVariation, String> {
    let Some(key) = printing_key(printing) else {
        return Err(format!(
            "unknown printing {printing:?}: expected Normal, Holofoil, Reverse Holofoil, \
             1st Edition, 1st Edition Holofoil or Unlimited Holofoil"
        ));
    };
    let priced_by = |key: &str| -> Option<&'v StoredVariation> {
        let priced: Vec<&StoredVariation> = variations
            .iter()
            .filter(|variation| variation.printing.as_deref() == Some(key))
            .collect();
        priced
            .iter()
            .find(|v| !v.retired)
            .or(priced.first())
            .copied()
    };
    let found = priced_by(key).or_else(|| {
        (key == "holofoil")
            .then(|| priced_by("unlimitedHolofoil"))
            .flatten()
    });
    if let Some(variation) = found {
        return Ok(variation);
    }
    // A card without prices has no printing keys to match, so its one variation is taken.
    let current: Vec<&StoredVariation> = variations.iter().filter(|v| !v.retired).collect();
    if let [only] = current.as_slice()
        && only.printing.is_none()
    {
        return Ok(only);
    }
    let printings: Vec<&str> = current
        .iter()
        .filter_map(|variation| variation.printing.as_deref())
        .map(|key| printing_name(key).unwrap_or(key))
        .collect();
    Err(format!(
        "card {card_id} has no {printing} printing; its printings are: {}",
        printings.join(", ")
    ))
}

fn record_grade(record: &EntryRecord) -> Result<Option<Grade>, String> {
    match (non_empty(&record.grade_company), non_empty(&record.grade)) {
        (None, None) => Ok(None),
        (Some(company), Some(grade)) => Ok(Some(Grade {
            company: company.to_uppercase(),
            grade: grade.to_owned(),
        })),
        _ => Err("a grade needs both a grading company and a grade (PSA 10)".to_owned()),
    }
}

fn record_purchase(record: &EntryRecord) -> Result<Option<Purchase>, String> {
    let Some(price_cents) = record.purchase_price_cents else {
        return Ok(None);
    };
    let purchase = Purchase {
        price_cents,
        currency: non_empty(&record.purchase_currency)
            .unwrap_or("USD")
            .to_owned(),
    };
    check_purchase(&purchase).map_err(|error| error.to_string())?;
    Ok(Some(purchase))
}

fn non_empty(field: &Option<String>) -> Option<&str> {
    field
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

/// Folds a name for comparison: no accents, punctuation or case (`Flabébé` is `flabebe`).
fn folded(name: &str) -> String {
    simple_name(name).to_lowercase()
}

fn describe_set(record: &EntryRecord) -> String {
    [&record.set_id, &record.set_code, &record.set_name]
        .iter()
        .find_map(|field| non_empty(field))
        .map(|name| format!("{name:?}"))
        .unwrap_or_else(|| "(none)".to_owned())
}
