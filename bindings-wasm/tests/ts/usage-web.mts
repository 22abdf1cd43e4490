// A TypeScript user of the browser build (ES module): `init` first, then the same API.
import init, { Dataset, type TimelineEvent } from "../../pkg/web/euca.js";

await init();
const data = Dataset.embedded();
const rounds: TimelineEvent[] = data.timeline().filter((e) => e.kind === "round");
console.log(rounds.length, data.version);
