//! The query parameters of the list requests (`/v2/cards`, `/v2/sets`) and paging.
//!
//! `q`, `orderBy` and `select` are parsed here, as are `page` (1-based, default 1) and
//! `pageSize` (1 to 250, default 250). Any value that cannot be honoured is an error rather
//! than being ignored, because a client that gets unfiltered data back would not notice.
//! Parameters the real API does not have are ignored, as it ignores them.

use std::ops::Range;

use crate::order::{SortField, parse_order_by};
use crate::query::{self, Query};

/// The largest `pageSize` the API accepts, and the default.
pub const MAX_PAGE_SIZE: usize = 250;

/// The parsed parameters of a list request.
#[derive(Debug)]
pub struct ListParams {
    pub query: Query,
    pub page: usize,
    pub page_size: usize,
    pub order_by: Vec<SortField>,
    pub select: Option<Selection>,
}

impl ListParams {
    /// Parses a URL query string such as `q=set.id%3Aswsh4&page=2`.
    pub fn parse(raw_query: Option<&str>) -> Result<ListParams, String> {
        let mut params = ListParams {
            query: Query::All,
            page: 1,
            page_size: MAX_PAGE_SIZE,
            order_by: Vec::new(),
            select: None,
        };
        let pairs = form_urlencoded::parse(raw_query.unwrap_or("").as_bytes());
        for (name, value) in pairs {
            match name.as_ref() {
                "q" => {
                    params.query =
                        query::parse(&value).map_err(|error| format!("invalid q: {error}"))?;
                }
                "page" => params.page = parse_page(&value)?,
                "pageSize" => params.page_size = parse_page_size(&value)?,
                "orderBy" => params.order_by = parse_order_by(&value)?,
                "select" => params.select = Some(Selection::parse(&value)?),
                _ => {}
            }
        }
        Ok(params)
    }

    /// Rejects field paths in `q` and `orderBy` whose top-level field no record has.
    pub fn check_fields(&self, is_known: impl Fn(&str) -> bool) -> Result<(), String> {
        let mut unknown = None;
        self.query.for_each_path(&mut |path| {
            if unknown.is_none() && !is_known(path.top()) {
                unknown = Some(format!("invalid q: unknown field {:?}", path.to_string()));
            }
        });
        if let Some(message) = unknown {
            return Err(message);
        }
        match self
            .order_by
            .iter()
            .find(|field| !is_known(field.path.top()))
        {
            Some(field) => Err(format!(
                "invalid orderBy: unknown field {:?}",
                field.path.to_string()
            )),
            None => Ok(()),
        }
    }

    /// Returns the positions in an ordered result list that this page covers.
    ///
    /// `shift` moves the window by that many items; only the unstable-order fault uses it.
    pub fn window(&self, total: usize, shift: isize) -> Range<usize> {
        let start = (self.page - 1).saturating_mul(self.page_size);
        let start = start.saturating_add_signed(shift).min(total);
        let end = start.saturating_add(self.page_size).min(total);
        start..end
    }
}

fn parse_page(value: &str) -> Result<usize, String> {
    match value.trim().parse::<usize>() {
        Ok(page) if page >= 1 => Ok(page),
        _ => Err(format!(
            "invalid page {value:?}: expected a whole number of at least 1"
        )),
    }
}

fn parse_page_size(value: &str) -> Result<usize, String> {
    match value.trim().parse::<usize>() {
        Ok(size) if (1..=MAX_PAGE_SIZE).contains(&size) => Ok(size),
        _ => Err(format!(
            "invalid pageSize {value:?}: expected a whole number from 1 to {MAX_PAGE_SIZE}"
        )),
    }
}

/// The top-level fields named by `select`, e.g. `id,tcgplayer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection(Vec<String>);

impl Selection {
    /// Parses a comma-separated list of top-level field names. Names no record has are kept,
    /// and simply select nothing, as in the real API.
    pub fn parse(text: &str) -> Result<Selection, String> {
        let names = text
            .split(',')
            .map(|name| {
                let name = name.trim();
                let valid = !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if valid {
                    Ok(name.to_owned())
                } else {
                    Err(format!(
                        "invalid select item {name:?}: expected top-level field names such as id,name"
                    ))
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Selection(names))
    }

    /// Returns whether a top-level field is selected.
    pub fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|selected| selected == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_without_parameters() {
        let params = ListParams::parse(None).expect("parse");
        assert_eq!(params.query, Query::All);
        assert_eq!(params.page, 1);
        assert_eq!(params.page_size, MAX_PAGE_SIZE);
        assert!(params.order_by.is_empty());
        assert!(params.select.is_none());
    }

    #[test]
    fn decodes_form_encoding() {
        let params = ListParams::parse(Some("q=name%3Achar*+types:fire&page=2&pageSize=10&foo=1"))
            .expect("parse");
        assert!(matches!(params.query, Query::And(ref parts) if parts.len() == 2));
        assert_eq!(params.page, 2);
        assert_eq!(params.page_size, 10);
    }

    #[test]
    fn rejects_bad_values() {
        let cases = [
            "page=0",
            "page=-1",
            "page=x",
            "page=",
            "pageSize=0",
            "pageSize=251",
            "pageSize=2.5",
            "q=charizard",
            "q=name:",
            "orderBy=",
            "orderBy=-",
            "orderBy=a,,b",
            "select=",
            "select=set.id",
            "select=id,,name",
        ];
        for case in cases {
            assert!(ListParams::parse(Some(case)).is_err(), "{case:?} accepted");
        }
    }

    #[test]
    fn check_fields_names_unknown_field() {
        let params = ListParams::parse(Some("q=nme:pikachu")).expect("parse");
        let error = params
            .check_fields(|name| name == "name")
            .expect_err("unknown accepted");
        assert!(error.contains("\"nme\""), "{error}");
        let params = ListParams::parse(Some("orderBy=-numbr")).expect("parse");
        assert!(params.check_fields(|name| name == "number").is_err());
    }

    #[test]
    fn window_pages_and_clamps() {
        let params = ListParams::parse(Some("page=2")).expect("parse");
        assert_eq!(params.window(304, 0), 250..304);
        assert_eq!(params.window(100, 0), 100..100);
        assert_eq!(params.window(304, -10), 240..304);
        let first = ListParams::parse(None).expect("parse");
        assert_eq!(first.window(304, -10), 0..250);
        assert_eq!(first.window(304, 10), 10..260);
    }
}
