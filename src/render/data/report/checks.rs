//! The report's appendix tables: every school under each per-school rule, with what every
//! row shares said once above the table.

use super::shape::{CheckRow, SchoolCheck};
use crate::model::Stage;
use crate::rules::{Assessment, Verdict};

/// Appendix tables: every school under each per-school rule, titled by its indicator.
pub(super) fn school_checks(a: &Assessment) -> Vec<SchoolCheck> {
    a.indicators
        .iter()
        .filter_map(|i| {
            let check = a.checks.get(i.rule.as_deref()?)?;
            if check.schools.is_empty() {
                return None;
            }
            // A remark every row repeats is said once above the table (师生比 without 教职工数).
            const FALLBACK: &str = "（未填教职工数，按专任教师数计）";
            let shared = check.schools.iter().all(|f| f.measured.contains(FALLBACK));
            let rows = check
                .schools
                .iter()
                .map(|f| {
                    let measured = if shared {
                        f.measured.replace(FALLBACK, "")
                    } else {
                        f.measured.clone()
                    };
                    // A met finding that rests on a rule's allowance says so (赣教督委字〔2018〕6号
                    // 指标12: above 2000 pupils within 120% while reducing).
                    let measured = match (&f.note, f.verdict) {
                        (Some(n), Verdict::Met) if n.starts_with(&f.measured) => n.clone(),
                        (Some(n), Verdict::Met) => format!("{measured}（{n}）"),
                        _ => measured,
                    };
                    CheckRow {
                        name: f.name.clone(),
                        stage: f.stage.map(Stage::label).unwrap_or(""),
                        measured,
                        standard: f.standard.clone(),
                        verdict: f.verdict.label(),
                        ok: f.verdict == Verdict::Met,
                    }
                })
                .collect();
            // A10 / G2 judge one of their standards on the data: say which.
            let what = if check.summary.starts_with("师生比") {
                "：师生比"
            } else {
                ""
            };
            // A column the same on every row is said once above the table; one empty on every
            // row (school-wide checks have no 学段) is left out.
            let first = &check.schools[0].standard;
            let common = check
                .schools
                .iter()
                .all(|f| &f.standard == first)
                .then(|| first.clone())
                .or_else(|| standard_by_stage(&check.schools));
            let mut rows: Vec<CheckRow> = rows;
            // Else the part every row shares is said once, each row keeping its own (A11:
            // "各 ≥ 5 间" on the row, the rooms' areas above), so the rows keep to one line.
            let part = match &common {
                Some(_) => None,
                None => shared_parts(&mut rows),
            };
            let has_stage = check.schools.iter().any(|f| f.stage.is_some());
            Some(SchoolCheck {
                title: format!("{} {}{what}", i.id, i.name),
                rows,
                own_standard: common.is_none(),
                standard: common.or(part),
                remark: shared.then(|| "各校均未填教职工数，按专任教师数计算师生比。".to_owned()),
                has_stage,
            })
        })
        .collect()
}

/// The standards of a table whose rows share one standard per stage, said once above it
/// ("小学 ≤ 19（师生比 1:19），初中 ≤ 13.5（师生比 1:13.5）"), so that the rows keep to one line
/// (issue 34 point 7); none when a stage has two.
fn standard_by_stage(schools: &[crate::rules::SchoolFinding]) -> Option<String> {
    let mut seen: Vec<(Stage, &String)> = vec![];
    for f in schools {
        let stage = f.stage?;
        match seen.iter().find(|(s, _)| *s == stage) {
            Some((_, standard)) if *standard != &f.standard => return None,
            Some(_) => {}
            None => seen.push((stage, &f.standard)),
        }
    }
    let parts: Vec<String> = seen.iter().map(|(s, t)| format!("{} {t}", s.label())).collect();
    Some(parts.join("，"))
}

/// The "，"-separated parts of the rows' standards that every row has, taken out of the rows
/// and worded for the line above the table; none when no part is shared.
fn shared_parts(rows: &mut [CheckRow]) -> Option<String> {
    let split = |s: &str| s.split('，').map(str::to_owned).collect::<Vec<String>>();
    let first = split(&rows.first()?.standard);
    let shared: Vec<String> = first
        .into_iter()
        .filter(|p| rows.iter().all(|r| split(&r.standard).contains(p)))
        .collect();
    if shared.is_empty() || rows.iter().any(|r| split(&r.standard).len() == shared.len()) {
        return None;
    }
    for r in rows.iter_mut() {
        r.standard = split(&r.standard)
            .into_iter()
            .filter(|p| !shared.contains(p))
            .collect::<Vec<_>>()
            .join("，");
    }
    Some(format!("{}（各校相同，其余见“标准”列）", shared.join("，")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(standard: &str) -> CheckRow {
        CheckRow {
            name: "校".into(),
            stage: "",
            measured: String::new(),
            standard: standard.into(),
            verdict: "达标",
            ok: true,
        }
    }

    #[test]
    fn the_part_of_a_standard_every_row_has_is_said_once() {
        // A11: the number of rooms follows each school's classes (⌈50 ÷ 12⌉ = 5,
        // ⌈36 ÷ 12⌉ = 3); the rooms' areas are the same for all.
        let mut rows = vec![
            row("各 ≥ 5 间，音乐 ≥ 96 平方米、美术 ≥ 90 平方米"),
            row("各 ≥ 3 间，音乐 ≥ 96 平方米、美术 ≥ 90 平方米"),
        ];
        assert_eq!(
            shared_parts(&mut rows).as_deref(),
            Some("音乐 ≥ 96 平方米、美术 ≥ 90 平方米（各校相同，其余见“标准”列）")
        );
        assert_eq!(
            (rows[0].standard.as_str(), rows[1].standard.as_str()),
            ("各 ≥ 5 间", "各 ≥ 3 间")
        );
        // Nothing shared, or a row that would be left empty: the rows keep their standards.
        let mut rows = vec![row("≥ 5 间"), row("≥ 3 间")];
        assert_eq!(shared_parts(&mut rows), None);
        let mut rows = vec![row("甲，乙"), row("甲")];
        assert_eq!(shared_parts(&mut rows), None);
        assert_eq!(rows[1].standard, "甲");
    }

    #[test]
    fn a_standard_shared_within_each_stage_is_said_once_above_the_table() {
        let finding = |stage: Option<Stage>, standard: &str| crate::rules::SchoolFinding {
            code: String::new(),
            name: String::new(),
            stage,
            verdict: Verdict::Met,
            standard: standard.to_owned(),
            measured: String::new(),
            note: None,
            declare: None,
        };
        let (p, j) = (Some(Stage::Primary), Some(Stage::Junior));
        // 师生比 (赣教督委字〔2018〕6号 指标10): 小学 1:19, 初中 1:13.5, in the order first met.
        let rows = [
            finding(p, "≤ 19（师生比 1:19）"),
            finding(j, "≤ 13.5（师生比 1:13.5）"),
            finding(p, "≤ 19（师生比 1:19）"),
        ];
        assert_eq!(
            standard_by_stage(&rows).as_deref(),
            Some("小学 ≤ 19（师生比 1:19），初中 ≤ 13.5（师生比 1:13.5）")
        );
        // Two standards within a stage, or a row without a stage: each row keeps its own.
        let mixed = [finding(p, "≤ 19"), finding(p, "≤ 20")];
        assert_eq!(standard_by_stage(&mixed), None);
        assert_eq!(standard_by_stage(&[finding(None, "≤ 2000 人")]), None);
    }
}
