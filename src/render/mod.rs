//! Renderers: turn an assessment into what people read.
//!
//! A build plans every output first: documents to typeset (template + data) and files made
//! directly (workbooks, JSON). Documents whose template, data and referenced files are the
//! same as in the previous build (the manifest in out/.yingjian/) are not typeset again; the
//! rest are typeset in parallel.

pub mod boxes;
pub mod changes;
pub mod check;
pub mod compilation;
pub mod fonts;
pub mod forms;
pub mod markdown;
pub mod overview;
pub mod report;
pub mod typeset;
pub mod workbook;
pub mod world;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::load::files::{Fnv, Stamp, fnv1a};
use crate::model::{Date, Workspace};
use crate::rules::assess::{Assessment, prepared_schools};

pub const MANIFEST: &str = ".yingjian/manifest.json";

/// Documents typeset between two emptyings of Typst's cache.
const BATCH: usize = 32;

/// A document to typeset into `out/<rel>`.
pub struct Job {
    pub rel: String,
    pub template: &'static str,
    pub data: Value,
    /// Whether the document places files from evidence/ or content/documents/.
    pub uses_files: bool,
}

/// Per typeset output: what it was made from and what was written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub outputs: BTreeMap<String, Output>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Output {
    /// Hash of the version, templates, data and placed files.
    pub input: u64,
    /// Hash of the bytes written.
    pub output: u64,
    /// Size and modification time of the file as written: while they hold, the file is taken
    /// to be unchanged without reading it (as make and cargo do); otherwise it is hashed.
    pub stamp: Option<Stamp>,
}

/// What a build produced: files for `out/` (`None`: unchanged, left as it is), the boxes
/// whose prints changed since the previous build, the numbering to keep, the new manifest.
pub struct Rendered {
    pub files: Vec<(String, Option<Vec<u8>>)>,
    /// Each unit's task list, as typeset (the overview page shows them too).
    pub task_lists: Vec<Value>,
    pub reprint: Vec<(String, &'static str)>,
    pub lock: crate::rules::evidence::Lock,
    pub manifest: Manifest,
    pub typeset: usize,
    pub timings: Timings,
}

/// Where a build's time went (`build --timings`), all wall-clock: layout and export are the
/// two parallel passes, `typeset_wall` both together with the cache emptying.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub load: std::time::Duration,
    pub rules: std::time::Duration,
    /// Data, Markdown, workbooks and hashing before typesetting.
    pub data: std::time::Duration,
    pub layout: std::time::Duration,
    pub export: std::time::Duration,
    pub typeset_wall: std::time::Duration,
    pub write: std::time::Duration,
    pub total: std::time::Duration,
    /// Pages typeset.
    pub pages: usize,
}

pub fn read_manifest(root: &Path) -> Manifest {
    std::fs::read_to_string(root.join("out").join(MANIFEST))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// Every output of a build. Problems go to `diags`; the caller writes nothing when any of
/// them is an error.
pub fn all(
    root: &Path,
    ws: &Workspace,
    a: &Assessment,
    opts: &crate::BuildOptions,
    diags: &mut Diagnostics,
) -> Rendered {
    let mut timings = Timings::default();
    let data_started = std::time::Instant::now();
    let today = ws.config.as_ref().map(|c| c.today).unwrap_or(Date {
        year: 2026,
        month: 1,
        day: 1,
    });
    // The parts are independent: made in parallel, joined in a fixed order.
    let ((report, schools), ((tasks, task_lists), ((boxes, box_data), compiled))) = pool().install(|| {
        rayon::join(
            || rayon::join(|| report_part(root, ws, a), || school_part(ws, a)),
            || {
                rayon::join(
                    || task_part(root, ws, a),
                    || rayon::join(|| box_part(ws, a, opts), || compilation_part(root, ws)),
                )
            },
        )
    });
    let mut jobs: Vec<Job> = vec![];
    let mut files: Vec<(String, Vec<u8>)> = vec![];
    for part in [report, schools, tasks, boxes, compiled] {
        jobs.extend(part.jobs);
        files.extend(part.files);
        part.diags.into_sorted().into_iter().for_each(|d| diags.push(d));
    }

    let previous = read_manifest(root);
    let templates = template_hash(root);
    let files_hash = workspace_files_hash(ws);
    let mut manifest = Manifest::default();
    let mut todo = vec![];
    let mut out: Vec<(String, Option<Vec<u8>>)> = vec![];
    // Per document, in parallel: glyph coverage, the input hash, whether the output is current.
    let checked: Vec<_> = pool().install(|| {
        jobs.into_par_iter()
            .map_init(fonts::CoverageCache::default, |glyphs, j| {
                let problems = coverage(&j.data, glyphs);
                // Version, templates, template, placed files, then the data as compact JSON.
                let mut input = Fnv::default();
                input.add(
                    format!(
                        "{}|{}|{}|{}|",
                        env!("CARGO_PKG_VERSION"),
                        templates,
                        j.template,
                        if j.uses_files { files_hash } else { 0 },
                    )
                    .as_bytes(),
                );
                let _ = serde_json::to_writer(&mut input, &j.data);
                let input = input.0;
                let path = root.join("out").join(&j.rel);
                let current = previous.outputs.get(&j.rel).filter(|o| o.input == input).and_then(|o| {
                    let stamp = Stamp::of(&path);
                    let same = (stamp.is_some() && stamp == o.stamp)
                        || std::fs::read(&path).is_ok_and(|bytes| fnv1a(&bytes) == o.output);
                    same.then(|| Output { stamp, ..o.clone() })
                });
                (j, input, problems, current)
            })
            .collect()
    });
    // The same text reaches several documents: report each missing glyph once.
    let mut seen = std::collections::HashSet::new();
    for (j, input, problems, current) in checked {
        for problem in problems {
            let key = problem
                .message
                .split("（数据位置")
                .next()
                .unwrap_or_default()
                .to_owned();
            if seen.insert(key) {
                diags.push(problem);
            }
        }
        match current {
            Some(o) => {
                manifest.outputs.insert(j.rel.clone(), o);
                out.push((j.rel, None));
            }
            None => todo.push((j, input)),
        }
    }
    // Data, workbooks, coverage checks and the unchanged-output check: everything before Typst.
    timings.data = data_started.elapsed();
    let typeset_count = todo.len();
    // A progress bar on a terminal; nothing when output goes to a file or a pipe.
    let bar = if std::io::IsTerminal::is_terminal(&std::io::stderr()) && typeset_count > 1 {
        let b = indicatif::ProgressBar::new(typeset_count as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template("排版 {bar:30} {pos}/{len} {msg}") {
            b.set_style(style);
        }
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    // Batches of documents, each in two parallel passes: layout, then export. Export (krilla)
    // is itself parallel inside the pool, so separate passes keep the two timings true
    // wall-clock figures. After each batch Typst's memoization cache is emptied: kept whole
    // it held 2.5 GB at 300 schools and 5000 evidence items, emptied every 32 documents the
    // peak is about 1.1 GB for some 0.6 s more (docs/benchmarks.md).
    let started = std::time::Instant::now();
    let mut results = vec![];
    let mut todo = todo.into_iter().peekable();
    while todo.peek().is_some() {
        let batch: Vec<_> = todo.by_ref().take(BATCH).collect();
        let layout_started = std::time::Instant::now();
        let laid: Vec<_> = pool().install(|| {
            batch
                .into_par_iter()
                .map(|(j, input)| {
                    let doc =
                        world::YjWorld::new(root, j.template, serde_json::to_vec(&j.data).unwrap_or_default(), today)
                            .ok_or_else(no_world)
                            .and_then(|world| typeset::layout(&world).map(|doc| (world, doc)));
                    bar.set_message(j.rel.clone());
                    bar.inc(1);
                    (j.rel, input, doc)
                })
                .collect()
        });
        timings.layout += layout_started.elapsed();
        let exporting = std::time::Instant::now();
        results.extend(pool().install(|| {
            laid.into_par_iter()
                .map(|(rel, input, doc)| {
                    let pdf =
                        doc.and_then(|(world, doc)| typeset::export(&world, &doc).map(|pdf| (pdf, doc.pages().len())));
                    (rel, input, pdf)
                })
                .collect::<Vec<_>>()
        }));
        timings.export += exporting.elapsed();
        typst::comemo::evict(0);
    }
    bar.finish_and_clear();
    timings.typeset_wall = started.elapsed();
    for (rel, input, result) in results {
        match result {
            Ok((pdf, pages)) => {
                timings.pages += pages;
                // The stamp is taken once the file is written.
                let output = Output {
                    input,
                    output: fnv1a(&pdf),
                    stamp: None,
                };
                manifest.outputs.insert(rel.clone(), output);
                out.push((rel, Some(pdf)));
            }
            Err(problems) => problems.into_iter().for_each(|d| diags.push(d)),
        }
    }
    out.extend(files.into_iter().map(|(rel, bytes)| (rel, Some(bytes))));

    let mut lock = a.evidence.lock.clone();
    lock.prints = box_data
        .iter()
        .map(|b| (b["id"].as_str().unwrap_or_default().to_owned(), boxes::print_hashes(b)))
        .collect();
    let reprint = boxes::changed_prints(&ws.lock, &box_data, &lock.prints);
    Rendered {
        files: out,
        task_lists,
        reprint,
        lock,
        manifest,
        typeset: typeset_count,
        timings,
    }
}

/// Typesetting threads: Typst recurses deeply, so they get the stack of a main thread and more.
fn pool() -> &'static rayon::ThreadPool {
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(64 * 1024 * 1024)
            .thread_name(|i| format!("typeset-{i}"))
            .build()
            .unwrap_or_else(|_| {
                rayon::ThreadPoolBuilder::new()
                    .build()
                    .expect("a thread pool with default settings")
            })
    })
}

/// The effective templates (workspace overrides or built in), as one hash.
fn template_hash(root: &Path) -> u64 {
    let mut all = String::new();
    for (name, builtin) in world::TEMPLATES {
        let text = world::override_text(root, name).unwrap_or_else(|| builtin.to_owned());
        all.push_str(name);
        all.push_str(&text);
    }
    fnv1a(all.as_bytes())
}

/// The content of every file a document may place (evidence and policy PDFs).
fn workspace_files_hash(ws: &Workspace) -> u64 {
    let mut s = String::new();
    for f in &ws.files {
        s.push_str(&format!("{}:{:?};", f.rel, f.hash));
    }
    for d in &ws.documents {
        if let crate::load::documents::Source::Pdf { file, pages } = &d.source {
            s.push_str(&format!("doc:{file}:{pages};"));
        }
    }
    fnv1a(s.as_bytes())
}

/// Documents to typeset and files made directly, with the problems found making them.
#[derive(Default)]
struct Part {
    jobs: Vec<Job>,
    files: Vec<(String, Vec<u8>)>,
    diags: Diagnostics,
}

impl Part {
    fn job(&mut self, rel: String, template: &'static str, data: Value, uses_files: bool) {
        self.jobs.push(Job {
            rel,
            template,
            data,
            uses_files,
        });
    }

    fn xlsx(&mut self, rel: &str, made: Result<Vec<u8>, rust_xlsxwriter::XlsxError>) {
        match made {
            Ok(bytes) => self.files.push((rel.to_owned(), bytes)),
            Err(e) => self.diags.push(
                Diagnostic::error(
                    "xlsx-write",
                    Location::file(format!("out/{rel}")),
                    format!("无法生成 {rel}：{e}"),
                )
                .with_hint("请报告此问题"),
            ),
        }
    }
}

/// The self-evaluation report, and the data behind it for template authors working with
/// the plain typst CLI.
fn report_part(root: &Path, ws: &Workspace, a: &Assessment) -> Part {
    let mut part = Part::default();
    let report = report::data(root, ws, a, &mut part.diags);
    part.files.push((
        ".数据/自评报告.json".to_owned(),
        serde_json::to_vec_pretty(&report).unwrap_or_default(),
    ));
    part.job("自评报告.pdf".into(), "report.typ", report, true);
    part
}

/// 基础数据表, 评分自查表, and each school's inspection form (one file each, and all in one).
fn school_part(ws: &Workspace, a: &Assessment) -> Part {
    let mut part = Part::default();
    let (schools, _) = prepared_schools(ws);
    part.xlsx(
        "基础数据表.xlsx",
        workbook::basic_data(a, &schools, &ws.profile.resource),
    );
    part.job("评分自查表.pdf".into(), "scoring.typ", forms::scoring(ws, a), false);
    part.xlsx("评分自查表.xlsx", forms::scoring_workbook(ws, a));
    let school_forms: Vec<Value> = schools.iter().map(|s| forms::school_form(ws, a, s)).collect();
    for (school, data) in schools.iter().zip(&school_forms) {
        part.job(
            format!("学校实地督查表/{}-{}.pdf", school.code, forms::file_name(&school.name)),
            "school-form.typ",
            data.clone(),
            false,
        );
    }
    if !school_forms.is_empty() {
        part.job(
            "学校实地督查表.pdf".into(),
            "school-forms.typ",
            serde_json::json!({ "forms": school_forms }),
            false,
        );
    }
    part
}

/// Each unit's task list, and all of them in one workbook.
fn task_part(root: &Path, ws: &Workspace, a: &Assessment) -> (Part, Vec<Value>) {
    let mut part = Part::default();
    let lists: Vec<Value> = ws.units.iter().map(|u| forms::task_list(root, ws, a, u)).collect();
    for (unit, data) in ws.units.iter().zip(&lists) {
        part.job(
            format!("任务清单/{}.pdf", forms::file_name(&unit.name)),
            "task-list.typ",
            data.clone(),
            false,
        );
    }
    part.xlsx("任务清单.xlsx", forms::task_workbook(&lists));
    (part, lists)
}

/// Archive boxes: one file per box (and its bound book on request), one printable file per
/// kind of print, and the catalogue workbook.
fn box_part(ws: &Workspace, a: &Assessment, opts: &crate::BuildOptions) -> (Part, Vec<Value>) {
    let mut part = Part::default();
    let box_data: Vec<Value> = a.evidence.boxes.iter().map(|b| boxes::box_data(ws, a, b)).collect();
    for data in &box_data {
        let name = forms::file_name(data["label"].as_str().unwrap_or("box"));
        part.job(format!("档案盒/{name}.pdf"), "box.typ", data.clone(), false);
        if opts.box_books {
            part.job(format!("档案盒/装订本/{name}.pdf"), "box-book.typ", data.clone(), true);
        }
    }
    if !box_data.is_empty() {
        for (kind, name) in [
            ("cover", "盒面"),
            ("contents", "卷内目录"),
            ("remarks", "备考表"),
            ("spine", "盒脊"),
        ] {
            let data = serde_json::json!({ "kind": kind, "title": name, "boxes": box_data });
            part.job(format!("档案盒/全部{name}.pdf"), "box-kind.typ", data, false);
        }
    }
    part.xlsx("资料总目录.xlsx", boxes::catalogue(ws, a));
    (part, box_data)
}

/// 文件汇编, when there are documents.
fn compilation_part(root: &Path, ws: &Workspace) -> Part {
    let mut part = Part::default();
    if let Some(data) = compilation::data(root, ws, &mut part.diags) {
        part.job("文件汇编.pdf".into(), "compilation.typ", data, true);
    }
    part
}

/// Characters of the data no bundled font has.
fn coverage(data: &Value, cache: &mut fonts::CoverageCache) -> Vec<Diagnostic> {
    let mut d = Diagnostics::default();
    report::check_coverage(data, cache, &mut d);
    d.into_sorted()
}

fn no_world() -> Vec<Diagnostic> {
    vec![
        Diagnostic::error("typst", Location::Workspace, "无法创建排版环境")
            .with_hint("请检查 county.yaml 中的 today 日期"),
    ]
}
