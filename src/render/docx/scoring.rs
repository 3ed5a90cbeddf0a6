//! 评分自查表.docx: the scoring data (src/render/data/scoring.rs) drawn as
//! templates/scoring.typ draws it — one row per assessment point, the indicator's id, type,
//! name, verdict and basis merged down its points, the veto items and the conclusion.

use serde_json::Value;

use super::{Cell, Doc, Layout, Meta, Span, TABLE};
use crate::model::county::DocxFonts;

use super::{list_of as list, str_of as s};

/// What a point counts in the B total, red when its failing data makes it less than the
/// self-score.
fn counted(p: &Value) -> Cell {
    if s(p, "counted") != s(p, "score") {
        Cell::spans(vec![Span::red(s(p, "counted"))])
    } else {
        Cell::text(s(p, "counted"))
    }
}

pub fn scoring(d: &Value, fonts: &DocxFonts, date: &str) -> Result<Vec<u8>, String> {
    let mut doc = Doc::form(fonts);
    let title = s(d, "title");
    doc.line(
        vec![Span {
            size: Some(36),
            font: Some(fonts.title.clone()),
            ..Span::plain(title)
        }],
        None,
    );
    doc.center_last();
    doc.line(
        vec![Span {
            size: Some(22),
            font: Some(fonts.heading2.clone()),
            ..Span::plain(format!("{}　{}", s(d, "profile"), s(d, "date")))
        }],
        None,
    );
    doc.center_last();
    let rows = list(d, "rows").iter().flat_map(indicator_rows).collect();
    doc.table(
        &[1.3, 1.1, 3.6, 9.0, 1.1, 1.1, 1.1, 1.7, 7.0],
        &[
            "编号",
            "类型",
            "指标",
            "评估要点",
            "分值",
            "自评",
            "计入",
            "判定",
            "依据",
        ],
        rows,
        TABLE,
    );
    totals(&mut doc, d);
    veto_and_conclusion(&mut doc, d);
    doc.line(vec![Span::plain("")], None);
    doc.line(
        vec![Span::plain(format!(
            "填报单位（盖章）：　　　　　　　　　　　　负责人签字：　　　　　　　　　　　　填报日期：{}",
            s(d, "date")
        ))],
        None,
    );
    let meta = Meta {
        title: title.to_owned(),
        author: String::new(),
        date: date.to_owned(),
    };
    doc.finish(Layout::Form, &meta)
}

/// The rows of an indicator `r`: one per point (one empty row without points), the
/// indicator's id, type and name, verdict and basis merged down them.
fn indicator_rows(r: &Value) -> Vec<Vec<Cell>> {
    let mut rows = vec![];
    let points = list(r, "points");
    let bad = s(r, "state") == "not_met";
    let result = if s(r, "type") == "A" {
        s(r, "result").to_owned()
    } else {
        format!("{} 分", s(r, "result"))
    };
    let merged = |c: Cell| if points.len() > 1 { c.merged() } else { c };
    let verdict = if bad {
        Cell::spans(vec![Span::red(result)])
    } else {
        Cell::text(result)
    };
    let empty = Value::Null;
    for (i, p) in points.iter().chain(points.is_empty().then_some(&empty)).enumerate() {
        let point = if p.is_null() {
            String::new()
        } else {
            format!("{}．{}", s(p, "id"), s(p, "text"))
        };
        let mut row = if i == 0 {
            vec![
                merged(Cell::text(s(r, "id"))),
                merged(Cell::text(s(r, "type"))),
                merged(Cell::text(s(r, "name"))),
            ]
        } else {
            vec![Cell::continued(), Cell::continued(), Cell::continued()]
        };
        row.extend([
            Cell::text(point).left(),
            Cell::text(s(p, "max")),
            Cell::text(s(p, "score")),
            counted(p),
        ]);
        if i == 0 {
            row.push(merged(verdict.clone()));
            row.push(merged(
                Cell::spans(vec![Span {
                    size: Some(18),
                    ..Span::plain(s(r, "basis"))
                }])
                .left(),
            ));
        } else {
            row.extend([Cell::continued(), Cell::continued()]);
        }
        rows.push(row);
    }
    rows
}

/// The A summary and the B total under the table.
fn totals(doc: &mut Doc, d: &Value) {
    doc.line(vec![Span::plain(s(d, "a_summary"))], None);
    if let Some(b) = d.get("b").filter(|b| !b.is_null()) {
        let extra = if s(b, "self_total") != s(b, "total") {
            format!("，数据未达到的要点按 0 分计入后为 {} 分", s(b, "total"))
        } else {
            String::new()
        };
        doc.line(
            vec![Span::plain(format!(
                "B 类指标自评合计 {} 分{extra}（满分 {} 分，{} 分以上为达标）：{}。",
                s(b, "self_total"),
                s(b, "max"),
                s(b, "mark"),
                s(b, "state")
            ))],
            None,
        );
    }
}

/// The veto items as declared, and the overall conclusion with its reasons.
fn veto_and_conclusion(doc: &mut Doc, d: &Value) {
    doc.line(vec![doc.labelled("一票否决项")], None);
    let veto = list(d, "veto")
        .iter()
        .map(|v| {
            let state = s(v, "state");
            vec![
                Cell::text(s(v, "id")),
                Cell::text(s(v, "text")).left(),
                if state == "存在" {
                    Cell::spans(vec![Span::red(state)])
                } else {
                    Cell::text(state)
                },
            ]
        })
        .collect();
    doc.table(&[1.3, 20.0, 1.5], &["编号", "情形", "申报"], veto, TABLE);
    let overall = s(d, "overall");
    let mark = if overall == "未达标" {
        Span::red(overall)
    } else {
        Span::plain(overall)
    };
    doc.line(vec![doc.labelled("总体结论："), mark], None);
    for r in list(d, "overall_reasons") {
        doc.line(vec![Span::plain(format!("· {}", r.as_str().unwrap_or_default()))], None);
    }
}
