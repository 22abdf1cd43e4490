//! The criterion ids of each row of a batch (those failed, those that cannot be told), stored as
//! one column: every row's ids are indexes into one table of the call's criterion ids, so a batch
//! of a million rows holds no string, and no list, of its own per row.
//!
//! It reads and writes as a list of lists of ids (`[["deadline"], [], ["lead_country", "sector"]]`),
//! and compares row by row as such, however it is stored.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::de::{SeqAccess, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A column of lists of criterion ids, one list per row of a batch.
#[derive(Clone, Default)]
pub struct CriterionIds {
    /// Each id once (shared with the call that evaluated the batch).
    names: Arc<Vec<String>>,
    /// Every row's indexes into `names`, one row after another.
    index: Vec<u32>,
    /// Where each row's indexes end in `index`.
    ends: Vec<usize>,
}

/// The ids of one row of a [`CriterionIds`] column.
#[derive(Clone, Copy)]
pub struct IdList<'a> {
    names: &'a [String],
    index: &'a [u32],
}

impl CriterionIds {
    /// No rows yet, room for `rows`; `names` is the table of ids the rows will index.
    pub(crate) fn with_names(names: Arc<Vec<String>>, rows: usize) -> CriterionIds {
        // Room for two ids a row: the column is not copied as it grows in a batch where most
        // rows have one or two (pages never written cost no memory).
        CriterionIds {
            names,
            index: Vec::with_capacity(rows.saturating_mul(2)),
            ends: Vec::with_capacity(rows),
        }
    }

    /// The column of these rows, each a list of ids.
    pub fn from_rows<R, S>(rows: impl IntoIterator<Item = R>) -> CriterionIds
    where
        R: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut out = CriterionIds::default();
        let mut seen = HashMap::new();
        for row in rows {
            for id in row {
                let at = out.intern(id.as_ref(), &mut seen);
                out.index.push(at);
            }
            out.ends.push(out.index.len());
        }
        out
    }

    /// The index of `id` in the table, added when it is not there (`seen` maps the table).
    fn intern(&mut self, id: &str, seen: &mut HashMap<String, u32>) -> u32 {
        if seen.is_empty() && !self.names.is_empty() {
            for (i, n) in self.names.iter().enumerate() {
                seen.entry(n.clone()).or_insert(index_of(i));
            }
        }
        if let Some(&i) = seen.get(id) {
            return i;
        }
        let i = index_of(self.names.len());
        Arc::make_mut(&mut self.names).push(id.to_string());
        seen.insert(id.to_string(), i);
        i
    }

    /// Adds entry `i` of the table to the row being written.
    #[inline]
    pub(crate) fn push_index(&mut self, i: u32) {
        self.index.push(i);
    }

    /// Ends the row being written.
    #[inline]
    pub(crate) fn end_row(&mut self) {
        self.ends.push(self.index.len());
    }

    /// Whether the row being written has no id yet.
    #[inline]
    pub(crate) fn row_is_empty(&self) -> bool {
        self.ends.last().copied().unwrap_or(0) == self.index.len()
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The ids of row `i`, if there is such a row.
    pub fn get(&self, i: usize) -> Option<IdList<'_>> {
        let end = *self.ends.get(i)?;
        let start = match i.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        Some(IdList {
            names: &self.names,
            index: self.index.get(start..end)?,
        })
    }

    /// The rows in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = IdList<'_>> + '_ {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let row = IdList {
                names: &self.names,
                index: self.index.get(start..end).unwrap_or_default(),
            };
            start = end;
            row
        })
    }

    /// Every row as a list of owned ids.
    pub fn to_vec(&self) -> Vec<Vec<String>> {
        self.iter().map(|r| r.to_vec()).collect()
    }

    /// Appends the rows of `other` after these.
    pub fn append(&mut self, other: &CriterionIds) {
        let base = self.index.len();
        self.ends.reserve(other.ends.len());
        if Arc::ptr_eq(&self.names, &other.names) || self.names == other.names {
            self.index.extend_from_slice(&other.index);
        } else {
            // Another table: each of its ids is looked up (and added) in this one.
            let mut seen = HashMap::new();
            let map: Vec<u32> = other
                .names
                .iter()
                .map(|n| self.intern(n, &mut seen))
                .collect();
            self.index
                .extend(other.index.iter().filter_map(|&i| map.get(i as usize)));
        }
        self.ends.extend(other.ends.iter().map(|&e| base + e));
    }
}

/// A table position as an index (a table holds at most [`crate::limits::MAX_CRITERIA`] ids of
/// a call, and the ids a caller gives, which cannot approach `u32::MAX` in memory).
fn index_of(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

impl<'a> IdList<'a> {
    /// The number of ids.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// True when the row has no id.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The ids in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + 'a {
        // Every index is in the table by construction.
        let names = self.names;
        self.index
            .iter()
            .filter_map(move |&i| names.get(i as usize))
            .map(String::as_str)
    }

    /// Whether the row holds `id`.
    pub fn contains(&self, id: &str) -> bool {
        self.iter().any(|x| x == id)
    }

    /// The ids, owned.
    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

impl<'a> IntoIterator for IdList<'a> {
    type Item = &'a str;
    type IntoIter = Box<dyn Iterator<Item = &'a str> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl PartialEq for IdList<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for IdList<'_> {}

impl<S: AsRef<str>> PartialEq<[S]> for IdList<'_> {
    fn eq(&self, other: &[S]) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a == b.as_ref())
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for IdList<'_> {
    fn eq(&self, other: &Vec<S>) -> bool {
        *self == other[..]
    }
}

impl<S: AsRef<str>, const N: usize> PartialEq<[S; N]> for IdList<'_> {
    fn eq(&self, other: &[S; N]) -> bool {
        *self == other[..]
    }
}

impl fmt::Debug for IdList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for IdList<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for id in self.iter() {
            seq.serialize_element(id)?;
        }
        seq.end()
    }
}

impl PartialEq for CriterionIds {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for CriterionIds {}

impl fmt::Debug for CriterionIds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for CriterionIds {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for row in self.iter() {
            seq.serialize_element(&row)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for CriterionIds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Rows;
        impl<'de> Visitor<'de> for Rows {
            type Value = CriterionIds;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of lists of criterion ids")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut rows: A) -> Result<CriterionIds, A::Error> {
                let mut out = CriterionIds::default();
                let mut seen = HashMap::new();
                while let Some(row) = rows.next_element::<Vec<String>>()? {
                    for id in row {
                        let at = out.intern(&id, &mut seen);
                        out.index.push(at);
                    }
                    out.ends.push(out.index.len());
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
    fn rows_read_back_as_written_in_their_order() {
        let c = CriterionIds::from_rows([vec!["b", "a"], vec![], vec!["a", "b", "a"]]);
        assert_eq!(c.len(), 3);
        assert_eq!(c.get(0).unwrap(), ["b", "a"]);
        assert!(c.get(1).unwrap().is_empty());
        assert_eq!(c.get(2).unwrap(), ["a", "b", "a"]);
        assert!(c.get(3).is_none());
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, r#"[["b","a"],[],["a","b","a"]]"#);
        let back: CriterionIds = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
        assert_eq!(back.to_vec()[2], vec!["a", "b", "a"]);
    }

    #[test]
    fn columns_with_other_tables_join_and_compare_by_their_ids() {
        let mut a = CriterionIds::from_rows([vec!["x"], vec!["y", "x"]]);
        let b = CriterionIds::from_rows([vec!["z", "y"], vec![]]);
        a.append(&b);
        let want = CriterionIds::from_rows([vec!["x"], vec!["y", "x"], vec!["z", "y"], vec![]]);
        assert_eq!(a, want);
        assert_ne!(a, CriterionIds::from_rows([vec!["x"]]));
        assert_eq!(format!("{a:?}"), r#"[["x"], ["y", "x"], ["z", "y"], []]"#);
    }

    #[test]
    fn a_column_that_is_not_lists_of_ids_is_refused() {
        let e = serde_json::from_str::<CriterionIds>(r#"[["a"], [1]]"#).unwrap_err();
        assert!(e.to_string().contains("expected a string"), "{e}");
    }
}
