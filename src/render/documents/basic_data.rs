//! 基础数据表.xlsx: the school data as read, with each stage's coefficient sheet of live formulas.

use super::{Context, Document, Made};
use crate::render::xlsx;

pub struct BasicData;

impl Document for BasicData {
    fn name(&self) -> &'static str {
        "基础数据表"
    }

    fn make(&self, cx: &Context, out: &mut Made) {
        out.xlsx(
            "基础数据表.xlsx",
            xlsx::basic_data::basic_data(cx.a, cx.schools, &cx.ws.profile.resource),
        );
    }
}
