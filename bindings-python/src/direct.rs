//! Applications read field by field from Python dicts: the way `evaluate_many` reads a batch.
//!
//! This reader knows the application's shape. It matches each key of a dict against the fields
//! of the struct it fills, without copying the key (on Python 3.10 and later the key's UTF-8 form
//! is borrowed from the string object), and reads the plain values of JSON-shaped data itself:
//! `None`, `bool`, `int`, `str`, `list` and `dict`. Every other value (a float, a `Decimal`, a
//! date, a NumPy scalar, a tuple) is handed, for that one field, to the serde reader of
//! [`crate::read`], which reads it exactly as the rest of the bindings do.
//!
//! It never reports anything. At a key it does not know, or a value that does not read, it stops
//! with [`Other`], and the application is read again by the serde reader and then, if need be,
//! by the reader that names every problem with its path. So an application reads here exactly as
//! it would there, or not at all; `bindings-python/tests/test_batch.py` checks that the readers
//! agree on every application of the fixtures and on the malformed ones.
//!
//! [`set`] places one cell of a DataFrame column with the same field readers, at the field its
//! dotted path (`applicant.country`) names, resolved once per column ([`Target::of`]): which is
//! how `crate::frames` builds applications from columns.

use std::borrow::Cow;

use euca::application::{Action, Budget, CodeValue, Exclusions, Organisation, parse_day};
use euca::dataset::MAX_DEPTH;
use euca::{Amount, Application, Instant};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PyString};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde::de::value::{Error as ValueError, I64Deserializer, StrDeserializer};

use crate::frames::Plain;
use crate::read::PyDeserializer;

/// The value must be read another way (by the serde reader, or the reporting one).
pub(crate) struct Other;

type Read<T> = Result<T, Other>;

/// A value for the field readers: a Python object, or a boolean, an integer or a string from the
/// buffers of a NumPy or Arrow column (`crate::frames`), which reads as the Python object
/// `tolist()` would give there or, where that would take the serde reader, not at all ([`Other`]:
/// the row is then read from Python objects).
#[derive(Clone, Copy)]
pub(crate) enum Given<'a, 'py> {
    Py(&'a Bound<'py, PyAny>),
    Bool(bool),
    Int(i64),
    Str(&'a str),
    /// A list of an Arrow column of lists: the items `start..end` of the column's items, which
    /// read as the list of Python values `to_pylist` would give.
    Items(&'a Plain, usize, usize),
    /// A struct of an Arrow column (or list) of structs: item `k` of each field, read as the dict
    /// `to_pylist` would give.
    Row(&'a [(String, Plain)], usize),
}

impl<'a, 'py> Given<'a, 'py> {
    fn is_none(self) -> bool {
        matches!(self, Given::Py(value) if value.is_none())
    }

    /// The Python object, for the readers of anything but a plain boolean or integer.
    fn py(self) -> Read<&'a Bound<'py, PyAny>> {
        match self {
            Given::Py(value) => Ok(value),
            Given::Bool(_) | Given::Int(_) | Given::Str(_) | Given::Items(..) | Given::Row(..) => {
                Err(Other)
            }
        }
    }
}

/// The application in `obj`, when it reads field by field (see the module's documentation).
pub(crate) fn application(obj: &Bound<'_, PyAny>) -> Option<Application> {
    let app = structure(Given::Py(obj), 0, application_field).ok()?;
    app.within_limits().then_some(app)
}

/// As [`application`], reading the application straight into a new last element of `apps`
/// (an application is 528 bytes: built in place, it is not copied on its way there). False, and
/// `apps` as it was, when it must be read another way. (Should a panic stop it, the caller's
/// `guard` fails the whole batch, whose part is then dropped.) Never inlined:
/// `scripts/instructions` counts the instructions spent in it.
#[inline(never)]
pub(crate) fn push_application(obj: &Bound<'_, PyAny>, apps: &mut Vec<Application>) -> bool {
    apps.push(Application::default());
    let read = apps.last_mut().is_some_and(|app| {
        structure_into(Given::Py(obj), 0, application_field, app).is_ok() && app.within_limits()
    });
    if !read {
        apps.pop();
    }
    read
}

/// Where the cells of one DataFrame column go in an application: its dotted path
/// (`applicant.country`) resolved once for the whole column, so that each cell is placed
/// without comparing names again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    Application(ApplicationField),
    Applicant(OrganisationField),
    ApplicantExclusions(ExclusionField),
    Action(ActionField),
    Budget(BudgetField),
}

impl Target {
    /// The field at `path` (`["applicant", "country"]`); `None` for a path the field readers do
    /// not place (the row is then read another way, which names the problem).
    pub(crate) fn of(path: &[String]) -> Option<Target> {
        match path {
            [field] => ApplicationField::named(field).map(Target::Application),
            [object, field] => match object.as_str() {
                "applicant" => OrganisationField::named(field).map(Target::Applicant),
                "action" => ActionField::named(field).map(Target::Action),
                "budget" => BudgetField::named(field).map(Target::Budget),
                _ => None,
            },
            [applicant, exclusions, field]
                if applicant == "applicant" && exclusions == "exclusions" =>
            {
                ExclusionField::named(field).map(Target::ApplicantExclusions)
            }
            _ => None,
        }
    }
}

/// Places the value of one DataFrame cell at its column's `target` in `app`, creating the
/// objects on the way.
pub(crate) fn set(app: &mut Application, target: Target, value: Given<'_, '_>) -> Read<()> {
    match target {
        Target::Application(field) => set_application(app, field, value, 1),
        Target::Applicant(field) => {
            set_organisation(app.applicant.get_or_insert_default(), field, value, 2)
        }
        Target::ApplicantExclusions(field) => {
            let applicant = app.applicant.get_or_insert_default();
            set_exclusion(
                applicant.exclusions.get_or_insert_default(),
                field,
                value,
                3,
            )
        }
        Target::Action(field) => set_action(app.action.get_or_insert_default(), field, value, 2),
        Target::Budget(field) => set_budget(app.budget.get_or_insert_default(), field, value, 2),
    }
}

// ---- the structs, a field at a time -----------------------------------------------------------

/// The fields of one struct of an application that the field readers fill, by their names in
/// the JSON form: `named` finds a dict key's (or a column's) field once, and the struct's
/// `set_…` function fills it. Both are inlined into the reader by name (`…_field`), so that the
/// dicts' reader matches each key once, as before there were fields: it is then no slower, and
/// a column's cells are placed without comparing names (`scripts/instructions`: a frame's row
/// 7 253 → 6 539 instructions, a dict 13 599 → 13 552).
macro_rules! fields {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $key:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum $name {
            $($variant,)*
        }

        impl $name {
            #[inline(always)]
            fn named(name: &str) -> Option<$name> {
                match name {
                    $($key => Some($name::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

fields!(
    /// The fields of an `Application`.
    ApplicationField {
        Id = "id",
        Applicant = "applicant",
        CoApplicants = "co_applicants",
        AffiliatedEntities = "affiliated_entities",
        Action = "action",
        Budget = "budget",
        SubmittedAt = "submitted_at",
    }
);

fields!(
    /// The fields of an `Organisation`.
    OrganisationField {
        Name = "name",
        LegalForm = "legal_form",
        LegalPerson = "legal_person",
        NonProfit = "non_profit",
        OrgType = "org_type",
        Categories = "categories",
        Country = "country",
        RegisteredOn = "registered_on",
        Intermediary = "intermediary",
        Exclusions = "exclusions",
        CompletedProjects = "completed_projects",
        AnnualBudget = "annual_budget",
    }
);

fields!(
    /// The declarations of an organisation's `Exclusions`.
    ExclusionField {
        Bankrupt = "bankrupt",
        Convicted = "convicted",
        GraveMisconduct = "grave_misconduct",
        UnpaidTaxes = "unpaid_taxes",
        Fraud = "fraud",
        BreachOfContract = "breach_of_contract",
    }
);

fields!(
    /// The fields of an `Action`.
    ActionField {
        Title = "title",
        Country = "country",
        Countries = "countries",
        DurationMonths = "duration_months",
        Start = "start",
        Sectors = "sectors",
        Themes = "themes",
        Priorities = "priorities",
        Activities = "activities",
    }
);

fields!(
    /// The fields of a `Budget`.
    BudgetField {
        Currency = "currency",
        Direct = "direct",
        Indirect = "indirect",
        Contingency = "contingency",
        Requested = "requested",
        Lines = "lines",
    }
);

fn application_field(
    app: &mut Application,
    name: &str,
    value: Given<'_, '_>,
    depth: usize,
) -> Read<()> {
    set_application(
        app,
        ApplicationField::named(name).ok_or(Other)?,
        value,
        depth,
    )
}

#[inline(always)]
fn set_application(
    app: &mut Application,
    field: ApplicationField,
    value: Given<'_, '_>,
    depth: usize,
) -> Read<()> {
    use ApplicationField as F;
    match field {
        F::Id => string_into(&mut app.id, value, depth)?,
        F::Applicant => in_place(&mut app.applicant, value, depth, organisation_field)?,
        F::CoApplicants => organisations_into(&mut app.co_applicants, value, depth)?,
        F::AffiliatedEntities => organisations_into(&mut app.affiliated_entities, value, depth)?,
        F::Action => in_place(&mut app.action, value, depth, action_field)?,
        F::Budget => in_place(&mut app.budget, value, depth, budget_field)?,
        F::SubmittedAt => app.submitted_at = instant(value, depth)?,
    }
    Ok(())
}

fn organisation_field(
    org: &mut Organisation,
    name: &str,
    value: Given<'_, '_>,
    depth: usize,
) -> Read<()> {
    set_organisation(
        org,
        OrganisationField::named(name).ok_or(Other)?,
        value,
        depth,
    )
}

#[inline(always)]
fn set_organisation(
    org: &mut Organisation,
    field: OrganisationField,
    value: Given<'_, '_>,
    depth: usize,
) -> Read<()> {
    use OrganisationField as F;
    match field {
        F::Name => string_into(&mut org.name, value, depth)?,
        F::LegalForm => org.legal_form = from_text(value, depth)?,
        F::LegalPerson => org.legal_person = boolean(value, depth)?,
        F::NonProfit => org.non_profit = boolean(value, depth)?,
        F::OrgType => code_into(&mut org.org_type, value, depth)?,
        F::Categories => org.categories = list(value, depth, required(from_text))?,
        F::Country => string_into(&mut org.country, value, depth)?,
        F::RegisteredOn => org.registered_on = day(value, depth)?,
        F::Intermediary => org.intermediary = boolean(value, depth)?,
        F::Exclusions => in_place(&mut org.exclusions, value, depth, exclusions_field)?,
        F::CompletedProjects => org.completed_projects = serde_read(value.py()?, depth)?,
        F::AnnualBudget => org.annual_budget = amount(value, depth)?,
    }
    Ok(())
}

fn exclusions_field(
    exclusions: &mut Exclusions,
    name: &str,
    value: Given<'_, '_>,
    depth: usize,
) -> Read<()> {
    set_exclusion(
        exclusions,
        ExclusionField::named(name).ok_or(Other)?,
        value,
        depth,
    )
}

#[inline(always)]
fn set_exclusion(
    exclusions: &mut Exclusions,
    field: ExclusionField,
    value: Given<'_, '_>,
    depth: usize,
) -> Read<()> {
    use ExclusionField as F;
    let declared = boolean(value, depth)?;
    match field {
        F::Bankrupt => exclusions.bankrupt = declared,
        F::Convicted => exclusions.convicted = declared,
        F::GraveMisconduct => exclusions.grave_misconduct = declared,
        F::UnpaidTaxes => exclusions.unpaid_taxes = declared,
        F::Fraud => exclusions.fraud = declared,
        F::BreachOfContract => exclusions.breach_of_contract = declared,
    }
    Ok(())
}

fn action_field(action: &mut Action, name: &str, value: Given<'_, '_>, depth: usize) -> Read<()> {
    set_action(action, ActionField::named(name).ok_or(Other)?, value, depth)
}

#[inline(always)]
fn set_action(
    action: &mut Action,
    field: ActionField,
    value: Given<'_, '_>,
    depth: usize,
) -> Read<()> {
    use ActionField as F;
    match field {
        F::Title => action.title = string(value, depth)?,
        F::Country => action.country = string(value, depth)?,
        F::Countries => action.countries = list(value, depth, required(string))?,
        F::DurationMonths => action.duration_months = months(value, depth)?,
        F::Start => action.start = day(value, depth)?,
        F::Sectors => codes_into(&mut action.sectors, value, depth)?,
        F::Themes => action.themes = list(value, depth, required(string))?,
        F::Priorities => action.priorities = list(value, depth, required(string))?,
        F::Activities => action.activities = list(value, depth, required(string))?,
    }
    Ok(())
}

fn budget_field(budget: &mut Budget, name: &str, value: Given<'_, '_>, depth: usize) -> Read<()> {
    set_budget(budget, BudgetField::named(name).ok_or(Other)?, value, depth)
}

#[inline(always)]
fn set_budget(
    budget: &mut Budget,
    field: BudgetField,
    value: Given<'_, '_>,
    depth: usize,
) -> Read<()> {
    use BudgetField as F;
    match field {
        F::Currency => budget.currency = from_text(value, depth)?,
        F::Direct => budget.direct = amount(value, depth)?,
        F::Indirect => budget.indirect = amount(value, depth)?,
        F::Contingency => budget.contingency = amount(value, depth)?,
        F::Requested => budget.requested = amount(value, depth)?,
        F::Lines => budget.lines = serde_read(value.py()?, depth)?,
    }
    Ok(())
}

/// What fills one field of a `T` from a dict entry (`name`, its value, the value's depth).
type Field<T> = for<'a, 'py> fn(&'a mut T, &'a str, Given<'a, 'py>, usize) -> Read<()>;

/// A struct from a dict at `depth`, its entries placed by `field`; anything but a dict is read
/// by the serde reader (serde also reads a struct from a list of its fields).
fn structure<T: Default + DeserializeOwned>(
    value: Given<'_, '_>,
    depth: usize,
    field: Field<T>,
) -> Read<T> {
    let mut out = T::default();
    structure_into(value, depth, field, &mut out)?;
    Ok(out)
}

/// As [`structure`], into `out` (which holds `T::default()`).
fn structure_into<T: DeserializeOwned>(
    value: Given<'_, '_>,
    depth: usize,
    field: Field<T>,
    out: &mut T,
) -> Read<()> {
    if let Given::Row(fields, k) = value {
        if depth >= MAX_DEPTH {
            return Err(Other);
        }
        for (name, cells) in fields {
            field(out, name, cells.given(k).ok_or(Other)?, depth + 1)?;
        }
        return Ok(());
    }
    let value = value.py()?;
    let Ok(dict) = value
        .cast_exact::<PyDict>()
        .or_else(|_| value.cast::<PyDict>())
    else {
        *out = serde_read(value, depth)?;
        return Ok(());
    };
    if depth >= MAX_DEPTH {
        return Err(Other);
    }
    for (key, item) in dict.iter() {
        let Some(key) = as_str(&key) else {
            return Err(Other);
        };
        field(out, &text(key)?, Given::Py(&item), depth + 1)?;
    }
    Ok(())
}

/// A struct read into a new last item of `out`.
fn push_structure<T: Default + DeserializeOwned>(
    out: &mut Vec<T>,
    value: Given<'_, '_>,
    depth: usize,
    field: Field<T>,
) -> Read<()> {
    out.push(T::default());
    match out.last_mut() {
        Some(last) => structure_into(value, depth, field, last),
        None => Err(Other),
    }
}

/// An optional struct field read in place: `None` for `None`, else the struct read into the
/// field (not built apart and then copied there).
fn in_place<T: Default + DeserializeOwned>(
    slot: &mut Option<T>,
    value: Given<'_, '_>,
    depth: usize,
    field: Field<T>,
) -> Read<()> {
    if value.is_none() {
        *slot = None;
        return Ok(());
    }
    structure_into(value, depth, field, slot.insert(T::default()))
}

/// A list of organisations read into `slot`. A frame's list of structs (`Given::Items`) is read
/// into the list already there, whose organisations were read from the same column's structs
/// for another row: the same fields, each replaced (a frame evaluated a row at a time reuses one
/// application, and a new list each row, built and then dropped, was a tenth of its reading).
fn organisations_into(
    slot: &mut Option<Vec<Organisation>>,
    value: Given<'_, '_>,
    depth: usize,
) -> Read<()> {
    let (Given::Items(cells, start, end), Some(list)) = (value, slot.as_mut()) else {
        *slot = organisations(value, depth)?;
        return Ok(());
    };
    if depth >= MAX_DEPTH {
        return Err(Other);
    }
    let len = end.saturating_sub(start);
    list.resize_with(len, Organisation::default);
    // A column of structs: each field's name is found once for the list, not once for each
    // organisation (a row's co-applicants are three on average in the peer-bench workload).
    let mut named = [OrganisationField::Name; 12];
    if let Plain::Fields(fields) = cells
        && len > 0
        && fields.len() <= named.len()
    {
        if depth + 1 >= MAX_DEPTH {
            return Err(Other);
        }
        for (field, (name, _)) in named.iter_mut().zip(fields) {
            *field = OrganisationField::named(name).ok_or(Other)?;
        }
        for (org, k) in list.iter_mut().zip(start..end) {
            for ((_, cells), &field) in fields.iter().zip(&named) {
                set_organisation(org, field, cells.given(k).ok_or(Other)?, depth + 2)?;
            }
        }
        return Ok(());
    }
    for (org, k) in list.iter_mut().zip(start..end) {
        structure_into(
            cells.given(k).ok_or(Other)?,
            depth + 1,
            organisation_field,
            org,
        )?;
    }
    Ok(())
}

fn organisations(value: Given<'_, '_>, depth: usize) -> Read<Option<Vec<Organisation>>> {
    structures(value, depth, organisation_field)
}

/// A list at `depth` of structs, each read in place into the list (an `Organisation` built apart
/// and moved in was copied twice: a tenth of reading a frame's co-applicants); anything but a
/// list goes to the serde reader, as [`list`] does.
fn structures<T: Default + DeserializeOwned>(
    value: Given<'_, '_>,
    depth: usize,
    field: Field<T>,
) -> Read<Option<Vec<T>>> {
    list_with(value, depth, |out, item, depth| {
        push_structure(out, item, depth, field)
    })
}

// ---- values -----------------------------------------------------------------------------------

/// Reads an optional value that is not `None` (`None` reads as an absent field everywhere).
fn required<T>(
    read: fn(Given<'_, '_>, usize) -> Read<Option<T>>,
) -> impl Fn(Given<'_, '_>, usize) -> Read<T> {
    move |value, depth| read(value, depth)?.ok_or(Other)
}

/// A list at `depth` of items read by `item`; anything but a list goes to the serde reader.
fn list<T: DeserializeOwned>(
    value: Given<'_, '_>,
    depth: usize,
    item: impl Fn(Given<'_, '_>, usize) -> Read<T>,
) -> Read<Option<Vec<T>>> {
    list_with(value, depth, |out, given, depth| {
        out.push(item(given, depth)?);
        Ok(())
    })
}

/// A list at `depth` whose items `push` reads onto the end of the list (each at `depth + 1`);
/// anything but a list goes to the serde reader.
fn list_with<T: DeserializeOwned>(
    value: Given<'_, '_>,
    depth: usize,
    mut push: impl FnMut(&mut Vec<T>, Given<'_, '_>, usize) -> Read<()>,
) -> Read<Option<Vec<T>>> {
    if value.is_none() {
        return Ok(None);
    }
    if let Given::Items(cells, start, end) = value {
        if depth >= MAX_DEPTH {
            return Err(Other);
        }
        let mut out = Vec::with_capacity(end.saturating_sub(start));
        for k in start..end {
            push(&mut out, cells.given(k).ok_or(Other)?, depth + 1)?;
        }
        return Ok(Some(out));
    }
    let value = value.py()?;
    let Ok(items) = value
        .cast_exact::<PyList>()
        .or_else(|_| value.cast::<PyList>())
    else {
        return serde_read(value, depth);
    };
    if depth >= MAX_DEPTH {
        return Err(Other);
    }
    let mut out = Vec::with_capacity(items.len());
    for element in items.iter() {
        push(&mut out, Given::Py(&element), depth + 1)?;
    }
    Ok(Some(out))
}

/// The value read by the serde reader of [`crate::read`], which gives up (`Other`) at an unknown
/// field as at anything it does not read.
fn serde_read<T: DeserializeOwned>(value: &Bound<'_, PyAny>, depth: usize) -> Read<T> {
    euca::read_known(PyDeserializer::at(value, depth)).ok_or(Other)
}

fn boolean(value: Given<'_, '_>, depth: usize) -> Read<Option<bool>> {
    let value = match value {
        Given::Bool(b) => return Ok(Some(b)),
        other => other.py()?,
    };
    if value.is_none() {
        return Ok(None);
    }
    match value.cast::<PyBool>() {
        Ok(b) => Ok(Some(b.is_true())),
        Err(_) => serde_read(value, depth),
    }
}

/// [`string`] into `slot`; a column's string is copied into the string already there.
fn string_into(slot: &mut Option<String>, value: Given<'_, '_>, depth: usize) -> Read<()> {
    match (value, slot.as_mut()) {
        (Given::Str(s), Some(held)) => {
            held.clear();
            held.push_str(s);
        }
        _ => *slot = string(value, depth)?,
    }
    Ok(())
}

fn string(value: Given<'_, '_>, depth: usize) -> Read<Option<String>> {
    if let Given::Str(s) = value {
        return Ok(Some(s.to_owned()));
    }
    let value = value.py()?;
    if value.is_none() {
        return Ok(None);
    }
    match as_str(value) {
        Some(s) => Ok(Some(text(s)?.into_owned())),
        None => serde_read(value, depth),
    }
}

/// A Python `int` (not a `bool`) that fits in an `i64`, as the serde reader takes it, or a
/// column's integer.
fn integer(value: Given<'_, '_>) -> Option<i64> {
    let value = match value {
        Given::Py(value) => value,
        Given::Int(i) => return Some(i),
        Given::Bool(_) | Given::Str(_) | Given::Items(..) | Given::Row(..) => return None,
    };
    if !value.is_exact_instance_of::<PyInt>()
        && (value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>())
    {
        return None;
    }
    value.extract::<i64>().ok()
}

/// A `str` (or a subclass): the exact type first, a pointer comparison, where the subclass check
/// is a call into the interpreter under the stable ABI.
fn as_str<'a, 'py>(value: &'a Bound<'py, PyAny>) -> Option<&'a Bound<'py, PyString>> {
    value
        .cast_exact::<PyString>()
        .or_else(|_| value.cast::<PyString>())
        .ok()
}

fn amount(value: Given<'_, '_>, depth: usize) -> Read<Option<Amount>> {
    if value.is_none() {
        return Ok(None);
    }
    match integer(value) {
        Some(i) => Amount::deserialize(I64Deserializer::<ValueError>::new(i))
            .map(Some)
            .map_err(|_| Other),
        None => serde_read(value.py()?, depth),
    }
}

fn months(value: Given<'_, '_>, depth: usize) -> Read<Option<u32>> {
    if value.is_none() {
        return Ok(None);
    }
    match integer(value) {
        Some(i) => u32::try_from(i).map(Some).map_err(|_| Other),
        None => serde_read(value.py()?, depth),
    }
}

/// A list of codes read into `slot`: a frame's list (`Given::Items`) into the list already
/// there, each integer written into the code it replaces (as [`organisations_into`]).
fn codes_into(slot: &mut Option<Vec<CodeValue>>, value: Given<'_, '_>, depth: usize) -> Read<()> {
    let (Given::Items(cells, start, end), Some(held)) = (value, slot.as_mut()) else {
        *slot = list(value, depth, required(code))?;
        return Ok(());
    };
    if depth >= MAX_DEPTH {
        return Err(Other);
    }
    held.resize_with(end.saturating_sub(start), || CodeValue(String::new()));
    for (code_value, k) in held.iter_mut().zip(start..end) {
        match cells.given(k).ok_or(Other)? {
            Given::Int(i) => {
                code_value.0.clear();
                code_value.0.push_str(itoa::Buffer::new().format(i));
            }
            other => *code_value = required(code)(other, depth + 1)?,
        }
    }
    Ok(())
}

/// [`code`] into `slot`; a column's integer is written into the code already there.
fn code_into(slot: &mut Option<CodeValue>, value: Given<'_, '_>, depth: usize) -> Read<()> {
    match (value, slot.as_mut()) {
        (Given::Int(i), Some(CodeValue(held))) => {
            held.clear();
            held.push_str(itoa::Buffer::new().format(i));
        }
        _ => *slot = code(value, depth)?,
    }
    Ok(())
}

/// A code: an `int` as its digits, a `str` trimmed.
fn code(value: Given<'_, '_>, depth: usize) -> Read<Option<CodeValue>> {
    if value.is_none() {
        return Ok(None);
    }
    if let Some(i) = integer(value) {
        return Ok(Some(CodeValue(itoa::Buffer::new().format(i).to_owned())));
    }
    if let Given::Str(s) = value {
        return Ok(Some(CodeValue(s.trim().to_string())));
    }
    let value = value.py()?;
    match as_str(value) {
        Some(s) => Ok(Some(CodeValue(text(s)?.trim().to_string()))),
        None => serde_read(value, depth),
    }
}

fn day(value: Given<'_, '_>, depth: usize) -> Read<Option<chrono::NaiveDate>> {
    if let Given::Str(s) = value {
        return parse_day(s).map(Some).map_err(|_| Other);
    }
    let value = value.py()?;
    if value.is_none() {
        return Ok(None);
    }
    match as_str(value) {
        Some(s) => parse_day(&text(s)?).map(Some).map_err(|_| Other),
        // A `datetime.date` goes through the walker, as everywhere in the bindings.
        None => serde_read(value, depth),
    }
}

fn instant(value: Given<'_, '_>, depth: usize) -> Read<Option<Instant>> {
    if let Given::Str(s) = value {
        return Instant::parse(s).map(Some).map_err(|_| Other);
    }
    let value = value.py()?;
    if value.is_none() {
        return Ok(None);
    }
    match as_str(value) {
        Some(s) => Instant::parse(&text(s)?).map(Some).map_err(|_| Other),
        None => serde_read(value, depth),
    }
}

/// A value whose JSON form is a string read by its own `Deserialize` (an enum, a currency).
fn from_text<T: DeserializeOwned>(value: Given<'_, '_>, depth: usize) -> Read<Option<T>> {
    if let Given::Str(s) = value {
        return T::deserialize(StrDeserializer::<ValueError>::new(s))
            .map(Some)
            .map_err(|_| Other);
    }
    let value = value.py()?;
    if value.is_none() {
        return Ok(None);
    }
    match as_str(value) {
        Some(s) => T::deserialize(StrDeserializer::<ValueError>::new(&text(s)?))
            .map(Some)
            .map_err(|_| Other),
        None => serde_read(value, depth),
    }
}

// ---- text -------------------------------------------------------------------------------------

/// A Python string's text, borrowed from the string object where the interpreter allows it.
#[inline]
fn text<'a>(s: &'a Bound<'_, PyString>) -> Read<Cow<'a, str>> {
    if let Some(borrowed) = borrowed(s) {
        return borrowed.map(Cow::Borrowed).ok_or(Other);
    }
    s.to_cow().map_err(|_| Other)
}

/// A Python string's UTF-8 form borrowed from the string object (`None` inside when it has
/// none: a lone surrogate), or `None` where the interpreter does not allow it (see `utf8`).
#[inline]
pub(crate) fn borrowed<'a>(s: &'a Bound<'_, PyString>) -> Option<Option<&'a str>> {
    #[cfg(not(windows))]
    return utf8::borrowed(s);
    #[cfg(windows)]
    {
        let _ = s;
        None
    }
}

/// `PyUnicode_AsUTF8AndSize`: the string's UTF-8 form, cached in the string object (for an
/// ASCII string, its own characters), so reading a key or a country code copies nothing.
///
/// It is in the stable ABI from Python 3.10 on; the module is built for the stable ABI of 3.9
/// (one wheel for every CPython), where pyo3 offers only a copy through a temporary `bytes`
/// (`to_cow`). So it is declared here and used only when the running interpreter is 3.10 or
/// later. Not on Windows, where a stable-ABI module links `python3.dll`, whose 3.9 release does
/// not export it.
#[cfg(not(windows))]
#[allow(unsafe_code)]
mod utf8 {
    use std::os::raw::c_char;
    use std::sync::OnceLock;

    use pyo3::ffi;
    use pyo3::prelude::*;
    use pyo3::types::PyString;

    unsafe extern "C" {
        fn PyUnicode_AsUTF8AndSize(
            unicode: *mut ffi::PyObject,
            size: *mut ffi::Py_ssize_t,
        ) -> *const c_char;
    }

    static USABLE: OnceLock<bool> = OnceLock::new();

    /// The text (`None` inside when it has no UTF-8 form: a lone surrogate), or `None` when the
    /// interpreter is older than 3.10.
    #[inline]
    pub(super) fn borrowed<'a>(s: &'a Bound<'_, PyString>) -> Option<Option<&'a str>> {
        if !*USABLE.get_or_init(|| s.py().version_info() >= (3, 10)) {
            return None;
        }
        let mut size: ffi::Py_ssize_t = 0;
        // SAFETY: `s` is a live `str` object (its type was checked by the caller's cast) and the
        // GIL is held (`Bound`); the buffer returned belongs to the object and lives as long as
        // it does, which the borrow of `s` ensures.
        let data = unsafe { PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut size) };
        if data.is_null() {
            // Not encodable (a lone surrogate): clear the exception; the caller reads it another
            // way, which reports it.
            drop(PyErr::take(s.py()));
            return Some(None);
        }
        let len = usize::try_from(size).ok()?;
        // SAFETY: on success CPython returns `size` bytes of valid UTF-8 at `data` (it encodes
        // with the strict error handler, so a lone surrogate fails above instead).
        Some(Some(unsafe {
            std::str::from_utf8_unchecked(std::slice::from_raw_parts(data.cast::<u8>(), len))
        }))
    }
}
