//! The evidence catalogue reconciled with the files, numbered and boxed.

use super::assessment::EvidenceReport;
use super::evidence::{ItemState, assign, boxes, counts, format_number, item_key, reconcile};
use crate::diag::Diagnostics;
use crate::model::{EvidenceItem, Lock, Workspace};

pub fn report(ws: &Workspace, diags: &mut Diagnostics) -> EvidenceReport {
    let opts = ws.config.as_ref().map(|c| c.evidence.clone()).unwrap_or_default();
    // Files of catalogue items that serve no indicator of this inspection are listed all the
    // same (crosswalk-unmapped says so once): not "unlisted".
    let unmapped: Vec<&str> = ws
        .catalogue
        .iter()
        .flat_map(|c| c.unmapped.iter().filter_map(|e| e.file.as_deref()))
        .collect();
    // Borrowed as scanned unless some files are set aside (the usual case copies nothing).
    let files: std::borrow::Cow<[_]> = if unmapped.is_empty() {
        std::borrow::Cow::Borrowed(&ws.files)
    } else {
        ws.files
            .iter()
            .filter(|f| !unmapped.contains(&f.rel.as_str()))
            .cloned()
            .collect()
    };
    let found = reconcile(&ws.evidence, &files, diags);
    let (seqs, mut lock) = numbers(&ws.evidence, &ws.lock);
    let catalogue_numbers = catalogue_numbers(ws, &opts.number_format, &mut lock);
    let mut items: Vec<ItemState> = ws
        .evidence
        .iter()
        .enumerate()
        .map(|(i, e)| ItemState {
            index: i,
            number: match seqs[i] {
                0 => String::new(),
                seq => format_number(&opts.number_format, &e.indicator, &e.point, seq),
            },
            indicator: e.indicator.clone(),
            point: e.point.clone(),
            seq: seqs[i],
            title: e.title.clone(),
            file: e.file.clone(),
            status: found[i].0,
            review: e.status,
            pages: found[i].1,
            box_id: String::new(),
            catalogue_number: catalogue_numbers.get(i).cloned().flatten(),
        })
        .collect();
    let boxes = boxes(&ws.profile, &items, &opts);
    for b in &boxes {
        for &i in &b.items {
            items[i].box_id = b.id.clone();
        }
    }
    // Looked up by set, not by scanning the catalogue per file: 5000 × 5000 comparisons took
    // longer than the rest of the rules together.
    let covered: std::collections::HashSet<(&str, &str)> = items
        .iter()
        .filter(|s| counts(s))
        .map(|s| (s.indicator.as_str(), s.point.as_str()))
        .collect();
    let listed: std::collections::HashSet<&str> = ws.evidence.iter().filter_map(|e| e.file.as_deref()).collect();
    let points_without_evidence = ws
        .profile
        .indicators
        .iter()
        .flat_map(|ind| ind.points.iter().map(move |p| (ind, p)))
        .filter(|(ind, p)| !covered.contains(&(ind.id.as_str(), p.id.as_str())))
        .map(|(ind, p)| format!("{}-{}", ind.id, p.id))
        .collect();
    let count = |s: &str| items.iter().filter(|i| i.status == s).count();
    EvidenceReport {
        listed: items.len(),
        present: count("已提供"),
        missing_files: count("文件缺失"),
        paper_only: count("无电子文件"),
        unlisted_files: files.iter().filter(|f| !listed.contains(f.rel.as_str())).count(),
        points_without_evidence,
        items,
        boxes,
        lock,
    }
}

/// Sequence numbers of the items that count as evidence (`assign`); an item planned or sent
/// back (待提交, 退回: not boxed) takes none, but keeps the one it had in the lock, so that it
/// comes back to its place when accepted and no other item is given its number. 0: none.
fn numbers(evidence: &[EvidenceItem], lock: &Lock) -> (Vec<u32>, Lock) {
    use crate::model::evidence::Status;
    let out = |e: &EvidenceItem| matches!(e.status, Some(Status::Pending | Status::Returned));
    if !evidence.iter().any(out) {
        return assign(evidence, lock, false);
    }
    let counted: Vec<EvidenceItem> = evidence.iter().filter(|e| !out(e)).cloned().collect();
    let (counted_seqs, mut new) = assign(&counted, lock, false);
    let mut seqs = counted_seqs.into_iter();
    let mut all = vec![];
    for e in evidence {
        if !out(e) {
            all.push(seqs.next().unwrap_or(0));
            continue;
        }
        let key = item_key(e);
        let kept = lock.items.get(&key).copied();
        if let Some(seq) = kept {
            new.items.insert(key, seq);
        }
        all.push(kept.unwrap_or(0));
    }
    (all, new)
}

/// Each item's number in the catalogue's own system (the 省检 number of a 国检 build), kept
/// in the lock beside this system's: every catalogue item, boxed here or not, in sheet order.
fn catalogue_numbers(ws: &Workspace, format: &str, lock: &mut Lock) -> Vec<Option<String>> {
    let Some(c) = &ws.catalogue else {
        return vec![];
    };
    let mut items: Vec<(usize, EvidenceItem)> = ws
        .evidence
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut e = e.clone();
            if let Some((ind, point)) = e.catalogue.clone() {
                e.indicator = ind;
                e.point = point;
            }
            (i, e)
        })
        .chain(c.unmapped.iter().map(|e| (usize::MAX, e.clone())))
        .collect();
    items.sort_by_key(|(_, e)| e.row);
    let own = lock.others.get(&c.profile.id).cloned().unwrap_or_default();
    let list: Vec<EvidenceItem> = items.iter().map(|(_, e)| e.clone()).collect();
    let (seqs, kept) = assign(&list, &own, false);
    lock.others.insert(
        c.profile.id.clone(),
        Lock {
            profile: Some(c.profile.id.clone()),
            others: Default::default(),
            ..kept
        },
    );
    let mut out = vec![None; ws.evidence.len()];
    for ((i, e), seq) in items.iter().zip(seqs) {
        if *i != usize::MAX {
            out[*i] = Some(format_number(format, &e.indicator, &e.point, seq));
        }
    }
    out
}
