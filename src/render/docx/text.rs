//! What of a text a Word file can carry: XML 1.0 characters only. The rest is dropped from
//! the runs and reported where it was typed.

use serde_json::Value;

use crate::diag::{Diagnostic, Location};
use crate::model::CharOrigins;

/// Keeps only what XML 1.0 can carry: tab, line feed, and the characters from U+0020 on,
/// except U+FFFE and U+FFFF. (Carriage returns go too: a line ends with a line feed.)
pub fn xml_text(s: &str) -> String {
    s.chars().filter(|c| is_xml_char(*c) && *c != '\r').collect()
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// Strings of `data` holding characters XML 1.0 cannot carry, reported at the input cell or
/// line where each character was first seen: the Word versions drop them.
pub fn check_text(data: &Value, origins: &CharOrigins) -> Vec<(char, Diagnostic)> {
    fn walk(v: &Value, found: &mut Vec<(char, String)>) {
        match v {
            Value::String(s) => {
                for c in s.chars().filter(|c| !is_xml_char(*c)) {
                    if !found.iter().any(|(f, _)| *f == c) {
                        found.push((c, s.clone()));
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|x| walk(x, found)),
            Value::Object(map) => map.values().for_each(|x| walk(x, found)),
            _ => {}
        }
    }
    let mut found = vec![];
    walk(data, &mut found);
    found
        .into_iter()
        .map(|(c, text)| {
            let at = origins.get(c).cloned().unwrap_or(Location::Workspace);
            let shown: String = text.chars().map(|x| if is_xml_char(x) { x } else { '□' }).collect();
            let d = Diagnostic::warning(
                "docx-control-char",
                at,
                format!(
                    "文字“{shown}”中含有控制字符 U+{:04X}，Word 文档中已删去（□ 处）",
                    c as u32
                ),
            )
            .with_hint("这类字符通常是从其他系统复制时带入的，请在原单元格中删去后重新输入该处文字");
            (c, d)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_what_xml_can_carry() {
        assert_eq!(xml_text("a\u{1}b\u{FFFF}c\r\nd\te"), "abc\nd\te");
        assert_eq!(xml_text("<w:t>&amp;]]>{ PAGE }\""), "<w:t>&amp;]]>{ PAGE }\"");
    }
}
