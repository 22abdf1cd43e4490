//! Reads a JSON value into a type in one pass that remembers where it is: the path of the value
//! that could not be read, and the path of every field the type does not know.
//!
//! It reads a `&serde_json::Value` exactly as serde_json's own reader of one does (the same calls
//! on each visitor, the same errors, as `serde_json::Error`s), but for a struct given as a list,
//! which serde_json reads by position and this reader refuses, and records at the same points as
//! `serde_path_to_error` and `serde_ignored` stacked on that reader did, which the reporting
//! readers used before. One layer instead of three: each type's reading is compiled once for it,
//! not once per wrapper, which made those two wrappers 0.9 MB of the 3.1 MB of code of the
//! WebAssembly module. The crate's tests check it against them on every embedded record and on
//! thousands of damaged ones.
//!
//! Paths are written as everywhere in euca (`rounds[3].date`, `test.duration.max_months`: the
//! variant of an externally tagged enum is a step, as it is a key in the document); the value
//! itself is `""`. Where the old readers differed, this one names the variant: the path of an
//! unknown field inside a struct or tuple variant (`b[0].struct.z`, where `serde_ignored` gave
//! `b[0].z`). Keys of objects are read as text: none of the types read here has a map with keys
//! of another type (serde_json would parse a number or a boolean out of such a key).

use std::cell::RefCell;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess,
    SeqAccess, Unexpected, VariantAccess, Visitor,
};
use serde_json::{Error, Map, Number, Value};

/// One step of a path into a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The value of a key of an object.
    Key(String),
    /// An item of a list.
    Index(usize),
    /// The value of an externally tagged enum (an object with one key, the variant).
    Variant(String),
}

/// Writes steps as a path: `a.b[2].c`, `""` for none.
pub fn path_text(steps: &[Step]) -> String {
    let mut out = String::new();
    for (i, step) in steps.iter().enumerate() {
        match step {
            Step::Key(k) | Step::Variant(k) => {
                if i > 0 {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// What the value could not be read as, and where.
#[derive(Debug)]
pub struct Failure {
    /// serde's error, worded as serde_json words it.
    pub error: Error,
    /// Where: the innermost value whose reading failed.
    pub at: Vec<Step>,
}

/// The outcome of [`read`]: the value or why not, and the fields the type does not know (each
/// path once, in the order they were met). Unknown fields are recorded up to the failure.
#[derive(Debug)]
pub struct Reported<T> {
    /// The value read, or the first problem that stopped the reading.
    pub result: Result<T, Failure>,
    /// The paths of the fields skipped as unknown.
    pub unknown: Vec<String>,
}

/// Reads `value` as a `T`, with the path of its first problem and of every unknown field.
pub fn read<T: DeserializeOwned>(value: &Value) -> Reported<T> {
    let state = State::default();
    let result = T::deserialize(Node {
        value,
        at: Path::Root,
        state: &state,
    });
    let State { failed_at, unknown } = state;
    Reported {
        result: result.map_err(|error| Failure {
            error,
            at: failed_at.into_inner().unwrap_or_default(),
        }),
        unknown: unknown.into_inner(),
    }
}

/// What the reading has noticed so far.
#[derive(Default)]
struct State {
    /// Where the first error arose (the innermost value; the outer ones leave it).
    failed_at: RefCell<Option<Vec<Step>>>,
    unknown: RefCell<Vec<String>>,
}

impl State {
    /// Records `at` as where `error` arose, unless a value inside it already is.
    fn fail(&self, at: &Path<'_>, error: Error) -> Error {
        let mut failed = self.failed_at.borrow_mut();
        if failed.is_none() {
            *failed = Some(at.steps());
        }
        error
    }

    fn skipped(&self, at: &Path<'_>) {
        let text = path_text(&at.steps());
        let mut unknown = self.unknown.borrow_mut();
        if !unknown.contains(&text) {
            unknown.push(text);
        }
    }
}

/// Where a value lies: a list up to the document, built on the stack as the reading descends.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
    Variant(&'a Path<'a>, &'a str),
}

impl Path<'_> {
    fn steps(&self) -> Vec<Step> {
        let mut out = Vec::new();
        let mut at = self;
        loop {
            match at {
                Path::Root => break,
                Path::Key(parent, key) => {
                    out.push(Step::Key((*key).to_string()));
                    at = parent;
                }
                Path::Index(parent, index) => {
                    out.push(Step::Index(*index));
                    at = parent;
                }
                Path::Variant(parent, name) => {
                    out.push(Step::Variant((*name).to_string()));
                    at = parent;
                }
            }
        }
        out.reverse();
        out
    }
}

/// A value of the document, where it lies.
struct Node<'a, 'de> {
    value: &'de Value,
    at: Path<'a>,
    state: &'a State,
}

/// What serde says a value is, as serde_json says it.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => number_unexpected(n),
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

fn number_unexpected(n: &Number) -> Unexpected<'static> {
    if let Some(u) = n.as_u64() {
        Unexpected::Unsigned(u)
    } else if let Some(i) = n.as_i64() {
        Unexpected::Signed(i)
    } else {
        Unexpected::Float(n.as_f64().unwrap_or(f64::NAN))
    }
}

impl<'a, 'de> Node<'a, 'de> {
    /// The error of a value that is not what `expected` reads: one function for every type
    /// read, not one per visitor (75 of them in the WebAssembly module).
    #[inline(never)]
    fn invalid_type(&self, expected: &dyn de::Expected) -> Error {
        de::Error::invalid_type(unexpected(self.value), expected)
    }

    /// Reads with `read`, recording this value as where any error arose.
    fn track<T>(self, read: impl FnOnce(Self) -> Result<T, Error>) -> Result<T, Error> {
        let (at, state) = (self.at, self.state);
        read(self).map_err(|e| state.fail(&at, e))
    }

    fn array<V: Visitor<'de>>(&self, items: &'de [Value], visitor: V) -> Result<V::Value, Error> {
        let mut seq = Items {
            items: items.iter(),
            index: 0,
            at: &self.at,
            state: self.state,
        };
        let out = visitor.visit_seq(&mut seq)?;
        if seq.items.len() == 0 {
            Ok(out)
        } else {
            Err(de::Error::invalid_length(
                items.len(),
                &"fewer elements in array",
            ))
        }
    }

    fn object<V: Visitor<'de>>(
        &self,
        entries: &'de Map<String, Value>,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let mut map = Entries {
            entries: entries.iter(),
            value: None,
            at: &self.at,
            state: self.state,
        };
        let out = visitor.visit_map(&mut map)?;
        if map.entries.len() == 0 {
            Ok(out)
        } else {
            Err(de::Error::invalid_length(
                entries.len(),
                &"fewer elements in map",
            ))
        }
    }
}

/// The numbers: read as serde_json reads them (by what the number is, whatever was asked).
macro_rules! numbers {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.track(|node| match node.value {
                Value::Number(n) => n.deserialize_any(visitor),
                _ => Err(node.invalid_type(&visitor)),
            })
        }
    )*};
}

impl<'de> Deserializer<'de> for Node<'_, 'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.track(|node| match node.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => n.deserialize_any(visitor),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => node.array(items, visitor),
            Value::Object(entries) => node.object(entries, visitor),
        })
    }

    numbers! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_f32 deserialize_f64
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.track(|node| match node.value {
            Value::Number(n) => n.deserialize_i128(visitor),
            _ => Err(node.invalid_type(&visitor)),
        })
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.track(|node| match node.value {
            Value::Number(n) => n.deserialize_u128(visitor),
            _ => Err(node.invalid_type(&visitor)),
        })
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (at, state) = (self.at, self.state);
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
        .map_err(|e| state.fail(&at, e))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.track(|node| match node.value {
            Value::Object(entries) => {
                let mut iter = entries.iter();
                let (Some((variant, value)), None) = (iter.next(), iter.next()) else {
                    return Err(de::Error::invalid_value(
                        Unexpected::Map,
                        &"map with a single key",
                    ));
                };
                visitor.visit_enum(Tagged {
                    variant,
                    value: Some(value),
                    at: &node.at,
                    state: node.state,
                })
            }
            Value::String(variant) => visitor.visit_enum(Tagged {
                variant,
                value: None,
                at: &node.at,
                state: node.state,
            }),
            other => Err(de::Error::invalid_type(unexpected(other), &"string or map")),
        })
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (at, state) = (self.at, self.state);
        visitor
            .visit_newtype_struct(self)
            .map_err(|e| state.fail(&at, e))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.track(|node| match node.value {
            Value::Bool(b) => visitor.visit_bool(*b),
            _ => Err(node.invalid_type(&visitor)),
        })
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.track(|node| match node.value {
            Value::String(s) => visitor.visit_borrowed_str(s),
            _ => Err(node.invalid_type(&visitor)),
        })
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.track(|node| match node.value {
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => node.array(items, visitor),
            _ => Err(node.invalid_type(&visitor)),
        })
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.track(|node| match node.value {
            Value::Null => visitor.visit_unit(),
            _ => Err(node.invalid_type(&visitor)),
        })
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.track(|node| match node.value {
            Value::Array(items) => node.array(items, visitor),
            _ => Err(node.invalid_type(&visitor)),
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.track(|node| match node.value {
            Value::Object(entries) => node.object(entries, visitor),
            _ => Err(node.invalid_type(&visitor)),
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // From an object only: serde_json reads a struct from a list of its fields too, by
        // position, which would take `"exclusions": [true]` as a declared bankruptcy.
        self.track(|node| match node.value {
            Value::Object(entries) => node.object(entries, visitor),
            _ => Err(node.invalid_type(&visitor)),
        })
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    /// A field the type does not know: recorded, and not read.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.state.skipped(&self.at);
        self.track(|_| visitor.visit_unit())
    }
}

/// The items of a list.
struct Items<'a, 'de> {
    items: std::slice::Iter<'de, Value>,
    index: usize,
    at: &'a Path<'a>,
    state: &'a State,
}

impl<'de> SeqAccess<'de> for Items<'_, 'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(value) = self.items.next() else {
            return Ok(None);
        };
        let at = Path::Index(self.at, self.index);
        self.index += 1;
        // An error the item's type raises after its value was read (a `Deserialize` that reads a
        // string and then parses it) is the item's, as serde_path_to_error records it.
        seed.deserialize(Node {
            value,
            at,
            state: self.state,
        })
        .map(Some)
        .map_err(|e| self.state.fail(&at, e))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The entries of an object.
struct Entries<'a, 'de> {
    entries: serde_json::map::Iter<'de>,
    value: Option<(&'de str, &'de Value)>,
    at: &'a Path<'a>,
    state: &'a State,
}

impl<'de> MapAccess<'de> for Entries<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some((key, value));
        seed.deserialize(Key(key)).map(Some).map_err(|e| {
            let at = Path::Key(self.at, key);
            self.state.fail(&at, e)
        })
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, value)) = self.value.take() else {
            return Err(de::Error::custom("value is missing"));
        };
        let at = Path::Key(self.at, key);
        // As for an item: an error the field's type raises after reading is the field's.
        seed.deserialize(Node {
            value,
            at,
            state: self.state,
        })
        .map_err(|e| self.state.fail(&at, e))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// A key of an object: text (the types read here have no map with keys of another type).
struct Key<'de>(&'de str);

impl<'de> Deserializer<'de> for Key<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.0
            .into_deserializer()
            .deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// An externally tagged enum: its variant, and the value inside (none for a bare string).
struct Tagged<'a, 'de> {
    variant: &'de str,
    value: Option<&'de Value>,
    at: &'a Path<'a>,
    state: &'a State,
}

impl<'a, 'de> EnumAccess<'de> for Tagged<'a, 'de> {
    type Error = Error;
    type Variant = Inside<'a, 'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Inside<'a, 'de>), Error> {
        let variant: de::value::StrDeserializer<'_, Error> = self.variant.into_deserializer();
        let read = seed
            .deserialize(variant)
            .map_err(|e| self.state.fail(self.at, e))?;
        Ok((
            read,
            Inside {
                variant: self.variant,
                value: self.value,
                at: self.at,
                state: self.state,
            },
        ))
    }
}

/// The value of a variant, under the variant's name.
struct Inside<'a, 'de> {
    variant: &'de str,
    value: Option<&'de Value>,
    at: &'a Path<'a>,
    state: &'a State,
}

impl<'de> VariantAccess<'de> for Inside<'_, 'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        let at = Path::Variant(self.at, self.variant);
        match self.value {
            Some(value) => <() as de::Deserialize>::deserialize(Node {
                value,
                at,
                state: self.state,
            })
            .map_err(|e| self.state.fail(&at, e)),
            None => Ok(()),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        let at = Path::Variant(self.at, self.variant);
        match self.value {
            Some(value) => seed.deserialize(Node {
                value,
                at,
                state: self.state,
            }),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"newtype variant",
            )),
        }
        .map_err(|e| self.state.fail(&at, e))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        let at = Path::Variant(self.at, self.variant);
        match self.value {
            Some(Value::Array(items)) if items.is_empty() => visitor.visit_unit(),
            Some(value @ Value::Array(items)) => Node {
                value,
                at,
                state: self.state,
            }
            .array(items, visitor),
            Some(other) => Err(de::Error::invalid_type(unexpected(other), &"tuple variant")),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"tuple variant",
            )),
        }
        .map_err(|e| self.state.fail(&at, e))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let at = Path::Variant(self.at, self.variant);
        match self.value {
            Some(value @ Value::Object(entries)) => Node {
                value,
                at,
                state: self.state,
            }
            .object(entries, visitor),
            Some(other) => Err(de::Error::invalid_type(
                unexpected(other),
                &"struct variant",
            )),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"struct variant",
            )),
        }
        .map_err(|e| self.state.fail(&at, e))
    }
}

/// Damaged copies of a value, for the tests of the other readers (crate::application).
#[cfg(test)]
pub(crate) use tests::damaged;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use serde::Serialize;
    use serde_json::json;

    use super::*;
    use crate::application::Application;
    use crate::dataset::{Change, embedded_part};
    use crate::model::*;
    use crate::projects::Project;
    use crate::rules::RuleSet;

    /// What a reading gives: the value (as JSON) or the error's message and path; the unknown
    /// fields' paths.
    type Outcome = (Result<Value, (String, String)>, Vec<String>);

    /// The readers this one replaced: `serde_ignored` over `serde_path_to_error` over
    /// serde_json's, with the path of an ignored field walked in the document to name the
    /// variant of an enum, as `crate::dataset` did.
    fn before<T: DeserializeOwned + Serialize>(value: &Value) -> Outcome {
        fn walk<'v>(path: &serde_ignored::Path, root: &'v Value) -> (String, Option<&'v Value>) {
            use serde_ignored::Path;
            let join = |p: String, key: &str| {
                if p.is_empty() {
                    key.to_string()
                } else {
                    format!("{p}.{key}")
                }
            };
            match path {
                Path::Root => (String::new(), Some(root)),
                Path::Seq { parent, index } => {
                    let (p, v) = walk(parent, root);
                    (format!("{p}[{index}]"), v.and_then(|v| v.get(*index)))
                }
                Path::Map { parent, key } => {
                    let (p, v) = walk(parent, root);
                    (join(p, key), v.and_then(|v| v.get(key.as_str())))
                }
                Path::Some { parent } | Path::NewtypeStruct { parent } => walk(parent, root),
                Path::NewtypeVariant { parent } => {
                    let (p, v) = walk(parent, root);
                    match v.and_then(Value::as_object) {
                        Some(map) if map.len() == 1 => {
                            let (variant, inner) = map.iter().next().unwrap();
                            (join(p, variant), Some(inner))
                        }
                        _ => (p, v),
                    }
                }
            }
        }
        let mut unknown = Vec::new();
        let mut track = serde_path_to_error::Track::new();
        let result: Result<T, _> = serde_ignored::deserialize(
            serde_path_to_error::Deserializer::new(value, &mut track),
            |p| {
                let field = walk(&p, value).0;
                if !unknown.contains(&field) {
                    unknown.push(field);
                }
            },
        );
        let result = result
            .map(|t| serde_json::to_value(t).unwrap())
            .map_err(|e| {
                let path = track.path().to_string();
                let path = if path == "." { String::new() } else { path };
                (e.to_string(), path)
            });
        (result, unknown)
    }

    fn now<T: DeserializeOwned + Serialize>(value: &Value) -> Outcome {
        let reported = read::<T>(value);
        let result = reported
            .result
            .map(|t| serde_json::to_value(t).unwrap())
            .map_err(|f| (f.error.to_string(), path_text(&f.at)));
        (result, reported.unknown)
    }

    /// Every JSON pointer into a value.
    fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                    out.push(p.clone());
                    pointers(v, p, out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    let p = format!("{at}/{i}");
                    out.push(p.clone());
                    pointers(v, p, out);
                }
            }
            _ => {}
        }
    }

    /// The value, and copies of it damaged at up to `per_value` places (spread over the value):
    /// each place replaced by values of every kind, given an unknown field, or removed.
    pub(crate) fn damaged(value: &Value, per_value: usize, add_unknown: bool) -> Vec<Value> {
        let replacements = [
            Value::Null,
            json!(true),
            json!(7),
            json!(-3),
            json!(2.5),
            json!("x"),
            json!("2021-02-30"),
            json!([]),
            json!([1, "a"]),
            json!({}),
            json!({"zz": 1}),
        ];
        let mut all = Vec::new();
        pointers(value, String::new(), &mut all);
        let step = all.len().div_ceil(per_value).max(1);
        let mut out = vec![value.clone()];
        let mut with_unknown = value.clone();
        if let Value::Object(map) = &mut with_unknown {
            map.insert("zz_unknown".into(), json!(1));
        }
        out.push(with_unknown);
        for pointer in all.iter().step_by(step) {
            for r in &replacements {
                if !add_unknown && r.as_object().is_some_and(|m| !m.is_empty()) {
                    continue;
                }
                let mut copy = value.clone();
                *copy.pointer_mut(pointer).unwrap() = r.clone();
                out.push(copy);
            }
            let mut copy = value.clone();
            if let (true, Some(Value::Object(map))) = (add_unknown, copy.pointer_mut(pointer)) {
                map.insert("zz_unknown".into(), json!({"a": [1]}));
                out.push(copy);
            }
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            let mut copy = value.clone();
            if let Some(Value::Object(map)) = copy.pointer_mut(parent) {
                map.shift_remove(&key.replace("~1", "/").replace("~0", "~"));
                out.push(copy);
            }
        }
        out
    }

    fn agree<T: DeserializeOwned + Serialize>(values: &[Value], per_value: usize) -> usize {
        agree_damaged::<T>(values, per_value, true)
    }

    fn agree_damaged<T: DeserializeOwned + Serialize>(
        values: &[Value],
        per_value: usize,
        add_unknown: bool,
    ) -> usize {
        let mut compared = 0;
        for value in values {
            let undamaged = before::<T>(value).0;
            for v in damaged(value, per_value, add_unknown) {
                let (now, before) = (now::<T>(&v), before::<T>(&v));
                if let Err((message, at)) = &now.0 {
                    // A struct given as a list, which the readers before read by position (a
                    // struct variant they refused as this one does, and is compared below).
                    if message.starts_with("invalid type: sequence, expected struct ")
                        && !message.starts_with("invalid type: sequence, expected struct variant")
                    {
                        // There is a list where it says, and the readers before read it, or
                        // failed at or within it, or failed where the undamaged value fails.
                        let steps = at.replace('[', ".").replace(']', "");
                        let pointer: String = steps
                            .split('.')
                            .filter(|s| !s.is_empty())
                            .map(|s| format!("/{s}"))
                            .collect();
                        assert!(
                            v.pointer(&pointer).is_some_and(Value::is_array),
                            "on {v}: {before:?} {now:?}"
                        );
                        let explained = match &before.0 {
                            Ok(_) => true,
                            Err((_, before_at)) => {
                                before_at.starts_with(at.as_str()) || before.0 == undamaged
                            }
                        };
                        assert!(explained, "on {v}: {before:?} {now:?}");
                        continue;
                    }
                }
                assert_eq!(now, before, "on {v}");
                compared += 1;
            }
        }
        compared
    }

    #[test]
    fn a_struct_given_as_a_list_is_refused_where_it_is() {
        let application = json!({"id": "a", "applicant": {"exclusions": [true]}});
        // serde_json reads it, the list's items as the fields in their order.
        let by_position: Application = serde_json::from_value(application.clone()).unwrap();
        assert!(by_position.applicant.unwrap().exclusions.unwrap().bankrupt == Some(true));
        let failure = read::<Application>(&application).result.unwrap_err();
        assert_eq!(path_text(&failure.at), "applicant.exclusions");
        assert!(
            failure
                .error
                .to_string()
                .starts_with("invalid type: sequence, expected struct"),
            "{}",
            failure.error
        );
        // An empty list is refused too (serde_json reads it as every field's default).
        let empty = json!({"id": "a", "action": []});
        assert!(serde_json::from_value::<Application>(empty.clone()).is_ok());
        let failure = read::<Application>(&empty).result.unwrap_err();
        assert_eq!(path_text(&failure.at), "action");
    }

    fn records(collection: &str) -> Vec<Value> {
        // A collection the embedded document does not have (`changes`) has no records.
        embedded_part(collection).map_or_else(Vec::new, |part| serde_json::from_str(part).unwrap())
    }

    #[test]
    fn agrees_with_the_readers_it_replaced_on_every_embedded_record_and_damaged_copies() {
        let mut compared = 0;
        macro_rules! each {
            ($($field:ident: $record:ty),* $(,)?) => {$(
                compared += agree::<$record>(&records(stringify!($field)), 6);
            )*};
        }
        each!(
            countries: Country,
            strategies: Strategy,
            agreements: Agreement,
            bodies: Body,
            dialogue_types: DialogueType,
            objectives: Objective,
            priority_issues: PriorityIssue,
            dialogues: Dialogue,
            rounds: Round,
            seminars: Seminar,
            initiatives: Initiative,
            instruments: Instrument,
            project_kinds: ProjectKind,
            projects: Project,
            organisation_types: OrganisationType,
            sectors: Sector,
            rule_sets: RuleSet,
            changes: Change,
        );
        assert!(compared > 10_000, "only {compared} values compared");
    }

    #[test]
    fn agrees_with_the_readers_it_replaced_on_applications() {
        let application = json!({
            "id": "APP-1",
            "applicant": {"legal_person": true, "non_profit": true, "org_type": 60, "country": "FR",
                "registered_on": "2008-07-27", "intermediary": false,
                "exclusions": {"bankrupt": false, "fraud": false},
                "completed_projects": [{"ended_on": "2019-05-01"}]},
            "co_applicants": [{"country": "TJ", "org_type": 60}, {"country": "NL", "org_type": "40"}],
            "action": {"country": "TJ", "duration_months": 27, "sectors": [15160, "15170"]},
            "budget": {"currency": "EUR", "direct": 29667900, "indirect": "25992.90",
                "lines": [{"label": "staff", "amount": 1000}], "requested": 25739525},
            "submitted_at": "2020-09-04T11:30:00+00:00"
        });
        let compared = agree::<Application>(&[application], 60);
        assert!(compared > 400, "only {compared} values compared");
    }

    /// The shapes of serde the records do not all use: a struct refusing unknown fields, enums
    /// of every kind of variant, a newtype, a tuple, an untagged enum, a flattened map.
    #[derive(Debug, Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Strict {
        a: u8,
        #[serde(default)]
        b: Option<Vec<Shape>>,
        #[serde(default)]
        c: Option<Wrapped>,
        #[serde(default)]
        d: Option<(u32, String)>,
        #[serde(default)]
        e: Option<Either>,
        #[serde(default)]
        f: Option<Loose>,
        #[serde(default)]
        g: Vec<Either>,
        #[serde(default)]
        h: Vec<crate::money::Currency>,
        #[serde(default = "no_currency")]
        k: crate::money::Currency,
    }

    fn no_currency() -> crate::money::Currency {
        crate::money::Currency::default()
    }

    #[derive(Debug, Serialize, serde::Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Shape {
        Unit,
        Newtype(Loose),
        Tuple(i64, bool),
        Struct { x: f64, y: Option<String> },
    }

    #[derive(Debug, Serialize, serde::Deserialize)]
    struct Wrapped(Vec<i16>);

    #[derive(Debug, Serialize, serde::Deserialize)]
    #[serde(untagged)]
    enum Either {
        Number(u64),
        Text(String),
        Pair { left: String },
    }

    #[derive(Debug, Serialize, serde::Deserialize)]
    struct Loose {
        n: Option<i32>,
        #[serde(flatten)]
        rest: std::collections::BTreeMap<String, Value>,
    }

    #[test]
    fn agrees_with_the_readers_it_replaced_on_every_shape_of_serde() {
        let value = json!({
            "a": 3,
            "b": ["unit", {"newtype": {"n": 1, "m": 2}}, {"tuple": [-4, true]}, {"unit": null}],
            "c": [1, -2, 3],
            "d": [7, "seven"],
            "e": {"left": "l"},
            "f": {"n": -1, "other": [1]},
            "g": [4, "four", {"left": "l"}],
            "h": ["EUR", "USD"],
            "k": "EUR"
        });
        // A struct variant, compared where it holds no unknown field (whose path the old readers
        // gave without the variant).
        let with_struct = json!({"a": 1, "b": [{"struct": {"x": 1.5, "y": "w"}}]});
        assert!(agree_damaged::<Strict>(&[with_struct], 60, false) > 40);
        let compared = agree::<Strict>(&[value], 60);
        assert!(compared > 300, "only {compared} values compared");
        // A field a struct refuses is an error at the field.
        let refused = now::<Strict>(&json!({"a": 1, "zz": 2})).0.unwrap_err();
        assert!(refused.0.starts_with("unknown field `zz`"), "{}", refused.0);
        assert_eq!(refused.1, "zz");
    }

    #[test]
    fn an_unknown_field_of_a_struct_variant_is_named_under_its_variant() {
        // `serde_ignored` leaves the variant out of such a path (`b[0].z`).
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Holder {
            b: Vec<Shape>,
        }
        let value = json!({"b": [{"struct": {"x": 1.5, "z": 0}}]});
        assert_eq!(read::<Holder>(&value).unknown, ["b[0].struct.z"]);
    }

    #[test]
    fn paths_name_keys_items_and_variants() {
        let rule_set = json!({"id": "r", "title": "t", "criteria": [
            {"id": "a", "statement": "s", "test": {"duration": {"min_months": "many"}}}
        ]});
        let reported = read::<RuleSet>(&rule_set);
        let failure = reported.result.unwrap_err();
        assert_eq!(
            path_text(&failure.at),
            "criteria[0].test.duration.min_months"
        );
        assert!(matches!(failure.at[3], Step::Variant(ref v) if v == "duration"));
        // Unknown fields are recorded up to the first value that does not read (here a
        // criterion without its citation), whose path is that of the criterion.
        let unknown = json!({"extra": [1], "id": "r", "title": "t", "criteria": [
            {"id": "a", "statement": "s", "test": {"duration": {"min_months": 2, "max_month": 3}}}
        ], "after": 1});
        let reported = read::<RuleSet>(&unknown);
        assert_eq!(
            reported.unknown,
            ["extra", "criteria[0].test.duration.max_month"]
        );
        let failure = reported.result.unwrap_err();
        assert_eq!(failure.error.to_string(), "missing field `citation`");
        assert_eq!(path_text(&failure.at), "criteria[0]");
        let root = read::<RuleSet>(&json!("a rule set"));
        assert_eq!(path_text(&root.result.unwrap_err().at), "");
    }
}
