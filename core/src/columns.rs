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
//!
//! A list of partners (`co_applicants`) rarely repeats whole, but its partners do: given each
//! partner's code ([`Columns::items`]), a `partners` test whose condition reads only the partner
//! has the condition evaluated once for each distinct partner, and its outcome on each row
//! counted from the row's codes, without placing the list. The test's outcome is then one more
//! part of its criterion's key, beside the codes of the criterion's other columns: the
//! criterion is remembered, with the test's outcome given ([`crate::eval`] takes it rather than
//! counting again).

use std::sync::atomic::{AtomicU8, Ordering};

use chrono::NaiveDate;

use crate::application::{Application, Organisation};
use crate::batch::BatchResult;
use crate::call::Call;
use crate::eval::{
    Ctx, Outcome, PartnerCount, Quiet, applies_at, end_of_row, eval, partner_meets,
    partners_verdict,
};
use crate::rules::{PartnersTest, Stage};

/// What makes up a row's index into a criterion's table of remembered outcomes: the codes of a
/// column it reads, or the outcome of one of its `partners` tests counted from the codes of the
/// partners (an index into [`Plan::counted`]).
#[derive(Clone, Copy)]
enum Key<'t> {
    Codes(&'t [u32]),
    Counted(usize),
}

/// What each part of a criterion's key is and its stride (a row's index into the table of
/// remembered outcomes is the sum of each part times its stride), and the table's size.
type Keyed<'t> = (Vec<(Key<'t>, usize)>, usize);

/// How many values a counted `partners` test's part of a key takes: its outcome's slot (see
/// [`slot_of`]) less one.
const COUNTED_VALUES: usize = 4;

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

    /// The organisations of a column of lists of them (`co_applicants`, `affiliated_entities`)
    /// numbered by distinct value ([`Items`]); `None` (the default) for any other column, or one
    /// whose organisations are not numbered. A criterion counting partners (`partners`) whose
    /// condition reads nothing but the partner then has the condition evaluated once for each
    /// distinct organisation, and each row's count made from its organisations' codes; a
    /// criterion that reads no other column without codes is then remembered by codes too.
    /// Items that break the rules of [`Items`] make [`Call::evaluate_columns`] give `None`.
    fn items(&self, column: usize) -> Option<Items<'_>> {
        let _ = column;
        None
    }
}

/// The organisations of a column of lists of them, numbered: what [`Columns::items`] gives.
///
/// Row `i`'s list holds the items `starts[i]..starts[i + 1]`, in order: placing the row's cell
/// ([`Columns::place`]) gives a list (never an absent one: a row without partners is an empty
/// list) whose organisation `k` is item `starts[i] + k`. Two items with the same code read as
/// the same organisation, and a row's cell reads when each of its items does (an empty list
/// always reads).
#[derive(Debug, Clone, Copy)]
pub struct Items<'a> {
    /// The first item of each row, and the end of the last row's (one more than the rows).
    pub starts: &'a [usize],
    /// Each item's code, below `count`.
    pub codes: &'a [u32],
    /// How many codes there are (no more than the items, or one).
    pub count: u32,
}

impl Items<'_> {
    /// Whether the items keep their rules for a table of `rows` rows: the starts rise from 0 to
    /// the number of items, every code is below the count, and the count is no more than the
    /// items (or one).
    fn well_formed(&self, rows: usize) -> bool {
        let count = self.count as usize;
        // Loops without an early exit, which the compiler turns into vector instructions.
        self.starts.len() == rows.saturating_add(1)
            && self.starts.first() == Some(&0)
            && self.starts.last() == Some(&self.codes.len())
            && self
                .starts
                .iter()
                .zip(self.starts.iter().skip(1))
                .fold(true, |rising, (a, b)| rising & (a <= b))
            && count <= self.codes.len().max(1)
            && self
                .codes
                .iter()
                .copied()
                .max()
                .is_none_or(|c| (c as usize) < count)
    }

    /// The items of row `row`.
    fn of_row(&self, row: usize) -> Option<std::ops::Range<usize>> {
        Some(*self.starts.get(row)?..*self.starts.get(row + 1)?)
    }
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
    /// The `partners` tests counted from the codes of the partners, those of each remembered
    /// criterion that counts partners.
    counted: Vec<Counted<'t>>,
}

/// A `partners` test whose condition is evaluated once for each distinct partner, its outcome
/// on a row worked out from the codes of the row's partners.
struct Counted<'t> {
    test: &'t PartnersTest,
    /// Each list it counts: its column, the column's items, and the list's field.
    lists: Vec<(usize, Items<'t>, PartnerList)>,
    /// For each list, the condition's outcome on each distinct item, shared by the parts as
    /// [`Criterion::remembered`] is: 0 for none yet, else its slot.
    outcomes: Vec<Vec<AtomicU8>>,
}

/// Which list of partners a column holds.
#[derive(Clone, Copy)]
enum PartnerList {
    CoApplicants,
    AffiliatedEntities,
}

impl PartnerList {
    fn at(path: &str) -> Option<PartnerList> {
        match path {
            "co_applicants" => Some(PartnerList::CoApplicants),
            "affiliated_entities" => Some(PartnerList::AffiliatedEntities),
            _ => None,
        }
    }

    fn of(self, app: &Application) -> Option<&[Organisation]> {
        match self {
            PartnerList::CoApplicants => app.co_applicants.as_deref(),
            PartnerList::AffiliatedEntities => app.affiliated_entities.as_deref(),
        }
    }
}

struct Criterion<'t> {
    /// The columns it reads (but the lists its counted `partners` tests count).
    columns: Vec<usize>,
    /// Its `partners` tests counted from the codes of the partners (indexes into
    /// [`Plan::counted`]): only for a remembered criterion.
    counted: Vec<usize>,
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

    /// Works out which criteria are remembered by codes (and by the counts of their partners),
    /// which columns each row's application holds, and checks each coded column's cells once per
    /// code. `None` when one does not read, or the codes or items break their rules.
    fn plan<'t, C: Columns>(&'t self, table: &'t C, stage: Option<Stage>) -> Option<Plan<'t>> {
        let paths = table.paths();
        // Codes as the trait says: one per row, each below the count, no more than the rows (or
        // two, as a column of booleans has); items as `Items` says.
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
            if let Some(items) = table.items(column)
                && !items.well_formed(rows)
            {
                return None;
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
        let mut counted: Vec<Counted<'t>> = Vec::new();
        let mut criteria: Vec<Criterion> = Vec::with_capacity(self.criteria.len());
        for (fields, of_call) in self.criterion_fields().iter().zip(&self.criteria) {
            let columns = touching(fields);
            let mut criterion = match keyed(table, &columns, &[]) {
                Some(keyed) => Criterion {
                    columns,
                    counted: Vec::new(),
                    keyed: Some(keyed),
                    remembered: Vec::new(),
                },
                None => counting(table, &of_call.criterion.test, &touching, &mut counted)
                    .unwrap_or(Criterion {
                        columns,
                        counted: Vec::new(),
                        keyed: None,
                        remembered: Vec::new(),
                    }),
            };
            if let Some((_, size)) = &criterion.keyed {
                criterion.remembered = (0..*size).map(|_| AtomicU8::new(0)).collect();
            }
            criteria.push(criterion);
        }
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
        // Every other column is read too: once for each of its codes, once for each of its
        // distinct items (the first row holding it), or once for each row.
        let mut checked = Vec::new();
        let mut scratch = template.clone();
        for column in (0..paths.len()).filter(|c| !each_row.contains(c) && !remembered.contains(c))
        {
            if let Some((codes, count)) = table.codes(column) {
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
            } else if let Some(items) = table.items(column) {
                let mut seen = vec![false; items.count as usize];
                for (k, &code) in items.codes.iter().enumerate() {
                    let first = seen.get_mut(code as usize)?;
                    if !*first {
                        *first = true;
                        // The row holding item `k`: the last whose first item is at or before it.
                        let row = items
                            .starts
                            .partition_point(|&start| start <= k)
                            .checked_sub(1)?;
                        if !table.place(&mut scratch, column, row) {
                            return None;
                        }
                    }
                }
            } else {
                checked.push(column);
            }
        }
        Some(Plan {
            template,
            criteria,
            each_row,
            checked,
            counted,
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
                counted: &[],
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
    /// of its table: see [`slot_of`]), found a criterion at a time: a row's key (its codes, and
    /// the outcomes of the criterion's counted `partners` tests) looked up in the criterion's
    /// table and, for a key not met before, its cells placed and the criterion evaluated, its
    /// counted tests' outcomes given. `None` for a criterion evaluated on each row; `None` in all
    /// when a cell does not read, or once `stop` says so.
    fn remembered_outcomes<C: Columns>(
        &self,
        table: &C,
        plan: &Plan<'_>,
        range: std::ops::Range<usize>,
        as_of: NaiveDate,
        stage: Option<Stage>,
        stop: &dyn Fn() -> bool,
    ) -> Option<Vec<Option<Vec<u8>>>> {
        // Where a criterion met with a new key is evaluated: each of its columns' cells placed
        // (replacing those of the row before; the other fields it does not read).
        let mut probe = plan.template.clone();
        // Where a partner's list is placed to evaluate a condition on it.
        let mut lists = plan.template.clone();
        // Each counted test's outcome on each row (its slot less one), once a criterion needs it.
        let mut counts: Vec<Option<Vec<u32>>> = plan.counted.iter().map(|_| None).collect();
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
            for &k in &plan_c.counted {
                if counts.get(k)?.is_none() {
                    let counted = plan.counted.get(k)?;
                    let rows =
                        self.count_partners(table, counted, range.clone(), as_of, &mut lists)?;
                    *counts.get_mut(k)? = Some(rows);
                }
            }
            // Each part of the key as one value per row of the range, and its stride.
            let parts: Vec<(&[u32], usize)> = strides
                .iter()
                .map(|&(key, stride)| {
                    let values = match key {
                        Key::Codes(codes) => codes.get(range.clone())?,
                        Key::Counted(k) => counts.get(k)?.as_deref()?,
                    };
                    Some((values, stride))
                })
                .collect::<Option<_>>()?;
            let mut column = Vec::with_capacity(range.len());
            // A key of one part (most criteria read one column) is that part's value: a loop
            // without the fold over the parts.
            let single = match parts.as_slice() {
                [(values, 1)] => Some(*values),
                _ => None,
            };
            for (at, row) in range.clone().enumerate() {
                let key = match single {
                    Some(values) => values.get(at).map_or(0, |&value| value as usize),
                    None => parts.iter().fold(0usize, |key, &(values, stride)| {
                        key + values.get(at).map_or(0, |&value| value as usize * stride)
                    }),
                };
                let slot = plan_c.remembered.get(key)?;
                let mut outcome = slot.load(Ordering::Relaxed);
                if outcome == 0 {
                    for &column in &plan_c.columns {
                        if !table.place(&mut probe, column, row) {
                            return None;
                        }
                    }
                    let given = plan_c
                        .counted
                        .iter()
                        .map(|&k| {
                            let slot = counts.get(k)?.as_ref()?.get(at)?;
                            let outcome = outcome_of(u8::try_from(*slot).ok()?.checked_add(1)?)?;
                            Some((plan.counted.get(k)?.test, outcome))
                        })
                        .collect::<Option<Vec<_>>>()?;
                    let ctx = Ctx {
                        app: &probe,
                        call: self,
                        as_of,
                        criterion: "",
                        counted: &given,
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

    /// The outcome of a counted `partners` test on each row of `range` (its slot less one): each
    /// row's partners counted from the outcomes of the condition on their codes, each worked out
    /// when first met (the row's list placed in `lists`, and the condition asked of the
    /// partner). `None` when a list does not read.
    fn count_partners<C: Columns>(
        &self,
        table: &C,
        counted: &Counted<'_>,
        range: std::ops::Range<usize>,
        as_of: NaiveDate,
        lists: &mut Application,
    ) -> Option<Vec<u32>> {
        let mut out = Vec::with_capacity(range.len());
        for row in range {
            let mut count = PartnerCount::default();
            for ((column, items, list), outcomes) in counted.lists.iter().zip(&counted.outcomes) {
                let run = items.of_row(row)?;
                let first = run.start;
                // The row's list, once placed for a partner not met before.
                let mut placed = false;
                for (k, &code) in (first..).zip(items.codes.get(run)?) {
                    let slot = outcomes.get(code as usize)?;
                    let mut outcome = slot.load(Ordering::Relaxed);
                    if outcome == 0 {
                        if !placed && !table.place(lists, *column, row) {
                            return None;
                        }
                        placed = true;
                        let partner = list.of(lists)?.get(k - first)?;
                        let ctx = Ctx {
                            app: lists,
                            call: self,
                            as_of,
                            criterion: "",
                            counted: &[],
                        };
                        outcome =
                            slot_of(partner_meets(counted.test, partner, "", &ctx, &mut Quiet));
                        slot.store(outcome, Ordering::Relaxed);
                    }
                    // As `PartnerCount::add` counts the outcome, without a branch on it (a
                    // row's partners meet the condition or not as they come).
                    let pass = u32::from(outcome == slot_of(Outcome::Pass));
                    let unknown = u32::from(outcome == slot_of(Outcome::Unknown));
                    count.certain += pass;
                    count.possible += pass + unknown;
                }
            }
            let ctx = Ctx {
                app: lists,
                call: self,
                as_of,
                criterion: "",
                counted: &[],
            };
            let outcome = partners_verdict(counted.test, count, &ctx, &mut Quiet);
            out.push(u32::from(slot_of(outcome)) - 1);
        }
        Some(out)
    }
}

/// A criterion whose columns, but the lists its `partners` tests count, all have codes:
/// remembered by those codes and by the outcomes of its `partners` tests, each counted from the
/// codes of the partners ([`Counted`], added to `counted`). `None` when it has no such test, or
/// another column it reads has no codes, or the table of its outcomes would be too large.
fn counting<'t, C: Columns>(
    table: &'t C,
    test: &'t crate::rules::Test,
    touching: &dyn Fn(&crate::FieldsRead) -> Vec<usize>,
    counted: &mut Vec<Counted<'t>>,
) -> Option<Criterion<'t>> {
    let mut found: Vec<Counted<'t>> = Vec::new();
    each_partners_test(test, &mut |p| {
        if !found.iter().any(|c| std::ptr::eq(c.test, p))
            && let Some(c) = counted_test(table, p)
        {
            found.push(c);
        }
    });
    if found.is_empty() {
        return None;
    }
    let skip = |p: &PartnersTest| found.iter().any(|c| std::ptr::eq(c.test, p));
    let columns = touching(&crate::reads::fields_except(test, &skip));
    let indexes: Vec<usize> = (counted.len()..counted.len() + found.len()).collect();
    let keyed = keyed(table, &columns, &indexes)?;
    counted.extend(found);
    Some(Criterion {
        columns,
        counted: indexes,
        keyed: Some(keyed),
        remembered: Vec::new(),
    })
}

/// A `partners` test counted from the codes of the partners: when its condition reads nothing
/// but the partner and each list it counts is a column with numbered items.
fn counted_test<'t, C: Columns>(table: &'t C, test: &'t PartnersTest) -> Option<Counted<'t>> {
    if !crate::reads::reads_only_the_partner(test) {
        return None;
    }
    let paths = table.paths();
    let lists = crate::reads::partner_lists(test)
        .iter()
        .map(|name| {
            let column = paths.iter().position(|path| path == name)?;
            Some((column, table.items(column)?, PartnerList::at(name)?))
        })
        .collect::<Option<Vec<_>>>()?;
    let outcomes = lists
        .iter()
        .map(|(_, items, _)| (0..items.count).map(|_| AtomicU8::new(0)).collect())
        .collect();
    Some(Counted {
        test,
        lists,
        outcomes,
    })
}

/// Each `partners` test of a criterion's test (none is inside an organisation test: a call that
/// puts one there is refused when it is compiled).
fn each_partners_test<'t>(test: &'t crate::rules::Test, f: &mut dyn FnMut(&'t PartnersTest)) {
    use crate::rules::Test;
    match test {
        // Not the tests of its condition, which reads one partner at a time.
        Test::Partners(p) => f(p),
        _ => test.each_child(&mut |t| each_partners_test(t, f)),
    }
}

/// The parts of a criterion's key (the codes of `columns`, then the outcomes of the counted
/// `partners` tests `counted`) with their strides, and the size of its table of outcomes: `None`
/// when a column has no codes or the table would be over [`TABLE_MAX`].
fn keyed<'t, C: Columns>(table: &'t C, columns: &[usize], counted: &[usize]) -> Option<Keyed<'t>> {
    let mut size = 1usize;
    let mut strides = Vec::with_capacity(columns.len() + counted.len());
    for &column in columns {
        let (codes, count) = table.codes(column)?;
        strides.push((Key::Codes(codes), size));
        size = size.checked_mul((count as usize).max(1))?;
        if size > TABLE_MAX {
            return None;
        }
    }
    for &k in counted {
        strides.push((Key::Counted(k), size));
        size = size.checked_mul(COUNTED_VALUES)?;
        if size > TABLE_MAX {
            return None;
        }
    }
    Some((strides, size))
}

const fn slot_of(outcome: Outcome) -> u8 {
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
