//! 文件汇编: the county's policy documents in one bound book — cover, contents with each
//! document's first page, documents by category and order, continuous page numbers, one PDF
//! bookmark per document.

use super::report::cn_year_month;
use crate::diag::Diagnostics;
use crate::model::{Document, Source, Workspace};
use crate::render::markdown;
use serde_json::{Value, json};

/// Documents grouped by category (configured order first, then by name), each group by 排序
/// then date.
pub fn ordered<'a>(docs: &'a [Document], order: &[String]) -> Vec<(String, Vec<&'a Document>)> {
    let mut cats: Vec<String> = order
        .iter()
        .filter(|c| docs.iter().any(|d| &&d.category == c))
        .cloned()
        .collect();
    let mut rest: Vec<String> = docs
        .iter()
        .map(|d| d.category.clone())
        .filter(|c| !cats.contains(c))
        .collect();
    rest.sort();
    rest.dedup();
    cats.extend(rest);
    cats.into_iter()
        .map(|c| {
            let mut list: Vec<&Document> = docs.iter().filter(|d| d.category == c).collect();
            list.sort_by(|a, b| (a.order, a.date, &a.title).cmp(&(b.order, b.date, &b.title)));
            (c, list)
        })
        .collect()
}

pub fn data(ws: &Workspace, diags: &mut Diagnostics) -> Option<Value> {
    if ws.documents.is_empty() {
        return None;
    }
    let county = ws.config.as_ref().map(|c| c.county.clone()).unwrap_or_default();
    let mut n = 0;
    let categories: Vec<Value> = ordered(&ws.documents, &ws.document_categories)
        .into_iter()
        .map(|(name, docs)| {
            let docs: Vec<Value> = docs
                .into_iter()
                .map(|d| {
                    n += 1;
                    let date = format!("{}年{}月{}日", d.date.year, d.date.month, d.date.day);
                    let mut v = json!({
                        "n": n, "label": format!("doc-{n}"), "title": d.title, "issuer": d.issuer,
                        "doc_no": d.doc_no, "date": date,
                    });
                    match &d.source {
                        Source::Markdown { rel, body, .. } => {
                            v["kind"] = json!("md");
                            v["blocks"] = markdown::blocks(body, rel, &ws.files, diags);
                        }
                        Source::Pdf { file, pages } => {
                            v["kind"] = json!("pdf");
                            v["src"] = json!(format!("/documents/{file}"));
                            v["pages"] = json!(pages);
                        }
                    }
                    v
                })
                .collect();
            json!({"name": name, "docs": docs})
        })
        .collect();
    Some(json!({
        "title": format!("{county}义务教育优质均衡发展\n文件汇编"),
        "county": county,
        "government": ws.config.as_ref().and_then(|c| c.government.clone()).unwrap_or_default(),
        "date": ws.config.as_ref().map(|c| cn_year_month(c.today)).unwrap_or_default(),
        "categories": categories,
    }))
}
