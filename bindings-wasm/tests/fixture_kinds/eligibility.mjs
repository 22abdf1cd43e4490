// Fixture kinds of the eligibility engine, as core/tests/fixture_kinds/eligibility.rs runs them:
// `evaluate`, `compile_call`, `compare`, `match`, `evaluate_jsonl`, `fields_read`. Documents given as objects go
// in as objects (the binding's object path), text as text.
export function kinds(euca, data, { guard, datasetError, queryError }) {
  /** The dataset with the case's own rule sets added (the caller frees it when it is not `data`). */
  const dataset = (input) =>
    input.rule_sets == null
      ? data
      : guard(datasetError, () => data.extend({ add: { rule_sets: input.rule_sets } }));
  const release = (d) => {
    if (d !== data) d.free();
  };
  const call = (d, input, key) => {
    const id = input[`${key}_id`];
    if (typeof id === "string") return guard(queryError, () => d.call(id));
    if (input[key] === undefined) throw new Error(`input.${key} or input.${key}_id is required`);
    return guard(datasetError, () => euca.Call.fromJsonWith(input[key], d));
  };
  const options = (input) => ({ asOf: input.as_of ?? null, stage: input.stage ?? null });
  const withDataset = (input, f) => {
    const d = dataset(input);
    try {
      return f(d);
    } finally {
      release(d);
    }
  };
  return {
    evaluate: (input) =>
      withDataset(input, (d) => {
        const c = call(d, input, "call");
        try {
          if (input.application === undefined) throw new Error("input.application is required");
          const decision = guard(datasetError, () => c.evaluate(input.application, options(input)));
          try {
            return decision.toJSON();
          } finally {
            decision.free();
          }
        } finally {
          c.free();
        }
      }),
    compile_call: (input) =>
      withDataset(input, (d) => {
        const c = call(d, input, "call");
        try {
          return c.toFlatJSON();
        } finally {
          c.free();
        }
      }),
    fields_read: (input) =>
      withDataset(input, (d) => {
        const c = call(d, input, "call");
        try {
          return c.fieldsRead();
        } finally {
          c.free();
        }
      }),
    compare: (input) =>
      withDataset(input, (d) => {
        const a = call(d, input, "call_a");
        const b = call(d, input, "call_b");
        try {
          return guard(datasetError, () =>
            euca.compare(a, b, input.applications, input.as_of ?? null),
          );
        } finally {
          a.free();
          b.free();
        }
      }),
    match: (input) =>
      withDataset(input, (d) => {
        const decisions = guard(datasetError, () => d.match(input.application, input.as_of ?? null));
        const only = Array.isArray(input.calls) ? input.calls : null;
        return decisions.filter((x) => only === null || only.includes(x.rule_set.id));
      }),
    evaluate_jsonl: (input) =>
      withDataset(input, (d) => {
        const c = call(d, input, "call");
        try {
          return guard(datasetError, () => c.evaluateJsonl(input.text, options(input)));
        } finally {
          c.free();
        }
      }),
  };
}
