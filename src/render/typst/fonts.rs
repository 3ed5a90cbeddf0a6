//! The bundled fonts (assets/fonts), loaded once; no system fonts.

use std::sync::OnceLock;
use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

use crate::diag::{Diagnostic, Location};
use crate::model::CharOrigins;
use serde_json::Value;

static FANDOL: [&[u8]; 6] = [
    include_bytes!("../../../assets/fonts/FandolSong-Regular.otf"),
    include_bytes!("../../../assets/fonts/FandolSong-Bold.otf"),
    include_bytes!("../../../assets/fonts/FandolFang-Regular.otf"),
    include_bytes!("../../../assets/fonts/FandolHei-Regular.otf"),
    include_bytes!("../../../assets/fonts/FandolHei-Bold.otf"),
    include_bytes!("../../../assets/fonts/FandolKai-Regular.otf"),
];
static NOTO_CJK: &[u8] = include_bytes!("../../../assets/fonts/NotoSerifCJK-Regular.ttc");
/// Face 2 of the Noto Serif CJK collection is the Simplified Chinese one; loading only it keeps
/// fallback from picking the Japanese face (all faces score alike and the first would win).
const NOTO_SC_FACE: u32 = 2;
/// HanaMinB (GlyphWiki, Hanazono Font License): CJK Extensions B–F, which the fonts above
/// barely have. No template names it: typst falls back to it only for characters the others
/// lack (rare characters of names and places). URO + Ext A–F coverage 33.9% → 99.95%.
static HANAMIN_B: &[u8] = include_bytes!("../../../assets/fonts/HanaMinB.ttf");

pub struct Fonts {
    pub fonts: Vec<Font>,
    pub book: LazyHash<FontBook>,
}

pub fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut fonts: Vec<Font> = FANDOL.iter().flat_map(|d| Font::iter(Bytes::new(*d))).collect();
        fonts.extend(Font::new(Bytes::new(NOTO_CJK), NOTO_SC_FACE));
        fonts.extend(Font::new(Bytes::new(HANAMIN_B), 0));
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

/// Every string of `data` must be printable with the bundled fonts. Each character no font
/// has is reported once, at the input cell or line where it was first seen (`origins`).
pub fn check_coverage(data: &Value, cache: &mut CoverageCache, origins: &CharOrigins) -> Vec<(char, Diagnostic)> {
    // Data the inputs do not explain (generated text): the file it most likely comes from.
    fn origin(path: &str) -> Location {
        Location::file(match path.split(['.', '[']).next().unwrap_or("") {
            "resource" | "basic" => "content/schools.xlsx",
            "county" | "government" | "title" => "content/county.yaml",
            "narrative" | "categories" => "content/report/ 或 content/scores.yaml",
            _ => "（文档数据）",
        })
    }
    // The path is built in one buffer, extended and cut back, and read only on a finding.
    fn walk(v: &Value, path: &mut String, cache: &mut CoverageCache, found: &mut Vec<(char, String, String)>) {
        let len = path.len();
        match v {
            Value::String(s) => {
                for c in s.chars().filter(|c| !cache.covered(*c)) {
                    if !found.iter().any(|(f, ..)| *f == c) {
                        found.push((c, s.clone(), path.clone()));
                    }
                }
            }
            Value::Array(items) => {
                for (n, x) in items.iter().enumerate() {
                    use std::fmt::Write;
                    let _ = write!(path, "[{n}]");
                    walk(x, path, cache, found);
                    path.truncate(len);
                }
            }
            Value::Object(map) => {
                for (k, x) in map {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(k);
                    walk(x, path, cache, found);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut found = vec![];
    walk(data, &mut String::new(), cache, &mut found);
    found
        .into_iter()
        .map(|(c, text, path)| {
            let (at, whence) = match origins.get(c) {
                Some(at) => (at.clone(), String::new()),
                None => (origin(&path), format!("（数据位置：{path}）")),
            };
            let d = Diagnostic::warning(
                "glyph-missing",
                at,
                format!(
                    "“{c}”(U+{:04X}) 没有任何字体包含，文档中将显示为空白（见文字“{text}”）{whence}",
                    c as u32
                ),
            )
            .with_hint("请改用常用字或在备注中说明；内置字体为 Fandol 系列、Noto Serif CJK SC 和 HanaMinB（扩展 B～F）；同一字符在其他位置不再重复提示");
            (c, d)
        })
        .collect()
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
            "HanaMinB",
        ] {
            assert!(families.contains(&want), "{want} not in {families:?}");
        }
        // The last five from HanaMinB: Ext B U+20BB7, U+2A6A5; Ext D U+2B7F9; Ext E U+2C317; Ext F U+2E9F5.
        for c in "堃喆祎昇彧赟珺玥㎡≥≤✓×〇①Ⅲ𠮷𪚥𫟹𬌗𮧵".chars() {
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
