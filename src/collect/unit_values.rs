//! A returned cell of a unit's 县级数据 sheet read as the value of its kind and checked as
//! county.yaml's values are: a figure a number, not negative, a percentage at most 100, a ratio
//! at most 1, a 学业水平 a whole number 1 to 4, a yes/no 是 or 否, a note any text.

use calamine::Data;

use super::county_fields::{Kind, Value, yes_no};
use super::unit_sheet::{Issued, Returned, SHEET};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::load::sheet::{cell_text, parse_number};

fn wrong(diags: &mut Diagnostics, at: Location, message: String, hint: &str) {
    diags.push(Diagnostic::error("county-return-value", at, message).with_hint(hint));
}

/// The returned value of one input: `Some(None)` when blank, `None` (said why in `diags`)
/// when it is not a value of its kind.
pub fn read(file: &str, issued: &Issued, r: &Returned, diags: &mut Diagnostics) -> Option<Option<Value>> {
    let at = Location::cell(file, SHEET, issued.row, issued.col as u32);
    let typed = cell_text(&r.value);
    if matches!(r.value, Data::Empty) || typed.trim().is_empty() {
        return Some(None);
    }
    match issued.kind {
        Kind::Note => {
            // The text as typed, its line breaks kept; only the ends trimmed.
            let t = match &r.value {
                Data::String(s) => s.trim().to_owned(),
                _ => typed,
            };
            return Some(Some(Value::Text(t)));
        }
        Kind::YesNo => {
            return match typed.trim() {
                t if t == yes_no(true) => Some(Some(Value::Bool(true))),
                t if t == yes_no(false) => Some(Some(Value::Bool(false))),
                t => {
                    wrong(
                        diags,
                        at,
                        format!("“{}”应为 是 或 否，回收表中是“{t}”", issued.label),
                        "从下拉列表选择 是 或 否",
                    );
                    None
                }
            };
        }
        _ => {}
    }
    let n = match &r.value {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        _ => match parse_number(&typed) {
            Some(n) => n,
            None => {
                wrong(
                    diags,
                    at,
                    format!("“{}”应填数字，回收表中是“{typed}”", issued.label),
                    "只填数字，不要带单位或说明文字；说明请写在“牵头指标”表的核实意见中",
                );
                return None;
            }
        },
    };
    let fig = super::yaml_edit::figure;
    if issued.kind == Kind::Level {
        if n.fract() != 0.0 || !(1.0..=4.0).contains(&n) {
            wrong(
                diags,
                at,
                format!("“{}”应为 1 到 4 的整数，回收表中是 {}", issued.label, fig(n)),
                "学业水平填 1～4（Ⅰ～Ⅳ级），例如Ⅲ级填 3",
            );
            return None;
        }
        return Some(Some(Value::Number(n)));
    }
    let max = match issued.kind {
        Kind::Percent => Some(100.0),
        Kind::Ratio => Some(1.0),
        _ => None,
    };
    if n < 0.0 || max.is_some_and(|m| n > m) {
        let range = max.map_or("不能为负数".to_owned(), |m| format!("应在 0 到 {} 之间", fig(m)));
        wrong(
            diags,
            at,
            format!("“{}”{range}，回收表中是 {}", issued.label, fig(n)),
            match issued.kind {
                Kind::Percent => "比例按百分数填写：97.5 表示 97.5%",
                Kind::Ratio => "差异率填小数，例如 0.12",
                _ => "请核实后填写正确的数值",
            },
        );
        return None;
    }
    Some(Some(Value::Number(n)))
}

/// Whether two values are the same (figures to a relative 1e-9: a value saved again by
/// another program may differ in its last bit).
pub fn same(a: &Option<Value>, b: &Option<Value>) -> bool {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
        _ => a == b,
    }
}
