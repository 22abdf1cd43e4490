//! `euca.Dataset`: the sourced dataset and every query on it.

use std::sync::Arc;

use euca::{CalendarFilter, Dataset, FundingBy, Period, PlanOptions};
use pyo3::prelude::*;

use crate::arguments;
use crate::call::PyCall;
use crate::convert::{self, Document};
use crate::decision::PyDecision;
use crate::errors::{Error, guard, guard_result};
use crate::projects;

/// The sourced dataset of the EU–Central Asia human rights dialogues.
#[pyclass(frozen, module = "euca._euca", name = "Dataset")]
pub struct PyDataset {
    pub(crate) inner: Arc<Dataset>,
    /// True for the embedded dataset, which pickles as a reference instead of its JSON.
    pub(crate) embedded: bool,
}

impl PyDataset {
    pub(crate) fn new(inner: Dataset, embedded: bool) -> PyDataset {
        PyDataset {
            inner: Arc::new(inner),
            embedded,
        }
    }

    /// The embedded dataset (each collection read when first used, once per process).
    pub(crate) fn embedded_arc(py: Python<'_>) -> Result<Arc<Dataset>, Error> {
        let data = py.detach(|| guard_result(Dataset::embedded))?;
        Ok(Arc::new(data))
    }
}

// The Python signatures spell the default out (a literal shows in `inspect.signature`).
const _: () = assert!(euca::DEFAULT_CONSULTATION_WEEKS == 4);

/// Reads a file's bytes without holding the GIL.
pub(crate) fn read_path(py: Python<'_>, path: &Bound<'_, PyAny>) -> Result<Vec<u8>, Error> {
    let path: std::path::PathBuf = path.extract().map_err(|_| {
        Error::Type(format!(
            "`path` must be a str or an os.PathLike, not {}",
            path.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })?;
    py.detach(|| std::fs::read(&path))
        .map_err(|e| Error::Python(PyErr::from(e)))
}

fn calendar_filter(
    countries: Option<Vec<String>>,
    since: Option<&Bound<'_, PyAny>>,
    until: Option<&Bound<'_, PyAny>>,
    kinds: [bool; 5],
    as_of: Option<&Bound<'_, PyAny>>,
    years: u32,
    consultation_weeks: u32,
) -> Result<CalendarFilter, Error> {
    let [
        rounds,
        seminars,
        due_windows,
        projected_rounds,
        consultations,
    ] = kinds;
    Ok(CalendarFilter {
        countries: countries.unwrap_or_default(),
        period: Period {
            from: convert::optional_edtf(since, "since")?,
            to: convert::optional_edtf(until, "until")?,
        },
        rounds,
        seminars,
        due_windows,
        projected_rounds,
        consultations,
        as_of: Some(convert::day(as_of, "as_of")?),
        plan: PlanOptions {
            years,
            consultation_weeks,
        },
    })
}

#[pymethods]
impl PyDataset {
    /// The dataset that ships with euca.
    #[staticmethod]
    fn embedded(py: Python<'_>) -> Result<PyDataset, Error> {
        let data = PyDataset::embedded_arc(py)?;
        Ok(PyDataset {
            inner: data,
            embedded: true,
        })
    }

    /// Reads a whole dataset document.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &Bound<'_, PyAny>) -> Result<PyDataset, Error> {
        let data = match convert::document(text, "text")? {
            Document::Text(t) => py.detach(|| guard_result(|| Dataset::from_json(&t)))?,
            Document::Value(v) => py.detach(|| guard_result(|| Dataset::from_value(v)))?,
        };
        Ok(PyDataset::new(data, false))
    }

    /// Reads a dataset document from a file.
    #[staticmethod]
    fn load(py: Python<'_>, path: &Bound<'_, PyAny>) -> Result<PyDataset, Error> {
        let bytes = read_path(py, path)?;
        let data = py.detach(|| guard_result(|| Dataset::from_slice(&bytes)))?;
        Ok(PyDataset::new(data, false))
    }

    /// The whole dataset as one JSON document.
    fn to_json(&self, py: Python<'_>) -> Result<String, Error> {
        let data = Arc::clone(&self.inner);
        py.detach(|| guard(|| data.to_json()))
    }

    /// Adds, corrects or retracts records; returns the extended dataset.
    fn extend(&self, py: Python<'_>, extension: &Bound<'_, PyAny>) -> Result<PyDataset, Error> {
        let data = Arc::clone(&self.inner);
        let extended = match convert::document(extension, "extension")? {
            Document::Text(t) => py.detach(|| guard_result(|| data.extend(&t)))?,
            Document::Value(v) => py.detach(|| guard_result(|| data.extend_value(v)))?,
        };
        Ok(PyDataset::new(extended, false))
    }

    /// The dataset's version.
    #[getter]
    fn version(&self) -> String {
        self.inner.version().to_string()
    }

    /// The changes made by `extend`, oldest first.
    fn changes<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, self.inner.changes())
    }

    // ---- collections --------------------------------------------------------------------------

    /// The five Central Asian states and the EU.
    fn countries<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, self.inner.countries())
    }

    /// The five Central Asian states (without the EU).
    fn central_asian_states<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, &guard(|| self.inner.central_asian_states())?)
    }

    /// The EU strategies for Central Asia.
    fn strategies<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, self.inner.strategies())
    }

    /// The priority areas of every strategy.
    fn priorities<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, &guard(|| self.inner.priorities())?)
    }

    /// The agreements between the EU and the five states.
    fn agreements<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, self.inner.agreements())
    }

    /// The agreement bodies dialogues meet in or beside.
    fn bodies<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, self.inner.bodies())
    }

    /// The dialogue types of the EU Guidelines.
    fn dialogue_types<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, self.inner.dialogue_types())
    }

    /// The objectives of the dialogues.
    fn objectives<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, self.inner.objectives())
    }

    /// The priority issues the EU raises.
    fn priority_issues<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, self.inner.priority_issues())
    }

    /// The five dialogues.
    fn dialogues<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, self.inner.dialogues())
    }

    /// Every stored round, as written.
    fn rounds<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, self.inner.rounds())
    }

    /// Every civil-society seminar as a flat record, oldest first.
    fn seminars<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, &guard(|| self.inner.seminar_records())?)
    }

    /// Initiatives and standing practices.
    fn initiatives<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, self.inner.initiatives())
    }

    /// Funding instruments and programmes.
    fn instruments<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, self.inner.instruments())
    }

    /// The kinds of project the dialogues lead to.
    fn project_kinds<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, self.inner.project_kinds())
    }

    /// The IATI organisation types euca uses.
    fn organisation_types<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, self.inner.organisation_types())
    }

    /// The DAC sector codes euca uses.
    fn sectors<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, self.inner.sectors())
    }

    /// The eligibility rule sets as written.
    fn rule_sets<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, self.inner.rule_sets())
    }

    // ---- region and dialogues -----------------------------------------------------------------

    /// A country by code or name.
    fn country<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = arguments::country)] country: String,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let found = guard(|| self.inner.country(&country))?.map_err(Error::query("country"))?;
        convert::to_py(py, found)
    }

    /// A country's dialogue.
    fn dialogue<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = arguments::country)] country: String,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let found = guard(|| self.inner.dialogue(&country))?.map_err(Error::query("country"))?;
        convert::to_py(py, found)
    }

    /// The format a dialogue had on a date.
    fn format_on<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = arguments::country)] country: String,
        date: &Bound<'py, PyAny>,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let on = convert::edtf(date, "date")?;
        let found =
            guard(|| self.inner.format_on(&country, &on))?.map_err(Error::query("country"))?;
        convert::to_py(py, &found)
    }

    /// Every round of a dialogue, stored and derived.
    fn rounds_of<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = arguments::country)] country: String,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let rows = guard(|| self.inner.rounds_of(&country))?.map_err(Error::query("country"))?;
        convert::records(py, &rows)
    }

    /// The rounds that fall, certainly or possibly, in a period.
    #[pyo3(signature = (since=None, until=None))]
    fn rounds_in<'py>(
        &self,
        py: Python<'py>,
        since: Option<&Bound<'py, PyAny>>,
        until: Option<&Bound<'py, PyAny>>,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let period = Period {
            from: convert::optional_edtf(since, "since")?,
            to: convert::optional_edtf(until, "until")?,
        };
        convert::records(py, &guard(|| self.inner.rounds_in(&period))?)
    }

    /// The seminars that fall, certainly or possibly, in a period.
    #[pyo3(signature = (since=None, until=None))]
    fn seminars_in<'py>(
        &self,
        py: Python<'py>,
        since: Option<&Bound<'py, PyAny>>,
        until: Option<&Bound<'py, PyAny>>,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let period = Period {
            from: convert::optional_edtf(since, "since")?,
            to: convert::optional_edtf(until, "until")?,
        };
        convert::records(py, &guard(|| self.inner.seminars_in(&period))?)
    }

    /// The states without a civil-society seminar before a date.
    fn countries_without_seminar_before<'py>(
        &self,
        py: Python<'py>,
        date: &Bound<'py, PyAny>,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let d = convert::edtf(date, "date")?;
        convert::records(
            py,
            &guard(|| self.inner.countries_without_seminar_before(&d))?,
        )
    }

    /// Every dated event, oldest first, with its sources.
    fn timeline<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, &guard(|| self.inner.timeline())?)
    }

    /// The timeline as flat rows, optionally with the rounds projected ahead.
    #[pyo3(signature = (plan_years=None, as_of=None))]
    fn timeline_records<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = arguments::plan_years)] plan_years: Option<u32>,
        as_of: Option<&Bound<'py, PyAny>>,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let day = convert::day(as_of, "as_of")?;
        let years = plan_years;
        let data = &self.inner;
        let rows = guard(|| {
            let mut rows = data.timeline_records();
            if let Some(years) = years {
                let plan = data.plan(day, &PlanOptions::years(years));
                rows.extend(plan.iter().map(|item| data.plan_record(item)));
                euca::records::sort_records(&mut rows);
            }
            rows
        })?;
        convert::records(py, &rows)
    }

    /// What serves a strategy priority.
    fn serving<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = arguments::priority)] priority: String,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let rows = guard(|| self.inner.serving(&priority))?.map_err(Error::query("priority"))?;
        convert::records(py, &rows)
    }

    // ---- cycles -------------------------------------------------------------------------------

    /// The status of every dialogue on a day.
    #[pyo3(signature = (as_of=None))]
    fn status<'py>(
        &self,
        py: Python<'py>,
        as_of: Option<&Bound<'py, PyAny>>,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let day = convert::day(as_of, "as_of")?;
        convert::records(py, &guard(|| self.inner.status(day))?)
    }

    /// The status of one dialogue on a day.
    #[pyo3(signature = (country, as_of=None))]
    fn status_of<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = arguments::country)] country: String,
        as_of: Option<&Bound<'py, PyAny>>,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let day = convert::day(as_of, "as_of")?;
        let status =
            guard(|| self.inner.status_of(&country, day))?.map_err(Error::query("country"))?;
        convert::to_py(py, &status)
    }

    /// How regular each dialogue, and the region, has been.
    fn regularity<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, &guard(|| self.inner.regularity())?)
    }

    /// The gap between each two consecutive rounds.
    fn intervals<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, &guard(|| self.inner.intervals())?)
    }

    /// Every year of every dialogue, with or without a round.
    fn round_years<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, &guard(|| self.inner.round_years())?)
    }

    /// The rounds due within `years` years after `as_of`.
    #[pyo3(signature = (years=1, as_of=None, consultation_weeks=4))]
    fn plan<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = arguments::years)] years: u32,
        as_of: Option<&Bound<'py, PyAny>>,
        #[pyo3(from_py_with = arguments::consultation_weeks)] consultation_weeks: u32,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let day = convert::day(as_of, "as_of")?;
        let options = PlanOptions {
            years,
            consultation_weeks,
        };
        convert::records(py, &guard(|| self.inner.plan(day, &options))?)
    }

    /// The five stages of one round's cycle.
    fn stages_of<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = arguments::round)] round: String,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let rows = guard(|| self.inner.stages_of(&round))?.map_err(Error::query("round"))?;
        convert::records(py, &rows)
    }

    /// The stages of every stored round's cycle.
    fn round_stages<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, &guard(|| self.inner.round_stages())?)
    }

    /// The events of a calendar, as flat records.
    #[pyo3(signature = (
        countries=None, since=None, until=None, *, rounds=true, seminars=true, due_windows=true,
        projected_rounds=true, consultations=true, as_of=None, years=1,
        consultation_weeks=4
    ))]
    #[allow(clippy::too_many_arguments)]
    fn calendar_events<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = arguments::countries)] countries: Option<Vec<String>>,
        since: Option<&Bound<'py, PyAny>>,
        until: Option<&Bound<'py, PyAny>>,
        #[pyo3(from_py_with = arguments::rounds)] rounds: bool,
        #[pyo3(from_py_with = arguments::seminars)] seminars: bool,
        #[pyo3(from_py_with = arguments::due_windows)] due_windows: bool,
        #[pyo3(from_py_with = arguments::projected_rounds)] projected_rounds: bool,
        #[pyo3(from_py_with = arguments::consultations)] consultations: bool,
        as_of: Option<&Bound<'py, PyAny>>,
        #[pyo3(from_py_with = arguments::years)] years: u32,
        #[pyo3(from_py_with = arguments::consultation_weeks)] consultation_weeks: u32,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let filter = calendar_filter(
            countries,
            since,
            until,
            [
                rounds,
                seminars,
                due_windows,
                projected_rounds,
                consultations,
            ],
            as_of,
            years,
            consultation_weeks,
        )?;
        let events =
            guard(|| self.inner.calendar_events(&filter))?.map_err(Error::query("countries"))?;
        convert::records(py, &events)
    }

    /// The calendar as iCalendar (RFC 5545) text.
    #[pyo3(signature = (
        countries=None, since=None, until=None, *, rounds=true, seminars=true, due_windows=true,
        projected_rounds=true, consultations=true, as_of=None, years=1,
        consultation_weeks=4
    ))]
    #[allow(clippy::too_many_arguments)]
    fn to_ical(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = arguments::countries)] countries: Option<Vec<String>>,
        since: Option<&Bound<'_, PyAny>>,
        until: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = arguments::rounds)] rounds: bool,
        #[pyo3(from_py_with = arguments::seminars)] seminars: bool,
        #[pyo3(from_py_with = arguments::due_windows)] due_windows: bool,
        #[pyo3(from_py_with = arguments::projected_rounds)] projected_rounds: bool,
        #[pyo3(from_py_with = arguments::consultations)] consultations: bool,
        as_of: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = arguments::years)] years: u32,
        #[pyo3(from_py_with = arguments::consultation_weeks)] consultation_weeks: u32,
    ) -> Result<String, Error> {
        let filter = calendar_filter(
            countries,
            since,
            until,
            [
                rounds,
                seminars,
                due_windows,
                projected_rounds,
                consultations,
            ],
            as_of,
            years,
            consultation_weeks,
        )?;
        let data = Arc::clone(&self.inner);
        py.detach(|| guard(|| data.to_ical(&filter)))?
            .map_err(Error::query("countries"))
    }

    // ---- eligibility --------------------------------------------------------------------------

    /// Every call of the dataset, compiled.
    fn calls(&self) -> Result<Vec<PyCall>, Error> {
        let calls = guard(|| self.inner.calls())?;
        Ok(calls
            .into_iter()
            .map(|c| PyCall::new(c, self.pickle_dataset()))
            .collect())
    }

    /// A call (or an instrument's rule set) by id, compiled.
    fn call(&self, #[pyo3(from_py_with = arguments::id)] id: String) -> Result<PyCall, Error> {
        let call = guard(|| self.inner.call(&id))?.map_err(Error::query("id"))?;
        Ok(PyCall::new(call, self.pickle_dataset()))
    }

    /// Every call in force on `as_of`, with its decision on the application.
    #[pyo3(name = "match", signature = (application, as_of=None))]
    fn match_calls<'py>(
        &self,
        py: Python<'py>,
        application: &Bound<'py, PyAny>,
        as_of: Option<&Bound<'py, PyAny>>,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let day = convert::day(as_of, "as_of")?;
        let app = crate::call::application(application)?;
        let data = Arc::clone(&self.inner);
        let decisions = py.detach(|| guard(|| data.match_calls(&app, day)))?;
        convert::records(py, &decisions)
    }

    // ---- funded projects ----------------------------------------------------------------------

    /// The funded projects, as written.
    fn projects<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::records(py, self.inner.projects())
    }

    /// A funded project by id or IATI identifier.
    fn project<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = arguments::id)] id: String,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let found = guard(|| self.inner.project(&id))?.map_err(Error::query("id"))?;
        convert::to_py(py, found)
    }

    /// The application a project makes, for checking it against a call.
    fn project_application<'py>(
        &self,
        py: Python<'py>,
        project: &Bound<'py, PyAny>,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let p = projects::project(&self.inner, project, "project")?;
        convert::to_py(py, &guard(|| p.to_application())?)
    }

    /// A project checked against a call (its own by default).
    #[pyo3(signature = (project, call=None, as_of=None))]
    fn evaluate_project(
        &self,
        project: &Bound<'_, PyAny>,
        call: Option<&Bound<'_, PyAny>>,
        as_of: Option<&Bound<'_, PyAny>>,
    ) -> Result<PyDecision, Error> {
        let day = convert::day(as_of, "as_of")?;
        let call = projects::call_arg(call)?;
        let p = projects::project(&self.inner, project, "project")?;
        let decision = projects::evaluate(&self.inner, &p, call.as_ref(), day)?;
        Ok(PyDecision::new(decision))
    }

    /// Projects checked against their calls (or one call), one flat record each.
    #[pyo3(signature = (as_of=None, *, projects=None, call=None))]
    fn project_eligibility<'py>(
        &self,
        py: Python<'py>,
        as_of: Option<&Bound<'py, PyAny>>,
        projects: Option<&Bound<'py, PyAny>>,
        call: Option<&Bound<'py, PyAny>>,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let day = convert::day(as_of, "as_of")?;
        let call = projects::call_arg(call)?;
        let data = &self.inner;
        let chosen = projects.filter(|o| !o.is_none());
        if chosen.is_none() && call.is_none() {
            return convert::records(py, &guard(|| data.project_eligibility(day))?);
        }
        // One compilation for every project.
        let call = match call {
            Some(projects::CallArg::Id(id)) => Some(projects::CallArg::Compiled(Arc::new(
                guard(|| data.call(&id))?.map_err(Error::query("call"))?,
            ))),
            other => other,
        };
        let list = projects::chosen(data, chosen)?;
        let mut rows = Vec::with_capacity(list.len());
        for p in &list {
            let decision = projects::evaluate(data, p, call.as_ref(), day)?;
            rows.push(euca::ProjectEligibility::of(p, &decision));
        }
        convert::records(py, &rows)
    }

    /// Funding grouped by country, year, instrument, theme or DAC sector.
    #[pyo3(signature = (by, *, projects=None))]
    fn funding<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = arguments::by)] by: String,
        projects: Option<&Bound<'py, PyAny>>,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let by: FundingBy = by
            .parse()
            .map_err(|m: String| Error::argument("invalid_value", "by", m))?;
        let list = projects::chosen(&self.inner, projects)?;
        convert::records(py, &guard(|| euca::analysis::funding(&list, by))?)
    }

    /// The lead of each project and whether it is local.
    #[pyo3(signature = (*, projects=None))]
    fn project_leads<'py>(
        &self,
        py: Python<'py>,
        projects: Option<&Bound<'py, PyAny>>,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let list = projects::chosen(&self.inner, projects)?;
        convert::records(py, &guard(|| euca::analysis::project_leads(&list))?)
    }

    /// The share of projects with a local lead, per recipient country and for all.
    #[pyo3(signature = (*, projects=None))]
    fn local_leads<'py>(
        &self,
        py: Python<'py>,
        projects: Option<&Bound<'py, PyAny>>,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let list = projects::chosen(&self.inner, projects)?;
        convert::records(py, &guard(|| euca::analysis::local_leads(&list))?)
    }

    /// The projects that started within `months` months after a dialogue round in the same
    /// country.
    #[pyo3(signature = (months, *, projects=None))]
    fn projects_after_rounds<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = arguments::months)] months: u32,
        projects: Option<&Bound<'py, PyAny>>,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let list = projects::chosen(&self.inner, projects)?;
        let data = &self.inner;
        convert::records(
            py,
            &guard(|| euca::analysis::after_rounds(data, &list, months))?,
        )
    }

    /// The dataset's projects (or those given) as an IATI 2.03 activity file.
    #[pyo3(signature = (*, projects=None, prefix=None, reporting_org_name=None, reporting_org_type=None, as_of=None))]
    fn to_iati(
        &self,
        py: Python<'_>,
        projects: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = arguments::prefix)] prefix: Option<String>,
        #[pyo3(from_py_with = arguments::reporting_org_name)] reporting_org_name: Option<String>,
        #[pyo3(from_py_with = arguments::reporting_org_type)] reporting_org_type: Option<String>,
        as_of: Option<&Bound<'_, PyAny>>,
    ) -> Result<String, Error> {
        let options =
            projects::export_options(prefix, reporting_org_name, reporting_org_type, as_of)?;
        let list = projects::chosen(&self.inner, projects)?;
        projects::write(py, list, options)
    }

    // ---- Python protocol ----------------------------------------------------------------------

    fn __repr__(&self) -> String {
        let d = &self.inner;
        format!(
            "<euca.Dataset {}{}: {} countries, {} dialogues, {} rounds, {} seminars, {} rule sets>",
            d.version(),
            if self.embedded { " (embedded)" } else { "" },
            d.countries().len(),
            d.dialogues().len(),
            d.rounds().len(),
            d.seminars().len(),
            d.rule_sets().len()
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<PyDataset>().is_ok_and(|o| {
            Arc::ptr_eq(&o.get().inner, &self.inner) || *o.get().inner == *self.inner
        })
    }

    fn __hash__(&self) -> u64 {
        // Equal datasets have equal versions.
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.inner.version().hash(&mut h);
        h.finish()
    }

    /// Pickles as a reference to the embedded dataset, or as the JSON document.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
        py: Python<'py>,
    ) -> Result<(Bound<'py, PyAny>, (Option<String>,)), Error> {
        let me = slf.get();
        let state = if me.embedded {
            None
        } else {
            Some(py.detach(|| me.inner.to_json()))
        };
        Ok((slf.get_type().getattr("_from_pickle")?, (state,)))
    }

    /// Rebuilds a pickled dataset (`None`: the embedded one).
    #[staticmethod]
    fn _from_pickle(py: Python<'_>, state: Option<String>) -> Result<PyDataset, Error> {
        match state {
            None => PyDataset::embedded(py),
            Some(text) => {
                let data = py.detach(|| guard_result(|| Dataset::from_json(&text)))?;
                Ok(PyDataset::new(data, false))
            }
        }
    }

    /// `Dataset` is a handle: copies share the same immutable data.
    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
    }
}

impl PyDataset {
    /// What a call compiled against this dataset keeps for pickling: nothing for the embedded one.
    fn pickle_dataset(&self) -> Option<Arc<Dataset>> {
        if self.embedded {
            None
        } else {
            Some(Arc::clone(&self.inner))
        }
    }
}
