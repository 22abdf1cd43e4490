//! Times `Dataset::embedded()` in a fresh process: the first call reads the embedded document,
//! later calls share its records.
//!
//! ```sh
//! cargo run --release -p euca-examples --example embedded_first_call
//! for i in 1 2 3 4 5; do target/release/examples/embedded_first_call; done
//! ```

use std::time::Instant;

use euca::Dataset;

fn main() -> Result<(), euca::DatasetError> {
    let start = Instant::now();
    let data = Dataset::embedded()?;
    let first = start.elapsed();
    let start = Instant::now();
    let again = Dataset::embedded()?;
    let later = start.elapsed();
    println!(
        "Dataset::embedded(): first call {:.3} ms, later call {:.2} µs (version {}, {} dialogues, {} rule sets)",
        first.as_secs_f64() * 1e3,
        later.as_secs_f64() * 1e6,
        data.version(),
        again.dialogues().len(),
        again.rule_sets().len()
    );
    Ok(())
}
