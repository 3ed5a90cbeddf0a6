//! Command-line interface: argument parsing and exit codes only.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

use crate::model::Date;
use crate::render;

/// 县域义务教育优质均衡发展迎检材料生成工具
#[derive(Parser)]
#[command(name = "yingjian", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 检查工作区数据并运行指标规则
    Check {
        /// 工作区目录（默认当前目录）
        #[arg(short, long, default_value = ".")]
        workspace: PathBuf,
        /// 输出格式
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// 新建空白工作区（目录、带表头的空白表格、带注释的配置）
    New {
        /// 新工作区目录
        dir: PathBuf,
        /// 指标体系：national-2017 或 jiangxi-2018
        #[arg(long, default_value = "national-2017")]
        profile: String,
        /// 写入配置的“今天”（默认取系统日期），如 2026-11-22
        #[arg(long)]
        today: Option<String>,
    },
    /// 生成全部迎检材料
    Build {
        /// 工作区目录（默认当前目录）
        #[arg(short, long, default_value = ".")]
        workspace: PathBuf,
        /// 另外为每个档案盒生成装订本（目录 + 盒内材料全部页面，逐件加盖编号）
        #[arg(long)]
        box_books: bool,
        /// 持续监视 content/、evidence/、templates/，有改动就重新生成
        #[arg(long)]
        watch: bool,
        /// 打印各阶段用时（读取、规则、数据、排版、导出、写出）
        #[arg(long)]
        timings: bool,
    },
    /// 查看档案盒编排；--renumber 按清单顺序重新连续编号后重新生成
    Boxes {
        /// 工作区目录（默认当前目录）
        #[arg(short, long, default_value = ".")]
        workspace: PathBuf,
        /// 放弃已锁定的编号，按清单顺序重新编号（会改变已打印的目录和盒脊）
        #[arg(long)]
        renumber: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

/// Exit codes: 0 inputs valid, 1 input errors, 2 usage errors.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match cli.command {
        Command::Check { workspace, format } => check(workspace, format),
        Command::Build {
            workspace,
            box_books,
            watch,
            timings,
        } => {
            let opts = crate::BuildOptions { box_books, timings };
            if watch {
                crate::watch::run(&workspace, &opts)
            } else {
                build(workspace, &opts)
            }
        }
        Command::Boxes { workspace, renumber } => boxes(workspace, renumber),
        Command::New { dir, profile, today } => new(dir, profile, today),
    }
}

fn new(dir: PathBuf, profile: String, today: Option<String>) -> i32 {
    let today = match today {
        Some(t) => match Date::parse(&t) {
            Some(d) => d,
            None => {
                eprintln!("错误: 日期“{t}”无法识别，请写成 2026-11-22");
                return 2;
            }
        },
        None => system_today(),
    };
    match crate::workspace::create(&dir, &profile, today.year, &today.to_string()) {
        Ok(()) => {
            println!("已创建工作区 {}", dir.display());
            println!(
                "下一步：填写 content/schools.xlsx，然后运行 yingjian check -w {}",
                dir.display()
            );
            0
        }
        Err(e) => {
            eprintln!("错误: {e}");
            2
        }
    }
}

/// The only use of the clock: the date written into a new workspace's config.
fn system_today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Date::from_days((secs / 86_400) as i64)
}

fn workspace_exists(workspace: &std::path::Path) -> bool {
    if !workspace.is_dir() {
        eprintln!("错误: 工作区目录 {} 不存在", workspace.display());
        eprintln!("提示: 用 -w 指定工作区目录，或先运行 yingjian new <目录> 新建");
        return false;
    }
    true
}

fn build(workspace: PathBuf, opts: &crate::BuildOptions) -> i32 {
    if !workspace_exists(&workspace) {
        return 2;
    }
    let built = match crate::build_with(&workspace, opts) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("错误: 写入 out/ 失败：{e}");
            return 1;
        }
    };
    print!("{}", render::check::human(&built.assessment));
    if built.assessment.has_errors() {
        println!("存在错误，未生成任何文件；out/ 保持原样。");
        return 1;
    }
    print!("{}", summary(&built));
    if opts.timings {
        print!("{}", timings(&built.timings));
    }
    0
}

fn timings(t: &crate::render::Timings) -> String {
    let s = |d: std::time::Duration| format!("{:.2} s", d.as_secs_f64());
    let outside = t.total.saturating_sub(t.typeset_wall);
    let share = if t.total.as_secs_f64() > 0.0 {
        outside.as_secs_f64() / t.total.as_secs_f64() * 100.0
    } else {
        0.0
    };
    let mut text = format!(
        "用时：读取 {}，规则 {}，数据与模板 {}，排版 {}（布局 {}，PDF 导出 {}），写出 {}，合计 {}\nTypst 排版以外占 {share:.0}%\n",
        s(t.load),
        s(t.rules),
        s(t.data),
        s(t.typeset_wall),
        s(t.layout),
        s(t.export),
        s(t.write),
        s(t.total)
    );
    if t.pages > 0 && !t.typeset_wall.is_zero() {
        text += &format!(
            "排版 {} 页，每秒 {:.0} 页\n",
            t.pages,
            t.pages as f64 / t.typeset_wall.as_secs_f64()
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
    let mut s = format!(
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

fn boxes(workspace: PathBuf, renumber: bool) -> i32 {
    if !workspace_exists(&workspace) {
        return 2;
    }
    if renumber {
        if let Err(e) = crate::renumber(&workspace) {
            eprintln!("错误: 无法更新编号锁定文件：{e}");
            return 1;
        }
        println!("已按清单顺序重新编号。");
        return build(workspace, &crate::BuildOptions::default());
    }
    let a = crate::check(&workspace);
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
    if a.has_errors() { 1 } else { 0 }
}

fn check(workspace: PathBuf, format: Format) -> i32 {
    if !workspace_exists(&workspace) {
        return 2;
    }
    let assessment = crate::check(&workspace);
    match format {
        Format::Human => print!("{}", render::check::human(&assessment)),
        Format::Json => match serde_json::to_string_pretty(&assessment) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("错误: 无法序列化结果：{e}");
                return 1;
            }
        },
    }
    if assessment.has_errors() { 1 } else { 0 }
}
