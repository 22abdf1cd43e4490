//! # euca
//!
//! A sourced model of the EU's human rights dialogues with Kazakhstan, the Kyrgyz Republic,
//! Tajikistan, Turkmenistan and Uzbekistan under the EU Strategy for Central Asia: the strategy,
//! countries, agreements, dialogues, rounds, civil-society seminars, initiatives and funding
//! instruments, as a dataset that ships embedded and that users can extend with their own records.
//!
//! ```
//! use euca::{Dataset, Date};
//!
//! let data = Dataset::embedded()?;
//! let uz = data.dialogue("Uzbekistan")?;
//! assert_eq!(uz.country, "UZ");
//!
//! // Turkmenistan's dialogue was ad hoc from 2005 and structured from June 2008: on a day in
//! // June 2008 the sources cannot tell which.
//! let on = data.format_on("TM", &Date::parse("2008-06-15")?)?;
//! assert!(!on.certain);
//! let later = data.format_on("TM", &Date::parse("2009")?)?;
//! assert_eq!(later.dialogue_type(), Some("structured"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Dates keep the precision their source gives ([`Date`]); facts the sources disagree on carry
//! their alternatives ([`Disputable`]); every record carries its [`Source`]s.

// No unsafe code in euca (the workspace lint forbids it too; this keeps it so for any build).
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod analysis;
pub mod application;
pub mod batch;
pub mod calendar;
pub mod call;
mod codes;
pub mod columns;
pub mod criterion_ids;
pub mod cycle;
pub mod dataset;
pub mod date;
pub mod disputed;
pub mod error;
pub mod eu;
pub mod eval;
mod extend;
pub mod iati;
pub mod instant;
mod json;
mod known;
pub mod limits;
pub mod model;
pub mod money;
pub mod priorities;
pub mod projects;
pub mod query;
pub mod reads;
pub mod records;
#[doc(hidden)]
pub mod report;
pub mod rules;
mod scan;
pub mod schema;
pub mod text_column;
mod validate;

pub use analysis::{
    FundingBy, FundingRecord, LocalLeadShare, Locality, LocalityBasis, ProjectAfterRound,
    ProjectLead,
};
pub use application::Application;
pub use batch::{
    BatchResult, Comparison, CriterionChange, compare, jsonl_lines, read_applications,
    read_applications_fast, read_jsonl,
};
pub use calendar::{CalendarEvent, CalendarFilter, CalendarKind};
pub use call::{Call, CallCriterion, RuleSetRef};
pub use columns::{Columns, Items};
pub use criterion_ids::{CriterionIds, IdList};
pub use cycle::{
    DEFAULT_CONSULTATION_WEEKS, DialogueStatus, Evidence, MAX_PLAN_YEARS, Phase, PlanItem,
    PlanOptions, Regularity, RoundInterval, RoundYear, Scope, StageRecord, Timing, YearStatus,
};
pub use dataset::{Change, ChangeAction, Dataset};
pub use date::{Bounds, Date, DateError, Point, Precision, Relation};
pub use disputed::{Alternative, Disputable, Dispute};
pub use error::{Code, DatasetError, Problem, QueryError};
pub use eval::{Check, Decision, Grant, Missing, Outcome, Recourse, RecourseKind, Verdict};
pub use instant::Instant;
pub use known::read_known;
pub use model::*;
pub use money::{Amount, Currency, Percent};
pub use priorities::PriorityRecord;
pub use projects::{
    ActivityDate, CountryShare, DateKind, Description, Generated, MoneyTotal, Narrative,
    Participant, Project, ProjectEligibility, ProjectField, RegionShare, ReportingOrg, SectorShare,
};
pub use query::{
    Event, EventKind, FormatOn, FormatState, Period, RoundRecord, SeminarGap, SeminarRecord,
    Serving, ServingKind, Within,
};
pub use reads::{CallFieldsRead, CriterionFieldsRead, FieldsRead};
pub use records::{RecordStatus, TimelineRecord};
pub use rules::{Criterion, RuleSet, RuleSetKind, Stage, Test};
pub use text_column::TextColumn;

/// The Rust quick start of the README, compiled and run as a doctest so that it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
