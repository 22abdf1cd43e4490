//! The fields of an application each criterion of a call reads, and the grant: what lets a batch
//! given as columns be evaluated a criterion at a time, once for each distinct value of the
//! columns a criterion reads rather than once for each row ([`crate::columns`]).
//!
//! A field is a dotted path of the application's JSON form: `applicant.country`,
//! `applicant.exclusions.fraud`, `action.sectors`, `submitted_at`. The lists of organisations
//! (`co_applicants`, `affiliated_entities`) and the budget (`budget`) are read whole. A
//! criterion gives the same outcome on any two applications that agree on the fields it reads
//! and hold the same objects (`applicant`, `applicant.exclusions`, `action`, `budget`) on the way
//! to them; `core/tests/eligibility_props.rs` checks it on random tables of applications and
//! random calls (`a_batch_of_columns_equals_the_batch_of_its_rows*`).

use serde::Serialize;

use crate::call::Call;
use crate::rules::{PartnerSet, PartnersTest, Test, Who};

/// The fields one criterion (or the grant) reads: dotted paths, each once, in the order met.
/// Written as the list of paths.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct FieldsRead(Vec<String>);

/// What a call reads of an application: each criterion's fields, in the call's order, and the
/// grant's ([`Call::fields_read`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallFieldsRead {
    /// Each criterion's id and the fields it reads.
    pub criteria: Vec<CriterionFieldsRead>,
    /// The fields the grant reads.
    pub grant: FieldsRead,
}

/// The fields one criterion reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriterionFieldsRead {
    /// The criterion's id.
    pub id: String,
    /// The fields it reads.
    pub fields: FieldsRead,
}

impl FieldsRead {
    /// The paths.
    pub fn paths(&self) -> &[String] {
        &self.0
    }

    /// Whether a value at `path` (a column's dotted path) holds or is held by a field read:
    /// `applicant` and `applicant.country.code` both touch `applicant.country`.
    pub fn touches(&self, path: &str) -> bool {
        self.0
            .iter()
            .any(|read| nested(read, path) || nested(path, read))
    }

    fn add(&mut self, path: String) {
        if !self.0.contains(&path) {
            self.0.push(path);
        }
    }

    fn extend(&mut self, other: FieldsRead) {
        for path in other.0 {
            self.add(path);
        }
    }
}

/// Whether `inner` is `outer` or lies under it (`a.b` under `a`, not under `a.bc`).
fn nested(inner: &str, outer: &str) -> bool {
    inner
        .strip_prefix(outer)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

impl Call {
    /// What the call reads of an application: each criterion's fields and the grant's. A form
    /// that asks only for these, or a table with only these columns, is evaluated as the whole
    /// application would be (the objects on the way, `applicant`, `budget`, held alike).
    pub fn fields_read(&self) -> CallFieldsRead {
        CallFieldsRead {
            criteria: self
                .criteria
                .iter()
                .zip(self.criterion_fields())
                .map(|(c, fields)| CriterionFieldsRead {
                    id: c.criterion.id.clone(),
                    fields,
                })
                .collect(),
            grant: self.grant_fields(),
        }
    }

    /// The fields each criterion reads, in the call's order (see [`FieldsRead`]).
    pub fn criterion_fields(&self) -> Vec<FieldsRead> {
        self.criteria
            .iter()
            .map(|c| fields_except(&c.criterion.test, &|_| false))
            .collect()
    }

    /// The fields the grant's figures (the maximum EU contribution and the EU share of a batch
    /// row) read: the budget, and, when a limit of the call depends on the application, every
    /// field a criterion reads. (A full decision's grant may also note that an `if` it could not
    /// tell sets no limit for certain: that condition's fields are its criterion's.)
    pub fn grant_fields(&self) -> FieldsRead {
        let mut out = FieldsRead::default();
        out.add("budget".to_string());
        if self.prepared.limits.is_none() {
            for fields in self.criterion_fields() {
                out.extend(fields);
            }
        }
        out
    }
}

/// The organisations a test of `who` is about, as the bases of their fields.
fn bases(who: Who) -> &'static [&'static str] {
    match who {
        Who::Lead => &["applicant"],
        Who::CoApplicants => &["co_applicants"],
        Who::AllApplicants => &["applicant", "co_applicants"],
        Who::AffiliatedEntities => &["affiliated_entities"],
    }
}

/// The lists a `partners` test counts.
pub(crate) fn partner_lists(p: &PartnersTest) -> &'static [&'static str] {
    match p.of {
        PartnerSet::CoApplicants => &["co_applicants"],
        PartnerSet::AffiliatedEntities => &["affiliated_entities"],
        PartnerSet::CoApplicantsAndAffiliatedEntities => &["co_applicants", "affiliated_entities"],
    }
}

/// Whether a `partners` test's condition reads nothing but the partner it is asked of: its
/// outcome on a partner is then the same in any application ([`crate::columns`] works it out
/// once for each distinct partner). A condition on the budget (an annual budget against the
/// request) reads more.
pub(crate) fn reads_only_the_partner(p: &PartnersTest) -> bool {
    let Some(meeting) = &p.meeting else {
        return true;
    };
    partner_lists(p).iter().all(|list| {
        let mut out = FieldsRead::default();
        leaf_fields(meeting, list, &mut out, &|_| false);
        out.0.iter().all(|read| read == list)
    })
}

/// The fields `test` reads, leaving out the `partners` tests `skip` says (each of which
/// [`crate::columns`] counts from its partners rather than read from the application).
pub(crate) fn fields_except(test: &Test, skip: &dyn Fn(&PartnersTest) -> bool) -> FieldsRead {
    let mut out = FieldsRead::default();
    test_fields(test, &mut out, skip);
    out
}

/// Adds the fields `test` reads, but those of the `partners` tests `skip` says. Every kind of
/// test is named: a new kind must say what it reads.
fn test_fields(test: &Test, out: &mut FieldsRead, skip: &dyn Fn(&PartnersTest) -> bool) {
    match test {
        Test::LegalForm(t) => org_fields(test, t.who, out),
        Test::NonProfit(t) | Test::NotIntermediary(t) => org_fields(test, t.who, out),
        Test::OrgType(t) => org_fields(test, t.who, out),
        Test::Category(t) => org_fields(test, t.who, out),
        Test::EstablishedIn(t) => org_fields(test, t.who, out),
        Test::Registered(t) => org_fields(test, t.who, out),
        Test::TrackRecord(t) => org_fields(test, t.who, out),
        Test::AnnualBudget(t) => org_fields(test, t.who, out),
        Test::NotExcluded(t) => org_fields(test, t.who, out),
        Test::Partners(p) if skip(p) => {}
        Test::Partners(p) => {
            for list in partner_lists(p) {
                out.add((*list).to_string());
                if let Some(meeting) = &p.meeting {
                    // Each partner's fields are in its list; what else the condition reads
                    // (the budget, for an annual budget against the request) is added.
                    leaf_fields(meeting, list, out, skip);
                }
            }
        }
        Test::ActionCountry(_) => {
            out.add("action.country".to_string());
            out.add("action.countries".to_string());
        }
        Test::Sectors(_) => out.add("action.sectors".to_string()),
        Test::Themes(_) => out.add("action.themes".to_string()),
        Test::Priorities(_) => out.add("action.priorities".to_string()),
        Test::Activities(_) => out.add("action.activities".to_string()),
        Test::Duration(_) => out.add("action.duration_months".to_string()),
        Test::Start(_) => out.add("action.start".to_string()),
        Test::Requested(_)
        | Test::EuShare(_)
        | Test::IndirectCap(_)
        | Test::ContingencyCap(_)
        | Test::IneligibleCosts(_)
        | Test::HeadingCap(_) => out.add("budget".to_string()),
        Test::Deadline(_) | Test::Opens(_) => out.add("submitted_at".to_string()),
        Test::All(ts) | Test::Any(ts) => ts.iter().for_each(|t| test_fields(t, out, skip)),
        Test::Not(t) => test_fields(t, out, skip),
        Test::If(i) => {
            test_fields(&i.when, out, skip);
            test_fields(&i.then, out, skip);
            if let Some(o) = &i.otherwise {
                test_fields(o, out, skip);
            }
        }
    }
}

/// An organisation test of `who`: its fields under each organisation, and the lists read whole.
fn org_fields(test: &Test, who: Who, out: &mut FieldsRead) {
    for base in bases(who) {
        leaf_fields(test, base, out, &|_| false);
    }
}

/// The fields an organisation test reads of the organisation at `base` (`applicant`; a list,
/// `co_applicants`, is read whole), and the application's own fields it reads besides.
fn leaf_fields(
    test: &Test,
    base: &str,
    out: &mut FieldsRead,
    skip: &dyn Fn(&PartnersTest) -> bool,
) {
    match test {
        Test::LegalForm(_) => {
            field(out, base, "legal_form");
            field(out, base, "legal_person");
        }
        Test::NonProfit(_) => field(out, base, "non_profit"),
        Test::NotIntermediary(_) => field(out, base, "intermediary"),
        Test::OrgType(_) => field(out, base, "org_type"),
        Test::Category(_) => {
            field(out, base, "categories");
            field(out, base, "org_type");
        }
        Test::EstablishedIn(_) => field(out, base, "country"),
        Test::Registered(_) => field(out, base, "registered_on"),
        Test::TrackRecord(_) => field(out, base, "completed_projects"),
        Test::AnnualBudget(_) => {
            field(out, base, "annual_budget");
            // Against the request, in the budget's currency.
            out.add("budget".to_string());
        }
        Test::NotExcluded(e) => field(out, base, &format!("exclusions.{}", e.situation.field())),
        Test::All(ts) | Test::Any(ts) => ts.iter().for_each(|t| leaf_fields(t, base, out, skip)),
        Test::Not(t) => leaf_fields(t, base, out, skip),
        Test::If(i) => {
            leaf_fields(&i.when, base, out, skip);
            leaf_fields(&i.then, base, out, skip);
            if let Some(o) = &i.otherwise {
                leaf_fields(o, base, out, skip);
            }
        }
        // Not an organisation test (a call that puts one under `partners` is refused when it is
        // compiled): whatever it reads of the application.
        other => test_fields(other, out, skip),
    }
}

/// The field `name` of the organisation at `base`: `applicant.country`, or a list read whole.
fn field(out: &mut FieldsRead, base: &str, name: &str) {
    out.add(if base == "applicant" {
        format!("{base}.{name}")
    } else {
        base.to_string()
    });
}
