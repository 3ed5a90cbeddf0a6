//! The templates: built into the binary, each replaceable by a workspace file
//! `templates/<name>`. A document's input hash covers the templates it uses: its main
//! template and every template that one imports, read from their `#import "x.typ"` lines.

use std::path::Path;

use crate::hash::Fnv;
use crate::paths;

/// Built-in templates, compiled into the binary; a workspace file `templates/<name>` replaces one.
pub const TEMPLATES: [(&str, &str); 21] = [
    ("box-book.typ", include_str!("../../templates/box-book.typ")),
    ("compilation.typ", include_str!("../../templates/compilation.typ")),
    ("boxes.typ", include_str!("../../templates/boxes.typ")),
    ("box.typ", include_str!("../../templates/box.typ")),
    ("box-kind.typ", include_str!("../../templates/box-kind.typ")),
    ("gbt9704.typ", include_str!("../../templates/gbt9704.typ")),
    ("keep.typ", include_str!("../../templates/keep.typ")),
    ("forms.typ", include_str!("../../templates/forms.typ")),
    ("scoring.typ", include_str!("../../templates/scoring.typ")),
    (
        "application-form.typ",
        include_str!("../../templates/application-form.typ"),
    ),
    ("school-form.typ", include_str!("../../templates/school-form.typ")),
    ("school-forms.typ", include_str!("../../templates/school-forms.typ")),
    ("task-list.typ", include_str!("../../templates/task-list.typ")),
    ("rectification.typ", include_str!("../../templates/rectification.typ")),
    ("markdown.typ", include_str!("../../templates/markdown.typ")),
    ("charts.typ", include_str!("../../templates/charts.typ")),
    ("chart.typ", include_str!("../../templates/chart.typ")),
    ("images.typ", include_str!("../../templates/images.typ")),
    ("report.typ", include_str!("../../templates/report.typ")),
    ("report-parts.typ", include_str!("../../templates/report-parts.typ")),
    ("report-part.typ", include_str!("../../templates/report-part.typ")),
];

/// The overview page (Tera), `templates/index.html`.
pub const INDEX_HTML: &str = include_str!("../../templates/index.html");

/// The built-in text of template `name`.
pub fn builtin(name: &str) -> Option<&'static str> {
    TEMPLATES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// The workspace's own version of template `name`, if it has one inside the workspace.
pub fn override_text(root: &Path, name: &str) -> Option<String> {
    let rel = format!("{}/{name}", paths::TEMPLATES_DIR);
    if paths::outside(root, &rel) || paths::not_regular(&root.join(&rel)).is_some() {
        return None;
    }
    std::fs::read_to_string(root.join(rel)).ok()
}

/// The text a build typesets with: the workspace's version, else the built-in one.
fn effective(root: &Path, name: &str) -> Option<String> {
    override_text(root, name).or_else(|| builtin(name).map(str::to_owned))
}

/// The templates `text` names: every string literal ending in `.typ` (an `#import` or
/// `#include`, wherever it stands), without a leading `./`; paths leaving the folder are left
/// out (the World refuses them).
fn imports(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split('"')
        .skip(1)
        .step_by(2)
        .filter(|n| n.ends_with(".typ") && !n.starts_with('/') && !n.split('/').any(|p| p == ".."))
        .map(|n| n.trim_start_matches("./").to_owned())
}

/// One hash over template `main` and every template it imports, directly or not, as the
/// build would read them.
pub fn hash(root: &Path, main: &str) -> u64 {
    let mut texts = std::collections::BTreeMap::new();
    let mut todo = vec![main.to_owned()];
    while let Some(name) = todo.pop() {
        if texts.contains_key(&name) {
            continue;
        }
        let text = effective(root, &name).unwrap_or_default();
        todo.extend(imports(&text));
        texts.insert(name, text);
    }
    let mut h = Fnv::default();
    for (name, text) in &texts {
        h.add(name.as_bytes());
        h.add(text.as_bytes());
        h.add(b"\0");
    }
    h.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_depends_on_the_templates_it_imports_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let report = hash(root, "report.typ");
        let boxes = hash(root, "box.typ");
        std::fs::create_dir_all(root.join("templates")).unwrap();
        // box.typ imports boxes.typ; the report imports neither.
        std::fs::write(root.join("templates/boxes.typ"), "#let x = 1\n").unwrap();
        assert_eq!(hash(root, "report.typ"), report);
        assert_ne!(hash(root, "box.typ"), boxes);
        // report.typ → markdown.typ → gbt9704.typ: a change two imports down counts.
        std::fs::write(root.join("templates/gbt9704.typ"), "#let song = ()\n").unwrap();
        assert_ne!(hash(root, "report.typ"), report);
        // An override importing a template of its own, however it names it.
        let scoring = hash(root, "scoring.typ");
        std::fs::write(root.join("templates/scoring.typ"), "#import \"./mine.typ\": x\n#x").unwrap();
        let with_import = hash(root, "scoring.typ");
        assert_ne!(with_import, scoring);
        std::fs::write(root.join("templates/mine.typ"), "#let x = 2\n").unwrap();
        assert_ne!(hash(root, "scoring.typ"), with_import);
    }
}
