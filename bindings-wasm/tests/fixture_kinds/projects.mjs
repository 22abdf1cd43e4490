// Fixture kinds of funded projects, as core/tests/fixture_kinds/projects.rs runs them: records,
// IATI import and export, the eligibility link and the analyses. Where a case names projects,
// `projects` gives records and `project_ids` ids of the embedded dataset's (both go to the same
// argument, which takes either); neither means all of the dataset's.
export function kinds(euca, data, { guard, datasetError, queryError, Shaped }) {
  /** The error of a call that takes records or ids, which may be a document's problems or a query
   * error: shaped with both its message and its problems, so that a case can expect either. */
  const either = (e) => {
    const { problems } = datasetError(e).value.error;
    return new Shaped({ error: { code: e.code, message: e.message, problems } });
  };
  const chosen = (input) => input.projects ?? input.project_ids ?? null;
  const one = (input) => input.project ?? input.project_id;
  return {
    projects: (input) =>
      data
        .projects()
        .filter(
          (p) =>
            input.country === undefined ||
            (p.recipient_countries ?? []).some((r) => r.country === input.country),
        ),
    project: (input) => guard(queryError, () => data.project(input.id)),
    validate_projects: (input) => {
      const extended = guard(datasetError, () => data.extend({ add: { projects: input.projects } }));
      try {
        return { projects: extended.projects().length };
      } finally {
        extended.free();
      }
    },
    read_iati: (input) => guard(datasetError, () => euca.readIati(input.xml, input.options ?? null)),
    to_iati: (input) => {
      const xml =
        input.projects !== undefined
          ? guard(datasetError, () => euca.toIati(input.projects, input.options ?? null))
          : guard(either, () => data.toIati(input.options ?? null, chosen(input)));
      return { xml, records: guard(datasetError, () => euca.readIati(xml)).records };
    },
    project_application: (input) => guard(either, () => data.projectApplication(one(input))),
    evaluate_project: (input) =>
      guard(either, () => data.projectEligibility(input.as_of, [one(input)], input.call_id ?? null))[0],
    project_eligibility: (input) => data.projectEligibility(input.as_of),
    funding: (input) => guard(either, () => data.funding(input.by, chosen(input))),
    project_leads: (input) => guard(either, () => data.projectLeads(chosen(input))),
    local_leads: (input) => guard(either, () => data.localLeads(chosen(input))),
    projects_after_rounds: (input) =>
      guard(either, () => data.projectsAfterRounds(input.months, chosen(input))),
  };
}
