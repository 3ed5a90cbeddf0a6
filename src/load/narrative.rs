//! `content/report/*.md`: the narrative chapters of the self-evaluation report, read as
//! written. Their placeholders are filled when the report is rendered, from the assessment.

use std::path::Path;

use crate::diag::Diagnostics;
use crate::model::{CharOrigins, Narrative};
use crate::paths::REPORT_DIR;

/// Every `.md` file of the folder, in file-name order; none when the folder is absent.
pub fn load(root: &Path, diags: &mut Diagnostics, chars: &mut CharOrigins) -> Vec<Narrative> {
    let Ok(entries) = std::fs::read_dir(root.join(REPORT_DIR)) else {
        return vec![];
    };
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let stem = path.file_stem()?.to_string_lossy().into_owned();
            let rel = format!("{REPORT_DIR}/{}", path.file_name()?.to_string_lossy());
            let text = super::text::read(root, &rel, diags, chars)?;
            Some(Narrative { stem, rel, text })
        })
        .collect()
}
