//! county.yaml: the counts behind the rates (申报表 表Ⅳ、表Ⅴ、表Ⅵ). A complete set of counts
//! gives its rate; a rate entered alone stays accepted; both entered must agree at the form's
//! rounding (ratios to 1 decimal, 校际差异率 to 2), or the rate's line is an error naming both.

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::CountyConfig;
use crate::model::form_inputs::ratio;

use super::yaml::YamlFile;

/// Where a key is, or the nearest of its parents that can be found (a flow mapping
/// `{places: 1, total: 2}` has its keys on the parent's line).
fn locate(file: &YamlFile, path: &[&str]) -> Location {
    (1..=path.len())
        .rev()
        .map(|n| file.locate_key(&path[..n]))
        .find(|l| matches!(l, Location::Line { .. }))
        .unwrap_or_else(|| Location::file(&file.rel))
}

/// The form's ratio rounding: one decimal.
fn shown(v: f64) -> String {
    format!("{v:.1}")
}

/// A rate and the counts behind it: `part ÷ whole`.
struct Counted<'a> {
    /// The rate's key and what it is called.
    rate: &'static [&'static str],
    what: &'a str,
    /// Each count: its key, its name and its value.
    counts: Vec<(&'a [&'a str], &'a str, Option<f64>)>,
    /// The counts' rate (%), when all are there; how it is computed, with the figures.
    derive: fn(&[f64]) -> Option<(f64, String)>,
    /// Pairs (smaller, larger) of count indices: the first cannot exceed the second.
    within: &'a [(usize, usize)],
}

fn n(v: f64) -> String {
    crate::rules::fmt_num(v)
}

/// Derives every rate it can from its counts and fills it in `c`; reports counts that are
/// incomplete or inconsistent and rates that disagree with their counts.
pub fn derive(c: &mut CountyConfig, file: &YamlFile, diags: &mut Diagnostics) {
    let derived: Vec<(&[&str], f64)> = counted(c)
        .iter()
        .filter_map(|item| check(item, rate_of(c, item.rate), file, diags).map(|v| (item.rate, v)))
        .collect();
    for (rate, v) in derived {
        set_rate(c, rate, v);
    }
    check_within(c, file, diags);
    quality(c, file, diags);
    economy(c, file, diags);
}

/// Every rate with its counts (a table).
fn counted(c: &CountyConfig) -> Vec<Counted<'_>> {
    let t = &c.teachers;
    let e = &c.enrolment;
    let s = &c.survey.all;
    vec![
        Counted {
            rate: &["teachers", "training_360_rate"],
            what: "5年360学时培训完成率",
            counts: vec![
                (
                    &["teachers", "training_360_completed"],
                    "已完成人数",
                    t.training_360_completed,
                ),
                (
                    &["teachers", "training_360_required"],
                    "应参训人数",
                    t.training_360_required,
                ),
            ],
            derive: |v| Some((ratio(v[0], v[1])?, format!("{} ÷ {}", n(v[0]), n(v[1])))),
            within: &[(0, 1)],
        },
        Counted {
            rate: &["enrolment", "quota_allocation"],
            what: "优质高中招生名额分配比例",
            counts: vec![
                (&["enrolment", "quota", "places"], "分配名额", e.quota.places),
                (&["enrolment", "quota", "total"], "招生总数", e.quota.total),
            ],
            derive: |v| Some((ratio(v[0], v[1])?, format!("{} ÷ {}", n(v[0]), n(v[1])))),
            within: &[(0, 1)],
        },
        Counted {
            rate: &["enrolment", "migrant_children"],
            what: "随迁子女在公办学校和政府购买服务学校就读比例",
            counts: vec![
                (
                    &["enrolment", "migrant", "public"],
                    "公办及购买服务学校就读人数",
                    e.migrant.public,
                ),
                (&["enrolment", "migrant", "total"], "随迁子女总数", e.migrant.total),
            ],
            derive: |v| Some((ratio(v[0], v[1])?, format!("{} ÷ {}", n(v[0]), n(v[1])))),
            within: &[(0, 1)],
        },
        Counted {
            rate: &["enrolment", "junior_retention"],
            what: "初中三年巩固率",
            counts: vec![
                (
                    &["enrolment", "cohort", "graduates"],
                    "毕业班学生数",
                    e.cohort.graduates,
                ),
                (&["enrolment", "cohort", "entrants"], "三年前入学数", e.cohort.entrants),
                (
                    &["enrolment", "cohort", "transferred_in"],
                    "转入人数",
                    e.cohort.transferred_in,
                ),
                (
                    &["enrolment", "cohort", "transferred_out"],
                    "转出人数",
                    e.cohort.transferred_out,
                ),
                (&["enrolment", "cohort", "deaths"], "死亡人数", e.cohort.deaths),
            ],
            // DOMAIN §2.4: (毕业 − 转入 + 转出) ÷ (三年前入学 − 死亡).
            derive: |v| {
                let r = ratio(v[0] - v[2] + v[3], v[1] - v[4])?;
                let how = format!(
                    "({} − {} + {}) ÷ ({} − {})",
                    n(v[0]),
                    n(v[2]),
                    n(v[3]),
                    n(v[1]),
                    n(v[4])
                );
                Some((r, how))
            },
            within: &[(4, 1), (2, 0)],
        },
        Counted {
            rate: &["enrolment", "disabled_enrolment"],
            what: "残疾儿童少年入学率",
            counts: vec![
                (&["enrolment", "disabled", "enrolled"], "入学人数", e.disabled.enrolled),
                (
                    &["enrolment", "disabled", "total"],
                    "残疾儿童少年总数",
                    e.disabled.total,
                ),
            ],
            derive: |v| Some((ratio(v[0], v[1])?, format!("{} ÷ {}", n(v[0]), n(v[1])))),
            within: &[(0, 1)],
        },
        Counted {
            rate: &["recognition"],
            what: "社会认可度（问卷综合满意度）",
            counts: vec![
                (&["survey", "all", "satisfied"], "满意问卷数", s.satisfied),
                (&["survey", "all", "valid"], "回收有效问卷数", s.valid),
            ],
            derive: |v| Some((ratio(v[0], v[1])?, format!("{} ÷ {}", n(v[0]), n(v[1])))),
            within: &[(0, 1)],
        },
    ]
}

/// 表Ⅰ: no figure negative; population in 万人 (a county of 5000 万 is a figure in 人).
fn economy(c: &CountyConfig, file: &YamlFile, diags: &mut Diagnostics) {
    let e = &c.economy;
    let figures = [
        ("population", e.population),
        ("agricultural_population", e.agricultural_population),
        ("towns", e.towns),
        ("villages", e.villages),
        ("gdp_per_capita", e.gdp_per_capita),
        ("fiscal_revenue_per_capita", e.fiscal_revenue_per_capita),
        ("rural_income", e.rural_income),
        ("urban_income", e.urban_income),
    ];
    for (key, v) in figures {
        if v.is_some_and(|v| v < 0.0) {
            diags.push(
                Diagnostic::error(
                    "negative-value",
                    locate(file, &["economy", key]),
                    format!("economy.{key} 不能为负数"),
                )
                .with_hint("请填写实际数值"),
            );
        }
    }
    for (key, v) in figures.iter().take(2) {
        if v.is_some_and(|v| v > 5000.0) {
            diags.push(
                Diagnostic::warning(
                    "population-unit",
                    locate(file, &["economy", key]),
                    format!("economy.{key} = {} 万人，看起来是按“人”填写的", n(v.unwrap_or(0.0))),
                )
                .with_hint("人口按万人填写，保留两位小数，例如 52.36"),
            );
        }
    }
    if let (Some(a), Some(p)) = (e.agricultural_population, e.population)
        && a > p
    {
        diags.push(
            Diagnostic::error(
                "counts-inconsistent",
                locate(file, &["economy", "agricultural_population"]),
                format!("农业人口数 {} 万人大于人口总数 {} 万人", n(a), n(p)),
            )
            .with_hint("economy.agricultural_population 是 economy.population 中的一部分，请核对"),
        );
    }
}

fn rate_of(c: &CountyConfig, path: &[&str]) -> Option<f64> {
    match path {
        ["teachers", "training_360_rate"] => c.teachers.training_360_rate,
        ["enrolment", "quota_allocation"] => c.enrolment.quota_allocation,
        ["enrolment", "migrant_children"] => c.enrolment.migrant_children,
        ["enrolment", "junior_retention"] => c.enrolment.junior_retention,
        ["enrolment", "disabled_enrolment"] => c.enrolment.disabled_enrolment,
        _ => c.recognition,
    }
}

fn set_rate(c: &mut CountyConfig, path: &[&str], v: f64) {
    let slot = match path {
        ["teachers", "training_360_rate"] => &mut c.teachers.training_360_rate,
        ["enrolment", "quota_allocation"] => &mut c.enrolment.quota_allocation,
        ["enrolment", "migrant_children"] => &mut c.enrolment.migrant_children,
        ["enrolment", "junior_retention"] => &mut c.enrolment.junior_retention,
        ["enrolment", "disabled_enrolment"] => &mut c.enrolment.disabled_enrolment,
        _ => &mut c.recognition,
    };
    slot.get_or_insert(v);
}

/// The rate the counts give when it is to be filled in (the rate was not entered).
fn check(item: &Counted, rate: Option<f64>, file: &YamlFile, diags: &mut Diagnostics) -> Option<f64> {
    let given: Vec<f64> = item.counts.iter().filter_map(|(_, _, v)| *v).collect();
    if given.is_empty() {
        return None;
    }
    let key = |p: &[&str]| p.join(".");
    if given.len() < item.counts.len() {
        let (first, _, _) = item.counts.iter().find(|(_, _, v)| v.is_some())?;
        let missing: Vec<String> = item
            .counts
            .iter()
            .filter(|(_, _, v)| v.is_none())
            .map(|(p, name, _)| format!("{}（{name}）", key(p)))
            .collect();
        diags.push(
            Diagnostic::warning(
                "counts-incomplete",
                locate(file, first),
                format!("{}的人数不全，缺 {}，不能由人数计算比例", item.what, missing.join("、")),
            )
            .with_hint("补齐各项人数（没有的填 0），或删去人数只填比例"),
        );
        return None;
    }
    let mut bad = false;
    for (p, name, v) in &item.counts {
        if v.is_some_and(|v| v < 0.0) {
            bad = true;
            diags.push(
                Diagnostic::error(
                    "negative-value",
                    locate(file, p),
                    format!("{}（{name}）不能为负数", key(p)),
                )
                .with_hint("请填写实际人数"),
            );
        }
    }
    for &(small, large) in item.within {
        let (ps, ns, vs) = &item.counts[small];
        let (pl, nl, vl) = &item.counts[large];
        if let (Some(a), Some(b)) = (vs, vl)
            && a > b
        {
            bad = true;
            diags.push(
                Diagnostic::error(
                    "counts-inconsistent",
                    locate(file, ps),
                    format!("{}{} {} 大于{} {}", item.what, ns, n(*a), nl, n(*b)),
                )
                .with_hint(format!("{} 是 {} 中的一部分，请核对", key(ps), key(pl))),
            );
        }
    }
    if bad {
        return None;
    }
    let Some((value, how)) = (item.derive)(&given) else {
        diags.push(
            Diagnostic::error(
                "counts-zero",
                locate(file, item.counts[1].0),
                format!("{}的分母为 0，不能计算比例", item.what),
            )
            .with_hint("请核对人数"),
        );
        return None;
    };
    match rate {
        Some(r) if shown(r) != shown(value) => {
            diags.push(
                Diagnostic::error(
                    "rate-disagrees-with-counts",
                    locate(file, item.rate),
                    format!(
                        "{} 填写的{} {}% 与由人数算得的 {}%（{how} × 100%）不一致",
                        key(item.rate),
                        item.what,
                        n(r),
                        shown(value)
                    ),
                )
                .with_hint("比例与人数只需填一项；都填时按一位小数应相同，请改正其中之一"),
            );
            None
        }
        Some(_) => None,
        None => Some(value),
    }
}

/// Parts that cannot exceed their whole beyond the rate pairs: the survey rows and
/// 其中在特殊教育学校就读.
fn check_within(c: &CountyConfig, file: &YamlFile, diags: &mut Diagnostics) {
    let d = &c.enrolment.disabled;
    let mut pairs: Vec<([&str; 3], &str, Option<f64>, [&str; 3], &str, Option<f64>)> = vec![(
        ["enrolment", "disabled", "special_school"],
        "特教学校就读人数",
        d.special_school,
        ["enrolment", "disabled", "enrolled"],
        "入学人数",
        d.enrolled,
    )];
    for (row, r) in [("all", &c.survey.all), ("parents", &c.survey.parents)] {
        pairs.push((
            ["survey", row, "valid"],
            "回收有效问卷数",
            r.valid,
            ["survey", row, "questionnaires"],
            "问卷总数",
            r.questionnaires,
        ));
        pairs.push((
            ["survey", row, "satisfied"],
            "满意问卷数",
            r.satisfied,
            ["survey", row, "valid"],
            "回收有效问卷数",
            r.valid,
        ));
        pairs.push((
            ["survey", row, "visited_satisfied"],
            "走访满意人数",
            r.visited_satisfied,
            ["survey", row, "visited"],
            "实地走访人数",
            r.visited,
        ));
    }
    for (ps, ns, a, pl, nl, b) in pairs {
        if let (Some(a), Some(b)) = (a, b)
            && a > b
        {
            diags.push(
                Diagnostic::error(
                    "counts-inconsistent",
                    locate(file, &ps),
                    format!("{ns} {} 大于{nl} {}", n(a), n(b)),
                )
                .with_hint(format!("{} 不能超过 {}，请核对", ps.join("."), pl.join("."))),
            );
        }
    }
}

/// 质量监测 per subject: all at level Ⅲ or above, and the largest 校际差异率, give the two
/// county figures the rule judges (教督〔2017〕6号 第八条（九）).
fn quality(c: &mut CountyConfig, file: &YamlFile, diags: &mut Diagnostics) {
    let subjects = &c.quality.subjects;
    if subjects.is_empty() {
        return;
    }
    let at = locate(file, &["quality", "subjects"]);
    for s in subjects {
        if s.level.is_some_and(|l| !(1..=4).contains(&l)) || s.difference.is_some_and(|d| !(0.0..=1.0).contains(&d)) {
            diags.push(
                Diagnostic::error(
                    "subject-out-of-range",
                    at.clone(),
                    format!("质量监测科目“{}”的学业水平或校际差异率超出范围", s.subject),
                )
                .with_hint("level 填 1～4（Ⅰ～Ⅳ级），difference 填 0～1 的小数，例如 0.12"),
            );
            return;
        }
    }
    let levels: Option<Vec<u8>> = subjects.iter().map(|s| s.level).collect();
    if let Some(levels) = levels {
        let all_iii = levels.iter().all(|l| *l >= 3);
        match c.quality.level_iii_or_above {
            Some(v) if v != all_iii => diags.push(
                Diagnostic::error(
                    "rate-disagrees-with-counts",
                    locate(file, &["quality", "level_iii_or_above"]),
                    format!(
                        "quality.level_iii_or_above 填写为 {v}，但各科学业水平{}",
                        if all_iii {
                            "均达到Ⅲ级以上"
                        } else {
                            "有低于Ⅲ级的科目"
                        }
                    ),
                )
                .with_hint("两者只需填一项；都填时应一致"),
            ),
            Some(_) => {}
            None => c.quality.level_iii_or_above = Some(all_iii),
        }
    }
    let diffs: Option<Vec<f64>> = subjects.iter().map(|s| s.difference).collect();
    if let Some(max) = diffs.and_then(|d| d.into_iter().reduce(f64::max)) {
        match c.quality.inter_school_difference {
            Some(v) if format!("{v:.2}") != format!("{max:.2}") => diags.push(
                Diagnostic::error(
                    "rate-disagrees-with-counts",
                    locate(file, &["quality", "inter_school_difference"]),
                    format!(
                        "quality.inter_school_difference 填写为 {}，与各科校际差异率的最大值 {max:.2} 不一致",
                        n(v)
                    ),
                )
                .with_hint("两者只需填一项；都填时按两位小数应相同"),
            ),
            Some(_) => {}
            None => c.quality.inter_school_difference = Some(max),
        }
    }
}
