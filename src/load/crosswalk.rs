//! county.yaml `catalogue_profile`: a catalogue (evidence.xlsx, scores.yaml, tasks.yaml,
//! units.yaml) kept in one indicator system's ids — the provincial one it was made for — and
//! read through the built-in crosswalk into the system of the inspection at hand.

use std::collections::BTreeMap;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::county::VetoDeclaration;
use crate::model::team::ScoreEntry;
use crate::model::{Crosswalk, EvidenceItem, Profile, ScoresFile, Task, Unit, Verdict};
use crate::paths::{CONFIG, EVIDENCE};

/// The catalogue's system and the crosswalk from it, when county.yaml names one that is not
/// the inspection's own.
pub fn catalogue(id: Option<&str>, profile: &Profile, diags: &mut Diagnostics) -> Option<(Profile, Crosswalk)> {
    let id = id.filter(|id| *id != profile.id)?;
    let Some(catalogue) = Profile::builtin(id) else {
        let known: Vec<&str> = crate::model::profile::BUILTIN.iter().map(|(i, _)| *i).collect();
        diags.push(
            Diagnostic::error(
                "unknown-profile",
                Location::file(CONFIG),
                format!("未知的指标体系“{id}”（catalogue_profile）"),
            )
            .with_hint(format!("catalogue_profile 可选：{}", known.join("、"))),
        );
        return None;
    };
    let Some(crosswalk) = Crosswalk::builtin(id, &profile.id) else {
        let pairs: Vec<String> = crate::model::crosswalk::BUILTIN
            .iter()
            .map(|(f, t, _)| format!("{f} → {t}"))
            .collect();
        diags.push(
            Diagnostic::error(
                "crosswalk-missing",
                Location::file(CONFIG),
                format!(
                    "没有从“{id}”到“{}”的指标对照，无法按 {id} 的编号读取材料清单",
                    profile.id
                ),
            )
            .with_hint(format!(
                "内置的对照：{}；或删去 catalogue_profile，改用 {} 的指标编号",
                pairs.join("、"),
                profile.id
            )),
        );
        return None;
    };
    Some((catalogue, crosswalk))
}

/// The inspection indicators a whole catalogue indicator serves, in the order of its points.
fn indicator_targets(cw: &Crosswalk, catalogue: &Profile, id: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    let points = catalogue.indicator(id).map(|i| i.points.as_slice()).unwrap_or_default();
    for p in points {
        for t in cw.targets(id, &p.id).map(|(t, _)| t).unwrap_or_default() {
            if !out.contains(t) {
                out.push(t.clone());
            }
        }
    }
    out
}

/// Evidence items into the inspection's ids: each takes the first indicator its point serves
/// (that indicator's first point). Items whose point serves none come back apart, reported once
/// per catalogue indicator, not once per file.
pub fn evidence(
    items: Vec<EvidenceItem>,
    cw: &Crosswalk,
    catalogue: &Profile,
    profile: &Profile,
    diags: &mut Diagnostics,
) -> (Vec<EvidenceItem>, Vec<EvidenceItem>) {
    let mut mapped = vec![];
    let mut unmapped: Vec<EvidenceItem> = vec![];
    for mut item in items {
        let target = cw
            .targets(&item.indicator, &item.point)
            .and_then(|(t, _)| t.first())
            .and_then(|t| profile.indicator(t))
            .and_then(|ind| Some((ind.id.clone(), ind.points.first()?.id.clone())));
        match target {
            Some((ind, point)) => {
                item.catalogue = Some((
                    std::mem::replace(&mut item.indicator, ind),
                    std::mem::replace(&mut item.point, point),
                ));
                mapped.push(item);
            }
            None => unmapped.push(item),
        }
    }
    let mut by_indicator: BTreeMap<(u32, String), Vec<&EvidenceItem>> = BTreeMap::new();
    for item in &unmapped {
        let n = catalogue.indicator(&item.indicator).map(|i| i.number).unwrap_or(0);
        by_indicator.entry((n, item.indicator.clone())).or_default().push(item);
    }
    for ((_, id), items) in by_indicator {
        let name = catalogue.indicator(&id).map(|i| i.name.as_str()).unwrap_or_default();
        // Each point once, in the order of the indicator's points (the sheet may list them in any).
        let points: Vec<&str> = catalogue
            .indicator(&id)
            .map(|i| i.points.iter().map(|p| p.id.as_str()).collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .filter(|p| items.iter().any(|i| i.point == *p))
            .collect();
        let why = cw
            .targets(&id, &items[0].point)
            .map(|(_, note)| note.to_owned())
            .unwrap_or_else(|| "对照表未列出该指标".to_owned());
        diags.push(
            Diagnostic::warning(
                "crosswalk-unmapped",
                Location::file(EVIDENCE),
                format!(
                    "{id} {name}（要点 {}）的 {} 件佐证材料在“{}”中没有对应指标，不装入本次检查的档案盒：{why}",
                    points.join("、"),
                    items.len(),
                    profile.name
                ),
            )
            .with_hint("这些材料仍保留在清单和省检编号中；如本次检查也需要，可在备注中说明，或另列到对应指标下"),
        );
    }
    (mapped, unmapped)
}

/// Indicator ids of a task or a unit, into the inspection's: every indicator the named ones
/// serve, in order, once.
pub fn ids(list: &[String], cw: &Crosswalk, catalogue: &Profile) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for id in list {
        for t in indicator_targets(cw, catalogue, id) {
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

pub fn tasks(tasks: &mut [Task], cw: &Crosswalk, catalogue: &Profile) {
    for t in tasks {
        t.indicators = ids(&t.indicators, cw, catalogue);
    }
}

pub fn units(units: &mut [Unit], cw: &Crosswalk, catalogue: &Profile) {
    for u in units {
        for list in [&mut u.leads, &mut u.supports].into_iter().flatten() {
            *list = ids(list, cw, catalogue);
        }
    }
}

/// Scores for the inspection: its own ids as written; a status declared in the catalogue's
/// ids carries over to an inspection indicator only when every catalogue indicator serving it
/// is an A item served wholly by it and declared — then the worst of their statuses. Scores
/// of B items do not carry over: the indicator they serve asks for its own status
/// (`status-undeclared`).
pub fn scores(direct: ScoresFile, catalogued: &ScoresFile, cw: &Crosswalk, catalogue: &Profile) -> ScoresFile {
    let mut out = direct;
    let mut sources: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for e in &cw.map {
        for t in indicator_targets(cw, catalogue, &e.from) {
            sources.entry(t).or_default().push(&e.from);
        }
    }
    for (target, from) in sources {
        if out.contains_key(&target) {
            continue;
        }
        let statuses: Option<Vec<Verdict>> = from
            .iter()
            .map(|id| {
                let whole = indicator_targets(cw, catalogue, id) == [target.clone()];
                let a = catalogue
                    .indicator(id)
                    .is_some_and(|i| i.kind == crate::model::IndicatorType::A);
                catalogued.get(*id).and_then(|s| s.status).filter(|_| whole && a)
            })
            .collect();
        let Some(statuses) = statuses else { continue };
        let worst = if statuses.contains(&Verdict::NotMet) {
            Verdict::NotMet
        } else if statuses.contains(&Verdict::Pending) {
            Verdict::Pending
        } else {
            Verdict::Met
        };
        let reason = from
            .iter()
            .filter_map(|id| catalogued.get(*id).and_then(|s| s.reason.clone()))
            .collect::<Vec<_>>()
            .join("；");
        out.insert(
            target,
            ScoreEntry {
                status: Some(worst),
                reason: Some(format!(
                    "按 {} 的申报{}",
                    from.join("、"),
                    if reason.is_empty() {
                        String::new()
                    } else {
                        format!("：{reason}")
                    }
                )),
                ..ScoreEntry::default()
            },
        );
    }
    out
}

/// Veto declarations into the inspection's ids: an item is declared when every catalogue
/// item that is it is declared, present when any of them is.
pub fn veto(declared: &BTreeMap<String, VetoDeclaration>, cw: &Crosswalk) -> BTreeMap<String, VetoDeclaration> {
    let mut sources: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in &cw.veto {
        for t in to {
            sources.entry(t).or_default().push(from);
        }
    }
    let mut out = BTreeMap::new();
    for (target, from) in sources {
        let all: Option<Vec<&VetoDeclaration>> = from.iter().map(|f| declared.get(*f)).collect();
        let Some(all) = all else { continue };
        let notes: Vec<String> = all.iter().filter_map(|d| d.note.clone()).collect();
        out.insert(
            target.to_owned(),
            VetoDeclaration {
                present: all.iter().any(|d| d.present),
                note: (!notes.is_empty()).then(|| notes.join("；")),
            },
        );
    }
    out
}
