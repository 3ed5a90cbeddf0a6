//! `yingjian boxes`: the box plan, and renumbering.

use std::path::Path;

use crate::diag::AppError;

pub fn run(workspace: &Path, renumber: bool) -> Result<i32, AppError> {
    super::workspace_exists(workspace)?;
    if renumber {
        println!("已按清单顺序重新编号。");
        let opts = crate::BuildOptions {
            renumber: true,
            ..Default::default()
        };
        return super::build::run(workspace, &opts);
    }
    let a = crate::check(workspace);
    for b in &a.evidence.boxes {
        let first = b
            .items
            .first()
            .map(|&i| a.evidence.items[i].number.as_str())
            .unwrap_or("");
        let last = b
            .items
            .last()
            .map(|&i| a.evidence.items[i].number.as_str())
            .unwrap_or("");
        println!(
            "{}{}  {} 件 {} 张  盒脊 {} 毫米  {first}—{last}  {}",
            b.id,
            b.part.as_deref().unwrap_or(""),
            b.items.len(),
            b.sheets,
            b.spine_mm,
            b.title
        );
    }
    Ok(if a.has_errors() { 1 } else { 0 })
}
