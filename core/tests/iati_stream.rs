//! A 100 MB IATI activity file, made at test time, streams through [`euca::iati::IatiReader`] in
//! bounded memory: the process's resident memory (`VmRSS` in /proc/self/status, sampled every
//! thousand activities) grows by a small, fixed amount, not with the file. The document-size limit
//! of rule sets (16 MiB) does not apply to streams.
//!
//! Its own test binary, so that no other test allocates beside it. `EUCA_STREAM_MB` sets the size
//! (default 100).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use euca::iati::IatiReader;
use euca::{Amount, Code};

/// Resident and peak resident memory of this process, in KiB (Linux only).
fn memory() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))?
            .split_whitespace()
            .nth(1)?
            .parse::<u64>()
            .ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// One activity of about 2 KB: narratives in three languages, a budget, transactions, sectors and
/// an element euca does not read.
fn activity(out: &mut impl Write, i: u64) {
    let cents = i % 100;
    writeln!(
        out,
        r#"  <iati-activity default-currency="EUR" xml:lang="en">
    <iati-identifier>XM-STREAM-{i}</iati-identifier>
    <reporting-org ref="XM-STREAM" type="10"><narrative>Stream test publisher</narrative></reporting-org>
    <title><narrative>Activity {i}: access to justice &amp; legal aid</narrative><narrative xml:lang="ru">Доступ к правосудию {i}</narrative><narrative xml:lang="fr">Accès à la justice {i}</narrative></title>
    <description><narrative>A generated activity that repeats the shape of a real one, so that the file is large: legal aid clinics, training for lawyers, monitoring of courts and of places of detention, reports to the treaty bodies.</narrative></description>
    <participating-org ref="XI-IATI-EC_INTPA" type="10" role="1"><narrative>European Union</narrative></participating-org>
    <participating-org type="22" role="4"><narrative>Implementing NGO {i}</narrative></participating-org>
    <activity-status code="2"/>
    <activity-date type="1" iso-date="2020-01-01"/>
    <activity-date type="3" iso-date="2022-12-31"/>
    <recipient-country code="KZ" percentage="60"/>
    <recipient-country code="KG" percentage="40"/>
    <sector code="15160" percentage="70"/>
    <sector code="15130" percentage="30"/>
    <budget type="1" status="2"><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/><value value-date="2020-01-01">100000.{cents:02}</value></budget>
    <transaction><transaction-type code="2"/><transaction-date iso-date="2020-01-15"/><value value-date="2020-01-15">300000.00</value></transaction>
    <transaction><transaction-type code="3"/><transaction-date iso-date="2020-02-15"/><value value-date="2020-02-15">150000.00</value></transaction>
    <result type="1"><title><narrative>Result {i}</narrative></title></result>
  </iati-activity>"#
    )
    .unwrap();
}

#[test]
fn a_100_mb_file_streams_in_bounded_memory() {
    let Some((start_rss, _)) = memory() else {
        println!("skipped: /proc/self/status is not available on this system");
        return;
    };
    let megabytes: u64 = std::env::var("EUCA_STREAM_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("stream-100mb.xml");
    let made = Instant::now();
    let mut out = BufWriter::new(File::create(&path).unwrap());
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#).unwrap();
    writeln!(out, r#"<iati-activities version="2.03">"#).unwrap();
    let mut n = 0u64;
    while out.get_ref().metadata().unwrap().len() < megabytes * 1_000_000 {
        for _ in 0..1000 {
            n += 1;
            activity(&mut out, n);
        }
        out.flush().unwrap();
    }
    writeln!(out, "</iati-activities>").unwrap();
    drop(out);
    let size = std::fs::metadata(&path).unwrap().len();
    let made = made.elapsed();

    let (baseline, _) = memory().unwrap();
    let read = Instant::now();
    let mut reader = IatiReader::new(BufReader::with_capacity(
        64 * 1024,
        File::open(&path).unwrap(),
    ));
    let mut count = 0u64;
    let mut budget_cents = 0u128;
    let mut peak = baseline;
    let mut not_read = 0u64;
    for item in reader.by_ref() {
        let a = item.unwrap();
        count += 1;
        let p = &a.project;
        assert_eq!(p.id, format!("XM-STREAM-{count}"));
        assert_eq!(p.title.len(), 3);
        assert_eq!(p.transactions[0].amount, Amount(30_000_000));
        budget_cents += u128::from(p.budgets[0].amount.0);
        not_read += a
            .warnings
            .iter()
            .filter(|w| w.code == Code::NotRead)
            .map(|w| w.count)
            .sum::<u64>();
        assert!(
            a.warnings.iter().all(|w| w.code == Code::NotRead),
            "{:?}",
            a.warnings
        );
        if count.is_multiple_of(1000) {
            peak = peak.max(memory().unwrap().0);
        }
    }
    let read = read.elapsed();
    assert!(reader.document_warnings().is_empty());
    assert_eq!(count, n, "every activity read");
    let expected: u128 = (1..=n).map(|i| 10_000_000 + u128::from(i % 100)).sum();
    assert_eq!(budget_cents, expected, "every budget summed to the cent");
    assert_eq!(not_read, n, "each activity's `result` counted");
    let (end_rss, end_hwm) = memory().unwrap();
    let growth = peak.saturating_sub(baseline);
    println!(
        "streamed {size} bytes ({count} activities) in {:.1} s (made in {:.1} s); resident memory: {start_rss} KiB at the start, {baseline} KiB before reading, peak {peak} KiB while reading (growth {growth} KiB), {end_rss} KiB after; peak of the process {end_hwm} KiB",
        read.as_secs_f64(),
        made.as_secs_f64(),
    );
    // Bounded: the reader holds one activity at a time, whatever the file's size.
    assert!(
        growth < 16 * 1024,
        "reading {size} bytes grew resident memory by {growth} KiB"
    );
    std::fs::remove_file(&path).ok();
}
