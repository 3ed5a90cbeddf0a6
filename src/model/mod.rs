//! The typed domain: everything loaded from a workspace, before any rule runs. A leaf of
//! the pipeline: it imports nothing of ours but `diag`.

pub mod county;
pub mod crosswalk;
pub mod date;
pub mod document;
pub mod evidence;
pub mod form_inputs;
pub mod lock;
pub mod origins;
pub mod profile;
pub mod returns;
pub mod school;
pub mod stamp;
pub mod team;
pub mod verdict;

pub use county::CountyConfig;
pub use crosswalk::{Catalogue, Crosswalk};
pub use date::Date;
pub use document::{Document, Source};
pub use evidence::EvidenceItem;
pub use lock::Lock;
pub use origins::CharOrigins;
pub use profile::{Indicator, IndicatorType, Profile, ResourceKey, RuleId};
pub use returns::ReturnRecord;
pub use school::{School, SchoolKind, Section, Stage};
pub use stamp::Stamp;
pub use team::{ScoresFile, Task, Unit};
pub use verdict::Verdict;

/// A loaded workspace. Parts that could not be read are empty or `None`;
/// the diagnostics say why.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub config: Option<CountyConfig>,
    pub profile: Profile,
    pub schools: Vec<School>,
    /// The file the schools were read from: content/schools.xlsx, or the .xls / .ods saved in
    /// its place, for placing findings about them.
    pub schools_file: String,
    pub units: Vec<Unit>,
    /// Whether `content/units.yaml` exists (units are otherwise derived from the profile).
    pub units_declared: bool,
    pub scores: ScoresFile,
    pub tasks: Vec<Task>,
    pub evidence: Vec<EvidenceItem>,
    /// Files found under `evidence/`.
    pub files: Vec<evidence::EvidenceFile>,
    /// Item numbers and box prints of the previous build (`content/evidence.lock`).
    pub lock: Lock,
    /// Policy documents for the compilation, and their category order.
    pub documents: Vec<Document>,
    pub document_categories: Vec<String>,
    /// The report's narrative Markdown (`content/report/*.md`), in file-name order.
    pub narrative: Vec<Narrative>,
    /// Where each character of the inputs was first seen, for locating `glyph-missing`.
    pub chars: CharOrigins,
    /// The catalogue's own system, when it is not the inspection's (`catalogue_profile`).
    pub catalogue: Option<Catalogue>,
    /// Evidence rows `merge --apply` refused and no later return replaced (the record
    /// `paths::RETURNS`), for the units' progress (issue 33 point 4).
    pub refused: Vec<returns::EvidenceRefused>,
}

/// One narrative file of the report, as written (Tera placeholders not yet filled).
#[derive(Debug, Clone)]
pub struct Narrative {
    /// The chapter it belongs to: the file name without `.md`.
    pub stem: String,
    /// Its path in the workspace, for diagnostics.
    pub rel: String,
    pub text: String,
}

impl Workspace {
    /// The workspace's "today" (county.yaml), or a fixed date when the config is unreadable,
    /// so that output never depends on the clock.
    pub fn today(&self) -> Date {
        self.config.as_ref().map(|c| c.today).unwrap_or(Date::FALLBACK)
    }
}

/// Folds full-width ASCII forms (digits, letters, punctuation, the ideographic space) to
/// their half-width forms, as typed with a Chinese input method.
pub fn normalize_text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}
