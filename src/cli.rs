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
    /// 生成全部迎检材料（当前版本：运行检查）
    Build {
        /// 工作区目录（默认当前目录）
        #[arg(short, long, default_value = ".")]
        workspace: PathBuf,
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
        Command::Build { workspace } => build(workspace),
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

fn build(workspace: PathBuf) -> i32 {
    if !workspace_exists(&workspace) {
        return 2;
    }
    let built = match crate::build(&workspace) {
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
    for (rel, changed) in &built.outputs {
        println!("{} out/{rel}", if *changed { "已写入" } else { "未变化" });
    }
    0
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
