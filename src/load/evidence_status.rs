//! The catalogue's review columns 状态 and 审核意见 (issue 33 point 4): the materials team
//! marks a unit's item 已审核, or 退回 with a reason.

use calamine::Data;

use super::sheet::Table;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::evidence::Status;
use crate::model::evidence::columns::{REVIEW, STATUS, STATUS_WORDS};

/// Words people write for a state, with the state they mean: offered in the hint, never
/// taken silently.
const MEANT: [(&str, &str); 14] = [
    ("通过", "已审核"),
    ("审核通过", "已审核"),
    ("已通过", "已审核"),
    ("合格", "已审核"),
    ("已审", "已审核"),
    ("驳回", "退回"),
    ("不通过", "退回"),
    ("不合格", "退回"),
    ("未提交", "待提交"),
    ("未交", "待提交"),
    ("待交", "待提交"),
    ("提交", "已提交"),
    ("已交", "已提交"),
    ("待审核", "已提交"),
];

/// 状态 and 审核意见 of one row. Blank 状态: the materials team's own item.
pub fn read(
    t: &Table,
    row: u32,
    cells: &[Data],
    title: &str,
    diags: &mut Diagnostics,
) -> (Option<Status>, Option<String>) {
    let review = t.text(cells, REVIEW);
    let Some(word) = t.code(cells, STATUS) else {
        return (None, review);
    };
    let Some(status) = Status::from_label(&word) else {
        diags.push(unknown(t, row, &word));
        return (None, review);
    };
    if status == Status::Returned && review.is_none() {
        // Without the column the finding goes to the 状态 cell, and says to add it.
        let (at, add) = match t.column(REVIEW) {
            Some(_) => (t.loc(row, REVIEW), ""),
            None => (t.loc(row, STATUS), "（清单中没有“审核意见”列，请在“状态”列右侧加上）"),
        };
        diags.push(
            Diagnostic::warning(
                "returned-without-reason",
                at,
                format!("退回的材料“{title}”没有写审核意见{add}"),
            )
            .with_hint("退回的材料应写明审核意见，单位才知道怎么改，如“缺少盖章页”“页数与文件不符”"),
        );
    }
    (Some(status), review)
}

fn unknown(t: &Table, row: u32, word: &str) -> Diagnostic {
    let meant = MEANT
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, s)| *s)
        .or_else(|| crate::suggest::did_you_mean(word, STATUS_WORDS));
    let guess = meant
        .map(|m| format!("；若“{word}”是指“{m}”，请改为“{m}”"))
        .unwrap_or_default();
    Diagnostic::error(
        "bad-evidence-status",
        t.loc(row, STATUS),
        format!("状态“{word}”无法识别"),
    )
    .with_hint(format!(
        "状态只能填 {}（留空表示材料组自行登记的材料，按已审核计）{guess}",
        STATUS_WORDS.join("、")
    ))
}
