//! A tour of euca's embedded dataset: the five human rights dialogues with their formats, first
//! and latest known rounds, the civil-society seminars, each dialogue's status today, the plan
//! for the coming year, how regular each has been, and the timeline of everything dated.
//!
//! Run it with `cargo run --example tour`.

use std::error::Error;

use euca::{Application, Dataset, Date, PlanOptions, RoundRecord};

fn main() -> Result<(), Box<dyn Error>> {
    let data = Dataset::embedded()?;
    println!(
        "euca {} — dataset version {}\n",
        env!("CARGO_PKG_VERSION"),
        data.version()
    );

    println!("THE FIVE DIALOGUES");
    for country in data.central_asian_states() {
        let dialogue = data.dialogue(&country.id)?;
        println!(
            "\n{} ({}) — {}, {}",
            country.name,
            country.id,
            dialogue.title,
            dialogue.agreed.as_ref().map_or_else(
                || "no formal agreement date in the sources".to_string(),
                |d| format!("agreed {}", d.display())
            )
        );
        for format in &dialogue.formats {
            let within = match (&format.body, format.setting) {
                (Some(body), Some(setting)) => format!(" ({} {body})", setting.phrase()),
                (Some(body), None) => format!(" ({body})"),
                _ => String::new(),
            };
            println!(
                "  format from {:<10} {}{within}",
                format.from.display(),
                format.dialogue_type
            );
        }
        let rounds = data.rounds_of(&country.id)?;
        let stored: Vec<&RoundRecord> = rounds.iter().filter(|r| !r.derived).collect();
        let derived = rounds.iter().filter(|r| r.derived).count();
        if let Some(first) = stored.first() {
            println!("  first round     {}", describe(first));
        }
        if let Some(last) = stored.last() {
            println!("  latest round    {}", describe(last));
        }
        println!(
            "  rounds known    {} dated by sources, {derived} known only from the numbering",
            stored.len()
        );
    }

    println!("\nFORMAT ON A DATE (partial dates widen the answer)");
    for (country, on) in [
        ("TM", "2007"),
        ("TM", "2008-06"),
        ("TM", "2009"),
        ("KZ", "2008-01"),
    ] {
        let answer = data.format_on(country, &Date::parse(on)?)?;
        let states: Vec<String> = answer
            .possible
            .iter()
            .map(|s| {
                s.dialogue_type
                    .clone()
                    .unwrap_or_else(|| "no dialogue yet".into())
            })
            .collect();
        println!(
            "  {country} on {on:<8} {}{}",
            if answer.certain { "" } else { "cannot tell: " },
            states.join(" or ")
        );
    }

    println!("\nCIVIL-SOCIETY SEMINARS");
    for s in data.seminar_records() {
        println!(
            "  {:<24} {} {:<10} {}{}",
            s.date,
            s.country,
            s.place.as_deref().unwrap_or("?"),
            s.title.as_deref().unwrap_or("civil society seminar"),
            if s.disputed {
                "  [sources disagree]"
            } else {
                ""
            }
        );
    }

    let today = chrono::Utc::now().date_naive();
    println!("\nSTATUS AS OF {today} (from the recorded rounds; partial dates widen the answer)");
    println!(
        "  {:<3} {:<26} {:<28} {:<23} days",
        "", "phase", "last round", "next due"
    );
    for s in data.status(today) {
        let phase = s.phase.map_or_else(
            || {
                let all: Vec<&str> = s.possible_phases.iter().map(|p| p.as_str()).collect();
                format!("cannot tell: {}", all.join("/"))
            },
            |p| p.as_str().to_string(),
        );
        let last = match (s.last_round_number, &s.last_round_date) {
            (Some(n), Some(d)) => format!("#{n} {d}"),
            (None, Some(d)) => d.clone(),
            (Some(n), None) => format!("#{n} (derived)"),
            (None, None) => "none".to_string(),
        };
        let due = match (s.due_earliest, s.due_latest) {
            (Some(a), Some(b)) => format!("{a} – {b}"),
            _ => "-".to_string(),
        };
        let days = match (s.days_overdue_min, s.days_overdue_max, s.days_until_due_max) {
            (Some(a), Some(b), _) if a == b => format!("{a} overdue"),
            (Some(a), Some(b), _) => format!("{a}–{b} overdue"),
            (_, _, Some(b)) => format!("up to {b} until due"),
            _ => String::new(),
        };
        println!(
            "  {:<3} {:<26} {:<28} {:<23} {days}",
            s.country, phase, last, due
        );
        if let Some(reason) = &s.reason {
            println!("      why: {reason}");
        }
    }

    println!("\nTHE PLAN FOR THE COMING YEAR (projected from each dialogue's cadence)");
    for item in data.plan(today, &PlanOptions::default()) {
        let name = item
            .number
            .map_or_else(|| "next round".to_string(), |n| format!("round {n}"));
        println!(
            "  {} {:<10} due {} – {} ({}); consult civil society {} – {}",
            item.country,
            name,
            item.due_earliest,
            item.due_latest,
            item.phase.as_str(),
            item.consultation_earliest,
            item.consultation_latest,
        );
    }

    println!("\nREGULARITY (gaps in days, as ranges where dates are partial)");
    for r in data.regularity() {
        println!(
            "  {:<6} {:>2} rounds ({:>2} known only by number), median gap {:?}–{:?}, mean {:?}–{:?}; years with a round {}, without {}, unknown {}",
            r.country.as_deref().unwrap_or("region"),
            r.rounds,
            r.rounds_derived,
            r.median_days_min.unwrap_or_default(),
            r.median_days_max.unwrap_or_default(),
            r.mean_days_min.unwrap_or_default(),
            r.mean_days_max.unwrap_or_default(),
            r.years_confirmed,
            r.years_without_round,
            r.years_unknown,
        );
    }

    eligibility(&data)?;

    println!("\nTIMELINE");
    for event in data.timeline() {
        println!(
            "  {:<24} {:<5} {}",
            event.date,
            format!("{:?}", event.precision).to_lowercase(),
            event.title
        );
    }
    Ok(())
}

/// A worked eligibility check: a Dushanbe NGO applies to the 2020 Tajikistan call with an action
/// four months too long and a request above the maximum, then fixes both.
fn eligibility(data: &Dataset) -> Result<(), Box<dyn Error>> {
    println!("\nA WORKED ELIGIBILITY CHECK (call tj-2020-cso)");
    let call = data.call("tj-2020-cso")?;
    let first = Application::from_json(
        r#"{
        "id": "dushanbe-ngo-1",
        "applicant": {"name": "A Dushanbe NGO", "legal_form": "legal_person", "non_profit": true,
                      "org_type": 22, "country": "TJ",
                      "exclusions": {"bankrupt": false, "convicted": false, "grave_misconduct": false,
                                     "unpaid_taxes": false, "fraud": false, "breach_of_contract": false}},
        "co_applicants": [{"country": "TJ", "org_type": 22,
                      "exclusions": {"bankrupt": false, "convicted": false, "grave_misconduct": false,
                                     "unpaid_taxes": false, "fraud": false, "breach_of_contract": false}}],
        "action": {"country": "TJ", "duration_months": 40},
        "budget": {"direct": 40000000, "indirect": 2800000, "contingency": 2000000,
                   "requested": 45000000},
        "submitted_at": "2020-09-04T16:00:00+05:00"
    }"#,
    )?;
    let as_of = chrono::NaiveDate::from_ymd_opt(2020, 9, 4).ok_or("date")?;
    let decision = call.evaluate(&first, as_of, None);
    println!("{}", indent(&decision.explain()));
    let mut fixed = first.clone();
    if let Some(action) = fixed.action.as_mut() {
        action.duration_months = Some(36);
    }
    if let Some(budget) = fixed.budget.as_mut() {
        budget.requested = Some(euca::Amount(40_000_000));
    }
    let second = call.evaluate(&fixed, as_of, None);
    println!(
        "  after reducing the duration to 36 months and the request to 400 000.00: {}",
        second.verdict.as_str()
    );
    Ok(())
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn describe(round: &RoundRecord) -> String {
    let number = round.number.map_or(String::new(), |n| format!("#{n} "));
    format!(
        "{number}{} {}",
        round.date.as_deref().unwrap_or("?"),
        round.place.as_deref().unwrap_or("")
    )
}
