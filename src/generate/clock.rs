//! Unix seconds to the two timestamp forms the reports use, without a date library in the
//! hot loop: `2026-09-14T09:30:00Z` (JSON) and `2026-09-14 09:30:00 UTC` (CSV).

pub(super) const MINUTE: i64 = 60;
pub(super) const HOUR: i64 = 60 * MINUTE;
pub(super) const DAY: i64 = 24 * HOUR;

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub(super) use crate::formats::days_from_civil;

/// The date of a day number: (year, month, day).
pub(super) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// 0 for Sunday … 6 for Saturday.
pub(super) fn weekday(days: i64) -> i64 {
    (days + 4).rem_euclid(7)
}

/// `YYYY-MM-DD`, `sep`, `HH:MM:SS`, as 19 ASCII bytes (years 0 to 9999).
fn stamp(seconds: i64, sep: u8) -> [u8; 19] {
    let (year, month, day) = civil_from_days(seconds.div_euclid(DAY));
    let time = seconds.rem_euclid(DAY);
    let mut out = *b"0000-00-00T00:00:00";
    let mut put = |at: usize, value: i64, width: usize| {
        let mut value = value;
        for i in (at..at + width).rev() {
            out[i] = b'0' + (value % 10) as u8;
            value /= 10;
        }
    };
    put(0, year, 4);
    put(5, month, 2);
    put(8, day, 2);
    put(11, time / HOUR, 2);
    put(14, time % HOUR / MINUTE, 2);
    put(17, time % MINUTE, 2);
    out[10] = sep;
    out
}

/// Appends the RFC 3339 form, `2026-09-14T09:30:00Z`.
pub(super) fn push_rfc3339(out: &mut String, seconds: i64) {
    push_ascii(out, &stamp(seconds, b'T'));
    out.push('Z');
}

/// Appends the form Rails writes, `2026-09-14 09:30:00 UTC`.
pub(super) fn push_rails(out: &mut String, seconds: i64) {
    push_ascii(out, &stamp(seconds, b' '));
    out.push_str(" UTC");
}

/// Appends a date as a spreadsheet in Europe shows it, `14/09/2026`: no form the CSV accepts.
pub(super) fn push_day_month_year(out: &mut String, seconds: i64) {
    let s = stamp(seconds, b' ');
    push_ascii(
        out,
        &[s[8], s[9], b'/', s[5], s[6], b'/', s[0], s[1], s[2], s[3]],
    );
}

fn push_ascii(out: &mut String, bytes: &[u8]) {
    // Only ASCII digits and separators are ever given.
    out.push_str(std::str::from_utf8(bytes).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for days in [-1, 0, 59, 10_957, 20_758, 20_759, 47_541] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        let mut s = String::new();
        push_rfc3339(
            &mut s,
            days_from_civil(2026, 11, 1) * DAY + 9 * HOUR + 30 * MINUTE + 5,
        );
        assert_eq!(s, "2026-11-01T09:30:05Z");
        s.clear();
        push_rails(&mut s, days_from_civil(2024, 2, 29) * DAY);
        assert_eq!(s, "2024-02-29 00:00:00 UTC");
        s.clear();
        push_day_month_year(&mut s, days_from_civil(2026, 9, 14) * DAY);
        assert_eq!(s, "14/09/2026");
        assert_eq!(weekday(days_from_civil(2026, 11, 1)), 0);
    }
}
