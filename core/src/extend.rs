//! Extending a dataset with a user's own records, corrections and retractions.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::dataset::{
    COLLECTIONS, Change, ChangeAction, Dataset, json_kind, read_record, suggestion,
};
use crate::error::{Code, DatasetError, Problem};
use crate::model::Source;
use crate::validate::source_problems;

/// A correction of fields of one record.
#[derive(Debug, Deserialize)]
struct Correction {
    id: String,
    set: Map<String, Value>,
    sources: Vec<Source>,
    #[serde(default)]
    note: Option<String>,
}

/// The retraction of one record.
#[derive(Debug, Deserialize)]
struct Retraction {
    id: String,
    sources: Vec<Source>,
    #[serde(default)]
    note: Option<String>,
}

/// Where a record of the merged document came from in the extension, to report problems there.
struct Origin {
    merged: String,
    extension: String,
    /// For a correction, the fields it set: only problems under those fields point into it.
    fields: Option<Vec<String>>,
}

/// The key that identifies records of a collection.
fn key_of(collection: &str) -> &'static str {
    match collection {
        "sectors" | "organisation_types" => "code",
        _ => "id",
    }
}

/// Where a record sits in the document: its collection and index, and for a record nested in
/// another (a strategy's priorities and reviews), the field and index inside that record.
struct Location {
    collection: &'static str,
    index: usize,
    nested: Option<(String, usize)>,
}

impl Location {
    /// The record's path in the merged document (`strategies[0].reviews[3]`).
    fn path(&self) -> String {
        match &self.nested {
            None => format!("{}[{}]", self.collection, self.index),
            Some((field, j)) => format!("{}[{}].{field}[{j}]", self.collection, self.index),
        }
    }

    /// The list that holds the record, and its index there.
    fn list_mut<'a>(&self, doc: &'a mut Map<String, Value>) -> Option<(&'a mut Vec<Value>, usize)> {
        let items = doc.get_mut(self.collection)?.as_array_mut()?;
        match &self.nested {
            None => Some((items, self.index)),
            Some((field, j)) => {
                let inner = items.get_mut(self.index)?.get_mut(field)?.as_array_mut()?;
                Some((inner, *j))
            }
        }
    }
}

/// Finds the record with this id in any collection, or nested one level inside a record of one
/// (the priorities and reviews of a strategy have ids of their own).
fn locate(doc: &Map<String, Value>, id: &str) -> Option<Location> {
    let has_id = |r: &Value, key: &str| r.get(key).and_then(Value::as_str) == Some(id);
    let top = COLLECTIONS.iter().find_map(|&collection| {
        let key = key_of(collection);
        doc.get(collection)?
            .as_array()?
            .iter()
            .position(|r| has_id(r, key))
            .map(|index| Location {
                collection,
                index,
                nested: None,
            })
    });
    top.or_else(|| {
        COLLECTIONS.iter().find_map(|&collection| {
            let records = doc.get(collection)?.as_array()?;
            records.iter().enumerate().find_map(|(index, record)| {
                record.as_object()?.iter().find_map(|(field, value)| {
                    let j = value.as_array()?.iter().position(|r| has_id(r, "id"))?;
                    Some(Location {
                        collection,
                        index,
                        nested: Some((field.clone(), j)),
                    })
                })
            })
        })
    })
}

pub(crate) fn apply(dataset: &Dataset, extension: Value) -> Result<Dataset, DatasetError> {
    let mut problems = Vec::new();
    let Value::Object(ext) = extension else {
        return Err(DatasetError::new(vec![Problem::new(
            Code::InvalidType,
            "",
            format!(
                "an extension is a JSON object with `add`, `correct` or `retract`, not {}",
                json_kind(&extension)
            ),
        )]));
    };
    for key in ext.keys() {
        if !["add", "correct", "retract"].contains(&key.as_str()) {
            problems.push(Problem::new(
                Code::UnknownField,
                key.clone(),
                format!(
                    "unknown field `{key}`{}",
                    suggestion(key, ["add", "correct", "retract"])
                ),
            ));
        }
    }
    let corrections: Vec<(usize, Correction)> = read_list(&ext, "correct", &mut problems);
    let retractions: Vec<(usize, Retraction)> = read_list(&ext, "retract", &mut problems);
    let additions = match ext.get("add") {
        None => Map::new(),
        Some(Value::Object(add)) => {
            for key in add.keys() {
                if !COLLECTIONS.contains(&key.as_str()) {
                    problems.push(Problem::new(
                        Code::UnknownField,
                        format!("add.{key}"),
                        format!(
                            "unknown collection `{key}`{}",
                            suggestion(key, COLLECTIONS.iter().copied())
                        ),
                    ));
                }
            }
            add.clone()
        }
        Some(other) => {
            problems.push(Problem::new(
                Code::InvalidType,
                "add",
                format!(
                    "`add` is an object of record lists, not {}",
                    json_kind(other)
                ),
            ));
            Map::new()
        }
    };
    for (i, c) in &corrections {
        problems.extend(source_problems(&c.sources, &format!("correct[{i}]")));
    }
    for (i, r) in &retractions {
        problems.extend(source_problems(&r.sources, &format!("retract[{i}]")));
    }
    if !problems.is_empty() {
        return Err(DatasetError::new(problems));
    }

    let Value::Object(mut doc) = dataset.to_value() else {
        return Err(DatasetError::new(vec![Problem::new(
            Code::InvalidValue,
            "",
            "the dataset could not be written as JSON",
        )]));
    };
    let mut changes: Vec<Change> = Vec::new();
    let mut origins: Vec<Origin> = Vec::new();

    // 1. Retractions.
    for (i, r) in &retractions {
        match locate(&doc, &r.id) {
            Some(location) => {
                if let Some((items, index)) = location.list_mut(&mut doc) {
                    items.remove(index);
                }
                changes.push(Change {
                    action: ChangeAction::Retract,
                    id: r.id.clone(),
                    fields: Vec::new(),
                    sources: r.sources.clone(),
                    note: r.note.clone(),
                });
            }
            None => problems.push(Problem::new(
                Code::UnknownId,
                format!("retract[{i}].id"),
                format!("no record has the id `{}`", r.id),
            )),
        }
    }

    // 2. Corrections.
    for (i, c) in &corrections {
        let Some(location) = locate(&doc, &c.id) else {
            problems.push(Problem::new(
                Code::UnknownId,
                format!("correct[{i}].id"),
                format!("no record has the id `{}`", c.id),
            ));
            continue;
        };
        let key = match location.nested {
            None => key_of(location.collection),
            Some(_) => "id",
        };
        if c.set.contains_key(key) || c.set.contains_key("sources") {
            for field in [key, "sources"] {
                if c.set.contains_key(field) {
                    problems.push(Problem::new(
                        Code::InvalidValue,
                        format!("correct[{i}].set.{field}"),
                        format!(
                            "a correction cannot set `{field}`: retract the record and add a new one, or give the correction's own `sources`"
                        ),
                    ));
                }
            }
            continue;
        }
        let merged = location.path();
        let Some(Value::Object(record)) = location
            .list_mut(&mut doc)
            .and_then(|(items, index)| items.get_mut(index))
        else {
            continue;
        };
        for (field, value) in &c.set {
            if value.is_null() {
                record.remove(field);
            } else {
                record.insert(field.clone(), value.clone());
            }
        }
        if let Some(Value::Array(sources)) = record.get_mut("sources") {
            for s in &c.sources {
                if let Ok(v) = serde_json::to_value(s) {
                    sources.push(v);
                }
            }
        }
        origins.push(Origin {
            merged,
            extension: format!("correct[{i}].set"),
            fields: Some(c.set.keys().cloned().collect()),
        });
        changes.push(Change {
            action: ChangeAction::Correct,
            id: c.id.clone(),
            fields: c.set.keys().cloned().collect(),
            sources: c.sources.clone(),
            note: c.note.clone(),
        });
    }

    // 3. Additions.
    for collection in COLLECTIONS {
        let Some(added) = additions.get(collection) else {
            continue;
        };
        let Value::Array(added) = added else {
            problems.push(Problem::new(
                Code::InvalidType,
                format!("add.{collection}"),
                format!(
                    "`{collection}` is a list of records, not {}",
                    json_kind(added)
                ),
            ));
            continue;
        };
        let target = doc
            .entry(collection.to_string())
            .or_insert_with(|| Value::Array(Vec::new()));
        let Value::Array(items) = target else {
            continue;
        };
        for (j, record) in added.iter().enumerate() {
            origins.push(Origin {
                merged: format!("{collection}[{}]", items.len()),
                extension: format!("add.{collection}[{j}]"),
                fields: None,
            });
            let id = record
                .get(key_of(collection))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            items.push(record.clone());
            changes.push(Change {
                action: ChangeAction::Add,
                id,
                fields: Vec::new(),
                sources: Vec::new(),
                note: None,
            });
        }
    }
    if !problems.is_empty() {
        return Err(DatasetError::new(problems));
    }

    let log = doc
        .entry("changes".to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(log) = log {
        for change in &changes {
            if let Ok(v) = serde_json::to_value(change) {
                log.push(v);
            }
        }
    }

    Dataset::from_value(Value::Object(doc)).map_err(|e| {
        DatasetError::new(
            e.into_problems()
                .into_iter()
                .map(|p| relocate(p, &origins))
                .collect(),
        )
    })
}

/// Points a problem found in the merged document at the part of the extension it came from.
fn relocate(mut problem: Problem, origins: &[Origin]) -> Problem {
    for origin in origins {
        let Some(rest) = problem.path.strip_prefix(&origin.merged) else {
            continue;
        };
        if !(rest.is_empty() || rest.starts_with('.') || rest.starts_with('[')) {
            continue;
        }
        if let Some(fields) = &origin.fields {
            let first = rest
                .trim_start_matches('.')
                .split(['.', '['])
                .next()
                .unwrap_or_default();
            if !fields.iter().any(|f| f == first) {
                continue;
            }
        }
        problem.path = format!("{}{rest}", origin.extension);
        return problem;
    }
    problem
}

/// Reads `ext[key]`, a list of records, with paths `key[i]`.
fn read_list<T: serde::de::DeserializeOwned>(
    ext: &Map<String, Value>,
    key: &str,
    problems: &mut Vec<Problem>,
) -> Vec<(usize, T)> {
    match ext.get(key) {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| read_record(v, &format!("{key}[{i}]"), problems).map(|r| (i, r)))
            .collect(),
        Some(other) => {
            problems.push(Problem::new(
                Code::InvalidType,
                key,
                format!("`{key}` is a list, not {}", json_kind(other)),
            ));
            Vec::new()
        }
    }
}
