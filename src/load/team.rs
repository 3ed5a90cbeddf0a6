//! `units.yaml` (责任分工), `scores.yaml` (自评得分) and `tasks.yaml` (倒排工期表).

use std::collections::BTreeSet;
use std::path::Path;

use super::evidence::{unknown_indicator, unknown_unit};
use super::yaml::{self, YamlFile};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::team::{ScoresFile, TasksFile, UnitsFile};
use crate::model::{CharOrigins, EvidenceItem, IndicatorType, Profile, School, Task, Unit};

/// Units with their indicators resolved; derived from the profile when `units.yaml` is absent.
pub fn load_units(
    root: &Path,
    profile: &Profile,
    diags: &mut Diagnostics,
    chars: &mut CharOrigins,
) -> (Vec<Unit>, bool) {
    let Some((file, yf)) = yaml::read::<UnitsFile>(root, crate::paths::UNITS, diags, chars) else {
        return (derive_units(profile), false);
    };
    let mut units = file.units;
    let mut names = BTreeSet::new();
    let items = yf.locate_items("units");
    for (n, unit) in units.iter_mut().enumerate() {
        let at = items.get(n).cloned().unwrap_or_else(|| Location::file(&yf.rel));
        if !names.insert(unit.name.clone()) {
            diags.push(
                Diagnostic::error("unit-duplicate", at.clone(), format!("单位“{}”重复登记", unit.name))
                    .with_hint("每个单位只登记一次，把分工合并到同一项中"),
            );
        }
        for list in [&mut unit.leads, &mut unit.supports].into_iter().flatten() {
            let mut kept = vec![];
            for id in list.iter() {
                match profile.indicator(id) {
                    Some(ind) => kept.push(ind.id.clone()),
                    None => diags.push(unknown_indicator(
                        yf.locate_token(YamlFile::line_of(&at), id),
                        id,
                        profile,
                    )),
                }
            }
            *list = kept;
        }
        if unit.leads.is_none() {
            unit.leads = Some(
                profile
                    .indicators
                    .iter()
                    .filter(|i| i.lead.contains(&unit.name))
                    .map(|i| i.id.clone())
                    .collect(),
            );
        }
        if unit.supports.is_none() {
            unit.supports = Some(
                profile
                    .indicators
                    .iter()
                    .filter(|i| i.units.contains(&unit.name))
                    .map(|i| i.id.clone())
                    .collect(),
            );
        }
    }
    // Units named by the profile but not registered: their indicators have no owner here.
    let mut missing = BTreeSet::new();
    for ind in &profile.indicators {
        for u in ind.lead.iter().chain(&ind.units) {
            if !names.contains(u) {
                missing.insert(u.clone());
            }
        }
    }
    if !missing.is_empty() {
        let list: Vec<String> = missing.into_iter().collect();
        diags.push(
            Diagnostic::warning(
                "unit-unregistered",
                Location::file(crate::paths::UNITS),
                format!("指标体系中的单位未登记：{}", list.join("、")),
            )
            .with_hint("在 units.yaml 中登记这些单位，或在 content/indicators.yaml 中改写指标的牵头单位、责任单位"),
        );
    }
    (units, true)
}

fn derive_units(profile: &Profile) -> Vec<Unit> {
    let mut names: Vec<String> = vec![];
    for ind in &profile.indicators {
        for u in ind.lead.iter().chain(&ind.units) {
            if !names.contains(u) {
                names.push(u.clone());
            }
        }
    }
    names
        .into_iter()
        .map(|name| Unit {
            leads: Some(
                profile
                    .indicators
                    .iter()
                    .filter(|i| i.lead.contains(&name))
                    .map(|i| i.id.clone())
                    .collect(),
            ),
            supports: Some(
                profile
                    .indicators
                    .iter()
                    .filter(|i| i.units.contains(&name))
                    .map(|i| i.id.clone())
                    .collect(),
            ),
            name,
            full_name: None,
            leader: None,
            person: None,
            phone: None,
        })
        .collect()
}

/// Self-scores keyed by canonical indicator id. With a catalogue profile (county.yaml
/// `catalogue_profile`), keys of the catalogue's system are also read, checked against it and
/// returned apart (second), to be carried over through the crosswalk.
pub fn load_scores(
    root: &Path,
    profile: &Profile,
    catalogue: Option<&Profile>,
    evidence: &[EvidenceItem],
    diags: &mut Diagnostics,
    chars: &mut CharOrigins,
) -> (ScoresFile, ScoresFile) {
    let Some((file, yf)) = yaml::read::<ScoresFile>(root, crate::paths::SCORES, diags, chars) else {
        return (ScoresFile::new(), ScoresFile::new());
    };
    let mut out = ScoresFile::new();
    let mut catalogued = ScoresFile::new();
    for (key, entry) in file {
        let (ind, of_catalogue) = match (profile.indicator(&key), catalogue.and_then(|c| c.indicator(&key))) {
            (Some(ind), _) => (ind, false),
            (None, Some(ind)) => (ind, true),
            (None, None) => {
                diags.push(unknown_indicator(yf.locate_key(&[&key]), &key, profile));
                continue;
            }
        };
        let mut ok = true;
        match ind.kind {
            IndicatorType::B => {
                if entry.status.is_some() {
                    diags.push(
                        Diagnostic::warning(
                            "status-on-b",
                            yf.locate_key(&[&key, "status"]),
                            format!("B 类指标 {} 按得分判定，status 将被忽略", ind.id),
                        )
                        .with_hint("B 类指标请在 points 下逐项填写自评得分"),
                    );
                }
                for (pid, ps) in &entry.points {
                    let at = || yf.locate_key(&[&key, "points", pid]);
                    let Some(point) = ind.point(pid) else {
                        let ids: Vec<&str> = ind.points.iter().map(|p| p.id.as_str()).collect();
                        diags.push(
                            Diagnostic::error("unknown-point", at(), format!("指标 {} 没有评估要点“{pid}”", ind.id))
                                .with_hint(format!("该指标的要点编号：{}", ids.join("、"))),
                        );
                        ok = false;
                        continue;
                    };
                    if let Some(d) = score_problem(&ind.id, pid, ps.score, point.max.unwrap_or(0.0), at()) {
                        diags.push(d);
                        ok = false;
                    }
                }
            }
            IndicatorType::A => {
                if !entry.points.is_empty() {
                    diags.push(
                        Diagnostic::error(
                            "points-on-a",
                            yf.locate_key(&[&key, "points"]),
                            format!("A 类指标 {} 不计分，不应填写 points", ind.id),
                        )
                        .with_hint("A 类指标用 status: 达标 / 未达标 / 待核实 申报"),
                    );
                    ok = false;
                }
            }
        }
        let refs = entry
            .evidence
            .iter()
            .chain(entry.points.values().flat_map(|p| &p.evidence));
        for r in refs {
            let known = evidence
                .iter()
                .any(|e| e.file.as_deref() == Some(r.as_str()) || &e.title == r);
            if !known && !evidence.is_empty() {
                diags.push(
                    Diagnostic::warning(
                        "evidence-ref-unknown",
                        yf.locate_token(YamlFile::line_of(&yf.locate_key(&[&key])), r),
                        format!("引用的佐证材料“{r}”不在佐证材料清单中"),
                    )
                    .with_hint("写清单中的“文件”路径或“题名”"),
                );
            }
        }
        if ok {
            let into = if of_catalogue { &mut catalogued } else { &mut out };
            into.insert(ind.id.clone(), entry);
        }
    }
    (out, catalogued)
}

/// A self-score that is no number, above the point's maximum or negative.
fn score_problem(ind: &str, pid: &str, score: f64, max: f64, at: Location) -> Option<Diagnostic> {
    // `.nan` and `.inf` are YAML numbers but no score.
    Some(if !score.is_finite() {
        Diagnostic::error(
            "score-not-number",
            at,
            format!("指标 {ind} 要点 {pid} 的自评得分不是有效数字"),
        )
        .with_hint(format!("得分应是 0 到 {max} 之间的数，如 score: 3"))
    } else if score > max + 1e-9 {
        Diagnostic::error(
            "score-above-max",
            at,
            format!("指标 {ind} 要点 {pid} 自评 {score} 分，超过该要点满分 {max} 分"),
        )
        .with_hint("自评得分不能超过要点分值")
    } else if score < 0.0 {
        Diagnostic::error("score-negative", at, format!("指标 {ind} 要点 {pid} 自评得分为负数"))
            .with_hint("得分应在 0 到该要点满分之间")
    } else {
        return None;
    })
}

pub fn load_tasks(
    root: &Path,
    profile: &Profile,
    units: &[Unit],
    units_declared: bool,
    schools: &[School],
    diags: &mut Diagnostics,
    chars: &mut CharOrigins,
) -> Vec<Task> {
    let Some((file, yf)) = yaml::read::<TasksFile>(root, crate::paths::TASKS, diags, chars) else {
        return vec![];
    };
    let mut tasks = vec![];
    let items = yf.locate_items("tasks");
    for (n, mut task) in file.tasks.into_iter().enumerate() {
        let at = items.get(n).cloned().unwrap_or_else(|| Location::file(&yf.rel));
        let line = YamlFile::line_of(&at);
        let mut ok = true;
        if units_declared && !units.iter().any(|u| u.name == task.unit) {
            diags.push(unknown_unit(yf.locate_token(line, &task.unit), &task.unit, units));
            ok = false;
        }
        let mut ids = vec![];
        for id in &task.indicators {
            match profile.indicator(id) {
                Some(ind) => ids.push(ind.id.clone()),
                None => {
                    diags.push(unknown_indicator(yf.locate_token(line, id), id, profile));
                    ok = false;
                }
            }
        }
        task.indicators = ids;
        // Without readable school data every code would look unknown; the loader said why.
        for code in task.schools.iter().filter(|_| !schools.is_empty()) {
            if !schools.iter().any(|s| &s.code == code) {
                let known: Vec<String> = schools
                    .iter()
                    .take(5)
                    .map(|s| format!("{}（{}）", s.code, s.name))
                    .collect();
                diags.push(
                    Diagnostic::error(
                        "unknown-school",
                        yf.locate_token(line, code),
                        format!("任务“{}”所列学校代码“{code}”不在学校基础数据中", task.task),
                    )
                    .with_hint(format!(
                        "schools 写 content/schools.xlsx 中的学校代码，如 {}",
                        known.join("、")
                    )),
                );
                ok = false;
            }
        }
        if task.start.is_some_and(|s| s > task.due) {
            diags.push(
                Diagnostic::error(
                    "task-dates",
                    at.clone(),
                    format!("任务“{}”的开始日期晚于完成时限", task.task),
                )
                .with_hint("start 应不晚于 due"),
            );
            ok = false;
        }
        if ok {
            tasks.push(task);
        }
    }
    tasks
}
