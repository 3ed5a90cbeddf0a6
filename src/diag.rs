//! The one diagnostic type for every input problem, and beside it the one error type of the
//! application (a command that cannot go on).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

/// Where a problem is: a whole file, a line in a text file, or a spreadsheet cell.
/// Paths are relative to the workspace root.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Location {
    #[default]
    Workspace,
    File {
        file: String,
    },
    Line {
        file: String,
        line: usize,
        column: usize,
    },
    Cell {
        file: String,
        sheet: String,
        cell: String,
    },
}

impl Location {
    pub fn file(file: impl Into<String>) -> Self {
        Location::File { file: file.into() }
    }

    pub fn line(file: impl Into<String>, line: usize, column: usize) -> Self {
        Location::Line {
            file: file.into(),
            line,
            column,
        }
    }

    /// A cell from zero-based row and column indexes.
    pub fn cell(file: impl Into<String>, sheet: impl Into<String>, row: u32, col: u32) -> Self {
        Location::Cell {
            file: file.into(),
            sheet: sheet.into(),
            cell: cell_name(row, col),
        }
    }

    pub fn file_name(&self) -> Option<&str> {
        match self {
            Location::Workspace => None,
            Location::File { file } | Location::Line { file, .. } | Location::Cell { file, .. } => Some(file),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Workspace => write!(f, "工作区"),
            Location::File { file } => write!(f, "{file}"),
            Location::Line { file, line, column } => write!(f, "{file}:{line}:{column}"),
            Location::Cell { file, sheet, cell } => write!(f, "{file} {sheet}!{cell}"),
        }
    }
}

/// Excel A1 name of a zero-based (row, col).
pub fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row + 1)
}

/// A cell name's row and column, both from 1 ("H2" → (2, 8)), the inverse of [`cell_name`];
/// a range ("O4:O5") gives its first cell, a name without them 0.
pub fn cell_position(cell: &str) -> (usize, usize) {
    let letters: String = cell.chars().take_while(|c| c.is_ascii_uppercase()).collect();
    let digits: String = cell[letters.len()..].chars().take_while(char::is_ascii_digit).collect();
    let col = letters
        .bytes()
        .fold(0usize, |acc, b| acc * 26 + (b - b'A' + 1) as usize);
    (digits.parse().unwrap_or(0), col)
}

pub fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    pub location: Location,
    /// Human-readable form of `location`, e.g. `content/county.yaml:12:5`.
    pub at: String,
}

impl Diagnostic {
    pub fn error(code: &'static str, location: Location, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, location, message)
    }

    pub fn warning(code: &'static str, location: Location, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, location, message)
    }

    fn new(severity: Severity, code: &'static str, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            hint: None,
            at: location.to_string(),
            location,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Collects every problem of a run; rendered once at the end.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.list.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.list.extend(other.list);
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.list.iter().filter(|d| d.severity == severity).count()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn as_slice(&self) -> &[Diagnostic] {
        &self.list
    }

    /// Stable order: figures that look mistyped first (they would print wrong numbers), then
    /// by file, then severity, then position within the file.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.list.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                (
                    !LEADING.contains(&d.code),
                    d.location.file_name().map(str::to_owned),
                    d.severity,
                    position_key(&d.location),
                )
            };
            key(a).cmp(&key(b))
        });
        self.list
    }
}

/// Codes shown before all others: a figure that looks mistyped (issue 29, point 2).
const LEADING: [&str; 2] = ["implausible-value", "far-above-median"];

fn position_key(loc: &Location) -> (usize, usize) {
    match loc {
        Location::Line { line, column, .. } => (*line, *column),
        Location::Cell { cell, .. } => cell_position(cell),
        _ => (0, 0),
    }
}

/// Human format: grouped by file, one block per problem.
pub fn render_human(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    let mut current: Option<Option<&str>> = None;
    for d in diags {
        let file = d.location.file_name();
        if current != Some(file) {
            if current.is_some() {
                out.push('\n');
            }
            out.push_str(&format!("== {} ==\n", file.unwrap_or("工作区")));
            current = Some(file);
        }
        out.push_str(&format!("{}[{}]: {}\n", d.severity.label(), d.code, d.message));
        out.push_str(&format!("  --> {}\n", d.at));
        if let Some(h) = &d.hint {
            out.push_str(&format!("  提示: {h}\n"));
        }
    }
    out
}

/// The error for a workspace file that leads outside the workspace; it is not read.
pub fn outside_error(rel: &str) -> Diagnostic {
    Diagnostic::error(
        "path-outside",
        Location::file(rel),
        "该文件是指向工作区以外的符号链接（或位于这样的链接目录下），已拒绝读取",
    )
    .with_hint("把文件本身复制到工作区内，不要用链接")
}

/// An application error: not a problem in the inputs (those are `Diagnostic`s) but a command
/// that cannot go on — a directory that does not exist, a file that cannot be written.
/// A short Chinese message, an optional hint, and the exit code it ends the command with.
#[derive(Debug, Clone, PartialEq)]
pub struct AppError {
    pub message: String,
    pub hint: Option<String>,
    /// 1: the work failed; 2: the command was used wrongly.
    pub exit: i32,
}

impl AppError {
    /// The work failed (exit code 1).
    pub fn failed(message: impl Into<String>) -> AppError {
        AppError {
            message: message.into(),
            hint: None,
            exit: 1,
        }
    }

    /// The command was used wrongly (exit code 2).
    pub fn usage(message: impl Into<String>) -> AppError {
        AppError {
            exit: 2,
            ..AppError::failed(message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> AppError {
        self.hint = Some(hint.into());
        self
    }
}

/// "错误: message", and "提示: hint" on the next line.
impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "错误: {}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n提示: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for AppError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names_follow_excel() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(13, 6), "G14");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
    }

    #[test]
    fn location_display() {
        assert_eq!(
            Location::line("content/county.yaml", 12, 5).to_string(),
            "content/county.yaml:12:5"
        );
        assert_eq!(
            Location::cell("content/schools.xlsx", "学校基础数据", 13, 6).to_string(),
            "content/schools.xlsx 学校基础数据!G14"
        );
    }
}
