#![no_main]
// Arbitrary bytes as evidence_file: yingjian must answer with diagnostics, never panic.
libfuzzer_sys::fuzz_target!(|data: &[u8]| yingjian::fuzz::run(yingjian::fuzz::Target::EvidenceFile, data));
