//! Times `Dataset::embedded()` in a fresh process: the first call gives a dataset whose
//! collections are read from the embedded document when first used; later calls share them.
//! Then times the first use of the dialogues and of the rule sets, and a read of every collection
//! of the whole embedded document (what a program that uses them all reads, once).
//!
//! ```sh
//! cargo run --release -p euca-examples --example embedded_first_call
//! for i in 1 2 3 4 5; do target/release/examples/embedded_first_call; done
//! ```

use std::time::Instant;

use euca::Dataset;

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1e3
}

fn main() -> Result<(), euca::DatasetError> {
    let start = Instant::now();
    let data = Dataset::embedded()?;
    let first = ms(start);
    let start = Instant::now();
    let again = Dataset::embedded()?;
    let later = start.elapsed().as_secs_f64() * 1e6;
    let start = Instant::now();
    let dialogues = again.dialogues().len();
    let dialogues_ms = ms(start);
    let start = Instant::now();
    let rule_sets = data.rule_sets().len();
    let rule_sets_ms = ms(start);
    let start = Instant::now();
    let whole = Dataset::read_embedded_document()?;
    let whole_ms = ms(start);
    println!(
        "Dataset::embedded(): first call {first:.3} ms, later call {later:.2} µs; first use of the \
         {dialogues} dialogues {dialogues_ms:.3} ms, of the {rule_sets} rule sets {rule_sets_ms:.3} ms; \
         every collection of the embedded document (version {}) {whole_ms:.3} ms",
        whole.version()
    );
    Ok(())
}
