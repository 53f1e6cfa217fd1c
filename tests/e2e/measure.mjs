// Measures launch and interaction times of the app through tauri-driver. Started by
// `HOLO_E2E_PROFILE=release tests/e2e/run.sh tests/e2e/measure.mjs`, which provides the
// environment below. A first session syncs the fresh database from the emulator; the timed
// session then launches the app again on that database.
//
// - launch: from asking tauri-driver for a session (which starts the app) to the first set row
//   in the page. It includes WebKitWebDriver's own start-up, so it is an upper bound.
// - open set: click on a set to the painted grid, measured in the page (see ui/src/timing.ts).
// - search keystroke: one typed letter to the painted results, measured in the page.

import { remote } from "webdriverio";

const application = process.env.HOLO_E2E_APP;
const driverPort = Number(process.env.HOLO_E2E_DRIVER_PORT);
const setId = process.env.HOLO_MEASURE_SET ?? "swsh10";
const runs = 5;

async function timing(browser, name) {
  return Number(await browser.execute((key) => document.documentElement.dataset[key], name));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
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

async function syncOnce() {
  const browser = await openSession();
  try {
    await (await browser.$("button.sync-now")).click();
    await browser.waitUntil(
      async () => (await (await browser.$(".progress-track")).getAttribute("aria-valuenow")) === "100",
      { timeout: 10 * 60 * 1000, interval: 200 },
    );
  } finally {
    await browser.deleteSession();
  }
}

async function main() {
  await syncOnce();
  const started = performance.now();
  const browser = await openSession();
  try {
    const sessionMs = performance.now() - started;
    await browser.waitUntil(async () => (await browser.$$(".set-row")).length > 0, {
      timeout: 30_000,
      interval: 10,
    });
    const launchMs = performance.now() - started;
    console.log(`launch: session ${sessionMs.toFixed(0)} ms, set list shown ${launchMs.toFixed(0)} ms`);

    // The bare command round trip, without rendering: what the UI waits for before it can draw.
    const roundTrips = await browser.executeAsync((set, done) => {
      const invoke = window.__TAURI_INTERNALS__.invoke;
      const timed = async (command, args) => {
        const times = [];
        for (let run = 0; run < 5; run++) {
          const started = performance.now();
          await invoke(command, args);
          times.push(performance.now() - started);
        }
        return times.sort((a, b) => a - b)[2];
      };
      (async () => ({
        setCards: await timed("list_set_cards", { setId: set }),
        searchC: await timed("search_cards", { text: "c" }),
        searchChar: await timed("search_cards", { text: "char" }),
      }))().then(done, (error) => done({ error: String(error) }));
    }, setId);
    console.log(`command round trip (median of 5): ${JSON.stringify(roundTrips, (key, value) => (typeof value === "number" ? Number(value.toFixed(1)) : value))}`);

    const openSet = [];
    const openSetCommit = [];
    for (let run = 0; run < runs; run++) {
      await (await browser.$("button.brand")).click();
      // Scrolled first and given a moment: a click that scrolls the sidebar itself sometimes
      // lands where the row was before the scroll.
      const row = await browser.$(`[data-set-id="${setId}"]`);
      await row.scrollIntoView({ block: "center" });
      await browser.pause(100);
      await row.click();
      try {
        await browser.waitUntil(async () => (await timing(browser, "timingOpenSet")) > 0);
      } catch (error) {
        await browser.saveScreenshot(`${process.env.HOLO_E2E_ARTIFACTS}/measure-failed.png`);
        throw error;
      }
      openSet.push(await timing(browser, "timingOpenSet"));
      openSetCommit.push(await timing(browser, "timingOpenSetCommit"));
      await browser.execute(() => delete document.documentElement.dataset.timingOpenSet);
    }
    // The grid adds its tiles in batches after the first paint; count them once all are in.
    await browser.pause(1000);
    const cards = (await browser.$$(".card-tile")).length;
    console.log(`open set ${setId} (${cards} cards): ${openSet.map((ms) => ms.toFixed(1)).join(", ")} ms, median ${median(openSet).toFixed(1)}`);
    console.log(`  of which until the DOM was updated: median ${median(openSetCommit).toFixed(1)} ms`);

    const search = [];
    const searchCommit = [];
    const box = await browser.$("input.search");
    await box.clearValue();
    for (const letter of "charizard") {
      await box.addValue(letter);
      await browser.waitUntil(async () => (await timing(browser, "timingSearch")) > 0);
      search.push(await timing(browser, "timingSearch"));
      searchCommit.push(await timing(browser, "timingSearchCommit"));
      await browser.execute(() => delete document.documentElement.dataset.timingSearch);
    }
    console.log(`search keystroke: ${search.map((ms) => ms.toFixed(1)).join(", ")} ms, median ${median(search).toFixed(1)}`);
    console.log(`  of which until the DOM was updated: median ${median(searchCommit).toFixed(1)} ms`);
  } finally {
    await browser.deleteSession();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
