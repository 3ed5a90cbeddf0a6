//! `content/.填报记录.json` (yingjian's record of the fill-in rounds): `check` and `build` tell
//! when it exists but cannot be read, rather than silently showing no return counts.

use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::paths::{self, RETURNS};

pub fn check(root: &Path, diags: &mut Diagnostics) {
    if paths::outside(root, RETURNS) {
        diags.push(super::text::outside_error(RETURNS));
        return;
    }
    if let Some(what) = paths::not_regular(&root.join(RETURNS)) {
        diags.push(super::text::not_regular_error(RETURNS, what));
        return;
    }
    if root.join(RETURNS).exists() && crate::out::returns::read(root).is_none() {
        diags.push(
            Diagnostic::warning(
                "returns-record-unreadable",
                Location::file(RETURNS),
                "填报记录无法读取（文件已损坏或被手工改动）：不显示回收进度，变更说明也不注明回收表来源",
            )
            .with_hint(
                "该文件由 yingjian 维护，请从备份中恢复；确实不要以前的记录时删除它，再运行 yingjian collect 开始新的一轮（在此之前 merge --apply 和 collect 不会写入）",
            ),
        );
    }
}
