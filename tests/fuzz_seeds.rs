//! The fuzzers' kept inputs (fuzz/corpus/<target>/: seeds, and every input that once made
//! a fuzzer fail) replayed through the same entry points, so `cargo test` runs them on every
//! change. The fuzzers themselves need a nightly toolchain: see docs/fuzzing.md.

use std::path::Path;
use yingjian::fuzz::{Target, prepare, run_in};

#[test]
fn every_kept_fuzz_input_is_answered_without_a_panic() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("workspace");
    assert!(prepare(&root));
    for target in Target::ALL {
        let mut inputs: Vec<_> = std::fs::read_dir(corpus.join(target.name()))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        inputs.sort();
        assert!(!inputs.is_empty(), "no kept inputs for {}", target.name());
        for input in inputs {
            let bytes = std::fs::read(&input).unwrap();
            let outcome = std::panic::catch_unwind(|| run_in(&root, target, &bytes));
            assert!(outcome.is_ok(), "{} panicked on {}", target.name(), input.display());
        }
    }
}

#[test]
fn a_replayed_input_leaves_the_workspace_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("workspace");
    assert!(prepare(&root));
    let before = std::fs::read(root.join("content/schools.xlsx")).unwrap();
    run_in(&root, Target::Schools, b"not a workbook");
    assert_eq!(std::fs::read(root.join("content/schools.xlsx")).unwrap(), before);
    run_in(&root, Target::EvidenceFile, b"%PDF-1.4 broken");
    assert!(!root.join("evidence/A1/A1-1-fuzz.pdf").exists());
}
