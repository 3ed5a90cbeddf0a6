//! Writing a finished build: the outputs, then what records them — stale files removed, the
//! change report, the manifest, the scan cache and, last, the evidence lock.

use serde_json::Value;
use std::path::Path;

use super::manifest::Manifest;
use super::{changes, records};
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
}

/// What was written: every output with whether it changed, and the figures that moved.
pub struct Written {
    pub outputs: Vec<(String, bool)>,
    pub changes: Vec<String>,
}

pub fn commit(root: &Path, c: Commit) -> std::io::Result<Written> {
    let out = root.join(paths::OUT);
    let old: Option<Value> = std::fs::read_to_string(out.join(paths::ASSESSMENT_JSON))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    let mut outputs = vec![];
    for (rel, bytes) in &c.files {
        let changed = match bytes {
            Some(b) => super::write(root, rel, b)?,
            None => false,
        };
        outputs.push((rel.clone(), changed));
    }
    for rel in c.previous.stale(&c.manifest) {
        let _ = std::fs::remove_file(out.join(rel));
    }
    let figures = old
        .as_ref()
        .map(|o| changes::figure_changes(o, c.assessment))
        .unwrap_or_default();
    let written: Vec<String> = outputs
        .iter()
        .filter(|(r, changed)| *changed && !r.starts_with('.'))
        .map(|(r, _)| r.clone())
        .collect();
    if !figures.is_empty() || !written.is_empty() || !c.reprint.is_empty() {
        let md = changes::report(&figures, &written, c.reprint, old.is_none());
        super::write(root, paths::CHANGE_REPORT, md.as_bytes())?;
    }
    let mut manifest = c.manifest;
    // Unchanged outputs were stamped when checked; typeset ones are stamped as written.
    for (rel, o) in manifest.outputs.iter_mut().filter(|(_, o)| o.stamp.is_none()) {
        o.stamp = Stamp::of(&out.join(rel));
    }
    if manifest != *c.previous {
        let bytes = serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?;
        super::write(root, paths::MANIFEST, &bytes)?;
    }
    records::write_scan_cache(root, c.evidence_files)?;
    if c.lock != c.old_lock {
        records::write_lock(root, c.lock)?;
    }
    Ok(Written {
        outputs,
        changes: figures,
    })
}
