//! Evaluating an application against a compiled call: a [`Decision`] with a verdict, a check per
//! criterion, the fields still missing, the grant and the recourse.
//!
//! Logic is three-valued (Kleene): a criterion passes, fails, or cannot be told from what the
//! application gives. A failure is decisive even when other answers are unknown. A verdict is data,
//! never an error.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::application::{Application, LegalForm, OrgCategory, Organisation};
use crate::call::{Call, Deadline, RuleSetRef, resolve_deadline, stage_name};
use crate::criterion_ids::CriterionIds;
use crate::instant::Instant;
use crate::money::{Amount, Currency, Percent, share_text};
use crate::rules::{
    AsOf, BudgetBase, Citation, DeadlineTest, PartnerSet, PartnersTest, SetTest, Stage, Test, Who,
};

/// The outcome of one test: three-valued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The requirement is met.
    Pass,
    /// The requirement is not met.
    Fail,
    /// The application does not say enough to tell.
    Unknown,
    /// The criterion does not apply at this stage of a restricted call.
    NotApplicable,
}

impl Outcome {
    fn and(self, other: Outcome) -> Outcome {
        use Outcome::*;
        match (self, other) {
            (Fail, _) | (_, Fail) => Fail,
            (Unknown, _) | (_, Unknown) => Unknown,
            _ => Pass,
        }
    }

    fn or(self, other: Outcome) -> Outcome {
        use Outcome::*;
        match (self, other) {
            (Pass, _) | (_, Pass) => Pass,
            (Unknown, _) | (_, Unknown) => Unknown,
            _ => Fail,
        }
    }

    fn not(self) -> Outcome {
        match self {
            Outcome::Pass => Outcome::Fail,
            Outcome::Fail => Outcome::Pass,
            other => other,
        }
    }

    fn of(b: bool) -> Outcome {
        if b { Outcome::Pass } else { Outcome::Fail }
    }
}

/// The verdict on an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every criterion is met.
    Eligible,
    /// The answers given leave it open.
    Undetermined,
    /// At least one criterion is not met.
    Ineligible,
}

impl Verdict {
    /// `eligible`, `ineligible` or `undetermined`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Eligible => "eligible",
            Verdict::Ineligible => "ineligible",
            Verdict::Undetermined => "undetermined",
        }
    }
}

/// The result of one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// The criterion's id.
    pub id: String,
    /// Its statement.
    pub statement: String,
    /// Pass, fail, unknown, or not applicable at this stage.
    pub outcome: Outcome,
    /// What it requires, in words.
    pub requirement: String,
    /// What happened, in words.
    pub message: String,
    /// The values it read from the application, by path.
    pub read: BTreeMap<String, Value>,
    /// The fields it needed and did not find.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// Where the rule comes from.
    pub citation: Citation,
    /// The rule set that defined it.
    pub origin: String,
}

/// A field the application should give, and what it would settle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Missing {
    /// Its path in the application (`applicant.non_profit`).
    pub field: String,
    /// The question to answer.
    pub question: String,
    /// The criteria waiting for it.
    pub criteria: Vec<String>,
    /// True when its answer alone settles the verdict (every open criterion waits only for it).
    pub settles: bool,
}

/// What an applicant can do about a criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recourse {
    /// The criterion.
    pub criterion: String,
    /// The field to change or answer.
    pub field: String,
    /// `change` (a value to change) or `answer` (a question to answer).
    pub kind: RecourseKind,
    /// What to do, in words.
    pub message: String,
    /// The nearest passing value, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Value>,
}

/// The kind of a recourse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecourseKind {
    /// Change a value.
    Change,
    /// Answer a question.
    Answer,
}

/// The grant as far as it can be computed, in minor units of `currency`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// The call's currency.
    pub currency: Currency,
    /// Direct eligible costs: as declared, or else the sum of the budget lines of eligible
    /// categories.
    pub direct: u64,
    /// Indirect costs as declared.
    pub indirect: u64,
    /// Indirect costs within the cap.
    pub indirect_eligible: u64,
    /// Contingency reserve as declared.
    pub contingency: u64,
    /// Contingency reserve within the cap.
    pub contingency_eligible: u64,
    /// Total eligible costs: direct + eligible indirect + eligible contingency.
    pub total_eligible: u64,
    /// The EU contribution requested, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested: Option<u64>,
    /// The requested contribution as a percentage of total eligible costs (two decimals, rounded
    /// down).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_share: Option<String>,
    /// The largest EU contribution the rules allow: the least of the call's maximum and the share
    /// cap applied to total eligible costs (rounded down to the cent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_eu_contribution: Option<u64>,
    /// The smallest EU contribution the call accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_eu_contribution: Option<u64>,
    /// Eligible direct costs by budget heading, from the budget lines (lines of an ineligible
    /// category left out); empty when the budget has no lines.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headings: BTreeMap<String, u64>,
    /// How the figures were computed, and what was assumed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The decision on one application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// The application's id, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<String>,
    /// The rule set (id and version) that decided it.
    pub rule_set: RuleSetRef,
    /// Every rule set it was compiled from (id and version), the root instrument first and the
    /// deciding rule set last, so that a decision under a call that extends an instrument can be
    /// reproduced exactly even after the instrument's rules change (absent in decisions written
    /// before it was recorded).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<RuleSetRef>,
    /// The evaluation date (read as a batch's: an impossible day such as `2020-02-30` is
    /// `invalid_date`; a year before 1 or after 9999, as chrono writes it, reads back).
    #[serde(deserialize_with = "crate::application::day::as_of")]
    pub as_of: NaiveDate,
    /// The stage of a restricted call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// Eligible, ineligible or undetermined.
    pub verdict: Verdict,
    /// One check per criterion, in the call's order.
    pub checks: Vec<Check>,
    /// The fields still needed, those that settle the verdict first.
    pub missing: Vec<Missing>,
    /// The grant, where computable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant: Option<Grant>,
    /// What the applicant can change or answer.
    pub recourse: Vec<Recourse>,
}

// ---------------------------------------------------------------------------------------------
// tracing: the same evaluation code runs quietly (verdict only) or collecting everything

pub(crate) trait Trace {
    const FULL: bool;
    fn read(&mut self, path: &str, value: Value);
    fn missing(&mut self, path: &str);
    fn note(&mut self, message: String);
    fn fix(&mut self, fix: Recourse);
}

pub(crate) struct Quiet;

impl Trace for Quiet {
    const FULL: bool = false;
    fn read(&mut self, _: &str, _: Value) {}
    fn missing(&mut self, _: &str) {}
    fn note(&mut self, _: String) {}
    fn fix(&mut self, _: Recourse) {}
}

#[derive(Default)]
pub(crate) struct Full {
    reads: BTreeMap<String, Value>,
    missing: Vec<String>,
    notes: Vec<String>,
    fixes: Vec<Recourse>,
}

impl Trace for Full {
    const FULL: bool = true;
    fn read(&mut self, path: &str, value: Value) {
        self.reads.insert(path.to_string(), value);
    }
    fn missing(&mut self, path: &str) {
        if !self.missing.iter().any(|m| m == path) {
            self.missing.push(path.to_string());
        }
    }
    fn note(&mut self, message: String) {
        self.notes.push(message);
    }
    fn fix(&mut self, fix: Recourse) {
        self.fixes.push(fix);
    }
}

macro_rules! note {
    ($t:expr, $($arg:tt)*) => {
        if T::FULL { $t.note(format!($($arg)*)); }
    };
}

macro_rules! fix {
    ($t:expr, $criterion:expr, $field:expr, $suggestion:expr, $($arg:tt)*) => {
        if T::FULL {
            $t.fix(Recourse {
                criterion: $criterion.to_string(),
                field: $field.to_string(),
                kind: RecourseKind::Change,
                message: format!($($arg)*),
                suggestion: $suggestion,
            });
        }
    };
}

/// What an evaluation reads.
pub(crate) struct Ctx<'a> {
    pub app: &'a Application,
    pub call: &'a Call,
    pub as_of: NaiveDate,
    /// The criterion being evaluated (for recourse).
    pub criterion: &'a str,
    /// Outcomes of `partners` tests worked out already (by [`crate::columns`], from the
    /// outcomes of each distinct partner): a quiet evaluation takes them rather than counting
    /// the partners again. Empty elsewhere.
    pub counted: &'a [(&'a PartnersTest, Outcome)],
}

impl Ctx<'_> {
    fn currency_matches<T: Trace>(&self, t: &mut T) -> bool {
        let given = self
            .app
            .budget
            .as_ref()
            .map_or(Currency::EUR, |b| b.currency());
        if given == self.call.currency() {
            true
        } else {
            note!(
                t,
                "the budget is in {given}, the call's amounts in {}: euca does no exchange-rate conversion",
                self.call.currency()
            );
            false
        }
    }

    fn reference_date(&self, as_of: &AsOf) -> NaiveDate {
        match as_of {
            AsOf::Deadline => self.call.prepared.deadline_day.unwrap_or(self.as_of),
            AsOf::Evaluation => self.as_of,
            AsOf::Date(d) => *d,
        }
    }
}

fn path_of(base: &str, field: &str) -> String {
    format!("{base}.{field}")
}

fn who_of(test: &Test) -> Who {
    match test {
        Test::LegalForm(t) => t.who,
        Test::NonProfit(t) | Test::NotIntermediary(t) => t.who,
        Test::OrgType(t) => t.who,
        Test::Category(t) => t.who,
        Test::EstablishedIn(t) => t.who,
        Test::Registered(t) => t.who,
        Test::TrackRecord(t) => t.who,
        Test::AnnualBudget(t) => t.who,
        Test::NotExcluded(t) => t.who,
        _ => Who::Lead,
    }
}

/// The guidelines' categories an IATI organisation type implies (euca's own mapping, used when
/// an applicant gives its type but not its categories).
pub fn categories_of_org_type(code: &str) -> &'static [OrgCategory] {
    use OrgCategory::*;
    match code {
        "10" | "15" => &[PublicBody],
        "11" => &[PublicBody, LocalAuthority],
        "21" | "22" | "23" | "24" => &[NonGovernmentalOrganisation, CivilSocietyOrganisation],
        "40" => &[InternationalOrganisation],
        "60" => &[PrivateNonProfit, CivilSocietyOrganisation],
        "70" | "71" | "72" | "73" => &[Company],
        "80" => &[AcademicInstitution],
        _ => &[],
    }
}

// ---------------------------------------------------------------------------------------------
// organisation tests

/// An organisation test (a leaf, or `all`, `any`, `not`, `if` of them) on `org`, the
/// organisation at `base` (`applicant`, `co_applicants[2]`): unknown when it is not described.
fn eval_org<T: Trace>(
    test: &Test,
    org: Option<&Organisation>,
    base: &str,
    ctx: &Ctx,
    t: &mut T,
) -> Outcome {
    let Some(org) = org else {
        return undescribed(base, t);
    };
    match test {
        Test::All(ts) => ts.iter().fold(Outcome::Pass, |acc, x| {
            acc.and(eval_org(x, Some(org), base, ctx, t))
        }),
        Test::Any(ts) => ts.iter().fold(Outcome::Fail, |acc, x| {
            acc.or(eval_org(x, Some(org), base, ctx, t))
        }),
        Test::Not(x) => eval_org(x, Some(org), base, ctx, t).not(),
        Test::If(i) => {
            let when = eval_org(&i.when, Some(org), base, ctx, t);
            let then = || i.then.as_ref();
            match when {
                Outcome::Pass => eval_org(then(), Some(org), base, ctx, t),
                Outcome::Fail => i
                    .otherwise
                    .as_deref()
                    .map_or(Outcome::Pass, |o| eval_org(o, Some(org), base, ctx, t)),
                _ => {
                    let a = eval_org(then(), Some(org), base, ctx, t);
                    let b = i
                        .otherwise
                        .as_deref()
                        .map_or(Outcome::Pass, |o| eval_org(o, Some(org), base, ctx, t));
                    if a == b { a } else { Outcome::Unknown }
                }
            }
        }
        _ => org_leaf(test, org, base, ctx, t),
    }
}

/// What an organisation test gives for an organisation not described.
fn undescribed<T: Trace>(base: &str, t: &mut T) -> Outcome {
    if T::FULL {
        t.missing(base);
        let who_name = organisation_name(base);
        note!(t, "{who_name} is not described");
    }
    Outcome::Unknown
}

/// An organisation test of `org`, the lead applicant or a partner, as [`eval_org`] gives it. A
/// leaf test (`non_profit`, `org_type`, ...) evaluated quietly runs inlined where a criterion
/// or a `partners` condition names it (calls into the recursive `eval_org` and back, 27 an
/// application, were 7 % of the instructions of evaluating one: `scripts/instructions`); a full
/// decision, whose messages make it large, calls it, and `all`, `any`, `not`, `if` go to
/// `eval_org`.
#[inline]
fn org_test<T: Trace>(
    test: &Test,
    org: Option<&Organisation>,
    base: &str,
    ctx: &Ctx,
    t: &mut T,
) -> Outcome {
    let Some(org) = org else {
        return undescribed(base, t);
    };
    match test {
        Test::All(_) | Test::Any(_) | Test::Not(_) | Test::If(_) => {
            eval_org(test, Some(org), base, ctx, t)
        }
        _ if T::FULL => org_leaf_outlined(test, org, base, ctx, t),
        _ => org_leaf(test, org, base, ctx, t),
    }
}

/// How many partners of an application meet a `partners` test's condition for certain, how many
/// may (those whose outcome is unknown besides), and whether a list of partners is not given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct PartnerCount {
    pub certain: u32,
    pub possible: u32,
    pub list_missing: bool,
}

impl PartnerCount {
    /// Counts one partner whose outcome on the condition is `outcome`.
    #[inline]
    pub(crate) fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Pass => {
                self.certain += 1;
                self.possible += 1;
            }
            Outcome::Unknown => self.possible += 1,
            _ => {}
        }
    }
}

/// The outcome of a `partners` test's condition on one partner (`base` names it in messages): a
/// partner without a condition meets it.
#[inline]
pub(crate) fn partner_meets<T: Trace>(
    p: &PartnersTest,
    org: &Organisation,
    base: &str,
    ctx: &Ctx,
    t: &mut T,
) -> Outcome {
    match &p.meeting {
        Some(m) => org_test(m, Some(org), base, ctx, t),
        None => Outcome::Pass,
    }
}

/// The outcome of a `partners` test from its count of partners.
#[inline]
pub(crate) fn partners_verdict<T: Trace>(
    p: &PartnersTest,
    count: PartnerCount,
    ctx: &Ctx,
    t: &mut T,
) -> Outcome {
    let PartnerCount {
        certain,
        mut possible,
        list_missing,
    } = count;
    if list_missing {
        possible = u32::MAX;
    }
    note!(
        t,
        "{certain} partner{} meet{} the condition{}",
        if certain == 1 { "" } else { "s" },
        if certain == 1 { "s" } else { "" },
        if possible > certain && possible != u32::MAX {
            format!(" ({} more may)", possible - certain)
        } else if list_missing {
            " (the list of partners is not given)".to_string()
        } else {
            String::new()
        }
    );
    let mut out = Outcome::Pass;
    if let Some(min) = p.min {
        out = out.and(if certain >= min {
            Outcome::Pass
        } else if possible < min {
            let field = match p.of {
                PartnerSet::AffiliatedEntities => "affiliated_entities",
                _ => "co_applicants",
            };
            fix!(
                t,
                ctx.criterion,
                field,
                None,
                "add {} more partner{} meeting the condition",
                min - possible,
                if min - possible == 1 { "" } else { "s" }
            );
            Outcome::Fail
        } else {
            Outcome::Unknown
        });
    }
    if let Some(max) = p.max {
        out = out.and(if possible != u32::MAX && possible <= max {
            Outcome::Pass
        } else if certain > max {
            fix!(
                t,
                ctx.criterion,
                match p.of {
                    PartnerSet::AffiliatedEntities => "affiliated_entities",
                    _ => "co_applicants",
                },
                None,
                "at most {max} partners may meet the condition; {certain} do"
            );
            Outcome::Fail
        } else {
            Outcome::Unknown
        });
    }
    out
}

#[inline(never)]
fn org_leaf_outlined<T: Trace>(
    test: &Test,
    org: &Organisation,
    base: &str,
    ctx: &Ctx,
    t: &mut T,
) -> Outcome {
    org_leaf(test, org, base, ctx, t)
}

#[inline]
fn org_leaf<T: Trace>(
    test: &Test,
    org: &Organisation,
    base: &str,
    ctx: &Ctx,
    t: &mut T,
) -> Outcome {
    // Names and paths are for messages: the quiet evaluation of batches builds none.
    let who_name = if T::FULL {
        organisation_name(base)
    } else {
        String::new()
    };
    match test {
        Test::LegalForm(lf) => {
            let form = org.legal_form.or(match org.legal_person {
                Some(true) => Some(LegalForm::LegalPerson),
                _ => None,
            });
            if T::FULL {
                if let Some(f) = org.legal_form {
                    t.read(&path_of(base, "legal_form"), json!(f));
                }
                if let Some(lp) = org.legal_person {
                    t.read(&path_of(base, "legal_person"), json!(lp));
                }
            }
            match (form, org.legal_person) {
                (Some(f), _) => {
                    let ok = lf.any_of.contains(&f);
                    note!(t, "{who_name} is {}", legal_form_name(f));
                    Outcome::of(ok)
                }
                (None, Some(false)) => {
                    // Not a legal person: a natural person or an entity without legal personality.
                    let n = lf.any_of.contains(&LegalForm::NaturalPerson);
                    let e = lf
                        .any_of
                        .contains(&LegalForm::EntityWithoutLegalPersonality);
                    note!(t, "{who_name} is not a legal person");
                    match (n, e) {
                        (true, true) => Outcome::Pass,
                        (false, false) => Outcome::Fail,
                        _ => {
                            if T::FULL {
                                t.missing(&path_of(base, "legal_form"));
                            }
                            Outcome::Unknown
                        }
                    }
                }
                _ => {
                    if T::FULL {
                        t.missing(&path_of(base, "legal_form"));
                    }
                    note!(t, "the legal form of {who_name} is not given");
                    Outcome::Unknown
                }
            }
        }
        Test::NonProfit(_) => flag(
            org.non_profit,
            true,
            || path_of(base, "non_profit"),
            t,
            || format!("{who_name} non-profit-making"),
        ),
        Test::NotIntermediary(_) => flag(
            org.intermediary,
            false,
            || path_of(base, "intermediary"),
            t,
            || format!("{who_name} acting as an intermediary"),
        ),
        Test::OrgType(ot) => match &org.org_type {
            Some(code) => {
                if T::FULL {
                    t.read(&path_of(base, "org_type"), json!(code.as_str()));
                }
                let ok = ot.any_of.iter().any(|c| same(c.as_str(), code.as_str()));
                note!(t, "{who_name} has organisation type {code}");
                Outcome::of(ok)
            }
            None => {
                if T::FULL {
                    t.missing(&path_of(base, "org_type"));
                }
                Outcome::Unknown
            }
        },
        Test::Category(ct) => {
            let derived;
            let cats: &[OrgCategory] = match (&org.categories, &org.org_type) {
                (Some(c), _) => {
                    if T::FULL {
                        t.read(&path_of(base, "categories"), json!(c));
                    }
                    c
                }
                (None, Some(code)) => {
                    derived = categories_of_org_type(code.as_str());
                    if T::FULL {
                        t.read(&path_of(base, "org_type"), json!(code.as_str()));
                    }
                    note!(
                        t,
                        "{who_name}'s categories are taken from its IATI organisation type {code}"
                    );
                    if derived.is_empty() {
                        if T::FULL {
                            t.missing(&path_of(base, "categories"));
                        }
                        return Outcome::Unknown;
                    }
                    derived
                }
                (None, None) => {
                    if T::FULL {
                        t.missing(&path_of(base, "categories"));
                    }
                    return Outcome::Unknown;
                }
            };
            let excluded = ct.none_of.iter().any(|c| cats.contains(c));
            let included = ct.any_of.is_empty() || ct.any_of.iter().any(|c| cats.contains(c));
            Outcome::of(!excluded && included)
        }
        Test::EstablishedIn(et) => {
            if et.any_country && et.none_of.is_empty() {
                note!(t, "any country of establishment is allowed");
                return Outcome::Pass;
            }
            let Some(country) = &org.country else {
                if T::FULL {
                    t.missing(&path_of(base, "country"));
                }
                return Outcome::Unknown;
            };
            if T::FULL {
                t.read(&path_of(base, "country"), json!(country));
            }
            let on = ctx.call.prepared.deadline_day.unwrap_or(ctx.as_of);
            let allowed = et.any_country
                || holds(&et.any_of, country)
                || (et.eu_member_states && crate::eu::is_member_state(country, on));
            let excluded = holds(&et.none_of, country);
            note!(t, "{who_name} is established in {country}");
            Outcome::of(allowed && !excluded)
        }
        Test::Registered(rt) => {
            let Some(on) = org.registered_on else {
                if T::FULL {
                    t.missing(&path_of(base, "registered_on"));
                }
                return Outcome::Unknown;
            };
            if T::FULL {
                t.read(&path_of(base, "registered_on"), json!(on));
            }
            let reference = ctx.reference_date(&rt.as_of);
            let latest = years_before(reference, rt.min_years);
            note!(
                t,
                "{who_name} was registered on {on}; registration on or before {latest} is required ({} years before {reference})",
                rt.min_years
            );
            Outcome::of(on <= latest)
        }
        Test::TrackRecord(tr) => {
            let Some(projects) = &org.completed_projects else {
                if T::FULL {
                    t.missing(&path_of(base, "completed_projects"));
                }
                return Outcome::Unknown;
            };
            let reference = ctx.reference_date(&tr.as_of);
            let since = years_before(reference, tr.within_years);
            let count = projects
                .iter()
                .filter(|p| since <= p.ended_on && p.ended_on <= reference)
                .count();
            if T::FULL {
                t.read(&path_of(base, "completed_projects"), json!(projects.len()));
            }
            note!(
                t,
                "{who_name} completed {count} projects between {since} and {reference}"
            );
            let ok = count >= usize::try_from(tr.min_projects).unwrap_or(usize::MAX);
            if !ok {
                fix!(
                    t,
                    ctx.criterion,
                    path_of(base, "completed_projects"),
                    None,
                    "{who_name} needs {} more completed projects ended since {since} (or a partner that has them)",
                    usize::try_from(tr.min_projects)
                        .unwrap_or(usize::MAX)
                        .saturating_sub(count)
                );
            }
            Outcome::of(ok)
        }
        Test::AnnualBudget(ab) => {
            let Some(budget) = org.annual_budget else {
                if T::FULL {
                    t.missing(&path_of(base, "annual_budget"));
                }
                return Outcome::Unknown;
            };
            if T::FULL {
                t.read(&path_of(base, "annual_budget"), json!(budget.0));
            }
            if !ctx.currency_matches(t) {
                return Outcome::Unknown;
            }
            let base_amount = match &ab.of {
                BudgetBase::Amount(a) => *a,
                BudgetBase::Requested => match ctx.app.budget.as_ref().and_then(|b| b.requested) {
                    Some(r) => {
                        if T::FULL {
                            t.read("budget.requested", json!(r.0));
                        }
                        r
                    }
                    None => {
                        if T::FULL {
                            t.missing("budget.requested");
                        }
                        return Outcome::Unknown;
                    }
                },
            };
            let needed = ab.min_percent.of(base_amount.0);
            let ok = u128::from(budget.0) * 1_000_000
                >= u128::from(base_amount.0) * u128::from(ab.min_percent.ppm());
            note!(
                t,
                "annual budget {} against {} % of {} = {}",
                budget.display(),
                ab.min_percent,
                base_amount.display(),
                Amount(needed).display()
            );
            Outcome::of(ok)
        }
        Test::NotExcluded(ex) => {
            let declared = org
                .exclusions
                .as_ref()
                .and_then(|e| ex.situation.declared(e));
            let p = || format!("{base}.exclusions.{}", ex.situation.field());
            flag(declared, false, p, t, || {
                format!("`{}` declared by {who_name}", ex.situation.field())
            })
        }
        // Not a leaf organisation test: rejected when the call is compiled (and `all`, `any`,
        // `not`, `if` are taken apart by `eval_org` before).
        _ => Outcome::Unknown,
    }
}

/// The day `years` years before `day` (the same day of the month, or the last day of a shorter
/// February; `NaiveDate::MIN` before the calendar's start), remembering the last answer on this
/// thread: a batch asks the same of every application, and the date arithmetic was 2 % of
/// evaluating one (`scripts/instructions`). A call that asks two questions (`registered` and
/// `track_record`) misses each time and pays only the look-up (remembering two answers cost
/// more than it saved on a call that asks one: 3 656 → 3 738 instructions an application).
fn years_before(day: NaiveDate, years: u32) -> NaiveDate {
    thread_local! {
        static LAST: Cell<(NaiveDate, u32, NaiveDate)> =
            const { Cell::new((NaiveDate::MIN, 0, NaiveDate::MIN)) };
    }
    LAST.with(|last| {
        let (d, y, answer) = last.get();
        if d == day && y == years {
            return answer;
        }
        let answer = day
            .checked_sub_months(Months::new(years.saturating_mul(12)))
            .unwrap_or(NaiveDate::MIN);
        last.set((day, years, answer));
        answer
    })
}

/// `the lead applicant`, `co-applicant 2`, `affiliated entity 1` for a path.
fn organisation_name(base: &str) -> String {
    let numbered = |prefix: &str, name: &str| {
        base.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(']'))
            .and_then(|i| i.parse::<usize>().ok())
            .map(|i| format!("{name} {}", i + 1))
    };
    if base == "applicant" {
        "the lead applicant".to_string()
    } else {
        numbered("co_applicants[", "co-applicant")
            .or_else(|| numbered("affiliated_entities[", "affiliated entity"))
            .unwrap_or_else(|| base.replace('_', " "))
    }
}

fn legal_form_name(f: LegalForm) -> &'static str {
    match f {
        LegalForm::LegalPerson => "a legal person",
        LegalForm::NaturalPerson => "a natural person",
        LegalForm::EntityWithoutLegalPersonality => "an entity without legal personality",
    }
}

/// A yes/no field that must have a given value.
fn flag<T: Trace>(
    value: Option<bool>,
    wanted: bool,
    path: impl FnOnce() -> String,
    t: &mut T,
    what: impl FnOnce() -> String,
) -> Outcome {
    match value {
        Some(v) => {
            if T::FULL {
                t.read(&path(), json!(v));
                let what = what();
                t.note(if v {
                    format!("{what}: yes")
                } else {
                    format!("{what}: no")
                });
            }
            Outcome::of(v == wanted)
        }
        None => {
            if T::FULL {
                t.missing(&path());
            }
            Outcome::Unknown
        }
    }
}

// ---------------------------------------------------------------------------------------------
// application tests

/// Whether two short texts (codes) are equal: compared inline, byte by byte, which for codes of
/// two to five letters is several times faster than a call to `memcmp` (and than comparing them
/// four bytes at a time, whose larger code is then no longer inlined: `scripts/instructions`).
/// From the last byte: codes of a list mostly share their first digits (`15150`, `15160`).
#[inline]
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().rev().zip(b.bytes().rev()).all(|(x, y)| x == y)
}

/// Whether a list of codes holds a value.
fn holds(list: &[String], value: &str) -> bool {
    list.iter().any(|x| same(x, value))
}

/// A list the action must draw from (`values`: the application's, absent when not given).
fn set_test<'v, T: Trace, I: Iterator<Item = &'v str> + Clone>(
    values: Option<I>,
    test: &SetTest,
    path: &str,
    label: &str,
    all_must_match: bool,
    ctx: &Ctx,
    t: &mut T,
) -> Outcome {
    let Some(values) = values else {
        if T::FULL {
            t.missing(path);
        }
        return Outcome::Unknown;
    };
    // One pass over the values (each may be looked up, as a sector's successor, on the way).
    let (mut any_excluded, mut given, mut any_in, mut all_in) = (false, false, false, true);
    for v in values.clone() {
        given = true;
        any_excluded |= holds(&test.none_of, v);
        if holds(&test.any_of, v) {
            any_in = true;
        } else {
            all_in = false;
        }
    }
    let included = if test.any_of.is_empty() {
        true
    } else if all_must_match {
        given && all_in
    } else {
        any_in
    };
    if T::FULL {
        let given: Vec<&str> = values.collect();
        t.read(path, json!(given));
        let excluded: Vec<&str> = given
            .iter()
            .copied()
            .filter(|v| holds(&test.none_of, v))
            .collect();
        if !excluded.is_empty() {
            note!(
                t,
                "{label} include {}, which the call excludes",
                join(&excluded)
            );
            fix!(
                t,
                ctx.criterion,
                path,
                None,
                "remove {} from {label}",
                join(&excluded)
            );
        }
        if !included {
            let given = if given.is_empty() {
                "none".to_string()
            } else {
                join(&given)
            };
            note!(t, "{label}: {given}");
            let wanted = join(&test.any_of.iter().collect::<Vec<_>>());
            if all_must_match {
                fix!(
                    t,
                    ctx.criterion,
                    path,
                    Some(json!(test.any_of)),
                    "carry out the action only in {wanted}"
                );
            } else {
                fix!(
                    t,
                    ctx.criterion,
                    path,
                    Some(json!(test.any_of)),
                    "add one of {wanted} to {label}"
                );
            }
        }
    }
    Outcome::of(included && !any_excluded)
}

fn join<S: std::fmt::Display>(items: &[S]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A budget amount of the application, reported as read or missing.
fn amount<T: Trace>(value: Option<Amount>, path: &str, t: &mut T) -> Option<u64> {
    match value {
        Some(a) => {
            if T::FULL {
                t.read(path, json!(a.0));
            }
            Some(a.0)
        }
        None => {
            if T::FULL {
                t.missing(path);
            }
            None
        }
    }
}

fn submitted<T: Trace>(app: &Application, t: &mut T) -> Option<Instant> {
    match app.submitted_at {
        Some(s) => {
            if T::FULL {
                t.read("submitted_at", json!(s.to_string()));
            }
            Some(s)
        }
        None => {
            if T::FULL {
                t.missing("submitted_at");
            }
            None
        }
    }
}

fn timing<T: Trace>(d: &DeadlineTest, closing: bool, ctx: &Ctx, t: &mut T) -> Outcome {
    let Some(deadline) = ctx.call.resolved_deadline(d) else {
        return Outcome::Unknown;
    };
    let Some(at) = submitted(ctx.app, t) else {
        return Outcome::Unknown;
    };
    let utc = at.utc();
    match deadline {
        Deadline::Exact(limit) => {
            let ok = if closing { at <= limit } else { at >= limit };
            note!(
                t,
                "submitted at {} ({} UTC); the {} is {} ({} UTC)",
                at,
                crate::instant::layout::utc_second(&utc),
                if closing { "deadline" } else { "opening" },
                limit,
                crate::instant::layout::utc_second(&limit.utc())
            );
            Outcome::of(ok)
        }
        Deadline::Day {
            day,
            earliest,
            latest,
        } => {
            note!(
                t,
                "submitted at {at}; the sources give the {} only as the day {day}, not its time",
                if closing { "deadline" } else { "opening" }
            );
            if closing {
                if utc <= earliest {
                    Outcome::Pass
                } else if utc > latest {
                    Outcome::Fail
                } else {
                    Outcome::Unknown
                }
            } else if utc >= latest {
                Outcome::Pass
            } else if utc < earliest {
                Outcome::Fail
            } else {
                Outcome::Unknown
            }
        }
    }
}

/// The direct, indirect, contingency and requested amounts, as far as given.
struct Money {
    direct: Option<u64>,
    indirect: Option<u64>,
    contingency: Option<u64>,
    requested: Option<u64>,
}

/// The cost categories that no application may count as direct costs: those the unconditional
/// `ineligible_costs` criteria of a call name (at the top or inside `all`, in a criterion that
/// applies at every stage). A category excluded only under a condition or at one stage is left to
/// its criterion, which fails the application: it is not taken out of everyone's costs.
pub(crate) fn ineligible_categories(criteria: &[crate::call::CallCriterion]) -> Vec<String> {
    fn walk(test: &Test, out: &mut Vec<String>) {
        match test {
            Test::IneligibleCosts(c) => {
                for category in &c.categories {
                    if !out.contains(category) {
                        out.push(category.clone());
                    }
                }
            }
            Test::All(ts) => ts.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for c in criteria
        .iter()
        .filter(|c| c.criterion.stage.is_none() && c.criterion.until.is_none())
    {
        walk(&c.criterion.test, &mut out);
    }
    out
}

/// Direct eligible costs: `direct` as declared, or else the sum of the lines whose category is
/// not among `ineligible`. Saturating: read lines add up to at most [`Amount::MAX`] (checked on
/// reading).
pub(crate) fn direct_eligible(
    budget: &crate::application::Budget,
    ineligible: &[String],
) -> Option<Amount> {
    budget.direct.or_else(|| {
        budget.lines.as_ref().map(|lines| {
            Amount(
                lines
                    .iter()
                    .filter(|l| l.category.as_ref().is_none_or(|c| !ineligible.contains(c)))
                    .fold(0u64, |sum, l| sum.saturating_add(l.amount.0)),
            )
        })
    })
}

fn money<T: Trace>(app: &Application, ineligible: &[String], t: &mut T, need: [bool; 4]) -> Money {
    let b = app.budget.as_ref();
    let pick = |f: fn(&crate::application::Budget) -> Option<Amount>| b.and_then(f);
    let mut m = Money {
        direct: None,
        indirect: None,
        contingency: None,
        requested: None,
    };
    if need[0] {
        m.direct = amount(
            b.and_then(|b| direct_eligible(b, ineligible)),
            "budget.direct",
            t,
        );
    }
    if need[1] {
        m.indirect = amount(pick(|b| b.indirect), "budget.indirect", t);
    }
    if need[2] {
        m.contingency = amount(pick(|b| b.contingency), "budget.contingency", t);
    }
    if need[3] {
        m.requested = amount(pick(|b| b.requested), "budget.requested", t);
    }
    m
}

pub(crate) fn eval<T: Trace>(test: &Test, ctx: &Ctx, t: &mut T) -> Outcome {
    let app = ctx.app;
    match test {
        Test::LegalForm(_)
        | Test::NonProfit(_)
        | Test::OrgType(_)
        | Test::Category(_)
        | Test::EstablishedIn(_)
        | Test::Registered(_)
        | Test::TrackRecord(_)
        | Test::NotIntermediary(_)
        | Test::AnnualBudget(_)
        | Test::NotExcluded(_) => {
            let who = who_of(test);
            let list = if who == Who::AffiliatedEntities {
                "affiliated_entities"
            } else {
                "co_applicants"
            };
            let (partners, list_name): (Option<&Vec<Organisation>>, &str) = match who {
                Who::Lead => (None, ""),
                Who::AffiliatedEntities => {
                    (app.affiliated_entities.as_ref(), "affiliated_entities")
                }
                Who::CoApplicants | Who::AllApplicants => {
                    (app.co_applicants.as_ref(), "co_applicants")
                }
            };
            let with_lead = matches!(who, Who::Lead | Who::AllApplicants);
            // The lead and co-applicants whose list is not given: the lead can still fail.
            let list_missing = who != Who::Lead && partners.is_none();
            if list_missing && !with_lead {
                if T::FULL {
                    t.missing(list);
                }
                return Outcome::Unknown;
            }
            let mut acc = Outcome::Pass;
            let one = |base: &str, org: Option<&Organisation>, acc: &mut Outcome, t: &mut T| {
                let o = org_test(test, org, base, ctx, t);
                if T::FULL && o == Outcome::Fail {
                    org_fix(test, base, ctx, t);
                }
                *acc = acc.and(o);
            };
            if with_lead {
                one("applicant", app.applicant.as_ref(), &mut acc, t);
            }
            for (i, org) in partners.into_iter().flatten().enumerate() {
                if !T::FULL && acc == Outcome::Fail {
                    break;
                }
                // Paths name the organisation in messages only.
                let base = if T::FULL {
                    format!("{list_name}[{i}]")
                } else {
                    String::new()
                };
                one(&base, Some(org), &mut acc, t);
            }
            if list_missing {
                if T::FULL {
                    t.missing(list);
                }
                acc = acc.and(Outcome::Unknown);
            }
            acc
        }
        Test::Partners(p) => {
            if !T::FULL
                && let Some(&(_, outcome)) = ctx.counted.iter().find(|(q, _)| std::ptr::eq(*q, p))
            {
                return outcome;
            }
            let co = ("co_applicants", &app.co_applicants);
            let affiliated = ("affiliated_entities", &app.affiliated_entities);
            let lists: &[(&str, &Option<Vec<Organisation>>)] = match p.of {
                PartnerSet::CoApplicants => &[co],
                PartnerSet::AffiliatedEntities => &[affiliated],
                PartnerSet::CoApplicantsAndAffiliatedEntities => &[co, affiliated],
            };
            let mut count = PartnerCount::default();
            for &(name, list) in lists {
                let Some(list) = list else {
                    if T::FULL {
                        t.missing(name);
                    }
                    count.list_missing = true;
                    continue;
                };
                for (i, org) in list.iter().enumerate() {
                    let base = if T::FULL {
                        format!("{name}[{i}]")
                    } else {
                        String::new()
                    };
                    count.add(partner_meets(p, org, &base, ctx, t));
                }
            }
            partners_verdict(p, count, ctx, t)
        }
        Test::ActionCountry(s) => {
            // `country`, then those of `countries` that repeat it not.
            let values = app.action.as_ref().and_then(|a| {
                if a.country.is_none() && a.countries.is_none() {
                    return None;
                }
                let first = a.country.as_deref();
                Some(
                    first.into_iter().chain(
                        a.countries
                            .iter()
                            .flatten()
                            .map(String::as_str)
                            .filter(move |c| Some(*c) != first),
                    ),
                )
            });
            set_test(
                values,
                s,
                "action.country",
                "the action's countries",
                true,
                ctx,
                t,
            )
        }
        Test::Sectors(s) => {
            let call = ctx.call;
            let values = app
                .action
                .as_ref()
                .and_then(|a| a.sectors.as_ref())
                .map(|v| v.iter().map(|c| call.current_sector(c.as_str())));
            // A call written before 2020 may name a withdrawn code itself: read it as its successor too.
            let withdrawn = |v: &[String]| v.iter().any(|c| call.is_withdrawn_sector(c));
            if call.prepared.names_withdrawn_sector
                && (withdrawn(&s.any_of) || withdrawn(&s.none_of))
            {
                let current = SetTest {
                    any_of: s
                        .any_of
                        .iter()
                        .map(|c| call.current_sector(c).to_string())
                        .collect(),
                    none_of: s
                        .none_of
                        .iter()
                        .map(|c| call.current_sector(c).to_string())
                        .collect(),
                };
                set_test(
                    values,
                    &current,
                    "action.sectors",
                    "the action's sectors",
                    false,
                    ctx,
                    t,
                )
            } else {
                set_test(
                    values,
                    s,
                    "action.sectors",
                    "the action's sectors",
                    false,
                    ctx,
                    t,
                )
            }
        }
        Test::Themes(s) => {
            let values = app
                .action
                .as_ref()
                .and_then(|a| a.themes.as_ref())
                .map(|v| v.iter().map(String::as_str));
            set_test(
                values,
                s,
                "action.themes",
                "the action's themes",
                false,
                ctx,
                t,
            )
        }
        Test::Priorities(s) => {
            let values = app
                .action
                .as_ref()
                .and_then(|a| a.priorities.as_ref())
                .map(|v| v.iter().map(String::as_str));
            set_test(
                values,
                s,
                "action.priorities",
                "the strategy priorities",
                false,
                ctx,
                t,
            )
        }
        Test::Activities(s) => {
            let values = app
                .action
                .as_ref()
                .and_then(|a| a.activities.as_ref())
                .map(|v| v.iter().map(String::as_str));
            set_test(
                values,
                s,
                "action.activities",
                "the activities",
                false,
                ctx,
                t,
            )
        }
        Test::Duration(d) => {
            let Some(months) = app.action.as_ref().and_then(|a| a.duration_months) else {
                if T::FULL {
                    t.missing("action.duration_months");
                }
                return Outcome::Unknown;
            };
            if T::FULL {
                t.read("action.duration_months", json!(months));
            }
            let mut ok = true;
            if let Some(min) = d.min_months
                && months < min
            {
                ok = false;
                note!(t, "duration {months} months is below the minimum of {min}");
                fix!(
                    t,
                    ctx.criterion,
                    "action.duration_months",
                    Some(json!(min)),
                    "duration {months} months is below the minimum of {min}: extend by {}",
                    min - months
                );
            }
            if let Some(max) = d.max_months
                && months > max
            {
                ok = false;
                note!(t, "duration {months} months exceeds the maximum of {max}");
                fix!(
                    t,
                    ctx.criterion,
                    "action.duration_months",
                    Some(json!(max)),
                    "duration {months} months exceeds the maximum of {max}: reduce by {}",
                    months - max
                );
            }
            if ok {
                note!(t, "duration {months} months");
            }
            Outcome::of(ok)
        }
        Test::Start(s) => {
            let Some(start) = app.action.as_ref().and_then(|a| a.start) else {
                if T::FULL {
                    t.missing("action.start");
                }
                return Outcome::Unknown;
            };
            if T::FULL {
                t.read("action.start", json!(start));
            }
            let early = s.from.is_some_and(|f| start < f);
            let late = s.to.is_some_and(|to| start > to);
            if early {
                fix!(
                    t,
                    ctx.criterion,
                    "action.start",
                    s.from.map(|f| json!(f)),
                    "start on or after {}",
                    s.from.map(|f| f.to_string()).unwrap_or_default()
                );
            }
            if late {
                fix!(
                    t,
                    ctx.criterion,
                    "action.start",
                    s.to.map(|f| json!(f)),
                    "start on or before {}",
                    s.to.map(|f| f.to_string()).unwrap_or_default()
                );
            }
            note!(t, "the action starts on {start}");
            Outcome::of(!early && !late)
        }
        Test::Requested(r) => {
            let m = money(
                app,
                &ctx.call.prepared.ineligible,
                t,
                [false, false, false, true],
            );
            let Some(req) = m.requested else {
                return Outcome::Unknown;
            };
            if !ctx.currency_matches(t) {
                return Outcome::Unknown;
            }
            let cur = ctx.call.currency();
            let mut ok = true;
            if let Some(min) = r.min
                && req < min.0
            {
                ok = false;
                note!(
                    t,
                    "request {} {cur} is below {} {cur}",
                    Amount(req).display(),
                    min.display()
                );
                fix!(
                    t,
                    ctx.criterion,
                    "budget.requested",
                    Some(json!(min.0)),
                    "request {} {cur} is below the minimum of {} {cur}: request at least {} more",
                    Amount(req).display(),
                    min.display(),
                    Amount(min.0 - req).display()
                );
            }
            if let Some(max) = r.max
                && req > max.0
            {
                ok = false;
                note!(
                    t,
                    "request {} {cur} exceeds {} {cur}",
                    Amount(req).display(),
                    max.display()
                );
                fix!(
                    t,
                    ctx.criterion,
                    "budget.requested",
                    Some(json!(max.0)),
                    "request {} {cur} exceeds {} {cur}: reduce it by {}",
                    Amount(req).display(),
                    max.display(),
                    Amount(req - max.0).display()
                );
            }
            if ok {
                note!(t, "request {} {cur}", Amount(req).display());
            }
            Outcome::of(ok)
        }
        Test::EuShare(s) => {
            let m = money(
                app,
                &ctx.call.prepared.ineligible,
                t,
                [true, true, true, true],
            );
            let (Some(d), Some(i), Some(c), Some(req)) =
                (m.direct, m.indirect, m.contingency, m.requested)
            else {
                return Outcome::Unknown;
            };
            // A share compares amounts of one budget, all in its currency: no conversion needed.
            // Amounts past what a total can hold (a budget built in Rust, not read) leave the
            // share undetermined rather than wrap.
            let Some(total) = d.checked_add(i).and_then(|x| x.checked_add(c)) else {
                return Outcome::Unknown;
            };
            let share = if T::FULL {
                share_text(req, total).unwrap_or_else(|| "-".into())
            } else {
                String::new()
            };
            let mut ok = true;
            if let Some(max) = s.max_percent {
                let within = if s.max_exclusive {
                    max.allows_strictly(req, total)
                } else {
                    max.allows(req, total)
                };
                if !within {
                    ok = false;
                }
                if !within && T::FULL {
                    let cap = max.of(total);
                    let cap = if s.max_exclusive
                        && max.allows(cap, total)
                        && !max.allows_strictly(cap, total)
                    {
                        cap.saturating_sub(1)
                    } else {
                        cap
                    };
                    fix!(
                        t,
                        ctx.criterion,
                        "budget.requested",
                        Some(json!(cap)),
                        "the EU share {share} % {} {max} % of total eligible costs {}: request at most {}",
                        if s.max_exclusive {
                            "must be below"
                        } else {
                            "exceeds"
                        },
                        Amount(total).display(),
                        Amount(cap).display()
                    );
                }
            }
            if let Some(min) = s.min_percent
                && u128::from(req) * 1_000_000 < u128::from(total) * u128::from(min.ppm())
            {
                ok = false;
                fix!(
                    t,
                    ctx.criterion,
                    "budget.requested",
                    Some(json!(min.of(total))),
                    "the EU share {share} % is below {min} %: request at least {}",
                    Amount(min.of(total)).display()
                );
            }
            note!(
                t,
                "EU share {share} % of total eligible costs {}",
                Amount(total).display()
            );
            Outcome::of(ok)
        }
        Test::IndirectCap(cap) | Test::ContingencyCap(cap) => {
            let indirect = matches!(test, Test::IndirectCap(_));
            let m = money(
                app,
                &ctx.call.prepared.ineligible,
                t,
                [true, indirect, !indirect, false],
            );
            let part = if indirect { m.indirect } else { m.contingency };
            let (Some(d), Some(p)) = (m.direct, part) else {
                return Outcome::Unknown;
            };
            // A cap compares two amounts of one budget, in its currency: no conversion needed.
            let name = if indirect {
                "indirect costs"
            } else {
                "the contingency reserve"
            };
            let field = if indirect {
                "budget.indirect"
            } else {
                "budget.contingency"
            };
            let limit = if T::FULL { cap.max_percent.of(d) } else { 0 };
            let ok = cap.max_percent.allows(p, d);
            note!(
                t,
                "{name} {} against {} % of direct costs {} = {}",
                Amount(p).display(),
                cap.max_percent,
                Amount(d).display(),
                Amount(limit).display()
            );
            if !ok {
                fix!(
                    t,
                    ctx.criterion,
                    field,
                    Some(json!(limit)),
                    "{name} {} {} {} % of direct costs: reduce {} to at most {} (by {})",
                    Amount(p).display(),
                    if indirect { "exceed" } else { "exceeds" },
                    cap.max_percent,
                    if indirect { "them" } else { "it" },
                    Amount(limit).display(),
                    Amount(p - limit).display()
                );
            }
            Outcome::of(ok)
        }
        Test::HeadingCap(cap) => {
            let Some(lines) = app.budget.as_ref().and_then(|b| b.lines.as_ref()) else {
                if T::FULL {
                    t.missing("budget.lines");
                }
                return Outcome::Unknown;
            };
            let m = money(
                app,
                &ctx.call.prepared.ineligible,
                t,
                [true, false, false, false],
            );
            let Some(d) = m.direct else {
                return Outcome::Unknown;
            };
            // The heading's eligible lines (those of an ineligible category are not direct
            // costs). Saturating: read lines add up to at most [`Amount::MAX`] (checked on reading).
            let ineligible = &ctx.call.prepared.ineligible;
            let under = lines
                .iter()
                .filter(|l| l.heading == cap.heading)
                .filter(|l| l.category.as_ref().is_none_or(|c| !ineligible.contains(c)))
                .fold(0u64, |sum, l| sum.saturating_add(l.amount.0));
            if T::FULL {
                t.read("budget.lines", json!(lines.len()));
            }
            // The most the heading may hold. With direct costs declared, a share of them; with
            // direct costs summed from the lines, cutting the heading also lowers the costs it is
            // a share of: the largest x with x <= p (others + x), that is p·others / (1 - p).
            let limit = if !T::FULL {
                0
            } else if app.budget.as_ref().is_some_and(|b| b.direct.is_some()) {
                cap.max_percent.of(d)
            } else if cap.max_percent.ppm() >= 1_000_000 {
                under
            } else {
                let others = u128::from(d.saturating_sub(under));
                let p = u128::from(cap.max_percent.ppm());
                u64::try_from(others * p / (1_000_000 - p)).unwrap_or(u64::MAX)
            };
            let ok = cap.max_percent.allows(under, d);
            note!(
                t,
                "`{}` lines {} against {} % of direct costs {} = {}",
                cap.heading,
                Amount(under).display(),
                cap.max_percent,
                Amount(d).display(),
                Amount(cap.max_percent.of(d)).display()
            );
            if !ok {
                fix!(
                    t,
                    ctx.criterion,
                    "budget.lines",
                    Some(json!(limit)),
                    "the `{}` lines ({}) exceed {} % of direct costs: reduce them to at most {} (by {})",
                    cap.heading,
                    Amount(under).display(),
                    cap.max_percent,
                    Amount(limit).display(),
                    Amount(under.saturating_sub(limit)).display()
                );
            }
            Outcome::of(ok)
        }
        Test::IneligibleCosts(ic) => {
            let Some(lines) = app.budget.as_ref().and_then(|b| b.lines.as_ref()) else {
                if T::FULL {
                    t.missing("budget.lines");
                }
                return Outcome::Unknown;
            };
            let bad: Vec<(usize, &str)> = lines
                .iter()
                .enumerate()
                .filter_map(|(i, l)| {
                    l.category
                        .as_deref()
                        .filter(|c| ic.categories.iter().any(|x| x == c))
                        .map(|c| (i, c))
                })
                .collect();
            if T::FULL {
                t.read("budget.lines", json!(lines.len()));
            }
            for (i, c) in &bad {
                fix!(
                    t,
                    ctx.criterion,
                    format!("budget.lines[{i}]"),
                    None,
                    "remove the line of category `{c}`: it is not an eligible cost"
                );
            }
            Outcome::of(bad.is_empty())
        }
        Test::Deadline(d) => timing(d, true, ctx, t),
        Test::Opens(d) => timing(d, false, ctx, t),
        Test::All(ts) => {
            let mut acc = Outcome::Pass;
            for x in ts {
                acc = acc.and(eval(x, ctx, t));
                if !T::FULL && acc == Outcome::Fail {
                    break;
                }
            }
            acc
        }
        Test::Any(ts) => {
            let mut acc = Outcome::Fail;
            let mut quiet_fixes = Vec::new();
            for x in ts {
                if T::FULL {
                    // Recourse inside an `any`: any one branch suffices; keep them all.
                    let (o, fixes) = traced(x, ctx, t, true);
                    quiet_fixes.extend(fixes);
                    acc = acc.or(o);
                } else {
                    acc = acc.or(eval(x, ctx, t));
                    if acc == Outcome::Pass {
                        break;
                    }
                }
            }
            if T::FULL && acc == Outcome::Fail {
                for mut f in quiet_fixes {
                    f.message = format!("either: {}", f.message);
                    t.fix(f);
                }
            }
            acc
        }
        // The trace of what is negated, or of a condition, is made only when it is kept (the
        // quiet evaluation of batches makes none).
        Test::Not(x) => {
            if !T::FULL {
                return eval(x, ctx, &mut Quiet).not();
            }
            traced(x, ctx, t, true).0.not()
        }
        Test::If(i) => {
            let when = if T::FULL {
                traced(&i.when, ctx, t, false).0
            } else {
                eval(&i.when, ctx, &mut Quiet)
            };
            match when {
                Outcome::Pass => eval(&i.then, ctx, t),
                Outcome::Fail => i
                    .otherwise
                    .as_deref()
                    .map_or(Outcome::Pass, |o| eval(o, ctx, t)),
                _ => {
                    let a = eval(&i.then, ctx, t);
                    let b = i
                        .otherwise
                        .as_deref()
                        .map_or(Outcome::Pass, |o| eval(o, ctx, t));
                    note!(
                        t,
                        "which requirement applies depends on an answer not given"
                    );
                    if a == b { a } else { Outcome::Unknown }
                }
            }
        }
    }
}

/// A test evaluated with a trace of its own, whose reads, missing fields and (with `notes`) notes
/// are handed on to `t`: the outcome, and the recourse found, which the caller keeps or drops.
fn traced<T: Trace>(test: &Test, ctx: &Ctx, t: &mut T, notes: bool) -> (Outcome, Vec<Recourse>) {
    let mut inner = Full::default();
    let o = eval(test, ctx, &mut inner);
    for (k, v) in inner.reads {
        t.read(&k, v);
    }
    for m in inner.missing {
        t.missing(&m);
    }
    if notes {
        for n in inner.notes {
            t.note(n);
        }
    }
    (o, inner.fixes)
}

/// Recourse for organisation tests an applicant can change.
fn org_fix<T: Trace>(test: &Test, base: &str, ctx: &Ctx, t: &mut T) {
    let c = ctx.criterion;
    match test {
        Test::NotIntermediary(_) => {
            fix!(
                t,
                c,
                path_of(base, "intermediary"),
                Some(json!(false)),
                "the applicant must manage the action itself, not act as an intermediary"
            );
        }
        Test::EstablishedIn(_) if base != "applicant" => {
            fix!(
                t,
                c,
                base,
                None,
                "replace this partner with one established in an eligible country"
            );
        }
        Test::AnnualBudget(_) => {
            fix!(
                t,
                c,
                "budget.requested",
                None,
                "request less, so that the annual budget covers the required share"
            );
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// requirements in words

/// The requirement of a test, in words.
pub fn requirement(test: &Test, currency: Currency) -> String {
    let who = |w: Who| match w {
        Who::Lead => "the lead applicant",
        Who::CoApplicants => "every co-applicant",
        Who::AllApplicants => "the lead applicant and every co-applicant",
        Who::AffiliatedEntities => "every affiliated entity",
    };
    let list = |v: &[String]| v.join(", ");
    match test {
        Test::LegalForm(t) => format!(
            "{} is {}",
            who(t.who),
            t.any_of
                .iter()
                .map(|f| legal_form_name(*f))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
        Test::NonProfit(t) => format!("{} is non-profit-making", who(t.who)),
        Test::NotIntermediary(t) => format!("{} does not act as an intermediary", who(t.who)),
        Test::OrgType(t) => format!(
            "{} has an IATI organisation type among {}",
            who(t.who),
            t.any_of
                .iter()
                .map(|c| c.0.clone())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Test::Category(t) => {
            let mut s = who(t.who).to_string();
            if !t.any_of.is_empty() {
                let _ = write!(s, " is one of {}", json!(t.any_of));
            }
            if !t.none_of.is_empty() {
                let _ = write!(s, " is none of {}", json!(t.none_of));
            }
            s
        }
        Test::EstablishedIn(t) => {
            let mut places = Vec::new();
            if t.any_country {
                places.push("any country".to_string());
            }
            if t.eu_member_states {
                places.push("an EU member state".to_string());
            }
            if !t.any_of.is_empty() {
                places.push(list(&t.any_of));
            }
            let mut s = format!("{} is established in {}", who(t.who), places.join(" or "));
            if !t.none_of.is_empty() {
                let _ = write!(s, ", not in {}", list(&t.none_of));
            }
            s
        }
        Test::Registered(t) => format!(
            "{} was registered at least {} years before {}",
            who(t.who),
            t.min_years,
            as_of_text(&t.as_of)
        ),
        Test::TrackRecord(t) => format!(
            "{} completed at least {} projects in the {} years before {}",
            who(t.who),
            t.min_projects,
            t.within_years,
            as_of_text(&t.as_of)
        ),
        Test::AnnualBudget(t) => format!(
            "the annual budget of {} is at least {} % of {}",
            who(t.who),
            t.min_percent,
            match &t.of {
                BudgetBase::Requested => "the EU contribution requested".to_string(),
                BudgetBase::Amount(a) => format!("{} {currency}", a.display()),
            }
        ),
        Test::NotExcluded(t) => format!(
            "{} is not in the exclusion situation `{}`",
            who(t.who),
            t.situation.field()
        ),
        Test::Partners(p) => {
            let mut s = String::new();
            match (p.min, p.max) {
                (Some(a), Some(b)) => {
                    let _ = write!(s, "between {a} and {b}");
                }
                (Some(a), None) => {
                    let _ = write!(s, "at least {a}");
                }
                (None, Some(b)) => {
                    let _ = write!(s, "at most {b}");
                }
                (None, None) => {}
            }
            let set = match p.of {
                PartnerSet::CoApplicants => "co-applicants",
                PartnerSet::AffiliatedEntities => "affiliated entities",
                PartnerSet::CoApplicantsAndAffiliatedEntities => {
                    "co-applicants or affiliated entities"
                }
            };
            let _ = write!(s, " {set}");
            if let Some(m) = &p.meeting {
                let _ = write!(
                    s,
                    " meeting: {}",
                    requirement(m, currency).replace("the lead applicant ", "")
                );
            }
            s
        }
        Test::ActionCountry(s) => set_text("the action takes place only in", "and not in", s),
        Test::Sectors(s) => set_text("the action has a DAC sector among", "and none of", s),
        Test::Themes(s) => set_text("the action addresses a theme among", "and none of", s),
        Test::Priorities(s) => set_text("the action serves a priority among", "and none of", s),
        Test::Activities(s) => set_text(
            "the action includes one of",
            "the action includes none of",
            s,
        ),
        Test::Duration(d) => match (d.min_months, d.max_months) {
            (Some(a), Some(b)) => format!("the action lasts {a} to {b} months"),
            (Some(a), None) => format!("the action lasts at least {a} months"),
            (None, Some(b)) => format!("the action lasts at most {b} months"),
            (None, None) => "any duration".into(),
        },
        Test::Start(s) => match (s.from, s.to) {
            (Some(a), Some(b)) => format!("the action starts between {a} and {b}"),
            (Some(a), None) => format!("the action starts on or after {a}"),
            (None, Some(b)) => format!("the action starts on or before {b}"),
            (None, None) => "any start".into(),
        },
        Test::Requested(r) => match (r.min, r.max) {
            (Some(a), Some(b)) => format!(
                "the EU contribution requested is between {} and {} {currency}",
                a.display(),
                b.display()
            ),
            (Some(a), None) => format!(
                "the EU contribution requested is at least {} {currency}",
                a.display()
            ),
            (None, Some(b)) => format!(
                "the EU contribution requested is at most {} {currency}",
                b.display()
            ),
            (None, None) => "any amount".into(),
        },
        Test::EuShare(s) => {
            let mut parts = Vec::new();
            if let Some(m) = s.max_percent {
                parts.push(if s.max_exclusive {
                    format!("below {m} %")
                } else {
                    format!("at most {m} %")
                });
            }
            if let Some(m) = s.min_percent {
                parts.push(format!("at least {m} %"));
            }
            format!(
                "the EU contribution is {} of total eligible costs",
                parts.join(" and ")
            )
        }
        Test::IndirectCap(c) => format!(
            "indirect costs are at most {} % of direct eligible costs",
            c.max_percent
        ),
        Test::ContingencyCap(c) => format!(
            "the contingency reserve is at most {} % of direct eligible costs",
            c.max_percent
        ),
        Test::IneligibleCosts(c) => format!(
            "no budget line is of an ineligible category ({})",
            list(&c.categories)
        ),
        Test::HeadingCap(c) => format!(
            "the budget lines under `{}` are at most {} % of direct eligible costs",
            c.heading, c.max_percent
        ),
        Test::Deadline(d) => format!("submitted on or before {}", deadline_text(d)),
        Test::Opens(d) => format!("submitted on or after {}", deadline_text(d)),
        Test::All(ts) => ts
            .iter()
            .map(|x| requirement(x, currency))
            .collect::<Vec<_>>()
            .join("; and "),
        Test::Any(ts) => format!(
            "one of: {}",
            ts.iter()
                .map(|x| requirement(x, currency))
                .collect::<Vec<_>>()
                .join("; or ")
        ),
        Test::Not(x) => format!("not: {}", requirement(x, currency)),
        Test::If(i) => match &i.otherwise {
            Some(o) => format!(
                "if {}, then {}; otherwise {}",
                requirement(&i.when, currency),
                requirement(&i.then, currency),
                requirement(o, currency)
            ),
            None => format!(
                "if {}, then {}",
                requirement(&i.when, currency),
                requirement(&i.then, currency)
            ),
        },
    }
}

fn set_text(any: &str, none: &str, s: &SetTest) -> String {
    match (s.any_of.is_empty(), s.none_of.is_empty()) {
        (false, true) => format!("{any} {}", s.any_of.join(", ")),
        (true, false) => format!("{none} {}", s.none_of.join(", ")),
        _ => format!(
            "{any} {} {none} {}",
            s.any_of.join(", "),
            s.none_of.join(", ")
        ),
    }
}

fn as_of_text(a: &AsOf) -> String {
    match a {
        AsOf::Deadline => "the deadline".into(),
        AsOf::Evaluation => "the evaluation date".into(),
        AsOf::Date(d) => d.to_string(),
    }
}

fn deadline_text(d: &DeadlineTest) -> String {
    match resolve_deadline(d) {
        Ok(r) => r.describe(),
        Err(_) => "the deadline".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// evaluation

/// A question for each field euca can ask about.
fn question(field: &str) -> String {
    let leaf = field.rsplit('.').next().unwrap_or(field);
    let who = if field.starts_with("applicant") {
        "the lead applicant"
    } else if field.starts_with("co_applicants") {
        "this co-applicant"
    } else if field.starts_with("affiliated_entities") {
        "this affiliated entity"
    } else {
        ""
    };
    match leaf {
        "legal_form" | "legal_person" => format!("What is the legal form of {who}?"),
        "non_profit" => format!("Is {who} non-profit-making?"),
        "org_type" => format!("What is the IATI organisation type of {who}?"),
        "categories" => format!("Which kind of organisation is {who} (NGO, public body, ...)?"),
        "country" if field.starts_with("action") => {
            "In which country is the action carried out?".into()
        }
        "country" => format!("In which country is {who} established?"),
        "registered_on" => format!("When was {who} registered?"),
        "intermediary" => format!("Does {who} act as an intermediary?"),
        "completed_projects" => {
            format!("Which projects has {who} completed, and when did they end?")
        }
        "annual_budget" => format!("What is the annual budget of {who}?"),
        "bankrupt" => format!("Is {who} bankrupt, being wound up or in an analogous situation?"),
        "convicted" => {
            format!("Has {who} been convicted of an offence concerning professional conduct?")
        }
        "grave_misconduct" => format!("Has {who} been guilty of grave professional misconduct?"),
        "unpaid_taxes" => format!("Is {who} behind with taxes or social security contributions?"),
        "fraud" => {
            format!("Has {who} been judged for fraud, corruption or another illegal activity?")
        }
        "breach_of_contract" => format!("Has {who} been declared in serious breach of contract?"),
        "co_applicants" => "Who are the co-applicants (country, type ...)?".into(),
        "affiliated_entities" => "Who are the affiliated entities?".into(),
        "duration_months" => "How many months does the action last?".into(),
        "start" => "When does the action start?".into(),
        "sectors" => "Which DAC sectors does the action address?".into(),
        "themes" => "Which of the call's themes does the action address?".into(),
        "priorities" => "Which strategy priorities does the action serve?".into(),
        "activities" => "Which kinds of activity does the action include?".into(),
        "direct" => "What are the direct eligible costs?".into(),
        "indirect" => "What are the indirect costs?".into(),
        "contingency" => "What is the contingency reserve?".into(),
        "requested" => "How much EU contribution is requested?".into(),
        "lines" => "What are the budget lines (with their cost categories)?".into(),
        "submitted_at" => "When was the application submitted (with its time zone)?".into(),
        "applicant" => "Who is the lead applicant?".into(),
        _ => format!("What is `{field}`?"),
    }
}

/// Evaluates an application fully.
pub(crate) fn decide(
    call: &Call,
    app: &Application,
    as_of: NaiveDate,
    stage: Option<Stage>,
) -> Decision {
    let stage_now = stage.or_else(|| call.stages.last().copied());
    let mut checks = Vec::with_capacity(call.criteria.len() + 1);
    let mut fixes: Vec<Recourse> = Vec::new();
    if let Some(v) = &call.validity {
        let ok = call.in_force_on(as_of);
        let to =
            v.to.as_ref()
                .map_or("open-ended".to_string(), ToString::to_string);
        checks.push(Check {
            id: "in_force".into(),
            statement: "The rules are in force on the evaluation date".into(),
            outcome: Outcome::of(ok),
            requirement: format!("the evaluation date falls within {} to {to}", v.from),
            message: if ok {
                format!("the rules are in force on {as_of}")
            } else {
                format!(
                    "the rules were not in force on {as_of} (in force from {} to {to})",
                    v.from
                )
            },
            read: BTreeMap::from([("as_of".to_string(), json!(as_of))]),
            missing: Vec::new(),
            citation: Citation {
                reference: match &call.validity_origin {
                    Some((id, _)) if id != call.id() => {
                        format!("validity of `{id}`, which the call extends (its start)")
                    }
                    _ => "validity of the rule set".into(),
                },
                source: call
                    .validity_origin
                    .as_ref()
                    .and_then(|(_, sources)| sources.first())
                    .or_else(|| call.sources().first())
                    .cloned()
                    .unwrap_or_else(|| crate::model::Source {
                        title: format!("rule set `{}`", call.id()),
                        address: None,
                        document: Some(call.id().to_string()),
                        locator: Some("validity".into()),
                    }),
            },
            origin: call
                .validity_origin
                .as_ref()
                .map_or_else(|| call.id().to_string(), |(id, _)| id.clone()),
        });
    }
    for (i, c) in call.criteria.iter().enumerate() {
        let criterion = &c.criterion;
        let applies = applies_at(criterion, stage);
        let requirement = match call.prepared.requirements.get(i) {
            Some(text) => text.clone(),
            None => requirement(&criterion.test, call.currency),
        };
        if !applies {
            checks.push(Check {
                id: criterion.id.clone(),
                statement: criterion.statement.clone(),
                outcome: Outcome::NotApplicable,
                requirement,
                message: match (criterion.stage, criterion.until) {
                    (Some(from), Some(to)) if from == to => {
                        format!("applies at the {} stage only", stage_name(from))
                    }
                    (Some(from), Some(to)) => format!(
                        "applies from the {} stage to the {} stage",
                        stage_name(from),
                        stage_name(to)
                    ),
                    (Some(from), None) => format!("applies from the {} stage", stage_name(from)),
                    (None, Some(to)) => format!("applies up to the {} stage", stage_name(to)),
                    (None, None) => String::new(),
                },
                read: BTreeMap::new(),
                missing: Vec::new(),
                citation: criterion.citation.clone(),
                origin: c.origin.clone(),
            });
            continue;
        }
        let ctx = Ctx {
            app,
            call,
            as_of,
            criterion: &criterion.id,
            counted: &[],
        };
        let mut trace = Full::default();
        let outcome = eval(&criterion.test, &ctx, &mut trace);
        let mut message = trace.notes.join("; ");
        if message.is_empty() {
            message = match outcome {
                Outcome::Pass => "met".into(),
                Outcome::Fail => "not met".into(),
                _ => "cannot be told from the application".into(),
            };
        }
        if outcome == Outcome::Unknown && !trace.missing.is_empty() {
            let _ = write!(message, " (missing: {})", trace.missing.join(", "));
        }
        if outcome == Outcome::Fail {
            fixes.extend(trace.fixes);
        }
        checks.push(Check {
            id: criterion.id.clone(),
            statement: criterion.statement.clone(),
            outcome,
            requirement,
            message,
            read: trace.reads,
            missing: if outcome == Outcome::Unknown {
                trace.missing
            } else {
                Vec::new()
            },
            citation: criterion.citation.clone(),
            origin: c.origin.clone(),
        });
    }
    let verdict = verdict_of(checks.iter().map(|c| c.outcome));
    let missing = rank_missing(&checks);
    let mut recourse = Vec::new();
    match verdict {
        Verdict::Ineligible => recourse = fixes,
        Verdict::Undetermined => {
            for m in &missing {
                recourse.push(Recourse {
                    criterion: m.criteria.join(", "),
                    field: m.field.clone(),
                    kind: RecourseKind::Answer,
                    message: m.question.clone(),
                    suggestion: None,
                });
            }
        }
        Verdict::Eligible => {}
    }
    Decision {
        application: app.id.clone(),
        rule_set: call.rule_set_ref(),
        chain: call.chain().to_vec(),
        as_of,
        stage: if call.stages.is_empty() {
            None
        } else {
            stage_now
        },
        verdict,
        checks,
        missing,
        grant: grant(call, app, as_of, stage),
        recourse,
    }
}

pub(crate) fn verdict_of(outcomes: impl Iterator<Item = Outcome>) -> Verdict {
    let mut unknown = false;
    for o in outcomes {
        match o {
            Outcome::Fail => return Verdict::Ineligible,
            Outcome::Unknown => unknown = true,
            _ => {}
        }
    }
    if unknown {
        Verdict::Undetermined
    } else {
        Verdict::Eligible
    }
}

/// Missing fields, those whose answer alone settles the verdict first.
fn rank_missing(checks: &[Check]) -> Vec<Missing> {
    let open: Vec<&Check> = checks
        .iter()
        .filter(|c| c.outcome == Outcome::Unknown)
        .collect();
    let mut by_field: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for c in &open {
        for f in &c.missing {
            by_field.entry(f.as_str()).or_default().push(c.id.as_str());
        }
    }
    let any_failed = checks.iter().any(|c| c.outcome == Outcome::Fail);
    let mut out: Vec<(bool, usize, usize, Missing)> = by_field
        .into_iter()
        .map(|(field, criteria)| {
            let alone = open
                .iter()
                .filter(|c| {
                    c.missing.len() == 1 && c.missing.first().map(String::as_str) == Some(field)
                })
                .count();
            let settles = !any_failed && open.iter().all(|c| c.missing.iter().all(|m| m == field));
            let m = Missing {
                field: field.to_string(),
                question: question(field),
                criteria: criteria.iter().map(|s| s.to_string()).collect(),
                settles,
            };
            (settles, alone, criteria.len(), m)
        })
        .collect();
    out.sort_by(|a, b| {
        (b.0, b.1, b.2)
            .cmp(&(a.0, a.1, a.2))
            .then_with(|| a.3.field.cmp(&b.3.field))
    });
    out.into_iter().map(|x| x.3).collect()
}

/// The limits a call sets on this application (following conditionals whose condition is known).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Limits {
    requested_min: Option<u64>,
    requested_max: Option<u64>,
    share_max: Option<(Percent, bool)>,
    indirect: Option<Percent>,
    contingency: Option<Percent>,
    notes: Vec<String>,
}

/// Collects the limits of a test. Without an application (`ctx` absent) a conditional adds nothing:
/// [`static_limits`] uses that only for calls whose conditionals set no limit.
fn limits(test: &Test, ctx: Option<&Ctx>, l: &mut Limits) {
    let tighter = |a: Option<u64>, b: u64| Some(a.map_or(b, |x| x.min(b)));
    match test {
        Test::Requested(r) => {
            if let Some(m) = r.max {
                l.requested_max = tighter(l.requested_max, m.0);
            }
            if let Some(m) = r.min {
                l.requested_min = Some(l.requested_min.map_or(m.0, |x| x.max(m.0)));
            }
        }
        Test::EuShare(s) => {
            if let Some(m) = s.max_percent {
                l.share_max = Some(match l.share_max {
                    Some((p, e)) if p < m || (p == m && e) => (p, e),
                    _ => (m, s.max_exclusive),
                });
            }
        }
        Test::IndirectCap(c) => {
            l.indirect = Some(l.indirect.map_or(c.max_percent, |p| p.min(c.max_percent)))
        }
        Test::ContingencyCap(c) => {
            l.contingency = Some(
                l.contingency
                    .map_or(c.max_percent, |p| p.min(c.max_percent)),
            );
        }
        Test::All(ts) => ts.iter().for_each(|x| limits(x, ctx, l)),
        Test::If(i) => match ctx
            .map_or(Outcome::NotApplicable, |ctx| eval(&i.when, ctx, &mut Quiet))
        {
            Outcome::NotApplicable => {}
            Outcome::Pass => limits(&i.then, ctx, l),
            Outcome::Fail => {
                if let Some(o) = &i.otherwise {
                    limits(o, ctx, l);
                }
            }
            _ => {
                // Unknown condition: the stricter of both branches, and say so.
                let mut a = Limits::default();
                let mut b = Limits::default();
                limits(&i.then, ctx, &mut a);
                if let Some(o) = &i.otherwise {
                    limits(o, ctx, &mut b);
                }
                for m in [a.requested_max, b.requested_max].into_iter().flatten() {
                    l.requested_max = tighter(l.requested_max, m);
                }
                for (p, e) in [a.share_max, b.share_max].into_iter().flatten() {
                    l.share_max = Some(match l.share_max {
                        Some((q, f)) if q < p || (q == p && f) => (q, f),
                        _ => (p, e),
                    });
                }
                for m in [a.requested_min, b.requested_min].into_iter().flatten() {
                    l.requested_min = Some(l.requested_min.map_or(m, |x| x.max(m)));
                }
                for p in [a.indirect, b.indirect].into_iter().flatten() {
                    l.indirect = Some(l.indirect.map_or(p, |q| q.min(p)));
                }
                for p in [a.contingency, b.contingency].into_iter().flatten() {
                    l.contingency = Some(l.contingency.map_or(p, |q| q.min(p)));
                }
                l.notes.push(
                    "a limit depends on an answer not given; the stricter branch is used".into(),
                );
            }
        },
        _ => {}
    }
}

/// Whether a test sets a cost limit (what [`limits`] collects).
fn sets_limit(test: &Test) -> bool {
    match test {
        Test::Requested(_) | Test::EuShare(_) | Test::IndirectCap(_) | Test::ContingencyCap(_) => {
            true
        }
        Test::All(ts) => ts.iter().any(sets_limit),
        Test::If(i) => sets_limit(&i.then) || i.otherwise.as_deref().is_some_and(sets_limit),
        _ => false,
    }
}

/// Whether a limit of a test depends on the application (a conditional that sets one).
fn limit_is_conditional(test: &Test) -> bool {
    match test {
        Test::All(ts) => ts.iter().any(limit_is_conditional),
        Test::If(i) => sets_limit(&i.then) || i.otherwise.as_deref().is_some_and(sets_limit),
        _ => false,
    }
}

/// Whether a criterion applies at a stage.
/// Whether a criterion applies at a stage: from its `stage` to its `until`. An evaluation without
/// a stage is at the last stage and applies every criterion, those that end at an earlier stage
/// (a concept-note deadline) too: an applicant who has not applied yet must meet them all.
pub(crate) fn applies_at(criterion: &crate::rules::Criterion, stage: Option<Stage>) -> bool {
    let Some(now) = stage else { return true };
    criterion.stage.is_none_or(|from| from <= now) && criterion.until.is_none_or(|to| now <= to)
}

/// Index of a stage in [`crate::call::Prepared::limits`].
fn stage_index(stage: Option<Stage>) -> usize {
    match stage {
        None => 0,
        Some(Stage::ConceptNote) => 1,
        Some(Stage::FullApplication) => 2,
    }
}

/// The limits of a call for each stage, when none depends on the application (computed once, when
/// the call is compiled).
pub(crate) fn static_limits(criteria: &[crate::call::CallCriterion]) -> Option<[Limits; 3]> {
    if criteria
        .iter()
        .any(|c| limit_is_conditional(&c.criterion.test))
    {
        return None;
    }
    Some(
        [None, Some(Stage::ConceptNote), Some(Stage::FullApplication)].map(|stage| {
            let mut l = Limits::default();
            for c in criteria.iter().filter(|c| applies_at(&c.criterion, stage)) {
                limits(&c.criterion.test, None, &mut l);
            }
            l
        }),
    )
}

/// The grant's figures, before they are put into words.
pub(crate) struct Figures {
    direct: u64,
    /// The lines of ineligible categories left out of the direct costs: (count, amount).
    excluded: (usize, u64),
    /// The sum of the lines, when `direct` is declared and lines are given too.
    lines_beside_direct: Option<u64>,
    /// Eligible direct costs by budget heading (from the lines), when the figures are put into
    /// words (`None` saves a batch making and dropping an empty map on each row).
    headings: Option<BTreeMap<String, u64>>,
    indirect: Option<u64>,
    indirect_eligible: u64,
    contingency: Option<u64>,
    contingency_eligible: u64,
    total: u64,
    max: Option<u64>,
    min: Option<u64>,
    requested: Option<u64>,
    branch_unknown: bool,
}

/// The grant's figures; `notes` says whether the figures will be put into words (then a limit
/// that depends on an answer not given is noted).
pub(crate) fn figures(
    call: &Call,
    app: &Application,
    as_of: NaiveDate,
    stage: Option<Stage>,
    notes: bool,
) -> Option<Figures> {
    let budget = app.budget.as_ref()?;
    if budget.currency() != call.currency {
        return None;
    }
    let walked;
    let l = match &call.prepared.limits {
        Some(fixed) if !notes => fixed.get(stage_index(stage))?,
        _ => {
            let ctx = Ctx {
                app,
                call,
                as_of,
                criterion: "",
                counted: &[],
            };
            let mut l = Limits::default();
            for c in call
                .criteria
                .iter()
                .filter(|c| applies_at(&c.criterion, stage))
            {
                limits(&c.criterion.test, Some(&ctx), &mut l);
            }
            walked = l;
            &walked
        }
    };
    // Direct costs: as declared, or else the lines of eligible categories. Saturating: read
    // lines add up to at most [`Amount::MAX`] (checked on reading).
    let lines = budget.lines.as_deref().unwrap_or_default();
    let ineligible = &call.prepared.ineligible;
    let eligible = |line: &&crate::application::BudgetLine| {
        line.category
            .as_ref()
            .is_none_or(|c| !ineligible.contains(c))
    };
    let sum = |it: &mut dyn Iterator<Item = &crate::application::BudgetLine>| {
        it.fold(0u64, |s, line| s.saturating_add(line.amount.0))
    };
    let (direct, excluded, lines_beside_direct) = match (budget.direct, &budget.lines) {
        (Some(d), Some(_)) => (d.0, (0, 0), Some(sum(&mut lines.iter().filter(eligible)))),
        (Some(d), None) => (d.0, (0, 0), None),
        (None, Some(_)) => {
            let out: Vec<_> = lines.iter().filter(|x| !eligible(x)).collect();
            (
                sum(&mut lines.iter().filter(eligible)),
                (out.len(), sum(&mut out.into_iter())),
                None,
            )
        }
        (None, None) => return None,
    };
    let headings = notes.then(|| {
        let mut headings: BTreeMap<String, u64> = BTreeMap::new();
        for line in lines.iter().filter(eligible) {
            let total = headings.entry(line.heading.clone()).or_default();
            *total = total.saturating_add(line.amount.0);
        }
        headings
    });
    let indirect = budget.indirect.map(|a| a.0);
    let contingency = budget.contingency.map(|a| a.0);
    let i = indirect.unwrap_or(0);
    let c = contingency.unwrap_or(0);
    let indirect_eligible = l.indirect.map_or(i, |p| i.min(p.of(direct)));
    let contingency_eligible = l.contingency.map_or(c, |p| c.min(p.of(direct)));
    // Checked: amounts read are at most 2^53 - 1 each, but a budget built in Rust may hold more.
    let total = direct
        .checked_add(indirect_eligible)?
        .checked_add(contingency_eligible)?;
    let by_share = l.share_max.map(|(p, exclusive)| {
        let cap = p.of(total);
        if exclusive && !p.allows_strictly(cap, total) {
            cap.saturating_sub(1)
        } else {
            cap
        }
    });
    let max = match (l.requested_max, by_share) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (Some(a), None) => Some(a.min(total)),
        (None, Some(b)) => Some(b),
        (None, None) => None,
    };
    Some(Figures {
        direct,
        excluded,
        lines_beside_direct,
        headings,
        indirect,
        indirect_eligible,
        contingency,
        contingency_eligible,
        total,
        max,
        min: l.requested_min,
        requested: budget.requested.map(|a| a.0),
        branch_unknown: !l.notes.is_empty(),
    })
}

/// (maximum EU contribution, requested, total eligible costs) for batch columns.
pub(crate) fn grant_figures(
    call: &Call,
    app: &Application,
    as_of: NaiveDate,
    stage: Option<Stage>,
) -> Option<(Option<u64>, Option<u64>, u64)> {
    figures(call, app, as_of, stage, false).map(|f| (f.max, f.requested, f.total))
}

fn grant(call: &Call, app: &Application, as_of: NaiveDate, stage: Option<Stage>) -> Option<Grant> {
    let f = figures(call, app, as_of, stage, true)?;
    let mut notes = Vec::new();
    if f.branch_unknown {
        notes.push(
            "a limit depends on an answer not given; the stricter branch is used".to_string(),
        );
    }
    if f.excluded.0 > 0 {
        notes.push(format!(
            "{} budget line{} of an ineligible category left out of the direct costs: {}",
            f.excluded.0,
            if f.excluded.0 == 1 { "" } else { "s" },
            Amount(f.excluded.1).display()
        ));
    }
    if let Some(lines) = f.lines_beside_direct.filter(|&x| x != f.direct) {
        notes.push(format!(
            "the direct costs are declared as {}, and the budget lines of eligible categories add up to {}: the declared amount is used",
            Amount(f.direct).display(),
            Amount(lines).display()
        ));
    }
    if f.indirect.is_none() {
        notes.push("indirect costs are not given: counted as 0".into());
    }
    if f.contingency.is_none() {
        notes.push("the contingency reserve is not given: counted as 0".into());
    }
    let indirect = f.indirect.unwrap_or(0);
    let contingency = f.contingency.unwrap_or(0);
    if f.indirect_eligible < indirect {
        notes.push(format!(
            "indirect costs above the cap are not eligible: {} of {}",
            Amount(f.indirect_eligible).display(),
            Amount(indirect).display()
        ));
    }
    if f.contingency_eligible < contingency {
        notes.push(format!(
            "the contingency reserve above the cap is not eligible: {} of {}",
            Amount(f.contingency_eligible).display(),
            Amount(contingency).display()
        ));
    }
    if f.max.is_some() {
        notes.push("the maximum EU contribution is the least of the call's maximum and the share cap of total eligible costs, rounded down to the cent".into());
    }
    Some(Grant {
        currency: call.currency,
        direct: f.direct,
        indirect,
        indirect_eligible: f.indirect_eligible,
        contingency,
        contingency_eligible: f.contingency_eligible,
        total_eligible: f.total,
        requested: f.requested,
        requested_share: f.requested.and_then(|r| share_text(r, f.total)),
        max_eu_contribution: f.max,
        min_eu_contribution: f.min,
        headings: f.headings.unwrap_or_default(),
        notes,
    })
}

/// The verdict only, stopping at the first failure.
pub(crate) fn verdict_only(
    call: &Call,
    app: &Application,
    as_of: NaiveDate,
    stage: Option<Stage>,
) -> Verdict {
    if call.validity.is_some() && !call.in_force_on(as_of) {
        return Verdict::Ineligible;
    }
    let mut unknown = false;
    let ctx = Ctx {
        app,
        call,
        as_of,
        criterion: "",
        counted: &[],
    };
    for c in &call.criteria {
        if !applies_at(&c.criterion, stage) {
            continue;
        }
        match eval(&c.criterion.test, &ctx, &mut Quiet) {
            Outcome::Fail => return Verdict::Ineligible,
            Outcome::Unknown => unknown = true,
            _ => {}
        }
    }
    if unknown {
        Verdict::Undetermined
    } else {
        Verdict::Eligible
    }
}

/// The verdict, writing the ids of the criteria failed and of those that cannot be told as the
/// next row of the batch columns `failed` and `unknown` (indexes into the call's
/// [`crate::call::Prepared::batch_ids`]), without messages: the fast path of batches. Every
/// criterion is evaluated.
pub(crate) fn quick(
    call: &Call,
    app: &Application,
    as_of: NaiveDate,
    stage: Option<Stage>,
    failed: &mut CriterionIds,
    unknown: &mut CriterionIds,
) -> Verdict {
    let ctx = Ctx {
        app,
        call,
        as_of,
        criterion: "",
        counted: &[],
    };
    quick_with(call, as_of, stage, failed, unknown, |_, c| {
        eval(&c.criterion.test, &ctx, &mut Quiet)
    })
}

/// [`quick`] with each criterion's outcome given by `outcome` (its index in the call's criteria,
/// and the criterion). The rows of [`crate::columns`] decide as this does, from a list of the
/// criteria of the stage found once for their rows, then [`end_of_row`].
#[inline(always)]
pub(crate) fn quick_with(
    call: &Call,
    as_of: NaiveDate,
    stage: Option<Stage>,
    failed: &mut CriterionIds,
    unknown: &mut CriterionIds,
    mut outcome: impl FnMut(usize, &crate::call::CallCriterion) -> Outcome,
) -> Verdict {
    if call.validity.is_some() && !call.in_force_on(as_of) {
        failed.push_index(0);
    }
    for (i, c) in (1u32..).zip(&call.criteria) {
        if !applies_at(&c.criterion, stage) {
            continue;
        }
        match outcome(i as usize - 1, c) {
            Outcome::Fail => failed.push_index(i),
            Outcome::Unknown => unknown.push_index(i),
            _ => {}
        }
    }
    end_of_row(failed, unknown)
}

/// Ends a row whose failed and open criteria are written: its verdict.
#[inline(always)]
pub(crate) fn end_of_row(failed: &mut CriterionIds, unknown: &mut CriterionIds) -> Verdict {
    let verdict = if !failed.row_is_empty() {
        Verdict::Ineligible
    } else if !unknown.row_is_empty() {
        Verdict::Undetermined
    } else {
        Verdict::Eligible
    };
    failed.end_row();
    unknown.end_row();
    verdict
}

impl Decision {
    /// Reads a decision from its JSON shape (what [`serde_json::to_string`] of a decision,
    /// Python's `to_dict()` / `to_json()` and JavaScript's `toJSON()` give), as the dataset's
    /// records are read.
    ///
    /// # Errors
    /// `invalid_json` for text that is not JSON; otherwise every problem with its path: an
    /// `unknown_field` for each field a decision does not have, and `missing_field`,
    /// `invalid_type` (a struct given as a list among them) or `invalid_value` for a value that
    /// cannot be read.
    pub fn from_json(text: &str) -> Result<Decision, crate::DatasetError> {
        Decision::from_value(&crate::dataset::parse_document(text)?)
    }

    /// Reads a decision from a parsed JSON value, as [`Decision::from_json`].
    ///
    /// # Errors
    /// As [`Decision::from_json`].
    pub fn from_value(value: &Value) -> Result<Decision, crate::DatasetError> {
        let mut problems = Vec::new();
        match crate::dataset::read_record::<Decision>(value, "", &mut problems) {
            Some(decision) if problems.is_empty() => Ok(decision),
            _ if problems.is_empty() => {
                Err(crate::DatasetError::new(vec![crate::error::Problem::new(
                    crate::error::Code::InvalidValue,
                    "",
                    "not a decision: it cannot be read",
                )]))
            }
            _ => Err(crate::DatasetError::new(problems)),
        }
    }

    /// The decision in plain text a non-programmer can follow, citing the rules.
    pub fn explain(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Decision on {} under {} (version {}), as of {}: {}.",
            self.application.as_deref().unwrap_or("the application"),
            self.rule_set.id,
            self.rule_set.version,
            self.as_of,
            self.verdict.as_str().to_ascii_uppercase()
        );
        if let Some(stage) = self.stage {
            let _ = writeln!(s, "Stage: {}.", stage_name(stage).replace('_', " "));
        }
        let failed: Vec<&Check> = self
            .checks
            .iter()
            .filter(|c| c.outcome == Outcome::Fail)
            .collect();
        let open: Vec<&Check> = self
            .checks
            .iter()
            .filter(|c| c.outcome == Outcome::Unknown)
            .collect();
        let passed = self
            .checks
            .iter()
            .filter(|c| c.outcome == Outcome::Pass)
            .count();
        let _ = writeln!(
            s,
            "{} of {} criteria are met, {} are not, {} cannot be told yet.",
            passed,
            self.checks
                .iter()
                .filter(|c| c.outcome != Outcome::NotApplicable)
                .count(),
            failed.len(),
            open.len()
        );
        let cite = |c: &Check| {
            format!(
                "{} — {}",
                c.citation.reference,
                c.citation
                    .source
                    .address
                    .as_deref()
                    .or(c.citation.source.document.as_deref())
                    .unwrap_or(&c.citation.source.title)
            )
        };
        if !failed.is_empty() {
            let _ = writeln!(s, "\nNot met:");
            for c in &failed {
                let _ = writeln!(
                    s,
                    "  ✗ {}: {}.\n    Rule: {}. Found: {}.\n    Source: {}",
                    c.id,
                    c.statement.trim_end_matches('.'),
                    c.requirement,
                    c.message,
                    cite(c)
                );
            }
        }
        if !open.is_empty() {
            let _ = writeln!(s, "\nCannot be told yet:");
            for c in &open {
                let _ = writeln!(
                    s,
                    "  ? {}: {}.\n    Rule: {}. {}.\n    Source: {}",
                    c.id,
                    c.statement.trim_end_matches('.'),
                    c.requirement,
                    c.message,
                    cite(c)
                );
            }
        }
        let met: Vec<&Check> = self
            .checks
            .iter()
            .filter(|c| c.outcome == Outcome::Pass)
            .collect();
        if !met.is_empty() {
            let _ = writeln!(s, "\nMet:");
            for c in met {
                let _ = writeln!(s, "  ✓ {}: {}", c.id, c.message);
            }
        }
        if let Some(g) = &self.grant {
            let _ = writeln!(s, "\nGrant ({}):", g.currency);
            let _ = writeln!(
                s,
                "  total eligible costs {}",
                Amount(g.total_eligible).display()
            );
            if let Some(r) = g.requested {
                let _ = writeln!(
                    s,
                    "  requested {} ({} % of eligible costs)",
                    Amount(r).display(),
                    g.requested_share.as_deref().unwrap_or("-")
                );
            }
            if let Some(m) = g.max_eu_contribution {
                let _ = writeln!(s, "  maximum EU contribution {}", Amount(m).display());
            }
            for n in &g.notes {
                let _ = writeln!(s, "  note: {n}");
            }
        }
        if !self.recourse.is_empty() {
            let _ = writeln!(s, "\nWhat would change the answer:");
            for r in &self.recourse {
                let _ = writeln!(s, "  - {}", r.message);
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn a_decision_reads_back_from_its_json_and_names_each_problem_with_its_path() {
        use serde_json::json;
        let call = crate::Dataset::embedded()
            .unwrap()
            .call("tj-2020-cso")
            .unwrap();
        let app =
            crate::Application::from_json(r#"{"id": "A", "action": {"country": "TJ"}}"#).unwrap();
        let as_of = chrono::NaiveDate::from_ymd_opt(2020, 9, 4).unwrap();
        let decision = call.evaluate(&app, as_of, None);
        let value = serde_json::to_value(&decision).unwrap();
        assert_eq!(super::Decision::from_value(&value).unwrap(), decision);
        let text = serde_json::to_string(&decision).unwrap();
        assert_eq!(super::Decision::from_json(&text).unwrap(), decision);
        let problems = |changes: serde_json::Value| {
            let mut v = value.clone();
            for (k, x) in changes.as_object().unwrap() {
                v[k] = x.clone();
            }
            let e = super::Decision::from_value(&v).unwrap_err();
            e.problems()
                .iter()
                .map(|p| (p.code.as_str().to_string(), p.path.clone()))
                .collect::<Vec<_>>()
        };
        let pair = |c: &str, p: &str| (c.to_string(), p.to_string());
        // serde_json alone reads the list by position.
        let listed = json!({"rule_set": ["tj-2020-cso", "1"]});
        let mut by_position = value.clone();
        by_position["rule_set"] = listed["rule_set"].clone();
        assert!(serde_json::from_value::<super::Decision>(by_position).is_ok());
        assert_eq!(problems(listed), [pair("invalid_type", "rule_set")]);
        assert_eq!(
            problems(json!({"verdikt": 1, "rule_set": {"id": "x", "version": "1", "zz": 0}})),
            [
                pair("unknown_field", "rule_set.zz"),
                pair("unknown_field", "verdikt")
            ]
        );
        assert_eq!(
            problems(json!({"verdict": "maybe", "checks": 3})),
            [
                pair("invalid_value", "verdict"),
                pair("invalid_type", "checks")
            ]
        );
        // The evaluation date is read as a batch's is: an impossible day, or a date that is not
        // a day, is an invalid date.
        for day in ["2020-02-30", "2020-13-01", "2020", "today"] {
            assert_eq!(
                problems(json!({ "as_of": day })),
                [pair("invalid_date", "as_of")],
                "{day}"
            );
        }
        assert_eq!(
            problems(json!({"as_of": 20200904})),
            [pair("invalid_type", "as_of")]
        );
        // A year euca's dates do not have, which an evaluation may be asked for, reads back.
        for day in [(0, 3, 1), (10_000, 1, 1), (-44, 3, 15)] {
            let as_of = chrono::NaiveDate::from_ymd_opt(day.0, day.1, day.2).unwrap();
            let decision = call.evaluate(&app, as_of, None);
            let text = serde_json::to_string(&decision).unwrap();
            assert_eq!(
                super::Decision::from_json(&text).unwrap(),
                decision,
                "{as_of}"
            );
        }
        assert_eq!(
            super::Decision::from_json("{").unwrap_err().problems()[0].code,
            crate::Code::InvalidJson
        );
    }

    #[test]
    fn years_before_answers_as_the_calendar_does_whatever_was_asked_before() {
        use chrono::NaiveDate;
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let asked = [
            // The answer the memory starts with, asked first.
            (NaiveDate::MIN, 0, NaiveDate::MIN),
            (d(2020, 9, 4), 0, d(2020, 9, 4)),
            (d(2020, 9, 4), 3, d(2017, 9, 4)),
            (d(2020, 9, 4), 3, d(2017, 9, 4)),
            // Two questions in turn (`registered`, `track_record`), then a third.
            (d(2020, 9, 4), 5, d(2015, 9, 4)),
            (d(2020, 9, 4), 3, d(2017, 9, 4)),
            (d(2020, 9, 4), 5, d(2015, 9, 4)),
            (d(2021, 1, 31), 3, d(2018, 1, 31)),
            (d(2020, 9, 4), 3, d(2017, 9, 4)),
            (d(2024, 2, 29), 1, d(2023, 2, 28)),
            (d(2024, 2, 29), 4, d(2020, 2, 29)),
            (d(2020, 9, 4), 0, d(2020, 9, 4)),
            (d(2020, 9, 4), 3, d(2017, 9, 4)),
            (d(2020, 9, 5), 3, d(2017, 9, 5)),
            (d(2020, 9, 4), u32::MAX, NaiveDate::MIN),
            (NaiveDate::MIN, 0, NaiveDate::MIN),
            (NaiveDate::MIN, 1, NaiveDate::MIN),
        ];
        for (day, years, expected) in asked {
            assert_eq!(
                super::years_before(day, years),
                expected,
                "{day} - {years} years"
            );
        }
    }

    #[test]
    fn same_compares_every_byte_of_texts_of_every_short_length() {
        let text = "0123456789abcdefghij";
        for n in 0..=text.len() {
            let a = &text[..n];
            assert!(same(a, &text[..n]), "{a:?}");
            for m in 0..=text.len() {
                if m != n {
                    assert!(!same(a, &text[..m]), "{a:?} and {:?}", &text[..m]);
                }
            }
            // A difference at each place, and in the first and last byte at once.
            for i in 0..n {
                let mut b = a.as_bytes().to_vec();
                b[i] = b'~';
                let b = String::from_utf8(b).unwrap_or_default();
                assert!(!same(a, &b), "{a:?} and {b:?}");
                assert!(!same(&b, a), "{b:?} and {a:?}");
            }
        }
        for (a, b, equal) in [
            ("é", "é", true),
            ("é", "è", false),
            ("ҷҷ", "ҷҳ", false),
            ("🌄", "🌄", true),
            ("a🌄", "a🌅", false),
            ("TJ", "tj", false),
            ("15160", "15150", false),
            ("15160", "15160", true),
        ] {
            assert_eq!(same(a, b), equal, "{a:?} and {b:?}");
        }
    }
}
