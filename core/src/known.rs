//! Reading a value through serde when everything in it is known: no field the type does not
//! have, no value that cannot be read. The common path of every reader of applications (JSON
//! Lines, plain objects in WebAssembly, Python dicts), which then hands anything else to the reader
//! that names every problem with its path.
//!
//! The deserializer is wrapped so that serde's derived code, which skips an unknown field by
//! reading its value as [`serde::de::IgnoredAny`], raises a flag instead of dropping it without a
//! word. Nothing else is recorded: no path is built, no key is copied (what `serde_ignored` did
//! for every key, to name the unknown ones, cost a sixth of reading a line of JSON). The reporting
//! readers ([`crate::report`]) name the unknown fields, with paths, on the rare value that has one.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};

/// Reads a `T` from `deserializer` when it reads without error and without skipping anything;
/// `None` otherwise.
pub fn read_known<'de, T, D>(deserializer: D) -> Option<T>
where
    T: de::Deserialize<'de>,
    D: Deserializer<'de>,
{
    let skipped = Cell::new(false);
    let value = T::deserialize(Known {
        inner: deserializer,
        skipped: &skipped,
    })
    .ok()?;
    (!skipped.get()).then_some(value)
}

/// A deserializer whose every nested deserializer is wrapped too, raising `skipped` when any of
/// them is asked to skip a value.
struct Known<'a, D> {
    inner: D,
    skipped: &'a Cell<bool>,
}

/// A visitor handing the values it is given on, each nested access wrapped.
struct Wrap<'a, X> {
    inner: X,
    skipped: &'a Cell<bool>,
}

impl<'a, X> Wrap<'a, X> {
    fn new(inner: X, skipped: &'a Cell<bool>) -> Self {
        Wrap { inner, skipped }
    }
}

macro_rules! forward_wrapped {
    ($($method:ident ( $($arg:ident : $ty:ty),* ))*) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
                self.inner.$method($($arg,)* Wrap::new(visitor, self.skipped))
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Known<'_, D> {
    type Error = D::Error;

    forward_wrapped! {
        deserialize_any()
        deserialize_bool()
        deserialize_i8()
        deserialize_i16()
        deserialize_i32()
        deserialize_i64()
        deserialize_i128()
        deserialize_u8()
        deserialize_u16()
        deserialize_u32()
        deserialize_u64()
        deserialize_u128()
        deserialize_f32()
        deserialize_f64()
        deserialize_char()
        deserialize_str()
        deserialize_string()
        deserialize_bytes()
        deserialize_byte_buf()
        deserialize_option()
        deserialize_unit()
        deserialize_unit_struct(name: &'static str)
        deserialize_newtype_struct(name: &'static str)
        deserialize_seq()
        deserialize_tuple(len: usize)
        deserialize_tuple_struct(name: &'static str, len: usize)
        deserialize_map()
        deserialize_enum(name: &'static str, variants: &'static [&'static str])
        deserialize_identifier()
    }

    /// A struct is read from an object only: serde_json (and the derived visitor) would also
    /// read one from a list of its fields by position, so that `"exclusions": [true]` declared
    /// the first exclusion, and `[]` all of them by their defaults.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner
            .deserialize_struct(name, fields, Fields::new(visitor, self.skipped))
    }

    /// The one place a derived `Deserialize` drops something: an unknown field's value.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.skipped.set(true);
        self.inner.deserialize_ignored_any(visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident ( $ty:ty ))*) => {
        $(
            fn $method<E: de::Error>(self, v: $ty) -> Result<X::Value, E> {
                self.inner.$method(v)
            }
        )*
    };
}

impl<'de, X: Visitor<'de>> Visitor<'de> for Wrap<'_, X> {
    type Value = X::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.inner.expecting(f)
    }

    forward_visit! {
        visit_bool(bool)
        visit_i8(i8)
        visit_i16(i16)
        visit_i32(i32)
        visit_i64(i64)
        visit_i128(i128)
        visit_u8(u8)
        visit_u16(u16)
        visit_u32(u32)
        visit_u64(u64)
        visit_u128(u128)
        visit_f32(f32)
        visit_f64(f64)
        visit_char(char)
        visit_str(&str)
        visit_borrowed_str(&'de str)
        visit_string(String)
        visit_bytes(&[u8])
        visit_borrowed_bytes(&'de [u8])
        visit_byte_buf(Vec<u8>)
    }

    fn visit_none<E: de::Error>(self) -> Result<X::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<X::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<X::Value, D::Error> {
        self.inner.visit_some(Known {
            inner: d,
            skipped: self.skipped,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<X::Value, D::Error> {
        self.inner.visit_newtype_struct(Known {
            inner: d,
            skipped: self.skipped,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<X::Value, A::Error> {
        self.inner.visit_seq(Wrap::new(seq, self.skipped))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<X::Value, A::Error> {
        self.inner.visit_map(Wrap::new(map, self.skipped))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<X::Value, A::Error> {
        self.inner.visit_enum(Wrap::new(data, self.skipped))
    }
}

/// A struct's visitor given an object only: anything else is an error, the visitor's own
/// `invalid type` (what it says of a number or a string, it now says of a list).
struct Fields<'a, X> {
    inner: X,
    skipped: &'a Cell<bool>,
}

impl<'a, X> Fields<'a, X> {
    fn new(inner: X, skipped: &'a Cell<bool>) -> Self {
        Fields { inner, skipped }
    }
}

impl<'de, X: Visitor<'de>> Visitor<'de> for Fields<'_, X> {
    type Value = X::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<X::Value, A::Error> {
        self.inner.visit_map(Wrap::new(map, self.skipped))
    }
}

/// A seed whose deserializer is wrapped.
impl<'de, X: DeserializeSeed<'de>> DeserializeSeed<'de> for Wrap<'_, X> {
    type Value = X::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<X::Value, D::Error> {
        self.inner.deserialize(Known {
            inner: d,
            skipped: self.skipped,
        })
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Wrap<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.inner.next_element_seed(Wrap::new(seed, self.skipped))
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Wrap<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.inner.next_key_seed(Wrap::new(seed, self.skipped))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.inner.next_value_seed(Wrap::new(seed, self.skipped))
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'a, 'de, A: EnumAccess<'de>> EnumAccess<'de> for Wrap<'a, A> {
    type Error = A::Error;
    type Variant = Wrap<'a, A::Variant>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), A::Error> {
        let skipped = self.skipped;
        let (value, variant) = self.inner.variant_seed(Wrap::new(seed, skipped))?;
        Ok((value, Wrap::new(variant, skipped)))
    }
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for Wrap<'_, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.inner.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.inner
            .newtype_variant_seed(Wrap::new(seed, self.skipped))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.inner
            .tuple_variant(len, Wrap::new(visitor, self.skipped))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.inner
            .struct_variant(fields, Fields::new(visitor, self.skipped))
    }
}

#[cfg(test)]
mod tests {
    use super::read_known;
    use serde::Deserialize;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Inner {
        a: u32,
        #[serde(default)]
        b: Option<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Unit,
        Newtype(Inner),
        Tuple(u32, u32),
        Struct { x: u32 },
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Outer {
        inner: Option<Inner>,
        #[serde(default)]
        list: Vec<Inner>,
        #[serde(default)]
        kinds: Vec<Kind>,
        #[serde(default)]
        map: BTreeMap<String, Inner>,
        #[serde(default)]
        wrapped: Option<Newtype>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Newtype(Inner);

    /// What `serde_ignored` says of the same value: read, and whether anything was skipped.
    fn ignored(value: &serde_json::Value) -> Option<Outer> {
        let mut skipped = false;
        let out: Outer = serde_ignored::deserialize(value, |_| skipped = true).ok()?;
        (!skipped).then_some(out)
    }

    fn both(value: serde_json::Value) -> Option<Outer> {
        let from_value = read_known::<Outer, _>(&value);
        let text = value.to_string();
        let mut de = serde_json::Deserializer::from_str(&text);
        let from_text = read_known::<Outer, _>(&mut de);
        assert_eq!(from_value, from_text, "value and text disagree on {value}");
        assert_eq!(
            from_value,
            ignored(&value),
            "serde_ignored disagrees on {value}"
        );
        from_value
    }

    #[test]
    fn a_value_with_only_known_fields_reads() {
        let read = both(json!({
            "inner": {"a": 1, "b": "x"},
            "list": [{"a": 2}],
            "kinds": ["unit", {"newtype": {"a": 3}}, {"tuple": [4, 5]}, {"struct": {"x": 6}}],
            "map": {"k": {"a": 7}},
            "wrapped": {"a": 8}
        }))
        .expect("reads");
        assert_eq!(
            read.inner,
            Some(Inner {
                a: 1,
                b: Some("x".into())
            })
        );
        assert_eq!(read.kinds.len(), 4);
        assert_eq!(read.map["k"].a, 7);
        assert_eq!(read.wrapped, Some(Newtype(Inner { a: 8, b: None })));
    }

    #[test]
    fn an_unknown_field_anywhere_is_not_read() {
        for value in [
            json!({"inner": null, "extra": 1}),
            json!({"inner": {"a": 1, "extra": [1, 2]}}),
            json!({"inner": null, "list": [{"a": 1}, {"a": 2, "extra": null}]}),
            json!({"inner": null, "kinds": [{"newtype": {"a": 3, "extra": {}}}]}),
            json!({"inner": null, "kinds": [{"struct": {"x": 6, "extra": true}}]}),
            json!({"inner": null, "map": {"k": {"a": 7, "extra": "y"}}}),
            json!({"inner": null, "wrapped": {"a": 8, "extra": 0}}),
        ] {
            assert_eq!(both(value.clone()), None, "{value}");
        }
    }

    #[test]
    fn a_value_that_cannot_be_read_is_not_read() {
        for value in [
            json!({"inner": {"a": "one"}}),
            json!({"inner": {"b": "no a"}}),
            json!({"inner": null, "kinds": ["other"]}),
            json!([1, 2]),
        ] {
            assert_eq!(both(value.clone()), None, "{value}");
        }
    }

    #[test]
    fn a_struct_given_as_a_list_is_not_read() {
        for value in [
            json!({"inner": [1]}),
            json!({"inner": [1, "x"]}),
            json!({"inner": null, "list": [[2]]}),
            json!({"inner": null, "kinds": [{"newtype": [3]}]}),
            json!({"inner": null, "kinds": [{"struct": [6]}]}),
            json!({"inner": null, "map": {"k": [7]}}),
            json!({"inner": null, "wrapped": [8]}),
            json!([null]),
        ] {
            // serde_json alone reads each of them from text, the fields taken by position.
            let text = value.to_string();
            assert!(serde_json::from_str::<Outer>(&text).is_ok(), "{value}");
            assert_eq!(read_known::<Outer, _>(&value), None, "{value}");
            let mut de = serde_json::Deserializer::from_str(&text);
            assert_eq!(read_known::<Outer, _>(&mut de), None, "{value}");
        }
    }
}
