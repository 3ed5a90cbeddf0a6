//! Rows of a returned form that are not data: a units row under the header, a 合计 or 小计
//! row, and the 填表人 / 审核人 / 日期 lines at the foot. People add them to the forms they
//! fill; they are set aside before any row is read as a school or an item.

use calamine::Data;

use super::sheet::{cell_text, is_blank};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Furniture {
    /// 人、平方米、万元 … under the header.
    Units,
    /// 合计、总计、全县合计: the whole table summed.
    Total,
    /// 小计: a part of it summed.
    Subtotal,
    /// 填表人：…、审核人：…、填报日期：…, notes (注：…).
    Footer,
}

const TOTALS: [&str; 5] = ["合计", "总计", "全县合计", "全县总计", "总合计"];
const SUBTOTALS: [&str; 2] = ["小计", "分计"];
const FOOTER_LABELS: [&str; 19] = [
    "填表人",
    "填报人",
    "制表人",
    "统计人",
    "审核人",
    "审核",
    "负责人",
    "单位负责人",
    "校长",
    "联系人",
    "联系电话",
    "电话",
    "填表日期",
    "填报日期",
    "制表日期",
    "日期",
    "说明",
    "注",
    "备注",
];
const UNITS: [&str; 16] = [
    "人",
    "名",
    "个",
    "间",
    "所",
    "班",
    "台",
    "套",
    "册",
    "平方米",
    "m2",
    "m²",
    "㎡",
    "万元",
    "元",
    "年月",
];

/// What `cells` is when it is not a data row.
pub fn kind(cells: &[Data]) -> Option<Furniture> {
    let filled: Vec<&Data> = cells.iter().filter(|c| !is_blank(c)).collect();
    let texts: Vec<String> = filled.iter().map(|c| squeeze(&cell_text(c))).collect();
    let first = texts.first()?;
    // A total's label is short ("合计", "全县合计："), in the first filled cell.
    let label = first.trim_end_matches([':', '：']);
    if label.chars().count() <= 6 {
        if TOTALS.contains(&label) {
            return Some(Furniture::Total);
        }
        if SUBTOTALS.iter().any(|s| label.ends_with(s)) {
            return Some(Furniture::Subtotal);
        }
    }
    let all_text = filled.iter().all(|c| matches!(c, Data::String(_)));
    if all_text && texts.len() >= 2 && texts.iter().all(|t| is_unit(t)) {
        return Some(Furniture::Units);
    }
    // Every filled cell a "label：value" of the foot: one real title or name among them
    // and the row is data.
    if all_text && texts.iter().all(|t| is_footer(t)) {
        return Some(Furniture::Footer);
    }
    None
}

/// Without whitespace: "合 计" and "填 表 人：" are written so to spread them out.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn is_unit(t: &str) -> bool {
    let t = t.trim_start_matches("单位").trim_start_matches([':', '：']);
    let t = t
        .trim_start_matches(['（', '(', '[', '【'])
        .trim_end_matches(['）', ')', ']', '】']);
    UNITS.contains(&t)
}

fn is_footer(t: &str) -> bool {
    FOOTER_LABELS.iter().any(|l| {
        t.strip_prefix(l)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '：']))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str) -> Data {
        Data::String(t.to_owned())
    }

    #[test]
    fn rows_people_add_to_a_form_are_recognised() {
        let total = [s("合 计"), Data::Empty, Data::Float(12_300.0)];
        assert_eq!(kind(&total), Some(Furniture::Total));
        assert_eq!(kind(&[s("全县合计："), Data::Float(1.0)]), Some(Furniture::Total));
        assert_eq!(kind(&[s("初中小计"), Data::Float(1.0)]), Some(Furniture::Subtotal));
        assert_eq!(kind(&[s("（人）"), s("平方米"), s("万元")]), Some(Furniture::Units));
        let foot = [s("填表人：张三"), s("审核人：李四"), s("填报日期：2026年11月20日")];
        assert_eq!(kind(&foot), Some(Furniture::Footer));
        assert_eq!(kind(&[s("注：本表数据截至2026年9月")]), Some(Furniture::Footer));
    }

    #[test]
    fn data_rows_are_data() {
        // A school; an evidence row whose 备注 starts with 注：; a school named 合计… does not exist
        // but a 合作 school does.
        assert_eq!(kind(&[s("3607990001"), s("示例县第一小学"), Data::Float(2200.0)]), None);
        assert_eq!(kind(&[s("关于成立领导小组的通知"), s("注：原件存档")]), None);
        assert_eq!(kind(&[s("合作小学"), Data::Float(300.0)]), None);
        // One unit word alone is not a units row (a school named 人 is absurd, but one cell
        // is too little to tell).
        assert_eq!(kind(&[s("人")]), None);
        // A number among footer text makes it data.
        assert_eq!(kind(&[s("填表人：张三"), Data::Float(3.0)]), None);
    }
}
