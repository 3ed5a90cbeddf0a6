//! The rule engine's entry: from a loaded workspace to the assessment, stage by stage.

use super::assessment::*;
use super::resource::stage_resource;
use super::{checks, cv_remedy, evidence_report, gaps, overall, scoring, split, summary, tasks, transfers};
use crate::diag::Diagnostics;
use crate::model::ResourceKey;
use crate::model::{School, Stage, Workspace};

/// The schools as the rules see them: combined schools' facility totals split when the
/// workspace asks for it (DOMAIN §2.2), with a note of what was split.
pub fn prepared_schools(ws: &Workspace) -> (Vec<School>, Vec<split::Split>) {
    let mut schools = ws.schools.clone();
    let splits = match &ws.config {
        Some(c) if c.options.split_combined_facilities => {
            split::split_combined(&mut schools, &ws.profile.resource.split_weights)
        }
        _ => vec![],
    };
    (schools, splits)
}

pub fn assess(ws: &Workspace) -> (Assessment, Diagnostics) {
    let mut diags = Diagnostics::default();
    let profile = &ws.profile;
    let (schools, splits) = prepared_schools(ws);
    let params = &profile.resource;
    let primary = stage_resource(&schools, Stage::Primary, params);
    let junior = stage_resource(&schools, Stage::Junior, params);
    let checks = checks::run_all(ws, &schools, &primary, &junior, &mut diags);
    // The plan: shortfalls, the transfers that close what the stage's surplus can, and the
    // least resource that brings each coefficient over its limit to it.
    let stages = [&primary, &junior];
    let baseline = ws.config.as_ref().and_then(|c| c.finance.public_funds_baseline);
    let mut gaps = gaps::gaps(profile, &schools, stages, &checks, baseline);
    let keys: Vec<ResourceKey> = ResourceKey::ALL
        .into_iter()
        .filter(|k| checks.contains_key(&crate::model::RuleId::Resource(*k)))
        .collect();
    let transfers = transfers::propose(&schools, stages, &keys, &profile.rules.staffing_ratio);
    transfers::mark_covered(&mut gaps, &transfers);
    let transfer_effects = transfers::effects(&schools, stages, &transfers, params);
    let cv_remedies = cv_remedy::cv_remedies(stages);
    let indicators = scoring::indicators(ws, &checks, &mut diags);
    let (b_total, b_max, b_pass) = scoring::b_result(ws, &indicators);
    let veto = overall::veto(ws);
    let overall = overall::overall(&indicators, b_pass, profile.b_pass_mark, b_total, &veto);
    let tasks = tasks::tasks(ws);
    let evidence = evidence_report::report(ws, &mut diags);
    let summary = summary::summarize(&schools);
    let assessment = Assessment {
        county: ws.config.as_ref().map(|c| CountyInfo {
            name: c.county.clone(),
            year: c.year,
            level: c.level,
            today: c.today,
            unread: c.unread.clone(),
        }),
        profile: ProfileInfo {
            id: profile.id.clone(),
            name: profile.name.clone(),
            source: cited_source(profile),
            changes: profile.changes.clone(),
            min_items_met: profile.resource.min_items_met,
            floor_ratio: profile.resource.floor_ratio,
        },
        summary,
        resource: Resource { primary, junior },
        checks: checks.into_iter().map(|(k, v)| (k.name(), v)).collect(),
        indicators,
        b_total,
        b_max,
        b_pass_mark: profile.b_pass_mark,
        b_pass,
        veto,
        overall,
        tasks,
        gaps,
        transfers,
        transfer_effects,
        cv_remedies,
        splits: splits
            .into_iter()
            .map(|s| SplitNote {
                school: s.school,
                columns: s.columns,
                how: s.how,
            })
            .collect(),
        crosswalk: vec![],
        evidence,
        diagnostics: vec![],
    };
    (assessment, diags)
}

/// The official document, and beside it the changes the county made to its values: a
/// document must not cite 教督〔2017〕6号 beside a standard it does not set.
fn cited_source(profile: &crate::model::Profile) -> String {
    if profile.changes.is_empty() {
        return profile.source.clone();
    }
    let by = match &profile.basis {
        Some(basis) => format!("按{basis}修改后的标准判定"),
        None => "按本县提高后的标准判定".to_owned(),
    };
    format!("{}；{by}：{}", profile.source, profile.changes.join("，"))
}
