//! The typed domain: everything loaded from a workspace, before any rule runs.

pub mod county;
pub mod date;
pub mod evidence;
pub mod plan;
pub mod profile;
pub mod school;

pub use county::CountyConfig;
pub use date::Date;
pub use evidence::EvidenceItem;
pub use plan::{ScoresFile, Task, Unit};
pub use profile::{Indicator, IndicatorType, Profile, ResourceKey, RuleId};
pub use school::{School, SchoolKind, Section, Stage};

/// A loaded workspace. Parts that could not be read are empty or `None`;
/// the diagnostics say why.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub config: Option<CountyConfig>,
    pub profile: Profile,
    pub schools: Vec<School>,
    pub units: Vec<Unit>,
    /// Whether `content/units.yaml` exists (units are otherwise derived from the profile).
    pub units_declared: bool,
    pub scores: ScoresFile,
    pub tasks: Vec<Task>,
    pub evidence: Vec<EvidenceItem>,
    /// Files found under `evidence/`.
    pub files: Vec<evidence::EvidenceFile>,
    /// Item numbers and box prints of the previous build (`content/evidence.lock`).
    pub lock: crate::rules::evidence::Lock,
    /// Policy documents for the compilation, and their category order.
    pub documents: Vec<crate::load::documents::Document>,
    pub document_categories: Vec<String>,
}
