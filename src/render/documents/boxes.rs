//! 档案盒: one file per box (cover, contents list, 备考表, spine label) and, on request, its bound
//! book with the evidence pages; one printable file per kind of print for all boxes.

use serde_json::Value;

use super::{Context, Document, Made};
use crate::render::data::{boxes, file_name};
use crate::render::plan::JobKind;

pub struct Boxes;

impl Document for Boxes {
    fn name(&self) -> &'static str {
        "档案盒"
    }

    fn make(&self, cx: &Context, out: &mut Made) {
        let typed: Vec<boxes::BoxData> =
            cx.a.evidence
                .boxes
                .iter()
                .map(|b| boxes::box_data(cx.ws, cx.a, b))
                .collect();
        // Strings, numbers and lists of them: serializing cannot fail.
        let mut box_data: Vec<Value> = typed
            .iter()
            .map(|b| serde_json::to_value(b).unwrap_or_default())
            .collect();
        out.printed = typed.iter().zip(&box_data).map(|(b, v)| boxes::printed(b, v)).collect();
        for (b, data) in typed.iter().zip(&box_data) {
            out.pdf(box_rel(b), "box.typ", data.clone(), false);
            if cx.box_books {
                let name = file_name(&b.label);
                out.embedding_pdfs(
                    format!("档案盒/装订本/{name}.pdf"),
                    "box-book.typ",
                    data.clone(),
                    JobKind::BoxBook,
                );
            }
        }
        if box_data.is_empty() {
            return;
        }
        // Each kind of print for all boxes: covers, contents lists and 备考表 assembled from the
        // boxes' PDFs (page 1, pages 2 to the third last, the second last; see box.typ), typeset
        // only when they must be PDF/A. Spine labels share sheets, so they are typeset.
        for (kind, name, pages) in [
            ("cover", "盒面", (1, 1)),
            ("contents", "卷内目录", (2, -3)),
            ("remarks", "备考表", (-2, -2)),
            ("spine", "盒脊", (0, 0)),
        ] {
            let rel = format!("档案盒/全部{name}.pdf");
            if kind == "spine" || cx.archival() {
                let mut data = serde_json::json!({ "kind": kind, "title": name });
                // The spine labels come last: they take the boxes' data, the others a copy.
                data["boxes"] = Value::Array(match kind {
                    "spine" => std::mem::take(&mut box_data),
                    _ => box_data.clone(),
                });
                out.pdf(rel, "box-kind.typ", data, false);
            } else {
                let parts = typed
                    .iter()
                    .map(|b| {
                        serde_json::json!({
                            "rel": box_rel(b),
                            "title": format!("{} {}", b.label, b.title),
                            "from": pages.0,
                            "to": pages.1,
                        })
                    })
                    .collect();
                out.volume(&rel, &format!("全部{name}"), parts);
            }
        }
    }
}

/// Where a box's own file goes: the single file, and a part of each kind's volume.
fn box_rel(b: &boxes::BoxData) -> String {
    format!("档案盒/{}.pdf", file_name(&b.label))
}
