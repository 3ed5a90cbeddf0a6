//! The rule engine: pure functions over the typed model. No I/O.

pub mod assess;
pub mod assessment;
pub mod checks;
pub mod coefficient;
pub mod county;
pub mod crosswalk;
pub mod cv_remedy;
pub mod evidence;
pub mod evidence_report;
pub mod gaps;
pub mod gov;
pub mod overall;
pub mod resource;
pub mod scoring;
pub mod split;
pub mod summary;
pub mod tasks;
pub mod transfers;

pub use assess::{assess, prepared_schools};
pub use assessment::Assessment;

use serde::Serialize;

use crate::model::Stage;
pub use crate::model::Verdict;

/// Relative tolerance for comparing computed values with standards: a value exactly at the
/// standard (21 teachers for 500 pupils against 4.2) meets it despite binary rounding.
const EPS: f64 = 1e-9;

/// `value ≥ standard`, tolerant of floating-point rounding.
pub fn at_least(value: f64, standard: f64) -> bool {
    value >= standard || (standard - value) <= EPS * standard.abs().max(1.0)
}

/// `value ≤ limit`, tolerant of floating-point rounding.
pub fn at_most(value: f64, limit: f64) -> bool {
    value <= limit || (value - limit) <= EPS * limit.abs().max(1.0)
}

/// The outcome of one rule: verdict, a one-line summary and the reasons behind it.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub verdict: Verdict,
    pub summary: String,
    pub reasons: Vec<String>,
    /// Per-school findings, every school evaluated (for the per-school forms).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub schools: Vec<SchoolFinding>,
}

impl Check {
    pub fn new(verdict: Verdict, summary: impl Into<String>) -> Check {
        Check {
            verdict,
            summary: summary.into(),
            reasons: vec![],
            schools: vec![],
        }
    }

    pub fn pending(summary: impl Into<String>) -> Check {
        Check::new(Verdict::Pending, summary)
    }
}

/// One school's (or section's) result under a rule.
#[derive(Debug, Clone, Serialize)]
pub struct SchoolFinding {
    pub code: String,
    pub name: String,
    pub stage: Option<Stage>,
    pub verdict: Verdict,
    /// The standard as people read it, e.g. "≤ 45 人".
    pub standard: String,
    /// The measured figures, e.g. "最大班额 52 人".
    pub measured: String,
    /// A caveat on a met result (e.g. a school above size allowed while reducing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// What the data cannot show and a met result rests on, e.g. "逐步降低校额": the
    /// indicator stays pending until the county declares it in content/scores.yaml.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declare: Option<String>,
}

/// Folds per-school findings into a check: worst verdict, reasons for the non-met ones.
pub fn fold(findings: Vec<SchoolFinding>, what: &str) -> Check {
    let total = findings.len();
    let met = findings.iter().filter(|f| f.verdict == Verdict::Met).count();
    // No applicable school is no evidence of compliance: pending, unless the caller knows
    // the county declared it has none (`declared_none`).
    let verdict = findings.iter().map(|f| f.verdict).max().unwrap_or(Verdict::Pending);
    let stage = |f: &SchoolFinding| f.stage.map(|s| format!("（{}）", s.label())).unwrap_or_default();
    let mut reasons: Vec<String> = findings
        .iter()
        .filter(|f| f.verdict != Verdict::Met)
        .map(|f| {
            format!(
                "{}{}：{}，标准 {}（{}）",
                f.name,
                stage(f),
                f.measured,
                f.standard,
                f.verdict.label()
            )
        })
        .collect();
    reasons.extend(
        findings
            .iter()
            .filter_map(|f| f.note.as_ref().map(|n| format!("注：{}{}：{n}", f.name, stage(f)))),
    );
    let counted = if findings.iter().any(|f| f.stage.is_some()) {
        "个学校学段"
    } else {
        "所学校"
    };
    let summary = if total == 0 {
        format!("{what}：无适用学校")
    } else {
        format!("{what}：{total} {counted}中 {met} 个达标")
    };
    Check {
        verdict,
        summary,
        reasons,
        schools: findings,
    }
}

/// Serializes a count held as `f64` as an integer when it is whole (pupils, classes, teachers),
/// so JSON and narrative text read "15313", not "15313.0".
pub fn whole<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

/// Two decimals, as values are quoted in reports.
pub fn fmt2(v: f64) -> String {
    format!("{v:.2}")
}

/// `v` to `digits` decimals, or with as many more as it takes for a failing value not to read
/// as its bound: a CV of 0.50028 against ≤ 0.50 prints "0.5003", not "0.500"; 4.1996 against
/// ≥ 4.2 prints "4.1996", not "4.20". A passing value prints to `digits`.
pub fn fmt_beside(v: f64, digits: usize, bound: f64, fails: bool) -> String {
    let mut d = digits;
    loop {
        let s = format!("{v:.d$}");
        let shown: f64 = s.parse().unwrap_or(v);
        // Shown on the same side of the bound as the value itself, and not equal to it.
        if !fails || d >= 12 || (shown != bound && (shown > bound) == (v > bound)) {
            return s;
        }
        d += 1;
    }
}

/// `fmt_num(v)` for a figure that fails its bound, with more decimals when it would otherwise
/// read as the bound or beyond it: 84.99999% against ≥ 85% prints "84.99999", not "85".
pub fn fmt_num_beside(v: f64, bound: f64) -> String {
    let plain = fmt_num(v);
    let reads: f64 = plain.parse().unwrap_or(v);
    if reads != bound && (reads > bound) == (v > bound) {
        return plain;
    }
    let s = fmt_beside(v, 4, bound, true);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// A plain number without trailing zeros (counts, standards).
pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_figure_never_prints_as_its_bound() {
        // 0.50028 > 0.50 fails; to 3 decimals it reads "0.500", so a fourth is added.
        assert_eq!(fmt_beside(0.50028, 3, 0.50, true), "0.5003");
        assert_eq!(fmt_beside(0.50028, 3, 0.50, false), "0.500");
        // 4.1996 < 4.2 fails; "4.20" would read as met.
        assert_eq!(fmt_beside(4.1996, 2, 4.2, true), "4.1996");
        // 1999.6 元 < 2000: "2000" at 0 decimals, "1999.6" with one.
        assert_eq!(fmt_beside(1999.6, 0, 2000.0, true), "1999.6");
        assert_eq!(fmt_beside(0.512, 3, 0.50, true), "0.512");
        // 84.99999 < 85 reads "85" to 4 decimals; 84.9 stays as it is.
        assert_eq!(fmt_num_beside(84.99999, 85.0), "84.99999");
        assert_eq!(fmt_num_beside(84.9, 85.0), "84.9");
        // 0.150001 > 0.15 in a "below" rule reads "0.15"; 0.2 plain.
        assert_eq!(fmt_num_beside(0.150001, 0.15), "0.150001");
    }

    #[test]
    fn exactly_at_the_standard_meets_it() {
        // 21 teachers for 500 pupils: 21 / 500 × 100 = 4.2, the primary standard.
        let v = 21.0 / 500.0 * 100.0;
        assert!(at_least(v, 4.2));
        // 20.99 / 500 × 100 = 4.198 < 4.2
        assert!(!at_least(20.99 / 500.0 * 100.0, 4.2));
        // 0.1 + 0.2 = 0.30000000000000004 is at most 0.3
        assert!(at_most(0.1 + 0.2, 0.3));
        assert!(!at_most(0.301, 0.3));
    }
}
