//! Reading and writing the record of the fill-in rounds (`paths::RETURNS`, `ReturnRecord`).

use std::path::Path;

use crate::model::ReturnRecord;
use crate::paths;

/// The record, `None` when no `collect` or merge ever wrote one (or it cannot be read: then
/// nothing is counted, as before the first round).
pub fn read(root: &Path) -> Option<ReturnRecord> {
    let text = std::fs::read_to_string(root.join(paths::RETURNS)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Writes the record whole, atomically.
pub fn write(root: &Path, record: &ReturnRecord) -> std::io::Result<()> {
    let mut text = serde_json::to_string_pretty(record).map_err(std::io::Error::other)?;
    text.push('\n');
    super::write_file(&root.join(paths::RETURNS), text.as_bytes()).map(|_| ())
}
