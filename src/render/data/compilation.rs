//! 文件汇编: the county's policy documents in one bound book — cover, contents with each
//! document's first page, documents by category and order, continuous page numbers, one PDF
//! bookmark per document.

use super::report::cn_year_month;
use crate::diag::{Diagnostics, Location};
use crate::model::{Document, Source, Workspace};
use crate::render::markdown;
use serde::Serialize;
use serde_json::Value;

/// What templates/compilation.typ draws.
#[derive(Serialize)]
pub struct Compilation {
    pub title: String,
    pub county: String,
    pub government: String,
    pub date: String,
    pub categories: Vec<Category>,
}

#[derive(Serialize)]
pub struct Category {
    pub name: String,
    pub docs: Vec<Doc>,
}

/// A document of the compilation, numbered through the book.
#[derive(Serialize)]
pub struct Doc {
    pub n: usize,
    /// Its label in the book (doc-n), for the contents' page numbers.
    pub label: String,
    pub title: String,
    pub issuer: String,
    pub doc_no: Option<String>,
    pub date: String,
    #[serde(flatten)]
    pub body: Body,
}

/// A document's text: Markdown blocks, or the pages of a PDF placed one by one.
#[derive(Serialize)]
#[serde(tag = "kind")]
pub enum Body {
    #[serde(rename = "md")]
    Markdown { blocks: Value },
    #[serde(rename = "pdf")]
    Pdf { src: String, pages: u32 },
}

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

pub fn data(ws: &Workspace, diags: &mut Diagnostics) -> Option<Compilation> {
    if ws.documents.is_empty() {
        return None;
    }
    let county = ws.config.as_ref().map(|c| c.county.clone()).unwrap_or_default();
    let mut n = 0;
    let categories = ordered(&ws.documents, &ws.document_categories)
        .into_iter()
        .map(|(name, docs)| {
            let docs = docs
                .into_iter()
                .map(|d| {
                    n += 1;
                    let body = match &d.source {
                        Source::Markdown { rel, body, line } => Body::Markdown {
                            blocks: body_blocks(body, rel, *line, &ws.files, diags),
                        },
                        Source::Pdf { file, pages } => Body::Pdf {
                            src: format!("/documents/{file}"),
                            pages: *pages,
                        },
                    };
                    Doc {
                        n,
                        label: format!("doc-{n}"),
                        title: d.title.clone(),
                        issuer: d.issuer.clone(),
                        doc_no: d.doc_no.clone(),
                        date: format!("{}年{}月{}日", d.date.year, d.date.month, d.date.day),
                        body,
                    }
                })
                .collect();
            Category { name, docs }
        })
        .collect();
    Some(Compilation {
        title: format!("{county}义务教育优质均衡发展\n文件汇编"),
        government: ws
            .config
            .as_ref()
            .and_then(|c| c.government.clone())
            .unwrap_or_default(),
        date: ws.config.as_ref().map(|c| cn_year_month(c.today)).unwrap_or_default(),
        county,
        categories,
    })
}

/// A Markdown document's blocks, its findings located at the file's lines: the body starts
/// on `line`, below the front matter.
fn body_blocks(
    body: &str,
    rel: &str,
    line: usize,
    files: &[crate::model::evidence::EvidenceFile],
    diags: &mut Diagnostics,
) -> Value {
    let mut local = Diagnostics::default();
    let blocks = markdown::blocks(body, rel, files, &mut local);
    for mut d in local.into_sorted() {
        if let Location::Line { line: l, .. } = &mut d.location {
            *l += line - 1;
            d.at = d.location.to_string();
        }
        diags.push(d);
    }
    blocks
}
