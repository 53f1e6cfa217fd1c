//! Timestamps as Holo stores them: UTC, RFC 3339, milliseconds.

use chrono::{SecondsFormat, Utc};

/// Returns the current time as `2026-12-04T15:52:07.123Z`.
pub fn now_rfc3339() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Converts the API's `YYYY/MM/DD` (optionally followed by a time) to `YYYY-MM-DD`.
/// Returns the input unchanged when it is not in that form, so no date is lost.
pub fn api_date_to_iso(date: &str) -> String {
    let day = date.split(' ').next().unwrap_or(date);
    let parts: Vec<&str> = day.split('/').collect();
    match parts.as_slice() {
        [year, month, day]
            if year.len() == 4
                && month.len() == 2
                && day.len() == 2
                && parts
                    .iter()
                    .all(|part| part.bytes().all(|b| b.is_ascii_digit())) =>
        {
            format!("{year}-{month}-{day}")
        }
        _ => date.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_date_converts_to_iso() {
        assert_eq!(api_date_to_iso("2021/08/04"), "2021-08-04");
        assert_eq!(api_date_to_iso("2022/10/10 15:12:00"), "2022-10-10");
    }

    #[test]
    fn api_date_keeps_unknown_forms() {
        assert_eq!(api_date_to_iso("August 2021"), "August 2021");
        assert_eq!(api_date_to_iso("2021/8/4"), "2021/8/4");
        assert_eq!(api_date_to_iso(""), "");
    }
}
