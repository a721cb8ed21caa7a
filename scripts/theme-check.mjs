// The default theme in a real browser: axe-core on one page of every kind,
// in the light and the dark colour scheme, with axe's default rules and then
// with every WCAG 2.0/2.1 A, AA and AAA rule; then screenshots of the main
// page kinds at desktop and phone widths.
//
// usage: PLAYWRIGHT_CORE=.../playwright-core/index.mjs AXE=.../axe.min.js \
//        node theme-check.mjs BASE_URL SHOTS_DIR kind=/path/ ...
// Kinds named home, article, section, month and on-this-day are also
// photographed. Exits 1 on any violation.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [base, shots, ...specs] = process.argv.slice(2);
if (!base || !shots || !specs.length || !process.env.PLAYWRIGHT_CORE || !process.env.AXE) {
  console.error("usage: PLAYWRIGHT_CORE=... AXE=... node theme-check.mjs BASE_URL SHOTS_DIR kind=/path/ ...");
  process.exit(2);
}
const { chromium } = await import(pathToFileURL(process.env.PLAYWRIGHT_CORE).href);
const pages = specs.map((s) => s.split("=", 2));
const PHOTOGRAPHED = ["home", "article", "section", "month", "on-this-day"];
const TAGS = ["wcag2a", "wcag2aa", "wcag2aaa", "wcag21a", "wcag21aa"];

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

/** axe's violations on the open page, as lines. */
async function violations(page, runOnly) {
  await page.addScriptTag({ path: process.env.AXE });
  const result = await page.evaluate(async (only) => {
    const options = only ? { runOnly: { type: "tag", values: only } } : {};
    const r = await window.axe.run(document, options);
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  }, runOnly);
  return result;
}

let failed = 0;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  for (const [kind, path] of pages) {
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const only of [null, TAGS]) {
        await page.goto(new URL(path, base).href);
        const found = await violations(page, only);
        const rules = only ? "WCAG A/AA/AAA" : "axe defaults";
        if (found.length) {
          failed += found.length;
          console.log(`FAIL ${kind} ${path} (${scheme}, ${rules}):\n  ${found.join("\n  ")}`);
        } else {
          console.log(`ok   ${kind} ${path} (${scheme}, ${rules})`);
        }
      }
    }
  }
  mkdirSync(shots, { recursive: true });
  for (const [width, height, label] of [[1280, 900, "desktop"], [390, 844, "390px"]]) {
    await page.setViewportSize({ width, height });
    await page.emulateMedia({ colorScheme: "light" });
    for (const [kind, path] of pages.filter(([k]) => PHOTOGRAPHED.includes(k))) {
      await page.goto(new URL(path, base).href);
      const file = join(shots, `${kind}-${label}.png`);
      await page.screenshot({ path: file });
      console.log(`screenshot ${file}`);
    }
  }
} finally {
  await browser.close();
}
if (failed) {
  console.error(`${failed} accessibility violation(s)`);
  process.exit(1);
}
console.log("no accessibility violations");
