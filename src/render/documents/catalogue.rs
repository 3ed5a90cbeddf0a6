//! 资料总目录.xlsx: every evidence item with its number, box, unit, file and status.

use super::{Context, Document, Made};
use crate::render::xlsx;

pub struct Catalogue;

impl Document for Catalogue {
    fn name(&self) -> &'static str {
        "资料总目录"
    }

    fn make(&self, cx: &Context, out: &mut Made) {
        out.xlsx("资料总目录.xlsx", xlsx::catalogue::catalogue(cx.ws, cx.a));
    }
}
