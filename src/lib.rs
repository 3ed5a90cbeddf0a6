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
    let (_, assessment, diags) = assess(root);
    finish(assessment, diags)
}

fn assess(root: &Path) -> (model::Workspace, Assessment, diag::Diagnostics) {
    let (ws, mut diags) = load::load(root);
    let (assessment, rule_diags) = rules::assess::assess(&ws);
    diags.extend(rule_diags);
    (ws, assessment, diags)
}

fn finish(mut assessment: Assessment, diags: diag::Diagnostics) -> Assessment {
    assessment.diagnostics = diags.into_sorted();
    assessment
}

/// Outputs written by a build, relative to `out/`, and whether each changed.
pub struct Built {
    pub assessment: Assessment,
    pub outputs: Vec<(String, bool)>,
    /// Boxes whose contents list or spine label must be reprinted.
    pub reprint: Vec<(String, &'static str)>,
}

/// Checks the workspace and, when its inputs have no errors, renders every output in memory
/// and then writes them. On any error nothing under `out/` is touched.
/// What a build makes beyond the default outputs.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// One PDF per box with its contents list and the pages of its evidence (装订本).
    pub box_books: bool,
}

pub fn build(root: &Path) -> std::io::Result<Built> {
    build_with(root, &BuildOptions::default())
}

pub fn build_with(root: &Path, opts: &BuildOptions) -> std::io::Result<Built> {
    let (ws, assessment, mut diags) = assess(root);
    let mut files: Vec<(String, Vec<u8>)> = vec![];
    let mut reprint = vec![];
    let mut lock = None;
    if !diags.has_errors() {
        let json =
            serde_json::to_vec_pretty(&finish(assessment.clone(), diags.clone())).map_err(std::io::Error::other)?;
        files.push(("评估结果.json".into(), json));
        let rendered = render::all(root, &ws, &assessment, opts, &mut diags);
        files.extend(rendered.files);
        reprint = rendered.reprint;
        lock = Some(rendered.lock).filter(|l| *l != ws.lock);
    }
    let assessment = finish(assessment, diags);
    let mut outputs = vec![];
    if !assessment.has_errors() {
        for (rel, bytes) in files {
            let changed = out::write(root, &rel, &bytes)?;
            outputs.push((rel, changed));
        }
        // The lock is the one file under content/ that yingjian owns; written last.
        if let Some(lock) = lock {
            let text = serde_json::to_string_pretty(&lock).map_err(std::io::Error::other)?;
            out::write_file(&root.join(load::LOCK), text.as_bytes())?;
        }
    } else {
        reprint.clear();
    }
    Ok(Built {
        assessment,
        outputs,
        reprint,
    })
}

/// Drops the locked item numbers (keeping the record of what was printed), so the next
/// build numbers every item afresh in catalogue order.
pub fn renumber(root: &Path) -> std::io::Result<()> {
    let path = root.join(load::LOCK);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(());
    };
    let mut lock: rules::evidence::Lock = serde_json::from_str(&text).unwrap_or_default();
    lock.items.clear();
    lock.next.clear();
    let text = serde_json::to_string_pretty(&lock).map_err(std::io::Error::other)?;
    out::write_file(&path, text.as_bytes()).map(|_| ())
}

impl Assessment {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}
