// Drives the built desktop app in its real webview through tauri-driver: sync from the
// emulator, browse a set and a card, search. Started by run.sh, which provides the
// environment below; exits non-zero on the first failed check.

import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { remote } from "webdriverio";

const application = process.env.HOLO_E2E_APP;
const driverPort = Number(process.env.HOLO_E2E_DRIVER_PORT);
const artifacts = process.env.HOLO_E2E_ARTIFACTS;
const database = process.env.HOLO_E2E_DB;
const apiUrl = process.env.HOLO_E2E_API_URL;
const expectedSets = 171;
const syncTimeoutMs = 10 * 60 * 1000;

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
  console.log(`ok: ${message}`);
}

async function screenshot(browser, name) {
  const path = join(artifacts, `${name}.png`);
  await browser.saveScreenshot(path);
  console.log(`screenshot: ${path}`);
}

/**
 * Clicks a set in the sidebar. The row is scrolled into view first and given a moment, because
 * a click that has to scroll the sidebar itself sometimes lands where the row was before.
 */
async function openSet(browser, setId) {
  const row = await browser.$(`[data-set-id="${setId}"]`);
  await row.scrollIntoView({ block: "center" });
  await browser.pause(100);
  await row.click();
}

async function waitFor(browser, description, condition, timeout = 15_000) {
  await browser.waitUntil(condition, { timeout, interval: 100, timeoutMsg: `timed out: ${description}` });
}

/**
 * Holds the database's sync lock the way another process's sync would (`flock` on
 * `<database>.sync-lock`, with a holder record inside), and checks that Sync now reports it.
 */
async function syncRefusedWhileLockHeld(browser) {
  const lockPath = `${database}.sync-lock`;
  const holder = { run_id: "cli-run", pid: 4242, started_at: "2026-12-04T10:00:00.000Z" };
  writeFileSync(lockPath, JSON.stringify(holder));
  // --close keeps the lock with flock itself, so killing flock releases it.
  const locker = spawn("flock", ["--exclusive", "--nonblock", "--close", lockPath, "sleep", "120"], {
    stdio: "ignore",
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await (await browser.$("button.sync-now")).click();
    const banner = await browser.$('.error-banner[data-code="sync_running_elsewhere"]');
    await banner.waitForExist({ timeout: 10_000 });
    const text = await banner.getText();
    check(text.includes("process 4242"), `a sync elsewhere is reported in words: ${text}`);
    check(!(await (await browser.$(".progress-track")).isExisting()), "no progress bar while the lock is held elsewhere");
    await screenshot(browser, "01b-sync-running-elsewhere");
  } finally {
    locker.kill();
    await new Promise((resolve) => locker.once("exit", resolve));
  }
}

/** Presses Sync now and samples the progress bar until it reads 100%. */
async function syncFromEmulator(browser) {
  await (await browser.$("button.sync-now")).click();
  const bar = await browser.$(".progress-track");
  await bar.waitForExist({ timeout: 15_000 });

  const samples = [];
  let screenshotTaken = false;
  const deadline = Date.now() + syncTimeoutMs;
  while (Date.now() < deadline) {
    const value = Number(await bar.getAttribute("aria-valuenow"));
    samples.push(value);
    if (!screenshotTaken && value >= 20 && value < 100) {
      await screenshot(browser, "02-sync-in-progress");
      screenshotTaken = true;
    }
    if (value === 100) break;
    await browser.pause(150);
  }
  console.log(`progress samples: ${samples.length}, distinct: ${[...new Set(samples)].join(" ")}`);
  check(samples.at(-1) === 100, "the progress bar reaches 100%");
  check(samples.some((value) => value > 0 && value < 100), "the progress bar shows values between 0 and 100");
  check(samples.every((value, index) => index === 0 || value >= samples[index - 1]), "the progress bar never goes backwards");
  const headline = await (await browser.$(".sync-headline")).getText();
  check(headline.startsWith("Sync finished"), `the strip says the sync finished (${headline})`);
}

function openSession() {
  return remote({
    hostname: "127.0.0.1",
    port: driverPort,
    logLevel: "warn",
    capabilities: {
      browserName: "wry",
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application },
    },
  });
}

/** Starts the app on a file that is not a database and checks that the window explains it. */
async function badDatabaseExplained() {
  writeFileSync(database, "these are notes, not a database\n".repeat(200));
  const browser = await openSession();
  try {
    const page = await browser.$(".startup-error");
    await page.waitForExist({ timeout: 30_000 });
    const text = await page.getText();
    check(text.includes("Holo cannot open its database"), "a bad database gets a window that says so");
    check(text.includes(database), "the message names the database file");
    check(text.includes("not a Holo database"), `the message says what to do: ${text}`);
    // WebKit paints the page a moment after the DOM has it.
    await browser.pause(500);
    await screenshot(browser, "00-database-unavailable");
  } finally {
    await browser.deleteSession();
  }
  for (const suffix of ["", ".open-lock", "-wal", "-shm"]) rmSync(`${database}${suffix}`, { force: true });
}

/**
 * Fills in the native GTK file dialog titled `title` (`kind` "save" or "open") as a collector
 * would: types `path` into it and presses Enter. WebDriver cannot reach a window outside the webview, so xdotool does it
 * on the same X display.
 */
function answerFileDialog(title, path, kind) {
  const xdotool = (...args) => execFileSync("xdotool", args, { timeout: 20_000 }).toString().trim();
  const dialog = xdotool("search", "--sync", "--name", title).split("\n")[0];
  // Xvfb has no window manager, so the dialog gets the keyboard focus directly.
  xdotool("windowfocus", "--sync", dialog);
  // Let GTK finish laying out the dialog and focus its file name field.
  execFileSync("sleep", ["0.5"]);
  // A save dialog focuses its name field, so select its text; an open dialog needs its
  // location field opened first.
  xdotool("key", "--clearmodifiers", kind === "save" ? "ctrl+a" : "ctrl+l");
  execFileSync("sleep", ["0.3"]);
  xdotool("type", "--delay", "20", path);
  execFileSync("sleep", ["0.3"]);
  xdotool("key", "Return");
}

/**
 * On card 190's page: adds a copy, checks that the set's completion moves, exports the collection and
 * finds the card in the file, then imports that file back without doubling the copy.
 */
async function ownAndExport(browser) {
  const plus = await browser.$(".variation-row button.copies-plus");
  await plus.click();
  await waitFor(browser, "the copy to be counted", async () => (await (await browser.$(".variation-row .copies-count")).getText()) === "1");
  check((await (await browser.$(".owned-total")).getText()) === "1 in all", "the card page counts one copy");
  await screenshot(browser, "09-card-190-owned");

  await (await browser.$("button=← Back")).click();
  const bar = await browser.$('[role="progressbar"][aria-label="Cards owned"]');
  await waitFor(browser, "the completion bar to move", async () => (await bar.getAttribute("aria-valuenow")) === "1");
  check((await bar.getAttribute("aria-valuemax")) === "216", "the set's completion counts 1 of 216 cards");
  const tileClass = await (await browser.$('[data-card-id="swsh10-190"]')).getAttribute("class");
  check(tileClass.includes("owned"), "card 190's tile is marked owned");
  const sidebarText = await (await browser.$('[data-set-id="swsh10"]')).getText();
  check(sidebarText.includes("1 owned"), `the set list shows the set's progress (${sidebarText.replace(/\n/g, " ")})`);
  await screenshot(browser, "10-astral-radiance-completion");

  await (await browser.$("button.collection-button")).click();
  await (await browser.$(".collection-page")).waitForExist({ timeout: 15_000 });
  const exportPath = join(artifacts, "collection-export.csv");
  await (await browser.$("button.export-holo-csv")).click();
  answerFileDialog("Export the collection", exportPath, "save");
  const result = await browser.$(".export-result");
  await result.waitForExist({ timeout: 15_000 });
  const rows = readFileSync(exportPath, "utf8").split(/\r?\n/);
  const row = rows.find((line) => line.includes("swsh10-190"));
  check(row !== undefined && row.includes("Hisuian Lilligant VSTAR"), `the export has card 190's row: ${row}`);
  check(rows.filter((line) => line.trim() !== "").length === 2, "the export has a header and one entry");
  await screenshot(browser, "11-collection-exported");

  await (await browser.$("button.import-file")).click();
  answerFileDialog("Import a collection", exportPath, "open");
  const preview = await browser.$(".import-preview");
  await preview.waitForExist({ timeout: 15_000 });
  await screenshot(browser, "12-import-preview");
  await (await browser.$("button.import-confirm")).click();
  await (await browser.$(".import-result")).waitForExist({ timeout: 15_000 });
  await browser.pause(500);
  const quantities = await browser.execute(() =>
    [...document.querySelectorAll(".collection-table tbody tr")].map((tableRow) => tableRow.children[6]?.textContent));
  check(quantities.length === 1 && quantities[0] === "1", `re-importing the export leaves one entry of one copy (${JSON.stringify(quantities)})`);
  await screenshot(browser, "13-imported-back");
}

/** Starts a full re-check from the overview's sync panel and cancels it at once. */
async function fullRecheckCancelled(browser) {
  await (await browser.$("button.brand")).click();
  await (await browser.$("button.full-recheck")).click();
  const cancel = await browser.$("button.sync-cancel");
  await cancel.waitForExist({ timeout: 10_000 });
  await cancel.click();
  const headline = await browser.$(".sync-headline");
  await waitFor(browser, "the cancelled run to finish", async () => (await headline.getText()).startsWith("Sync finished"), 60_000);
  check((await headline.getText()) === "Sync finished: Cancelled", "Cancel stops the full re-check");
  const status = await (await browser.$(".sync-report .sync-status")).getText();
  check(status === "Cancelled", `the report shows the run as cancelled (${status})`);
  const cancelledSets = await browser.execute(() => {
    const row = [...document.querySelectorAll(".sync-report .count-grid div")].find((item) =>
      item.querySelector("dt")?.textContent === "Sets cancelled");
    return Number(row?.querySelector("dd")?.textContent ?? "0");
  });
  check(cancelledSets > 0, `the report counts ${cancelledSets} cancelled sets`);
  check((await browser.$$(".set-row")).length === expectedSets, "the catalogue stays whole after a cancel");
  await screenshot(browser, "07-full-recheck-cancelled");
}

/** Switches the emulator's images off and checks that a set's grid shows placeholders. */
async function imagesUnreachable(browser) {
  const admin = apiUrl.replace(/\/v2$/, "/admin/images");
  const switchImages = (available) =>
    fetch(admin, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ available }),
    });
  check((await switchImages(false)).ok, "the emulator stops serving images");
  try {
    // A set whose images this session has not loaded, so none come from WebKit's cache.
    await openSet(browser, "base1");
    await waitFor(browser, "placeholders in the grid", async () => (await browser.$$(".card-grid .image-placeholder")).length > 0);
    const placeholder = await browser.$(".card-grid .image-placeholder");
    const label = await placeholder.getAttribute("aria-label");
    check(label.endsWith("(no image)"), `an unreachable image becomes a labelled placeholder (${label})`);
    await screenshot(browser, "08-images-unreachable");
  } finally {
    await switchImages(true);
  }
}

async function main() {
  mkdirSync(artifacts, { recursive: true });
  await badDatabaseExplained();
  const browser = await openSession();
  try {
    await (await browser.$(".toolbar")).waitForExist({ timeout: 30_000 });
    check((await browser.getTitle()) === "Holo", "the window is titled Holo");
    await screenshot(browser, "01-empty-catalogue");

    await syncRefusedWhileLockHeld(browser);

    await syncFromEmulator(browser);
    await waitFor(browser, `${expectedSets} sets listed`, async () => (await browser.$$(".set-row")).length === expectedSets);
    check(true, `${expectedSets} sets are listed`);
    await screenshot(browser, "03-after-sync");

    await openSet(browser, "swsh10");
    const setTitle = await browser.$(".set-title");
    await setTitle.waitForExist();
    check((await setTitle.getText()) === "Astral Radiance", "swsh10 opens as Astral Radiance");
    // The grid renders in batches, one per frame; wait for the last one.
    await waitFor(browser, "all of the set's cards", async () => (await browser.$$(".card-tile")).length === 216);
    check(true, "Astral Radiance shows its 216 cards");
    await screenshot(browser, "04-astral-radiance");

    const card = await browser.$('[data-card-id="swsh10-190"]');
    await card.scrollIntoView({ block: "center" });
    await browser.pause(100);
    await card.click();
    const cardTitle = await browser.$(".card-title");
    await cardTitle.waitForExist();
    check((await cardTitle.getText()) === "Hisuian Lilligant VSTAR", "card 190 is Hisuian Lilligant VSTAR");
    await waitFor(browser, "the large card image", () => browser.execute(() => {
      const image = document.querySelector("img.card-large");
      return image !== null && image.complete && image.naturalWidth > 0;
    }));
    // WebKit decodes and paints an image a few frames after it reports it complete.
    await browser.pause(500);
    await screenshot(browser, "05-card-190");
    await ownAndExport(browser);

    await (await browser.$("input.search")).setValue("charizard");
    await waitFor(browser, "search results", async () => (await (await browser.$(".search-title")).getText()).includes("match “charizard”"));
    const title = await (await browser.$(".search-title")).getText();
    const matches = Number.parseInt(title, 10);
    await waitFor(browser, "every search result", async () => (await browser.$$(".search-view .card-tile")).length === matches);
    const firstName = await (await browser.$(".search-view .card-name")).getText();
    check(matches > 0 && firstName.includes("Charizard"), `"charizard" finds ${matches} cards, first ${firstName}`);
    await screenshot(browser, "06-search-charizard");

    const timings = await browser.execute(() => ({ ...document.documentElement.dataset }));
    console.log(`timings (ms, click or keystroke to painted result): ${JSON.stringify(timings)}`);

    await fullRecheckCancelled(browser);
    await imagesUnreachable(browser);
  } finally {
    await browser.deleteSession();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
