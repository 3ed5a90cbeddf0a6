//! yingjian's records beside the outputs: the evidence scan cache and the evidence lock.

use std::collections::BTreeMap;
use std::path::Path;

use crate::model::Lock;
use crate::model::evidence::{Cached, EvidenceFile};
use crate::paths;

/// The scan cache for the files of this scan: what was learnt of each, with its stamp.
pub fn scan_cache(files: &[EvidenceFile]) -> BTreeMap<String, Cached> {
    files
        .iter()
        // A file that could not be read may be readable next time (still being copied, say).
        .filter(|f| !f.problem.as_deref().is_some_and(|p| p.starts_with("无法读取")))
        .filter_map(|f| {
            let cached = Cached {
                stamp: f.stamp?,
                hash: f.hash,
                pages: f.pages,
                kind: f.kind,
                problem: f.problem.clone(),
            };
            Some((f.rel.clone(), cached))
        })
        .collect()
}

/// Writes `content/evidence.lock`, the one file under content/ that yingjian owns.
pub fn write_lock(root: &Path, lock: &Lock) -> std::io::Result<bool> {
    let text = serde_json::to_string_pretty(lock).map_err(std::io::Error::other)?;
    super::write_file(&root.join(paths::LOCK), text.as_bytes())
}

/// Drops the locked item numbers (keeping the record of what was printed), so the next
/// build numbers every item afresh in catalogue order.
pub fn renumber(root: &Path) -> std::io::Result<()> {
    let Ok(text) = std::fs::read_to_string(root.join(paths::LOCK)) else {
        return Ok(());
    };
    let mut lock: Lock = serde_json::from_str(&text).unwrap_or_default();
    lock.items.clear();
    lock.next.clear();
    write_lock(root, &lock).map(|_| ())
}
