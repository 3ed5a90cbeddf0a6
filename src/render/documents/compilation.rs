//! 文件汇编: the county's policy documents in one volume, when there are documents.

use super::{Context, Document, Made};
use crate::model::Source;
use crate::render::data::compilation;
use crate::render::plan::JobKind;

pub struct Compilation;

impl Document for Compilation {
    fn name(&self) -> &'static str {
        "文件汇编"
    }

    fn make(&self, cx: &Context, out: &mut Made) {
        let Some(book) = compilation::data(cx.ws, &mut out.diags) else {
            return;
        };
        // Strings, numbers and the Markdown blocks' values: serializing cannot fail.
        let data = serde_json::to_value(book).unwrap_or_default();
        if cx.ws.documents.iter().any(|d| matches!(d.source, Source::Pdf { .. })) {
            out.embedding_pdfs("文件汇编.pdf".into(), "compilation.typ", data, JobKind::Pdf);
        } else {
            out.pdf("文件汇编.pdf".into(), "compilation.typ", data, true);
        }
    }
}
