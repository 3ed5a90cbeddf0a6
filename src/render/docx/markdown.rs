//! The narrative's Markdown, as the syntax tree src/render/markdown.rs hands the templates,
//! drawn into Word paragraphs like templates/markdown.typ draws it: 楷体 for emphasis, 黑体
//! for strong, lists with their marks, tables with a header row, footnotes as Word footnotes.

use docx_rs::{AlignmentType, Paragraph, Run, SpecialIndentType};
use serde_json::Value;

use super::{Block, Cell, Doc, INDENT, Span, TABLE};

/// A piece of a paragraph: text, a footnote's reference, or a picture (its caption), which
/// follows the paragraph as a figure of its own, as in the PDF.
enum Inline {
    Text(Span),
    Note(Vec<Span>),
    Image(String),
}

use super::{list_of, str_of};

fn inlines(doc: &Doc, nodes: &[Value], style: &Span, out: &mut Vec<Inline>) {
    for n in nodes {
        let text = |t: &str| Span {
            text: t.to_owned(),
            ..style.clone()
        };
        match str_of(n, "t") {
            "text" | "code" => out.push(Inline::Text(text(str_of(n, "v")))),
            "linebreak" => out.push(Inline::Text(text("\n"))),
            "emph" => inlines(
                doc,
                list_of(n, "c"),
                &Span {
                    font: Some(doc.fonts.heading2.clone()),
                    ..style.clone()
                },
                out,
            ),
            "strong" => inlines(
                doc,
                list_of(n, "c"),
                &Span {
                    font: Some(doc.fonts.heading1.clone()),
                    ..style.clone()
                },
                out,
            ),
            "strike" => inlines(
                doc,
                list_of(n, "c"),
                &Span {
                    strike: true,
                    ..style.clone()
                },
                out,
            ),
            "link" => inlines(doc, list_of(n, "c"), style, out),
            "footnote" => {
                let mut inner = vec![];
                inlines(doc, list_of(n, "c"), &Span::default(), &mut inner);
                let spans = inner
                    .into_iter()
                    .filter_map(|i| match i {
                        Inline::Text(s) => Some(s),
                        Inline::Note(_) | Inline::Image(_) => None,
                    })
                    .collect();
                out.push(Inline::Note(spans));
            }
            "image" => out.push(Inline::Image(str_of(n, "alt").to_owned())),
            _ => {}
        }
    }
}

/// The inline nodes as runs of `p`.
fn fill(doc: &mut Doc, mut p: Paragraph, nodes: &[Value]) -> Paragraph {
    let mut parts = vec![];
    inlines(doc, nodes, &Span::default(), &mut parts);
    for part in parts {
        p = match part {
            Inline::Text(s) => p.add_run(doc.run(&s)),
            Inline::Note(spans) => {
                let r: Run = doc.footnote(&spans);
                p.add_run(r)
            }
            Inline::Image(alt) => {
                doc.pending.push(alt);
                p
            }
        };
    }
    p
}

/// The pictures of the paragraph just written, each a figure (图 N and its caption, when it
/// has one), from the pictures Typst rendered of the narrative's images, in order.
fn pictures(doc: &mut Doc) {
    for alt in std::mem::take(&mut doc.pending) {
        let Some((png, size)) = doc.images.pop_front() else {
            continue;
        };
        if alt.is_empty() {
            doc.figure(png, size, 124.8, None);
            doc.figures += 1;
        } else {
            doc.figure(png, size, 124.8, Some(&alt));
        }
    }
}

/// Every block, headings `offset` levels down (a chapter's own headings start at level 2).
pub fn blocks(doc: &mut Doc, blocks: &Value, offset: usize) {
    for b in blocks.as_array().map(Vec::as_slice).unwrap_or_default() {
        block(doc, b, offset, 0);
    }
}

fn block(doc: &mut Doc, b: &Value, offset: usize, depth: i32) {
    match str_of(b, "t") {
        "par" => {
            let p = doc.para().align(AlignmentType::Both).indent(
                Some(depth * INDENT),
                Some(SpecialIndentType::FirstLine(INDENT)),
                None,
                None,
            );
            let p = fill(doc, p, list_of(b, "c"));
            doc.body.push(Block::P(p));
            pictures(doc);
        }
        "heading" => {
            let level = b.get("level").and_then(Value::as_u64).unwrap_or(1) as usize;
            let mut parts = vec![];
            inlines(doc, list_of(b, "c"), &Span::default(), &mut parts);
            let text: String = parts
                .iter()
                .filter_map(|p| match p {
                    Inline::Text(s) => Some(s.text.as_str()),
                    Inline::Note(_) | Inline::Image(_) => None,
                })
                .collect();
            doc.heading(offset + level, &text, true);
        }
        "quote" => {
            for x in list_of(b, "c") {
                block(doc, x, offset, depth + 1);
            }
        }
        "list" => {
            let ordered = b.get("ordered").and_then(Value::as_bool).unwrap_or(false);
            let start = b.get("start").and_then(Value::as_u64).unwrap_or(1) as usize;
            for (i, item) in list_of(b, "items").iter().enumerate() {
                let mark = if ordered {
                    format!("{}. ", start + i)
                } else {
                    "· ".to_owned()
                };
                for (j, x) in item
                    .as_array()
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    if j == 0 && str_of(x, "t") == "par" {
                        let p = doc.para().align(AlignmentType::Both).indent(
                            Some((depth + 1) * INDENT),
                            Some(SpecialIndentType::Hanging(INDENT)),
                            None,
                            None,
                        );
                        let p = p.add_run(doc.run(&Span::plain(mark.clone())));
                        let p = fill(doc, p, list_of(x, "c"));
                        doc.body.push(Block::P(p));
                        pictures(doc);
                    } else {
                        block(doc, x, offset, depth + 1);
                    }
                }
            }
        }
        "codeblock" => {
            for line in str_of(b, "v").lines() {
                doc.line(vec![Span::plain(line)], None);
            }
        }
        "rule" => doc.line(vec![Span::plain("————————————")], None),
        "table" => {
            let rows = list_of(b, "rows");
            let Some((head, rest)) = rows.split_first() else { return };
            let text = |doc: &Doc, cell: &Value| {
                let mut parts = vec![];
                inlines(
                    doc,
                    cell.as_array().map(Vec::as_slice).unwrap_or_default(),
                    &Span::default(),
                    &mut parts,
                );
                parts
                    .into_iter()
                    .filter_map(|p| match p {
                        Inline::Text(s) => Some(s),
                        Inline::Note(_) | Inline::Image(_) => None,
                    })
                    .collect::<Vec<_>>()
            };
            let header: Vec<String> = head
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|c| text(doc, c).iter().map(|s| s.text.as_str()).collect())
                .collect();
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            let body: Vec<Vec<Cell>> = rest
                .iter()
                .map(|row| {
                    row.as_array()
                        .map(Vec::as_slice)
                        .unwrap_or_default()
                        .iter()
                        .enumerate()
                        .map(|(i, c)| {
                            // The column's alignment as written (`:-:` centres); else left.
                            let centred = list_of(b, "align").get(i).and_then(Value::as_str) == Some("center");
                            let cell = Cell::spans(text(doc, c));
                            if centred { cell } else { cell.left() }
                        })
                        .collect()
                })
                .collect();
            let widths = vec![1.0; header.len().max(1)];
            doc.table(&widths, &header, body, TABLE);
        }
        _ => {}
    }
}
