//! yingjian (迎检): inspection materials for 县域义务教育优质均衡发展督导评估.
//!
//! Pipeline: `load` (YAML, xlsx) → `model` (typed domain) → `rules` (pure verdicts)
//! → `render` (outputs). `cli` only parses arguments and calls these.

pub mod cli;
pub mod diag;
pub mod load;
pub mod model;
pub mod out;
pub mod render;
pub mod rules;
pub mod workspace;

use std::path::Path;

use diag::Severity;
use rules::assess::Assessment;

/// Loads and assesses a workspace; the assessment carries every diagnostic, sorted.
pub fn check(root: &Path) -> Assessment {
    let (ws, mut diags) = load::load(root);
    let (mut assessment, rule_diags) = rules::assess::assess(&ws);
    diags.extend(rule_diags);
    assessment.diagnostics = diags.into_sorted();
    assessment
}

/// Outputs written by a build, relative to `out/`, and whether each changed.
pub struct Built {
    pub assessment: Assessment,
    pub outputs: Vec<(String, bool)>,
}

/// Checks the workspace and, when its inputs have no errors, writes the outputs.
/// On input errors nothing under `out/` is touched.
pub fn build(root: &Path) -> std::io::Result<Built> {
    let assessment = check(root);
    let mut outputs = vec![];
    if !assessment.has_errors() {
        let json = serde_json::to_vec_pretty(&assessment).map_err(std::io::Error::other)?;
        let rel = "评估结果.json";
        outputs.push((rel.to_owned(), out::write(root, rel, &json)?));
    }
    Ok(Built { assessment, outputs })
}

impl Assessment {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}
