//! What a number typed with its unit ("2200人", "1.2万", "3400000元") should have been, for
//! the hint of `not-a-number`.

use crate::model::normalize_text;
use crate::rules::fmt_num;

const PLAIN: &str = "只填数字，不要带单位或文字说明；说明可写在备注中";

/// The hint for `text` in the column headed `header` ("教学仪器设备值（万元）").
pub fn hint(text: &str, header: &str) -> String {
    let t: String = normalize_text(text)
        .chars()
        .filter(|c| !matches!(c, ',' | ' '))
        .collect();
    let split = t
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || (*c == '-' && *i == 0)))
        .map_or(t.len(), |(i, _)| i);
    let (number, unit) = t.split_at(split);
    let Ok(v) = number.parse::<f64>() else {
        return PLAIN.to_owned();
    };
    if unit.is_empty() || !v.is_finite() {
        return PLAIN.to_owned();
    }
    let column_unit = header
        .split_once(['（', '('])
        .map(|(_, u)| u.trim_end_matches(['）', ')']))
        .unwrap_or("");
    let meant = match (unit, column_unit) {
        (u, c) if u == c => v,
        ("万元", "元") | ("万", "平方米") | ("万", "元") | ("万", "") => v * 10_000.0,
        ("元", "万元") => v / 10_000.0,
        ("万", "万元") => v,
        _ => v,
    };
    let unit_note = if column_unit.is_empty() {
        String::new()
    } else {
        format!("（本列单位为{column_unit}）")
    };
    format!("只填数字，应为 {}{unit_note}", fmt_num(meant))
}

#[cfg(test)]
mod tests {
    use super::hint;

    #[test]
    fn the_number_meant_is_offered() {
        assert_eq!(hint("2200人", "在校生数"), "只填数字，应为 2200");
        // 1.2 万 m² = 12 000 m².
        assert_eq!(
            hint("1.2万", "体育运动场馆面积（平方米）"),
            "只填数字，应为 12000（本列单位为平方米）"
        );
        // 3 400 000 元 = 340 万元.
        assert_eq!(
            hint("3400000元", "教学仪器设备值（万元）"),
            "只填数字，应为 340（本列单位为万元）"
        );
        assert_eq!(
            hint("340万元", "教学仪器设备值（万元）"),
            "只填数字，应为 340（本列单位为万元）"
        );
        assert_eq!(
            hint("约两千", "在校生数"),
            "只填数字，不要带单位或文字说明；说明可写在备注中"
        );
    }
}
