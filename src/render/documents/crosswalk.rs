//! 指标对照表.xlsx: when the evidence is catalogued under another indicator system, each of its
//! points with the indicator it answers here.

use super::{Context, Document, Made};
use crate::render::xlsx;

pub struct Crosswalk;

impl Document for Crosswalk {
    fn name(&self) -> &'static str {
        "指标对照表"
    }

    fn make(&self, cx: &Context, out: &mut Made) {
        if !cx.a.crosswalk.is_empty() {
            out.xlsx("指标对照表.xlsx", xlsx::crosswalk::workbook(cx.a));
        }
    }
}
