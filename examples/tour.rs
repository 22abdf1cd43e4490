//! A tour of euca's embedded dataset: the five human rights dialogues with their formats, first
//! and latest known rounds, the civil-society seminars, and the timeline of everything dated.
//!
//! Run it with `cargo run --example tour`.

use std::error::Error;

use euca::{Dataset, Date, RoundRecord};

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

fn describe(round: &RoundRecord) -> String {
    let number = round.number.map_or(String::new(), |n| format!("#{n} "));
    format!(
        "{number}{} {}",
        round.date.as_deref().unwrap_or("?"),
        round.place.as_deref().unwrap_or("")
    )
}
