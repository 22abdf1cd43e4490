//! The founding factsheet ("EU human rights dialogues in Central Asia", European Commission,
//! External Relations), walked sentence by sentence: each fact it states is asserted through the
//! public queries, not by reading stored records directly.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use euca::{
    AgreementKind, Dataset, Date, EventKind, FormatOn, InstrumentKind, Period, Precision,
    ServingKind, Setting, Within,
};

fn data() -> Dataset {
    Dataset::embedded().unwrap()
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn format_on(data: &Dataset, country: &str, on: &str) -> FormatOn {
    data.format_on(country, &date(on)).unwrap()
}

const FIVE: [&str; 5] = ["KZ", "KG", "TJ", "TM", "UZ"];

/// "The EU Strategy for Central Asia recognises that human rights, rule of law, good governance and
/// democratisation underpin the long-term political stability and economic development of Central
/// Asia."
#[test]
fn the_strategy_names_human_rights_rule_of_law_good_governance_and_democratisation() {
    let data = data();
    let strategy = data
        .strategies()
        .iter()
        .find(|s| s.adopted.bounds().earliest.to_string().starts_with("2007"))
        .expect("the 2007 strategy");
    let priority = strategy
        .priorities
        .iter()
        .find(|p| {
            let n = p.name.to_lowercase();
            n.contains("human rights") && n.contains("rule of law") && n.contains("governance")
        })
        .expect("a priority on human rights, rule of law and good governance");
    assert!(priority.name.to_lowercase().contains("democra"));
}

/// "Human rights dialogues have therefore been initiated by the EU with all five Central Asian
/// countries. These dialogues constitute an essential part of the EU's overall strategy ..."
#[test]
fn there_is_a_dialogue_with_each_of_the_five_and_each_serves_the_strategy() {
    let data = data();
    let states: Vec<&str> = data
        .central_asian_states()
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(states.len(), 5);
    for code in FIVE {
        assert!(states.contains(&code));
        let dialogue = data.dialogue(code).unwrap();
        let human_rights = data.strategies()[0]
            .priorities
            .iter()
            .find(|p| p.name.to_lowercase().contains("human rights"))
            .unwrap();
        let serving = data.serving(&human_rights.id).unwrap();
        assert!(
            serving.iter().any(|s| s.id == dialogue.id),
            "{code}'s dialogue serves the strategy's human rights priority"
        );
    }
}

/// "Human rights issues are systematically raised in all the political meetings with Central
/// Asian states."
#[test]
fn human_rights_are_raised_in_all_political_meetings() {
    let data = data();
    assert!(data.initiatives().iter().any(|i| {
        let d = i.description.to_lowercase() + &i.title.to_lowercase();
        d.contains("political meetings")
    }));
}

/// "This strategy requires the EU to engage in human rights dialogues with Central Asian states.
/// The dialogues are now an instrument of the EU's external policy": what serves the 2007
/// strategy's human rights priority includes a dialogue with each of the five, and the timeline
/// records when each began (2005 to 2008).
#[test]
fn the_strategy_requires_dialogues_with_the_central_asian_states() {
    let data = data();
    let serving = data.serving("strategy-2007/human-rights").unwrap();
    let dialogues: Vec<&str> = serving
        .iter()
        .filter(|s| s.kind == ServingKind::Dialogue)
        .map(|s| s.id.as_str())
        .collect();
    for code in FIVE {
        let id = data.dialogue(code).unwrap().id.clone();
        assert!(dialogues.contains(&id.as_str()), "{id} serves the strategy");
    }
    // Each dialogue's start is on the timeline: agreed (four of them), or, for Turkmenistan's ad
    // hoc dialogue "undertaken since 2005", its first format.
    let starts: Vec<_> = data
        .timeline()
        .into_iter()
        .filter(|e| matches!(e.kind, EventKind::DialogueAgreed | EventKind::FormatChanged))
        .collect();
    for code in FIVE {
        let event = starts
            .iter()
            .find(|e| e.country.as_deref() == Some(code))
            .unwrap_or_else(|| panic!("the timeline records when {code}'s dialogue began"));
        assert!(!event.sources.is_empty());
        let first_year = event.earliest.format("%Y").to_string();
        assert!(
            ("2005".."2009").contains(&first_year.as_str()),
            "{code}: {first_year}"
        );
    }
}

/// "Human rights dialogues can lead to the development of programmes and projects in any of the
/// five countries concerned": the human rights priority the dialogues serve is also served by
/// funding instruments and by kinds of project.
#[test]
fn dialogues_can_lead_to_programmes_and_projects() {
    let data = data();
    let serving = data.serving("strategy-2007/human-rights").unwrap();
    let has = |kind: ServingKind| serving.iter().any(|s| s.kind == kind);
    assert!(has(ServingKind::Dialogue));
    assert!(has(ServingKind::Instrument), "an instrument funds projects");
    assert!(has(ServingKind::ProjectKind), "kinds of project serve it");
    assert!(serving.iter().any(|s| {
        s.kind == ServingKind::Instrument
            && s.title
                .contains("European Instrument for Democracy and Human Rights")
    }));
}

/// The dialogues are designed to: discuss questions of mutual interest and enhance cooperation on
/// human rights, inter alia in the UN and the OSCE; raise the EU's concerns; gather information;
/// launch initiatives to improve the human rights situation.
#[test]
fn the_four_objectives_of_the_dialogues() {
    let data = data();
    let texts: Vec<String> = data
        .objectives()
        .iter()
        .map(|o| o.text.to_lowercase())
        .collect();
    assert_eq!(texts.len(), 4, "{texts:?}");
    for needle in ["osce", "concerns", "information", "initiatives"] {
        assert!(
            texts.iter().any(|t| t.contains(needle)),
            "an objective mentions {needle}"
        );
    }
}

/// "In particular such support can be provided ... through specific projects funded under the
/// European Instrument for Democracy and Human Rights."
#[test]
fn projects_can_be_funded_under_the_european_instrument_for_democracy_and_human_rights() {
    let data = data();
    let eidhr = data
        .instruments()
        .iter()
        .find(|i| i.name == "European Instrument for Democracy and Human Rights")
        .expect("the EIDHR");
    let validity = eidhr.validity.as_ref().unwrap();
    // The factsheet was written in 2009, when the instrument of Regulation 1889/2006 was in force.
    assert!(validity.from.earliest() <= date("2009").earliest());
    assert!(validity.to.as_ref().unwrap().latest() >= date("2009").latest());
    assert!(eidhr.legal_basis.as_deref().unwrap().contains("1889/2006"));
}

/// "The human rights dialogue with Uzbekistan was the first to be formally agreed in 2007 and is
/// undertaken within the Sub-Committee on Justice and Home Affairs, Human Rights and related issues
/// under the Partnership and Cooperation Agreement."
#[test]
fn uzbekistan_was_first_formally_agreed_in_2007_within_the_pca_sub_committee() {
    let data = data();
    let uz = data.dialogue("Uzbekistan").unwrap();
    let agreed = uz.agreed.as_ref().unwrap();
    assert_eq!(agreed.display(), "2007");
    for code in FIVE.iter().filter(|c| **c != "UZ") {
        if let Some(other) = &data.dialogue(code).unwrap().agreed {
            assert!(
                agreed.bounds().latest < other.bounds().earliest,
                "{code} was agreed after Uzbekistan"
            );
        }
    }
    let on = format_on(&data, "UZ", "2009");
    assert!(on.certain);
    let state = &on.possible[0];
    assert_eq!(state.setting, Some(Setting::Within));
    let body = data
        .bodies()
        .iter()
        .find(|b| Some(&b.id) == state.body.as_ref())
        .unwrap();
    assert!(body.name.contains("Justice and Home Affairs, Human Rights"));
    let agreement = data
        .agreements()
        .iter()
        .find(|a| a.id == body.agreement)
        .unwrap();
    assert_eq!(agreement.kind, AgreementKind::Pca);
    assert_eq!(agreement.country, "UZ");
}

/// "An ad hoc human rights dialogue with Turkmenistan has been undertaken since 2005 in the margins
/// of the Joint Committee meeting under the Trade and Cooperation Agreement. This dialogue was
/// expanded into a regular and structured dialogue in June 2008."
#[test]
fn turkmenistan_ad_hoc_since_2005_then_structured_from_june_2008() {
    let data = data();
    let before = format_on(&data, "TM", "2004");
    assert_eq!(before.possible.len(), 1);
    assert_eq!(
        before.possible[0].dialogue_type, None,
        "no dialogue in 2004"
    );

    let ad_hoc = format_on(&data, "TM", "2006");
    assert_eq!(ad_hoc.dialogue_type(), Some("ad_hoc"));
    let state = &ad_hoc.possible[0];
    assert_eq!(state.setting, Some(Setting::InTheMargins));
    let body = data
        .bodies()
        .iter()
        .find(|b| Some(&b.id) == state.body.as_ref())
        .unwrap();
    assert!(body.name.contains("Joint Committee"));
    let agreement = data
        .agreements()
        .iter()
        .find(|a| a.id == body.agreement)
        .unwrap();
    assert_eq!(agreement.kind, AgreementKind::Tca);

    assert_eq!(
        format_on(&data, "TM", "2008-05-31").dialogue_type(),
        Some("ad_hoc")
    );
    let june = format_on(&data, "TM", "2008-06-15");
    assert!(!june.certain, "June 2008 is too coarse to place the 15th");
    let types: Vec<_> = june
        .possible
        .iter()
        .map(|s| s.dialogue_type.as_deref())
        .collect();
    assert_eq!(types, [Some("ad_hoc"), Some("structured")]);
    assert_eq!(
        format_on(&data, "TM", "2008-07-01").dialogue_type(),
        Some("structured")
    );
    // The first structured round is dated to that month.
    let first = data
        .rounds_of("TM")
        .unwrap()
        .into_iter()
        .find(|r| r.number == Some(1))
        .unwrap();
    assert_eq!(first.date.as_deref(), Some("2008-06"));
}

/// "The EU-Central Asia Ministerial meeting in Ashgabat in April 2008 marked an agreement to begin
/// human rights dialogues with Kazakhstan, Tajikistan and the Kyrgyz Republic."
#[test]
fn kazakhstan_tajikistan_and_the_kyrgyz_republic_agreed_at_ashgabat_in_april_2008() {
    let data = data();
    let april = date("2008-04");
    for name in ["Kazakhstan", "Tajikistan", "Kyrgyz Republic"] {
        let dialogue = data.dialogue(name).unwrap();
        let agreed = dialogue.agreed.as_ref().unwrap().bounds();
        assert!(
            agreed.earliest >= april.earliest() && agreed.latest <= april.latest(),
            "{name} agreed in April 2008"
        );
        assert!(dialogue.agreed_at.as_deref().unwrap().contains("Ashgabat"));
        assert_eq!(
            format_on(&data, name, "2008-03").dialogue_type(),
            None,
            "no dialogue with {name} before April 2008"
        );
    }
}

/// "In line with this agreement, the EU held its first structured dialogues on human rights with
/// Kazakhstan, the Kyrgyz Republic and Tajikistan in October 2008."
#[test]
fn first_structured_dialogues_with_kazakhstan_kyrgyz_republic_and_tajikistan_in_october_2008() {
    let data = data();
    let rounds = data.rounds_in(&Period::of(date("2008-10")));
    for code in ["KZ", "KG", "TJ"] {
        let first = rounds
            .iter()
            .find(|r| r.country == code && r.number == Some(1))
            .unwrap_or_else(|| panic!("{code}'s first round in October 2008"));
        assert_eq!(first.within, Some(Within::Certainly));
        assert!(!first.derived);
        let on = data
            .format_on(code, &Date::from_naive(first.latest).unwrap())
            .unwrap();
        assert_eq!(on.dialogue_type(), Some("structured"));
    }
}

/// "Annual bilateral human rights dialogues are planned with all five Central Asian countries."
#[test]
fn annual_dialogues_are_planned_with_all_five() {
    let data = data();
    for code in FIVE {
        assert_eq!(data.dialogue(code).unwrap().cadence.interval_months, 12);
    }
}

/// "In addition, the European Commission (EC) has launched a series of civil society seminars
/// with the aim of opening up official dialogues to academic and NGO communities."
#[test]
fn the_commission_launched_a_series_of_civil_society_seminars() {
    let data = data();
    assert!(
        data.initiatives()
            .iter()
            .any(|i| i.title.to_lowercase().contains("civil society seminars"))
    );
}

/// "Seminars were held with Uzbekistan in October 2008 in Tashkent and with the Kyrgyz Republic in
/// March 2009 in Bishkek."
#[test]
fn seminars_in_tashkent_october_2008_and_bishkek_march_2009() {
    let data = data();
    for (country, month, place) in [("UZ", "2008-10", "Tashkent"), ("KG", "2009-03", "Bishkek")] {
        let seminars = data.seminars_in(&Period::of(date(month)));
        let seminar = seminars
            .iter()
            .find(|s| s.country == country)
            .unwrap_or_else(|| panic!("a seminar with {country} in {month}"));
        assert_eq!(seminar.within, Some(Within::Certainly));
        assert_eq!(seminar.place.as_deref(), Some(place));
    }
    // Before October 2008 no country had had one; after March 2009 these two had.
    let none_before = data.countries_without_seminar_before(&date("2008-10-01"));
    assert_eq!(none_before.len(), 5);
    let later: Vec<String> = data
        .countries_without_seminar_before(&date("2009-04-01"))
        .into_iter()
        .map(|g| g.country)
        .collect();
    assert!(!later.contains(&"UZ".to_string()));
    assert!(!later.contains(&"KG".to_string()));
    assert!(later.contains(&"TM".to_string()));
}

/// "Further seminars with Tajikistan and Kazakhstan took place in June and July 2009 respectively."
/// (Another source dates the Kazakhstan seminar 29–30 June 2009: the dataset keeps both, so the
/// seminar may fall in July.)
#[test]
fn seminars_with_tajikistan_in_june_and_kazakhstan_in_july_2009() {
    let data = data();
    let june = data.seminars_in(&Period::of(date("2009-06")));
    assert!(june.iter().any(|s| s.country == "TJ"));
    let july = data.seminars_in(&Period::of(date("2009-07")));
    let kz = july
        .iter()
        .find(|s| s.country == "KZ")
        .expect("the Kazakhstan seminar may fall in July 2009");
    assert!(kz.disputed);
    assert_eq!(kz.within, Some(Within::Possibly));
    let summer = data.seminars_in(&Period::between(date("2009-06"), date("2009-07")));
    for country in ["TJ", "KZ"] {
        let s = summer.iter().find(|s| s.country == country).unwrap();
        assert_eq!(
            s.within,
            Some(Within::Certainly),
            "{country} in June–July 2009"
        );
    }
}

/// "... the EU Rule of Law Initiative for Central Asia, launched in November 2008 to support reforms
/// and the sharing of experience ... in the area of legal and judicial reforms ..."
#[test]
fn the_rule_of_law_initiative_was_launched_in_november_2008() {
    let data = data();
    let launch = data
        .timeline()
        .into_iter()
        .find(|e| {
            e.kind == EventKind::InitiativeLaunched && e.title.contains("Rule of Law Initiative")
        })
        .expect("the launch of the Rule of Law Initiative");
    assert_eq!(launch.date, "2008-11");
    assert_eq!(launch.precision, Precision::Month);
    // "... also includes intensified policy dialogue at all levels and helps promote human
    // rights in Central Asia": it serves the strategy's human rights priority.
    let serving = data.serving("strategy-2007/human-rights").unwrap();
    let initiative = serving
        .iter()
        .find(|s| s.kind == ServingKind::Initiative && s.id == launch.record)
        .expect("the initiative serves the human rights priority");
    assert!(initiative.title.contains("Rule of Law Initiative"));
    let record = data
        .initiatives()
        .iter()
        .find(|i| i.id == launch.record)
        .unwrap();
    assert!(
        record
            .description
            .contains("intensified policy dialogue at all levels")
    );
}

/// "EC assistance includes projects such as the European Initiative for Democracy and Human Rights,
/// and the Non-State Actors Programme, as well as the Institution Building Partnership Programme,
/// which also support the development of civil society."
#[test]
fn eidhr_non_state_actors_and_ibpp_fund_civil_society() {
    let data = data();
    let names: Vec<String> = data
        .instruments()
        .iter()
        .map(|i| i.name.to_lowercase())
        .collect();
    for needle in [
        "european initiative for democracy and human rights",
        "non-state actors",
        "institution building partnership programme",
    ] {
        assert!(
            names.iter().any(|n| n.contains(needle)),
            "{needle} in {names:?}"
        );
    }
}

/// "Projects under these initiatives include:" eight kinds of project, each serving the strategy.
#[test]
fn eight_kinds_of_project_each_with_sectors_and_a_priority() {
    let data = data();
    let kinds = data.project_kinds();
    assert_eq!(kinds.len(), 8);
    for kind in kinds {
        assert!(!kind.sectors.is_empty(), "{} has sectors", kind.id);
        assert!(!kind.serves.is_empty(), "{} serves a priority", kind.id);
        for priority in &kind.serves {
            let serving = data.serving(priority).unwrap();
            assert!(serving.iter().any(|s| s.id == kind.id));
        }
    }
    let all: String = kinds.iter().map(|k| k.description.to_lowercase()).collect();
    for needle in [
        "small scale businesses",
        "street children",
        "grass-roots",
        "media",
        "non state actors and local authorities",
        "un treaty bodies",
        "public assessors",
        "poverty reduction",
    ] {
        assert!(all.contains(needle), "a project kind mentions {needle}");
    }
}

/// "Bilateral EC and Member State assistance programmes are also designed to give support to this
/// area."
#[test]
fn member_state_programmes_support_the_area() {
    let data = data();
    assert!(
        data.instruments()
            .iter()
            .any(|i| i.kind == InstrumentKind::MemberStateProgrammes)
    );
}
