//! Fields written as a fraction, not a percentage: 校际差异率 0.12, not 12. Everything else in
//! county.yaml that is a rate is a percentage (97.5), so "12" here is the usual slip.

use super::yaml::YamlFile;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::CountyConfig;

/// (key, what it is, an example) of the fields written as a fraction, in any of our YAML files.
pub const FRACTIONS: &[(&str, &str, &str)] = &[
    // 教督〔2017〕6号 第八条（九）: 校际差异率低于0.15.
    ("inter_school_difference", "校际差异率", "0.12"),
    ("quality_difference_below", "质量监测校际差异率上限", "0.15"),
    // 教督〔2017〕6号 第五条、第六条: 差异系数 0.50 / 0.45; 余项不低于要求的 85% (0.85).
    ("cv_limit", "差异系数上限", "0.50"),
    ("floor_ratio", "其余指标不低于标准的比例", "0.85"),
];

/// The fraction field a key path ends in or runs through (`cv_limit.primary`), if any.
pub fn fraction<'a>(keys: impl IntoIterator<Item = &'a str>) -> Option<(&'static str, &'static str)> {
    let keys: Vec<&str> = keys.into_iter().collect();
    FRACTIONS
        .iter()
        .find(|(k, ..)| keys.contains(k))
        .map(|(_, what, example)| (*what, *example))
}

/// A 校际差异率 above 1 was typed as a percentage: an error at its line, and the value is set
/// aside (its indicator 待核实) rather than judged as 12 against 0.15.
pub fn check(c: &mut CountyConfig, file: &YamlFile, diags: &mut Diagnostics) {
    let Some(v) = c.quality.inter_school_difference.filter(|v| *v > 1.0) else {
        return;
    };
    let (shown, fraction) = (num(v), num(v / 100.0));
    diags.push(
        Diagnostic::error(
            "fraction-as-percent",
            file.locate_key(&["quality", "inter_school_difference"]),
            format!("quality.inter_school_difference 写的是 {shown}，大于 1：校际差异率按小数填写，如 0.12"),
        )
        .with_hint(format!(
            "写 {fraction}（{shown}% 即 {fraction}）；国家标准为低于 0.15（教督〔2017〕6号 第八条（九））。改正前该指标待核实"
        )),
    );
    c.quality.inter_school_difference = None;
}

/// A plain number without trailing zeros.
pub fn num(v: f64) -> String {
    let s = format!("{v:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}
