//! Reading the workspace's text files: UTF-8, bounded in size, never through a link that
//! leads out of the workspace.

use std::path::Path;

pub use crate::diag::outside_error;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::CharOrigins;
use crate::paths;

/// Text files larger than this are refused rather than read.
const MAX_TEXT_BYTES: u64 = 16 * 1024 * 1024;

/// The error for an input that is not a regular file (`paths::not_regular` says what it is):
/// it is not opened, so a named pipe cannot block the run.
pub(crate) fn not_regular_error(rel: &str, what: &str) -> Diagnostic {
    Diagnostic::error(
        "not-regular-file",
        Location::file(rel),
        format!("{rel} 不是普通文件（是{what}），未读取"),
    )
    .with_hint("把它换成普通文件（从备份恢复或在原程序中重新保存）；yingjian 不读取管道、设备和文件夹")
}

/// Reads a UTF-8 text file of the workspace (a byte-order mark is dropped), refusing files
/// that are too large, not UTF-8, or outside the workspace.
pub(crate) fn read(root: &Path, rel: &str, diags: &mut Diagnostics, chars: &mut CharOrigins) -> Option<String> {
    if paths::outside(root, rel) {
        diags.push(outside_error(rel));
        return None;
    }
    let path = &root.join(rel);
    if let Some(what) = paths::not_regular(path) {
        diags.push(not_regular_error(rel, what));
        return None;
    }
    match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_TEXT_BYTES => {
            diags.push(
                Diagnostic::error(
                    "file-too-large",
                    Location::file(rel),
                    format!("文件过大（{} MB）", m.len() / 1_048_576),
                )
                .with_hint("数据文件不应超过 16 MB，请检查是否放错了文件"),
            );
            return None;
        }
        Err(e) => {
            diags.push(Diagnostic::error(
                "file-unreadable",
                Location::file(rel),
                format!("无法读取文件：{e}"),
            ));
            return None;
        }
        _ => {}
    }
    match std::fs::read(path) {
        Ok(bytes) => {
            let bytes = bytes.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(&bytes);
            if let Some(d) = super::encoding::problem(rel, bytes) {
                diags.push(d);
                return None;
            }
            let s = String::from_utf8_lossy(bytes).into_owned();
            chars.note_text(rel, &s);
            Some(s)
        }
        Err(e) => {
            diags.push(Diagnostic::error(
                "file-unreadable",
                Location::file(rel),
                format!("无法读取文件：{e}"),
            ));
            None
        }
    }
}
