//! The render plan: every output of a build, decided from the assessment before anything is
//! typeset — documents (a template and its data, with the hash of all they are made from)
//! and files made directly (workbooks, the data behind the report).

use rayon::prelude::*;
use serde_json::Value;

use super::data::{boxes, compilation, file_name, overview, rectification, report, school_form, scoring, task_list};
use super::typst::{fonts, pool};
use super::{docx, templates, xlsx};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::hash::Fnv;
use crate::model::{Lock, Source, Workspace};
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
    /// What is made of it: a PDF, or a Word version of a document.
    pub format: Format,
}

/// The kind of file a job makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    /// The report's Word version; its data is `{doc, fonts}`, its template the charts'.
    DocxReport,
    /// The scoring table's Word version; its data is `{doc, fonts}`.
    DocxScoring,
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

/// What a build will write, before typesetting.
pub struct Plan {
    /// Documents to typeset, each with its input hash: the version, the templates it uses,
    /// the files it places and its data. The same hash as last time means the same PDF.
    pub jobs: Vec<(Job, u64)>,
    /// Files made directly, with their bytes.
    pub files: Vec<(String, Vec<u8>)>,
    /// Each unit's task list, as typeset (the overview page shows them too).
    pub task_lists: Vec<Value>,
    /// The numbering to keep, with what each box's prints show now.
    pub lock: Lock,
    /// Boxes whose contents list or spine label must be reprinted.
    pub reprint: Vec<(String, &'static str)>,
}

/// Every output of a build. Problems go to `diags`: data that cannot be made, characters no
/// font has. `root` is read for the templates only.
pub fn plan(root: &std::path::Path, ws: &Workspace, a: &Assessment, box_books: bool, diags: &mut Diagnostics) -> Plan {
    // The parts are independent: made in parallel, the longest first on each side (the boxes,
    // the catalogue), joined in a fixed order.
    let (((boxes, printed), report), (catalogue, (schools, ((tasks, task_lists), compiled)))) = pool().install(|| {
        rayon::join(
            || rayon::join(|| box_part(ws, a, box_books), || report_part(ws, a)),
            || {
                rayon::join(
                    || catalogue_part(ws, a),
                    || {
                        rayon::join(
                            || school_part(ws, a),
                            || rayon::join(|| task_part(ws, a), || compilation_part(ws)),
                        )
                    },
                )
            },
        )
    });
    let mut jobs: Vec<Job> = vec![];
    let mut files: Vec<(String, Vec<u8>)> = vec![];
    for part in [report, schools, tasks, boxes, catalogue, compiled] {
        jobs.extend(part.jobs);
        files.extend(part.files);
        part.diags.into_sorted().into_iter().for_each(|d| diags.push(d));
    }
    // Characters XML cannot carry, which the Word versions drop: once each, at their input.
    let mut dropped = std::collections::HashSet::new();
    for j in jobs
        .iter()
        .filter(|j| matches!(j.template, "report.typ" | "report-part.typ" | "scoring.typ"))
    {
        for (c, d) in docx::check_text(&j.data, &ws.chars) {
            if dropped.insert(c) {
                diags.push(d);
            }
        }
    }
    if let Err(e) = overview::check_template(root) {
        diags.push(overview::template_error(&e));
    }
    let evidence_files: std::collections::HashMap<&str, Option<u64>> =
        ws.files.iter().map(|f| (f.rel.as_str(), f.hash)).collect();
    if let Some(std) = ws.config.as_ref().and_then(|c| c.pdf.standard) {
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
    // Per document, in parallel: glyph coverage and the input hash.
    let checked: Vec<(Job, u64, Vec<(char, Diagnostic)>)> = pool().install(|| {
        jobs.into_par_iter()
            .map_init(fonts::CoverageCache::default, |glyphs, mut j| {
                if j.uses_files {
                    j.files = placed_files_hash(root, &j.data, &evidence_files);
                }
                // Word versions use the fonts installed where they are opened.
                let problems = if matches!(j.format, Format::Pdf | Format::Report | Format::BoxBook) {
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
    // A volume's input is its parts' inputs, in order.
    let inputs: std::collections::HashMap<String, u64> = planned.iter().map(|(j, i)| (j.rel.clone(), *i)).collect();
    for (j, input) in planned.iter_mut().filter(|(j, _)| j.format == Format::Assembled) {
        let mut h = Fnv::default();
        h.add(format!("{}|", env!("CARGO_PKG_VERSION")).as_bytes());
        let _ = serde_json::to_writer(&mut h, &j.data);
        for p in j.data["parts"].as_array().into_iter().flatten() {
            let rel = p["rel"].as_str().unwrap_or_default();
            h.add(format!("|{rel}:{}", inputs.get(rel).copied().unwrap_or(0)).as_bytes());
        }
        *input = h.0;
    }
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

/// The content of every file a document may place (evidence and policy PDFs).
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
                (!crate::paths::outside(root, &rel))
                    .then(|| std::fs::read(root.join(&rel)).ok())
                    .flatten()
                    .map(|bytes| crate::hash::digest(&bytes))
            }
        };
        h.add(format!("{path}:{held:?};").as_bytes());
    }
    h.0
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
            files: 0,
            embeds_pdf: false,
            format: Format::Pdf,
        });
    }

    /// A Word version of `data` (what the PDF of the same document draws), made when its
    /// input hash — data, fonts, the templates `template` names — changed.
    fn docx_job(&mut self, rel: &str, template: &'static str, data: &Value, ws: &Workspace, format: Format) {
        // The fonts it names and the date its properties carry are part of what it is made of.
        let fonts = ws.config.as_ref().map(|c| c.docx.fonts.clone()).unwrap_or_default();
        let mut made_of = serde_json::json!({ "fonts": fonts, "date": ws.today().to_string() });
        // Cloned, not through `json!`, which copies a value by serializing it.
        made_of["doc"] = data.clone();
        self.job(
            rel.to_owned(),
            template,
            made_of,
            // The report's pictures include the narrative's images from evidence/.
            format == Format::DocxReport,
        );
        if let Some(j) = self.jobs.last_mut() {
            j.format = format;
        }
    }

    /// A document that places PDF files.
    fn job_embedding_pdfs(&mut self, rel: String, template: &'static str, data: Value) {
        self.job(rel, template, data, true);
        if let Some(j) = self.jobs.last_mut() {
            j.embeds_pdf = true;
        }
    }

    /// A combined volume assembled from `parts` (`{rel, title, from?, to?}`: the documents
    /// and which of their pages, see `assemble::Part`), titled `title`.
    fn volume(&mut self, rel: &str, title: &str, parts: Vec<Value>) {
        self.jobs.push(Job {
            rel: rel.to_owned(),
            // Not typeset: its input hash is its parts' (see `plan`), not this template's.
            template: "forms.typ",
            data: serde_json::json!({ "title": title, "parts": parts }),
            uses_files: false,
            files: 0,
            embeds_pdf: false,
            format: Format::Assembled,
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
fn report_part(ws: &Workspace, a: &Assessment) -> Part {
    let mut part = Part::default();
    let report = report::data(ws, a, &mut part.diags);
    part.files.push((
        ".数据/自评报告.json".to_owned(),
        serde_json::to_vec_pretty(&report).unwrap_or_default(),
    ));
    part.docx_job("自评报告.docx", "chart.typ", &report, ws, Format::DocxReport);
    // In parts put together, so that a correction lays out only the parts it moved; whole
    // when it must be PDF/A.
    if archival(ws) {
        part.job("自评报告.pdf".into(), "report.typ", report, true);
    } else {
        part.job(
            "自评报告.pdf".into(),
            crate::render::typst::report::TEMPLATE,
            report,
            true,
        );
        if let Some(j) = part.jobs.last_mut() {
            j.format = Format::Report;
        }
    }
    part
}

/// 基础数据表, 评分自查表, and each school's inspection form (one file each, and all in one).
fn school_part(ws: &Workspace, a: &Assessment) -> Part {
    let mut part = Part::default();
    let (schools, _) = prepared_schools(ws);
    part.xlsx(
        "基础数据表.xlsx",
        xlsx::basic_data::basic_data(a, &schools, &ws.profile.resource),
    );
    let scoring = scoring::scoring(ws, a);
    part.docx_job("评分自查表.docx", "scoring.typ", &scoring, ws, Format::DocxScoring);
    part.job("评分自查表.pdf".into(), "scoring.typ", scoring, false);
    part.xlsx("评分自查表.xlsx", xlsx::scoring::scoring_workbook(ws, a));
    let school_forms: Vec<Value> = schools.iter().map(|s| school_form::school_form(ws, a, s)).collect();
    for (school, data) in schools.iter().zip(&school_forms) {
        part.job(form_rel(school), "school-form.typ", data.clone(), false);
    }
    // The combined forms: assembled from the schools' PDFs; typeset only when it must be PDF/A.
    if !school_forms.is_empty() && !archival(ws) {
        let parts = schools
            .iter()
            .map(|s| {
                serde_json::json!({
                    "rel": form_rel(s),
                    "title": format!("{} {}", s.code, s.name),
                })
            })
            .collect();
        let title = format!(
            "{}学校实地督查表",
            ws.config.as_ref().map(|c| c.county.as_str()).unwrap_or("")
        );
        part.volume("学校实地督查表.pdf", &title, parts);
    } else if !school_forms.is_empty() {
        part.job(
            "学校实地督查表.pdf".into(),
            "school-forms.typ",
            serde_json::json!({ "forms": school_forms }),
            false,
        );
    }
    part
}

/// Where a school's inspection form goes: the single file, and a part of the volume.
fn form_rel(s: &crate::model::School) -> String {
    format!("学校实地督查表/{}-{}.pdf", s.code, file_name(&s.name))
}

/// Where a box's own file goes: the single file, and a part of each kind's volume.
fn box_rel(data: &Value) -> String {
    format!("档案盒/{}.pdf", file_name(data["label"].as_str().unwrap_or("box")))
}

/// Whether the PDFs must be PDF/A: then combined volumes are typeset, not assembled (an
/// assembled volume would not conform).
fn archival(ws: &Workspace) -> bool {
    ws.config.as_ref().is_some_and(|c| c.pdf.standard.is_some())
}

/// Each unit's task list, and all of them in one workbook.
fn task_part(ws: &Workspace, a: &Assessment) -> (Part, Vec<Value>) {
    let mut part = Part::default();
    let lists: Vec<Value> = ws.units.iter().map(|u| task_list::task_list(ws, a, u)).collect();
    for (unit, data) in ws.units.iter().zip(&lists) {
        part.job(
            format!("任务清单/{}.pdf", file_name(&unit.name)),
            "task-list.typ",
            data.clone(),
            false,
        );
    }
    part.xlsx("任务清单.xlsx", xlsx::tasks::task_workbook(&lists));
    // 问题清单 and 一校一策 (seed 002), with the shortfalls and transfers behind them.
    part.job(
        "一校一策整改方案.pdf".into(),
        "rectification.typ",
        rectification::data(ws, a),
        false,
    );
    part.xlsx("缺口测算与调剂建议.xlsx", xlsx::rectification::workbook(a));
    (part, lists)
}

/// Archive boxes: one file per box (and its bound book on request), one printable file per
/// kind of print, and the catalogue workbook.
fn box_part(ws: &Workspace, a: &Assessment, box_books: bool) -> (Part, Vec<boxes::Printed>) {
    let mut part = Part::default();
    let mut box_data: Vec<Value> = a.evidence.boxes.iter().map(|b| boxes::box_data(ws, a, b)).collect();
    let printed = box_data.iter().map(boxes::printed).collect();
    for data in &box_data {
        let name = file_name(data["label"].as_str().unwrap_or("box"));
        part.job(box_rel(data), "box.typ", data.clone(), false);
        if box_books {
            part.job_embedding_pdfs(format!("档案盒/装订本/{name}.pdf"), "box-book.typ", data.clone());
            if let Some(j) = part.jobs.last_mut() {
                j.format = Format::BoxBook;
            }
        }
    }
    // Each kind of print for all boxes: covers, contents lists and 备考表 assembled from the
    // boxes' PDFs (page 1, pages 2 to the third last, the second last; see box.typ), typeset
    // only when they must be PDF/A. Spine labels share sheets, so they are typeset.
    for (kind, name, pages) in [
        ("cover", "盒面", (1, 1)),
        ("contents", "卷内目录", (2, -3)),
        ("remarks", "备考表", (-2, -2)),
        ("spine", "盒脊", (0, 0)),
    ] {
        if box_data.is_empty() {
            break;
        }
        let rel = format!("档案盒/全部{name}.pdf");
        if kind == "spine" || archival(ws) {
            let mut data = serde_json::json!({ "kind": kind, "title": name });
            // The spine labels come last: they take the boxes' data, the others a copy.
            data["boxes"] = Value::Array(match kind {
                "spine" => std::mem::take(&mut box_data),
                _ => box_data.clone(),
            });
            part.job(rel, "box-kind.typ", data, false);
        } else {
            let parts = box_data
                .iter()
                .map(|b| {
                    let label = b["label"].as_str().unwrap_or("box");
                    serde_json::json!({
                        "rel": box_rel(b),
                        "title": format!("{label} {}", b["title"].as_str().unwrap_or_default()),
                        "from": pages.0,
                        "to": pages.1,
                    })
                })
                .collect();
            part.volume(&rel, &format!("全部{name}"), parts);
        }
    }
    (part, printed)
}

/// The evidence catalogue and, for another system's catalogue, its crosswalk (apart from the
/// boxes: the largest workbook, made beside them).
fn catalogue_part(ws: &Workspace, a: &Assessment) -> Part {
    let mut part = Part::default();
    part.xlsx("资料总目录.xlsx", xlsx::catalogue::catalogue(ws, a));
    if !a.crosswalk.is_empty() {
        part.xlsx("指标对照表.xlsx", xlsx::crosswalk::workbook(a));
    }
    part
}

/// 文件汇编, when there are documents.
fn compilation_part(ws: &Workspace) -> Part {
    let mut part = Part::default();
    if let Some(data) = compilation::data(ws, &mut part.diags) {
        if ws.documents.iter().any(|d| matches!(d.source, Source::Pdf { .. })) {
            part.job_embedding_pdfs("文件汇编.pdf".into(), "compilation.typ", data);
        } else {
            part.job("文件汇编.pdf".into(), "compilation.typ", data, true);
        }
    }
    part
}
