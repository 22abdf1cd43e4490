//! The strategies' priority areas as one flat table, for data frames and for the bindings'
//! `priorities()`.

use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::model::Source;

/// A priority area of a strategy as a flat record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityRecord {
    /// The priority's id (`strategy-2007/human-rights`), as [`Dataset::serving`] takes it.
    pub id: String,
    /// The strategy's id (`strategy-2007`).
    pub strategy: String,
    /// The priority's name as the sources give it.
    pub name: String,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Dataset {
    /// The priority areas of every strategy, strategy by strategy (oldest first), each in the
    /// strategy's own order.
    pub fn priorities(&self) -> Vec<PriorityRecord> {
        self.strategies()
            .iter()
            .flat_map(|s| {
                s.priorities.iter().map(|p| PriorityRecord {
                    id: p.id.clone(),
                    strategy: s.id.clone(),
                    name: p.name.clone(),
                    sources: p.sources.clone(),
                    note: p.note.clone(),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::Dataset;

    #[test]
    fn every_priority_of_every_strategy_is_listed_once_in_order() {
        let data = Dataset::embedded().unwrap();
        let rows = data.priorities();
        let expected: Vec<(&str, &str)> = data
            .strategies()
            .iter()
            .flat_map(|s| s.priorities.iter().map(|p| (s.id.as_str(), p.id.as_str())))
            .collect();
        let got: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.strategy.as_str(), r.id.as_str()))
            .collect();
        assert_eq!(got, expected);
        assert!(rows.iter().any(|r| r.id == "strategy-2007/human-rights"));
        assert!(rows.iter().all(|r| !r.sources.is_empty()));
    }

    #[test]
    fn every_listed_priority_is_one_serving_accepts() {
        let data = Dataset::embedded().unwrap();
        for row in data.priorities() {
            assert!(data.serving(&row.id).is_ok(), "{}", row.id);
        }
    }
}
