//! Rows appended to content/evidence.xlsx, sheet 佐证材料清单 (issue 33 point 3), the way
//! `apply` edits content/schools.xlsx: only the sheet's XML changes (the new rows, and header
//! cells for columns the catalogue lacks); every other part of the workbook is copied byte
//! for byte (styles, widths, validation lists, other sheets). A new row takes the cell styles
//! of the last filled row above it.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use calamine::Reader;

use super::apply::{attr, column_of, escape, sheet_part};
use crate::model::evidence::columns::{HEADERS, OPTIONAL, SHEET};

/// One value of a new row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
}

/// A new catalogue row: (header, value); headers not named stay blank.
pub type Row = Vec<(&'static str, Value)>;

/// Where the sheet's header and rows are, read from the workbook.
#[derive(Debug)]
struct Layout {
    /// Zero-based header row.
    header: u32,
    /// Every catalogue column the header holds (normalized header → zero-based column).
    columns: BTreeMap<String, u32>,
    /// The last column of the header row that holds anything.
    last_header: u32,
    /// The last row that holds anything (the header row when there is none below).
    last_filled: u32,
}

fn layout(bytes: &[u8]) -> Result<Layout, String> {
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|_| format!("{} 无法打开（不是有效的 .xlsx 文件）", crate::paths::EVIDENCE))?;
    let range = wb
        .worksheet_range(SHEET)
        .map_err(|_| format!("{} 中找不到“{SHEET}”工作表", crate::paths::EVIDENCE))?;
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let text = |d: &calamine::Data| crate::load::sheet::normalize_header(&crate::load::sheet::cell_text(d));
    let header = range
        .rows()
        .position(|row| {
            let t: Vec<String> = row.iter().map(text).collect();
            t.iter().any(|x| x == "指标") && t.iter().any(|x| x == "题名")
        })
        .ok_or_else(|| {
            format!(
                "{} 的“{SHEET}”工作表没有表头行（指标、要点、题名……）",
                crate::paths::EVIDENCE
            )
        })?;
    let cells: Vec<String> = range.rows().nth(header).unwrap_or_default().iter().map(text).collect();
    let mut columns = BTreeMap::new();
    for h in HEADERS.iter().chain(&OPTIONAL) {
        let h = crate::load::sheet::normalize_header(h);
        if let Some(c) = cells.iter().position(|x| *x == h) {
            columns.entry(h).or_insert(c0 + c as u32);
        }
    }
    let last_header = c0 + cells.iter().rposition(|x| !x.is_empty()).unwrap_or(0) as u32;
    let last_filled = range
        .rows()
        .enumerate()
        .filter(|(_, row)| row.iter().any(|d| !crate::load::sheet::cell_text(d).trim().is_empty()))
        .map(|(i, _)| r0 + i as u32)
        .max()
        .unwrap_or(r0);
    Ok(Layout {
        header: r0 + header as u32,
        columns,
        last_header,
        last_filled,
    })
}

/// `bytes` (the catalogue) with `rows` appended below its last filled row, and the header
/// cells of the columns named in `rows` that it lacks added after its last header cell (in
/// the style of that cell). Returns the workbook and the zero-based row of the first new row.
pub fn append(bytes: &[u8], rows: &[Row]) -> Result<(Vec<u8>, u32), String> {
    let bad = |e: zip::result::ZipError| format!("{} 不是可以改写的 .xlsx 文件（{e}）", crate::paths::EVIDENCE);
    let mut lay = layout(bytes)?;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(bad)?;
    let part =
        sheet_part(&mut zip, SHEET).ok_or_else(|| format!("{} 中找不到“{SHEET}”工作表", crate::paths::EVIDENCE))?;
    let mut xml = String::new();
    zip.by_name(&part)
        .map_err(bad)?
        .read_to_string(&mut xml)
        .map_err(|e| e.to_string())?;
    // Headers the rows need and the sheet lacks, in the catalogue's order.
    // The three columns of the units' returns come together: 审核意见 is the team's to fill.
    let used = |h: &str| rows.iter().any(|r| r.iter().any(|(x, _)| *x == h));
    let status_columns = OPTIONAL.iter().any(|h| used(h));
    let mut added = vec![];
    for h in HEADERS.iter().chain(&OPTIONAL) {
        let wanted = used(h) || (status_columns && OPTIONAL.contains(h));
        if wanted && !lay.columns.contains_key(*h) {
            let col = lay.last_header + 1 + added.len() as u32;
            lay.columns.insert((*h).to_owned(), col);
            added.push((*h, col));
        }
    }
    xml = add_headers(&xml, lay.header, lay.last_header, &added)?;
    let styles = row_styles(&xml, lay.last_filled, lay.header);
    let first = lay.last_filled + 1;
    for (k, row) in rows.iter().enumerate() {
        let r = first + k as u32;
        let mut cells: Vec<(u32, &Value)> = row
            .iter()
            .filter_map(|(h, v)| lay.columns.get(*h).map(|c| (*c, v)))
            .collect();
        cells.sort_by_key(|(c, _)| *c);
        let body: String = cells
            .iter()
            .map(|(c, v)| cell_xml(r, *c, styles.get(c).map(String::as_str), v))
            .collect();
        xml = put_row(&xml, r, &format!("<row r=\"{}\">{body}</row>", r + 1))?;
    }
    let last_col = lay.columns.values().copied().max().unwrap_or(0).max(lay.last_header);
    let last_row = first + rows.len().saturating_sub(1) as u32;
    xml = widen_dimension(&xml, last_row.max(lay.last_filled), last_col);
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(bad)?;
        if f.name().is_ok_and(|n| n == part.as_str()) {
            drop(f);
            let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            out.start_file(part.as_str(), opts).map_err(bad)?;
            out.write_all(xml.as_bytes()).map_err(|e| e.to_string())?;
        } else {
            out.raw_copy_file(f).map_err(bad)?;
        }
    }
    Ok((out.finish().map_err(bad)?.into_inner(), first))
}

fn cell_xml(row: u32, col: u32, style: Option<&str>, v: &Value) -> String {
    let name = crate::diag::cell_name(row, col);
    let s = style.map(|s| format!(" s=\"{s}\"")).unwrap_or_default();
    match v {
        Value::Number(n) => format!("<c r=\"{name}\"{s}><v>{n}</v></c>"),
        Value::Text(t) => format!(
            "<c r=\"{name}\"{s} t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
            escape(t)
        ),
    }
}

/// The span of the `<row>` element of zero-based `row` (start, end), when the sheet has one.
fn row_span(xml: &str, row: u32) -> Option<(usize, usize)> {
    let open = format!("<row r=\"{}\"", row + 1);
    let start = xml
        .match_indices(&open)
        .map(|(i, _)| i)
        .find(|&i| matches!(xml.as_bytes().get(i + open.len()), Some(b' ' | b'>' | b'/')))?;
    let tag_end = start + xml[start..].find('>')?;
    if xml.as_bytes()[tag_end - 1] == b'/' {
        return Some((start, tag_end + 1));
    }
    Some((start, tag_end + xml[tag_end..].find("</row>")? + "</row>".len()))
}

/// Column → style of the cells of zero-based `row` (the last filled one), or of the columns'
/// own format (`<col style>`) when no data row is there yet.
fn row_styles(xml: &str, row: u32, header: u32) -> BTreeMap<u32, String> {
    let mut out = BTreeMap::new();
    if let Some(cols) = section(xml, "<cols>", "</cols>") {
        for tag in cols.split("<col ").skip(1) {
            let tag = format!(" {}", &tag[..tag.find('>').unwrap_or(tag.len())]);
            let (Some(min), Some(max), Some(s)) = (attr(&tag, "min"), attr(&tag, "max"), attr(&tag, "style")) else {
                continue;
            };
            let (min, max) = (min.parse::<u32>().unwrap_or(1), max.parse::<u32>().unwrap_or(0).min(64));
            for c in min..=max {
                out.insert(c.saturating_sub(1), s.to_owned());
            }
        }
    }
    if row == header {
        return out;
    }
    if let Some((a, b)) = row_span(xml, row) {
        for tag in xml[a..b].split("<c ").skip(1) {
            let tag = format!(" {}", &tag[..tag.find('>').unwrap_or(tag.len())]);
            if let (Some(r), Some(s)) = (attr(&tag, "r"), attr(&tag, "s")) {
                out.insert(column_of(r), s.to_owned());
            }
        }
    }
    out
}

fn section<'a>(xml: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let a = xml.find(open)?;
    let b = a + xml[a..].find(close)?;
    Some(&xml[a..b])
}

/// The header cells `added` (text, column) put at the end of the header row, styled as its
/// last cell; the row's `spans` hint widened to them.
fn add_headers(xml: &str, header: u32, last: u32, added: &[(&str, u32)]) -> Result<String, String> {
    if added.is_empty() {
        return Ok(xml.to_owned());
    }
    let (a, b) = row_span(xml, header).ok_or("找不到表头行")?;
    let row = &xml[a..b];
    let last_name = crate::diag::cell_name(header, last);
    let style = row
        .split("<c ")
        .skip(1)
        .map(|t| format!(" {}", &t[..t.find('>').unwrap_or(t.len())]))
        .find(|t| attr(t, "r") == Some(last_name.as_str()))
        .and_then(|t| attr(&t, "s").map(str::to_owned));
    let cells: String = added
        .iter()
        .map(|(h, c)| cell_xml(header, *c, style.as_deref(), &Value::Text((*h).to_owned())))
        .collect();
    let max = added.iter().map(|(_, c)| c + 1).max().unwrap_or(0);
    let tag_end = row.find('>').ok_or("表头行不完整")?;
    let mut open = row[..tag_end].trim_end_matches('/').to_owned();
    if let Some(spans) = attr(&open, "spans").map(str::to_owned) {
        let min = spans.split(':').next().unwrap_or("1");
        open = open.replace(&format!(" spans=\"{spans}\""), &format!(" spans=\"{min}:{max}\""));
    }
    let inner = if row[..=tag_end].ends_with("/>") {
        String::new()
    } else {
        row[tag_end + 1..row.len() - "</row>".len()].to_owned()
    };
    let new_row = format!("{open}>{inner}{cells}</row>");
    let mut out = format!("{}{new_row}{}", &xml[..a], &xml[b..]);
    // Widths for the new columns, unless a <col> already covers them.
    if let Some(cols_end) = out.find("</cols>") {
        let covered = |c: u32| {
            section(&out, "<cols>", "</cols>").is_some_and(|cols| {
                cols.split("<col ").skip(1).any(|t| {
                    let t = format!(" {}", &t[..t.find('>').unwrap_or(t.len())]);
                    let min: u32 = attr(&t, "min").and_then(|m| m.parse().ok()).unwrap_or(0);
                    let max: u32 = attr(&t, "max").and_then(|m| m.parse().ok()).unwrap_or(0);
                    (min..=max).contains(&(c + 1))
                })
            })
        };
        let widths: String = added
            .iter()
            .filter(|(_, c)| !covered(*c))
            .map(|(h, c)| {
                let w = match *h {
                    "来源" => 30.0,
                    "审核意见" => 24.0,
                    h => crate::render::xlsx::style::text_width(h).clamp(8.0, 24.0),
                };
                format!("<col min=\"{0}\" max=\"{0}\" width=\"{w}\" customWidth=\"1\"/>", c + 1)
            })
            .collect();
        out.insert_str(cols_end, &widths);
    }
    Ok(out)
}

/// The sheet with `row_xml` as zero-based row `row`: in the place of an existing (blank) row
/// element of that number, or before the first row below it, or at the end of sheetData.
fn put_row(xml: &str, row: u32, row_xml: &str) -> Result<String, String> {
    let mut xml = xml.to_owned();
    if let Some((a, b)) = row_span(&xml, row) {
        xml.replace_range(a..b, "");
    }
    if let Some(at) = xml.find("<sheetData/>") {
        xml.replace_range(
            at..at + "<sheetData/>".len(),
            &format!("<sheetData>{row_xml}</sheetData>"),
        );
        return Ok(xml);
    }
    let data = xml.find("<sheetData").ok_or("找不到工作表数据")?;
    let end = data + xml[data..].find("</sheetData>").ok_or("工作表数据不完整")?;
    let mut at = end;
    for (i, _) in xml[data..end].match_indices("<row ") {
        let tag = &xml[data + i..];
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let r: u32 = attr(tag, "r")
            .and_then(|r| r.parse().ok())
            .ok_or("工作表的行没有编号")?;
        if r > row + 1 {
            at = data + i;
            break;
        }
    }
    xml.insert_str(at, row_xml);
    Ok(xml)
}

/// `<dimension ref="A1:K161"/>` widened to hold zero-based `row` and `col`.
fn widen_dimension(xml: &str, row: u32, col: u32) -> String {
    let Some(a) = xml.find("<dimension ref=\"") else {
        return xml.to_owned();
    };
    let start = a + "<dimension ref=\"".len();
    let Some(len) = xml[start..].find('"') else {
        return xml.to_owned();
    };
    let old = &xml[start..start + len];
    let first = old.split(':').next().unwrap_or("A1");
    let last = old.split(':').nth(1).unwrap_or(first);
    let old_row: u32 = last
        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .unwrap_or(1);
    let end = crate::diag::cell_name(row.max(old_row.saturating_sub(1)), col.max(column_of(last)));
    format!("{}{first}:{end}{}", &xml[..start], &xml[start + len..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_goes_in_order_and_replaces_a_blank_row_of_its_number() {
        let xml =
            r#"<sheetData><row r="1"><c r="A1"/></row><row r="3" ht="20"/><row r="9"><c r="A9"/></row></sheetData>"#;
        // Row index 2 is sheet row 3: the blank element is replaced.
        assert_eq!(
            put_row(xml, 2, r#"<row r="3">X</row>"#).unwrap(),
            r#"<sheetData><row r="1"><c r="A1"/></row><row r="3">X</row><row r="9"><c r="A9"/></row></sheetData>"#
        );
        // Row 5 goes before row 9.
        assert_eq!(
            put_row(xml, 4, r#"<row r="5">Y</row>"#).unwrap(),
            r#"<sheetData><row r="1"><c r="A1"/></row><row r="3" ht="20"/><row r="5">Y</row><row r="9"><c r="A9"/></row></sheetData>"#
        );
        // A1:K161 holding row index 161 (sheet row 162) and column index 13 (N): A1:N162.
        assert_eq!(
            widen_dimension(r#"<dimension ref="A1:K161"/>"#, 161, 13),
            r#"<dimension ref="A1:N162"/>"#
        );
    }
}
