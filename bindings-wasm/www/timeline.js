// The dialogue timeline: the five dialogues on one time axis (SVG), with their format changes,
// rounds (partial dates drawn as the span of days they allow, rounds known only from the
// numbering dashed), seminars, and a line at the status date. Every mark is focusable; hovering
// or focusing it shows its date, place and source.

const SVG = "http://www.w3.org/2000/svg";
const ROW = 78;
const LEFT = 150;
const TOP = 34;
const WIDTH = 1120;
const RIGHT = 16;

function el(name, attributes = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

const dayMs = 86_400_000;
const toTime = (iso) => Date.parse(`${iso}T00:00:00Z`);

/** Format types by colour (a legend is drawn below the axis). */
const FORMAT_COLOURS = {
  structured: "#2c6e9b",
  ad_hoc: "#b5651d",
  agreement_based: "#4f8a3c",
  local: "#7b5ea7",
};
const formatColour = (type) => FORMAT_COLOURS[type] ?? "#777";

/** What a mark says when focused or hovered; `sourceTitle` names its first source. */
function describe(record, sourceTitle) {
  const when = record.date
    ? record.date.replace(/ or /g, " or ")
    : `between ${record.start} and ${record.end}`;
  return {
    title: record.title,
    when,
    spans: record.start === record.end ? record.start : `${record.start} – ${record.end}`,
    place: record.place ?? null,
    source: record.source ?? null,
    sourceTitle: record.source ? (sourceTitle ?? record.source) : null,
    status: record.status,
  };
}

export function drawTimeline({ euca, data, svg, tooltip, asOf }) {
  /** The first and last day a sourced date allows (every alternative of a disputed one). */
  const span = (sourced) => {
    const texts = typeof sourced === "string" ? [sourced] : sourced.alternatives.map((a) => a.value);
    const dates = texts.map((t) => euca.parseDate(t));
    return {
      earliest: dates.map((d) => d.earliest).sort()[0],
      latest: dates.map((d) => d.latest).sort().at(-1),
    };
  };
  svg.replaceChildren();
  const countries = new Map(data.countries().map((c) => [c.id, c.name]));
  const dialogues = data.dialogues();
  const records = data.timelineRecords();
  // A flat record gives its first source's address; the timeline's events give the sources' titles.
  const sourceTitles = new Map();
  for (const event of data.timeline()) {
    for (const s of event.sources ?? []) {
      if (s.address && !sourceTitles.has(s.address)) sourceTitles.set(s.address, s.title);
    }
  }
  const describeMark = (record) => describe(record, sourceTitles.get(record.source));
  // The axis spans the dialogues' own history: agreements, formats, rounds, seminars.
  const DIALOGUE_KINDS = ["dialogue_agreed", "format_changed", "round", "seminar"];
  const years = records
    .filter((r) => r.country && DIALOGUE_KINDS.includes(r.kind))
    .flatMap((r) => [Number(r.start.slice(0, 4)), Number(r.end.slice(0, 4))]);
  const asOfYear = Number(asOf.slice(0, 4));
  const first = Math.min(...years, asOfYear);
  const last = Math.max(...years, asOfYear) + 1;
  const t0 = Date.UTC(first, 0, 1);
  const t1 = Date.UTC(last, 0, 1);
  const x = (iso) => LEFT + ((toTime(iso) - t0) / (t1 - t0)) * (WIDTH - LEFT - RIGHT);
  const xEnd = (iso) => x(iso) + ((dayMs) / (t1 - t0)) * (WIDTH - LEFT - RIGHT);
  const height = TOP + dialogues.length * ROW + 44;
  svg.setAttribute("viewBox", `0 0 ${WIDTH} ${height}`);
  svg.setAttribute("width", "100%");

  // Axis: a tick and a label every year.
  const axis = el("g", { class: "axis" }, svg);
  for (let y = first; y <= last; y++) {
    const xi = x(`${y}-01-01`);
    el("line", { x1: xi, x2: xi, y1: TOP - 6, y2: height - 44, class: "grid" }, axis);
    if (y < last) {
      const label = el("text", { x: xi + 3, y: TOP - 12, class: "year" }, axis);
      const perYear = (WIDTH - LEFT - RIGHT) / (last - first);
      label.textContent = perYear > 34 || y % 5 === 0 ? String(y) : perYear > 18 ? `’${String(y).slice(2)}` : "";
    }
  }

  const show = (mark, record) => {
    const d = describeMark(record);
    tooltip.replaceChildren();
    const h = document.createElement("strong");
    h.textContent = d.title;
    tooltip.append(h);
    const line = (label, value) => {
      const p = document.createElement("div");
      const b = document.createElement("span");
      b.className = "k";
      b.textContent = `${label}: `;
      p.append(b, value);
      tooltip.append(p);
    };
    line("Date", d.when);
    if (d.spans !== d.when) line("Days", d.spans);
    line("Place", d.place ?? "not recorded");
    if (d.source) {
      const a = document.createElement("a");
      a.href = d.source;
      a.textContent = d.sourceTitle;
      a.rel = "noreferrer";
      line("Source", a);
    } else {
      line("Source", record.status === "derived" ? "known only from a later round's number" : "see the record's sources");
    }
    line("Status", d.status);
    const box = mark.getBoundingClientRect();
    tooltip.hidden = false;
    tooltip.style.left = `${Math.max(8, window.scrollX + box.left)}px`;
    tooltip.style.top = `${window.scrollY + box.bottom + 8}px`;
  };
  const hide = () => {
    tooltip.hidden = true;
  };

  const addMark = (parent, record, shape) => {
    const g = el("g", { class: `mark ${record.kind} ${record.status}`, tabindex: 0, role: "img" }, parent);
    const d = describeMark(record);
    const source = d.sourceTitle ? `source: ${d.sourceTitle}` : record.status === "derived" ? "known only from a later round's number" : "";
    g.setAttribute("aria-label", [d.title, d.when, d.place, source].filter(Boolean).join("; "));
    el("title", {}, g).textContent = `${d.title} (${d.when})`;
    shape(g);
    g.dataset.record = record.record ?? "";
    g.dataset.country = record.country ?? "";
    g.addEventListener("mouseenter", () => show(g, record));
    g.addEventListener("focus", () => show(g, record));
    g.addEventListener("mouseleave", hide);
    g.addEventListener("blur", hide);
    g.addEventListener("keydown", (e) => {
      if (e.key === "Escape") hide();
    });
    return g;
  };

  dialogues.forEach((dialogue, i) => {
    const top = TOP + i * ROW;
    const row = el("g", { class: "row", "data-country": dialogue.country }, svg);
    const name = el("text", { x: 8, y: top + 30, class: "country" }, row);
    name.textContent = countries.get(dialogue.country) ?? dialogue.country;
    el("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: top + ROW - 6, y2: top + ROW - 6, class: "sep" }, row);

    // Formats: one band per format, from its start to the next change; the days a partial start
    // date leaves open are drawn lighter.
    const changes = records.filter(
      (r) => r.country === dialogue.country && (r.kind === "format_changed" || r.kind === "dialogue_agreed"),
    );
    const spans = dialogue.formats.map((f) => span(f.from));
    dialogue.formats.forEach((f, k) => {
      const here = spans[k];
      const next = spans[k + 1];
      const from = xEnd(here.latest);
      const to = next ? x(next.earliest) : WIDTH - RIGHT;
      const colour = formatColour(f.dialogue_type);
      el("rect", { x: x(here.earliest), y: top + 4, width: Math.max(1, from - x(here.earliest)), height: 14, class: "uncertain", fill: colour }, row);
      el("rect", { x: from, y: top + 4, width: Math.max(1, to - from), height: 14, fill: colour, class: "format", "data-type": f.dialogue_type }, row);
      if (to - from > 70) {
        const t = el("text", { x: from + 4, y: top + 15, class: "format-label" }, row);
        t.textContent = f.dialogue_type.replace(/_/g, " ");
      }
    });
    for (const r of changes) {
      addMark(row, r, (g) => {
        el("rect", { x: x(r.start), y: top + 2, width: Math.max(4, xEnd(r.end) - x(r.start)), height: 18, class: "change-hit" }, g);
        el("path", { d: `M${x(r.start)},${top + 1} l0,20`, class: "change" }, g);
      });
    }

    // Rounds: a dot for a day, a bar for the span a partial date allows, dashed when derived.
    for (const r of records.filter((r) => r.country === dialogue.country && r.kind === "round")) {
      addMark(row, r, (g) => {
        const x0 = x(r.start);
        const x1 = xEnd(r.end);
        if (r.start === r.end) {
          el("circle", { cx: (x0 + x1) / 2, cy: top + 34, r: 5 }, g);
        } else {
          el("rect", { x: x0, y: top + 28, width: Math.max(4, x1 - x0), height: 12, rx: 3 }, g);
        }
        if (r.round_number != null && r.status !== "derived") {
          const label = el("text", { x: (x0 + x1) / 2, y: top + 52, class: "round-number" }, g);
          label.textContent = String(r.round_number);
        }
      });
    }

    // Seminars: diamonds (spans for partial dates) below the rounds.
    for (const r of records.filter((r) => r.country === dialogue.country && r.kind === "seminar")) {
      addMark(row, r, (g) => {
        const x0 = x(r.start);
        const x1 = xEnd(r.end);
        const cy = top + 62;
        if (r.start === r.end) {
          const cx = (x0 + x1) / 2;
          el("path", { d: `M${cx},${cy - 6} l6,6 l-6,6 l-6,-6 z` }, g);
        } else {
          el("rect", { x: x0, y: cy - 4, width: Math.max(4, x1 - x0), height: 8 }, g);
        }
      });
    }
  });

  // The status date.
  const line = el("g", { class: "as-of" }, svg);
  const xa = x(asOf);
  el("line", { x1: xa, x2: xa, y1: TOP - 6, y2: height - 44 }, line);
  const label = el("text", { x: xa + 4, y: height - 30 }, line);
  label.textContent = `status as of ${asOf}`;

  // Legend.
  const legend = el("g", { class: "legend" }, svg);
  let lx = LEFT;
  for (const [type, colour] of Object.entries(FORMAT_COLOURS)) {
    if (!dialogues.some((d) => d.formats.some((f) => f.dialogue_type === type))) continue;
    el("rect", { x: lx, y: height - 18, width: 14, height: 10, fill: colour }, legend);
    const t = el("text", { x: lx + 18, y: height - 9 }, legend);
    t.textContent = `${type.replace(/_/g, " ")} format`;
    lx += 30 + t.textContent.length * 6.5;
  }
  el("circle", { cx: lx + 6, cy: height - 13, r: 5, class: "round-key" }, legend);
  el("text", { x: lx + 16, y: height - 9 }, legend).textContent = "round (bar: partial date; dashed: known from the numbering)";
  lx += 400;
  el("path", { d: `M${lx + 6},${height - 19} l6,6 l-6,6 l-6,-6 z`, class: "seminar-key" }, legend);
  el("text", { x: lx + 16, y: height - 9 }, legend).textContent = "civil-society seminar";
}

/** The status table for a day. */
export function drawStatus({ data, table, asOf }) {
  const names = new Map(data.countries().map((c) => [c.id, c.name]));
  const body = table.tBodies[0] ?? table.createTBody();
  body.replaceChildren();
  for (const s of data.status(asOf)) {
    const tr = body.insertRow();
    tr.dataset.country = s.country;
    const cells = [
      names.get(s.country) ?? s.country,
      s.certain ? s.phase.replace(/_/g, " ") : `cannot tell: ${s.possible_phases.map((p) => p.replace(/_/g, " ")).join(" or ")}`,
      s.last_round_number != null
        ? `${s.last_round_number}${s.last_round_date ? ` (${s.last_round_date})` : " (known from the numbering)"}`
        : "–",
      s.due_earliest ? `${s.due_earliest} – ${s.due_latest}` : "–",
    ];
    for (const text of cells) tr.insertCell().textContent = text;
    if (s.reason) tr.title = s.reason;
  }
}
