//! The price date: the day whose prices the emulator serves.
//!
//! The real API refreshes prices once a day and stamps both price blocks with that day as
//! `updatedAt` (`YYYY/MM/DD`). The emulator derives every price from the card and this date, so
//! moving the date forward by a day simulates the daily price update.

use std::fmt;
use std::str::FromStr;

use crate::Error;

/// A calendar date in the API's `YYYY/MM/DD` form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PriceDate {
    year: u16,
    month: u8,
    day: u8,
}

impl PriceDate {
    /// The price date an emulator starts with unless configured otherwise: 2026/12/01.
    pub const DEFAULT: PriceDate = PriceDate {
        year: 2026,
        month: 12,
        day: 1,
    };

    /// Builds a date, or returns `None` when it is not a day of the Gregorian calendar.
    pub fn new(year: u16, month: u8, day: u8) -> Option<PriceDate> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(PriceDate { year, month, day })
    }

    /// Returns the number of days since 1970/01/01, so consecutive dates differ by one.
    pub fn day_number(self) -> i64 {
        // Days-from-civil with March as the first month of the year, so the leap day is last.
        let (year, month) = if self.month <= 2 {
            (i64::from(self.year) - 1, i64::from(self.month) + 9)
        } else {
            (i64::from(self.year), i64::from(self.month) - 3)
        };
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let day_of_year = (153 * month + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// Packs the date into one integer (`YYYYMMDD`) so it can live in an atomic.
    pub(crate) fn to_packed(self) -> u32 {
        u32::from(self.year) * 10_000 + u32::from(self.month) * 100 + u32::from(self.day)
    }

    /// Reverses [`PriceDate::to_packed`].
    pub(crate) fn from_packed(packed: u32) -> PriceDate {
        let year = u16::try_from(packed / 10_000).unwrap_or(PriceDate::DEFAULT.year);
        let month = u8::try_from(packed / 100 % 100).unwrap_or(1);
        let day = u8::try_from(packed % 100).unwrap_or(1);
        PriceDate::new(year, month, day).unwrap_or(PriceDate::DEFAULT)
    }
}

impl Default for PriceDate {
    fn default() -> Self {
        PriceDate::DEFAULT
    }
}

impl fmt::Display for PriceDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}/{:02}/{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for PriceDate {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || Error::InvalidPriceDate(text.to_owned());
        let mut parts = text.split('/');
        let year = parse_digits(parts.next(), 4).ok_or_else(invalid)?;
        let month = parse_digits(parts.next(), 2).ok_or_else(invalid)?;
        let day = parse_digits(parts.next(), 2).ok_or_else(invalid)?;
        if parts.next().is_some() {
            return Err(invalid());
        }
        let year = u16::try_from(year).map_err(|_| invalid())?;
        let month = u8::try_from(month).map_err(|_| invalid())?;
        let day = u8::try_from(day).map_err(|_| invalid())?;
        PriceDate::new(year, month, day).ok_or_else(invalid)
    }
}

/// Parses a field of exactly `width` ASCII digits.
fn parse_digits(part: Option<&str>, width: usize) -> Option<u32> {
    let part = part?;
    if part.len() != width || !part.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 31,
    }
}

fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_calendar_dates() {
        for text in ["2026/12/01", "2024/02/29", "1999/01/09", "2000/02/29"] {
            let date: PriceDate = text.parse().expect(text);
            assert_eq!(date.to_string(), text);
        }
    }

    #[test]
    fn parse_rejects_malformed_dates() {
        let cases = [
            "",
            "2026-12-01",
            "2026/12/1",
            "26/12/01",
            "2026/13/01",
            "2026/00/10",
            "2026/02/29",
            "1900/02/29",
            "2026/04/31",
            "2026/12/01/",
            "2026/12/01 10:00",
            "+026/12/01",
        ];
        for text in cases {
            assert!(text.parse::<PriceDate>().is_err(), "{text:?} was accepted");
        }
    }

    #[test]
    fn day_number_counts_days() {
        let epoch = PriceDate::new(1970, 1, 1).expect("valid date");
        assert_eq!(epoch.day_number(), 0);
        let leap_day = PriceDate::new(2024, 2, 29).expect("valid date");
        let next = PriceDate::new(2024, 3, 1).expect("valid date");
        assert_eq!(next.day_number() - leap_day.day_number(), 1);
        let new_year = PriceDate::new(2027, 1, 1).expect("valid date");
        let eve = PriceDate::new(2026, 12, 31).expect("valid date");
        assert_eq!(new_year.day_number() - eve.day_number(), 1);
        assert_eq!(
            PriceDate::new(2000, 3, 1).expect("valid date").day_number(),
            11_017
        );
    }

    #[test]
    fn packed_form_round_trips() {
        let date = PriceDate::new(2031, 7, 15).expect("valid date");
        assert_eq!(PriceDate::from_packed(date.to_packed()), date);
    }
}
