//! The pipeline, in named stages: load → rules → render plan → typeset → out. `check` runs
//! the first three (everything a build would report, nothing typeset or written); `build`
//! all five. On any error nothing under `out/` is touched.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::Workspace;
use crate::out::commit::{Commit, commit};
use crate::out::manifest::{Manifest, Output};
use crate::render::typst::batch;
use crate::rules::Assessment;
use crate::{load, out, paths, render, rules};

/// What a build makes beyond the default outputs.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// One PDF per box with its contents list and the pages of its evidence (装订本).
    pub box_books: bool,
    /// Print where the time went.
    pub timings: bool,
    /// Number every evidence item afresh in catalogue order (`boxes --renumber`), once this
    /// build holds the workspace.
    pub renumber: bool,
}

/// What a build tells while it runs (the CLI shows it; tests may listen).
pub enum Event<'a> {
    /// Another build of this workspace is running: this one waits for it.
    Waiting,
    /// A document was laid out: (done, total, its path under out/).
    Typeset { done: usize, total: usize, rel: &'a str },
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
    /// Nothing read had changed since the last build, and out/ was as it left it: no
    /// document data was made, nothing written.
    pub unchanged: bool,
    pub timings: Timings,
}

/// Where a build's time went (`build --timings`), all wall-clock: layout and export are the
/// two parallel passes, `typeset_wall` both together with the cache emptying.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub load: Duration,
    pub rules: Duration,
    /// Data, Markdown, workbooks and hashing before typesetting.
    pub data: Duration,
    pub layout: Duration,
    pub export: Duration,
    pub typeset_wall: Duration,
    pub write: Duration,
    pub total: Duration,
    /// Combined volumes put together from the typeset pages (within `typeset_wall`).
    pub assemble: Duration,
    /// Pages typeset, and pages assembled into combined volumes from typeset ones.
    pub pages: usize,
    pub assembled: usize,
}

/// Loads and assesses a workspace and plans its outputs; the assessment carries every
/// diagnostic a build would give before typesetting, sorted.
pub fn check(root: &Path) -> Assessment {
    let (ws, assessment, mut diags, _) = assess(root);
    preflight(root, &mut diags);
    if !diags.has_errors() {
        render::plan::plan(root, &ws, &assessment, false, &mut diags);
    }
    finish(assessment, diags)
}

pub fn build(root: &Path) -> std::io::Result<Built> {
    build_with(root, &BuildOptions::default())
}

pub fn build_with(root: &Path, opts: &BuildOptions) -> std::io::Result<Built> {
    build_reporting(root, opts, &|_| {})
}

/// Checks the workspace and, when its inputs have no errors, renders every output in memory
/// and then writes what changed, telling `events` as it goes.
pub fn build_reporting(root: &Path, opts: &BuildOptions, events: &(dyn Fn(Event) + Sync)) -> std::io::Result<Built> {
    let started = Instant::now();
    let mut pre = Diagnostics::default();
    preflight(root, &mut pre);
    if pre.has_errors() {
        let (_, assessment, mut diags, timings) = assess(root);
        diags.extend(pre);
        return Ok(failed(finish(assessment, diags), timings));
    }
    // One build at a time, from before the inputs are read: a build that waited reads the
    // numbering the one before it wrote.
    let out_existed = root.join(paths::OUT).exists();
    let lock = out::lock::acquire(root, || events(Event::Waiting))?;
    if opts.renumber {
        out::records::renumber(root)?;
    }
    // What is about to be read, before it is: a file saved meanwhile is read again next time.
    let walked = out::unchanged::walk(root);
    // Load and rules.
    let (ws, assessment, mut diags, mut timings) = assess(root);
    if diags.has_errors() {
        // Leave the workspace as it was found: an out/ this build made for its lock goes.
        lock.release(!out_existed);
        return Ok(failed(finish(assessment, diags), timings));
    }
    // Nothing changed since the last build, which left out/ as it is: done.
    let previous = Manifest::read(root);
    let assessed = serde_json::to_vec(&(&assessment, diags.as_slice())).map_err(std::io::Error::other)?;
    let stamp = |lock| out::unchanged::stamp(walked, &ws, &assessed, lock, opts.box_books);
    if let Some(record) = previous
        .build
        .as_ref()
        .filter(|r| !opts.renumber && r.inputs == stamp(&ws.lock) && out::unchanged::intact(root, r))
    {
        record.warnings.iter().cloned().for_each(|d| diags.push(d));
        timings.total = started.elapsed();
        let outputs = record
            .files
            .keys()
            .filter(|r| *r != out::inputs::RECORD)
            .map(|r| (r.clone(), false))
            .collect();
        return Ok(Built {
            outputs,
            unchanged: true,
            timings,
            ..failed(finish(assessment, diags), Timings::default())
        });
    }
    let found = diags.as_slice().len();
    // Render plan: every output's data, and which documents are already current.
    let data_started = Instant::now();
    let plan = render::plan::plan(root, &ws, &assessment, opts.box_books, &mut diags);
    let (mut manifest, mut files, todo) = current(root, &previous, plan.jobs);
    timings.data = data_started.elapsed();

    // Typeset. Box books are written to a staging folder as they are made; whatever is left
    // there when the build ends (it failed) goes.
    let _staging = Scratch(root.join(paths::OUT).join(batch::STAGING));
    let typeset_count = todo.len();
    let progress = |done, total, rel: &str| events(Event::Typeset { done, total, rel });
    let (typeset, times) = batch::typeset(
        root,
        ws.today(),
        ws.config.as_ref().and_then(|c| c.pdf.standard),
        todo,
        &previous,
        &progress,
    );
    timings.layout = times.layout;
    timings.export = times.export;
    timings.typeset_wall = times.wall;
    timings.pages = times.pages;
    timings.assembled = times.assembled;
    timings.assemble = times.assemble;
    let mut staged = vec![];
    // What each file holds, to tell an unchanged one (in parallel: the files run to 50 MB).
    let digests: Vec<u64> = {
        use rayon::prelude::*;
        render::typst::pool().install(|| {
            typeset
                .par_iter()
                .map(|t| match (t.how, &t.result) {
                    (batch::How::Staged(hash), _) => hash,
                    (_, Ok((pdf, _))) => crate::hash::digest(pdf),
                    (_, Err(_)) => 0,
                })
                .collect()
        })
    };
    for (t, digest) in typeset.into_iter().zip(digests) {
        match t.result {
            Ok((pdf, pages)) => {
                // The stamp is taken once the file is written.
                let output = Output {
                    input: t.input,
                    output: digest,
                    stamp: None,
                    pages,
                    marks: t.marks,
                };
                manifest.outputs.insert(t.rel.clone(), output);
                match t.how {
                    batch::How::Kept => files.push((t.rel, None)),
                    batch::How::Staged(_) => staged.push(t.rel),
                    _ => files.push((t.rel, Some(pdf))),
                }
            }
            Err(problems) => problems.into_iter().for_each(|d| diags.push(d)),
        }
    }
    // Found making the data and typesetting: what a rebuild that skips both still reports.
    let warnings = diags.as_slice()[found..].to_vec();
    let assessment = finish(assessment, diags);
    if assessment.has_errors() {
        lock.release(!out_existed);
        return Ok(failed(assessment, timings));
    }

    // Out.
    let writing = Instant::now();
    // The assessment as 评估结果.json holds it, beside the previous one read back (megabytes
    // each at county scale).
    let (json, old) = render::typst::pool().install(|| {
        rayon::join(
            || serde_json::to_value(&assessment),
            || out::commit::previous_assessment(root),
        )
    });
    let json = json.map_err(std::io::Error::other)?;
    files.extend(plan.files.into_iter().map(|(rel, bytes)| (rel, Some(bytes))));
    files.push((
        paths::ASSESSMENT_JSON.into(),
        Some(serde_json::to_vec_pretty(&json).map_err(std::io::Error::other)?),
    ));
    let inputs = out::inputs::of(&ws);
    // The overview shows what changed since the latest snapshot (the version last submitted).
    let since = out::snapshots::latest(root).map(|snap| {
        let (c, _, boxes) = out::snapshots::since(&snap, &json, &inputs, &manifest, &plan.lock.prints);
        serde_json::json!({
            "name": snap.name,
            "lines": c.lines(),
            "pages": c.pages,
            "boxes": boxes.iter().map(|(b, what)| format!("{b}：{what}")).collect::<Vec<_>>(),
        })
    });
    let (moved, first) = out::commit::moved(root, &json, old, &inputs, &previous, &manifest);
    let recent = out::commit::shown_changes(root, &moved);
    match overview(root, &assessment, &plan.task_lists, &files, &staged, since, recent) {
        Ok(html) => files.push(("index.html".into(), Some(html.into_bytes()))),
        Err(e) => {
            let mut a = assessment;
            a.diagnostics.push(render::data::overview::template_error(&e));
            lock.release(!out_existed);
            return Ok(failed(a, timings));
        }
    }
    let written = commit(
        root,
        Commit {
            files,
            assessment: &json,
            manifest,
            previous: &previous,
            reprint: &plan.reprint,
            evidence_files: &ws.files,
            lock: &plan.lock,
            old_lock: &ws.lock,
            inputs: &inputs,
            moved,
            first,
            stamp: stamp(&plan.lock),
            warnings,
            staged,
        },
    )?;
    timings.write = writing.elapsed();
    timings.total = started.elapsed();
    Ok(Built {
        assessment,
        outputs: written.outputs,
        reprint: plan.reprint,
        changes: written.changes,
        typeset: typeset_count,
        unchanged: false,
        timings,
    })
}

/// A folder removed when the build ends, however it ends.
struct Scratch(std::path::PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What must hold before a build may write: out/ inside the workspace (it is never written
/// through a link leading elsewhere).
fn preflight(root: &Path, diags: &mut Diagnostics) {
    if paths::outside(root, paths::OUT) {
        diags.push(
            Diagnostic::error(
                "out-outside",
                Location::file(paths::OUT),
                "out/ 是指向工作区以外的符号链接，为避免写到别处，未生成任何文件",
            )
            .with_hint("删除该链接，让 yingjian 在工作区内新建 out/ 目录"),
        );
    }
}

/// A build that wrote nothing.
fn failed(assessment: Assessment, timings: Timings) -> Built {
    Built {
        assessment,
        outputs: vec![],
        reprint: vec![],
        changes: vec![],
        typeset: 0,
        unchanged: false,
        timings,
    }
}

/// The load and rules stages, with how long each took.
fn assess(root: &Path) -> (Workspace, Assessment, Diagnostics, Timings) {
    let started = Instant::now();
    let (ws, mut diags) = load::load(root);
    let load = started.elapsed();
    let (mut assessment, rule_diags) = rules::assess(&ws);
    diags.extend(rule_diags);
    // With a catalogue in another system: the same workspace assessed in that system too, for
    // the verdicts of 指标对照表 (its findings are that system's build's to report).
    if let Some(c) = &ws.catalogue {
        let (own, _) = load::load_as(root, Some(&c.profile.id));
        let (a, _) = rules::assess(&own);
        let verdicts = a
            .indicators
            .iter()
            .map(|r| (r.id.clone(), rules::crosswalk::verdict_label(r)))
            .collect();
        assessment.crosswalk = rules::crosswalk::rows(&ws, &assessment.indicators, &verdicts);
    }
    let timings = Timings {
        load,
        rules: started.elapsed() - load,
        ..Default::default()
    };
    (ws, assessment, diags, timings)
}

fn finish(mut assessment: Assessment, diags: Diagnostics) -> Assessment {
    assessment.diagnostics = diags.into_sorted();
    assessment
}

type Planned = Vec<(render::plan::Job, u64)>;
/// Files for out/ and their bytes (`None`: unchanged, left as it is).
type Files = Vec<(String, Option<Vec<u8>>)>;

/// Splits the planned documents into those whose output is current (kept, recorded in the
/// new manifest) and those to typeset, checked in parallel.
fn current(root: &Path, previous: &Manifest, jobs: Planned) -> (Manifest, Files, Planned) {
    use rayon::prelude::*;
    let checked: Vec<_> = render::typst::pool().install(|| {
        jobs.into_par_iter()
            .map(|(j, input)| {
                let current = previous.current(root, &j.rel, input);
                (j, input, current)
            })
            .collect()
    });
    let mut manifest = Manifest::default();
    let mut files = vec![];
    let mut todo = vec![];
    for (j, input, current) in checked {
        match current {
            Some(o) => {
                // A report made of parts keeps them for the next correction.
                if j.format == render::plan::Format::Report {
                    let parts = previous.outputs.range(render::typst::report::DIR.to_owned()..);
                    for (rel, o) in parts.take_while(|(rel, _)| rel.starts_with(render::typst::report::DIR)) {
                        manifest.outputs.insert(rel.clone(), o.clone());
                        files.push((rel.clone(), None));
                    }
                }
                manifest.outputs.insert(j.rel.clone(), o);
                files.push((j.rel, None));
            }
            None => todo.push((j, input)),
        }
    }
    (manifest, files, todo)
}

/// out/index.html, listing every output of this build.
fn overview(
    root: &Path,
    a: &Assessment,
    task_lists: &[serde_json::Value],
    files: &Files,
    staged: &[String],
    since: Option<serde_json::Value>,
    recent: Option<serde_json::Value>,
) -> Result<String, tera::Error> {
    let mut listed: Vec<String> = files
        .iter()
        .map(|(r, _)| r.clone())
        .chain(staged.iter().cloned())
        .filter(|r| !r.starts_with('.'))
        .collect();
    listed.sort();
    let mut ctx = render::data::overview::context(a, task_lists, &listed);
    ctx["since"] = since.unwrap_or(serde_json::Value::Null);
    ctx["recent"] = recent.unwrap_or(serde_json::Value::Null);
    render::data::overview::render(root, ctx)
}
