//! yingjian (迎检): inspection materials for 县域义务教育优质均衡发展督导评估.
//!
//! Pipeline: `load` (YAML, xlsx) → `model` (typed domain) → `rules` (pure verdicts)
//! → `render` (outputs). `cli` only parses arguments and calls these.

pub mod cli;
pub mod diag;
pub mod fuzz;
pub mod load;
pub mod model;
pub mod out;
pub mod render;
pub mod rules;
pub mod watch;
pub mod workspace;

use std::path::Path;

use diag::Severity;
use rules::assess::Assessment;

/// Loads and assesses a workspace; the assessment carries every diagnostic, sorted.
pub fn check(root: &Path) -> Assessment {
    let (_, assessment, diags, _) = assess(root);
    finish(assessment, diags)
}

/// Load and rules, with how long each took.
fn assess(root: &Path) -> (model::Workspace, Assessment, diag::Diagnostics, render::Timings) {
    let started = std::time::Instant::now();
    let (ws, mut diags) = load::load(root);
    let load = started.elapsed();
    let (assessment, rule_diags) = rules::assess::assess(&ws);
    diags.extend(rule_diags);
    (
        ws,
        assessment,
        diags,
        render::Timings {
            load,
            rules: started.elapsed() - load,
            ..Default::default()
        },
    )
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
    /// Figures and verdicts that changed since the previous build.
    pub changes: Vec<String>,
    /// Documents typeset in this build (the others were unchanged).
    pub typeset: usize,
    pub timings: render::Timings,
}

/// What a build makes beyond the default outputs.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// One PDF per box with its contents list and the pages of its evidence (装订本).
    pub box_books: bool,
    /// Print where the time went.
    pub timings: bool,
}

pub fn build(root: &Path) -> std::io::Result<Built> {
    build_with(root, &BuildOptions::default())
}

/// Checks the workspace and, when its inputs have no errors, renders every output in memory
/// and then writes what changed. On any error nothing under `out/` is touched.
pub fn build_with(root: &Path, opts: &BuildOptions) -> std::io::Result<Built> {
    let started = std::time::Instant::now();
    let (ws, assessment, mut diags, timings) = assess(root);
    // yingjian writes only inside the workspace: an out/ that links elsewhere is refused.
    if load::outside(root, "out") {
        diags.push(
            diag::Diagnostic::error(
                "out-outside",
                diag::Location::file("out"),
                "out/ 是指向工作区以外的符号链接，为避免写到别处，未生成任何文件",
            )
            .with_hint("删除该链接，让 yingjian 在工作区内新建 out/ 目录"),
        );
    }
    let mut built = Built {
        assessment: assessment.clone(),
        outputs: vec![],
        reprint: vec![],
        changes: vec![],
        typeset: 0,
        timings,
    };
    if diags.has_errors() {
        built.assessment = finish(assessment, diags);
        return Ok(built);
    }
    let rendered = render::all(root, &ws, &assessment, opts, &mut diags);
    let assessment = finish(assessment, diags);
    built.typeset = rendered.typeset;
    built.timings = render::Timings {
        load: built.timings.load,
        rules: built.timings.rules,
        ..rendered.timings.clone()
    };
    let writing = std::time::Instant::now();
    if assessment.has_errors() {
        built.assessment = assessment;
        return Ok(built);
    }
    let mut files = rendered.files;
    let json = serde_json::to_value(&assessment).map_err(std::io::Error::other)?;
    let old: Option<serde_json::Value> = std::fs::read_to_string(root.join("out/评估结果.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    files.push((
        "评估结果.json".into(),
        Some(serde_json::to_vec_pretty(&json).map_err(std::io::Error::other)?),
    ));
    let mut listed: Vec<String> = files
        .iter()
        .map(|(r, _)| r.clone())
        .filter(|r| !r.starts_with('.'))
        .collect();
    listed.sort();
    match render::overview::render(
        root,
        &render::overview::context(&assessment, &rendered.task_lists, &listed),
    ) {
        Ok(html) => files.push(("index.html".into(), Some(html.into_bytes()))),
        Err(e) => {
            let mut a = assessment;
            a.diagnostics.push(
                diag::Diagnostic::error(
                    "overview-template",
                    diag::Location::file("templates/index.html"),
                    format!("总览页模板有误：{e}"),
                )
                .with_hint("若修改过 templates/index.html，请检查该处"),
            );
            built.assessment = a;
            return Ok(built);
        }
    }

    for (rel, bytes) in &files {
        let changed = match bytes {
            Some(b) => out::write(root, rel, b)?,
            None => false,
        };
        built.outputs.push((rel.clone(), changed));
    }
    // Documents made by an earlier build and no longer produced (a school removed, say).
    let previous = render::read_manifest(root);
    for rel in previous
        .outputs
        .keys()
        .filter(|r| !rendered.manifest.outputs.contains_key(*r))
    {
        let _ = std::fs::remove_file(root.join("out").join(rel));
    }
    built.changes = old
        .as_ref()
        .map(|o| render::changes::figure_changes(o, &json))
        .unwrap_or_default();
    built.reprint = rendered.reprint;
    let written: Vec<String> = built
        .outputs
        .iter()
        .filter(|(r, c)| *c && !r.starts_with('.'))
        .map(|(r, _)| r.clone())
        .collect();
    if !built.changes.is_empty() || !written.is_empty() || !built.reprint.is_empty() {
        let md = render::changes::report(&built.changes, &written, &built.reprint, old.is_none());
        out::write(root, "变更说明.md", md.as_bytes())?;
    }
    let mut manifest = rendered.manifest;
    // Unchanged outputs were stamped when checked; typeset ones are stamped as written.
    for (rel, o) in manifest.outputs.iter_mut().filter(|(_, o)| o.stamp.is_none()) {
        o.stamp = load::files::Stamp::of(&root.join("out").join(rel));
    }
    if manifest != previous {
        out::write(
            root,
            render::MANIFEST,
            &serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?,
        )?;
    }
    // What the scan learnt of each evidence file, so the next build need not read it again.
    let cache = serde_json::to_vec(&load::files::cache_of(&ws.files)).map_err(std::io::Error::other)?;
    out::write(root, load::files::CACHE, &cache)?;
    // The lock is the one file under content/ that yingjian owns; written last.
    if rendered.lock != ws.lock {
        let text = serde_json::to_string_pretty(&rendered.lock).map_err(std::io::Error::other)?;
        out::write_file(&root.join(load::LOCK), text.as_bytes())?;
    }
    built.assessment = assessment;
    built.timings.write = writing.elapsed();
    built.timings.total = started.elapsed();
    Ok(built)
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
