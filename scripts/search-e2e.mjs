// Search in a real browser, on a built archive served as static files.
//
// usage: PLAYWRIGHT_CORE=.../playwright-core/index.mjs AXE_JS=.../axe.min.js \
//        node search-e2e.mjs http://127.0.0.1:PORT/ /path/to/public
//
// Checks: articles found first by words of their headline; a phrase in
// quotes; a prefix as typed; the section, year and tag filters (and their
// counts); zero results said as such; newest first; the query and filters
// in the URL; the form without JavaScript; axe-core on the page. Prints the
// bytes each query fetched, as served and gzip-compressed.
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [base, out] = process.argv.slice(2);
if (!base || !out || !process.env.PLAYWRIGHT_CORE) {
  console.error("usage: PLAYWRIGHT_CORE=... node search-e2e.mjs URL PUBLIC_DIR");
  process.exit(2);
}
const { chromium } = await import(pathToFileURL(process.env.PLAYWRIGHT_CORE).href);
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 20_000);
const meta = JSON.parse(readFileSync(join(out, "search/meta.json"), "utf8"));
const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
};

// Articles spread over the archive, from the index's own records.
function record(doc) {
  const file = JSON.parse(readFileSync(join(out, `search/r/${Math.floor(doc / meta.records)}.json`), "utf8"));
  return file[doc % meta.records];
}
const SAMPLE = Number(process.env.SEARCH_SAMPLE || 12);
const sample = Array.from({ length: SAMPLE }, (_, k) => Math.floor(((k + 0.5) * meta.docs) / SAMPLE)).map((d) => ({ doc: d, rec: record(d) }));

// Bytes of the files a query fetched: as served, and gzip-compressed.
function sizes(files) {
  let raw = 0, gz = 0;
  for (const f of files) {
    const path = f.startsWith("/") ? join(out, f, f.endsWith("/") ? "index.html" : "") : join(out, "search", f);
    const bytes = readFileSync(path);
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 6 }).length;
  }
  return { raw, gz };
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const rows = [];
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));

  // One query typed into a fresh search page: results, timing and bytes.
  async function search(q, params = "") {
    await page.goto(`${base}search/${params}`);
    await page.waitForFunction(() => window.broadsheetSearch);
    await page.evaluate(() => { window.__broadsheetSearchDone = null; });
    const t0 = Date.now();
    await page.fill("#search-q", q);
    await page.waitForFunction((q) => window.__broadsheetSearchDone && window.__broadsheetSearchDone.q === q, q);
    const ms = Date.now() - t0;
    const state = await page.evaluate(() => ({
      status: document.getElementById("search-status").textContent,
      links: [...document.querySelectorAll("#search-results h2 a")].map((a) => a.getAttribute("href")),
      metas: [...document.querySelectorAll("#search-results .search-meta")].map((m) => m.textContent),
      marks: [...document.querySelectorAll("#search-results mark")].map((m) => m.textContent),
      files: window.__broadsheetSearchStats.files.slice(),
      url: location.search,
    }));
    const { raw, gz } = sizes(state.files);
    rows.push({ q, ms, raw, gz, files: state.files.length, results: state.status });
    return { ...state, ms };
  }

  // Headline queries: the article comes first.
  for (const { rec } of sample) {
    const r = await search(rec[0]);
    check(r.links[0] === rec[1], `headline query finds ${rec[1]} first (${r.ms} ms): "${rec[0]}"`);
  }

  // A phrase in quotes: three words of a headline, in order.
  const phraseRec = sample[1].rec;
  const phraseWords = phraseRec[0].split(/\s+/).slice(1, 4).join(" ");
  let r = await search(`"${phraseWords}"`);
  check(r.links.includes(phraseRec[1]), `phrase "${phraseWords}" finds ${phraseRec[1]}`);
  check(/phrase checked/.test(r.status), `phrase status says it was checked: ${r.status}`);

  // A prefix, as typed: the start of a headline word.
  const long = sample[2].rec[0].split(/\s+/).find((w) => w.length >= 7) || "government";
  const prefix = long.slice(0, 5).toLowerCase();
  r = await search(prefix);
  check(r.links.length > 0 && r.marks.some((m) => m.toLowerCase().startsWith(prefix)), `prefix "${prefix}" finds articles and highlights words starting with it`);

  // Zero results.
  r = await search("qqzxqv");
  check(r.links.length === 0 && /^No articles found/.test(r.status), `no results said as such: ${r.status}`);

  // Filters: each narrows the results to what it says, with its count.
  r = await search("government");
  for (const key of ["section", "year", "tag"]) {
    const option = await page.evaluate((key) => {
      const sel = document.getElementById(`search-${key}`);
      const o = sel && sel.options[1];
      return o ? { value: o.value, label: o.textContent } : null;
    }, key);
    check(option !== null, `a ${key} filter is offered`);
    if (!option) continue;
    await page.evaluate(() => { window.__broadsheetSearchDone = null; });
    await page.selectOption(`#search-${key}`, option.value);
    await page.waitForFunction(() => window.__broadsheetSearchDone);
    const after = await page.evaluate(() => ({
      url: location.search,
      status: document.getElementById("search-status").textContent,
      metas: [...document.querySelectorAll("#search-results .search-meta")].map((m) => m.textContent),
      done: window.__broadsheetSearchDone,
    }));
    const count = Number(option.label.match(/\(([\d,]+)\)$/)[1].replace(/,/g, ""));
    check(after.url.includes(`${key}=${encodeURIComponent(option.value)}`), `${key} filter is in the URL: ${after.url}`);
    check(after.done.results === count, `${key} filter "${option.label}" shows ${after.done.results} results, its count ${count}`);
    if (key === "year") check(after.metas.every((m) => m.startsWith(option.value)), "year filter: every result is of that year");
    if (key === "section") {
      const name = option.label.replace(/ \([\d,]+\)$/, "");
      check(after.metas.every((m) => m.endsWith(name)), `section filter: every result is in ${name}`);
    }
    // Back to no filter.
    await page.evaluate(() => { window.__broadsheetSearchDone = null; });
    await page.selectOption(`#search-${key}`, "");
    await page.waitForFunction(() => window.__broadsheetSearchDone);
  }

  // Newest first, and the state survives a reload from the URL.
  r = await search("minister", "?sort=newest");
  const dates = r.metas.map((m) => m.slice(0, 10));
  check(dates.length > 1 && dates.every((d, i) => i === 0 || dates[i - 1] >= d), "newest first: dates descend");
  check(r.url.includes("sort=newest") && r.url.includes("q=minister"), `query and order in the URL: ${r.url}`);

  // Accessibility of the page with results.
  if (process.env.AXE_JS) {
    await page.addScriptTag({ content: readFileSync(process.env.AXE_JS, "utf8") });
    const violations = await page.evaluate(async () => (await window.axe.run(document)).violations.map((v) => `${v.id}: ${v.help}`));
    check(violations.length === 0, `axe-core: no violations${violations.length ? ": " + violations.join("; ") : ""}`);
  }
  // The masthead box on another page: the script loads only on focus.
  await page.goto(base);
  const before = await page.evaluate(() => !!window.broadsheetSearch);
  await page.focus("#search-box-q");
  await page.waitForFunction(() => window.broadsheetSearch);
  check(!before, "the client is not loaded until the search box is focused");
  check(errors.length === 0, `no script errors${errors.length ? ": " + errors.join("; ") : ""}`);

  // Without JavaScript the page says search needs it.
  const nojs = await browser.newContext({ javaScriptEnabled: false });
  const p2 = await nojs.newPage();
  await p2.goto(`${base}search/?q=minister`);
  const text = await p2.textContent("main");
  check(/needs JavaScript/.test(text), "without JavaScript the search page says search needs it");
  await nojs.close();
} finally {
  await browser.close();
}

console.log("\nquery | ms | files | bytes | gzip bytes | status");
console.log("---|---:|---:|---:|---:|---");
for (const row of rows) {
  console.log(`${row.q} | ${row.ms} | ${row.files} | ${row.raw} | ${row.gz} | ${row.results}`);
}
const maxGz = Math.max(...rows.map((r) => r.gz));
console.log(`largest query: ${maxGz} bytes gzip; index files: ${readdirSync(join(out, "search/t")).length} term shards`);
if (failures.length) {
  console.error(`\n${failures.length} check(s) failed:\n  ${failures.join("\n  ")}`);
  process.exit(1);
}
console.log(`${rows.length} queries, all checks passed`);
