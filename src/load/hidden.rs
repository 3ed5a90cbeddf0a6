//! Hidden rows and columns of an xlsx sheet. calamine reads their cells like any other and
//! does not say which are hidden, so the sheet's XML is scanned for the `hidden` attribute of
//! its `<row>` and `<col>` elements (ECMA-376 Part 1, §18.3.1.73 row, §18.3.1.13 col).

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

/// Zero-based hidden rows and columns of sheet `name`; empty when the file says nothing
/// readable about them.
pub fn rows_and_columns(path: &Path, name: &str) -> (Vec<u32>, Vec<u32>) {
    scan(path, name).unwrap_or_default()
}

fn scan(path: &Path, name: &str) -> Option<(Vec<u32>, Vec<u32>)> {
    let mut zip = zip::ZipArchive::new(BufReader::new(File::open(path).ok()?)).ok()?;
    let mut part = |p: &str| -> Option<String> {
        let mut s = String::new();
        zip.by_name(p).ok()?.read_to_string(&mut s).ok()?;
        Some(s)
    };
    let workbook = part("xl/workbook.xml")?;
    let id = start_tags(&workbook, "sheet")
        .find(|t| attr(t, "name").as_deref() == Some(name))
        .and_then(|t| attr(t, "r:id"))?;
    let rels = part("xl/_rels/workbook.xml.rels")?;
    let target = start_tags(&rels, "Relationship")
        .find(|t| attr(t, "Id").as_deref() == Some(id.as_str()))
        .and_then(|t| attr(t, "Target"))?;
    let target = match target.strip_prefix('/') {
        Some(abs) => abs.to_owned(),
        None => format!("xl/{target}"),
    };
    let sheet = part(&target)?;
    let hidden = |t: &str| matches!(attr(t, "hidden").as_deref(), Some("1" | "true"));
    let rows = start_tags(&sheet, "row")
        .filter(|t| hidden(t))
        .filter_map(|t| attr(t, "r")?.parse::<u32>().ok()?.checked_sub(1))
        .collect();
    let mut cols = vec![];
    for t in start_tags(&sheet, "col").filter(|t| hidden(t)) {
        let n = |a| attr(t, a).and_then(|v| v.parse::<u32>().ok());
        if let (Some(min), Some(max)) = (n("min"), n("max")) {
            // A hidden range to the end of the sheet (min..16384) is bounded by what we read.
            let max = max.min(super::workbook::MAX_COLUMNS);
            cols.extend((min.max(1)..=max).map(|c| c - 1));
        }
    }
    Some((rows, cols))
}

/// The text of each start tag `<tag …>` (attributes included) in `xml`.
fn start_tags<'a>(xml: &'a str, tag: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let open = format!("<{tag}");
    let mut rest = xml;
    std::iter::from_fn(move || {
        loop {
            let at = rest.find(&open)?;
            let after = &rest[at + open.len()..];
            let end = after.find('>')?;
            rest = &after[end..];
            // `<row` must not match `<rowBreaks`.
            if after.starts_with([' ', '/', '>', '\n', '\r', '\t']) {
                return Some(&after[..end]);
            }
        }
    })
}

/// The value of attribute `name` in a start tag's text, with the five XML entities undone.
pub(super) fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=");
    let at = tag.find(&key)? + key.len();
    let quote = tag[at..].chars().next().filter(|q| matches!(q, '"' | '\''))?;
    let value = &tag[at + 1..];
    let value = &value[..value.find(quote)?];
    Some(
        value
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_attributes() {
        let xml = r#"<rows><rowBreaks count="1"/><row r="3" hidden="1"><c/></row><row r="4"/></rows>"#;
        let rows: Vec<_> = start_tags(xml, "row").collect();
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(attr(rows[0], "r").as_deref(), Some("3"));
        assert_eq!(attr(rows[0], "hidden").as_deref(), Some("1"));
        assert_eq!(attr(rows[1], "hidden"), None);
        assert_eq!(attr(r#" name="A&amp;B""#, "name").as_deref(), Some("A&B"));
        // Malformed: no quote (a multi-byte character where it should be) gives nothing.
        assert_eq!(attr(" r=中3", "r"), None);
    }
}
