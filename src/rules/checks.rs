//! Every rule the profile binds, run once: resource items from the stage tables, per-school
//! and county rules from the data. What cannot be judged is pending, and said once.

use std::collections::BTreeMap;

use super::resource::{StageResource, indicator_check};
use super::{Check, Verdict, county, school};
use crate::diag::{Diagnostic, Diagnostics, Location};
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
    let params = &profile.resource;
    let mut checks: BTreeMap<RuleId, Check> = BTreeMap::new();
    let mut rules: Vec<RuleId> = profile
        .indicators
        .iter()
        .flat_map(|i| i.rule.into_iter().chain(i.points.iter().filter_map(|p| p.rule)))
        .collect();
    rules.sort();
    rules.dedup();
    let mut county_pending = vec![];
    for rule in rules {
        let county_rule = rule.name().starts_with("county.");
        let check = match rule.resource_key() {
            // No school data at all: nothing can be judged, not even vacuously.
            _ if !county_rule && schools.is_empty() => Check::pending("没有学校基础数据"),
            Some(key) => indicator_check(&[primary, junior], key, params),
            None => run_rule(rule, ws, schools),
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
                let file = if rule == RuleId::SpecialEdFunding && check.schools.is_empty() {
                    paths::CONFIG
                } else {
                    paths::SCHOOLS
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

fn run_rule(rule: RuleId, ws: &Workspace, schools: &[School]) -> Check {
    let cfg = ws.config.as_ref();
    let county_rule = |f: fn(&crate::model::CountyConfig) -> Check| match cfg {
        Some(c) => f(c),
        None => Check::pending("缺少 content/county.yaml"),
    };
    match rule {
        RuleId::MusicArtRooms => school::music_art_rooms(schools),
        RuleId::SchoolSize => school::school_size(schools),
        RuleId::ClassSize => school::class_size(schools),
        RuleId::SmallSchoolFunding => school::small_school_funding(
            schools,
            cfg.and_then(|c| c.finance.public_funds_baseline),
            cfg.is_some_and(|c| c.absent.small_schools),
        ),
        RuleId::SpecialEdFunding => {
            school::special_ed_funding(schools, cfg.and_then(|c| c.finance.special_ed_per_pupil))
        }
        RuleId::TrainingFunds => school::training_funds(schools),
        RuleId::CertifiedTeachers => school::certified_teachers(schools),
        RuleId::StaffingRatio => school::staffing_ratio(schools),
        RuleId::SpendingGrowth => county_rule(county::spending_growth),
        RuleId::TeacherPay => county_rule(county::teacher_pay),
        RuleId::Training360 => county_rule(county::training_360),
        RuleId::Rotation => county_rule(county::rotation),
        RuleId::ZonedEnrolment => county_rule(county::zoned_enrolment),
        RuleId::QuotaAllocation => county_rule(county::quota_allocation),
        RuleId::MigrantChildren => county_rule(county::migrant_children),
        RuleId::Retention => county_rule(county::retention),
        RuleId::DisabledEnrolment => county_rule(county::disabled_enrolment),
        RuleId::QualityMonitoring => county_rule(county::quality_monitoring),
        RuleId::Recognition => county_rule(county::recognition),
        // Resource rules are handled by the caller.
        _ => Check::pending("未知规则"),
    }
}
