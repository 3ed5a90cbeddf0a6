//! Every document a build makes, one file each implementing `Document`, and the one list of
//! them (`ALL`) that the render plan goes through. A document decides its outputs from the
//! assessment: files to typeset (PDF, Word, combined volumes) and files made directly
//! (workbooks, data); the plan adds the input hashes and checks that are the same for all.
//!
//! Adding a document: its file here (its data, and what it makes of it), its template under
//! templates/, and one line in `ALL`.

mod basic_data;
mod boxes;
mod catalogue;
mod compilation;
mod crosswalk;
mod form;
mod rectification;
mod report;
mod school_forms;
mod scoring;
mod task_lists;

use serde_json::Value;

use super::data::boxes::Printed;
use super::docx::Word;
use super::plan::{Job, JobKind};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::{School, Workspace};
use crate::rules::Assessment;

/// A document of the build: what it is called and what it makes.
pub trait Document: Sync {
    /// Its name in messages and timings, e.g. 评分自查表.
    fn name(&self) -> &'static str;
    /// Its outputs (files under out/), decided from the assessment.
    fn make(&self, cx: &Context, out: &mut Made);
}

/// Every document, in the order their outputs are listed.
pub const ALL: &[&dyn Document] = &[
    &report::Report,
    &basic_data::BasicData,
    &scoring::Scoring,
    &form::ApplicationForm,
    &school_forms::SchoolForms,
    &task_lists::TaskLists,
    &rectification::Rectification,
    &boxes::Boxes,
    &catalogue::Catalogue,
    &crosswalk::Crosswalk,
    &compilation::Compilation,
];

/// What every document is made from.
pub struct Context<'a> {
    pub ws: &'a Workspace,
    pub a: &'a Assessment,
    /// The schools as assessed: combined schools' whole-school totals split (`prepared_schools`).
    pub schools: &'a [School],
    /// `build --box-books`: each box bound with its evidence.
    pub box_books: bool,
    /// Each unit's task list, as typeset (the overview page shows them too).
    pub task_lists: &'a [crate::render::data::task_list::TaskList],
}

impl Context<'_> {
    /// Whether the PDFs must be PDF/A: then combined volumes are typeset, not assembled (an
    /// assembled volume would not conform).
    pub fn archival(&self) -> bool {
        self.ws.config.as_ref().is_some_and(|c| c.pdf.standard.is_some())
    }
}

/// What a document makes: files to typeset and files made directly, with the problems found
/// making them.
#[derive(Default)]
pub struct Made {
    pub jobs: Vec<Job>,
    pub files: Vec<(String, Vec<u8>)>,
    pub diags: Diagnostics,
    /// The archive boxes' print hashes (the boxes document sets them: the numbering lock
    /// records them).
    pub printed: Vec<Printed>,
}

impl Made {
    /// A PDF typeset from `template` with `data`; `uses_files` when it places files from
    /// evidence/ or content/documents/.
    pub fn pdf(&mut self, rel: String, template: &'static str, data: Value, uses_files: bool) {
        self.typeset(rel, template, data, uses_files, JobKind::Pdf);
    }

    fn typeset(&mut self, rel: String, template: &'static str, data: Value, uses_files: bool, kind: JobKind) {
        self.jobs.push(Job {
            rel,
            template,
            data,
            uses_files,
            files: 0,
            embeds_pdf: false,
            kind,
        });
    }

    /// A Word version of `data` (what the PDF of the same document draws), written by
    /// `writer` when its input hash — data, fonts, the templates `template` names — changed.
    /// `uses_files` when it places files from evidence/ (the report's images).
    pub fn docx(
        &mut self,
        rel: &str,
        template: &'static str,
        data: &Value,
        ws: &Workspace,
        uses_files: bool,
        writer: Box<dyn Word>,
    ) {
        // The fonts it names and the date its properties carry are part of what it is made of.
        let fonts = ws.config.as_ref().map(|c| c.docx.fonts.clone()).unwrap_or_default();
        let mut made_of = serde_json::json!({ "fonts": fonts, "date": ws.today().to_string() });
        // Cloned, not through `json!`, which copies a value by serializing it.
        made_of["doc"] = data.clone();
        self.typeset(rel.to_owned(), template, made_of, uses_files, JobKind::Word(writer));
    }

    /// A document that places PDF files (typeset as `format`: a PDF or a box book).
    pub fn embedding_pdfs(&mut self, rel: String, template: &'static str, data: Value, kind: JobKind) {
        self.typeset(rel, template, data, true, kind);
        if let Some(j) = self.jobs.last_mut() {
            j.embeds_pdf = true;
        }
    }

    /// The report, typeset in parts put together (src/render/typst/report.rs).
    pub fn report(&mut self, rel: String, data: Value) {
        self.typeset(rel, crate::render::typst::report::TEMPLATE, data, true, JobKind::Report);
    }

    /// A combined volume assembled from `parts` (`{rel, title, from?, to?}`: the documents
    /// and which of their pages, see `assemble::Part`), titled `title`.
    pub fn volume(&mut self, rel: &str, title: &str, parts: Vec<Value>) {
        self.jobs.push(Job {
            rel: rel.to_owned(),
            // Not typeset: its input hash is its parts' (see `plan`), not this template's.
            template: "forms.typ",
            data: serde_json::json!({ "title": title, "parts": parts }),
            uses_files: false,
            files: 0,
            embeds_pdf: false,
            kind: JobKind::Assembled,
        });
    }

    /// A workbook made directly.
    pub fn xlsx(&mut self, rel: &str, made: Result<Vec<u8>, rust_xlsxwriter::XlsxError>) {
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
