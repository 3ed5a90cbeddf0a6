//! Command-line interface: arguments, exit codes and what is printed; one file per
//! subcommand. The work is done by the library (`crate::build`).

mod boxes;
mod build;
mod check;
mod collect;
mod human;
mod new;
mod snapshot;
mod watch;

pub use human::human;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

use crate::diag::AppError;

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
    /// 为每所学校、每个牵头单位生成填报表（out/填报表/）
    Collect {
        /// 工作区目录（默认当前目录）
        #[arg(short, long, default_value = ".")]
        workspace: PathBuf,
    },
    /// 读取回收的学校填报表，列出将要修改的数据和冲突；--apply 写入 content/schools.xlsx
    Merge {
        /// 回收的填报表文件或目录（文件名可以随意）
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 工作区目录（默认当前目录）
        #[arg(short, long, default_value = ".")]
        workspace: PathBuf,
        /// 把修改写入 content/schools.xlsx（只改动变化的单元格，原文件备份到 content/.备份/）
        #[arg(long)]
        apply: bool,
        /// 这所学校（学校代码或名称）的冲突采用回收表的值；可重复
        #[arg(long = "take-return", value_name = "学校代码或名称")]
        take_return: Vec<String>,
    },
    /// 记录一次快照（如报送省检时），以后可查看自那时以来的全部变化
    Snapshot {
        /// 快照名称，如 省检报送
        name: Option<String>,
        /// 工作区目录（默认当前目录）
        #[arg(short, long, default_value = ".")]
        workspace: PathBuf,
        /// 列出已有快照
        #[arg(long)]
        list: bool,
    },
    /// 列出自某次快照以来变化的数据、判定、文件和要重印的页
    Changes {
        /// 快照名称
        #[arg(long)]
        since: String,
        /// 工作区目录（默认当前目录）
        #[arg(short, long, default_value = ".")]
        workspace: PathBuf,
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
pub(crate) enum Format {
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
    let run = match cli.command {
        Command::Check { workspace, format } => check::run(&workspace, format),
        Command::Build {
            workspace,
            box_books,
            watch,
            timings,
        } => {
            let opts = crate::BuildOptions {
                box_books,
                timings,
                renumber: false,
            };
            if watch {
                watch::run(&workspace, &opts)
            } else {
                build::run(&workspace, &opts)
            }
        }
        Command::Boxes { workspace, renumber } => boxes::run(&workspace, renumber),
        Command::Snapshot { name, workspace, list } => snapshot::run(&workspace, name.as_deref(), list),
        Command::Changes { since, workspace } => snapshot::changes(&workspace, &since),
        Command::Collect { workspace } => collect::run(&workspace),
        Command::Merge {
            files,
            workspace,
            apply,
            take_return,
        } => collect::merge(&workspace, &files, apply, &take_return),
        Command::New { dir, profile, today } => new::run(&dir, &profile, today.as_deref()),
    };
    match run {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e}");
            e.exit
        }
    }
}

/// The errors among an assessment's diagnostics.
fn errors(a: &crate::Assessment) -> Vec<crate::diag::Diagnostic> {
    a.diagnostics
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .cloned()
        .collect()
}

/// The workspace folder must exist (a usage error otherwise).
fn workspace_exists(workspace: &Path) -> Result<(), AppError> {
    if workspace.is_dir() {
        return Ok(());
    }
    if workspace.exists() {
        return Err(
            AppError::usage(format!("{} 是一个文件，不是工作区目录", workspace.display()))
                .with_hint("-w 应指向工作区文件夹（其中有 content/ 和 evidence/），不是其中的某个文件"),
        );
    }
    Err(AppError::usage(format!("工作区目录 {} 不存在", workspace.display()))
        .with_hint("用 -w 指定工作区目录，或先运行 yingjian new <目录> 新建"))
}
