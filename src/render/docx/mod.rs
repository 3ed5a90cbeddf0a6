//! Word versions (.docx) of the report and the scoring table, written with docx-rs from the
//! same data the Typst templates draw. Page setup after GB/T 9704-2012 like the PDFs: A4, top
//! 37 mm, binding side 28 mm, a 22-line × 28-character grid, 3号 仿宋 body, page numbers
//! "— 1 —" in 4号 on the outer side. Every text reaches docx-rs as a run's text, which it
//! escapes; characters XML 1.0 cannot carry are dropped, and reported by `check_text`.

pub mod report;
pub mod scoring;

mod doc;
mod layout;
mod markdown;
mod package;
mod pictures;
mod text;
mod widths;

use serde_json::Value;

use crate::diag::{Diagnostic, Location};
use crate::model::Date;
use crate::model::county::DocxFonts;
use crate::render::plan::{Job, JobKind};
use crate::store::Store;

use doc::Block;
pub use doc::{Cell, Doc, Span, cn_number};
pub use layout::{Layout, Meta};
pub use text::{check_text, xml_text};

/// How a document's Word version is written (docx/report.rs, docx/scoring.rs): a document
/// hands its writer to the plan (`JobKind::Word`), which calls it when the version's input
/// hash changed.
pub trait Word: Send + Sync {
    fn write(&self, w: &WordInput) -> Result<Vec<u8>, Vec<Diagnostic>>;
}

/// What a Word writer has to hand.
pub struct WordInput<'a> {
    pub root: &'a std::path::Path,
    pub today: Date,
    /// The file it makes, under out/.
    pub rel: &'a str,
    /// The template that draws its pictures (the report's charts).
    pub template: &'static str,
    /// The document's data, as its PDF draws it.
    pub doc: &'a Value,
    pub fonts: DocxFonts,
    /// The date its properties carry (the workspace's today unless the data says).
    pub date: String,
    /// Pictures kept by earlier builds.
    pub store: &'a dyn Store,
}

impl WordInput<'_> {
    /// A writer's failure, at the file it makes.
    pub fn failed(&self, e: String) -> Vec<Diagnostic> {
        vec![
            Diagnostic::error(
                "docx-write",
                Location::file(format!("out/{}", self.rel)),
                format!("无法生成 {}：{e}", self.rel),
            )
            .with_hint("请报告此问题"),
        ]
    }
}

/// The Word file of a job (`JobKind::Word`), dated the workspace's today, with the chart
/// pictures kept in `store` by earlier builds.
pub fn make(root: &std::path::Path, today: Date, job: &Job, store: &dyn Store) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let JobKind::Word(writer) = &job.kind else {
        return Err(vec![]);
    };
    let day = job.data["date"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| today.to_string());
    let input = WordInput {
        root,
        today,
        rel: &job.rel,
        template: job.template,
        doc: &job.data["doc"],
        fonts: serde_json::from_value(job.data["fonts"].clone()).unwrap_or_default(),
        date: format!("{day}T00:00:00Z"),
        store,
    };
    writer.write(&input)
}

/// A string field of the document data ("" when absent): the data is ours, its shape known.
fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// A list field of the document data (empty when absent).
fn list_of<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// Twips in a millimetre (1440 per inch).
fn mm(v: f64) -> i32 {
    (v * 1440.0 / 25.4).round() as i32
}

const A4: (u32, u32) = (11906, 16838);
/// GB/T 9704-2012 5.2.1: top margin 37 mm, binding side 28 mm, text block 156 × 225 mm.
const TOP: f64 = 37.0;
const INSIDE: f64 = 28.0;
const TEXT_W: f64 = 156.0;
const TEXT_H: f64 = 225.0;
/// The text block's width in twips, for tables and tab stops.
const TEXT_TWIPS: u32 = 8844;
/// 3号 body, 2号 title, 4号 page numbers, 5号 tables, in half-points.
const BODY: usize = 32;
const TITLE: usize = 44;
const PAGE_NO: usize = 28;
const TABLE: usize = 21;
/// Two characters of 3号 (16 pt = 320 twips each): the first-line indent of a paragraph.
const INDENT: i32 = 640;
const RED: &str = "A01D10";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_setup_in_twips() {
        // 37 mm × 1440 / 25.4 = 2097.6; 28 mm = 1587.4; 156 mm = 8844.1.
        assert_eq!(mm(37.0), 2098);
        assert_eq!(mm(28.0), 1587);
        assert_eq!(mm(156.0), TEXT_TWIPS as i32);
    }
}
