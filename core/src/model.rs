//! The records of the dataset, in the domain's own words.
//!
//! Every record carries `sources` (one or more) and an optional `note`. Records that other records
//! refer to have an `id`, unique across the whole dataset; references are by id (countries by their
//! ISO 3166 alpha-2 code, sectors and organisation types by their IATI code).
//!
//! The JSON shape of each record is the serde shape of its type: snake_case keys, optional fields
//! left out when empty, fields in the order they are declared here.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::disputed::Disputable;

/// Where a fact comes from: a public page or a document, and where in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Source {
    /// The title of the page or document.
    pub title: String,
    /// The address (URL) where it can be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// A document reference when there is no address (an official document number, a book).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// Where in the source: a section, a paragraph, a table row, a quoted phrase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
}

impl Source {
    /// A source with a title and an address.
    pub fn web(title: impl Into<String>, address: impl Into<String>) -> Source {
        Source {
            title: title.into(),
            address: Some(address.into()),
            document: None,
            locator: None,
        }
    }
}

/// A date as the sources give it, possibly disputed between sources.
pub type SourcedDate = Disputable<Date>;

/// What kind of party a country record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    /// One of the five Central Asian states.
    CentralAsianState,
    /// The European Union.
    EuropeanUnion,
}

/// A party to the dialogues: one of the five Central Asian states, or the EU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code (`KZ`); `EU` for the European Union (an exceptionally reserved code).
    pub id: String,
    /// ISO 3166-1 alpha-3 code (`KAZ`), where one is assigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alpha3: Option<String>,
    /// The English short name.
    pub name: String,
    /// Other names in use (`Kyrgyzstan` for the Kyrgyz Republic).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<String>,
    /// A Central Asian state or the EU.
    pub kind: PartyKind,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A priority area of a strategy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Priority {
    /// Unique id (`strategy-2007/human-rights`).
    pub id: String,
    /// The priority's name as the sources give it.
    pub name: String,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What kind of document reviewed a strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewKind {
    /// A joint progress report of the Council and the Commission.
    JointProgressReport,
    /// Council conclusions on the strategy.
    CouncilConclusions,
    /// A progress report or implementation review by the EEAS and the Commission.
    ImplementationReview,
    /// A European Parliament resolution or debate.
    ParliamentResolution,
    /// A joint communication of the High Representative and the Commission.
    JointCommunication,
}

/// A review or progress report of a strategy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// Unique id (`strategy-2007/review/2008-06-24`).
    pub id: String,
    /// When it was issued.
    pub date: SourcedDate,
    /// What kind of document it is.
    pub kind: ReviewKind,
    /// Its title or a short description.
    pub title: String,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An EU strategy for Central Asia.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Strategy {
    /// Unique id (`strategy-2007`).
    pub id: String,
    /// Its title.
    pub title: String,
    /// When it was adopted.
    pub adopted: SourcedDate,
    /// Who adopted it (`European Council`).
    pub adopted_by: String,
    /// Its priority areas.
    pub priorities: Vec<Priority>,
    /// Its reviews and progress reports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reviews: Vec<Review>,
    /// The strategy that replaced it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub succeeded_by: Option<String>,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What kind of agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementKind {
    /// Partnership and Cooperation Agreement.
    Pca,
    /// Enhanced Partnership and Cooperation Agreement.
    Epca,
    /// Trade and Cooperation Agreement (the 1989 EEC–USSR agreement, applied to Turkmenistan).
    Tca,
    /// Interim agreement on trade and trade-related matters.
    InterimAgreement,
}

/// An agreement between the EU and a Central Asian state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    /// Unique id (`pca-uz`).
    pub id: String,
    /// What kind of agreement.
    pub kind: AgreementKind,
    /// Its title.
    pub title: String,
    /// The country (ISO alpha-2) the EU concluded it with.
    pub country: String,
    /// When it was signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed: Option<SourcedDate>,
    /// When it entered into force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_force: Option<SourcedDate>,
    /// The agreement that replaced it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<String>,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A body set up by an agreement, in which or beside which a dialogue meets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    /// Unique id (`uz-pca-subcommittee-jha-hr`).
    pub id: String,
    /// Its name.
    pub name: String,
    /// The agreement that set it up.
    pub agreement: String,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A type of human rights dialogue in the EU Guidelines on human rights dialogues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DialogueType {
    /// Unique id: `agreement_based`, `structured`, `ad_hoc` or `special_relations`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What the guidelines say it is.
    pub description: String,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An objective of the dialogues (the seed's list: cooperation in the UN and OSCE, raising
/// concerns, gathering information, launching initiatives).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objective {
    /// Unique id (`objective/raise-concerns`).
    pub id: String,
    /// The objective in a sentence.
    pub text: String,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A priority issue the EU raises in its human rights dialogues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityIssue {
    /// Unique id (`issue/death-penalty`).
    pub id: String,
    /// The issue's name.
    pub name: String,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How a dialogue meets relative to a body of an agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    /// As part of the body's meeting.
    Within,
    /// In the margins of the body's meeting.
    InTheMargins,
    /// On its own, back to back with the body's meeting.
    BackToBack,
}

impl Setting {
    /// The setting as words before a body's name (`in the margins of`).
    pub fn phrase(self) -> &'static str {
        match self {
            Setting::Within => "within",
            Setting::InTheMargins => "in the margins of",
            Setting::BackToBack => "back to back with",
        }
    }
}

/// The format a dialogue took from a date on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormatChange {
    /// From when (inclusive).
    pub from: SourcedDate,
    /// The dialogue type (an id of a [`DialogueType`]).
    pub dialogue_type: String,
    /// The body it meets in or beside, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// How it meets relative to that body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setting: Option<Setting>,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How often a dialogue is meant to meet.
///
/// The next round after one held on day *d* is due from *d* + `interval_months` −
/// `tolerance_months` to *d* + `interval_months` + `tolerance_months` (calendar months; the end of
/// a shorter month stands for a missing day, so 31 January + 1 month is 28 or 29 February).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cadence {
    /// Months between rounds (12 for annual).
    pub interval_months: u32,
    /// How many months a round may come before or after its nominal date and still be on time.
    /// Absent: a quarter of the interval (3 months for annual dialogues; see
    /// [`Cadence::tolerance`]). Must be smaller than `interval_months`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance_months: Option<u32>,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The human rights dialogue between the EU and one Central Asian state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dialogue {
    /// Unique id (`hrd-kz`).
    pub id: String,
    /// The country (ISO alpha-2).
    pub country: String,
    /// Its name.
    pub title: String,
    /// When it was formally agreed, where the sources say (Turkmenistan's ad hoc dialogue of 2005
    /// has no formal agreement date; its formats say when it began).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreed: Option<SourcedDate>,
    /// Where or how it was agreed (`EU–Central Asia ministerial meeting, Ashgabat`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreed_at: Option<String>,
    /// Its formats as dated changes, oldest first.
    pub formats: Vec<FormatChange>,
    /// How often it is meant to meet. Absent: annual ([`Cadence::annual`]), as the factsheet
    /// plans for all five.
    #[serde(default = "Cadence::annual")]
    pub cadence: Cadence,
    /// When it was suspended, resumed or ended, oldest first (empty: active since it began, as
    /// far as the sources say).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lifecycle: Vec<LifecycleChange>,
    /// Strategy priorities it serves (ids of [`Priority`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub serves: Vec<String>,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Cadence {
    /// The default cadence: annual, with the default tolerance, citing the founding factsheet
    /// ("Annual bilateral human rights dialogues are planned with all five Central Asian
    /// countries").
    pub fn annual() -> Cadence {
        Cadence {
            interval_months: 12,
            tolerance_months: None,
            sources: vec![Source {
                title: "EU human rights dialogues in Central Asia (European Commission, External Relations factsheet)".to_string(),
                address: Some("https://fdocuments.us/document/eu-human-rights-dialogues-in-central-asia-dialogues-on-human-rights-with-kazakhstan.html".to_string()),
                document: None,
                locator: Some("Annual bilateral human rights dialogues are planned with all five Central Asian countries".to_string()),
            }],
            note: Some("Not given with the dialogue: euca's default, annual.".to_string()),
        }
    }

    /// The tolerance in months: `tolerance_months`, or, when the sources state none, a quarter
    /// of the interval rounded down (3 months for the annual dialogues).
    ///
    /// Why a quarter: rounds are set around the partner's and the EU's calendars (presidencies,
    /// the agreement bodies they meet beside), and the annual rounds the sources date drift by
    /// weeks to a few months from one year to the next (Turkmenistan: June 2020, July 2021,
    /// November 2022); a window of 9 to 15 months after the last round keeps such drift "on
    /// time" and calls a round 16 months later "late". No source states a tolerance: this is
    /// euca's choice, and a dialogue's `cadence.tolerance_months` overrides it.
    pub fn tolerance(&self) -> u32 {
        self.tolerance_months.unwrap_or(self.interval_months / 4)
    }
}

/// What happened to a dialogue as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lifecycle {
    /// The dialogue was suspended: no round is due until it resumes.
    Suspended,
    /// A suspended dialogue resumed; the next round is due a cadence after the later of the
    /// resumption and the last round.
    Resumed,
    /// The dialogue ended: no round is due any more.
    Ended,
}

/// A dated change in a dialogue's life: suspended, resumed or ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifecycleChange {
    /// What happened.
    pub change: Lifecycle,
    /// When (possibly disputed).
    pub date: SourcedDate,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A stage of the cycle of one round, after the EU Guidelines on human rights dialogues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CycleStage {
    /// Preparing the round: the agenda and the list of issues and individual cases.
    Preparation,
    /// Consulting civil society, in Brussels and locally (a briefing, a civil-society seminar).
    CivilSocietyConsultation,
    /// The round itself (the [`Round`] record; not listed in `stages`).
    Round,
    /// Following the round up: a press release, recommendations, the next round agreed.
    FollowUp,
    /// Periodic assessment of the dialogue (Council conclusions, an evaluation).
    Assessment,
}

impl CycleStage {
    /// The five stages in cycle order.
    pub const ALL: [CycleStage; 5] = [
        CycleStage::Preparation,
        CycleStage::CivilSocietyConsultation,
        CycleStage::Round,
        CycleStage::FollowUp,
        CycleStage::Assessment,
    ];

    /// The stage's name in the documents (`civil_society_consultation`).
    pub fn as_str(self) -> &'static str {
        match self {
            CycleStage::Preparation => "preparation",
            CycleStage::CivilSocietyConsultation => "civil_society_consultation",
            CycleStage::Round => "round",
            CycleStage::FollowUp => "follow_up",
            CycleStage::Assessment => "assessment",
        }
    }

    /// True for the stages that come before the round.
    pub fn precedes_round(self) -> bool {
        matches!(
            self,
            CycleStage::Preparation | CycleStage::CivilSocietyConsultation
        )
    }
}

/// A stage of a round's cycle that a source shows took place, with its date where the source
/// gives one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundStage {
    /// Which stage (not `round`: the round record is that stage).
    pub stage: CycleStage,
    /// When, where a source says (absent: known to have happened, date unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<SourcedDate>,
    /// Where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How a round met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    /// The delegations met in one place.
    InPerson,
    /// By videoconference or online.
    Videoconference,
}

/// Which facts of a record are inferred rather than stated by its sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Inferred {
    /// The round's number is inferred (counted between numbered rounds).
    Number,
    /// The year is inferred from the text (the day and month are stated).
    Year,
    /// The place is inferred.
    Place,
}

/// Who led each delegation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Leads {
    /// The head of the EU delegation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eu: Option<String>,
    /// The head of the partner's delegation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner: Option<String>,
}

impl Leads {
    /// True when neither lead is known.
    pub fn is_empty(&self) -> bool {
        self.eu.is_none() && self.partner.is_none()
    }
}

/// A meeting of an agreement body held together with a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyMeeting {
    /// The body (an id of a [`Body`]).
    pub body: String,
    /// The meeting's own number (`18` for the 18th Subcommittee), where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// Its date, when it differs from the round's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// How the round relates to it.
    pub setting: Setting,
}

/// One round of a dialogue that the sources confirm took place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    /// Unique id (`hrd-kz/1`, or `hrd-uz/2019-06-24` for a round without a number).
    pub id: String,
    /// The dialogue (an id of a [`Dialogue`]).
    pub dialogue: String,
    /// Its number in the dialogue's series, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// When it took place.
    pub date: SourcedDate,
    /// Where (`Astana`, `Brussels`); a videoconference names its ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// In person or by videoconference, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendance: Option<Attendance>,
    /// Who led the delegations.
    #[serde(default, skip_serializing_if = "Leads::is_empty")]
    pub leads: Leads,
    /// The agreement body's meeting it was held within or beside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_with: Option<BodyMeeting>,
    /// The other stages of its cycle that sources show took place (preparation, civil-society
    /// consultation, follow-up, assessment); a stage not listed is unknown, not absent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<RoundStage>,
    /// Facts of this record that are inferred, not stated by the sources (empty: all confirmed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<Inferred>,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Whether a seminar concerns one country or the region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeminarScope {
    /// A civil-society seminar of one country's dialogue.
    Bilateral,
    /// A regional EU–Central Asia civil-society forum.
    Regional,
}

/// A civil-society seminar that opens a dialogue to academic and NGO communities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seminar {
    /// Unique id (`seminar/uz/2008-10`).
    pub id: String,
    /// One country's dialogue or the region.
    pub scope: SeminarScope,
    /// The host country (ISO alpha-2).
    pub country: String,
    /// The dialogue it feeds (an id of a [`Dialogue`]), for a bilateral seminar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialogue: Option<String>,
    /// Its number in its series, where the sources give one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// Its title or topic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// When it took place.
    pub date: SourcedDate,
    /// Where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The round it was held to prepare (an id of a [`Round`]), where a source says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prepares: Option<String>,
    /// Facts of this record that are inferred, not stated by the sources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<Inferred>,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An initiative or standing practice under the strategy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Initiative {
    /// Unique id (`rule-of-law-initiative`).
    pub id: String,
    /// Its name.
    pub title: String,
    /// What it does, in a sentence or two.
    pub description: String,
    /// When it was launched, where the sources say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launched: Option<SourcedDate>,
    /// The initiative it belongs to (an id of an [`Initiative`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
    /// Strategy priorities it serves (ids of [`Priority`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub serves: Vec<String>,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A period from one date to another (both partial), open at the end when `to` is absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validity {
    /// The first year, month or day.
    pub from: Date,
    /// The last year, month or day, if it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Date>,
}

/// What kind of funding channel an instrument is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstrumentKind {
    /// A financing instrument established by a regulation.
    FinancingInstrument,
    /// A thematic programme under an instrument.
    ThematicProgramme,
    /// A country or regional programme.
    Programme,
    /// The bilateral programmes of EU Member States.
    MemberStateProgrammes,
}

/// A funding instrument or programme that supports projects in the region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instrument {
    /// Unique id (`eidhr-2007`).
    pub id: String,
    /// Its name for this period.
    pub name: String,
    /// Its short name (`EIDHR`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// What kind of channel it is.
    pub kind: InstrumentKind,
    /// The act it rests on (`Regulation (EC) No 1889/2006`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
    /// The period it covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity: Option<Validity>,
    /// The instrument it replaced (an id of an [`Instrument`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predecessor: Option<String>,
    /// The instrument that replaced it (an id of an [`Instrument`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successor: Option<String>,
    /// Strategy priorities it serves (ids of [`Priority`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub serves: Vec<String>,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One of the kinds of project the dialogues lead to (the seed's list of eight).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectKind {
    /// Unique id (`project-kind/vulnerable-groups`).
    pub id: String,
    /// The kind of project, in the seed's words.
    pub description: String,
    /// DAC sector codes it maps to (codes of [`Sector`]).
    pub sectors: Vec<String>,
    /// Strategy priorities it serves (ids of [`Priority`]).
    pub serves: Vec<String>,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know (the mapping to sectors is euca's own classification).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An IATI organisation type (OrganisationType codelist).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationType {
    /// The IATI code (`22`).
    pub code: String,
    /// Its name (`National NGO`).
    pub name: String,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Whether a sector code is in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeStatus {
    /// In use.
    Active,
    /// Withdrawn from the codelist.
    Withdrawn,
}

/// A DAC 5-digit purpose code (IATI Sector codelist).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sector {
    /// The DAC code (`15160`).
    pub code: String,
    /// Its name.
    pub name: String,
    /// The DAC 3-digit category (`151`).
    pub category: String,
    /// Active or withdrawn.
    pub status: CodeStatus,
    /// When it was withdrawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_on: Option<Date>,
    /// The code that replaced it (a code of a [`Sector`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successor: Option<String>,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
