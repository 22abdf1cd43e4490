//! Applications read straight from Python objects, the fast way.
//!
//! A batch of dicts is the common input of `evaluate_many`. Converting each dict into a
//! `serde_json::Value` first (an ordered map per object, a `String` per key) and then reading that
//! value costs more than evaluating the application. [`PyDeserializer`] is a serde `Deserializer`
//! over the Python objects themselves, so `Application`'s own `Deserialize` reads the dicts
//! directly: keys are matched as they are met and values land in their fields.
//!
//! It takes the same values [`crate::convert::walk`] takes, with the same meaning (a whole `float`
//! is an integer, dates and `Decimal` go through the walker), and gives up with an error at the
//! first thing it does not read; [`Application::read_fast`](euca::Application::read_fast) then
//! answers `None`, and the application is converted and read again the way that names every
//! problem with its path. So an application either reads here exactly as it would there, or is
//! reported there.

use euca::dataset::MAX_DEPTH;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserializer, forward_to_deserialize_any};
use serde_json::{Error, Value};

use crate::convert;

/// Why the fast reader gave up (never shown: the reporting reader runs next).
fn give_up<T>(why: &str) -> Result<T, Error> {
    Err(de::Error::custom(why))
}

fn python(e: &PyErr) -> Error {
    de::Error::custom(e)
}

/// A serde deserializer over one Python value, `depth` containers below the document's root.
pub struct PyDeserializer<'a, 'py> {
    obj: &'a Bound<'py, PyAny>,
    depth: usize,
}

impl<'a, 'py> PyDeserializer<'a, 'py> {
    /// A deserializer over a document's root.
    pub fn new(obj: &'a Bound<'py, PyAny>) -> Self {
        PyDeserializer { obj, depth: 0 }
    }

    /// A deserializer over a value `depth` containers below the document's root.
    pub fn at(obj: &'a Bound<'py, PyAny>, depth: usize) -> Self {
        PyDeserializer { obj, depth }
    }

    /// Values that are not plain dicts, lists, strings or numbers (tuples, mappings, dates,
    /// `Decimal`, NumPy scalars), converted by the walker.
    fn walked(&self) -> Result<Value, Error> {
        let mut problems = Vec::new();
        let value = convert::walk(self.obj, &mut String::new(), self.depth, &mut problems)
            .map_err(|e| python(&e))?;
        if problems.is_empty() {
            Ok(value)
        } else {
            give_up("a value without a JSON form")
        }
    }
}

impl<'de> Deserializer<'de> for PyDeserializer<'_, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let obj = self.obj;
        if obj.is_none() {
            return visitor.visit_unit();
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return visitor.visit_str(&s.to_cow().map_err(|e| python(&e))?);
        }
        if let Ok(b) = obj.cast::<PyBool>() {
            return visitor.visit_bool(b.is_true());
        }
        if obj.is_instance_of::<PyInt>() {
            if let Ok(i) = obj.extract::<i64>() {
                return visitor.visit_i64(i);
            }
            return convert::int_value(obj)
                .map_err(|e| python(&e))?
                .deserialize_any(visitor);
        }
        if let Ok(f) = obj.cast::<PyFloat>() {
            return convert::float_value(f.value()).deserialize_any(visitor);
        }
        if let Ok(dict) = obj.cast::<PyDict>() {
            if self.depth >= MAX_DEPTH {
                return give_up("too deep");
            }
            return visitor.visit_map(Entries {
                items: dict.iter(),
                value: None,
                depth: self.depth + 1,
            });
        }
        if let Ok(list) = obj.cast::<PyList>() {
            if self.depth >= MAX_DEPTH {
                return give_up("too deep");
            }
            let mut items = Items {
                list,
                next: 0,
                depth: self.depth + 1,
            };
            let value = visitor.visit_seq(&mut items)?;
            // A visitor that stops before the end (a struct read from a list of its fields)
            // would drop the rest without a word: refused, as serde_json refuses it.
            if items.next < list.len() {
                return Err(serde::de::Error::invalid_length(
                    list.len(),
                    &"fewer elements in the list",
                ));
            }
            return Ok(value);
        }
        self.walked()?.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.obj.is_none() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
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
        // A unit variant is its name; anything else as serde_json reads it.
        if let Ok(s) = self.obj.cast::<PyString>() {
            let text = s.to_cow().map_err(|e| python(&e))?.into_owned();
            return visitor.visit_enum(IntoDeserializer::<Error>::into_deserializer(text));
        }
        if self.depth >= MAX_DEPTH {
            return give_up("too deep");
        }
        self.walked()?.deserialize_enum(name, variants, visitor)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// A dict's entries, keys first.
struct Entries<'py> {
    items: pyo3::types::iter::BoundDictIterator<'py>,
    value: Option<Bound<'py, PyAny>>,
    depth: usize,
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.items.next() else {
            return Ok(None);
        };
        let Ok(key) = key.cast::<PyString>() else {
            return give_up("a key that is not a string");
        };
        self.value = Some(value);
        let text = key.to_cow().map_err(|e| python(&e))?;
        seed.deserialize(IntoDeserializer::<Error>::into_deserializer(&*text))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some(value) = self.value.take() else {
            return give_up("a value without its key");
        };
        seed.deserialize(PyDeserializer {
            obj: &value,
            depth: self.depth,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// A list's items in order.
struct Items<'a, 'py> {
    list: &'a Bound<'py, PyList>,
    next: usize,
    depth: usize,
}

impl<'de> SeqAccess<'de> for Items<'_, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.next >= self.list.len() {
            return Ok(None);
        }
        let item = self.list.get_item(self.next).map_err(|e| python(&e))?;
        self.next += 1;
        seed.deserialize(PyDeserializer {
            obj: &item,
            depth: self.depth,
        })
        .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.list.len().saturating_sub(self.next))
    }
}
