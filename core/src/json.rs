//! Reading JSON text into a value, refusing what a plain reader would silently drop: an object
//! that names a key twice (`{"id": "a", "id": "b"}`). Readers disagree on which value wins, and
//! keeping one would lose the other without a word, so euca reports the second key with its path.
//!
//! The first pass reads exactly as `serde_json::Value` does, plus one check per key; only when it
//! finds a repeated key does a second pass walk the text again to name the key's path. Nesting is
//! bounded before either pass ([`crate::dataset::MAX_DEPTH`]), so neither recursion can overflow.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Why text could not be read.
pub(crate) enum ReadError {
    /// Not JSON (serde_json's error, with its line and column).
    Syntax(serde_json::Error),
    /// A key given twice in one object: its path (`rounds[2].date`), line and column.
    DuplicateKey {
        path: String,
        line: usize,
        column: usize,
    },
}

/// Reads JSON text into a value, refusing repeated keys.
pub(crate) fn read(text: &str) -> Result<Value, ReadError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let first = Strict { path: None }.deserialize(&mut de).and_then(|v| {
        de.end()?;
        Ok(v)
    });
    match first {
        Ok(value) => Ok(value),
        Err(e) if e.to_string().starts_with(DUPLICATE) => {
            let (line, column) = (e.line(), e.column());
            let mut path = Vec::new();
            let mut de = serde_json::Deserializer::from_str(text);
            let _ = Strict {
                path: Some(&mut path),
            }
            .deserialize(&mut de);
            Err(ReadError::DuplicateKey {
                path: path_text(&path),
                line,
                column,
            })
        }
        Err(e) => Err(ReadError::Syntax(e)),
    }
}

const DUPLICATE: &str = "duplicate key ";

enum Step {
    Key(String),
    Index(usize),
}

fn path_text(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(k) => out = crate::dataset::join_path(&out, k),
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Reads a value; with `path`, keeps the path of where it is (left at the repeated key).
struct Strict<'p> {
    path: Option<&'p mut Vec<Step>>,
}

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        match self.path {
            None => {
                while let Some(v) = seq.next_element_seed(Strict { path: None })? {
                    items.push(v);
                }
            }
            Some(path) => loop {
                path.push(Step::Index(items.len()));
                match seq.next_element_seed(Strict {
                    path: Some(&mut *path),
                })? {
                    Some(v) => items.push(v),
                    None => break,
                }
                path.pop();
            },
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let mut path = self.path;
        while let Some(key) = map.next_key::<String>()? {
            if let Some(p) = path.as_deref_mut() {
                p.push(Step::Key(key.clone()));
            }
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("{DUPLICATE}`{key}`")));
            }
            let value = map.next_value_seed(Strict {
                path: path.as_deref_mut(),
            })?;
            if let Some(p) = path.as_deref_mut() {
                p.pop();
            }
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn reads_as_serde_json_does() {
        let text = r#"{"a": [1, -2, 2.5, "x", null, true, {"b": {}}], "c": 18446744073709551615}"#;
        let ours = read(text).ok().unwrap();
        let theirs: Value = serde_json::from_str(text).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(
            serde_json::to_string(&ours).unwrap(),
            serde_json::to_string(&theirs).unwrap(),
            "key order kept"
        );
    }

    #[test]
    fn a_repeated_key_names_its_path() {
        let text = "{\"rounds\": [{\"id\": 1}, {\"id\": 2,\n \"id\": 3}]}";
        match read(text) {
            Err(ReadError::DuplicateKey { path, line, .. }) => {
                assert_eq!(path, "rounds[1].id");
                assert_eq!(line, 2);
            }
            _ => panic!("a duplicate key is an error"),
        }
        assert!(
            matches!(read("{\"a\": 1, \"a\": 1}"), Err(ReadError::DuplicateKey { path, .. }) if path == "a")
        );
        assert!(matches!(read("[1,"), Err(ReadError::Syntax(_))));
        assert!(matches!(read("1 2"), Err(ReadError::Syntax(_))));
    }
}
