//! Natural ordering of card numbers.
//!
//! Card numbers are strings: `2`, `10`, `10a`, `TG01`, `SWSH101`, `XY150a`, `A`. Sorting them
//! as text puts `10` before `2`; sorting them as numbers fails on most of the rest. The natural
//! order compares runs of digits by value and everything else as case-folded text, so plain
//! numbers come first (2 < 10 < 10a), then prefixed numbers grouped by prefix
//! (SWSH101 < TG01 < TG12).

/// Width each run of digits is padded to. Card numbers have at most four digits; ten leaves
/// room for anything the API may invent.
const DIGIT_RUN_WIDTH: usize = 10;

/// Returns a key whose byte order is the natural order of `number`. Stored in
/// `cards.number_sort`, so SQLite can sort a set's cards without calling back into Rust.
pub fn natural_sort_key(number: &str) -> String {
    let mut key = String::with_capacity(number.len() + DIGIT_RUN_WIDTH);
    let mut rest = number.trim();
    while let Some(first) = rest.chars().next() {
        let run_length = if first.is_ascii_digit() {
            rest.find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len())
        } else {
            rest.find(|c: char| c.is_ascii_digit())
                .unwrap_or(rest.len())
        };
        let (run, tail) = rest.split_at(run_length);
        if first.is_ascii_digit() {
            let digits = run.trim_start_matches('0');
            // A run longer than the width keeps its length order by a longer key.
            key.extend(std::iter::repeat_n(
                '0',
                DIGIT_RUN_WIDTH.saturating_sub(digits.len()),
            ));
            key.push_str(digits);
        } else {
            key.push_str(&run.to_lowercase());
        }
        rest = tail;
    }
    key
}

/// Compares two card numbers in natural order, falling back to the raw text so that distinct
/// numbers with the same key (`01` and `1`) still have a stable order.
pub fn compare_card_numbers(left: &str, right: &str) -> std::cmp::Ordering {
    natural_sort_key(left)
        .cmp(&natural_sort_key(right))
        .then_with(|| left.cmp(right))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(numbers: &[&str]) -> Vec<String> {
        let mut numbers: Vec<String> = numbers.iter().map(|n| n.to_string()).collect();
        numbers.sort_by(|a, b| compare_card_numbers(a, b));
        numbers
    }

    #[test]
    fn plain_numbers_sort_by_value() {
        assert_eq!(sorted(&["10", "2", "1", "100"]), ["1", "2", "10", "100"]);
    }

    #[test]
    fn suffix_sorts_after_its_number() {
        assert_eq!(sorted(&["10a", "11", "10", "9"]), ["9", "10", "10a", "11"]);
    }

    #[test]
    fn prefixed_numbers_follow_plain_ones() {
        assert_eq!(
            sorted(&["TG01", "SWSH101", "2", "10a", "10"]),
            ["2", "10", "10a", "SWSH101", "TG01"]
        );
    }

    #[test]
    fn prefixed_numbers_sort_by_value_within_prefix() {
        assert_eq!(sorted(&["TG12", "TG2", "TG01"]), ["TG01", "TG2", "TG12"]);
        assert_eq!(
            sorted(&["SV107", "SV99", "SV100"]),
            ["SV99", "SV100", "SV107"]
        );
    }

    #[test]
    fn case_does_not_change_order() {
        assert_eq!(natural_sort_key("tg01"), natural_sort_key("TG01"));
    }

    #[test]
    fn letters_only_and_mixed_forms() {
        assert_eq!(
            sorted(&["B", "A", "XY150a", "XY150", "52a"]),
            ["52a", "A", "B", "XY150", "XY150a"]
        );
    }

    #[test]
    fn leading_zeros_do_not_change_value() {
        assert_eq!(natural_sort_key("007"), natural_sort_key("7"));
        assert_eq!(sorted(&["7", "007"]), ["007", "7"]);
    }

    #[test]
    fn sort_key_is_byte_ordered() {
        let numbers = ["2", "10", "10a", "RC5", "SWSH101", "TG01"];
        let keys: Vec<String> = numbers.iter().map(|n| natural_sort_key(n)).collect();
        let mut sorted_keys = keys.clone();
        sorted_keys.sort();
        assert_eq!(keys, sorted_keys);
    }

    #[test]
    fn empty_and_odd_numbers_do_not_panic() {
        assert_eq!(natural_sort_key(""), "");
        assert_eq!(natural_sort_key("  "), "");
        assert_eq!(natural_sort_key("!"), "!");
        assert_eq!(natural_sort_key("99999999999999"), "99999999999999");
    }
}
