//! The package around a document's body: page setup, footers with page numbers, the
//! contents, the styles.

use docx_rs::*;

use super::doc::{Block, Doc};
use super::text::xml_text;
use super::{A4, BODY, INDENT, INSIDE, PAGE_NO, TABLE, TEXT_H, TEXT_TWIPS, TEXT_W, TITLE, TOP, mm, package};

impl Doc {
    /// The finished package. A report: cover (no page number), contents (a TOC field
    /// pre-filled with the headings and their PDF page numbers, refreshed by Word on opening),
    /// then the body numbered from 1 on the outer side. A form: A4 landscape, "第 1 页  共 9 页" centred below.
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

    /// The contents page: "目　录" and one line per heading of levels 1–2, inside a TOC field,
    /// each with the page number the typeset PDF prints for it (so LibreOffice and phone viewers
    /// show them); Word updates the field on refreshing.
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
        let numbers = super::widths::contents_numbers(&self.toc, &self.pages);
        for (i, ((text, mark, level), number)) in self.toc.iter().zip(numbers).enumerate() {
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
                            .add_text(number)
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
