import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import type { Channel } from "@tauri-apps/api/core";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { App } from "./app";
import type { SyncEvent } from "./bindings";
import { browsing, mockCommands } from "./test-support";

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("app", () => {
  it("lists sets by series and opens one", async () => {
    mockCommands(browsing);
    render(<App />);

    const setButton = await screen.findByRole("button", { name: /Astral Radiance/ });
    expect(screen.getByText("Sword & Shield")).toBeTruthy();
    fireEvent.click(setButton);

    await screen.findByText("#190 · Rare");
    const tiles = document.querySelectorAll(".card-tile");
    expect(tiles).toHaveLength(2);
    expect(tiles[0].textContent).toContain("#1");
  });

  it("searches as the collector types", async () => {
    mockCommands(browsing);
    render(<App />);

    fireEvent.input(screen.getByRole("searchbox"), { target: { value: "lilli" } });
    await screen.findByText(/1 cards match/);
    expect(document.querySelector(".card-name")?.textContent).toBe("Hisuian Lilligant VSTAR");

    fireEvent.input(screen.getByRole("searchbox"), { target: { value: "zzz" } });
    await screen.findByText(/No card names match/);
  });

  it("shows progress from sync events", async () => {
    let channel: Channel<SyncEvent> | undefined;
    mockCommands({
      ...browsing,
      // Never resolves, so the run stays in progress while the test looks at the bar.
      start_sync: (args) => {
        channel = args.onProgress as Channel<SyncEvent>;
        return new Promise(() => {});
      },
    });
    render(<App />);

    fireEvent.click(await screen.findByRole("button", { name: "Sync now" }));
    await waitFor(() => expect(channel).toBeDefined());
    channel!.onmessage({ event: "run_started", run_id: "run-1", sets_total: 4 });
    channel!.onmessage({ event: "set_started", set_id: "swsh10", set_name: "Astral Radiance" });

    const bar = await screen.findByRole("progressbar");
    await screen.findByText("Syncing Astral Radiance");
    expect(bar.getAttribute("aria-valuenow")).toBe("0");
    expect(screen.getByRole("button", { name: "Syncing…" })).toHaveProperty("disabled", true);
  });

  it("says when a sync runs elsewhere", async () => {
    mockCommands({
      ...browsing,
      start_sync: () => {
        throw { code: "sync_running_elsewhere", message: "A sync is already running on this database." };
      },
    });
    render(<App />);

    fireEvent.click(await screen.findByRole("button", { name: "Sync now" }));
    const alert = await screen.findByRole("alert");
    expect(alert.getAttribute("data-code")).toBe("sync_running_elsewhere");
    expect(alert.textContent).toContain("already running");
  });

  it("starts a full re-check from the overview", async () => {
    const requests: unknown[] = [];
    mockCommands({
      ...browsing,
      start_sync: (args) => {
        requests.push(args.full);
        return new Promise(() => {});
      },
    });
    render(<App />);

    fireEvent.click(await screen.findByRole("button", { name: "Full re-check" }));
    await waitFor(() => expect(requests).toEqual([true]));
    expect(screen.getByRole("button", { name: "Full re-check" })).toHaveProperty("disabled", true);
  });

  it("sync now asks for an incremental sync", async () => {
    const requests: unknown[] = [];
    mockCommands({
      ...browsing,
      start_sync: (args) => {
        requests.push(args.full);
        return new Promise(() => {});
      },
    });
    render(<App />);

    fireEvent.click(await screen.findByRole("button", { name: "Sync now" }));
    await waitFor(() => expect(requests).toEqual([false]));
  });

  it("explains a database that cannot open", async () => {
    mockCommands({
      ...browsing,
      list_series: () => {
        throw {
          code: "database_unavailable",
          message: "Holo could not open its database /tmp/holo.db: file is not a database.",
        };
      },
    });
    render(<App />);

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Holo cannot open its database");
    expect(alert.textContent).toContain("/tmp/holo.db");
    expect(screen.queryByRole("button", { name: "Sync now" })).toBeNull();
  });
});
