// Firefox ESR's visit of the lesson for test_engines.py, driven by puppeteer-core over
// WebDriver BiDi (no geckodriver):
//   node firefox_smoke.mjs URL FIREFOX_BINARY SMOKE_EXPRESSION
// evaluates the smoke expression (lesson_smoke.js, called) in the page, clicks "Open in
// full editor", reads the code the full editor got, and prints the result as one JSON line.
import puppeteer from "puppeteer-core";

const [url, executablePath, smoke] = process.argv.slice(2);
const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath,
  headless: true,
  protocolTimeout: 900_000,
  extraPrefsFirefox: {
    // No calls home from a machine without internet.
    "app.update.enabled": false,
    "browser.safebrowsing.malware.enabled": false,
    "browser.safebrowsing.phishing.enabled": false,
    "datareporting.policy.dataSubmissionEnabled": false,
    "network.captive-portal-service.enabled": false,
  },
});
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(600_000);
  await page.goto(url);
  const result = await page.evaluate(smoke);
  if (!result.error && result.python?.phase === "ready") {
    await Promise.all([page.waitForNavigation(), page.click(".cell[data-cell-id='main'] a.open-full")]);
    await page.waitForFunction(() => globalThis.labCells?.[0]?.code !== undefined);
    result.fullEditor = await page.evaluate(() => globalThis.labCells[0].code);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await browser.close();
}
