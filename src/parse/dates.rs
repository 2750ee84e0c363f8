//! The dates of the CSV user report, whose format the vendor's page does not fix.
//!
//! Accepted: RFC 3339 (with or without fractional seconds), `YYYY-MM-DD HH:MM:SS` optionally
//! followed by ` UTC` or a numeric offset (as Rails writes times; without a zone it is taken as
//! UTC), and a bare `YYYY-MM-DD`. Each keeps the precision it was written with, because a
//! comparison with the JSON report can only be as fine as the CSV cell.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};

use crate::schema::formats::parse_date_time;

/// How finely a CSV date was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    /// A bare date: compared as the UTC date.
    Day,
    /// To the second.
    Second,
    /// With this many fractional digits (at most 9).
    Fraction(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvDate {
    pub instant: DateTime<FixedOffset>,
    pub precision: Precision,
}

impl CsvDate {
    pub fn parse(text: &str) -> Option<CsvDate> {
        if let Some(instant) = parse_date_time(text) {
            return Some(CsvDate {
                instant,
                precision: fraction_precision(text),
            });
        }
        if text.len() == 10 {
            let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
            let instant = date.and_time(NaiveTime::MIN).and_utc().fixed_offset();
            return Some(CsvDate {
                instant,
                precision: Precision::Day,
            });
        }
        rails(text)
    }

    /// Whether the JSON report's `instant` is this date, at this date's precision.
    pub fn matches(&self, instant: DateTime<FixedOffset>) -> bool {
        match self.precision {
            Precision::Day => {
                instant.with_timezone(&Utc).date_naive()
                    == self.instant.with_timezone(&Utc).date_naive()
            }
            Precision::Second => instant.timestamp() == self.instant.timestamp(),
            Precision::Fraction(digits) => {
                let unit = 10_i64.pow(9 - digits.min(9));
                let truncate =
                    |t: DateTime<FixedOffset>| (t.timestamp(), i64::from(t.nanosecond()) / unit);
                truncate(instant) == truncate(self.instant)
            }
        }
    }
}

fn fraction_precision(text: &str) -> Precision {
    match text.find('.') {
        Some(dot) => {
            let digits = text[dot + 1..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count() as u32;
            Precision::Fraction(digits.min(9))
        }
        None => Precision::Second,
    }
}

/// `2026-09-14 09:30:00`, `… UTC`, `… +0200`, `… +02:00`, with optional fractional seconds.
fn rails(text: &str) -> Option<CsvDate> {
    let bytes = text.as_bytes();
    if bytes.get(10) != Some(&b' ') {
        return None;
    }
    let fraction = match bytes.get(19) {
        Some(b'.') => {
            1 + bytes[20..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count()
        }
        _ => 0,
    };
    // `get` rather than indexing: a non-ASCII cell must not split a character.
    let local = text.get(..19 + fraction)?;
    let zone = text.get(19 + fraction..)?;
    let naive = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M:%S%.f").ok()?;
    let offset_seconds = match zone {
        "" | " UTC" => 0,
        _ => {
            let zone = zone.strip_prefix(' ').unwrap_or(zone);
            let sign = match zone.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
            if digits.len() != 4
                || !digits.bytes().all(|b| b.is_ascii_digit())
                || (zone.len() == 6 && zone.as_bytes()[3] != b':')
            {
                return None;
            }
            let (hours, minutes): (i32, i32) =
                (digits[..2].parse().ok()?, digits[2..].parse().ok()?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            sign * (hours * 3600 + minutes * 60)
        }
    };
    let offset = FixedOffset::east_opt(offset_seconds)?;
    let instant = naive.and_local_timezone(offset).single()?;
    Some(CsvDate {
        instant,
        precision: fraction_precision(local),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        parse_date_time(text).unwrap()
    }

    #[test]
    fn accepts_the_forms_exports_use() {
        for (text, precision) in [
            ("2026-09-14T09:30:00Z", Precision::Second),
            ("2026-09-14T09:30:00.500Z", Precision::Fraction(3)),
            ("2026-09-14 09:30:00", Precision::Second),
            ("2026-09-14 09:30:00 UTC", Precision::Second),
            ("2026-09-14 11:30:00 +0200", Precision::Second),
            ("2026-09-14 11:30:00 +02:00", Precision::Second),
            ("2026-09-14 11:30:00+02:00", Precision::Second),
            ("2026-09-14 09:30:00.5 UTC", Precision::Fraction(1)),
            ("2026-09-14", Precision::Day),
        ] {
            let date = CsvDate::parse(text).unwrap_or_else(|| panic!("{text} should parse"));
            assert_eq!(date.precision, precision, "{text}");
            if precision != Precision::Day {
                assert!(date.matches(at("2026-09-14T09:30:00.5Z")), "{text}");
            }
        }
    }

    #[test]
    fn rejects_everything_else() {
        for text in [
            "",
            "14/09/2026",
            "2026-09-14 09:30",
            "2026-09-14 09:30:00 CEST",
            "2026-09-14 09:30:00 +2",
            "2026-13-01",
            "2026-09-14T09:30:00",
            "Sep 14, 2026",
            "2026-09-14 25:00:00 UTC",
            "2026-09-14 09:30:0é",
            "2026-09-14 09:30:00 +02:00:00",
        ] {
            assert_eq!(CsvDate::parse(text), None, "{text} should not parse");
        }
    }

    #[test]
    fn compares_at_the_cells_precision() {
        let day = CsvDate::parse("2026-09-14").unwrap();
        assert!(day.matches(at("2026-09-14T23:59:59Z")));
        assert!(
            day.matches(at("2026-09-15T01:00:00+02:00")),
            "the UTC date counts"
        );
        assert!(!day.matches(at("2026-09-15T00:00:00Z")));
        let second = CsvDate::parse("2026-09-14 09:30:00 UTC").unwrap();
        assert!(second.matches(at("2026-09-14T09:30:00.999Z")));
        assert!(!second.matches(at("2026-09-14T09:30:01Z")));
        let millis = CsvDate::parse("2026-09-14T09:30:00.120Z").unwrap();
        assert!(millis.matches(at("2026-09-14T09:30:00.1209Z")));
        assert!(!millis.matches(at("2026-09-14T09:30:00.121Z")));
    }
}
