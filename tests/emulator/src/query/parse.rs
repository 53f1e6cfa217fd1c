//! A recursive-descent parser for `q`.
//!
//! Grammar, loosest binding first (`OR` binds looser than `AND`, as in Lucene):
//!
//! ```text
//! or      = and { ("OR" | "||") and }
//! and     = unary { ["AND" | "&&"] unary }
//! unary   = ("-" | "NOT" | "+") unary | primary
//! primary = "(" or ")" | ["!"] field ":" value | value      (a bare value only in a group)
//! value   = "*" | word | '"' phrase '"' | ("[" | "{") bound "TO" bound ("]" | "}")
//!         | "(" or ")"                                        (a group: `types:(fire OR water)`)
//! ```
//!
//! Keywords are upper case, as in Lucene; `or` is an ordinary word. Positions in error messages
//! count characters from 1.

use std::fmt;

use super::text::{fold, words};
use super::{Bound, FieldPath, Matcher, Query, Term};

/// Why a `q` could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub message: String,
    /// 1-based character position of the problem.
    pub position: usize,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at character {}", self.message, self.position)
    }
}

impl std::error::Error for QueryError {}

/// Parses a `q` value. Blank input parses to [`Query::All`].
pub fn parse(input: &str) -> Result<Query, QueryError> {
    let mut parser = Parser {
        chars: input.chars().collect(),
        position: 0,
        group_field: None,
        depth: 0,
    };
    parser.skip_whitespace();
    if parser.at_end() {
        return Ok(Query::All);
    }
    let query = parser.parse_or()?;
    parser.skip_whitespace();
    match parser.peek() {
        None => Ok(query),
        Some(')') => Err(parser.error("unexpected ')' without a matching '('")),
        Some(c) => Err(parser.error(format!("unexpected {c:?}"))),
    }
}

struct Parser {
    chars: Vec<char>,
    position: usize,
    /// The field of the enclosing `field:( ... )` group, which bare values inside it use.
    group_field: Option<FieldPath>,
    /// How many unary terms enclose the current position; see [`MAX_NESTING`].
    depth: usize,
}

/// The deepest nesting of parentheses and negations accepted. The parser and the evaluator
/// recurse once per level, so this bounds their stack use.
const MAX_NESTING: usize = 64;

type Parsed<T> = Result<T, QueryError>;

impl Parser {
    fn parse_or(&mut self) -> Parsed<Query> {
        let mut alternatives = vec![self.parse_and()?];
        while self.eat_keyword("OR") || self.eat_symbol("||") {
            alternatives.push(self.parse_and()?);
        }
        Ok(combine(alternatives, Query::Or))
    }

    fn parse_and(&mut self) -> Parsed<Query> {
        let mut parts = Vec::new();
        let mut operator_pending = false;
        loop {
            self.skip_whitespace();
            if self.at_end() || self.peek() == Some(')') || self.at_or() {
                break;
            }
            let keyword_start = self.position;
            if self.eat_keyword("AND") || self.eat_symbol("&&") {
                if parts.is_empty() || operator_pending {
                    return Err(self.error_at(keyword_start, "'AND' must stand between two terms"));
                }
                operator_pending = true;
                continue;
            }
            parts.push(self.parse_unary()?);
            operator_pending = false;
        }
        if operator_pending || parts.is_empty() {
            return Err(self.error("expected a term"));
        }
        Ok(combine(parts, Query::And))
    }

    fn parse_unary(&mut self) -> Parsed<Query> {
        if self.depth >= MAX_NESTING {
            return Err(self.error(format!(
                "the query nests parentheses or negations more than {MAX_NESTING} levels deep"
            )));
        }
        self.depth += 1;
        let unary = self.parse_unary_unguarded();
        self.depth -= 1;
        unary
    }

    fn parse_unary_unguarded(&mut self) -> Parsed<Query> {
        self.skip_whitespace();
        let operator_start = self.position;
        if self.peek() == Some('-') {
            self.position += 1;
            self.require_term_after("'-'", operator_start)?;
            return Ok(Query::Not(Box::new(self.parse_unary()?)));
        }
        if self.peek() == Some('+') {
            self.position += 1;
            self.require_term_after("'+'", operator_start)?;
            return self.parse_unary();
        }
        if self.eat_keyword("NOT") {
            self.skip_whitespace();
            self.require_term_after("'NOT'", operator_start)?;
            return Ok(Query::Not(Box::new(self.parse_unary()?)));
        }
        self.parse_primary()
    }

    /// Checks that a term starts right after a `-` or `+`, or after `NOT` and whitespace.
    fn require_term_after(&self, operator: &str, operator_start: usize) -> Parsed<()> {
        match self.peek() {
            Some(c) if !c.is_whitespace() && c != ')' => Ok(()),
            _ => Err(self.error_at(
                operator_start,
                format!("{operator} must be followed by a term"),
            )),
        }
    }

    fn parse_primary(&mut self) -> Parsed<Query> {
        match self.peek() {
            Some('(') => return self.parse_parenthesised(),
            Some(')') => return Err(self.error("unexpected ')'")),
            _ => {}
        }
        let exact = self.peek() == Some('!');
        if exact {
            self.position += 1;
        }
        let start = self.position;
        let name: String = self.take_while(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        if self.peek() == Some(':') && !name.is_empty() {
            let path = FieldPath::parse(&name)
                .ok_or_else(|| self.error_at(start, format!("invalid field name {name:?}")))?;
            self.position += 1;
            return self.parse_value(path, exact);
        }
        self.position = start;
        match self.group_field.clone() {
            Some(path) => self.parse_value(path, exact),
            None => Err(self.missing_field_error(start)),
        }
    }

    fn missing_field_error(&mut self, start: usize) -> QueryError {
        let word: String = self.take_while(|c| !c.is_whitespace() && c != ')' && c != '(');
        if word.is_empty() {
            return self.error_at(start, "expected a field name");
        }
        self.error_at(
            start,
            format!("term {word:?} has no field; write it as field:value, e.g. name:{word}"),
        )
    }

    /// Parses `( or )`, the opening parenthesis being the current character.
    fn parse_parenthesised(&mut self) -> Parsed<Query> {
        let open = self.position;
        self.position += 1;
        self.skip_whitespace();
        if self.peek() == Some(')') {
            return Err(self.error("empty parentheses"));
        }
        let inner = self.parse_or()?;
        self.skip_whitespace();
        if self.peek() != Some(')') {
            return Err(self.error_at(open, "missing ')' for this '('"));
        }
        self.position += 1;
        Ok(inner)
    }

    fn parse_value(&mut self, path: FieldPath, exact: bool) -> Parsed<Query> {
        let start = self.position;
        let matcher = match self.peek() {
            None => return Err(self.error(format!("missing value after '{path}:'"))),
            Some(c) if c.is_whitespace() || c == ')' => {
                return Err(self.error(format!("missing value after '{path}:'")));
            }
            Some('(') if exact => return Err(self.error("'!' cannot be used with a group")),
            Some('(') => return self.parse_group(path),
            Some('[' | '{') if exact => return Err(self.error("'!' cannot be used with a range")),
            Some('[' | '{') => self.parse_range()?,
            Some('"') => phrase_matcher(&self.parse_quoted()?, exact),
            Some(_) => {
                let word = self.parse_word();
                if word.is_empty() {
                    return Err(self.error_at(start, format!("missing value after '{path}:'")));
                }
                word_matcher(&word, exact)
            }
        };
        Ok(Query::Term(Term { path, matcher }))
    }

    /// Parses `field:( ... )`, where bare values take the field.
    fn parse_group(&mut self, path: FieldPath) -> Parsed<Query> {
        let outer = self.group_field.replace(path);
        let group = self.parse_parenthesised();
        self.group_field = outer;
        group
    }

    fn parse_range(&mut self) -> Parsed<Matcher> {
        let open = self.position;
        let inclusive_lower = self.peek() == Some('[');
        self.position += 1;
        self.skip_whitespace();
        let lower = self.parse_bound(inclusive_lower)?;
        self.skip_whitespace();
        if !self.eat_keyword("TO") {
            return Err(self.error("expected 'TO' between the bounds of the range"));
        }
        self.skip_whitespace();
        let upper_start = self.position;
        let upper_text = self.parse_bound_text()?;
        self.skip_whitespace();
        let inclusive_upper = match self.peek() {
            Some(']') => true,
            Some('}') => false,
            _ => return Err(self.error_at(open, "missing ']' or '}' to close this range")),
        };
        self.position += 1;
        if upper_text.is_empty() {
            return Err(self.error_at(upper_start, "missing upper bound of the range"));
        }
        let upper = bound(upper_text, inclusive_upper);
        Ok(Matcher::Range { lower, upper })
    }

    fn parse_bound(&mut self, inclusive: bool) -> Parsed<Bound> {
        let start = self.position;
        let text = self.parse_bound_text()?;
        // `[ TO 5]` would otherwise read `TO` as the lower bound.
        if text.is_empty() || text == "TO" {
            return Err(self.error_at(start, "missing lower bound of the range"));
        }
        Ok(bound(text, inclusive))
    }

    /// Reads a quoted bound or a bare one up to whitespace or a closing bracket.
    fn parse_bound_text(&mut self) -> Parsed<String> {
        if self.peek() == Some('"') {
            return self.parse_quoted().map(|text| {
                // A quoted star is a literal star, not an open end.
                if text == "*" { "\\*".to_owned() } else { text }
            });
        }
        Ok(self.take_while(|c| !c.is_whitespace() && c != ']' && c != '}'))
    }

    /// Reads a `"..."` string with `\"` and `\\` escapes; the quote is the current character.
    fn parse_quoted(&mut self) -> Parsed<String> {
        let open = self.position;
        self.position += 1;
        let mut text = String::new();
        loop {
            match self.next_char() {
                None => return Err(self.error_at(open, "missing closing '\"' for this quote")),
                Some('"') => return Ok(text),
                Some('\\') => match self.next_char() {
                    Some(escaped) => text.push(escaped),
                    None => return Err(self.error("a '\\' must be followed by a character")),
                },
                Some(c) => text.push(c),
            }
        }
    }

    /// Reads a bare value up to whitespace or `)`, with `\` escaping the next character.
    fn parse_word(&mut self) -> String {
        let mut word = String::new();
        while let Some(c) = self.peek() {
            if c.is_whitespace() || c == ')' {
                break;
            }
            self.position += 1;
            if c == '\\' {
                if let Some(escaped) = self.next_char() {
                    word.push(escaped);
                }
                continue;
            }
            word.push(c);
        }
        word
    }

    fn take_while(&mut self, accept: impl Fn(char) -> bool) -> String {
        let start = self.position;
        while self.peek().is_some_and(&accept) {
            self.position += 1;
        }
        self.chars[start..self.position].iter().collect()
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.position).copied()
    }

    fn next_char(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.position += 1;
        Some(c)
    }

    fn at_end(&self) -> bool {
        self.position >= self.chars.len()
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.position += 1;
        }
    }

    fn at_or(&self) -> bool {
        self.at_keyword("OR") || self.at_symbol("||")
    }

    /// Returns whether a keyword starts here and ends at whitespace, a parenthesis or the end.
    fn at_keyword(&self, keyword: &str) -> bool {
        let end = self.position + keyword.len();
        let spelled = self.at_symbol(keyword);
        let boundary = match self.chars.get(end) {
            None => true,
            Some(&c) => c.is_whitespace() || c == '(' || c == ')' || c == '"',
        };
        spelled && boundary
    }

    fn at_symbol(&self, symbol: &str) -> bool {
        symbol
            .chars()
            .enumerate()
            .all(|(offset, expected)| self.chars.get(self.position + offset) == Some(&expected))
    }

    fn eat_keyword(&mut self, keyword: &str) -> bool {
        let found = self.at_keyword(keyword);
        if found {
            self.position += keyword.chars().count();
        }
        found
    }

    fn eat_symbol(&mut self, symbol: &str) -> bool {
        let found = self.at_symbol(symbol);
        if found {
            self.position += symbol.chars().count();
        }
        found
    }

    fn error(&self, message: impl Into<String>) -> QueryError {
        self.error_at(self.position, message)
    }

    fn error_at(&self, position: usize, message: impl Into<String>) -> QueryError {
        QueryError {
            message: message.into(),
            position: position + 1,
        }
    }
}

fn combine(mut parts: Vec<Query>, join: fn(Vec<Query>) -> Query) -> Query {
    if parts.len() == 1 {
        parts.remove(0)
    } else {
        join(parts)
    }
}

fn bound(text: String, inclusive: bool) -> Bound {
    if text == "*" {
        Bound::Open
    } else {
        let text = if text == "\\*" { "*".to_owned() } else { text };
        if inclusive {
            Bound::Inclusive(text)
        } else {
            Bound::Exclusive(text)
        }
    }
}

/// Builds the matcher of a quoted phrase, which matches its words in order. Wildcards inside
/// quotes are literal characters.
fn phrase_matcher(phrase: &str, exact: bool) -> Matcher {
    let folded = fold(phrase);
    let phrase_words: Vec<String> = words(&folded).into_iter().map(str::to_owned).collect();
    if exact || phrase_words.is_empty() {
        Matcher::Exact(folded)
    } else {
        Matcher::Words(phrase_words)
    }
}

fn word_matcher(word: &str, exact: bool) -> Matcher {
    if word == "*" {
        return Matcher::Exists;
    }
    if word.contains(['*', '?']) {
        return Matcher::Wildcard {
            pattern: fold(word),
            whole_only: exact,
        };
    }
    phrase_matcher(word, exact)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(path: &str, matcher: Matcher) -> Query {
        Query::Term(Term {
            path: FieldPath::parse(path).expect("valid path"),
            matcher,
        })
    }

    fn words_of(list: &[&str]) -> Matcher {
        Matcher::Words(list.iter().map(|word| (*word).to_owned()).collect())
    }

    #[test]
    fn parses_term_forms() {
        let cases = [
            ("set.id:swsh10", term("set.id", words_of(&["swsh10"]))),
            (
                "name:\"venusaur v\"",
                term("name", words_of(&["venusaur", "v"])),
            ),
            (
                "!name:Charizard",
                term("name", Matcher::Exact("charizard".into())),
            ),
            (
                "name:Char*",
                term(
                    "name",
                    Matcher::Wildcard {
                        pattern: "char*".into(),
                        whole_only: false,
                    },
                ),
            ),
            ("rarity:*", term("rarity", Matcher::Exists)),
            (
                "nationalPokedexNumbers:[1 TO 151]",
                term(
                    "nationalPokedexNumbers",
                    Matcher::Range {
                        lower: Bound::Inclusive("1".into()),
                        upper: Bound::Inclusive("151".into()),
                    },
                ),
            ),
            (
                "hp:{100 TO *]",
                term(
                    "hp",
                    Matcher::Range {
                        lower: Bound::Exclusive("100".into()),
                        upper: Bound::Open,
                    },
                ),
            ),
            ("name:a\\ b", term("name", words_of(&["a", "b"]))),
        ];
        for (input, expected) in cases {
            assert_eq!(parse(input), Ok(expected), "q={input:?}");
        }
    }

    #[test]
    fn parses_operators() {
        let fire = || term("types", words_of(&["fire"]));
        let water = || term("types", words_of(&["water"]));
        let cases = [
            ("types:fire types:water", Query::And(vec![fire(), water()])),
            (
                "types:fire AND types:water",
                Query::And(vec![fire(), water()]),
            ),
            (
                "types:fire && types:water",
                Query::And(vec![fire(), water()]),
            ),
            (
                "types:fire OR types:water",
                Query::Or(vec![fire(), water()]),
            ),
            (
                "types:fire || types:water",
                Query::Or(vec![fire(), water()]),
            ),
            ("-types:fire", Query::Not(Box::new(fire()))),
            ("NOT types:fire", Query::Not(Box::new(fire()))),
            ("+types:fire", fire()),
            ("types:(fire OR water)", Query::Or(vec![fire(), water()])),
            ("(types:fire)", fire()),
            (
                "types:fire types:water OR types:fire",
                Query::Or(vec![Query::And(vec![fire(), water()]), fire()]),
            ),
            (
                "types:fire (types:water OR types:fire)",
                Query::And(vec![fire(), Query::Or(vec![water(), fire()])]),
            ),
            ("   ", Query::All),
        ];
        for (input, expected) in cases {
            assert_eq!(parse(input), Ok(expected), "q={input:?}");
        }
    }

    #[test]
    fn rejects_malformed_queries() {
        let cases = [
            ("charizard", 1),
            ("name:", 6),
            ("name: x", 6),
            (":x", 1),
            ("name:\"venusaur v", 6),
            ("(name:x", 1),
            ("name:x)", 7),
            ("()", 2),
            ("name:x OR", 10),
            ("OR name:x", 1),
            ("name:x AND", 11),
            ("AND name:x", 1),
            ("name:x AND AND name:y", 12),
            ("-", 1),
            ("- name:x", 1),
            ("NOT", 1),
            ("hp:[1 TO", 4),
            ("hp:[1 151]", 7),
            ("hp:[ TO 2]", 6),
            ("hp:[1 TO ]", 10),
            ("hp:[1 TO 2", 4),
            ("!hp:[1 TO 2]", 5),
            ("set..id:x", 1),
            ("name:x or", 8),
            ("types:()", 8),
        ];
        for (input, position) in cases {
            match parse(input) {
                Ok(query) => panic!("{input:?} parsed as {query:?}"),
                Err(error) => assert_eq!(error.position, position, "q={input:?}: {error}"),
            }
        }
    }

    #[test]
    fn rejects_deep_nesting() {
        let deep = format!("{}name:x{}", "(".repeat(100_000), ")".repeat(100_000));
        let error = parse(&deep).expect_err("deep nesting accepted");
        assert!(error.message.contains("nests"), "{error}");
        let negations = format!("{}name:x", "-".repeat(100_000));
        assert!(parse(&negations).is_err());
        let fine = format!("{}name:x{}", "(".repeat(30), ")".repeat(30));
        assert!(parse(&fine).is_ok());
    }

    #[test]
    fn error_names_bare_word() {
        let error = parse("name:x charizard").expect_err("bare word accepted");
        assert!(error.message.contains("\"charizard\""), "{error}");
        assert!(error.message.contains("field:value"), "{error}");
    }
}
