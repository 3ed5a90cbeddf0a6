//! 评分自查表.docx: the scoring data (src/render/data/scoring.rs) drawn as
//! templates/scoring.typ draws it — one row per assessment point, the indicator's id, type,
//! name, verdict and basis merged down its points, the veto items and the conclusion.

use super::{Cell, Doc, Layout, Meta, Span, TABLE, Word, WordInput};
use crate::diag::Diagnostic;
use crate::model::county::DocxFonts;
use crate::render::data::scoring::{Point, Row, ScoringTable};

/// The Word version of a scoring table.
pub struct ScoringWriter(pub ScoringTable);

impl Word for ScoringWriter {
    fn write(&self, w: &WordInput) -> Result<Vec<u8>, Vec<Diagnostic>> {
        scoring(&self.0, &w.fonts, &w.date).map_err(|e| w.failed(e))
    }
}

/// What a point counts in the B total, red when its failing data makes it less than the
/// self-score.
fn counted(p: &Point) -> Cell {
    let counted = p.counted.to_string();
    if counted != p.score.to_string() {
        Cell::spans(vec![Span::red(counted)])
    } else {
        Cell::text(counted)
    }
}

pub fn scoring(d: &ScoringTable, fonts: &DocxFonts, date: &str) -> Result<Vec<u8>, String> {
    let mut doc = Doc::form(fonts);
    let title = d.title.as_str();
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
            ..Span::plain(format!("{}　{}", d.profile, d.date))
        }],
        None,
    );
    doc.center_last();
    let rows = d.rows.iter().flat_map(indicator_rows).collect();
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
            d.date
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
fn indicator_rows(r: &Row) -> Vec<Vec<Cell>> {
    let mut rows = vec![];
    let points = &r.points;
    let bad = r.state == "not_met";
    let result = if r.kind == "A" {
        r.result.clone()
    } else {
        format!("{} 分", r.result)
    };
    let merged = |c: Cell| if points.len() > 1 { c.merged() } else { c };
    let verdict = if bad {
        Cell::spans(vec![Span::red(result)])
    } else {
        Cell::text(result)
    };
    let points: Vec<Option<&Point>> = if points.is_empty() {
        vec![None]
    } else {
        points.iter().map(Some).collect()
    };
    for (i, p) in points.into_iter().enumerate() {
        let point = p.map(|p| format!("{}．{}", p.id, p.text)).unwrap_or_default();
        let mut row = if i == 0 {
            vec![
                merged(Cell::text(&r.id)),
                merged(Cell::text(&r.kind)),
                merged(Cell::text(&r.name)),
            ]
        } else {
            vec![Cell::continued(), Cell::continued(), Cell::continued()]
        };
        row.push(Cell::text(point).left());
        match p {
            Some(p) => row.extend([
                Cell::text(p.max.to_string()),
                Cell::text(p.score.to_string()),
                counted(p),
            ]),
            None => row.extend([Cell::text(""), Cell::text(""), Cell::text("")]),
        }
        if i == 0 {
            row.push(merged(verdict.clone()));
            row.push(merged(
                Cell::spans(vec![Span {
                    size: Some(18),
                    ..Span::plain(&r.basis)
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
fn totals(doc: &mut Doc, d: &ScoringTable) {
    doc.line(vec![Span::plain(&d.a_summary)], None);
    if let Some(b) = &d.b {
        let extra = if b.self_total != b.total {
            format!("，数据未达到的要点按 0 分计入后为 {} 分", b.total)
        } else {
            String::new()
        };
        doc.line(
            vec![Span::plain(format!(
                "B 类指标自评合计 {} 分{extra}（满分 {} 分，{} 分以上为达标）：{}。",
                b.self_total, b.max, b.mark, b.state
            ))],
            None,
        );
    }
}

/// The veto items as declared, and the overall conclusion with its reasons.
fn veto_and_conclusion(doc: &mut Doc, d: &ScoringTable) {
    doc.line(vec![doc.labelled("一票否决项")], None);
    let veto = d
        .veto
        .iter()
        .map(|v| {
            let state = v.state;
            vec![
                Cell::text(&v.id),
                Cell::text(&v.text).left(),
                if state == "存在" {
                    Cell::spans(vec![Span::red(state)])
                } else {
                    Cell::text(state)
                },
            ]
        })
        .collect();
    doc.table(&[1.3, 20.0, 1.5], &["编号", "情形", "申报"], veto, TABLE);
    // The conclusion goes on the page of the table's last row (issue 34 point 9).
    doc.keep_table_with_next();
    let overall = d.overall;
    let mark = if overall == "未达标" {
        Span::red(overall)
    } else {
        Span::plain(overall)
    };
    doc.line(vec![doc.labelled("总体结论："), mark], None);
    if !d.overall_reasons.is_empty() {
        doc.keep_last();
    }
    for r in &d.overall_reasons {
        doc.line(vec![Span::plain(format!("· {r}"))], None);
    }
}
