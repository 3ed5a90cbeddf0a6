//! Column widths and cell margins of the Word tables (issue 34 point 9): text kept off the
//! cell borders, and every column at least as wide as its header's text, so that "分值" or
//! "类型" never wraps one character a line.

/// Cell margins in twips: 2 pt above and below, 4.25 pt (1.5 mm) left and right.
pub const MARGIN_Y: usize = 40;
pub const MARGIN_X: usize = 85;

/// The width in twips of `text` set at `size` half-points: a CJK character is as wide as the
/// size, an ASCII one half of it.
pub fn text_twips(text: &str, size: usize) -> usize {
    // One point is 20 twips, one half-point 10.
    text.chars()
        .map(|c| if c.is_ascii() { size * 5 } else { size * 10 })
        .sum()
}

/// `grid` (twips per column) widened where a column is narrower than its header needs (its
/// text, the two margins and 20 twips to spare), the width taken from the columns with room to
/// spare, in proportion to that room; the total is unchanged. Left as it is when the headers
/// together need more than the table's width.
pub fn fit_headers(grid: &[usize], header: &[&str], size: usize) -> Vec<usize> {
    let need: Vec<usize> = (0..grid.len())
        .map(|i| header.get(i).map_or(0, |h| text_twips(h, size) + 2 * MARGIN_X + 20))
        .collect();
    let short: usize = grid.iter().zip(&need).map(|(g, n)| n.saturating_sub(*g)).sum();
    let room: usize = grid.iter().zip(&need).map(|(g, n)| g.saturating_sub(*n)).sum();
    if short == 0 || room < short {
        return grid.to_vec();
    }
    let mut out: Vec<usize> = grid
        .iter()
        .zip(&need)
        .map(|(g, n)| if g < n { *n } else { g - (g - n) * short / room })
        .collect();
    // What the rounding left over (either way) goes to, or comes from, the widest column.
    let total: usize = grid.iter().sum();
    let now: usize = out.iter().sum();
    if let Some(w) = out.iter_mut().max() {
        *w = (*w + total).saturating_sub(now);
    }
    out
}

/// The page number of each contents entry (`toc`: text, bookmark, level): that of the typeset
/// PDF's next heading of the same text, spaces aside, in order; "" where none is found.
pub fn contents_numbers(toc: &[(String, String, usize)], pages: &[(String, i64)]) -> Vec<String> {
    let bare = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let mut from = 0;
    toc.iter()
        .map(|(text, _, _)| {
            let want = bare(text);
            match pages[from.min(pages.len())..].iter().position(|(t, _)| bare(t) == want) {
                Some(k) => {
                    from += k + 1;
                    pages[from - 1].1.to_string()
                }
                None => String::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrow_header_column_takes_its_width_from_the_columns_with_room() {
        // 10.5 pt = 21 half-points: "分值" is 2 × 210 = 420 twips, needs 420 + 2 × 85 + 20 = 610.
        assert_eq!(text_twips("分值", 21), 420);
        assert_eq!(text_twips("A1", 21), 210);
        // Columns 4000, 400, 4000 under "要点", "分值", "评估内容", which need 610, 610 and
        // 4 × 210 + 190 = 1030: "分值" is short by 610 − 400 = 210; the room to spare is
        // (4000 − 610) + (4000 − 1030) = 3390 + 2970 = 6360, given in proportion:
        // 3390 × 210 / 6360 = 111.9 → 111 and 2970 × 210 / 6360 = 98.1 → 98: 3889, 610, 3902,
        // one twip over 8400, taken back from the widest: 3889, 610, 3901.
        let g = fit_headers(&[4000, 400, 4000], &["要点", "分值", "评估内容"], 21);
        assert_eq!(g, vec![3889, 610, 3901]);
        assert_eq!(g.iter().sum::<usize>(), 8400);
        // Wide enough already: unchanged.
        assert_eq!(fit_headers(&[700, 700], &["分值", "自评"], 21), vec![700, 700]);
        // No room anywhere: unchanged.
        assert_eq!(fit_headers(&[300, 300], &["分值", "自评"], 21), vec![300, 300]);
    }

    #[test]
    fn contents_entries_take_the_pdfs_page_numbers_in_order() {
        let toc = |t: &str| (t.to_owned(), String::new(), 1);
        let entries = [
            toc("一、基本情况"),
            toc("（一）A1　学历"),
            toc("附图　对照"),
            toc("未排版"),
        ];
        // The PDF lists 基本情况 on page 1, A1 on 3 (its "　" a space), 附图 on 28; a level-3
        // heading between them is skipped over.
        let pages = [
            ("一、基本情况".to_owned(), 1),
            ("1．细项".to_owned(), 2),
            ("（一）A1 学历".to_owned(), 3),
            ("附图　对照".to_owned(), 28),
        ];
        assert_eq!(contents_numbers(&entries, &pages), ["1", "3", "28", ""]);
    }
}
