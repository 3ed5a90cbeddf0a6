//! Merged cells and hidden rows and columns of an OpenDocument sheet, which calamine reads as
//! plain cells: content.xml is scanned for `table:number-rows-spanned` /
//! `table:number-columns-spanned` on a cell and `table:visibility="collapse"|"filter"` on a
//! row or column (OpenDocument 1.2 Part 1, §9.1.3 table:table-row, §9.1.4 table:table-cell,
//! §9.1.6 table:table-column). A hidden sheet calamine reports itself (`table:display`).

use calamine::Dimensions;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

/// What a sheet's XML says beyond its cells (zero-based rows and columns).
#[derive(Debug, Default, PartialEq)]
pub struct Layout {
    pub merges: Vec<Dimensions>,
    pub hidden_rows: Vec<u32>,
    pub hidden_cols: Vec<u32>,
}

/// Rows or columns repeated more often than this are blank filler to the sheet's end
/// (LibreOffice writes 1 048 000 of them); they are never ours.
const MAX_REPEAT: u32 = 100_000;

/// The layout of sheet `name` of the .ods at `path`; empty when it cannot be read.
pub fn layout(path: &Path, name: &str) -> Layout {
    let read = || -> Option<String> {
        let mut zip = zip::ZipArchive::new(BufReader::new(File::open(path).ok()?)).ok()?;
        let mut s = String::new();
        zip.by_name("content.xml").ok()?.read_to_string(&mut s).ok()?;
        Some(s)
    };
    read().map(|xml| scan(&xml, name)).unwrap_or_default()
}

fn scan(xml: &str, name: &str) -> Layout {
    let mut out = Layout::default();
    let (mut in_table, mut row, mut col, mut next_col) = (false, 0u32, 0u32, 0u32);
    let mut row_repeat = 1u32;
    let number = |t: &str, a: &str| {
        super::hidden::attr(t, a)
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(1)
            .clamp(1, MAX_REPEAT)
    };
    let hidden = |t: &str| {
        matches!(
            super::hidden::attr(t, "table:visibility").as_deref(),
            Some("collapse" | "filter")
        )
    };
    for (tag, end) in tags(xml) {
        let name_of = tag.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
        match (name_of, end) {
            ("table:table", false) => {
                in_table = super::hidden::attr(tag, "table:name").as_deref() == Some(name);
                (row, next_col) = (0, 0);
            }
            ("table:table", true) if in_table => break,
            _ if !in_table => {}
            ("table:table-column", false) => {
                let n = number(tag, "table:number-columns-repeated");
                if hidden(tag) && n < MAX_REPEAT {
                    out.hidden_cols.extend(next_col..next_col + n);
                }
                next_col = next_col.saturating_add(n);
            }
            ("table:table-row", false) => {
                row_repeat = number(tag, "table:number-rows-repeated");
                if hidden(tag) && row_repeat < MAX_REPEAT {
                    out.hidden_rows.extend(row..row + row_repeat);
                }
                col = 0;
            }
            ("table:table-row", true) => row = row.saturating_add(row_repeat),
            ("table:table-cell" | "table:covered-table-cell", false) => {
                let (rows, cols) = (
                    number(tag, "table:number-rows-spanned"),
                    number(tag, "table:number-columns-spanned"),
                );
                if name_of == "table:table-cell" && (rows > 1 || cols > 1) {
                    out.merges
                        .push(Dimensions::new((row, col), (row + rows - 1, col + cols - 1)));
                }
                col = col.saturating_add(number(tag, "table:number-columns-repeated"));
            }
            _ => {}
        }
    }
    out
}

/// Each tag of `xml` in order: its text after `<` (name and attributes) and whether it is an
/// end tag. A self-closing row (`<table:table-row/>`) is given as a start and an end.
fn tags(xml: &str) -> impl Iterator<Item = (&str, bool)> {
    let mut rest = xml;
    let mut pending_end: Option<&str> = None;
    std::iter::from_fn(move || {
        if let Some(t) = pending_end.take() {
            return Some((t, true));
        }
        loop {
            let at = rest.find('<')?;
            let body = &rest[at + 1..];
            // The tag ends at the first `>` outside a quoted attribute value.
            let mut quote = None;
            let end = body.char_indices().find_map(|(i, c)| match (quote, c) {
                (Some(q), c) if c == q => {
                    quote = None;
                    None
                }
                (Some(_), _) => None,
                (None, '"' | '\'') => {
                    quote = Some(c);
                    None
                }
                (None, '>') => Some(i),
                _ => None,
            })?;
            let tag = &body[..end];
            rest = &body[end + 1..];
            if tag.starts_with(['?', '!']) {
                continue;
            }
            if let Some(name) = tag.strip_prefix('/') {
                return Some((name.trim(), true));
            }
            if let Some(open) = tag.strip_suffix('/') {
                pending_end = Some(open);
                return Some((open, false));
            }
            return Some((tag, false));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_and_hidden_rows_and_columns() {
        // Column B hidden; row 1 the header; rows 2–3 share a code merged over them (A2:A3);
        // row 4 hidden twice over (repeated); a cell spanning two columns at C2 (C2:D2).
        let xml = r#"<office:spreadsheet><table:table table:name="其他"><table:table-row table:visibility="collapse"><table:table-cell/></table:table-row></table:table>
<table:table table:name="学校基础数据">
<table:table-column/><table:table-column table:visibility="collapse"/><table:table-column table:number-columns-repeated="1024"/>
<table:table-row><table:table-cell office:value-type="string"><text:p>a&gt;b</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell table:number-rows-spanned="2" table:number-columns-spanned="1"><text:p>1</text:p></table:table-cell><table:table-cell/><table:table-cell table:number-columns-spanned="2" note="x>y"/><table:covered-table-cell/></table:table-row>
<table:table-row><table:covered-table-cell/><table:table-cell table:number-columns-repeated="3"/></table:table-row>
<table:table-row table:number-rows-repeated="2" table:visibility="collapse"><table:table-cell/></table:table-row>
<table:table-row table:number-rows-repeated="1048570" table:visibility="collapse"/>
</table:table></office:spreadsheet>"#;
        let l = scan(xml, "学校基础数据");
        assert_eq!(
            l.merges,
            [Dimensions::new((1, 0), (2, 0)), Dimensions::new((1, 2), (1, 3))]
        );
        // Rows 4 and 5 (zero-based 3, 4); the filler to the sheet's end is left out.
        assert_eq!(l.hidden_rows, [3, 4]);
        assert_eq!(l.hidden_cols, [1]);
        assert_eq!(scan(xml, "其他").hidden_rows, [0]);
    }
}
