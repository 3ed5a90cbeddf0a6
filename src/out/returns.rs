//! Reading and writing the record of the fill-in rounds (`paths::RETURNS`, `ReturnRecord`).

use std::path::Path;

use crate::model::ReturnRecord;
use crate::paths;

/// The record, `None` when no `collect` or merge ever wrote one (or it cannot be read: then
/// nothing is counted, as before the first round).
pub fn read(root: &Path) -> Option<ReturnRecord> {
    // Never through a link out of the workspace (`load::returns` says so).
    if paths::outside(root, paths::RETURNS) || paths::not_regular(&root.join(paths::RETURNS)).is_some() {
        return None;
    }
    let text = std::fs::read_to_string(root.join(paths::RETURNS)).ok()?;
    serde_json::from_str(&text).ok()
}

/// The record for adding to: empty before the first one, Err (in Chinese, with what to do)
/// when it exists but cannot be read, so that its rounds are never replaced unseen.
pub fn load(root: &Path) -> Result<ReturnRecord, String> {
    if !root.join(paths::RETURNS).exists() {
        return Ok(ReturnRecord::default());
    }
    read(root).ok_or_else(|| {
        format!(
            "{0} 无法读取（文件已损坏或被手工改动），没有写入任何修改：请从备份中恢复 {0}；确实不要以前的记录时删除它，再运行 yingjian collect 开始新的一轮",
            paths::RETURNS
        )
    })
}

/// Writes the record whole, atomically.
pub fn write(root: &Path, record: &ReturnRecord) -> std::io::Result<()> {
    let mut text = serde_json::to_string_pretty(record).map_err(std::io::Error::other)?;
    text.push('\n');
    super::write_file(&root.join(paths::RETURNS), text.as_bytes()).map(|_| ())
}
