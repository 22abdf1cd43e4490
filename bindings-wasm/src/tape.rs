//! Plain objects read from a tape: the values a JavaScript walk (`plain_tape`, src/input.rs)
//! writes as tagged bytes, in place of `JSON.stringify`'s text. What `evaluateMany` reads a batch
//! of plain objects from: the walk checks and writes in one pass (the check before
//! `JSON.stringify` was a pass of its own), and the module reads numbers and strings without
//! parsing text.
//!
//! The tape says exactly what `JSON.stringify` would have written (the walk gives up on anything
//! else), and this reader hands each value to serde as serde_json hands the same value read from
//! that text: a number as `u64`, `i64` or `f64` by how `JSON.stringify` writes it, a string
//! borrowed, lists and objects entry by entry. So an application reads here as it would from the
//! text, or not at all, and then the text is read. The tests check that on the fixtures and on
//! damaged copies of them (`tests` below, and tests/node.test.mjs in JavaScript).
//!
//! The format, little-endian: `0` null, `1` false, `2` true, `3` + an `f64` a number, `4` + a
//! `u32` length + UTF-8 a string, `5` + a `u32` count + the items a list, `6` + a `u32` count +
//! that many (key, value) an object. A key is a string the first time the tape has it (the first
//! [`MAX_KEYS`] such keys are numbered in the order they come), and after that `7` + the `u16`
//! number of that first time: a batch's applications have the same few dozen keys, which are
//! then neither encoded by the walk nor checked as UTF-8 here but once per tape.

use euca::Application;
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const NUMBER: u8 = 3;
const STRING: u8 = 4;
const LIST: u8 = 5;
const OBJECT: u8 = 6;
const KEY: u8 = 7;

/// How many keys a tape numbers (what a `u16` holds); later new keys are written out each time.
const MAX_KEYS: usize = 1 << 16;

/// Why a tape does not read: nothing is said, the text is read instead.
#[derive(Debug)]
pub struct Unread;

impl std::fmt::Display for Unread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("read the text instead")
    }
}

impl std::error::Error for Unread {}

impl de::Error for Unread {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Unread
    }
}

/// The applications of a tape holding one list of objects, when every one of them reads as it is
/// (as [`Application::read_fast`] reads it); `None` otherwise.
pub fn applications(tape: &[u8]) -> Option<Vec<Application>> {
    let mut reader = Reader {
        tape,
        at: 0,
        skipped: false,
        keys: Vec::with_capacity(64),
    };
    if reader.byte().ok()? != LIST {
        return None;
    }
    let count = reader.count().ok()?;
    if count > euca::limits::MAX_BATCH {
        return None;
    }
    let mut apps = Vec::with_capacity(count);
    for _ in 0..count {
        // An application is an object: serde would read a struct from a list too, which the
        // reporting reader refuses.
        if reader.peek().ok()? != OBJECT {
            return None;
        }
        // What `Application::read_fast` checks, without its wrapper around every value: this
        // reader notes itself whether a value was skipped (an unknown field).
        let app = <Application as serde::Deserialize>::deserialize(&mut reader).ok()?;
        if reader.skipped || !app.within_limits() {
            return None;
        }
        apps.push(app);
    }
    (reader.at == tape.len()).then_some(apps)
}

/// Where the reading is in the tape, whether a value was skipped (the one place a derived
/// `Deserialize` drops something: an unknown field's value), and the keys numbered so far.
struct Reader<'de> {
    tape: &'de [u8],
    at: usize,
    skipped: bool,
    keys: Vec<&'de str>,
}

impl<'de> Reader<'de> {
    fn take(&mut self, n: usize) -> Result<&'de [u8], Unread> {
        let end = self.at.checked_add(n).ok_or(Unread)?;
        let bytes = self.tape.get(self.at..end).ok_or(Unread)?;
        self.at = end;
        Ok(bytes)
    }

    fn byte(&mut self) -> Result<u8, Unread> {
        Ok(*self.take(1)?.first().ok_or(Unread)?)
    }

    fn peek(&self) -> Result<u8, Unread> {
        self.tape.get(self.at).copied().ok_or(Unread)
    }

    fn count(&mut self) -> Result<usize, Unread> {
        let bytes: [u8; 4] = self.take(4)?.try_into().map_err(|_| Unread)?;
        usize::try_from(u32::from_le_bytes(bytes)).map_err(|_| Unread)
    }

    fn number(&mut self) -> Result<f64, Unread> {
        let bytes: [u8; 8] = self.take(8)?.try_into().map_err(|_| Unread)?;
        Ok(f64::from_le_bytes(bytes))
    }

    /// The text after a `STRING` tag.
    fn text(&mut self) -> Result<&'de str, Unread> {
        let len = self.count()?;
        std::str::from_utf8(self.take(len)?).map_err(|_| Unread)
    }

    /// An object's key: a string, numbered if it is one of the first [`MAX_KEYS`], or the
    /// number of one.
    fn key(&mut self) -> Result<&'de str, Unread> {
        match self.byte()? {
            STRING => {
                let key = self.text()?;
                if self.keys.len() < MAX_KEYS {
                    self.keys.push(key);
                }
                Ok(key)
            }
            KEY => {
                let bytes: [u8; 2] = self.take(2)?.try_into().map_err(|_| Unread)?;
                let number = usize::from(u16::from_le_bytes(bytes));
                self.keys.get(number).copied().ok_or(Unread)
            }
            _ => Err(Unread),
        }
    }

    /// Passes over one value.
    fn skip(&mut self) -> Result<(), Unread> {
        match self.byte()? {
            NULL | FALSE | TRUE => Ok(()),
            NUMBER => self.take(8).map(|_| ()),
            STRING => self.text().map(|_| ()),
            LIST => {
                for _ in 0..self.count()? {
                    self.skip()?;
                }
                Ok(())
            }
            OBJECT => {
                for _ in 0..self.count()? {
                    self.key()?;
                    self.skip()?;
                }
                Ok(())
            }
            _ => Err(Unread),
        }
    }
}

/// A number as serde_json reads what `JSON.stringify` writes of it: a whole number below 10^21 is
/// written without an exponent and read as a `u64` (or, negative, an `i64`) when it fits; every
/// other number as an `f64`.
fn visit_number<'de, V: Visitor<'de>>(x: f64, visitor: V) -> Result<V::Value, Unread> {
    const TWO_64: f64 = 18_446_744_073_709_551_616.0;
    const MINUS_TWO_63: f64 = -9_223_372_036_854_775_808.0;
    if x.fract() == 0.0 && x.abs() < 1e21 {
        // Whole and in range (-0 among the `u64`s, as `JSON.stringify` writes `0`): the
        // conversions are exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        if (0.0..TWO_64).contains(&x) {
            return visitor.visit_u64(x as u64);
        } else if (MINUS_TWO_63..0.0).contains(&x) {
            return visitor.visit_i64(x as i64);
        }
    }
    visitor.visit_f64(x)
}

impl<'de> Deserializer<'de> for &mut Reader<'de> {
    type Error = Unread;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unread> {
        match self.byte()? {
            NULL => visitor.visit_unit(),
            FALSE => visitor.visit_bool(false),
            TRUE => visitor.visit_bool(true),
            NUMBER => {
                let x = self.number()?;
                visit_number(x, visitor)
            }
            STRING => visitor.visit_borrowed_str(self.text()?),
            LIST => {
                let mut items = Items {
                    reader: self,
                    left: 0,
                };
                items.left = items.reader.count()?;
                let out = visitor.visit_seq(&mut items)?;
                // serde_json refuses a list with items the visitor did not take.
                if items.left == 0 {
                    Ok(out)
                } else {
                    Err(Unread)
                }
            }
            OBJECT => {
                let mut entries = Entries {
                    reader: self,
                    left: 0,
                };
                entries.left = entries.reader.count()?;
                let out = visitor.visit_map(&mut entries)?;
                if entries.left == 0 {
                    Ok(out)
                } else {
                    Err(Unread)
                }
            }
            _ => Err(Unread),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unread> {
        if self.peek()? == NULL {
            self.at += 1;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Unread> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unread> {
        match self.byte()? {
            STRING => {
                let variant = de::value::BorrowedStrDeserializer::<Unread>::new(self.text()?);
                visitor.visit_enum(variant)
            }
            OBJECT if self.count()? == 1 => visitor.visit_enum(Tagged { reader: self }),
            _ => Err(Unread),
        }
    }

    /// A struct from an object only: serde_json would read one from a list of its fields by
    /// position too, which the reporting reader refuses (`"exclusions": [true]`).
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unread> {
        if self.peek()? == OBJECT {
            self.deserialize_any(visitor)
        } else {
            Err(Unread)
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unread> {
        self.skipped = true;
        self.skip()?;
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier
    }
}

/// The items of a list.
struct Items<'a, 'de> {
    reader: &'a mut Reader<'de>,
    left: usize,
}

impl<'de> SeqAccess<'de> for Items<'_, 'de> {
    type Error = Unread;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Unread> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.reader).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

/// The entries of an object.
struct Entries<'a, 'de> {
    reader: &'a mut Reader<'de>,
    left: usize,
}

impl<'de> MapAccess<'de> for Entries<'_, 'de> {
    type Error = Unread;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Unread> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let key = de::value::BorrowedStrDeserializer::<Unread>::new(self.reader.key()?);
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Unread> {
        seed.deserialize(&mut *self.reader)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

/// An externally tagged enum: an object of one entry, the variant and its value.
struct Tagged<'a, 'de> {
    reader: &'a mut Reader<'de>,
}

impl<'a, 'de> EnumAccess<'de> for Tagged<'a, 'de> {
    type Error = Unread;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Unread> {
        let variant = de::value::BorrowedStrDeserializer::<Unread>::new(self.reader.key()?);
        Ok((seed.deserialize(variant)?, self))
    }
}

impl<'de> VariantAccess<'de> for Tagged<'_, 'de> {
    type Error = Unread;

    fn unit_variant(self) -> Result<(), Unread> {
        <() as de::Deserialize>::deserialize(&mut *self.reader)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Unread> {
        seed.deserialize(&mut *self.reader)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Unread> {
        de::Deserializer::deserialize_seq(&mut *self.reader, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unread> {
        de::Deserializer::deserialize_struct(&mut *self.reader, "", fields, visitor)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    /// The tape of a value, as the JavaScript walk writes it (every number an `f64`, each key
    /// numbered the first time).
    fn tape_of(value: &Value, out: &mut Vec<u8>) {
        write(value, out, &mut std::collections::HashMap::new());
    }

    fn write(value: &Value, out: &mut Vec<u8>, keys: &mut std::collections::HashMap<String, u16>) {
        let text = |s: &str, out: &mut Vec<u8>| {
            out.push(STRING);
            out.extend(u32::try_from(s.len()).unwrap().to_le_bytes());
            out.extend(s.as_bytes());
        };
        match value {
            Value::Null => out.push(NULL),
            Value::Bool(b) => out.push(if *b { TRUE } else { FALSE }),
            Value::Number(n) => {
                out.push(NUMBER);
                out.extend(n.as_f64().unwrap().to_le_bytes());
            }
            Value::String(s) => text(s, out),
            Value::Array(items) => {
                out.push(LIST);
                out.extend(u32::try_from(items.len()).unwrap().to_le_bytes());
                items.iter().for_each(|v| write(v, out, keys));
            }
            Value::Object(map) => {
                out.push(OBJECT);
                out.extend(u32::try_from(map.len()).unwrap().to_le_bytes());
                for (k, v) in map {
                    if let Some(number) = keys.get(k) {
                        out.push(KEY);
                        out.extend(number.to_le_bytes());
                    } else {
                        if keys.len() < MAX_KEYS {
                            keys.insert(k.clone(), u16::try_from(keys.len()).unwrap());
                        }
                        text(k, out);
                    }
                    write(v, out, keys);
                }
            }
        }
    }

    /// What `JSON.stringify` writes of a value whose numbers are JavaScript's: a whole number
    /// below 10^21 without a fraction, every other one as serde_json writes an `f64`.
    fn js_text(value: &Value) -> Value {
        match value {
            Value::Number(n) => {
                let x = n.as_f64().unwrap();
                if x == 0.0 {
                    json!(0) // -0 too
                } else if x.fract() == 0.0 && x.abs() < 1e21 {
                    serde_json::from_str(&format!("{x:.0}")).unwrap()
                } else {
                    json!(x)
                }
            }
            Value::Array(items) => Value::Array(items.iter().map(js_text).collect()),
            Value::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), js_text(v))).collect())
            }
            other => other.clone(),
        }
    }

    /// Reads a list of applications from the tape and from the text; they must agree.
    fn agree(apps: &[Value]) {
        let list = Value::Array(apps.to_vec());
        let mut tape = Vec::new();
        tape_of(&list, &mut tape);
        let text = serde_json::to_string(&js_text(&list)).unwrap();
        assert_eq!(
            applications(&tape),
            euca::read_applications_fast(&text),
            "on {text}"
        );
    }

    include!("../../tests/fixture_applications.rs");

    #[test]
    fn reads_every_fixture_application_as_the_text_reads_it() {
        let apps = fixture_applications();
        assert!(apps.len() > 200, "{} applications", apps.len());
        let mut read = 0;
        for app in &apps {
            agree(std::slice::from_ref(app));
            read += usize::from(
                applications(&{
                    let mut t = Vec::new();
                    tape_of(&json!([app]), &mut t);
                    t
                })
                .is_some(),
            );
        }
        assert!(read > 100, "only {read} read from the tape");
        agree(&apps);
    }

    #[test]
    fn reads_damaged_applications_as_the_text_reads_them() {
        // Every field of every kind of value, an unknown field, numbers at the edges of what
        // serde_json reads as an integer.
        let base = json!({
            "id": "A-1",
            "applicant": {"legal_person": true, "org_type": 60, "country": "FR",
                "registered_on": "2008-07-27", "exclusions": {"fraud": false},
                "completed_projects": [{"ended_on": "2019-05-01"}], "annual_budget": 100},
            "co_applicants": [{"country": "TJ", "org_type": "22"}],
            "action": {"country": "TJ", "duration_months": 27, "sectors": [15160]},
            "budget": {"currency": "EUR", "direct": 29667900, "indirect": "25.90",
                "lines": [{"label": "a", "amount": 5}], "requested": 25739525},
            "submitted_at": "2020-09-04T11:30:00+02:00"
        });
        let replacements = [
            json!(null),
            json!(true),
            json!(0),
            json!(-0.0),
            json!(-1),
            json!(2.5),
            json!(1e21),
            json!(18_446_744_073_709_551_615_u64),
            json!(-9_223_372_036_854_775_808_i64),
            json!(9_007_199_254_740_993_f64),
            json!("x"),
            json!("Душанбе ✓ 𝄞"),
            json!([]),
            json!([1, "a"]),
            json!({}),
            json!({"zz": 1}),
        ];
        let mut pointers = Vec::new();
        fn walk(v: &Value, at: String, out: &mut Vec<String>) {
            match v {
                Value::Object(map) => map.iter().for_each(|(k, v)| {
                    out.push(format!("{at}/{k}"));
                    walk(v, format!("{at}/{k}"), out);
                }),
                Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| {
                    out.push(format!("{at}/{i}"));
                    walk(v, format!("{at}/{i}"), out);
                }),
                _ => {}
            }
        }
        walk(&base, String::new(), &mut pointers);
        agree(std::slice::from_ref(&base));
        for pointer in &pointers {
            for r in &replacements {
                let mut app = base.clone();
                *app.pointer_mut(pointer).unwrap() = r.clone();
                agree(&[app]);
            }
            let mut app = base.clone();
            if let Some(Value::Object(map)) = app.pointer_mut(pointer) {
                map.insert("zz_unknown".into(), json!(1));
                agree(&[app]);
            }
        }
        // Not an object, not a list.
        agree(&[json!([1, 2])]);
        agree(&[json!("application")]);
    }

    #[test]
    fn a_struct_given_as_a_list_does_not_read() {
        let tape = |value: Value| {
            let mut t = Vec::new();
            tape_of(&value, &mut t);
            t
        };
        let object = json!([{"id": "a", "applicant": {"exclusions": {"bankrupt": true}}}]);
        assert!(applications(&tape(object)).is_some());
        for list in [
            json!([{"id": "a", "applicant": {"exclusions": [true]}}]),
            json!([{"id": "a", "applicant": {"exclusions": []}}]),
            json!([{"id": "a", "action": []}]),
            json!([{"id": "a", "budget": {"lines": [["staff", 5]]}}]),
        ] {
            assert!(applications(&tape(list.clone())).is_none(), "{list}");
        }
    }

    #[test]
    fn a_tape_cut_short_or_with_bytes_after_it_does_not_read() {
        let mut tape = Vec::new();
        tape_of(&json!([{"id": "a"}]), &mut tape);
        assert!(applications(&tape).is_some());
        assert!(applications(&tape[..tape.len() - 1]).is_none());
        let mut longer = tape.clone();
        longer.push(NULL);
        assert!(applications(&longer).is_none());
        let mut bad_tag = tape;
        bad_tag[5] = 9;
        assert!(applications(&bad_tag).is_none());
    }

    /// A value read from a tape as serde_json's `Value`, and how many keys the reader numbered.
    fn value_of(tape: &[u8]) -> Option<(Value, usize)> {
        let mut reader = Reader {
            tape,
            at: 0,
            skipped: false,
            keys: Vec::new(),
        };
        let value = <Value as serde::Deserialize>::deserialize(&mut reader).ok()?;
        (reader.at == tape.len()).then_some((value, reader.keys.len()))
    }

    #[test]
    fn keys_are_numbered_up_to_what_a_u16_holds_and_written_out_after() {
        // 70 000 different keys, then each of them again: the first 65 536 come back as numbers.
        let many: serde_json::Map<String, Value> =
            (0..70_000).map(|i| (format!("k{i}"), json!(i))).collect();
        let value =
            json!([Value::Object(many.clone()), Value::Object(many), {"k1": {"k69999": 1}}]);
        let mut tape = Vec::new();
        tape_of(&value, &mut tape);
        assert_eq!(value_of(&tape), Some((value, MAX_KEYS)));
    }

    #[test]
    fn a_key_numbered_before_it_was_written_does_not_read() {
        // `{"a": 1, <key 1>: 2}`: only key 0 (`a`) has been written.
        let mut tape = vec![OBJECT, 2, 0, 0, 0, STRING, 1, 0, 0, 0, b'a', NUMBER];
        tape.extend(1.0f64.to_le_bytes());
        tape.extend([KEY, 1, 0, NUMBER]);
        tape.extend(2.0f64.to_le_bytes());
        assert_eq!(value_of(&tape), None);
        // Key 0 again reads as `a` (the later entry wins, as in serde_json's map).
        let low_byte = tape.len() - 11;
        tape[low_byte] = 0;
        assert_eq!(value_of(&tape), Some((json!({"a": 2}), 1)));
    }
}
