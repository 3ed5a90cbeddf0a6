//! 一校一策整改方案 (问题清单 and one page per school with problems, seed 002) and the workbook
//! of the shortfalls and transfers behind it.

use super::{Context, Document, Made};
use crate::render::data::rectification;
use crate::render::xlsx;

pub struct Rectification;

impl Document for Rectification {
    fn name(&self) -> &'static str {
        "一校一策整改方案"
    }

    fn make(&self, cx: &Context, out: &mut Made) {
        out.pdf(
            "一校一策整改方案.pdf".into(),
            "rectification.typ",
            // Strings, flags and counts: serializing cannot fail.
            serde_json::to_value(rectification::data(cx.ws, cx.a)).unwrap_or_default(),
            false,
        );
        out.xlsx("缺口测算与调剂建议.xlsx", xlsx::rectification::workbook(cx.a));
    }
}
