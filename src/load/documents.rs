//! `content/documents/`: the county's policy documents for the compilation (文件汇编) —
//! Markdown with front matter, and PDF originals listed in `index.yaml`.

use serde::Deserialize;
use std::path::Path;

use super::yaml::{self, YamlFile};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::{CharOrigins, Date, Document, Source};
use crate::paths::{DOCUMENTS_DIR as DIR, DOCUMENTS_INDEX as INDEX};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Front {
    #[serde(rename = "标题")]
    title: String,
    #[serde(rename = "发文机关")]
    issuer: String,
    #[serde(rename = "文号", default)]
    doc_no: Option<String>,
    #[serde(rename = "成文日期")]
    date: Date,
    #[serde(rename = "类别")]
    category: String,
    #[serde(rename = "排序", default)]
    order: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexEntry {
    #[serde(rename = "文件")]
    file: String,
    #[serde(rename = "标题")]
    title: String,
    #[serde(rename = "发文机关")]
    issuer: String,
    #[serde(rename = "文号", default)]
    doc_no: Option<String>,
    #[serde(rename = "成文日期")]
    date: Date,
    #[serde(rename = "类别")]
    category: String,
    #[serde(rename = "排序", default)]
    order: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Index {
    /// Category order in the compilation; unlisted categories follow in name order.
    #[serde(rename = "类别顺序", default)]
    categories: Vec<String>,
    #[serde(rename = "文件", default)]
    documents: Vec<IndexEntry>,
}

/// The documents and the category order. Broken documents are reported and left out.
pub fn load(root: &Path, diags: &mut Diagnostics, chars: &mut CharOrigins) -> (Vec<Document>, Vec<String>) {
    let dir = root.join(DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return (vec![], vec![]);
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && !n.starts_with('.'))
        .collect();
    names.sort();
    let mut docs = vec![];
    for name in names {
        let rel = format!("{DIR}/{name}");
        let Some(text) = super::text::read(root, &rel, diags, chars) else {
            continue;
        };
        if let Some(d) = markdown(&rel, &text, diags) {
            docs.push(d);
        }
    }
    let mut order = vec![];
    if let Some((index, file)) = yaml::read::<Index>(root, INDEX, diags, chars) {
        order = index.categories;
        let items = file.locate_items("文件");
        for (n, e) in index.documents.into_iter().enumerate() {
            let at = items.get(n).cloned().unwrap_or_else(|| Location::file(&file.rel));
            if let Some(d) = pdf(root, e, at, diags) {
                docs.push(d);
            }
        }
    }
    (docs, order)
}

fn markdown(rel: &str, text: &str, diags: &mut Diagnostics) -> Option<Document> {
    let hint = "文件开头写 --- 包起的题头：标题、发文机关、文号（可空）、成文日期、类别、排序，格式见 docs/inputs.md";
    let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) else {
        diags.push(
            Diagnostic::warning(
                "document-front-matter",
                Location::line(rel, 1, 1),
                "缺少题头（front matter），此文件未收入文件汇编",
            )
            .with_hint(hint),
        );
        return None;
    };
    let Some(end) = rest.find("\n---") else {
        diags.push(
            Diagnostic::warning(
                "document-front-matter",
                Location::line(rel, 1, 1),
                "题头没有以 --- 结束，此文件未收入文件汇编",
            )
            .with_hint(hint),
        );
        return None;
    };
    let front = &rest[..end + 1];
    let body_start = end + 4;
    let after = rest.get(body_start..).unwrap_or("");
    let body = after.trim_start_matches(['\r', '\n']).to_owned();
    // The file's line of the body's first line: `---` is line 1, the front matter's lines
    // follow, the closing `---` is the next, then each blank line left out of the body.
    let blank = after[..after.len() - body.len()].matches('\n').count();
    let line = 2 + front.lines().count() + blank;
    let file = YamlFile::new(rel, front);
    let mut local = Diagnostics::default();
    let parsed: Option<Front> = yaml::parse(&file, &mut local);
    // A bad value is taken out of the front matter, but the document is left out all the same.
    let parsed = parsed.filter(|_| local.count(crate::diag::Severity::Error) == 0);
    // Lines inside the front matter start on line 2 of the file. A broken document is left
    // out of the compilation with a warning; everything else still builds.
    for mut d in local.into_sorted() {
        if let Location::Line { line, .. } = &mut d.location {
            *line += 1;
        }
        d.at = d.location.to_string();
        d.severity = crate::diag::Severity::Warning;
        d.message = format!("{}（此文件未收入文件汇编）", d.message);
        diags.push(d);
    }
    let f = parsed?;
    Some(Document {
        title: f.title,
        issuer: f.issuer,
        doc_no: f.doc_no,
        date: f.date,
        category: f.category,
        order: f.order.unwrap_or(i64::MAX),
        source: Source::Markdown {
            rel: rel.to_owned(),
            body,
            line,
        },
    })
}

fn pdf(root: &Path, e: IndexEntry, at: Location, diags: &mut Diagnostics) -> Option<Document> {
    let file = e.file.replace('\\', "/");
    if file.starts_with('/') || file.contains(':') || file.split('/').any(|p| p == "..") {
        diags.push(
            Diagnostic::error(
                "document-path-outside",
                at,
                format!("文件路径“{file}”超出 content/documents/ 目录"),
            )
            .with_hint("写相对于 content/documents/ 的路径"),
        );
        return None;
    }
    if crate::paths::outside(root, &format!("{DIR}/{file}")) {
        diags.push(super::text::outside_error(&format!("{DIR}/{file}")));
        return None;
    }
    let path = root.join(DIR).join(&file);
    if let Some(what) = crate::paths::not_regular(&path) {
        diags.push(super::text::not_regular_error(&format!("{DIR}/{file}"), what));
        return None;
    }
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(_) => {
            diags.push(
                Diagnostic::warning("document-missing", at, format!("找不到文件“{file}”"))
                    .with_hint("把 PDF 放到 content/documents/ 下，或更正“文件”"),
            );
            return None;
        }
    };
    match super::files::pdf_pages(bytes) {
        Ok(pages) if pages > 0 => Some(Document {
            title: e.title,
            issuer: e.issuer,
            doc_no: e.doc_no,
            date: e.date,
            category: e.category,
            order: e.order.unwrap_or(i64::MAX),
            source: Source::Pdf { file, pages },
        }),
        Ok(_) | Err(_) => {
            diags.push(
                Diagnostic::warning(
                    "document-unreadable",
                    Location::file(format!("{DIR}/{file}")),
                    "PDF 已加密、已损坏或没有页面，未收入汇编",
                )
                .with_hint("换成未加密、可正常打开的 PDF；其余文件照常汇编"),
            );
            None
        }
    }
}
