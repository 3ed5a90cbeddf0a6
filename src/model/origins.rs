//! Where each character of the inputs was first seen: the file, line and column of a text
//! file, or the cell of a workbook. A character no font has is then reported at a place the
//! user can edit, not at the document data it ended up in.

use std::collections::HashMap;

use crate::diag::Location;

/// The characters worth placing: beyond ASCII (a font may lack them) and the control
/// characters (XML cannot carry them).
fn noted(c: char) -> bool {
    !c.is_ascii() || c.is_ascii_control()
}

#[derive(Debug, Clone, Default)]
pub struct CharOrigins {
    first: HashMap<char, Location>,
}

impl CharOrigins {
    /// Every noted character of a text file, at its line and column (1-based).
    pub fn note_text(&mut self, rel: &str, text: &str) {
        for (l, line) in text.lines().enumerate() {
            for (col, c) in line.chars().enumerate().filter(|(_, c)| noted(*c)) {
                self.first
                    .entry(c)
                    .or_insert_with(|| Location::line(rel, l + 1, col + 1));
            }
        }
    }

    /// Every noted character of a cell's text, at `at` (computed only for a new one).
    pub fn note_cell(&mut self, text: &str, at: impl Fn() -> Location) {
        for c in text.chars().filter(|c| noted(*c)) {
            self.first.entry(c).or_insert_with(&at);
        }
    }

    /// Where `c` was first seen in the inputs.
    pub fn get(&self, c: char) -> Option<&Location> {
        self.first.get(&c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_place_of_each_character() {
        let mut o = CharOrigins::default();
        // Line 2, column 7: "name: " is six characters before 堃.
        o.note_text("content/county.yaml", "a: 1\nname: 堃山县\nb: 堃\n");
        o.note_cell("堃\u{E000}", || {
            Location::cell("content/schools.xlsx", "学校基础数据", 1, 1)
        });
        assert_eq!(o.get('堃').unwrap().to_string(), "content/county.yaml:2:7");
        assert_eq!(
            o.get('\u{E000}').unwrap().to_string(),
            "content/schools.xlsx 学校基础数据!B2"
        );
        assert!(o.get('a').is_none(), "ASCII is not recorded");
    }
}
