#![no_main]
#[path = "../../crates/veilig-import/tests/harness/mod.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::fuzz_one(harness::Importer::Survey, data));
