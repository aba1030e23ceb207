// Browser tests: Debian's chromium driven by playwright-core against `veilig demo`.
// Usage: node web/e2e.mjs PATH/TO/veilig [ARTIFACT_DIR]
// Starts the demo on a free port with a fresh SQLite file, reads the printed analyst
// password, and walks the analyst's path: log in, overview, a phenomenon, change the period,
// area, data and capacity pages; French, log out; then the public page as a visitor (no count under 5);
// the policy cycle: matrix, a council decision, the plan and its approval; the forecast page
// filling itself in while the server computes it in the background; an accessibility
// audit (axe-core, WCAG 2.1 A/AA rules) of every page for each role that sees it, failing on
// any serious or critical violation. A screenshot of
// each page goes to ARTIFACT_DIR (default test-artifacts/e2e). Prints a cargo-style
// "test result:" line so scripts/test counts these tests too.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const bin = process.argv[2];
const artifacts = process.argv[3] || "test-artifacts/e2e";
mkdirSync(artifacts, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), "veilig-e2e-"));

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(bin, ["--db", `sqlite://${join(dir, "e2e.db")}`, "demo", "--addr", `127.0.0.1:${port}`], {
  stdio: ["ignore", "pipe", "inherit"],
});
let out = "";
const ready = new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("veilig demo did not start in 240 s:\n" + out)), 240000);
  server.stdout.on("data", (d) => {
    out += d.toString();
    if (out.includes("Veilig serves on")) {
      clearTimeout(timer);
      resolve();
    }
  });
  server.on("exit", (code) => reject(new Error(`veilig demo exited with ${code}:\n${out}`)));
});

const results = [];
async function test(name, fn) {
  try {
    await fn();
    results.push([name, null]);
    console.log(`test e2e::${name} ... ok`);
  } catch (e) {
    results.push([name, e]);
    console.log(`test e2e::${name} ... FAILED\n${e.stack || e}`);
  }
}
function check(cond, msg) {
  if (!cond) throw new Error(msg);
}
// Logs a page in through the login form and waits until it has left it.
async function logIn(p, user, pw) {
  await p.goto(base + "/login");
  await p.fill("#username", user);
  await p.fill("#password", pw);
  await p.click("button[type=submit]");
  await p.waitForURL((u) => !u.pathname.startsWith("/login"));
}

let browser;
try {
  await ready;
  const password = out.match(/^\s+analist\s+analyst\s+(\S+)/m)[1];
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const shot = (name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  // Anything the page's own Content-Security-Policy refuses (an inline script or style, in a
  // page or after an htmx swap) is a defect: collected here, checked after each walk.
  const refused = [];
  const watchCsp = (p) =>
    p.on("console", (m) => {
      if (/Content Security Policy|Refused to (apply|execute|load)/.test(m.text())) refused.push(`${p.url()}: ${m.text()}`);
    });
  watchCsp(page);
  // Fails with what the CSP refused since the last check (and forgets it).
  const noRefusals = () => {
    const seen = refused.splice(0);
    check(seen.length === 0, `the page's CSP refused:\n${seen.join("\n")}`);
  };

  await test("analyst_logs_in_and_sees_the_overview", async () => {
    await page.goto(base + "/");
    check((await page.getAttribute("html", "lang")).startsWith("nl"), "Dutch by default");
    await page.click("text=Aanmelden");
    await page.fill("#username", "analist");
    await page.fill("#password", password);
    await shot("01-login");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/z\/demo-bdm/);
    const rows = await page.locator("tr.phen").count();
    check(rows === 14, `14 phenomena on the overview, saw ${rows}`);
    check((await page.locator("tr.phen .verdict").count()) === 14, "a verdict per phenomenon");
    check(await page.isVisible("text=SYNTHETISCHE DEMOGEGEVENS"), "the synthetic banner");
    // What needs attention comes first and names every phenomenon that moved significantly
    // (in 2025, a year with significant changes).
    check(await page.isVisible("text=Wat aandacht vraagt"), "the attention list");
    await page.goto(base + "/z/demo-bdm?from=2025-01-01&to=2025-12-31");
    const moved = await page.$$eval("tr.phen", (rows) =>
      rows.filter((r) => r.querySelector(".verdict.up, .verdict.down")).map((r) => r.querySelector("th a").getAttribute("href")));
    const listed = await page.$$eval("section.attention a", (as) => as.map((a) => a.getAttribute("href")));
    check(moved.length > 0, "the demo has significant changes");
    for (const href of moved) check(listed.includes(href), `${href} moved but is not in the attention list`);
    // Key figures first, as cards, each with its verdict or interval and a link.
    const cards = await page.$$eval("section.cards a.card", (cs) => cs.map((c) => c.textContent));
    check(cards.length >= 3, `key-figure cards: ${cards.length}`);
    check(cards.some((c) => /significant (hoger|lager)/.test(c) && /trend .* per jaar \[/.test(c)), `a mover's card with verdict and interval: ${cards[0]}`);
    // The table sorts by any column: by the period's count, largest first.
    await page.click("#figures-table thead th:nth-child(2) button.sort");
    const counts = await page.$$eval("#figures-table tbody tr td:nth-of-type(1)", (ts) => ts.map((t) => Number(t.dataset.n ?? -1)));
    check(counts.every((n, i) => i === 0 || n <= counts[i - 1] || n === -1), `sorted by count: ${counts.join(" ")}`);
    check((await page.getAttribute("#figures-table thead th:nth-child(2)", "aria-sort")) === "descending", "aria-sort says how");
    await shot("02-overview");
    noRefusals();
  });

  await test("phenomenon_page_and_period_filter", async () => {
    await page.click("text=Woninginbraak");
    await page.waitForURL(/\/p\/woninginbraak/);
    check(await page.isVisible("text=Vergelijkingen en toetsen"), "comparisons");
    check((await page.locator("figure.chart svg").count()) >= 3, "monthly, heat table and map");
    await page.waitForSelector("#map .leaflet-interactive", { timeout: 15000 });
    // The map speaks: every wijk by its name, a legend of the rate classes and of the
    // concentrations, the wijk's figures under the pointer, and a click opens the wijk.
    const names = await page.$$eval("#map .wijk-label", (ls) => ls.map((l) => l.textContent));
    check(names.length >= 5 && names.some((n) => n.startsWith("Mol-Centrum")), `wijk names on the map: ${names.join(", ")}`);
    const legend = await page.textContent("#map .map-legend");
    check(legend.includes("per 1.000 inwoners") && legend.includes("geen cijfer") && legend.includes("concentratie"),
      `a legend for both layers: ${legend}`);
    const hint = await page.textContent("#map .map-info");
    await page.hover("#map path.leaflet-interactive >> nth=0", { force: true });
    const hovered = await page.textContent("#map .map-info");
    check(hovered !== hint && /feiten, .* per 1\.000 inwoners/.test(hovered), `figures under the pointer: ${hovered}`);
    await shot("03-phenomenon");
    const before = await page.textContent(".headline");
    await page.fill("#from", "2024-01-01");
    await page.fill("#to", "2024-12-31");
    await page.click("text=Toon");
    await page.waitForFunction((b) => document.querySelector(".headline").textContent !== b, before);
    check((await page.textContent(".headline")).includes("01/01/2024"), "the new period is shown, as people write it");
    check(page.url().includes("from=2024-01-01"), "the URL keeps the filter (htmx push)");
    await shot("04-phenomenon-2024");
    // Filtering one wijk opens the map on it: the map's view is smaller than the zone's.
    const zoneZoom = await page.evaluate(() => document.querySelector("#map .leaflet-proxy") && getComputedStyle(document.querySelector("#map .leaflet-proxy")).transform);
    await page.goto(base + "/z/demo-bdm/p/woninginbraak?from=2025-01-01&to=2025-12-31&area=" +
      encodeURIComponent(await page.$eval("select[name=area] option:nth-child(2)", (o) => o.value)));
    await page.waitForSelector("#map .leaflet-interactive", { timeout: 15000 });
    const wijkZoom = await page.evaluate(() => getComputedStyle(document.querySelector("#map .leaflet-proxy")).transform);
    const scale = (t) => Number((t || "matrix(1").split("(")[1].split(",")[0]);
    check(scale(wijkZoom) > scale(zoneZoom), `zoomed to the wijk: ${zoneZoom} -> ${wijkZoom}`);
    await shot("04b-phenomenon-one-wijk");
    noRefusals();
  });

  await test("the_home_page_has_a_title_and_an_icon", async () => {
    const v = await browser.newPage();
    await v.goto(base + "/");
    const title = await v.title();
    check(title !== "Veilig · Veilig" && title.endsWith("· Veilig"), `title ${title}`);
    const icon = await v.request.get(base + "/favicon.ico");
    check(icon.ok(), `/favicon.ico answers ${icon.status()}`);
    await v.close();
  });

  await test("area_and_data_pages", async () => {
    await page.click("table.figures a[href*='/a/']");
    await page.waitForURL(/\/a\//);
    check((await page.locator("table.figures tbody tr").count()) === 14, "a row per phenomenon on the area page");
    await shot("05-area");
    await page.click("nav >> text=Gegevens");
    await page.waitForURL(/\/data$/);
    check(await page.isVisible("text=Imports"), "the batches");
    await shot("06-data");
  });

  await test("capacity_page", async () => {
    await page.click("nav >> text=Capaciteit");
    await page.waitForURL(/\/capacity$/);
    check(await page.isVisible("text=Normtoets"), "the norm check");
    check((await page.locator("table.heat tbody tr").count()) === 24, "24 hours in the hourly table");
    await shot("06b-capacity");
  });

  await test("keyboard_reaches_the_content", async () => {
    await page.goto(base + "/z/demo-bdm");
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.activeElement.textContent.trim());
    check(focused === "Naar de inhoud", `the first Tab reaches the skip link, got ${focused}`);
  });

  await test("switch_to_french_and_log_out", async () => {
    await page.click("a[hreflang=fr]");
    await page.waitForLoadState();
    check((await page.getAttribute("html", "lang")) === "fr-BE", "French");
    check(await page.isVisible("text=Aperçu"), "French title");
    await shot("07-overview-fr");
    await page.click("text=Se déconnecter");
    await page.waitForURL(base + "/");
    await page.goto(base + "/z/demo-bdm");
    check(page.url().includes("/login"), "logged out: the overview asks to log in");
  });

  await test("public_page_shows_no_count_under_5", async () => {
    const visitor = await browser.newPage({ viewport: { width: 820, height: 1100 } });
    await visitor.goto(base + "/public/demo-bdm");
    const counts = await visitor.$$eval("[data-n]", (els) => els.map((e) => Number(e.dataset.n)));
    check(counts.length > 20, `counts shown: ${counts.length}`);
    check(counts.every((n) => n >= 5), `a count under 5: ${counts.filter((n) => n < 5)}`);
    check((await visitor.locator(".suppressed").count()) > 0, "some cells are suppressed");
    check((await visitor.locator("#map").count()) === 0, "no incident map");
    await visitor.screenshot({ path: join(artifacts, "08-public-tablet.png"), fullPage: true });
  });

  await test("council_sees_published_periods_and_honest_labels", async () => {
    const council = out.match(/^\s+raadslid\s+council\s+(\S+)/m)[1];
    const c = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await logIn(c, "raadslid", council);
    await c.goto(base + "/z/demo-bdm/p/diefstal-voertuig");
    // A choice of publication periods, not free dates; the last complete year is chosen.
    check((await c.locator("select#period").count()) === 1, "a period choice");
    check((await c.locator("input#from").count()) === 0, "no free dates");
    const counts = await c.$$eval("[data-n]", (els) => els.map((e) => Number(e.dataset.n)));
    check(counts.every((n) => n >= 5), `a count under 5: ${counts.filter((n) => n < 5)}`);
    // Primary cells say "fewer than 5"; secondary cells say they protect another count.
    const primary = await c.locator('[data-status="primary"]').first().getAttribute("title");
    check(primary && primary.includes("5"), `primary title: ${primary}`);
    check((await c.locator(".disclosure-method").count()) === 1, "the method note");
    // Another quarter through the choice: the figures follow.
    await c.selectOption("select#period", { label: "K2 2025" });
    await c.locator("form.filters button[type=submit]").click();
    await c.waitForURL((u) => u.search.includes("period=2025-04-01"));
    await c.waitForSelector(".headline");
    check((await c.content()).includes("alleen per kalenderjaar"), "wijken: per year only, said so");
    await c.screenshot({ path: join(artifacts, "09-council-quarter.png"), fullPage: true });
    const refused = await c.goto(base + "/z/demo-bdm?from=2025-01-01&to=2025-12-30");
    check(refused.status() === 400, `a free period is refused: ${refused.status()}`);
    await c.close();
  });

  await test("policy_cycle_matrix_decide_plan_approve", async () => {
    const a = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await logIn(a, "analist", password);
    // The matrix: every phenomenon, sortable, each cell a link to its figure.
    await a.click("nav >> text=Prioriteiten");
    await a.waitForURL(/\/plan\/matrix/);
    const n = await a.locator("tr.mrow").count();
    check(n === 20, `20 phenomena in the matrix, saw ${n}`);
    check((await a.locator("tr.mrow td a[href*='/p/']").count()) >= n, "cells link to the phenomenon pages");
    await a.click("a[data-sort=harm]");
    await a.waitForURL(/sort=harm/);
    await a.screenshot({ path: join(artifacts, "10-matrix.png"), fullPage: true });
    // The council's decision, recorded by the analyst as secretary.
    await a.click("text=Naar de beslissingen van de zonale veiligheidsraad");
    await a.waitForURL(/\/plan\/decisions/);
    const before = await a.locator("#log tbody tr").count();
    await a.fill("#subject", "overlast");
    await a.selectOption("#kind", "bijzonder-aandachtspunt");
    await a.fill("#rationale", "Klachten over nachtlawaai in de stationsbuurt");
    await a.fill("#decided_by", "burgemeesters, PdK, korpschef, DirCo");
    await a.click("form#decide button[type=submit]");
    await a.waitForURL(/\/plan\/decisions$/);
    check((await a.locator("#log tbody tr").count()) === before + 1, "the decision is in the log");
    check(await a.isVisible("text=Klachten over nachtlawaai"), "with its rationale");
    await a.screenshot({ path: join(artifacts, "11-decisions.png"), fullPage: true });
    // The plan: a tree; the draft takes a new objective.
    await a.click("nav >> text=Veiligheidsplan");
    await a.waitForURL(/\/plan$/);
    check((await a.locator("section.priority").count()) >= 4, "at least four priorities");
    check((await a.locator("#plan-capacity tbody tr").count()) >= 5, "the plan beside the norm check");
    await a.fill("#o-code", "TD2.2");
    await a.selectOption("#o-level", "tactical");
    await a.selectOption("#o-parent", "SD2");
    await a.selectOption("#o-priority", "P2");
    await a.fill("#o-statement", "Minder zwaar verkeer door de dorpskernen");
    await a.fill("#o-target", "-20 % vrachtwagens in de kern van Mol");
    await a.fill("#o-due", "2029-12-31");
    await a.fill("#o-owner", "diensthoofd verkeer");
    await a.click("form#objective button[type=submit]");
    await a.waitForURL(/\/plan$/);
    check(await a.isVisible("li.objective[data-code='TD2.2']"), "the new objective in the tree");
    await a.screenshot({ path: join(artifacts, "12-plan.png"), fullPage: true });
    await a.close();
    // The chief records the zonal security council's approval.
    const chiefPw = out.match(/^\s+korpschef\s+chief\s+(\S+)/m)[1];
    const c = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await logIn(c, "korpschef", chiefPw);
    await c.goto(base + "/z/demo-bdm/plan");
    check((await c.textContent(".plan-status")).includes("ontwerp"), "the addendum is a draft");
    await c.selectOption("#step-code", "zvr");
    await c.fill("#step-reference", "ZVR van vandaag");
    await c.click("form#step button[type=submit]");
    await c.waitForURL(/\/plan$/);
    check((await c.textContent(".plan-status")).includes("goedgekeurd door de zonale veiligheidsraad"), "approved by the ZVR");
    check(await c.isVisible("text=ZVR van vandaag"), "the step in the trail");
    check((await c.locator("form#objective").count()) === 0, "the version is frozen");
    await c.screenshot({ path: join(artifacts, "13-plan-approved.png"), fullPage: true });
    await c.goto(base + "/z/demo-bdm/plan/print");
    check((await c.locator("section.priority").count()) >= 4, "the printable plan");
    // The print button prints (an inline onclick was refused by the CSP).
    watchCsp(c);
    await c.evaluate(() => { window.__printed = false; window.print = () => { window.__printed = true; }; });
    await c.click("button[data-print]");
    check(await c.evaluate(() => window.__printed), "the print button calls print");
    noRefusals();
    await c.close();
  });

  await test("forecast_page_says_it_is_computed_then_fills_itself_in", async () => {
    // A choice nobody asked for before: the server computes it in the background (never in
    // the request); the page says so at once and htmx fills the figures in when they are ready.
    const a = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await logIn(a, "analist", password);
    await a.goto(base + "/z/demo-bdm/forecast?phenomenon=fietsdiefstal&coverage=5&method=naive");
    check(await a.isVisible("text=Deze voorspelling wordt berekend"), "the being-computed state first");
    check(!(await a.isVisible("text=Modelkaart")), "no figures yet");
    await a.screenshot({ path: join(artifacts, "14-forecast-pending.png"), fullPage: true });
    await a.waitForSelector("text=Modelkaart", { timeout: 30000 });
    check(!(await a.isVisible("text=Deze voorspelling wordt berekend")), "the note is gone");
    check(a.url().includes("method=naive"), "the same page, filled in place");
    // Next week's cells on a map of the wijken, with its legend, above the tables.
    check((await a.locator("figure.map-figure svg rect").count()) > 1, "the forecast's cells on a map");
    check((await a.textContent("figure.map-figure svg")).includes("gemarkeerde cel"), "the map's legend");
    await a.locator("figure.map-figure").screenshot({ path: join(artifacts, "16-forecast-map.png") });
    await a.screenshot({ path: join(artifacts, "15-forecast-ready.png"), fullPage: true });
    await a.close();
  });

  await test("a_1280_screen_shows_the_matrix_decision_columns", async () => {
    // A common office screen: the matrix shows what the council decides on (score, the
    // rank's range, the decision) without scrolling; screenshots of the main pages at 1280.
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const p = await ctx.newPage();
    await logIn(p, "korpschef", out.match(/^\s+korpschef\s+chief\s+(\S+)/m)[1]);
    for (const path of ["/z/demo-bdm", "/z/demo-bdm/plan/matrix", "/z/demo-bdm/plan", "/z/demo-bdm/plan/reviews", "/z/demo-bdm/forecast", "/public/demo-bdm"]) {
      const r = await p.goto(base + path);
      check(r.ok(), `${path}: ${r.status()}`);
      await p.screenshot({ path: join(artifacts, `1280${path.replaceAll("/", "_")}.png`), fullPage: true });
    }
    await p.goto(base + "/z/demo-bdm/plan/matrix");
    const wrap = await p.$eval(".matrix-wrap", (w) => w.getBoundingClientRect().right);
    for (const cls of ["score", "band", "decision"]) {
      const right = await p.$eval(`tr.mrow td.${cls}`, (td) => td.getBoundingClientRect().right);
      check(right <= Math.min(wrap, 1280), `the ${cls} column ends at ${right} px, the view at ${Math.min(wrap, 1280)}`);
    }
    await ctx.close();
  });

  await test("no_page_scrolls_sideways_on_a_phone", async () => {
    // 390 px wide (a common phone): the page itself never scrolls sideways; a wide table
    // scrolls in its own box. A screenshot of each page at that width goes to the artifacts.
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const p = await ctx.newPage();
    const wide = [];
    const measure = async (who, path) => {
      const r = await p.goto(base + path);
      check(r.ok(), `${who} ${path}: ${r.status()}`);
      const [scroll, client] = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      if (scroll > client) {
        // Name the widest element that sticks out, to find the cause at once.
        const culprit = await p.evaluate((w) => {
          let worst = null;
          // The outermost element that sticks out (its parent does not).
          for (const el of document.querySelectorAll("main *")) {
            const r = el.getBoundingClientRect();
            const up = el.parentElement.getBoundingClientRect();
            if (r.right > w + 1 && up.right <= w + 1) { worst = { tag: el.tagName, cls: el.className, width: r.width, right: r.right }; break; }
          }
          return worst ? `${worst.tag}.${worst.cls} ends at ${Math.round(worst.right)}` : "?";
        }, client);
        wide.push(`${who} ${path}: ${scroll} px wide in ${client} (${culprit})`);
      }
      await p.screenshot({ path: join(artifacts, `390-${who}${path.replaceAll("/", "_")}.png`), fullPage: true });
    };
    for (const path of ["/", "/public/demo-bdm"]) await measure("public", path);
    await logIn(p, "analist", password);
    // The menu folds behind its button on a phone and opens on a tap.
    await p.goto(base + "/z/demo-bdm");
    check(!(await p.isVisible("#main-nav")) && (await p.isVisible(".menu-toggle")), "the menu is folded");
    await p.click(".menu-toggle");
    check(await p.isVisible("#main-nav"), "the menu opens");
    check((await p.getAttribute(".menu-toggle", "aria-expanded")) === "true", "and says so");
    for (const path of ["/z/demo-bdm", "/z/demo-bdm/p/woninginbraak", "/z/demo-bdm/plan", "/z/demo-bdm/plan/matrix",
      "/z/demo-bdm/plan/indicators", "/z/demo-bdm/survey", "/z/demo-bdm/reports", "/z/demo-bdm/data", "/z/demo-bdm/capacity", "/z/demo-bdm/plan/reviews", "/z/demo-bdm/forecast"]) {
      await measure("analist", path);
    }
    await ctx.close();
    check(wide.length === 0, wide.join("\n"));
  });

  await test("every_page_passes_an_accessibility_audit", async () => {
    // Each role's pages (the same routes the role x route tests cover), audited after load.
    const accounts = {
      analist: ["/z/demo-bdm", "/z/demo-bdm/p/woninginbraak", "/z/demo-bdm/data", "/z/demo-bdm/capacity",
        "/z/demo-bdm/forecast", "/z/demo-bdm/survey", "/z/demo-bdm/plan", "/z/demo-bdm/plan/matrix",
        "/z/demo-bdm/plan/decisions", "/z/demo-bdm/plan/compare?from=1&to=2", "/z/demo-bdm/plan/print",
        "/z/demo-bdm/plan/indicators", "/z/demo-bdm/plan/reviews", "/z/demo-bdm/plan/problems",
        "/z/demo-bdm/reports", "/z/demo-bdm/feedback"],
      wijkinspecteur: ["/z/demo-bdm", "/z/demo-bdm/plan/problems"],
      raadslid: ["/z/demo-bdm", "/z/demo-bdm/plan", "/z/demo-bdm/reports"],
      partner: ["/z/demo-bdm", "/z/demo-bdm/partner", "/z/demo-bdm/reports"],
      beheerder: ["/admin/users", "/admin/audit"],
      "": ["/", "/login", "/public/demo-bdm"],
    };
    const problems = [];
    let audited = 0;
    for (const [user, paths] of Object.entries(accounts)) {
      // The audit script is injected; the pages' own policy allows no inline script.
      const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1366, height: 900 } });
      const p = await ctx.newPage();
      if (user) {
        const m = out.match(new RegExp(`^\\s+${user}\\s+\\S+\\s+(\\S+)`, "m"));
        check(m, `no demo account ${user}`);
        await logIn(p, user, m[1]);
      }
      for (const path of paths) {
        const r = await p.goto(base + path);
        check(r.ok(), `${user || "public"} ${path}: ${r.status()}`);
        await p.addScriptTag({ path: axePath });
        const res = await p.evaluate(async () =>
          await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
        for (const v of res.violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
          problems.push(`${user || "public"} ${path}: ${v.impact} ${v.id} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        }
        audited++;
      }
      await ctx.close();
    }
    console.log(`axe-core: ${audited} pages audited, ${problems.length} serious or critical violations`);
    check(problems.length === 0, problems.join("\n"));
  });

} catch (e) {
  results.push(["setup", e]);
  console.log(`test e2e::setup ... FAILED\n${e.stack || e}`);
} finally {
  if (browser) await browser.close();
  server.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}
const failed = results.filter((r) => r[1]).length;
console.log(`test result: ${failed ? "FAILED" : "ok"}. ${results.length - failed} passed; ${failed} failed`);
process.exit(failed ? 1 : 0);
