//! The document builder: paragraphs, headings numbered after GB/T 9704, tables, figures and
//! footnotes, each with a fixed id, in the order they are written.

use docx_rs::*;

use super::text::xml_text;
use super::widths::{MARGIN_X, MARGIN_Y};
use super::{INDENT, RED, TEXT_H, TEXT_TWIPS, TITLE, mm};
use crate::model::county::DocxFonts;

/// One Word document being written: the blocks of its body, its headings for the contents,
/// and the counters that keep every id fixed (docx-rs's own are process-wide).
pub struct Doc {
    pub(super) fonts: DocxFonts,
    /// The text block's width in twips: tables fill it.
    pub(super) width: u32,
    pub(super) body: Vec<Block>,
    /// (text, bookmark, level) of every heading the contents lists.
    pub(super) toc: Vec<(String, String, usize)>,
    /// The typeset PDF's headings with their printed page numbers, written into the contents.
    pub(super) pages: Vec<(String, i64)>,
    pub(super) numbers: [usize; 4],
    pub(super) next_id: usize,
    pub(super) tables: usize,
    pub(super) figures: usize,
    pub(super) footnotes: usize,
    pub(super) pictures: usize,
    /// Bytes of the pictures placed, for the package's buffer.
    pub(super) picture_bytes: usize,
    /// Pictures of the narrative's images, rendered by Typst, taken in order.
    pub images: std::collections::VecDeque<super::report::Picture>,
    /// Captions of the pictures of the paragraph being written.
    pub(super) pending: Vec<String>,
}

pub(super) enum Block {
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
    pub(super) fn font(mut self, f: &str) -> Span {
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

impl Doc {
    /// A GB/T 9704 document (the report).
    pub fn new(fonts: &DocxFonts) -> Doc {
        Doc {
            fonts: fonts.clone(),
            width: TEXT_TWIPS,
            body: vec![],
            toc: vec![],
            pages: vec![],
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
    pub(super) fn para(&mut self) -> Paragraph {
        self.next_id += 1;
        Paragraph::new().id(format!("{:08X}", 0x1000_0000 + self.next_id))
    }

    pub(super) fn fonts(name: &str) -> RunFonts {
        // Names come from county.yaml (checked there); docx-rs escapes them but for control
        // characters, which XML cannot carry.
        let name = xml_text(name);
        RunFonts::new().ascii(&name).hi_ansi(&name).east_asia(&name).cs(&name)
    }

    pub(super) fn run(&self, s: &Span) -> Run {
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

    pub(super) fn runs(&self, mut p: Paragraph, spans: &[Span]) -> Paragraph {
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
        let grid = super::widths::fit_headers(&grid, header, size);
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
            .margins(TableCellMargins::new().margin(MARGIN_Y, MARGIN_X, MARGIN_Y, MARGIN_X))
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

    /// Keeps the last table's last row on the page of what follows the table (评分自查表's
    /// conclusion never alone on a page): keep-with-next on that row's paragraphs and on the
    /// empty paragraph after the table.
    pub fn keep_table_with_next(&mut self) {
        let keep = |p: &mut Paragraph| *p = std::mem::replace(p, Paragraph::new()).keep_next(true);
        for block in self.body.iter_mut().rev() {
            match block {
                Block::P(p) => keep(p),
                Block::T(t) => {
                    if let Some(TableChild::TableRow(row)) = t.rows.last_mut() {
                        for TableRowChild::TableCell(cell) in row.cells.iter_mut() {
                            for content in cell.children.iter_mut() {
                                if let TableCellContent::Paragraph(p) = content {
                                    keep(p);
                                }
                            }
                        }
                    }
                    return;
                }
            }
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
    pub(super) fn chinese_heading_numbers() {
        assert_eq!(cn_number(1), "一");
        assert_eq!(cn_number(10), "十");
        assert_eq!(cn_number(12), "十二");
        assert_eq!(cn_number(20), "二十");
        assert_eq!(cn_number(21), "二十一");
    }
}
