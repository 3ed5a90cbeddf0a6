//! `yingjian build`: runs the pipeline, shows typesetting progress on a terminal, prints
//! what was written.

use indicatif::{ProgressBar, ProgressStyle};
use std::path::Path;
use std::sync::OnceLock;

use crate::diag::AppError;
use crate::{BuildOptions, Built, Event};

pub fn run(workspace: &Path, opts: &BuildOptions) -> Result<i32, AppError> {
    super::workspace_exists(workspace)?;
    let built = build(workspace, opts)?;
    print!("{}", super::human(&built.assessment));
    print!("{}", super::collect::returns_line(workspace));
    if built.assessment.has_errors() {
        println!("存在错误，未生成任何文件；out/ 保持原样。");
        return Ok(1);
    }
    print!("{}", summary(&built));
    if opts.timings {
        print!("{}", timings(&built.timings));
    }
    Ok(0)
}

/// One build, with a progress bar on a terminal (nothing when output goes to a file or a
/// pipe) and a line while another build of the workspace runs.
pub fn build(workspace: &Path, opts: &BuildOptions) -> Result<Built, AppError> {
    let bar: OnceLock<ProgressBar> = OnceLock::new();
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let events = |e: Event| match e {
        Event::Waiting => eprintln!("另一个 yingjian 正在生成，等待…"),
        Event::Typeset { total, rel, .. } if terminal && total > 1 => {
            let b = bar.get_or_init(|| {
                let b = ProgressBar::new(total as u64);
                if let Ok(style) = ProgressStyle::with_template("排版 {bar:30} {pos}/{len} {msg}") {
                    b.set_style(style);
                }
                b
            });
            b.set_message(rel.to_owned());
            // Documents finish in parallel: count them rather than trust the order of `done`.
            b.inc(1);
        }
        Event::Typeset { .. } => {}
    };
    let built = crate::build_reporting(workspace, opts, &events);
    if let Some(b) = bar.get() {
        b.finish_and_clear();
    }
    built.map_err(|e| {
        let named = e.get_ref().is_some_and(|r| r.is::<crate::out::swap::WriteFailed>());
        let message = match named {
            true => e.to_string(),
            false => format!("写入 out/ 失败：{}", crate::out::swap::reason(&e)),
        };
        AppError::failed(message).with_hint(crate::out::swap::hint(&e))
    })
}

fn timings(t: &crate::Timings) -> String {
    let s = |d: std::time::Duration| format!("{:.2} s", d.as_secs_f64());
    let outside = t.total.saturating_sub(t.typeset_wall);
    let share = if t.total.as_secs_f64() > 0.0 {
        outside.as_secs_f64() / t.total.as_secs_f64() * 100.0
    } else {
        0.0
    };
    let mut text = format!(
        "用时：读取 {}，规则 {}，数据与模板 {}，排版 {}（布局 {}，PDF 导出 {}，合订 {}），写出 {}，合计 {}\nTypst 排版以外占 {share:.0}%\n",
        s(t.load),
        s(t.rules),
        s(t.data),
        s(t.typeset_wall),
        s(t.layout),
        s(t.export),
        s(t.assemble),
        s(t.write),
        s(t.total)
    );
    if t.pages > 0 && !t.typeset_wall.is_zero() {
        text += &format!(
            "排版 {} 页，每秒 {:.0} 页；合订本另由已排版的页组成 {} 页\n",
            t.pages,
            t.pages as f64 / t.typeset_wall.as_secs_f64(),
            t.assembled
        );
    }
    if let Some(kib) = peak_memory_kib() {
        text += &format!("峰值内存 {} MiB\n", kib / 1024);
    }
    text
}

/// The process's peak resident memory, where the system tells it (Linux: VmHWM).
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// What a build did, in a few lines (the change report has the details).
fn summary(built: &crate::Built) -> String {
    let written = built.outputs.iter().filter(|(_, c)| *c).count();
    let mut s = String::new();
    if built.unchanged {
        s += "输入、模板和选项自上次生成以来均未改变，out/ 已是最新\n";
    }
    s += &format!(
        "排版 {} 份文档；写入 {written} 个文件，{} 个未变化\n",
        built.typeset,
        built.outputs.len() - written
    );
    let ev = &built.assessment.evidence;
    s += &format!(
        "佐证材料 {} 件（文件缺失 {}，无电子文件 {}），装 {} 盒\n",
        ev.listed,
        ev.missing_files,
        ev.paper_only,
        ev.boxes.len()
    );
    for c in &built.changes {
        s += &format!("变化：{c}\n");
    }
    if built.reprint.is_empty() {
        s += "档案盒目录和盒脊无需重新打印\n";
    } else {
        s += "需重新打印：\n";
        for (label, what) in &built.reprint {
            s += &format!("  {label}：{what}\n");
        }
    }
    if written > 0 {
        s += "详见 out/变更说明.md；总览页 out/index.html\n";
    }
    s
}
