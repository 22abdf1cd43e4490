//! Evaluating a batch given as columns (a DataFrame's), a criterion at a time where it pays:
//! once for each distinct value of the columns the criterion reads, rather than once for each
//! row.
//!
//! A call's criteria each read a few fields of an application ([`crate::reads`]). Most of them
//! read columns of few distinct values (a country, a legal form, a flag), so a batch of a
//! hundred thousand rows asks each such criterion the same few questions over and over. Given
//! each column's cells as codes (equal codes for cells that read as the same value), a criterion
//! whose columns all have codes is evaluated on the first row of each combination of codes it
//! meets, and its outcome remembered for the others; the rest of the criteria, and the grant,
//! are evaluated on each row, from an application that holds only the cells they read. The
//! outcomes are those of [`Call::evaluate_many`] on the rows' applications, by construction:
//! the same engine evaluates the same criteria on applications that agree on every field each
//! of them reads. Every cell is still read (once per distinct code, or once per row), so a cell
//! that does not read stops the batch as it would stop a batch of applications.

use std::sync::atomic::{AtomicU8, Ordering};

use chrono::NaiveDate;

use crate::application::Application;
use crate::batch::BatchResult;
use crate::call::Call;
use crate::eval::{Ctx, Outcome, Quiet, applies_at, end_of_row, eval};
use crate::rules::Stage;

/// The codes and stride of each column a criterion reads (a row's index into the table of
/// remembered outcomes is the sum of its codes times their strides), and the table's size.
type Keyed<'t> = (Vec<(&'t [u32], usize)>, usize);

/// The largest table of remembered outcomes of one criterion (the product of the numbers of
/// codes of the columns it reads); a criterion whose columns have more combinations is evaluated
/// on each row.
const TABLE_MAX: usize = 1 << 16;

/// A batch of applications given column by column: what [`Call::evaluate_columns`] reads.
///
/// Every cell is present (a table with missing cells is read another way), and placing the cells
/// of a row into an application that holds another row's cells of the same columns gives the
/// application of that row: each cell replaces the field it places.
///
/// ```
/// use chrono::NaiveDate;
/// use euca::{Application, Call, Columns};
///
/// /// The lead applicants' countries, coded: `FR` is 0, `TJ` is 1.
/// struct Leads {
///     paths: Vec<String>,
///     countries: Vec<&'static str>,
///     codes: Vec<u32>,
/// }
///
/// impl Columns for Leads {
///     fn rows(&self) -> usize {
///         self.countries.len()
///     }
///     fn paths(&self) -> &[String] {
///         &self.paths
///     }
///     fn codes(&self, _column: usize) -> Option<(&[u32], u32)> {
///         Some((&self.codes, 2))
///     }
///     fn place(&self, app: &mut Application, _column: usize, row: usize) -> bool {
///         let applicant = app.applicant.get_or_insert_default();
///         applicant.country = self.countries.get(row).map(|c| c.to_string());
///         true
///     }
/// }
///
/// let call = Call::from_json(r#"{"id": "tj", "version": "1", "kind": "call", "title": "A call",
///     "sources": [{"title": "Guidelines", "address": "https://example.org/g.pdf"}],
///     "criteria": [{"id": "lead_tj", "statement": "The lead applicant is established in Tajikistan",
///         "citation": {"reference": "2.1", "source": {"title": "Guidelines", "address": "https://example.org/g.pdf"}},
///         "test": {"established_in": {"any_of": ["TJ"]}}}]}"#)?;
/// let leads = Leads {
///     paths: vec!["applicant.country".into()],
///     countries: vec!["TJ", "FR", "TJ", "TJ"],
///     codes: vec![1, 0, 1, 1],
/// };
/// let as_of = NaiveDate::from_ymd_opt(2020, 9, 4).unwrap();
/// // `lead_tj` is evaluated twice (once per country), not four times.
/// let batch = call.evaluate_columns(&leads, as_of, None).expect("every cell reads");
/// let rows: Vec<Application> = (0..4)
///     .map(|row| {
///         let mut app = Application::default();
///         leads.place(&mut app, 0, row);
///         app
///     })
///     .collect();
/// assert_eq!(batch, call.evaluate_many(&rows, as_of, None));
/// assert_eq!(batch.failed.get(1).unwrap().to_vec(), ["lead_tj"]);
/// # Ok::<(), euca::DatasetError>(())
/// ```
pub trait Columns: Sync {
    /// The number of rows.
    fn rows(&self) -> usize;

    /// Each column's dotted path in the application's JSON form (`applicant.country`).
    fn paths(&self) -> &[String];

    /// The cells of `column` as codes, one per row, and how many codes there are (each below
    /// that, and no more than the rows or two): two cells with the same code read as the same value.
    /// `None` for a column without codes (one of many distinct values, or one not worth coding):
    /// the criteria reading it are evaluated on each row. Codes that break these rules make
    /// [`Call::evaluate_columns`] give `None`.
    fn codes(&self, column: usize) -> Option<(&[u32], u32)>;

    /// Places the cell of `column` in row `row` into `app` at the column's path, creating the
    /// objects on the way (`applicant` for `applicant.country`), as a JSON object of the row's
    /// cells would hold them; false when the cell does not read as the field it names.
    fn place(&self, app: &mut Application, column: usize, row: usize) -> bool;
}

/// How a batch of columns is evaluated: worked out once for the call and the columns.
struct Plan<'t> {
    /// An application holding the objects the columns' paths imply, and nothing else.
    template: Application,
    /// For each criterion: the columns it reads and, when their codes are few enough, the
    /// strides that turn a row's codes into the index of its remembered outcome.
    criteria: Vec<Criterion<'t>>,
    /// The columns placed in each row's application: those of the criteria evaluated on each
    /// row, the grant's (the budget) and the id.
    each_row: Vec<usize>,
    /// Columns without codes that nothing else reads: each cell read once, to check it.
    checked: Vec<usize>,
}

struct Criterion<'t> {
    columns: Vec<usize>,
    /// How a row's outcome is found: `None` when evaluated on each row.
    keyed: Option<Keyed<'t>>,
    /// The outcomes remembered so far, shared by the parts evaluated on each core: 0 for none
    /// yet, else the outcome + 1 (two threads meeting the same codes first at once both write
    /// the same outcome).
    remembered: Vec<AtomicU8>,
}

impl Call {
    /// Evaluates a batch given as [`Columns`] into columns, as [`Call::evaluate_many`] would
    /// evaluate the rows' applications (the rows are identical), reading each column's cells
    /// once and evaluating a criterion whose columns have codes once for each combination of
    /// codes it meets (see the module's documentation). With the `parallel` feature the rows are
    /// cut into parts evaluated on all cores.
    ///
    /// `None` when a cell does not read, a row's application is over the limits
    /// ([`Application::within_limits`]), or the batch is over [`crate::limits::MAX_BATCH`]: the
    /// caller then reads the batch another way, one that names its problems.
    pub fn evaluate_columns<C: Columns>(
        &self,
        table: &C,
        as_of: NaiveDate,
        stage: Option<Stage>,
    ) -> Option<BatchResult> {
        let rows = table.rows();
        if rows > crate::limits::MAX_BATCH {
            return None;
        }
        let plan = self.plan(table, stage)?;
        #[cfg(feature = "parallel")]
        return self.in_parts(rows, as_of, stage, &|range, stop| {
            self.evaluate_rows(table, &plan, range, as_of, stage, stop)
        });
        #[cfg(not(feature = "parallel"))]
        self.evaluate_rows(table, &plan, 0..rows, as_of, stage, &|| false)
    }

    /// Works out which criteria are remembered by codes, which columns each row's application
    /// holds, and checks each coded column's cells once per code. `None` when one does not read.
    fn plan<'t, C: Columns>(&self, table: &'t C, stage: Option<Stage>) -> Option<Plan<'t>> {
        let paths = table.paths();
        // Codes as the trait says: one per row, each below the count, no more than the rows (or
        // two, as a column of booleans has).
        let rows = table.rows();
        for column in 0..paths.len() {
            if let Some((codes, count)) = table.codes(column) {
                let count = count as usize;
                // The largest code rather than any code past the count: a loop without an early
                // exit, which the compiler turns into vector instructions (the plan of the
                // peer-bench's polars frame, 22 columns of 100 000 rows: 0.76 ms -> 0.6).
                if codes.len() != rows
                    || count > rows.max(2)
                    || codes
                        .iter()
                        .copied()
                        .max()
                        .is_some_and(|c| c as usize >= count)
                {
                    return None;
                }
            }
        }
        let mut template = Application::default();
        for path in paths {
            holding_objects(&mut template, path);
        }
        let touching = |fields: &crate::FieldsRead| -> Vec<usize> {
            (0..paths.len())
                .filter(|&c| paths.get(c).is_some_and(|p| fields.touches(p)))
                .collect()
        };
        let criteria: Vec<Criterion> = self
            .criterion_fields()
            .iter()
            .map(|fields| {
                let columns = touching(fields);
                let keyed = keyed(table, &columns);
                let remembered = keyed.as_ref().map_or_else(Vec::new, |(_, size)| {
                    (0..*size).map(|_| AtomicU8::new(0)).collect()
                });
                Criterion {
                    columns,
                    keyed,
                    remembered,
                }
            })
            .collect();
        let mut each_row: Vec<usize> = touching(&self.grant_fields());
        for c in criteria.iter().filter(|c| c.keyed.is_none()) {
            each_row.extend(&c.columns);
        }
        each_row.extend(paths.iter().position(|p| p == "id"));
        each_row.sort_unstable();
        each_row.dedup();
        // A column a remembered criterion of this stage reads has each of its codes placed when
        // the first row holding it is evaluated (that row's combination of codes is new): it is
        // read already.
        let remembered: Vec<usize> = criteria
            .iter()
            .zip(&self.criteria)
            .filter(|(c, of_call)| {
                c.keyed.is_some() && crate::eval::applies_at(&of_call.criterion, stage)
            })
            .flat_map(|(c, _)| c.columns.iter().copied())
            .collect();
        // Every other column is read too: once for each of its codes, or once for each row.
        let mut checked = Vec::new();
        let mut scratch = template.clone();
        for column in (0..paths.len()).filter(|c| !each_row.contains(c) && !remembered.contains(c))
        {
            match table.codes(column) {
                Some((codes, count)) => {
                    let mut seen = vec![false; count as usize];
                    for (row, &code) in codes.iter().enumerate() {
                        let first = seen.get_mut(code as usize)?;
                        if !*first {
                            *first = true;
                            if !table.place(&mut scratch, column, row) {
                                return None;
                            }
                        }
                    }
                }
                None => checked.push(column),
            }
        }
        Some(Plan {
            template,
            criteria,
            each_row,
            checked,
        })
    }

    /// The rows of `range`, evaluated into columns; `None` at a cell that does not read, or once
    /// `stop` says so. (Never inlined: `scripts/instructions` counts the instructions spent in
    /// it.)
    #[inline(never)]
    fn evaluate_rows<C: Columns>(
        &self,
        table: &C,
        plan: &Plan<'_>,
        range: std::ops::Range<usize>,
        as_of: NaiveDate,
        stage: Option<Stage>,
        stop: &dyn Fn() -> bool,
    ) -> Option<BatchResult> {
        let mut out = BatchResult::with_capacity(self, range.len(), as_of, stage);
        let mut app = plan.template.clone();
        let mut scratch = plan.template.clone();
        let outcomes = self.remembered_outcomes(table, plan, range.clone(), as_of, stage, stop)?;
        // What each row asks, found once for the rows rather than on each (as `quick` finds it):
        // whether the call is out of force, and the criteria of this stage in order, each with
        // its number among the call's criteria and its outcomes on these rows if remembered.
        let out_of_force = self.validity.is_some() && !self.in_force_on(as_of);
        // One entry of `outcomes` for each of the call's criteria (the plan's are the call's).
        debug_assert_eq!(outcomes.len(), self.criteria.len());
        let applying: Vec<(u32, &crate::call::CallCriterion, Option<&[u8]>)> = (1u32..)
            .zip(&self.criteria)
            .zip(&outcomes)
            .filter(|((_, c), _)| applies_at(&c.criterion, stage))
            .map(|((i, c), remembered)| (i, c, remembered.as_deref()))
            .collect();
        for (at, row) in range.enumerate() {
            if stop() {
                return None;
            }
            for &column in &plan.each_row {
                if !table.place(&mut app, column, row) {
                    return None;
                }
            }
            for &column in &plan.checked {
                if !table.place(&mut scratch, column, row) {
                    return None;
                }
            }
            if !app.within_limits() {
                return None;
            }
            let ctx = Ctx {
                app: &app,
                call: self,
                as_of,
                criterion: "",
            };
            // As `quick` decides a row, with the remembered outcomes.
            if out_of_force {
                out.failed.push_index(0);
            }
            for &(i, c, remembered) in &applying {
                let outcome = match remembered {
                    Some(column) => column
                        .get(at)
                        .and_then(|&slot| outcome_of(slot))
                        .unwrap_or(Outcome::Unknown),
                    None => eval(&c.criterion.test, &ctx, &mut Quiet),
                };
                match outcome {
                    Outcome::Fail => out.failed.push_index(i),
                    Outcome::Unknown => out.missing.push_index(i),
                    _ => {}
                }
            }
            let verdict = end_of_row(&mut out.failed, &mut out.missing);
            self.end_row(&mut out, &app, verdict);
        }
        Some(out)
    }

    /// The outcome of each remembered criterion of `stage` on each row of `range` (as the slots
    /// of its table: see [`slot_of`]), found a criterion at a time: a row's codes looked up in
    /// the criterion's table and, for a combination not met before, its cells placed and the
    /// criterion evaluated. `None` for a criterion evaluated on each row; `None` in all when a
    /// cell does not read, or once `stop` says so.
    fn remembered_outcomes<C: Columns>(
        &self,
        table: &C,
        plan: &Plan<'_>,
        range: std::ops::Range<usize>,
        as_of: NaiveDate,
        stage: Option<Stage>,
        stop: &dyn Fn() -> bool,
    ) -> Option<Vec<Option<Vec<u8>>>> {
        // Where a criterion met with new codes is evaluated: each of its columns' cells placed
        // (replacing those of the row before; the other fields it does not read).
        let mut probe = plan.template.clone();
        let mut outcomes = Vec::with_capacity(plan.criteria.len());
        for (plan_c, c) in plan.criteria.iter().zip(&self.criteria) {
            let Some((strides, _)) = &plan_c.keyed else {
                outcomes.push(None);
                continue;
            };
            if !crate::eval::applies_at(&c.criterion, stage) {
                outcomes.push(None);
                continue;
            }
            if stop() {
                return None;
            }
            let mut column = Vec::with_capacity(range.len());
            for row in range.clone() {
                let key = strides.iter().fold(0usize, |key, &(codes, stride)| {
                    key + codes.get(row).map_or(0, |&code| code as usize * stride)
                });
                let slot = plan_c.remembered.get(key)?;
                let mut outcome = slot.load(Ordering::Relaxed);
                if outcome == 0 {
                    for &column in &plan_c.columns {
                        if !table.place(&mut probe, column, row) {
                            return None;
                        }
                    }
                    let ctx = Ctx {
                        app: &probe,
                        call: self,
                        as_of,
                        criterion: "",
                    };
                    outcome = slot_of(eval(&c.criterion.test, &ctx, &mut Quiet));
                    slot.store(outcome, Ordering::Relaxed);
                }
                column.push(outcome);
            }
            outcomes.push(Some(column));
        }
        Some(outcomes)
    }
}

/// The strides that make a row's codes of `columns` an index into a table of outcomes, and the
/// table's size: `None` when a column has no codes or the table would be over [`TABLE_MAX`].
fn keyed<'t, C: Columns>(table: &'t C, columns: &[usize]) -> Option<Keyed<'t>> {
    let mut size = 1usize;
    let mut strides = Vec::with_capacity(columns.len());
    for &column in columns {
        let (codes, count) = table.codes(column)?;
        strides.push((codes, size));
        size = size.checked_mul((count as usize).max(1))?;
        if size > TABLE_MAX {
            return None;
        }
    }
    Some((strides, size))
}

fn slot_of(outcome: Outcome) -> u8 {
    match outcome {
        Outcome::Pass => 1,
        Outcome::Fail => 2,
        Outcome::Unknown => 3,
        Outcome::NotApplicable => 4,
    }
}

fn outcome_of(slot: u8) -> Option<Outcome> {
    match slot {
        1 => Some(Outcome::Pass),
        2 => Some(Outcome::Fail),
        3 => Some(Outcome::Unknown),
        4 => Some(Outcome::NotApplicable),
        _ => None,
    }
}

/// Creates the objects a cell at `path` is placed in (`applicant` and its `exclusions` for
/// `applicant.exclusions.fraud`): every row of a table whose columns have no missing cell holds
/// them.
fn holding_objects(app: &mut Application, path: &str) {
    let mut steps = path.split('.');
    let (Some(first), Some(_)) = (steps.next(), steps.next()) else {
        return;
    };
    match first {
        "applicant" => {
            let applicant = app.applicant.get_or_insert_default();
            if path.starts_with("applicant.exclusions.") {
                applicant.exclusions.get_or_insert_default();
            }
        }
        "action" => {
            app.action.get_or_insert_default();
        }
        "budget" => {
            app.budget.get_or_insert_default();
        }
        _ => {}
    }
}
