//! The package docx-rs writes, finished: what its API cannot say is added to the XML it wrote
//! (header rows repeated on every page, mirrored margins for double-sided binding, fields
//! refreshed on opening, the title in the properties), and the parts are zipped again with
//! deflate (the pictures copied as they are stored), in the same order, with a fixed
//! timestamp — the same inputs, the same bytes.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::Meta;

/// `report`: a GB/T 9704 document (mirrored margins, odd and even footers, the contents'
/// fields refreshed on opening); otherwise a form, whose settings stay as written.
pub fn finish(raw: &[u8], meta: &Meta, report: bool) -> Result<Vec<u8>, String> {
    let mut zip = ZipArchive::new(Cursor::new(raw)).map_err(|e| e.to_string())?;
    // Fastest deflate: the report's XML (3.6 MB at 300 schools) still shrinks 95%, in a
    // fraction of the default level's time.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(DateTime::DEFAULT)
        .unix_permissions(0o644);
    // Pictures are most of it: written without growing the buffer again and again.
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(raw.len())));
    for i in 0..zip.len() {
        // Pictures (most of the package) as docx-rs stored them: copied without reading them
        // back, their checksums as they are.
        let media = zip.name_for_index(i).and_then(Result::ok);
        if media.is_some_and(|n| n.starts_with("word/media/")) {
            let entry = zip.by_index_raw(i).map_err(|e| e.to_string())?;
            out.raw_copy_file_touch(entry, DateTime::DEFAULT, Some(0o644))
                .map_err(|e| e.to_string())?;
            continue;
        }
        let mut entry = zip.by_index(i).map_err(|e| e.to_string())?;
        let name = entry.name().map_err(|e| e.to_string())?.into_owned();
        let mut bytes = vec![];
        entry.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
        let text = || String::from_utf8_lossy(&bytes).into_owned();
        let bytes = match name.as_str() {
            "word/document.xml" => number_pictures(&repeat_header_rows(&text())).into_bytes(),
            "word/settings.xml" if report => settings(&text())?.into_bytes(),
            "docProps/core.xml" => core(&text(), meta)?.into_bytes(),
            _ => bytes,
        };
        out.start_file(name, options).map_err(|e| e.to_string())?;
        out.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    Ok(out.finish().map_err(|e| e.to_string())?.into_inner())
}

/// `<w:tblHeader/>` in the first row of every table (docx-rs has no API for it): every table
/// here starts with its header row, and every row has a `<w:trPr>` (rows never split).
/// User text is escaped, so these tags are docx-rs's own.
fn repeat_header_rows(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() + 1024);
    let mut rest = xml;
    while let Some(i) = rest.find("<w:tbl>") {
        let (before, table) = rest.split_at(i);
        out.push_str(before);
        let first_row_end = table.find("</w:tr>").unwrap_or(table.len());
        match table.find("</w:trPr>").filter(|j| *j < first_row_end) {
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

/// Every picture its own drawing id (docx-rs gives each `id="1"`).
fn number_pictures(xml: &str) -> String {
    let mark = "<wp:docPr id=\"1\"";
    let mut out = String::with_capacity(xml.len());
    for (n, piece) in xml.split(mark).enumerate() {
        if n > 0 {
            out.push_str(&format!("<wp:docPr id=\"{n}\""));
        }
        out.push_str(piece);
    }
    out
}

/// Settings in the schema's order (CT_Settings: zoom, mirrorMargins, defaultTabStop,
/// evenAndOddHeaders, updateFields, compat): mirrored margins (GB/T 9704: the binding side
/// alternates), odd and even footers, fields (the contents' page numbers) refreshed on opening.
fn settings(xml: &str) -> Result<String, String> {
    let take = |xml: &str, tag: &str| -> Result<(String, String), String> {
        let start = xml.find(tag).ok_or_else(|| format!("settings.xml 中没有 {tag}"))?;
        let end = start + xml[start..].find("/>").ok_or("settings.xml 不完整")? + 2;
        Ok((xml[start..end].to_owned(), format!("{}{}", &xml[..start], &xml[end..])))
    };
    let (tab, rest) = take(xml, "<w:defaultTabStop")?;
    let (zoom, rest) = take(&rest, "<w:zoom")?;
    let (_, rest) = take(&rest, "<w:evenAndOddHeaders")?;
    let at = rest.find("<w:compat>").ok_or("settings.xml 中没有 <w:compat>")?;
    Ok(format!(
        "{}{zoom}<w:mirrorMargins />{tab}<w:evenAndOddHeaders /><w:updateFields w:val=\"true\" />{}",
        &rest[..at],
        &rest[at..]
    ))
}

/// The title and author in the core properties (docx-rs writes "unknown").
fn core(xml: &str, meta: &Meta) -> Result<String, String> {
    let esc = |s: &str| {
        super::xml_text(s)
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let replace = |xml: &str, from: &str, to: &str| -> Result<String, String> {
        if xml.matches(from).count() != 1 {
            return Err(format!("core.xml 中没有 {from}"));
        }
        Ok(xml.replace(from, to))
    };
    let xml = replace(
        xml,
        "<dc:creator>unknown</dc:creator>",
        &format!(
            "<dc:title>{}</dc:title><dc:creator>{}</dc:creator>",
            esc(&meta.title),
            esc(&meta.author)
        ),
    )?;
    replace(
        &xml,
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

    #[test]
    fn first_row_without_properties_left_alone() {
        let plain = "<w:tbl><w:tr></w:tr><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr></w:tbl>";
        assert_eq!(repeat_header_rows(plain), plain);
    }

    #[test]
    fn settings_in_schema_order() {
        let xml = r#"<w:settings><w:defaultTabStop w:val="840" /><w:zoom w:percent="100" /><w:compat><w:x /></w:compat><w:evenAndOddHeaders /></w:settings>"#;
        assert_eq!(
            settings(xml).unwrap(),
            r#"<w:settings><w:zoom w:percent="100" /><w:mirrorMargins /><w:defaultTabStop w:val="840" /><w:evenAndOddHeaders /><w:updateFields w:val="true" /><w:compat><w:x /></w:compat></w:settings>"#
        );
        assert!(settings("<w:settings/>").is_err());
    }

    #[test]
    fn pictures_numbered() {
        let xml = r#"a<wp:docPr id="1" name="Figure" />b<wp:docPr id="1" name="Figure" />"#;
        assert_eq!(
            number_pictures(xml),
            r#"a<wp:docPr id="1" name="Figure" />b<wp:docPr id="2" name="Figure" />"#
        );
    }
}
