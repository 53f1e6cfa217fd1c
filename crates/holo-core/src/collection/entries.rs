//! Writes to the collection: quantities, purchase prices, notes and the wishlist.
//!
//! Every function here takes `&mut Connection` and runs its own transaction, so call it on the
//! writer thread: `collection::write(database.writer(), move |c| set_quantity(c, &target, 2))`.

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use super::error::CollectionError;
use super::record::Condition;
use super::variation::{
    StoredVariation, VariationSelector, card_variations, pick_variation, successor,
};
use crate::time::now_rfc3339;

/// The language of an entry that names none.
pub const DEFAULT_LANGUAGE: &str = "English";

/// The languages Pokémon cards are printed in, spelled as Holo stores them.
pub const CARD_LANGUAGES: [&str; 15] = [
    "English",
    "Japanese",
    "French",
    "German",
    "Italian",
    "Spanish",
    "Portuguese",
    "Korean",
    "Chinese (Traditional)",
    "Chinese (Simplified)",
    "Indonesian",
    "Thai",
    "Dutch",
    "Polish",
    "Russian",
];

/// Returns the spelling to store for a language: one of [`CARD_LANGUAGES`], else one that
/// `used` (the languages already in the collection) has, ignoring case either way, else the
/// language as given. So `japanese` and `Japanese` make one entry, not two.
pub(crate) fn canonical_language(language: &str, used: &[String]) -> String {
    let folded = language.to_lowercase();
    let known = CARD_LANGUAGES.iter().copied();
    let used = used.iter().map(String::as_str);
    known
        .chain(used)
        .find(|candidate| candidate.to_lowercase() == folded)
        .unwrap_or(language)
        .to_owned()
}

/// Returns the distinct languages of the collection's entries, oldest entry's spelling first.
pub(crate) fn used_languages(connection: &Connection) -> Result<Vec<String>, CollectionError> {
    let languages = connection
        .prepare_cached(
            "SELECT language FROM collection_entries GROUP BY language ORDER BY min(id)",
        )?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(languages)
}

/// A grade given by a grading company (`PSA` `10`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Grade {
    pub company: String,
    pub grade: String,
}

/// The price paid for one copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Purchase {
    /// In cents (hundredths) of `currency`; 0 or more.
    pub price_cents: i64,
    /// ISO 4217 code (`USD`).
    pub currency: String,
}

/// The entry a write is about: a card's variation, and the condition, grade and language that
/// tell its copies apart. These five make an entry's identity, so one kind of copy is one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryTarget {
    pub card_id: String,
    /// `None` picks the card's first current variation by `position`.
    pub variation: Option<VariationSelector>,
    pub condition: Condition,
    pub grade: Option<Grade>,
    pub language: String,
}

impl EntryTarget {
    /// Ungraded Near Mint English copies of the card's first variation.
    pub fn new(card_id: &str) -> Self {
        EntryTarget {
            card_id: card_id.to_owned(),
            variation: None,
            condition: Condition::NearMint,
            grade: None,
            language: DEFAULT_LANGUAGE.to_owned(),
        }
    }
}

/// A change to the number of copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantityChange {
    /// Sets the count; 0 removes the entry.
    Set(u32),
    /// Adds copies; at least 1.
    Add(u32),
}

/// One write to an entry. `None` leaves a field as it is; `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryUpdate {
    pub quantity: Option<QuantityChange>,
    pub purchase: Option<Option<Purchase>>,
    pub note: Option<Option<String>>,
}

/// The result of a write to an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EntryOutcome {
    pub card_id: String,
    pub variation_type: String,
    pub treatment: String,
    pub condition: Condition,
    pub grade: Option<Grade>,
    pub language: String,
    /// Copies before the write; 0 when the entry did not exist.
    pub quantity_before: u32,
    /// Copies after the write; 0 when the entry was removed.
    pub quantity: u32,
}

/// The result of a wishlist write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WishlistOutcome {
    pub card_id: String,
    pub variation_type: String,
    pub treatment: String,
    pub wishlisted: bool,
    /// False when the variation already was in the requested state.
    pub changed: bool,
}

/// Sets the number of copies of an entry, creating it if needed; 0 removes it.
pub fn set_quantity(
    connection: &mut Connection,
    target: &EntryTarget,
    quantity: u32,
) -> Result<EntryOutcome, CollectionError> {
    let update = EntryUpdate {
        quantity: Some(QuantityChange::Set(quantity)),
        ..EntryUpdate::default()
    };
    update_entry(connection, target, &update)
}

/// Adds `count` copies (at least 1) to an entry, creating it if needed.
pub fn add_quantity(
    connection: &mut Connection,
    target: &EntryTarget,
    count: u32,
) -> Result<EntryOutcome, CollectionError> {
    let update = EntryUpdate {
        quantity: Some(QuantityChange::Add(count)),
        ..EntryUpdate::default()
    };
    update_entry(connection, target, &update)
}

/// Applies `update` to the entry `target` names, in one transaction. A purchase price or note
/// without a quantity change needs an existing entry ([`CollectionError::EntryNotFound`]).
/// Setting the quantity to 0 removes the entry, and then no price or note may be given.
pub fn update_entry(
    connection: &mut Connection,
    target: &EntryTarget,
    update: &EntryUpdate,
) -> Result<EntryOutcome, CollectionError> {
    let mut target = normalised_target(target)?;
    check_update(update)?;
    let transaction = begin_write(connection)?;
    target.language = canonical_language(&target.language, &used_languages(&transaction)?);
    let variation = entry_variation(&transaction, &target)?;
    let outcome = write_entry(&transaction, &target, &variation, update)?;
    transaction.commit()?;
    Ok(outcome)
}

/// Puts a variation on the wishlist or takes it off. `variation` `None` picks the card's first
/// current variation.
pub fn set_wishlisted(
    connection: &mut Connection,
    card_id: &str,
    variation: Option<&VariationSelector>,
    wishlisted: bool,
) -> Result<WishlistOutcome, CollectionError> {
    let transaction = begin_write(connection)?;
    let resolved = wish_variation(&transaction, card_id, variation, wishlisted)?;
    let changed = if wishlisted {
        add_to_wishlist(&transaction, resolved.id, &now_rfc3339())?
    } else {
        transaction.execute(
            "DELETE FROM wishlist WHERE variation_id = ?1",
            [resolved.id],
        )? > 0
    };
    transaction.commit()?;
    Ok(WishlistOutcome {
        card_id: resolved.card_id,
        variation_type: resolved.variation_type,
        treatment: resolved.treatment,
        wishlisted,
        changed,
    })
}

/// Resolves the variation an entry write is about.
///
/// A key that names a retired variation names its successor, where the sync moved the
/// entries, so a key from before a rename does not start a second entry of the same copies.
/// The exception is an entry still on the retired variation. The sync leaves one there when
/// the successor already had an entry of the same identity, and its own key must reach it so
/// that it can be changed or removed.
fn entry_variation(
    connection: &Connection,
    target: &EntryTarget,
) -> Result<StoredVariation, CollectionError> {
    let variations = card_variations(connection, &target.card_id)?;
    let picked = pick_variation(&target.card_id, &variations, target.variation.as_ref())?;
    let Some(current) = successor(picked, &variations) else {
        return Ok(picked.clone());
    };
    let left_behind = find_entry(
        connection,
        picked.id,
        target.condition,
        target.grade.as_ref(),
        &target.language,
    )?;
    Ok(if left_behind.is_some() {
        picked
    } else {
        current
    }
    .clone())
}

/// Resolves the variation a wishlist write is about, by the rule of [`entry_variation`]: a
/// retired variation's successor, unless the write removes a mark left on the retired one.
fn wish_variation(
    connection: &Connection,
    card_id: &str,
    selector: Option<&VariationSelector>,
    wishlisted: bool,
) -> Result<StoredVariation, CollectionError> {
    let variations = card_variations(connection, card_id)?;
    let picked = pick_variation(card_id, &variations, selector)?;
    let Some(current) = successor(picked, &variations) else {
        return Ok(picked.clone());
    };
    let left_behind = !wishlisted
        && connection
            .prepare_cached("SELECT 1 FROM wishlist WHERE variation_id = ?1")?
            .exists([picked.id])?;
    Ok(if left_behind { picked } else { current }.clone())
}

/// Begins a write transaction that takes SQLite's write lock at once (`BEGIN IMMEDIATE`).
///
/// A deferred transaction that reads first and then writes must upgrade its read lock, and
/// SQLite fails that upgrade with "database is locked" at once, without the busy timeout,
/// while another connection (a sync in another process) holds the write lock. Taking the
/// lock before the first read makes the transaction wait for it up to the busy timeout.
pub(crate) fn begin_write(connection: &mut Connection) -> Result<Transaction<'_>, CollectionError> {
    Ok(connection.transaction_with_behavior(TransactionBehavior::Immediate)?)
}

/// Adds a variation to the wishlist unless it is there; returns whether it was added.
pub(crate) fn add_to_wishlist(
    transaction: &Transaction,
    variation_id: i64,
    added_at: &str,
) -> Result<bool, CollectionError> {
    let added = transaction
        .prepare_cached(
            "INSERT INTO wishlist (variation_id, added_at) VALUES (?1, ?2)
             ON CONFLICT (variation_id) DO NOTHING",
        )?
        .execute(params![variation_id, added_at])?;
    Ok(added > 0)
}

/// Checks and tidies a target: trims text, writes the grading company in upper case (`PSA`),
/// and rejects an empty language or grade. The language's spelling is settled by
/// [`canonical_language`], which needs the database.
pub(crate) fn normalised_target(target: &EntryTarget) -> Result<EntryTarget, CollectionError> {
    let language = target.language.trim();
    if language.is_empty() {
        return Err(CollectionError::InvalidEntry(
            "the language is empty; leave it out for English".into(),
        ));
    }
    let grade = match &target.grade {
        None => None,
        Some(grade) => {
            let company = grade.company.trim();
            let value = grade.grade.trim();
            if company.is_empty() || value.is_empty() {
                return Err(CollectionError::InvalidEntry(
                    "a grade needs both a grading company and a grade (PSA 10)".into(),
                ));
            }
            Some(Grade {
                company: company.to_uppercase(),
                grade: value.to_owned(),
            })
        }
    };
    Ok(EntryTarget {
        card_id: target.card_id.trim().to_owned(),
        variation: target.variation.clone(),
        condition: target.condition,
        grade,
        language: language.to_owned(),
    })
}

fn check_update(update: &EntryUpdate) -> Result<(), CollectionError> {
    match update.quantity {
        Some(QuantityChange::Add(0)) => {
            return Err(CollectionError::InvalidQuantity {
                quantity: 0,
                reason: "add at least 1 copy",
            });
        }
        Some(QuantityChange::Set(0)) if update.purchase.is_some() || update.note.is_some() => {
            return Err(CollectionError::InvalidEntry(
                "a quantity of 0 removes the entry, so it cannot take a price or a note".into(),
            ));
        }
        _ => {}
    }
    if let Some(Some(purchase)) = &update.purchase {
        check_purchase(purchase)?;
    }
    Ok(())
}

pub(crate) fn check_purchase(purchase: &Purchase) -> Result<(), CollectionError> {
    if purchase.price_cents < 0 {
        return Err(CollectionError::InvalidEntry(format!(
            "invalid purchase price {} cents: it cannot be negative",
            purchase.price_cents
        )));
    }
    let currency = &purchase.currency;
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(CollectionError::InvalidEntry(format!(
            "invalid currency {currency:?}: expected an ISO 4217 code such as USD or EUR"
        )));
    }
    Ok(())
}

/// Finds an existing entry by identity and returns its id and quantity.
pub(crate) fn find_entry(
    connection: &Connection,
    variation_id: i64,
    condition: Condition,
    grade: Option<&Grade>,
    language: &str,
) -> Result<Option<(i64, u32)>, CollectionError> {
    let (company, value) = grade_columns(grade);
    Ok(connection
        .prepare_cached(
            "SELECT id, quantity FROM collection_entries
             WHERE variation_id = ?1 AND condition = ?2 AND ifnull(grade_company, '') = ?3
               AND ifnull(grade, '') = ?4 AND language = ?5",
        )?
        .query_row(
            params![
                variation_id,
                condition.as_str(),
                company.unwrap_or(""),
                value.unwrap_or(""),
                language
            ],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?)
}

pub(crate) fn grade_columns(grade: Option<&Grade>) -> (Option<&str>, Option<&str>) {
    match grade {
        Some(grade) => (Some(grade.company.as_str()), Some(grade.grade.as_str())),
        None => (None, None),
    }
}

fn write_entry(
    transaction: &Transaction,
    target: &EntryTarget,
    variation: &StoredVariation,
    update: &EntryUpdate,
) -> Result<EntryOutcome, CollectionError> {
    let existing = find_entry(
        transaction,
        variation.id,
        target.condition,
        target.grade.as_ref(),
        &target.language,
    )?;
    let quantity_before = existing.map_or(0, |(_, quantity)| quantity);
    let quantity = match update.quantity {
        None => quantity_before,
        Some(QuantityChange::Set(quantity)) => quantity,
        Some(QuantityChange::Add(count)) => {
            quantity_before
                .checked_add(count)
                .ok_or(CollectionError::InvalidQuantity {
                    quantity: i64::from(quantity_before) + i64::from(count),
                    reason: "more copies than Holo can count (4,294,967,295)",
                })?
        }
    };

    match existing {
        None if quantity == 0 && update.quantity.is_none() => {
            return Err(CollectionError::EntryNotFound {
                card_id: target.card_id.clone(),
                variation: variation.key(),
                kind: describe_kind(target),
            });
        }
        None if quantity == 0 => {}
        None => insert_entry(transaction, variation.id, target, quantity, update)?,
        Some((id, _)) if quantity == 0 => {
            transaction.execute("DELETE FROM collection_entries WHERE id = ?1", [id])?;
        }
        Some((id, _)) => update_row(transaction, id, quantity, update)?,
    }
    Ok(EntryOutcome {
        card_id: variation.card_id.clone(),
        variation_type: variation.variation_type.clone(),
        treatment: variation.treatment.clone(),
        condition: target.condition,
        grade: target.grade.clone(),
        language: target.language.clone(),
        quantity_before,
        quantity,
    })
}

fn insert_entry(
    transaction: &Transaction,
    variation_id: i64,
    target: &EntryTarget,
    quantity: u32,
    update: &EntryUpdate,
) -> Result<(), CollectionError> {
    let purchase = update.purchase.clone().flatten();
    let note = update.note.clone().flatten();
    let (company, grade) = grade_columns(target.grade.as_ref());
    transaction
        .prepare_cached(
            "INSERT INTO collection_entries (variation_id, quantity, condition, grade_company,
                 grade, language, purchase_price_cents, purchase_currency, added_at, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            variation_id,
            quantity,
            target.condition.as_str(),
            company,
            grade,
            target.language,
            purchase.as_ref().map(|p| p.price_cents),
            purchase.as_ref().map(|p| p.currency.as_str()),
            now_rfc3339(),
            note,
        ])?;
    Ok(())
}

fn update_row(
    transaction: &Transaction,
    id: i64,
    quantity: u32,
    update: &EntryUpdate,
) -> Result<(), CollectionError> {
    transaction.execute(
        "UPDATE collection_entries SET quantity = ?2 WHERE id = ?1",
        params![id, quantity],
    )?;
    if let Some(purchase) = &update.purchase {
        transaction.execute(
            "UPDATE collection_entries SET purchase_price_cents = ?2, purchase_currency = ?3
             WHERE id = ?1",
            params![
                id,
                purchase.as_ref().map(|p| p.price_cents),
                purchase.as_ref().map(|p| p.currency.as_str())
            ],
        )?;
    }
    if let Some(note) = &update.note {
        transaction.execute(
            "UPDATE collection_entries SET note = ?2 WHERE id = ?1",
            params![id, note],
        )?;
    }
    Ok(())
}

/// Condition, grade and language as one phrase: `Near Mint, PSA 10, Japanese`.
pub(crate) fn describe_kind(target: &EntryTarget) -> String {
    match &target.grade {
        Some(grade) => format!(
            "{}, {} {}, {}",
            target.condition, grade.company, grade.grade, target.language
        ),
        None => format!("{}, {}", target.condition, target.language),
    }
}
