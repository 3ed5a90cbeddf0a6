//! 问题清单 and 一校一策整改方案 (seed 002): every failing or pending item with its shortfall,
//! the unit responsible, the measure and deadline from tasks.yaml; then each school's plan.

use serde::Serialize;

use super::{county, state};
use crate::model::team::TaskStatus;
use crate::model::{Stage, Workspace};
use crate::rules::assessment::{IndicatorResult, TaskResult};
use crate::rules::gaps::Gap;
use crate::rules::{Assessment, Verdict, fmt_beside, fmt_num};

/// What a problem row says when no task of tasks.yaml answers it.
pub const NO_TASK: &str = "尚无整改任务";

/// Items whose standard is an upper bound.
fn at_most(key: &str) -> bool {
    matches!(key, "class_size" | "school_size" | "staffing_ratio")
}

pub fn value_text(g: &Gap) -> String {
    // No staff at all: the ratio has no finite value.
    if !g.value.is_finite() {
        return "—".to_owned();
    }
    let digits = if g.value_unit.starts_with('元') { 0 } else { 2 };
    let v = if g.value.fract() == 0.0 {
        fmt_num(g.value)
    } else {
        fmt_beside(g.value, digits, g.standard, true)
    };
    with_unit(&v, g.value_unit)
}

/// "75%", "52 人/班".
fn with_unit(v: &str, unit: &str) -> String {
    if unit == "%" {
        format!("{v}%")
    } else {
        format!("{v} {unit}")
    }
}

pub fn standard_text(g: &Gap) -> String {
    let op = if at_most(g.key) { "≤" } else { "≥" };
    format!("{op} {}", with_unit(&fmt_num(g.standard), g.value_unit))
}

pub fn shortfall_text(g: &Gap) -> String {
    if !g.shortfall.is_finite() {
        return "无法测算".to_owned();
    }
    if g.key == "class_size" && g.shortfall == 0.0 {
        return "无须增班，均衡分班".to_owned();
    }
    let verb = match g.key {
        "school_size" => "须分流",
        "certified_teachers" => "未持证",
        _ => "须增加",
    };
    format!("{verb} {} {}", fmt_num(g.shortfall), g.unit)
}

pub fn stage_text(stage: Option<Stage>) -> &'static str {
    stage.map(Stage::label).unwrap_or("全校")
}

/// The tasks that answer a problem: for a school's problem, tasks naming the school (and one
/// of its indicators, when the task names any); for a county item, tasks of the indicator
/// that name no school.
fn tasks_for<'a>(a: &'a Assessment, school: Option<&str>, indicators: &[String]) -> Vec<&'a TaskResult> {
    let of_indicator = |t: &TaskResult| t.indicators.iter().any(|i| indicators.contains(i));
    a.tasks
        .iter()
        .filter(|t| match school {
            Some(code) => t.schools.iter().any(|s| s == code) && (t.indicators.is_empty() || of_indicator(t)),
            None => t.schools.is_empty() && of_indicator(t),
        })
        .collect()
}

/// A problem as the problem list and the school plans show it: what is short, and what
/// answers it.
#[derive(Serialize)]
pub struct Problem {
    /// "R4 生均教学及辅助用房面积", and the indicator ids alone.
    pub indicator: String,
    pub indicator_id: String,
    /// The school's name and code; 全县 and "" for a county row.
    pub school: String,
    pub code: String,
    pub stage: &'static str,
    /// The item, or for a county row the reasons no school row explains.
    pub item: String,
    pub value: String,
    pub standard: String,
    pub shortfall: String,
    pub note: Option<String>,
    pub verdict: &'static str,
    pub state: &'static str,
    /// Whether the item is in the cheapest set that makes the school pass.
    pub cheapest: Option<bool>,
    /// In the cheapest set, what an item left below the standard needs to reach the floor.
    pub to_pass: Option<String>,
    #[serde(flatten)]
    pub answer: Answer,
}

/// What answers a problem: its tasks' measures, units, deadline and status.
#[derive(Serialize)]
pub struct Answer {
    pub measure: String,
    pub unit: String,
    pub due: String,
    pub status: &'static str,
    /// A task answers it, or the national rule lets it stand.
    pub has_task: bool,
    pub overdue: bool,
}

/// Measure, unit, deadline and status of a problem from its tasks; the indicator's lead
/// units when there is none. A computed transfer follows as 测算建议: it is the team's to
/// adopt as a task, not a measure taken.
fn answer(tasks: &[&TaskResult], lead: &[String], suggestion: Option<String>, stands: bool) -> Answer {
    let mut measure: Vec<String> = tasks.iter().map(|t| t.task.clone()).collect();
    if tasks.is_empty() {
        // An item the national rule lets stand needs no task.
        measure.push(if stands {
            "按规定可视为达标".to_owned()
        } else {
            NO_TASK.to_owned()
        });
    }
    measure.extend(suggestion.map(|s| format!("测算建议：{s}")));
    if tasks.is_empty() {
        return Answer {
            measure: measure.join("；"),
            unit: lead.join("、"),
            due: String::new(),
            status: "",
            has_task: stands,
            overdue: false,
        };
    }
    let mut units: Vec<&str> = tasks.iter().map(|t| t.unit.as_str()).collect();
    units.dedup();
    let due = tasks
        .iter()
        .map(|t| t.due)
        .max()
        .map(|d| d.to_string())
        .unwrap_or_default();
    let status = if tasks.iter().all(|t| t.status == TaskStatus::Done) {
        "已完成"
    } else if tasks.iter().all(|t| t.status == TaskStatus::NotStarted) {
        "未开始"
    } else {
        "进行中"
    };
    Answer {
        measure: measure.join("；"),
        unit: units.join("、"),
        due,
        status,
        has_task: true,
        overdue: tasks.iter().any(|t| t.overdue),
    }
}

/// The transfers of the plan that close a school's gap, in words: "从青山县第二中学调入 1 人".
fn suggestion(a: &Assessment, g: &Gap) -> Option<String> {
    g.transfer.as_ref()?;
    let from: Vec<String> = a
        .transfers
        .iter()
        .filter(|t| t.to == g.school_code && Some(t.stage) == g.stage && t.key.id() == g.key)
        .map(|t| format!("从{}调入 {} 人", t.from_name, t.count))
        .collect();
    (!from.is_empty()).then(|| from.join("，"))
}

/// The failing (or pending) school items of an indicator, as the problem list has them.
pub fn indicator_gaps<'a>(a: &'a Assessment, id: &str) -> Vec<&'a Gap> {
    a.gaps
        .iter()
        .filter(|g| g.verdict != Verdict::Met && g.indicators.iter().any(|i| i == id))
        .collect()
}

/// The tasks that answer an indicator's problems, each once, in tasks.yaml order: those of
/// its school rows and of its county row, exactly as the problem list and the school plans
/// show them.
pub fn indicator_tasks<'a>(a: &'a Assessment, i: &IndicatorResult) -> Vec<&'a TaskResult> {
    let mut picked: Vec<&TaskResult> = indicator_gaps(a, &i.id)
        .iter()
        .flat_map(|g| tasks_for(a, Some(&g.school_code), &g.indicators))
        .collect();
    if county_text(a, i).is_some() {
        picked.extend(tasks_for(a, None, std::slice::from_ref(&i.id)));
    }
    a.tasks
        .iter()
        .filter(|t| picked.iter().any(|p| std::ptr::eq(*p, *t)))
        .collect()
}

/// What of a failing (or pending) indicator no school row explains: a coefficient over its
/// limit, missing data, county figures. `None` when its school rows say it all; the summary
/// when there is nothing else to say.
pub fn county_text(a: &Assessment, i: &IndicatorResult) -> Option<String> {
    if i.verdict == Verdict::Met {
        return None;
    }
    let schools: Vec<&str> = a
        .gaps
        .iter()
        .filter(|g| g.indicators.contains(&i.id))
        .map(|g| g.school_name.as_str())
        .collect();
    let rest: Vec<&str> = super::problem_text::problem_reasons(i)
        .into_iter()
        .filter(|r| {
            !schools
                .iter()
                .any(|n| r.contains(&format!("{n}：")) || r.contains(&format!("{n}（")))
        })
        .collect();
    match (rest.is_empty(), schools.is_empty()) {
        (true, false) => None,
        (true, true) => Some(i.summary.clone()),
        (false, _) => Some(rest.join("；")),
    }
}

fn indicator<'a>(a: &'a Assessment, ids: &[String]) -> Option<&'a IndicatorResult> {
    a.indicators.iter().find(|i| ids.contains(&i.id))
}

fn gap_row(a: &Assessment, g: &Gap) -> Problem {
    let ind = indicator(a, &g.indicators);
    let tasks = tasks_for(a, Some(&g.school_code), &g.indicators);
    let lead = ind.map(|i| i.lead.clone()).unwrap_or_default();
    Problem {
        indicator: ind
            .map(|i| format!("{} {}", i.id, i.name))
            .unwrap_or_else(|| g.indicators.join("、")),
        indicator_id: g.indicators.join("、"),
        school: g.school_name.clone(),
        code: g.school_code.clone(),
        stage: stage_text(g.stage),
        item: g.item.clone(),
        value: value_text(g),
        standard: standard_text(g),
        shortfall: shortfall_text(g),
        note: g.note.clone(),
        verdict: g.verdict.label(),
        state: state(g.verdict),
        cheapest: g.cheapest_set,
        to_pass: g
            .to_pass
            .filter(|t| g.cheapest_set == Some(true) && *t < g.shortfall)
            .map(|t| format!("{} {}", fmt_num(t), g.unit)),
        answer: answer(&tasks, &lead, suggestion(a, g), g.verdict == Verdict::Met),
    }
}

/// The county's 问题清单: every failing school item, by indicator in profile order; then each
/// indicator still failing or pending that no school item explains, as one county row.
pub fn problems(a: &Assessment) -> Vec<Problem> {
    let order = |g: &Gap| {
        a.indicators
            .iter()
            .position(|i| g.indicators.contains(&i.id))
            .unwrap_or(usize::MAX)
    };
    let mut failing: Vec<&Gap> = a.gaps.iter().filter(|g| g.verdict != Verdict::Met).collect();
    failing.sort_by_key(|g| order(g));
    let mut problems: Vec<Problem> = failing.iter().map(|g| gap_row(a, g)).collect();
    for i in a.indicators.iter().filter(|i| i.verdict != Verdict::Met) {
        let Some(problem) = county_text(a, i) else { continue };
        let tasks = tasks_for(a, None, std::slice::from_ref(&i.id));
        problems.push(Problem {
            indicator: format!("{} {}", i.id, i.name),
            indicator_id: i.id.clone(),
            school: "全县".to_owned(),
            code: String::new(),
            stage: "",
            item: problem,
            value: String::new(),
            standard: String::new(),
            shortfall: String::new(),
            note: None,
            verdict: i.verdict.label(),
            state: state(i.verdict),
            cheapest: None,
            to_pass: None,
            answer: answer(&tasks, &i.lead, None, false),
        });
    }
    problems
}

/// What templates/rectification.typ draws: 问题清单, each school's plan, the transfers and
/// the coefficient remedies.
#[derive(Serialize)]
pub struct Rectification {
    pub county: String,
    pub date: String,
    pub profile: String,
    pub problems: Vec<Problem>,
    /// Problems no task answers.
    pub no_task: usize,
    pub schools: Vec<SchoolPlan>,
    pub transfers: Vec<TransferRow>,
    pub effects: Vec<Effect>,
    pub cv_plans: Vec<CvRemedyRow>,
}

/// 一校一策: a school's problems.
#[derive(Serialize)]
pub struct SchoolPlan {
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub students: String,
    pub problems: Vec<Problem>,
    /// Its problems still open, and those no task answers.
    pub open: usize,
    pub no_task: usize,
}

/// A teacher transfer, with the values and passes of both schools before → after.
#[derive(Serialize)]
pub struct TransferRow {
    pub stage: &'static str,
    pub item: &'static str,
    pub key: &'static str,
    pub from: String,
    pub from_name: String,
    pub to: String,
    pub to_name: String,
    pub count: u32,
    pub from_pass: String,
    pub to_pass: String,
    pub from_before: String,
    pub from_after: String,
    pub to_before: String,
    pub to_after: String,
}

/// A stage's coefficients of the items moved, before → after the transfers.
#[derive(Serialize)]
pub struct Effect {
    pub stage: &'static str,
    pub cv: Vec<String>,
}

/// The least resource that brings a coefficient to its limit (`CvRemedy`), as shown.
#[derive(Serialize)]
pub struct CvRemedyRow {
    pub stage: &'static str,
    pub item: &'static str,
    pub key: &'static str,
    pub cv: String,
    pub limit: String,
    pub level: String,
    pub value_unit: &'static str,
    pub total: String,
    pub unit: &'static str,
    pub cv_after: String,
    pub note: Option<String>,
    pub schools: Vec<AdditionRow>,
}

#[derive(Serialize)]
pub struct AdditionRow {
    pub code: String,
    pub name: String,
    pub value: String,
    pub add: String,
    pub value_after: String,
}

/// The data of 一校一策整改方案.pdf.
pub fn data(ws: &Workspace, a: &Assessment) -> Rectification {
    let problems = problems(a);
    // One plan per school with a gap, in sheet order.
    let schools = ws
        .schools
        .iter()
        .filter_map(|s| {
            let rows: Vec<Problem> = a
                .gaps
                .iter()
                .filter(|g| g.school_code == s.code)
                .map(|g| gap_row(a, g))
                .collect();
            // A school whose items all stand under the national rule has no problem to plan.
            if rows.iter().all(|r| r.state == "met") {
                return None;
            }
            let open = rows.iter().filter(|r| r.state != "met").count();
            let no_task = rows.iter().filter(|r| r.state != "met" && !r.answer.has_task).count();
            Some(SchoolPlan {
                code: s.code.clone(),
                name: s.name.clone(),
                kind: s.kind.label(),
                students: fmt_num(s.students()),
                problems: rows,
                open,
                no_task,
            })
        })
        .collect();
    let no_task = problems.iter().filter(|p| !p.answer.has_task).count();
    let effects = a
        .transfer_effects
        .iter()
        .map(|e| Effect {
            stage: e.stage.label(),
            cv: e
                .cv_before
                .iter()
                .filter(|(k, _)| a.transfers.iter().any(|t| t.stage == e.stage && t.key == **k))
                .filter_map(|(k, b)| {
                    let (b, after) = ((*b)?, e.cv_after.get(k).copied().flatten()?);
                    Some(format!("{} {b:.3} → {after:.3}", k.label()))
                })
                .collect(),
        })
        .collect();
    Rectification {
        county: county(ws),
        date: super::cn_date(ws),
        profile: format!("《{}》（{}）", a.profile.name, a.profile.source),
        problems,
        no_task,
        schools,
        transfers: transfers(a),
        effects,
        cv_plans: cv_remedies(a),
    }
}

fn transfers(a: &Assessment) -> Vec<TransferRow> {
    a.transfers
        .iter()
        .map(|t| {
            let effect = a.transfer_effects.iter().find(|e| e.stage == t.stage);
            let value = |code: &str, after: bool| {
                effect
                    .and_then(|e| e.schools.iter().find(|s| s.code == code))
                    .and_then(|s| if after { s.after[&t.key] } else { s.before[&t.key] })
                    .map(|v| format!("{v:.2}"))
                    .unwrap_or_default()
            };
            // The item moved, judged against its standard before → after; the school's seven
            // items together only where they still fall short after it.
            let standard = match t.stage {
                Stage::Primary => &a.resource.primary,
                Stage::Junior => &a.resource.junior,
            }
            .standards
            .get(&t.key)
            .copied();
            let pass = |code: &str| {
                let s = effect.and_then(|e| e.schools.iter().find(|s| s.code == code))?;
                let meets = |v: Option<f64>| Some(crate::rules::at_least(v?, standard?));
                let (before, after) = (meets(s.before[&t.key]), meets(s.after[&t.key]));
                let school = if after == Some(true) && s.pass_after != Some(true) {
                    format!("（全校七项：{}）", pass_label(s.pass_after))
                } else {
                    String::new()
                };
                Some(format!("{}→{}{school}", pass_label(before), pass_label(after)))
            };
            TransferRow {
                stage: t.stage.label(),
                item: t.key.label(),
                key: t.key.id(),
                from_pass: pass(&t.from).unwrap_or_default(),
                to_pass: pass(&t.to).unwrap_or_default(),
                from: t.from.clone(),
                from_name: t.from_name.clone(),
                to: t.to.clone(),
                to_name: t.to_name.clone(),
                count: t.count,
                from_before: value(&t.from, false),
                from_after: value(&t.from, true),
                to_before: value(&t.to, false),
                to_after: value(&t.to, true),
            }
        })
        .collect()
}

/// A school's per-school resource pass as the forms say it.
pub fn pass_label(p: Option<bool>) -> &'static str {
    match p {
        Some(true) => "达标",
        Some(false) => "未达标",
        None => "待核实",
    }
}

fn cv_remedies(a: &Assessment) -> Vec<CvRemedyRow> {
    a.cv_remedies
        .iter()
        .map(|p| CvRemedyRow {
            stage: p.stage.label(),
            item: p.key.label(),
            key: p.key.id(),
            cv: fmt_beside(p.cv, 3, p.limit, true),
            limit: format!("{:.2}", p.limit),
            level: format!("{:.2}", p.level),
            value_unit: p.value_unit,
            total: fmt_num(p.total),
            unit: p.unit,
            cv_after: format!("{:.3}", p.cv_after),
            note: p.note.clone(),
            schools: p
                .schools
                .iter()
                .map(|s| AdditionRow {
                    code: s.code.clone(),
                    name: s.name.clone(),
                    value: format!("{:.2}", s.value),
                    add: fmt_num(s.add),
                    value_after: format!("{:.2}", s.value_after),
                })
                .collect(),
        })
        .collect()
}
