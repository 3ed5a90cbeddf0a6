//! Limits on what one cell may hold (docs/fuzzing.md lists them).

use crate::diag::{Diagnostic, Diagnostics, Location};

/// Longer text in a cell is refused (a name or note of thousands of characters is a paste
/// gone wrong, and it takes minutes to set); docs/fuzzing.md lists it.
pub const MAX_CELL_CHARS: usize = 1000;

/// Numbers at or beyond this size are refused: no count, area or sum of money in our tables
/// comes near, and a template cannot print 1e308 (nor anything derived from it).
pub const MAX_NUMBER: f64 = 1e12;

/// An error for text longer than `MAX_CELL_CHARS`, which is cut to that length.
pub fn cap_length(s: &mut String, at: impl Fn() -> Location, diags: &mut Diagnostics) {
    let Some((cut, _)) = s.char_indices().nth(MAX_CELL_CHARS) else {
        return;
    };
    let n = s.chars().count();
    diags.push(
        Diagnostic::error(
            "cell-too-long",
            at(),
            format!("单元格内容过长（{n} 个字符，上限 {MAX_CELL_CHARS} 个字符）"),
        )
        .with_hint("检查是否误粘贴了大段内容；较长的说明请写在叙述材料或附件中"),
    );
    s.truncate(cut);
}
