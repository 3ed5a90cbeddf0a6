//! The files under `evidence/`: walked without following links out of the folder, hashed to
//! find duplicates, and PDF pages counted in Rust. What was learnt of each file is kept in
//! `out/.yingjian/files.json` with its size and modification time, so an unchanged file is
//! not read again (thousands of scanned PDFs are gigabytes).

use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::hash::fnv1a;
use crate::model::Stamp;
use crate::model::evidence::{Cached, EvidenceFile, FileKind};
use crate::paths;

/// The cache as the last build left it (empty when absent, unreadable, or out/ is a link
/// leading outside the workspace).
fn read_cache(root: &Path) -> BTreeMap<String, Cached> {
    if paths::outside(root, paths::OUT) {
        return BTreeMap::new();
    }
    std::fs::read_to_string(root.join(paths::OUT).join(paths::SCAN_CACHE))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// Files larger than this are listed but not read (no hash, no page count).
const MAX_READ: u64 = 512 * 1024 * 1024;

/// Page count of a PDF, or why it cannot be counted.
pub fn pdf_pages(bytes: Vec<u8>) -> Result<u32, &'static str> {
    if let Some(why) = super::pdf_guard::refuse(&bytes) {
        return Err(why);
    }
    super::pdf_guard::on_big_stack(bytes, count_pages).unwrap_or(Err("PDF 文件已损坏或不是 PDF，无法读取页数"))
}

fn count_pages(bytes: Vec<u8>) -> Result<u32, &'static str> {
    match hayro_syntax::Pdf::new(bytes) {
        // No page found: an empty or looping page tree, which a box book cannot print.
        Ok(pdf) if pdf.pages().is_empty() => Err("PDF 中找不到任何页面（页面目录为空或已损坏），无法读取页数"),
        Ok(pdf) => Ok(pdf.pages().len() as u32),
        Err(hayro_syntax::LoadPdfError::Decryption(_)) => Err("PDF 已加密，无法读取页数"),
        Err(_) => Err("PDF 文件已损坏或不是 PDF，无法读取页数"),
    }
}

/// Every visible file under `root/evidence`, sorted by path.
pub fn scan(root: &Path, diags: &mut Diagnostics) -> Vec<EvidenceFile> {
    let base = root.join(paths::EVIDENCE_DIR);
    let Ok(real_base) = base.canonicalize() else {
        return vec![];
    };
    let mut found = vec![];
    let walker = WalkDir::new(&base).follow_links(false).sort_by_file_name().into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !is_system_file(&e.file_name().to_string_lossy())) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                unreadable_folder(&base, &e, diags);
                continue;
            }
        };
        let path = entry.path();
        let rel = match path.strip_prefix(&base) {
            Ok(r) => r.to_string_lossy().replace('\\', "/"),
            Err(_) => continue,
        };
        let loc = Location::file(format!("evidence/{rel}"));
        let target: PathBuf = if entry.path_is_symlink() {
            match path.canonicalize() {
                Ok(t) if t.starts_with(&real_base) => t,
                _ => {
                    diags.push(
                        Diagnostic::error(
                            "evidence-link-outside",
                            loc,
                            "符号链接指向 evidence/ 目录以外（或已失效），已拒绝读取",
                        )
                        .with_hint("把文件本身复制到 evidence/ 下，不要用链接"),
                    );
                    continue;
                }
            }
        } else {
            path.to_path_buf()
        };
        if !target.is_file() {
            continue;
        }
        found.push((rel, target));
    }
    // Reading, hashing and counting pages, in parallel: thousands of files at county scale.
    let cache = read_cache(root);
    let read: Vec<(EvidenceFile, Option<Diagnostic>)> = found
        .into_par_iter()
        .map(|(rel, target)| {
            let stamp = Stamp::of_input(&target);
            match cache.get(&rel).filter(|c| Some(c.stamp) == stamp) {
                Some(c) => from_cache(rel, c),
                None => read(rel, &target, stamp),
            }
        })
        .collect();
    read.into_iter()
        .map(|(file, misnamed)| {
            if let Some(d) = misnamed {
                diags.push(d);
            }
            file
        })
        .collect()
}

/// Hidden files, and what Windows and Office leave in folders (thumbnail caches, the `~$`
/// lock file of an open document): not evidence, never reported as unlisted.
fn is_system_file(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with("~$")
        || name.eq_ignore_ascii_case("Thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
}

/// What the first bytes say a file is, whatever its name.
fn sniff(bytes: &[u8]) -> Option<FileKind> {
    let image: [&[u8]; 6] = [b"\x89PNG", b"\xFF\xD8\xFF", b"GIF8", b"BM", b"II*\0", b"MM\0*"];
    if bytes.starts_with(b"%PDF-") {
        Some(FileKind::Pdf)
    } else if image.iter().any(|m| bytes.starts_with(m)) {
        Some(FileKind::Image)
    } else {
        None
    }
}

fn from_cache(rel: String, c: &Cached) -> (EvidenceFile, Option<Diagnostic>) {
    let misnamed = misnamed(&rel, FileKind::of_name(&rel), c.kind);
    let file = EvidenceFile {
        rel,
        size: c.stamp.size,
        hash: c.hash,
        pages: c.pages,
        kind: c.kind,
        problem: c.problem.clone(),
        stamp: Some(c.stamp),
    };
    (file, misnamed)
}

/// The warning for a file whose content (`kind`) is not what its name says (`named`).
fn misnamed(rel: &str, named: FileKind, kind: FileKind) -> Option<Diagnostic> {
    if named == kind {
        return None;
    }
    let what = |k: FileKind| match k {
        FileKind::Pdf => "PDF",
        FileKind::Image => "图片",
        FileKind::Other => "其他格式",
    };
    Some(
        Diagnostic::warning(
            "evidence-misnamed",
            Location::file(format!("evidence/{rel}")),
            format!(
                "文件扩展名表示{}，内容却是{}，已按{}读取",
                what(named),
                what(kind),
                what(kind)
            ),
        )
        .with_hint("请改正扩展名（如 .pdf、.jpg），并同步修改佐证材料清单中的“文件”列"),
    )
}

/// One file: its size, hash, page count, or what is wrong with it; and a warning when its
/// content is not what its name says (it is then read as what it is).
fn read(rel: String, target: &Path, stamp: Option<Stamp>) -> (EvidenceFile, Option<Diagnostic>) {
    let size = stamp.map(|s| s.size).unwrap_or(0);
    let named = FileKind::of_name(&rel);
    let bytes = (size > 0 && size <= MAX_READ).then(|| std::fs::read(target));
    // A file named as neither PDF nor image is taken at its word unless it is a PDF: two
    // bytes such as "BM" are too weak a sign in a text file.
    let sniffed = match &bytes {
        Some(Ok(b)) => sniff(b).filter(|k| named != FileKind::Other || *k == FileKind::Pdf),
        _ => None,
    };
    let kind = sniffed.unwrap_or(named);
    let misnamed = misnamed(&rel, named, kind);
    let mut file = EvidenceFile {
        rel,
        size,
        hash: None,
        pages: None,
        kind,
        problem: None,
        stamp,
    };
    if size == 0 {
        file.problem = Some("文件为空（0 字节）".into());
    } else if let Some(bytes) = bytes {
        match bytes {
            Ok(bytes) => {
                file.hash = Some(fnv1a(&bytes));
                match kind {
                    FileKind::Pdf => match pdf_pages(bytes) {
                        Ok(n) => file.pages = Some(n),
                        Err(why) => file.problem = Some(why.into()),
                    },
                    FileKind::Image => match image_problem(&bytes) {
                        None => file.pages = Some(1),
                        Some(why) => file.problem = Some(why),
                    },
                    FileKind::Other => {}
                }
            }
            Err(e) => file.problem = Some(format!("无法读取：{e}")),
        }
    }
    (file, misnamed)
}

/// Images larger than this many pixels are refused (a 30 000² scan decodes to gigabytes);
/// docs/fuzzing.md lists it.
pub const MAX_PIXELS: u64 = 100_000_000;

/// Why an image cannot be placed in a box book, decoding it as the typesetter will (the same
/// decoders and memory limit): `None` when it can.
pub(crate) fn image_problem(bytes: &[u8]) -> Option<String> {
    use image::{ImageFormat, ImageReader, Limits};
    let cursor = std::io::Cursor::new(bytes);
    let reader = ImageReader::new(cursor).with_guessed_format().ok()?;
    let placeable = [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::Gif, ImageFormat::WebP];
    if !reader.format().is_some_and(|f| placeable.contains(&f)) {
        return Some("图片格式无法排版（只支持 PNG、JPEG、GIF、WebP）".into());
    }
    let damaged = || "图片文件已损坏，无法解码".to_owned();
    let Ok((w, h)) = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
    else {
        return Some(damaged());
    };
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Some(format!("图片尺寸过大（{w}×{h} 像素，上限 1 亿像素）"));
    }
    let mut reader = reader;
    reader.limits(Limits::default());
    match reader.decode() {
        Ok(_) => None,
        Err(image::ImageError::Limits(_)) => Some(format!("图片过大（{w}×{h} 像素），无法解码")),
        Err(_) => Some(damaged()),
    }
}

/// A listed file that was not read, with why.
fn unread(rel: &str, problem: String) -> EvidenceFile {
    EvidenceFile {
        rel: rel.to_string(),
        size: 0,
        hash: None,
        pages: None,
        kind: FileKind::of_name(rel),
        problem: Some(problem),
        stamp: None,
    }
}

/// Files the catalogue lists that the walk passed over: a hidden file (a name starting with
/// “.”), read as listed; a folder, named pipe or device, kept with what it is as its problem,
/// so that it is told as such and not as missing; one behind a folder without read permission,
/// likewise. Nothing outside evidence/ is looked at.
pub fn listed_but_passed_over(root: &Path, listed: &[&str], files: &mut Vec<EvidenceFile>) {
    let base = root.join(paths::EVIDENCE_DIR);
    let Ok(real_base) = base.canonicalize() else {
        return;
    };
    let known: std::collections::HashSet<String> = files.iter().map(|f| f.rel.clone()).collect();
    let mut added = false;
    for rel in listed.iter().filter(|r| !known.contains(**r)) {
        let target = match base.join(rel).canonicalize() {
            Ok(t) => t,
            // Behind a folder the walk could not enter (`evidence-folder-unreadable`): not
            // missing, only unseen.
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                files.push(unread(rel, "所在文件夹没有读取权限，未能读取".to_owned()));
                added = true;
                continue;
            }
            Err(_) => continue,
        };
        if !target.starts_with(&real_base) || target == real_base {
            continue;
        }
        let file = match paths::not_regular(&target) {
            None => read(rel.to_string(), &target, Stamp::of_input(&target)).0,
            Some(what) => unread(rel, format!("这是{what}，不是文件，未读取")),
        };
        files.push(file);
        added = true;
    }
    if added {
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
    }
}

/// A folder under evidence/ the walk could not enter: said at the folder, so that the files
/// listed in it are not taken for missing without a word.
fn unreadable_folder(base: &Path, e: &walkdir::Error, diags: &mut Diagnostics) {
    let Some(path) = e.path() else { return };
    let rel = path
        .strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    let why = e.io_error().map_or("无法读取".to_owned(), |io| match io.kind() {
        std::io::ErrorKind::PermissionDenied => "没有读取权限".to_owned(),
        _ => crate::out::swap::reason(io),
    });
    let at = if rel.is_empty() {
        "evidence".to_owned()
    } else {
        format!("evidence/{rel}")
    };
    diags.push(
        Diagnostic::warning(
            "evidence-folder-unreadable",
            Location::file(at),
            format!("无法读取此文件夹（{why}），其中的文件均未检查"),
        )
        .with_hint("请检查该文件夹的权限（当前用户须能打开和读取它），改正后重新运行"),
    );
}
