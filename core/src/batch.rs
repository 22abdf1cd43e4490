//! Evaluating one compiled call on many applications, comparing two calls, and matching an
//! application against every call of a dataset.
//!
//! Batches return columns first (verdict, maximum EU contribution, EU share, failed and missing
//! criterion ids per row) and build a full [`Decision`] only when asked, so a million rows never
//! means a million decisions in memory.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::application::Application;
use crate::call::Call;
use crate::criterion_ids::CriterionIds;
use crate::dataset::{Dataset, parse_document};
use crate::error::{Code, DatasetError, Problem};
use crate::eval::{Decision, Outcome, Verdict, decide, quick};
use crate::money::write_share;
use crate::rules::Stage;
use crate::text_column::TextColumn;

/// The results of a batch, one row per application in input order.
///
/// Read from JSON (a batch written earlier, a pickle, a JavaScript object handed back), every
/// column must have one entry per row: a column of another length, or a field that is not a
/// column, is an error naming it, never a batch whose rows disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "BatchColumns")]
pub struct BatchResult {
    /// The applications' ids.
    pub ids: TextColumn,
    /// The verdicts.
    pub verdicts: Vec<Verdict>,
    /// The largest EU contribution the rules allow, in minor units, where computable.
    pub max_eu_contribution: Vec<Option<u64>>,
    /// The requested contribution as a percentage of total eligible costs (two decimals, rounded
    /// down, as `"93.17"`), where computable.
    pub eu_share: TextColumn,
    /// The ids of the criteria each application fails (`in_force` first when the call is not
    /// in force on the evaluation date).
    pub failed: CriterionIds,
    /// The ids of the criteria that cannot be told for each application.
    pub missing: CriterionIds,
    /// The evaluation date.
    pub as_of: NaiveDate,
    /// The stage of a restricted call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
}

/// A batch as read, before its columns are checked to have the same length.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BatchColumns {
    ids: TextColumn,
    verdicts: Vec<Verdict>,
    max_eu_contribution: Vec<Option<u64>>,
    eu_share: TextColumn,
    failed: CriterionIds,
    missing: CriterionIds,
    #[serde(deserialize_with = "crate::application::day::as_of")]
    as_of: NaiveDate,
    #[serde(default)]
    stage: Option<Stage>,
}

impl BatchColumns {
    /// The first column whose length differs from `verdicts`', with its length.
    fn uneven(&self) -> Option<(&'static str, usize)> {
        let rows = self.verdicts.len();
        [
            ("ids", self.ids.len()),
            ("max_eu_contribution", self.max_eu_contribution.len()),
            ("eu_share", self.eu_share.len()),
            ("failed", self.failed.len()),
            ("missing", self.missing.len()),
        ]
        .into_iter()
        .find(|(_, len)| *len != rows)
    }
}

/// Why a column of `len` entries does not fit a batch of `rows` verdicts.
fn uneven_message(column: &str, len: usize, rows: usize) -> String {
    format!(
        "column `{column}` has {len} entries but `verdicts` has {rows}: every column of a batch has one entry per row"
    )
}

impl TryFrom<BatchColumns> for BatchResult {
    type Error = String;

    fn try_from(c: BatchColumns) -> Result<BatchResult, String> {
        if let Some((column, len)) = c.uneven() {
            return Err(uneven_message(column, len, c.verdicts.len()));
        }
        Ok(BatchResult {
            ids: c.ids,
            verdicts: c.verdicts,
            max_eu_contribution: c.max_eu_contribution,
            eu_share: c.eu_share,
            failed: c.failed,
            missing: c.missing,
            as_of: c.as_of,
            stage: c.stage,
        })
    }
}

impl BatchResult {
    /// Reads a batch from its JSON shape (what [`serde_json::to_string`] of a batch, Python's
    /// `to_dict()` and JavaScript's `evaluateMany` give).
    ///
    /// # Errors
    /// `invalid_json` for text that is not JSON; otherwise every problem with its path:
    /// `unknown_field`, `missing_field`, `invalid_type` or `invalid_value` for a field that is not
    /// a column or a value that cannot be read, and `invalid_value` at a column whose length
    /// differs from `verdicts`.
    pub fn from_json(text: &str) -> Result<BatchResult, DatasetError> {
        BatchResult::from_value(&parse_document(text)?)
    }

    /// Reads a batch from a parsed JSON value, as [`BatchResult::from_json`].
    ///
    /// # Errors
    /// As [`BatchResult::from_json`].
    pub fn from_value(value: &Value) -> Result<BatchResult, DatasetError> {
        BatchResult::from_value_at(value, "")
    }

    /// Reads a batch found at `path` of a larger document (paths of problems start with it).
    ///
    /// # Errors
    /// As [`BatchResult::from_json`].
    pub fn from_value_at(value: &Value, path: &str) -> Result<BatchResult, DatasetError> {
        let mut problems = Vec::new();
        let columns = crate::dataset::read_record::<BatchColumns>(value, path, &mut problems);
        match columns {
            Some(c) if problems.is_empty() => match c.uneven() {
                Some((column, len)) => Err(DatasetError::new(vec![Problem::new(
                    Code::InvalidValue,
                    crate::dataset::join_path(path, column),
                    uneven_message(column, len, c.verdicts.len()),
                )])),
                None => BatchResult::try_from(c).map_err(|message| {
                    DatasetError::new(vec![Problem::new(Code::InvalidValue, path, message)])
                }),
            },
            _ if problems.is_empty() => Err(DatasetError::new(vec![Problem::new(
                Code::InvalidValue,
                path,
                "not a batch: its columns cannot be read",
            )])),
            _ => Err(DatasetError::new(problems)),
        }
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.verdicts.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.verdicts.is_empty()
    }

    /// No rows yet of a batch of `call`, room for `n`.
    pub(crate) fn with_capacity(
        call: &Call,
        n: usize,
        as_of: NaiveDate,
        stage: Option<Stage>,
    ) -> BatchResult {
        let ids = &call.prepared.batch_ids;
        // Room for ids of up to 16 bytes and shares such as `93.17` (pages never written cost
        // no memory).
        BatchResult {
            ids: TextColumn::with_capacity(n, n.saturating_mul(16)),
            verdicts: Vec::with_capacity(n),
            max_eu_contribution: Vec::with_capacity(n),
            eu_share: TextColumn::with_capacity(n, n.saturating_mul(6)),
            failed: CriterionIds::with_names(std::sync::Arc::clone(ids), n),
            missing: CriterionIds::with_names(std::sync::Arc::clone(ids), n),
            as_of,
            stage,
        }
    }

    /// The rows of `parts` (of `call`, evaluated on `as_of` at `stage`), in order: each column
    /// joined on a thread of its own, as a column's copy (and the first writes to the pages it
    /// fills) are a sixth of a two-core batch when done one after the other.
    #[cfg(feature = "parallel")]
    pub(crate) fn joined(
        call: &Call,
        parts: &[BatchResult],
        as_of: NaiveDate,
        stage: Option<Stage>,
    ) -> BatchResult {
        let rows = parts.iter().map(BatchResult::len).sum();
        let mut out = BatchResult::with_capacity(call, rows, as_of, stage);
        let BatchResult {
            ids,
            verdicts,
            max_eu_contribution,
            eu_share,
            failed,
            missing,
            ..
        } = &mut out;
        rayon::join(
            || {
                rayon::join(
                    || parts.iter().for_each(|p| ids.append(&p.ids)),
                    || parts.iter().for_each(|p| eu_share.append(&p.eu_share)),
                )
            },
            || {
                rayon::join(
                    || {
                        rayon::join(
                            || parts.iter().for_each(|p| failed.append(&p.failed)),
                            || parts.iter().for_each(|p| missing.append(&p.missing)),
                        )
                    },
                    || {
                        rayon::join(
                            || {
                                parts
                                    .iter()
                                    .for_each(|p| verdicts.extend_from_slice(&p.verdicts))
                            },
                            || {
                                parts.iter().for_each(|p| {
                                    max_eu_contribution.extend_from_slice(&p.max_eu_contribution)
                                })
                            },
                        )
                    },
                )
            },
        );
        out
    }

    /// Appends the rows of `other` (whose date and stage the caller has checked).
    fn join(&mut self, other: BatchResult) {
        let BatchResult {
            ids,
            verdicts,
            max_eu_contribution,
            eu_share,
            failed,
            missing,
            as_of: _,
            stage: _,
        } = other;
        self.ids.append(&ids);
        self.verdicts.extend(verdicts);
        self.max_eu_contribution.extend(max_eu_contribution);
        self.eu_share.append(&eu_share);
        self.failed.append(&failed);
        self.missing.append(&missing);
    }

    /// Appends the rows of `other`, a batch of the same call evaluated on the same date and
    /// stage, after this one's: what evaluating a batch in parts and joining them gives, row for
    /// row the same as evaluating it whole.
    ///
    /// # Errors
    /// `other`, unchanged, when its evaluation date or stage differs (its rows would not be
    /// comparable with these).
    pub fn append(&mut self, other: BatchResult) -> Result<(), Box<BatchResult>> {
        if other.as_of != self.as_of || other.stage != self.stage {
            return Err(Box::new(other));
        }
        self.join(other);
        Ok(())
    }

    /// How many rows have each verdict: (eligible, ineligible, undetermined).
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |v: Verdict| self.verdicts.iter().filter(|x| **x == v).count();
        (
            count(Verdict::Eligible),
            count(Verdict::Ineligible),
            count(Verdict::Undetermined),
        )
    }
}

/// How one application's decision differs between two calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// The application's position in the input.
    pub index: usize,
    /// Its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<String>,
    /// The verdict under the first call.
    pub verdict_a: Verdict,
    /// The verdict under the second call.
    pub verdict_b: Verdict,
    /// Whether the verdict changed.
    pub verdict_changed: bool,
    /// The maximum EU contribution under the first call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_eu_contribution_a: Option<u64>,
    /// The maximum EU contribution under the second call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_eu_contribution_b: Option<u64>,
    /// Whether the grant changed: the maximum EU contribution, the total eligible costs, the
    /// eligible indirect costs or contingency reserve, or the minimum contribution.
    pub grant_changed: bool,
    /// The criteria whose outcome differs (present in one call only, or with another outcome).
    pub changes: Vec<CriterionChange>,
    /// Why, in words.
    pub why: String,
}

/// A criterion whose outcome differs between two calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionChange {
    /// The criterion's id.
    pub id: String,
    /// Its outcome under the first call (absent: the call has no such criterion).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a: Option<Outcome>,
    /// Its outcome under the second call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b: Option<Outcome>,
}

impl Call {
    /// Evaluates one application.
    ///
    /// `as_of` is the evaluation date (the bindings default it to today in UTC); `stage` is the
    /// stage of a restricted call (absent: the last stage, every criterion applies).
    pub fn evaluate(
        &self,
        application: &Application,
        as_of: NaiveDate,
        stage: Option<Stage>,
    ) -> Decision {
        decide(self, application, as_of, stage)
    }

    /// The verdict on one application, without the checks, messages or grant: the rules are
    /// evaluated until the first failure, which settles the verdict.
    pub fn verdict(
        &self,
        application: &Application,
        as_of: NaiveDate,
        stage: Option<Stage>,
    ) -> Verdict {
        crate::eval::verdict_only(self, application, as_of, stage)
    }

    /// Reads and evaluates one application from JSON.
    ///
    /// # Errors
    /// A [`DatasetError`] when the application cannot be read (every problem with its path).
    pub fn evaluate_json(
        &self,
        application: &str,
        as_of: NaiveDate,
        stage: Option<Stage>,
    ) -> Result<Decision, DatasetError> {
        let app = Application::from_json(application)?;
        Ok(self.evaluate(&app, as_of, stage))
    }

    /// Evaluates many applications: full decisions, in input order.
    pub fn evaluate_all(
        &self,
        applications: &[Application],
        as_of: NaiveDate,
        stage: Option<Stage>,
    ) -> Vec<Decision> {
        applications
            .iter()
            .map(|a| self.evaluate(a, as_of, stage))
            .collect()
    }

    /// Evaluates many applications into columns, in input order (one core).
    pub fn evaluate_many(
        &self,
        applications: &[Application],
        as_of: NaiveDate,
        stage: Option<Stage>,
    ) -> BatchResult {
        let mut out = BatchResult::with_capacity(self, applications.len(), as_of, stage);
        for a in applications {
            self.push_row(&mut out, a);
        }
        out
    }

    /// As [`Call::evaluate_many`], on all cores; the results are identical.
    #[cfg(feature = "parallel")]
    pub fn evaluate_many_parallel(
        &self,
        applications: &[Application],
        as_of: NaiveDate,
        stage: Option<Stage>,
    ) -> BatchResult {
        use rayon::prelude::*;
        // Each thread fills the columns of its parts, which are then joined in order: a few
        // parts per thread, so that a thread that finishes early takes another.
        let parts = rayon::current_num_threads().saturating_mul(4).max(1);
        let size = applications.len().div_ceil(parts).max(PARALLEL_PART_MIN);
        let evaluated: Vec<BatchResult> = applications
            .par_chunks(size)
            .map(|part| self.evaluate_many(part, as_of, stage))
            .collect();
        BatchResult::joined(self, &evaluated, as_of, stage)
    }

    /// Reads applications from JSON Lines (one application per line; blank lines are skipped) and
    /// evaluates them into columns.
    ///
    /// # Errors
    /// A [`DatasetError`] listing every problem of every line, with paths `[i].field` where `i` is
    /// the application's index (line numbers are in the messages).
    pub fn evaluate_jsonl(
        &self,
        text: &str,
        as_of: NaiveDate,
        stage: Option<Stage>,
    ) -> Result<BatchResult, DatasetError> {
        if let Some(batch) = self.evaluate_jsonl_fast(text, as_of, stage) {
            return Ok(batch);
        }
        // A line the fast reader does not read (or too many lines): every line read again the
        // way that names every problem.
        let applications = read_jsonl_reporting(text)?;
        Ok(self.evaluate_many(&applications, as_of, stage))
    }

    /// Each line evaluated as it is read the fast way, and no application kept (see
    /// [`Call::evaluate_each`]). `None` when a line needs the reporting reader or the batch is
    /// over [`crate::limits::MAX_BATCH`].
    fn evaluate_jsonl_fast(
        &self,
        text: &str,
        as_of: NaiveDate,
        stage: Option<Stage>,
    ) -> Option<BatchResult> {
        // On one thread, each line is read where it starts, and ends where its application
        // does: the text is not split into lines first (`memchr` over every byte, a twentieth
        // of reading and evaluating a line in WebAssembly).
        #[cfg(not(feature = "parallel"))]
        return self.evaluate_lines_in_order(text, as_of, stage);
        #[cfg(feature = "parallel")]
        {
            let lines: Vec<&str> = jsonl_lines(text).collect();
            self.evaluate_each_into(lines.len(), as_of, stage, &|i, app| {
                lines.get(i).is_some_and(|line| read_line_into(line, app))
            })
        }
    }

    /// The lines of JSON Lines text evaluated one after the other, each read into the
    /// application of the line before where it starts ([`crate::scan::line_into`]); a line
    /// that reader gives up is cut at its `\n` and read as [`jsonl_lines`] gives it. The rows
    /// are those of the lines [`jsonl_lines`] names, in order. `None` as
    /// [`Call::evaluate_jsonl_fast`].
    #[cfg_attr(feature = "parallel", allow(dead_code))]
    fn evaluate_lines_in_order(
        &self,
        text: &str,
        as_of: NaiveDate,
        stage: Option<Stage>,
    ) -> Option<BatchResult> {
        use crate::scan::{Line, line_into};
        let mut out = BatchResult::with_capacity(self, 0, as_of, stage);
        let mut app = Application::default();
        let mut rows = 0usize;
        let mut at = 0;
        while at < text.len() {
            let rest = text.get(at..)?;
            let read = match line_into(rest, &mut app) {
                Line::Read(end) if end <= crate::dataset::MAX_DOCUMENT_BYTES => Some(end),
                Line::Blank(end) => {
                    at += end;
                    continue;
                }
                Line::Read(_) | Line::Other => None,
            };
            let end = match read {
                Some(end) => end,
                None => {
                    // The line as `str::lines` cuts it: to its `\n`, less a `\r` before it.
                    let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
                    let line = rest.get(..end)?;
                    let line = line
                        .strip_suffix('\n')
                        .map_or(line, |l| l.strip_suffix('\r').unwrap_or(l));
                    if line.trim().is_empty() {
                        at += end;
                        continue;
                    }
                    if !read_line_into(line, &mut app) {
                        return None;
                    }
                    end
                }
            };
            rows += 1;
            if rows > crate::limits::MAX_BATCH {
                return None;
            }
            self.push_row(&mut out, &app);
            at += end;
        }
        Some(out)
    }

    /// Evaluates the `count` applications that `read` gives for `0..count` into columns, in
    /// that order, each read on the thread that evaluates it and dropped once its row is
    /// written: the memory of the batch is its columns, whatever reads the applications (lines
    /// of JSON, the rows of a table's columns). With the `parallel` feature the indices are cut
    /// into parts, each part read and evaluated on one of rayon's threads, and the parts' rows
    /// joined in order; without it, one index after the other. The rows are those of
    /// [`Call::evaluate_many`] on the applications `read` gives.
    ///
    /// `None` as soon as `read` gives `None` for an index (every part then stops), or when
    /// `count` is over [`crate::limits::MAX_BATCH`]: the caller reads the batch another way,
    /// one that names its problems.
    pub fn evaluate_each<F>(
        &self,
        count: usize,
        as_of: NaiveDate,
        stage: Option<Stage>,
        read: F,
    ) -> Option<BatchResult>
    where
        F: Fn(usize) -> Option<Application> + Sync,
    {
        self.evaluate_each_into(count, as_of, stage, &|i, app| match read(i) {
            Some(read) => {
                *app = read;
                true
            }
            None => false,
        })
    }

    /// [`Call::evaluate_each`], each application read by `read_into` into the one that
    /// `read_into` gave for the index before (on the same thread), which it replaces: `false`
    /// when it does not read one.
    fn evaluate_each_into(
        &self,
        count: usize,
        as_of: NaiveDate,
        stage: Option<Stage>,
        read_into: &ReadInto<'_>,
    ) -> Option<BatchResult> {
        if count > crate::limits::MAX_BATCH {
            return None;
        }
        #[cfg(feature = "parallel")]
        return self.in_parts(count, as_of, stage, &|range, stop| {
            self.evaluate_range(range, as_of, stage, read_into, stop)
        });
        #[cfg(not(feature = "parallel"))]
        return self.evaluate_range(0..count, as_of, stage, read_into, &|| false);
    }

    /// The applications `read` gives for `range`, evaluated one after the other into columns;
    /// `None` at the first that it does not give, or once `stop` says so.
    fn evaluate_range(
        &self,
        range: std::ops::Range<usize>,
        as_of: NaiveDate,
        stage: Option<Stage>,
        read_into: &ReadInto<'_>,
        stop: &dyn Fn() -> bool,
    ) -> Option<BatchResult> {
        let mut out = BatchResult::with_capacity(self, range.len(), as_of, stage);
        let mut app = Application::default();
        for i in range {
            if stop() || !read_into(i, &mut app) {
                return None;
            }
            self.push_row(&mut out, &app);
        }
        Some(out)
    }

    /// The rows `0..count`, cut into parts that `part` evaluates on rayon's threads (each given
    /// its range, and a test of whether to stop), then joined in order. `None` as soon as a
    /// part gives `None`: the other parts then stop.
    #[cfg(feature = "parallel")]
    pub(crate) fn in_parts(
        &self,
        count: usize,
        as_of: NaiveDate,
        stage: Option<Stage>,
        part: &Part<'_>,
    ) -> Option<BatchResult> {
        use rayon::prelude::*;
        use std::sync::atomic::{AtomicBool, Ordering};
        let parts = rayon::current_num_threads().saturating_mul(4).max(1);
        let size = count.div_ceil(parts).max(PARALLEL_PART_MIN);
        let stopped = AtomicBool::new(false);
        let evaluated: Vec<Option<BatchResult>> = (0..count.div_ceil(size))
            .into_par_iter()
            .map(|k| {
                let range = k * size..((k + 1) * size).min(count);
                let out = part(range, &|| stopped.load(Ordering::Relaxed));
                if out.is_none() {
                    stopped.store(true, Ordering::Relaxed);
                }
                out
            })
            .collect();
        let evaluated: Vec<BatchResult> = evaluated.into_iter().collect::<Option<_>>()?;
        Some(BatchResult::joined(self, &evaluated, as_of, stage))
    }

    /// The full decision for row `i` of a batch evaluated from these applications.
    pub fn decision(
        &self,
        applications: &[Application],
        batch: &BatchResult,
        i: usize,
    ) -> Option<Decision> {
        applications
            .get(i)
            .map(|a| self.evaluate(a, batch.as_of, batch.stage))
    }

    /// Evaluates one application into the next row of `out` (its date and stage).
    fn push_row(&self, out: &mut BatchResult, app: &Application) {
        let (as_of, stage) = (out.as_of, out.stage);
        let verdict = quick(self, app, as_of, stage, &mut out.failed, &mut out.missing);
        self.end_row(out, app, verdict);
    }

    /// Writes the rest of a row whose criteria `verdict` sums up: the application's id, the
    /// verdict and the grant.
    #[inline(always)]
    pub(crate) fn end_row(&self, out: &mut BatchResult, app: &Application, verdict: Verdict) {
        let (as_of, stage) = (out.as_of, out.stage);
        // The grant with the criteria a full decision applies.
        let grant = crate::eval::grant_figures(self, app, as_of, stage);
        out.ids.push(app.id.as_deref());
        out.verdicts.push(verdict);
        out.max_eu_contribution.push(grant.and_then(|g| g.0));
        out.eu_share.push_with(|text| match grant {
            Some((_, Some(requested), total)) => write_share(requested, total, text),
            _ => false,
        });
    }
}

/// What evaluates one part of a batch cut into parts ([`Call::in_parts`]): its rows, and a test
/// of whether to stop (another part could not be evaluated).
#[cfg(feature = "parallel")]
pub(crate) type Part<'a> =
    dyn Fn(std::ops::Range<usize>, &dyn Fn() -> bool) -> Option<BatchResult> + Sync + 'a;

/// The fewest applications a thread evaluates at a time: fewer, and handing out the work and
/// joining the columns would cost more than it saves.
/// What reads the application of an index of a batch into the application it is given (the
/// one read for the index before, on that thread), replacing it: `false` when it does not.
type ReadInto<'a> = dyn Fn(usize, &mut Application) -> bool + Sync + 'a;

#[cfg(feature = "parallel")]
pub(crate) const PARALLEL_PART_MIN: usize = 256;

/// The lines of JSON Lines text that are applications, in order: a line ends at `\n` (or
/// `\r\n`, and nowhere else), and a line of only whitespace (Unicode's) is skipped. Row `i` of
/// a batch read from the text is the `i`-th.
pub fn jsonl_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| !l.trim().is_empty())
}

/// Reads JSON Lines into applications, collecting every problem.
///
/// # Errors
/// As [`Call::evaluate_jsonl`].
pub fn read_jsonl(text: &str) -> Result<Vec<Application>, DatasetError> {
    if let Some(apps) = read_jsonl_fast(text) {
        return Ok(apps);
    }
    read_jsonl_reporting(text)
}

/// Reads one line straight into an application, without building a JSON value first, when the
/// line is an object with no unknown field and no value that cannot be read: `None` otherwise (then
/// it is read again the way that reports every problem, with the same result when it reads).
fn read_line_fast(line: &str) -> Option<Application> {
    if line.len() > crate::dataset::MAX_DOCUMENT_BYTES {
        return None;
    }
    crate::scan::application(line).or_else(|| read_line_by_serde(line))
}

/// [`read_line_fast`] into `app`, the application of the line before, reusing its strings and
/// lists: `false` when the line is not read, and `app` is then left holding part of it.
fn read_line_into(line: &str, app: &mut Application) -> bool {
    if line.len() > crate::dataset::MAX_DOCUMENT_BYTES {
        return false;
    }
    if crate::scan::read_into(line, app) {
        return true;
    }
    match read_line_by_serde(line) {
        Some(read) => {
            *app = read;
            true
        }
        None => false,
    }
}

/// A line read by serde's derived reader ([`Application::read_fast`]), what [`crate::scan`]
/// leaves to it. In WebAssembly, `None`: what the byte-by-byte reader gives up (a key written
/// with an escape, a number with a sign, a fraction or an exponent) is left to the reporting
/// reader, and serde's reader of text is not compiled for applications (BENCHMARKS.md).
fn read_line_by_serde(line: &str) -> Option<Application> {
    if cfg!(target_arch = "wasm32") || !line.trim_start().starts_with('{') {
        return None;
    }
    let mut de = serde_json::Deserializer::from_str(line);
    let app = Application::read_fast(&mut de)?;
    de.end().ok()?;
    Some(app)
}

/// Every line read the fast way (on all cores with the `parallel` feature), or `None` when one of
/// them needs the reporting reader.
fn read_jsonl_fast(text: &str) -> Option<Vec<Application>> {
    let lines: Vec<&str> = jsonl_lines(text).collect();
    if lines.len() > crate::limits::MAX_BATCH {
        return None;
    }
    // Into a `Vec<Option<_>>` first: rayon writes an indexed collect in place, where collecting
    // into `Option<Vec<_>>` goes through linked chunks that are then copied (a third of the time
    // of reading, in `memmove` and `malloc_consolidate`). The second pass reuses the allocation.
    #[cfg(feature = "parallel")]
    let read: Vec<Option<Application>> = {
        use rayon::prelude::*;
        lines.par_iter().map(|l| read_line_fast(l)).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let read: Vec<Option<Application>> = lines.iter().map(|l| read_line_fast(l)).collect();
    read.into_iter().collect()
}

/// Reads a JSON array of applications straight from its text when every application reads as it
/// is (see [`Application::read_fast`]), without building a JSON value: `None` otherwise, and then
/// [`read_applications`] on the parsed value names every problem. What the WebAssembly package uses
/// for `evaluateMany` on plain objects, after `JSON.stringify`.
pub fn read_applications_fast(text: &str) -> Option<Vec<Application>> {
    struct Batch;
    impl<'de> serde::de::Visitor<'de> for Batch {
        type Value = Vec<Application>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of applications")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Vec<Application>, A::Error> {
            let mut apps = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(app) = seq.next_element_seed(One)? {
                if apps.len() == crate::limits::MAX_BATCH {
                    return Err(serde::de::Error::custom("too many applications"));
                }
                apps.push(app);
            }
            Ok(apps)
        }
    }
    // Each item must be an object: serde reads a struct from a list too, which the reporting
    // reader refuses. `deserialize_map` takes only an object, whose entries are then read as the
    // application.
    struct One;
    impl<'de> serde::de::DeserializeSeed<'de> for One {
        type Value = Application;
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Application, D::Error> {
            d.deserialize_map(One)
        }
    }
    impl<'de> serde::de::Visitor<'de> for One {
        type Value = Application;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an application")
        }
        fn visit_map<M: serde::de::MapAccess<'de>>(self, map: M) -> Result<Application, M::Error> {
            Application::read_fast(serde::de::value::MapAccessDeserializer::new(map))
                .ok_or_else(|| serde::de::Error::custom("read again"))
        }
    }
    if let Some(apps) = crate::scan::applications(text, crate::limits::MAX_BATCH) {
        return Some(apps);
    }
    // In WebAssembly, what the byte-by-byte reader gives up is read by the reporting reader, as
    // in `read_line_by_serde`: from the text's JSON value, whose numbers are those serde reads
    // from the text (a code of 20 digits a `u64`, where a JavaScript number is a float).
    if cfg!(target_arch = "wasm32") {
        let value = crate::json::read(text).ok()?;
        return read_applications(&value).ok();
    }
    // No document size limit: the text is a batch (limited in number), not a document, and each
    // application is shallow (serde_json's own recursion limit stops anything deep).
    let mut de = serde_json::Deserializer::from_str(text);
    let apps = serde::Deserializer::deserialize_seq(&mut de, Batch).ok()?;
    de.end().ok()?;
    Some(apps)
}

/// Reads JSON Lines the way that reports every problem of every line.
fn read_jsonl_reporting(text: &str) -> Result<Vec<Application>, DatasetError> {
    let mut apps = Vec::new();
    let mut problems = Vec::new();
    let mut index = 0usize;
    for (line_no, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if index == crate::limits::MAX_BATCH {
            problems.push(crate::limits::batch_problem(None));
            break;
        }
        let path = format!("[{index}]");
        index += 1;
        match parse_document(line) {
            Ok(value) => match Application::from_value_at(&value, &path) {
                Ok(a) => apps.push(a),
                Err(e) => problems.extend(e.into_problems().into_iter().map(|mut p| {
                    p.message = format!("line {}: {}", line_no + 1, p.message);
                    p
                })),
            },
            Err(e) => problems.extend(e.into_problems().into_iter().map(|mut p| {
                p.path = path.clone();
                p.message = format!("line {}: {}", line_no + 1, p.message);
                p
            })),
        }
        if problems.len() > 1000 {
            problems.push(Problem::new(
                Code::InvalidValue,
                "",
                "more than 1000 problems; stopped reading",
            ));
            break;
        }
    }
    if problems.is_empty() {
        Ok(apps)
    } else {
        Err(DatasetError::new(problems))
    }
}

/// Reads a JSON array of applications (paths `[i].field`).
///
/// # Errors
/// A [`DatasetError`] listing every problem of every application.
pub fn read_applications(value: &Value) -> Result<Vec<Application>, DatasetError> {
    let Value::Array(items) = value else {
        return Err(DatasetError::new(vec![Problem::new(
            Code::InvalidType,
            "",
            "expected a list of applications",
        )]));
    };
    crate::limits::check_batch(items.len())?;
    let mut apps = Vec::with_capacity(items.len());
    let mut problems = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match Application::from_value_at(item, &format!("[{i}]")) {
            Ok(a) => apps.push(a),
            Err(e) => problems.extend(e.into_problems()),
        }
    }
    if problems.is_empty() {
        Ok(apps)
    } else {
        Err(DatasetError::new(problems))
    }
}

/// Compares two calls on the same applications: which verdicts and grants change, and why.
pub fn compare(
    a: &Call,
    b: &Call,
    applications: &[Application],
    as_of: NaiveDate,
) -> Vec<Comparison> {
    applications
        .iter()
        .enumerate()
        .map(|(index, app)| {
            let da = a.evaluate(app, as_of, None);
            let db = b.evaluate(app, as_of, None);
            let mut changes = Vec::new();
            for c in &da.checks {
                let other = db.checks.iter().find(|x| x.id == c.id).map(|x| x.outcome);
                if other != Some(c.outcome) {
                    changes.push(CriterionChange {
                        id: c.id.clone(),
                        a: Some(c.outcome),
                        b: other,
                    });
                }
            }
            for c in &db.checks {
                if !da.checks.iter().any(|x| x.id == c.id) {
                    changes.push(CriterionChange {
                        id: c.id.clone(),
                        a: None,
                        b: Some(c.outcome),
                    });
                }
            }
            let max_a = da.grant.as_ref().and_then(|g| g.max_eu_contribution);
            let max_b = db.grant.as_ref().and_then(|g| g.max_eu_contribution);
            let outcome = |o: Option<Outcome>| match o {
                None => "absent".to_string(),
                Some(o) => serde_json::to_value(o)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
            };
            let mut why: Vec<String> = changes
                .iter()
                .map(|c| format!("`{}`: {} → {}", c.id, outcome(c.a), outcome(c.b)))
                .collect();
            let money =
                |m: Option<u64>| m.map_or("-".into(), |m| crate::money::Amount(m).display());
            if max_a != max_b {
                why.push(format!(
                    "maximum EU contribution: {} → {}",
                    money(max_a),
                    money(max_b)
                ));
            }
            // The other figures of the grant: a change there matters even where the call's
            // maximum binds both ways.
            let figures = |g: &Option<crate::eval::Grant>| -> [Option<u64>; 4] {
                let Some(g) = g else { return [None; 4] };
                [
                    Some(g.total_eligible),
                    Some(g.indirect_eligible),
                    Some(g.contingency_eligible),
                    g.min_eu_contribution,
                ]
            };
            let names = [
                "total eligible costs",
                "eligible indirect costs",
                "eligible contingency reserve",
                "minimum EU contribution",
            ];
            let mut grant_changed = max_a != max_b;
            let pairs = figures(&da.grant).into_iter().zip(figures(&db.grant));
            for (name, (x, y)) in names.into_iter().zip(pairs) {
                if x != y {
                    grant_changed = true;
                    why.push(format!("{name}: {} → {}", money(x), money(y)));
                }
            }
            Comparison {
                index,
                application: app.id.clone(),
                verdict_a: da.verdict,
                verdict_b: db.verdict,
                verdict_changed: da.verdict != db.verdict,
                max_eu_contribution_a: max_a,
                max_eu_contribution_b: max_b,
                grant_changed,
                changes,
                why: if why.is_empty() {
                    "no difference".into()
                } else {
                    why.join("; ")
                },
            }
        })
        .collect()
}

impl Dataset {
    /// Every call of the dataset open on `as_of` ([`Call::open_on`]: its rules in force and its
    /// deadline not past), with its decision on the application: eligible first, then
    /// undetermined, then ineligible (ties in dataset order). Common parts of calls with lots are
    /// left out: one applies to a lot.
    pub fn match_calls(&self, application: &Application, as_of: NaiveDate) -> Vec<Decision> {
        let mut decisions: Vec<Decision> = self
            .calls()
            .into_iter()
            .filter(|c| c.open_on(as_of))
            .map(|c| c.evaluate(application, as_of, None))
            .collect();
        decisions.sort_by_key(|d| d.verdict);
        decisions
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const CALL: &str = r#"{"id": "fx-batch", "version": "1", "kind": "call", "title": "Fixture call fx-batch",
        "criteria": [{"id": "indirect", "statement": "The rule indirect",
            "citation": {"reference": "Guidelines 2.1 (indirect)", "source": {"title": "Guidelines for applicants (fixture)", "address": "https://example.org/guidelines.pdf"}},
            "test": {"indirect_cap": {"max_percent": "7"}}}],
        "sources": [{"title": "Guidelines for applicants (fixture)", "address": "https://example.org/guidelines.pdf"}]}"#;

    fn lines(n: usize) -> String {
        let mut text = String::from("\r\n");
        for i in 0..n {
            let indirect = if i % 3 == 0 { 800 } else { 600 };
            text.push_str(&format!(
                r#"{{"id": "Заявка-{i}", "budget": {{"direct": 10000, "indirect": {indirect}}}}}"#
            ));
            text.push_str(if i % 2 == 0 { "\r\n" } else { "\n  \n" });
        }
        text
    }

    /// The fast way (one line after another, or in parts on all cores with `parallel`) reads and
    /// evaluates lines with Windows line ends, blank lines and text beyond ASCII, in as many
    /// parts as the lines make, and gives the rows of reading every line first; a line it does
    /// not read stops it (the reporting reader then names the problem).
    #[test]
    fn json_lines_are_evaluated_the_fast_way_and_a_line_it_does_not_read_stops_it() {
        let call = Call::from_json(CALL).unwrap();
        let as_of = NaiveDate::from_ymd_opt(2020, 9, 4).unwrap();
        let text = lines(3_000);
        let fast = call
            .evaluate_jsonl_fast(&text, as_of, None)
            .expect("every line reads the fast way");
        let apps = read_jsonl_reporting(&text).unwrap();
        assert_eq!(apps.len(), 3_000);
        assert_eq!(fast, call.evaluate_many(&apps, as_of, None));
        assert_eq!(fast.counts(), (2_000, 1_000, 0));
        let bad = format!("{text}{{\"id\": \"x\", \"budget\": {{\"direct\": \"ten\"}}}}\n");
        assert!(call.evaluate_jsonl_fast(&bad, as_of, None).is_none());
        let e = call.evaluate_jsonl(&bad, as_of, None).unwrap_err();
        assert_eq!(e.problems()[0].path, "[3000].budget.direct");
    }

    /// On one thread, lines read where they start (`evaluate_lines_in_order`, what WebAssembly
    /// runs whatever the features of this test) give the rows of the lines `jsonl_lines` names,
    /// read each on its own: blank lines of every kind, Windows and bare line ends, lines the
    /// byte-by-byte reader gives up (read by serde then), and lines no reader reads (`None`).
    #[test]
    fn lines_read_where_they_start_are_the_lines_of_jsonl_lines() {
        let call = Call::from_json(CALL).unwrap();
        let as_of = NaiveDate::from_ymd_opt(2020, 9, 4).unwrap();
        let a = r#"{"id": "a", "budget": {"direct": 10000, "indirect": 800}}"#;
        let b = r#"{"id":"b","budget":{"direct":10000,"indirect":600}}"#;
        // Given up by the byte-by-byte reader (a key written with an escape), read by serde.
        let serde =
            r#"{"i\u0064": "c", "budget": {"lines": [{"heading": "staff", "amount": 10000}]}}"#;
        assert!(crate::scan::application(serde).is_none());
        // Read by both: `null` is an absent field.
        let null = r#"{"id": null, "budget": {"direct": 10000, "indirect": 700, "lines": null}}"#;
        assert!(crate::scan::application(null).is_some());
        let texts = [
            format!("{a}\n{b}"),
            format!("{a}\r\n{b}\r\n"),
            format!("\n\n  \t\r\n{a}\n \n\r\n\r\n{b}\n\n"),
            format!("{a}\n\u{a0}\u{3000}\n{b}\r"),
            format!("{a}\u{a0}\n{b}"),
            format!("  {a}  \r\r\n\t{b}\t"),
            format!("{serde}\n{a}\n{serde}"),
            format!("{null}\n{serde}\n{null}"),
            format!("{a}\r{b}\n"),
            format!("{a}{b}\n"),
            format!("{a}\n{{\"id\":\n\"b\"}}"),
            format!("{a}\n[1]\n{b}"),
            format!("{a}\n{{\"budget\": {{\"direct\": -1}}}}"),
            String::new(),
            "\n \r\n".to_string(),
            lines(50),
        ];
        for text in &texts {
            let expected = read_jsonl(text)
                .ok()
                .map(|apps| call.evaluate_many(&apps, as_of, None));
            let got = call.evaluate_lines_in_order(text, as_of, None);
            assert_eq!(got, expected, "{text:?}");
        }
        let read: Vec<bool> = texts
            .iter()
            .map(|t| call.evaluate_lines_in_order(t, as_of, None).is_some())
            .collect();
        let (t, f) = (true, false);
        assert_eq!(read, [t, t, t, t, f, t, t, t, f, f, f, f, f, t, t, t]);
    }
}
