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
const batch: BatchResult = call.evaluateMany([{ applicant: { country: "TJ" } }], { asOf: "2020-09-04" });
const first: DecisionJson = call.decision([{ applicant: { country: "TJ" } }], batch, 0).toJSON();
console.log(batch.verdicts, first.verdict);
