//! The package docx-rs writes, finished: what its API cannot say is added to the XML it wrote
//! (header rows repeated on every page, mirrored margins for double-sided binding, fields
//! refreshed on opening, the title in the properties), and the parts are zipped again with
//! deflate, in the same order, with a fixed timestamp — the same inputs, the same bytes.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::Meta;

pub fn finish(raw: &[u8], meta: &Meta) -> Result<Vec<u8>, String> {
    let mut zip = ZipArchive::new(Cursor::new(raw)).map_err(|e| e.to_string())?;
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::DEFAULT)
        .unix_permissions(0o644);
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| e.to_string())?;
        let name = entry.name().map_err(|e| e.to_string())?.into_owned();
        let mut bytes = vec![];
        entry.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
        let bytes = match name.as_str() {
            "word/document.xml" => repeat_header_rows(&String::from_utf8_lossy(&bytes)).into_bytes(),
            "word/settings.xml" => settings(&String::from_utf8_lossy(&bytes)).into_bytes(),
            "docProps/core.xml" => core(&String::from_utf8_lossy(&bytes), meta).into_bytes(),
            _ => bytes,
        };
        out.start_file(name, options).map_err(|e| e.to_string())?;
        out.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    Ok(out.finish().map_err(|e| e.to_string())?.into_inner())
}

/// `<w:tblHeader/>` in the first row of every table (docx-rs has no API for it): every table
/// here starts with its header row, and every row has a `<w:trPr>` (rows never split).
fn repeat_header_rows(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() + 1024);
    let mut rest = xml;
    while let Some(i) = rest.find("<w:tbl>") {
        let (before, table) = rest.split_at(i);
        out.push_str(before);
        match table.find("</w:trPr>") {
            Some(j) => {
                out.push_str(&table[..j]);
                out.push_str("<w:tblHeader />");
                rest = &table[j..];
            }
            None => {
                out.push_str(table);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Settings in the schema's order: mirrored margins (GB/T 9704: the binding side alternates),
/// even and odd footers, and fields (the contents' page numbers) refreshed on opening.
fn settings(xml: &str) -> String {
    let xml = xml.replace("<w:evenAndOddHeaders />", "");
    let xml = xml.replace(
        "<w:zoom w:percent=\"100\" />",
        "<w:zoom w:percent=\"100\" /><w:mirrorMargins />",
    );
    xml.replacen(
        "<w:compat>",
        "<w:evenAndOddHeaders /><w:updateFields w:val=\"true\" /><w:compat>",
        1,
    )
}

/// The title and author in the core properties (docx-rs writes "unknown").
fn core(xml: &str, meta: &Meta) -> String {
    let esc = |s: &str| {
        super::xml_text(s)
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let xml = xml.replace(
        "<dc:creator>unknown</dc:creator>",
        &format!(
            "<dc:title>{}</dc:title><dc:creator>{}</dc:creator>",
            esc(&meta.title),
            esc(&meta.author)
        ),
    );
    xml.replace(
        "<cp:lastModifiedBy>unknown</cp:lastModifiedBy>",
        &format!("<cp:lastModifiedBy>{}</cp:lastModifiedBy>", esc(&meta.author)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_row_of_each_table_repeats() {
        let xml = "<w:body><w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr></w:tbl><w:p/><w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr></w:tbl></w:body>";
        let out = repeat_header_rows(xml);
        assert_eq!(out.matches("<w:tblHeader />").count(), 2);
        assert!(out.contains(
            "<w:tbl><w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr></w:tr><w:tr><w:trPr><w:cantSplit /></w:trPr>"
        ));
    }
}
