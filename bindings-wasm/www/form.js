// The eligibility form, generated: which fields a call's criteria read (found by evaluating the
// call, not written down per call) and which widget each field gets (from the application's JSON
// Schema). No DOM here, so the logic also runs under Node.

/** Splits `co_applicants[0].country` into `["co_applicants", 0, "country"]`. */
export function parsePath(path) {
  const steps = [];
  for (const part of path.split(".")) {
    const m = part.match(/^([^[\]]+)((?:\[\d+\])*)$/);
    if (!m) return [path];
    steps.push(m[1]);
    for (const index of m[2].matchAll(/\[(\d+)\]/g)) steps.push(Number(index[1]));
  }
  return steps;
}

export function getPath(object, path) {
  let at = object;
  for (const step of parsePath(path)) {
    if (at == null) return undefined;
    at = at[step];
  }
  return at;
}

/** Sets a value at a path, creating objects and arrays on the way; `undefined` deletes it. */
export function setPath(object, path, value) {
  const steps = parsePath(path);
  let at = object;
  for (let i = 0; i < steps.length - 1; i++) {
    const step = steps[i];
    if (at[step] == null) at[step] = typeof steps[i + 1] === "number" ? [] : {};
    at = at[step];
  }
  const last = steps[steps.length - 1];
  if (value === undefined) delete at[last];
  else at[last] = value;
}

/** Removes empty objects, so that an unanswered section is absent, not `{}`. */
export function prune(value) {
  if (Array.isArray(value)) return value.map((v) => prune(v) ?? {});
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}

/** The schema node at a path, with the name of the definition it comes from. */
export function schemaAt(schema, path) {
  const deref = (node) => {
    let name = null;
    while (node && node.$ref) {
      name = node.$ref.split("/").pop();
      node = schema.$defs[name];
    }
    return { node, name };
  };
  const unwrap = (node) => {
    let { node: n, name } = deref(node);
    if (n && n.anyOf) {
      const inner = deref(n.anyOf.find((x) => x.type !== "null"));
      return { node: { ...inner.node, description: n.description ?? inner.node.description }, name: inner.name };
    }
    return { node: n, name };
  };
  let at = { node: schema, name: null };
  for (const step of parsePath(path)) {
    const current = unwrap(at.node).node;
    if (!current) return null;
    const next = typeof step === "number" ? current.items : current.properties?.[step];
    if (!next) return null;
    at = { node: next, name: null };
  }
  return unwrap(at.node);
}

const types = (node) => (Array.isArray(node.type) ? node.type : [node.type]).filter(Boolean);
const choicesOf = (node) => (node.oneOf ?? []).filter((o) => "const" in o).map((o) => ({ value: o.const, label: o.description ?? o.const }));

/**
 * The widget for a field: `{kind, options?, description}`, where kind is one of `yesno`,
 * `choice`, `choices`, `money`, `instant`, `date`, `integer`, `count` (a list of organisations),
 * `list` (comma-separated values), `text` or `object` (a section to open).
 */
export function widgetFor(schema, path) {
  const found = schemaAt(schema, path);
  if (!found || !found.node) return { kind: "text", description: "" };
  const { node, name } = found;
  const description = node.description ?? "";
  if (name === "Amount") return { kind: "money", description };
  if (name === "Instant") return { kind: "instant", description };
  if (choicesOf(node).length) return { kind: "choice", options: choicesOf(node), description };
  const t = types(node);
  if (t.includes("boolean")) return { kind: "yesno", description };
  if (t.includes("integer")) return { kind: "integer", description };
  if (t.includes("string") && node.format === "date") return { kind: "date", description };
  if (t.includes("array")) {
    const items = schemaAt(schema, `${path}[0]`);
    const itemNode = items?.node ?? {};
    if (choicesOf(itemNode).length) return { kind: "choices", options: choicesOf(itemNode), description };
    if (types(itemNode).includes("object")) return { kind: "count", description };
    return { kind: "list", description };
  }
  if (t.includes("object")) return { kind: "object", description };
  return { kind: "text", description };
}

/** Every field path a decision's criteria read or wait for, in the call's order. */
export function fieldsRead(decision) {
  const seen = new Set();
  for (const check of decision.checks) {
    for (const path of Object.keys(check.read)) seen.add(path);
    for (const path of check.missing ?? []) seen.add(path);
  }
  for (const m of decision.missing) seen.add(m.field);
  return [...seen];
}

/**
 * The fields of the form for `application`: what the call's criteria read, found by evaluating
 * the call and opening every section (an absent `applicant`, `budget` ...) the criteria wait for,
 * until only answerable fields are left. Returns `[{path, widget, question}]`.
 */
export function formFields(evaluate, schema, application) {
  const probe = structuredClone(application ?? {});
  const questions = new Map();
  let paths = [];
  for (let round = 0; round < 12; round++) {
    const decision = evaluate(probe);
    for (const m of decision.missing) questions.set(m.field, m.question);
    paths = fieldsRead(decision);
    const closed = paths.filter(
      (p) => widgetFor(schema, p).kind === "object" && getPath(probe, p) == null,
    );
    if (closed.length === 0) break;
    for (const p of closed) setPath(probe, p, {});
  }
  // A field of a listed organisation (`co_applicants[0].country`) keeps the list's own field
  // (how many), so that the list can grow or shrink.
  const withLists = [];
  for (const p of paths) {
    const steps = parsePath(p);
    const at = steps.findIndex((s) => typeof s === "number");
    if (at > 0) {
      const list = steps.slice(0, at).join(".");
      if (!withLists.includes(list)) withLists.push(list);
    }
    if (!withLists.includes(p)) withLists.push(p);
  }
  return withLists
    .filter((p) => widgetFor(schema, p).kind !== "object")
    .map((path) => ({ path, widget: widgetFor(schema, path), question: questions.get(path) ?? null }));
}

/**
 * Euros as typed (`250000`, `250 000.50`) to minor units (cents), exactly, as a decimal string.
 * Text that is not a plain number is passed on unchanged, so that euca says what is wrong with it
 * (`invalid money`, `negative money`, `over-precise money`).
 */
export function eurosToCents(text) {
  const t = String(text).replace(/[\s_\u00a0\u202f]/g, "");
  const m = t.match(/^(-?)(\d+)(?:[.,](\d*))?$/);
  if (!m) return t;
  const [, sign, whole, fraction = ""] = m;
  const cents = (fraction + "00").slice(0, 2);
  const rest = fraction.slice(2);
  const digits = `${whole}${cents}`.replace(/^0+(?=\d)/, "");
  return `${sign}${digits}${rest ? `.${rest}` : ""}`;
}

/** Minor units (cents) as euros with thin grouping: `30000000` → `300 000.00`. */
export function formatCents(cents) {
  if (cents == null) return "–";
  const n = BigInt(cents);
  const whole = (n / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
  const rest = (n % 100n).toString().padStart(2, "0");
  return `${whole}.${rest}`;
}

/** A label from a path when euca asks no question for it: `applicant.non_profit` → "Non profit". */
export function humanise(path) {
  const leaf = parsePath(path).filter((s) => typeof s === "string").pop() ?? path;
  const words = leaf.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The evaluation day a call suggests: its deadline's day, else today. */
export function suggestedDay(criteria, today) {
  for (const c of criteria) {
    const d = c.test?.deadline;
    if (d?.date) return d.date;
    if (d?.at) return d.at.slice(0, 10);
  }
  return today;
}
