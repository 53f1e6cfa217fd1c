//! Read-only queries behind the desktop app's catalogue screens.
//!
//! Every function takes a read connection (see [`crate::db::Database::reader`]). In WAL mode
//! the writer does not block readers, so browsing during a sync reads the last committed set.
//! Counts are `u32` rather than `u64` because they cross into JavaScript, where a `u64` would
//! need a bigint.

use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::Result;
use crate::queries;
use crate::sync::SyncSummary;

/// The maximum number of hits a name search returns. A prefix of one letter matches thousands
/// of cards, and a result list longer than this is not worth rendering.
pub const SEARCH_LIMIT: u32 = 200;

/// One set as the set list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SetSummary {
    pub id: String,
    pub name: String,
    pub series: String,
    /// `YYYY-MM-DD`.
    pub release_date: String,
    /// The number printed on the cards ("/189"), when the API gives one.
    pub printed_total: Option<u32>,
    /// Cards of the set stored in the database.
    pub card_count: u32,
    pub logo_url: Option<String>,
    pub symbol_url: Option<String>,
}

/// The sets of one series, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SeriesGroup {
    pub series: String,
    pub sets: Vec<SetSummary>,
}

/// One card as a grid or a search result shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CardSummary {
    pub id: String,
    pub set_id: String,
    pub set_name: String,
    pub name: String,
    pub number: String,
    pub rarity: Option<String>,
    pub image_small: Option<String>,
}

const SET_COLUMNS: &str = "s.id, s.name, s.series, s.release_date, s.printed_total, \
     (SELECT count(*) FROM cards c WHERE c.set_id = s.id), s.logo_url, s.symbol_url";

fn set_from_row(row: &Row<'_>) -> rusqlite::Result<SetSummary> {
    Ok(SetSummary {
        id: row.get(0)?,
        name: row.get(1)?,
        series: row.get(2)?,
        release_date: row.get(3)?,
        printed_total: row.get(4)?,
        card_count: row.get(5)?,
        logo_url: row.get(6)?,
        symbol_url: row.get(7)?,
    })
}

/// Returns every set grouped by series. The series whose latest set is newest comes first, and
/// within a series the newest set comes first. Equal dates fall back to the id, so the order is
/// stable.
pub fn series_groups(connection: &Connection) -> Result<Vec<SeriesGroup>> {
    let sql = format!(
        "SELECT {SET_COLUMNS}, max(s.release_date) OVER (PARTITION BY s.series) AS series_latest
         FROM sets s
         ORDER BY series_latest DESC, s.series, s.release_date DESC, s.id DESC"
    );
    let mut statement = connection.prepare(&sql)?;
    let sets = statement
        .query_map([], set_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    let mut groups: Vec<SeriesGroup> = Vec::new();
    for set in sets {
        match groups.last_mut() {
            Some(group) if group.series == set.series => group.sets.push(set),
            _ => groups.push(SeriesGroup {
                series: set.series.clone(),
                sets: vec![set],
            }),
        }
    }
    Ok(groups)
}

/// Returns one set, or `None` when it is not in the database.
pub fn set_summary(connection: &Connection, set_id: &str) -> Result<Option<SetSummary>> {
    let sql = format!("SELECT {SET_COLUMNS} FROM sets s WHERE s.id = ?1");
    Ok(connection
        .query_row(&sql, [set_id], set_from_row)
        .optional()?)
}

const CARD_COLUMNS: &str = "c.id, c.set_id, s.name, c.name, c.number, c.rarity, c.image_small";

fn card_from_row(row: &Row<'_>) -> rusqlite::Result<CardSummary> {
    Ok(CardSummary {
        id: row.get(0)?,
        set_id: row.get(1)?,
        set_name: row.get(2)?,
        name: row.get(3)?,
        number: row.get(4)?,
        rarity: row.get(5)?,
        image_small: row.get(6)?,
    })
}

/// Returns a set's cards in natural number order (2 < 10 < 10a < TG01), empty when the set is
/// unknown.
pub fn set_cards(connection: &Connection, set_id: &str) -> Result<Vec<CardSummary>> {
    let sql = format!(
        "SELECT {CARD_COLUMNS} FROM cards c JOIN sets s ON s.id = c.set_id
         WHERE c.set_id = ?1 ORDER BY c.number_sort, c.number"
    );
    let mut statement = connection.prepare(&sql)?;
    let cards = statement
        .query_map([set_id], card_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(cards)
}

/// Turns what a collector typed into an FTS5 query: every word becomes a quoted prefix term
/// (`"char"*`), and the terms must all match. Splitting on the same characters as the `unicode61`
/// tokenizer means quotes, `*`, `-`, `:` and FTS5 keywords such as `NOT` are searched as text,
/// never parsed as syntax. Returns `None` when the text has no word to search for.
pub fn fts_prefix_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| format!("\"{}\"*", word.replace('"', "\"\"")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Finds cards whose name has words starting with each word of `text`, across the whole
/// catalogue. The best matches come first, then the newest sets, at most `limit` cards.
pub fn search_cards(connection: &Connection, text: &str, limit: u32) -> Result<Vec<CardSummary>> {
    let Some(query) = fts_prefix_query(text) else {
        return Ok(Vec::new());
    };
    let sql = format!(
        "SELECT {CARD_COLUMNS}
         FROM cards_search f
         JOIN cards c ON c.rowid = f.rowid
         JOIN sets s ON s.id = c.set_id
         WHERE cards_search MATCH ?1
         ORDER BY f.rank, s.release_date DESC, c.number_sort
         LIMIT ?2"
    );
    let mut statement = connection.prepare(&sql)?;
    let cards = statement
        .query_map(rusqlite::params![query, limit], card_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(cards)
}

/// Everything the card page shows. The game text comes from the card's stored API JSON: a
/// missing field is left empty, and JSON that does not fit the API's card shape leaves all of the game
/// text empty instead of failing the page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CardDetail {
    pub id: String,
    pub set: SetSummary,
    pub name: String,
    pub number: String,
    pub supertype: String,
    pub subtypes: Vec<String>,
    pub rarity: Option<String>,
    pub image_small: Option<String>,
    pub image_large: Option<String>,
    #[serde(flatten)]
    pub text: CardText,
    pub variations: Vec<Variation>,
    /// The latest snapshot of each price source, TCGplayer first.
    pub prices: Vec<PriceSnapshot>,
}

/// The game text of a card.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CardText {
    pub hp: Option<String>,
    pub types: Vec<String>,
    pub evolves_from: Option<String>,
    pub abilities: Vec<Ability>,
    pub attacks: Vec<Attack>,
    pub weaknesses: Vec<TypeModifier>,
    pub resistances: Vec<TypeModifier>,
    pub retreat_cost: Vec<String>,
    pub rules: Vec<String>,
    pub flavor_text: Option<String>,
    pub artist: Option<String>,
    pub regulation_mark: Option<String>,
    /// Format name (`standard`) and status (`Legal`, `Banned`), in the API's order.
    pub legalities: Vec<Legality>,
}

/// The game text as the API spells it, read from `cards.data`.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ApiCardText {
    hp: Option<String>,
    types: Vec<String>,
    evolves_from: Option<String>,
    abilities: Vec<Ability>,
    attacks: Vec<ApiAttack>,
    weaknesses: Vec<TypeModifier>,
    resistances: Vec<TypeModifier>,
    retreat_cost: Vec<String>,
    rules: Vec<String>,
    flavor_text: Option<String>,
    artist: Option<String>,
    regulation_mark: Option<String>,
    #[serde(deserialize_with = "legalities_in_order")]
    legalities: Vec<Legality>,
}

impl From<ApiCardText> for CardText {
    fn from(api: ApiCardText) -> Self {
        Self {
            hp: api.hp,
            types: api.types,
            evolves_from: api.evolves_from,
            abilities: api.abilities,
            attacks: api.attacks.into_iter().map(Attack::from).collect(),
            weaknesses: api.weaknesses,
            resistances: api.resistances,
            retreat_cost: api.retreat_cost,
            rules: api.rules,
            flavor_text: api.flavor_text,
            artist: api.artist,
            regulation_mark: api.regulation_mark,
            legalities: api.legalities,
        }
    }
}

/// Reads the game text from a card's stored JSON, or returns empty text when it does not parse.
fn card_text(data: &str) -> CardText {
    serde_json::from_str::<ApiCardText>(data)
        .map(CardText::from)
        .unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Ability {
    pub name: String,
    pub text: String,
    /// `Ability`, `Poké-Power`, `Poké-Body`, ...
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Attack {
    pub name: String,
    /// Energy types, one entry per symbol.
    pub cost: Vec<String>,
    /// Printed damage, such as `130+` or `30×`; empty for attacks without damage.
    pub damage: String,
    pub text: String,
}

/// An attack as the API spells it. A few attacks in the API's data have no `damage`.
#[derive(Deserialize)]
struct ApiAttack {
    name: String,
    #[serde(default)]
    cost: Vec<String>,
    #[serde(default)]
    damage: String,
    #[serde(default)]
    text: String,
}

impl From<ApiAttack> for Attack {
    fn from(api: ApiAttack) -> Self {
        Self {
            name: api.name,
            cost: api.cost,
            damage: api.damage,
            text: api.text,
        }
    }
}

/// A weakness or resistance: an energy type and its printed modifier (`×2`, `-30`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TypeModifier {
    #[serde(rename = "type")]
    pub energy_type: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Legality {
    pub format: String,
    pub status: String,
}

fn legalities_in_order<'de, D>(deserializer: D) -> std::result::Result<Vec<Legality>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    let legalities = value
        .as_object()
        .map(|formats| {
            formats
                .iter()
                .filter_map(|(format, status)| {
                    Some(Legality {
                        format: format.clone(),
                        status: status.as_str()?.to_string(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(legalities)
}

/// A printing of the card a collector can own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Variation {
    /// The card's mechanic class (`V`, `VSTAR`, `EX`, ...).
    pub variation_type: String,
    /// The printing or rarity treatment (`Reverse Holofoil`, `Secret Rare`, ...).
    pub treatment: String,
}

/// The latest prices one source published for the card.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PriceSnapshot {
    /// `tcgplayer` or `cardmarket`.
    pub source: String,
    /// ISO 4217 code of every price in the snapshot: USD for TCGplayer, EUR for Cardmarket.
    pub currency: String,
    /// The date the source gave its prices, `YYYY-MM-DD`.
    pub price_date: String,
    pub url: Option<String>,
    pub rows: Vec<PriceRow>,
}

/// A group of prices: one TCGplayer printing (`holofoil`), or all of Cardmarket's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PriceRow {
    /// The printing key for TCGplayer; empty for Cardmarket, whose figures are not per printing.
    pub printing: String,
    pub values: Vec<PriceValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PriceValue {
    /// The API's field name, such as `market`, `low` or `trendPrice`.
    pub name: String,
    pub amount: f64,
}

/// Returns a card's page, or `None` when the card is not in the database.
pub fn card_detail(connection: &Connection, card_id: &str) -> Result<Option<CardDetail>> {
    let row = connection
        .query_row(
            "SELECT set_id, name, number, supertype, subtypes, rarity, image_small, image_large,
                    data
             FROM cards WHERE id = ?1",
            [card_id],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    [
                        row.get::<_, String>(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                    ],
                    [row.get::<_, Option<String>>(5)?, row.get(6)?, row.get(7)?],
                    row.get::<_, String>(8)?,
                ))
            },
        )
        .optional()?;
    let Some((set_id, [name, number, supertype, subtypes], [rarity, small, large], data)) = row
    else {
        return Ok(None);
    };
    let Some(set) = set_summary(connection, &set_id)? else {
        return Ok(None);
    };
    Ok(Some(CardDetail {
        id: card_id.to_string(),
        set,
        name,
        number,
        supertype,
        subtypes: serde_json::from_str(&subtypes).unwrap_or_default(),
        rarity,
        image_small: small,
        image_large: large,
        text: card_text(&data),
        variations: variations(connection, card_id)?,
        prices: latest_prices(connection, card_id)?,
    }))
}

fn variations(connection: &Connection, card_id: &str) -> Result<Vec<Variation>> {
    let keys = queries::variation_keys(connection, card_id)?;
    Ok(keys
        .into_iter()
        .map(|(variation_type, treatment)| Variation {
            variation_type,
            treatment,
        })
        .collect())
}

fn latest_prices(connection: &Connection, card_id: &str) -> Result<Vec<PriceSnapshot>> {
    let mut statement = connection.prepare(
        "SELECT source, price_date, url, prices FROM price_snapshots p
         WHERE card_id = ?1 AND price_date = (
             SELECT max(price_date) FROM price_snapshots
             WHERE card_id = p.card_id AND source = p.source)
         ORDER BY source DESC",
    )?;
    let snapshots = statement
        .query_map([card_id], |row| {
            let source: String = row.get(0)?;
            let prices: String = row.get(3)?;
            Ok(PriceSnapshot {
                currency: if source == "cardmarket" { "EUR" } else { "USD" }.to_string(),
                source,
                price_date: row.get(1)?,
                url: row.get(2)?,
                rows: price_rows(&prices),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(snapshots)
}

/// Reads a `prices` object: nested objects become one row each (TCGplayer's printings), and
/// numbers at the top level form one row without a printing (Cardmarket's figures). Nulls and
/// other values are left out.
fn price_rows(prices: &str) -> Vec<PriceRow> {
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_str(prices) else {
        return Vec::new();
    };
    let amounts = |object: &serde_json::Map<String, serde_json::Value>| -> Vec<PriceValue> {
        object
            .iter()
            .filter_map(|(name, value)| {
                Some(PriceValue {
                    name: name.clone(),
                    amount: value.as_f64()?,
                })
            })
            .collect()
    };

    let mut rows: Vec<PriceRow> = fields
        .iter()
        .filter_map(|(printing, value)| {
            Some(PriceRow {
                printing: printing.clone(),
                values: amounts(value.as_object()?),
            })
        })
        .collect();
    let top_level = amounts(&fields);
    if !top_level.is_empty() {
        rows.push(PriceRow {
            printing: String::new(),
            values: top_level,
        });
    }
    rows
}

/// A stored sync run, for the app's history list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RunHistoryEntry {
    pub run_id: String,
    /// `running`, `succeeded`, `partial`, `failed` or `cancelled`.
    pub status: String,
    pub api_url: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    /// `None` while the run goes on, or when its summary was written by another version.
    pub summary: Option<SyncSummary>,
}

/// Returns the last `limit` sync runs, newest first.
pub fn run_history(connection: &Connection, limit: usize) -> Result<Vec<RunHistoryEntry>> {
    let runs = queries::recent_runs(connection, limit)?;
    Ok(runs
        .into_iter()
        .map(|run| RunHistoryEntry {
            run_id: run.run_id,
            status: run.status,
            api_url: run.api_url,
            started_at: run.started_at,
            finished_at: run.finished_at,
            summary: run.summary,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Database;
    use crate::numbers::natural_sort_key;

    const NOW: &str = "2026-12-04T00:00:00.000Z";

    fn database() -> (tempfile::TempDir, Database) {
        let folder = tempfile::tempdir().unwrap();
        let database = Database::open(folder.path().join("holo.db")).unwrap();
        (folder, database)
    }

    /// Writes rows directly with a second connection, as the writer thread would.
    fn write(database: &Database, sql: &str, params: impl rusqlite::Params) {
        let connection = Connection::open(database.path()).unwrap();
        connection.execute(sql, params).unwrap();
    }

    fn add_set(database: &Database, id: &str, series: &str, release_date: &str) {
        write(
            database,
            "INSERT INTO sets (id, name, series, printed_total, release_date, logo_url, data,
                               created_at, changed_at)
             VALUES (?1, ?2, ?3, 100, ?4, ?5, '{}', ?6, ?6)",
            rusqlite::params![
                id,
                format!("Set {id}"),
                series,
                release_date,
                format!("https://images.example/{id}/logo.png"),
                NOW
            ],
        );
    }

    fn add_card(database: &Database, set_id: &str, number: &str, name: &str, data: &str) {
        write(
            database,
            "INSERT INTO cards (id, set_id, name, number, number_sort, supertype, rarity,
                                image_small, data, created_at, changed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'Pokémon', 'Rare', NULL, ?6, ?7, ?7)",
            rusqlite::params![
                format!("{set_id}-{number}"),
                set_id,
                name,
                number,
                natural_sort_key(number),
                data,
                NOW
            ],
        );
    }

    #[test]
    fn series_groups_newest_first() {
        let (_folder, database) = database();
        add_set(&database, "base1", "Base", "1999-01-09");
        add_set(&database, "swsh1", "Sword & Shield", "2020-02-07");
        add_set(&database, "swsh10", "Sword & Shield", "2022-05-27");
        add_set(&database, "base2", "Base", "1999-06-16");
        add_card(&database, "swsh10", "1", "Bulbasaur", "{}");
        add_card(&database, "swsh10", "2", "Ivysaur", "{}");

        let groups = series_groups(&database.reader().unwrap()).unwrap();

        let series: Vec<&str> = groups.iter().map(|group| group.series.as_str()).collect();
        assert_eq!(series, ["Sword & Shield", "Base"]);
        let newest: Vec<&str> = groups[0].sets.iter().map(|set| set.id.as_str()).collect();
        assert_eq!(newest, ["swsh10", "swsh1"]);
        let oldest: Vec<&str> = groups[1].sets.iter().map(|set| set.id.as_str()).collect();
        assert_eq!(oldest, ["base2", "base1"]);
        assert_eq!(groups[0].sets[0].card_count, 2);
        assert_eq!(groups[0].sets[1].card_count, 0);
        assert_eq!(groups[0].sets[0].printed_total, Some(100));
    }

    #[test]
    fn set_cards_in_natural_order() {
        let (_folder, database) = database();
        add_set(&database, "swsh10", "Sword & Shield", "2022-05-27");
        for number in ["TG01", "10", "2", "10a", "190", "1"] {
            add_card(&database, "swsh10", number, "Card", "{}");
        }

        let cards = set_cards(&database.reader().unwrap(), "swsh10").unwrap();

        let numbers: Vec<&str> = cards.iter().map(|card| card.number.as_str()).collect();
        assert_eq!(numbers, ["1", "2", "10", "10a", "190", "TG01"]);
        assert_eq!(cards[0].set_name, "Set swsh10");
    }

    #[test]
    fn set_cards_of_unknown_set_is_empty() {
        let (_folder, database) = database();
        let cards = set_cards(&database.reader().unwrap(), "nope").unwrap();
        assert!(cards.is_empty());
    }

    #[test]
    fn fts_query_quotes_every_word() {
        assert_eq!(fts_prefix_query("char").as_deref(), Some("\"char\"*"));
        assert_eq!(
            fts_prefix_query(" Mr. Mime ").as_deref(),
            Some("\"Mr\"* \"Mime\"*")
        );
        assert_eq!(
            fts_prefix_query("a\"b NOT c*").as_deref(),
            Some("\"a\"* \"b\"* \"NOT\"* \"c\"*")
        );
        assert_eq!(fts_prefix_query("  -:\"*() "), None);
        assert_eq!(fts_prefix_query(""), None);
    }

    #[test]
    fn search_matches_prefixes_across_sets() {
        let (_folder, database) = database();
        add_set(&database, "base1", "Base", "1999-01-09");
        add_set(&database, "swsh10", "Sword & Shield", "2022-05-27");
        add_card(&database, "base1", "4", "Charizard", "{}");
        add_card(&database, "swsh10", "18", "Charizard V", "{}");
        add_card(&database, "swsh10", "19", "Charmander", "{}");
        add_card(&database, "swsh10", "20", "Pikachu", "{}");
        let reader = database.reader().unwrap();

        let names = |text: &str| -> Vec<String> {
            let hits = search_cards(&reader, text, SEARCH_LIMIT).unwrap();
            hits.into_iter().map(|card| card.name).collect()
        };

        let mut charizards = names("chariz");
        charizards.sort();
        assert_eq!(charizards, ["Charizard", "Charizard V"]);
        assert_eq!(names("char").len(), 3);
        assert_eq!(names("charizard v"), ["Charizard V"]);
        assert_eq!(names("CHARMANDER"), ["Charmander"]);
        assert!(names("bulbasaur").is_empty());
    }

    #[test]
    fn search_treats_syntax_as_text() {
        let (_folder, database) = database();
        add_set(&database, "swsh10", "Sword & Shield", "2022-05-27");
        add_card(&database, "swsh10", "1", "Farfetch'd", "{}");
        add_card(&database, "swsh10", "2", "Pokémon Center Lady", "{}");
        let reader = database.reader().unwrap();

        for text in [
            "\"",
            "\"farfetch",
            "farfetch'd",
            "NOT",
            "AND OR",
            "*",
            "(",
            "NEAR(a b)",
        ] {
            let result = search_cards(&reader, text, SEARCH_LIMIT);
            assert!(result.is_ok(), "search for {text:?} failed: {result:?}");
        }
        assert_eq!(search_cards(&reader, "farfetch'd", 10).unwrap().len(), 1);
        assert_eq!(search_cards(&reader, "pokemon", 10).unwrap().len(), 1);
    }

    #[test]
    fn search_respects_limit() {
        let (_folder, database) = database();
        add_set(&database, "swsh10", "Sword & Shield", "2022-05-27");
        for number in 1..=5 {
            add_card(&database, "swsh10", &number.to_string(), "Pikachu", "{}");
        }
        let hits = search_cards(&database.reader().unwrap(), "pika", 3).unwrap();
        assert_eq!(hits.len(), 3);
    }

    const LILLIGANT: &str = r#"{
        "hp": "260", "types": ["Grass"], "evolvesFrom": "Hisuian Lilligant V",
        "rules": ["VSTAR rule: ..."],
        "abilities": [{"name": "Star Perfume", "text": "Search.", "type": "Ability"}],
        "attacks": [{"name": "Parallel Spin", "cost": ["Grass", "Colorless"],
                     "convertedEnergyCost": 2, "damage": "130+", "text": "More."},
                    {"name": "Quiet Step", "cost": [], "text": "No damage field."}],
        "weaknesses": [{"type": "Fire", "value": "×2"}],
        "retreatCost": ["Colorless"], "artist": "5ban Graphics", "regulationMark": "F",
        "legalities": {"unlimited": "Legal", "standard": "Legal", "expanded": "Legal"}
    }"#;

    #[test]
    fn card_detail_reads_game_text() {
        let (_folder, database) = database();
        add_set(&database, "swsh10", "Sword & Shield", "2022-05-27");
        add_card(
            &database,
            "swsh10",
            "190",
            "Hisuian Lilligant VSTAR",
            LILLIGANT,
        );

        let card = card_detail(&database.reader().unwrap(), "swsh10-190")
            .unwrap()
            .unwrap();

        assert_eq!(card.name, "Hisuian Lilligant VSTAR");
        assert_eq!(card.set.id, "swsh10");
        assert_eq!(card.text.hp.as_deref(), Some("260"));
        assert_eq!(
            card.text.evolves_from.as_deref(),
            Some("Hisuian Lilligant V")
        );
        assert_eq!(card.text.abilities[0].kind, "Ability");
        assert_eq!(card.text.attacks[0].damage, "130+");
        assert_eq!(card.text.attacks[0].cost, ["Grass", "Colorless"]);
        assert_eq!(
            card.text.attacks[1].damage, "",
            "an attack without damage reads as empty"
        );
        assert_eq!(card.text.weaknesses[0].energy_type, "Fire");
        assert_eq!(card.text.retreat_cost, ["Colorless"]);
        assert_eq!(card.text.legalities.len(), 3);
        assert_eq!(card.text.flavor_text, None);
        assert!(card.variations.is_empty());
        assert!(card.prices.is_empty());
    }

    #[test]
    fn card_detail_survives_odd_json() {
        let (_folder, database) = database();
        add_set(&database, "swsh10", "Sword & Shield", "2022-05-27");
        add_card(
            &database,
            "swsh10",
            "1",
            "Odd",
            r#"{"hp": 260, "legalities": []}"#,
        );
        add_card(&database, "swsh10", "2", "Broken", "not json");
        let reader = database.reader().unwrap();

        let odd = card_detail(&reader, "swsh10-1").unwrap().unwrap();
        assert_eq!(odd.text, CardText::default());
        let broken = card_detail(&reader, "swsh10-2").unwrap().unwrap();
        assert_eq!(broken.name, "Broken");
    }

    #[test]
    fn card_detail_of_unknown_card_is_none() {
        let (_folder, database) = database();
        assert_eq!(
            card_detail(&database.reader().unwrap(), "nope-1").unwrap(),
            None
        );
    }

    #[test]
    fn card_detail_has_latest_prices_and_variations() {
        let (_folder, database) = database();
        add_set(&database, "swsh10", "Sword & Shield", "2022-05-27");
        add_card(&database, "swsh10", "190", "Hisuian Lilligant VSTAR", "{}");
        write(
            &database,
            "INSERT INTO card_variations (card_id, variation_type, treatment, printing, position,
                                          created_at, changed_at)
             VALUES ('swsh10-190', 'VSTAR', 'Rainbow Rare', 'holofoil', 0, ?1, ?1)",
            [NOW],
        );
        let snapshot = |source: &str, date: &str, prices: &str| {
            write(
                &database,
                "INSERT INTO price_snapshots (card_id, source, price_date, prices, recorded_at)
                 VALUES ('swsh10-190', ?1, ?2, ?3, ?4)",
                [source, date, prices, NOW],
            );
        };
        snapshot(
            "tcgplayer",
            "2026-11-01",
            r#"{"holofoil": {"market": 10.0}}"#,
        );
        snapshot(
            "tcgplayer",
            "2026-12-01",
            r#"{"holofoil": {"market": 12.5, "low": null}}"#,
        );
        snapshot(
            "cardmarket",
            "2026-12-02",
            r#"{"trendPrice": 9.5, "avg1": 9.0}"#,
        );

        let card = card_detail(&database.reader().unwrap(), "swsh10-190")
            .unwrap()
            .unwrap();

        assert_eq!(card.variations.len(), 1);
        assert_eq!(card.variations[0].treatment, "Rainbow Rare");
        let sources: Vec<&str> = card.prices.iter().map(|p| p.source.as_str()).collect();
        assert_eq!(sources, ["tcgplayer", "cardmarket"]);
        let tcgplayer = &card.prices[0];
        assert_eq!(tcgplayer.price_date, "2026-12-01");
        assert_eq!(tcgplayer.currency, "USD");
        assert_eq!(tcgplayer.rows.len(), 1);
        assert_eq!(tcgplayer.rows[0].printing, "holofoil");
        assert_eq!(
            tcgplayer.rows[0].values.len(),
            1,
            "a null price is left out"
        );
        assert_eq!(tcgplayer.rows[0].values[0].amount, 12.5);
        let cardmarket = &card.prices[1];
        assert_eq!(cardmarket.currency, "EUR");
        assert_eq!(cardmarket.rows[0].printing, "");
        assert_eq!(cardmarket.rows[0].values.len(), 2);
    }

    #[test]
    fn run_history_newest_first() {
        let (_folder, database) = database();
        for (id, started_at) in [
            ("a", "2026-12-01T00:00:00.000Z"),
            ("b", "2026-12-02T00:00:00.000Z"),
        ] {
            write(
                &database,
                "INSERT INTO sync_runs (id, status, api_url, pid, started_at)
                 VALUES (?1, 'running', 'http://127.0.0.1/v2', 1, ?2)",
                [id, started_at],
            );
        }
        let runs = run_history(&database.reader().unwrap(), 10).unwrap();
        let ids: Vec<&str> = runs.iter().map(|run| run.run_id.as_str()).collect();
        assert_eq!(ids, ["b", "a"]);
        assert_eq!(runs[0].summary, None);
    }
}
