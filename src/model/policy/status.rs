//! How far a target has come: the status rule (docs/data.md, "Status rule").
//!
//! Pure functions of the target, the evaluation date and the plan period: the model never
//! reads the clock, so the same content and date always give the same status.
//!
//! 1. Only progress entries with a valid `as_of` on or before the evaluation date count.
//!    None → 未报告. The latest is the one with the newest `as_of` (the later entry on a tie).
//! 2. Direction: `>=` goes up; `<=` goes down; `=` goes up unless the baseline is above the
//!    value. Met: up, latest ≥ value; down, latest ≤ value.
//! 3. Recurring targets (`per` starting with 每: 每年, 每学期...) are judged on the latest
//!    period alone: met → 进度正常 until the deadline year is over, 已完成 after; not met → 滞后.
//! 4. Other targets: met → 已完成. Otherwise the expected value at the evaluation date lies
//!    on the straight line from the start point to (31 Dec of the deadline year, value); at or
//!    better than it → 进度正常, worse → 滞后 (after the deadline the expected value is the
//!    value itself, so anything not met is 滞后). Start point: the baseline (31 Dec of its
//!    year, its value); else, for an upward target, 0 on 31 Dec of the year before the plan
//!    starts, or 0 at the first report when no start year is known; for a downward target
//!    without baseline, the first report. With no deadline (`by` nor the plan's end year)
//!    nothing can be late: not met → 进度正常.
//! 5. Per cent of target: up, latest ÷ value (may exceed 100); down, 100 when met, else the
//!    share of the way from the start value down to the value (0–100), or value ÷ latest
//!    when there is no start value above the value. Rounded to one decimal.

use serde::Serialize;
use time::{Date, Month};

use crate::load::front_matter::{Cmp, Progress, Target};

/// The four statuses of a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// 已完成.
    Done,
    /// 进度正常.
    OnTrack,
    /// 滞后.
    Behind,
    /// 未报告.
    Unreported,
}

impl Status {
    /// The label shown to readers.
    pub fn label(self) -> &'static str {
        match self {
            Status::Done => "已完成",
            Status::OnTrack => "进度正常",
            Status::Behind => "滞后",
            Status::Unreported => "未报告",
        }
    }

    /// The ASCII code used in open data and in `data-status` (docs/theme.md).
    pub fn code(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::OnTrack => "on-track",
            Status::Behind => "behind",
            Status::Unreported => "unreported",
        }
    }

    /// Every status, in display order.
    pub const ALL: [Status; 4] = [
        Status::Done,
        Status::OnTrack,
        Status::Behind,
        Status::Unreported,
    ];
}

/// The plan period and the evaluation date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The date progress is judged at: the configured `as_of`, or the build date.
    pub as_of: Date,
    /// First year of the plan (2021 for 2021—2025), if known.
    pub start_year: Option<i32>,
    /// Last year of the plan: the deadline of targets without `by`.
    pub end_year: Option<i32>,
}

/// The outcome of the rule for one target.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub status: Status,
    /// Index (in `target.progress`) of the latest counted entry.
    pub latest: Option<usize>,
    /// Expected value at the evaluation date, where a line could be drawn.
    pub expected: Option<f64>,
    /// Per cent of target, one decimal.
    pub percent: Option<f64>,
    pub recurring: bool,
}

/// Parses a `YYYY-MM-DD` date (a real calendar date).
pub fn parse_date(s: &str) -> Option<Date> {
    let mut parts = s.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

/// The UTC calendar date of a Unix time in seconds: for callers that take the build date
/// from the system clock.
pub fn date_from_unix(seconds: i64) -> Date {
    const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;
    let day = UNIX_EPOCH_JULIAN_DAY + seconds.div_euclid(86_400);
    Date::from_julian_day(day.clamp(i32::MIN as i64, i32::MAX as i64) as i32).unwrap_or(Date::MIN)
}

/// `YYYY-MM-DD`.
pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// The plan's first and last years from a title such as
/// `…实施方案(2021—2025年)`: the first `YYYY`, a dash (`—`, `–`, `-`, `~`, `至`), `YYYY`.
/// For callers that take the plan period from the document when `site.yaml` does not set it.
pub fn plan_years(title: &str) -> Option<(i32, i32)> {
    let chars: Vec<char> = title.chars().collect();
    let year_at = |i: usize| -> Option<i32> {
        let digits: String = chars.get(i..i + 4)?.iter().collect();
        let before = i
            .checked_sub(1)
            .and_then(|j| chars.get(j))
            .is_some_and(|c| c.is_ascii_digit());
        let after = chars.get(i + 4).is_some_and(|c| c.is_ascii_digit());
        (digits.chars().all(|c| c.is_ascii_digit()) && !before && !after)
            .then(|| digits.parse().ok())?
    };
    for i in 0..chars.len() {
        let Some(start) = year_at(i) else { continue };
        let mut j = i + 4;
        let dashes = ['—', '–', '-', '~', '～', '至'];
        let mut saw_dash = false;
        while chars.get(j).is_some_and(|c| dashes.contains(c)) {
            saw_dash = true;
            j += 1;
        }
        if let (true, Some(end)) = (saw_dash, year_at(j))
            && end >= start
        {
            return Some((start, end));
        }
    }
    None
}

fn year_end(year: i32) -> Option<Date> {
    Date::from_calendar_date(year, Month::December, 31).ok()
}

/// True for a recurring period (每年, 每学期, 每季度...), false for a span (十四五期间).
pub fn is_recurring(per: Option<&str>) -> bool {
    per.is_some_and(|p| p.trim_start().starts_with('每'))
}

/// The counted progress entries (valid date, not after `as_of`) as (index, date).
fn counted(progress: &[Progress], as_of: Date) -> Vec<(usize, Date)> {
    progress
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((i, parse_date(p.as_of.as_deref()?)?)))
        .filter(|(_, d)| *d <= as_of)
        .collect()
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Applies the status rule (module doc) to one target.
pub fn assess(target: &Target, period: &Period) -> Assessment {
    let recurring = is_recurring(target.per.as_deref());
    let entries = counted(&target.progress, period.as_of);
    let Some(&(latest_idx, _)) = entries.iter().max_by_key(|(i, d)| (*d, *i)) else {
        return Assessment {
            status: Status::Unreported,
            latest: None,
            expected: None,
            percent: None,
            recurring,
        };
    };
    let first = entries.iter().min_by_key(|(i, d)| (*d, *i)).copied();
    let latest = target.progress[latest_idx].value;
    let goal = target.value;
    let down = match target.cmp {
        Cmp::AtLeast => false,
        Cmp::AtMost => true,
        Cmp::Equal => target.baseline.as_ref().is_some_and(|b| b.value > goal),
    };
    let eps = 1e-9 * goal.abs().max(1.0);
    let met = if down {
        latest <= goal + eps
    } else {
        latest >= goal - eps
    };
    let deadline = target.by.or(period.end_year).and_then(year_end);

    // Start point of the line.
    let start: Option<(Date, f64)> = match (&target.baseline, down) {
        (Some(b), _) => year_end(b.year).map(|d| (d, b.value)),
        (None, false) => match period.start_year.and_then(|y| year_end(y - 1)) {
            Some(d) => Some((d, 0.0)),
            None => first.map(|(_, d)| (d, 0.0)),
        },
        (None, true) => first.map(|(i, d)| (d, target.progress[i].value)),
    };

    let expected = match (start, deadline) {
        (Some((s, from)), Some(t)) if !recurring => {
            let span = (t.to_julian_day() - s.to_julian_day()) as f64;
            let gone = (period.as_of.to_julian_day() - s.to_julian_day()) as f64;
            let frac = if span <= 0.0 {
                1.0
            } else {
                (gone / span).clamp(0.0, 1.0)
            };
            Some(from + (goal - from) * frac)
        }
        _ => None,
    };

    let status = if recurring {
        match (met, deadline) {
            (true, Some(t)) if period.as_of > t => Status::Done,
            (true, _) => Status::OnTrack,
            (false, _) => Status::Behind,
        }
    } else if met {
        Status::Done
    } else {
        match expected {
            Some(e) => {
                let on_line = if down {
                    latest <= e + eps
                } else {
                    latest >= e - eps
                };
                if on_line {
                    Status::OnTrack
                } else {
                    Status::Behind
                }
            }
            None if deadline.is_some_and(|t| period.as_of > t) => Status::Behind,
            None => Status::OnTrack,
        }
    };

    let percent = if !down {
        if goal.abs() > f64::EPSILON {
            Some(latest / goal * 100.0)
        } else {
            Some(if met { 100.0 } else { 0.0 })
        }
    } else if met {
        Some(100.0)
    } else {
        match start.map(|(_, v)| v) {
            Some(from) if from > goal + eps => {
                Some(((from - latest) / (from - goal) * 100.0).clamp(0.0, 100.0))
            }
            _ if latest > 0.0 => Some((goal / latest * 100.0).clamp(0.0, 100.0)),
            _ => Some(0.0),
        }
    }
    .map(round1);

    Assessment {
        status,
        latest: Some(latest_idx),
        expected: expected.map(|e| (e * 1e6).round() / 1e6),
        percent,
        recurring,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::front_matter::Baseline;

    fn date(s: &str) -> Date {
        parse_date(s).expect("test date")
    }

    fn target(
        value: f64,
        cmp: Cmp,
        by: Option<i32>,
        baseline: Option<(f64, i32)>,
        progress: &[(f64, &str)],
    ) -> Target {
        Target {
            id: "t".into(),
            label: "t".into(),
            value,
            unit: None,
            by,
            cmp,
            per: None,
            baseline: baseline.map(|(value, year)| Baseline { value, year }),
            progress: progress
                .iter()
                .map(|(v, d)| Progress {
                    value: *v,
                    as_of: Some(d.to_string()),
                    source: None,
                })
                .collect(),
            key: false,
        }
    }

    fn period(as_of: &str) -> Period {
        Period {
            as_of: date(as_of),
            start_year: Some(2021),
            end_year: Some(2025),
        }
    }

    // Baseline 10 at the end of 2020, 30 by the end of 2022: two plain years of 365 days,
    // so on 2021-12-31 the line is exactly half way, at 20.
    fn halfway(latest: f64) -> Assessment {
        let t = target(
            30.0,
            Cmp::AtLeast,
            Some(2022),
            Some((10.0, 2020)),
            &[(latest, "2021-12-31")],
        );
        assess(&t, &period("2021-12-31"))
    }

    #[test]
    fn exactly_on_the_line_is_on_track() {
        let a = halfway(20.0);
        assert_eq!(a.expected, Some(20.0));
        assert_eq!(a.status, Status::OnTrack);
        assert_eq!(a.percent, Some(66.7));
    }

    #[test]
    fn just_below_the_line_is_behind() {
        assert_eq!(halfway(19.99).status, Status::Behind);
        assert_eq!(halfway(20.01).status, Status::OnTrack);
    }

    #[test]
    fn reaching_the_value_is_done_even_early() {
        let a = halfway(30.0);
        assert_eq!(a.status, Status::Done);
        assert_eq!(a.percent, Some(100.0));
        assert_eq!(halfway(36.0).percent, Some(120.0));
    }

    #[test]
    fn no_progress_is_unreported() {
        let t = target(25.0, Cmp::AtLeast, Some(2025), None, &[]);
        let a = assess(&t, &period("2024-06-30"));
        assert_eq!(
            (a.status, a.latest, a.percent),
            (Status::Unreported, None, None)
        );
        // An entry without a date, or dated after the evaluation date, does not count.
        let mut t = target(
            25.0,
            Cmp::AtLeast,
            Some(2025),
            None,
            &[(30.0, "2025-03-01")],
        );
        t.progress.push(Progress {
            value: 30.0,
            as_of: None,
            source: None,
        });
        assert_eq!(assess(&t, &period("2024-06-30")).status, Status::Unreported);
    }

    #[test]
    fn after_the_deadline_anything_short_is_behind() {
        let t = target(
            25.0,
            Cmp::AtLeast,
            Some(2023),
            None,
            &[(24.0, "2023-12-31")],
        );
        let a = assess(&t, &period("2024-01-01"));
        assert_eq!(a.expected, Some(25.0));
        assert_eq!(a.status, Status::Behind);
        let t = target(
            25.0,
            Cmp::AtLeast,
            Some(2023),
            None,
            &[(25.0, "2023-12-31")],
        );
        assert_eq!(assess(&t, &period("2024-01-01")).status, Status::Done);
    }

    #[test]
    fn without_baseline_the_line_starts_at_zero_when_the_plan_starts() {
        // 2021-01-01 .. 2025-12-31 from 0 to 25; 2023-07-02 is day 913 of 1826: half way.
        let t = target(
            25.0,
            Cmp::AtLeast,
            Some(2025),
            None,
            &[(12.5, "2023-07-02")],
        );
        let a = assess(&t, &period("2023-07-02"));
        assert_eq!(a.expected, Some(12.5));
        assert_eq!(a.status, Status::OnTrack);
        let t = target(
            25.0,
            Cmp::AtLeast,
            Some(2025),
            None,
            &[(12.4, "2023-07-02")],
        );
        assert_eq!(assess(&t, &period("2023-07-02")).status, Status::Behind);
        // With no plan start either, the line starts at 0 at the first report.
        let p = Period {
            start_year: None,
            ..period("2023-07-02")
        };
        let t = target(25.0, Cmp::AtLeast, Some(2025), None, &[(1.0, "2023-07-02")]);
        assert_eq!(assess(&t, &p).status, Status::OnTrack);
    }

    #[test]
    fn deadline_defaults_to_the_end_of_the_plan() {
        let t = target(25.0, Cmp::AtLeast, None, None, &[(12.5, "2023-07-02")]);
        assert_eq!(assess(&t, &period("2023-07-02")).expected, Some(12.5));
        let p = Period {
            end_year: None,
            ..period("2030-01-01")
        };
        assert_eq!(assess(&t, &p).status, Status::OnTrack);
    }

    #[test]
    fn at_most_targets_go_down() {
        // From 8 (end of 2020) down to at most 4 by the end of 2022: 6 expected at 2021-12-31.
        let t = |latest: f64| {
            target(
                4.0,
                Cmp::AtMost,
                Some(2022),
                Some((8.0, 2020)),
                &[(latest, "2021-12-31")],
            )
        };
        let on = assess(&t(6.0), &period("2021-12-31"));
        assert_eq!(
            (on.status, on.expected, on.percent),
            (Status::OnTrack, Some(6.0), Some(50.0))
        );
        assert_eq!(
            assess(&t(6.1), &period("2021-12-31")).status,
            Status::Behind
        );
        let done = assess(&t(3.5), &period("2021-12-31"));
        assert_eq!((done.status, done.percent), (Status::Done, Some(100.0)));
        assert_eq!(assess(&t(9.0), &period("2021-12-31")).percent, Some(0.0));
        // Without baseline the first report is the start.
        let t = target(
            4.0,
            Cmp::AtMost,
            Some(2022),
            None,
            &[(8.0, "2020-12-31"), (5.0, "2021-12-31")],
        );
        let a = assess(&t, &period("2021-12-31"));
        assert_eq!(
            (a.status, a.expected, a.percent),
            (Status::OnTrack, Some(6.0), Some(75.0))
        );
    }

    #[test]
    fn equal_targets_follow_the_baseline_direction() {
        let t = target(
            4.0,
            Cmp::Equal,
            Some(2022),
            Some((8.0, 2020)),
            &[(4.0, "2021-12-31")],
        );
        assert_eq!(assess(&t, &period("2021-12-31")).status, Status::Done);
        let t = target(
            14.0,
            Cmp::Equal,
            Some(2025),
            Some((10.0, 2020)),
            &[(14.0, "2024-12-31")],
        );
        assert_eq!(assess(&t, &period("2024-12-31")).status, Status::Done);
    }

    #[test]
    fn recurring_targets_are_judged_on_the_latest_period() {
        let mut t = target(
            2.0,
            Cmp::AtLeast,
            Some(2025),
            None,
            &[(3.0, "2022-07-01"), (1.0, "2023-01-15")],
        );
        t.per = Some("每学期".into());
        let a = assess(&t, &period("2023-06-30"));
        assert!(a.recurring);
        assert_eq!(
            (a.status, a.latest, a.expected, a.percent),
            (Status::Behind, Some(1), None, Some(50.0))
        );
        t.progress[1].value = 2.0;
        assert_eq!(assess(&t, &period("2023-06-30")).status, Status::OnTrack);
        assert_eq!(assess(&t, &period("2026-01-01")).status, Status::Done);
        // A span is not recurring.
        t.per = Some("十四五期间".into());
        assert!(!assess(&t, &period("2023-06-30")).recurring);
    }

    #[test]
    fn latest_is_by_date_not_by_position() {
        let t = target(
            25.0,
            Cmp::AtLeast,
            Some(2025),
            None,
            &[(20.0, "2023-12-31"), (10.0, "2022-12-31")],
        );
        assert_eq!(assess(&t, &period("2024-01-01")).latest, Some(0));
    }

    #[test]
    fn plan_years_from_titles() {
        assert_eq!(
            plan_years("鄂尔多斯市全民科学素质行动规划纲要实施方案(2021—2025年)"),
            Some((2021, 2025))
        );
        assert_eq!(plan_years("规划纲要（2021——2035年）"), Some((2021, 2035)));
        assert_eq!(plan_years("2021-2025"), Some((2021, 2025)));
        assert_eq!(plan_years("鄂府发〔2022〕158号"), None);
        assert_eq!(plan_years("12021-20255"), None);
        assert_eq!(plan_years("2025—2021"), None);
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2023-12-31").map(format_date).as_deref(),
            Some("2023-12-31")
        );
        assert_eq!(parse_date("2023-02-30"), None);
        assert_eq!(parse_date("2023-1-5"), None);
        assert_eq!(parse_date("昨天"), None);
        assert_eq!(format_date(date_from_unix(0)), "1970-01-01");
        assert_eq!(format_date(date_from_unix(1_703_980_800)), "2023-12-31");
        assert_eq!(format_date(date_from_unix(-1)), "1969-12-31");
    }
}
