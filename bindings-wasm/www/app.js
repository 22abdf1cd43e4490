// The demo page: an eligibility checker whose form is generated from what the selected call's
// criteria read, and the dialogue timeline. Only local files, no framework.
import init, * as euca from "./euca/euca.js";
import {
  eurosToCents,
  formFields,
  formatCents,
  humanise,
  parsePath,
  prune,
  setPath,
  suggestedDay,
} from "./form.js";
import { drawStatus, drawTimeline } from "./timeline.js";

const $ = (id) => document.getElementById(id);
const today = new Date().toISOString().slice(0, 10);

await init();
const data = euca.Dataset.embedded();
const schema = euca.applicationSchema();
$("versions").textContent = `(euca ${euca.version()}, dataset ${data.version})`;

// ---- eligibility checker ------------------------------------------------------------------------

const state = {
  call: null,
  /** Raw input values by field path (kept when the form is rebuilt or the call changes). */
  values: new Map(),
  /** The fields on screen: [{path, widget, question}]. */
  fields: [],
  /** euca's question for each field, remembered once asked (an answered field is not asked). */
  questions: new Map(),
};

const ZONES = ["Europe/Brussels", "UTC", "Asia/Almaty", "Asia/Bishkek", "Asia/Dushanbe", "Asia/Ashgabat", "Asia/Tashkent"];
const SECTION_NAMES = {
  applicant: "Lead applicant",
  co_applicants: "Co-applicant",
  affiliated_entities: "Affiliated entity",
  action: "The action",
  budget: "Budget (euros)",
  submitted_at: "Submission",
  id: "Application",
};

const fieldId = (path) => `f-${path.replace(/[^A-Za-z0-9]+/g, "-")}`;

/** The section a field belongs to: `co_applicants[0]`, `applicant`, `budget` ... */
function sectionOf(path) {
  const steps = parsePath(path);
  return typeof steps[1] === "number" ? `${steps[0]}[${steps[1]}]` : String(steps[0]);
}

function sectionTitle(section) {
  const m = section.match(/^(\w+)\[(\d+)\]$/);
  if (m) return `${SECTION_NAMES[m[1]] ?? humanise(m[1])} ${Number(m[2]) + 1}`;
  return SECTION_NAMES[section] ?? humanise(section);
}

/** The application the form describes (only fields on screen count). */
function application() {
  const app = {};
  const counts = state.fields.filter((f) => f.widget.kind === "count");
  for (const f of counts) {
    const raw = state.values.get(f.path);
    const n = Number(raw);
    if (raw !== undefined && raw !== "" && Number.isInteger(n) && n >= 0 && n <= 50) {
      setPath(app, f.path, Array.from({ length: n }, () => ({})));
    }
  }
  for (const f of state.fields) {
    if (f.widget.kind === "count") continue;
    const raw = state.values.get(f.path);
    if (raw === undefined || raw === "" || (Array.isArray(raw) && raw.length === 0)) continue;
    // A field of a partner that is no longer counted does not count.
    const steps = parsePath(f.path);
    if (typeof steps[1] === "number") {
      const list = app[steps[0]];
      if (!Array.isArray(list) || steps[1] >= list.length) continue;
    }
    let value;
    switch (f.widget.kind) {
      case "yesno":
        value = raw === "yes";
        break;
      case "money":
        value = eurosToCents(raw);
        break;
      case "integer":
        value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
        break;
      case "list":
        value = raw.split(",").map((s) => s.trim()).filter(Boolean);
        break;
      case "instant": {
        const zone = state.values.get(`${f.path}#zone`) ?? ZONES[0];
        const local = raw.length === 16 ? `${raw}:00` : raw;
        value = zone === "UTC" ? `${local}Z` : `${local}[${zone}]`;
        break;
      }
      case "text":
        value = raw.trim();
        break;
      default:
        value = raw;
    }
    setPath(app, f.path, value);
  }
  return prune(app) ?? {};
}

function evaluateOptions() {
  const options = { asOf: $("as-of").value || null };
  if (!$("stage-control").hidden) options.stage = $("stage").value;
  return options;
}

/** Builds the input for one field. */
function fieldElement(field) {
  const { path, widget, question } = field;
  const id = fieldId(path);
  const wrap = document.createElement("div");
  wrap.className = `field ${widget.kind}`;
  wrap.dataset.path = path;
  const labelText = question ?? widget.description ?? humanise(path);
  const hint = document.createElement("small");
  hint.className = "hint";
  hint.id = `${id}-hint`;
  hint.textContent = widget.kind === "money" ? "in euros, e.g. 250000 or 250000.50" : path;
  const error = document.createElement("small");
  error.className = "field-error";
  error.id = `${id}-error`;
  error.setAttribute("aria-live", "polite");
  const value = state.values.get(path);
  const describedBy = `${id}-hint ${id}-error`;
  const onInput = (v) => {
    state.values.set(path, v);
    update();
  };

  if (widget.kind === "choices") {
    const fs = document.createElement("fieldset");
    fs.id = id;
    fs.setAttribute("aria-describedby", describedBy);
    const legend = document.createElement("legend");
    legend.textContent = labelText;
    fs.append(legend);
    const chosen = new Set(Array.isArray(value) ? value : []);
    widget.options.forEach((o, i) => {
      const cid = `${id}-${i}`;
      const box = document.createElement("input");
      box.type = "checkbox";
      box.id = cid;
      box.value = o.value;
      box.checked = chosen.has(o.value);
      box.addEventListener("change", () => {
        const checked = [...fs.querySelectorAll("input:checked")].map((b) => b.value);
        onInput(checked);
      });
      const l = document.createElement("label");
      l.htmlFor = cid;
      l.textContent = o.value.replace(/_/g, " ");
      l.title = o.label;
      const row = document.createElement("span");
      row.className = "option";
      row.append(box, l);
      fs.append(row);
    });
    wrap.append(fs, hint, error);
    return wrap;
  }

  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = labelText;
  let input;
  if (widget.kind === "yesno" || widget.kind === "choice") {
    input = document.createElement("select");
    const options =
      widget.kind === "yesno"
        ? [["", "— not answered —"], ["yes", "Yes"], ["no", "No"]]
        : [["", "— not answered —"], ...widget.options.map((o) => [o.value, o.value.replace(/_/g, " ")])];
    for (const [v, t] of options) input.add(new Option(t, v));
    input.value = value ?? "";
    input.addEventListener("change", () => onInput(input.value));
  } else {
    input = document.createElement("input");
    switch (widget.kind) {
      case "money":
        input.type = "text";
        input.inputMode = "decimal";
        input.autocomplete = "off";
        break;
      case "integer":
      case "count":
        input.type = "number";
        input.min = "0";
        input.step = "1";
        break;
      case "date":
        input.type = "date";
        break;
      case "instant":
        input.type = "datetime-local";
        break;
      default:
        input.type = "text";
        if (/country/.test(path)) {
          input.setAttribute("list", "countries");
          input.placeholder = "ISO code, e.g. TJ";
          input.autocapitalize = "characters";
        }
    }
    input.value = value ?? "";
    input.addEventListener("input", () => onInput(input.value));
  }
  input.id = id;
  input.name = path;
  input.setAttribute("aria-describedby", describedBy);
  wrap.append(label, input);
  if (widget.kind === "count") hint.textContent = "how many; each gets its own questions";
  if (widget.kind === "instant") {
    const zone = document.createElement("select");
    zone.id = `${id}-zone`;
    zone.setAttribute("aria-label", `${labelText}: time zone`);
    for (const z of ZONES) zone.add(new Option(z, z));
    zone.value = state.values.get(`${path}#zone`) ?? ZONES[0];
    zone.addEventListener("change", () => {
      state.values.set(`${path}#zone`, zone.value);
      update();
    });
    wrap.append(zone);
  }
  wrap.append(hint, error);
  return wrap;
}

/** Rebuilds the form when the set of fields changes, keeping focus and values. */
function renderFields(fields) {
  const same =
    fields.length === state.fields.length && fields.every((f, i) => f.path === state.fields[i].path);
  state.fields = fields;
  if (same) return;
  const active = document.activeElement?.id;
  const container = $("fields");
  container.replaceChildren();
  const sections = new Map();
  for (const f of fields) {
    const key = f.widget.kind === "count" ? String(parsePath(f.path)[0]) : sectionOf(f.path);
    if (!sections.has(key)) {
      const fs = document.createElement("fieldset");
      fs.className = "section";
      fs.dataset.section = key;
      const legend = document.createElement("legend");
      legend.textContent = f.widget.kind === "count" ? `${sectionTitle(key)}s` : sectionTitle(key);
      fs.append(legend);
      sections.set(key, fs);
      container.append(fs);
    }
    sections.get(key).append(fieldElement(f));
  }
  if (active && $(active)) $(active).focus();
}

function showErrors(error) {
  const box = $("errors");
  box.replaceChildren();
  for (const el of document.querySelectorAll("[aria-invalid=true]")) el.removeAttribute("aria-invalid");
  for (const el of document.querySelectorAll(".field-error")) el.textContent = "";
  if (!error) {
    box.hidden = true;
    $("result").classList.remove("stale");
    return;
  }
  box.hidden = false;
  $("result").classList.add("stale");
  const h = document.createElement("p");
  h.textContent = "This answer cannot be read:";
  const list = document.createElement("ul");
  for (const p of error.errors ?? [{ path: "", message: error.message }]) {
    const li = document.createElement("li");
    const field = state.fields.find((f) => f.path === p.path || p.path.startsWith(`${f.path}.`));
    const name = field ? (field.question ?? humanise(field.path)) : p.path;
    li.textContent = name ? `${name} — ${p.message}` : p.message;
    li.dataset.code = p.code;
    list.append(li);
    if (field) {
      const input = $(fieldId(field.path));
      if (input) input.setAttribute("aria-invalid", "true");
      const slot = $(`${fieldId(field.path)}-error`);
      if (slot) {
        slot.textContent =
          field.widget.kind === "money" ? `${p.message} (euca reads the amount in cents)` : p.message;
      }
    }
  }
  box.append(h, list);
}

const VERDICT_TEXT = {
  eligible: "Eligible",
  ineligible: "Not eligible",
  undetermined: "Cannot tell yet",
};
const OUTCOME_ICON = { pass: "✓", fail: "✗", unknown: "?", not_applicable: "–" };

function renderDecision(decision) {
  const d = decision.toJSON();
  const verdict = $("verdict");
  verdict.textContent = VERDICT_TEXT[d.verdict];
  verdict.className = `verdict ${d.verdict}`;
  verdict.dataset.verdict = d.verdict;
  const counts = { pass: 0, fail: 0, unknown: 0 };
  for (const c of d.checks) if (c.outcome in counts) counts[c.outcome]++;
  $("summary").textContent = `${counts.pass} criteria met, ${counts.fail} not met, ${counts.unknown} open — under ${d.rule_set.id} (version ${d.rule_set.version}), as of ${d.as_of}${d.stage ? `, ${d.stage.replace(/_/g, " ")}` : ""}.`;

  const grant = $("grant");
  grant.replaceChildren();
  grant.dataset.max = d.grant?.max_eu_contribution ?? "";
  if (!d.grant) {
    const p = document.createElement("dd");
    p.textContent = "Not computable yet: give the budget.";
    grant.append(p);
  } else {
    const g = d.grant;
    const rows = [
      ["Total eligible costs", `${g.currency} ${formatCents(g.total_eligible)}`, "total"],
      ["EU contribution requested", g.requested != null ? `${g.currency} ${formatCents(g.requested)}${g.requested_share ? ` (${g.requested_share} %)` : ""}` : "–", "requested"],
      ["Maximum EU contribution", g.max_eu_contribution != null ? `${g.currency} ${formatCents(g.max_eu_contribution)}` : "–", "max"],
      ["Minimum EU contribution", g.min_eu_contribution != null ? `${g.currency} ${formatCents(g.min_eu_contribution)}` : "–", "min"],
    ];
    for (const [k, v, key] of rows) {
      const dt = document.createElement("dt");
      dt.textContent = k;
      const dd = document.createElement("dd");
      dd.textContent = v;
      dd.dataset.key = key;
      grant.append(dt, dd);
    }
    for (const n of g.notes ?? []) {
      const dd = document.createElement("dd");
      dd.className = "note";
      dd.textContent = n;
      grant.append(dd);
    }
  }

  const missing = $("missing");
  missing.replaceChildren();
  for (const m of d.missing) {
    const li = document.createElement("li");
    const field = state.fields.find((f) => f.path === m.field);
    if (field) {
      const a = document.createElement("a");
      a.href = `#${fieldId(field.path)}`;
      a.textContent = m.question;
      a.addEventListener("click", (e) => {
        e.preventDefault();
        $(fieldId(field.path))?.focus();
      });
      li.append(a);
    } else {
      li.textContent = m.question;
    }
    if (m.settles) li.append(" (settles the verdict)");
    missing.append(li);
  }
  if (!d.missing.length) missing.append(Object.assign(document.createElement("li"), { textContent: "None." }));

  const recourse = $("recourse");
  recourse.replaceChildren();
  for (const r of d.recourse) recourse.append(Object.assign(document.createElement("li"), { textContent: r.message }));
  if (!d.recourse.length) recourse.append(Object.assign(document.createElement("li"), { textContent: "Nothing to change." }));

  const checks = $("checks");
  checks.replaceChildren();
  for (const c of d.checks) {
    const li = document.createElement("li");
    li.className = `check ${c.outcome}`;
    li.dataset.id = c.id;
    li.dataset.outcome = c.outcome;
    const head = document.createElement("div");
    const icon = document.createElement("span");
    icon.className = "icon";
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = OUTCOME_ICON[c.outcome];
    const outcome = document.createElement("span");
    outcome.className = "visually-hidden";
    outcome.textContent = `${c.outcome.replace(/_/g, " ")}: `;
    const statement = document.createElement("span");
    statement.textContent = c.statement;
    head.append(icon, outcome, statement);
    const message = document.createElement("div");
    message.className = "message";
    message.textContent = c.message;
    const cite = document.createElement("div");
    cite.className = "citation";
    const src = c.citation.source;
    cite.append(`${c.citation.reference} — `);
    if (src.address) {
      const a = document.createElement("a");
      a.href = src.address;
      a.rel = "noreferrer";
      a.textContent = src.title;
      cite.append(a);
    } else {
      cite.append(src.document ? `${src.title}, ${src.document}` : src.title);
    }
    if (src.locator) cite.append(` (“${src.locator}”)`);
    li.append(head, message, cite);
    checks.append(li);
  }
}

/** Re-evaluates the application: called on every change of an answer. */
function update() {
  const call = state.call;
  if (!call) return;
  const options = evaluateOptions();
  const probe = (a) => {
    const decision = call.evaluate(a, options);
    try {
      return decision.toJSON();
    } finally {
      decision.free();
    }
  };
  // The fields depend on the answers (a co-applicant brings its own questions): settle them.
  for (let round = 0; round < 4; round++) {
    let fields;
    try {
      fields = formFields(probe, schema, application());
    } catch (error) {
      // The answers cannot be read: keep the form as it is and say what is wrong.
      showErrors(error);
      return;
    }
    for (const f of fields) {
      if (f.question) state.questions.set(f.path, f.question);
      else f.question = state.questions.get(f.path) ?? null;
    }
    const before = state.fields.map((f) => f.path).join("|");
    renderFields(fields);
    if (fields.map((f) => f.path).join("|") === before) break;
  }
  const app = application();
  try {
    const decision = call.evaluate(app, options);
    try {
      showErrors(null);
      renderDecision(decision);
    } finally {
      decision.free();
    }
  } catch (error) {
    showErrors(error);
  }
}

function selectCall(id) {
  state.call?.free();
  state.call = data.call(id);
  const call = state.call;
  $("as-of").value = suggestedDay(call.criteria(), today);
  const stages = call.stages();
  $("stage-control").hidden = stages.length === 0;
  const stage = $("stage");
  stage.replaceChildren(...stages.map((s) => new Option(s.replace(/_/g, " "), s)));
  // An applicant starts at the first stage (the concept note, with its own deadline).
  if (stages.length) stage.value = stages[0];
  const flat = call.toFlatJSON();
  $("call-info").textContent = `${call.title}. Rules: ${flat.chain.map((c) => c.id).join(" → ")}; ${flat.criteria.length} criteria; amounts in ${call.currency}.`;
  state.fields = [];
  update();
}

function setUpChecker() {
  const select = $("call");
  for (const r of data.ruleSets().filter((r) => r.kind === "call")) {
    select.add(new Option(`${r.title} (${r.id})`, r.id));
  }
  select.addEventListener("change", () => selectCall(select.value));
  $("as-of").addEventListener("change", update);
  $("stage").addEventListener("change", update);
  $("clear").addEventListener("click", () => {
    state.values.clear();
    state.fields = [];
    update();
  });
  $("application").addEventListener("submit", (e) => e.preventDefault());
  const list = document.createElement("datalist");
  list.id = "countries";
  for (const c of data.countries()) list.append(new Option(c.name, c.id));
  document.body.append(list);
  selectCall(select.value);
}

// ---- timeline -----------------------------------------------------------------------------------

function setUpTimeline() {
  const picker = $("status-date");
  picker.value = today;
  const draw = () => {
    const asOf = picker.value || today;
    drawTimeline({ euca, data, svg: $("timeline-svg"), tooltip: $("tooltip"), asOf });
    drawStatus({ data, table: $("status"), asOf });
  };
  picker.addEventListener("change", draw);
  draw();
}

setUpChecker();
setUpTimeline();
$("checker").hidden = false;
$("timeline").hidden = false;
$("loading").hidden = true;
document.body.dataset.ready = "true";
