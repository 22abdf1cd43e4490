//! Fuzzes the IATI reader: any bytes give records or errors, never a panic, a hang or unbounded
//! memory; and what is read writes back as IATI and reads again to as many records.
//!
//! `cd core/fuzz && cargo +nightly fuzz run iati_reader corpus/iati_reader ../../tests/malformed/iati -- -max_total_time=60`
//!
//! libFuzzer writes what it finds to the first folder (`corpus/`, which git ignores) and only reads
//! the others: the malformed files, and any IATI file, make a good starting corpus.

#![no_main]

use euca::iati::{ExportOptions, IatiReader, ImportOptions, read_iati, read_iati_from, to_iati};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for item in IatiReader::new(data) {
        let _ = item;
    }
    let lenient = ImportOptions {
        skip_invalid: true,
        ..ImportOptions::default()
    };
    if let Ok(import) = read_iati_from(data, &lenient) {
        let options = ExportOptions {
            prefix: Some("XM-FUZZ".into()),
            // A fixed day, so that runs are reproducible.
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 1, 1),
            ..ExportOptions::default()
        };
        let xml = to_iati(&import.records, &options).expect("records read write back");
        let again = read_iati(&xml).expect("euca reads what it writes");
        assert_eq!(again.records.len(), import.records.len());
    }
});
