//! Analyses of funded projects as flat records, for data frames: funding by country, year,
//! instrument, theme and DAC sector; the share of projects led by a local organisation; projects
//! that started within some months after a dialogue round in the same country.
//!
//! Each analysis works on any list of projects (the dataset's, or records read from an IATI file)
//! and has a [`Dataset`] method for the dataset's own. Money is exact and never converted between
//! currencies: every row is one key in one currency.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::money::{Amount, Currency, share_text};
use crate::projects::{MoneyTotal, Participant, Project};

/// What funding is grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundingBy {
    /// The recipient country (ISO alpha-2), split by the countries' percentages where given.
    Country,
    /// The year the project started.
    Year,
    /// The funding instrument.
    Instrument,
    /// The seed's project theme (project kind).
    Theme,
    /// The DAC 5-digit sector, split by the sectors' percentages where given.
    Sector,
}

impl FundingBy {
    /// Every grouping.
    pub const ALL: [FundingBy; 5] = [
        FundingBy::Country,
        FundingBy::Year,
        FundingBy::Instrument,
        FundingBy::Theme,
        FundingBy::Sector,
    ];

    /// The name in documents (`country`).
    pub fn as_str(self) -> &'static str {
        match self {
            FundingBy::Country => "country",
            FundingBy::Year => "year",
            FundingBy::Instrument => "instrument",
            FundingBy::Theme => "theme",
            FundingBy::Sector => "sector",
        }
    }
}

impl fmt::Display for FundingBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FundingBy {
    type Err = String;

    /// Reads `country`, `year`, `instrument`, `theme` or `sector`.
    fn from_str(s: &str) -> Result<FundingBy, String> {
        FundingBy::ALL
            .into_iter()
            .find(|b| b.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown grouping `{s}`: expected `country`, `year`, `instrument`, `theme` or `sector`"
                )
            })
    }
}

/// Funding of one key in one currency.
///
/// A project with several keys and percentages for each (countries, sectors) is split by them,
/// exactly: the parts add up to the whole, the odd cents going to the largest remainders; what the
/// percentages leave unallocated goes to the row without a key. A project with several keys and
/// no percentages (two instruments, one of which funds it; two themes) is one row under the keys
/// joined by `+`, so that no amount is counted twice. Projects without the key (no start date, no
/// instrument named) are in the row whose `key` is absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundingRecord {
    /// What the rows are grouped by.
    pub by: FundingBy,
    /// The country, year, instrument, theme or sector (absent: not stated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The currency of every amount of the row (absent: IATI values given without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// How many projects the row counts, wholly or in part.
    pub projects: u32,
    /// How many of them the row holds only a share of (split by percentages).
    pub shared: u32,
    /// The EU contributions the records state, in minor units.
    pub eu_contribution: Amount,
    /// How many projects stated an EU contribution.
    pub eu_contribution_projects: u32,
    /// The total costs the records state, in minor units.
    pub total_cost: Amount,
    /// How many projects stated a total cost.
    pub total_cost_projects: u32,
    /// IATI budgets, net in minor units: a project's revised budgets where it has any, else its
    /// original ones.
    pub budget: i64,
    /// IATI outgoing commitments (transaction type 2), net.
    pub commitments: i64,
    /// IATI disbursements (transaction type 3), net.
    pub disbursements: i64,
    /// IATI expenditure (transaction type 4), net.
    pub expenditure: i64,
}

/// The keys of a project for a grouping, with their percentages where given.
fn keys(p: &Project, by: FundingBy) -> Vec<(String, Option<u64>)> {
    match by {
        FundingBy::Country => p
            .recipient_countries
            .iter()
            .map(|c| (c.country.clone(), c.percentage.map(|x| x.ppm())))
            .collect(),
        FundingBy::Sector => p
            .sectors
            .iter()
            .filter(|s| s.is_dac())
            .map(|s| (s.sector.clone(), s.percentage.map(|x| x.ppm())))
            .collect(),
        FundingBy::Instrument => p.instruments.iter().map(|i| (i.clone(), None)).collect(),
        FundingBy::Theme => p.themes.iter().map(|i| (i.clone(), None)).collect(),
        FundingBy::Year => p
            .start()
            .and_then(|d| {
                let (a, b) = (d.earliest().year(), d.latest().year());
                (a == b).then(|| vec![(a.to_string(), None)])
            })
            .unwrap_or_default(),
    }
}

const WHOLE: u64 = 1_000_000;

/// The shares of a project: (key, weight in parts per million of the whole).
fn shares(mut keys: Vec<(String, Option<u64>)>) -> Vec<(Option<String>, u64)> {
    // The same key twice counts once, its percentages added.
    let mut merged: Vec<(String, Option<u64>)> = Vec::new();
    for (k, pct) in keys.drain(..) {
        match merged.iter_mut().find(|(m, _)| *m == k) {
            Some((_, existing)) => {
                *existing = match (*existing, pct) {
                    (Some(a), Some(b)) => Some(a + b),
                    _ => None,
                }
            }
            None => merged.push((k, pct)),
        }
    }
    match merged.as_slice() {
        [] => vec![(None, WHOLE)],
        [(k, _)] if merged.iter().all(|(_, p)| p.is_none()) => vec![(Some(k.clone()), WHOLE)],
        _ if merged.iter().all(|(_, p)| p.is_some()) => {
            let total: u64 = merged.iter().filter_map(|(_, p)| *p).sum();
            let base = total.max(WHOLE);
            let mut out: Vec<(Option<String>, u64)> = merged
                .iter()
                .map(|(k, p)| {
                    let share =
                        u128::from(p.unwrap_or(0)) * u128::from(WHOLE) / u128::from(base.max(1));
                    (Some(k.clone()), u64::try_from(share).unwrap_or(0))
                })
                .collect();
            if total < WHOLE {
                out.push((None, WHOLE - total));
            }
            out
        }
        _ => {
            let mut names: Vec<String> = merged.into_iter().map(|(k, _)| k).collect();
            names.sort();
            vec![(Some(names.join("+")), WHOLE)]
        }
    }
}

/// Splits `amount` by weights exactly: floors, then the remainder one unit at a time to the
/// largest fractional parts (ties to the first).
fn allocate(amount: u128, weights: &[u64]) -> Vec<u128> {
    let total: u128 = weights.iter().map(|w| u128::from(*w)).sum();
    if total == 0 {
        return weights.iter().map(|_| 0).collect();
    }
    let mut parts: Vec<(u128, u128)> = weights
        .iter()
        .map(|w| {
            let exact = amount * u128::from(*w);
            (exact / total, exact % total)
        })
        .collect();
    let given: u128 = parts.iter().map(|(p, _)| *p).sum();
    let mut left = amount.saturating_sub(given);
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|a, b| {
        let ra = parts.get(*a).map_or(0, |p| p.1);
        let rb = parts.get(*b).map_or(0, |p| p.1);
        rb.cmp(&ra).then(a.cmp(b))
    });
    for i in order {
        if left == 0 {
            break;
        }
        if let Some(p) = parts.get_mut(i) {
            p.0 += 1;
            left -= 1;
        }
    }
    parts.into_iter().map(|(p, _)| p).collect()
}

/// Splits a signed amount by weights.
fn allocate_signed(amount: i128, weights: &[u64]) -> Vec<i128> {
    let parts = allocate(amount.unsigned_abs(), weights);
    parts
        .into_iter()
        .map(|p| {
            let p = i128::try_from(p).unwrap_or(i128::MAX);
            if amount < 0 { -p } else { p }
        })
        .collect()
}

/// Net amounts by currency.
type Nets = Vec<(Option<Currency>, i128)>;

/// A signed column of a row.
type Column = fn(&mut Row) -> &mut i128;

/// The net of totals by currency, in order of first appearance.
fn nets<'a>(totals: impl Iterator<Item = &'a MoneyTotal>) -> Nets {
    let mut out: Nets = Vec::new();
    for t in totals {
        match out.iter_mut().find(|(c, _)| *c == t.currency) {
            Some((_, sum)) => *sum += t.net(),
            None => out.push((t.currency, t.net())),
        }
    }
    out
}

/// The budget of a project by currency: its revised budgets where it has any, else the others.
fn budget_nets(p: &Project) -> Nets {
    let revised = p.budgets.iter().any(|b| b.kind.as_deref() == Some("2"));
    nets(
        p.budgets
            .iter()
            .filter(|b| !revised || b.kind.as_deref() == Some("2")),
    )
}

fn transaction_nets(p: &Project, kind: &str) -> Nets {
    nets(
        p.transactions
            .iter()
            .filter(|t| t.kind.as_deref() == Some(kind)),
    )
}

#[derive(Default)]
struct Row {
    projects: Vec<usize>,
    shared: Vec<usize>,
    eu: u128,
    eu_projects: u32,
    total: u128,
    total_projects: u32,
    budget: i128,
    commitments: i128,
    disbursements: i128,
    expenditure: i128,
}

/// Funding of `projects` grouped `by` a key, one row per key and currency, sorted by key (the row
/// without a key last) and currency.
pub fn funding(projects: &[Project], by: FundingBy) -> Vec<FundingRecord> {
    let mut rows: HashMap<(Option<String>, Option<Currency>), Row> = HashMap::new();
    for (i, p) in projects.iter().enumerate() {
        let shares = shares(keys(p, by));
        let weights: Vec<u64> = shares.iter().map(|(_, w)| *w).collect();
        let split = shares.len() > 1;
        let mut touch = |key: &Option<String>, currency: Option<Currency>| {
            let row = rows.entry((key.clone(), currency)).or_default();
            if !row.projects.contains(&i) {
                row.projects.push(i);
                if split {
                    row.shared.push(i);
                }
            }
        };
        for (key, _) in &shares {
            touch(key, Some(p.currency()));
        }
        let currency = Some(p.currency());
        let mut unsigned = |value: Option<Amount>, pick: fn(&mut Row) -> (&mut u128, &mut u32)| {
            let Some(value) = value else { return };
            for ((key, _), part) in shares.iter().zip(allocate(u128::from(value.0), &weights)) {
                let row = rows.entry((key.clone(), currency)).or_default();
                let (sum, count) = pick(row);
                *sum += part;
                *count += 1;
            }
        };
        unsigned(p.eu_contribution, |r| (&mut r.eu, &mut r.eu_projects));
        unsigned(p.total_cost, |r| (&mut r.total, &mut r.total_projects));
        let flows: [(Nets, Column); 4] = [
            (budget_nets(p), |r| &mut r.budget),
            (transaction_nets(p, "2"), |r| &mut r.commitments),
            (transaction_nets(p, "3"), |r| &mut r.disbursements),
            (transaction_nets(p, "4"), |r| &mut r.expenditure),
        ];
        for (by_currency, pick) in flows {
            for (currency, net) in by_currency {
                for ((key, _), part) in shares.iter().zip(allocate_signed(net, &weights)) {
                    let row = rows.entry((key.clone(), currency)).or_default();
                    if !row.projects.contains(&i) {
                        row.projects.push(i);
                        if split {
                            row.shared.push(i);
                        }
                    }
                    *pick(row) += part;
                }
            }
        }
    }
    let clamp = |v: i128| i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX });
    let count = |v: &Vec<usize>| u32::try_from(v.len()).unwrap_or(u32::MAX);
    let mut out: Vec<FundingRecord> = rows
        .into_iter()
        .map(|((key, currency), r)| FundingRecord {
            by,
            key,
            currency,
            projects: count(&r.projects),
            shared: count(&r.shared),
            eu_contribution: Amount(u64::try_from(r.eu).unwrap_or(u64::MAX)),
            eu_contribution_projects: r.eu_projects,
            total_cost: Amount(u64::try_from(r.total).unwrap_or(u64::MAX)),
            total_cost_projects: r.total_projects,
            budget: clamp(r.budget),
            commitments: clamp(r.commitments),
            disbursements: clamp(r.disbursements),
            expenditure: clamp(r.expenditure),
        })
        .collect();
    out.sort_by(|a, b| {
        (a.key.is_none(), &a.key, a.currency).cmp(&(b.key.is_none(), &b.key, b.currency))
    });
    out
}

/// Whether a project's lead organisation is local to the project's recipient countries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Locality {
    /// Based in a recipient country.
    Local,
    /// Based elsewhere.
    Foreign,
    /// Not known.
    Unknown,
}

/// How the locality of a lead was told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocalityBasis {
    /// From the country where the lead is based.
    Country,
    /// From the lead's IATI organisation type (`24` partner-country NGO and `72` private sector
    /// in the recipient country are local; `21` international NGO, `40` multilateral, `71` and
    /// `73` private sector in a provider or third country are not).
    OrgType,
    /// Neither tells: no lead, no country, and no organisation type that decides.
    Unknown,
}

/// The lead of one project and whether it is local, as a flat record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectLead {
    /// The project's id.
    pub project: String,
    /// The lead organisation's name, if the project has a lead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
    /// Where the lead is based, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_country: Option<String>,
    /// Local, foreign or unknown.
    pub locality: Locality,
    /// How that was told.
    pub basis: LocalityBasis,
}

/// The share of projects led by a local organisation, for one recipient country or for all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalLeadShare {
    /// The recipient country (absent: every project, each once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// How many projects.
    pub projects: u32,
    /// How many with a local lead.
    pub local: u32,
    /// How many with a lead from elsewhere.
    pub foreign: u32,
    /// How many whose lead's locality is unknown.
    pub unknown: u32,
    /// `local` as a percentage of the projects whose locality is known (two decimals, rounded
    /// down); absent when none is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_share: Option<String>,
}

fn locality(p: &Project, lead: &Participant) -> (Locality, LocalityBasis) {
    if let Some(c) = &lead.country {
        if p.recipient_countries.is_empty() {
            return (Locality::Unknown, LocalityBasis::Unknown);
        }
        let local = p.recipient_countries.iter().any(|r| &r.country == c);
        return (
            if local {
                Locality::Local
            } else {
                Locality::Foreign
            },
            LocalityBasis::Country,
        );
    }
    let types = &lead.org_types;
    if !types.is_empty() && types.iter().all(|t| t == "24" || t == "72") {
        (Locality::Local, LocalityBasis::OrgType)
    } else if !types.is_empty()
        && types
            .iter()
            .all(|t| matches!(t.as_str(), "21" | "40" | "71" | "73"))
    {
        (Locality::Foreign, LocalityBasis::OrgType)
    } else {
        (Locality::Unknown, LocalityBasis::Unknown)
    }
}

/// The lead of each project (the participant marked lead, else the only implementing one) and
/// whether it is local to the project's recipient countries.
pub fn project_leads(projects: &[Project]) -> Vec<ProjectLead> {
    projects
        .iter()
        .map(|p| match p.lead() {
            None => ProjectLead {
                project: p.id.clone(),
                lead: None,
                lead_country: None,
                locality: Locality::Unknown,
                basis: LocalityBasis::Unknown,
            },
            Some(lead) => {
                let (locality, basis) = locality(p, lead);
                ProjectLead {
                    project: p.id.clone(),
                    lead: lead.display_name().map(str::to_string),
                    lead_country: lead.country.clone(),
                    locality,
                    basis,
                }
            }
        })
        .collect()
}

/// The share of projects with a local lead: one row per recipient country (a project of several
/// countries counts in each), sorted by country, then one row for all projects.
pub fn local_leads(projects: &[Project]) -> Vec<LocalLeadShare> {
    let leads = project_leads(projects);
    let mut rows: Vec<LocalLeadShare> = Vec::new();
    let mut all = LocalLeadShare {
        country: None,
        projects: 0,
        local: 0,
        foreign: 0,
        unknown: 0,
        local_share: None,
    };
    let tally = |row: &mut LocalLeadShare, locality: Locality| {
        row.projects += 1;
        match locality {
            Locality::Local => row.local += 1,
            Locality::Foreign => row.foreign += 1,
            Locality::Unknown => row.unknown += 1,
        }
    };
    for (p, lead) in projects.iter().zip(&leads) {
        tally(&mut all, lead.locality);
        let mut seen: Vec<&str> = Vec::new();
        for c in &p.recipient_countries {
            if seen.contains(&c.country.as_str()) {
                continue;
            }
            seen.push(&c.country);
            let index = match rows
                .iter()
                .position(|r| r.country.as_deref() == Some(c.country.as_str()))
            {
                Some(i) => i,
                None => {
                    rows.push(LocalLeadShare {
                        country: Some(c.country.clone()),
                        projects: 0,
                        local: 0,
                        foreign: 0,
                        unknown: 0,
                        local_share: None,
                    });
                    rows.len() - 1
                }
            };
            if let Some(row) = rows.get_mut(index) {
                tally(row, lead.locality);
            }
        }
    }
    rows.sort_by(|a, b| a.country.cmp(&b.country));
    rows.push(all);
    for row in &mut rows {
        row.local_share = share_text(
            u64::from(row.local),
            u64::from(row.local) + u64::from(row.foreign),
        );
    }
    rows
}

/// A project that started within some months after a dialogue round in one of its recipient
/// countries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectAfterRound {
    /// The project's id.
    pub project: String,
    /// The country of the round (a recipient country of the project).
    pub country: String,
    /// The round's id.
    pub round: String,
    /// The round's number, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round_number: Option<u32>,
    /// The round's date as the sources give it (EDTF; alternatives joined by ` or `).
    pub round_date: String,
    /// The project's start as its source gives it (EDTF).
    pub start: String,
    /// The fewest whole months from the round to the start that the dates allow.
    pub months_min: u32,
    /// The most whole months from the round to the start that the dates allow.
    pub months_max: u32,
    /// True when the start certainly falls after the round and within the months asked; false
    /// when the dates only allow it.
    pub certain: bool,
}

/// Whole months from `a` to `b` (0 when `b` is not after `a`).
fn months_between(a: NaiveDate, b: NaiveDate) -> u32 {
    if b <= a {
        return 0;
    }
    let mut months = (b.year() - a.year()) * 12 + i32::try_from(b.month()).unwrap_or(0)
        - i32::try_from(a.month()).unwrap_or(0);
    if b.day() < a.day() {
        months -= 1;
    }
    u32::try_from(months.max(0)).unwrap_or(0)
}

/// The projects that started within `months` months after a round of the dialogue with one of
/// their recipient countries, with whether the dates make it certain or only possible; in project
/// order, then by round date.
pub fn after_rounds(data: &Dataset, projects: &[Project], months: u32) -> Vec<ProjectAfterRound> {
    let country_of: HashMap<&str, &str> = data
        .dialogues()
        .iter()
        .map(|d| (d.id.as_str(), d.country.as_str()))
        .collect();
    let mut out = Vec::new();
    for p in projects {
        let Some(start) = p.start() else { continue };
        let s = start.bounds();
        let mut rows: Vec<(NaiveDate, ProjectAfterRound)> = Vec::new();
        for r in data.rounds() {
            let Some(country) = country_of.get(r.dialogue.as_str()) else {
                continue;
            };
            if !p.recipient_countries.iter().any(|c| c.country == *country) {
                continue;
            }
            let b = r.date.bounds();
            let window = |d: NaiveDate| d.checked_add_months(Months::new(months));
            let (Some(end_early), Some(end_late)) = (window(b.earliest), window(b.latest)) else {
                continue;
            };
            let possible = s.latest > b.earliest && s.earliest <= end_late;
            if !possible {
                continue;
            }
            let certain = s.earliest > b.latest && s.latest <= end_early;
            rows.push((
                b.earliest,
                ProjectAfterRound {
                    project: p.id.clone(),
                    country: (*country).to_string(),
                    round: r.id.clone(),
                    round_number: r.number,
                    round_date: r.date.display(),
                    start: start.to_string(),
                    months_min: months_between(b.latest, s.earliest),
                    months_max: months_between(b.earliest, s.latest),
                    certain,
                },
            ));
        }
        rows.sort_by_key(|(d, _)| *d);
        out.extend(rows.into_iter().map(|(_, r)| r));
    }
    out
}

impl Dataset {
    /// Funding of the dataset's projects grouped `by` a key (see [`funding`]).
    pub fn funding(&self, by: FundingBy) -> Vec<FundingRecord> {
        funding(self.projects(), by)
    }

    /// The lead of each of the dataset's projects and whether it is local (see
    /// [`project_leads`]).
    pub fn project_leads(&self) -> Vec<ProjectLead> {
        project_leads(self.projects())
    }

    /// The share of the dataset's projects with a local lead (see [`local_leads`]).
    pub fn local_leads(&self) -> Vec<LocalLeadShare> {
        local_leads(self.projects())
    }

    /// The dataset's projects that started within `months` months after a dialogue round in the
    /// same country (see [`after_rounds`]).
    pub fn projects_after_rounds(&self, months: u32) -> Vec<ProjectAfterRound> {
        after_rounds(self, self.projects(), months)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn shares_split_by_percentages_or_join_keys() {
        assert_eq!(shares(vec![]), vec![(None, WHOLE)]);
        assert_eq!(
            shares(vec![("KZ".into(), None)]),
            vec![(Some("KZ".into()), WHOLE)]
        );
        assert_eq!(
            shares(vec![("TJ".into(), None), ("KZ".into(), None)]),
            vec![(Some("KZ+TJ".into()), WHOLE)]
        );
        assert_eq!(
            shares(vec![
                ("KZ".into(), Some(600_000)),
                ("TJ".into(), Some(300_000))
            ]),
            vec![
                (Some("KZ".into()), 600_000),
                (Some("TJ".into()), 300_000),
                (None, 100_000)
            ]
        );
    }

    #[test]
    fn allocation_is_exact() {
        assert_eq!(allocate(100, &[1, 1, 1]), vec![34, 33, 33]);
        assert_eq!(allocate_signed(-100, &[1, 1, 1]), vec![-34, -33, -33]);
        assert_eq!(allocate(0, &[1, 2]), vec![0, 0]);
    }

    #[test]
    fn months_between_counts_whole_months() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(months_between(d("2019-06-24"), d("2019-09-24")), 3);
        assert_eq!(months_between(d("2019-06-24"), d("2019-09-23")), 2);
        assert_eq!(months_between(d("2019-06-24"), d("2019-06-01")), 0);
    }

    proptest! {
        #[test]
        fn parts_add_up_to_the_whole(amount in 0u128..1_000_000_000_000, weights in proptest::collection::vec(1u64..1_000_000, 1..6)) {
            let parts = allocate(amount, &weights);
            prop_assert_eq!(parts.iter().sum::<u128>(), amount);
        }
    }
}
