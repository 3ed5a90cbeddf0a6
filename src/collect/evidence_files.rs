//! The files a unit sends with its form (issue 33 point 2): found by the name its 佐证材料 row
//! gives, in the form's folder or in a .zip (one in that folder, or given to merge), and
//! opened to see that they can be used — nothing is moved, extracted or written.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::evidence_return::Source;
use crate::model::evidence::FileKind;

/// The largest file read, on disk or unpacked from a .zip: a scanned PDF of a few hundred pages
/// is tens of MB; more than this is a mistake or a zip bomb.
pub const MAX_FILE: u64 = 200 * 1024 * 1024;
const MAX_MB: u64 = MAX_FILE / 1024 / 1024;

/// An entry of a .zip as its name reads (UTF-8, or GBK as Chinese Windows writes it).
#[derive(Debug, Clone)]
struct Entry {
    index: usize,
    name: String,
    size: u64,
    encrypted: bool,
}

/// A .zip given with the returns, listed once.
#[derive(Debug)]
struct Archive {
    path: PathBuf,
    entries: Vec<Entry>,
}

/// Where the files of one form may be.
#[derive(Debug, Default)]
pub struct Finder {
    folder: Vec<PathBuf>,
    archives: Vec<Archive>,
}

/// What a row's 文件名 found.
#[derive(Debug)]
pub enum Found {
    /// The file, and whether its name only nearly matches (case, full-width, spaces).
    One(Source, bool),
    /// Several files fit the name: their names.
    Many(Vec<String>),
    None,
}

/// A zip entry's name: UTF-8 when it is (the flag or plain ASCII), else GBK, the code page of
/// Chinese Windows' "compressed folder".
fn entry_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::GBK.decode(raw).0.into_owned(),
    }
}

/// The entries of a .zip, directories left out; `None` when it cannot be read as one.
fn list(path: &Path) -> Option<Vec<Entry>> {
    let f = std::fs::File::open(path).ok()?;
    let mut z = zip::ZipArchive::new(f).ok()?;
    let mut out = vec![];
    for index in 0..z.len() {
        let Ok(e) = z.by_index_raw(index) else { continue };
        if e.is_dir() {
            continue;
        }
        out.push(Entry {
            index,
            name: entry_name(e.name_raw()).replace('\\', "/"),
            size: e.size(),
            encrypted: e.encrypted(),
        });
    }
    Some(out)
}

/// Whether a name inside a .zip leaves the folder it would be unpacked in.
fn escapes(name: &str) -> bool {
    name.starts_with('/') || name.contains(':') || name.split('/').any(|p| p == "..")
}

impl Finder {
    /// The files beside `form` (its folder, not below) and the entries of the .zip files
    /// there and of `zips`.
    pub fn new(form: &Path, zips: &[PathBuf]) -> Finder {
        let dir = form
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        // A link is not followed: what the unit sent is what lies in the folder.
        let mut folder: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                    .map(|e| e.path())
                    .collect()
            })
            .unwrap_or_default();
        folder.sort();
        let mut archives: Vec<PathBuf> = folder
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip")))
            .cloned()
            .collect();
        archives.extend(zips.iter().cloned());
        archives.dedup();
        let archives = archives
            .into_iter()
            .filter_map(|path| list(&path).map(|entries| Archive { path, entries }))
            .collect();
        Finder { folder, archives }
    }

    /// The file `typed` names: the same name in the folder, then in a .zip (the path inside it
    /// when one is typed); then the same name but for case, full/half-width and spaces; then
    /// the same name without its extension (Windows hides it), each only when one file fits.
    pub fn find(&self, typed: &str) -> Found {
        let typed = typed.trim().replace('\\', "/");
        let base = typed.rsplit('/').next().unwrap_or(&typed).to_owned();
        let stem = |s: &str| s.rsplit_once('.').map_or(s.to_owned(), |(a, _)| a.to_owned());
        let loose = crate::load::evidence::loose;
        let tiers: [(&dyn Fn(&str, &str) -> bool, bool); 3] = [
            (&|name: &str, full: &str| name == base || full == typed, false),
            (
                &|name: &str, full: &str| loose(name) == loose(&base) || loose(full) == loose(&typed),
                true,
            ),
            (
                &|name: &str, _: &str| !base.contains('.') && loose(&stem(name)) == loose(&base),
                true,
            ),
        ];
        for (fits, near) in tiers {
            let mut hits: Vec<(Source, String)> = vec![];
            for p in &self.folder {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if fits(&name, &name) {
                    hits.push((Source::File(p.clone()), name));
                }
            }
            // The folder wins over an archive: a file beside the form is the one meant.
            if hits.is_empty() {
                for a in &self.archives {
                    for e in &a.entries {
                        let name = e.name.rsplit('/').next().unwrap_or(&e.name);
                        if fits(name, &e.name) {
                            let archive = a.path.clone();
                            let source = Source::Zip {
                                archive,
                                entry: e.name.clone(),
                            };
                            let shown = format!("{} 中的 {}", file_name(&a.path), e.name);
                            hits.push((source, shown));
                        }
                    }
                }
            }
            match hits.len() {
                0 => continue,
                1 => return Found::One(hits.remove(0).0, near),
                _ => return Found::Many(hits.into_iter().map(|h| h.1).collect()),
            }
        }
        Found::None
    }

    fn entry(&self, archive: &Path, name: &str) -> Option<&Entry> {
        self.archives
            .iter()
            .find(|a| a.path == archive)?
            .entries
            .iter()
            .find(|e| e.name == name)
    }

    /// The bytes of `source`, or why they are not read: a zip entry with a password, a name
    /// leaving its folder, or more than `MAX_FILE` declared or unpacked.
    pub fn read(&self, source: &Source) -> Result<Vec<u8>, String> {
        let too_big = || format!("文件超过 {MAX_MB} MB，未读取");
        match source {
            Source::File(p) => {
                let size = std::fs::metadata(p).map_err(|e| format!("无法读取：{}", crate::out::swap::reason(&e)))?;
                if size.len() > MAX_FILE {
                    return Err(too_big());
                }
                std::fs::read(p).map_err(|e| format!("无法读取：{}", crate::out::swap::reason(&e)))
            }
            Source::Zip { archive, entry } => {
                let e = self.entry(archive, entry).ok_or("压缩包中找不到该文件")?;
                if escapes(&e.name) {
                    return Err("压缩包中该文件的路径不安全（含 .. 或绝对路径），未读取".to_owned());
                }
                if e.encrypted {
                    return Err("压缩包中该文件设有密码，无法读取".to_owned());
                }
                if e.size > MAX_FILE {
                    return Err(format!("解压后超过 {MAX_MB} MB，未读取"));
                }
                read_entry(archive, e.index)
                    .map_err(|_| "压缩包已损坏，无法解压该文件".to_owned())?
                    .ok_or_else(|| format!("解压后超过 {MAX_MB} MB，未读取"))
            }
        }
    }
}

/// An entry's bytes, `None` when it unpacks to more than `MAX_FILE` whatever it declares.
fn read_entry(archive: &Path, index: usize) -> std::io::Result<Option<Vec<u8>>> {
    let f = std::fs::File::open(archive)?;
    let mut z = zip::ZipArchive::new(f).map_err(std::io::Error::other)?;
    let e = z.by_index(index).map_err(std::io::Error::other)?;
    let mut out = vec![];
    e.take(MAX_FILE + 1).read_to_end(&mut out)?;
    Ok((out.len() as u64 <= MAX_FILE).then_some(out))
}

/// The bytes of the entry named `entry` (as `Finder` names it) of `archive`, with the same
/// limits: `Source::read` for a file found in a .zip.
pub fn zip_entry(archive: &Path, entry: &str) -> std::io::Result<Vec<u8>> {
    let found = list(archive)
        .ok_or_else(|| std::io::Error::other("压缩包已损坏"))?
        .into_iter()
        .find(|e| e.name == entry)
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "压缩包中找不到该文件"))?;
    if escapes(&found.name) || found.size > MAX_FILE {
        return Err(std::io::Error::other("压缩包中的该文件未读取"));
    }
    read_entry(archive, found.index)?.ok_or_else(|| std::io::Error::other("解压后过大"))
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Whether a PDF is encrypted (a trailer naming /Encrypt): with an open password it cannot be
/// read, with only an owner password it may not be printed or copied into the boxes.
fn encrypted(bytes: &[u8]) -> bool {
    bytes
        .windows(9)
        .any(|w| w.starts_with(b"/Encrypt") && !w[8].is_ascii_alphanumeric())
}

/// What a file's bytes give: its pages (a PDF's counted, 1 for an image, `None` for another
/// kind), or why it cannot be used.
pub fn open(name: &str, bytes: Vec<u8>) -> Result<Option<u32>, String> {
    if bytes.is_empty() {
        return Err("文件为空（0 字节）".to_owned());
    }
    let pdf = bytes.starts_with(b"%PDF-") || FileKind::of_name(name) == FileKind::Pdf;
    if pdf {
        if encrypted(&bytes) {
            return Err("PDF 已加密（设有打开密码或权限密码），无法核对页数和打印归档".to_owned());
        }
        return crate::load::files::pdf_pages(bytes).map(Some).map_err(str::to_owned);
    }
    if FileKind::of_name(name) == FileKind::Image {
        return match crate::load::files::image_problem(&bytes) {
            None => Ok(Some(1)),
            Some(why) => Err(why),
        };
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_names_read_as_utf8_or_gbk() {
        // “关于.pdf” as Chinese Windows stores it: GBK 关 = B9 D8, 于 = D3 DA.
        assert_eq!(entry_name(b"\xB9\xD8\xD3\xDA.pdf"), "关于.pdf");
        assert_eq!(entry_name("关于.pdf".as_bytes()), "关于.pdf");
        assert!(escapes("../x.pdf") && escapes("/etc/x") && escapes("C:/x") && escapes("a/../../x"));
        assert!(!escapes("人社局/x.pdf"));
    }

    #[test]
    fn an_encrypted_pdf_is_told_before_it_is_read() {
        assert!(encrypted(b"trailer <</Root 1 0 R/Encrypt 4 0 R>>"));
        assert!(!encrypted(b"trailer <</Root 1 0 R/EncryptMetadata false>>"));
        let why = open("a.pdf", b"%PDF-1.4 trailer <</Encrypt 4 0 R>>".to_vec()).unwrap_err();
        assert!(why.starts_with("PDF 已加密"), "{why}");
        assert_eq!(open("a.docx", b"PK".to_vec()), Ok(None));
        assert_eq!(open("a.docx", vec![]), Err("文件为空（0 字节）".to_owned()));
    }
}
