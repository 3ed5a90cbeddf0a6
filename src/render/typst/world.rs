//! The Typst `World` of yingjian: templates from the workspace or built in, data served as
//! JSON, images from `evidence/` only, bundled fonts, a fixed date.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict, Duration, IntoValue};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::fonts::fonts;
use crate::model::Date;
use crate::render::templates;

/// Where the document's data is served; templates read it with `json(sys.inputs.data)`.
pub const DATA_PATH: &str = "/.yingjian/data.json";

pub struct YjWorld {
    root: PathBuf,
    library: LazyHash<Library>,
    main: FileId,
    data: Bytes,
    today: Datetime,
    sources: Mutex<HashMap<FileId, Source>>,
}

fn id(path: &str) -> Option<FileId> {
    Some(RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).ok()?).intern())
}

impl YjWorld {
    /// `main` names a template such as `report.typ`; `data` is the JSON the template reads.
    pub fn new(root: &Path, main: &str, data: Vec<u8>, today: Date) -> Option<YjWorld> {
        let mut inputs = Dict::new();
        inputs.insert("data".into(), DATA_PATH.into_value());
        let library = Library::builder().with_inputs(inputs).build();
        Some(YjWorld {
            root: root.to_path_buf(),
            library: LazyHash::new(library),
            main: id(&format!("/templates/{main}"))?,
            data: Bytes::new(data),
            today: Datetime::from_ymd(today.year, today.month as u8, today.day as u8)?,
            sources: Mutex::new(HashMap::new()),
        })
    }

    fn template(&self, name: &str) -> FileResult<String> {
        // A workspace template that links out of the workspace is refused, not replaced.
        if crate::paths::outside(&self.root, &format!("{}/{name}", crate::paths::TEMPLATES_DIR)) {
            return Err(FileError::AccessDenied);
        }
        let over = self.root.join(crate::paths::TEMPLATES_DIR).join(name);
        if over.is_file() {
            return std::fs::read_to_string(&over).map_err(|e| FileError::from_io(e, &over));
        }
        templates::builtin(name)
            .map(str::to_owned)
            .ok_or_else(|| FileError::NotFound(PathBuf::from("templates").join(name)))
    }

    /// Files under `dir` (evidence/ or content/documents/) only; a path or symlink leading
    /// elsewhere is refused.
    fn inside(&self, dir: &str, rel: &str) -> FileResult<Bytes> {
        let base = self.root.join(dir);
        let path = base.join(rel);
        let real = path.canonicalize().map_err(|e| FileError::from_io(e, &path))?;
        let base = base.canonicalize().map_err(|e| FileError::from_io(e, &base))?;
        if !real.starts_with(&base) || crate::paths::not_regular(&real).is_some() {
            return Err(FileError::AccessDenied);
        }
        std::fs::read(&real)
            .map(Bytes::new)
            .map_err(|e| FileError::from_io(e, &path))
    }
}

impl World for YjWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if let Ok(cache) = self.sources.lock()
            && let Some(s) = cache.get(&id)
        {
            return Ok(s.clone());
        }
        let path = id.vpath().get_without_slash().to_owned();
        let name = path.strip_prefix("templates/").ok_or(FileError::AccessDenied)?;
        let source = Source::new(id, self.template(name)?);
        if let Ok(mut cache) = self.sources.lock() {
            cache.insert(id, source.clone());
        }
        Ok(source)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        let path = id.vpath().get_with_slash();
        if path == DATA_PATH {
            return Ok(self.data.clone());
        }
        if let Some(rel) = path.strip_prefix("/evidence/") {
            return self.inside("evidence", rel);
        }
        if let Some(rel) = path.strip_prefix("/documents/") {
            return self.inside("content/documents", rel);
        }
        if path.starts_with("/templates/") {
            return self.source(id).map(|s| Bytes::from_string(s.text().to_owned()));
        }
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
