//! The six months at a glance: an SVG chart of the calls (bars) and pairing minutes (a line)
//! per week across the report's window, weeks without a call shaded, the calls before the
//! window and in the future as bars of their own at either end.
//!
//! Every text in it is a number or a date made here: no text of the report reaches the chart.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::rules::Activity;
use crate::text::plural;

const WIDTH: f64 = 800.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 64.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 48.0;

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01.
const UNIX_EPOCH_DAY: i64 = 719_163;

/// One week of the window.
#[derive(Clone, Copy, Default)]
struct Week {
    /// Its Monday, in days since 1970-01-01.
    monday: i64,
    calls: usize,
    minutes: u64,
}

fn date(day: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(day + UNIX_EPOCH_DAY).ok()?)
}

fn date_text(day: i64) -> String {
    date(day).map_or_else(|| day.to_string(), |d| d.format("%Y-%m-%d").to_string())
}

/// A round number at or above `n`: 1, 2 or 5 times a power of ten.
fn ceiling(n: f64) -> f64 {
    let n = n.max(1.0);
    let power = 10f64.powf(n.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|&c| c >= n)
        .unwrap_or(n)
}

/// `12,345`
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The chart and the words under it, as HTML.
pub(super) fn chart(activity: &Activity) -> String {
    let Some(window) = activity.window else {
        return "<p>The report has no timestamp to place its six months by.</p>\n".to_owned();
    };
    let (first_day, last_day) = (
        window.start.timestamp().div_euclid(86_400),
        window.end.timestamp().div_euclid(86_400),
    );
    // Weeks run Monday to Sunday (1970-01-01 was a Thursday).
    let first_monday = first_day - (first_day + 3).rem_euclid(7);
    let count = usize::try_from((last_day - first_monday) / 7 + 1)
        .unwrap_or(1)
        .clamp(1, 60);
    let mut weeks: Vec<Week> = (0..count)
        .map(|n| Week {
            monday: first_monday + 7 * n as i64,
            ..Week::default()
        })
        .collect();
    for day in &activity.days {
        if day.day < first_day || day.day > last_day {
            continue;
        }
        if let Some(week) = usize::try_from((day.day - first_monday) / 7)
            .ok()
            .and_then(|n| weeks.get_mut(n))
        {
            week.calls += day.calls;
            week.minutes += day.minutes;
        }
    }
    let calls_in_window: usize = weeks.iter().map(|w| w.calls).sum();
    let minutes_in_window: u64 = weeks.iter().map(|w| w.minutes).sum();
    let empty: Vec<&Week> = weeks.iter().filter(|w| w.calls == 0).collect();

    // Columns: before, a gap, the weeks, a gap, the future.
    let columns = weeks.len() + 4;
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let column = plot_width / columns as f64;
    let bar = column * 0.7;
    let x_of = |n: usize| LEFT + column * n as f64;
    let baseline = TOP + plot_height;
    let most_calls = weeks
        .iter()
        .map(|w| w.calls)
        .chain([activity.before_window, activity.in_future])
        .max()
        .unwrap_or(0);
    let calls_top = ceiling(most_calls as f64);
    let minutes_top = ceiling(weeks.iter().map(|w| w.minutes).max().unwrap_or(0) as f64);
    let y_calls = |calls: f64| baseline - plot_height * calls / calls_top;
    let y_minutes = |minutes: f64| baseline - plot_height * minutes / minutes_top;

    let calls = |n: usize| {
        format!(
            "{} {}",
            thousands(n as u64),
            if n == 1 { "call" } else { "calls" }
        )
    };
    let apart = match (activity.before_window, activity.in_future) {
        (0, 0) => "no call before the window or in the future".to_owned(),
        (before, 0) => format!("{} before the window", calls(before)),
        (0, future) => format!("{} in the future", calls(future)),
        (before, future) => format!(
            "{} before the window, {} in the future",
            calls(before),
            calls(future)
        ),
    };
    let summary = format!(
        "{} and {} pairing minutes in the {} from {} to {}; {} without a call; {apart}",
        calls(calls_in_window),
        thousands(minutes_in_window),
        plural(weeks.len(), "week", "weeks"),
        date_text(first_day),
        date_text(last_day),
        plural(empty.len(), "week", "weeks"),
    );
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"Calls and pairing minutes per week: {summary}\">\n"
    );
    // Shaded weeks without a call, under everything else.
    for week in &weeks {
        if week.calls > 0 {
            continue;
        }
        let n = 2 + ((week.monday - first_monday) / 7) as usize;
        let _ = writeln!(
            svg,
            "<rect class=\"empty\" x=\"{:.1}\" y=\"{TOP}\" width=\"{:.1}\" height=\"{plot_height}\"><title>No call in the week of {}</title></rect>",
            x_of(n),
            // A little wider than the column, so that shaded weeks side by side show no seam.
            column + 0.6,
            date_text(week.monday)
        );
    }
    // Axes and their labels.
    let _ = writeln!(
        svg,
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{baseline}\" x2=\"{:.1}\" y2=\"{baseline}\"/>",
        WIDTH - RIGHT
    );
    // A middle line only where both scales have a whole number there.
    let fractions: &[f64] = if calls_top >= 2.0 && minutes_top >= 2.0 {
        &[0.0, 0.5, 1.0]
    } else {
        &[0.0, 1.0]
    };
    for &fraction in fractions {
        let y = baseline - plot_height * fraction;
        let _ = writeln!(
            svg,
            "<line class=\"grid\" x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/>\
             <text class=\"calls-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <text class=\"minutes-label\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            thousands((calls_top * fraction) as u64),
            WIDTH - RIGHT + 6.0,
            y + 4.0,
            thousands((minutes_top * fraction) as u64),
        );
    }
    let _ = writeln!(
        svg,
        "<text class=\"calls-label\" x=\"12\" y=\"{:.1}\" transform=\"rotate(-90 12 {:.1})\" text-anchor=\"middle\">calls</text>\
         <text class=\"minutes-label\" x=\"{:.1}\" y=\"{:.1}\" transform=\"rotate(90 {:.1} {:.1})\" text-anchor=\"middle\">minutes</text>",
        TOP + plot_height / 2.0,
        TOP + plot_height / 2.0,
        WIDTH - 10.0,
        TOP + plot_height / 2.0,
        WIDTH - 10.0,
        TOP + plot_height / 2.0,
    );
    // The bars apart: before the window, and in the future.
    for (n, n_calls, label, words) in [
        (0, activity.before_window, "before", "before the window"),
        (columns - 1, activity.in_future, "future", "in the future"),
    ] {
        let x = x_of(n) + (column - bar) / 2.0;
        let y = y_calls(n_calls as f64);
        let _ = writeln!(
            svg,
            "<rect class=\"apart\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{:.1}\"><title>{} {words}</title></rect>\
             <text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{label}</text>",
            baseline - y,
            calls(n_calls),
            x + bar / 2.0,
            baseline + 16.0,
        );
    }
    // The weeks.
    let mut line = Vec::new();
    let mut last_month = None;
    for (i, week) in weeks.iter().enumerate() {
        let n = 2 + i;
        let x = x_of(n) + (column - bar) / 2.0;
        let y = y_calls(week.calls as f64);
        if week.calls > 0 {
            let _ = writeln!(
                svg,
                "<rect class=\"bar\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{:.1}\"><title>Week of {}: {}, {} minutes</title></rect>",
                baseline - y,
                date_text(week.monday),
                calls(week.calls),
                thousands(week.minutes)
            );
        }
        line.push(format!(
            "{:.1},{:.1}",
            x + bar / 2.0,
            y_minutes(week.minutes as f64)
        ));
        // A month's name under the first week that holds its first day (and the first week).
        let sunday = week.monday + 6;
        let month = date(sunday.min(last_day)).map(|d| d.format("%b %Y").to_string());
        if month != last_month {
            if let Some(name) = &month {
                let (short, year) = name.split_once(' ').unwrap_or((name, ""));
                let _ = writeln!(
                    svg,
                    "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\">{short}</text>",
                    x,
                    baseline + 16.0
                );
                if last_month.is_none() || short == "Jan" {
                    let _ = writeln!(
                        svg,
                        "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\">{year}</text>",
                        x,
                        baseline + 30.0
                    );
                }
            }
            last_month = month;
        }
    }
    let _ = writeln!(
        svg,
        "<polyline class=\"minutes\" points=\"{}\"/>",
        line.join(" ")
    );
    svg.push_str("</svg>\n");
    let _ = write!(
        svg,
        "<figcaption>Calls per week (bars, left scale) and their pairing minutes (line, right scale), \
         weeks from Monday to Sunday in UTC, from {} to {} ({}). {}.{}</figcaption>\n</figure>\n",
        date_text(first_day),
        date_text(last_day),
        if window.as_of {
            "six months to the as-of time"
        } else {
            "six months to the report's newest timestamp"
        },
        capitalised(&summary),
        if activity.undated > 0 {
            let (them, are) = if activity.undated == 1 {
                ("call", "is")
            } else {
                ("calls", "are")
            };
            format!(
                " {} {them} without a readable start {are} not shown.",
                thousands(activity.undated as u64)
            )
        } else {
            String::new()
        }
    );
    if !empty.is_empty() {
        let list: Vec<String> = empty.iter().map(|w| date_text(w.monday)).collect();
        let _ = writeln!(
            svg,
            "<p class=\"gaps\">Weeks without any call (shaded): {}.</p>",
            list.join(", ")
        );
    }
    svg
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::usage_report::activity::{DayActivity, Window};

    fn day(text: &str) -> i64 {
        let date: NaiveDate = text.parse().unwrap();
        i64::from(date.num_days_from_ce()) - UNIX_EPOCH_DAY
    }

    fn activity(days: &[(&str, usize, u64)]) -> Activity {
        Activity {
            days: days
                .iter()
                .map(|&(text, calls, minutes)| DayActivity {
                    day: day(text),
                    calls,
                    minutes,
                })
                .collect(),
            window: Some(Window {
                start: "2026-05-01T00:00:00Z".parse().unwrap(),
                end: "2026-11-01T00:00:00Z".parse().unwrap(),
                as_of: true,
            }),
            before_window: 2,
            in_future: 1,
            undated: 0,
        }
    }

    use chrono::Datelike;

    #[test]
    fn weeks_run_monday_to_sunday_and_a_week_without_calls_is_named() {
        // 2026-05-01 is a Friday: the first week is that of Monday 2026-04-27.
        let html = chart(&activity(&[
            ("2026-05-01", 2, 60),
            ("2026-05-03", 1, 30),  // Sunday: the same week
            ("2026-05-04", 4, 100), // Monday: the next
            ("2026-04-30", 9, 900), // before the window's first day: not in a week
            ("2026-11-02", 9, 900), // after its last: not in a week
        ]));
        assert!(html.contains("<title>Week of 2026-04-27: 3 calls, 90 minutes</title>"));
        assert!(html.contains("<title>Week of 2026-05-04: 4 calls, 100 minutes</title>"));
        assert!(html.contains("7 calls and 190 pairing minutes in the 27 weeks"));
        // Every other week is shaded and listed.
        assert!(html.contains("<title>No call in the week of 2026-05-11</title>"));
        assert!(html.contains("25 weeks without a call"));
        assert!(html.contains("2 calls before the window, 1 call in the future"));
        assert!(html.contains("<title>2 calls before the window</title>"));
    }

    #[test]
    fn a_report_without_a_timestamp_has_no_chart() {
        let mut nothing = activity(&[]);
        nothing.window = None;
        assert!(!chart(&nothing).contains("<svg"));
    }

    #[test]
    fn scales_end_on_round_numbers() {
        assert_eq!(ceiling(0.0), 1.0);
        assert_eq!(ceiling(3.0), 5.0);
        assert_eq!(ceiling(17.0), 20.0);
        assert_eq!(ceiling(100.0), 100.0);
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }
}
