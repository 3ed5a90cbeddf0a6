//! `yingjian collect` and `yingjian merge`: thin wrappers over `crate::collect`.

use std::path::{Path, PathBuf};

use crate::collect::{self, apply, merge};
use crate::diag::{AppError, render_human};

/// The current round's returns, for `check` and `build`; nothing before the first `collect`.
pub(super) fn returns_line(workspace: &Path) -> String {
    crate::out::returns::read(workspace)
        .and_then(|r| r.status())
        .map(|s| format!("{}\n", s.line()))
        .unwrap_or_default()
}

pub fn run(workspace: &Path) -> Result<i32, AppError> {
    super::workspace_exists(workspace)?;
    let c = collect::collect(workspace).map_err(|e| AppError::failed(format!("无法写出填报表：{e}")))?;
    let diags = c.diagnostics.into_sorted();
    if !diags.is_empty() {
        eprint!("{}", render_human(&diags));
    }
    if diags.iter().any(|d| d.severity == crate::diag::Severity::Error) {
        eprintln!("content/schools.xlsx 有错误，没有生成填报表：请先改正上面的错误");
        return Ok(1);
    }
    println!(
        "已生成 {} 份学校填报表（out/{}/学校/）和 {} 份单位核实表（out/{}/单位/）",
        c.schools.len(),
        collect::DIR,
        c.units.len(),
        collect::DIR
    );
    println!(
        "这是第 {} 轮填报，已记入 {}；check、build 和总览页将显示本轮回收进度",
        c.round,
        crate::paths::RETURNS
    );
    println!("学校只需填写黄色单元格；收回后运行 yingjian merge <文件或目录> 查看将要修改的数据");
    Ok(0)
}

pub fn merge(workspace: &Path, paths: &[PathBuf], apply: bool, take: &[String]) -> Result<i32, AppError> {
    super::workspace_exists(workspace)?;
    let files = merge::files(paths);
    if let Some(missing) = files.iter().find(|f| !f.exists()) {
        return Err(AppError::usage(format!("找不到回收表 {}", missing.display()))
            .with_hint("给出回收的填报表文件，或存放它们的目录"));
    }
    if files.is_empty() {
        return Err(AppError::usage("没有找到回收表（.xlsx、.xls 或 .ods）")
            .with_hint("给出回收的填报表文件，或存放它们的目录"));
    }
    let mut diags = crate::diag::Diagnostics::default();
    let (current, _) = collect::current_schools(workspace, &mut diags);
    if diags.has_errors() {
        eprint!("{}", render_human(&diags.into_sorted()));
        eprintln!("content/schools.xlsx 有错误，无法与回收表比较：请先改正上面的错误");
        return Ok(1);
    }
    let codes = merge::take_codes(&current, take).map_err(|(m, hint)| AppError::usage(m).with_hint(hint))?;
    let mut m = merge::merge(workspace, &current, &files);
    m.take(&codes);
    print!("{}", merge::report(&m));
    for code in codes.iter().filter(|c| !m.returns.iter().any(|r| &r.code == *c)) {
        println!("注意：--take-return 指定的学校 {code} 没有回收表在本次给出的文件中。");
    }
    let has_errors = m.diagnostics.has_errors();
    let diags = m.diagnostics.into_sorted();
    if !diags.is_empty() {
        eprint!("{}", render_human(&diags));
    }
    if !apply {
        let to = [
            (!m.returns.is_empty() || m.units.is_empty()).then_some("content/schools.xlsx"),
            (!m.units.is_empty()).then_some("content/county.yaml"),
            m.evidence
                .iter()
                .any(|e| e.rows.iter().any(|r| r.accepted()))
                .then_some("content/evidence.xlsx（接收的佐证材料文件复制到 evidence/）"),
        ];
        let to: Vec<&str> = to.into_iter().flatten().collect();
        println!(
            "试运行，没有改动任何文件；确认无误后加 --apply 写入 {}。",
            to.join(" 和 ")
        );
        return Ok(if has_errors { 1 } else { 0 });
    }
    if has_errors {
        eprintln!("有错误或被拒绝的回收表，没有写入任何修改：请先处理上面的问题（或只给出没有问题的回收表）");
        return Ok(1);
    }
    let edits = apply::edits(workspace, &current, &m.returns).map_err(AppError::failed)?;
    let county = collect::unit_merge::county_edit(workspace, &m.units)
        .map_err(|e| AppError::failed(format!("没有写入任何修改：{e}")))?;
    let mut record = crate::out::returns::load(workspace).map_err(AppError::failed)?;
    collect::record::add(&mut record, &m.returns, &edits, &m.date);
    collect::record::add_units(&mut record, &m.units, &m.date);
    let evidence = collect::evidence_apply::prepare(workspace, &m.evidence, &m.date)
        .map_err(|e| AppError::failed(format!("没有写入任何修改：{e}")))?;
    let plan = evidence.as_ref().map(|(p, _)| p);
    if let Some(p) = plan {
        collect::evidence_apply::record(&mut record, &m.evidence, p, &m.date);
    }
    let empty = collect::evidence_apply::Plan::default();
    let written = collect::commit::commit_all(workspace, &edits, county.as_ref(), plan.unwrap_or(&empty), &record)
        .map_err(AppError::failed)?;
    if let Some(b) = &written.schools {
        println!(
            "已把 {} 处修改写入 {}（只改动这些单元格），原文件备份在 {b}。",
            edits.len(),
            crate::paths::SCHOOLS
        );
    }
    if let Some(b) = &written.county {
        let n: usize = m.units.iter().map(|u| u.changes.len()).sum();
        println!(
            "已把 {n} 处修改写入 {}（只改动这些数值，注释、顺序和格式不变），原文件备份在 {b}。",
            crate::paths::CONFIG
        );
    }
    if let Some((p, items)) = &evidence {
        println!(
            "{}",
            collect::evidence_apply::finish(workspace, &m.evidence, p, &written, &record, items, &m.date)
        );
    }
    if written.schools.is_none() && written.county.is_none() && written.evidence.is_none() {
        println!("没有要写入的修改，content/ 未改动。");
    }
    println!(
        "已在 {} 中记下这些回收表（下次 build 的变更说明注明每处修改的来源）。",
        crate::paths::RETURNS
    );
    if m.returns.iter().any(|r| !r.conflicts.is_empty()) {
        println!(
            "冲突的单元格保留了 content/ 的值，请人工核实（确认回收表正确时，可用 --take-return <学校代码或名称> 采用回收表的值）。"
        );
    }
    Ok(0)
}
