//! `merge --apply`'s writes as one step: the units' evidence files copied under evidence/,
//! content/schools.xlsx's cells, content/county.yaml's figures, content/evidence.xlsx's new
//! rows and the record of the rounds, all or none (issue 32 point 4: "a failed or refused
//! merge changes nothing"; issue 33 point 5: "a merge that fails halfway leaves content/ and
//! evidence/ as they were"). The returned files are only read, never moved.

use std::path::{Path, PathBuf};

use super::apply::{self, Edit};
use super::evidence_apply::{self, Plan};
use super::unit_merge;
use crate::model::ReturnRecord;
use crate::paths;

/// What was written: the backup of each file changed.
#[derive(Debug, Default)]
pub struct Written {
    pub schools: Option<String>,
    pub county: Option<String>,
    /// The backup of content/evidence.xlsx; `Some("")` when it was created.
    pub evidence: Option<String>,
    /// The files copied under evidence/, as stored ("A5/A5-1-….pdf").
    pub copied: Vec<String>,
}

/// Writes `edits` into schools.xlsx, `county` (old and new text) into county.yaml and the
/// `record`; when a later write fails, the files already written are put back.
pub fn commit(
    root: &Path,
    edits: &[Edit],
    county: Option<&(String, String)>,
    record: &ReturnRecord,
) -> Result<Written, String> {
    commit_all(root, edits, county, &Plan::default(), record)
}

/// [`commit`] with the evidence of `plan`: its files copied first (each to a name checked
/// free), the catalogue written after county.yaml, in the same backup folder. On a failure
/// everything is undone: copies removed, files restored from their backups, and the backups
/// of this merge removed once their file is back.
pub fn commit_all(
    root: &Path,
    edits: &[Edit],
    county: Option<&(String, String)>,
    plan: &Plan,
    record: &ReturnRecord,
) -> Result<Written, String> {
    let mut done = Written::default();
    let backups_before = backup_folders(root);
    let copied = evidence_apply::copy(root, &plan.copies).map_err(|e| format!("没有写入任何修改：{e}"))?;
    let mut state = Undo {
        copied,
        backups_before,
        evidence_old: None,
    };
    done.copied = plan.copies.iter().map(|c| c.stored.clone()).collect();
    if !edits.is_empty() {
        match apply::apply(root, edits) {
            Ok(b) => done.schools = Some(b),
            Err(e) => return Err(undo(root, &done, county, &state, e)),
        }
    }
    if let Some(c) = county {
        match unit_merge::write_county(root, c, done.schools.as_deref()) {
            Ok(b) => done.county = Some(b),
            Err(e) => return Err(undo(root, &done, county, &state, e)),
        }
    }
    if let Some((old, new)) = &plan.catalogue {
        let beside = done.county.as_deref().or(done.schools.as_deref());
        state.evidence_old = Some(old.clone());
        match write_catalogue(root, old.as_deref(), new, beside) {
            Ok(b) => done.evidence = Some(b),
            Err(e) => return Err(undo(root, &done, county, &state, e)),
        }
    }
    if let Err(e) = crate::out::returns::write(root, record) {
        let e = format!("无法写入 {}：{}", paths::RETURNS, crate::out::swap::reason(&e));
        return Err(undo(root, &done, county, &state, e));
    }
    Ok(done)
}

/// content/evidence.xlsx replaced by `new`, the old one (if any) first copied into the backup
/// folder of `beside` (or a new one); the backup's path, "" when the catalogue was created.
fn write_catalogue(root: &Path, old: Option<&[u8]>, new: &[u8], beside: Option<&str>) -> Result<String, String> {
    let rel = paths::EVIDENCE;
    let mut backup = String::new();
    if let Some(old) = old {
        let folder = match beside.and_then(|b| Path::new(b).parent()) {
            Some(p) => p.to_string_lossy().into_owned(),
            None => format!("{}/{}", apply::BACKUP_DIR, apply::now()),
        };
        // Two merges in one second share a folder: the earlier backup is kept.
        backup = (1..)
            .map(|k| match k {
                1 => format!("{folder}/evidence.xlsx"),
                k => format!("{folder}/evidence({k}).xlsx"),
            })
            .find(|b| !root.join(b).exists())
            .unwrap_or_default();
        crate::out::replace(&root.join(&backup), old)
            .map_err(|e| format!("无法写出备份 {backup}：{}", crate::out::swap::reason(&e)))?;
    }
    crate::out::replace(&root.join(rel), new)
        .map_err(|e| format!("无法写入 {rel}：{}", crate::out::swap::reason(&e)))?;
    Ok(backup)
}

/// What `undo` needs besides `Written`.
struct Undo {
    copied: Vec<PathBuf>,
    /// content/.备份/'s folders before this merge; `None`: it did not exist.
    backups_before: Option<Vec<std::ffi::OsString>>,
    /// content/evidence.xlsx before, once its write was attempted (`Some(None)`: absent).
    evidence_old: Option<Option<Vec<u8>>>,
}

/// Puts back what `done` wrote; the message of `e` and of anything that could not be put back.
fn undo(root: &Path, done: &Written, county: Option<&(String, String)>, state: &Undo, e: String) -> String {
    let mut left = vec![];
    if let Some(b) = &done.schools {
        let back = std::fs::read(root.join(b)).and_then(|old| crate::out::replace(&root.join(paths::SCHOOLS), &old));
        match back {
            Ok(()) => {}
            Err(r) => left.push(format!("{} 已改写但无法还原（{r}），原文件在 {b}", paths::SCHOOLS)),
        }
    }
    if let (Some(b), Some((old, _))) = (&done.county, county) {
        match crate::out::replace(&root.join(paths::CONFIG), old.as_bytes()) {
            Ok(()) => {}
            Err(r) => left.push(format!("{} 已改写但无法还原（{r}），原文件在 {b}", paths::CONFIG)),
        }
    }
    if let Some(old) = &state.evidence_old {
        let path = root.join(paths::EVIDENCE);
        let back = match old {
            Some(bytes) if std::fs::read(&path).is_ok_and(|now| now != *bytes) => crate::out::replace(&path, bytes),
            Some(_) => Ok(()),
            None => std::fs::remove_file(&path).or_else(|e| match e.kind() {
                std::io::ErrorKind::NotFound => Ok(()),
                _ => Err(e),
            }),
        };
        match (back, &done.evidence) {
            (Ok(()), _) => {}
            (Err(r), b) => left.push(format!(
                "{} 已改写但无法还原（{r}）{}",
                paths::EVIDENCE,
                b.as_deref()
                    .filter(|b| !b.is_empty())
                    .map(|b| format!("，原文件在 {b}"))
                    .unwrap_or_default()
            )),
        }
    }
    for f in evidence_apply::remove(&state.copied) {
        left.push(format!("复制的 {f} 无法删除，请手工删除"));
    }
    if left.is_empty() {
        // Everything is back: the backups of this merge go too, so content/ is as it was.
        forget_backups(root, state.backups_before.as_deref());
        format!("没有写入任何修改：{e}")
    } else {
        format!("{e}；{}", left.join("；"))
    }
}

/// The folders under content/.备份/, `None` when it does not exist.
fn backup_folders(root: &Path) -> Option<Vec<std::ffi::OsString>> {
    let entries = std::fs::read_dir(root.join(apply::BACKUP_DIR)).ok()?;
    Some(entries.flatten().map(|e| e.file_name()).collect())
}

/// Removes the backup folders made since `before` (every file in them is back in place), and
/// content/.备份/ itself when this merge created it.
fn forget_backups(root: &Path, before: Option<&[std::ffi::OsString]>) {
    let dir = root.join(apply::BACKUP_DIR);
    for name in backup_folders(root).unwrap_or_default() {
        if !before.is_some_and(|b| b.contains(&name)) {
            let _ = std::fs::remove_dir_all(dir.join(name));
        }
    }
    if before.is_none() {
        let _ = std::fs::remove_dir(&dir);
    }
}
