//! Every rule the profile binds, run once: resource items from the stage tables, per-school
//! and county rules from the data. What cannot be judged is pending, and said once.

use std::collections::BTreeMap;

use super::gov::{self, Inputs, Unit};
use super::resource::{StageResource, indicator_check};
use super::{Check, Verdict};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::profile::Scope;
use crate::model::{RuleId, School, Workspace};
use crate::paths;

/// The check of every rule the profile's indicators and points name.
pub fn run_all(
    ws: &Workspace,
    schools: &[School],
    primary: &StageResource,
    junior: &StageResource,
    diags: &mut Diagnostics,
) -> BTreeMap<RuleId, Check> {
    let profile = &ws.profile;
    let mut checks: BTreeMap<RuleId, Check> = BTreeMap::new();
    let mut rules: Vec<RuleId> = profile
        .indicators
        .iter()
        .flat_map(|i| i.rule.into_iter().chain(i.points.iter().filter_map(|p| p.rule)))
        .collect();
    rules.sort();
    rules.dedup();
    let mut county_pending = vec![];
    // The seven resource items miss the same data: said once.
    let mut said: Vec<String> = vec![];
    for rule in rules {
        let county_rule = rule.scope() == Scope::County;
        let check = if !county_rule && schools.is_empty() {
            // No school data at all: nothing can be judged, not even vacuously.
            Check::pending("没有学校基础数据")
        } else {
            run_rule(rule, ws, schools, [primary, junior])
        };
        if check.verdict == Verdict::Pending && !schools.is_empty() {
            if county_rule {
                county_pending.push(check.summary.clone());
            } else {
                let detail: Vec<&str> = check.reasons.iter().take(3).map(String::as_str).collect();
                let more = if check.reasons.len() > 3 {
                    format!(" 等 {} 处", check.reasons.len())
                } else {
                    String::new()
                };
                let msg = if detail.is_empty() {
                    check.summary.clone()
                } else {
                    format!("{}{more}", detail.join("；"))
                };
                // Special-school funding without a special school falls back to the county figure.
                if said.contains(&msg) {
                    checks.insert(rule, check);
                    continue;
                }
                said.push(msg.clone());
                let file = if rule == RuleId::SpecialEdFunding && check.schools.is_empty() {
                    paths::CONFIG
                } else {
                    ws.schools_file.as_str()
                };
                diags.push(
                    Diagnostic::warning(
                        "data-incomplete",
                        Location::file(file),
                        format!("{msg}，相关指标待核实"),
                    )
                    .with_hint("补齐数据后重新运行 yingjian check"),
                );
            }
        }
        checks.insert(rule, check);
    }

    // Without a readable config the loader has already said why; otherwise one warning lists every gap.
    if !county_pending.is_empty() && ws.config.is_some() {
        diags.push(
            Diagnostic::warning(
                "data-incomplete",
                Location::file(paths::CONFIG),
                format!(
                    "{} 项县级数据不全，相关指标待核实：{}",
                    county_pending.len(),
                    county_pending.join("；")
                ),
            )
            .with_hint("在 content/county.yaml 中补填这些数据，字段说明见 docs/inputs.md"),
        );
    }

    checks
}

fn run_rule(rule: RuleId, ws: &Workspace, schools: &[School], stages: [&StageResource; 2]) -> Check {
    let cfg = ws.config.as_ref();
    match gov::unit(rule) {
        Unit::Resource(key) => indicator_check(&stages, key, &ws.profile.resource),
        Unit::School(r) => {
            let mut check = (r.check)(schools, &Inputs::new(&ws.profile.rules, cfg));
            unknown_pupils(&mut check, schools);
            check
        }
        Unit::County(check) => match cfg {
            Some(c) => check(c, &ws.profile.rules),
            // Absent, or unreadable for an error reported at its line.
            None => Check::pending("content/county.yaml 缺失或有错误，未能读取"),
        },
    }
}

/// A school whose 在校生数 could not be read (blank, 0, merged over its stages: an error said
/// at the cell) is read with 0 pupils; nothing about it may be judged from that. Its findings
/// are pending, and so is the rule unless another school fails it.
fn unknown_pupils(check: &mut Check, schools: &[School]) {
    let unknown: Vec<&School> = schools
        .iter()
        .filter(|s| s.sections.iter().any(|sec| !(sec.students > 0.0)))
        .collect();
    let mut named = vec![];
    for f in check.schools.iter_mut() {
        if let Some(s) = unknown.iter().find(|s| s.code == f.code) {
            f.verdict = Verdict::Pending;
            f.measured = "在校生数未能读取".into();
            f.note = None;
            if !named.contains(&s.name) {
                named.push(s.name.clone());
            }
        }
    }
    if named.is_empty() {
        return;
    }
    check
        .reasons
        .retain(|r| !named.iter().any(|n| r.starts_with(n.as_str())));
    if !check.schools.iter().any(|f| f.verdict == Verdict::NotMet) {
        check.verdict = Verdict::Pending;
    }
    check
        .reasons
        .push(format!("{}：在校生数未能读取（待核实）", named.join("、")));
}
