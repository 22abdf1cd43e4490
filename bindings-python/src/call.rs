//! `euca.Call` (a compiled call), `euca.BatchResult` (columns of a batch) and `euca.compare`.

use std::sync::{Arc, OnceLock};

use euca::{Application, Call, Code, Dataset, DatasetError, Problem, Stage, Verdict, jsonl_lines};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyList, PySlice, PyString, PyTuple};
use serde::Serialize;
use serde_json::Value;

use crate::arguments;
use crate::convert::{self, Document};
use crate::dataset::{PyDataset, read_path};
use crate::decision::PyDecision;
use crate::errors::{Error, guard, guard_result};
use crate::frames::Prepared;

/// An application read straight from a dict, field by field (`crate::direct`) or else through
/// serde (`crate::read`), or `None` when it must be read the way that names its problems.
fn read_fast(obj: &Bound<'_, PyAny>) -> Result<Option<Application>, Error> {
    if !obj.is_instance_of::<PyDict>() {
        return Ok(None);
    }
    guard(|| {
        crate::direct::application(obj)
            .or_else(|| Application::read_fast(crate::read::PyDeserializer::new(obj)))
    })
}

/// Reads one application: a dict (the JSON shape) or JSON text.
pub(crate) fn application(obj: &Bound<'_, PyAny>) -> Result<Application, Error> {
    if let Some(app) = read_fast(obj)? {
        return Ok(app);
    }
    match convert::document(obj, "application")? {
        Document::Text(t) => guard_result(|| Application::from_json(&t)),
        Document::Value(v) => guard_result(|| Application::from_value(&v)),
    }
}

/// Reads one item of a list of applications as [`read_items_in_parts`] does: a dict field by
/// field (or else through serde), anything else, or a dict that does not read that way, the way
/// that names its problems (under `path`).
fn read_item(item: &Bound<'_, PyAny>, path: &str) -> Result<Application, Error> {
    if let Some(app) = read_fast(item)? {
        return Ok(app);
    }
    let value = convert::to_value(item, path)?;
    guard_result(|| Application::from_value_at(&value, path))
}

/// What tells an application from any other that reads differently, for a batch that keeps a
/// reference to its list rather than the applications read from it ([`Kept::Fingerprints`]).
fn fingerprint(app: &Application) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    app.hash(&mut hasher);
    hasher.finish()
}

/// Whether `evaluate_many`'s argument `obj` is referred to by nothing but the call itself (a
/// list built for the call): what `sys.getrefcount` counts then is the caller's stack (or the
/// keyword arguments), the arguments of the call as pyo3 receives them (the abi3 module is
/// called with a tuple), and the arguments of `getrefcount` itself. tests/test_batch.py checks
/// both sides of this count, which a change of the interpreter's or pyo3's calls would move. A
/// list the interpreter lends the call rather than counts (as Python 3.14 may) only looks like
/// such a list: its applications are then kept, as for any iterable.
fn only_here(obj: &Bound<'_, PyAny>) -> Result<bool, Error> {
    let count: isize = obj
        .py()
        .import("sys")?
        .getattr("getrefcount")?
        .call1((obj,))?
        .extract()?;
    Ok(count <= 3)
}

/// Reads many applications, collecting every problem (paths `[i].field`).
///
/// Takes a pandas or polars DataFrame or a pyarrow Table whose columns are dotted paths
/// (`applicant.country`), or any iterable of dicts. Each dict is read on its own, so the batch is
/// held once, as applications; one that does not read is converted again the way that names every
/// problem.
pub(crate) fn read_batch(obj: &Bound<'_, PyAny>) -> Result<Vec<Application>, Error> {
    let mut all = Vec::with_capacity(obj.len().unwrap_or(0).min(euca::limits::MAX_BATCH));
    read_batch_in_parts(obj, &mut |part| all.extend(part))?;
    Ok(all)
}

/// How many applications of a list are handed on at a time by [`read_batch_in_parts`]: enough
/// that a part's evaluation dwarfs handing it to the other thread, few enough that the first
/// part is ready soon.
const PART: usize = 2048;

/// As [`read_batch`], handing the applications on in parts of [`PART`] as they are read. Once an
/// application does not read, nothing more is handed on: the reading goes on only to name every
/// problem, which are returned.
fn read_batch_in_parts(
    obj: &Bound<'_, PyAny>,
    sink: &mut dyn FnMut(Vec<Application>),
) -> Result<(), Error> {
    match frame_columns(obj)? {
        Some(columns) => crate::frames::applications(&columns, PART, sink),
        None => read_items_in_parts(obj, sink),
    }
}

/// The columns of a pandas or polars DataFrame or a pyarrow Table, ready to be read (after the
/// batch limit is checked on its length); `None` for anything else.
fn frame_columns<'py>(obj: &Bound<'py, PyAny>) -> Result<Option<Prepared<'py>>, Error> {
    let py = obj.py();
    let is_frame = (obj.hasattr("columns")?
        && (obj.hasattr("to_dicts")? || obj.hasattr("to_dict")?))
        || convert::helper(py, "euca._frames", "is_arrow")?
            .call1((obj,))?
            .is_truthy()?;
    if !is_frame {
        return Ok(None);
    }
    // The batch limit before anything is converted.
    if let Ok(n) = obj.len() {
        euca::limits::check_batch(n)?;
    }
    let columns = convert::helper(py, "euca._frames", "columns")?.call1((obj,))?;
    Prepared::new(&columns).map(Some)
}

/// [`read_batch_in_parts`] of anything but a frame: an iterable of dicts.
fn read_items_in_parts(
    obj: &Bound<'_, PyAny>,
    sink: &mut dyn FnMut(Vec<Application>),
) -> Result<(), Error> {
    // The batch limit before anything is converted (lists know their length).
    let text_or_one = obj.is_instance_of::<PyString>()
        || obj.is_instance_of::<PyBytes>()
        || obj.is_instance_of::<PyDict>();
    let mut expected = 0;
    if let (false, Ok(n)) = (text_or_one, obj.len()) {
        euca::limits::check_batch(n)?;
        expected = n;
    }
    let rows = if text_or_one {
        return Err(Error::Type(
            "`applications` must be a list of applications (dicts) or a DataFrame; for JSON Lines use `evaluate_jsonl`".to_string(),
        ));
    } else {
        obj.clone()
    };
    let iter = rows.try_iter().map_err(|_| {
        Error::Type(format!(
            "`applications` must be a list of applications (dicts) or a DataFrame, not {}",
            obj.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })?;
    let mut gathered = Gathered::with_capacity(PART.min(expected));
    for (i, item) in iter.enumerate() {
        if i == euca::limits::MAX_BATCH {
            // An iterable that did not say its length.
            euca::limits::check_batch(i + 1)?;
        }
        let item = item?;
        // A dict is read field by field straight into the part (or else through serde).
        let read = item.is_instance_of::<PyDict>()
            && guard(|| {
                crate::direct::push_application(&item, &mut gathered.apps)
                    || Application::read_fast(crate::read::PyDeserializer::new(&item))
                        .map(|app| gathered.apps.push(app))
                        .is_some()
            })?;
        if !read {
            let path = format!("[{i}]");
            if let Some(value) = gathered.problems_of(convert::to_value(&item, &path))? {
                gathered.read(&value, &path)?;
            }
        }
        if gathered.apps.len() == PART && gathered.problems.is_empty() {
            sink(std::mem::replace(
                &mut gathered.apps,
                Vec::with_capacity(PART),
            ));
        } else if !gathered.problems.is_empty() {
            // The batch will not be evaluated: keep no more applications.
            gathered.apps.clear();
        }
    }
    let last = gathered.finish()?;
    if !last.is_empty() {
        sink(last);
    }
    Ok(())
}

/// What completes each application of a batch read in two halves (see `PyCall::evaluate_many`)
/// on the evaluating thread, given its row: false when the row must be read another way.
type Complete<'a> = &'a (dyn Fn(usize, &mut Application) -> bool + Sync);

/// Reads a batch (by `read`, as [`read_batch_in_parts`] does) and evaluates it: each part on
/// another thread as soon as it is read, while this one reads the next (the reading needs the
/// GIL; the evaluation does not), each application first completed there by `complete`, when
/// given. The rows are those of evaluating the whole batch at once.
///
/// `read` hands each part to its sink, which says whether to go on, and says itself whether it
/// read every row: `None` when it did not, or when `complete` did not complete one (the reading
/// then stops at its next part). `keep` says what is kept of each part once it is evaluated.
fn read_and_evaluate(
    py: Python<'_>,
    read: impl FnOnce(&mut dyn FnMut(Vec<Application>) -> bool) -> Result<bool, Error>,
    complete: Option<Complete<'_>>,
    keep: Keep,
    call: &Call,
    as_of: chrono::NaiveDate,
    stage: Option<Stage>,
) -> Result<Option<(Kept, euca::BatchResult)>, Error> {
    std::thread::scope(|scope| {
        // A few parts ahead at most: the reading waits for the evaluation rather than holding
        // the whole batch twice.
        let (parts, received) = std::sync::mpsc::sync_channel::<Vec<Application>>(4);
        let evaluator = scope.spawn(move || {
            guard(|| {
                let mut kept = match keep {
                    Keep::Applications => Kept::Applications(Parts::default()),
                    Keep::Fingerprints => Kept::Fingerprints(Vec::new()),
                };
                let mut result = call.evaluate_many(&[], as_of, stage);
                for mut part in received {
                    if let Some(complete) = complete {
                        let first = result.len();
                        for (k, app) in part.iter_mut().enumerate() {
                            if !complete(first + k, app) {
                                // Dropping `received` stops the reading.
                                return Ok(None);
                            }
                        }
                    }
                    // On this one thread, as the reading thread keeps the other core busy (on
                    // rayon's threads it would take that core from the reading).
                    let rows = call.evaluate_many(&part, as_of, stage);
                    if result.append(rows).is_err() {
                        return Err(Error::Internal(
                            "a part of the batch was evaluated on another date or stage"
                                .to_string(),
                        ));
                    }
                    match &mut kept {
                        Kept::Applications(apps) => apps.push(part),
                        // Dropped here, so that the reading thread's allocator takes their memory
                        // back for the next parts rather than asking for fresh pages.
                        Kept::Fingerprints(prints) => prints.extend(part.iter().map(fingerprint)),
                    }
                }
                Ok(Some((kept, result)))
            })
        });
        // A send fails only when the evaluator stopped: it gave up, or panicked (its join says
        // so below).
        let read = read(&mut |part| parts.send(part).is_ok());
        drop(parts);
        let evaluated = py.detach(|| evaluator.join());
        let read_all = read?;
        let evaluated = evaluated
            .map_err(|_| Error::Internal("the evaluation of the batch stopped".to_string()))???;
        Ok(evaluated.filter(|_| read_all))
    })
}

/// [`read_and_evaluate`] of a reader that reads every row (naming the problems of those that do
/// not read).
fn read_all_and_evaluate(
    py: Python<'_>,
    read: impl FnOnce(&mut dyn FnMut(Vec<Application>)) -> Result<(), Error>,
    keep: Keep,
    call: &Call,
    as_of: chrono::NaiveDate,
    stage: Option<Stage>,
) -> Result<(Kept, euca::BatchResult), Error> {
    let read = |sink: &mut dyn FnMut(Vec<Application>) -> bool| {
        read(&mut |part| {
            sink(part);
        })
        .map(|()| true)
    };
    read_and_evaluate(py, read, None, keep, call, as_of, stage)?
        .ok_or_else(|| Error::Internal("the evaluation of the batch stopped".to_string()))
}

/// What a batch read by [`read_and_evaluate`] keeps of each application once it is evaluated.
#[derive(Clone, Copy)]
enum Keep {
    /// The application: `decision(i)` evaluates it again.
    Applications,
    /// Its [`fingerprint`] only, for a batch of a list, which reads item `i` again for
    /// `decision(i)` and checks that it is the application row `i` was evaluated from.
    Fingerprints,
}

/// What [`Keep`] keeps.
enum Kept {
    Applications(Parts),
    Fingerprints(Vec<u64>),
}

impl Kept {
    /// The applications kept ([`Keep::Applications`]).
    fn into_parts(self) -> Result<Parts, Error> {
        match self {
            Kept::Applications(parts) => Ok(parts),
            Kept::Fingerprints(_) => Err(Error::Internal(
                "a batch kept fingerprints where it was to keep its applications".to_string(),
            )),
        }
    }
}

/// The applications of a batch read so far, and the problems of those that did not read.
#[derive(Default)]
pub(crate) struct Gathered {
    pub(crate) apps: Vec<Application>,
    problems: Vec<Problem>,
}

impl Gathered {
    /// Room for `n` applications.
    pub(crate) fn with_capacity(n: usize) -> Gathered {
        Gathered {
            apps: Vec::with_capacity(n),
            problems: Vec::new(),
        }
    }

    /// The value of `result`, or `None` with its problems kept; other errors are returned.
    pub(crate) fn problems_of<T>(&mut self, result: Result<T, Error>) -> Result<Option<T>, Error> {
        match result {
            Ok(v) => Ok(Some(v)),
            Err(Error::Invalid(e)) => {
                self.problems.extend(e.into_problems());
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }

    /// Reads one application (problems under `path`) and keeps it, or its problems.
    pub(crate) fn read(&mut self, value: &Value, path: &str) -> Result<(), Error> {
        let read = guard_result(|| Application::from_value_at(value, path));
        if let Some(app) = self.problems_of(read)? {
            self.apps.push(app);
        }
        Ok(())
    }

    /// Whether every application so far has read (the batch can still be evaluated).
    pub(crate) fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }

    /// The applications, or every problem of every application.
    pub(crate) fn finish(self) -> Result<Vec<Application>, Error> {
        if self.problems.is_empty() {
            Ok(self.apps)
        } else {
            Err(DatasetError::new(self.problems).into())
        }
    }
}

/// A stage argument (`concept_note`, `full_application`).
pub(crate) fn stage(text: Option<String>) -> Result<Option<Stage>, Error> {
    let Some(text) = text else { return Ok(None) };
    serde_json::from_value(Value::String(text.to_string()))
        .map(Some)
        .map_err(|_| {
            Error::argument(
                "invalid_value",
                "stage",
                format!("unknown stage `{text}`: use `concept_note` or `full_application`"),
            )
        })
}

/// The `dataset` argument of `Call.from_json` and `Call.load` (`None`: the embedded dataset).
fn dataset_arg<'a>(obj: Option<&'a Bound<'_, PyAny>>) -> Result<Option<&'a PyDataset>, Error> {
    match obj.filter(|o| !o.is_none()) {
        None => Ok(None),
        Some(o) => Ok(Some(
            arguments::handle::<PyDataset>(o, "dataset", "Dataset")?.get(),
        )),
    }
}

/// What `__reduce__` returns: the function that rebuilds, and its arguments.
pub(crate) type Reduced<'py, A> = (Bound<'py, PyAny>, A);

/// A call (or an instrument's rule set) compiled for evaluation.
#[pyclass(frozen, module = "euca._euca", name = "Call")]
pub struct PyCall {
    pub(crate) call: Arc<Call>,
    /// The dataset it was compiled against, unless that is the embedded one (for pickling).
    dataset: Option<Arc<Dataset>>,
}

impl PyCall {
    pub(crate) fn new(call: Call, dataset: Option<Arc<Dataset>>) -> PyCall {
        PyCall {
            call: Arc::new(call),
            dataset,
        }
    }

    fn compile(
        py: Python<'_>,
        doc: Document,
        dataset: Option<&PyDataset>,
    ) -> Result<PyCall, Error> {
        let (data, keep) = match dataset {
            Some(d) if !d.embedded => (Arc::clone(&d.inner), Some(Arc::clone(&d.inner))),
            Some(d) => (Arc::clone(&d.inner), None),
            None => (PyDataset::embedded_arc(py)?, None),
        };
        let call = py.detach(|| {
            guard_result(|| match doc {
                Document::Text(t) => Call::from_json_with(&t, &data),
                Document::Value(v) => Call::from_value_with(&v, &data),
            })
        })?;
        Ok(PyCall::new(call, keep))
    }

    /// A batch of this call's rows `result`, evaluated from `source`.
    fn batch(&self, source: Source, result: euca::BatchResult, read: &'static str) -> PyBatch {
        PyBatch {
            call: Arc::clone(&self.call),
            dataset: self.dataset.clone(),
            source,
            result,
            read,
        }
    }
}

#[pymethods]
impl PyCall {
    /// Reads and compiles a rule set.
    #[staticmethod]
    #[pyo3(signature = (text, dataset=None))]
    fn from_json(
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        dataset: Option<&Bound<'_, PyAny>>,
    ) -> Result<PyCall, Error> {
        let dataset = dataset_arg(dataset)?;
        let doc = convert::document(text, "text")?;
        PyCall::compile(py, doc, dataset)
    }

    /// Reads and compiles a rule set from a file.
    #[staticmethod]
    #[pyo3(signature = (path, dataset=None))]
    fn load(
        py: Python<'_>,
        path: &Bound<'_, PyAny>,
        dataset: Option<&Bound<'_, PyAny>>,
    ) -> Result<PyCall, Error> {
        let dataset = dataset_arg(dataset)?;
        let text = convert::utf8(read_path(py, path)?, "document")?;
        PyCall::compile(py, Document::Text(text), dataset)
    }

    /// The rule set's id.
    #[getter]
    fn id(&self) -> String {
        self.call.id().to_string()
    }

    /// The rule set's title.
    #[getter]
    fn title(&self) -> String {
        self.call.title().to_string()
    }

    /// The rule set's version.
    #[getter]
    fn version(&self) -> String {
        self.call.rule_set_ref().version
    }

    /// `{"id": ..., "version": ...}`: what every decision records.
    #[getter]
    fn rule_set<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::to_py(py, &self.call.rule_set_ref())
    }

    /// The chain of rule sets it was compiled from, the root instrument first.
    #[getter]
    fn chain<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::to_py(py, self.call.chain())
    }

    /// The currency of its amounts (ISO 4217).
    #[getter]
    fn currency(&self) -> String {
        self.call.currency().as_str().to_string()
    }

    /// The stages of a restricted call (empty for an open call).
    #[getter]
    fn stages<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::to_py(py, self.call.stages())
    }

    /// The period in which the rules govern decisions, if known.
    #[getter]
    fn validity<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::to_py(py, &self.call.validity())
    }

    /// Notes of every rule set of the chain.
    #[getter]
    fn notes(&self) -> Vec<String> {
        self.call.notes().to_vec()
    }

    /// The sources of the rule set.
    #[getter]
    fn sources<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::to_py(py, self.call.sources())
    }

    /// Every criterion, flattened, each with the rule set it came from.
    fn criteria<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, self.call.criteria())
    }

    /// What the call reads of an application: `{"criteria": [{"id", "fields"}], "grant": [...]}`,
    /// each criterion's fields and the grant's as dotted paths (`applicant.country`; a list of
    /// partners and the budget read whole: `co_applicants`, `budget`). An application that gives
    /// these fields is decided as it would be with every other field too.
    fn fields_read<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::to_py(py, &self.call.fields_read())
    }

    /// The rule set as JSON: as written, or flattened with every criterion's origin.
    #[pyo3(signature = (*, flat=false))]
    fn to_json(&self, #[pyo3(from_py_with = arguments::flat)] flat: bool) -> String {
        if flat {
            self.call.to_flat_json()
        } else {
            self.call.to_json()
        }
    }

    /// Whether the rules are in force on a day.
    fn in_force_on(&self, date: &Bound<'_, PyAny>) -> Result<bool, Error> {
        let day = convert::day(Some(date), "date")?;
        Ok(self.call.in_force_on(day))
    }

    /// Evaluates one application.
    #[pyo3(signature = (application, as_of=None, stage=None))]
    fn evaluate(
        &self,
        py: Python<'_>,
        application: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = arguments::stage)] stage: Option<String>,
    ) -> Result<PyDecision, Error> {
        let day = convert::day(as_of, "as_of")?;
        let stage = self::stage(stage)?;
        let app = self::application(application)?;
        let call = Arc::clone(&self.call);
        let decision = py.detach(|| guard(|| call.evaluate(&app, day, stage)))?;
        Ok(PyDecision::new(decision))
    }

    /// Evaluates many applications into columns.
    #[pyo3(signature = (applications, as_of=None, stage=None))]
    fn evaluate_many(
        &self,
        py: Python<'_>,
        applications: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = arguments::stage)] stage: Option<String>,
    ) -> Result<PyBatch, Error> {
        let day = convert::day(as_of, "as_of")?;
        let stage = self::stage(stage)?;
        let call = &self.call;
        // A polars frame or a pyarrow table of plain columns, read from its Arrow buffers.
        if let Some((frame, names)) = crate::arrow::frame(applications)? {
            let rows = frame.rows();
            let evaluated = py.detach(|| {
                guard(|| {
                    let coded = crate::frames::Coded::new(frame.plain(), names, rows);
                    call.evaluate_columns(&coded, day, stage)
                })
            })?;
            if let Some(result) = evaluated {
                return Ok(self.batch(Source::Frame(frame), result, "arrow stream on all cores"));
            }
            // A cell that does not read: read again below, which names the problem.
        }
        let Some(mut frame) = frame_columns(applications)? else {
            let read =
                |sink: &mut dyn FnMut(Vec<Application>)| read_items_in_parts(applications, sink);
            // A list (or tuple) can be read again, item by item: the batch keeps a reference to
            // it and each application's fingerprint rather than the applications, 1.6 KB each.
            // Not a subclass, whose `__getitem__` may give other items than its `__iter__`; nor
            // a list only this call refers to (`evaluate_many([json.loads(l) for l in f])`),
            // whose dicts (4-5 KB each) the batch would keep alive where the caller let them go:
            // its applications are kept, as read. (A reference the interpreter lends the call
            // rather than counts, as Python 3.14 may, only makes a list look like that.)
            let list = (applications.is_exact_instance_of::<PyList>()
                || applications.is_exact_instance_of::<PyTuple>())
                && !only_here(applications)?;
            let keep = if list {
                Keep::Fingerprints
            } else {
                Keep::Applications
            };
            let (kept, result) = read_all_and_evaluate(py, read, keep, &self.call, day, stage)?;
            return Ok(match kept {
                Kept::Fingerprints(fingerprints) => {
                    let items = applications.clone().unbind();
                    self.batch(
                        Source::List {
                            items,
                            fingerprints,
                        },
                        result,
                        "list",
                    )
                }
                Kept::Applications(parts) => {
                    self.batch(Source::Applications(parts), result, "items")
                }
            });
        };
        // A frame whose every cell is read without a Python object (NumPy and Arrow columns): its
        // rows read and evaluated in parts on all cores without the GIL, no application kept.
        // Each column's cells numbered by distinct value where that pays, so that a criterion
        // reading only such columns is evaluated once per distinct value, not once per row.
        let evaluated = match frame.plain() {
            Some(columns) => {
                let (names, rows) = (frame.names(), frame.rows);
                py.detach(|| {
                    guard(|| {
                        let coded = crate::frames::Coded::new(columns, names, rows);
                        call.evaluate_columns(&coded, day, stage)
                    })
                })?
            }
            None => None,
        };
        if let Some(result) = evaluated {
            let frame = frame.into_frame().ok_or_else(|| {
                Error::Internal("the columns of a frame are no longer plain".to_string())
            })?;
            return Ok(self.batch(Source::Frame(frame), result, "frame on all cores"));
        }
        frame.uncopy();
        // A frame with columns of Python values beside plain ones (as `pd.json_normalize` gives:
        // lists of dicts beside NumPy and Arrow columns): each row's Python values read on this
        // thread, with the GIL, its plain cells and its evaluation on another.
        if let Some(plain) = frame.split() {
            let read = |sink: &mut dyn FnMut(Vec<Application>) -> bool| {
                crate::frames::python_cells(&frame, PART, sink)
            };
            let complete = |i: usize, app: &mut Application| {
                crate::frames::plain_cells(plain.iter().copied(), i, app)
            };
            let split = read_and_evaluate(
                py,
                read,
                Some(&complete),
                Keep::Applications,
                &self.call,
                day,
                stage,
            )?;
            if let Some((kept, result)) = split {
                return Ok(self.batch(
                    Source::Applications(kept.into_parts()?),
                    result,
                    "frame in two halves",
                ));
            }
        }
        // Else (or at a row that does not read field by field) the rows are read on this thread,
        // with the GIL, a row that does not read field by field the way that names its
        // problems, and evaluated on another.
        let read = |sink: &mut dyn FnMut(Vec<Application>)| {
            crate::frames::applications(&frame, PART, sink)
        };
        let (kept, result) =
            read_all_and_evaluate(py, read, Keep::Applications, &self.call, day, stage)?;
        Ok(self.batch(
            Source::Applications(kept.into_parts()?),
            result,
            "frame on one thread",
        ))
    }

    /// Evaluates JSON Lines (text, or a path to a file) into columns.
    #[pyo3(signature = (text_or_path, as_of=None, stage=None))]
    fn evaluate_jsonl(
        &self,
        py: Python<'_>,
        text_or_path: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = arguments::stage)] stage: Option<String>,
    ) -> Result<PyBatch, Error> {
        let day = convert::day(as_of, "as_of")?;
        let stage = self::stage(stage)?;
        let text = jsonl_text(py, text_or_path)?;
        // Each line is read and evaluated in parts on all cores, and dropped once its row is
        // written (unless a line needs the reporting reader): the batch keeps the text (a `str`
        // itself on Python 3.10 and later, else a copy), from which `decision(i)` reads line `i`
        // again.
        let lines = text.get(py)?;
        let result = py.detach(|| guard_result(|| self.call.evaluate_jsonl(lines, day, stage)))?;
        Ok(self.batch(Source::lines(text), result, "jsonl"))
    }

    fn __repr__(&self) -> String {
        format!(
            "<euca.Call {} (version {}): {}, {} criteria>",
            self.call.id(),
            self.call.rule_set_ref().version,
            self.call.title(),
            self.call.criteria().len()
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyCall>()
            .is_ok_and(|o| *o.get().call == *self.call)
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.call.rule_set_ref().hash(&mut h);
        h.finish()
    }

    /// Pickles as the rule set's JSON and, unless it is the embedded one, the dataset's.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
        py: Python<'py>,
    ) -> Result<Reduced<'py, (String, Option<String>)>, Error> {
        let me = slf.get();
        let dataset = me.dataset.as_ref().map(|d| py.detach(|| d.to_json()));
        Ok((
            slf.get_type().getattr("_from_pickle")?,
            (me.call.to_json(), dataset),
        ))
    }

    /// Rebuilds a pickled call.
    #[staticmethod]
    fn _from_pickle(
        py: Python<'_>,
        rule_set: String,
        dataset: Option<String>,
    ) -> Result<PyCall, Error> {
        let data = match dataset {
            None => None,
            Some(text) => Some(PyDataset::new(
                py.detach(|| guard_result(|| Dataset::from_json(&text)))?,
                false,
            )),
        };
        PyCall::compile(py, Document::Text(rule_set), data.as_ref())
    }

    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
    }
}

/// JSON Lines from text (`str`, `bytes`) or from a path (`os.PathLike`, or a `str` that does not
/// look like JSON: it neither starts with `{` nor spans lines).
fn jsonl_text(py: Python<'_>, obj: &Bound<'_, PyAny>) -> Result<Text, Error> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Text::Owned(convert::utf8(b.as_bytes().to_vec(), "text")?));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        let text = match crate::direct::borrowed(s) {
            Some(Some(_)) => Text::Python(s.clone().unbind()),
            // A lone surrogate is an error here; on Python 3.9, a copy.
            _ => Text::Owned(convert::str_text(s, "text_or_path")?.into_owned()),
        };
        let is_text = {
            let text = text.get(py)?;
            let trimmed = text.trim_start();
            trimmed.is_empty() || trimmed.starts_with('{') || text.contains('\n')
        };
        if is_text {
            return Ok(text);
        }
    }
    Ok(Text::Owned(convert::utf8(read_path(py, obj)?, "file")?))
}

/// What a batch pickles as: `_from_pickle`'s arguments.
type PickledBatch<'py> = (Bound<'py, PyCall>, String, String, &'static str);

/// The results of a batch as columns, one row per application; full decisions on demand.
#[pyclass(frozen, module = "euca._euca", name = "BatchResult", sequence)]
pub struct PyBatch {
    call: Arc<Call>,
    /// The dataset the call was compiled against, unless that is the embedded one (for pickling).
    dataset: Option<Arc<Dataset>>,
    source: Source,
    result: euca::BatchResult,
    /// How the rows were read (`_read`): what the tests check of the way a batch was taken.
    read: &'static str,
}

/// JSON Lines text: a Python `str`, its UTF-8 form borrowed rather than copied (see
/// `crate::direct::borrowed`), or text read from bytes, a file, or a `str` where it cannot be
/// borrowed (Python 3.9).
enum Text {
    Python(Py<PyString>),
    Owned(String),
}

impl Text {
    fn get<'a>(&'a self, py: Python<'a>) -> Result<&'a str, Error> {
        match self {
            Text::Owned(text) => Ok(text),
            // Borrowed once already (`jsonl_text`): the form is cached in the object.
            Text::Python(s) => match crate::direct::borrowed(s.bind(py)) {
                Some(Some(text)) => Ok(text),
                _ => Err(Error::Internal(
                    "the text of a batch can no longer be borrowed".to_string(),
                )),
            },
        }
    }
}

/// What a batch's rows were evaluated from, for `decision(i)` and pickling.
enum Source {
    /// The applications as read (from an iterable of dicts other than a list, or a DataFrame),
    /// which the caller may change after.
    Applications(Parts),
    /// A list (or tuple) of dicts, which the batch keeps a reference to: item `i` is read again
    /// when asked for, and must still read as the application row `i` was evaluated from, whose
    /// fingerprint the batch keeps ([`listed`]).
    List {
        items: Py<PyAny>,
        fingerprints: Vec<u64>,
    },
    /// The cells of a frame, copied out of its NumPy and Arrow buffers: row `i` is read again
    /// when asked for.
    Frame(crate::frames::Frame),
    /// JSON Lines text, which no one can change: row `i` is line `i` of `euca::jsonl_lines`,
    /// read again when asked for (where each line starts and ends, found on the first ask).
    Lines {
        text: Text,
        spans: OnceLock<Vec<(usize, usize)>>,
    },
}

impl Source {
    fn lines(text: Text) -> Source {
        Source::Lines {
            text,
            spans: OnceLock::new(),
        }
    }

    /// The rows' source, its text borrowed (with the GIL) to be read without the GIL. A list is
    /// read with the GIL ([`listed`]), not through this.
    fn rows<'a>(&'a self, py: Python<'a>) -> Result<Rows<'a>, Error> {
        Ok(match self {
            Source::List { .. } => {
                return Err(Error::Internal(
                    "the list of a batch read as its applications".to_string(),
                ));
            }
            Source::Applications(apps) => Rows::Applications(apps),
            Source::Frame(frame) => Rows::Frame(frame),
            Source::Lines { text, spans } => Rows::Lines {
                text: text.get(py)?,
                spans,
            },
        })
    }
}

/// The applications of a batch in the parts they were read and evaluated in: joined into one
/// list, each would be copied once more (a tenth of the time of a batch of dicts went to that
/// copy into fresh pages).
#[derive(Default)]
pub(crate) struct Parts {
    parts: Vec<Vec<Application>>,
    /// The row of each part's first application.
    starts: Vec<usize>,
    len: usize,
}

impl Parts {
    fn push(&mut self, part: Vec<Application>) {
        if part.is_empty() {
            return;
        }
        self.starts.push(self.len);
        self.len += part.len();
        self.parts.push(part);
    }

    /// The application of row `i`.
    fn get(&self, i: usize) -> Option<&Application> {
        let part = self
            .starts
            .partition_point(|&start| start <= i)
            .checked_sub(1)?;
        self.parts.get(part)?.get(i - self.starts[part])
    }
}

impl From<Vec<Application>> for Parts {
    fn from(applications: Vec<Application>) -> Parts {
        let mut parts = Parts::default();
        parts.push(applications);
        parts
    }
}

impl Serialize for Parts {
    /// As one list.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.parts.iter().flatten())
    }
}

/// Item `i` of the list a batch was evaluated from, read again: the application row `i` was
/// evaluated from, or a `changed_application` error (its path `path`) when the item is gone, no
/// longer reads, or reads as another application.
fn listed(
    items: &Bound<'_, PyAny>,
    fingerprints: &[u64],
    i: usize,
    path: &str,
) -> Result<Application, Error> {
    let changed = |how: String| {
        Error::argument(
            "changed_application",
            path,
            format!(
                "the application at `[{i}]` of the list this batch was evaluated from {how}: a \
                 batch of a list keeps the list, not a copy, and reads item {i} again for its \
                 decision and for a pickle; evaluate the list again, or give `evaluate_many` \
                 `iter(applications)` (whose applications the batch keeps as read) or a deep \
                 copy to change the dicts after"
            ),
        )
    };
    let item = match items.get_item(i) {
        Ok(item) => item,
        Err(e) if e.is_instance_of::<pyo3::exceptions::PyIndexError>(items.py()) => {
            let len = items.len()?;
            return Err(changed(format!("is gone (the list has {len} items now)")));
        }
        Err(e) => return Err(e.into()),
    };
    let app = match read_item(&item, &format!("[{i}]")) {
        Ok(app) => app,
        Err(Error::Invalid(e)) => {
            let why = e
                .problems()
                .first()
                .map(|p| format!(" ({} at `{}`)", p.message, p.path))
                .unwrap_or_default();
            return Err(changed(format!(
                "has changed since and no longer reads{why}"
            )));
        }
        Err(e) => return Err(e),
    };
    if fingerprints.get(i) != Some(&fingerprint(&app)) {
        return Err(changed("has changed since".to_string()));
    }
    Ok(app)
}

/// The applications of a batch as a pickle keeps them (one JSON list).
fn pickled_applications<T: Serialize + ?Sized>(apps: &T) -> Result<(String, &'static str), Error> {
    serde_json::to_string(apps)
        .map(|json| (json, "applications"))
        .map_err(|e| Error::Internal(format!("cannot pickle a batch: {e}")))
}

/// A [`Source`] borrowed.
enum Rows<'a> {
    Applications(&'a Parts),
    Frame(&'a crate::frames::Frame),
    Lines {
        text: &'a str,
        spans: &'a OnceLock<Vec<(usize, usize)>>,
    },
}

impl Rows<'_> {
    /// The application of row `i`, or `None` past the end.
    fn application(&self, i: usize) -> Result<Option<std::borrow::Cow<'_, Application>>, Error> {
        match self {
            Rows::Applications(apps) => Ok(apps.get(i).map(std::borrow::Cow::Borrowed)),
            // The row read when the batch was evaluated: it reads again the same.
            Rows::Frame(frame) => Ok(frame.application(i).map(std::borrow::Cow::Owned)),
            Rows::Lines { text, spans } => {
                let spans = spans.get_or_init(|| {
                    let base = text.as_ptr() as usize;
                    jsonl_lines(text)
                        .map(|line| {
                            let start = line.as_ptr() as usize - base;
                            (start, start + line.len())
                        })
                        .collect()
                });
                let Some(line) = spans.get(i).and_then(|&(a, b)| text.get(a..b)) else {
                    return Ok(None);
                };
                // The line read when the batch was evaluated: it reads again the same.
                let app = guard_result(|| Application::from_json(line))?;
                Ok(Some(std::borrow::Cow::Owned(app)))
            }
        }
    }

    /// What a pickle keeps: the applications in their JSON shape (a list), or the JSON Lines
    /// text, and which of the two (`_from_pickle`'s `kind`).
    fn pickled(&self) -> Result<(String, &'static str), Error> {
        match self {
            Rows::Applications(apps) => pickled_applications(*apps),
            Rows::Frame(frame) => frame
                .applications()
                .ok_or_else(|| Error::Internal("a row of the batch no longer reads".to_string()))
                .and_then(|apps| pickled_applications(&apps)),
            Rows::Lines { text, .. } => Ok(((*text).to_string(), "jsonl")),
        }
    }
}

/// One row of a batch, in the shape of `to_records()` rows.
#[derive(Serialize)]
struct Row<'a> {
    id: Option<&'a str>,
    verdict: Verdict,
    max_eu_contribution: Option<u64>,
    eu_share: Option<&'a str>,
    failed: euca::IdList<'a>,
    missing: euca::IdList<'a>,
}

impl PyBatch {
    /// Row `i` (`i < len`), or `None` past the end.
    fn row(&self, i: usize) -> Option<Row<'_>> {
        let r = &self.result;
        Some(Row {
            id: r.ids.get(i)?,
            verdict: *r.verdicts.get(i)?,
            max_eu_contribution: *r.max_eu_contribution.get(i)?,
            eu_share: r.eu_share.get(i)?,
            failed: r.failed.get(i)?,
            missing: r.missing.get(i)?,
        })
    }

    fn columns<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyDict>, Error> {
        let r = &self.result;
        let d = PyDict::new(py);
        d.set_item("id", convert::to_py(py, &r.ids)?)?;
        d.set_item("verdict", convert::to_py(py, &r.verdicts)?)?;
        d.set_item(
            "max_eu_contribution",
            convert::to_py(py, &r.max_eu_contribution)?,
        )?;
        d.set_item("eu_share", convert::to_py(py, &r.eu_share)?)?;
        d.set_item("failed", convert::to_py(py, &r.failed)?)?;
        d.set_item("missing", convert::to_py(py, &r.missing)?)?;
        Ok(d)
    }
}

#[pymethods]
impl PyBatch {
    /// The list a batch keeps, for Python's cycle collector (a list may come to hold its batch).
    fn __traverse__(&self, visit: pyo3::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        if let Source::List { items, .. } = &self.source {
            visit.call(items)?;
        }
        Ok(())
    }

    fn __len__(&self) -> usize {
        self.result.len()
    }

    /// How the rows were read, for tests and benchmarks (not part of the API): `"list"` (a list
    /// or tuple of dicts, kept by reference), `"items"` (any other iterable of dicts),
    /// `"arrow stream on all cores"` (a polars frame or pyarrow table read through its Arrow C
    /// stream, every column from its buffers; the batch keeps the cells), `"frame on all cores"`
    /// (the same, columns handed over by `euca._frames.columns`), `"frame in two halves"` (columns of Python values with the GIL, the rest and
    /// the evaluation on another thread), `"frame on one thread"`, `"jsonl"` or `"pickle"`.
    #[getter]
    fn _read(&self) -> &'static str {
        self.read
    }

    /// Row `index` as a dict (negative indices count from the end), or a slice's rows as
    /// `Records`.
    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        index: &Bound<'py, PyAny>,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let len = self.result.len();
        if let Ok(slice) = index.cast::<PySlice>() {
            let s = slice.indices(isize::try_from(len).unwrap_or(isize::MAX))?;
            let rows: Vec<Row<'_>> = (0..s.slicelength)
                .filter_map(|k| {
                    let i = s
                        .start
                        .checked_add(s.step.checked_mul(isize::try_from(k).ok()?)?)?;
                    usize::try_from(i).ok().and_then(|i| self.row(i))
                })
                .collect();
            return convert::records(py, &rows);
        }
        let i = arguments::index(index, "index", len).map_err(|e| match e {
            Error::Type(_) => Error::Type(format!(
                "batch indices must be integers or slices, not {}",
                arguments::type_name(index)
            )),
            other => other,
        })?;
        convert::to_py(py, &self.row(i))
    }

    /// The rows, one dict each, built as the iteration reaches them.
    fn __iter__(slf: Bound<'_, Self>) -> PyBatchRows {
        PyBatchRows {
            batch: slf.unbind(),
            next: 0,
        }
    }

    /// Pickles as the call (which pickles through its JSON), the applications in their JSON shape
    /// (or the JSON Lines text they were evaluated from) and the columns in their JSON shape.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
        py: Python<'py>,
    ) -> Result<Reduced<'py, PickledBatch<'py>>, Error> {
        let me = slf.get();
        let call = Bound::new(
            py,
            PyCall {
                call: Arc::clone(&me.call),
                dataset: me.dataset.clone(),
            },
        )?;
        let (applications, result) = match &me.source {
            // Read again, with the GIL, and written as the applications of other batches are.
            Source::List {
                items,
                fingerprints,
            } => {
                let items = items.bind(py);
                let apps = (0..me.result.len())
                    .map(|i| listed(items, fingerprints, i, &format!("[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?;
                py.detach(|| {
                    (
                        pickled_applications(&apps),
                        serde_json::to_string(&me.result),
                    )
                })
            }
            source => {
                let rows = source.rows(py)?;
                py.detach(|| (rows.pickled(), serde_json::to_string(&me.result)))
            }
        };
        let (applications, kind) = applications?;
        let unwritable =
            |e: serde_json::Error| Error::Internal(format!("cannot pickle a batch: {e}"));
        Ok((
            slf.get_type().getattr("_from_pickle")?,
            (call, applications, result.map_err(unwritable)?, kind),
        ))
    }

    /// Rebuilds a pickled batch: `applications` is their JSON list, or for `kind="jsonl"` the JSON
    /// Lines text they were evaluated from.
    #[staticmethod]
    #[pyo3(signature = (call, applications, result, kind="applications"))]
    fn _from_pickle(
        py: Python<'_>,
        call: &Bound<'_, PyAny>,
        applications: String,
        result: String,
        kind: &str,
    ) -> Result<PyBatch, Error> {
        let call = arguments::handle::<PyCall>(call, "call", "Call")?.get();
        let unreadable = |e: serde_json::Error| {
            Error::from(DatasetError::new(vec![Problem::new(
                Code::InvalidJson,
                "",
                format!("not a pickled batch: {e}"),
            )]))
        };
        if kind == "jsonl" {
            // A line that does not read is named when its decision is asked for.
            let (rows, result) = py.detach(|| {
                (
                    jsonl_lines(&applications).count(),
                    euca::BatchResult::from_json(&result),
                )
            });
            let result = result?;
            if rows != result.len() {
                return Err(unreadable(serde::de::Error::custom(format!(
                    "{rows} lines for {} rows",
                    result.len()
                ))));
            }
            return Ok(call.batch(Source::lines(Text::Owned(applications)), result, "pickle"));
        }
        if kind != "applications" {
            return Err(unreadable(serde::de::Error::custom(format!(
                "`{kind}` is not a kind of pickled batch"
            ))));
        }
        // The columns through the reader that names each problem's field (a column of another
        // length than `verdicts` is one), as a pickle may have been edited or come from elsewhere.
        let (applications, result) = py.detach(|| {
            (
                serde_json::from_str::<Vec<Application>>(&applications),
                euca::BatchResult::from_json(&result),
            )
        });
        let (applications, result) = (applications.map_err(unreadable)?, result?);
        if applications.len() != result.len() {
            return Err(unreadable(serde::de::Error::custom(format!(
                "{} applications for {} rows",
                applications.len(),
                result.len()
            ))));
        }
        Ok(call.batch(
            Source::Applications(Parts::from(applications)),
            result,
            "pickle",
        ))
    }

    /// The applications' ids (`None` where an application has none).
    #[getter]
    fn ids<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::to_py(py, &self.result.ids)
    }

    /// The verdicts.
    #[getter]
    fn verdicts<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        // One interned string per verdict, each referred to as often as it occurs: a list of a
        // hundred thousand verdicts made in a fifth of the time of a string each (0.031 -> 0.006
        // µs a verdict).
        let names = [
            Verdict::Eligible,
            Verdict::Undetermined,
            Verdict::Ineligible,
        ]
        .map(|verdict| PyString::intern(py, verdict.as_str()));
        let list = PyList::new(
            py,
            self.result.verdicts.iter().map(|verdict| match verdict {
                Verdict::Eligible => &names[0],
                Verdict::Undetermined => &names[1],
                Verdict::Ineligible => &names[2],
            }),
        )?;
        Ok(list.into_any())
    }

    /// Whether each row's verdict is `eligible`: a mask of the rows to keep, as `frame.loc[mask]`
    /// (pandas) and `frame.filter(mask)` (polars) take it.
    #[getter]
    fn eligible<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        // Python's two booleans referred to as often as they occur: made here rather than by
        // comparing each string of `verdicts` in Python (0.026 -> 0.007 µs a row).
        let list = PyList::new(
            py,
            self.result
                .verdicts
                .iter()
                .map(|verdict| PyBool::new(py, *verdict == Verdict::Eligible)),
        )?;
        Ok(list.into_any())
    }

    /// The largest EU contribution the rules allow, in minor units.
    #[getter]
    fn max_eu_contribution<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::to_py(py, &self.result.max_eu_contribution)
    }

    /// The requested contribution as a percentage of total eligible costs.
    #[getter]
    fn eu_share<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::to_py(py, &self.result.eu_share)
    }

    /// The ids of the criteria each application fails.
    #[getter]
    fn failed<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::to_py(py, &self.result.failed)
    }

    /// The ids of the criteria that cannot be told for each application.
    #[getter]
    fn missing<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::to_py(py, &self.result.missing)
    }

    /// The evaluation date.
    #[getter]
    fn as_of<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::py_date(py, self.result.as_of)
    }

    /// The stage of a restricted call, if one was given.
    #[getter]
    fn stage<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::to_py(py, &self.result.stage)
    }

    /// The id and version of the rule set that decided.
    #[getter]
    fn rule_set<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::to_py(py, &self.call.rule_set_ref())
    }

    /// How many rows have each verdict.
    fn counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let (eligible, ineligible, undetermined) = self.result.counts();
        let d = PyDict::new(py);
        d.set_item("eligible", eligible)?;
        d.set_item("ineligible", ineligible)?;
        d.set_item("undetermined", undetermined)?;
        Ok(d)
    }

    /// The full decision for row `i` (negative indices count from the end).
    fn decision(&self, py: Python<'_>, i: &Bound<'_, PyAny>) -> Result<PyDecision, Error> {
        let index = arguments::index(i, "i", self.result.len())?;
        let (call, result) = (&self.call, &self.result);
        if let Source::List {
            items,
            fingerprints,
        } = &self.source
        {
            let app = listed(items.bind(py), fingerprints, index, "i")?;
            let decision =
                py.detach(|| guard(|| call.evaluate(&app, result.as_of, result.stage)))?;
            return Ok(PyDecision::new(decision));
        }
        let rows = self.source.rows(py)?;
        let decision = py.detach(|| {
            let app = rows
                .application(index)?
                .ok_or_else(|| Error::Internal(format!("row {index} has no application")))?;
            guard(|| call.evaluate(&app, result.as_of, result.stage))
        })?;
        Ok(PyDecision::new(decision))
    }

    /// The batch in its JSON shape (`ids`, `verdicts`, `max_eu_contribution`, `eu_share`,
    /// `failed`, `missing`, `as_of`, `stage`), as every language writes it.
    fn to_dict<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::to_py(py, &self.result)
    }

    /// The rows as `Records` (`id`, `verdict`, `max_eu_contribution`, `eu_share`, `failed`,
    /// `missing`).
    fn to_records<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        let columns = self.columns(py)?;
        Ok(convert::helper(py, "euca.records", "records_from_columns")?.call1((columns,))?)
    }

    /// The columns as a pandas DataFrame (needs the `pandas` extra).
    fn to_pandas<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        let columns = self.columns(py)?;
        Ok(convert::helper(py, "euca.records", "columns_to_pandas")?.call1((columns,))?)
    }

    /// The columns as a polars DataFrame (needs the `polars` extra).
    fn to_polars<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        let columns = self.columns(py)?;
        Ok(convert::helper(py, "euca.records", "columns_to_polars")?.call1((columns,))?)
    }

    fn __repr__(&self) -> String {
        let (e, i, u) = self.result.counts();
        format!(
            "<euca.BatchResult {} rows under {} as of {}: {e} eligible, {i} ineligible, {u} undetermined>",
            self.result.len(),
            self.call.id(),
            self.result.as_of
        )
    }
}

/// The iterator over a batch's rows (`iter(batch)`).
#[pyclass(module = "euca._euca", name = "BatchRows")]
pub struct PyBatchRows {
    batch: Py<PyBatch>,
    next: usize,
}

#[pymethods]
impl PyBatchRows {
    /// The batch, for Python's cycle collector (the batch may keep a list that holds this).
    fn __traverse__(&self, visit: pyo3::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        visit.call(&self.batch)
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(
        mut slf: PyRefMut<'py, Self>,
        py: Python<'py>,
    ) -> Result<Option<Bound<'py, PyAny>>, Error> {
        let i = slf.next;
        let batch = slf.batch.get();
        if i >= batch.result.len() {
            return Ok(None);
        }
        let row = convert::to_py(py, &batch.row(i))?;
        slf.next = i + 1;
        Ok(Some(row))
    }
}

/// Compares two calls on the same applications.
#[pyfunction]
#[pyo3(signature = (call_a, call_b, applications, as_of=None))]
pub fn compare<'py>(
    py: Python<'py>,
    call_a: &Bound<'py, PyAny>,
    call_b: &Bound<'py, PyAny>,
    applications: &Bound<'py, PyAny>,
    as_of: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>, Error> {
    let call_a = arguments::handle::<PyCall>(call_a, "call_a", "Call")?.get();
    let call_b = arguments::handle::<PyCall>(call_b, "call_b", "Call")?.get();
    let day = convert::day(as_of, "as_of")?;
    let apps = read_batch(applications)?;
    let (a, b) = (Arc::clone(&call_a.call), Arc::clone(&call_b.call));
    let rows = py.detach(|| guard(|| euca::compare(&a, &b, &apps, day)))?;
    convert::records(py, &rows)
}
