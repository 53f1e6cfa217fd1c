//! The `q` search language: a Lucene-like query and its evaluation against records.
//!
//! A query is made of *terms* `field:value`, where the field is a dotted path into the record
//! (`set.id`, `legalities.standard`, `attacks.name`). Terms combine with spaces or `AND`, with
//! `OR`, with `-` or `NOT` for negation, and with parentheses. A term's value is one of:
//!
//! - a word or a quoted phrase (`name:charizard`, `name:"venusaur v"`), which matches when its
//!   words occur next to each other, in order, among the field's words (see [`text`]);
//! - an exact value, written with `!` before the field (`!name:charizard`), which matches only
//!   the whole field;
//! - a wildcard pattern with `*` and `?` (`name:char*`), matched against the whole field and
//!   against each of its words;
//! - a range `[a TO b]` (inclusive) or `{a TO b}` (exclusive), with `*` for an open end,
//!   compared as numbers when both sides are numbers and as folded text otherwise;
//! - `*` alone, which matches when the field exists.
//!
//! Matching ignores case and Latin accents. A path that crosses an array looks into every
//! element, and a term matches when any value it reaches matches. The parser rejects what it
//! cannot evaluate, such as a word with no field, rather than ignoring it.

mod parse;
pub mod text;

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use serde_json::Value;

pub use parse::parse;

/// A record as the query and sort code reads it.
pub trait Document {
    /// Returns a top-level field, computing it when the record does not store it.
    fn field(&self, name: &str) -> Option<Cow<'_, Value>>;
}

/// A dotted field path such as `set.id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath(Vec<String>);

impl FieldPath {
    /// Parses `a.b.c`; every segment must be a non-empty run of ASCII letters, digits or `_`.
    pub fn parse(text: &str) -> Option<FieldPath> {
        let segments: Vec<String> = text.split('.').map(str::to_owned).collect();
        let valid = segments.iter().all(|segment| {
            !segment.is_empty()
                && segment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        valid.then_some(FieldPath(segments))
    }

    /// Returns the first segment, the top-level field.
    pub fn top(&self) -> &str {
        &self.0[0]
    }

    /// Returns the segments after the first.
    pub fn rest(&self) -> &[String] {
        &self.0[1..]
    }

    /// Returns the path below the top-level field (`id` for `set.id`), if there is one.
    pub fn below_top(&self) -> Option<FieldPath> {
        (self.0.len() > 1).then(|| FieldPath(self.0[1..].to_vec()))
    }

    /// Calls `visit` on each value the path reaches until it returns `true`.
    pub fn any_value<D: Document + ?Sized>(
        &self,
        document: &D,
        visit: &mut dyn FnMut(&Value) -> bool,
    ) -> bool {
        match document.field(self.top()) {
            Some(top) => descend(&top, self.rest(), visit),
            None => false,
        }
    }

    /// Returns the first value the path reaches, for sorting.
    pub fn first_value<D: Document + ?Sized>(&self, document: &D) -> Option<Value> {
        let mut found = None;
        self.any_value(document, &mut |value| {
            found = Some(value.clone());
            true
        });
        found
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("."))
    }
}

fn descend(value: &Value, rest: &[String], visit: &mut dyn FnMut(&Value) -> bool) -> bool {
    match (value, rest.split_first()) {
        (Value::Array(items), _) => items.iter().any(|item| descend(item, rest, visit)),
        (_, None) => visit(value),
        (Value::Object(map), Some((key, deeper))) => map
            .get(key)
            .is_some_and(|child| descend(child, deeper, visit)),
        _ => false,
    }
}

/// A parsed `q`.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    /// The empty query, which matches every record.
    All,
    Term(Term),
    And(Vec<Query>),
    Or(Vec<Query>),
    Not(Box<Query>),
}

/// One `field:value` clause.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub path: FieldPath,
    pub matcher: Matcher,
}

/// What a term's value requires of a field value.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// Folded words that must occur next to each other, in order, among the value's words.
    Words(Vec<String>),
    /// The whole folded value.
    Exact(String),
    /// A folded pattern with `*` and `?`, tried on the whole value and, unless `whole_only`,
    /// on each word.
    Wildcard { pattern: String, whole_only: bool },
    /// A range between two bounds.
    Range { lower: Bound, upper: Bound },
    /// Any value other than `null`.
    Exists,
}

/// One end of a range.
#[derive(Debug, Clone, PartialEq)]
pub enum Bound {
    Open,
    Inclusive(String),
    Exclusive(String),
}

impl Query {
    /// Returns whether a record matches.
    pub fn matches<D: Document + ?Sized>(&self, document: &D) -> bool {
        match self {
            Query::All => true,
            Query::Term(term) => term.matches(document),
            Query::And(parts) => parts.iter().all(|part| part.matches(document)),
            Query::Or(parts) => parts.iter().any(|part| part.matches(document)),
            Query::Not(inner) => !inner.matches(document),
        }
    }

    /// Calls `visit` on every field path of the query, e.g. to check them against known fields.
    pub fn for_each_path(&self, visit: &mut dyn FnMut(&FieldPath)) {
        match self {
            Query::All => {}
            Query::Term(term) => visit(&term.path),
            Query::And(parts) | Query::Or(parts) => {
                parts.iter().for_each(|part| part.for_each_path(visit))
            }
            Query::Not(inner) => inner.for_each_path(visit),
        }
    }
}

impl Term {
    pub fn matches<D: Document + ?Sized>(&self, document: &D) -> bool {
        self.path
            .any_value(document, &mut |value| self.matcher.matches(value))
    }
}

impl Matcher {
    /// Returns whether one value (never an array: paths look into arrays) matches.
    pub fn matches(&self, value: &Value) -> bool {
        if let Matcher::Exists = self {
            return !value.is_null();
        }
        let Some(raw) = scalar_text(value) else {
            return false;
        };
        match self {
            Matcher::Words(wanted) => text::contains_run(&text::words(&text::fold(&raw)), wanted),
            Matcher::Exact(wanted) => text::fold(&raw) == *wanted,
            Matcher::Wildcard {
                pattern,
                whole_only,
            } => wildcard_matches(pattern, *whole_only, &text::fold(&raw)),
            Matcher::Range { lower, upper } => in_range(value, &raw, lower, upper),
            Matcher::Exists => true,
        }
    }
}

/// Returns the text of a string, number or boolean; objects and `null` have none.
fn scalar_text(value: &Value) -> Option<Cow<'_, str>> {
    match value {
        Value::String(text) => Some(Cow::Borrowed(text)),
        Value::Number(number) => Some(Cow::Owned(number.to_string())),
        Value::Bool(flag) => Some(Cow::Borrowed(if *flag { "true" } else { "false" })),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

fn wildcard_matches(pattern: &str, whole_only: bool, folded: &str) -> bool {
    if text::wildcard_match(pattern, folded) {
        return true;
    }
    !whole_only
        && text::words(folded)
            .iter()
            .any(|word| text::wildcard_match(pattern, word))
}

fn in_range(value: &Value, raw: &str, lower: &Bound, upper: &Bound) -> bool {
    let above_lower = match lower {
        Bound::Open => true,
        Bound::Inclusive(bound) => compare_to_bound(value, raw, bound).is_ge(),
        Bound::Exclusive(bound) => compare_to_bound(value, raw, bound).is_gt(),
    };
    let below_upper = match upper {
        Bound::Open => true,
        Bound::Inclusive(bound) => compare_to_bound(value, raw, bound).is_le(),
        Bound::Exclusive(bound) => compare_to_bound(value, raw, bound).is_lt(),
    };
    above_lower && below_upper
}

/// Compares numerically when both sides are numbers (`hp` is a string such as `"120"`), and as
/// folded text otherwise (`set.releaseDate` values such as `"2020/05/01"`).
fn compare_to_bound(value: &Value, raw: &str, bound: &str) -> Ordering {
    let number = match value {
        Value::Number(number) => number.as_f64(),
        _ => raw.trim().parse::<f64>().ok(),
    };
    match (number, bound.parse::<f64>()) {
        (Some(number), Ok(bound)) => number.total_cmp(&bound),
        _ => text::fold(raw).cmp(&text::fold(bound)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Fixture(Value);

    impl Document for Fixture {
        fn field(&self, name: &str) -> Option<Cow<'_, Value>> {
            self.0.get(name).map(Cow::Borrowed)
        }
    }

    fn kyogre() -> Fixture {
        Fixture(json!({
            "id": "xy7-96",
            "name": "Primal Kyogre-EX",
            "supertype": "Pokémon",
            "hp": "240",
            "types": ["Water"],
            "attacks": [{"name": "Tidal Storm", "convertedEnergyCost": 4}],
            "nationalPokedexNumbers": [382],
            "legalities": {"unlimited": "Legal", "expanded": "Legal"},
            "set": {"id": "xy7", "releaseDate": "2015/08/12", "series": "XY"},
            "evolvesFrom": null
        }))
    }

    fn matches(q: &str) -> bool {
        let query = parse(q).unwrap_or_else(|error| panic!("{q:?} did not parse: {error}"));
        query.matches(&kyogre())
    }

    #[test]
    fn evaluation_table() {
        let cases = [
            ("", true),
            ("id:xy7-96", true),
            ("id:xy7-9", false),
            ("name:kyogre", true),
            ("name:KYOGRE", true),
            ("name:\"primal kyogre\"", true),
            ("name:\"kyogre primal\"", false),
            ("!name:kyogre", false),
            ("!name:\"primal kyogre-ex\"", true),
            ("name:kyo*", true),
            ("name:*ogre*", true),
            ("!name:kyo*", false),
            ("name:pri?al", true),
            ("supertype:pokemon", true),
            ("types:water", true),
            ("-types:water", false),
            ("-types:fire", true),
            ("NOT types:fire", true),
            ("types:fire OR types:water", true),
            ("types:fire types:water", false),
            ("types:fire AND types:water", false),
            ("types:(fire OR water)", true),
            ("types:(fire OR grass)", false),
            ("(types:fire OR name:kyogre) hp:240", true),
            ("set.id:xy7", true),
            ("set.id:xy", false),
            ("set.series:xy", true),
            ("legalities.expanded:legal", true),
            ("legalities.standard:legal", false),
            ("-legalities.standard:legal", true),
            ("attacks.name:\"tidal storm\"", true),
            ("attacks.convertedEnergyCost:4", true),
            ("nationalPokedexNumbers:[1 TO 151]", false),
            ("nationalPokedexNumbers:[382 TO 386]", true),
            ("nationalPokedexNumbers:{382 TO 386]", false),
            ("nationalPokedexNumbers:[300 TO *]", true),
            ("hp:[200 TO *]", true),
            ("hp:[250 TO *]", false),
            ("hp:[* TO 240]", true),
            ("hp:[* TO 240}", false),
            ("set.releaseDate:[2015/01/01 TO 2015/12/31]", true),
            ("set.releaseDate:[\"2016/01/01\" TO *]", false),
            ("hp:*", true),
            ("evolvesFrom:*", false),
            ("rarity:*", false),
            ("-rarity:*", true),
            ("legalities:legal", false),
        ];
        for (q, expected) in cases {
            assert_eq!(matches(q), expected, "q={q:?}");
        }
    }

    #[test]
    fn field_path_syntax() {
        assert!(FieldPath::parse("set.id").is_some());
        assert!(FieldPath::parse("tcgplayer.prices.holofoil.market").is_some());
        for bad in ["", ".id", "set.", "set..id", "na-me", "na me"] {
            assert!(FieldPath::parse(bad).is_none(), "{bad:?} accepted");
        }
    }

    #[test]
    fn first_value_reads_arrays() {
        let path = FieldPath::parse("nationalPokedexNumbers").expect("valid path");
        assert_eq!(path.first_value(&kyogre()), Some(json!(382)));
        let missing = FieldPath::parse("rarity").expect("valid path");
        assert_eq!(missing.first_value(&kyogre()), None);
    }
}
