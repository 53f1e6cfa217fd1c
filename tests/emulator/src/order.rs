//! The `orderBy` parameter and sorting by it.
//!
//! `orderBy` is a comma-separated list of field paths, each optionally prefixed with `-` for
//! descending order. Numbers compare numerically and strings in natural order (see
//! [`natural_cmp`]), so `number` sorts `2` before `10` and `hp` (a string) sorts by value.
//! A record without the field sorts after those with it in either direction. An array field
//! sorts by its first element. Records that tie on every field are ordered by id, so the order is
//! total and pages never overlap.

use std::cmp::Ordering;

use serde_json::Value;

use crate::query::text::natural_cmp;
use crate::query::{Document, FieldPath};

/// One field of `orderBy`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortField {
    pub path: FieldPath,
    pub descending: bool,
}

/// Parses an `orderBy` value such as `set.releaseDate,-number`.
pub fn parse_order_by(text: &str) -> Result<Vec<SortField>, String> {
    text.split(',')
        .map(|item| {
            let item = item.trim();
            let (descending, name) = match item.strip_prefix('-') {
                Some(name) => (true, name),
                None => (false, item),
            };
            let path = FieldPath::parse(name).ok_or_else(|| {
                format!("invalid orderBy item {item:?}: expected a field path such as number or -set.releaseDate")
            })?;
            Ok(SortField { path, descending })
        })
        .collect()
}

/// A value to sort by; numbers sort before strings.
#[derive(Debug, Clone, PartialEq)]
enum SortKey {
    Number(f64),
    Text(String),
}

impl SortKey {
    fn of(value: Value) -> Option<SortKey> {
        match value {
            Value::Number(number) => number.as_f64().map(SortKey::Number),
            Value::String(text) => Some(SortKey::Text(text)),
            Value::Bool(flag) => Some(SortKey::Text(flag.to_string())),
            Value::Null | Value::Array(_) | Value::Object(_) => None,
        }
    }

    fn compare(&self, other: &SortKey) -> Ordering {
        match (self, other) {
            (SortKey::Number(a), SortKey::Number(b)) => a.total_cmp(b),
            (SortKey::Number(_), SortKey::Text(_)) => Ordering::Less,
            (SortKey::Text(_), SortKey::Number(_)) => Ordering::Greater,
            (SortKey::Text(a), SortKey::Text(b)) => natural_cmp(a, b),
        }
    }
}

/// Sorts record positions by the fields, then by id.
pub fn sort_positions<'a, D: Document>(
    positions: &mut Vec<usize>,
    order: &[SortField],
    document_at: impl Fn(usize) -> D,
    id_at: impl Fn(usize) -> &'a str,
) {
    if order.is_empty() {
        return;
    }
    let mut keyed: Vec<(Vec<Option<SortKey>>, usize)> = positions
        .iter()
        .map(|&position| {
            let document = document_at(position);
            let keys = order
                .iter()
                .map(|field| field.path.first_value(&document).and_then(SortKey::of))
                .collect();
            (keys, position)
        })
        .collect();
    keyed.sort_by(|(left_keys, left), (right_keys, right)| {
        compare_keys(order, left_keys, right_keys)
            .then_with(|| natural_cmp(id_at(*left), id_at(*right)))
            .then_with(|| left.cmp(right))
    });
    positions.clear();
    positions.extend(keyed.into_iter().map(|(_, position)| position));
}

fn compare_keys(
    order: &[SortField],
    left: &[Option<SortKey>],
    right: &[Option<SortKey>],
) -> Ordering {
    for ((field, a), b) in order.iter().zip(left).zip(right) {
        let ordering = match (a, b) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(a), Some(b)) if field.descending => b.compare(a),
            (Some(a), Some(b)) => a.compare(b),
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::borrow::Cow;

    struct Fixture(Value);

    impl Document for Fixture {
        fn field(&self, name: &str) -> Option<Cow<'_, Value>> {
            self.0.get(name).map(Cow::Borrowed)
        }
    }

    fn fixtures() -> Vec<Value> {
        vec![
            json!({"id": "a-10", "number": "10", "hp": "60"}),
            json!({"id": "a-2", "number": "2", "hp": "120"}),
            json!({"id": "a-TG01", "number": "TG01"}),
            json!({"id": "a-10a", "number": "10a", "hp": "60"}),
        ]
    }

    fn sorted_ids(order_by: &str) -> Vec<String> {
        let records = fixtures();
        let order = parse_order_by(order_by).expect("valid orderBy");
        let mut positions: Vec<usize> = (0..records.len()).collect();
        sort_positions(
            &mut positions,
            &order,
            |position| Fixture(records[position].clone()),
            |position| records[position]["id"].as_str().unwrap_or(""),
        );
        positions
            .iter()
            .map(|&position| records[position]["id"].as_str().unwrap_or("").to_owned())
            .collect()
    }

    #[test]
    fn sorts_numbers_naturally() {
        assert_eq!(sorted_ids("number"), ["a-2", "a-10", "a-10a", "a-TG01"]);
        assert_eq!(sorted_ids("-number"), ["a-TG01", "a-10a", "a-10", "a-2"]);
    }

    #[test]
    fn missing_values_sort_last_both_ways() {
        assert_eq!(sorted_ids("hp"), ["a-10", "a-10a", "a-2", "a-TG01"]);
        assert_eq!(sorted_ids("-hp"), ["a-2", "a-10", "a-10a", "a-TG01"]);
    }

    #[test]
    fn ties_fall_back_to_id() {
        assert_eq!(sorted_ids("-hp,number")[1..3], ["a-10", "a-10a"]);
        assert_eq!(sorted_ids("hp,-number")[..2], ["a-10a", "a-10"]);
    }

    #[test]
    fn parse_rejects_bad_items() {
        for bad in [
            "", ",number", "number,", "--number", "num ber", "-", "set..id",
        ] {
            assert!(parse_order_by(bad).is_err(), "{bad:?} accepted");
        }
        let parsed = parse_order_by("set.releaseDate, -number").expect("valid orderBy");
        assert_eq!(parsed.len(), 2);
        assert!(parsed[1].descending);
    }
}
