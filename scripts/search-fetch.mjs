// Bytes a search fetches, in a real browser: broadsheet's client on
// /search/ and, when the output has a pagefind/ folder, Pagefind's API
// (the same words, its first ten results' fragments loaded, as its UI does).
// Used by scripts/bench.sh.
//
// usage: PLAYWRIGHT_CORE=.../playwright-core/index.mjs \
//        node search-fetch.mjs http://127.0.0.1:PORT/ /path/to/public WORD...
// Prints one line per engine and word: engine word files raw_bytes gzip_bytes ms results
import { existsSync, readFileSync } from "node:fs";
import { gzipSync, gunzipSync } from "node:zlib";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [base, out, ...words] = process.argv.slice(2);
const { chromium } = await import(pathToFileURL(process.env.PLAYWRIGHT_CORE).href);

// Served bytes (as stored, raw) and gzip bytes of a list of site paths.
// Pagefind stores its files gzip-compressed already: for those the served
// bytes are the stored ones and "raw" is their gunzipped size.
function sizes(paths) {
  let raw = 0, gz = 0;
  for (const p of paths) {
    const bytes = readFileSync(join(out, decodeURIComponent(p)));
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      gz += bytes.length;
      raw += gunzipSync(bytes).length;
    } else {
      raw += bytes.length;
      gz += gzipSync(bytes, { level: 6 }).length;
    }
  }
  return { raw, gz };
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  for (const word of words) {
    const page = await browser.newPage();
    await page.goto(`${base}search/?q=${encodeURIComponent(word)}`);
    const t0 = Date.now();
    await page.waitForFunction(() => window.__broadsheetSearchDone, null, { timeout: 60_000 });
    const ms = Date.now() - t0;
    const r = await page.evaluate(() => ({ files: window.__broadsheetSearchStats.files, n: window.__broadsheetSearchDone.results }));
    const { raw, gz } = sizes(r.files.map((f) => (f.startsWith("/") ? f : `search/${f}`)));
    console.log(`broadsheet ${word} ${r.files.length} ${raw} ${gz} ${ms} ${r.n}`);
    await page.close();
  }
  if (existsSync(join(out, "pagefind/pagefind.js"))) {
    for (const word of words) {
      const page = await browser.newPage();
      await page.goto(`${base}404.html`);
      const t0 = Date.now();
      const n = await page.evaluate(async (word) => {
        const pf = await import("/pagefind/pagefind.js");
        const r = await pf.search(word);
        await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
        return r.results.length;
      }, word);
      const ms = Date.now() - t0;
      const files = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname).filter((p) => p.startsWith("/pagefind/")));
      const { raw, gz } = sizes(files.map((f) => f.slice(1)));
      console.log(`pagefind ${word} ${files.length} ${raw} ${gz} ${ms} ${n}`);
      await page.close();
    }
  }
} finally {
  await browser.close();
}
