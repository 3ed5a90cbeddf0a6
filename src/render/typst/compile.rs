//! Compiling a template to PDF with deterministic output, and reading text back for tests.

use typst::World;
use typst::WorldExt;
use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::Smart;
use typst::layout::{Frame, FrameItem};
use typst::syntax::DiagSpan;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandards};

use super::world::YjWorld;
use crate::diag::{Diagnostic, Location};
use crate::model::county::PdfStandard;

/// A typeset document and its PDF bytes.
pub struct Typeset {
    pub document: PagedDocument,
    pub pdf: Vec<u8>,
}

/// Layout and export in one go.
pub fn compile(world: &YjWorld) -> Result<Typeset, Vec<Diagnostic>> {
    let document = layout(world)?;
    let pdf = export(world, &document, None)?;
    Ok(Typeset { document, pdf })
}

/// The typesetting environment could not be made (its only cause: a today Typst cannot take).
pub fn no_world() -> Vec<Diagnostic> {
    vec![
        Diagnostic::error("typst", Location::Workspace, "无法创建排版环境")
            .with_hint("请检查 county.yaml 中的 today 日期"),
    ]
}

/// Typst layout: the template with its data, into pages. Warnings are dropped on success
/// (the templates are ours and tested); on failure they come with the errors.
pub fn layout(world: &YjWorld) -> Result<PagedDocument, Vec<Diagnostic>> {
    let Warned { output, warnings } = typst::compile::<PagedDocument>(world);
    output.map_err(|errors| {
        warnings
            .iter()
            .map(|w| convert(world, w, false))
            .chain(errors.iter().map(|e| convert(world, e, true)))
            .collect()
    })
}

/// Each page of `template` (laid out with `data`) as a PNG at `dpi`, with its size in pixels:
/// the charts of the Word report, drawn by the same Typst as the PDF's.
pub fn pictures(
    root: &std::path::Path,
    template: &str,
    data: &serde_json::Value,
    today: crate::model::Date,
    dpi: f32,
) -> Result<Vec<(Vec<u8>, (u32, u32))>, Vec<Diagnostic>> {
    let bytes = serde_json::to_vec(data).unwrap_or_default();
    let Some(world) = YjWorld::new(root, template, bytes, today) else {
        return Err(no_world());
    };
    let document = layout(&world)?;
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(f64::from(dpi) / 72.0),
        render_bleed: false,
    };
    use rayon::prelude::*;
    document
        .pages()
        .par_iter()
        .map(|page| {
            let pixmap = typst_render::render(page, &options);
            png_of(pixmap.width(), pixmap.height(), pixmap.data())
                .map(|png| (png, (pixmap.width(), pixmap.height())))
                .map_err(|e| {
                    vec![Diagnostic::error(
                        "typst",
                        Location::file(format!("templates/{template}")),
                        format!("图表无法转为 PNG：{e}"),
                    )]
                })
        })
        .collect()
}

/// A rendered page as PNG. Charts are a few flat colours and their antialiased edges: with
/// each channel's lowest bit dropped (a step of 1/128, not visible) they take some 140 colours,
/// so the picture is written with a palette — a quarter of the data, half the file of full
/// colour — and fast compression (the default took three times as long as drawing). A page of
/// more colours is written in full colour. The pages are opaque (white fill), so the
/// premultiplied pixels are the plain ones.
fn png_of(width: u32, height: u32, rgba: &[u8]) -> Result<Vec<u8>, png::EncodingError> {
    // Each colour's palette index, by its three 7-bit channels (2^21 slots; unseen: u16::MAX).
    // A table, not a hash map: a picture is millions of pixels, and hashing each took longer
    // than drawing the page.
    let mut slot = vec![u16::MAX; 1 << 21];
    let mut palette: Vec<[u8; 3]> = vec![];
    let mut indexed = Vec::with_capacity(rgba.len() / 4);
    for px in rgba.chunks_exact(4) {
        let c = [px[0] & 0xFE, px[1] & 0xFE, px[2] & 0xFE];
        let key = (usize::from(c[0]) << 13) | (usize::from(c[1]) << 6) | (usize::from(c[2]) >> 1);
        if slot[key] == u16::MAX {
            if palette.len() == 256 {
                break;
            }
            slot[key] = palette.len() as u16;
            palette.push(c);
        }
        indexed.push(slot[key] as u8);
    }
    let full = indexed.len() < rgba.len() / 4;
    let mut out = vec![];
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    if !full {
        encoder.set_color(png::ColorType::Indexed);
        encoder.set_palette(palette.concat());
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&indexed)?;
        writer.finish()?;
    } else {
        let rgb: Vec<u8> = rgba.chunks_exact(4).flat_map(|px| [px[0], px[1], px[2]]).collect();
        encoder.set_color(png::ColorType::Rgb);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&rgb)?;
        writer.finish()?;
    }
    Ok(out)
}

/// PDF export with a fixed identifier and no timestamp: the same input gives the same bytes.
/// With a standard (county.yaml `pdf: {standard: a-2b}`), typst-pdf checks conformance and
/// reports what breaks it, and the PDF is tagged (its structure for screen readers and
/// reflow), as an archive copy wants. Without, untagged: the forms and box files are put
/// together into volumes, which leave the tags behind, and untagged they are exported and
/// read several times faster (the volumes of 300 forms and 43 boxes: 1.0 s → 0.2 s).
pub fn export(
    world: &YjWorld,
    document: &PagedDocument,
    standard: Option<PdfStandard>,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    export_with(world, document, standard, standard.is_some())
}

/// A part only ever read to be put together with others (the report's): untagged.
pub fn export_part(world: &YjWorld, document: &PagedDocument) -> Result<Vec<u8>, Vec<Diagnostic>> {
    export_with(world, document, None, false)
}

fn export_with(
    world: &YjWorld,
    document: &PagedDocument,
    standard: Option<PdfStandard>,
    tagged: bool,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let standards = match standard {
        None => PdfStandards::default(),
        Some(s) => {
            let s = match s {
                PdfStandard::A2b => typst_pdf::PdfStandard::A_2b,
                PdfStandard::A2u => typst_pdf::PdfStandard::A_2u,
                PdfStandard::A2a => typst_pdf::PdfStandard::A_2a,
                PdfStandard::A3b => typst_pdf::PdfStandard::A_3b,
                PdfStandard::A3u => typst_pdf::PdfStandard::A_3u,
                PdfStandard::A3a => typst_pdf::PdfStandard::A_3a,
            };
            // One standard alone is always a valid set.
            PdfStandards::new(&[s]).unwrap_or_default()
        }
    };
    // PDF/A wants a document date: the workspace's today (county.yaml), in China's UTC+8, so
    // that the bytes still depend on the inputs alone. The templates leave the date to this.
    let timestamp = standard
        .and_then(|_| world.today(None))
        .and_then(|d| typst_pdf::Timestamp::new_local(d, 8 * 60));
    let options = PdfOptions {
        ident: Smart::Custom("yingjian".into()),
        creator: Smart::Custom(Some("yingjian".into())),
        timestamp,
        standards,
        tagged,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(document, &options).map_err(|errors| errors.iter().map(|e| convert(world, e, true)).collect())
}

fn locate(world: &YjWorld, span: DiagSpan) -> Location {
    let Some(id) = span.id() else {
        return Location::Workspace;
    };
    let file = id.vpath().get_without_slash().to_owned();
    let file = if file.starts_with(".yingjian/") {
        "（文档数据）".to_owned()
    } else {
        file
    };
    let lc = world.range(span).and_then(|range| match world.source(id) {
        Ok(src) => src.lines().byte_to_line_column(range.start),
        Err(_) => None,
    });
    match lc {
        Some((l, c)) => Location::line(file, l + 1, c + 1),
        None => Location::file(file),
    }
}

fn convert(world: &YjWorld, d: &SourceDiagnostic, error: bool) -> Diagnostic {
    let mut hint: Vec<String> = d.hints.iter().map(|h| h.v.to_string()).collect();
    for t in &d.trace {
        hint.push(format!("{}（{}）", t.v, locate(world, t.span.into())));
    }
    hint.push("这是模板排版问题：若修改过 templates/ 中的模板，请检查该处；否则请报告此问题".into());
    let loc = locate(world, d.span);
    let msg = format!("排版失败：{}", d.message);
    let diag = if error {
        Diagnostic::error("typst", loc, msg)
    } else {
        Diagnostic::warning("typst", loc, format!("排版警告：{}", d.message))
    };
    diag.with_hint(hint.join("；"))
}

/// The value of the `metadata` element labelled `label` (a template's account of itself),
/// as JSON.
pub fn metadata(doc: &PagedDocument, label: &str) -> Option<serde_json::Value> {
    use typst::foundations::Label;
    use typst::introspection::{Introspector, MetadataElem};
    let label = Label::new(typst::utils::PicoStr::intern(label))?;
    let found = doc.introspector().query_label(label).ok()?;
    let meta = found.to_packed::<MetadataElem>()?;
    serde_json::to_value(&meta.value).ok()
}

/// A hash of what each page prints — positions, glyphs, shapes, images — leaving out source
/// spans (their file numbers follow the order a run loads templates in), introspection tags
/// and link targets (their locations move when content elsewhere changes). Hashed with
/// typst's fixed SipHash, so the hashes kept in snapshots hold across builds and versions.
pub fn page_hashes(doc: &PagedDocument) -> Vec<u64> {
    use typst::utils::hash128;
    fn walk(frame: &Frame, out: &mut Vec<u128>) {
        out.push(hash128(&frame.size()));
        for (pos, item) in frame.items() {
            match item {
                FrameItem::Group(g) => {
                    out.push(hash128(&(pos, 0u8, g.transform, &g.clip)));
                    walk(&g.frame, out);
                    out.push(hash128(&5u8));
                }
                FrameItem::Text(t) => {
                    let glyphs: Vec<_> = t
                        .glyphs
                        .iter()
                        .map(|g| (g.id, g.x_advance, g.x_offset, g.y_advance, g.y_offset))
                        .collect();
                    out.push(hash128(&(
                        pos, 1u8, &t.font, t.size, &t.fill, &t.stroke, &t.text, glyphs,
                    )));
                }
                FrameItem::Shape(s, _) => out.push(hash128(&(pos, 2u8, s))),
                FrameItem::Image(i, size, _) => out.push(hash128(&(pos, 3u8, i, size))),
                FrameItem::Link(_, size) => out.push(hash128(&(pos, 4u8, size))),
                FrameItem::Tag(_) => {}
            }
        }
    }
    doc.pages()
        .iter()
        .map(|p| {
            let mut items = vec![];
            walk(&p.frame, &mut items);
            hash128(&items) as u64
        })
        .collect()
}

/// The text of each page, in layout order (for tests and coverage checks).
pub fn page_texts(doc: &PagedDocument) -> Vec<String> {
    fn walk(frame: &Frame, out: &mut String) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(g) => walk(&g.frame, out),
                FrameItem::Text(t) => out.push_str(&t.text),
                _ => {}
            }
        }
    }
    doc.pages()
        .iter()
        .map(|p| {
            let mut s = String::new();
            walk(&p.frame, &mut s);
            s
        })
        .collect()
}

/// Whether any glyph on any page is missing from its font (glyph 0 is "no glyph").
pub fn missing_glyphs(doc: &PagedDocument) -> Vec<String> {
    fn walk(frame: &Frame, out: &mut Vec<String>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(g) => walk(&g.frame, out),
                FrameItem::Text(t) if t.glyphs.iter().any(|g| g.id == 0) => out.push(t.text.to_string()),
                _ => {}
            }
        }
    }
    let mut out = vec![];
    for p in doc.pages() {
        walk(&p.frame, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::png_of;

    /// Decodes a PNG: its colour type and its pixels as RGB.
    fn decode(png: &[u8]) -> (png::ColorType, Vec<u8>) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let kind = reader.info().color_type;
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut buf).unwrap();
        buf.truncate(frame.buffer_size());
        (kind, buf)
    }

    #[test]
    fn few_colours_are_written_with_a_palette_less_the_lowest_bit() {
        // 3 × 1 pixels: white, (255, 129, 0) and white again: two colours after dropping the
        // lowest bit, 255 → 254 and 129 → 128.
        let rgba = [255, 255, 255, 255, 255, 129, 0, 255, 255, 255, 255, 255];
        let (kind, rgb) = decode(&png_of(3, 1, &rgba).unwrap());
        assert_eq!(kind, png::ColorType::Indexed);
        assert_eq!(rgb, [254, 254, 254, 254, 128, 0, 254, 254, 254]);
    }

    #[test]
    fn more_than_256_colours_are_written_in_full() {
        // 300 × 1 pixels, the k-th (2k mod 256, k / 128 · 2, 0): 300 distinct even colours.
        let rgba: Vec<u8> = (0..300u32)
            .flat_map(|k| [(2 * k % 256) as u8, (k / 128 * 2) as u8, 0, 255])
            .collect();
        let (kind, rgb) = decode(&png_of(300, 1, &rgba).unwrap());
        assert_eq!(kind, png::ColorType::Rgb);
        let want: Vec<u8> = rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
        assert_eq!(rgb, want);
    }
}
