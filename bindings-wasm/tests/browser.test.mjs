// The demo page in Debian's Chromium, headless, driven by playwright-core: www/ is served on
// loopback by node:http (no network), the page must load without console errors, the checker
// must show the right verdict and grant for two different calls from forms it generated, an
// invalid entry must show a readable error, and the timeline must show all five countries.
// Screenshots go to bindings-wasm/screenshots/.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const www = path.join(here, "..", "www");
const shots = path.join(here, "..", "screenshots");
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".ts": "text/plain; charset=utf-8",
};

/** A static file server for www/ on 127.0.0.1 (an ephemeral port). */
function serve(root) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    const file = path.normalize(path.join(root, decodeURIComponent(url.pathname === "/" ? "/index.html" : url.pathname)));
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

let server;
let context;
let page;
let base;
const problems = [];
const requests = [];

before(async () => {
  assert.ok(fs.existsSync(path.join(www, "euca", "euca_bg.wasm")), "run build.sh first (www/euca/ is missing)");
  fs.mkdirSync(shots, { recursive: true });
  server = await serve(www);
  base = `http://127.0.0.1:${server.address().port}`;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "euca-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    timeout: 60_000,
    viewport: { width: 1280, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(`${base}/`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
});

after(async () => {
  await context?.close();
  server?.close();
});

/** Sets a generated field by its path (select, text, number, date or checkboxes). */
async function fill(fieldPath, value) {
  const field = page.locator(`.field[data-path="${fieldPath}"]`);
  await field.waitFor({ timeout: 10_000 });
  if (Array.isArray(value)) {
    for (const v of value) await field.locator(`input[type=checkbox][value="${v}"]`).check();
    return;
  }
  const control = field.locator("select, input").first();
  const tag = await control.evaluate((e) => e.tagName.toLowerCase());
  if (tag === "select") await control.selectOption(String(value));
  else await control.fill(String(value));
}

async function chooseCall(id) {
  await page.selectOption("#call", id);
  await page.waitForSelector(".field");
}

const verdict = () => page.locator("#verdict").getAttribute("data-verdict");
const maxGrant = () => page.locator("#grant").getAttribute("data-max");
const NO_EXCLUSION = ["bankrupt", "convicted", "grave_misconduct", "unpaid_taxes", "fraud", "breach_of_contract"];

describe("demo page", () => {
  test("loads from loopback only, without console errors", async () => {
    assert.equal(await page.title(), "euca — EU–Central Asia human rights dialogues: eligibility checker and timeline");
    assert.deepEqual(problems, []);
    const foreign = requests.filter((u) => !u.startsWith(base) && !u.startsWith("data:"));
    assert.deepEqual(foreign, [], "no request leaves the page's own folder");
    await page.screenshot({ path: path.join(shots, "page.png"), fullPage: true });
  });

  test("every form control has an accessible name of its own", async () => {
    await chooseCall("tj-2020-cso");
    await fill("co_applicants", "1"); // a co-applicant's generated fields are checked too
    await page.locator('.field[data-path="co_applicants[0].country"]').waitFor();
    const controls = await page.evaluate(() =>
      [...document.querySelectorAll("main input, main select, main textarea")]
        .filter((e) => !e.closest("[hidden]"))
        .map((e) => {
          const text = (node) => node?.textContent.trim() ?? "";
          const labels = [...(e.labels ?? [])].map(text).filter(Boolean);
          const aria = e.getAttribute("aria-label")?.trim() ?? "";
          const labelledBy = (e.getAttribute("aria-labelledby") ?? "")
            .split(/\s+/)
            .filter(Boolean)
            .map((id) => text(document.getElementById(id)))
            .filter(Boolean);
          return { id: e.id, generated: e.closest("#fields") !== null, named: labels.length > 0 || aria !== "" || labelledBy.length > 0 };
        }),
    );
    const generated = controls.filter((c) => c.generated);
    assert.ok(generated.length >= 20, `the generated form has ${generated.length} controls`);
    assert.deepEqual(controls.filter((c) => !c.named).map((c) => c.id), [], "controls without a label, aria-label or aria-labelledby");
    await page.click("#clear");
  });

  test("the form works by keyboard: Tab to a field, type, the verdict follows; focus survives a rebuild", async () => {
    await chooseCall("tj-2020-cso");
    assert.equal(await verdict(), "undetermined");
    await page.focus("#call");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.id), "as-of");

    /** Presses Tab until the control of `fieldPath` has the focus (at most 200 times). */
    const tabTo = async (fieldPath) => {
      const id = await page.locator(`.field[data-path="${fieldPath}"] input, .field[data-path="${fieldPath}"] select`).first().getAttribute("id");
      for (let i = 0; i < 200; i++) {
        if ((await page.evaluate(() => document.activeElement?.id)) === id) return id;
        await page.keyboard.press("Tab");
      }
      assert.fail(`Tab never reached ${fieldPath}`);
    };
    const active = () => page.evaluate(() => document.activeElement?.id);

    // A request over the call's EUR 400 000 limit, typed: the verdict turns as the digits come.
    const requested = await tabTo("budget.requested");
    await page.keyboard.type("450000");
    await page.waitForFunction(() => document.querySelector("#verdict").dataset.verdict === "ineligible");
    assert.equal(await page.locator('#checks li[data-id="requested_range"]').getAttribute("data-outcome"), "fail");
    assert.equal(await active(), requested);
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Backspace");
    await page.waitForFunction(() => document.querySelector("#verdict").dataset.verdict === "undetermined");

    // Typing how many co-applicants there are adds their questions: the form is rebuilt around
    // the field being typed in, which keeps the focus and the typing goes on in it.
    const count = await tabTo("co_applicants");
    const before = await page.locator(".field").count();
    await page.keyboard.type("1");
    await page.locator('.field[data-path="co_applicants[0].country"]').waitFor();
    assert.ok((await page.locator(".field").count()) > before, "the rebuilt form asks about the co-applicant");
    assert.equal(await active(), count, "focus stays in the field after the rebuild");
    await page.keyboard.press("Backspace");
    await page.keyboard.type("2");
    await page.locator('.field[data-path="co_applicants[1].country"]').waitFor();
    assert.equal(await active(), count);
    assert.equal(await page.locator(`#${count}`).inputValue(), "2");
    await page.click("#clear");
  });

  test("call 1 (Tajikistan 2020): the generated form gives eligible and the grant", async () => {
    await chooseCall("tj-2020-cso");
    assert.equal(await verdict(), "undetermined");
    // The open questions list euca's question for the requested contribution, the field's label.
    const requested = (await page.locator('.field[data-path="budget.requested"] label').innerText()).trim();
    assert.match(requested, /EU contribution/);
    const missing = () => page.locator("#missing li").allInnerTexts();
    assert.ok((await missing()).some((q) => q.startsWith(requested)), `${requested} in ${await missing()}`);
    // The form asks what this call's criteria read, nothing written for this call.
    const paths = await page.locator(".field").evaluateAll((fs) => fs.map((f) => f.dataset.path));
    for (const p of ["budget.requested", "action.duration_months", "submitted_at", "applicant.country", "co_applicants"]) {
      assert.ok(paths.includes(p), `the form asks for ${p}: ${paths.join(", ")}`);
    }
    await fill("applicant.country", "TJ");
    await fill("co_applicants", "1");
    await fill("co_applicants[0].country", "TJ");
    for (const who of ["applicant", "co_applicants[0]"]) {
      for (const e of NO_EXCLUSION) await fill(`${who}.exclusions.${e}`, "no");
    }
    await fill("action.duration_months", "30");
    await fill("budget.direct", "300000");
    await fill("budget.indirect", "21000");
    await fill("budget.contingency", "0");
    await fill("budget.requested", "300000");
    await page.waitForFunction(
      (q) => ![...document.querySelectorAll("#missing li")].some((li) => li.textContent.startsWith(q)),
      requested,
    );
    await fill("submitted_at", "2020-09-04T10:00");
    await page.waitForFunction(() => document.querySelector("#verdict").dataset.verdict === "eligible");
    assert.equal(await verdict(), "eligible");
    assert.deepEqual(await missing(), ["None."]);
    assert.equal(await maxGrant(), "32100000");
    assert.match(await page.locator('#grant dd[data-key="max"]').innerText(), /EUR 321\u202f000\.00/);
    assert.equal(await page.locator("#checks li[data-outcome=fail]").count(), 0);
    assert.ok((await page.locator("#checks .citation a").count()) > 0, "checks cite their sources");
    await page.screenshot({ path: path.join(shots, "checker-tj-2020-cso.png"), fullPage: true });

    // Live: a later submission turns the verdict, and the recourse says what to change.
    await fill("budget.requested", "450000");
    await page.waitForFunction(() => document.querySelector("#verdict").dataset.verdict === "ineligible");
    // ... naming the call's limit (EUR 400 000) and by how much to reduce the request.
    const recourse = await page.locator("#recourse li").allInnerTexts();
    assert.ok(
      recourse.some((r) => /^request 450\s000\.00 EUR exceeds 400\s000\.00 EUR: reduce it by 50\s000\.00$/.test(r)),
      recourse.join(" | "),
    );
  });

  test("call 2 (Uzbekistan 2015): another call, another form, its own verdict and grant", async () => {
    await page.click("#clear");
    await chooseCall("uz-2015-eidhr-cbss");
    const paths = await page.locator(".field").evaluateAll((fs) => fs.map((f) => f.dataset.path));
    for (const p of ["applicant.legal_form", "applicant.non_profit", "applicant.categories", "action.country"]) {
      assert.ok(paths.includes(p), `the form asks for ${p}: ${paths.join(", ")}`);
    }
    assert.ok(!paths.includes("applicant.country"), "this call does not ask where the lead is established");
    await fill("applicant.legal_form", "legal_person");
    await fill("applicant.non_profit", "yes");
    await fill("applicant.intermediary", "no");
    await fill("applicant.categories", ["non_governmental_organisation"]);
    await fill("co_applicants", "1");
    for (const who of ["applicant", "co_applicants[0]"]) {
      for (const e of NO_EXCLUSION) await fill(`${who}.exclusions.${e}`, "no");
    }
    await fill("action.country", "UZ");
    await fill("action.duration_months", "24");
    await fill("budget.direct", "200000");
    await fill("budget.indirect", "14000");
    await fill("budget.contingency", "0");
    await fill("budget.requested", "180000");
    await fill("submitted_at", "2015-10-01T12:00");
    await page.waitForFunction(() => document.querySelector("#verdict").dataset.verdict === "eligible");
    assert.equal(await maxGrant(), "21400000");
    await page.screenshot({ path: path.join(shots, "checker-uz-2015-eidhr-cbss.png"), fullPage: true });

    await fill("action.country", "KZ");
    await page.waitForFunction(() => document.querySelector("#verdict").dataset.verdict === "ineligible");
    assert.equal(await page.locator('#checks li[data-id="action_country"]').getAttribute("data-outcome"), "fail");
  });

  test("an invalid entry shows a readable error next to the field and in the decision", async () => {
    await fill("budget.requested", "-500");
    await page.waitForSelector("#errors:not([hidden])");
    const text = await page.locator("#errors").innerText();
    assert.match(text, /negative money/);
    assert.match(text, /How much EU contribution is requested\?/);
    assert.equal(await page.locator(".field[data-path='budget.requested'] input").getAttribute("aria-invalid"), "true");
    assert.match(await page.locator(".field[data-path='budget.requested'] .field-error").innerText(), /cannot be negative/);
    await page.screenshot({ path: path.join(shots, "checker-invalid.png"), fullPage: true });
    await fill("budget.requested", "12.345");
    await page.waitForFunction(() => /over-precise/.test(document.querySelector("#errors").innerText));
    await fill("budget.requested", "180000");
    await page.waitForSelector("#errors", { state: "hidden" });
    assert.deepEqual(problems, [], "errors are shown on the page, not on the console");
  });

  test("the timeline shows the five countries; marks show date, place and source", async () => {
    const rows = await page.locator("#timeline-svg .row .country").allTextContents();
    assert.equal(rows.length, 5);
    for (const name of ["Kazakhstan", "Kyrgyz", "Tajikistan", "Turkmenistan", "Uzbekistan"]) {
      assert.ok(rows.some((r) => r.includes(name)), `${name} in ${rows.join(", ")}`);
    }
    for (const c of ["KZ", "KG", "TJ", "TM", "UZ"]) {
      assert.ok((await page.locator(`#timeline-svg .mark.round[data-country=${c}]`).count()) > 0, `rounds of ${c}`);
    }
    assert.ok((await page.locator("#timeline-svg .mark.seminar").count()) > 0);
    assert.ok((await page.locator("#timeline-svg .mark.derived").count()) > 0, "rounds known only from the numbering");
    assert.ok((await page.locator("#timeline-svg .mark.format_changed").count()) > 0);
    assert.ok((await page.locator("#timeline-svg .mark.round rect").count()) > 0, "partial dates as spans");

    // Keyboard: Tab from the status date into the SVG; each mark shows its tooltip in turn and
    // names its source to a screen reader.
    await page.focus("#status-date");
    const inSvg = () => page.evaluate(() => document.activeElement?.closest("#timeline-svg") !== null);
    for (let i = 0; i < 10 && !(await inSvg()); i++) await page.keyboard.press("Tab");
    assert.ok(await inSvg(), "Tab reaches the timeline's marks");
    const focused = () =>
      page.evaluate(() => ({
        cls: document.activeElement.getAttribute("class"),
        label: document.activeElement.getAttribute("aria-label"),
        record: document.activeElement.dataset.record,
      }));
    const first = await focused();
    assert.match(first.cls, /\bmark\b/);
    await page.waitForSelector("#tooltip:not([hidden])");
    let tip = await page.locator("#tooltip").innerText();
    assert.match(tip, /Date: /);
    assert.match(tip, /Place: /);
    assert.match(tip, /Source: /);
    const source = (await page.locator("#tooltip a").innerText()).trim();
    assert.ok(source.length > 0 && first.label.includes(`source: ${source}`), `${first.label} names ${source}`);
    for (let i = 0; i < 3; i++) await page.keyboard.press("Tab");
    const later = await focused();
    assert.match(later.cls, /\bmark\b/);
    assert.notEqual(later.record + later.label, first.record + first.label);
    tip = await page.locator("#tooltip").innerText();
    assert.ok(tip.startsWith(later.label.split(";")[0]), `the tooltip follows the focus: ${tip}`);
    await page.keyboard.press("Escape");
    await page.waitForSelector("#tooltip", { state: "hidden" });
    await page.locator("#timeline-svg .mark.seminar").first().hover();
    await page.waitForSelector("#tooltip:not([hidden])");
    await page.locator("#timeline-title").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, "timeline.png"), fullPage: true });
  });

  test("the status date picker moves the line and updates the status of each dialogue", async () => {
    await page.fill("#status-date", "2021-01-15");
    await page.dispatchEvent("#status-date", "change");
    await page.waitForFunction(() => /2021-01-15/.test(document.querySelector("#timeline-svg .as-of text").textContent));
    const tm = await page.locator("#status tr[data-country=TM]").innerText();
    assert.match(tm, /on schedule/);
    assert.match(tm, /12/);
    assert.equal(await page.locator("#status tbody tr").count(), 5);
    assert.deepEqual(problems, []);
  });
});
