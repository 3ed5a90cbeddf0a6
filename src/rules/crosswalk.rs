//! 指标对照表: how the catalogue's indicators (省检) answer the inspection's (国检), point by
//! point — the table the team briefs the inspectors with. Pure: the verdicts under the
//! catalogue's own system come in, assessed from the same workspace read in its ids.

use serde::Serialize;
use std::collections::BTreeMap;

use super::assessment::IndicatorResult;
use crate::model::{IndicatorType, Workspace};
use crate::rules::fmt_num;

#[derive(Debug, Clone, Serialize)]
pub struct CrosswalkRow {
    /// The catalogue's indicator, its name and the point ("A5", "生均体育运动场馆面积", "1").
    pub from: String,
    pub from_name: String,
    pub point: String,
    pub point_text: String,
    /// The inspection's indicators the point serves, "R5 生均体育运动场馆面积"; none: no counterpart.
    pub to: Vec<String>,
    pub note: String,
    /// The verdict under each system: the catalogue's indicator, the inspection's indicators.
    pub from_verdict: String,
    pub to_verdict: String,
    /// Evidence items listed under the point.
    pub evidence: usize,
}

/// A verdict as the tables print it: 达标 / 未达标 / 待核实, a B item's score.
pub fn verdict_label(r: &IndicatorResult) -> String {
    match (r.kind, r.score, r.max_score) {
        (IndicatorType::B, Some(s), Some(m)) => format!("{} / {} 分", fmt_num(s), fmt_num(m)),
        _ => r.verdict.label().to_owned(),
    }
}

/// One row per catalogue point; empty without a catalogue profile.
pub fn rows(
    ws: &Workspace,
    indicators: &[IndicatorResult],
    catalogue_verdicts: &BTreeMap<String, String>,
) -> Vec<CrosswalkRow> {
    let Some(c) = &ws.catalogue else { return vec![] };
    let own: BTreeMap<&str, &IndicatorResult> = indicators.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut count: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let listed = ws
        .evidence
        .iter()
        .filter_map(|e| e.catalogue.as_ref().map(|(i, p)| (i.as_str(), p.as_str())));
    let unmapped = c.unmapped.iter().map(|e| (e.indicator.as_str(), e.point.as_str()));
    for key in listed.chain(unmapped) {
        *count.entry(key).or_default() += 1;
    }
    let mut out = vec![];
    for ind in &c.profile.indicators {
        for p in &ind.points {
            let (targets, note) = c.crosswalk.targets(&ind.id, &p.id).unwrap_or((&[], "对照表未列出"));
            let to: Vec<String> = targets
                .iter()
                .map(|t| match own.get(t.as_str()) {
                    Some(r) => format!("{} {}", r.id, r.name),
                    None => t.clone(),
                })
                .collect();
            let to_verdict = targets
                .iter()
                .filter_map(|t| own.get(t.as_str()).map(|r| verdict_label(r)))
                .collect::<Vec<_>>()
                .join("；");
            out.push(CrosswalkRow {
                from: ind.id.clone(),
                from_name: ind.name.clone(),
                point: p.id.clone(),
                point_text: p.text.clone(),
                to,
                note: note.to_owned(),
                from_verdict: catalogue_verdicts.get(&ind.id).cloned().unwrap_or_default(),
                to_verdict: if targets.is_empty() {
                    "—".to_owned()
                } else {
                    to_verdict
                },
                evidence: count.get(&(ind.id.as_str(), p.id.as_str())).copied().unwrap_or(0),
            });
        }
    }
    out
}
