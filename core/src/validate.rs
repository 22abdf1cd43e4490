//! The rules a decoded dataset must satisfy, each reported with its JSON path.

use std::collections::{HashMap, HashSet};

use crate::dataset::{ChangeAction, Dataset};
use crate::date::{Date, Relation};
use crate::disputed::Disputable;
use crate::error::{Code, Problem};
use crate::model::{PartyKind, Source, SourcedDate};

/// Every problem of a decoded dataset.
///
/// `unreadable` holds the ids of records that could not be read (already reported): references to
/// them are not reported again.
pub(crate) fn validate(d: &Dataset, unreadable: &[String]) -> Vec<Problem> {
    let mut v = Validator {
        problems: Vec::new(),
        unreadable: unreadable.iter().cloned().collect(),
    };
    v.ids(d);
    v.sources(d);
    v.references(d);
    v.dates(d);
    v.codes(d);
    v.cycles(d);
    v.rule_sets(d);
    v.problems
        .extend(crate::projects::problems(d, &v.unreadable));
    v.problems
}

/// The problems of a list of sources given at `path` (none, or one without a title, address or
/// document).
pub(crate) fn source_problems(sources: &[Source], path: &str) -> Vec<Problem> {
    let mut v = Validator {
        problems: Vec::new(),
        unreadable: HashSet::new(),
    };
    v.source_list(sources, path);
    v.problems
}

struct Validator {
    problems: Vec<Problem>,
    unreadable: HashSet<String>,
}

impl Validator {
    fn push(&mut self, code: Code, path: String, message: String) {
        self.problems.push(Problem::new(code, path, message));
    }

    fn ids(&mut self, d: &Dataset) {
        let mut seen: HashMap<&str, String> = HashMap::new();
        let mut all: Vec<(&str, String)> = Vec::new();
        macro_rules! collect {
            ($field:ident) => {
                for (i, r) in d.$field.iter().enumerate() {
                    all.push((&r.id, format!("{}[{i}].id", stringify!($field))));
                }
            };
        }
        collect!(countries);
        for (i, s) in d.strategies.iter().enumerate() {
            all.push((&s.id, format!("strategies[{i}].id")));
            for (j, p) in s.priorities.iter().enumerate() {
                all.push((&p.id, format!("strategies[{i}].priorities[{j}].id")));
            }
            for (j, r) in s.reviews.iter().enumerate() {
                all.push((&r.id, format!("strategies[{i}].reviews[{j}].id")));
            }
        }
        collect!(agreements);
        collect!(bodies);
        collect!(dialogue_types);
        collect!(objectives);
        collect!(priority_issues);
        collect!(dialogues);
        collect!(rounds);
        collect!(seminars);
        collect!(initiatives);
        collect!(instruments);
        collect!(project_kinds);
        collect!(projects);
        for (id, path) in all {
            if id.trim().is_empty() {
                self.push(Code::InvalidValue, path, "an id cannot be empty".into());
            } else if let Some(first) = seen.get(id) {
                let message = format!("duplicate id `{id}` (first used at `{first}`)");
                self.push(Code::DuplicateId, path, message);
            } else {
                seen.insert(id, path);
            }
        }
        let mut codes: HashMap<&str, String> = HashMap::new();
        for (i, s) in d.sectors.iter().enumerate() {
            let path = format!("sectors[{i}].code");
            if let Some(first) = codes.insert(&s.code, path.clone()) {
                let message = format!(
                    "duplicate sector code `{}` (first used at `{first}`)",
                    s.code
                );
                self.push(Code::DuplicateId, path, message);
            }
        }
        let mut codes: HashMap<&str, String> = HashMap::new();
        for (i, t) in d.organisation_types.iter().enumerate() {
            let path = format!("organisation_types[{i}].code");
            if let Some(first) = codes.insert(&t.code, path.clone()) {
                let message = format!(
                    "duplicate organisation type code `{}` (first used at `{first}`)",
                    t.code
                );
                self.push(Code::DuplicateId, path, message);
            }
        }
        let mut countries_with_dialogue: HashMap<&str, usize> = HashMap::new();
        for (i, dialogue) in d.dialogues.iter().enumerate() {
            if let Some(first) = countries_with_dialogue.insert(&dialogue.country, i) {
                self.push(
                    Code::DuplicateId,
                    format!("dialogues[{i}].country"),
                    format!(
                        "a second dialogue for `{}` (the first is `dialogues[{first}]`); each country has one dialogue",
                        dialogue.country
                    ),
                );
            }
        }
    }

    fn source_list(&mut self, sources: &[Source], path: &str) {
        if sources.is_empty() {
            self.push(
                Code::MissingSource,
                format!("{path}.sources"),
                "every record needs at least one source".into(),
            );
        }
        for (k, s) in sources.iter().enumerate() {
            let at = format!("{path}.sources[{k}]");
            if s.title.trim().is_empty() {
                self.push(
                    Code::InvalidSource,
                    format!("{at}.title"),
                    "a source needs a title".into(),
                );
            }
            let has = |o: &Option<String>| o.as_deref().is_some_and(|t| !t.trim().is_empty());
            if !has(&s.address) && !has(&s.document) {
                self.push(
                    Code::InvalidSource,
                    at,
                    "a source needs an `address` or a `document`".into(),
                );
            }
        }
    }

    fn disputable<T>(&mut self, value: &Disputable<T>, path: &str) {
        if let Disputable::Disputed(dispute) = value {
            if dispute.alternatives.len() < 2 {
                self.push(
                    Code::InvalidDispute,
                    format!("{path}.alternatives"),
                    "a disputed value needs at least two alternatives".into(),
                );
            }
            if dispute.note.trim().is_empty() {
                self.push(
                    Code::InvalidDispute,
                    format!("{path}.note"),
                    "a disputed value needs a note that says what the sources disagree on".into(),
                );
            }
            for (k, alternative) in dispute.alternatives.iter().enumerate() {
                self.source_list(&alternative.sources, &format!("{path}.alternatives[{k}]"));
            }
        }
    }

    fn sources(&mut self, d: &Dataset) {
        macro_rules! each {
            ($field:ident) => {
                for (i, r) in d.$field.iter().enumerate() {
                    self.source_list(&r.sources, &format!("{}[{i}]", stringify!($field)));
                }
            };
        }
        each!(countries);
        each!(strategies);
        each!(agreements);
        each!(bodies);
        each!(dialogue_types);
        each!(objectives);
        each!(priority_issues);
        each!(dialogues);
        each!(rounds);
        each!(seminars);
        each!(initiatives);
        each!(instruments);
        each!(project_kinds);
        each!(organisation_types);
        each!(sectors);
        for (i, s) in d.strategies.iter().enumerate() {
            self.disputable(&s.adopted, &format!("strategies[{i}].adopted"));
            for (j, p) in s.priorities.iter().enumerate() {
                self.source_list(&p.sources, &format!("strategies[{i}].priorities[{j}]"));
            }
            for (j, r) in s.reviews.iter().enumerate() {
                let path = format!("strategies[{i}].reviews[{j}]");
                self.source_list(&r.sources, &path);
                self.disputable(&r.date, &format!("{path}.date"));
            }
        }
        for (i, a) in d.agreements.iter().enumerate() {
            if let Some(signed) = &a.signed {
                self.disputable(signed, &format!("agreements[{i}].signed"));
            }
            if let Some(in_force) = &a.in_force {
                self.disputable(in_force, &format!("agreements[{i}].in_force"));
            }
        }
        for (i, dialogue) in d.dialogues.iter().enumerate() {
            let path = format!("dialogues[{i}]");
            if let Some(agreed) = &dialogue.agreed {
                self.disputable(agreed, &format!("{path}.agreed"));
            }
            self.source_list(&dialogue.cadence.sources, &format!("{path}.cadence"));
            for (j, f) in dialogue.formats.iter().enumerate() {
                self.source_list(&f.sources, &format!("{path}.formats[{j}]"));
                self.disputable(&f.from, &format!("{path}.formats[{j}].from"));
            }
        }
        for (i, r) in d.rounds.iter().enumerate() {
            self.disputable(&r.date, &format!("rounds[{i}].date"));
        }
        for (i, s) in d.seminars.iter().enumerate() {
            self.disputable(&s.date, &format!("seminars[{i}].date"));
        }
        for (i, initiative) in d.initiatives.iter().enumerate() {
            if let Some(launched) = &initiative.launched {
                self.disputable(launched, &format!("initiatives[{i}].launched"));
            }
        }
        for (i, change) in d.changes.iter().enumerate() {
            if change.action != ChangeAction::Add {
                self.source_list(&change.sources, &format!("changes[{i}]"));
            }
        }
    }

    fn reference(&mut self, known: &HashSet<&str>, id: &str, path: String, what: &str) {
        if !known.contains(id) && !self.unreadable.contains(id) {
            self.push(
                Code::UnresolvedReference,
                path,
                format!("`{id}` is not the id of any {what} in the dataset"),
            );
        }
    }

    fn references(&mut self, d: &Dataset) {
        let countries: HashSet<&str> = d.countries.iter().map(|c| c.id.as_str()).collect();
        let states: HashSet<&str> = d
            .countries
            .iter()
            .filter(|c| c.kind == PartyKind::CentralAsianState)
            .map(|c| c.id.as_str())
            .collect();
        let strategies: HashSet<&str> = d.strategies.iter().map(|s| s.id.as_str()).collect();
        let priorities: HashSet<&str> = d
            .strategies
            .iter()
            .flat_map(|s| s.priorities.iter().map(|p| p.id.as_str()))
            .collect();
        let agreements: HashSet<&str> = d.agreements.iter().map(|a| a.id.as_str()).collect();
        let bodies: HashSet<&str> = d.bodies.iter().map(|b| b.id.as_str()).collect();
        let types: HashSet<&str> = d.dialogue_types.iter().map(|t| t.id.as_str()).collect();
        let dialogues: HashSet<&str> = d.dialogues.iter().map(|x| x.id.as_str()).collect();
        let initiatives: HashSet<&str> = d.initiatives.iter().map(|x| x.id.as_str()).collect();
        let instruments: HashSet<&str> = d.instruments.iter().map(|x| x.id.as_str()).collect();
        let sectors: HashSet<&str> = d.sectors.iter().map(|x| x.code.as_str()).collect();

        for (i, s) in d.strategies.iter().enumerate() {
            if let Some(next) = &s.succeeded_by {
                self.reference(
                    &strategies,
                    next,
                    format!("strategies[{i}].succeeded_by"),
                    "strategy",
                );
            }
        }
        for (i, a) in d.agreements.iter().enumerate() {
            self.reference(
                &countries,
                &a.country,
                format!("agreements[{i}].country"),
                "country",
            );
            if let Some(next) = &a.superseded_by {
                self.reference(
                    &agreements,
                    next,
                    format!("agreements[{i}].superseded_by"),
                    "agreement",
                );
            }
        }
        for (i, b) in d.bodies.iter().enumerate() {
            self.reference(
                &agreements,
                &b.agreement,
                format!("bodies[{i}].agreement"),
                "agreement",
            );
        }
        for (i, x) in d.dialogues.iter().enumerate() {
            self.reference(
                &states,
                &x.country,
                format!("dialogues[{i}].country"),
                "Central Asian state",
            );
            for (j, f) in x.formats.iter().enumerate() {
                let path = format!("dialogues[{i}].formats[{j}]");
                self.reference(
                    &types,
                    &f.dialogue_type,
                    format!("{path}.dialogue_type"),
                    "dialogue type",
                );
                if let Some(body) = &f.body {
                    self.reference(&bodies, body, format!("{path}.body"), "body");
                }
            }
            for (j, p) in x.serves.iter().enumerate() {
                self.reference(
                    &priorities,
                    p,
                    format!("dialogues[{i}].serves[{j}]"),
                    "strategy priority",
                );
            }
        }
        for (i, r) in d.rounds.iter().enumerate() {
            self.reference(
                &dialogues,
                &r.dialogue,
                format!("rounds[{i}].dialogue"),
                "dialogue",
            );
            if let Some(meeting) = &r.held_with {
                self.reference(
                    &bodies,
                    &meeting.body,
                    format!("rounds[{i}].held_with.body"),
                    "body",
                );
                if let Some(n) = meeting.number
                    && (n == 0 || n > crate::limits::MAX_ROUND_NUMBER)
                {
                    self.push(
                        Code::InvalidValue,
                        format!("rounds[{i}].held_with.number"),
                        format!(
                            "meeting number {n} is outside 1 to {}",
                            crate::limits::MAX_ROUND_NUMBER
                        ),
                    );
                }
            }
        }
        for (i, s) in d.seminars.iter().enumerate() {
            self.reference(
                &countries,
                &s.country,
                format!("seminars[{i}].country"),
                "country",
            );
            if let Some(dialogue) = &s.dialogue {
                self.reference(
                    &dialogues,
                    dialogue,
                    format!("seminars[{i}].dialogue"),
                    "dialogue",
                );
            }
        }
        for (i, x) in d.initiatives.iter().enumerate() {
            if let Some(parent) = &x.part_of {
                self.reference(
                    &initiatives,
                    parent,
                    format!("initiatives[{i}].part_of"),
                    "initiative",
                );
            }
            for (j, p) in x.serves.iter().enumerate() {
                self.reference(
                    &priorities,
                    p,
                    format!("initiatives[{i}].serves[{j}]"),
                    "strategy priority",
                );
            }
        }
        for (i, x) in d.instruments.iter().enumerate() {
            for (field, value) in [("predecessor", &x.predecessor), ("successor", &x.successor)] {
                if let Some(other) = value {
                    self.reference(
                        &instruments,
                        other,
                        format!("instruments[{i}].{field}"),
                        "instrument",
                    );
                }
            }
            for (j, p) in x.serves.iter().enumerate() {
                self.reference(
                    &priorities,
                    p,
                    format!("instruments[{i}].serves[{j}]"),
                    "strategy priority",
                );
            }
        }
        for (i, x) in d.project_kinds.iter().enumerate() {
            for (j, s) in x.sectors.iter().enumerate() {
                self.reference(
                    &sectors,
                    s,
                    format!("project_kinds[{i}].sectors[{j}]"),
                    "sector",
                );
            }
            for (j, p) in x.serves.iter().enumerate() {
                self.reference(
                    &priorities,
                    p,
                    format!("project_kinds[{i}].serves[{j}]"),
                    "strategy priority",
                );
            }
        }
        for (i, s) in d.sectors.iter().enumerate() {
            if let Some(next) = &s.successor {
                self.reference(&sectors, next, format!("sectors[{i}].successor"), "sector");
            }
        }
    }

    fn dates(&mut self, d: &Dataset) {
        for (i, x) in d.dialogues.iter().enumerate() {
            for (j, pair) in x.formats.windows(2).enumerate() {
                if let [a, b] = pair
                    && a.from.bounds().relation(&b.from.bounds()) == Relation::After
                {
                    self.push(
                            Code::FormatsOutOfOrder,
                            format!("dialogues[{i}].formats[{}].from", j + 1),
                            format!(
                                "format change from `{}` comes after one from `{}`; list format changes oldest first",
                                b.from.display(),
                                a.from.display()
                            ),
                        );
                }
            }
            if x.cadence.interval_months == 0 {
                self.push(
                    Code::InvalidValue,
                    format!("dialogues[{i}].cadence.interval_months"),
                    "a cadence needs at least one month between rounds".into(),
                );
            }
        }
        // A dialogue exists from the earlier of its agreement and its first format.
        let starts: HashMap<&str, SourcedDate> = d
            .dialogues
            .iter()
            .filter_map(|x| {
                let candidates = x.agreed.iter().chain(x.formats.first().map(|f| &f.from));
                let start = candidates.min_by_key(|date| date.bounds().earliest)?;
                Some((x.id.as_str(), start.clone()))
            })
            .collect();
        let mut numbers: HashMap<(&str, u32), usize> = HashMap::new();
        for (i, r) in d.rounds.iter().enumerate() {
            if let Some(agreed) = starts.get(r.dialogue.as_str()) {
                let start = agreed.bounds();
                if r.date.bounds().latest < start.earliest
                    && r.note.as_deref().is_none_or(|n| n.trim().is_empty())
                {
                    self.push(
                        Code::RoundBeforeDialogue,
                        format!("rounds[{i}].date"),
                        format!(
                            "round `{}` is dated `{}`, before its dialogue existed (from `{}`); add a `note` if the sources say so",
                            r.id,
                            r.date.display(),
                            agreed.display()
                        ),
                    );
                }
            }
            if let Some(n) = r.number {
                if n == 0 {
                    self.push(
                        Code::InvalidValue,
                        format!("rounds[{i}].number"),
                        "rounds are numbered from 1".into(),
                    );
                } else if n > crate::limits::MAX_ROUND_NUMBER {
                    // Rounds missing between two numbers are derived one by one: bounded.
                    self.push(
                        Code::InvalidValue,
                        format!("rounds[{i}].number"),
                        format!(
                            "round number {n} is past {}, the most rounds a dialogue may number",
                            crate::limits::MAX_ROUND_NUMBER
                        ),
                    );
                }
                if let Some(first) = numbers.insert((r.dialogue.as_str(), n), i) {
                    self.push(
                        Code::DuplicateRoundNumber,
                        format!("rounds[{i}].number"),
                        format!(
                            "round number {n} of `{}` is also `rounds[{first}]`",
                            r.dialogue
                        ),
                    );
                }
            }
        }
        for (i, a) in d.rounds.iter().enumerate() {
            for b in d.rounds.iter() {
                if a.dialogue != b.dialogue {
                    continue;
                }
                if let (Some(na), Some(nb)) = (a.number, b.number)
                    && na > nb
                    && a.date.bounds().relation(&b.date.bounds()) == Relation::Before
                {
                    self.push(
                        Code::RoundsOutOfOrder,
                        format!("rounds[{i}].date"),
                        format!(
                            "round {na} (`{}`) is dated before round {nb} (`{}`)",
                            a.date.display(),
                            b.date.display()
                        ),
                    );
                }
            }
        }
        for (i, x) in d.instruments.iter().enumerate() {
            if let Some(validity) = &x.validity
                && let Some(to) = &validity.to
                && validity.from.relation(to) == Relation::After
            {
                self.push(
                    Code::InvalidValue,
                    format!("instruments[{i}].validity.to"),
                    format!(
                        "the validity ends (`{to}`) before it starts (`{}`)",
                        validity.from
                    ),
                );
            }
        }
    }

    fn rule_sets(&mut self, d: &Dataset) {
        let instruments: HashSet<&str> = d.instruments.iter().map(|x| x.id.as_str()).collect();
        // Built once: building it for each rule set would make loading quadratic.
        let registry = crate::call::registry(d);
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, r) in d.rule_sets.iter().enumerate() {
            let path = format!("rule_sets[{i}]");
            if let Some(first) = seen.insert(&r.id, i) {
                self.push(
                    Code::DuplicateId,
                    format!("{path}.id"),
                    format!(
                        "duplicate rule set id `{}` (first used at `rule_sets[{first}]`)",
                        r.id
                    ),
                );
                continue;
            }
            if let Some(instrument) = &r.instrument {
                self.reference(
                    &instruments,
                    instrument,
                    format!("{path}.instrument"),
                    "instrument",
                );
            }
            self.source_list(&r.sources, &path);
            if let Err(e) = crate::call::compile_in(r, &registry, d, &path) {
                self.problems.extend(e.into_problems());
            }
        }
    }

    fn codes(&mut self, d: &Dataset) {
        let upper = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_uppercase());
        for (i, c) in d.countries.iter().enumerate() {
            if !upper(&c.id, 2) {
                self.push(
                    Code::InvalidValue,
                    format!("countries[{i}].id"),
                    format!(
                        "`{}` is not an ISO 3166 alpha-2 code (two capital letters)",
                        c.id
                    ),
                );
            }
            if let Some(a3) = &c.alpha3
                && !upper(a3, 3)
            {
                self.push(
                    Code::InvalidValue,
                    format!("countries[{i}].alpha3"),
                    format!("`{a3}` is not an ISO 3166 alpha-3 code (three capital letters)"),
                );
            }
        }
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        for (i, s) in d.sectors.iter().enumerate() {
            if let Some(message) = crate::codes::sector_problem(&s.code) {
                self.push(Code::InvalidValue, format!("sectors[{i}].code"), message);
            }
            if !digits(&s.category, 3) || !s.code.starts_with(&s.category) {
                self.push(
                    Code::InvalidValue,
                    format!("sectors[{i}].category"),
                    format!(
                        "`{}` is not the DAC 3-digit category of `{}`",
                        s.category, s.code
                    ),
                );
            }
        }
        for (i, t) in d.organisation_types.iter().enumerate() {
            if !digits(&t.code, 2) {
                self.push(
                    Code::InvalidValue,
                    format!("organisation_types[{i}].code"),
                    format!(
                        "`{}` is not a two-digit IATI organisation type code",
                        t.code
                    ),
                );
            } else if let Some(message) = crate::codes::organisation_type_problem(&t.code) {
                self.push(
                    Code::InvalidValue,
                    format!("organisation_types[{i}].code"),
                    message,
                );
            }
        }
        let _ = Date::parse; // dates are checked while decoding
    }

    /// The fields of dialogue cycles: cadence tolerances, lifecycle changes, the stages of
    /// rounds, and the rounds seminars prepare.
    fn cycles(&mut self, d: &Dataset) {
        use crate::model::{CycleStage, Lifecycle};
        for (i, x) in d.dialogues.iter().enumerate() {
            let path = format!("dialogues[{i}]");
            if let Some(t) = x.cadence.tolerance_months
                && t >= x.cadence.interval_months
            {
                self.push(
                        Code::InvalidValue,
                        format!("{path}.cadence.tolerance_months"),
                        format!(
                            "the tolerance (`{t}` months) must be smaller than the interval (`{}` months)",
                            x.cadence.interval_months
                        ),
                    );
            }
            let start = x
                .agreed
                .iter()
                .chain(x.formats.first().map(|f| &f.from))
                .map(|s| s.bounds().earliest)
                .min();
            let mut state = Lifecycle::Resumed; // active
            for (j, change) in x.lifecycle.iter().enumerate() {
                let at = format!("{path}.lifecycle[{j}]");
                self.source_list(&change.sources, &at);
                self.disputable(&change.date, &format!("{at}.date"));
                let b = change.date.bounds();
                if start.is_some_and(|s| b.latest < s) {
                    self.push(
                        Code::InvalidValue,
                        format!("{at}.date"),
                        format!(
                            "the dialogue is `{}` on `{}`, before it began",
                            lifecycle_word(change.change),
                            change.date.display()
                        ),
                    );
                }
                if let Some(previous) = j.checked_sub(1).and_then(|k| x.lifecycle.get(k))
                    && previous.date.bounds().relation(&b) == Relation::After
                {
                    self.push(
                            Code::InvalidValue,
                            format!("{at}.date"),
                            format!(
                                "lifecycle change `{}` (`{}`) comes before the change listed above it (`{}`); list changes oldest first",
                                lifecycle_word(change.change),
                                change.date.display(),
                                previous.date.display()
                            ),
                        );
                }
                let problem = match (state, change.change) {
                    (Lifecycle::Ended, _) => Some("the dialogue had already ended"),
                    (Lifecycle::Suspended, Lifecycle::Suspended) => {
                        Some("the dialogue was already suspended")
                    }
                    (Lifecycle::Resumed, Lifecycle::Resumed) => {
                        Some("a dialogue resumes only after a suspension")
                    }
                    _ => None,
                };
                if let Some(problem) = problem {
                    self.push(
                        Code::InvalidValue,
                        format!("{at}.change"),
                        format!(
                            "`{}` on `{}`: {problem}",
                            lifecycle_word(change.change),
                            change.date.display()
                        ),
                    );
                }
                state = change.change;
            }
        }
        let ends: HashMap<&str, &SourcedDate> = d
            .dialogues
            .iter()
            .filter_map(|x| {
                let end = x.lifecycle.iter().find(|c| c.change == Lifecycle::Ended)?;
                Some((x.id.as_str(), &end.date))
            })
            .collect();
        let rounds: HashSet<&str> = d.rounds.iter().map(|r| r.id.as_str()).collect();
        for (i, r) in d.rounds.iter().enumerate() {
            if let Some(end) = ends.get(r.dialogue.as_str())
                && r.date.bounds().earliest > end.bounds().latest
            {
                self.push(
                    Code::InvalidValue,
                    format!("rounds[{i}].date"),
                    format!(
                        "round `{}` is dated `{}`, after its dialogue ended (`{}`)",
                        r.id,
                        r.date.display(),
                        end.display()
                    ),
                );
            }
            for (j, stage) in r.stages.iter().enumerate() {
                let at = format!("rounds[{i}].stages[{j}]");
                self.source_list(&stage.sources, &at);
                if stage.stage == CycleStage::Round {
                    self.push(
                        Code::InvalidValue,
                        format!("{at}.stage"),
                        "the round record is the `round` stage; list only the other stages".into(),
                    );
                }
                if let Some(date) = &stage.date {
                    self.disputable(date, &format!("{at}.date"));
                    let relation = date.bounds().relation(&r.date.bounds());
                    let wrong = if stage.stage.precedes_round() {
                        (relation == Relation::After).then_some("after")
                    } else {
                        (relation == Relation::Before).then_some("before")
                    };
                    if let Some(side) = wrong {
                        self.push(
                            Code::InvalidValue,
                            format!("{at}.date"),
                            format!(
                                "the `{}` stage is dated `{}`, {side} its round (`{}`)",
                                stage.stage.as_str(),
                                date.display(),
                                r.date.display()
                            ),
                        );
                    }
                }
            }
        }
        for (i, s) in d.seminars.iter().enumerate() {
            let Some(prepares) = &s.prepares else {
                continue;
            };
            let path = format!("seminars[{i}].prepares");
            self.reference(&rounds, prepares, path.clone(), "round");
            let Some(round) = d.rounds.iter().find(|r| &r.id == prepares) else {
                continue;
            };
            if s.dialogue.as_ref().is_some_and(|x| *x != round.dialogue) {
                self.push(
                    Code::InvalidValue,
                    path.clone(),
                    format!(
                        "round `{prepares}` belongs to `{}`, not to the seminar's dialogue `{}`",
                        round.dialogue,
                        s.dialogue.as_deref().unwrap_or_default()
                    ),
                );
            }
            if s.date.bounds().relation(&round.date.bounds()) == Relation::After {
                self.push(
                    Code::InvalidValue,
                    path,
                    format!(
                        "the seminar (`{}`) is dated after round `{prepares}` (`{}`), so it cannot have prepared it",
                        s.date.display(),
                        round.date.display()
                    ),
                );
            }
        }
    }
}

fn lifecycle_word(change: crate::model::Lifecycle) -> &'static str {
    match change {
        crate::model::Lifecycle::Suspended => "suspended",
        crate::model::Lifecycle::Resumed => "resumed",
        crate::model::Lifecycle::Ended => "ended",
    }
}
