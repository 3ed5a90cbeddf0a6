//! `content/evidence.lock`: the numbering and prints of earlier builds.

use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::Lock;
use crate::paths::{self, LOCK};

/// The lock with the numbering of `profile` on top (see `Lock::for_profile`); a lock naming
/// no system was made for `catalogue`, the system the catalogue is written in.
pub fn load(root: &Path, profile: &str, catalogue: &str, diags: &mut Diagnostics) -> Lock {
    read(root, diags).for_profile(profile, catalogue)
}

fn read(root: &Path, diags: &mut Diagnostics) -> Lock {
    if paths::outside(root, LOCK) {
        diags.push(super::text::outside_error(LOCK));
        return Default::default();
    }
    if let Some(what) = paths::not_regular(&root.join(LOCK)) {
        diags.push(super::text::not_regular_error(LOCK, what));
        return Default::default();
    }
    let Ok(text) = std::fs::read_to_string(root.join(LOCK)) else {
        return Default::default();
    };
    serde_json::from_str(&text).unwrap_or_else(|e| {
        diags.push(
            Diagnostic::warning(
                "lock-unreadable",
                Location::file(LOCK),
                format!("编号锁定文件无法读取（{e}），将重新编号"),
            )
            .with_hint("该文件由 yingjian 维护，请勿手工修改；删除后下次生成会按清单顺序重新编号"),
        );
        Default::default()
    })
}
