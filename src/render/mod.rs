//! Rendering: from the assessment to what people read. `plan` decides every output and its
//! data (`data/` per document, `xlsx/` for workbooks, `markdown` and `tera` for the narrative);
//! `typst/` typesets the documents. Nothing here reads the workspace's inputs, only its
//! templates.

pub mod data;
pub mod markdown;
pub mod plan;
pub mod templates;
pub mod tera;
pub mod typst;
pub mod xlsx;
