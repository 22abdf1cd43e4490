//! Facts the sources disagree on.
//!
//! A disputed fact is one record whose field carries alternatives, each with its own sources, plus a
//! note that says what the disagreement is (the Kazakhstan civil-society seminar of 2009 is "July
//! 2009" in the founding factsheet and "29–30 June 2009" in the seminar's concept note). Queries treat
//! such a field as uncertain between its alternatives.
//!
//! In JSON an agreed value is written as itself (`"2008-06"`) and a disputed one as an object:
//!
//! ```json
//! {"alternatives": [{"value": "2009-07", "sources": [...]},
//!                   {"value": "2009-06-29/2009-06-30", "sources": [...]}],
//!  "note": "the factsheet says July; the concept note gives 29-30 June"}
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::date::{Bounds, Date, Precision};
use crate::model::Source;

/// A value the sources agree on, or the alternatives they give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disputable<T> {
    /// One value; the record's own sources support it.
    Agreed(T),
    /// Two or more values, each with its own sources, and a note on the disagreement.
    Disputed(Dispute<T>),
}

/// The alternatives of a disputed value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispute<T> {
    /// What each source says, in the order the dataset gives them.
    pub alternatives: Vec<Alternative<T>>,
    /// What the disagreement is, in a sentence.
    pub note: String,
}

/// One source's version of a disputed value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alternative<T> {
    /// The value this source gives.
    pub value: T,
    /// The sources that give it.
    pub sources: Vec<Source>,
}

impl<T> Disputable<T> {
    /// Every value the sources give: one when agreed, each alternative's when disputed.
    pub fn values(&self) -> Vec<&T> {
        match self {
            Disputable::Agreed(v) => vec![v],
            Disputable::Disputed(d) => d.alternatives.iter().map(|a| &a.value).collect(),
        }
    }

    /// True when the sources disagree.
    pub fn is_disputed(&self) -> bool {
        matches!(self, Disputable::Disputed(_))
    }

    /// The agreed value, if the sources agree.
    pub fn agreed(&self) -> Option<&T> {
        match self {
            Disputable::Agreed(v) => Some(v),
            Disputable::Disputed(_) => None,
        }
    }
}

impl<T> From<T> for Disputable<T> {
    fn from(value: T) -> Self {
        Disputable::Agreed(value)
    }
}

impl Disputable<Date> {
    /// The first and last day any alternative allows.
    pub fn bounds(&self) -> Bounds {
        match self {
            Disputable::Agreed(d) => d.bounds(),
            Disputable::Disputed(d) => {
                let mut it = d.alternatives.iter().map(|a| a.value.bounds());
                // A dispute is validated to have at least two alternatives; an empty one (only
                // reachable by building it by hand) has no days and is treated as the widest span.
                match it.next() {
                    Some(first) => it.fold(first, Bounds::hull),
                    None => Bounds::day(chrono::NaiveDate::MIN),
                }
            }
        }
    }

    /// The coarsest precision among the alternatives.
    pub fn precision(&self) -> Precision {
        self.values()
            .into_iter()
            .map(Date::precision)
            .min()
            .unwrap_or(Precision::Year)
    }

    /// The date as text: the EDTF form when agreed, the alternatives joined by ` or ` when disputed.
    pub fn display(&self) -> String {
        match self {
            Disputable::Agreed(d) => d.to_string(),
            Disputable::Disputed(d) => d
                .alternatives
                .iter()
                .map(|a| a.value.to_string())
                .collect::<Vec<_>>()
                .join(" or "),
        }
    }
}

impl<T: Serialize> Serialize for Disputable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Disputable::Agreed(v) => v.serialize(serializer),
            Disputable::Disputed(d) => d.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Disputable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DisputableVisitor(PhantomData))
    }
}

struct DisputableVisitor<T>(PhantomData<T>);

macro_rules! forward_scalar {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
            T::deserialize(v.into_deserializer()).map(Disputable::Agreed)
        }
    )*};
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for DisputableVisitor<T> {
    type Value = Disputable<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value, or an object with `alternatives` and a `note`")
    }

    forward_scalar!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_string: String);

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        T::deserialize(v.into_deserializer()).map(Disputable::Agreed)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Dispute::deserialize(de::value::MapAccessDeserializer::new(map)).map(Disputable::Disputed)
    }
}
