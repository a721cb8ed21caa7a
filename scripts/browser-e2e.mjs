// Live reload in a real browser: open the home page, change an article's
// headline on disk and see the open page show it without a reload by us;
// break its front matter and see the overlay; fix it and see the overlay go.
//
// usage: PLAYWRIGHT_CORE=/path/to/playwright-core/index.mjs \
//        node browser-e2e.mjs http://127.0.0.1:PORT/ /site/content/.../article.md
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [url, article] = process.argv.slice(2);
if (!url || !article || !process.env.PLAYWRIGHT_CORE) {
  console.error("usage: PLAYWRIGHT_CORE=... node browser-e2e.mjs URL ARTICLE");
  process.exit(2);
}
const { chromium } = await import(pathToFileURL(process.env.PLAYWRIGHT_CORE).href);

const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 20_000);
const original = readFileSync(article, "utf8");
const edited = original.replace(
  /^title = ".*"$/m,
  'title = "Browser check edited headline"',
);
if (edited === original) throw new Error(`no title line in ${article}`);
// An unterminated string: a front matter syntax error on line 2.
const broken = edited.replace(
  /^title = ".*"$/m,
  'title = "Browser check broken headline',
);

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
let failed = false;
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  let navigations = 0;
  page.on("framenavigated", (f) => {
    if (f === page.mainFrame()) navigations++;
  });

  await page.goto(url);
  await page.getByText("Browser check original headline").first().waitFor();
  // Wait until the live-reload stream is open, so the change below is
  // pushed rather than noticed on a later connect.
  await page.waitForFunction(() => document.getElementById("__broadsheet_live") !== null);
  await page.waitForTimeout(300);
  const before = navigations;

  let t0 = Date.now();
  writeFileSync(article, edited);
  await page.getByText("Browser check edited headline").first().waitFor();
  console.log(`headline change shown after ${Date.now() - t0} ms (no manual reload)`);
  if (navigations <= before) throw new Error("the headline changed but live reload did not reload the page");

  t0 = Date.now();
  writeFileSync(article, broken);
  const overlay = page.locator("#__broadsheet_overlay");
  await overlay.waitFor({ state: "visible" });
  const text = await overlay.innerText();
  console.log(`overlay shown after ${Date.now() - t0} ms:\n  ${text.replace(/\n/g, "\n  ")}`);
  if (!text.includes("2030-01-01-browser-check.md:")) {
    throw new Error(`the overlay does not name the file and line: ${text}`);
  }

  t0 = Date.now();
  writeFileSync(article, edited);
  await overlay.waitFor({ state: "detached" });
  await page.getByText("Browser check edited headline").first().waitFor();
  console.log(`overlay cleared after ${Date.now() - t0} ms`);

  if (errors.length) throw new Error(`errors in the page: ${errors.join("; ")}`);
} catch (e) {
  failed = true;
  console.error(`browser check failed: ${e.stack || e}`);
} finally {
  // The site is a temporary copy: the article is left as the check made it,
  // so that no rebuild is running when the server is stopped.
  await browser.close();
}
process.exit(failed ? 1 : 0);
