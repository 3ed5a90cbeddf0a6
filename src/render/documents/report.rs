//! 自评报告: the county government's self-evaluation report, as a PDF and a Word version, and
//! the data behind it for template authors working with the plain typst CLI.

use super::{Context, Document, Made};
use crate::render::data::report;
use crate::render::docx;

pub struct Report;

impl Document for Report {
    fn name(&self) -> &'static str {
        "自评报告"
    }

    fn make(&self, cx: &Context, out: &mut Made) {
        let report = report::data(cx.ws, cx.a, &mut out.diags);
        // Strings, numbers and the narrative's blocks: serializing cannot fail. As a value,
        // its keys are in order in the file and the templates.
        let data = serde_json::to_value(&report).unwrap_or_default();
        out.files.push((
            ".数据/自评报告.json".to_owned(),
            serde_json::to_vec_pretty(&data).unwrap_or_default(),
        ));
        // Its pictures include the narrative's images from evidence/.
        out.docx(
            "自评报告.docx",
            "chart.typ",
            &data,
            cx.ws,
            true,
            Box::new(docx::report::ReportWriter(report)),
        );
        // In parts put together, so that a correction lays out only the parts it moved; whole
        // when it must be PDF/A.
        if cx.archival() {
            out.pdf("自评报告.pdf".into(), "report.typ", data, true);
        } else {
            out.report("自评报告.pdf".into(), data);
        }
    }
}
