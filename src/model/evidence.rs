//! Rows of 佐证材料清单 (`content/evidence.xlsx`).

use serde::Serialize;

use super::date::Date;
use super::stamp::Stamp;

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceItem {
    /// Zero-based sheet row, for diagnostics.
    #[serde(skip)]
    pub row: u32,
    /// Canonical indicator id of the profile (e.g. A12).
    pub indicator: String,
    pub point: String,
    /// The indicator and point as the catalogue wrote them, when it is read through a
    /// crosswalk (county.yaml `catalogue_profile`).
    #[serde(skip)]
    pub catalogue: Option<(String, String)>,
    pub title: String,
    pub author: Option<String>,
    pub doc_no: Option<String>,
    pub date: Option<Date>,
    pub pages: Option<u32>,
    /// Path under `evidence/`.
    pub file: Option<String>,
    pub unit: Option<String>,
    pub secrecy: Option<String>,
    pub note: Option<String>,
    /// 状态 (issue 33); `None`: blank, an item the materials team catalogued itself.
    pub status: Option<Status>,
    /// 审核意见: why it was sent back, or the reviewer's remark.
    pub review: Option<String>,
    /// 来源: the return it came from ("人社局(1).xlsx，2026-11-20 合并").
    pub source: Option<String>,
    /// Where the 文件 and 页数 cells are, for findings about them.
    #[serde(skip)]
    pub at_file: crate::diag::Location,
    #[serde(skip)]
    pub at_pages: crate::diag::Location,
}

/// 状态 of a catalogued item: 待提交 → 已提交 (`merge --apply`) → 已审核, or 退回 with a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    Pending,
    Submitted,
    Accepted,
    Returned,
}

impl Status {
    pub fn label(self) -> &'static str {
        columns::STATUS_WORDS[self as usize]
    }

    pub fn from_label(s: &str) -> Option<Status> {
        [Status::Pending, Status::Submitted, Status::Accepted, Status::Returned]
            .into_iter()
            .find(|x| x.label() == s.trim())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Pdf,
    Image,
    Other,
}

impl FileKind {
    /// What a file's name says it is.
    pub fn of_name(rel: &str) -> FileKind {
        let ext = rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        match ext.as_str() {
            "pdf" => FileKind::Pdf,
            "png" | "jpg" | "jpeg" | "gif" | "bmp" | "tif" | "tiff" | "webp" => FileKind::Image,
            _ => FileKind::Other,
        }
    }
}

/// A file found under `evidence/`.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceFile {
    /// Path under `evidence/`, with forward slashes.
    pub rel: String,
    pub size: u64,
    #[serde(skip)]
    pub hash: Option<u64>,
    /// Counted pages (PDF) or 1 (image); `None` when it cannot be counted.
    pub pages: Option<u32>,
    pub kind: FileKind,
    /// Why the file could not be read or counted.
    pub problem: Option<String>,
    /// Size and modification time when it was read (for the scan cache).
    #[serde(skip)]
    pub stamp: Option<Stamp>,
}

/// What a scan learnt of one file, kept between builds in the scan cache.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Cached {
    pub stamp: Stamp,
    pub hash: Option<u64>,
    pub pages: Option<u32>,
    pub kind: FileKind,
    pub problem: Option<String>,
}

/// Sheet 佐证材料清单 of `content/evidence.xlsx`.
pub mod columns {
    pub const SHEET: &str = "佐证材料清单";
    pub const HEADERS: [&str; 11] = [
        "指标",
        "要点",
        "题名",
        "责任者",
        "文号",
        "日期",
        "页数",
        "文件",
        "责任单位",
        "密级",
        "备注",
    ];
    /// Columns added for the units' returns (issue 33); a catalogue without them still reads.
    pub const STATUS: &str = "状态";
    pub const REVIEW: &str = "审核意见";
    pub const SOURCE: &str = "来源";
    pub const OPTIONAL: [&str; 3] = [STATUS, REVIEW, SOURCE];
    /// The words of 状态: 待提交 → 已提交 (merge) → 已审核, or 退回 with a 审核意见.
    pub const STATUS_WORDS: [&str; 4] = ["待提交", "已提交", "已审核", "退回"];
}
