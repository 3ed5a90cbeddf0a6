//! Typesetting many documents: in batches, each in two parallel passes (layout, then export),
//! with Typst's memoization cache emptied after each batch.

use rayon::prelude::*;
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::{compile, pool, world::YjWorld};
use crate::diag::{Diagnostic, Location};
use crate::model::Date;
use crate::model::county::PdfStandard;
use crate::render::plan::{Job, JobKind};
use crate::store::Store;

/// Documents typeset between two emptyings of Typst's cache.
const BATCH: usize = 24;

/// Called as each document is laid out: (done, total, output path).
pub type Progress<'a> = &'a (dyn Fn(usize, usize, &str) + Sync);

/// One document typeset: its PDF and page count, or why it failed.
pub struct Typeset {
    pub rel: String,
    /// The input hash it was made from (kept in the manifest).
    pub input: u64,
    /// The PDF and a hash of each page's content (to tell which pages a change moved).
    pub result: Result<(Vec<u8>, Vec<u64>), Vec<Diagnostic>>,
    /// What a part of a document tells the parts after it (the report's, `report`).
    pub marks: Option<serde_json::Value>,
    pub how: How,
}

impl Typeset {
    /// A document made `how`, with no marks.
    pub fn new(rel: String, input: u64, result: Result<(Vec<u8>, Vec<u64>), Vec<Diagnostic>>, how: How) -> Self {
        Typeset {
            rel,
            input,
            result,
            marks: None,
            how,
        }
    }
}

/// How a document was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// Typeset (or, a Word file, written).
    Typeset,
    /// Put together from typeset pages.
    Assembled,
    /// Taken as an earlier build left it (a part of the report that did not change).
    Kept,
    /// Put aside as it was made (`Store::stage`: a box book, too large to hold them all until
    /// the end), with the hash of its bytes; the out stage moves it into place.
    Staged(u64),
}

/// Wall-clock time of the two passes, and pages typeset.
#[derive(Debug, Clone, Default)]
pub struct Times {
    pub layout: Duration,
    pub export: Duration,
    /// Putting the combined volumes together from their parts.
    pub assemble: Duration,
    pub wall: Duration,
    /// Pages typeset, and pages of combined volumes assembled from them.
    pub pages: usize,
    pub assembled: usize,
}

/// Typesets `jobs` (each with its input hash): the Word versions, the report's parts (one
/// after the other) and the other PDFs side by side, then the combined volumes put together.
/// Export (krilla) is itself parallel inside the pool, so separate passes keep the two timings
/// wall-clock figures of the batches. Kept whole, the cache held 2.5 GB at 300 schools and
/// 5000 evidence items; emptied every 24 documents the whole build peaks under 1 GB
/// (docs/benchmarks.md). What an earlier build made is read from, and box books put aside
/// in, `store`.
pub fn typeset(
    root: &std::path::Path,
    today: Date,
    standard: Option<PdfStandard>,
    jobs: Vec<(Job, u64)>,
    store: &dyn Store,
    progress: Progress,
) -> (Vec<Typeset>, Times) {
    let mut times = Times::default();
    let total = jobs.len();
    let done = AtomicUsize::new(0);
    let started = Instant::now();
    // Word versions: written by docx-rs, their charts by Typst; no PDF layout pass.
    let (volumes, jobs): (Vec<_>, Vec<_>) = jobs
        .into_iter()
        .partition(|(j, _)| matches!(j.kind, JobKind::Assembled));
    let (reports, jobs): (Vec<_>, Vec<_>) = jobs.into_iter().partition(|(j, _)| matches!(j.kind, JobKind::Report));
    let (docx, jobs): (Vec<_>, Vec<_>) = jobs
        .into_iter()
        .partition(|(j, _)| !matches!(j.kind, JobKind::Pdf | JobKind::BoxBook));
    // The Word versions after the report: the report's contents take the PDF's page numbers
    // (its marks, `contents_pages` of the document's data).
    let word = |pdfs: &[Typeset]| -> Vec<Typeset> {
        docx.into_par_iter()
            .map(|(mut j, input)| {
                contents_pages(&mut j, pdfs, store);
                let result = crate::render::docx::make(root, today, &j, store).map(|bytes| (bytes, vec![]));
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, total, &j.rel);
                Typeset::new(j.rel, input, result, How::Typeset)
            })
            .collect()
    };
    let pdfs = || -> (Vec<Typeset>, Duration, Duration, Duration) {
        let (mut results, mut layout, mut export) = (vec![], Duration::ZERO, Duration::ZERO);
        let mut todo = jobs.into_iter().peekable();
        while todo.peek().is_some() {
            let batch: Vec<_> = todo.by_ref().take(BATCH).collect();
            let layout_started = Instant::now();
            let laid: Vec<_> = batch
                .into_par_iter()
                .map(|(j, input)| {
                    let doc = YjWorld::new(root, j.template, serde_json::to_vec(&j.data).unwrap_or_default(), today)
                        .ok_or_else(compile::no_world)
                        .and_then(|world| compile::layout(&world).map(|doc| (world, doc)));
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1, total, &j.rel);
                    let standard = standard.filter(|_| !j.embeds_pdf);
                    let book = matches!(j.kind, JobKind::BoxBook).then_some(j.data);
                    (j.rel, input, doc, standard, book)
                })
                .collect();
            layout += layout_started.elapsed();
            let exporting = Instant::now();
            results.extend(
                laid.into_par_iter()
                    .map(|(rel, input, doc, standard, book)| {
                        let result = doc.and_then(|(world, doc)| {
                            compile::export(&world, &doc, standard).map(|pdf| (pdf, compile::page_hashes(&doc)))
                        });
                        match (book, result) {
                            (Some(data), Ok((pdf, pages))) => box_book(root, store, rel, input, &data, &pdf, pages),
                            (_, result) => Typeset::new(rel, input, result, How::Typeset),
                        }
                    })
                    .collect::<Vec<_>>(),
            );
            export += exporting.elapsed();
            typst::comemo::evict(0);
        }
        // Combined volumes, from the parts just typeset or, unchanged, as written in out/.
        let assembling = Instant::now();
        let volumes: Vec<Typeset> = volumes
            .into_par_iter()
            .map(|(j, input)| {
                let result = assemble_volume(&j, &results, store);
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, total, &j.rel);
                Typeset::new(j.rel, input, result, How::Assembled)
            })
            .collect();
        results.extend(volumes);
        (results, layout, export, assembling.elapsed())
    };
    // The report, part after part (each begins where the one before ends), beside the rest.
    let report = || -> Vec<Typeset> {
        reports
            .into_iter()
            .flat_map(|(j, input)| {
                let made = super::report::typeset(root, today, &j, input, store);
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, total, &j.rel);
                made
            })
            .collect()
    };
    let ((mut results, parts), (typeset, layout, export, assemble)) = pool().install(|| {
        rayon::join(
            || {
                let parts = report();
                (word(&parts), parts)
            },
            pdfs,
        )
    });
    results.extend(parts);
    results.extend(typeset);
    let pages = |how: How| -> usize {
        results
            .iter()
            .filter(|t| t.how == how || matches!((t.how, how), (How::Staged(_), How::Typeset)))
            .filter_map(|t| t.result.as_ref().ok().map(|(_, pages)| pages.len()))
            .sum()
    };
    times.layout = layout;
    times.export = export;
    times.assemble = assemble;
    times.pages = pages(How::Typeset);
    times.assembled = pages(How::Assembled);
    times.wall = started.elapsed();
    (results, times)
}

/// A Word version's data given the headings of its PDF with their printed page numbers
/// (`contents_pages`: the report's marks), for its contents: those of the PDF typeset in this
/// build, or, left as it was, those the previous build recorded.
fn contents_pages(j: &mut Job, pdfs: &[Typeset], store: &dyn Store) {
    let Some(pdf) = j.rel.strip_suffix(".docx").map(|stem| format!("{stem}.pdf")) else {
        return;
    };
    let marks = match pdfs.iter().find(|t| t.rel == pdf) {
        Some(t) => t.marks.clone(),
        None => store.marks(&pdf),
    };
    let marks = marks.map(|m| m["contents"].clone()).filter(Value::is_array);
    if let (Some(marks), Some(data)) = (marks, j.data["doc"].as_object_mut()) {
        data.insert("contents_pages".to_owned(), marks);
    }
}

/// A box book from its typeset pages (`skeleton`): the evidence drawn under them, put aside
/// at once, so that only the box being made is in memory.
fn box_book(
    root: &std::path::Path,
    store: &dyn Store,
    rel: String,
    input: u64,
    data: &serde_json::Value,
    skeleton: &[u8],
    pages: Vec<u64>,
) -> Typeset {
    use crate::render::assemble::{Underlay, Unplaced, underlay};
    // Each item takes its pages (a PDF its page count, anything else one), after the contents.
    let items = data["items"].as_array().map(Vec::as_slice).unwrap_or_default();
    let count = |i: &serde_json::Value| match (i["src"].as_str(), i["kind"].as_str()) {
        (Some(_), Some("pdf")) => i["page_count"].as_u64().unwrap_or(1) as usize,
        _ => 1,
    };
    let mut at = pages.len() + 1 - items.iter().map(count).sum::<usize>().min(pages.len());
    let mut placed = vec![];
    for i in items {
        if let (Some(src), Some("pdf")) = (i["src"].as_str(), i["kind"].as_str()) {
            // Files under evidence/ only, as the typesetter's world allows (never through a
            // link leading out of the workspace): a page that cannot be drawn stays empty.
            let rel = src.trim_start_matches('/');
            if !rel.starts_with("evidence/") || rel.split('/').any(|c| c == "..") || crate::paths::outside(root, rel) {
                at += count(i);
                continue;
            }
            let file = root.join(rel);
            for p in 0..count(i) {
                placed.push(Underlay {
                    page: at + p,
                    file: file.clone(),
                    from: p as u32 + 1,
                });
            }
        }
        at += count(i);
    }
    let fail = |e: String| {
        vec![
            Diagnostic::error(
                "box-book",
                Location::file(format!("out/{rel}")),
                format!("无法生成装订本 {rel}：{e}"),
            )
            .with_hint("请检查该盒佐证材料的 PDF 文件能否正常打开；必要时重新导出后再生成"),
        ]
    };
    // The evidence files are the county's own, not ours: one the reader cannot take fails
    // this book, not the build, and is named at the file.
    let drawn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| underlay(skeleton, &placed)))
        .unwrap_or_else(|_| Err(Unplaced::Book("装订本页面无法解析".to_owned())));
    let drawn = drawn.map_err(|e| match e {
        Unplaced::File(file) => vec![unplaced_file(root, &file, &rel)],
        Unplaced::Book(e) => fail(e),
    });
    let result = drawn.and_then(|bytes| {
        store.stage(&rel, &bytes).map_err(|e| fail(e.to_string()))?;
        Ok(crate::hash::digest(&bytes))
    });
    match result {
        Ok(hash) => Typeset::new(rel, input, Ok((vec![], pages)), How::Staged(hash)),
        Err(e) => Typeset::new(rel, input, Err(e), How::Typeset),
    }
}

/// The error for an evidence file of box book `book` that the PDF reader could not take.
fn unplaced_file(root: &std::path::Path, file: &std::path::Path, book: &str) -> Diagnostic {
    let rel = file
        .strip_prefix(root)
        .unwrap_or(file)
        .to_string_lossy()
        .replace('\\', "/");
    Diagnostic::error(
        "evidence-file-unreadable",
        Location::file(rel),
        format!("PDF 文件的结构无法解析，其页面无法装入装订本 {book}，装订本未生成"),
    )
    .with_hint("请用 PDF 阅读器打开此文件，另存或重新导出为 PDF 后再生成；也可把它从清单中移出")
}

/// A combined volume (`Format::Assembled`) from its parts' PDFs: typeset in this build or,
/// unchanged, as written.
fn assemble_volume(j: &Job, typeset: &[Typeset], store: &dyn Store) -> Result<(Vec<u8>, Vec<u64>), Vec<Diagnostic>> {
    let fail = |e: String| {
        vec![
            Diagnostic::error(
                "assemble",
                Location::file(format!("out/{}", j.rel)),
                format!("无法合订 {}：{e}", j.rel),
            )
            .with_hint("请删除 out/ 后重新生成；若仍出现请报告此问题"),
        ]
    };
    let mut parts = vec![];
    for p in j.data["parts"].as_array().into_iter().flatten() {
        let rel = p["rel"].as_str().unwrap_or_default();
        let made = typeset
            .iter()
            .find(|t| t.rel == rel)
            .and_then(|t| t.result.as_ref().ok());
        let (bytes, hashes) = match made {
            Some((pdf, pages)) => (std::borrow::Cow::Borrowed(pdf.as_slice()), pages.clone()),
            None => {
                let (bytes, hashes) = store.written(rel).map_err(|e| fail(format!("{rel}：{e}")))?;
                (std::borrow::Cow::Owned(bytes), hashes)
            }
        };
        let at = |key: &str, default: i64| p[key].as_i64().unwrap_or(default);
        let title = p["title"].as_str().unwrap_or(rel).to_owned();
        parts.push(crate::render::assemble::Part {
            pages: (at("from", 1), at("to", -1)),
            hashes,
            ..crate::render::assemble::Part::whole(title, bytes)
        });
    }
    crate::render::assemble::assemble(j.data["title"].as_str().unwrap_or_default(), &parts).map_err(fail)
}
