//! 自评报告.docx: the report data (src/render/data/report.rs) drawn as templates/report.typ
//! draws it — cover, contents, chapters, tables with their numbers, the signature, the
//! appendix tables and the charts (pictures the Typst chart template rendered).

use serde_json::Value;

use super::markdown::blocks;
use super::{Cell, Doc, Layout, Meta, Span, TABLE, Word, WordInput, pictures};
use crate::diag::Diagnostic;
use crate::model::county::DocxFonts;
use crate::render::data::report::{Category, Chart, CrosswalkLine, Indicator, Report, SchoolCheck, StageTable};
use crate::render::typst::compile;

/// The Word version of the report: the charts drawn by the PDF's chart code at 300 dpi, the
/// narrative's images at 200.
pub struct ReportWriter(pub Report);

impl Word for ReportWriter {
    fn write(&self, w: &WordInput) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let doc = &self.0;
        let charts: Vec<Value> = charts(doc)
            .into_iter()
            .map(|(stage, chart)| serde_json::json!({ "stage": stage, "chart": chart }))
            .collect();
        let pictures = pictures::charts(w.root, w.template, &charts, w.today, 300.0, w.store)?;
        let srcs = images(doc);
        let images = if srcs.is_empty() {
            vec![]
        } else {
            compile::pictures(
                w.root,
                "images.typ",
                &serde_json::json!({ "images": srcs }),
                w.today,
                200.0,
            )?
        };
        let pages = contents_pages(w.doc);
        report(doc, pictures, images, &w.fonts, &w.date, &pages).map_err(|e| w.failed(e))
    }
}

/// The headings of the typeset PDF with their printed page numbers, (text, page), as the
/// build hands them over (`contents_pages`, see typst/batch.rs); empty when the PDF was not
/// typeset in this build.
fn contents_pages(data: &Value) -> Vec<(String, i64)> {
    (data["contents_pages"].as_array().into_iter().flatten())
        .filter_map(|e| Some((e["text"].as_str()?.to_owned(), e["page"].as_i64()?)))
        .collect()
}

/// A chart rendered to PNG: its bytes and size in pixels.
pub type Picture = (Vec<u8>, (u32, u32));

/// A sentence as the PDF prints it: closed by "。".
fn sentence(t: &str) -> String {
    if t.ends_with('。') {
        t.to_owned()
    } else {
        format!("{t}。")
    }
}

/// Bars in one block of a chart (templates/charts.typ `per-block`): a block is one picture.
pub const PER_BLOCK: usize = 45;

/// The pictures a chart of `bars` bars takes.
pub fn chart_blocks(bars: usize) -> usize {
    bars.div_ceil(PER_BLOCK)
}

/// The charts of the appendix, in order: (stage, chart) of every chart with bars.
pub fn charts(d: &Report) -> Vec<(&'static str, &Chart)> {
    d.resource
        .iter()
        .flat_map(|st| st.charts.iter().filter(|c| !c.bars.is_empty()).map(|c| (st.stage, c)))
        .collect()
}

/// The narrative's images (their `/evidence/…` paths), in the order the report draws them.
pub fn images(d: &Report) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Array(items) => items.iter().for_each(|x| walk(x, out)),
            Value::Object(m) if m.get("t").and_then(Value::as_str) == Some("image") => {
                out.push(m.get("src").and_then(Value::as_str).unwrap_or_default().to_owned());
            }
            // A block or inline has one list of children ("c" or "items"), so key order is moot.
            Value::Object(m) => m.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let n = &d.narrative;
    let mut out = vec![];
    walk(&n.preface, &mut out);
    walk(&n.basic, &mut out);
    for cat in &d.categories {
        walk(&cat.narrative, &mut out);
    }
    for part in [&n.problems, &n.measures, &n.closing] {
        walk(part, &mut out);
    }
    out
}

/// The report; `pictures` of its charts (a picture per block), `images` of its narrative's
/// images (in the order of `images`), `pages` the PDF's headings with their page numbers for
/// the contents.
pub fn report(
    d: &Report,
    pictures: Vec<Picture>,
    images: Vec<Picture>,
    fonts: &DocxFonts,
    date: &str,
    pages: &[(String, i64)],
) -> Result<Vec<u8>, String> {
    let mut doc = Doc::new(fonts);
    doc.pages = pages.to_vec();
    doc.images = images.into();
    let title = d.title.as_str();
    let cover = doc.cover(&[
        (title, &fonts.title, 52, 3),
        (&format!("（依据{}）", d.profile.source), &fonts.heading2, 32, 1),
        (&d.government, &fonts.body, 32, 8),
        (&d.date, &fonts.body, 32, 0),
    ]);
    doc.title(&title.replace('\n', ""));
    blocks(&mut doc, &d.narrative.preface, 1);
    doc.text(&d.overall);

    doc.heading(1, "基本情况", true);
    doc.text(&d.basic);
    blocks(&mut doc, &d.narrative.basic, 1);
    for cat in &d.categories {
        category(&mut doc, d, cat);
    }
    problems_and_measures(&mut doc, d);
    doc.signature(&d.government, &d.signed);

    let checks = &d.school_checks;
    if !checks.is_empty() {
        doc.page_break();
        doc.heading(1, "附表　各校办学条件核查", false);
        for c in checks {
            school_check(&mut doc, c);
        }
    }
    crosswalk_table(&mut doc, &d.crosswalk);
    chart_figures(&mut doc, d, pictures);
    let meta = Meta {
        title: title.replace('\n', ""),
        author: d.government.clone(),
        date: date.to_owned(),
    };
    doc.finish(Layout::Report { cover }, &meta)
}

/// A chapter of indicators: its summary, the resource tables in the resource chapter, the
/// narrative, each indicator with its verdict.
fn category(doc: &mut Doc, d: &Report, cat: &Category) {
    doc.heading(1, &cat.name, true);
    doc.text(&cat.summary);
    if cat.name == crate::render::data::report::RESOURCE_CHAPTER {
        cv_table(doc, d);
        for st in &d.resource {
            if !st.rows.is_empty() {
                resource_table(doc, st);
            }
        }
        doc.line(
            vec![Span {
                size: Some(TABLE),
                ..Span::plain("注：学历、骨干、体艺、多媒体为每百名学生拥有数；校舍、场馆为生均面积（平方米）；设备为生均教学仪器设备值（元）；* 为低于标准。")
            }],
            None,
        );
        for note in &d.splits {
            doc.text(format!("注：{note}。"));
        }
    }
    blocks(doc, &cat.narrative, 1);
    for ind in &cat.indicators {
        indicator(doc, ind);
    }
}

/// An indicator: its verdict and summary, the points of a scored one, the reasons.
fn indicator(doc: &mut Doc, ind: &Indicator) {
    doc.heading(2, &format!("{}　{}", ind.id, ind.name), true);
    let verdict = if ind.state == "not_met" {
        Span::red(&ind.verdict)
    } else {
        Span::plain(&ind.verdict)
    };
    let summary = ind.summary.as_str();
    let close = if summary.ends_with('。') { "" } else { "。" };
    doc.par(vec![
        doc.labelled("自评结果："),
        verdict,
        Span::plain(format!("{summary}{close}")),
    ]);
    if ind.kind == "B" {
        let rows = ind
            .points
            .iter()
            .map(|p| {
                let max = p.max.as_deref().unwrap_or_default();
                let score = p.score.as_deref().unwrap_or("未评");
                vec![
                    Cell::text(&p.id),
                    Cell::text(&p.text).left(),
                    Cell::text(max),
                    Cell::text(score),
                ]
            })
            .collect();
        doc.table(
            &[1.0, 8.0, 1.0, 1.0],
            &["要点", "评估内容", "分值", "自评"],
            rows,
            TABLE,
        );
    }
    for r in &ind.reasons {
        doc.line(vec![Span::plain(format!("· {r}"))], Some(super::INDENT / 2));
    }
}

/// 存在问题 and 整改措施, each numbered, with their narratives and the closing one.
fn problems_and_measures(doc: &mut Doc, d: &Report) {
    doc.heading(1, "存在问题", true);
    if d.problems.is_empty() {
        doc.text("对照评估标准逐项自查，未发现未达标指标。");
    }
    for (i, p) in d.problems.iter().enumerate() {
        doc.text(format!("{}．{}：{}", i + 1, p.title, sentence(&p.text)));
    }
    blocks(doc, &d.narrative.problems, 1);

    doc.heading(1, "整改措施", true);
    for (i, m) in d.measures.iter().enumerate() {
        doc.text(format!("{}．{}：{}", i + 1, m.title, sentence(&m.text)));
    }
    blocks(doc, &d.narrative.measures, 1);
    blocks(doc, &d.narrative.closing, 1);
}

/// The appendix table of the catalogue's points against this system's indicators (none
/// without a catalogue in another system).
fn crosswalk_table(doc: &mut Doc, crosswalk: &[CrosswalkLine]) {
    if crosswalk.is_empty() {
        return;
    }
    doc.page_break();
    doc.heading(1, "附表　省检指标与本次检查指标对照", false);
    doc.table_caption("各要点对应指标、两套指标体系下的判定与佐证材料件数");
    let rows = crosswalk
        .iter()
        .map(|r| {
            let to = if r.mapped {
                Cell::text(&r.to).left()
            } else {
                Cell::spans(vec![Span::red(&r.to)]).left()
            };
            vec![
                Cell::text(&r.from).left(),
                Cell::text(&r.point),
                to,
                Cell::text(&r.from_verdict),
                Cell::text(&r.to_verdict),
                Cell::text(&r.evidence),
            ]
        })
        .collect();
    doc.table(
        &[9.0, 3.0, 14.0, 5.5, 5.5, 3.0],
        &["省检指标", "要点", "对应指标", "省检判定", "本次判定", "材料"],
        rows,
        TABLE,
    );
}

/// The appendix of charts: `pictures` in order, a caption under the last block of each.
fn chart_figures(doc: &mut Doc, d: &Report, pictures: Vec<Picture>) {
    let charts = charts(d);
    if charts.is_empty() {
        return;
    }
    doc.page_break();
    doc.heading(1, "附图　各校资源配置指标与标准对照", false);
    let mut pictures = pictures.into_iter();
    for (stage, chart) in &charts {
        let caption = format!("{stage}{}（{}）", chart.label, chart.unit);
        let n = chart_blocks(chart.bars.len());
        for (i, (png, size)) in pictures.by_ref().take(n).enumerate() {
            doc.figure(png, size, 150.0, (i + 1 == n).then_some(caption.as_str()));
        }
    }
}

fn cv_table(doc: &mut Doc, d: &Report) {
    let [p, j] = &d.resource;
    doc.table_caption("校际差异系数（按学生数加权）");
    let rows = d
        .resource_labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut row = vec![Cell::text(l.label).left()];
            for st in [p, j] {
                row.push(match st.cv.get(i) {
                    Some(c) if c.ok => Cell::text(&c.v),
                    c => Cell::spans(vec![Span::red(format!(
                        "{}（超标）",
                        c.map(|c| c.v.as_str()).unwrap_or_default()
                    ))]),
                });
            }
            row
        })
        .collect();
    let h1 = format!("小学（≤ {}）", p.limit);
    let h2 = format!("初中（≤ {}）", j.limit);
    doc.table(&[5.0, 2.0, 2.0], &["指标", &h1, &h2], rows, TABLE);
}

fn resource_table(doc: &mut Doc, st: &StageTable) {
    doc.table_caption(&format!(
        "{}资源配置指标（{} 所，在校生 {} 人）",
        st.stage, st.schools, st.students
    ));
    let size = 18; // 9 pt, as the PDF's table
    let mut standard = vec![Cell {
        cols: 2,
        ..Cell::text("标准")
    }];
    standard.extend(st.standards.iter().map(Cell::text));
    standard.extend([Cell::text("7"), Cell::text("")]);
    let mut rows = vec![standard];
    for r in &st.rows {
        let mut row = vec![Cell::text(&r.name).left(), Cell::text(&r.students)];
        for c in &r.cells {
            row.push(if c.short {
                Cell {
                    shade: true,
                    ..Cell::spans(vec![Span::red(format!("{}*", c.v))])
                }
            } else {
                Cell::text(&c.v)
            });
        }
        row.push(Cell::text(r.met.to_string()));
        row.push(if r.ok {
            Cell::text(r.pass)
        } else {
            Cell::spans(vec![Span::red(r.pass)])
        });
        rows.push(row);
    }
    let heads = [
        "学校",
        "学生",
        "学历",
        "骨干",
        "体艺",
        "校舍",
        "场馆",
        "设备",
        "多媒体",
        "达标项",
        "合格",
    ];
    let widths = [4.2, 1.5, 1.2, 1.2, 1.2, 1.2, 1.2, 1.3, 1.4, 1.4, 1.2];
    doc.table(&widths, &heads, rows, size);
}

fn school_check(doc: &mut Doc, c: &SchoolCheck) {
    doc.table_caption(&c.title);
    let stage = c.has_stage;
    let own = c.own_standard;
    if let Some(standard) = &c.standard {
        doc.line(
            vec![Span {
                size: Some(TABLE),
                ..Span::plain(format!("标准：{standard}"))
            }],
            None,
        );
        doc.keep_last();
    }
    if let Some(remark) = &c.remark {
        doc.line(
            vec![Span {
                size: Some(TABLE),
                ..Span::plain(remark.clone())
            }],
            None,
        );
        doc.keep_last();
    }
    let mut heads = vec!["学校"];
    let mut widths = vec![8.6];
    if stage {
        heads.push("学段");
        widths.push(3.4);
    }
    heads.push("核查情况");
    // A row's own standard is short when the shared part is said above the table.
    let own_width = if c.standard.is_some() { 7.0 } else { 12.0 };
    widths.push(if own { 26.0 - own_width } else { 26.0 });
    if own {
        heads.push("标准");
        widths.push(own_width);
    }
    heads.push("结论");
    widths.push(4.0);
    let rows = c
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![Cell::text(&r.name)];
            if stage {
                row.push(Cell::text(r.stage));
            }
            row.push(Cell::text(&r.measured).left());
            if own {
                row.push(Cell::text(&r.standard));
            }
            row.push(if r.ok {
                Cell::text(r.verdict)
            } else {
                Cell::spans(vec![Span::red(r.verdict)])
            });
            row
        })
        .collect();
    doc.table(&widths, &heads, rows, TABLE);
}
