//! `Dataset`: the sourced dataset and its queries (dialogues, rounds, seminars, timeline, cycles,
//! calendars, calls).

use euca::calendar::CalendarFilter;
use euca::{Period, PlanOptions};
use wasm_bindgen::prelude::*;

use crate::call::Call;
use crate::error::{Failure, JsResult};
use crate::input::{self, Document, count};
use crate::output::to_js;

/// The sourced dataset of the EU–Central Asia human rights dialogues: countries, strategies,
/// agreements, the five dialogues with their formats, rounds and seminars, instruments and the
/// eligibility rule sets of their calls. Every record carries its sources.
///
/// A handle owning WebAssembly memory: call `free()` when done with it (or let the garbage
/// collector do it).
#[wasm_bindgen]
pub struct Dataset {
    pub(crate) inner: euca::Dataset,
}

fn period(from: &JsValue, to: &JsValue) -> Result<Period, Failure> {
    Ok(Period {
        from: input::edtf(from, "from")?,
        to: input::edtf(to, "to")?,
    })
}

/// The calendar filter argument (a plain object in the document shape; absent: everything),
/// projected from today when it names no `as_of`.
fn calendar_filter(value: &JsValue) -> Result<CalendarFilter, Failure> {
    let Some(json) = input::option_json(value)? else {
        return Ok(CalendarFilter {
            as_of: Some(input::today()),
            ..CalendarFilter::default()
        });
    };
    if !json.is_object() {
        return Err(Failure::new(
            "invalid_type",
            "filter",
            "`filter` is an object such as `{countries: [\"KZ\"], rounds: true}`",
        ));
    }
    let mut filter: CalendarFilter = crate::call::read_typed(&json, "filter")?;
    if filter.plan.years > euca::MAX_PLAN_YEARS {
        return Err(Failure::new(
            "invalid_value",
            "filter.plan.years",
            format!(
                "`plan.years` is at most {}, not `{}`",
                euca::MAX_PLAN_YEARS,
                filter.plan.years
            ),
        ));
    }
    if filter.as_of.is_none() {
        filter.as_of = Some(input::today());
    }
    Ok(filter)
}

#[wasm_bindgen]
impl Dataset {
    /// The dataset that ships with euca (each collection read when first used, once; the calls
    /// share its records).
    #[wasm_bindgen]
    pub fn embedded() -> JsResult<Dataset> {
        euca::Dataset::embedded()
            .map(|inner| Dataset { inner })
            .map_err(|e| Failure::dataset(&e).into())
    }

    /// Reads a whole dataset document: JSON text or a plain object. Every problem is reported
    /// (`error.errors`), each with its JSON path.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | DatasetJson")]
        document: JsValue,
    ) -> JsResult<Dataset> {
        let inner = match input::document(&document, "document")? {
            Document::Text(t) => euca::Dataset::from_json(&t),
            Document::Value(v) => euca::Dataset::from_value(v),
        }
        .map_err(Failure::from)?;
        Ok(Dataset { inner })
    }

    /// The whole dataset document as a plain object (what `fromJson` reads back).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "DatasetJson")]
    pub fn to_json(&self) -> JsResult<JsValue> {
        Ok(to_js(&self.inner)?)
    }

    /// The whole dataset document as pretty-printed JSON text.
    #[wasm_bindgen(js_name = toJsonText)]
    pub fn to_json_text(&self) -> String {
        self.inner.to_json()
    }

    /// A new dataset with records added, corrected or retracted, each change with its own
    /// source (`{add: {...}, correct: [...], retract: [...]}`); this dataset is unchanged.
    #[wasm_bindgen]
    pub fn extend(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | Extension")]
        extension: JsValue,
    ) -> JsResult<Dataset> {
        let inner = match input::document(&extension, "extension")? {
            Document::Text(t) => self.inner.extend(&t),
            Document::Value(v) => self.inner.extend_value(v),
        }
        .map_err(Failure::from)?;
        Ok(Dataset { inner })
    }

    /// The dataset's version (`2026.11.30`).
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        self.inner.version().to_string()
    }

    /// The changes made by `extend`, oldest first.
    #[wasm_bindgen(unchecked_return_type = "Change[]")]
    pub fn changes(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.changes())?)
    }

    /// A country by ISO code (`KZ`, `KAZ`) or name (`Kyrgyzstan`), any case.
    #[wasm_bindgen(unchecked_return_type = "Country")]
    pub fn country(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] query: JsValue,
    ) -> JsResult<JsValue> {
        let q = input::text(&query, "query")?;
        let country = self
            .inner
            .country(&q)
            .map_err(|e| Failure::query(&e, "query"))?;
        Ok(to_js(country)?)
    }

    /// The five Central Asian states and the EU.
    #[wasm_bindgen(unchecked_return_type = "Country[]")]
    pub fn countries(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.countries())?)
    }

    /// A country's dialogue (by country code or name, or the dialogue's id `hrd-kz`).
    #[wasm_bindgen(unchecked_return_type = "Dialogue")]
    pub fn dialogue(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] country: JsValue,
    ) -> JsResult<JsValue> {
        let c = input::text(&country, "country")?;
        let d = self
            .inner
            .dialogue(&c)
            .map_err(|e| Failure::query(&e, "country"))?;
        Ok(to_js(d)?)
    }

    /// The five dialogues.
    #[wasm_bindgen(unchecked_return_type = "Dialogue[]")]
    pub fn dialogues(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.dialogues())?)
    }

    /// The five Central Asian states (the countries without the EU), in dataset order.
    #[wasm_bindgen(js_name = centralAsianStates, unchecked_return_type = "Country[]")]
    pub fn central_asian_states(&self) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.central_asian_states())?)
    }

    /// The EU strategies for Central Asia, oldest first, with their priorities and reviews.
    #[wasm_bindgen(unchecked_return_type = "Strategy[]")]
    pub fn strategies(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.strategies())?)
    }

    /// The priority areas of every strategy as flat records (ids as `serving` takes them).
    #[wasm_bindgen(unchecked_return_type = "PriorityRecord[]")]
    pub fn priorities(&self) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.priorities())?)
    }

    /// The agreements between the EU and the five states.
    #[wasm_bindgen(unchecked_return_type = "Agreement[]")]
    pub fn agreements(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.agreements())?)
    }

    /// The agreement bodies dialogues meet in or beside.
    #[wasm_bindgen(unchecked_return_type = "Body[]")]
    pub fn bodies(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.bodies())?)
    }

    /// The dialogue types of the EU Guidelines on human rights dialogues.
    #[wasm_bindgen(js_name = dialogueTypes, unchecked_return_type = "DialogueType[]")]
    pub fn dialogue_types(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.dialogue_types())?)
    }

    /// The objectives of the dialogues.
    #[wasm_bindgen(unchecked_return_type = "Objective[]")]
    pub fn objectives(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.objectives())?)
    }

    /// The priority issues the EU raises in its human rights dialogues.
    #[wasm_bindgen(js_name = priorityIssues, unchecked_return_type = "PriorityIssue[]")]
    pub fn priority_issues(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.priority_issues())?)
    }

    /// Every stored round, as written (`roundsOf` and `roundsIn` give flat rows, derived rounds included).
    #[wasm_bindgen(unchecked_return_type = "Round[]")]
    pub fn rounds(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.rounds())?)
    }

    /// Initiatives and standing practices under the strategy.
    #[wasm_bindgen(unchecked_return_type = "Initiative[]")]
    pub fn initiatives(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.initiatives())?)
    }

    /// Funding instruments and programmes (EIDHR, NSA-LA, IBPP ...).
    #[wasm_bindgen(unchecked_return_type = "Instrument[]")]
    pub fn instruments(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.instruments())?)
    }

    /// The kinds of project the dialogues lead to.
    #[wasm_bindgen(js_name = projectKinds, unchecked_return_type = "ProjectKind[]")]
    pub fn project_kinds(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.project_kinds())?)
    }

    /// The IATI organisation types euca uses.
    #[wasm_bindgen(js_name = organisationTypes, unchecked_return_type = "OrganisationType[]")]
    pub fn organisation_types(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.organisation_types())?)
    }

    /// The DAC sector codes euca uses, including those withdrawn in 2020.
    #[wasm_bindgen(unchecked_return_type = "Sector[]")]
    pub fn sectors(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.sectors())?)
    }

    /// What format a dialogue had on a date (`2008-06`, `2008-06-15` or a `Date`); where the
    /// sources cannot tell, `certain` is false and `possible` lists every state.
    #[wasm_bindgen(js_name = formatOn, unchecked_return_type = "FormatOn")]
    pub fn format_on(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] country: JsValue,
        #[wasm_bindgen(unchecked_param_type = "DateInput")] on: JsValue,
    ) -> JsResult<JsValue> {
        let c = input::text(&country, "country")?;
        let on = input::required_edtf(&on, "on")?;
        let f = self
            .inner
            .format_on(&c, &on)
            .map_err(|e| Failure::query(&e, "country"))?;
        Ok(to_js(&f)?)
    }

    /// A dialogue's rounds, stored and derived (known only from a later round's number).
    #[wasm_bindgen(js_name = roundsOf, unchecked_return_type = "RoundRecord[]")]
    pub fn rounds_of(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] country: JsValue,
    ) -> JsResult<JsValue> {
        let c = input::text(&country, "country")?;
        let r = self
            .inner
            .rounds_of(&c)
            .map_err(|e| Failure::query(&e, "country"))?;
        Ok(to_js(&r)?)
    }

    /// Rounds in a period (both ends included, either open): `roundsIn("2008", "2010")`;
    /// `within` says whether each certainly or only possibly falls in it.
    #[wasm_bindgen(js_name = roundsIn, unchecked_return_type = "RoundRecord[]")]
    pub fn rounds_in(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "DateInput | null")] from: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "DateInput | null")] to: JsValue,
    ) -> JsResult<JsValue> {
        let p = period(&from, &to)?;
        Ok(to_js(&self.inner.rounds_in(&p))?)
    }

    /// Every civil-society seminar, as flat records.
    #[wasm_bindgen(unchecked_return_type = "SeminarRecord[]")]
    pub fn seminars(&self) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.seminar_records())?)
    }

    /// Seminars in a period (both ends included, either open).
    #[wasm_bindgen(js_name = seminarsIn, unchecked_return_type = "SeminarRecord[]")]
    pub fn seminars_in(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "DateInput | null")] from: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "DateInput | null")] to: JsValue,
    ) -> JsResult<JsValue> {
        let p = period(&from, &to)?;
        Ok(to_js(&self.inner.seminars_in(&p))?)
    }

    /// The countries that had no civil-society seminar before a date, or where the sources
    /// cannot tell (`cannot_tell`).
    #[wasm_bindgen(
        js_name = countriesWithoutSeminarBefore,
        unchecked_return_type = "SeminarGap[]"
    )]
    pub fn countries_without_seminar_before(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DateInput")] date: JsValue,
    ) -> JsResult<JsValue> {
        let d = input::required_edtf(&date, "date")?;
        Ok(to_js(&self.inner.countries_without_seminar_before(&d))?)
    }

    /// Every dated event, oldest first, each with its precision and sources.
    #[wasm_bindgen(unchecked_return_type = "TimelineEvent[]")]
    pub fn timeline(&self) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.timeline())?)
    }

    /// The timeline as flat rows (start, end, place, round number, status, first source),
    /// including rounds known only from the numbering.
    #[wasm_bindgen(js_name = timelineRecords, unchecked_return_type = "TimelineRecord[]")]
    pub fn timeline_records(&self) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.timeline_records())?)
    }

    /// What serves a strategy priority (`strategy-2007/human-rights`).
    #[wasm_bindgen(unchecked_return_type = "Serving[]")]
    pub fn serving(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] priority: JsValue,
    ) -> JsResult<JsValue> {
        let p = input::text(&priority, "priority")?;
        let s = self
            .inner
            .serving(&p)
            .map_err(|e| Failure::query(&e, "priority"))?;
        Ok(to_js(&s)?)
    }

    /// The status of every dialogue on a day (default: today in UTC): on schedule, due,
    /// overdue ..., with every possible phase where partial dates leave it open.
    #[wasm_bindgen(unchecked_return_type = "DialogueStatus[]")]
    pub fn status(
        &self,
        #[wasm_bindgen(js_name = asOf, unchecked_optional_param_type = "DateInput | null")]
        as_of: JsValue,
    ) -> JsResult<JsValue> {
        let day = input::day_or_today(&as_of, "asOf")?;
        Ok(to_js(&self.inner.status(day))?)
    }

    /// The status of one dialogue on a day (default: today in UTC).
    #[wasm_bindgen(js_name = statusOf, unchecked_return_type = "DialogueStatus")]
    pub fn status_of(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] country: JsValue,
        #[wasm_bindgen(js_name = asOf, unchecked_optional_param_type = "DateInput | null")]
        as_of: JsValue,
    ) -> JsResult<JsValue> {
        let c = input::text(&country, "country")?;
        let day = input::day_or_today(&as_of, "asOf")?;
        let s = self
            .inner
            .status_of(&c, day)
            .map_err(|e| Failure::query(&e, "country"))?;
        Ok(to_js(&s)?)
    }

    /// How regular each dialogue (and the region) has been: gaps, years with and without a round.
    #[wasm_bindgen(unchecked_return_type = "Regularity[]")]
    pub fn regularity(&self) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.regularity())?)
    }

    /// The gaps between consecutive rounds of every dialogue.
    #[wasm_bindgen(unchecked_return_type = "RoundInterval[]")]
    pub fn intervals(&self) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.intervals())?)
    }

    /// Every year of every dialogue: a round confirmed, unknown, or none.
    #[wasm_bindgen(js_name = roundYears, unchecked_return_type = "RoundYear[]")]
    pub fn round_years(&self) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.round_years())?)
    }

    /// The rounds due within `years` years (default 1) after `asOf` (default today in UTC),
    /// projected from each dialogue's cadence, each with its civil-society consultation window
    /// (`consultationWeeks` before it, default 4).
    #[wasm_bindgen(unchecked_return_type = "PlanItem[]")]
    pub fn plan(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number | null")] years: JsValue,
        #[wasm_bindgen(js_name = asOf, unchecked_optional_param_type = "DateInput | null")]
        as_of: JsValue,
        #[wasm_bindgen(js_name = consultationWeeks, unchecked_optional_param_type = "number | null")]
        consultation_weeks: JsValue,
    ) -> JsResult<JsValue> {
        let options = plan_options(&years, &consultation_weeks)?;
        let day = input::day_or_today(&as_of, "asOf")?;
        Ok(to_js(&self.inner.plan(day, &options))?)
    }

    /// The projected rounds of `plan` as timeline rows (status `projected`), to chart the past
    /// and the plan together.
    #[wasm_bindgen(js_name = planRecords, unchecked_return_type = "TimelineRecord[]")]
    pub fn plan_records(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number | null")] years: JsValue,
        #[wasm_bindgen(js_name = asOf, unchecked_optional_param_type = "DateInput | null")]
        as_of: JsValue,
    ) -> JsResult<JsValue> {
        let options = plan_options(&years, &JsValue::UNDEFINED)?;
        let day = input::day_or_today(&as_of, "asOf")?;
        let records: Vec<_> = self
            .inner
            .plan(day, &options)
            .iter()
            .map(|item| self.inner.plan_record(item))
            .collect();
        Ok(to_js(&records)?)
    }

    /// The five stages of one round's cycle (`hrd-kz/7`), known or not.
    #[wasm_bindgen(js_name = stagesOf, unchecked_return_type = "StageRecord[]")]
    pub fn stages_of(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] round: JsValue,
    ) -> JsResult<JsValue> {
        let id = input::text(&round, "round")?;
        let s = self
            .inner
            .stages_of(&id)
            .map_err(|e| Failure::query(&e, "round"))?;
        Ok(to_js(&s)?)
    }

    /// The stages of every stored round's cycle.
    #[wasm_bindgen(js_name = roundStages, unchecked_return_type = "StageRecord[]")]
    pub fn round_stages(&self) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.round_stages())?)
    }

    /// The events an iCalendar export with this filter holds, as flat records.
    #[wasm_bindgen(js_name = calendarEvents, unchecked_return_type = "CalendarEvent[]")]
    pub fn calendar_events(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CalendarFilter | null")] filter: JsValue,
    ) -> JsResult<JsValue> {
        let f = calendar_filter(&filter)?;
        let events = self
            .inner
            .calendar_events(&f)
            .map_err(|e| Failure::query(&e, "filter.countries"))?;
        Ok(to_js(&events)?)
    }

    /// An iCalendar (RFC 5545) text of rounds, seminars, due windows, projected rounds and
    /// consultation windows; partial dates become all-day events spanning what they allow.
    #[wasm_bindgen(js_name = toIcal)]
    pub fn to_ical(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CalendarFilter | null")] filter: JsValue,
    ) -> JsResult<String> {
        let f = calendar_filter(&filter)?;
        Ok(self
            .inner
            .to_ical(&f)
            .map_err(|e| Failure::query(&e, "filter.countries"))?)
    }

    /// Every call for proposals of the dataset, compiled (handles: `free()` each when done).
    #[wasm_bindgen]
    pub fn calls(&self) -> Vec<Call> {
        self.inner
            .calls()
            .into_iter()
            .map(|inner| Call { inner })
            .collect()
    }

    /// The eligibility rule sets (instruments' and calls'), as written; `calls()` and `call(id)`
    /// compile them.
    #[wasm_bindgen(js_name = ruleSets, unchecked_return_type = "RuleSetJson[]")]
    pub fn rule_sets(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.rule_sets())?)
    }

    /// A call (or an instrument's rule set) by id (`tj-2020-cso`, `tj-2023-hrd-cso/lot-1`),
    /// compiled: its `extends` chain resolved and flattened.
    #[wasm_bindgen]
    pub fn call(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> JsResult<Call> {
        let id = input::text(&id, "id")?;
        let inner = self.inner.call(&id).map_err(|e| Failure::query(&e, "id"))?;
        Ok(Call { inner })
    }

    /// Every call in force on `asOf` (default today in UTC) with its decision on the
    /// application: eligible first, then undetermined, then ineligible.
    #[wasm_bindgen(js_name = "match", unchecked_return_type = "DecisionJson[]")]
    pub fn match_calls(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | Application")]
        application: JsValue,
        #[wasm_bindgen(js_name = asOf, unchecked_optional_param_type = "DateInput | null")]
        as_of: JsValue,
    ) -> JsResult<JsValue> {
        let app = crate::call::application(&application)?;
        let day = input::day_or_today(&as_of, "asOf")?;
        Ok(to_js(&self.inner.match_calls(&app, day))?)
    }
}

fn plan_options(years: &JsValue, weeks: &JsValue) -> Result<PlanOptions, Failure> {
    let mut options = PlanOptions::default();
    if let Some(y) = count(years, "years", euca::MAX_PLAN_YEARS)? {
        options.years = y;
    }
    if let Some(w) = count(weeks, "consultationWeeks", MAX_CONSULTATION_WEEKS)? {
        options.consultation_weeks = w;
    }
    Ok(options)
}

/// The most weeks before a projected round a consultation may be placed (a century).
const MAX_CONSULTATION_WEEKS: u32 = 5_200;
