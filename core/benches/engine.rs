//! Criterion benchmarks of the engine: one application (full decision, verdict only), a batch of
//! 1 000 000 applications on one core and on all cores (feature `parallel`), JSON Lines read and
//! evaluated (on all cores, and on one), loading the embedded dataset, the timeline and the iCalendar export.
//!
//! The benchmark binary allocates with mimalloc (see `GLOBAL`); the library leaves the allocator to
//! the application.
//!
//! The applications are the peer-bench workload (../shared/peer-bench, 100 000 synthetic
//! applications, seed 20200904) evaluated against the synthetic rule set
//! benches/peer-bench-tj2020.call.json. The workload is read from `$EUCA_PEERBENCH_DIR`
//! (default `/tmp/peerbench`) and generated there with `python3 workload.py` when missing.
//!
//! ```sh
//! cargo bench -p euca --features parallel --bench engine        # everything (about 3 minutes)
//! cargo bench -p euca --features parallel --bench engine -- batch
//! ```

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use euca::{Application, CalendarFilter, Dataset, read_jsonl};
use support::{N, call, workload_text};

mod support;

// The allocator a Rust application that screens batches should choose, and the one the Python
// extension ships with. glibc's malloc does not scale here: with it `batch_1m/all_cores_2` was
// 1.0–1.1× `one_core`, its worker threads spending a quarter of their time in `_int_malloc`
// (BENCHMARKS.md, "The evening").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 9, 4).unwrap()
}

fn one_application(c: &mut Criterion) {
    let call = call();
    let apps = read_jsonl(&workload_text()).unwrap();
    let day = as_of();
    let mut g = c.benchmark_group("one_application");
    g.throughput(Throughput::Elements(1));
    let mut i = 0usize;
    g.bench_function("full_decision", |b| {
        b.iter(|| {
            i = (i + 1) % apps.len();
            black_box(call.evaluate(black_box(&apps[i]), day, None))
        })
    });
    g.bench_function("verdict_only", |b| {
        b.iter(|| {
            i = (i + 1) % apps.len();
            black_box(call.verdict(black_box(&apps[i]), day, None))
        })
    });
    g.finish();
}

fn million(apps: &[Application]) -> Vec<Application> {
    apps.iter().cycle().take(1_000_000).cloned().collect()
}

fn batch(c: &mut Criterion) {
    let call = call();
    let apps = million(&read_jsonl(&workload_text()).unwrap());
    let day = as_of();
    let mut g = c.benchmark_group("batch_1m");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Elements(apps.len() as u64));
    g.bench_function("one_core", |b| {
        b.iter_batched(
            || (),
            |()| call.evaluate_many(black_box(&apps), day, None),
            BatchSize::PerIteration,
        )
    });
    #[cfg(feature = "parallel")]
    g.bench_function(format!("all_cores_{}", rayon::current_num_threads()), |b| {
        b.iter_batched(
            || (),
            |()| call.evaluate_many_parallel(black_box(&apps), day, None),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

fn jsonl(c: &mut Criterion) {
    let call = call();
    let text = workload_text();
    let day = as_of();
    let mut g = c.benchmark_group("jsonl_100k");
    g.sample_size(10);
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("read", |b| b.iter(|| read_jsonl(black_box(&text)).unwrap()));
    g.bench_function("read_and_evaluate", |b| {
        b.iter(|| call.evaluate_jsonl(black_box(&text), day, None).unwrap())
    });
    // The same on one thread: what WebAssembly (one thread) is compared with.
    #[cfg(feature = "parallel")]
    {
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        g.bench_function("read_and_evaluate_one_core", |b| {
            b.iter(|| one.install(|| call.evaluate_jsonl(black_box(&text), day, None).unwrap()))
        });
    }
    g.finish();
}

fn dataset(c: &mut Criterion) {
    let json = Dataset::embedded_json().unwrap();
    let data = Dataset::embedded().unwrap();
    let mut g = c.benchmark_group("dataset");
    g.bench_function("embedded", |b| b.iter(|| Dataset::embedded().unwrap()));
    g.bench_function("parse_embedded_json", |b| {
        b.iter(|| Dataset::from_json(black_box(&json)).unwrap())
    });
    // What the first `Dataset::embedded()` of a process does: a dataset of the parts of the build
    // script's compact document, none read (the later calls share it: a clone is a few Arc counts).
    g.bench_function("embedded_first_call", |b| {
        b.iter(|| Dataset::embedded_unread().unwrap())
    });
    // What a program that uses every collection reads, once: each part straight into its records.
    g.bench_function("embedded_every_collection", |b| {
        b.iter(|| Dataset::read_embedded_document().unwrap())
    });
    g.bench_function("timeline", |b| b.iter(|| data.timeline()));
    let filter = CalendarFilter {
        as_of: Some(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
        ..CalendarFilter::default()
    };
    g.bench_function("icalendar", |b| b.iter(|| data.to_ical(&filter).unwrap()));
    g.finish();
}

criterion_group!(benches, one_application, batch, jsonl, dataset);
criterion_main!(benches);
