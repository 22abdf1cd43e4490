// A TypeScript user of `euca/screen` (ES module): `init` first, then the screening API.
import init, { Call, type BatchResult, type DecisionJson } from "../../pkg/screen/euca.js";

await init();
const call = Call.fromJson({
  id: "my-call",
  version: "1",
  kind: "call",
  title: "A call of the EIDHR 2014-2020",
  extends: "eidhr-2014",
  sources: [{ title: "Guidelines for applicants", address: "https://example.org/g.pdf" }],
});
const applications = [{ applicant: { country: "TJ" } }];
const batch: BatchResult = call.evaluateMany(applications, { asOf: "2020-09-04" });
// A row's full decision: its application evaluated on the batch's day, at the batch's stage.
const options = { asOf: batch.as_of, stage: batch.stage };
const first: DecisionJson = call.evaluate(applications[0], options).toJSON();
console.log(batch.verdicts, first.verdict);
