//! `yingjian snapshot NAME` / `--list` and `yingjian changes --since NAME`.

use std::path::Path;

use crate::BuildOptions;
use crate::diag::{AppError, render_human};
use crate::out::{changes, manifest::Manifest, snapshots};

/// Builds first, so that what is recorded (or compared) is the current state; a build with
/// errors is refused, with its diagnostics.
fn current(workspace: &Path, refused: &str) -> Result<(), AppError> {
    super::workspace_exists(workspace)?;
    // Keep the bound books if the last build made them: a build without would delete them.
    let opts = BuildOptions {
        box_books: Manifest::read(workspace)
            .outputs
            .keys()
            .any(|k| k.starts_with("档案盒/装订本/")),
        ..BuildOptions::default()
    };
    let built = super::build::build(workspace, &opts)?;
    if built.assessment.has_errors() {
        let errors = super::errors(&built.assessment);
        eprint!("{}", render_human(&errors));
        return Err(
            AppError::failed(format!("数据有错误，生成未成功，{refused}")).with_hint("先改正以上错误，再运行一次")
        );
    }
    Ok(())
}

pub fn run(workspace: &Path, name: Option<&str>, list: bool) -> Result<i32, AppError> {
    if list {
        super::workspace_exists(workspace)?;
        let all = snapshots::list(workspace);
        if all.is_empty() {
            println!("还没有快照；用 yingjian snapshot 名称 记录一次");
        }
        for s in all {
            println!(
                "{}  {}  总体结论：{}",
                s.name,
                s.today,
                match s.assessment["overall"]["verdict"].as_str() {
                    Some("met") => "达标",
                    Some("not_met") => "未达标",
                    _ => "待核实",
                }
            );
        }
        return Ok(0);
    }
    let name = name.ok_or_else(|| {
        AppError::usage("请给出快照名称")
            .with_hint("例如 yingjian snapshot 省检报送；查看已有快照用 yingjian snapshot --list")
    })?;
    snapshots::check_name(name)?;
    current(workspace, "未记录快照")?;
    snapshots::take(workspace, name)?;
    // Once more, so that the overview shows this snapshot (nothing else is typeset).
    current(workspace, "快照已记录，但总览页未更新")?;
    println!("已记录快照“{name}”；以后用 yingjian changes --since {name} 查看自此以来的变化");
    Ok(0)
}

pub fn changes(workspace: &Path, since: &str) -> Result<i32, AppError> {
    let snap = snapshots::read(workspace, since).ok_or_else(|| {
        AppError::usage(format!("没有名为“{since}”的快照")).with_hint("用 yingjian snapshot --list 查看已有快照")
    })?;
    current(workspace, "无法与快照比较")?;
    let (moved, written, boxes) = snapshots::since_current(workspace, &snap);
    let report = changes::report(&moved, &written, &boxes, false);
    print!(
        "{}",
        report.replacen("# 变更说明", &format!("# 自快照“{since}”以来的变更"), 1)
    );
    Ok(0)
}
