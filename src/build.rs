//! The pipeline, in named stages: load → rules → render plan → typeset → out. `check` runs
//! the first three (everything a build would report, nothing typeset or written); `build`
//! all five. On any error nothing under `out/` is touched.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::{Lock, Workspace};
use crate::out::commit::{Commit, Written};
use crate::out::manifest::{Manifest, Output};
use crate::out::store::OutDir;
use crate::pool::pool;
use crate::render::plan::Plan;
use crate::render::typst::batch;
use crate::rules::Assessment;
use crate::store::Store;
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
/// and then writes what changed, telling `events` as it goes. The stages, in order: take the
/// lock → load and rules → stop if nothing changed → plan → typeset → write and record.
pub fn build_reporting(root: &Path, opts: &BuildOptions, events: &(dyn Fn(Event) + Sync)) -> std::io::Result<Built> {
    let started = Instant::now();
    if let Some(refused) = refused(root) {
        return Ok(refused);
    }
    let held = Held::acquire(root, opts, events)?;
    let (ws, assessment, mut diags, mut timings) = assess(root);
    if diags.has_errors() {
        return Ok(held.abandon(finish(assessment, diags), timings));
    }
    let previous = Manifest::read(root);
    let stamp = InputStamp::new(held.walked, &ws, &assessment, &diags, opts.box_books)?;
    if let Some(record) = up_to_date(root, opts, &previous, || stamp.of(&ws.lock)) {
        return Ok(unchanged(record, assessment, diags, timings, started));
    }
    let found = diags.as_slice().len();
    let data_started = Instant::now();
    let mut plan = render::plan::plan(root, &ws, &assessment, opts.box_books, &mut diags);
    let (mut made, todo) = current(root, &previous, std::mem::take(&mut plan.jobs));
    timings.data = data_started.elapsed();
    // Box books are put aside as they are made; whatever is left there when the build ends (it
    // failed) goes with `store`.
    let store = OutDir::new(root, &previous);
    let typeset_count = todo.len();
    made.add(typeset(root, &ws, todo, &store, events, &mut timings), &mut diags);
    // Found making the data and typesetting: what a rebuild that skips both still reports.
    made.warnings = diags.as_slice()[found..].to_vec();
    let assessment = finish(assessment, diags);
    if assessment.has_errors() {
        return Ok(held.abandon(assessment, timings));
    }
    let writing = Instant::now();
    made.files
        .extend(plan.files.drain(..).map(|(rel, bytes)| (rel, Some(bytes))));
    let written = match write_out(root, &ws, &plan, made, &assessment, &previous, stamp.of(&plan.lock))? {
        Ok(written) => written,
        Err(e) => {
            let mut a = assessment;
            a.diagnostics.push(render::data::overview::template_error(&e));
            return Ok(held.abandon(a, timings));
        }
    };
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

/// A build refused before it takes the lock (`preflight`): the inputs' findings and why.
fn refused(root: &Path) -> Option<Built> {
    let mut pre = Diagnostics::default();
    preflight(root, &mut pre);
    if !pre.has_errors() {
        return None;
    }
    let (_, assessment, mut diags, timings) = assess(root);
    diags.extend(pre);
    Some(failed(finish(assessment, diags), timings))
}

/// The workspace held by this build, from before its inputs are read: a build that waited
/// reads the numbering the one before it wrote.
struct Held {
    lock: out::lock::BuildLock,
    /// out/ was there before this build made it for its lock.
    out_existed: bool,
    /// What is about to be read (`out::unchanged::walk`), taken before it is: a file saved
    /// meanwhile is read again next time.
    walked: u64,
}

impl Held {
    /// Takes the lock (telling `events` when it waits for another build), then renumbers the
    /// evidence if asked.
    fn acquire(root: &Path, opts: &BuildOptions, events: &(dyn Fn(Event) + Sync)) -> std::io::Result<Held> {
        let out_existed = root.join(paths::OUT).exists();
        let lock = out::lock::acquire(root, || events(Event::Waiting))?;
        // Half-written files of a build that was killed: no running build owns them now.
        out::tidy::leftovers(root);
        // Snapshots an earlier version kept under out/: to snapshots/, out of harm's way.
        out::snapshots::move_from_out(root)?;
        if opts.renumber {
            out::records::renumber(root)?;
        }
        let walked = out::unchanged::walk(root);
        Ok(Held {
            lock,
            out_existed,
            walked,
        })
    }

    /// Ends a build that wrote nothing, leaving the workspace as it was found: an out/ made
    /// for the lock goes.
    fn abandon(self, assessment: Assessment, timings: Timings) -> Built {
        self.lock.release(!self.out_existed);
        failed(assessment, timings)
    }
}

/// The stamp of a build's inputs (`out::unchanged::stamp`) but the evidence numbering, which
/// the build itself may change.
struct InputStamp<'a> {
    walked: u64,
    ws: &'a Workspace,
    /// The assessment with the load and rule findings, serialised.
    assessed: Vec<u8>,
    box_books: bool,
}

impl<'a> InputStamp<'a> {
    fn new(
        walked: u64,
        ws: &'a Workspace,
        a: &Assessment,
        diags: &Diagnostics,
        box_books: bool,
    ) -> std::io::Result<Self> {
        let assessed = serde_json::to_vec(&(a, diags.as_slice())).map_err(std::io::Error::other)?;
        Ok(InputStamp {
            walked,
            ws,
            assessed,
            box_books,
        })
    }

    /// The stamp with the numbering `lock`.
    fn of(&self, lock: &Lock) -> u64 {
        use render::templates::{INDEX_HTML, TEMPLATES};
        out::unchanged::stamp(
            self.walked,
            self.ws,
            &self.assessed,
            lock,
            self.box_books,
            &TEMPLATES,
            INDEX_HTML,
        )
    }
}

/// The previous build's record when nothing it read has changed since (`stamp`: this
/// build's) and out/ is as it left it; never when renumbering.
fn up_to_date<'m>(
    root: &Path,
    opts: &BuildOptions,
    previous: &'m Manifest,
    stamp: impl FnOnce() -> u64,
) -> Option<&'m out::unchanged::Record> {
    let record = previous.build.as_ref().filter(|_| !opts.renumber)?;
    (record.inputs == stamp() && out::unchanged::intact(root, record)).then_some(record)
}

/// A build that found everything as the previous one (`record`) left it: its outputs, none
/// changed, and the warnings it gave.
fn unchanged(
    record: &out::unchanged::Record,
    assessment: Assessment,
    mut diags: Diagnostics,
    mut timings: Timings,
    started: Instant,
) -> Built {
    record.warnings.iter().cloned().for_each(|d| diags.push(d));
    timings.total = started.elapsed();
    let outputs = record
        .files
        .keys()
        .filter(|r| *r != out::inputs::RECORD)
        .map(|r| (r.clone(), false))
        .collect();
    Built {
        outputs,
        unchanged: true,
        timings,
        ..failed(finish(assessment, diags), Timings::default())
    }
}

/// Typesets the documents not current (`todo`), telling `events` of each; the passes' times
/// go to `timings`.
fn typeset(
    root: &Path,
    ws: &Workspace,
    todo: Planned,
    store: &dyn Store,
    events: &(dyn Fn(Event) + Sync),
    timings: &mut Timings,
) -> Vec<batch::Typeset> {
    let progress = |done, total, rel: &str| events(Event::Typeset { done, total, rel });
    let standard = ws.config.as_ref().and_then(|c| c.pdf.standard);
    let (typeset, times) = batch::typeset(root, ws.today(), standard, todo, store, &progress);
    timings.layout = times.layout;
    timings.export = times.export;
    timings.typeset_wall = times.wall;
    timings.pages = times.pages;
    timings.assembled = times.assembled;
    timings.assemble = times.assemble;
    typeset
}

/// The out stage: the assessment (评估结果.json) and the overview joined to the files `made`,
/// then everything written and recorded (`out::commit`) with the input stamp `stamp`.
/// `Ok(Err(_))`: the overview could not be made, and nothing was written.
fn write_out(
    root: &Path,
    ws: &Workspace,
    plan: &Plan,
    mut made: Made,
    assessment: &Assessment,
    previous: &Manifest,
    stamp: u64,
) -> std::io::Result<Result<Written, tera::Error>> {
    // The assessment as 评估结果.json holds it, beside the previous one read back (megabytes
    // each at county scale).
    let (json, old) = pool().install(|| {
        rayon::join(
            || serde_json::to_value(assessment),
            || out::commit::previous_assessment(root),
        )
    });
    let json = json.map_err(std::io::Error::other)?;
    made.files.push((
        paths::ASSESSMENT_JSON.into(),
        Some(serde_json::to_vec_pretty(&json).map_err(std::io::Error::other)?),
    ));
    let inputs = out::inputs::of(ws);
    let (moved, first) = out::commit::moved(root, &json, old, &inputs, previous, &made.manifest);
    match overview(root, assessment, plan, &made, &json, &inputs, &moved) {
        Ok(html) => made.files.push(("index.html".into(), Some(html.into_bytes()))),
        Err(e) => return Ok(Err(e)),
    }
    let commit = Commit {
        files: made.files,
        assessment: &json,
        manifest: made.manifest,
        previous,
        reprint: &plan.reprint,
        evidence_files: &ws.files,
        lock: &plan.lock,
        old_lock: &ws.lock,
        inputs: &inputs,
        moved,
        first,
        stamp,
        warnings: made.warnings,
        staged: made.staged,
    };
    out::commit::commit(root, commit).map(Ok)
}

/// What must hold before a build may write: out/ inside the workspace (it is never written
/// through a link leading elsewhere), and apart from the inputs.
fn preflight(root: &Path, diags: &mut Diagnostics) {
    if let Some(dir) = paths::out_among_inputs(root) {
        let message = match dir {
            "." => "out/ 指向工作区本身（或其上级文件夹），生成的文件会与输入混在一起，未生成任何文件".to_owned(),
            _ => format!("out/ 指向 {dir}/ 目录（或与之重叠），生成的文件会写进输入数据中，未生成任何文件"),
        };
        diags.push(
            Diagnostic::error("out-among-inputs", Location::file(paths::OUT), message)
                .with_hint("删除 out 这个链接（不要删除它指向的文件夹），让 yingjian 在工作区内新建 out/ 目录"),
        );
        return;
    }
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

/// What this build made for out/.
struct Made {
    /// Every document's record, the current ones' as the previous build left them.
    manifest: Manifest,
    /// In the order they are listed.
    files: Files,
    /// Documents put aside as they were made (box books), to move into place.
    staged: Vec<String>,
    /// Found making the data and typesetting, for the record of this build.
    warnings: Vec<Diagnostic>,
}

impl Made {
    /// Records each document typeset: in the manifest, with a digest of what it holds, and
    /// among the files to write or move into place; the problems of those that failed go to
    /// `diags`.
    fn add(&mut self, typeset: Vec<batch::Typeset>, diags: &mut Diagnostics) {
        // In parallel: the files run to 50 MB.
        let digests: Vec<u64> = {
            use rayon::prelude::*;
            pool().install(|| {
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
                    self.manifest.outputs.insert(t.rel.clone(), output);
                    match t.how {
                        batch::How::Kept => self.files.push((t.rel, None)),
                        batch::How::Staged(_) => self.staged.push(t.rel),
                        _ => self.files.push((t.rel, Some(pdf))),
                    }
                }
                Err(problems) => problems.into_iter().for_each(|d| diags.push(d)),
            }
        }
    }
}

/// Splits the planned documents into those whose output is current (kept, recorded in the
/// new manifest) and those to typeset, checked in parallel.
fn current(root: &Path, previous: &Manifest, jobs: Planned) -> (Made, Planned) {
    use rayon::prelude::*;
    let checked: Vec<_> = pool().install(|| {
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
                if matches!(j.kind, render::plan::JobKind::Report) {
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
    let made = Made {
        manifest,
        files,
        staged: vec![],
        warnings: vec![],
    };
    (made, todo)
}

/// out/index.html, listing every output of this build, what changed since the latest
/// snapshot (the version last submitted) and since the previous build (`moved`).
fn overview(
    root: &Path,
    a: &Assessment,
    plan: &Plan,
    made: &Made,
    json: &serde_json::Value,
    inputs: &out::inputs::Inputs,
    moved: &out::changes::Changes,
) -> Result<String, tera::Error> {
    let since = out::snapshots::latest(root).map(|snap| {
        let (c, _, boxes) = out::snapshots::since(&snap, json, inputs, &made.manifest, &plan.lock.prints);
        serde_json::json!({
            "name": snap.name,
            "lines": c.lines(),
            "pages": c.pages,
            "boxes": boxes.iter().map(|(b, what)| format!("{b}：{what}")).collect::<Vec<_>>(),
        })
    });
    let recent = out::commit::shown_changes(root, moved);
    let mut listed: Vec<String> = made
        .files
        .iter()
        .map(|(r, _)| r.clone())
        .chain(made.staged.iter().cloned())
        .filter(|r| !r.starts_with('.'))
        .collect();
    listed.sort();
    let mut ctx = render::data::overview::context(a, &plan.task_lists, &listed);
    ctx.since = since;
    ctx.recent = recent;
    ctx.returns = out::returns::read(root)
        .and_then(|r| r.status())
        .map(|s| render::data::overview::returns(&s));
    render::data::overview::render(root, &ctx)
}
