//! Snapshots (`yingjian snapshot 省检报送`): the assessment, the inputs, the per-page hashes
//! of every output and the box prints of a build the team submitted, kept under
//! `snapshots/<name>/` at the workspace root — a record of what was sent, which no build can
//! make again, so never under out/ (which may be deleted) — so that before the next
//! inspection the change report can cover everything since then, across any number of builds.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::Path;

use super::changes::{self, Changes};
use super::inputs::{self, Inputs};
use super::manifest::{Manifest, reprint};
use crate::diag::AppError;
use crate::model::Lock;
use crate::paths;

/// Under the workspace root.
pub const DIR: &str = paths::SNAPSHOTS;
/// Inside the folder under a name no snapshot can have (names never start with a dot).
pub const INDEX: &str = "snapshots/.index.json";
/// Where versions before 0.2 kept them, under out/: moved to `DIR` by the next build.
const OLD_DIR: &str = ".yingjian/snapshots";
const OLD_INDEX: &str = ".yingjian/snapshots.json";

/// What a snapshot keeps.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    pub name: String,
    /// The workspace's "today" when it was taken (county.yaml), for the list.
    pub today: String,
    pub assessment: Value,
    pub inputs: Inputs,
    pub manifest: Manifest,
    /// Box id → hashes of what its contents list and spine print.
    pub prints: std::collections::BTreeMap<String, (u64, u64)>,
}

/// The names in the order they were taken; the last is the latest.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Index {
    names: Vec<String>,
}

/// A name that is a plain folder name: no separators, no leading dot, nothing invisible.
pub fn check_name(name: &str) -> Result<(), AppError> {
    // Windows keeps these device names for itself, in any case and with any extension.
    let stem = name.split('.').next().unwrap_or("").to_ascii_uppercase();
    let device = |prefix: &str| stem.len() == 4 && stem.starts_with(prefix) && stem.as_bytes()[3].is_ascii_digit();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL") || device("COM") || device("LPT");
    let bad = name.trim().is_empty()
        || name.starts_with('.')
        || name.ends_with('.')
        || name.ends_with(' ')
        || reserved
        || name
            .chars()
            .any(|c| c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        || name.chars().count() > 60;
    if bad {
        return Err(AppError::usage(format!("快照名称“{name}”不能用作文件夹名")).with_hint(
            "用简短的中文或字母数字，如 省检报送、2026-11-国检前；不要含 / \\ : * ? \" < > |，不以 . 开头或以 . 、空格结尾，不用 CON、NUL 等设备名",
        ));
    }
    Ok(())
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Option<T> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

fn index(root: &Path) -> Index {
    // Until the next build moves them: where an earlier version kept them.
    read_json(&root.join(INDEX))
        .or_else(|| read_json(&root.join(paths::OUT).join(OLD_INDEX)))
        .unwrap_or_default()
}

/// Records what the last (successful) build left under out/ as snapshot `name`; an earlier
/// snapshot of that name is replaced.
pub fn take(root: &Path, name: &str) -> Result<Snapshot, AppError> {
    check_name(name)?;
    // Held while writing: a build starting meanwhile would remove the half-written files.
    let _held = super::lock::acquire(root, || {})
        .map_err(|e| AppError::failed(format!("写入快照失败：{}", super::swap::reason(&e))))?;
    move_from_out(root).map_err(|e| AppError::failed(format!("移动旧快照失败：{}", super::swap::reason(&e))))?;
    let out = root.join(paths::OUT);
    let lock: Lock = read_json(&root.join(paths::LOCK)).unwrap_or_default();
    let assessment: Value = read_json(&out.join(paths::ASSESSMENT_JSON))
        .ok_or_else(|| AppError::failed("没有可记录的生成结果").with_hint("先运行 yingjian build"))?;
    let snapshot = Snapshot {
        name: name.to_owned(),
        today: assessment["county"]["today"].as_str().unwrap_or("").to_owned(),
        assessment,
        inputs: inputs::read(root).unwrap_or_default(),
        manifest: Manifest::read(root),
        prints: lock.prints.clone(),
    };
    let failed = |e: std::io::Error| AppError::failed(format!("写入快照失败：{}", super::swap::reason(&e)));
    let bytes = serde_json::to_vec(&snapshot).map_err(|e| failed(std::io::Error::other(e)))?;
    let path = root.join(DIR).join(name).join("snapshot.json");
    super::write_file(&path, &bytes).map_err(failed)?;
    let mut idx = index(root);
    // On a disk that ignores case, "A" and "a" would share one folder.
    if let Some(other) = idx
        .names
        .iter()
        .find(|n| *n != name && n.to_lowercase() == name.to_lowercase())
    {
        return Err(AppError::usage(format!("快照名称“{name}”与已有的“{other}”只差大小写"))
            .with_hint("换一个名称，或沿用已有的名称以更新它"));
    }
    idx.names.retain(|n| n != name);
    idx.names.push(name.to_owned());
    let bytes = serde_json::to_vec_pretty(&idx).map_err(|e| failed(std::io::Error::other(e)))?;
    super::write_file(&root.join(INDEX), &bytes).map_err(failed)?;
    Ok(snapshot)
}

/// Moves the snapshots an earlier version kept under out/.yingjian/ to `snapshots/`, keeping
/// their order (before any taken since); call while holding the build lock. A name already
/// under `snapshots/` keeps the newer one there. Returns how many were moved.
pub fn move_from_out(root: &Path) -> std::io::Result<usize> {
    let out = root.join(paths::OUT);
    let (old_dir, old_index) = (out.join(OLD_DIR), out.join(OLD_INDEX));
    if !old_dir.is_dir() && !old_index.is_file() {
        return Ok(0);
    }
    let old: Index = read_json(&old_index).unwrap_or_default();
    let mut now = index(root);
    let mut moved = 0;
    let mut names = vec![];
    for name in old.names.iter().filter(|n| check_name(n).is_ok()) {
        let (from, to) = (old_dir.join(name), root.join(DIR).join(name));
        if from.join("snapshot.json").is_file() && !to.exists() {
            std::fs::create_dir_all(root.join(DIR))?;
            if std::fs::rename(&from, &to).is_err() {
                // Another disk (out/ a link to one): copied instead.
                std::fs::create_dir_all(&to)?;
                std::fs::copy(from.join("snapshot.json"), to.join("snapshot.json"))?;
            }
            moved += 1;
        }
        if !now.names.contains(name) {
            names.push(name.clone());
        }
    }
    names.append(&mut now.names);
    now.names = names;
    let bytes = serde_json::to_vec_pretty(&now).map_err(std::io::Error::other)?;
    super::write_file(&root.join(INDEX), &bytes)?;
    // Only once everything is in its new place.
    let _ = std::fs::remove_dir_all(&old_dir);
    let _ = std::fs::remove_file(&old_index);
    Ok(moved)
}

/// Every snapshot, oldest first.
pub fn list(root: &Path) -> Vec<Snapshot> {
    index(root).names.iter().filter_map(|n| read(root, n)).collect()
}

pub fn read(root: &Path, name: &str) -> Option<Snapshot> {
    if check_name(name).is_err() {
        return None;
    }
    let file = |dir: &Path| read_json(&dir.join(name).join("snapshot.json"));
    file(&root.join(DIR)).or_else(|| file(&root.join(paths::OUT).join(OLD_DIR)))
}

/// The snapshot taken last.
pub fn latest(root: &Path) -> Option<Snapshot> {
    let name = index(root).names.pop()?;
    read(root, &name)
}

/// `since` against what the last build left under out/ and in content/evidence.lock.
pub fn since_current(root: &Path, snap: &Snapshot) -> (Changes, Vec<String>, Vec<(String, &'static str)>) {
    let out = root.join(paths::OUT);
    let assessment: Value = read_json(&out.join(paths::ASSESSMENT_JSON)).unwrap_or_default();
    let lock: Lock = read_json(&root.join(paths::LOCK)).unwrap_or_default();
    let inputs = inputs::read(root).unwrap_or_default();
    since(snap, &assessment, &inputs, &Manifest::read(root), &lock.prints)
}

/// Everything that changed from `snap` to the build described by the other arguments: the
/// same kinds as the change report, the outputs whose bytes differ, their pages to reprint,
/// and the boxes whose prints differ.
pub fn since(
    snap: &Snapshot,
    assessment: &Value,
    inputs: &Inputs,
    manifest: &Manifest,
    prints: &std::collections::BTreeMap<String, (u64, u64)>,
) -> (Changes, Vec<String>, Vec<(String, &'static str)>) {
    let mut c = Changes {
        inputs: inputs::changes(&snap.inputs, inputs),
        schools: changes::school_changes(&snap.assessment, assessment),
        totals: changes::total_changes(&snap.assessment, assessment),
        figures: changes::figure_changes(&snap.assessment, assessment),
        pages: vec![],
    };
    let mut written = vec![];
    // Printed documents only: yingjian's own files (the report's parts) are nobody's to reprint.
    for (rel, now) in manifest.outputs.iter().filter(|(r, _)| !r.starts_with('.')) {
        match snap.manifest.outputs.get(rel) {
            Some(was) if was.output == now.output => {}
            Some(was) => {
                written.push(rel.clone());
                if let Some(p) = reprint(was, now) {
                    c.pages.push(format!("out/{rel}：{p}"));
                }
            }
            None => written.push(rel.clone()),
        }
    }
    // Boxes by the label printed on them, as the build's report names them.
    let labels: std::collections::BTreeMap<&str, String> = assessment["evidence"]["boxes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| {
            let id = b["id"].as_str()?;
            let part = b["part"].as_str().map(|p| format!("（{p}）")).unwrap_or_default();
            Some((id, format!("{id}{part}")))
        })
        .collect();
    let label = |id: &String| labels.get(id.as_str()).cloned().unwrap_or_else(|| id.clone());
    let boxes = prints
        .iter()
        .filter_map(|(id, (contents, spine))| match snap.prints.get(id) {
            None => Some((label(id), "新盒：目录、盒面、盒脊")),
            Some((c0, s0)) if c0 != contents && s0 != spine => Some((label(id), "卷内目录与盒脊")),
            Some((c0, _)) if c0 != contents => Some((label(id), "卷内目录")),
            Some((_, s0)) if s0 != spine => Some((label(id), "盒脊")),
            _ => None,
        })
        .collect();
    // Documents the snapshot had and the build no longer makes.
    for rel in snap
        .manifest
        .outputs
        .keys()
        .filter(|r| !r.starts_with('.') && !manifest.outputs.contains_key(*r))
    {
        c.pages.push(format!("out/{rel}：已不再生成，请撤下"));
    }
    (c, written, boxes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_names_are_plain_folder_names() {
        for ok in ["省检报送", "2026-11-国检前", "index.json"] {
            assert!(check_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            " ",
            "../外面",
            "a/b",
            ".隐藏",
            "结尾点.",
            "结尾空格 ",
            "CON",
            "nul.txt",
            "COM1",
            "a\u{1}b",
        ] {
            assert_eq!(check_name(bad).map_err(|e| e.exit), Err(2), "{bad:?}");
        }
    }
}
