//! Narrative Markdown → a plain syntax tree (JSON) that Typst functions draw.
//! Nothing from the text ever becomes Typst markup: every string stays a string value.

use comrak::nodes::{AstNode, ListType, NodeValue, TableAlignment};
use comrak::{Arena, Options, parse_document};
use serde_json::{Value, json};
use std::collections::HashMap;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::evidence::EvidenceFile;

/// Parses `md` (already through Tera) into blocks. Images must be files found under
/// `evidence/` (`files`, the scan of the folder); a missing one is reported at its line and
/// left out.
pub fn blocks(md: &str, file: &str, files: &[EvidenceFile], diags: &mut Diagnostics) -> Value {
    let arena = Arena::new();
    let mut options = Options::default();
    options.extension.table = true;
    options.extension.footnotes = true;
    options.extension.strikethrough = true;
    let doc = parse_document(&arena, md, &options);
    let mut notes = HashMap::new();
    for node in doc.children() {
        if let NodeValue::FootnoteDefinition(def) = &node.data.borrow().value {
            notes.insert(def.name.clone(), node);
        }
    }
    let mut cx = Cx {
        file,
        files,
        diags,
        notes,
        expanding: vec![],
    };
    let drawn = doc
        .children()
        .filter_map(|n| match super::markdown_depth::too_deep(n, file) {
            Some(d) => {
                cx.diags.push(d);
                None
            }
            None => cx.block(n),
        });
    Value::Array(drawn.collect())
}

struct Cx<'a, 'd> {
    file: &'a str,
    files: &'a [EvidenceFile],
    diags: &'a mut Diagnostics,
    notes: HashMap<String, &'d AstNode<'d>>,
    /// Footnotes being drawn, innermost last: a note that refers to itself stops there.
    expanding: Vec<String>,
}

impl<'d> Cx<'_, 'd> {
    fn blocks(&mut self, node: &'d AstNode<'d>) -> Vec<Value> {
        node.children().filter_map(|n| self.block(n)).collect()
    }

    fn inlines(&mut self, node: &'d AstNode<'d>) -> Vec<Value> {
        node.children().flat_map(|n| self.inline(n)).collect()
    }

    fn line(&self, node: &'d AstNode<'d>) -> Location {
        let pos = node.data.borrow().sourcepos;
        Location::line(self.file, pos.start.line, pos.start.column)
    }

    fn block(&mut self, node: &'d AstNode<'d>) -> Option<Value> {
        let value = node.data.borrow().value.clone();
        Some(match value {
            NodeValue::Paragraph => json!({"t": "par", "c": self.inlines(node)}),
            NodeValue::Heading(h) => json!({"t": "heading", "level": h.level, "c": self.inlines(node)}),
            NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) => json!({"t": "quote", "c": self.blocks(node)}),
            NodeValue::List(l) => {
                let items: Vec<Value> = node.children().map(|item| Value::Array(self.blocks(item))).collect();
                json!({"t": "list", "ordered": l.list_type == ListType::Ordered, "start": l.start, "items": items})
            }
            NodeValue::CodeBlock(c) => json!({"t": "codeblock", "v": c.literal}),
            NodeValue::ThematicBreak => json!({"t": "rule"}),
            NodeValue::Table(t) => {
                let align: Vec<&str> = t
                    .alignments
                    .iter()
                    .map(|a| match a {
                        TableAlignment::Center => "center",
                        TableAlignment::Right => "right",
                        _ => "left",
                    })
                    .collect();
                let rows: Vec<Value> = node
                    .children()
                    .map(|row| Value::Array(row.children().map(|cell| Value::Array(self.inlines(cell))).collect()))
                    .collect();
                json!({"t": "table", "align": align, "rows": rows})
            }
            NodeValue::FootnoteDefinition(_) => return None,
            NodeValue::HtmlBlock(h) => {
                self.diags.push(
                    Diagnostic::warning("markdown-html", self.line(node), "叙述材料中的 HTML 不会出现在文档中")
                        .with_hint("请改用 Markdown 写法；HTML 内容已按原文文字输出"),
                );
                json!({"t": "par", "c": [{"t": "text", "v": h.literal.trim()}]})
            }
            _ => json!({"t": "par", "c": self.inlines(node)}),
        })
    }

    fn inline(&mut self, node: &'d AstNode<'d>) -> Vec<Value> {
        let value = node.data.borrow().value.clone();
        let one = match value {
            NodeValue::Text(t) => json!({"t": "text", "v": t}),
            NodeValue::SoftBreak => json!({"t": "text", "v": ""}),
            NodeValue::LineBreak => json!({"t": "linebreak"}),
            NodeValue::Code(c) => json!({"t": "code", "v": c.literal}),
            NodeValue::Emph => json!({"t": "emph", "c": self.inlines(node)}),
            NodeValue::Strong => json!({"t": "strong", "c": self.inlines(node)}),
            NodeValue::Strikethrough => json!({"t": "strike", "c": self.inlines(node)}),
            NodeValue::Link(l) => json!({"t": "link", "url": l.url, "c": self.inlines(node)}),
            NodeValue::Image(l) => return self.image(node, &l.url, &l.title),
            NodeValue::FootnoteReference(r) => {
                let Some(def) = self.notes.get(&r.name).copied() else {
                    self.diags.push(
                        Diagnostic::warning(
                            "markdown-footnote",
                            self.line(node),
                            format!("脚注“{}”没有定义", r.name),
                        )
                        .with_hint(format!("在文末加上一行：[^{}]: 脚注内容", r.name)),
                    );
                    return vec![];
                };
                if self.expanding.contains(&r.name) {
                    self.diags.push(
                        Diagnostic::warning(
                            "markdown-footnote",
                            self.line(node),
                            format!("脚注“{}”的内容又引用了它自己", r.name),
                        )
                        .with_hint("删去脚注内容中对自身的引用"),
                    );
                    return vec![];
                }
                self.expanding.push(r.name.clone());
                let c: Vec<Value> = def.children().flat_map(|b| self.inlines(b)).collect();
                self.expanding.pop();
                json!({"t": "footnote", "c": c})
            }
            NodeValue::HtmlInline(h) | NodeValue::Raw(h) => json!({"t": "text", "v": h}),
            _ => return self.inlines(node),
        };
        vec![one]
    }

    /// Images come from `evidence/`: the path is checked here so the document never fails on it.
    fn image(&mut self, node: &'d AstNode<'d>, url: &str, title: &str) -> Vec<Value> {
        let alt: String = collect_text(node);
        let rel = url.trim_start_matches("./").trim_start_matches("evidence/");
        let escapes =
            rel.starts_with('/') || rel.split('/').any(|p| p == "..") || rel.contains('\\') || rel.contains(':');
        // "A5/./x.png" and "A5//x.png" name the file the scan lists as "A5/x.png".
        let rel: String = rel
            .split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .collect::<Vec<_>>()
            .join("/");
        let inside = !escapes && self.files.iter().any(|f| f.rel == rel);
        if !inside {
            let d = if escapes {
                Diagnostic::error(
                    "markdown-image-outside",
                    self.line(node),
                    format!("图片路径“{url}”超出 evidence/ 目录"),
                )
            } else {
                Diagnostic::warning(
                    "markdown-image-missing",
                    self.line(node),
                    format!("图片“{url}”不存在，文档中将略去"),
                )
            };
            self.diags
                .push(d.with_hint("图片须放在 evidence/ 目录下，路径写相对于 evidence/ 的路径，如 A5/运动场.png"));
            return vec![];
        }
        vec![json!({"t": "image", "src": format!("/evidence/{rel}"), "alt": alt, "title": title})]
    }
}

fn collect_text<'d>(node: &'d AstNode<'d>) -> String {
    node.descendants()
        .filter_map(|n| match &n.data.borrow().value {
            NodeValue::Text(t) => Some(t.to_string()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_footnote_that_refers_to_itself_stops() {
        let mut d = Diagnostics::default();
        let v = blocks(
            "正文[^a]。\n\n[^a]: 见[^a]，又见[^b]。\n\n[^b]: 回到[^a]。\n",
            "x.md",
            &[],
            &mut d,
        );
        assert!(v.to_string().contains("footnote"));
        let list = d.into_sorted();
        assert!(list.iter().any(|x| x.message.contains("引用了它自己")), "{list:?}");
    }

    #[test]
    fn markup_stays_text() {
        let mut d = Diagnostics::default();
        let v = blocks(
            "# 标题\n\n学校 `#panic(\"x\")` *强调* $z$ <l> @r\n\n- 一\n- 二\n\n脚注[^1]\n\n[^1]: 说明\n",
            "content/report/a.md",
            &[],
            &mut d,
        );
        let s = v.to_string();
        assert!(s.contains(r#""t":"heading""#), "{s}");
        assert!(s.contains(r##"#panic(\"x\")"##), "{s}");
        assert!(s.contains(r#""t":"footnote""#), "{s}");
        for piece in ["$z$", "<l>", "@r"] {
            assert!(s.contains(piece), "{piece} in {s}");
        }
        assert!(d.is_empty());
    }

    #[test]
    fn images_outside_evidence_are_refused() {
        let mut d = Diagnostics::default();
        let v = blocks("![x](../secret.png)\n", "content/report/a.md", &[], &mut d);
        assert!(!v.to_string().contains("image"));
        assert_eq!(d.as_slice()[0].code, "markdown-image-outside");
        assert_eq!(d.as_slice()[0].at, "content/report/a.md:1:1");
    }
}
