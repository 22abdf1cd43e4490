//! Eligibility rules as data: rule sets of funding instruments and of the calls for proposals that
//! refine them.
//!
//! A rule set is a JSON document (schema: `schemas/rule-set.schema.json`). An **instrument** rule
//! set lists who may be funded and its standing cost rules; a **call** `extends` an instrument or
//! another call, adding criteria, replacing inherited ones by id, or removing them by id (each
//! removal with its reason). Compiling a call ([`crate::Call`]) flattens the chain; every criterion
//! remembers the rule set it came from. Lots are calls of their own (`id/lot-1`) extending the
//! common part; restricted calls name their stages, and a criterion may apply only from a stage on.
//!
//! Each criterion has an id, a plain-language statement, a citation and a test. Tests are written
//! as an object with one key naming the kind: `{"duration": {"min_months": 24, "max_months": 36}}`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::application::{CodeValue, Exclusion, LegalForm, OrgCategory};
use crate::date::Date;
use crate::model::Source;
use crate::money::{Amount, Currency, Percent};

/// Whether a rule set belongs to an instrument or to a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleSetKind {
    /// The standing rules of a funding instrument.
    Instrument,
    /// A call for proposals (or one lot of a call).
    Call,
}

/// A stage of a restricted call.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The concept note (first stage of a restricted call).
    ConceptNote,
    /// The full application.
    FullApplication,
}

/// Where a rule comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Citation {
    /// The guideline section or article (`Guidelines 2.1.1`, `Regulation (EC) No 1889/2006, Art. 10`).
    pub reference: String,
    /// The source that states it.
    pub source: Source,
}

/// The period in which a rule set governs decisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RuleValidity {
    /// From the first day of this date.
    pub from: Date,
    /// To the last day of this date, if it ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Date>,
}

/// Which applicants an organisation test applies to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Who {
    /// The lead applicant.
    #[default]
    Lead,
    /// Every co-applicant (none: passes).
    CoApplicants,
    /// The lead and every co-applicant.
    AllApplicants,
    /// Every affiliated entity (none: passes).
    AffiliatedEntities,
}

impl Who {
    fn is_lead(&self) -> bool {
        *self == Who::Lead
    }
}

/// A requirement on the legal form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct LegalFormTest {
    /// Who must meet it.
    #[serde(default, skip_serializing_if = "Who::is_lead")]
    pub who: Who,
    /// The forms allowed.
    pub any_of: Vec<LegalForm>,
}

/// A requirement that holds for an applicant without parameters (non-profit, not an intermediary).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct FlagTest {
    /// Who must meet it.
    #[serde(default, skip_serializing_if = "Who::is_lead")]
    pub who: Who,
}

/// A requirement on the IATI organisation type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct OrgTypeTest {
    /// Who must meet it.
    #[serde(default, skip_serializing_if = "Who::is_lead")]
    pub who: Who,
    /// The IATI organisation type codes allowed.
    pub any_of: Vec<CodeValue>,
}

/// A requirement on the guidelines' organisation categories.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CategoryTest {
    /// Who must meet it.
    #[serde(default, skip_serializing_if = "Who::is_lead")]
    pub who: Who,
    /// At least one of these categories (empty: no requirement).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<OrgCategory>,
    /// None of these categories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub none_of: Vec<OrgCategory>,
}

/// A requirement on the country of establishment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct EstablishedTest {
    /// Who must meet it.
    #[serde(default, skip_serializing_if = "Who::is_lead")]
    pub who: Who,
    /// Countries allowed (ISO alpha-2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<String>,
    /// EU member states (on the evaluation date) are allowed too.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub eu_member_states: bool,
    /// Any country is allowed ("no nationality restriction").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub any_country: bool,
    /// Countries excluded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub none_of: Vec<String>,
}

/// The date a duration is counted to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AsOf {
    /// The call's deadline (its calendar date in the deadline's zone).
    Deadline,
    /// The evaluation date (`as_of`).
    Evaluation,
    /// A fixed date.
    Date(NaiveDate),
}

/// A minimum time since registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RegisteredTest {
    /// Who must meet it.
    #[serde(default, skip_serializing_if = "Who::is_lead")]
    pub who: Who,
    /// Whole years since registration, at least (registered on the same calendar date N years
    /// earlier qualifies).
    pub min_years: u32,
    /// Counted to this date.
    pub as_of: AsOf,
}

/// A track record: a number of completed projects within a number of years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct TrackRecordTest {
    /// Who must meet it.
    #[serde(default, skip_serializing_if = "Who::is_lead")]
    pub who: Who,
    /// Completed projects, at least.
    pub min_projects: u32,
    /// Ended within this many years before the reference date.
    pub within_years: u32,
    /// The reference date.
    pub as_of: AsOf,
}

/// The applicant's annual budget relative to the grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct AnnualBudgetTest {
    /// Who must meet it.
    #[serde(default, skip_serializing_if = "Who::is_lead")]
    pub who: Who,
    /// The annual budget is at least this percentage ...
    pub min_percent: Percent,
    /// ... of this amount (`requested`, or a fixed amount such as the call's minimum grant).
    pub of: BudgetBase,
}

/// What an annual-budget requirement is measured against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BudgetBase {
    /// The EU contribution requested.
    Requested,
    /// A fixed amount in minor units.
    Amount(Amount),
}

/// A declaration that an exclusion situation does not apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ExclusionTest {
    /// Who must declare it.
    #[serde(default, skip_serializing_if = "Who::is_lead")]
    pub who: Who,
    /// The situation.
    pub situation: Exclusion,
}

/// Which partners a partnership requirement counts.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PartnerSet {
    /// The co-applicants.
    #[default]
    CoApplicants,
    /// The affiliated entities.
    AffiliatedEntities,
    /// Co-applicants and affiliated entities.
    CoApplicantsAndAffiliatedEntities,
}

/// How many partners meet a condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PartnersTest {
    /// Which partners are counted.
    #[serde(default)]
    pub of: PartnerSet,
    /// The condition each counted partner meets (an organisation test; absent: every partner
    /// counts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<Box<Test>>,
    /// At least this many.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    /// At most this many.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

/// Values of a list the action must include one of, or must not include.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SetTest {
    /// At least one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<String>,
    /// None of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub none_of: Vec<String>,
}

/// A range of months.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct DurationTest {
    /// At least this many months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_months: Option<u32>,
    /// At most this many months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_months: Option<u32>,
}

/// A window for the start of the action.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct StartTest {
    /// Not before this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// Not after this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
}

/// A range of money, in minor units of the call's currency.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct AmountTest {
    /// At least this much.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Amount>,
    /// At most this much.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Amount>,
}

/// The EU share of total eligible costs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ShareTest {
    /// At most this percentage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_percent: Option<Percent>,
    /// The maximum itself is excluded ("an own contribution is required": below 100 %).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub max_exclusive: bool,
    /// At least this percentage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_percent: Option<Percent>,
}

/// A cost capped at a percentage of the direct eligible costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CapTest {
    /// The cap, as a percentage of the direct eligible costs.
    pub max_percent: Percent,
}

/// The budget lines under one heading capped at a percentage of the direct eligible costs
/// ("equipment and supplies may not exceed 20 % of direct costs").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct HeadingCapTest {
    /// The budget heading, as the application's lines name it (`equipment`, `human_resources`).
    pub heading: String,
    /// The cap, as a percentage of the direct eligible costs.
    pub max_percent: Percent,
}

/// Cost categories that are not eligible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct IneligibleCostsTest {
    /// Categories of budget lines that are not eligible (`land`, `debt`, `exchange_loss` ...).
    pub categories: Vec<String>,
}

/// A deadline: an instant, a local time in a zone, or only a day (time not in the sources).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct DeadlineTest {
    /// The local date-time (`2020-09-04T13:30:00`) with `zone`, or an RFC 3339 instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// The IANA zone of `at` (`Europe/Brussels`: "13:30 Brussels time").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// Only the day is known: a submission is on time before the day begins anywhere, late after
    /// it has ended everywhere, and undetermined in between.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
}

/// A conditional requirement: `then` applies when `when` holds, `else` otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct IfTest {
    /// The condition (read from the application).
    pub when: Box<Test>,
    /// The requirement when it holds.
    pub then: Box<Test>,
    /// The requirement when it does not (absent: nothing is required).
    #[serde(default, rename = "else", skip_serializing_if = "Option::is_none")]
    pub otherwise: Option<Box<Test>>,
}

/// What a criterion tests. Written as an object with one key naming the kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Test {
    // -- applicants ----------------------------------------------------------------------------
    /// The legal form is one of these.
    LegalForm(LegalFormTest),
    /// Non-profit-making.
    NonProfit(FlagTest),
    /// The IATI organisation type is one of these.
    OrgType(OrgTypeTest),
    /// The guidelines' category is one of these and none of those.
    Category(CategoryTest),
    /// Established in one of these countries.
    EstablishedIn(EstablishedTest),
    /// Registered at least N years before a date.
    Registered(RegisteredTest),
    /// At least N completed projects in the last M years.
    TrackRecord(TrackRecordTest),
    /// Not acting as an intermediary.
    NotIntermediary(FlagTest),
    /// Annual budget at least a percentage of an amount.
    AnnualBudget(AnnualBudgetTest),
    /// Declares that an exclusion situation does not apply.
    NotExcluded(ExclusionTest),
    // -- partnership ---------------------------------------------------------------------------
    /// How many partners meet a condition.
    Partners(PartnersTest),
    // -- action --------------------------------------------------------------------------------
    /// Carried out in one of these countries (every country of the action).
    ActionCountry(SetTest),
    /// DAC sectors: at least one of / none of (codes withdrawn in 2020 count as their successors).
    Sectors(SetTest),
    /// Themes of the call: at least one of / none of.
    Themes(SetTest),
    /// Strategy priorities served: at least one of.
    Priorities(SetTest),
    /// Duration in months.
    Duration(DurationTest),
    /// The start falls in a window.
    Start(StartTest),
    /// Activities: none of these.
    Activities(SetTest),
    // -- money ---------------------------------------------------------------------------------
    /// The EU contribution requested is within a range.
    Requested(AmountTest),
    /// The EU share of total eligible costs is within a range.
    EuShare(ShareTest),
    /// Indirect costs within a percentage of direct eligible costs.
    IndirectCap(CapTest),
    /// The contingency reserve within a percentage of direct eligible costs.
    ContingencyCap(CapTest),
    /// No budget line in an ineligible category.
    IneligibleCosts(IneligibleCostsTest),
    /// The budget lines under a heading within a percentage of direct eligible costs.
    HeadingCap(HeadingCapTest),
    // -- timing --------------------------------------------------------------------------------
    /// Submitted on or before the deadline.
    Deadline(DeadlineTest),
    /// Submitted on or after the call opened.
    Opens(DeadlineTest),
    // -- composition ---------------------------------------------------------------------------
    /// Every test holds.
    All(Vec<Test>),
    /// At least one test holds.
    Any(Vec<Test>),
    /// The test does not hold.
    Not(Box<Test>),
    /// A requirement that depends on the application.
    If(IfTest),
}

impl Test {
    /// Calls `f` on each test directly inside this one: a combination's, a negation's, a
    /// condition's branches and a `partners` test's condition on each partner. What the walks
    /// over a test tree made when a call is compiled descend through (not the evaluation, which
    /// reads each kind itself).
    pub(crate) fn each_child<'t>(&'t self, f: &mut dyn FnMut(&'t Test)) {
        match self {
            Test::All(tests) | Test::Any(tests) => tests.iter().for_each(f),
            Test::Not(test) => f(test),
            Test::If(i) => {
                f(&i.when);
                f(&i.then);
                if let Some(otherwise) = &i.otherwise {
                    f(otherwise);
                }
            }
            Test::Partners(p) => {
                if let Some(meeting) = &p.meeting {
                    f(meeting);
                }
            }
            _ => {}
        }
    }
}

/// One eligibility criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Criterion {
    /// Unique id within the call (`duration_max`).
    pub id: String,
    /// The rule in plain language.
    pub statement: String,
    /// Where the rule comes from.
    pub citation: Citation,
    /// In a restricted call, the stage from which it applies (absent: from the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// In a restricted call, the last stage at which it applies (absent: to the last). The
    /// deadline of concept notes applies `until` the concept-note stage: full applications have a
    /// later deadline of their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Stage>,
    /// What it tests.
    pub test: Test,
}

/// A criterion removed by a call, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Removal {
    /// The id of the inherited criterion.
    pub id: String,
    /// Why the call removes it.
    pub reason: String,
}

/// A rule set: an instrument's standing rules or a call's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RuleSet {
    /// Unique id (`eidhr-2007`, `tj-2020-cso`, `tj-2023/lot-1`).
    pub id: String,
    /// Version of this rule set (changes when a rule is corrected).
    pub version: String,
    /// Instrument or call.
    pub kind: RuleSetKind,
    /// Its title.
    pub title: String,
    /// The rule set it extends (an instrument's or another call's id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// The dataset instrument it belongs to (an id of [`crate::Instrument`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instrument: Option<String>,
    /// The country the call is for (ISO alpha-2), if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The period in which these rules govern decisions (a call does not inherit its instrument's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity: Option<RuleValidity>,
    /// The currency of every amount (EUR when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// The total envelope of the call, in minor units, where the sources give it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envelope: Option<Amount>,
    /// The stages of a restricted call, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<Stage>,
    /// The common part of a call with lots: the rules every lot shares. One applies to a lot
    /// (`tj-2023-hrd-cso/lot-1`), not to the common part, so [`crate::Dataset::calls`] and
    /// [`crate::Dataset::match_calls`] leave it out; [`crate::Dataset::call`] still gives it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub common_part: bool,
    /// Criteria it adds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<Criterion>,
    /// Inherited criteria it replaces (by id).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replace: Vec<Criterion>,
    /// Inherited criteria it removes (by id).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<Removal>,
    /// What a reader should know: parameters the sources do not give and were left out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Where the rule set comes from.
    pub sources: Vec<Source>,
}
