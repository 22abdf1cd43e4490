//! A column of optional texts, one per row of a batch (the applications' ids, the EU shares),
//! stored as one buffer of text and the end of each row in it: a batch of a million rows holds no
//! string of its own per row.
//!
//! It reads and writes as a list of strings and nulls (`["APP-1", null, "APP-3"]`), and compares
//! row by row.

use std::fmt;

use serde::de::{SeqAccess, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A column of optional texts, one per row of a batch.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TextColumn {
    /// Every row's text, one after another.
    text: String,
    /// For each row, where its text ends in `text`, shifted left by one, with the low bit set
    /// when the row has a text (a row without one takes no room). The same rows are always
    /// stored the same way, so the derived equality compares rows.
    ends: Vec<usize>,
}

impl TextColumn {
    /// No rows yet, room for `rows` rows of `bytes` bytes of text in all.
    pub fn with_capacity(rows: usize, bytes: usize) -> TextColumn {
        TextColumn {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(rows),
        }
    }

    /// Adds a row.
    pub fn push(&mut self, value: Option<&str>) {
        match value {
            Some(text) => {
                self.text.push_str(text);
                self.end_row(true);
            }
            None => self.end_row(false),
        }
    }

    /// Adds a row whose text `write` writes at the end of the buffer: `write` returns whether
    /// the row has a text, and writes nothing when it has none.
    pub(crate) fn push_with(&mut self, write: impl FnOnce(&mut String) -> bool) {
        let before = self.text.len();
        let present = write(&mut self.text);
        if !present {
            self.text.truncate(before);
        }
        self.end_row(present);
    }

    fn end_row(&mut self, present: bool) {
        self.ends.push(self.text.len() << 1 | usize::from(present));
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Row `i`: `Some(None)` for a row without a text, `None` when there is no row `i`.
    pub fn get(&self, i: usize) -> Option<Option<&str>> {
        let end = *self.ends.get(i)?;
        let start = match i.checked_sub(1) {
            Some(before) => *self.ends.get(before)? >> 1,
            None => 0,
        };
        Some(self.row(start, end))
    }

    /// The row ending at `end` (as stored) whose text starts at byte `start`.
    fn row(&self, start: usize, end: usize) -> Option<&str> {
        if end & 1 == 0 {
            return None;
        }
        // Every end is a char boundary of the text by construction.
        Some(self.text.get(start..end >> 1).unwrap_or_default())
    }

    /// The rows in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Option<&str>> + '_ {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let row = self.row(start, end);
            start = end >> 1;
            row
        })
    }

    /// Every row, owned.
    pub fn to_vec(&self) -> Vec<Option<String>> {
        self.iter().map(|r| r.map(str::to_string)).collect()
    }

    /// Appends the rows of `other` after these.
    pub fn append(&mut self, other: &TextColumn) {
        let base = self.text.len() << 1;
        self.text.push_str(&other.text);
        self.ends.extend(other.ends.iter().map(|&e| base + e));
    }
}

impl<S: AsRef<str>> FromIterator<Option<S>> for TextColumn {
    fn from_iter<I: IntoIterator<Item = Option<S>>>(rows: I) -> TextColumn {
        let mut out = TextColumn::default();
        for row in rows {
            out.push(row.as_ref().map(AsRef::as_ref));
        }
        out
    }
}

impl<S: AsRef<str>> PartialEq<[Option<S>]> for TextColumn {
    fn eq(&self, other: &[Option<S>]) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .zip(other)
                .all(|(a, b)| a == b.as_ref().map(AsRef::as_ref))
    }
}

impl<S: AsRef<str>> PartialEq<Vec<Option<S>>> for TextColumn {
    fn eq(&self, other: &Vec<Option<S>>) -> bool {
        *self == other[..]
    }
}

impl<S: AsRef<str>, const N: usize> PartialEq<[Option<S>; N]> for TextColumn {
    fn eq(&self, other: &[Option<S>; N]) -> bool {
        *self == other[..]
    }
}

impl fmt::Debug for TextColumn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for TextColumn {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for row in self.iter() {
            seq.serialize_element(&row)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for TextColumn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Rows;
        impl<'de> Visitor<'de> for Rows {
            type Value = TextColumn;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of strings and nulls")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut rows: A) -> Result<TextColumn, A::Error> {
                let mut out = TextColumn::with_capacity(rows.size_hint().unwrap_or(0), 0);
                while let Some(row) = rows.next_element::<Option<String>>()? {
                    out.push(row.as_deref());
                }
                Ok(out)
            }
        }
        d.deserialize_seq(Rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_back_as_written_with_their_nulls() {
        let c: TextColumn = [Some("APP-1"), None, Some(""), Some("Душанбе 🌄")]
            .into_iter()
            .collect();
        assert_eq!(c.len(), 4);
        assert_eq!(c.get(0), Some(Some("APP-1")));
        assert_eq!(c.get(1), Some(None));
        assert_eq!(c.get(2), Some(Some("")));
        assert_eq!(c.get(3), Some(Some("Душанбе 🌄")));
        assert_eq!(c.get(4), None);
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, r#"["APP-1",null,"","Душанбе 🌄"]"#);
        let back: TextColumn = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
        assert_eq!(
            back.to_vec(),
            vec![
                Some("APP-1".to_string()),
                None,
                Some(String::new()),
                Some("Душанбе 🌄".to_string())
            ]
        );
        assert_eq!(
            format!("{c:?}"),
            r#"[Some("APP-1"), None, Some(""), Some("Душанбе 🌄")]"#
        );
    }

    #[test]
    fn an_empty_text_is_not_a_null_and_columns_join_in_order() {
        let mut a: TextColumn = [Some("x"), None].into_iter().collect();
        assert_ne!(a, [None::<&str>, None].into_iter().collect::<TextColumn>());
        assert_ne!(a, [Some("x"), Some("")].into_iter().collect::<TextColumn>());
        let b: TextColumn = [None, Some("yz")].into_iter().collect();
        a.append(&b);
        assert_eq!(a, vec![Some("x"), None, None, Some("yz")]);
        assert_eq!(
            a.iter().collect::<Vec<_>>(),
            [Some("x"), None, None, Some("yz")]
        );
        let mut written = TextColumn::default();
        written.push_with(|s| {
            s.push_str("gone");
            false
        });
        written.push_with(|s| {
            s.push_str("kept");
            true
        });
        assert_eq!(written, [None, Some("kept")]);
    }

    #[test]
    fn a_column_that_is_not_strings_and_nulls_is_refused() {
        let e = serde_json::from_str::<TextColumn>(r#"["a", 1]"#).unwrap_err();
        assert!(e.to_string().contains("expected a string"), "{e}");
        assert!(serde_json::from_str::<TextColumn>(r#"{"a": 1}"#).is_err());
    }
}
