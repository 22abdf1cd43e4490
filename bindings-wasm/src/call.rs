//! `Call` (a compiled call for proposals), `Decision` (the decision on one application) and
//! `compare`.

use chrono::NaiveDate;
use euca::{Application, Stage};
#[cfg(feature = "full")]
use serde::de::DeserializeOwned;
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[cfg(feature = "full")]
use crate::dataset::Dataset;
use crate::error::{Failure, JsResult};
#[cfg(feature = "full")]
use crate::input::count;
use crate::input::{self, Document, Options};
use crate::output::{to_js, to_js_text};

/// A call for proposals (or an instrument's rule set), compiled: its `extends` chain resolved and
/// flattened, each criterion remembering where it came from. Compile once, evaluate many times.
///
/// A handle owning WebAssembly memory: call `free()` when done with it.
#[wasm_bindgen]
pub struct Call {
    pub(crate) inner: euca::Call,
}

/// The decision on one application: the verdict, a check per criterion with its citation, the
/// fields still missing, the grant and the recourse. "Not eligible" is a decision, not an error.
///
/// A handle owning WebAssembly memory: call `free()` when done with it; `toJSON()` gives the
/// whole decision as plain data.
#[wasm_bindgen]
pub struct Decision {
    pub(crate) inner: euca::Decision,
}

/// Reads a JSON value into a core type, reporting its first problem with its path, and every
/// field the type does not know (`unknown_field`): the options of the dataset's and the
/// projects' functions (a decision is read as the core reads one, `Decision::from_value`).
#[cfg(feature = "full")]
pub(crate) fn read_typed<T: DeserializeOwned>(json: &Value, argument: &str) -> Result<T, Failure> {
    let join = |inner: &str| {
        if inner.is_empty() {
            argument.to_string()
        } else if inner.starts_with('[') {
            format!("{argument}{inner}")
        } else {
            format!("{argument}.{inner}")
        }
    };
    let reported = euca::report::read::<T>(json);
    let unknown = reported.unknown;
    let result = reported.result;
    let value = result.map_err(|failure| {
        let path = join(&euca::report::path_text(&failure.at));
        let message = failure.error.to_string();
        let code = if message.starts_with("unknown field") {
            "unknown_field"
        } else if message.starts_with("invalid type") {
            "invalid_type"
        } else if message.starts_with("missing field") {
            "missing_field"
        } else if message.starts_with("invalid date") || message.starts_with("input contains") {
            "invalid_date"
        } else {
            "invalid_value"
        };
        Failure::new(code, &path, message)
    })?;
    if let Some(first) = unknown.first() {
        let mut failure = Failure::new(
            "unknown_field",
            &join(first),
            format!(
                "unknown field `{}`",
                first.rsplit('.').next().unwrap_or(first)
            ),
        );
        for more in unknown.iter().skip(1) {
            failure.errors.push(crate::error::Detail {
                code: "unknown_field".into(),
                message: format!(
                    "unknown field `{}`",
                    more.rsplit('.').next().unwrap_or(more)
                ),
                path: join(more),
            });
        }
        return Err(failure);
    }
    Ok(value)
}

/// An application argument: JSON text or a plain object.
pub(crate) fn application(value: &JsValue) -> Result<Application, Failure> {
    // The common case: a plain object, written by V8's `JSON.stringify` and read in one pass, as
    // a batch of one (the walk below crosses into JavaScript for every key and value: a quarter of
    // `evaluate`'s time). Anything the text would not carry faithfully, or that does not read so,
    // takes the walk, which names its problems.
    if value.is_object()
        && !value.is_instance_of::<js_sys::Uint8Array>()
        && let Some(app) = applications_fast(&js_sys::Array::of1(value)).and_then(|mut a| a.pop())
    {
        return Ok(app);
    }
    match input::document(value, "application")? {
        Document::Text(t) => Application::from_json(&t),
        Document::Value(v) => Application::from_value(&v),
    }
    .map_err(Failure::from)
}

/// A list of applications: a JavaScript array (problems at `[i].field`).
fn applications(value: &JsValue) -> Result<Vec<Application>, Failure> {
    // The batch limit before anything is converted.
    if let Some(items) = value.dyn_ref::<js_sys::Array>() {
        euca::limits::check_batch(items.length() as usize)?;
    }
    // The common case: plain objects, written by V8's `JSON.stringify` and read in one pass, a
    // chunk at a time (a million applications would be a string longer than V8 allows, and the
    // module's memory would grow by all of it at once; each growth costs V8 a full collection).
    // Anything the text would not carry faithfully takes the walk below, which names it.
    if let Some(items) = value.dyn_ref::<js_sys::Array>()
        && let Some(apps) = applications_fast(items)
    {
        return Ok(apps);
    }
    let json = input::list(value, "applications")?;
    euca::read_applications(&json).map_err(Failure::from)
}

/// How many plain objects are written as one JSON text and read at a time.
const CHUNK: u32 = 4096;

/// Applications read from `JSON.stringify`'s text, [`CHUNK`] at a time, or `None` when one of
/// them must be read the way that reports its problems.
fn applications_fast(items: &js_sys::Array) -> Option<Vec<Application>> {
    let len = items.length();
    let mut apps = Vec::with_capacity(len as usize);
    let mut start = 0;
    while start < len {
        let end = len.min(start + CHUNK);
        apps.extend(input::plain_applications(items.as_ref(), start, end)?);
        start = end;
    }
    Some(apps)
}

fn stage(value: &JsValue) -> Result<Option<Stage>, Failure> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let text = input::text(value, "options.stage")?;
    match text.as_str() {
        "concept_note" => Ok(Some(Stage::ConceptNote)),
        "full_application" => Ok(Some(Stage::FullApplication)),
        other => Err(Failure::new(
            "invalid_value",
            "options.stage",
            format!("unknown stage `{other}`: expected `concept_note` or `full_application`"),
        )),
    }
}

/// Reads `{asOf, stage}`: the evaluation day (default today in UTC) and the stage.
pub(crate) fn evaluate_options(
    value: &JsValue,
) -> Result<(NaiveDate, Option<Stage>, Options), Failure> {
    let options = Options::read(value, "options", &["asOf", "stage"])?;
    let day = input::day_or_today(&options.get("asOf"), "options.asOf")?;
    let stage = stage(&options.get("stage"))?;
    Ok((day, stage, options))
}

fn compile(document: &JsValue, data: &euca::Dataset) -> JsResult<Call> {
    let inner = match input::document(document, "document")? {
        Document::Text(t) => euca::Call::from_json_with(&t, data),
        Document::Value(v) => euca::Call::from_value_with(&v, data),
    }
    .map_err(Failure::from)?;
    Ok(Call { inner })
}

fn parse_text_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

#[wasm_bindgen]
impl Call {
    /// Reads and compiles a rule set (JSON text or a plain object), resolving `extends` against
    /// the embedded dataset. Every problem is reported with its path.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | RuleSetJson")]
        document: JsValue,
    ) -> JsResult<Call> {
        let data = euca::Dataset::embedded().map_err(Failure::from)?;
        compile(&document, &data)
    }

    /// As `fromJson`, resolving `extends` against a given dataset (one you extended with rule
    /// sets of your own, say).
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = fromJsonWith)]
    pub fn from_json_with(
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | RuleSetJson")]
        document: JsValue,
        dataset: &Dataset,
    ) -> JsResult<Call> {
        compile(&document, &dataset.inner)
    }

    /// The rule set's id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.inner.id().to_string()
    }

    /// Its title.
    #[wasm_bindgen(getter)]
    pub fn title(&self) -> String {
        self.inner.title().to_string()
    }

    /// Its version.
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        self.inner.rule_set_ref().version
    }

    /// Its id and version (`{id, version}`): what every decision records to be reproducible.
    #[wasm_bindgen(getter, js_name = ruleSet, unchecked_return_type = "RuleSetRef")]
    pub fn rule_set(&self) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.rule_set_ref())?)
    }

    /// The currency of its amounts (ISO 4217, `EUR`).
    #[wasm_bindgen(getter)]
    pub fn currency(&self) -> String {
        self.inner.currency().as_str().to_string()
    }

    /// The chain of rule sets it was compiled from, the root instrument first.
    #[wasm_bindgen(unchecked_return_type = "RuleSetRef[]")]
    pub fn chain(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.chain())?)
    }

    /// Every criterion, flattened, each with the rule set it came from (`origin`).
    #[wasm_bindgen(unchecked_return_type = "CallCriterion[]")]
    pub fn criteria(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.criteria())?)
    }

    /// What the call reads of an application: each criterion's id and fields, in the call's
    /// order, and the grant's fields, as dotted paths (`applicant.country`; a list of partners
    /// and the budget are read whole: `co_applicants`, `budget`). An application that gives
    /// these fields is decided as it would be with every other field too.
    #[wasm_bindgen(
        js_name = fieldsRead,
        unchecked_return_type = "{ criteria: { id: string; fields: string[] }[]; grant: string[] }"
    )]
    pub fn fields_read(&self) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.fields_read())?)
    }

    /// The stages of a restricted call (`concept_note`, `full_application`); empty otherwise.
    #[wasm_bindgen(unchecked_return_type = "Stage[]")]
    pub fn stages(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.stages())?)
    }

    /// Notes of every rule set of the chain: parameters the sources do not give.
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn notes(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.notes())?)
    }

    /// The period in which the rules govern decisions, if known.
    #[wasm_bindgen(unchecked_return_type = "RuleValidity | undefined")]
    pub fn validity(&self) -> JsResult<JsValue> {
        match self.inner.validity() {
            Some(v) => Ok(to_js(v)?),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// The sources of the rule set.
    #[wasm_bindgen(unchecked_return_type = "Source[]")]
    pub fn sources(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.sources())?)
    }

    /// Whether the rules govern decisions on a day.
    #[wasm_bindgen(js_name = inForceOn)]
    pub fn in_force_on(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DateInput")] day: JsValue,
    ) -> JsResult<bool> {
        let d = input::day(&day, "day")?.ok_or_else(|| {
            Failure::new(
                "missing_field",
                "day",
                "`day` is required: `2024-05-01` or a `Date`",
            )
        })?;
        Ok(self.inner.in_force_on(d))
    }

    /// The rule set as written (before flattening), as a plain object.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "RuleSetJson")]
    pub fn to_json(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.rule_set())?)
    }

    /// The flattened call: every criterion with its origin, the chain, validity and stages.
    #[wasm_bindgen(js_name = toFlatJSON, unchecked_return_type = "FlatCall")]
    pub fn to_flat_json(&self) -> JsResult<JsValue> {
        Ok(to_js(&parse_text_json(&self.inner.to_flat_json()))?)
    }

    /// Evaluates one application (JSON text or a plain object) on `options.asOf` (default today
    /// in UTC) at `options.stage` (restricted calls; default the last stage).
    #[wasm_bindgen]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | Application")]
        application: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "EvaluateOptions | null")] options: JsValue,
    ) -> JsResult<Decision> {
        let app = crate::call::application(&application)?;
        let (day, stage, _) = evaluate_options(&options)?;
        Ok(Decision {
            inner: self.inner.evaluate(&app, day, stage),
        })
    }

    /// Evaluates many applications into columns (`verdicts`, `max_eu_contribution`, `eu_share`,
    /// `failed`, `missing`, one entry per application in input order): plain data, no handles.
    #[wasm_bindgen(js_name = evaluateMany, unchecked_return_type = "BatchResult")]
    pub fn evaluate_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Application[]")] applications: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "EvaluateOptions | null")] options: JsValue,
    ) -> JsResult<JsValue> {
        let read = evaluate_options(&options);
        if let (Ok((day, stage, _)), Some(items)) = (&read, applications.dyn_ref::<js_sys::Array>())
        {
            euca::limits::check_batch(items.length() as usize).map_err(Failure::from)?;
            if let Some(batch) = self.evaluate_fast(items, *day, *stage) {
                return Ok(crate::output::batch_to_js(&batch)?);
            }
        }
        // A problem to name: the applications' first, then the options'.
        let apps = self::applications(&applications)?;
        let (day, stage, _) = read?;
        Ok(crate::output::batch_to_js(
            &self.inner.evaluate_many(&apps, day, stage),
        )?)
    }

    /// Plain objects read and evaluated [`CHUNK`] at a time, each part's applications dropped
    /// once its rows are written (the module's memory then holds one part of the applications,
    /// not all of them), or `None` when one of them must be read the way that reports its problems.
    fn evaluate_fast(
        &self,
        items: &js_sys::Array,
        day: NaiveDate,
        stage: Option<Stage>,
    ) -> Option<euca::BatchResult> {
        let len = items.length();
        let mut out = self.inner.evaluate_many(&[], day, stage);
        let mut start = 0;
        while start < len {
            let end = len.min(start + CHUNK);
            let apps = input::plain_applications(items.as_ref(), start, end)?;
            out.append(self.inner.evaluate_many(&apps, day, stage))
                .ok()?;
            start = end;
        }
        Some(out)
    }

    /// Reads applications from JSON Lines (one per line, blank lines skipped) and evaluates them
    /// into columns, as `evaluateMany`. Problems are reported for every line (`[i].field`). The
    /// lines are a string, or their UTF-8 bytes (a `Uint8Array` such as the `Buffer` of
    /// `fs.readFileSync(path)`), which are copied as they are rather than decoded to a string
    /// and encoded again.
    #[wasm_bindgen(js_name = evaluateJsonl, unchecked_return_type = "BatchResult")]
    pub fn evaluate_jsonl(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] text: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "EvaluateOptions | null")] options: JsValue,
    ) -> JsResult<JsValue> {
        let text = match text.dyn_ref::<js_sys::Uint8Array>() {
            Some(bytes) => input::utf8_text(bytes, "text")?,
            None => input::string(&text, "text")?.ok_or_else(|| {
                Failure::new(
                    "invalid_type",
                    "text",
                    format!(
                        "`text` is a string or a Uint8Array, not {}",
                        input::kind(&text)
                    ),
                )
            })?,
        };
        let (day, stage, _) = evaluate_options(&options)?;
        let batch = self
            .inner
            .evaluate_jsonl(&text, day, stage)
            .map_err(Failure::from)?;
        Ok(crate::output::batch_to_js(&batch)?)
    }

    /// The full decision for row `index` of a batch evaluated from these applications (on the
    /// batch's `as_of` and `stage`). Only that row is read: the application at `index`, and the
    /// batch's cells of that row with its other fields, checked as a batch is read. A decision
    /// costs the same in a batch of ten rows or of a million.
    #[cfg(feature = "full")]
    #[wasm_bindgen]
    pub fn decision(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Application[]")] applications: JsValue,
        #[wasm_bindgen(unchecked_param_type = "BatchResult")] batch: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] index: JsValue,
    ) -> JsResult<Decision> {
        let i = count(&index, "index", u32::MAX)?.ok_or_else(|| {
            Failure::new(
                "missing_field",
                "index",
                "`index` is required: a row of the batch",
            )
        })?;
        let (as_of, stage) = batch_row(&batch, i)?;
        let app = application_at(&applications, i)?;
        Ok(Decision {
            inner: self.inner.evaluate(&app, as_of, stage),
        })
    }
}

#[cfg(feature = "full")]
/// The columns of a batch (its JSON shape), one cell per row each.
const BATCH_COLUMNS: [&str; 6] = [
    "ids",
    "verdicts",
    "max_eu_contribution",
    "eu_share",
    "failed",
    "missing",
];

#[cfg(feature = "full")]
/// The evaluation date and stage of a batch handed back to `decision`, its row `index` read as a
/// batch is read (a problem in a cell is named at its row: `batch.verdicts[41]`). A batch that is
/// not an object of the six columns, each a list as long as `verdicts`, with `as_of` and `stage`,
/// is read whole, which names the problem.
fn batch_row(batch: &JsValue, index: u32) -> Result<(NaiveDate, Option<Stage>), Failure> {
    let read = |value: &JsValue| {
        let json = input::to_json(value).map_err(|f| f.under("batch"))?;
        euca::BatchResult::from_value_at(&json, "batch").map_err(Failure::from)
    };
    let Some((row, rows)) = input::batch_row(batch, index) else {
        let whole = read(batch)?;
        no_row(index, whole.len())?;
        return Ok((whole.as_of, whole.stage));
    };
    let read = read(&row).map_err(|failure| {
        BATCH_COLUMNS.iter().fold(failure, |f, column| {
            f.renumbered(
                &format!("batch.{column}[0]"),
                &format!("batch.{column}[{index}]"),
            )
        })
    })?;
    no_row(index, rows)?;
    Ok((read.as_of, read.stage))
}

#[cfg(feature = "full")]
/// The error of a row the batch does not have.
fn no_row(index: u32, rows: usize) -> Result<(), Failure> {
    if (index as usize) < rows {
        return Ok(());
    }
    Err(Failure::new(
        "invalid_value",
        "index",
        format!("no row {index} in the batch, which has {rows}"),
    ))
}

#[cfg(feature = "full")]
/// The application at `index` of a list, read alone as the list's reader reads each item (a
/// problem is named at its item: `[41].budget.requested`); anything but a list, or a list that
/// throws when read, is read whole, which names the problem.
fn application_at(value: &JsValue, index: u32) -> Result<Application, Failure> {
    let Some((one, len)) = input::list_item(value, index) else {
        let apps = applications(value)?;
        let len = apps.len();
        return apps
            .into_iter()
            .nth(index as usize)
            .ok_or_else(|| no_application(index, len));
    };
    euca::limits::check_batch(len)?;
    if index as usize >= len {
        return Err(no_application(index, len));
    }
    let mut read = applications(&one).map_err(|f| f.renumbered("[0]", &format!("[{index}]")))?;
    read.pop().ok_or_else(|| no_application(index, len))
}

#[cfg(feature = "full")]
/// The error of an index past the applications.
fn no_application(index: u32, len: usize) -> Failure {
    Failure::new(
        "invalid_value",
        "index",
        format!("no application at index {index}: the list has {len}"),
    )
}

/// Compares two calls on the same applications (on `asOf`, default today in UTC): for each
/// application, whether the verdict and the maximum grant change, which criteria differ, and why.
#[cfg(feature = "full")]
#[wasm_bindgen(unchecked_return_type = "Comparison[]")]
pub fn compare(
    a: &Call,
    b: &Call,
    #[wasm_bindgen(unchecked_param_type = "Application[]")] applications: JsValue,
    #[wasm_bindgen(js_name = asOf, unchecked_optional_param_type = "DateInput | null")]
    as_of: JsValue,
) -> JsResult<JsValue> {
    let apps = self::applications(&applications)?;
    let day = input::day_or_today(&as_of, "asOf")?;
    Ok(to_js_text(&euca::compare(&a.inner, &b.inner, &apps, day))?)
}

#[wasm_bindgen]
impl Decision {
    /// Reads a decision written by `toJSON()` (a plain object or JSON text).
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | DecisionJson")]
        document: JsValue,
    ) -> JsResult<Decision> {
        let json = match input::document(&document, "document")? {
            Document::Text(t) => serde_json::from_str(&t)
                .map_err(|e| Failure::new("invalid_json", "", format!("not valid JSON: {e}")))?,
            Document::Value(v) => v,
        };
        // As the core reads a decision (every problem with its path, as Python's
        // `Decision.from_json` reports them), the paths under the argument's name.
        let inner = euca::Decision::from_value(&json).map_err(|e| {
            let problems = e
                .into_problems()
                .into_iter()
                .map(|mut p| {
                    p.path = if p.path.is_empty() {
                        "document".to_string()
                    } else if p.path.starts_with('[') {
                        format!("document{}", p.path)
                    } else {
                        format!("document.{}", p.path)
                    };
                    p
                })
                .collect();
            Failure::from(euca::DatasetError::new(problems))
        })?;
        Ok(Decision { inner })
    }

    /// `eligible`, `ineligible` or `undetermined`.
    #[wasm_bindgen(getter, unchecked_return_type = "Verdict")]
    pub fn verdict(&self) -> JsResult<JsValue> {
        Ok(to_js_text(&self.inner.verdict)?)
    }

    /// One check per criterion, in the call's order, each with its citation.
    #[wasm_bindgen(getter, unchecked_return_type = "Check[]")]
    pub fn checks(&self) -> JsResult<JsValue> {
        Ok(to_js_text(&self.inner.checks)?)
    }

    /// The fields still needed, with their questions; those that settle the verdict first.
    #[wasm_bindgen(getter, unchecked_return_type = "Missing[]")]
    pub fn missing(&self) -> JsResult<JsValue> {
        Ok(to_js_text(&self.inner.missing)?)
    }

    /// The grant figures, in minor units (cents), where computable.
    #[wasm_bindgen(getter, unchecked_return_type = "Grant | undefined")]
    pub fn grant(&self) -> JsResult<JsValue> {
        match &self.inner.grant {
            Some(g) => Ok(to_js_text(g)?),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// What the applicant can change or answer.
    #[wasm_bindgen(getter, unchecked_return_type = "Recourse[]")]
    pub fn recourse(&self) -> JsResult<JsValue> {
        Ok(to_js_text(&self.inner.recourse)?)
    }

    /// The evaluation day (`YYYY-MM-DD`).
    #[wasm_bindgen(getter, js_name = asOf)]
    pub fn as_of(&self) -> String {
        self.inner.as_of.to_string()
    }

    /// The rule set (id and version) that decided it.
    #[wasm_bindgen(getter, js_name = ruleSet, unchecked_return_type = "RuleSetRef")]
    pub fn rule_set(&self) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.rule_set)?)
    }

    /// The stage of a restricted call, if one was evaluated.
    #[wasm_bindgen(getter, unchecked_return_type = "Stage | undefined")]
    pub fn stage(&self) -> JsResult<JsValue> {
        match &self.inner.stage {
            Some(s) => Ok(to_js(s)?),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// The application's id, if it has one.
    #[wasm_bindgen(getter)]
    pub fn application(&self) -> Option<String> {
        self.inner.application.clone()
    }

    /// The decision in plain text a non-programmer can follow, citing the rules.
    #[wasm_bindgen]
    pub fn explain(&self) -> String {
        self.inner.explain()
    }

    /// The whole decision as plain data (the canonical JSON shape).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "DecisionJson")]
    pub fn to_json(&self) -> JsResult<JsValue> {
        Ok(to_js_text(&self.inner)?)
    }
}
