//! 评分自查表: the scoring self-check table as a PDF, a Word version and a workbook, all drawn
//! from one table.

use super::{Context, Document, Made};
use crate::render::data::scoring;
use crate::render::{docx, xlsx};

pub struct Scoring;

impl Document for Scoring {
    fn name(&self) -> &'static str {
        "评分自查表"
    }

    fn make(&self, cx: &Context, out: &mut Made) {
        let table = scoring::table(cx.ws, cx.a);
        out.xlsx("评分自查表.xlsx", xlsx::scoring::scoring_workbook(&table));
        // Strings and optional numbers only: serializing cannot fail.
        let data = serde_json::to_value(&table).unwrap_or_default();
        out.docx(
            "评分自查表.docx",
            "scoring.typ",
            &data,
            cx.ws,
            false,
            Box::new(docx::scoring::ScoringWriter(table)),
        );
        out.pdf("评分自查表.pdf".into(), "scoring.typ", data, false);
    }
}
