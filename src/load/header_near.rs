//! A header the table does not know, next to a column it misses: the same name without its
//! unit (taken), with another unit (told, never taken: the figures may be in that unit), or
//! a typo (told, with the name meant).

use super::sheet::normalize_header;

#[derive(Debug, PartialEq, Eq)]
pub enum Near {
    /// "教学及辅助用房面积" for "教学及辅助用房面积（平方米）": the column, read as it is.
    Unitless(u32),
    /// "教学仪器设备值（元）" for "教学仪器设备值（万元）": the unit written in the header.
    OtherUnit(u32, String),
    /// "专任教师" for "专任教师数": the header as written.
    Typo(u32, String),
}

/// The name without its unit: "教学仪器设备值(万元)" → ("教学仪器设备值", "万元").
fn split_unit(normalized: &str) -> (&str, Option<&str>) {
    match normalized.split_once('(') {
        Some((base, rest)) => (base, Some(rest.trim_end_matches(')'))),
        None => (normalized, None),
    }
}

/// What, among the header cells no column took (`unmapped`: column, text), stands for the
/// missing `wanted`. A typo counts only when `wanted` is the nearest of all `headers` to it.
pub fn find(wanted: &str, unmapped: &[(u32, String)], headers: &[&'static str]) -> Option<Near> {
    let want = normalize_header(wanted);
    let (want_base, want_unit) = split_unit(&want);
    for (col, text) in unmapped {
        let t = normalize_header(text);
        let (base, unit) = split_unit(&t);
        if base == want_base {
            return Some(match (unit, want_unit) {
                (None, _) => Near::Unitless(*col),
                (Some(u), _) => Near::OtherUnit(*col, u.to_owned()),
            });
        }
    }
    let names: Vec<String> = headers
        .iter()
        .map(|h| split_unit(&normalize_header(h)).0.to_owned())
        .collect();
    for (col, text) in unmapped {
        let t = normalize_header(text);
        let base = split_unit(&t).0;
        let nearest = crate::suggest::did_you_mean(base, names.iter().map(String::as_str));
        if nearest == Some(want_base) {
            return Some(Near::Typo(*col, text.trim().to_owned()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADERS: [&str; 4] = [
        "专任教师数",
        "持证专任教师数",
        "教学仪器设备值（万元）",
        "教学及辅助用房面积（平方米）",
    ];

    #[test]
    fn near_headers_are_found() {
        let cells = |t: &str| vec![(9, t.to_owned())];
        assert_eq!(
            find("教学及辅助用房面积（平方米）", &cells("教学及辅助用房面积"), &HEADERS),
            Some(Near::Unitless(9))
        );
        assert_eq!(
            find("教学仪器设备值（万元）", &cells("教学仪器设备值（元）"), &HEADERS),
            Some(Near::OtherUnit(9, "元".into()))
        );
        assert_eq!(
            find("专任教师数", &cells("专任教师"), &HEADERS),
            Some(Near::Typo(9, "专任教师".into()))
        );
        // 持证专任教师 is nearer 持证专任教师数 than 专任教师数: not offered for the latter.
        assert_eq!(find("专任教师数", &cells("持证专任教师"), &HEADERS), None);
        assert_eq!(find("专任教师数", &cells("备注"), &HEADERS), None);
    }
}
