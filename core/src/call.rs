//! A compiled call: a rule set with its `extends` chain resolved and flattened, ready to evaluate
//! many applications. Parse and compile once, evaluate many times.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::dataset::{Dataset, parse_document, read_record};
use crate::error::{Code, DatasetError, Problem};
use crate::instant::{self, Instant};
use crate::model::{CodeStatus, Source};
use crate::money::Currency;
use crate::rules::{AsOf, Criterion, RuleSet, RuleSetKind, RuleValidity, Stage, Test};

/// A rule set's id and version: what a decision records so that it can be reproduced.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RuleSetRef {
    /// The rule set's id.
    pub id: String,
    /// Its version.
    pub version: String,
}

/// A criterion of a compiled call, with the rule set it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallCriterion {
    /// The criterion.
    #[serde(flatten)]
    pub criterion: Criterion,
    /// The id of the rule set that defined it (or last replaced it).
    pub origin: String,
}

/// A deadline resolved to instants: exact, or a window when only its day is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Deadline {
    /// A known instant.
    Exact(Instant),
    /// Only the day is known: the deadline lies between these instants.
    Day {
        day: NaiveDate,
        earliest: DateTime<Utc>,
        latest: DateTime<Utc>,
    },
}

impl Deadline {
    /// The calendar day of the deadline (in its own zone or offset).
    pub(crate) fn day(&self) -> NaiveDate {
        match self {
            Deadline::Exact(i) => i.local_date(),
            Deadline::Day { day, .. } => *day,
        }
    }

    pub(crate) fn describe(&self) -> String {
        match self {
            Deadline::Exact(i) => i.to_string(),
            Deadline::Day { day, .. } => format!("{day} (time of day not in the sources)"),
        }
    }
}

/// The code of an instant that cannot be read.
fn instant_code(e: &instant::InstantError) -> Code {
    match e {
        instant::InstantError::Naive(_) => Code::NaiveDatetime,
        instant::InstantError::UnknownZone(_) => Code::UnknownTimeZone,
        _ => Code::InvalidInstant,
    }
}

/// Resolves a deadline test to instants; an error names the field, its code and the message.
pub(crate) fn resolve_deadline(
    test: &crate::rules::DeadlineTest,
) -> Result<Deadline, (String, Code, String)> {
    let fail = |field: &str, e: instant::InstantError| {
        (field.to_string(), instant_code(&e), e.to_string())
    };
    match (&test.at, &test.zone, &test.date) {
        (Some(at), Some(zone), None) => {
            let tz = instant::zone(zone).map_err(|e| fail("zone", e))?;
            let local = instant::layout::local(at, instant::layout::SECOND)
                .or_else(|| instant::layout::local(at, instant::layout::MINUTE))
                .ok_or_else(|| {
                    (
                        "at".to_string(),
                        Code::InvalidInstant,
                        format!("invalid local time `{at}`: expected `2020-09-04T13:30:00` with a `zone`"),
                    )
                })?;
            instant::in_zone(local, tz)
                .map(Deadline::Exact)
                .map_err(|e| fail("at", e))
        }
        (Some(at), None, None) => Instant::parse(at)
            .map(Deadline::Exact)
            .map_err(|e| fail("at", e)),
        (None, None, Some(day)) => {
            let (earliest, latest) = instant::day_bounds_anywhere(*day);
            Ok(Deadline::Day {
                day: *day,
                earliest,
                latest,
            })
        }
        (None, Some(zone), Some(day)) => {
            let tz = instant::zone(zone).map_err(|e| fail("zone", e))?;
            let start = day.and_hms_opt(0, 0, 0).unwrap_or_default();
            let end = day
                .succ_opt()
                .unwrap_or(*day)
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default();
            let earliest = instant::in_zone(start, tz).map_err(|e| fail("date", e))?;
            let latest = instant::in_zone(end, tz).map_err(|e| fail("date", e))?;
            Ok(Deadline::Day {
                day: *day,
                earliest: earliest.utc(),
                latest: latest.utc(),
            })
        }
        _ => Err((
            String::new(),
            Code::InvalidValue,
            "a deadline is `at` (an instant, or a local time with `zone`), or a `date` (optionally with `zone`) when the time is not known".to_string(),
        )),
    }
}

/// A call (or an instrument's rule set) compiled for evaluation.
#[derive(Debug, PartialEq)]
pub struct Call {
    pub(crate) rule_set: RuleSet,
    pub(crate) chain: Vec<RuleSetRef>,
    pub(crate) criteria: Vec<CallCriterion>,
    pub(crate) validity: Option<RuleValidity>,
    /// The rule set the validity comes from (the call's own, or the instrument whose start bounds
    /// it), and its sources: what the `in_force` check cites.
    pub(crate) validity_origin: Option<(String, Vec<Source>)>,
    pub(crate) currency: Currency,
    pub(crate) stages: Vec<Stage>,
    pub(crate) notes: Vec<String>,
    pub(crate) deadline: Option<Deadline>,
    /// Withdrawn DAC sector codes and their successors (from the dataset's sector table).
    pub(crate) sector_successors: Successors,
    /// What evaluation would otherwise work out again for every application.
    pub(crate) prepared: Prepared,
}

/// Parts of a call resolved once, when it is compiled, instead of for every application: the
/// deadline tests as instants, the deadline's calendar day, and the cost limits when they do not
/// depend on the application.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Prepared {
    /// Every `deadline` and `opens` test of the call, resolved.
    pub(crate) deadlines: Vec<(crate::rules::DeadlineTest, Deadline)>,
    /// The same, found by the address of each test in the call's own criteria.
    pub(crate) deadline_slots: DeadlineSlots,
    /// The calendar day of the deadline (in its own zone or offset).
    pub(crate) deadline_day: Option<NaiveDate>,
    /// The cost limits for each stage (no stage, concept note, full application), when no
    /// conditional criterion sets one.
    pub(crate) limits: Option<[crate::eval::Limits; 3]>,
    /// Whether a `sectors` test names a withdrawn code (read as its successor).
    pub(crate) names_withdrawn_sector: bool,
    /// The cost categories an `ineligible_costs` criterion names (outside `any` and `not`): lines
    /// of these are not direct eligible costs.
    pub(crate) ineligible: Vec<String>,
    /// The ids a batch row can list, shared by the batch columns of failed and undetermined
    /// criteria: `in_force` (the call is not in force), then each criterion's id, in order.
    pub(crate) batch_ids: std::sync::Arc<Vec<String>>,
    /// Each criterion's requirement in words, in order: what every check of a full decision
    /// states, written once (a tenth of a decision's time when it was written for each).
    pub(crate) requirements: Vec<String>,
}

/// The resolved deadline of each `deadline` and `opens` test in a call's own criteria, by the
/// test's address: a batch asks for the deadline of the same test for every application, and
/// finding it by comparing the test's texts with each resolved one was 2.8 % of a batch's time
/// (`perf record` of `batch_1m/one_core`).
///
/// Sound because a call's criteria are never changed once it is compiled and live as long as it
/// does: while the call is borrowed, the test at one of these addresses is that very test. A
/// clone of these slots alone is empty (they would name the original's tests); [`Call`]'s
/// `Clone` makes them again for the clone's criteria. They are left out of comparisons, being
/// made from the criteria, which are compared.
#[derive(Default)]
pub(crate) struct DeadlineSlots(Vec<(usize, Deadline)>);

/// The number of slots only: addresses differ from run to run.
impl std::fmt::Debug for DeadlineSlots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DeadlineSlots({} tests)", self.0.len())
    }
}

impl DeadlineSlots {
    /// The slots of the tests in `criteria`, each with its deadline in `deadlines`.
    fn of(
        criteria: &[CallCriterion],
        deadlines: &[(crate::rules::DeadlineTest, Deadline)],
    ) -> DeadlineSlots {
        let mut tests = Vec::new();
        for c in criteria {
            deadline_tests(&c.criterion.test, &mut tests);
        }
        DeadlineSlots(
            tests
                .into_iter()
                .filter_map(|t| {
                    let (_, d) = deadlines.iter().find(|(x, _)| x == t)?;
                    Some((std::ptr::from_ref(t).addr(), *d))
                })
                .collect(),
        )
    }
}

impl Clone for DeadlineSlots {
    fn clone(&self) -> DeadlineSlots {
        DeadlineSlots::default()
    }
}

impl PartialEq for DeadlineSlots {
    fn eq(&self, _: &DeadlineSlots) -> bool {
        true
    }
}

impl Clone for Call {
    fn clone(&self) -> Call {
        let Call {
            rule_set,
            chain,
            criteria,
            validity,
            validity_origin,
            currency,
            stages,
            notes,
            deadline,
            sector_successors,
            prepared,
        } = self;
        let mut call = Call {
            rule_set: rule_set.clone(),
            chain: chain.clone(),
            criteria: criteria.clone(),
            validity: validity.clone(),
            validity_origin: validity_origin.clone(),
            currency: *currency,
            stages: stages.clone(),
            notes: notes.clone(),
            deadline: *deadline,
            sector_successors: sector_successors.clone(),
            prepared: prepared.clone(),
        };
        call.prepared.deadline_slots = DeadlineSlots::of(&call.criteria, &call.prepared.deadlines);
        call
    }
}

impl Call {
    /// A deadline test of this call, resolved when the call was compiled (resolved now otherwise).
    pub(crate) fn resolved_deadline(&self, test: &crate::rules::DeadlineTest) -> Option<Deadline> {
        let address = std::ptr::from_ref(test).addr();
        if let Some((_, d)) = self
            .prepared
            .deadline_slots
            .0
            .iter()
            .find(|(a, _)| *a == address)
        {
            // What the comparison of texts would find: it would not, were the call's criteria
            // ever changed after the slots were made.
            debug_assert!(
                self.prepared
                    .deadlines
                    .iter()
                    .any(|(t, found)| t == test && found == d),
                "a deadline slot names another test"
            );
            return Some(*d);
        }
        self.prepared
            .deadlines
            .iter()
            .find(|(t, _)| t == test)
            .map(|(_, d)| *d)
            .or_else(|| resolve_deadline(test).ok())
    }

    /// The withdrawn DAC sector code's successor, or the code itself.
    pub(crate) fn current_sector<'a>(&'a self, code: &'a str) -> &'a str {
        self.sector_successors.successor(code).unwrap_or(code)
    }

    /// Whether a DAC sector code is withdrawn.
    pub(crate) fn is_withdrawn_sector(&self, code: &str) -> bool {
        self.sector_successors.successor(code).is_some()
    }
}

/// Withdrawn codes and their successors, looked up by binary search on a number made of each
/// code's first eight bytes: every sector of every application is looked up here, and with a
/// scan of the 20 withdrawn DAC codes that have a successor, all of five digits like most of the
/// codes looked up, the sector test took a seventh of the instructions of evaluating an
/// application (`scripts/instructions`). Most codes looked up are not withdrawn: a filter of 256
/// bits, one set for each withdrawn code's key, turns most of them away before the search.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Successors {
    /// Bit `slot(key)` set for the key of each code of `pairs` (a code whose bit is clear is not
    /// withdrawn; one whose bit is set may be).
    filter: [u64; 4],
    /// `key` of each code of `pairs`, in the same order, ascending.
    keys: Vec<u64>,
    /// (withdrawn code, successor), ordered by the key of the code, then the code; no code twice.
    pairs: Vec<(String, String)>,
}

impl Successors {
    pub(crate) fn new(mut pairs: Vec<(String, String)>) -> Successors {
        pairs.sort_by(|a, b| (key(&a.0), &a.0, &a.1).cmp(&(key(&b.0), &b.0, &b.1)));
        pairs.dedup_by(|a, b| a.0 == b.0);
        let keys: Vec<u64> = pairs.iter().map(|(code, _)| key(code)).collect();
        let mut filter = [0u64; 4];
        for k in &keys {
            let (word, bit) = slot(*k);
            if let Some(w) = filter.get_mut(word) {
                *w |= 1 << bit;
            }
        }
        Successors {
            filter,
            keys,
            pairs,
        }
    }

    /// The successor of a withdrawn code (`None` for a code that is not withdrawn).
    pub(crate) fn successor(&self, code: &str) -> Option<&str> {
        let k = key(code);
        let (word, bit) = slot(k);
        if self.filter.get(word).is_none_or(|w| w >> bit & 1 == 0) {
            return None;
        }
        let first = self.keys.partition_point(|x| *x < k);
        // Codes that share their first eight bytes (or differ only by trailing NUL bytes) share a
        // key: those of the key are compared whole.
        let same_key = self.keys.get(first..)?.iter().take_while(|x| **x == k);
        same_key
            .zip(self.pairs.get(first..)?)
            .find(|(_, (c, _))| crate::eval::same(c, code))
            .map(|(_, (_, successor))| successor.as_str())
    }

    /// Whether a code is withdrawn.
    pub(crate) fn withdrawn(&self, code: &str) -> bool {
        self.successor(code).is_some()
    }
}

/// The first eight bytes of a code as a number that orders as they do (big-endian, padded with
/// zeros).
fn key(code: &str) -> u64 {
    let mut word = [0u8; 8];
    for (w, b) in word.iter_mut().zip(code.as_bytes()) {
        *w = *b;
    }
    u64::from_be_bytes(word)
}

/// Where a key's bit lies in [`Successors`]'s filter: a word and a bit of it, from the top eight
/// bits of the key multiplied by an odd constant (every byte of the key moves them).
fn slot(key: u64) -> (usize, u32) {
    let h = key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56;
    // h < 256: the word is 0..=3, the bit 0..=63.
    (
        usize::try_from(h >> 6).unwrap_or(0),
        u32::try_from(h & 63).unwrap_or(0),
    )
}

/// Whether a `sectors` test of a test tree names a code for which `names` holds.
fn sector_tests_name(test: &Test, names: &dyn Fn(&[String]) -> bool) -> bool {
    match test {
        Test::Sectors(s) => names(&s.any_of) || names(&s.none_of),
        _ => {
            let mut names_one = false;
            test.each_child(&mut |t| names_one = names_one || sector_tests_name(t, names));
            names_one
        }
    }
}

/// Every deadline and opening test of a test tree.
fn deadline_tests<'a>(test: &'a Test, out: &mut Vec<&'a crate::rules::DeadlineTest>) {
    match test {
        Test::Deadline(d) | Test::Opens(d) => out.push(d),
        _ => test.each_child(&mut |t| deadline_tests(t, out)),
    }
}

impl Call {
    /// Reads and compiles a rule set, resolving `extends` against the embedded dataset.
    ///
    /// # Errors
    /// A [`DatasetError`] with every problem and its JSON path: the document's own (unknown
    /// fields, wrong types, invalid values), an `extends` that names no rule set, a cycle of
    /// `extends`, an override or removal of a criterion that is not inherited
    /// (`unknown_criterion`), two overrides of one criterion (`conflicting_override`), a
    /// deadline that cannot be resolved.
    pub fn from_json(text: &str) -> Result<Call, DatasetError> {
        let data = Dataset::embedded()?;
        Call::from_json_with(text, &data)
    }

    /// Reads and compiles a rule set, resolving `extends` against a given dataset.
    ///
    /// # Errors
    /// As [`Call::from_json`].
    pub fn from_json_with(text: &str, data: &Dataset) -> Result<Call, DatasetError> {
        let value = parse_document(text)?;
        Call::from_value_with(&value, data)
    }

    /// Reads and compiles a rule set from a parsed JSON value.
    ///
    /// # Errors
    /// As [`Call::from_json`].
    pub fn from_value_with(value: &Value, data: &Dataset) -> Result<Call, DatasetError> {
        if let Some(depth) = crate::dataset::value_depth_exceeding(value, crate::dataset::MAX_DEPTH)
        {
            let path = crate::limits::deep_value_path(value);
            return Err(crate::dataset::too_deep(&path, depth));
        }
        let rule_set = read_rule_set(value, "")?;
        compile(&rule_set, data, "")
    }

    /// The rule set's id.
    pub fn id(&self) -> &str {
        &self.rule_set.id
    }

    /// The rule set's id and version.
    pub fn rule_set_ref(&self) -> RuleSetRef {
        RuleSetRef {
            id: self.rule_set.id.clone(),
            version: self.rule_set.version.clone(),
        }
    }

    /// The rule set as written (before flattening).
    pub fn rule_set(&self) -> &RuleSet {
        &self.rule_set
    }

    /// The chain of rule sets it was compiled from, the root instrument first.
    pub fn chain(&self) -> &[RuleSetRef] {
        &self.chain
    }

    /// Every criterion, flattened, each with the rule set it came from.
    pub fn criteria(&self) -> &[CallCriterion] {
        &self.criteria
    }

    /// Its title.
    pub fn title(&self) -> &str {
        &self.rule_set.title
    }

    /// The period in which the rules govern decisions: the rule set's own validity; without one,
    /// a lot's call's validity, or, for a call, its instrument's start with no end (calls
    /// financed under a regulation run past its last year).
    pub fn validity(&self) -> Option<&RuleValidity> {
        self.validity.as_ref()
    }

    /// The currency of its amounts.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// Whether this is the common part of a call with lots (one applies to a lot, not to it).
    pub fn is_common_part(&self) -> bool {
        self.rule_set.common_part
    }

    /// The calendar day of the call's deadline, in the deadline's own zone or offset (absent when
    /// the call has no `deadline` criterion).
    pub fn deadline_day(&self) -> Option<NaiveDate> {
        self.prepared.deadline_day
    }

    /// Whether one may still apply on `day`: the rules are in force and the deadline's day (in its
    /// own zone) is not past. A call without a deadline is open while its rules are in force.
    pub fn open_on(&self, day: NaiveDate) -> bool {
        self.in_force_on(day) && self.deadline_day().is_none_or(|d| day <= d)
    }

    /// Stages of a restricted call.
    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }

    /// Notes of every rule set of the chain: parameters the sources do not give, and were left out.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The sources of the rule set.
    pub fn sources(&self) -> &[Source] {
        &self.rule_set.sources
    }

    /// The rule set as JSON (the document as written, not flattened).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.rule_set).unwrap_or_default()
    }

    /// The flattened call as JSON: every criterion with its origin.
    pub fn to_flat_json(&self) -> String {
        let flat = serde_json::json!({
            "id": self.rule_set.id,
            "version": self.rule_set.version,
            "title": self.rule_set.title,
            "chain": self.chain,
            "validity": self.validity,
            "currency": self.currency,
            "stages": self.stages,
            "criteria": self.criteria,
            "notes": self.notes,
        });
        serde_json::to_string_pretty(&flat).unwrap_or_default()
    }

    /// Whether the rules are in force on a day (true when no validity is known).
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        self.validity.as_ref().is_none_or(|v| {
            v.from.earliest() <= day && v.to.as_ref().is_none_or(|t| day <= t.latest())
        })
    }
}

/// Reads a rule set document, collecting every problem.
pub(crate) fn read_rule_set(value: &Value, path: &str) -> Result<RuleSet, DatasetError> {
    let mut problems = Vec::new();
    match read_record::<RuleSet>(value, path, &mut problems) {
        Some(r) if problems.is_empty() => Ok(r),
        _ => Err(DatasetError::new(problems)),
    }
}

fn at(path: &str, rest: &str) -> String {
    crate::dataset::join_path(path, rest)
}

/// Compiles a rule set against the rule sets of a dataset; `path` prefixes problem paths.
pub(crate) fn compile(
    rule_set: &RuleSet,
    data: &Dataset,
    path: &str,
) -> Result<Call, DatasetError> {
    compile_in(rule_set, &registry(data), data, path)
}

/// The rule sets of a dataset by id (to compile many rule sets against one dataset).
pub(crate) fn registry(data: &Dataset) -> HashMap<&str, &RuleSet> {
    data.rule_sets()
        .iter()
        .map(|r| (r.id.as_str(), r))
        .collect()
}

/// As [`compile`], with the dataset's rule sets already by id.
pub(crate) fn compile_in(
    rule_set: &RuleSet,
    registry: &HashMap<&str, &RuleSet>,
    data: &Dataset,
    path: &str,
) -> Result<Call, DatasetError> {
    // Limits first: what follows is quadratic in the number of criteria.
    let mut problems = crate::limits::rule_set_problems(rule_set, path);
    if !problems.is_empty() {
        return Err(DatasetError::new(problems));
    }
    let mut code_problems = crate::codes::rule_set_problems(rule_set, path);
    for (list, criteria) in [
        ("criteria", &rule_set.criteria),
        ("replace", &rule_set.replace),
    ] {
        for (j, c) in criteria.iter().enumerate() {
            if c.citation.source.title.trim().is_empty() {
                code_problems.push(Problem::new(
                    Code::InvalidSource,
                    at(path, &format!("{list}[{j}].citation.source.title")),
                    format!("criterion `{}` cites a source without a title", c.id),
                ));
            }
        }
    }
    // The chain, leaf first.
    let mut chain: Vec<&RuleSet> = vec![rule_set];
    let mut seen: HashSet<&str> = HashSet::from([rule_set.id.as_str()]);
    let mut current = rule_set;
    while let Some(parent) = &current.extends {
        match registry.get(parent.as_str()) {
            Some(p) => {
                if !seen.insert(p.id.as_str()) {
                    problems.push(Problem::new(
                        Code::CircularExtends,
                        at(path, "extends"),
                        format!("`extends` makes a cycle through `{}`", p.id),
                    ));
                    break;
                }
                if chain.len() >= crate::limits::MAX_EXTENDS {
                    problems.push(crate::limits::extends_problem(path));
                    break;
                }
                chain.push(p);
                current = p;
            }
            None => {
                let where_ = if std::ptr::eq(current, rule_set) {
                    at(path, "extends")
                } else {
                    format!("{} (in rule set `{}`)", at(path, "extends"), current.id)
                };
                problems.push(Problem::new(
                    Code::UnresolvedReference,
                    where_,
                    format!("`{parent}` is not the id of any rule set"),
                ));
                break;
            }
        }
    }
    chain.reverse();
    // With the chain broken, what a call overrides cannot be checked: saying that every override
    // names an unknown criterion would only repeat the problem with `extends`. (A bad country or
    // currency code does not break the chain: the overrides are still checked, and every
    // problem reported.)
    let broken = !problems.is_empty();
    problems.append(&mut code_problems);
    let mut criteria: Vec<CallCriterion> = Vec::new();
    let mut notes = Vec::new();
    let mut validity = None;
    let mut validity_origin = None;
    let mut inherited = None;
    let mut currency = Currency::EUR;
    let mut stages = Vec::new();
    for (level, rs) in chain.iter().enumerate() {
        let own = std::ptr::eq(*rs, rule_set);
        let here = |rest: &str| {
            if own {
                at(path, rest)
            } else {
                format!("{} (in rule set `{}`)", at(path, rest), rs.id)
            }
        };
        let mut touched: HashMap<&str, String> = HashMap::new();
        for (i, removal) in rs.remove.iter().enumerate() {
            let p = here(&format!("remove[{i}].id"));
            if let Some(first) = touched.insert(&removal.id, p.clone()) {
                problems.push(Problem::new(
                    Code::ConflictingOverride,
                    p,
                    format!(
                        "criterion `{}` is overridden twice (also at `{first}`)",
                        removal.id
                    ),
                ));
                continue;
            }
            match criteria.iter().position(|c| c.criterion.id == removal.id) {
                Some(k) => {
                    criteria.remove(k);
                }
                None if broken => {}
                None => problems.push(Problem::new(
                    Code::UnknownCriterion,
                    p,
                    format!(
                        "cannot remove `{}`: no inherited criterion has this id",
                        removal.id
                    ),
                )),
            }
        }
        for (i, replacement) in rs.replace.iter().enumerate() {
            let p = here(&format!("replace[{i}].id"));
            if let Some(first) = touched.insert(&replacement.id, p.clone()) {
                problems.push(Problem::new(
                    Code::ConflictingOverride,
                    p,
                    format!(
                        "criterion `{}` is overridden twice (also at `{first}`)",
                        replacement.id
                    ),
                ));
                continue;
            }
            match criteria
                .iter_mut()
                .find(|c| c.criterion.id == replacement.id)
            {
                Some(c) => {
                    *c = CallCriterion {
                        criterion: replacement.clone(),
                        origin: rs.id.clone(),
                    }
                }
                None if broken => {}
                None => problems.push(Problem::new(
                    Code::UnknownCriterion,
                    p,
                    format!(
                        "cannot replace `{}`: no inherited criterion has this id{}",
                        replacement.id,
                        if level == 0 {
                            " (an instrument has nothing to replace)"
                        } else {
                            ""
                        }
                    ),
                )),
            }
        }
        for (i, c) in rs.criteria.iter().enumerate() {
            // A decision's checks are told apart by id, and this one is the validity check's.
            if c.id == "in_force" {
                problems.push(Problem::new(
                    Code::InvalidValue,
                    here(&format!("criteria[{i}].id")),
                    "`in_force` is the id of the check that the rules are in force: give the criterion another id",
                ));
                continue;
            }
            if criteria.iter().any(|x| x.criterion.id == c.id)
                || touched.contains_key(c.id.as_str())
            {
                problems.push(Problem::new(
                    Code::DuplicateId,
                    here(&format!("criteria[{i}].id")),
                    format!(
                        "criterion `{}` is already defined; use `replace` to change an inherited criterion",
                        c.id
                    ),
                ));
                continue;
            }
            criteria.push(CallCriterion {
                criterion: c.clone(),
                origin: rs.id.clone(),
            });
        }
        if let Some(p) = crate::limits::flattened_problem(criteria.len(), path) {
            problems.push(p);
            return Err(DatasetError::new(problems));
        }
        // A call's rules are bounded by its own validity. Without one, it takes the validity of
        // the nearest rule set of the chain that has one: a lot its call's, whole; a call its
        // instrument's start only, not its end, as calls financed under a regulation run past
        // its last year (an EIDHR 2014–2020 call could close in 2021).
        if own {
            match &rs.validity {
                Some(v) => {
                    validity = Some(v.clone());
                    validity_origin = Some((rs.id.clone(), rs.sources.clone()));
                }
                None => {
                    if let Some((v, origin)) = inherited.take() {
                        validity = Some(v);
                        validity_origin = Some(origin);
                    }
                }
            }
        } else if let Some(v) = &rs.validity {
            let v = match rs.kind {
                crate::rules::RuleSetKind::Call => v.clone(),
                crate::rules::RuleSetKind::Instrument => RuleValidity {
                    from: v.from.clone(),
                    to: None,
                },
            };
            inherited = Some((v, (rs.id.clone(), rs.sources.clone())));
        }
        if let Some(c) = rs.currency {
            currency = c;
        }
        if !rs.stages.is_empty() {
            stages = rs.stages.clone();
        }
        notes.extend(rs.notes.iter().map(|n| format!("{}: {n}", rs.id)));
    }
    if rule_set.kind == RuleSetKind::Call
        && rule_set.extends.is_none()
        && rule_set.criteria.is_empty()
    {
        problems.push(Problem::new(
            Code::InvalidValue,
            at(path, "criteria"),
            "a call needs criteria of its own or a rule set to extend",
        ));
    }
    // Check every test and find the deadline.
    let mut deadline = None;
    for c in &criteria {
        let own = c.origin == rule_set.id;
        let base = if own {
            let index = rule_set
                .criteria
                .iter()
                .position(|x| x.id == c.criterion.id)
                .map(|i| format!("criteria[{i}]"))
                .or_else(|| {
                    rule_set
                        .replace
                        .iter()
                        .position(|x| x.id == c.criterion.id)
                        .map(|i| format!("replace[{i}]"))
                })
                .unwrap_or_default();
            at(path, &index)
        } else {
            format!(
                "{} (criterion `{}` of `{}`)",
                at(path, ""),
                c.criterion.id,
                c.origin
            )
        };
        check_test(&c.criterion.test, &at(&base, "test"), &mut problems);
        if let Test::Deadline(d) = &c.criterion.test
            && let Ok(resolved) = resolve_deadline(d)
        {
            deadline = Some(resolved);
        }
        for (field, stage, role) in [
            ("stage", c.criterion.stage, "from"),
            ("until", c.criterion.until, "up to"),
        ] {
            if let Some(stage) = stage
                && !stages.contains(&stage)
            {
                problems.push(Problem::new(
                    Code::InvalidValue,
                    at(&base, field),
                    format!(
                        "criterion `{}` applies {role} stage `{}`, but the call has no such stage",
                        c.criterion.id,
                        stage_name(stage)
                    ),
                ));
            }
        }
        if let (Some(from), Some(to)) = (c.criterion.stage, c.criterion.until)
            && to < from
        {
            problems.push(Problem::new(
                Code::InvalidValue,
                at(&base, "until"),
                format!(
                    "criterion `{}` applies from stage `{}` up to the earlier stage `{}`",
                    c.criterion.id,
                    stage_name(from),
                    stage_name(to)
                ),
            ));
        }
    }
    let needs_deadline = criteria.iter().any(|c| uses_deadline(&c.criterion.test));
    if needs_deadline && deadline.is_none() {
        problems.push(Problem::new(
            Code::InvalidValue,
            at(path, "criteria"),
            "a criterion counts years to the deadline, but the call has no `deadline` criterion",
        ));
    }
    if !problems.is_empty() {
        return Err(DatasetError::new(problems));
    }
    let sector_successors = Successors::new(
        data.sectors()
            .iter()
            .filter(|s| s.status == CodeStatus::Withdrawn)
            .filter_map(|s| s.successor.clone().map(|n| (s.code.clone(), n)))
            .collect(),
    );
    let mut tests = Vec::new();
    for c in &criteria {
        deadline_tests(&c.criterion.test, &mut tests);
    }
    let mut deadlines: Vec<(crate::rules::DeadlineTest, Deadline)> = Vec::new();
    for t in tests {
        if let Ok(d) = resolve_deadline(t)
            && !deadlines.iter().any(|(x, _)| x == t)
        {
            deadlines.push((t.clone(), d));
        }
    }
    let prepared = Prepared {
        deadline_slots: DeadlineSlots::of(&criteria, &deadlines),
        deadlines,
        deadline_day: deadline.map(|d| d.day()),
        limits: crate::eval::static_limits(&criteria),
        names_withdrawn_sector: false,
        ineligible: crate::eval::ineligible_categories(&criteria),
        batch_ids: std::sync::Arc::new(
            std::iter::once("in_force".to_string())
                .chain(criteria.iter().map(|c| c.criterion.id.clone()))
                .collect(),
        ),
        requirements: criteria
            .iter()
            .map(|c| crate::eval::requirement(&c.criterion.test, currency))
            .collect(),
    };
    let mut prepared = prepared;
    let names = |list: &[String]| list.iter().any(|c| sector_successors.withdrawn(c));
    prepared.names_withdrawn_sector = criteria
        .iter()
        .any(|c| sector_tests_name(&c.criterion.test, &names));
    Ok(Call {
        rule_set: rule_set.clone(),
        chain: chain
            .iter()
            .map(|r| RuleSetRef {
                id: r.id.clone(),
                version: r.version.clone(),
            })
            .collect(),
        criteria,
        validity,
        validity_origin,
        currency,
        stages,
        notes,
        deadline,
        sector_successors,
        prepared,
    })
}

pub(crate) fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::ConceptNote => "concept_note",
        Stage::FullApplication => "full_application",
    }
}

fn uses_deadline(test: &Test) -> bool {
    match test {
        Test::Registered(t) => t.as_of == AsOf::Deadline,
        Test::TrackRecord(t) => t.as_of == AsOf::Deadline,
        _ => {
            let mut uses = false;
            test.each_child(&mut |t| uses = uses || uses_deadline(t));
            uses
        }
    }
}

/// Whether a test reads one organisation only (what `partners.meeting` may hold).
pub(crate) fn is_organisation_test(test: &Test) -> bool {
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
        | Test::NotExcluded(_) => true,
        Test::All(ts) | Test::Any(ts) => ts.iter().all(is_organisation_test),
        Test::Not(t) => is_organisation_test(t),
        Test::If(i) => {
            is_organisation_test(&i.when)
                && is_organisation_test(&i.then)
                && i.otherwise.as_deref().is_none_or(is_organisation_test)
        }
        _ => false,
    }
}

/// Checks what the types cannot: parameters that must be present, deadlines that must resolve.
fn check_test(test: &Test, path: &str, problems: &mut Vec<Problem>) {
    let mut bad = |rest: &str, message: String| {
        problems.push(Problem::new(Code::InvalidValue, at(path, rest), message));
    };
    match test {
        Test::EstablishedIn(t) => {
            if t.any_of.is_empty() && !t.eu_member_states && !t.any_country {
                bad(
                    "established_in",
                    "name countries in `any_of`, or set `eu_member_states` or `any_country`".into(),
                );
            }
            let lists = [("any_of", &t.any_of), ("none_of", &t.none_of)];
            for (key, list) in lists {
                for (i, c) in list.iter().enumerate() {
                    if let Some(message) = crate::codes::country_problem(c) {
                        bad(&format!("established_in.{key}[{i}]"), message);
                    }
                }
            }
        }
        Test::LegalForm(t) if t.any_of.is_empty() => {
            bad("legal_form.any_of", "name at least one legal form".into());
        }
        Test::OrgType(t) if t.any_of.is_empty() => {
            bad(
                "org_type.any_of",
                "name at least one organisation type".into(),
            );
        }
        Test::OrgType(t) => {
            for (i, c) in t.any_of.iter().enumerate() {
                if let Some(message) = crate::codes::organisation_type_problem(c.as_str()) {
                    bad(&format!("org_type.any_of[{i}]"), message);
                }
            }
        }
        Test::Category(t) if t.any_of.is_empty() && t.none_of.is_empty() => {
            bad("category", "give `any_of` or `none_of`".into());
        }
        Test::Duration(t) => {
            if t.min_months.is_none() && t.max_months.is_none() {
                bad("duration", "give `min_months` or `max_months`".into());
            }
            if let (Some(a), Some(b)) = (t.min_months, t.max_months)
                && a > b
            {
                bad(
                    "duration.min_months",
                    format!("the minimum {a} exceeds the maximum {b}"),
                );
            }
        }
        Test::Requested(t) => {
            if t.min.is_none() && t.max.is_none() {
                bad("requested", "give `min` or `max`".into());
            }
            if let (Some(a), Some(b)) = (t.min, t.max)
                && a > b
            {
                bad("requested.min", "the minimum exceeds the maximum".into());
            }
        }
        Test::EuShare(t) if t.max_percent.is_none() && t.min_percent.is_none() => {
            bad("eu_share", "give `max_percent` or `min_percent`".into());
        }
        Test::ActionCountry(t)
        | Test::Sectors(t)
        | Test::Themes(t)
        | Test::Priorities(t)
        | Test::Activities(t)
            if t.any_of.is_empty() && t.none_of.is_empty() =>
        {
            let key = match test {
                Test::ActionCountry(_) => "action_country",
                Test::Sectors(_) => "sectors",
                Test::Themes(_) => "themes",
                Test::Priorities(_) => "priorities",
                _ => "activities",
            };
            bad(key, "give `any_of` or `none_of`".into());
        }
        Test::ActionCountry(t) | Test::Sectors(t) => {
            let (key, check): (&str, fn(&str) -> Option<String>) = match test {
                Test::ActionCountry(_) => ("action_country", crate::codes::country_problem),
                _ => ("sectors", crate::codes::sector_problem),
            };
            for (list, codes) in [("any_of", &t.any_of), ("none_of", &t.none_of)] {
                for (i, c) in codes.iter().enumerate() {
                    if let Some(message) = check(c) {
                        bad(&format!("{key}.{list}[{i}]"), message);
                    }
                }
            }
        }
        Test::Deadline(d) | Test::Opens(d) => {
            let key = if matches!(test, Test::Deadline(_)) {
                "deadline"
            } else {
                "opens"
            };
            if let Err((field, code, message)) = resolve_deadline(d) {
                problems.push(Problem::new(
                    code,
                    at(
                        path,
                        &if field.is_empty() {
                            key.to_string()
                        } else {
                            format!("{key}.{field}")
                        },
                    ),
                    message,
                ));
            }
        }
        Test::Partners(p) => {
            if let Some(m) = &p.meeting {
                if !is_organisation_test(m) {
                    bad(
                        "partners.meeting",
                        "`meeting` takes tests of one organisation (legal form, country, type ...)"
                            .into(),
                    );
                }
                check_test(m, &at(path, "partners.meeting"), problems);
            }
            if p.min.is_none() && p.max.is_none() {
                problems.push(Problem::new(
                    Code::InvalidValue,
                    at(path, "partners"),
                    "give `min` or `max`",
                ));
            }
        }
        Test::All(ts) | Test::Any(ts) => {
            let key = if matches!(test, Test::All(_)) {
                "all"
            } else {
                "any"
            };
            if ts.is_empty() {
                problems.push(Problem::new(
                    Code::InvalidValue,
                    at(path, key),
                    format!("`{key}` needs at least one test"),
                ));
            }
            for (i, t) in ts.iter().enumerate() {
                check_test(t, &at(path, &format!("{key}[{i}]")), problems);
            }
        }
        Test::Not(t) => check_test(t, &at(path, "not"), problems),
        Test::If(i) => {
            check_test(&i.when, &at(path, "if.when"), problems);
            check_test(&i.then, &at(path, "if.then"), problems);
            if let Some(o) = &i.otherwise {
                check_test(o, &at(path, "if.else"), problems);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::{Call, Successors, deadline_tests, resolve_deadline};

    fn criterion(id: &str, test: &str) -> String {
        format!(
            r#"{{"id": "{id}", "statement": "The rule {id}",
            "citation": {{"reference": "Guidelines ({id})", "source": {{"title": "Guidelines (fixture)", "address": "https://example.org/g.pdf"}}}},
            "test": {test}}}"#
        )
    }

    /// The deadline and opening tests of a call's criteria, in order.
    fn tests_of(call: &Call) -> Vec<&crate::rules::DeadlineTest> {
        let mut out = Vec::new();
        for c in &call.criteria {
            deadline_tests(&c.criterion.test, &mut out);
        }
        out
    }

    #[test]
    fn the_walks_of_a_test_tree_reach_every_branch_and_a_partners_condition() {
        use crate::rules::Test;
        let test: Test = serde_json::from_str(
            r#"{"all": [
                {"not": {"if": {"when": {"non_profit": {}},
                                "then": {"opens": {"date": "2020-06-01"}},
                                "else": {"any": [{"sectors": {"any_of": ["15160"]}},
                                                 {"deadline": {"at": "2020-09-04T13:30:00", "zone": "Europe/Brussels"}}]}}}},
                {"partners": {"meeting": {"registered": {"min_years": 2, "as_of": "deadline"}}, "min": 1}}
            ]}"#,
        )
        .unwrap();
        let mut found = Vec::new();
        deadline_tests(&test, &mut found);
        assert_eq!(
            found.len(),
            2,
            "the opening in `then` and the deadline in `else`"
        );
        assert!(super::sector_tests_name(&test, &|codes| codes == ["15160"]));
        assert!(!super::sector_tests_name(&test, &|codes| codes == ["11110"]));
        // Only the partners' condition reads the deadline.
        assert!(super::uses_deadline(&test));
        let Test::All(parts) = &test else {
            panic!("an `all` test")
        };
        assert!(!super::uses_deadline(&parts[0]));
        let count = |test: &Test| {
            let mut n = 0;
            test.each_child(&mut |_| n += 1);
            n
        };
        assert_eq!(
            (count(&test), count(&parts[0]), count(&parts[1])),
            (2, 1, 1)
        );
    }

    #[test]
    fn deadlines_are_found_by_the_address_of_the_call_s_own_tests_and_of_a_clone_s() {
        let deadline = r#"{"deadline": {"at": "2020-09-04T13:30:00", "zone": "Europe/Brussels"}}"#;
        let criteria = [
            criterion("deadline", deadline),
            criterion("opens", r#"{"opens": {"date": "2020-06-01"}}"#),
            // The same deadline again, inside `if`: a test of its own, with the same value.
            criterion(
                "again",
                &format!(r#"{{"if": {{"when": {{"non_profit": {{}}}}, "then": {deadline}}}}}"#),
            ),
        ]
        .join(",");
        let text = format!(
            r#"{{"id": "fx-deadlines", "version": "1", "kind": "call", "title": "Fixture",
            "criteria": [{criteria}],
            "sources": [{{"title": "Guidelines (fixture)", "address": "https://example.org/g.pdf"}}]}}"#
        );
        let original = Call::from_json(&text).unwrap();
        let clone = original.clone();
        assert_eq!(clone, original);
        for call in [&original, &clone] {
            let tests = tests_of(call);
            assert_eq!(tests.len(), 3);
            let slots = &call.prepared.deadline_slots.0;
            // One slot for each test, at the address of the call's own test, with its deadline.
            assert_eq!(slots.len(), 3);
            for (test, (address, d)) in tests.iter().zip(slots) {
                assert_eq!(std::ptr::from_ref(*test).addr(), *address);
                assert_eq!(Some(*d), resolve_deadline(test).ok());
                assert_eq!(call.resolved_deadline(test), Some(*d));
            }
        }
        // The clone's slots name its own tests, not the original's.
        for (a, b) in original
            .prepared
            .deadline_slots
            .0
            .iter()
            .zip(&clone.prepared.deadline_slots.0)
        {
            assert_ne!(a.0, b.0);
        }
        // A test that is not the call's own is found by its value, or resolved.
        let outside: crate::rules::DeadlineTest =
            serde_json::from_str(r#"{"date": "2020-06-01"}"#).unwrap();
        assert_eq!(
            original.resolved_deadline(&outside),
            resolve_deadline(&outside).ok()
        );
        let elsewhere: crate::rules::DeadlineTest =
            serde_json::from_str(r#"{"date": "2021-01-31", "zone": "Asia/Dushanbe"}"#).unwrap();
        assert_eq!(
            original.resolved_deadline(&elsewhere),
            resolve_deadline(&elsewhere).ok()
        );
        // The clone outlives the original.
        drop(original);
        let tests = tests_of(&clone);
        assert_eq!(
            clone.resolved_deadline(tests[1]),
            resolve_deadline(tests[1]).ok()
        );
    }

    #[test]
    fn successors_are_found_as_a_scan_would_find_them() {
        let withdrawn = [
            ("15110", "Z"),
            ("15150", "15151"),
            ("1516", "A"),
            ("151600", "B"),
            ("15160\u{0}", "C"),
            ("12345678", "D"),
            ("123456789", "E"),
            ("12345678a", "F"),
            ("é", "G"),
            ("", "H"),
            ("15110", "15111"),
        ];
        let pairs: Vec<(String, String)> = withdrawn
            .iter()
            .map(|(c, n)| (c.to_string(), n.to_string()))
            .collect();
        let table = Successors::new(pairs);
        // A code given twice keeps its first successor in text order, as before (here the one
        // given last).
        let scan = |code: &str| {
            withdrawn
                .iter()
                .filter(|(c, _)| *c == code)
                .map(|(_, n)| *n)
                .min()
        };
        let mut asked: Vec<String> = withdrawn.iter().map(|(c, _)| c.to_string()).collect();
        asked.extend(
            [
                "15160",
                "1511",
                "151100",
                "1234567",
                "1234567890",
                "12345678b",
                "e",
                "15150\u{0}",
                "TJ",
                "15151",
                "\u{ff}",
                "\u{10ffff}",
            ]
            .map(String::from),
        );
        for code in &asked {
            assert_eq!(table.successor(code), scan(code), "{code:?}");
            assert_eq!(table.withdrawn(code), scan(code).is_some(), "{code:?}");
        }
        assert_eq!(Successors::new(Vec::new()).successor("15160"), None);
    }

    #[test]
    fn the_filter_turns_away_no_withdrawn_code() {
        // Every five-digit code, against a table of 40 of them: each is found exactly when a scan
        // finds it, whether its bit in the filter is shared with a withdrawn code or not.
        let withdrawn: Vec<(String, String)> = (0..40u32)
            .map(|i| ((11_110 + i * 2_203).to_string(), format!("next{i}")))
            .collect();
        let table = Successors::new(withdrawn.clone());
        let mut passed_the_filter = 0;
        for n in 10_000..100_000u32 {
            let code = n.to_string();
            let scan = withdrawn
                .iter()
                .find(|(c, _)| *c == code)
                .map(|(_, s)| s.as_str());
            assert_eq!(table.successor(&code), scan, "{code}");
            let (word, bit) = super::slot(super::key(&code));
            if table.filter[word] >> bit & 1 == 1 {
                passed_the_filter += 1;
            }
        }
        // 40 of 256 bits set at most: most codes never reach the search.
        assert!(passed_the_filter < 90_000 / 4, "{passed_the_filter}");
    }
}
