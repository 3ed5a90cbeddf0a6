//! Word versions (.docx) of the report and the scoring table, written with docx-rs from the
//! same data the Typst templates draw. Page setup after GB/T 9704-2012 like the PDFs: A4, top
//! 37 mm, binding side 28 mm, a 22-line × 28-character grid, 3号 仿宋 body, page numbers
//! "— 1 —" in 4号 on the outer side. Every text reaches docx-rs as a run's text, which it
//! escapes; characters XML 1.0 cannot carry are dropped, and reported by `check_text`.

pub mod report;
pub mod scoring;

mod markdown;
mod package;
mod pictures;

use docx_rs::*;
use serde_json::Value;

use crate::diag::{Diagnostic, Location};
use crate::model::county::DocxFonts;
use crate::model::{CharOrigins, Date};
use crate::render::plan::{Format, Job};
use crate::render::typst::compile;
use crate::store::Store;

/// The Word file of a job (src/render/plan.rs `Format`): the report with its charts drawn
/// by the PDF's chart code at 300 dpi, or the scoring table. Dated the workspace's today.
/// Every chart is drawn afresh (`make_with` takes the pictures an earlier build kept).
pub fn make(root: &std::path::Path, today: Date, job: &Job) -> Result<Vec<u8>, Vec<Diagnostic>> {
    make_with(root, today, job, &crate::store::Nowhere)
}

/// `make`, with the chart pictures kept in `store` by earlier builds.
pub fn make_with(
    root: &std::path::Path,
    today: Date,
    job: &Job,
    store: &dyn Store,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let fonts: DocxFonts = serde_json::from_value(job.data["fonts"].clone()).unwrap_or_default();
    let day = job.data["date"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| today.to_string());
    let date = format!("{day}T00:00:00Z");
    let doc = &job.data["doc"];
    let made = match job.format {
        Format::DocxReport => {
            let charts: Vec<Value> = report::charts(doc)
                .into_iter()
                .map(|(stage, chart)| serde_json::json!({ "stage": stage, "chart": chart }))
                .collect();
            let pictures = pictures::charts(root, job.template, &charts, today, 300.0, store)?;
            let srcs = report::images(doc);
            let images = if srcs.is_empty() {
                vec![]
            } else {
                compile::pictures(root, "images.typ", &serde_json::json!({ "images": srcs }), today, 200.0)?
            };
            report::report(doc, pictures, images, &fonts, &date)
        }
        Format::DocxScoring => scoring::scoring(doc, &fonts, &date),
        Format::Pdf | Format::Assembled | Format::Report | Format::BoxBook => Err("不是 Word 文档".to_owned()),
    };
    made.map_err(|e| {
        vec![
            Diagnostic::error(
                "docx-write",
                Location::file(format!("out/{}", job.rel)),
                format!("无法生成 {}：{e}", job.rel),
            )
            .with_hint("请报告此问题"),
        ]
    })
}

/// A string field of the document data ("" when absent): the data is ours, its shape known.
fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// A list field of the document data (empty when absent).
fn list_of<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// Twips in a millimetre (1440 per inch).
fn mm(v: f64) -> i32 {
    (v * 1440.0 / 25.4).round() as i32
}

const A4: (u32, u32) = (11906, 16838);
/// GB/T 9704-2012 5.2.1: top margin 37 mm, binding side 28 mm, text block 156 × 225 mm.
const TOP: f64 = 37.0;
const INSIDE: f64 = 28.0;
const TEXT_W: f64 = 156.0;
const TEXT_H: f64 = 225.0;
/// The text block's width in twips, for tables and tab stops.
const TEXT_TWIPS: u32 = 8844;
/// 3号 body, 2号 title, 4号 page numbers, 5号 tables, in half-points.
const BODY: usize = 32;
const TITLE: usize = 44;
const PAGE_NO: usize = 28;
const TABLE: usize = 21;
/// Two characters of 3号 (16 pt = 320 twips each): the first-line indent of a paragraph.
const INDENT: i32 = 640;
const RED: &str = "A01D10";

/// One Word document being written: the blocks of its body, its headings for the contents,
/// and the counters that keep every id fixed (docx-rs's own are process-wide).
pub struct Doc {
    fonts: DocxFonts,
    /// The text block's width in twips: tables fill it.
    width: u32,
    body: Vec<Block>,
    /// (text, bookmark, level) of every heading the contents lists.
    toc: Vec<(String, String, usize)>,
    numbers: [usize; 4],
    next_id: usize,
    tables: usize,
    figures: usize,
    footnotes: usize,
    pictures: usize,
    /// Bytes of the pictures placed, for the package's buffer.
    picture_bytes: usize,
    /// Pictures of the narrative's images, rendered by Typst, taken in order.
    pub images: std::collections::VecDeque<report::Picture>,
    /// Captions of the pictures of the paragraph being written.
    pending: Vec<String>,
}

enum Block {
    P(Paragraph),
    T(Table),
}

/// A run of text: its font (None: the body font), size, colour and weight.
#[derive(Clone, Default)]
pub struct Span {
    pub text: String,
    pub font: Option<String>,
    pub size: Option<usize>,
    pub red: bool,
    pub sup: bool,
    pub strike: bool,
}

impl Span {
    pub fn plain(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            ..Span::default()
        }
    }
    pub fn red(text: impl Into<String>) -> Span {
        Span {
            red: true,
            ..Span::plain(text)
        }
    }
    fn font(mut self, f: &str) -> Span {
        self.font = Some(f.to_owned());
        self
    }
}

/// A table cell: its text, columns spanned, whether it starts (`Some(true)`) or continues
/// (`Some(false)`) a vertical merge, and its look.
#[derive(Clone, Default)]
pub struct Cell {
    pub spans: Vec<Span>,
    pub cols: usize,
    pub merge: Option<bool>,
    pub left: bool,
    pub shade: bool,
}

impl Cell {
    pub fn text(t: impl Into<String>) -> Cell {
        Cell {
            spans: vec![Span::plain(t)],
            cols: 1,
            ..Cell::default()
        }
    }
    pub fn spans(spans: Vec<Span>) -> Cell {
        Cell {
            spans,
            cols: 1,
            ..Cell::default()
        }
    }
    pub fn left(mut self) -> Cell {
        self.left = true;
        self
    }
    /// The first cell of a vertical merge over this and the following rows.
    pub fn merged(mut self) -> Cell {
        self.merge = Some(true);
        self
    }
    /// The place of a merged cell in a following row.
    pub fn continued() -> Cell {
        Cell {
            cols: 1,
            merge: Some(false),
            ..Cell::default()
        }
    }
}

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

impl Doc {
    /// A GB/T 9704 document (the report).
    pub fn new(fonts: &DocxFonts) -> Doc {
        Doc {
            fonts: fonts.clone(),
            width: TEXT_TWIPS,
            body: vec![],
            toc: vec![],
            numbers: [0; 4],
            next_id: 0,
            tables: 0,
            figures: 0,
            footnotes: 0,
            pictures: 0,
            picture_bytes: 0,
            images: Default::default(),
            pending: vec![],
        }
    }

    /// A form on A4 landscape: 297 mm less 18 mm each side.
    pub fn form(fonts: &DocxFonts) -> Doc {
        Doc {
            width: mm(297.0 - 2.0 * 18.0) as u32,
            ..Doc::new(fonts)
        }
    }

    /// A paragraph with a fixed w14:paraId (docx-rs would take one from a thread's counter),
    /// above the range docx-rs numbers its own paragraphs in while writing (from 1).
    fn para(&mut self) -> Paragraph {
        self.next_id += 1;
        Paragraph::new().id(format!("{:08X}", 0x1000_0000 + self.next_id))
    }

    fn fonts(name: &str) -> RunFonts {
        // Names come from county.yaml (checked there); docx-rs escapes them but for control
        // characters, which XML cannot carry.
        let name = xml_text(name);
        RunFonts::new().ascii(&name).hi_ansi(&name).east_asia(&name).cs(&name)
    }

    fn run(&self, s: &Span) -> Run {
        let mut run = Run::new();
        for (n, line) in xml_text(&s.text).split('\n').enumerate() {
            if n > 0 {
                run = run.add_break(BreakType::TextWrapping);
            }
            run = run.add_text(line);
        }
        if let Some(f) = &s.font {
            run = run.fonts(Self::fonts(f));
        }
        if let Some(size) = s.size {
            run = run.size(size);
        }
        if s.red {
            run = run.color(RED);
        }
        if s.strike {
            run = run.strike();
        }
        if s.sup {
            run.run_property = run.run_property.vert_align(VertAlignType::SuperScript);
        }
        run
    }

    fn runs(&self, mut p: Paragraph, spans: &[Span]) -> Paragraph {
        for s in spans {
            p = p.add_run(self.run(s));
        }
        p
    }

    /// A body paragraph: justified, the first line indented two characters.
    pub fn par(&mut self, spans: Vec<Span>) {
        let p =
            self.para()
                .align(AlignmentType::Both)
                .indent(None, Some(SpecialIndentType::FirstLine(INDENT)), None, None);
        let p = self.runs(p, &spans);
        self.body.push(Block::P(p));
    }

    pub fn text(&mut self, t: impl Into<String>) {
        self.par(vec![Span::plain(t)]);
    }

    /// A paragraph without indent (list items, notes), in `size` half-points.
    pub fn line(&mut self, spans: Vec<Span>, hanging: Option<i32>) {
        let mut p = self.para().align(AlignmentType::Both);
        if let Some(h) = hanging {
            p = p.indent(Some(h), Some(SpecialIndentType::Hanging(h)), None, None);
        }
        let p = self.runs(p, &spans);
        self.body.push(Block::P(p));
    }

    /// The document title: 2号 小标宋, centred, a blank line below (GB/T 9704 7.3.1).
    pub fn title(&mut self, t: &str) {
        let span = Span {
            size: Some(TITLE),
            ..Span::plain(t).font(&self.fonts.title.clone())
        };
        let p = self.para().align(AlignmentType::Center).style("YjTitle");
        let p = self.runs(p, &[span]);
        self.body.push(Block::P(p));
        let blank = self.para();
        self.body.push(Block::P(blank));
    }

    /// A heading: 一、 黑体 / （一） 楷体 / 1． 仿宋 / （1） 仿宋 (GB/T 9704 7.3.3), numbered
    /// like the PDF's unless `numbered` is false; levels 1 and 2 are listed in the contents.
    pub fn heading(&mut self, level: usize, t: &str, numbered: bool) {
        let level = level.clamp(1, 4);
        let mut label = String::new();
        if numbered {
            self.numbers[level - 1] += 1;
            for n in &mut self.numbers[level..] {
                *n = 0;
            }
            let n = self.numbers[level - 1];
            label = match level {
                1 => format!("{}、", cn_number(n)),
                2 => format!("（{}）", cn_number(n)),
                3 => format!("{n}．"),
                _ => format!("（{n}）"),
            };
        }
        let text = format!("{label}{t}");
        // Never the last line of a page.
        let p = self.para().style(&format!("Heading{level}")).keep_next(true);
        let p = if level <= 2 {
            let mark = format!("_Toc{:05}", self.toc.len() + 1);
            let id = self.toc.len() + 1;
            self.toc.push((text.clone(), mark.clone(), level));
            p.add_bookmark_start(id, mark)
                .add_run(self.run(&Span::plain(&text)))
                .add_bookmark_end(id)
        } else {
            p.add_run(self.run(&Span::plain(&text)))
        };
        self.body.push(Block::P(p));
    }

    /// A table caption above it, "表 N　…", numbered in order like the PDF's figures.
    pub fn table_caption(&mut self, t: &str) {
        self.tables += 1;
        let text = format!("表 {}　{t}", self.tables);
        let p = self.para().style("YjCaption").keep_next(true);
        let p = self.runs(p, &[Span::plain(text)]);
        self.body.push(Block::P(p));
    }

    /// A table: `widths` in shares of the text width, the first row a header repeated on
    /// every page, rows never split.
    pub fn table(&mut self, widths: &[f64], header: &[&str], rows: Vec<Vec<Cell>>, size: usize) {
        let total: f64 = widths.iter().sum();
        if widths.is_empty() || header.is_empty() || total <= 0.0 {
            return;
        }
        let grid: Vec<usize> = widths
            .iter()
            .map(|w| (w / total * self.width as f64).floor() as usize)
            .collect();
        let head: Vec<Cell> = header
            .iter()
            .map(|h| Cell::spans(vec![Span::plain(*h).font(&self.fonts.heading1.clone())]))
            .collect();
        let mut out = vec![];
        for (y, row) in std::iter::once(head).chain(rows).enumerate() {
            let mut cells = vec![];
            let mut col = 0;
            // A row longer than the grid (a Markdown table row with extra cells) is cut to it.
            for cell in row {
                if col >= grid.len() {
                    break;
                }
                let span = cell.cols.max(1);
                let width: usize = grid[col.min(grid.len() - 1)..(col + span).min(grid.len())].iter().sum();
                col += span;
                let mut p = self.para().align(if cell.left {
                    AlignmentType::Left
                } else {
                    AlignmentType::Center
                });
                p = p.style("YjTable");
                let spans: Vec<Span> = cell
                    .spans
                    .iter()
                    .map(|s| Span {
                        size: s.size.or(Some(size)),
                        ..s.clone()
                    })
                    .collect();
                let p = self.runs(p, &spans);
                let mut c = TableCell::new()
                    .width(width, WidthType::Dxa)
                    .vertical_align(VAlignType::Center)
                    .add_paragraph(p);
                if span > 1 {
                    c = c.grid_span(span);
                }
                match cell.merge {
                    Some(true) => c = c.vertical_merge(VMergeType::Restart),
                    Some(false) => c = c.vertical_merge(VMergeType::Continue),
                    None => {}
                }
                if cell.shade || y == 0 {
                    let fill = if y == 0 { "EDEDED" } else { "F6D5D1" };
                    c = c.shading(Shading::new().shd_type(ShdType::Clear).color("auto").fill(fill));
                }
                cells.push(c);
            }
            out.push(TableRow::new(cells).cant_split());
        }
        let border = |pos| {
            TableBorder::new(pos)
                .border_type(BorderType::Single)
                .size(4)
                .color("000000")
        };
        let t = Table::new(out)
            .set_grid(grid)
            .width(self.width as usize, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .align(TableAlignmentType::Center)
            .set_borders(
                TableBorders::new()
                    .set(border(TableBorderPosition::Top))
                    .set(border(TableBorderPosition::Bottom))
                    .set(border(TableBorderPosition::Left))
                    .set(border(TableBorderPosition::Right))
                    .set(border(TableBorderPosition::InsideH))
                    .set(border(TableBorderPosition::InsideV)),
            );
        self.body.push(Block::T(t));
        // A table directly followed by another would merge with it in Word.
        let gap = self.para().style("YjTable");
        self.body.push(Block::P(gap));
    }

    /// A picture (PNG of `w` × `h` pixels) `width_mm` wide — narrower when it would not fit a
    /// page with its caption — centred, with its caption "图 N　…" below on the same page;
    /// none for a part of a figure whose caption follows the last part.
    pub fn figure(&mut self, png: Vec<u8>, (w, h): (u32, u32), width_mm: f64, caption: Option<&str>) {
        self.pictures += 1;
        self.picture_bytes += png.len();
        // The text block is 225 mm tall; two lines (20 mm) for the caption.
        let ratio = h as f64 / w.max(1) as f64;
        let width_mm = width_mm.min((TEXT_H - 20.0) / ratio.max(1e-9));
        let emu_w = (width_mm * 36000.0) as u32;
        let emu_h = (emu_w as f64 * ratio) as u32;
        let pic = Pic::new_with_dimensions(png, w, h)
            .id(format!("rIdImage{}", self.pictures))
            .size(emu_w, emu_h);
        let p = self
            .para()
            .align(AlignmentType::Center)
            .keep_next(caption.is_some())
            .add_run(Run::new().add_image(pic));
        self.body.push(Block::P(p));
        let Some(caption) = caption else { return };
        self.figures += 1;
        let text = format!("图 {}　{caption}", self.figures);
        let p = self.para().style("YjCaption");
        let p = self.runs(p, &[Span::plain(text)]);
        self.body.push(Block::P(p));
    }

    /// A footnote on the text before it; its number is the reference's.
    pub fn footnote(&mut self, spans: &[Span]) -> Run {
        self.footnotes += 1;
        let n = self.footnotes;
        let mut note = Footnote::new();
        note.id = n;
        let mut p = self.para().style("YjFootnote");
        p = p.add_run(self.run(&Span {
            sup: true,
            ..Span::plain(n.to_string())
        }));
        let p = self.runs(p, spans);
        let note = note.add_content(p);
        Run::new().add_footnote_reference(note)
    }

    /// The signature, right-aligned: issuer over date, two lines below the text, kept on the
    /// page of the paragraph before it (GB/T 9704 7.3.5).
    pub fn signature(&mut self, issuer: &str, date: &str) {
        self.keep_last();
        // As the PDF sets them: the two lines centred on each other, the longer one flush
        // right (a CJK character 320 twips, an ASCII one half).
        let width = |s: &str| s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum::<i32>();
        let widest = width(issuer).max(width(date));
        for t in ["", "", issuer, date] {
            let p = self.para().align(AlignmentType::Right).keep_next(t != date);
            let right = if t.is_empty() { 0 } else { (widest - width(t)) * 160 / 2 };
            let p = p.indent(None, None, Some(right), None);
            let p = self.runs(p, &[Span::plain(t)]);
            self.body.push(Block::P(p));
        }
    }

    /// Keeps the last paragraph on the page of what follows it.
    pub fn keep_last(&mut self) {
        if let Some(Block::P(p)) = self.body.last_mut() {
            *p = std::mem::replace(p, Paragraph::new()).keep_next(true);
        }
    }

    pub fn center_last(&mut self) {
        if let Some(Block::P(p)) = self.body.last_mut() {
            *p = std::mem::replace(p, Paragraph::new()).align(AlignmentType::Center);
        }
    }

    pub fn page_break(&mut self) {
        let p = self.para().add_run(Run::new().add_break(BreakType::Page));
        self.body.push(Block::P(p));
    }

    /// Spans of a paragraph body with a leading label in 黑体 (自评结果：…).
    pub fn labelled(&self, label: &str) -> Span {
        Span::plain(label).font(&self.fonts.heading1)
    }

    pub fn emphasis(&self, t: &str) -> Span {
        Span::plain(t).font(&self.fonts.heading2)
    }

    /// The finished package. A report: cover (no page number), contents (a TOC field
    /// pre-filled with the headings, refreshed by Word on opening), then the body numbered
    /// from 1 on the outer side. A form: A4 landscape, "第 1 页  共 9 页" centred below.
    pub fn finish(self, layout: Layout, meta: &Meta) -> Result<Vec<u8>, String> {
        let report = matches!(layout, Layout::Report { .. });
        // The pictures and room for the XML: written without growing the buffer again and
        // again (room not written is never touched).
        let room = self.picture_bytes + (32 << 20);
        let docx = match layout {
            Layout::Report { cover } => self.report_package(cover, meta),
            Layout::Form => self.form_package(meta),
        };
        let mut raw = std::io::Cursor::new(Vec::with_capacity(room));
        docx.pack(&mut raw).map_err(|e| e.to_string())?;
        package::finish(&raw.into_inner(), meta, report)
    }

    fn base(&self, size: usize, meta: &Meta) -> Docx {
        let mut docx = Docx::new()
            .default_fonts(Self::fonts(&self.fonts.body))
            .default_size(size)
            // 28 characters in 156 mm (442.2 pt): 15.79 pt each, 16 pt less 0.25 pt (−5 twips;
            // −4 would leave 27: 28 × 15.8 pt > 442.2 pt).
            .default_spacing(if size == BODY { -5 } else { 0 })
            .default_line_spacing(LineSpacing::new().before(0).after(0))
            .created_at(&meta.date)
            .updated_at(&meta.date);
        for s in self.styles() {
            docx = docx.add_style(s);
        }
        docx
    }

    fn add_body(mut docx: Docx, body: Vec<Block>) -> Docx {
        for b in body {
            docx = match b {
                Block::P(p) => docx.add_paragraph(p),
                Block::T(t) => docx.add_table(t),
            };
        }
        docx
    }

    fn report_package(self, cover: Vec<Paragraph>, meta: &Meta) -> Docx {
        let margin = PageMargin::new()
            .top(mm(TOP))
            .bottom(mm(297.0 - TOP - TEXT_H))
            .left(mm(INSIDE))
            .right(mm(210.0 - INSIDE - TEXT_W))
            .header(mm(15.0))
            // The number's line 7 mm below the text block (GB/T 9704 7.5): footer at 23 mm.
            .footer(mm(23.0))
            .gutter(0);
        // 22 lines of 225 mm: 225 / 22 mm = 579.8 twips (Word keeps 579). The 28 characters
        // a line are the body's character spacing (`base`), not a character grid: LibreOffice
        // gives a 16 pt character two cells of a grid narrower than 16 pt.
        let grid = DocGrid::new().grid_type(DocGridType::Lines).line_pitch(579);
        let page = PageSize::new().size(A4.0, A4.1);
        let mut first = Section::new()
            .page_size(page.clone())
            .page_margin(margin.clone())
            .doc_grid(grid.clone());
        for p in cover {
            first = first.add_paragraph(p);
        }
        let mut contents = Section::new()
            .page_size(page)
            .page_margin(margin.clone())
            .doc_grid(grid.clone());
        for p in self.contents() {
            contents = contents.add_paragraph(p);
        }
        let number = |align, id| {
            let dash = Run::new().size(PAGE_NO).fonts(Self::fonts("宋体"));
            Footer::new().add_paragraph(
                Paragraph::new()
                    .id(id)
                    .align(align)
                    .indent(Some(INDENT / 2), None, Some(INDENT / 2), None)
                    .add_run(dash.clone().add_text("— "))
                    .add_run(page_field(dash.clone()))
                    .add_run(dash.add_text(" —")),
            )
        };
        let mut docx = self
            .base(BODY, meta)
            .settings(Settings::new().even_and_odd_headers())
            .page_size(A4.0, A4.1)
            .page_margin(margin)
            .page_num_type(PageNumType::new().start(1))
            .footer(number(AlignmentType::Right, "7FFFFFF0"))
            .even_footer(number(AlignmentType::Left, "7FFFFFF1"))
            .add_section(first)
            .add_section(contents);
        docx = Self::add_body(docx, self.body);
        docx.document = docx.document.doc_grid(grid);
        docx
    }

    fn form_package(self, meta: &Meta) -> Docx {
        // templates/forms.typ: A4 landscape, 18 mm at the sides, 20 mm above and below.
        let margin = PageMargin::new()
            .top(mm(20.0))
            .bottom(mm(20.0))
            .left(mm(18.0))
            .right(mm(18.0))
            .header(mm(10.0))
            .footer(mm(10.0))
            .gutter(0);
        let small = Run::new().size(18).fonts(Self::fonts("宋体"));
        let footer = Footer::new().add_paragraph(
            Paragraph::new()
                .id("7FFFFFF2")
                .align(AlignmentType::Center)
                .add_run(small.clone().add_text("第 "))
                .add_run(page_field(small.clone()))
                .add_run(small.clone().add_text(" 页  共 "))
                .add_run(
                    small
                        .clone()
                        .add_field_char(FieldCharType::Begin, false)
                        .add_instr_text(InstrText::NUMPAGES(InstrNUMPAGES::new()))
                        .add_field_char(FieldCharType::Separate, false)
                        .add_text("1")
                        .add_field_char(FieldCharType::End, false),
                )
                .add_run(small.add_text(" 页")),
        );
        let docx = self
            .base(TABLE, meta)
            .page_size(A4.1, A4.0)
            .page_orient(PageOrientationType::Landscape)
            .page_margin(margin)
            .footer(footer);
        Self::add_body(docx, self.body)
    }

    /// The contents page: "目　录" and one line per heading of levels 1–2, inside a TOC field
    /// so that Word fills in the page numbers.
    fn contents(&self) -> Vec<Paragraph> {
        let head = Paragraph::new()
            .id("7FFFFF00")
            .align(AlignmentType::Center)
            .add_run(Run::new().fonts(Self::fonts(&self.fonts.heading1)).add_text("目　录"));
        let mut out = vec![head, Paragraph::new().id("7FFFFF01")];
        let tab = Tab::new()
            .val(TabValueType::Right)
            .leader(TabLeaderType::Dot)
            .pos(TEXT_TWIPS as usize);
        for (i, (text, mark, level)) in self.toc.iter().enumerate() {
            let mut p = Paragraph::new()
                .id(format!("7FFF{:04X}", i + 0x10))
                .style(&format!("TOC{level}"))
                .add_tab(tab.clone());
            if i == 0 {
                p = p.add_run(
                    Run::new()
                        .add_field_char(FieldCharType::Begin, true)
                        .add_instr_text(InstrText::TOC(InstrToC::new().heading_styles_range(1, 2).hyperlink()))
                        .add_field_char(FieldCharType::Separate, false),
                );
            }
            p = p.add_hyperlink(
                Hyperlink::new(mark, HyperlinkType::Anchor)
                    .add_run(Run::new().add_text(xml_text(text)))
                    .add_run(Run::new().add_tab())
                    .add_run(
                        Run::new()
                            .add_field_char(FieldCharType::Begin, false)
                            .add_instr_text(InstrText::PAGEREF(InstrPAGEREF::new(mark).hyperlink()))
                            .add_field_char(FieldCharType::Separate, false)
                            .add_text("")
                            .add_field_char(FieldCharType::End, false),
                    ),
            );
            out.push(p);
        }
        out.push(
            Paragraph::new()
                .id("7FFFFFFE")
                .add_run(Run::new().add_field_char(FieldCharType::End, false)),
        );
        out
    }

    fn styles(&self) -> Vec<Style> {
        let f = &self.fonts;
        let heading = |level: usize, font: &str| {
            Style::new(format!("Heading{level}"), StyleType::Paragraph)
                .name(format!("heading {level}"))
                .based_on("Normal")
                .next("Normal")
                .outline_lvl(level - 1)
                .size(BODY)
                .fonts(Self::fonts(font))
                .indent(Some(0), Some(SpecialIndentType::FirstLine(INDENT)), None, None)
        };
        let toc = |level: usize| {
            Style::new(format!("TOC{level}"), StyleType::Paragraph)
                .name(format!("toc {level}"))
                .based_on("Normal")
                .indent(Some(((level - 1) as i32) * INDENT), None, None, None)
        };
        let small = |id: &str, name: &str| {
            Style::new(id, StyleType::Paragraph)
                .name(name)
                .based_on("Normal")
                .size(TABLE)
                .snap_to_grid(false)
                .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Auto).line(240))
        };
        let mut reference = Style::new("FootnoteReference", StyleType::Character).name("footnote reference");
        reference.run_property = reference.run_property.vert_align(VertAlignType::SuperScript);
        vec![
            heading(1, &f.heading1),
            heading(2, &f.heading2),
            heading(3, &f.body),
            heading(4, &f.body),
            toc(1),
            toc(2),
            Style::new("YjTitle", StyleType::Paragraph)
                .name("Title")
                .based_on("Normal")
                .fonts(Self::fonts(&f.title))
                .size(TITLE),
            small("YjTable", "Table Text"),
            small("YjFootnote", "footnote text"),
            Style::new("YjCaption", StyleType::Paragraph)
                .name("caption")
                .based_on("Normal")
                .align(AlignmentType::Center)
                .size(28),
            reference,
        ]
    }

    /// Centred cover lines: (text, font, size in half-points, blank lines before).
    pub fn cover(&mut self, lines: &[(&str, &str, usize, usize)]) -> Vec<Paragraph> {
        let mut out = vec![];
        for (text, font, size, before) in lines {
            for _ in 0..*before {
                out.push(self.para());
            }
            let p = self.para().align(AlignmentType::Center);
            let span = Span {
                size: Some(*size),
                ..Span::plain(*text).font(font)
            };
            out.push(self.runs(p, &[span]));
        }
        out
    }

    pub fn font_names(&self) -> &DocxFonts {
        &self.fonts
    }
}

/// The page setup of a document.
pub enum Layout {
    /// GB/T 9704: cover and contents without numbers, the body numbered from 1.
    Report { cover: Vec<Paragraph> },
    /// A form: A4 landscape, every page "第 N 页  共 M 页".
    Form,
}

/// A PAGE field in the look of `run`.
fn page_field(run: Run) -> Run {
    run.add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false)
}

/// What the package's properties say, and the date the file carries (the workspace's today).
pub struct Meta {
    pub title: String,
    pub author: String,
    /// ISO 8601, e.g. 2026-11-20T00:00:00Z.
    pub date: String,
}

/// 1 → 一, 12 → 十二, 21 → 二十一: the numbers of 一、 and （一） headings.
pub fn cn_number(n: usize) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_owned(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[n % 10]),
        20..=99 => format!("{}十{}", D[n / 10], if n % 10 == 0 { "" } else { D[n % 10] }),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_heading_numbers() {
        assert_eq!(cn_number(1), "一");
        assert_eq!(cn_number(10), "十");
        assert_eq!(cn_number(12), "十二");
        assert_eq!(cn_number(20), "二十");
        assert_eq!(cn_number(21), "二十一");
    }

    #[test]
    fn text_keeps_what_xml_can_carry() {
        assert_eq!(xml_text("a\u{1}b\u{FFFF}c\r\nd\te"), "abc\nd\te");
        assert_eq!(xml_text("<w:t>&amp;]]>{ PAGE }\""), "<w:t>&amp;]]>{ PAGE }\"");
    }

    #[test]
    fn page_setup_in_twips() {
        // 37 mm × 1440 / 25.4 = 2097.6; 28 mm = 1587.4; 156 mm = 8844.1.
        assert_eq!(mm(37.0), 2098);
        assert_eq!(mm(28.0), 1587);
        assert_eq!(mm(156.0), TEXT_TWIPS as i32);
    }
}
