//! Writing a finished build: the outputs, then what records them — stale files removed, the
//! change report, the manifest, the scan cache and, last, the evidence lock.

use serde_json::Value;
use std::path::Path;

use super::changes::{self, Changes};
use super::inputs::{self, Inputs};
use super::manifest::{Manifest, reprint};
use super::records;
use super::swap::Txn;
use crate::model::Lock;
use crate::model::Stamp;
use crate::model::evidence::EvidenceFile;
use crate::paths;

/// Everything a build hands to the out stage.
pub struct Commit<'a> {
    /// Files for `out/` (`None`: unchanged, left as it is), in the order they are listed.
    pub files: Vec<(String, Option<Vec<u8>>)>,
    /// The assessment as written to 评估结果.json, to compare with the previous one.
    pub assessment: &'a Value,
    pub manifest: Manifest,
    pub previous: &'a Manifest,
    /// Boxes whose prints changed since the previous build.
    pub reprint: &'a [(String, &'static str)],
    pub evidence_files: &'a [EvidenceFile],
    pub lock: &'a Lock,
    /// The lock as the build found it.
    pub old_lock: &'a Lock,
    /// The inputs as this build read them.
    pub inputs: &'a Inputs,
    /// What moved since the previous build (`moved`).
    pub moved: Changes,
    /// No earlier build left an assessment: everything is new.
    pub first: bool,
    /// The stamp of the inputs (`unchanged::stamp`) and the warnings of making the data.
    pub stamp: u64,
    pub warnings: Vec<crate::diag::Diagnostic>,
    /// Documents written to the staging folder as they were made (box books), to move into
    /// place.
    pub staged: Vec<String>,
}

/// Under out/: the changes of the last build that changed something, as the overview shows them.
const LAST_CHANGES: &str = ".yingjian/changes.json";

/// The changes the overview shows: this build's, or when it changed nothing those of the last
/// build that did (so that a rebuild with no change leaves the page as it is).
pub fn shown_changes(root: &Path, moved: &Changes) -> Option<Value> {
    let lines = moved.lines();
    if !lines.is_empty() || !moved.pages.is_empty() {
        return Some(serde_json::json!({"lines": lines, "pages": moved.pages}));
    }
    let text = std::fs::read_to_string(root.join(paths::OUT).join(LAST_CHANGES)).ok()?;
    serde_json::from_str(&text).ok()
}

/// The assessment the previous build wrote (评估结果.json), when there is one.
pub fn previous_assessment(root: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(root.join(paths::OUT).join(paths::ASSESSMENT_JSON)).ok()?;
    serde_json::from_str(&text).ok()
}

/// What moved since the previous build, from its records under out/: the assessment as it
/// was (`old`, `previous_assessment`), the inputs it read, the per-page hashes of its
/// documents (`previous`).
pub fn moved(
    root: &Path,
    assessment: &Value,
    old: Option<Value>,
    inputs: &Inputs,
    previous: &Manifest,
    manifest: &Manifest,
) -> (Changes, bool) {
    let mut moved = Changes {
        inputs: inputs::read(root)
            .map(|o| inputs::changes_from(&o, inputs, super::returns::read(root).as_ref()))
            .unwrap_or_default(),
        ..Changes::default()
    };
    if let Some(o) = &old {
        moved.schools = changes::school_changes(o, assessment);
        moved.totals = changes::total_changes(o, assessment);
        moved.figures = changes::figure_changes(o, assessment);
    }
    // Page by page, for every document typeset anew: which printed pages to swap.
    // Printed documents only: yingjian's own files (the report's parts) are nobody's to reprint.
    for (rel, now) in manifest.outputs.iter().filter(|(r, _)| !r.starts_with('.')) {
        let Some(was) = previous.outputs.get(rel).filter(|w| w.output != now.output) else {
            continue;
        };
        if let Some(pages) = reprint(was, now) {
            moved.pages.push(format!("out/{rel}：{pages}"));
        }
    }
    (moved, old.is_none())
}

/// What was written: every output with whether it changed, and the figures that moved.
pub struct Written {
    pub outputs: Vec<(String, bool)>,
    pub changes: Vec<String>,
}

/// Writes a finished build all or none (`swap::Txn`): every changed file is staged whole,
/// then all are renamed into place together with the records; a failure at any point leaves
/// out/ (and the evidence lock) as the previous build left them, and names the file.
pub fn commit(root: &Path, c: Commit) -> std::io::Result<Written> {
    let out = root.join(paths::OUT);
    let mut txn = Txn::new(root)?;
    let mut outputs = vec![];
    let staging = out.join(super::store::STAGING);
    for rel in &c.staged {
        let target = out.join(rel);
        // Made again with the bytes the last build wrote, and the file still as written: left
        // alone.
        let was = c.previous.outputs.get(rel);
        let same = was.map(|o| o.output) == c.manifest.outputs.get(rel).map(|o| o.output)
            && was.and_then(|o| o.stamp).is_some_and(|s| Stamp::of(&target) == Some(s));
        if !same {
            txn.add_from(rel, staging.join(rel));
        }
        outputs.push((rel.clone(), !same));
    }
    // In parallel: a correction rewrites a few files of tens of MB (the combined forms, the
    // Word report), each synced to disk.
    let files: Vec<(String, bool)> = {
        use rayon::prelude::*;
        let txn = &txn;
        crate::pool::pool().install(|| {
            c.files
                .par_iter()
                .map(|(rel, bytes)| {
                    // A typeset file whose bytes differ from the last build's is staged without
                    // reading the old one; one with the same bytes, still as written, is left alone.
                    let target = out.join(rel);
                    let known = match (c.manifest.outputs.get(rel), c.previous.outputs.get(rel)) {
                        (Some(now), Some(was)) if now.output != was.output => Some(true),
                        (Some(_), Some(was)) if was.stamp.is_some() && Stamp::of(&target) == was.stamp => Some(false),
                        _ => None,
                    };
                    let changed = match (bytes, known) {
                        (None, _) | (Some(_), Some(false)) => false,
                        (Some(_), Some(true)) => true,
                        (Some(b), None) => !same_bytes(&target, b),
                    };
                    if let (true, Some(b)) = (changed, bytes) {
                        txn.stage(rel, b)?;
                    }
                    Ok((rel.clone(), changed))
                })
                .collect::<std::io::Result<_>>()
        })?
    };
    for (rel, changed) in &files {
        if *changed {
            txn.add(rel);
        }
    }
    outputs.extend(files);
    for rel in c.previous.stale(&c.manifest) {
        txn.remove(rel);
    }
    let written: Vec<String> = outputs
        .iter()
        .filter(|(r, changed)| *changed && !r.starts_with('.'))
        .map(|(r, _)| r.clone())
        .collect();
    let moved = c.moved;
    let lines = moved.lines();
    // What the overview shows until the next build that changes something.
    if !lines.is_empty() || !moved.pages.is_empty() {
        let shown = serde_json::json!({"lines": lines, "pages": moved.pages});
        put(&mut txn, &out, LAST_CHANGES, &to_json(&shown)?)?;
    }
    // The overview alone changing (its snapshot section, say) is no change to report.
    let only_overview = written.iter().all(|w| w == "index.html");
    if !lines.is_empty() || !moved.pages.is_empty() || !only_overview || !c.reprint.is_empty() {
        let md = changes::report(&moved, &written, c.reprint, c.first);
        put(&mut txn, &out, paths::CHANGE_REPORT, md.as_bytes())?;
    }
    put(
        &mut txn,
        &out,
        paths::SCAN_CACHE,
        &to_json(&records::scan_cache(c.evidence_files))?,
    )?;
    put(&mut txn, &out, inputs::RECORD, &to_json(c.inputs)?)?;
    // Stamps as the files will be once in place (a rename keeps size and time).
    let now = |rel: &str| Stamp::of(&txn.source(rel));
    let mut manifest = c.manifest;
    // Unchanged outputs were stamped when checked; typeset ones are stamped as written.
    for (rel, o) in manifest.outputs.iter_mut().filter(|(_, o)| o.stamp.is_none()) {
        o.stamp = now(rel);
    }
    let left = c
        .files
        .iter()
        .map(|(rel, _)| rel.as_str())
        .chain(c.staged.iter().map(String::as_str))
        .chain([inputs::RECORD]);
    manifest.build = Some(super::unchanged::Record {
        inputs: c.stamp,
        files: left.filter_map(|rel| Some((rel.to_owned(), now(rel)?))).collect(),
        warnings: c.warnings,
    });
    if manifest != *c.previous {
        let bytes = serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?;
        put(&mut txn, &out, paths::MANIFEST, &bytes)?;
    }
    if c.lock != c.old_lock {
        let text = serde_json::to_string_pretty(c.lock).map_err(std::io::Error::other)?;
        if !same_bytes(&root.join(paths::LOCK), text.as_bytes()) {
            txn.put_beside(paths::LOCK, text.as_bytes())?;
        }
    }
    txn.commit()?;
    let _ = std::fs::remove_dir_all(&staging);
    Ok(Written {
        outputs,
        changes: lines,
    })
}

/// Whether `path` holds exactly `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    std::fs::read(path).is_ok_and(|old| old == bytes)
}

/// Stages `out/rel` when its bytes change.
fn put(txn: &mut Txn, out: &Path, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
    if !same_bytes(&out.join(rel), bytes) {
        txn.stage(rel, bytes)?;
        txn.add(rel);
    }
    Ok(())
}

fn to_json<T: serde::Serialize + ?Sized>(v: &T) -> std::io::Result<Vec<u8>> {
    serde_json::to_vec(v).map_err(std::io::Error::other)
}
