//! Text normalisation shared by matching and sorting.
//!
//! *Folding* lower-cases text and strips the accents of Latin letters, so `pokemon` finds
//! `Pokémon` and `flabebe` finds `Flabébé`. *Words* are the runs of letters and digits of folded
//! text: `Primal Kyogre-EX` has the words `primal`, `kyogre` and `ex`.

use std::cmp::Ordering;

/// Lower-cases text and strips accents from Latin letters.
pub fn fold(text: &str) -> String {
    folded_chars(text).collect()
}

/// Yields the characters of [`fold`]ed text without allocating it.
fn folded_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().flat_map(char::to_lowercase).map(strip_accent)
}

fn strip_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        other => other,
    }
}

/// Splits folded text into its words.
pub fn words(folded: &str) -> Vec<&str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect()
}

/// Returns whether `needle` occurs in `haystack` as a contiguous run.
pub fn contains_run(haystack: &[&str], needle: &[String]) -> bool {
    if needle.is_empty() || needle.len() > haystack.len() {
        return false;
    }
    haystack.windows(needle.len()).any(|window| {
        window
            .iter()
            .zip(needle)
            .all(|(word, wanted)| *word == wanted)
    })
}

/// Matches folded text against a pattern where `*` is any run of characters and `?` one.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    // Where the last `*` was, and the text position it currently absorbs up to.
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                backtrack = Some((p, t));
                p += 1;
            }
            Some(&c) if c == '?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match backtrack {
                Some((star, absorbed)) => {
                    p = star + 1;
                    t = absorbed + 1;
                    backtrack = Some((star, absorbed + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// Compares strings in natural order: digit runs by value, other text case-insensitively.
///
/// Digits sort before letters, so card numbers order as `2 < 10 < 10a < TG01`. Strings that
/// compare equal this way (`01` and `1`, `a` and `A`) fall back to plain byte order, so the
/// result is a total order.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let mut left = Chunks::new(a);
    let mut right = Chunks::new(b);
    loop {
        let ordering = match (left.next(), right.next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => compare_chunks(x, y),
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
}

fn compare_chunks(a: &str, b: &str) -> Ordering {
    let a_digits = a.starts_with(|c: char| c.is_ascii_digit());
    let b_digits = b.starts_with(|c: char| c.is_ascii_digit());
    match (a_digits, b_digits) {
        (true, true) => compare_digit_runs(a, b),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => folded_chars(a).cmp(folded_chars(b)),
    }
}

/// Compares two runs of ASCII digits by value without overflowing.
fn compare_digit_runs(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Splits a string into alternating runs of ASCII digits and of other characters.
struct Chunks<'a> {
    rest: &'a str,
}

impl<'a> Chunks<'a> {
    fn new(text: &'a str) -> Self {
        Chunks { rest: text }
    }
}

impl<'a> Iterator for Chunks<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let first = self.rest.chars().next()?;
        let digits = first.is_ascii_digit();
        let end = self
            .rest
            .find(|c: char| c.is_ascii_digit() != digits)
            .unwrap_or(self.rest.len());
        let (chunk, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(chunk)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_strips_case_and_accents() {
        assert_eq!(fold("Pokémon"), "pokemon");
        assert_eq!(fold("Flabébé"), "flabebe");
        assert_eq!(fold("Nidoran♀"), "nidoran♀");
    }

    #[test]
    fn words_split_on_punctuation() {
        assert_eq!(words("primal kyogre-ex"), ["primal", "kyogre", "ex"]);
        assert_eq!(words("farfetch'd"), ["farfetch", "d"]);
        assert!(words("♀ -").is_empty());
    }

    #[test]
    fn contains_run_requires_adjacent_words() {
        let haystack = ["venusaur", "v"];
        assert!(contains_run(&haystack, &["venusaur".into(), "v".into()]));
        assert!(contains_run(&haystack, &["v".into()]));
        assert!(!contains_run(&haystack, &["v".into(), "venusaur".into()]));
        assert!(!contains_run(
            &["venusaur", "vmax"],
            &["venusaur".into(), "v".into()]
        ));
    }

    #[test]
    fn wildcard_cases() {
        let cases = [
            ("char*", "charizard", true),
            ("char*", "charmander", true),
            ("char*", "dark charizard", false),
            ("*zard", "charizard", true),
            ("c*z*d", "charizard", true),
            ("ch?r*", "charizard", true),
            ("ch?r", "charizard", false),
            ("*", "", true),
            ("a*b*c", "aXbYbZc", true),
            ("a*b*c", "aXbYbZ", false),
        ];
        for (pattern, text, expected) in cases {
            assert_eq!(
                wildcard_match(pattern, text),
                expected,
                "{pattern} vs {text}"
            );
        }
    }

    #[test]
    fn natural_order_of_card_numbers() {
        let mut numbers = vec![
            "TG01", "10a", "2", "SV107", "10", "1", "SWSH101", "A", "H12",
        ];
        numbers.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            numbers,
            [
                "1", "2", "10", "10a", "A", "H12", "SV107", "SWSH101", "TG01"
            ]
        );
    }

    #[test]
    fn natural_order_is_total() {
        assert_eq!(natural_cmp("01", "1"), Ordering::Less);
        assert_eq!(natural_cmp("a", "A"), Ordering::Greater);
        assert_eq!(natural_cmp("x", "x"), Ordering::Equal);
        let huge = "123456789012345678901234567890";
        assert_eq!(natural_cmp(huge, "9"), Ordering::Greater);
    }
}
