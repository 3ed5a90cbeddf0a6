//! Rendering: from the assessment to what people read. `plan` decides every output and its
//! data (`data/` per document, `xlsx/` for workbooks, `markdown` and `tera` for the narrative);
//! `typst/` typesets the documents. The inputs come loaded; what render reads itself is the
//! templates, and while typesetting the evidence and policy files a document places.

pub mod assemble;
pub mod data;
pub mod docx;
pub mod markdown;
pub mod plan;
pub mod templates;
pub mod tera;
pub mod typst;
pub mod xlsx;
