//! Reading a pokemon-tcg-data folder into a [`Catalogue`].
//!
//! Every failure names the file or folder at fault. Card files are parsed on a few threads
//! because parsing is most of the startup time.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Instant;

use serde_json::Value;

use super::{Card, Catalogue, OrderedObject, Record, Vocabulary};
use crate::Error;
use crate::images::image_path;

/// Upper bound on loader threads; past a handful, reading the files is the bottleneck.
const MAX_LOADER_THREADS: usize = 8;

pub(super) fn load(dir: &Path) -> Result<Catalogue, Error> {
    let started = Instant::now();
    let layout = Layout::check(dir)?;
    let sets = read_records(&layout.sets_file)?;
    let set_positions = index_ids(&sets, &layout.sets_file)?;
    let card_files = sets
        .iter()
        .map(|set| layout.card_file(set.id()))
        .collect::<Result<Vec<_>, _>>()?;
    warn_about_unlisted_files(&layout.cards_dir, &set_positions);

    let per_set = read_all_parallel(&card_files)?;
    let catalogue = assemble(dir, sets, set_positions, per_set, &card_files)?;
    tracing::info!(
        dir = %dir.display(),
        sets = catalogue.sets.len(),
        cards = catalogue.cards.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "loaded catalogue"
    );
    Ok(catalogue)
}

/// The paths of a pokemon-tcg-data folder that the loader reads.
struct Layout {
    sets_file: PathBuf,
    cards_dir: PathBuf,
}

impl Layout {
    fn check(dir: &Path) -> Result<Layout, Error> {
        let folder_error = |reason: &str| Error::DataFolder {
            path: dir.to_path_buf(),
            reason: reason.to_owned(),
        };
        if !dir.is_dir() {
            return Err(folder_error("it does not exist or is not a folder"));
        }
        let sets_file = dir.join("sets").join("en.json");
        if !sets_file.is_file() {
            return Err(folder_error("sets/en.json is missing"));
        }
        let cards_dir = dir.join("cards").join("en");
        if !cards_dir.is_dir() {
            return Err(folder_error("the folder cards/en is missing"));
        }
        Ok(Layout {
            sets_file,
            cards_dir,
        })
    }

    /// Returns the card file of a set, rejecting ids that would leave `cards/en`.
    fn card_file(&self, set_id: &str) -> Result<PathBuf, Error> {
        let safe = set_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !safe {
            return Err(Error::DataFile {
                path: self.sets_file.clone(),
                reason: format!("set id {set_id:?} is not usable as a file name"),
            });
        }
        Ok(self.cards_dir.join(format!("{set_id}.json")))
    }
}

/// Reads a file holding one JSON array of objects that each have a string `id`.
fn read_records(path: &Path) -> Result<Vec<Record>, Error> {
    let text = fs::read(path).map_err(|source| Error::ReadFile {
        path: path.to_path_buf(),
        source,
    })?;
    let invalid = |reason: String| Error::DataFile {
        path: path.to_path_buf(),
        reason,
    };
    let objects: Vec<OrderedObject> = serde_json::from_slice(&text)
        .map_err(|error| invalid(format!("expected a JSON array of objects: {error}")))?;
    objects
        .into_iter()
        .enumerate()
        .map(|(index, object)| {
            Record::from_members(object.0)
                .map_err(|reason| invalid(format!("object {index} of the array: {reason}")))
        })
        .collect()
}

fn index_ids(records: &[Record], path: &Path) -> Result<HashMap<String, usize>, Error> {
    let mut positions = HashMap::with_capacity(records.len());
    for (position, record) in records.iter().enumerate() {
        if positions.insert(record.id().to_owned(), position).is_some() {
            return Err(Error::DataFile {
                path: path.to_path_buf(),
                reason: format!("id {:?} occurs twice", record.id()),
            });
        }
    }
    Ok(positions)
}

/// The records of one file, or why they could not be read.
type FileRecords = Result<Vec<Record>, Error>;

/// Reads every card file on a few threads and returns their records in the order given.
fn read_all_parallel(files: &[PathBuf]) -> Result<Vec<Vec<Record>>, Error> {
    let threads = thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, MAX_LOADER_THREADS)
        .min(files.len().max(1));
    let next_file = AtomicUsize::new(0);
    // One slot per file, filled by whichever thread reads it.
    let results: Mutex<Vec<Option<FileRecords>>> =
        Mutex::new((0..files.len()).map(|_| None).collect());

    thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let index = next_file.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(index) else { break };
                    let records = read_records(path);
                    if let Ok(mut slots) = results.lock() {
                        slots[index] = Some(records);
                    }
                }
            });
        }
    });

    let slots = results
        .into_inner()
        .map_err(|_| Error::Task("a card loader thread panicked".to_owned()))?;
    slots
        .into_iter()
        .zip(files)
        .map(|(slot, path)| {
            slot.unwrap_or_else(|| Err(Error::Task(format!("{} was never loaded", path.display()))))
        })
        .collect()
}

fn assemble(
    dir: &Path,
    sets: Vec<Record>,
    set_positions: HashMap<String, usize>,
    per_set: Vec<Vec<Record>>,
    card_files: &[PathBuf],
) -> Result<Catalogue, Error> {
    let total: usize = per_set.iter().map(Vec::len).sum();
    let mut cards = Vec::with_capacity(total);
    let mut set_cards = Vec::with_capacity(sets.len());
    let mut card_positions = HashMap::with_capacity(total);

    for (set, (records, path)) in per_set.into_iter().zip(card_files).enumerate() {
        let start = cards.len();
        for record in records {
            let id = record.id().to_owned();
            if card_positions.insert(id.clone(), cards.len()).is_some() {
                return Err(Error::DataFile {
                    path: path.clone(),
                    reason: format!("card id {id:?} occurs in more than one place"),
                });
            }
            cards.push(Card { record, set });
        }
        set_cards.push(start..cards.len());
    }

    Ok(Catalogue {
        dir: dir.to_path_buf(),
        set_fields: field_names(sets.iter()),
        card_fields: field_names(cards.iter().map(|card| &card.record)),
        vocabulary: vocabulary(&cards),
        image_paths: image_paths(&sets, &cards),
        sets,
        cards,
        set_cards,
        set_positions,
        card_positions,
    })
}

fn field_names<'a>(records: impl Iterator<Item = &'a Record>) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for record in records {
        for (key, _) in record.members() {
            if !names.contains(key) {
                names.insert(key.clone());
            }
        }
    }
    names
}

fn vocabulary(cards: &[Card]) -> Vocabulary {
    let mut vocabulary = Vocabulary::default();
    for card in cards {
        let record = &card.record;
        insert_strings(&mut vocabulary.types, record.get("types"));
        insert_strings(&mut vocabulary.subtypes, record.get("subtypes"));
        insert_strings(&mut vocabulary.supertypes, record.get("supertype"));
        insert_strings(&mut vocabulary.rarities, record.get("rarity"));
    }
    vocabulary
}

/// Adds a string, or each string of an array, to a set.
fn insert_strings(into: &mut BTreeSet<String>, value: Option<&Value>) {
    match value {
        Some(Value::String(text)) => {
            into.insert(text.clone());
        }
        Some(Value::Array(items)) => {
            for text in items.iter().filter_map(Value::as_str) {
                into.insert(text.to_owned());
            }
        }
        _ => {}
    }
}

fn image_paths(sets: &[Record], cards: &[Card]) -> HashSet<String> {
    let records = sets.iter().chain(cards.iter().map(|card| &card.record));
    let mut paths = HashSet::with_capacity(cards.len() * 2 + sets.len() * 2);
    for record in records {
        let Some(Value::Object(images)) = record.get("images") else {
            continue;
        };
        for url in images.values().filter_map(Value::as_str) {
            if let Some(path) = image_path(url) {
                paths.insert(path.to_owned());
            }
        }
    }
    paths
}

/// Logs card files that no set lists; the loader ignores them.
fn warn_about_unlisted_files(cards_dir: &Path, set_positions: &HashMap<String, usize>) {
    let Ok(entries) = fs::read_dir(cards_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(stem) = path.file_stem().and_then(|stem| stem.to_str()) else {
            continue;
        };
        let is_json = path
            .extension()
            .is_some_and(|extension| extension == "json");
        if is_json && !set_positions.contains_key(stem) {
            tracing::warn!(file = %path.display(), "ignoring a card file that no set lists");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write(dir: &Path, relative: &str, text: &str) {
        let path = dir.join(relative);
        fs::create_dir_all(path.parent().expect("has parent")).expect("create folder");
        fs::write(path, text).expect("write file");
    }

    const SETS: &str = r#"[{"id": "aa1", "name": "Alpha", "images": {"symbol": "https://x.test/aa1/symbol.png"}}]"#;

    #[test]
    fn load_reads_small_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        write(dir.path(), "sets/en.json", SETS);
        write(
            dir.path(),
            "cards/en/aa1.json",
            r#"[{"id": "aa1-1", "name": "Bulbasaur", "types": ["Grass"], "rarity": "Common"}]"#,
        );
        let catalogue = load(dir.path()).expect("load");
        assert_eq!(catalogue.sets().len(), 1);
        assert_eq!(catalogue.cards().len(), 1);
        assert_eq!(catalogue.cards_of_set(0), 0..1);
        assert_eq!(catalogue.card_position("aa1-1"), Some(0));
        assert!(catalogue.vocabulary().types.contains("Grass"));
        assert!(catalogue.has_image("aa1/symbol.png"));
    }

    #[test]
    fn load_rejects_missing_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("nowhere");
        let error = load(&missing)
            .expect_err("missing folder accepted")
            .to_string();
        assert!(error.contains(&missing.display().to_string()), "{error}");
    }

    #[test]
    fn load_names_malformed_card_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        write(dir.path(), "sets/en.json", SETS);
        write(
            dir.path(),
            "cards/en/aa1.json",
            r#"[{"id": "aa1-1", "name": }]"#,
        );
        let error = load(dir.path())
            .expect_err("malformed file accepted")
            .to_string();
        assert!(error.contains("aa1.json"), "{error}");
    }

    #[test]
    fn load_names_missing_card_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        write(dir.path(), "sets/en.json", SETS);
        fs::create_dir_all(dir.path().join("cards/en")).expect("create folder");
        let error = load(dir.path())
            .expect_err("missing card file accepted")
            .to_string();
        assert!(error.contains("aa1.json"), "{error}");
    }

    #[test]
    fn load_rejects_duplicate_card_ids() {
        let dir = tempfile::tempdir().expect("temp dir");
        write(dir.path(), "sets/en.json", SETS);
        write(
            dir.path(),
            "cards/en/aa1.json",
            r#"[{"id": "aa1-1", "name": "A"}, {"id": "aa1-1", "name": "B"}]"#,
        );
        let error = load(dir.path())
            .expect_err("duplicate id accepted")
            .to_string();
        assert!(error.contains("aa1-1"), "{error}");
    }

    #[test]
    fn load_rejects_set_id_with_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        write(dir.path(), "sets/en.json", r#"[{"id": "../secret"}]"#);
        fs::create_dir_all(dir.path().join("cards/en")).expect("create folder");
        let error = load(dir.path()).expect_err("path id accepted").to_string();
        assert!(error.contains("../secret"), "{error}");
    }
}
