//! Rows of 佐证材料清单 (`content/evidence.xlsx`).

use serde::Serialize;

use super::date::Date;

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceItem {
    /// Zero-based sheet row, for diagnostics.
    #[serde(skip)]
    pub row: u32,
    /// Canonical indicator id of the profile (e.g. A12).
    pub indicator: String,
    pub point: String,
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
}
