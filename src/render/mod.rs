//! Rendering: from the assessment to what people read. `documents/` holds every document, one
//! file each, and the list of them; `plan` goes through that list and adds each output's input
//! hash (`data/` holds the documents' data, `xlsx/` the workbooks, `markdown` and `tera` the narrative);
//! `typst/` typesets the documents. The inputs come loaded; what render reads itself is the
//! templates, and while typesetting the evidence and policy files a document places.

pub mod assemble;
pub mod data;
pub mod documents;
pub mod docx;
pub mod markdown;
mod markdown_depth;
pub mod plan;
pub mod templates;
pub mod tera;
pub mod typst;
pub mod xlsx;
