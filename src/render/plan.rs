//! The render plan: every output of a build, decided from the assessment before anything is
//! typeset — documents (a template and its data, with the hash of all they are made from)
//! and files made directly (workbooks, the data behind the report).

use rayon::prelude::*;
use serde_json::Value;

use super::data::{boxes, overview, task_list};
use super::documents::{self, Context, Made};
use super::typst::{fonts, pool};
use super::{docx, templates};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::hash::Fnv;
use crate::model::{Lock, Workspace};
use crate::rules::{Assessment, prepared_schools};

/// A document to typeset into `out/<rel>`.
pub struct Job {
    pub rel: String,
    pub template: &'static str,
    pub data: Value,
    /// Whether the document places files from evidence/ or content/documents/.
    pub uses_files: bool,
    /// The hash of the files its data names when it does (0 otherwise): part of its input.
    pub files: u64,
    /// Whether it embeds PDF files (the compilation, box books), which typst-pdf cannot write
    /// as PDF/A: such a document stays a plain PDF under `pdf.standard`, and says so.
    pub embeds_pdf: bool,
    /// How it is made: typeset as a PDF, written as a Word version, put together.
    pub kind: JobKind,
}

/// How a job's file is made.
pub enum JobKind {
    Pdf,
    /// A Word version by its writer; its data is `{doc, fonts, date}`, its template the one
    /// that draws its pictures.
    Word(Box<dyn docx::Word>),
    /// A combined volume put together from other documents' PDFs: data `{title, parts:
    /// [{rel, title}]}`; current exactly when its parts are.
    Assembled,
    /// The report, typeset in parts put together (src/render/typst/report.rs); its data the
    /// whole report's.
    Report,
    /// A box book: typeset with its PDF evidence pages left empty, then the evidence drawn
    /// under them at the PDF level (`assemble::underlay`), one box at a time.
    BoxBook,
}

impl JobKind {
    /// A Word version: its data is `{doc, fonts, date}`.
    pub fn is_word(&self) -> bool {
        matches!(self, JobKind::Word(_))
    }
}

/// What a build will write, before typesetting.
pub struct Plan {
    /// Documents to typeset, each with its input hash: the version, the templates it uses,
    /// the files it places and its data. The same hash as last time means the same PDF.
    pub jobs: Vec<(Job, u64)>,
    /// Files made directly, with their bytes.
    pub files: Vec<(String, Vec<u8>)>,
    /// Each unit's task list, as typeset (the overview page shows them too).
    pub task_lists: Vec<task_list::TaskList>,
    /// The numbering to keep, with what each box's prints show now.
    pub lock: Lock,
    /// Boxes whose contents list or spine label must be reprinted.
    pub reprint: Vec<(String, &'static str)>,
}

/// Every output of a build. Problems go to `diags`: data that cannot be made, characters no
/// font has. `root` is read for the templates only.
pub fn plan(root: &std::path::Path, ws: &Workspace, a: &Assessment, box_books: bool, diags: &mut Diagnostics) -> Plan {
    let (schools, _) = prepared_schools(ws);
    let task_lists: Vec<task_list::TaskList> = ws.units.iter().map(|u| task_list::task_list(ws, a, u)).collect();
    let cx = Context {
        ws,
        a,
        schools: &schools,
        box_books,
        task_lists: &task_lists,
    };
    let Made {
        jobs,
        files,
        diags: made_diags,
        printed,
    } = make_documents(&cx);
    diags.extend(made_diags);
    word_text_problems(&jobs, ws, diags);
    if let Err(e) = overview::check_template(root) {
        diags.push(overview::template_error(&e));
    }
    pdfa_embedding_warning(&jobs, ws, diags);
    let mut planned = hash_inputs(root, ws, jobs, diags);
    hash_volumes(&mut planned);
    let mut lock = a.evidence.lock.clone();
    lock.prints = printed.iter().map(|p| (p.id.clone(), p.hashes)).collect();
    let reprint = boxes::changed_prints(&ws.lock, &printed);
    Plan {
        jobs: planned,
        files,
        task_lists,
        lock,
        reprint,
    }
}

/// Every document of the list, made in parallel (each its own task), joined in list order.
fn make_documents(cx: &Context) -> Made {
    let made: Vec<Made> = pool().install(|| {
        documents::ALL
            .par_iter()
            .with_max_len(1)
            .map(|d| {
                let mut made = Made::default();
                d.make(cx, &mut made);
                made
            })
            .collect()
    });
    let mut all = Made::default();
    for part in made {
        all.jobs.extend(part.jobs);
        all.files.extend(part.files);
        all.printed.extend(part.printed);
        // Each document's problems sorted, in list order.
        part.diags.into_sorted().into_iter().for_each(|d| all.diags.push(d));
    }
    all
}

/// Characters XML cannot carry, which the Word versions drop: once each, at their input.
fn word_text_problems(jobs: &[Job], ws: &Workspace, diags: &mut Diagnostics) {
    let mut dropped = std::collections::HashSet::new();
    for j in jobs.iter().filter(|j| j.kind.is_word()) {
        for (c, d) in docx::check_text(&j.data["doc"], &ws.chars) {
            if dropped.insert(c) {
                diags.push(d);
            }
        }
    }
}

/// Documents that embed PDF files stay plain PDFs under `pdf.standard`: say which.
fn pdfa_embedding_warning(jobs: &[Job], ws: &Workspace, diags: &mut Diagnostics) {
    let Some(std) = ws.config.as_ref().and_then(|c| c.pdf.standard) else {
        return;
    };
    let plain: Vec<&str> = jobs.iter().filter(|j| j.embeds_pdf).map(|j| j.rel.as_str()).collect();
    if !plain.is_empty() {
        diags.push(
            Diagnostic::warning(
                "pdfa-embedded-pdf",
                Location::file(crate::paths::CONFIG),
                format!(
                    "{} 嵌入了 PDF 文件，无法按 PDF/A（{}）输出，按普通 PDF 输出",
                    plain.join("、"),
                    std.label()
                ),
            )
            .with_hint("归档时把其中的 PDF 文件另行转换为 PDF/A，或改用图片；其余 PDF 均按 PDF/A 输出"),
        );
    }
}

/// Per document, in parallel: the files it places, glyph coverage and the input hash.
fn hash_inputs(root: &std::path::Path, ws: &Workspace, jobs: Vec<Job>, diags: &mut Diagnostics) -> Vec<(Job, u64)> {
    let evidence_files: std::collections::HashMap<&str, Option<u64>> =
        ws.files.iter().map(|f| (f.rel.as_str(), f.hash)).collect();
    // A change of PDF standard rewrites every PDF; a PDF/A one carries the workspace's today.
    let standard = ws
        .config
        .as_ref()
        .and_then(|c| c.pdf.standard.map(|s| format!("{}@{}", s.label(), c.today)))
        .unwrap_or_default();
    let mut template_hashes = std::collections::BTreeMap::new();
    for j in &jobs {
        template_hashes
            .entry(j.template)
            .or_insert_with(|| templates::hash(root, j.template));
    }
    let checked: Vec<(Job, u64, Vec<(char, Diagnostic)>)> = pool().install(|| {
        jobs.into_par_iter()
            .map_init(fonts::CoverageCache::default, |glyphs, mut j| {
                if j.uses_files {
                    j.files = placed_files_hash(root, &j.data, &evidence_files);
                }
                // Word versions use the fonts installed where they are opened.
                let problems = if matches!(j.kind, JobKind::Pdf | JobKind::Report | JobKind::BoxBook) {
                    fonts::check_coverage(&j.data, glyphs, &ws.chars)
                } else {
                    vec![]
                };
                let input = input_hash(&j, template_hashes[j.template], &standard);
                (j, input, problems)
            })
            .collect()
    });
    // The same text reaches several documents: report each missing glyph once.
    let mut seen = std::collections::HashSet::new();
    let mut planned = vec![];
    for (j, input, problems) in checked {
        for (c, problem) in problems {
            if seen.insert(c) {
                diags.push(problem);
            }
        }
        planned.push((j, input));
    }
    planned
}

/// A volume's input is its parts' inputs, in order.
fn hash_volumes(planned: &mut [(Job, u64)]) {
    let inputs: std::collections::HashMap<String, u64> = planned.iter().map(|(j, i)| (j.rel.clone(), *i)).collect();
    for (j, input) in planned.iter_mut().filter(|(j, _)| matches!(j.kind, JobKind::Assembled)) {
        let mut h = Fnv::default();
        h.add(format!("{}|", env!("CARGO_PKG_VERSION")).as_bytes());
        let _ = serde_json::to_writer(&mut h, &j.data);
        for p in j.data["parts"].as_array().into_iter().flatten() {
            let rel = p["rel"].as_str().unwrap_or_default();
            h.add(format!("|{rel}:{}", inputs.get(rel).copied().unwrap_or(0)).as_bytes());
        }
        *input = h.0;
    }
}

/// Version, templates, placed files, the PDF standard, then the data as compact JSON.
fn input_hash(j: &Job, templates: u64, standard: &str) -> u64 {
    let mut input = Fnv::default();
    input.add(
        format!(
            "{}|{}|{}|{}|{standard}",
            env!("CARGO_PKG_VERSION"),
            templates,
            j.template,
            j.files,
        )
        .as_bytes(),
    );
    let _ = serde_json::to_writer(&mut input, &j.data);
    input.0
}

/// What the files a document places hold: every `/evidence/…` and `/documents/…` path its
/// data names (as the templates place them), with the evidence file's content hash from the
/// scan, or the document PDF's own bytes hashed. Only these: a new or replaced evidence file
/// that a document does not place leaves it as it is (one added item no longer lays out the
/// whole report again). A named file that is missing counts too, so its arrival is a change.
fn placed_files_hash(
    root: &std::path::Path,
    data: &Value,
    evidence: &std::collections::HashMap<&str, Option<u64>>,
) -> u64 {
    fn named<'a>(v: &'a Value, out: &mut std::collections::BTreeSet<&'a str>) {
        match v {
            Value::String(s) if s.starts_with("/evidence/") || s.starts_with("/documents/") => {
                out.insert(s);
            }
            Value::Array(a) => a.iter().for_each(|v| named(v, out)),
            Value::Object(m) => m.values().for_each(|v| named(v, out)),
            _ => {}
        }
    }
    let mut paths = std::collections::BTreeSet::new();
    named(data, &mut paths);
    let mut h = Fnv::default();
    for path in paths {
        let held = match path.strip_prefix("/evidence/") {
            Some(rel) => evidence.get(rel).copied().flatten(),
            // Inside the workspace only, as the World reads it.
            None => {
                let rel = format!("{}/{}", crate::paths::DOCUMENTS_DIR, &path["/documents/".len()..]);
                (!crate::paths::outside(root, &rel) && crate::paths::not_regular(&root.join(&rel)).is_none())
                    .then(|| std::fs::read(root.join(&rel)).ok())
                    .flatten()
                    .map(|bytes| crate::hash::digest(&bytes))
            }
        };
        h.add(format!("{path}:{held:?};").as_bytes());
    }
    h.0
}
