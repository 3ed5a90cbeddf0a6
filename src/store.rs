//! What rendering needs of out/ — the previous build's documents, a place for documents too
//! large to hold until the end, a cache of chart pictures — as a trait: `render` uses it,
//! `out` implements it (`out::store`), and neither imports the other.

/// A document the previous build wrote, still as written.
pub struct Kept {
    pub bytes: Vec<u8>,
    /// A hash of each page's content, as recorded.
    pub pages: Vec<u64>,
    /// What a part of a document told the parts after it (src/render/typst/report.rs).
    pub marks: Option<serde_json::Value>,
}

/// out/ as rendering sees it; paths are relative to out/.
pub trait Store: Sync {
    /// `rel` when the previous build made it from `input` and it is still as written.
    fn kept(&self, rel: &str, input: u64) -> Option<Kept>;
    /// `rel` as it is now, with the page hashes the previous build recorded for it.
    fn written(&self, rel: &str) -> std::io::Result<(Vec<u8>, Vec<u64>)>;
    /// Puts a finished document aside as it is made; the out stage moves it into place when
    /// the build succeeds.
    fn stage(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()>;
    /// A picture an earlier build kept under `name`.
    fn picture(&self, name: &str) -> Option<Vec<u8>>;
    /// Keeps a picture for later builds (a cache: when it cannot be written, the next build
    /// renders again).
    fn keep_picture(&self, name: &str, png: &[u8]);
    /// Removes the kept pictures whose names `used` rejects.
    fn forget_pictures(&self, used: &dyn Fn(&str) -> bool);
    /// What the previous build recorded of `rel` beside its pages (the report's headings with
    /// their printed page numbers), whatever it was made from.
    fn marks(&self, _rel: &str) -> Option<serde_json::Value> {
        None
    }
}

/// No out/ at all: nothing kept, nothing cached, nothing can be put aside.
pub struct Nowhere;

impl Store for Nowhere {
    fn kept(&self, _: &str, _: u64) -> Option<Kept> {
        None
    }
    fn written(&self, rel: &str) -> std::io::Result<(Vec<u8>, Vec<u64>)> {
        Err(std::io::Error::new(std::io::ErrorKind::NotFound, rel))
    }
    fn stage(&self, rel: &str, _: &[u8]) -> std::io::Result<()> {
        Err(std::io::Error::new(std::io::ErrorKind::Unsupported, rel))
    }
    fn picture(&self, _: &str) -> Option<Vec<u8>> {
        None
    }
    fn keep_picture(&self, _: &str, _: &[u8]) {}
    fn forget_pictures(&self, _: &dyn Fn(&str) -> bool) {}
}
