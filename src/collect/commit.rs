//! `merge --apply`'s writes as one step: content/schools.xlsx's cells, content/county.yaml's
//! figures and the record of the rounds, all or none (issue 32 point 4: "a failed or refused
//! merge changes nothing"; the change report needs the record to name a return).

use std::path::Path;

use super::apply::{self, Edit};
use super::unit_merge;
use crate::model::ReturnRecord;
use crate::paths;

/// What was written: the backup of each file changed.
#[derive(Debug, Default)]
pub struct Written {
    pub schools: Option<String>,
    pub county: Option<String>,
}

/// Writes `edits` into schools.xlsx, `county` (old and new text) into county.yaml and the
/// `record`; when a later write fails, the files already written are put back.
pub fn commit(
    root: &Path,
    edits: &[Edit],
    county: Option<&(String, String)>,
    record: &ReturnRecord,
) -> Result<Written, String> {
    let mut done = Written::default();
    if !edits.is_empty() {
        done.schools = Some(apply::apply(root, edits).map_err(|e| format!("没有写入任何修改：{e}"))?);
    }
    if let Some(c) = county {
        match unit_merge::write_county(root, c, done.schools.as_deref()) {
            Ok(b) => done.county = Some(b),
            Err(e) => return Err(undo(root, &done, county, e)),
        }
    }
    if let Err(e) = crate::out::returns::write(root, record) {
        return Err(undo(root, &done, county, format!("无法写入 {}：{e}", paths::RETURNS)));
    }
    Ok(done)
}

/// Puts back what `done` wrote; the message of `e` and of anything that could not be put back.
fn undo(root: &Path, done: &Written, county: Option<&(String, String)>, e: String) -> String {
    let mut left = vec![];
    if let Some(b) = &done.schools {
        let back = std::fs::read(root.join(b)).and_then(|old| crate::out::replace(&root.join(paths::SCHOOLS), &old));
        if let Err(r) = back {
            left.push(format!("{} 已改写但无法还原（{r}），原文件在 {b}", paths::SCHOOLS));
        }
    }
    if let (Some(b), Some((old, _))) = (&done.county, county) {
        if let Err(r) = crate::out::replace(&root.join(paths::CONFIG), old.as_bytes()) {
            left.push(format!("{} 已改写但无法还原（{r}），原文件在 {b}", paths::CONFIG));
        }
    }
    if left.is_empty() {
        format!("没有写入任何修改：{e}")
    } else {
        format!("{e}；{}", left.join("；"))
    }
}
