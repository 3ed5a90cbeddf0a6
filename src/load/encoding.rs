//! Text files that are not UTF-8, or hold a NUL: said at the first bad byte, as what they are.
//! Notepad's "Unicode" is UTF-16 (with a byte-order mark, and some tools write it without
//! one); a Chinese Windows program writes GBK; a damaged or binary file holds NUL bytes. The
//! file is named at the line and column of the first byte that is not UTF-8 text, and GBK is
//! named only when the whole file reads as GBK.

use crate::diag::{Diagnostic, Location};

const RESAVE: &str = "请在编辑器中以 UTF-8 编码另存（记事本：另存为 → 编码选 UTF-8；WPS：另存为 → 纯文本 → UTF-8）";

/// The error for `bytes` (file `rel`, its byte-order mark already taken off when UTF-8), or
/// `None` when they are UTF-8 text without NUL.
pub fn problem(rel: &str, bytes: &[u8]) -> Option<Diagnostic> {
    if let Some(order) = utf16(bytes) {
        return Some(
            Diagnostic::error(
                "not-utf8",
                Location::line(rel, 1, 1),
                "文件是 UTF-16 编码，请另存为 UTF-8",
            )
            .with_hint(format!("此文件为 UTF-16 {order}（记事本中称作“Unicode”）。{RESAVE}")),
        );
    }
    let invalid = std::str::from_utf8(bytes).err().map(|e| e.valid_up_to());
    let nul = bytes.iter().position(|&b| b == 0);
    let at = match (invalid, nul) {
        (None, None) => return None,
        (Some(i), Some(n)) => i.min(n),
        (Some(i), None) => i,
        (None, Some(n)) => n,
    };
    // Everything before `at` is UTF-8.
    let before = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let loc = Location::line(rel, line, col);
    if bytes[at] == 0 {
        return Some(
            Diagnostic::error("text-nul", loc, "这里含有空字符（NUL，字节 0x00），文本文件中不应有")
                .with_hint("文件可能已损坏或不是文本文件：用文本编辑器删去这里的空字符（常显示为 NUL 或小方框）后以 UTF-8 保存，或从备份恢复"),
        );
    }
    // GBK only when nothing before is other UTF-8 text: a UTF-8 file with a stray byte is not.
    if let Some(text) = gbk_line(bytes, at).filter(|_| before.is_ascii()) {
        return Some(
            Diagnostic::error(
                "not-utf8",
                loc,
                format!("文件是 GBK 编码，须为 UTF-8（这一行按 GBK 读作“{text}”）"),
            )
            .with_hint(RESAVE),
        );
    }
    Some(
        Diagnostic::error(
            "not-utf8",
            loc,
            format!("这里的字节 0x{:02X} 不是 UTF-8 文字，文件须为 UTF-8 编码", bytes[at]),
        )
        .with_hint(format!("{RESAVE}；若只有个别乱码，删去这里的乱码字符后重新输入")),
    )
}

/// "小端序" / "大端序" when `bytes` are UTF-16: a byte-order mark, or (without one) text
/// whose every other byte is zero, as ASCII letters, digits, colons and line ends are.
fn utf16(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, ..] => return Some("小端序"),
        [0xFE, 0xFF, ..] => return Some("大端序"),
        _ => {}
    }
    let head = &bytes[..bytes.len().min(4096) & !1];
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let zeros = |odd: usize| head.iter().skip(odd).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (zeros(0), zeros(1));
    // At least a quarter of one side zero and almost none of the other.
    let mostly = |z: usize, other: usize| z * 4 >= pairs && other * 20 <= pairs;
    if mostly(odd, even) {
        Some("小端序")
    } else if mostly(even, odd) {
        Some("大端序")
    } else {
        None
    }
}

/// The line holding byte `at`, when the whole file reads as GBK and that line has text
/// beyond ASCII (up to 30 characters, control characters left out).
fn gbk_line(bytes: &[u8], at: usize) -> Option<String> {
    let text = encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(bytes)?;
    let start = bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| at + p);
    let line = encoding_rs::GBK
        .decode_without_bom_handling_and_without_replacement(&bytes[start..end])?
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(30)
        .collect::<String>();
    (!text.is_ascii() && !line.is_ascii()).then_some(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(bytes: &[u8]) -> Option<(String, String)> {
        problem("content/county.yaml", bytes).map(|d| (d.at, d.message))
    }

    #[test]
    fn each_encoding_is_told_at_its_first_bad_byte() {
        let utf16le: Vec<u8> = "county: 测试县\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let with_bom = [&[0xFF, 0xFE][..], &utf16le].concat();
        for b in [&with_bom, &utf16le] {
            assert_eq!(
                said(b),
                Some((
                    "content/county.yaml:1:1".into(),
                    "文件是 UTF-16 编码，请另存为 UTF-8".into()
                ))
            );
        }
        let utf16be: Vec<u8> = "county: 测试县\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert!(said(&utf16be).unwrap().1.contains("UTF-16"));
        // Line 2, after "year: 20" (8 characters): column 9.
        assert_eq!(
            said(b"county: x\nyear: 20\x0026\n"),
            Some((
                "content/county.yaml:2:9".into(),
                "这里含有空字符（NUL，字节 0x00），文本文件中不应有".into()
            ))
        );
        // 测试县 in GBK is B2E2 CAD4 CFD8, after "county: " (8 characters).
        assert_eq!(
            said(b"year: 2026\ncounty: \xB2\xE2\xCA\xD4\xCF\xD8\n"),
            Some((
                "content/county.yaml:2:9".into(),
                "文件是 GBK 编码，须为 UTF-8（这一行按 GBK 读作“county: 测试县”）".into()
            ))
        );
        // One stray byte in UTF-8 text: "county: 测试" is 10 characters; the file is no GBK.
        assert_eq!(
            said(b"county: \xE6\xB5\x8B\xE8\xAF\x95\xFF\n"),
            Some((
                "content/county.yaml:1:11".into(),
                "这里的字节 0xFF 不是 UTF-8 文字，文件须为 UTF-8 编码".into()
            ))
        );
        // Bytes that happen to read as GBK after UTF-8 Chinese are a stray byte, not GBK.
        assert!(said(b"county: \xE6\xB5\x8B\xB2\xE2\n").unwrap().1.contains("0xB2"));
        assert_eq!(said("county: 测试县\r\n".as_bytes()), None);
    }
}
