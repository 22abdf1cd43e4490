// Fixture kinds of dialogue cycles, as core/tests/fixture_kinds/cycles.rs runs them: `status`,
// `regularity`, `intervals`, `round_years`, `plan`, `stages_of`, `timeline_records`, `ical`.
export function kinds(euca, data, { guard, queryError, Shaped }) {
  /** The dataset with `input.extension` applied, if any (errors as the Rust runner shapes them). */
  const extended = (input) => {
    if (input.extension === undefined) return data;
    try {
      return data.extend(input.extension);
    } catch (e) {
      if (e?.name !== "EucaError") throw e;
      throw new Shaped({
        error: { code: e.code, problems: e.errors.map((p) => ({ code: p.code, path: p.path })) },
      });
    }
  };
  const withData = (input, f) => {
    const d = extended(input);
    try {
      return f(d);
    } finally {
      if (d !== data) d.free();
    }
  };
  /** The country code `input.country` names, if given. */
  const country = (d, input) =>
    typeof input.country === "string" ? guard(queryError, () => d.country(input.country).id) : null;

  /** Unfolds iCalendar text (RFC 5545 §3.1) into content lines. */
  const contentLines = (text) => {
    const lines = [];
    for (const raw of text.split("\r\n")) {
      if ((raw.startsWith(" ") || raw.startsWith("\t")) && lines.length > 0) {
        lines[lines.length - 1] += raw.slice(1);
      } else if (raw !== "") {
        lines.push(raw);
      }
    }
    return lines;
  };
  const icalEvents = (text) => {
    const names = {
      UID: "uid",
      "DTSTART;VALUE=DATE": "dtstart",
      "DTEND;VALUE=DATE": "dtend",
      "X-EUCA-PRECISION": "precision",
      "X-EUCA-PROJECTED": "projected",
      "X-EUCA-KIND": "kind",
    };
    const events = [];
    let current = null;
    for (const line of contentLines(text)) {
      if (line === "BEGIN:VEVENT") current = {};
      else if (line === "END:VEVENT") {
        events.push(current);
        current = null;
      } else if (current) {
        const at = line.indexOf(":");
        const key = names[line.slice(0, at)];
        if (key) current[key] = line.slice(at + 1);
      }
    }
    return { events };
  };

  return {
    status: (input) =>
      withData(input, (d) =>
        typeof input.country === "string"
          ? guard(queryError, () => d.statusOf(input.country, input.as_of))
          : d.status(input.as_of),
      ),
    regularity: (input) => {
      const rows = data.regularity();
      if (input.scope === "region") return rows.length ? rows[rows.length - 1] : null;
      const c = country(data, input);
      return c === null ? rows : (rows.find((r) => r.country === c) ?? null);
    },
    intervals: (input) => {
      const c = country(data, input);
      return data.intervals().filter((i) => c === null || i.country === c);
    },
    round_years: (input) => {
      const c = country(data, input);
      return data.roundYears().filter((y) => c === null || y.country === c);
    },
    plan: (input) =>
      withData(input, (d) => {
        const c = country(d, input);
        return d
          .plan(input.years ?? null, input.as_of, input.consultation_weeks ?? null)
          .filter((p) => c === null || p.country === c);
      }),
    stages_of: (input) => guard(queryError, () => data.stagesOf(input.round)),
    timeline_records: (input) => {
      const c = country(data, input);
      return data
        .timelineRecords()
        .filter((r) => c === null || r.country === c)
        .filter((r) => input.kind === undefined || r.kind === input.kind)
        .filter((r) => input.status === undefined || r.status === input.status);
    },
    ical: (input) => guard(queryError, () => icalEvents(data.toIcal(input.filter ?? {}))),
  };
}
