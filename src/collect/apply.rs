//! `yingjian merge --apply`: the changes of the returns written into content/schools.xlsx by
//! replacing only the changed cell elements of the sheet's XML; every other part of the file
//! is copied byte for byte (formatting, widths, lists, comments, other sheets). The previous
//! file is kept in `content/.备份/<时间>/`. Conflicts are not written (content/ wins) unless
//! `--take-return` named the school.

use std::io::{Read, Write};
use std::path::Path;

use super::merge::Return;
use super::stamp::Slot;
use crate::model::School;
use crate::model::school::columns::{self, HEADERS, SHEET, Value};

/// One cell to write: zero-based row and column, and the value (None: blank).
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub row: u32,
    pub col: u32,
    pub value: Option<Value>,
}

/// The folder of the backups, under content/.
pub const BACKUP_DIR: &str = "content/.备份";

/// The cells of content/schools.xlsx the returns' changes (and taken conflicts) go to, in the
/// order of `Return::writes`; Err says why they cannot.
pub fn edits(root: &Path, current: &[School], returns: &[Return]) -> Result<Vec<Edit>, String> {
    let mut diags = crate::diag::Diagnostics::default();
    let mut chars = crate::model::CharOrigins::default();
    let rel = crate::paths::SCHOOLS;
    let table = crate::load::sheet::open(
        root,
        rel,
        SHEET,
        &HEADERS,
        &columns::required(),
        &columns::optional(),
        &mut diags,
        &mut chars,
    )
    .ok_or_else(|| format!("无法读取 {rel}"))?;
    let mut out = vec![];
    for r in returns {
        let school = current
            .iter()
            .find(|s| s.code == r.code)
            .ok_or_else(|| format!("{rel} 中没有学校 {}", r.code))?;
        for (slot, column, _, new, _) in r.writes() {
            let row = match slot {
                Slot::School => school.sections.iter().map(|s| s.row).min(),
                Slot::Stage(st) => school.sections.iter().find(|s| s.stage == st).map(|s| s.row),
            }
            .ok_or_else(|| format!("{rel} 中找不到 {} {} 的行", r.name, slot.label()))?;
            let col = table.column(column).ok_or_else(|| {
                format!(
                    "{rel} 没有“{}”列：请先在表中加上这一列（可从 yingjian new 生成的空白表复制表头）",
                    column
                )
            })?;
            out.push(Edit { row, col, value: new });
        }
    }
    Ok(out)
}

/// Applies `edits` to `root/content/schools.xlsx` after copying it to a new backup folder;
/// returns the backup's path relative to `root`.
pub fn apply(root: &Path, edits: &[Edit]) -> Result<String, String> {
    let path = root.join(crate::paths::SCHOOLS);
    let old = std::fs::read(&path).map_err(|e| format!("无法读取 {}：{e}", crate::paths::SCHOOLS))?;
    let new = patch_workbook(&old, edits)?;
    let backup = format!("{BACKUP_DIR}/{}/schools.xlsx", now());
    crate::out::replace(&root.join(&backup), &old).map_err(|e| format!("无法写出备份 {backup}：{e}"))?;
    crate::out::replace(&path, &new).map_err(|e| format!("无法写入 {}：{e}", crate::paths::SCHOOLS))?;
    Ok(backup)
}

/// The time of the backup's folder name, UTC: 20261206-001500.
pub(super) fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let d = crate::model::Date::from_days((secs / 86_400) as i64);
    let t = secs % 86_400;
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        d.year,
        d.month,
        d.day,
        t / 3600,
        t / 60 % 60,
        t % 60
    )
}

/// The workbook with the cells of 学校基础数据 replaced; every other zip entry copied raw.
pub fn patch_workbook(bytes: &[u8], edits: &[Edit]) -> Result<Vec<u8>, String> {
    let bad = |e: zip::result::ZipError| format!("content/schools.xlsx 不是可以改写的 .xlsx 文件（{e}）");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(bad)?;
    let part = sheet_part(&mut zip, SHEET).ok_or("content/schools.xlsx 中找不到“学校基础数据”工作表")?;
    let mut xml = String::new();
    zip.by_name(&part)
        .map_err(bad)?
        .read_to_string(&mut xml)
        .map_err(|e| e.to_string())?;
    for e in edits {
        xml = patch_cell(&xml, e)?;
    }
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(bad)?;
        let is_part = f.name().is_ok_and(|n| n == part.as_str());
        if is_part {
            let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            drop(f);
            out.start_file(part.as_str(), opts).map_err(bad)?;
            out.write_all(xml.as_bytes()).map_err(|e| e.to_string())?;
        } else {
            out.raw_copy_file(f).map_err(bad)?;
        }
    }
    Ok(out.finish().map_err(bad)?.into_inner())
}

pub(super) fn read_part<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Option<String> {
    let mut s = String::new();
    zip.by_name(name).ok()?.read_to_string(&mut s).ok()?;
    Some(s)
}

/// The value of attribute `name` in the tag `tag` (its attributes, each after a space).
pub(super) fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = start + tag[start..].find('"')?;
    Some(&tag[start..end])
}

/// The zip entry of the sheet `name`: its r:id in workbook.xml, its target in the rels.
pub(super) fn sheet_part<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Option<String> {
    let wb = read_part(zip, "xl/workbook.xml")?;
    let rels = read_part(zip, "xl/_rels/workbook.xml.rels")?;
    let id = wb
        .split("<sheet ")
        .skip(1)
        .map(|t| format!(" {}", &t[..t.find('>').unwrap_or(t.len())]))
        .find(|t| attr(t, "name") == Some(name))
        .and_then(|t| attr(&t, "r:id").map(str::to_owned))?;
    let target = rels
        .split("<Relationship ")
        .skip(1)
        .map(|t| format!(" {}", &t[..t.find('>').unwrap_or(t.len())]))
        .find(|t| attr(t, "Id") == Some(id.as_str()))
        .and_then(|t| attr(&t, "Target").map(str::to_owned))?;
    Some(match target.strip_prefix('/') {
        Some(abs) => abs.to_owned(),
        None => format!("xl/{target}"),
    })
}

pub(super) fn escape(s: &str) -> String {
    // XML 1.0 has no control characters but tab and line breaks: one typed into a returned
    // cell (read back by calamine from Excel's _x0001_) would make the workbook unreadable.
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The sheet XML with the cell of `e` replaced (or added in its row), keeping its style.
fn patch_cell(xml: &str, e: &Edit) -> Result<String, String> {
    let name = crate::diag::cell_name(e.row, e.col);
    let open = format!("<c r=\"{name}\"");
    let cell = |style: Option<&str>| {
        let s = style.map(|s| format!(" s=\"{s}\"")).unwrap_or_default();
        match &e.value {
            None => format!("<c r=\"{name}\"{s}/>"),
            Some(Value::Number(n)) => format!("<c r=\"{name}\"{s}><v>{n}</v></c>"),
            Some(Value::Text(t)) => format!("<c r=\"{name}\"{s} t=\"inlineStr\"><is><t>{}</t></is></c>", escape(t)),
        }
    };
    let found = xml
        .match_indices(&open)
        .map(|(i, _)| i)
        .find(|&i| matches!(xml.as_bytes().get(i + open.len()), Some(b' ' | b'>' | b'/')));
    if let Some(start) = found {
        let tag_end = start + xml[start..].find('>').ok_or("单元格不完整")?;
        let end = if xml.as_bytes()[tag_end - 1] == b'/' {
            tag_end + 1
        } else {
            tag_end + xml[tag_end..].find("</c>").ok_or("单元格不完整")? + "</c>".len()
        };
        let style = attr(&xml[start..tag_end], "s");
        return Ok(format!("{}{}{}", &xml[..start], cell(style), &xml[end..]));
    }
    // No such cell yet: inserted before the first cell of the row to its right.
    let row_open = format!("<row r=\"{}\"", e.row + 1);
    let row_start = xml
        .find(&row_open)
        .ok_or_else(|| format!("学校基础数据 第 {} 行不存在", e.row + 1))?;
    let row_end = row_start + xml[row_start..].find("</row>").ok_or("行不完整")?;
    let mut at = row_end;
    for (i, _) in xml[row_start..row_end].match_indices("<c r=\"") {
        let tag = &xml[row_start + i..];
        let r = attr(tag, "r").unwrap_or("");
        if column_of(r) > e.col {
            at = row_start + i;
            break;
        }
    }
    Ok(format!("{}{}{}", &xml[..at], cell(None), &xml[at..]))
}

/// The zero-based column of a cell name ("H10" → 7).
pub(super) fn column_of(name: &str) -> u32 {
    name.chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .fold(0, |n, c| n * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1))
        .saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        // "<a&b>" escaped; U+0001 (no XML 1.0 character) dropped; a line break kept.
        assert_eq!(escape("<a&b>\u{1}x\ny"), "&lt;a&amp;b&gt;x\ny");
    }

    #[test]
    fn replaces_one_cell_keeping_its_style_and_inserts_a_missing_one() {
        let xml = r#"<row r="10"><c r="G10" s="3"><v>900</v></c><c r="I10"/></row>"#;
        let e = |row, col, value| Edit { row, col, value };
        // G10 (row 9, column 6): 900 → 910, style 3 kept.
        assert_eq!(
            patch_cell(xml, &e(9, 6, Some(Value::Number(910.0)))).unwrap(),
            r#"<row r="10"><c r="G10" s="3"><v>910</v></c><c r="I10"/></row>"#
        );
        // H10 is absent: it goes between G10 and I10, as text, escaped.
        assert_eq!(
            patch_cell(xml, &e(9, 7, Some(Value::Text("a<b".into())))).unwrap(),
            r#"<row r="10"><c r="G10" s="3"><v>900</v></c><c r="H10" t="inlineStr"><is><t>a&lt;b</t></is></c><c r="I10"/></row>"#
        );
        assert_eq!(column_of("AB3"), 27);
    }
}
