//! Dates as historical sources give them: a year, a month, a day, a span, or
//! one of several.
//!
//! A [`Date`] keeps exactly the precision its source gives and never invents a
//! day. It reads and writes a strict subset of EDTF (ISO 8601-2, Library of
//! Congress):
//!
//! | form                        | meaning                                  |
//! |-----------------------------|------------------------------------------|
//! | `2005`                      | a year                                   |
//! | `2008-06`                   | a month                                  |
//! | `2008-10-15`                | a day                                    |
//! | `2007-05-08/2007-05-09`     | an interval (ends of any precision)      |
//! | `[2018,2019]`               | one of two or more dates, not known which |
//!
//! Years have four digits, `0001` to `9999`. Other EDTF features (qualifiers
//! `?` `~` `%`, unspecified digits `X`, open ends `..`, seasons, signed or long
//! years, times of day) are rejected with a message naming the feature.
//!
//! Partial dates cannot always be ordered: `2008-06` is neither before nor
//! after 15 June 2008. Comparisons therefore work on [`Bounds`], the first and
//! last day a date can denote, and answer with a [`Relation`] that includes
//! [`Relation::CannotTell`].

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The smallest year a date may have.
const MIN_YEAR: i32 = 1;
/// The largest year a date may have.
const MAX_YEAR: i32 = 9999;

/// The reason given when a point does not have one of the three shapes.
const SHAPE: &str = "expected a year `YYYY`, a month `YYYY-MM` or a day `YYYY-MM-DD`";

/// How finely a point is known.
///
/// The order runs from coarse to fine: `Year < Month < Day`, so the coarsest
/// precision of several points is their minimum.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// Only the year is known, as in `2005`.
    Year,
    /// The year and month are known, as in `2008-06`.
    Month,
    /// The exact day is known, as in `2008-10-15`.
    Day,
}

/// A year, a month or a day: a single calendar unit at the precision a source
/// gives it.
///
/// A point denotes every day from [`Point::earliest`] to [`Point::latest`]; a
/// day-precision point denotes exactly one day. Points are always valid: years
/// run from 0001 to 9999 and days exist in their month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Point {
    /// The first day the point can denote; its year, month and day carry the
    /// point's fields down to its precision.
    earliest: NaiveDate,
    /// The last day the point can denote.
    latest: NaiveDate,
    /// How finely the point is known.
    precision: Precision,
}

impl Point {
    /// Makes a year-precision point, such as `2005`.
    ///
    /// # Errors
    ///
    /// Returns a [`DateError`] if `year` is not between 1 and 9999.
    pub fn year(year: i32) -> Result<Point, DateError> {
        build(year, None, None, &format!("{year:04}"))
    }

    /// Makes a month-precision point, such as `2008-06`.
    ///
    /// # Errors
    ///
    /// Returns a [`DateError`] if `year` is not between 1 and 9999 or `month`
    /// is not between 1 and 12.
    pub fn month(year: i32, month: u32) -> Result<Point, DateError> {
        build(year, Some(month), None, &format!("{year:04}-{month:02}"))
    }

    /// Makes a day-precision point, such as `2008-10-15`.
    ///
    /// # Errors
    ///
    /// Returns a [`DateError`] if `year` is not between 1 and 9999, `month` is
    /// not between 1 and 12, or `day` does not exist in that month (leap years
    /// are honoured: `2008-02-29` exists, `2009-02-29` does not).
    pub fn day(year: i32, month: u32, day: u32) -> Result<Point, DateError> {
        build(
            year,
            Some(month),
            Some(day),
            &format!("{year:04}-{month:02}-{day:02}"),
        )
    }

    /// Makes a day-precision point from a calendar day.
    ///
    /// # Errors
    ///
    /// Returns a [`DateError`] if the day's year is not between 1 and 9999;
    /// the date is never clamped into range.
    pub fn from_naive(d: NaiveDate) -> Result<Point, DateError> {
        if (MIN_YEAR..=MAX_YEAR).contains(&d.year()) {
            Ok(Point {
                earliest: d,
                latest: d,
                precision: Precision::Day,
            })
        } else {
            Err(DateError::invalid(
                &d.to_string(),
                "years run from 0001 to 9999",
            ))
        }
    }

    /// The point's year.
    pub fn year_value(&self) -> i32 {
        self.earliest.year()
    }

    /// The point's month (1 to 12), or `None` for a year-precision point.
    pub fn month_value(&self) -> Option<u32> {
        (self.precision >= Precision::Month).then(|| self.earliest.month())
    }

    /// The point's day of the month, or `None` unless the point has day
    /// precision.
    pub fn day_value(&self) -> Option<u32> {
        (self.precision == Precision::Day).then(|| self.earliest.day())
    }

    /// How finely the point is known.
    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// The first day the point can denote: 1 January for a year, the 1st for
    /// a month, the day itself for a day.
    pub fn earliest(&self) -> NaiveDate {
        self.earliest
    }

    /// The last day the point can denote: 31 December for a year, the month's
    /// last day for a month, the day itself for a day.
    pub fn latest(&self) -> NaiveDate {
        self.latest
    }

    /// The first and last day the point can denote.
    pub fn bounds(&self) -> Bounds {
        Bounds {
            earliest: self.earliest,
            latest: self.latest,
        }
    }
}

impl fmt::Display for Point {
    /// Writes the point in EDTF: `2005`, `2008-06` or `2008-10-15`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.earliest.year())?;
        if self.precision >= Precision::Month {
            write!(f, "-{:02}", self.earliest.month())?;
        }
        if self.precision == Precision::Day {
            write!(f, "-{:02}", self.earliest.day())?;
        }
        Ok(())
    }
}

impl FromStr for Point {
    type Err = DateError;

    /// Reads a single year `YYYY`, month `YYYY-MM` or day `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Point, DateError> {
        check_whole(s)?;
        if s.contains('/') {
            return Err(DateError::invalid(
                s,
                "expected a single year, month or day, not an interval",
            ));
        }
        if s.starts_with('[') || s.contains(',') {
            return Err(DateError::invalid(
                s,
                "expected a single year, month or day, not a one-of set",
            ));
        }
        parse_point(s, s)
    }
}

impl Serialize for Point {
    /// Serialises the point as its EDTF string, such as `"2008-06"`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Point {
    /// Deserialises a point from its EDTF string, such as `"2008-06"`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Point, D::Error> {
        deserializer.deserialize_str(EdtfVisitor::<Point>::new())
    }
}

/// A date as a source gives it: a point, an interval or one of several points.
///
/// Build it with [`Date::parse`], [`Date::interval`] or [`Date::one_of`],
/// which check the invariants stated on each variant. The variants are public
/// for matching; a date assembled from them by hand is not checked, and one
/// that breaks the invariants gets meaningless bounds and comparisons.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Date {
    /// A single year, month or day.
    Point(Point),
    /// An event that lasted from `start` to `end` (both included).
    ///
    /// `start` lies wholly before `end` (`start.latest() < end.earliest()`).
    Interval {
        /// When the event began.
        start: Point,
        /// When the event ended.
        end: Point,
    },
    /// One of these, not known which.
    ///
    /// Holds at least two points, none twice, in the order the source gives
    /// them.
    OneOf(Vec<Point>),
}

impl Date {
    /// Reads a date in the supported EDTF subset: `2005`, `2008-06`,
    /// `2008-10-15`, an interval such as `2007-05-08/2007-05-09`, or a one-of
    /// set such as `[2018,2019]` (spaces after the commas are accepted).
    ///
    /// # Errors
    ///
    /// Returns a [`DateError`] if the text is empty, malformed, names a day
    /// that does not exist, gives an interval whose end does not come after
    /// its start, gives a one-of set with fewer than two or repeated dates, or
    /// uses an EDTF feature outside the supported subset.
    pub fn parse(s: &str) -> Result<Date, DateError> {
        check_whole(s)?;
        if s.starts_with('[') || s.ends_with(']') {
            return parse_one_of(s);
        }
        if s.contains(',') {
            return Err(DateError::invalid(
                s,
                "write alternatives in brackets, as in `[2018,2019]`",
            ));
        }
        if s.contains('/') {
            return parse_interval(s);
        }
        parse_point(s, s).map(Date::Point)
    }

    /// Makes an interval from `start` to `end`, both included.
    ///
    /// # Errors
    ///
    /// Returns a [`DateError`] unless `start` lies wholly before `end`
    /// (`start.latest() < end.earliest()`).
    pub fn interval(start: Point, end: Point) -> Result<Date, DateError> {
        check_interval(start, end)
            .map_err(|reason| DateError::invalid(&format!("{start}/{end}"), reason))?;
        Ok(Date::Interval { start, end })
    }

    /// Makes a date that is one of `points`, not known which, keeping their
    /// order.
    ///
    /// # Errors
    ///
    /// Returns a [`DateError`] if there are fewer than two points or a point
    /// is listed twice.
    pub fn one_of(points: Vec<Point>) -> Result<Date, DateError> {
        if let Err(reason) = check_one_of(&points) {
            let items: Vec<String> = points.iter().map(Point::to_string).collect();
            return Err(DateError::invalid(
                &format!("[{}]", items.join(",")),
                reason,
            ));
        }
        Ok(Date::OneOf(points))
    }

    /// Makes a single-day date; a shorthand for a day-precision
    /// [`Date::Point`].
    ///
    /// # Errors
    ///
    /// Returns a [`DateError`] as [`Point::day`] does.
    pub fn day(year: i32, month: u32, day: u32) -> Result<Date, DateError> {
        Point::day(year, month, day).map(Date::Point)
    }

    /// Makes a single-day date from a calendar day.
    ///
    /// # Errors
    ///
    /// Returns a [`DateError`] if the day's year is not between 1 and 9999.
    pub fn from_naive(d: NaiveDate) -> Result<Date, DateError> {
        Point::from_naive(d).map(Date::Point)
    }

    /// The first day the date can denote.
    pub fn earliest(&self) -> NaiveDate {
        self.bounds().earliest
    }

    /// The last day the date can denote.
    pub fn latest(&self) -> NaiveDate {
        self.bounds().latest
    }

    /// The first and last day the date can denote; for a one-of set, the span
    /// covering all its points.
    pub fn bounds(&self) -> Bounds {
        match self {
            Date::Point(p) => p.bounds(),
            Date::Interval { start, end } => Bounds {
                earliest: start.earliest,
                latest: end.latest,
            },
            Date::OneOf(points) => {
                let mut iter = points.iter().map(Point::bounds);
                match iter.next() {
                    Some(first) => iter.fold(first, Bounds::hull),
                    // Unreachable through the constructors, which require two
                    // points; for a hand-built empty set, claim nothing is
                    // known: the widest bounds there are.
                    None => Bounds {
                        earliest: NaiveDate::MIN,
                        latest: NaiveDate::MAX,
                    },
                }
            }
        }
    }

    /// The coarsest precision among the date's points.
    pub fn precision(&self) -> Precision {
        match self {
            Date::Point(p) => p.precision,
            Date::Interval { start, end } => start.precision.min(end.precision),
            Date::OneOf(points) => points
                .iter()
                .map(Point::precision)
                .min()
                .unwrap_or(Precision::Year),
        }
    }

    /// Whether the date is a single known day (a day-precision point).
    pub fn is_exact_day(&self) -> bool {
        matches!(self, Date::Point(p) if p.precision == Precision::Day)
    }

    /// Whether the event could have taken place on, or included, `day`: for a
    /// point or an interval, whether `day` lies within its bounds; for a
    /// one-of set, whether it lies within one of its points.
    pub fn may_include(&self, day: NaiveDate) -> bool {
        match self {
            Date::Point(_) | Date::Interval { .. } => self.bounds().contains(day),
            Date::OneOf(points) => points.iter().any(|p| p.bounds().contains(day)),
        }
    }

    /// Whether the date lies before, on or after `day`, computed on its
    /// bounds (see [`Bounds::relation_to_day`]).
    pub fn relation_to_day(&self, day: NaiveDate) -> Relation {
        self.bounds().relation_to_day(day)
    }

    /// Whether the date lies before, on or after `other`, computed on their
    /// bounds (see [`Bounds::relation`]).
    pub fn relation(&self, other: &Date) -> Relation {
        self.bounds().relation(&other.bounds())
    }

    /// All the points the date mentions, in order: one for a point, start and
    /// end for an interval, every alternative for a one-of set.
    pub fn points(&self) -> Vec<Point> {
        match self {
            Date::Point(p) => vec![*p],
            Date::Interval { start, end } => vec![*start, *end],
            Date::OneOf(points) => points.clone(),
        }
    }
}

impl From<Point> for Date {
    /// Wraps a point as a [`Date::Point`].
    fn from(p: Point) -> Date {
        Date::Point(p)
    }
}

impl fmt::Display for Date {
    /// Writes the date in canonical EDTF: `2008-06`, `2008/2009`,
    /// `[2018,2019]` (no spaces).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Date::Point(p) => write!(f, "{p}"),
            Date::Interval { start, end } => write!(f, "{start}/{end}"),
            Date::OneOf(points) => {
                f.write_str("[")?;
                for (i, p) in points.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{p}")?;
                }
                f.write_str("]")
            }
        }
    }
}

impl FromStr for Date {
    type Err = DateError;

    /// Reads a date as [`Date::parse`] does.
    fn from_str(s: &str) -> Result<Date, DateError> {
        Date::parse(s)
    }
}

impl Serialize for Date {
    /// Serialises the date as its canonical EDTF string, such as
    /// `"[2018,2019]"`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    /// Deserialises a date from an EDTF string, such as `"2008-06"`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        deserializer.deserialize_str(EdtfVisitor::<Date>::new())
    }
}

/// Reads a [`Point`] or a [`Date`] from a string for serde.
struct EdtfVisitor<T>(std::marker::PhantomData<T>);

impl<T> EdtfVisitor<T> {
    /// Makes the visitor.
    fn new() -> Self {
        EdtfVisitor(std::marker::PhantomData)
    }
}

impl<T: FromStr<Err = DateError>> Visitor<'_> for EdtfVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an EDTF date string such as `2008-06`")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        v.parse().map_err(|e: DateError| E::custom(e.message))
    }
}

/// The first and last day something can denote; what comparisons work on.
///
/// Build it with [`Bounds::new`] to guarantee `earliest <= latest`; the
/// methods assume it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Bounds {
    /// The first day, included.
    pub earliest: NaiveDate,
    /// The last day, included.
    pub latest: NaiveDate,
}

impl Bounds {
    /// Makes bounds from the first to the last day, both included, or `None`
    /// if `earliest` comes after `latest`.
    pub fn new(earliest: NaiveDate, latest: NaiveDate) -> Option<Bounds> {
        (earliest <= latest).then_some(Bounds { earliest, latest })
    }

    /// Makes bounds covering the single day `d`.
    pub fn day(d: NaiveDate) -> Bounds {
        Bounds {
            earliest: d,
            latest: d,
        }
    }

    /// The smallest bounds containing both `self` and `other`.
    pub fn hull(self, other: Bounds) -> Bounds {
        Bounds {
            earliest: self.earliest.min(other.earliest),
            latest: self.latest.max(other.latest),
        }
    }

    /// Whether the bounds cover exactly one day.
    pub fn is_single_day(&self) -> bool {
        self.earliest == self.latest
    }

    /// Whether `d` lies within the bounds (both ends included).
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.earliest <= d && d <= self.latest
    }

    /// Whether these bounds lie wholly before, wholly after, or on the very
    /// same single day as `other`; [`Relation::CannotTell`] when they overlap
    /// otherwise.
    pub fn relation(&self, other: &Bounds) -> Relation {
        if self.latest < other.earliest {
            Relation::Before
        } else if self.earliest > other.latest {
            Relation::After
        } else if self.is_single_day() && other.is_single_day() {
            // They overlap, so two single days are the same day.
            Relation::Same
        } else {
            Relation::CannotTell
        }
    }

    /// How these bounds lie relative to the single day `d`.
    pub fn relation_to_day(&self, d: NaiveDate) -> Relation {
        self.relation(&Bounds::day(d))
    }

    /// The number of days covered, both ends included (at least 1 for bounds
    /// made with [`Bounds::new`]).
    pub fn days(&self) -> i64 {
        self.latest.signed_duration_since(self.earliest).num_days() + 1
    }
}

/// The answer to "is this before that?" when dates are partial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// Wholly before: the last day of one comes before the first day of the
    /// other.
    Before,
    /// The very same single day: both are exactly one day, the same.
    Same,
    /// Wholly after: the first day of one comes after the last day of the
    /// other.
    After,
    /// The sources do not settle the order: the spans overlap.
    CannotTell,
}

impl Relation {
    /// The relation seen from the other side: `Before` becomes `After` and
    /// vice versa; `Same` and `CannotTell` stay.
    pub fn reverse(self) -> Relation {
        match self {
            Relation::Before => Relation::After,
            Relation::After => Relation::Before,
            Relation::Same => Relation::Same,
            Relation::CannotTell => Relation::CannotTell,
        }
    }
}

/// A date that cannot be read: malformed, impossible, or using an EDTF
/// feature outside the supported subset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DateError {
    /// The text that could not be read.
    input: String,
    /// The full message shown to the user.
    message: String,
}

impl DateError {
    /// A stable, machine-readable code for the error: always
    /// `"invalid_date"`.
    pub fn code(&self) -> &'static str {
        "invalid_date"
    }

    /// The text that could not be read (for values given to a constructor,
    /// their EDTF rendering).
    pub fn input(&self) -> &str {
        &self.input
    }

    /// The full message, as shown by `Display`, such as
    /// ``invalid date `2008-13`: month 13 does not exist``.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// An error for text that is not a valid date.
    fn invalid(input: &str, reason: impl fmt::Display) -> DateError {
        let message = if input.is_empty() {
            format!("invalid date: {reason}")
        } else {
            format!("invalid date `{input}`: {reason}")
        };
        DateError {
            input: input.to_owned(),
            message,
        }
    }

    /// An error for text using an EDTF feature outside the supported subset.
    fn unsupported(input: &str, reason: impl fmt::Display) -> DateError {
        DateError {
            input: input.to_owned(),
            message: format!("unsupported date `{input}`: {reason}"),
        }
    }
}

/// Checks the whole input for emptiness, surrounding whitespace and EDTF
/// features outside the supported subset, before its structure is read.
fn check_whole(s: &str) -> Result<(), DateError> {
    if s.is_empty() {
        return Err(DateError::invalid(s, "the date is empty"));
    }
    if s.trim().is_empty() {
        return Err(DateError::invalid(
            s,
            "the date is empty (it holds only whitespace)",
        ));
    }
    if s.trim() != s {
        return Err(DateError::invalid(
            s,
            "remove the whitespace before or after the date",
        ));
    }
    if s.contains(['?', '~', '%']) {
        return Err(DateError::unsupported(
            s,
            "uncertain and approximate qualifiers (`?`, `~`, `%`) are not supported; give alternatives as `[2008,2009]` or an interval",
        ));
    }
    if s.contains("..") {
        return Err(DateError::unsupported(
            s,
            "open ends and ranges (`..`) are not supported; give both ends of an interval, as in `2008/2009`",
        ));
    }
    if s.contains(['X', 'x']) {
        return Err(DateError::unsupported(
            s,
            "unspecified digits (`X`) are not supported; give a coarser date, such as the year `2008` or the month `2008-06`",
        ));
    }
    if s.contains(['{', '}']) {
        return Err(DateError::unsupported(
            s,
            "all-of sets (`{...}`) are not supported; give an interval or a one-of set `[...]`",
        ));
    }
    if s.contains(['Y', 'E', 'S']) {
        return Err(DateError::unsupported(
            s,
            "long years and exponents (`Y`, `E`, `S`) are not supported; years run from 0001 to 9999",
        ));
    }
    if s.contains(['T', ':']) {
        return Err(DateError::unsupported(
            s,
            "times of day are not supported; give a day `YYYY-MM-DD`",
        ));
    }
    if s.contains([
        '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2212}',
    ]) {
        return Err(DateError::invalid(
            s,
            "write an interval with `/`, as in `2007-05-08/2007-05-09`, and use only `-` (a plain hyphen) inside dates",
        ));
    }
    Ok(())
}

/// Reads an interval `start/end`; `input` is the whole text.
fn parse_interval(input: &str) -> Result<Date, DateError> {
    let mut ends = input.split('/');
    let (Some(start), Some(end), None) = (ends.next(), ends.next(), ends.next()) else {
        return Err(DateError::invalid(
            input,
            "an interval has exactly two ends, separated by one `/`",
        ));
    };
    if start.is_empty() || end.is_empty() {
        return Err(DateError::unsupported(
            input,
            "intervals with an open or unknown end are not supported; give both ends, as in `2008/2009`",
        ));
    }
    let start = parse_point(start, input)?;
    let end = parse_point(end, input)?;
    check_interval(start, end).map_err(|reason| DateError::invalid(input, reason))?;
    Ok(Date::Interval { start, end })
}

/// Reads a one-of set `[a,b,...]`; `input` is the whole text.
fn parse_one_of(input: &str) -> Result<Date, DateError> {
    let Some(after_open) = input.strip_prefix('[') else {
        return Err(DateError::invalid(
            input,
            "a one-of set must start with `[`",
        ));
    };
    let Some(inner) = after_open.strip_suffix(']') else {
        return Err(DateError::invalid(
            input,
            "a one-of set must end with `]`, with nothing after it",
        ));
    };
    if inner.is_empty() {
        return Err(DateError::invalid(
            input,
            "a one-of set needs at least two dates",
        ));
    }
    let mut points = Vec::new();
    for (i, item) in inner.split(',').enumerate() {
        // Spaces after a comma are accepted (and dropped on printing).
        let item = if i == 0 {
            item
        } else {
            item.trim_start_matches(' ')
        };
        if item.is_empty() {
            return Err(DateError::invalid(input, "a one-of set has an empty entry"));
        }
        if item.contains(['[', ']']) {
            return Err(DateError::invalid(input, "one-of sets cannot be nested"));
        }
        if item.contains('/') {
            return Err(DateError::invalid(
                input,
                "a one-of set lists single dates, not intervals",
            ));
        }
        points.push(parse_point(item, input)?);
    }
    check_one_of(&points).map_err(|reason| DateError::invalid(input, reason))?;
    Ok(Date::OneOf(points))
}

/// Why `start/end` is not a valid interval, if it is not.
fn check_interval(start: Point, end: Point) -> Result<(), String> {
    if start.latest < end.earliest {
        Ok(())
    } else if start == end {
        Err(format!(
            "the interval starts and ends on the same date; write it as `{start}`"
        ))
    } else if end.latest < start.earliest {
        Err("the interval ends before it starts".to_owned())
    } else {
        Err(format!(
            "the end `{end}` overlaps the start `{start}`; an interval must end after it starts"
        ))
    }
}

/// Why `points` is not a valid one-of set, if it is not.
fn check_one_of(points: &[Point]) -> Result<(), String> {
    if points.len() < 2 {
        return Err("a one-of set needs at least two dates".to_owned());
    }
    for (i, p) in points.iter().enumerate() {
        if points.iter().take(i).any(|q| q == p) {
            return Err(format!("`{p}` is listed twice"));
        }
    }
    Ok(())
}

/// Reads one point `YYYY`, `YYYY-MM` or `YYYY-MM-DD` from `text`; `input` is
/// the whole text, quoted in errors.
fn parse_point(text: &str, input: &str) -> Result<Point, DateError> {
    if text.starts_with(['-', '+']) {
        return Err(DateError::unsupported(
            input,
            "signed years (`-`, `+`) are not supported; years run from 0001 to 9999",
        ));
    }
    if text.contains(char::is_whitespace) {
        return Err(DateError::invalid(
            input,
            "unexpected whitespace; write dates without spaces, as in `2008-06-15`",
        ));
    }
    if text.contains(['[', ']', ',']) {
        return Err(DateError::invalid(input, SHAPE));
    }
    let mut fields = text.split('-');
    let (Some(year), month, day, None) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return Err(DateError::invalid(input, SHAPE));
    };
    let Some(year_num) = digits(year, 4) else {
        if !year.is_empty() && year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DateError::invalid(
                input,
                "a year must have exactly 4 digits, from 0001 to 9999",
            ));
        }
        return Err(DateError::invalid(input, SHAPE));
    };
    let month_num = match month {
        None => None,
        Some(m) => Some(digits(m, 2).ok_or_else(|| DateError::invalid(input, SHAPE))?),
    };
    let day_num = match day {
        None => None,
        Some(d) => Some(digits(d, 2).ok_or_else(|| DateError::invalid(input, SHAPE))?),
    };
    let year_num = i32::try_from(year_num).map_err(|_| DateError::invalid(input, SHAPE))?;
    build(year_num, month_num, day_num, input)
}

/// The value of `text` if it is exactly `len` ASCII digits.
fn digits(text: &str, len: usize) -> Option<u32> {
    if text.len() == len && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

/// Makes a point from its fields, checking them; `input` is quoted in errors.
fn build(year: i32, month: Option<u32>, day: Option<u32>, input: &str) -> Result<Point, DateError> {
    if year == 0 {
        return Err(DateError::invalid(
            input,
            "year 0000 does not exist; years run from 0001 to 9999",
        ));
    }
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(DateError::invalid(
            input,
            format!("year {year} is out of range; years run from 0001 to 9999"),
        ));
    }
    let Some(month) = month else {
        return year_bounds(year, input);
    };
    if (21..=41).contains(&month) {
        return Err(DateError::unsupported(
            input,
            format!(
                "seasons and quarters (months 21 to 41) are not supported; give a month or an interval such as `{year:04}-03/{year:04}-05`"
            ),
        ));
    }
    if !(1..=12).contains(&month) {
        return Err(DateError::invalid(
            input,
            format!("month {month:02} does not exist"),
        ));
    }
    let (first, last) = month_bounds(year, month, input)?;
    let Some(day) = day else {
        return Ok(Point {
            earliest: first,
            latest: last,
            precision: Precision::Month,
        });
    };
    if day == 0 {
        return Err(DateError::invalid(input, "day 00 does not exist"));
    }
    match first.with_day(day) {
        Some(d) => Ok(Point {
            earliest: d,
            latest: d,
            precision: Precision::Day,
        }),
        None => Err(DateError::invalid(
            input,
            format!("{} {year:04} has {} days", month_name(month), last.day()),
        )),
    }
}

/// The point for a whole year, already checked to be in range.
fn year_bounds(year: i32, input: &str) -> Result<Point, DateError> {
    match (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) {
        (Some(earliest), Some(latest)) => Ok(Point {
            earliest,
            latest,
            precision: Precision::Year,
        }),
        _ => Err(DateError::invalid(input, "years run from 0001 to 9999")),
    }
}

/// The first and last day of a month, already checked to be in range.
fn month_bounds(year: i32, month: u32, input: &str) -> Result<(NaiveDate, NaiveDate), DateError> {
    let first = NaiveDate::from_ymd_opt(year, month, 1);
    let last = if month == 12 {
        NaiveDate::from_ymd_opt(year, 12, 31)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1).and_then(|d| d.pred_opt())
    };
    match (first, last) {
        (Some(first), Some(last)) => Ok((first, last)),
        _ => Err(DateError::invalid(
            input,
            format!("month {month:02} does not exist"),
        )),
    }
}

/// The English name of a month (1 to 12).
fn month_name(month: u32) -> &'static str {
    match month {
        1 => "January",
        2 => "February",
        3 => "March",
        4 => "April",
        5 => "May",
        6 => "June",
        7 => "July",
        8 => "August",
        9 => "September",
        10 => "October",
        11 => "November",
        _ => "December",
    }
}

impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "EdtfDate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An EDTF date of euca's subset: a year (2005), a month (2008-06), a day (2008-10-15), an interval (2007-05-08/2007-05-09) or one of a set ([2018,2019])",
            "pattern": "^(\\[.*\\]|[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?(/[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?)$"
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn parse(s: &str) -> Date {
        Date::parse(s).unwrap_or_else(|e| panic!("`{s}` should parse: {e}"))
    }

    fn err(s: &str) -> String {
        match Date::parse(s) {
            Ok(d) => panic!("`{s}` should not parse, got {d:?}"),
            Err(e) => {
                assert_eq!(e.code(), "invalid_date");
                assert_eq!(e.input(), s);
                assert_eq!(e.to_string(), e.message());
                e.to_string()
            }
        }
    }

    // ---- accepted forms ----

    #[test]
    fn year() {
        let d = parse("2005");
        assert_eq!(d, Date::Point(Point::year(2005).unwrap()));
        assert_eq!(d.earliest(), ymd(2005, 1, 1));
        assert_eq!(d.latest(), ymd(2005, 12, 31));
        assert_eq!(d.precision(), Precision::Year);
        assert!(!d.is_exact_day());
        assert_eq!(d.to_string(), "2005");
        assert_eq!(d.bounds().days(), 365);
        let p = Point::year(2005).unwrap();
        assert_eq!(p.year_value(), 2005);
        assert_eq!(p.month_value(), None);
        assert_eq!(p.day_value(), None);
    }

    #[test]
    fn month() {
        let d = parse("2008-06");
        assert_eq!(d.earliest(), ymd(2008, 6, 1));
        assert_eq!(d.latest(), ymd(2008, 6, 30));
        assert_eq!(d.precision(), Precision::Month);
        assert_eq!(d.to_string(), "2008-06");
        assert_eq!(parse("2008-02").latest(), ymd(2008, 2, 29));
        assert_eq!(parse("2009-02").latest(), ymd(2009, 2, 28));
        assert_eq!(parse("2009-12").latest(), ymd(2009, 12, 31));
        assert_eq!(parse("9999-12").latest(), ymd(9999, 12, 31));
        let p = Point::month(2008, 6).unwrap();
        assert_eq!(p.year_value(), 2008);
        assert_eq!(p.month_value(), Some(6));
        assert_eq!(p.day_value(), None);
    }

    #[test]
    fn day() {
        let d = parse("2008-10-15");
        assert_eq!(d, Date::day(2008, 10, 15).unwrap());
        assert_eq!(d.earliest(), ymd(2008, 10, 15));
        assert_eq!(d.latest(), ymd(2008, 10, 15));
        assert_eq!(d.precision(), Precision::Day);
        assert!(d.is_exact_day());
        assert_eq!(d.to_string(), "2008-10-15");
        assert_eq!(d.bounds().days(), 1);
        let p = Point::day(2008, 10, 15).unwrap();
        assert_eq!(
            (p.year_value(), p.month_value(), p.day_value()),
            (2008, Some(10), Some(15))
        );
        assert_eq!(parse("0001-01-01").earliest(), ymd(1, 1, 1));
        assert_eq!(parse("9999-12-31").latest(), ymd(9999, 12, 31));
    }

    #[test]
    fn intervals() {
        let d = parse("2007-05-08/2007-05-09");
        assert_eq!(
            d,
            Date::Interval {
                start: Point::day(2007, 5, 8).unwrap(),
                end: Point::day(2007, 5, 9).unwrap()
            }
        );
        assert_eq!(d.earliest(), ymd(2007, 5, 8));
        assert_eq!(d.latest(), ymd(2007, 5, 9));
        assert_eq!(d.precision(), Precision::Day);
        assert!(!d.is_exact_day());
        assert_eq!(d.to_string(), "2007-05-08/2007-05-09");
        assert_eq!(d.bounds().days(), 2);

        let d = parse("2008/2009");
        assert_eq!(
            (d.earliest(), d.latest()),
            (ymd(2008, 1, 1), ymd(2009, 12, 31))
        );
        assert_eq!(d.precision(), Precision::Year);
        assert_eq!(d.to_string(), "2008/2009");

        let d = parse("2008-06/2008-07");
        assert_eq!(
            (d.earliest(), d.latest()),
            (ymd(2008, 6, 1), ymd(2008, 7, 31))
        );
        assert_eq!(d.precision(), Precision::Month);

        let d = parse("2008-12-31/2009");
        assert_eq!(
            (d.earliest(), d.latest()),
            (ymd(2008, 12, 31), ymd(2009, 12, 31))
        );
        assert_eq!(d.precision(), Precision::Year);
        assert_eq!(d.to_string(), "2008-12-31/2009");
        assert_eq!(d.points().len(), 2);
    }

    #[test]
    fn one_of() {
        let d = parse("[2018,2019]");
        assert_eq!(
            d,
            Date::OneOf(vec![Point::year(2018).unwrap(), Point::year(2019).unwrap()])
        );
        assert_eq!(
            (d.earliest(), d.latest()),
            (ymd(2018, 1, 1), ymd(2019, 12, 31))
        );
        assert_eq!(d.to_string(), "[2018,2019]");

        let d = parse("[2024-10-17,2025-10-17]");
        assert_eq!(d.precision(), Precision::Day);
        assert!(!d.is_exact_day());
        assert!(d.may_include(ymd(2024, 10, 17)));
        assert!(!d.may_include(ymd(2025, 1, 1)));
        assert_eq!(d.relation_to_day(ymd(2025, 1, 1)), Relation::CannotTell);

        // Order is kept; spaces after commas are accepted and dropped.
        let d = parse("[2019, 2018-06,  2017-01-02]");
        assert_eq!(d.to_string(), "[2019,2018-06,2017-01-02]");
        assert_eq!(d.precision(), Precision::Year);
        assert_eq!(d.earliest(), ymd(2017, 1, 2));
        assert_eq!(d.latest(), ymd(2019, 12, 31));
        assert_eq!(
            d.points(),
            vec![
                Point::year(2019).unwrap(),
                Point::month(2018, 6).unwrap(),
                Point::day(2017, 1, 2).unwrap()
            ]
        );
    }

    #[test]
    fn leap_years() {
        assert_eq!(parse("2008-02-29").earliest(), ymd(2008, 2, 29));
        assert_eq!(parse("2000-02-29").earliest(), ymd(2000, 2, 29));
        assert_eq!(
            err("2009-02-29"),
            "invalid date `2009-02-29`: February 2009 has 28 days"
        );
        assert_eq!(
            err("1900-02-29"),
            "invalid date `1900-02-29`: February 1900 has 28 days"
        );
        assert_eq!(
            err("2009-02-30"),
            "invalid date `2009-02-30`: February 2009 has 28 days"
        );
        assert_eq!(
            err("2008-02-30"),
            "invalid date `2008-02-30`: February 2008 has 29 days"
        );
        assert_eq!(
            err("2008-04-31"),
            "invalid date `2008-04-31`: April 2008 has 30 days"
        );
    }

    // ---- errors ----

    #[test]
    fn bad_months_and_days() {
        assert_eq!(
            err("2008-13"),
            "invalid date `2008-13`: month 13 does not exist"
        );
        assert_eq!(
            err("2008-00"),
            "invalid date `2008-00`: month 00 does not exist"
        );
        assert_eq!(
            err("2008-99"),
            "invalid date `2008-99`: month 99 does not exist"
        );
        assert_eq!(
            err("2008-06-00"),
            "invalid date `2008-06-00`: day 00 does not exist"
        );
        assert_eq!(
            err("2008-01-32"),
            "invalid date `2008-01-32`: January 2008 has 31 days"
        );
        assert!(err("2008-13-01").contains("month 13 does not exist"));
    }

    #[test]
    fn bad_shapes() {
        let shape = "expected a year `YYYY`, a month `YYYY-MM` or a day `YYYY-MM-DD`";
        assert_eq!(err("2008-6"), format!("invalid date `2008-6`: {shape}"));
        for s in [
            "2008-6-01",
            "2008-06-1",
            "2008-006",
            "2008-",
            "2008-06-",
            "2008-06-15-",
            "2008-06-15-01",
            "2008-06-15abc",
            "2008a",
            "abcd",
            "20o8",
            "2008--06",
            "2008/06/15",
            "2008-06-15Z",
            "٢٠٠٨",
        ] {
            let e = err(s);
            assert!(e.starts_with("invalid date `"), "{e}");
        }
        assert!(err("2008-06-15abc").ends_with(shape));
    }

    #[test]
    fn bad_years() {
        assert_eq!(
            err("0000"),
            "invalid date `0000`: year 0000 does not exist; years run from 0001 to 9999"
        );
        assert!(err("0000-01-01").contains("year 0000 does not exist"));
        assert_eq!(
            err("10000"),
            "invalid date `10000`: a year must have exactly 4 digits, from 0001 to 9999"
        );
        assert!(err("20080-01").contains("exactly 4 digits"));
        assert!(err("208").contains("exactly 4 digits"));
        assert!(err("-2008").starts_with("unsupported date `-2008`: signed years"));
        assert!(err("+2008").starts_with("unsupported date `+2008`: signed years"));
        assert!(err("Y12345").starts_with("unsupported date `Y12345`: long years"));
        assert!(err("1950S2").starts_with("unsupported date"));
    }

    #[test]
    fn trailing_garbage() {
        assert!(err("2008x").starts_with("unsupported date"));
        assert!(err("2008-06-15 ").contains("whitespace"));
        assert!(err("2008.").starts_with("invalid date `2008.`"));
        assert!(err("2008/2009/2010").contains("exactly two ends"));
        assert!(err("[2018,2019]a").contains("must end with `]`"));
        assert!(err("[2018,2019]/2020").contains("must end with `]`"));
        assert!(err("2018]").contains("must start with `[`"));
    }

    #[test]
    fn empty_and_whitespace() {
        assert_eq!(err(""), "invalid date: the date is empty");
        assert_eq!(
            err("   "),
            "invalid date `   `: the date is empty (it holds only whitespace)"
        );
        assert!(err("\t\n").contains("only whitespace"));
        assert!(err(" 2008").contains("whitespace"));
        assert!(err("2008\n").contains("whitespace"));
        assert!(err("2008 /2009").contains("whitespace"));
        assert!(err("2008-06 -15").contains("whitespace"));
        assert!(err("[2018 ,2019]").contains("whitespace"));
        assert!(err("[ 2018,2019]").contains("whitespace"));
        assert!(err("[2018,\t2019]").contains("whitespace"));
    }

    #[test]
    fn unsupported_features() {
        assert_eq!(
            err("2008~"),
            "unsupported date `2008~`: uncertain and approximate qualifiers (`?`, `~`, `%`) are not supported; give alternatives as `[2008,2009]` or an interval"
        );
        assert!(err("2008?").contains("qualifiers"));
        assert!(err("2008-06%").contains("qualifiers"));
        assert!(err("?2008-06-~11").contains("qualifiers"));
        assert!(err("200X").contains("unspecified digits"));
        assert!(err("2008-XX").contains("unspecified digits"));
        assert!(err("2008/..").contains("open ends"));
        assert!(err("../2008").contains("open ends"));
        assert!(err("[..2008,2010]").contains("open ends"));
        assert!(err("2008/").contains("open or unknown end"));
        assert!(err("/2008").contains("open or unknown end"));
        assert!(err("{2008,2009}").contains("all-of sets"));
        assert!(err("2008-06-15T10:00").contains("times of day"));
        for season in ["2008-21", "2008-24", "2008-33", "2008-41"] {
            let e = err(season);
            assert!(e.starts_with("unsupported date"), "{e}");
            assert!(e.contains("seasons"), "{e}");
        }
        assert!(err("2008-42").contains("month 42 does not exist"));
        assert!(err("2008-20").contains("month 20 does not exist"));
        assert!(err("2007–2008").contains("with `/`"));
    }

    #[test]
    fn bad_intervals() {
        assert_eq!(
            err("2009/2008"),
            "invalid date `2009/2008`: the interval ends before it starts"
        );
        assert!(err("2008/2008").contains("starts and ends on the same date"));
        assert!(err("2008/2008-06").contains("overlaps"));
        assert!(err("2008-06-15/2008-06").contains("overlaps"));
        assert!(err("2008-06-15/2008-06-15").contains("same date"));
        assert!(err("2008-06-15/2008-06-14").contains("ends before it starts"));
        assert!(err("2009-02-29/2010").contains("February 2009 has 28 days"));
        assert!(err("2008/[2009,2010]").contains("invalid date"));
        let e = Date::interval(Point::year(2009).unwrap(), Point::year(2008).unwrap()).unwrap_err();
        assert_eq!(e.input(), "2009/2008");
        assert_eq!(
            e.message(),
            "invalid date `2009/2008`: the interval ends before it starts"
        );
    }

    #[test]
    fn bad_one_of() {
        assert_eq!(
            err("[2018]"),
            "invalid date `[2018]`: a one-of set needs at least two dates"
        );
        assert!(err("[]").contains("at least two dates"));
        assert_eq!(
            err("[2018,2018]"),
            "invalid date `[2018,2018]`: `2018` is listed twice"
        );
        assert!(err("[2018, 2019, 2018]").contains("`2018` is listed twice"));
        assert!(err("[2018,]").contains("empty entry"));
        assert!(err("[2018,,2019]").contains("empty entry"));
        assert!(err("[,2018,2019]").contains("empty entry"));
        assert!(err("[2018,[2019,2020]]").contains("nested"));
        assert!(err("[2018/2019,2020]").contains("not intervals"));
        assert!(err("[2018,2019-13]").contains("month 13 does not exist"));
        assert!(err("[2018").contains("must end with `]`"));
        assert!(err("2018,2019").contains("in brackets"));
        let e = Date::one_of(vec![Point::year(2018).unwrap()]).unwrap_err();
        assert_eq!(e.input(), "[2018]");
        assert!(Date::one_of(vec![]).is_err());
        // Overlapping but distinct points are allowed.
        assert_eq!(parse("[2018,2018-06]").to_string(), "[2018,2018-06]");
    }

    #[test]
    fn constructors() {
        assert_eq!(
            Point::month(2008, 13).unwrap_err().message(),
            "invalid date `2008-13`: month 13 does not exist"
        );
        assert_eq!(
            Point::day(2009, 2, 30).unwrap_err().message(),
            "invalid date `2009-02-30`: February 2009 has 28 days"
        );
        assert!(Point::year(0).is_err());
        assert!(
            Point::year(-5)
                .unwrap_err()
                .message()
                .contains("out of range")
        );
        assert!(Point::year(10000).is_err());
        assert!(Point::year(9999).is_ok());
        assert!(Point::year(1).is_ok());
        assert!(Point::month(2008, 0).is_err());
        assert!(Point::day(2008, 1, 0).is_err());
        assert_eq!(
            Point::from_naive(ymd(2008, 6, 15)).unwrap(),
            Point::day(2008, 6, 15).unwrap()
        );
        assert!(Point::from_naive(ymd(0, 6, 15)).is_err());
        assert!(Point::from_naive(ymd(10000, 1, 1)).is_err());
        assert_eq!(
            Date::from_naive(ymd(2008, 6, 15)).unwrap(),
            Date::day(2008, 6, 15).unwrap()
        );
        assert_eq!(Date::from(Point::year(2008).unwrap()), parse("2008"));
    }

    #[test]
    fn point_from_str() {
        assert_eq!(
            "2008-06".parse::<Point>().unwrap(),
            Point::month(2008, 6).unwrap()
        );
        assert_eq!(
            "2008/2009".parse::<Point>().unwrap_err().message(),
            "invalid date `2008/2009`: expected a single year, month or day, not an interval"
        );
        assert!(
            "[2008,2009]"
                .parse::<Point>()
                .unwrap_err()
                .message()
                .contains("one-of")
        );
        assert!("".parse::<Point>().is_err());
        assert!(
            "2008~"
                .parse::<Point>()
                .unwrap_err()
                .message()
                .contains("qualifiers")
        );
        assert_eq!(Point::day(5, 3, 7).unwrap().to_string(), "0005-03-07");
    }

    // ---- relations ----

    #[test]
    fn relations() {
        let june = parse("2008-06");
        assert_eq!(june.relation_to_day(ymd(2008, 6, 15)), Relation::CannotTell);
        assert_eq!(june.relation_to_day(ymd(2008, 7, 1)), Relation::Before);
        assert_eq!(june.relation_to_day(ymd(2008, 5, 31)), Relation::After);
        assert_eq!(june.relation(&parse("2008-07-01")), Relation::Before);
        assert_eq!(parse("2008-07-01").relation(&june), Relation::After);
        assert_eq!(june.relation(&parse("2008-06-15")), Relation::CannotTell);
        assert_eq!(
            parse("2008-10-15").relation(&parse("2008-10-15")),
            Relation::Same
        );
        assert_eq!(
            parse("2008-10-15").relation_to_day(ymd(2008, 10, 15)),
            Relation::Same
        );
        assert_eq!(june.relation(&june), Relation::CannotTell);
        assert_eq!(
            parse("[2018,2019]").relation_to_day(ymd(2017, 12, 31)),
            Relation::After
        );
        assert_eq!(
            parse("[2018,2019]").relation(&parse("2020/2021")),
            Relation::Before
        );
        assert_eq!(Relation::Before.reverse(), Relation::After);
        assert_eq!(Relation::After.reverse(), Relation::Before);
        assert_eq!(Relation::Same.reverse(), Relation::Same);
        assert_eq!(Relation::CannotTell.reverse(), Relation::CannotTell);
    }

    #[test]
    fn bounds() {
        let a = ymd(2008, 1, 1);
        let b = ymd(2008, 12, 31);
        assert_eq!(Bounds::new(b, a), None);
        let y = Bounds::new(a, b).unwrap();
        assert_eq!(y.days(), 366);
        assert!(!y.is_single_day());
        assert!(y.contains(a) && y.contains(b) && !y.contains(ymd(2009, 1, 1)));
        let d = Bounds::day(a);
        assert!(d.is_single_day());
        assert_eq!(d.days(), 1);
        assert_eq!(Bounds::new(a, a), Some(d));
        assert_eq!(d.hull(Bounds::day(b)), y);
        assert_eq!(y.hull(d), y);
        assert_eq!(y.relation_to_day(ymd(2009, 1, 1)), Relation::Before);
        assert_eq!(d.relation(&d), Relation::Same);
        assert_eq!(y.relation(&d), Relation::CannotTell);
    }

    // ---- serde ----

    #[test]
    fn serde_strings() {
        let d = parse("[2018, 2019]");
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"[2018,2019]\"");
        assert_eq!(
            serde_json::from_str::<Date>("\"2008-06\"").unwrap(),
            parse("2008-06")
        );
        let p = Point::month(2008, 6).unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"2008-06\"");
        assert_eq!(serde_json::from_str::<Point>("\"2008-06\"").unwrap(), p);
        let e = serde_json::from_str::<Date>("\"2008-13\"").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("invalid date `2008-13`: month 13 does not exist"),
            "{e}"
        );
        let e = serde_json::from_str::<Date>("2008").unwrap_err();
        assert!(
            e.to_string()
                .contains("expected an EDTF date string such as `2008-06`"),
            "{e}"
        );
        assert!(serde_json::from_str::<Point>("\"2008/2009\"").is_err());
        assert!(serde_json::from_str::<Point>("null").is_err());
        assert_eq!(
            serde_json::to_string(&Precision::Month).unwrap(),
            "\"month\""
        );
        assert_eq!(
            serde_json::to_string(&Relation::CannotTell).unwrap(),
            "\"cannot_tell\""
        );
        assert_eq!(
            serde_json::from_str::<Relation>("\"before\"").unwrap(),
            Relation::Before
        );
        assert!(Precision::Year < Precision::Month && Precision::Month < Precision::Day);
    }

    // ---- property tests ----

    fn arb_year() -> impl Strategy<Value = i32> {
        prop_oneof![1..=9999i32, 1990..=2030i32, Just(1), Just(9999)]
    }

    fn arb_point() -> impl Strategy<Value = Point> {
        prop_oneof![
            arb_year().prop_map(|y| Point::year(y).unwrap()),
            (arb_year(), 1..=12u32).prop_map(|(y, m)| Point::month(y, m).unwrap()),
            (arb_year(), 1..=12u32, 1..=31u32)
                .prop_filter_map("no such day", |(y, m, d)| Point::day(y, m, d).ok()),
        ]
    }

    fn arb_date() -> impl Strategy<Value = Date> {
        prop_oneof![
            arb_point().prop_map(Date::Point),
            (arb_point(), arb_point()).prop_filter_map("overlapping ends", |(a, b)| {
                Date::interval(a, b).or_else(|_| Date::interval(b, a)).ok()
            }),
            proptest::collection::vec(arb_point(), 2..5)
                .prop_filter_map("repeated points", |ps| Date::one_of(ps).ok()),
        ]
    }

    /// A canonical EDTF string, built without going through `Display`.
    fn arb_point_string() -> impl Strategy<Value = String> {
        prop_oneof![
            arb_year().prop_map(|y| format!("{y:04}")),
            (arb_year(), 1..=12u32).prop_map(|(y, m)| format!("{y:04}-{m:02}")),
            (arb_year(), 1..=12u32, 1..=31u32).prop_filter_map("no such day", |(y, m, d)| {
                NaiveDate::from_ymd_opt(y, m, d).map(|_| format!("{y:04}-{m:02}-{d:02}"))
            }),
        ]
    }

    fn arb_canonical() -> impl Strategy<Value = String> {
        prop_oneof![
            arb_point_string(),
            (arb_point_string(), arb_point_string()).prop_map(|(a, b)| format!("{a}/{b}")),
            proptest::collection::vec(arb_point_string(), 2..5)
                .prop_map(|v| format!("[{}]", v.join(","))),
        ]
    }

    fn arb_day() -> impl Strategy<Value = NaiveDate> {
        (arb_year(), 1..=366u32)
            .prop_filter_map("no such day", |(y, o)| NaiveDate::from_yo_opt(y, o))
    }

    proptest! {
        #[test]
        fn law_parse_print(d in arb_date()) {
            let s = d.to_string();
            prop_assert_eq!(Date::parse(&s).unwrap(), d.clone());
            prop_assert_eq!(s.parse::<Date>().unwrap(), d);
            prop_assert!(!s.contains(' '));
        }

        #[test]
        fn law_print_parse(s in arb_canonical()) {
            // Strings whose intervals or sets are invalid must be rejected,
            // the others must print back unchanged.
            match Date::parse(&s) {
                Ok(d) => prop_assert_eq!(d.to_string(), s),
                Err(e) => prop_assert!(
                    s.contains('/') || s.starts_with('['),
                    "{} rejected: {}", s, e
                ),
            }
        }

        #[test]
        fn law_spaces_after_commas(ps in proptest::collection::vec(arb_point(), 2..5), n in 0..3usize) {
            if let Ok(d) = Date::one_of(ps.clone()) {
                let items: Vec<String> = ps.iter().map(Point::to_string).collect();
                let spaced = format!("[{}]", items.join(&format!(",{}", " ".repeat(n))));
                prop_assert_eq!(Date::parse(&spaced).unwrap(), d);
            }
        }

        #[test]
        fn law_point_shape(p in arb_point()) {
            prop_assert!(p.earliest() <= p.latest());
            let s = p.to_string();
            let shape = (s.len(), s.matches('-').count());
            let expected = match p.precision() {
                Precision::Year => (4, 0),
                Precision::Month => (7, 1),
                Precision::Day => (10, 2),
            };
            prop_assert_eq!(shape, expected);
            prop_assert_eq!(s.parse::<Point>().unwrap(), p);
            prop_assert_eq!(p.precision() == Precision::Day, p.earliest() == p.latest());
            prop_assert_eq!(p.month_value().is_some(), p.precision() >= Precision::Month);
            prop_assert_eq!(p.day_value().is_some(), p.precision() == Precision::Day);
            prop_assert_eq!(p.year_value(), p.earliest().year());
            prop_assert_eq!(p.year_value(), p.latest().year());
        }

        #[test]
        fn law_bounds_ordered(d in arb_date()) {
            prop_assert!(d.earliest() <= d.latest());
            prop_assert!(d.bounds().days() >= 1);
            for p in d.points() {
                prop_assert!(d.earliest() <= p.earliest() && p.latest() <= d.latest());
                prop_assert!(d.precision() <= p.precision());
            }
            prop_assert_eq!(Bounds::new(d.earliest(), d.latest()), Some(d.bounds()));
        }

        #[test]
        fn law_relation_matches_bounds(a in arb_date(), b in arb_date()) {
            let (x, y) = (a.bounds(), b.bounds());
            let overlap = x.earliest <= y.latest && y.earliest <= x.latest;
            match a.relation(&b) {
                Relation::Before => prop_assert!(x.latest < y.earliest),
                Relation::After => prop_assert!(x.earliest > y.latest),
                Relation::Same => prop_assert!(
                    x.is_single_day() && y.is_single_day() && x == y
                ),
                Relation::CannotTell => prop_assert!(
                    overlap && !(x.is_single_day() && y.is_single_day() && x == y)
                ),
            }
            prop_assert_eq!(a.relation(&b), b.relation(&a).reverse());
            prop_assert_eq!(a.relation(&a), if a.is_exact_day() {
                Relation::Same
            } else {
                Relation::CannotTell
            });
        }

        #[test]
        fn law_relation_to_day(
            d in arb_date(),
            day in arb_day(),
            offset in -3i64..=3,
            near_end in any::<bool>(),
        ) {
            let anchor = if near_end { d.latest() } else { d.earliest() };
            let near = anchor
                .checked_add_signed(chrono::TimeDelta::days(offset))
                .unwrap_or(anchor);
            for day in [day, near] {
                let r = d.relation_to_day(day);
                prop_assert_eq!(r == Relation::Before, d.latest() < day);
                prop_assert_eq!(r == Relation::After, d.earliest() > day);
                if d.may_include(day) {
                    prop_assert!(matches!(r, Relation::Same | Relation::CannotTell));
                }
                prop_assert_eq!(r, d.bounds().relation(&Bounds::day(day)));
                if let Ok(single) = Date::from_naive(day) {
                    prop_assert_eq!(r, d.relation(&single));
                }
            }
        }

        #[test]
        fn law_serde_round_trip(d in arb_date()) {
            let json = serde_json::to_string(&d).unwrap();
            prop_assert_eq!(&json, &serde_json::to_string(&d.to_string()).unwrap());
            prop_assert_eq!(serde_json::from_str::<Date>(&json).unwrap(), d);
        }

        #[test]
        fn law_no_panic_on_garbage(s in "\\PC{0,24}") {
            let _ = Date::parse(&s);
            let _ = s.parse::<Point>();
        }

        #[test]
        fn law_no_panic_on_near_misses(s in "[0-9\\-/\\[\\], ]{0,24}") {
            if let Ok(d) = Date::parse(&s) {
                prop_assert_eq!(Date::parse(&d.to_string()).unwrap(), d);
            }
        }
    }
}
