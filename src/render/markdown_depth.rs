//! Markdown nested past what can be drawn. A line of 6 500 `>` is 6 500 block quotes one
//! inside another: turning them into blocks copied each level's subtree (40 s, 460 MB) and
//! the typesetter, which recurses per level, overflowed its stack. No narrative nests so
//! deep, and the typesetter reads the blocks as JSON nested at most 128 levels (serde_json's
//! recursion limit; each Markdown level is two). A top-level block holding a node deeper
//! than `MAX_DEPTH` is left out with an error at its line; the walk is iterative, so the
//! check itself cannot overflow.

use comrak::arena_tree::NodeEdge;
use comrak::nodes::AstNode;

use crate::diag::{Diagnostic, Location};

/// The deepest node accepted, counted from a top-level block (1) down to its text: a quote
/// in a list in a quote with emphasis is 7; ten lists one in another are 22.
pub const MAX_DEPTH: usize = 32;

/// The error for the first node of the top-level `block` lying deeper than [`MAX_DEPTH`].
pub fn too_deep<'d>(block: &'d AstNode<'d>, file: &str) -> Option<Diagnostic> {
    let mut depth = 0usize;
    for edge in block.traverse() {
        match edge {
            NodeEdge::Start(node) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    let pos = node.data.borrow().sourcepos.start;
                    return Some(error(Location::line(file, pos.line, pos.column)));
                }
            }
            NodeEdge::End(_) => depth -= 1,
        }
    }
    None
}

fn error(at: Location) -> Diagnostic {
    Diagnostic::error(
        "narrative-too-deep",
        at,
        format!("引用（>）、列表或强调一层套一层，嵌套超过 {MAX_DEPTH} 层，这一段未排入文档"),
    )
    .with_hint("请检查这一行是否误输入了一长串“>”“-”或“*”；正文中的引用和列表只需几层")
}

#[cfg(test)]
mod tests {
    use crate::diag::Diagnostics;
    use crate::render::markdown::blocks;

    /// `blocks` on a thread with a 1 MB stack (half the default), so any recursion per
    /// level, in comrak or here, would overflow and abort the test.
    fn on_small_stack(md: String) -> (serde_json::Value, Vec<String>) {
        std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(move || {
                let mut d = Diagnostics::default();
                let v = blocks(&md, "content/report/前言.md", &[], &mut d);
                (v, d.as_slice().iter().map(|d| format!("{} {}", d.code, d.at)).collect())
            })
            .unwrap()
            .join()
            .unwrap()
    }

    #[test]
    fn a_line_of_quote_marks_is_refused_at_its_line() {
        // Line 3 is 100 000 ">": quote 33 (the first past 32) starts at column 33. The
        // paragraphs before and after are kept.
        let md = format!("前言。\n\n{} 引文\n\n结语。\n", ">".repeat(100_000));
        let (v, d) = on_small_stack(md);
        assert_eq!(d, ["narrative-too-deep content/report/前言.md:3:33"]);
        assert_eq!(v.as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn lists_and_emphasis_nested_deep_are_refused() {
        // "- " opens a list and its item, two levels each: the 17th list item is level 34,
        // past 32 at its list (level 33), the 17th "- ", column 2 × 16 + 1 = 33.
        let (_, d) = on_small_stack(format!("{}项\n", "- ".repeat(50_000)));
        assert_eq!(d, ["narrative-too-deep content/report/前言.md:1:33"]);
        // "*a _a *a … d* e_ e* … e*": emphasis in emphasis, one level per pair.
        let delims: Vec<&str> = (0..10_000).map(|i| if i % 2 == 0 { "*" } else { "_" }).collect();
        let open: String = delims.iter().map(|d| format!("{d}a ")).collect();
        let close: Vec<&str> = delims.iter().rev().copied().collect();
        let s = format!("{open}d{}", close.join(" e"));
        let (_, d) = on_small_stack(s);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].starts_with("narrative-too-deep content/report/前言.md:1:"),
            "{d:?}"
        );
    }

    #[test]
    fn ordinary_nesting_is_kept() {
        // Ten lists one in another, in a quote: depth 1 + 2 × 10 + 2 = 23.
        let md: String = (0..10).map(|i| format!("> {}- 第{i}层\n", "  ".repeat(i))).collect();
        let (v, d) = on_small_stack(md);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(v.as_array().map(Vec::len), Some(1));
    }
}
