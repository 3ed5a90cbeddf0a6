//! Calendar dates without a time zone; parsed from the forms people type.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// The date used when the workspace gives none (its config is unreadable).
    pub const FALLBACK: Date = Date {
        year: 2026,
        month: 1,
        day: 1,
    };

    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        ((1900..=2200).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Date { year, month, day })
    }

    /// Accepts `2026-11-03`, `2026/11/3`, `2026.11.3`, `2026年11月3日` and `20261103`.
    pub fn parse(s: &str) -> Option<Date> {
        let s = super::normalize_text(s);
        let s = s.trim();
        if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
            return Date::new(s[0..4].parse().ok()?, s[4..6].parse().ok()?, s[6..8].parse().ok()?);
        }
        let parts: Vec<&str> = s
            .split(['-', '/', '.', '年', '月', '日'])
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() != 3 || s.ends_with(['-', '/', '.']) {
            return None;
        }
        Date::new(parts[0].parse().ok()?, parts[1].parse().ok()?, parts[2].parse().ok()?)
    }

    /// Why `s` is not a date, in the words a user reads: a day the month does not have, a
    /// month past 12, or a form not understood.
    pub fn why_not(s: &str) -> String {
        let norm = super::normalize_text(s);
        let parts: Vec<i64> = norm
            .trim()
            .split(['-', '/', '.', '年', '月', '日'])
            .filter(|p| !p.is_empty())
            .map_while(|p| p.parse().ok())
            .collect();
        let because = match parts[..] {
            [_, m, _] if !(1..=12).contains(&m) => format!("没有 {m} 月"),
            [y, m, d] if (1900..=2200).contains(&y) && (d < 1 || d > days_in_month(y as i32, m as u32) as i64) => {
                format!("{y} 年 {m} 月只有 {} 天", days_in_month(y as i32, m as u32))
            }
            [y, _, _] if !(1900..=2200).contains(&y) => format!("年份 {y} 不在 1900–2200 之间"),
            _ => return format!("日期“{s}”无法识别，请写成 2026-11-03 或 2026年11月3日"),
        };
        format!("日期“{s}”不存在：{because}")
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    pub fn days(self) -> i64 {
        let (y, m, d) = (self.year as i64, self.month as i64, self.day as i64);
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }

    pub fn from_days(z: i64) -> Date {
        let z = z + 719468;
        let era = z.div_euclid(146097);
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = (yoe + era * 400 + if m <= 2 { 1 } else { 0 }) as i32;
        Date {
            year: y,
            month: m,
            day: d,
        }
    }

    /// Excel serial date (1900 system; serial 25569 is 1970-01-01).
    pub fn from_excel_serial(serial: f64) -> Option<Date> {
        if !(1.0..2_958_466.0).contains(&serial) {
            return None;
        }
        let d = Date::from_days(serial.floor() as i64 - 25569);
        Date::new(d.year, d.month, d.day)
    }

    /// DA/T 22-2015 form: YYYYMMDD.
    pub fn compact(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).ok_or_else(|| serde::de::Error::custom(Date::why_not(&s)))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn impossible_dates_say_why() {
        use super::Date;
        assert_eq!(
            Date::why_not("2026-11-31"),
            "日期“2026-11-31”不存在：2026 年 11 月只有 30 天"
        );
        // 2026 is not a leap year: February has 28 days.
        assert_eq!(
            Date::why_not("2026-02-29"),
            "日期“2026-02-29”不存在：2026 年 2 月只有 28 天"
        );
        assert_eq!(Date::why_not("2026-13-01"), "日期“2026-13-01”不存在：没有 13 月");
        assert!(Date::why_not("下周一").contains("无法识别"));
    }

    use super::*;

    #[test]
    fn parses_common_forms() {
        let d = Date::new(2026, 11, 3).unwrap();
        for s in [
            "2026-11-03",
            "2026/11/3",
            "2026年11月3日",
            "20261103",
            "２０２６-１１-０３",
        ] {
            assert_eq!(Date::parse(s), Some(d), "{s}");
        }
        assert_eq!(Date::parse("2026-02-30"), None);
        assert_eq!(Date::parse("2026-11"), None);
    }

    #[test]
    fn excel_serial() {
        // 46329 = 2026-11-03: 46329 - 25569 = 20760 days after 1970-01-01.
        assert_eq!(Date::from_excel_serial(46329.0), Date::new(2026, 11, 3));
        assert_eq!(Date::new(2026, 11, 3).unwrap().days(), 20760);
    }
}
