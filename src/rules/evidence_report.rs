//! The evidence catalogue reconciled with the files, numbered and boxed.

use super::assessment::EvidenceReport;
use super::evidence::{ItemState, assign, boxes, format_number, reconcile};
use crate::diag::Diagnostics;
use crate::model::Workspace;

pub fn report(ws: &Workspace, diags: &mut Diagnostics) -> EvidenceReport {
    let opts = ws.config.as_ref().map(|c| c.evidence.clone()).unwrap_or_default();
    let found = reconcile(&ws.evidence, &ws.files, diags);
    let (seqs, lock) = assign(&ws.evidence, &ws.lock, false);
    let mut items: Vec<ItemState> = ws
        .evidence
        .iter()
        .enumerate()
        .map(|(i, e)| ItemState {
            index: i,
            number: format_number(&opts.number_format, &e.indicator, &e.point, seqs[i]),
            indicator: e.indicator.clone(),
            point: e.point.clone(),
            seq: seqs[i],
            title: e.title.clone(),
            file: e.file.clone(),
            status: found[i].0,
            pages: found[i].1,
            box_id: String::new(),
        })
        .collect();
    let boxes = boxes(&ws.profile, &items, &opts);
    for b in &boxes {
        for &i in &b.items {
            items[i].box_id = b.id.clone();
        }
    }
    let points_without_evidence = ws
        .profile
        .indicators
        .iter()
        .flat_map(|ind| ind.points.iter().map(move |p| (ind, p)))
        .filter(|(ind, p)| !ws.evidence.iter().any(|e| e.indicator == ind.id && e.point == p.id))
        .map(|(ind, p)| format!("{}-{}", ind.id, p.id))
        .collect();
    let count = |s: &str| items.iter().filter(|i| i.status == s).count();
    EvidenceReport {
        listed: items.len(),
        present: count("已提供"),
        missing_files: count("文件缺失"),
        paper_only: count("无电子文件"),
        unlisted_files: ws
            .files
            .iter()
            .filter(|f| !ws.evidence.iter().any(|e| e.file.as_deref() == Some(f.rel.as_str())))
            .count(),
        points_without_evidence,
        items,
        boxes,
        lock,
    }
}
