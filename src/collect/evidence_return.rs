//! The 佐证材料 a unit sends back with its form (issue 33): the rows of the form's sheet
//! 佐证材料, each with the file found beside the form (the same folder, or a .zip given with
//! it) and the reasons it is refused. `evidence_sheet` reads and checks them; `--apply` copies
//! the accepted rows' files into evidence/ and appends them to content/evidence.xlsx, and the
//! refused rows go to out/退回清单/<单位>.xlsx.

use std::path::PathBuf;

use crate::model::Date;

/// The evidence rows of one returned unit form.
#[derive(Debug, Clone, Default)]
pub struct EvidenceReturn {
    /// The form as given to merge ("人社局(1).xlsx").
    pub file: String,
    pub unit: String,
    /// The filled rows, in sheet order; rows left empty are not here.
    pub rows: Vec<EvidenceRow>,
}

/// One filled row of the sheet 佐证材料.
#[derive(Debug, Clone, Default)]
pub struct EvidenceRow {
    /// Where the row is in the returned form: "人社局(1).xlsx 佐证材料!A7".
    pub at: String,
    /// Zero-based sheet row.
    pub row: u32,
    /// The profile's indicator id and point id as the unit chose them.
    pub indicator: String,
    pub point: String,
    pub title: String,
    pub doc_no: Option<String>,
    pub author: Option<String>,
    pub date: Option<Date>,
    pub pages: Option<u32>,
    pub secrecy: Option<String>,
    /// The 文件名 cell as typed ("关于印发….pdf").
    pub file_name: Option<String>,
    /// The file it names, found beside the form; `None` when not found.
    pub source: Option<Source>,
    /// Pages counted in the file (PDF pages; 1 for an image).
    pub counted_pages: Option<u32>,
    /// Why the row is refused, each a Chinese sentence for 退回清单 ("文件已损坏，无法打开");
    /// empty: accepted.
    pub refusals: Vec<String>,
}

/// Where a returned evidence file is: never moved, only read (issue 33 point 5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file in the return's folder.
    File(PathBuf),
    /// An entry of a .zip given with the return.
    Zip { archive: PathBuf, entry: String },
}

impl Source {
    /// The file's bytes.
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Source::File(p) => std::fs::read(p),
            // By the name as merge read it (GBK names too), within merge's size limits.
            Source::Zip { archive, entry } => super::evidence_files::zip_entry(archive, entry),
        }
    }

    /// The file's own name (its extension is kept when it is stored in evidence/).
    pub fn name(&self) -> String {
        match self {
            Source::File(p) => p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            Source::Zip { entry, .. } => entry.rsplit('/').next().unwrap_or(entry).to_owned(),
        }
    }
}

impl EvidenceRow {
    pub fn accepted(&self) -> bool {
        self.refusals.is_empty()
    }
}
