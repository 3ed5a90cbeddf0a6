//! The bundled fonts (assets/fonts), loaded once; no system fonts.

use std::sync::OnceLock;
use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

static FANDOL: [&[u8]; 6] = [
    include_bytes!("../../assets/fonts/FandolSong-Regular.otf"),
    include_bytes!("../../assets/fonts/FandolSong-Bold.otf"),
    include_bytes!("../../assets/fonts/FandolFang-Regular.otf"),
    include_bytes!("../../assets/fonts/FandolHei-Regular.otf"),
    include_bytes!("../../assets/fonts/FandolHei-Bold.otf"),
    include_bytes!("../../assets/fonts/FandolKai-Regular.otf"),
];
static NOTO_CJK: &[u8] = include_bytes!("../../assets/fonts/NotoSerifCJK-Regular.ttc");
/// Face 2 of the Noto Serif CJK collection is the Simplified Chinese one; loading only it keeps
/// fallback from picking the Japanese face (all faces score alike and the first would win).
const NOTO_SC_FACE: u32 = 2;

pub struct Fonts {
    pub fonts: Vec<Font>,
    pub book: LazyHash<FontBook>,
}

pub fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut fonts: Vec<Font> = FANDOL.iter().flat_map(|d| Font::iter(Bytes::new(*d))).collect();
        fonts.extend(Font::new(Bytes::new(NOTO_CJK), NOTO_SC_FACE));
        let book = LazyHash::new(FontBook::from_fonts(&fonts));
        Fonts { fonts, book }
    })
}

/// Whether some bundled font has a glyph for `c`. Whitespace and control characters need none.
pub fn covered(c: char) -> bool {
    c.is_whitespace() || c.is_control() || fonts().fonts.iter().any(|f| f.info().coverage.contains(c as u32))
}

/// `covered` with memory: a font's coverage lookup is slow and a build asks for the same few
/// thousand characters millions of times, so answers for the Basic Multilingual Plane are kept
/// in two bitmaps (8 KiB each).
pub struct CoverageCache {
    known: Vec<u64>,
    yes: Vec<u64>,
}

impl Default for CoverageCache {
    fn default() -> Self {
        Self {
            known: vec![0; 1024],
            yes: vec![0; 1024],
        }
    }
}

impl CoverageCache {
    pub fn covered(&mut self, c: char) -> bool {
        let n = c as usize;
        if n >= 0x10000 {
            return covered(c);
        }
        let (word, bit) = (n / 64, 1u64 << (n % 64));
        if self.known[word] & bit == 0 {
            self.known[word] |= bit;
            if covered(c) {
                self.yes[word] |= bit;
            }
        }
        self.yes[word] & bit != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fandol_and_noto_cover_rare_name_characters() {
        let families: Vec<&str> = fonts().fonts.iter().map(|f| f.info().family.as_str()).collect();
        for want in [
            "FandolSong",
            "FandolFang R",
            "FandolHei",
            "FandolKai",
            "Noto Serif CJK SC",
        ] {
            assert!(families.contains(&want), "{want} not in {families:?}");
        }
        for c in "堃喆祎昇彧赟珺玥㎡≥≤✓×〇①Ⅲ".chars() {
            assert!(covered(c), "{c}");
        }
        // A private-use character no font has.
        assert!(!covered('\u{E000}'));
        let mut cache = CoverageCache::default();
        for c in "堃\u{E000}堃\u{E000}😀".chars() {
            assert_eq!(cache.covered(c), covered(c), "{c}");
        }
    }
}
