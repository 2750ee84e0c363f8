//! The dates of the CSV user report, whose format the vendor's page does not fix.
//!
//! Accepted: RFC 3339 (with or without fractional seconds), `YYYY-MM-DD HH:MM:SS` optionally
//! followed by ` UTC` or a numeric offset (as Rails writes times; without a zone it is taken as
//! UTC), the same to the minute (`YYYY-MM-DD HH:MM`, as a spreadsheet that drops the seconds
//! writes it), and a bare `YYYY-MM-DD`. Each keeps the precision it was written with, because a
//! comparison with the JSON report can only be as fine as the CSV cell. A cell in none of
//! these forms is told apart by [`likely_form`], so that a finding can say what it looks like.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Timelike, Utc};

use crate::formats::{parse_date, parse_date_time};

/// How finely a CSV date was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    /// A bare date: the timestamp's date in UTC, or at the timestamp's own offset.
    Day,
    /// To the minute.
    Minute,
    /// To the second.
    Second,
    /// With this many fractional digits (at most 9).
    Fraction(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvDate {
    /// A cell without a zone is taken as UTC here; [`CsvDate::matches`] also takes it as the
    /// wall-clock time at the timestamp's own offset.
    pub instant: DateTime<FixedOffset>,
    pub precision: Precision,
    /// Whether the cell says its zone (`Z`, ` UTC`, an offset): a bare date or a time without
    /// one may be in UTC or in the team's time zone.
    pub zoned: bool,
}

impl CsvDate {
    pub fn parse(text: &str) -> Option<CsvDate> {
        if let Some(instant) = parse_date_time(text) {
            return Some(CsvDate {
                instant,
                precision: fraction_precision(text),
                zoned: true,
            });
        }
        if let Some(instant) = parse_date(text) {
            return Some(CsvDate {
                instant,
                precision: Precision::Day,
                zoned: false,
            });
        }
        rails(text)
    }

    /// Whether the JSON report's `instant` is this date, at this date's precision. A cell
    /// without a zone (a bare date, or a time without one) is the instant's date or time
    /// either in UTC or at the instant's own offset: an exporter may write them in the team's
    /// time zone, as the JSON's offsets show it.
    pub fn matches(&self, instant: DateTime<FixedOffset>) -> bool {
        let own = self.instant.naive_utc();
        let utc = instant.naive_utc();
        let local = instant.naive_local();
        let same = |other: NaiveDateTime| match self.precision {
            Precision::Day => other.date() == own.date(),
            Precision::Minute => {
                other.and_utc().timestamp().div_euclid(60)
                    == own.and_utc().timestamp().div_euclid(60)
            }
            Precision::Second => other.and_utc().timestamp() == own.and_utc().timestamp(),
            Precision::Fraction(digits) => {
                let unit = 10_i64.pow(9 - digits.min(9));
                let truncate =
                    |t: NaiveDateTime| (t.and_utc().timestamp(), i64::from(t.nanosecond()) / unit);
                truncate(other) == truncate(own)
            }
        };
        same(utc) || (!self.zoned && same(local))
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

/// The days a timestamp falls on, as a bare date is compared with it: `2025-03-05 in UTC,
/// 2025-03-04 at its offset -05:00`, or one day when the two agree.
pub fn days_of(instant: DateTime<FixedOffset>) -> String {
    let utc = instant.with_timezone(&Utc).date_naive();
    let local = instant.date_naive();
    if utc == local {
        utc.to_string()
    } else {
        format!("{utc} in UTC, {local} at its offset {}", instant.offset())
    }
}

/// `2026-09-14 09:30:00`, `… UTC`, `… +0200`, `… +02:00`, with optional fractional seconds;
/// or to the minute, `2026-09-14 09:30`, with the same zones.
fn rails(text: &str) -> Option<CsvDate> {
    let bytes = text.as_bytes();
    if bytes.get(10) != Some(&b' ') {
        return None;
    }
    let (length, format) = match (bytes.get(16), bytes.get(19)) {
        (Some(b':'), Some(b'.')) => {
            let fraction = bytes[20..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            (20 + fraction, "%Y-%m-%d %H:%M:%S%.f")
        }
        (Some(b':'), _) => (19, "%Y-%m-%d %H:%M:%S%.f"),
        _ => (16, "%Y-%m-%d %H:%M"),
    };
    // `get` rather than indexing: a non-ASCII cell must not split a character.
    let local = text.get(..length)?;
    let zone = text.get(length..)?;
    let naive = match plain_fields(local) {
        Some(naive) => naive,
        None => NaiveDateTime::parse_from_str(local, format).ok()?,
    };
    let instant = naive.and_local_timezone(zone_offset(zone)?).single()?;
    Some(CsvDate {
        instant,
        precision: match length {
            16 => Precision::Minute,
            _ => fraction_precision(local),
        },
        zoned: !zone.is_empty(),
    })
}

/// What follows a Rails-style time: nothing or ` UTC` (UTC), or a numeric offset.
/// `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD HH:MM`, every field its digits, read without
/// chrono's format parser, which took 3 % of a folder of many pairs' check (two dates a row);
/// `None` for anything else, which chrono then reads (a leap second, fractional seconds).
fn plain_fields(local: &str) -> Option<NaiveDateTime> {
    let bytes = local.as_bytes();
    let number = |from: usize, to: usize| -> Option<u32> {
        bytes.get(from..to)?.iter().try_fold(0u32, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    let separators = match bytes.len() {
        19 => [(4, b'-'), (7, b'-'), (10, b' '), (13, b':'), (16, b':')].as_slice(),
        16 => [(4, b'-'), (7, b'-'), (10, b' '), (13, b':')].as_slice(),
        _ => return None,
    };
    if separators.iter().any(|&(at, c)| bytes[at] != c) {
        return None;
    }
    let second = if bytes.len() == 19 {
        number(17, 19)?
    } else {
        0
    };
    chrono::NaiveDate::from_ymd_opt(
        i32::try_from(number(0, 4)?).ok()?,
        number(5, 7)?,
        number(8, 10)?,
    )?
    .and_hms_opt(number(11, 13)?, number(14, 16)?, second)
}

fn zone_offset(zone: &str) -> Option<FixedOffset> {
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
    FixedOffset::east_opt(offset_seconds)
}

const MONTH_DAY_YEAR: &str = "month/day/year, as a US spreadsheet writes dates";
const DAY_MONTH_YEAR: &str = "day/month/year, as a spreadsheet in most of Europe writes dates";
const EITHER_ORDER: &str = "month/day/year or day/month/year, as a spreadsheet writes dates (which one, the cell cannot tell)";

/// What the cells of a column in none of the accepted forms look like, when they agree: one
/// cell that can only be month/day/year settles the order for the cells that could be either.
pub fn likely_column_form<'a>(cells: impl IntoIterator<Item = &'a str>) -> Option<&'static str> {
    let forms: Vec<Option<&str>> = cells.into_iter().map(likely_form).collect();
    let (first, rest) = forms.split_first()?;
    if rest.iter().all(|form| form == first) {
        return *first;
    }
    let orders = [MONTH_DAY_YEAR, DAY_MONTH_YEAR, EITHER_ORDER];
    if !forms.iter().all(|f| f.is_some_and(|f| orders.contains(&f))) {
        return None;
    }
    let has = |order| forms.contains(&Some(order));
    match (has(MONTH_DAY_YEAR), has(DAY_MONTH_YEAR)) {
        (true, false) => Some(MONTH_DAY_YEAR),
        (false, true) => Some(DAY_MONTH_YEAR),
        _ => None,
    }
}

/// What a date cell in none of the accepted forms looks like, when that can be told:
/// `month/day/year, as a US spreadsheet writes dates`.
pub fn likely_form(text: &str) -> Option<&'static str> {
    let text = text.trim();
    let date = text.split([' ', 'T']).next().unwrap_or(text);
    for separator in ['/', '.', '-'] {
        let parts: Vec<&str> = date.split(separator).collect();
        let [a, b, c] = parts.as_slice() else {
            continue;
        };
        let number = |p: &str| {
            (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse::<u32>().ok())
                .flatten()
        };
        let (Some(x), Some(y), Some(_)) = (number(a), number(b), number(c)) else {
            continue;
        };
        if a.len() == 4 {
            return Some(match separator {
                '-' => "year-month-day, but not a day that exists or not followed by a time in an accepted form",
                _ => "year/month/day, with other separators than an export uses",
            });
        }
        if c.len() != 4 && c.len() != 2 {
            continue;
        }
        return Some(match (x > 12, y > 12) {
            (false, true) => MONTH_DAY_YEAR,
            (true, false) => DAY_MONTH_YEAR,
            (false, false) => EITHER_ORDER,
            (true, true) => continue,
        });
    }
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Some("a spreadsheet's day number, as a cell formatted as a number shows a date");
    }
    if text.chars().any(char::is_alphabetic) && text.chars().any(|c| c.is_ascii_digit()) {
        return Some("a date with the month written out, as a spreadsheet may show it");
    }
    None
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
            ("2026-09-14 09:30", Precision::Minute),
            ("2026-09-14 09:30 UTC", Precision::Minute),
            ("2026-09-14 11:30 +02:00", Precision::Minute),
        ] {
            let date = CsvDate::parse(text).unwrap_or_else(|| panic!("{text} should parse"));
            assert_eq!(date.precision, precision, "{text}");
            if precision != Precision::Day {
                assert!(date.matches(at("2026-09-14T09:30:00.5Z")), "{text}");
            }
        }
    }

    /// The fields read by hand are the fields chrono reads, and whatever they do not read
    /// goes to chrono.
    #[test]
    fn plain_fields_read_as_chrono_does() {
        for text in [
            "2026-09-14 09:30:00",
            "2026-09-14 09:30",
            "2024-02-29 23:59:59",
            "2025-02-29 10:00:00",
            "2026-13-01 10:00:00",
            "2026-09-14 24:00:00",
            "2026-09-14 23:60",
            "2026-09-14 23:59:60",
            "0000-01-01 00:00:00",
            "2026-09-14T09:30:00",
            "2026-09-14 09:30:0x",
            "+2026-09-14 09:30",
        ] {
            let format = if text.len() == 16 {
                "%Y-%m-%d %H:%M"
            } else {
                "%Y-%m-%d %H:%M:%S%.f"
            };
            let chrono = NaiveDateTime::parse_from_str(text, format).ok();
            match plain_fields(text) {
                Some(naive) => assert_eq!(Some(naive), chrono, "{text}"),
                // Only where chrono has a say of its own: a leap second, or no plain form.
                None => assert!(
                    chrono.is_none() || text.ends_with(":60") || text.starts_with('+'),
                    "{text}"
                ),
            }
        }
        assert!(plain_fields("2026-09-14 09:30:00").is_some());
    }

    #[test]
    fn rejects_everything_else() {
        for text in [
            "",
            "14/09/2026",
            "2026-09-14 9:30",
            "2026-09-14 09:3",
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
    fn says_what_a_rejected_cell_looks_like() {
        let form = |text: &str| likely_form(text).unwrap_or("none");
        assert!(form("10/30/2026 9:32").starts_with("month/day/year,"));
        assert!(form("30/10/2026").starts_with("day/month/year,"));
        assert!(form("30.10.2026 09:32").starts_with("day/month/year,"));
        assert!(form("03/04/2026").starts_with("month/day/year or day/month/year"));
        assert!(form("2026/10/30").starts_with("year/month/day"));
        assert!(form("45960.3958").starts_with("a spreadsheet's day number"));
        assert!(form("Oct 30, 2026").starts_with("a date with the month written out"));
        assert_eq!(likely_form("soon"), None);
        let column = |cells: &[&str]| likely_column_form(cells.iter().copied()).unwrap_or("none");
        assert!(column(&["9/1/2026", "10/14/2026"]).starts_with("month/day/year,"));
        assert!(column(&["9/1/2026", "14/10/2026"]).starts_with("day/month/year,"));
        assert_eq!(column(&["10/14/2026", "14/10/2026"]), "none");
        assert_eq!(column(&["10/14/2026", "soon"]), "none");
        assert_eq!(
            days_of(at("2025-03-04T23:30:00-05:00")),
            "2025-03-05 in UTC, 2025-03-04 at its offset -05:00"
        );
        assert_eq!(days_of(at("2025-03-04T23:30:00Z")), "2025-03-04");
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
        // The timestamp's own date counts too, behind UTC and ahead of it.
        assert!(day.matches(at("2026-09-14T23:30:00-05:00")));
        assert!(!day.matches(at("2026-09-13T23:30:00Z")));
        assert!(day.matches(at("2026-09-14T00:30:00+09:00")));
        assert!(!day.matches(at("2026-09-16T00:30:00+09:00")));
        let minute = CsvDate::parse("2026-09-14 09:30").unwrap();
        assert!(minute.matches(at("2026-09-14T09:30:59Z")));
        assert!(minute.matches(at("2026-09-14T11:30:10+02:00")));
        assert!(!minute.matches(at("2026-09-14T09:31:00Z")));
        // A time without a zone: UTC, or the timestamp's own wall clock; with one, the instant.
        let unzoned = CsvDate::parse("2026-09-14 11:30:00").unwrap();
        assert!(unzoned.matches(at("2026-09-14T11:30:00Z")));
        assert!(unzoned.matches(at("2026-09-14T11:30:00+02:00")));
        assert!(!unzoned.matches(at("2026-09-14T10:30:00+02:00")));
        let zoned = CsvDate::parse("2026-09-14 11:30:00 UTC").unwrap();
        assert!(!zoned.matches(at("2026-09-14T11:30:00+02:00")));
        assert!(zoned.matches(at("2026-09-14T13:30:00+02:00")));
        let second = CsvDate::parse("2026-09-14 09:30:00 UTC").unwrap();
        assert!(second.matches(at("2026-09-14T09:30:00.999Z")));
        assert!(!second.matches(at("2026-09-14T09:30:01Z")));
        let millis = CsvDate::parse("2026-09-14T09:30:00.120Z").unwrap();
        assert!(millis.matches(at("2026-09-14T09:30:00.1209Z")));
        assert!(!millis.matches(at("2026-09-14T09:30:00.121Z")));
    }
}
