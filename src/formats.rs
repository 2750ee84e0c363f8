//! The three formats the vendor's schema declares, asserted strictly.
//!
//! jsonschema only annotates formats by default, and under draft 7 it knows no `uuid` at all,
//! so it would let `"call_id": "call-7"` pass. These checks are registered with the validator
//! and reused wherever else an email or a timestamp is read (the CSV user report too).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};

/// An RFC 5322 `addr-spec` in ASCII: a dot-atom or quoted local part, `@`, and a host name or
/// an address literal (`[192.0.2.1]`, `[IPv6:2001:db8::1]`), within the lengths RFC 5321
/// lets a mailbox have (a local part of 64 octets, 254 in all): the host is held to DNS's
/// limits, and an address no mail system takes is no member's email.
pub fn is_email(s: &str) -> bool {
    // The last `@`: a quoted local part may hold one of its own.
    let Some(at) = memchr::memrchr(b'@', s.as_bytes()) else {
        return false;
    };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    s.len() <= 254 && local.len() <= 64 && is_local_part(local) && is_email_domain(domain)
}

/// RFC 5322's `atext`, as a table: every member's email and every participant's passes here,
/// so this is on the hot path of a large report.
const ATEXT: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = b.is_ascii_alphanumeric();
        c += 1;
    }
    let specials = b"!#$%&'*+-/=?^_`{|}~";
    let mut i = 0;
    while i < specials.len() {
        table[specials[i] as usize] = true;
        i += 1;
    }
    table
};

/// `1*atext *("." 1*atext)`, in one pass.
fn is_dot_atom(bytes: &[u8]) -> bool {
    let mut after_dot = true;
    for &c in bytes {
        if c == b'.' {
            if after_dot {
                return false;
            }
            after_dot = true;
        } else if ATEXT[usize::from(c)] {
            after_dot = false;
        } else {
            return false;
        }
    }
    !after_dot
}

fn is_local_part(local: &str) -> bool {
    let bytes = local.as_bytes();
    if bytes.len() >= 2 && bytes[0] == b'"' && bytes[bytes.len() - 1] == b'"' {
        let inner = &bytes[1..bytes.len() - 1];
        let mut escaped = false;
        for &c in inner {
            if escaped {
                if !(0x20..0x7f).contains(&c) && c != b'\t' {
                    return false;
                }
                escaped = false;
            } else if c == b'\\' {
                escaped = true;
            } else if c == b'"' || !(0x20..0x7f).contains(&c) {
                return false;
            }
        }
        return !escaped;
    }
    is_dot_atom(bytes)
}

fn is_email_domain(domain: &str) -> bool {
    if let Some(literal) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        return match literal.strip_prefix("IPv6:") {
            Some(v6) => v6.parse::<std::net::Ipv6Addr>().is_ok(),
            None => literal.parse::<std::net::Ipv4Addr>().is_ok(),
        };
    }
    is_hostname(domain)
}

/// Labels of letters, digits and inner hyphens, 1 to 63 long, joined by dots, 253 in all: in
/// one pass.
fn is_hostname(host: &str) -> bool {
    let bytes = host.as_bytes();
    if bytes.is_empty() || bytes.len() > 253 {
        return false;
    }
    let (mut length, mut previous) = (0, b'.');
    for &c in bytes {
        match c {
            b'.' if length == 0 || previous == b'-' => return false,
            b'.' => length = 0,
            b'-' if length == 0 => return false,
            c if c == b'-' || c.is_ascii_alphanumeric() => {
                length += 1;
                if length > 63 {
                    return false;
                }
            }
            _ => return false,
        }
        previous = c;
    }
    length > 0 && previous != b'-'
}

/// `8-4-4-4-12` hexadecimal digits, either case, any version.
pub fn is_uuid(s: &str) -> bool {
    uuid_bits(s).is_some()
}

/// The value of each hexadecimal digit, and [`NOT_HEX`] for every other byte.
const HEX: [u8; 256] = {
    let mut table = [NOT_HEX; 256];
    let mut c = 0;
    while c < 256 {
        table[c] = match c as u8 {
            b @ b'0'..=b'9' => b - b'0',
            b @ b'a'..=b'f' => b - b'a' + 10,
            b @ b'A'..=b'F' => b - b'A' + 10,
            _ => NOT_HEX,
        };
        c += 1;
    }
    table
};
const NOT_HEX: u8 = 0xFF;

/// The 128 bits of a UUID in the canonical shape, whatever the case of its digits; `None`
/// for anything else. One pass: every call_id of a report is read here twice (the format
/// check, then the duplicate check).
pub fn uuid_bits(s: &str) -> Option<u128> {
    let bytes: &[u8; 36] = s.as_bytes().try_into().ok()?;
    let mut bits = 0u128;
    for (i, &byte) in bytes.iter().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            if byte != b'-' {
                return None;
            }
            continue;
        }
        let digit = HEX[usize::from(byte)];
        if digit == NOT_HEX {
            return None;
        }
        bits = (bits << 4) | u128::from(digit);
    }
    Some(bits)
}

/// A UUID's canonical text, in lower case: what [`uuid_bits`] reads back.
pub(crate) fn uuid_text(bits: u128) -> String {
    let hex = format!("{bits:032x}");
    let (a, b, c, d, e) = (
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..],
    );
    format!("{a}-{b}-{c}-{d}-{e}")
}

/// An RFC 3339 `date-time`, strictly: `YYYY-MM-DD`, `T`, `HH:MM:SS`, optional fraction, and
/// `Z` or a `±HH:MM` offset. RFC 3339's grammar is case-insensitive, so `t` and `z` pass too.
pub fn is_date_time(s: &str) -> bool {
    date_time_fields(s).is_some()
}

/// The instant a strict RFC 3339 `date-time` names, or `None` when it is not one.
pub fn parse_date_time(s: &str) -> Option<DateTime<FixedOffset>> {
    let f = date_time_fields(s)?;
    // Computed from the fields rather than through chrono's calendar types: every timestamp
    // of a report is read here, and the arithmetic is a few instructions.
    let local = days_from_civil(f.year, i64::from(f.month), i64::from(f.day)) * 86_400
        + i64::from(f.hour * 3600 + f.minute * 60 + f.second);
    let offset = FixedOffset::east_opt(f.offset_minutes * 60)?;
    let utc = DateTime::from_timestamp(local - i64::from(f.offset_minutes) * 60, f.nanos)?;
    Some(utc.with_timezone(&offset))
}

/// A bare date, `YYYY-MM-DD`, as the instant its day starts in UTC.
pub fn parse_date(s: &str) -> Option<DateTime<FixedOffset>> {
    if s.len() != 10 {
        return None;
    }
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Some(date.and_time(NaiveTime::MIN).and_utc().fixed_offset())
}

/// What a strict `date-time` says, checked.
struct DateTimeFields {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    /// At most 59: a leap second is kept, as chrono does, as a nanosecond count past 1 s.
    second: u32,
    nanos: u32,
    offset_minutes: i32,
}

fn date_time_fields(s: &str) -> Option<DateTimeFields> {
    let b = s.as_bytes();
    // The fixed part, `YYYY-MM-DDTHH:MM:SS`, read by position: every timestamp of a report is
    // read here (the format check, then the rules), and a loop per field cost several times
    // more.
    let head: &[u8; 19] = b.get(..19)?.try_into().ok()?;
    let digit = |i: usize| {
        let d = head[i].wrapping_sub(b'0');
        (d < 10).then_some(u32::from(d))
    };
    let two = |i: usize| Some(digit(i)? * 10 + digit(i + 1)?);
    let year = two(0)? * 100 + two(2)?;
    let (month, day) = (two(5)?, two(8)?);
    let (hour, minute, second) = (two(11)?, two(14)?, two(17)?);
    if head[4] != b'-'
        || head[7] != b'-'
        || !matches!(head[10], b'T' | b't')
        || head[13] != b':'
        || head[16] != b':'
    {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(range)?;
        if part.iter().all(u8::is_ascii_digit) {
            Some(part.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0')))
        } else {
            None
        }
    };
    let mut rest = 19;
    if b.get(rest) == Some(&b'.') {
        let fraction = b[rest + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if fraction == 0 {
            return None;
        }
        rest += 1 + fraction;
    }
    let offset_minutes: i32 = match &b[rest..] {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (oh, om) = (digits(rest + 1..rest + 3)?, digits(rest + 4..rest + 6)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let minutes = (oh * 60 + om) as i32;
            if *sign == b'-' {
                -minutes
            } else {
                minutes
            }
        }
        _ => return None,
    };
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => return None,
    };
    if day == 0 || day > days_in_month || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    if second == 60 {
        // A leap second is only ever inserted at 23:59:60 UTC.
        let utc_minutes = (hour * 60 + minute) as i32 - offset_minutes;
        if utc_minutes.rem_euclid(24 * 60) != 23 * 60 + 59 {
            return None;
        }
    }
    let nanos = {
        let fraction = &b[20.min(rest)..rest];
        let digits = fraction
            .iter()
            .take(9)
            .fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
        digits * 10u32.pow(9 - fraction.len().min(9) as u32)
    };
    let (second, nanos) = if second == 60 {
        (59, nanos + 1_000_000_000)
    } else {
        (second, nanos)
    };
    Some(DateTimeFields {
        year: i64::from(year),
        month,
        day,
        hour,
        minute,
        second,
        nanos,
        offset_minutes,
    })
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar: years counted from
/// March, so that the leap day ends the year, in 400-year cycles of 146,097 days.
pub(crate) const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let cycle = year.div_euclid(400);
    let year_of_cycle = year - cycle * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_cycle = year_of_cycle * 365 + year_of_cycle / 4 - year_of_cycle / 100 + day_of_year;
    // 719,468 days from 0000-03-01 to 1970-01-01.
    cycle * 146_097 + day_of_cycle - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_needs_the_canonical_shape() {
        assert!(is_uuid("3f2b8a9e-4c1d-4e8b-9a7f-1b2c3d4e5f60"));
        assert!(is_uuid("3F2B8A9E-4C1D-4E8B-9A7F-1B2C3D4E5F60"));
        assert!(!is_uuid("call-7"));
        assert!(!is_uuid("3f2b8a9e4c1d4e8b9a7f1b2c3d4e5f60"));
        assert!(!is_uuid("3f2b8a9e-4c1d-4e8b-9a7f-1b2c3d4e5f6g"));
        assert!(!is_uuid("{3f2b8a9e-4c1d-4e8b-9a7f-1b2c3d4e5f60}"));
    }

    #[test]
    fn uuid_bits_ignore_case() {
        let lower = uuid_bits("3f2b8a9e-4c1d-4e8b-9a7f-1b2c3d4e5f60");
        assert_eq!(lower, Some(0x3f2b8a9e_4c1d_4e8b_9a7f_1b2c3d4e5f60));
        assert_eq!(uuid_bits("3F2B8A9E-4C1D-4E8B-9A7F-1B2C3D4E5F60"), lower);
        assert_eq!(uuid_bits("call-7"), None);
    }

    #[test]
    fn date_time_is_strict_rfc_3339() {
        for ok in [
            "2026-09-14T09:30:00Z",
            "2026-09-14T09:30:00.123456Z",
            "2026-09-14T09:30:00+02:00",
            "2026-09-14t09:30:00z",
            "2024-02-29T00:00:00Z",
            "1998-12-31T23:59:60Z",
            "1998-12-31T15:59:60.5-08:00",
        ] {
            assert!(is_date_time(ok), "{ok} should pass");
        }
        for bad in [
            "2026-09-14 09:30:00Z",
            "2026-09-14T09:30Z",
            "2026-09-14T09:30:00",
            "2026-09-14",
            "2026-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-09-14T24:00:00Z",
            "2026-09-14T09:30:00.Z",
            "2026-09-14T09:30:00+0200",
            "2026-09-14T09:30:00+24:00",
            "2026-09-14T23:58:60Z",
            "２026-09-14T09:30:00Z",
            "",
        ] {
            assert!(!is_date_time(bad), "{bad} should fail");
        }
        let leap = parse_date_time("1998-12-31T15:59:60.5-08:00").unwrap();
        assert_eq!(leap.timestamp(), 915148799);
        let precise = parse_date_time("2026-09-14T09:30:00.123456789123+02:00").unwrap();
        assert_eq!(precise.to_rfc3339(), "2026-09-14T09:30:00.123456789+02:00");
        assert_eq!(precise.timestamp(), 1789371000);
    }

    /// The arithmetic that turns fields into an instant, against chrono's calendar, over
    /// every day of years the reports could hold and the edges of the four-digit range.
    #[test]
    fn days_from_civil_agrees_with_chrono() {
        let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let mut day = chrono::NaiveDate::from_ymd_opt(1899, 12, 25).unwrap();
        let last = chrono::NaiveDate::from_ymd_opt(2101, 3, 5).unwrap();
        let edges = [(0, 1, 1), (0, 2, 29), (1600, 2, 29), (9999, 12, 31)];
        let mut checked = 0;
        while day <= last {
            use chrono::Datelike;
            let (y, m, d) = (i64::from(day.year()), day.month(), day.day());
            let days = days_from_civil(y, i64::from(m), i64::from(d));
            assert_eq!(days, (day - epoch).num_days(), "{day}");
            day = day.succ_opt().unwrap();
            checked += 1;
        }
        assert!(checked > 70_000);
        for (y, m, d) in edges {
            let date = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(
                days_from_civil(i64::from(y), i64::from(m), i64::from(d)),
                (date - epoch).num_days()
            );
        }
        let offset = parse_date_time("0000-01-01T00:00:00+23:59").unwrap();
        assert_eq!(offset.to_rfc3339(), "0000-01-01T00:00:00+23:59");
    }

    #[test]
    fn email_is_an_addr_spec() {
        for ok in [
            "ana@example.com",
            "ana.lopez+tuple@mail.example.co",
            "\"ana lopez\"@example.com",
            "ana@[192.0.2.1]",
            "ana@[IPv6:2001:db8::1]",
            "ana@localhost",
            "a@a-b.c0",
            "!#$%&'*+-/=?^_`{|}~@x",
        ] {
            assert!(is_email(ok), "{ok} should pass");
        }
        for bad in [
            "ana",
            "ana@",
            "@example.com",
            "ana..lopez@example.com",
            ".ana@example.com",
            "ana.@example.com",
            "ana@-example.com",
            "ana@example..com",
            "ana lopez@example.com",
            "anä@example.com",
            "ana@[300.1.1.1]",
            "ana@example.com.",
            "ana@.example.com",
            "ana@a-.com",
            "ana@ex_ample.com",
            "ana.@x",
            "a(b)@x",
            ".@x",
        ] {
            assert!(!is_email(bad), "{bad} should fail");
        }
    }

    /// Found by the differential test against boon (tests/differential.rs): a local part
    /// longer than RFC 5321's 64 octets passed here, while the host was held to DNS's limits.
    #[test]
    fn email_lengths_are_those_a_mailbox_may_have() {
        let local = |n: usize| format!("{}@example.com", "a".repeat(n));
        assert!(is_email(&local(64)));
        assert!(!is_email(&local(65)));
        // 254 octets in all, with labels of at most 63.
        let host = [
            "b".repeat(63),
            "c".repeat(63),
            "d".repeat(63),
            "e".repeat(58),
        ]
        .join(".");
        assert!(is_email(&format!("ann@{host}")));
        assert!(!is_email(&format!("anne@{host}")));
    }
}
