//! The county's policy documents for the compilation (文件汇编).

use super::date::Date;

#[derive(Debug, Clone)]
pub enum Source {
    /// Markdown body and the line it starts on.
    Markdown { rel: String, body: String, line: usize },
    /// A PDF under content/documents/, placed page by page.
    Pdf { file: String, pages: u32 },
}

#[derive(Debug, Clone)]
pub struct Document {
    pub title: String,
    pub issuer: String,
    pub doc_no: Option<String>,
    pub date: Date,
    pub category: String,
    pub order: i64,
    pub source: Source,
}
