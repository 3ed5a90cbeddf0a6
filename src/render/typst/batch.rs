//! Typesetting many documents: in batches, each in two parallel passes (layout, then export),
//! with Typst's memoization cache emptied after each batch.

use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::{compile, pool, world::YjWorld};
use crate::diag::{Diagnostic, Location};
use crate::model::Date;
use crate::model::county::PdfStandard;
use crate::render::plan::{Format, Job};

/// Documents typeset between two emptyings of Typst's cache.
const BATCH: usize = 32;

/// Called as each document is laid out: (done, total, output path).
pub type Progress<'a> = &'a (dyn Fn(usize, usize, &str) + Sync);

/// One document typeset: its PDF and page count, or why it failed.
pub struct Typeset {
    pub rel: String,
    /// The input hash it was made from (kept in the manifest).
    pub input: u64,
    /// The PDF and a hash of each page's content (to tell which pages a change moved).
    pub result: Result<(Vec<u8>, Vec<u64>), Vec<Diagnostic>>,
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

/// Typesets `jobs` (each with its input hash). Export (krilla) is itself parallel inside the
/// pool, so separate passes keep the two timings true wall-clock figures. Kept whole, the
/// cache held 2.5 GB at 300 schools and 5000 evidence items; emptied every 32 documents the
/// peak is about 1.1 GB for some 0.6 s more (docs/benchmarks.md).
pub fn typeset(
    root: &std::path::Path,
    today: Date,
    standard: Option<PdfStandard>,
    jobs: Vec<(Job, u64)>,
    progress: Progress,
) -> (Vec<Typeset>, Times) {
    let mut times = Times::default();
    let total = jobs.len();
    let done = AtomicUsize::new(0);
    let started = Instant::now();
    // Word versions: written by docx-rs, their charts by Typst; no PDF layout pass.
    let (volumes, jobs): (Vec<_>, Vec<_>) = jobs.into_iter().partition(|(j, _)| j.format == Format::Assembled);
    let (docx, jobs): (Vec<_>, Vec<_>) = jobs.into_iter().partition(|(j, _)| j.format != Format::Pdf);
    let mut results: Vec<Typeset> = pool().install(|| {
        docx.into_par_iter()
            .map(|(j, input)| {
                let result = crate::render::docx::make(root, today, &j).map(|bytes| (bytes, vec![]));
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, total, &j.rel);
                Typeset {
                    rel: j.rel,
                    input,
                    result,
                }
            })
            .collect()
    });
    let mut todo = jobs.into_iter().peekable();
    while todo.peek().is_some() {
        let batch: Vec<_> = todo.by_ref().take(BATCH).collect();
        let layout_started = Instant::now();
        let laid: Vec<_> = pool().install(|| {
            batch
                .into_par_iter()
                .map(|(j, input)| {
                    let doc = YjWorld::new(root, j.template, serde_json::to_vec(&j.data).unwrap_or_default(), today)
                        .ok_or_else(no_world)
                        .and_then(|world| compile::layout(&world).map(|doc| (world, doc)));
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1, total, &j.rel);
                    let standard = standard.filter(|_| !j.embeds_pdf);
                    (j.rel, input, doc, standard)
                })
                .collect()
        });
        times.layout += layout_started.elapsed();
        let exporting = Instant::now();
        results.extend(pool().install(|| {
            laid.into_par_iter()
                .map(|(rel, input, doc, standard)| {
                    let result = doc.and_then(|(world, doc)| {
                        compile::export(&world, &doc, standard).map(|pdf| (pdf, compile::page_hashes(&doc)))
                    });
                    Typeset { rel, input, result }
                })
                .collect::<Vec<_>>()
        }));
        times.export += exporting.elapsed();
        typst::comemo::evict(0);
    }
    let pages = |r: &[Typeset]| -> usize {
        r.iter()
            .filter_map(|t| t.result.as_ref().ok().map(|(_, pages)| pages.len()))
            .sum()
    };
    times.pages = pages(&results);
    // Combined volumes, from the parts just typeset or, unchanged, as written in out/.
    let assembling = Instant::now();
    let volumes: Vec<Typeset> = pool().install(|| {
        volumes
            .into_par_iter()
            .map(|(j, input)| {
                let result = assemble_volume(root, &j, &results);
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, total, &j.rel);
                Typeset {
                    rel: j.rel,
                    input,
                    result,
                }
            })
            .collect()
    });
    times.assembled = pages(&volumes);
    times.assemble = assembling.elapsed();
    results.extend(volumes);
    times.wall = started.elapsed();
    (results, times)
}

fn no_world() -> Vec<Diagnostic> {
    vec![
        Diagnostic::error("typst", Location::Workspace, "无法创建排版环境")
            .with_hint("请检查 county.yaml 中的 today 日期"),
    ]
}

/// A combined volume (`Format::Assembled`) from its parts' PDFs.
fn assemble_volume(
    root: &std::path::Path,
    j: &Job,
    typeset: &[Typeset],
) -> Result<(Vec<u8>, Vec<u64>), Vec<Diagnostic>> {
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
        let bytes = match made {
            Some((pdf, _)) => std::borrow::Cow::Borrowed(pdf.as_slice()),
            None => std::borrow::Cow::Owned(
                std::fs::read(root.join(crate::paths::OUT).join(rel)).map_err(|e| fail(format!("{rel}：{e}")))?,
            ),
        };
        let at = |key: &str, default: i64| p[key].as_i64().unwrap_or(default);
        parts.push(crate::render::assemble::Part {
            title: p["title"].as_str().unwrap_or(rel).to_owned(),
            pdf: bytes,
            pages: (at("from", 1), at("to", -1)),
        });
    }
    crate::render::assemble::assemble(j.data["title"].as_str().unwrap_or_default(), &parts).map_err(fail)
}
