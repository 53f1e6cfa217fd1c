import { describe, expect, it } from "vitest";
import type { SetResult, SyncEvent, SyncSummary } from "./bindings";
import {
  applyEvent,
  estimateRemainingMs,
  formatDuration,
  fractionDone,
  initialProgress,
} from "./progress";

function setResult(setId: string, inserted: number, errors = 0): SetResult {
  return {
    set_id: setId,
    set_name: `Set ${setId}`,
    status: errors > 0 ? "partial" : "succeeded",
    set_change: "inserted",
    api_total_count: inserted,
    cards_seen: inserted + errors,
    cards_fetched: inserted + errors,
    cards_delisted: 0,
    cards_inserted: inserted,
    cards_updated: 0,
    cards_unchanged: 0,
    cards_failed: errors,
    variations_inserted: 0,
    variations_updated: 0,
    variations_unchanged: 0,
    prices_recorded: 0,
    errors: Array.from({ length: errors }, (_, index) => ({
      kind: "card" as const,
      set_id: setId,
      card_id: `${setId}-${index}`,
      message: "missing field `name`",
    })),
  };
}

function summary(setsTotal: number): SyncSummary {
  return {
    run_id: "run-1",
    status: "succeeded",
    api_url: "http://127.0.0.1:1/v2",
    started_at: "2026-12-04T10:00:00.000Z",
    finished_at: "2026-12-04T10:01:00.000Z",
    duration_ms: 60_000,
    sets_total: setsTotal,
    sets_succeeded: setsTotal,
    sets_partial: 0,
    sets_up_to_date: 0,
    sets_failed: 0,
    sets_cancelled: 0,
    sets_inserted: setsTotal,
    sets_updated: 0,
    sets_unchanged: 0,
    sets_delisted: 0,
    prices_refreshed: false,
    cards_seen: 0,
    cards_fetched: 0,
    cards_delisted: 0,
    cards_inserted: 0,
    cards_updated: 0,
    cards_unchanged: 0,
    cards_failed: 0,
    variations_inserted: 0,
    variations_updated: 0,
    variations_unchanged: 0,
    prices_recorded: 0,
    requests: 0,
    retries: 0,
    errors: [],
  };
}

function fold(events: SyncEvent[], start = 0) {
  return events.reduce(applyEvent, initialProgress(start));
}

describe("sync progress", () => {
  it("starts at zero while waiting for the set list", () => {
    expect(fractionDone(initialProgress(0))).toBe(0);
  });

  it("counts sets and cards as sets finish", () => {
    const progress = fold([
      { event: "run_started", run_id: "run-1", sets_total: 4 },
      { event: "set_started", set_id: "a", set_name: "Set a" },
      { event: "set_started", set_id: "b", set_name: "Set b" },
      { event: "set_finished", sets_done: 1, sets_total: 4, result: setResult("a", 10) },
    ]);
    expect(progress.phase).toBe("running");
    expect(progress.setsDone).toBe(1);
    expect(progress.cardsWritten).toBe(10);
    expect(progress.inFlight).toEqual([{ setId: "b", setName: "Set b" }]);
    expect(fractionDone(progress)).toBe(0.25);
  });

  it("never goes backwards", () => {
    const progress = fold([
      { event: "run_started", run_id: "run-1", sets_total: 4 },
      { event: "set_finished", sets_done: 2, sets_total: 4, result: setResult("a", 1) },
      { event: "set_finished", sets_done: 1, sets_total: 4, result: setResult("b", 1) },
    ]);
    expect(progress.setsDone).toBe(2);
  });

  it("stays below 100% until the run finishes", () => {
    const events: SyncEvent[] = [
      { event: "run_started", run_id: "run-1", sets_total: 1 },
      { event: "set_finished", sets_done: 1, sets_total: 1, result: setResult("a", 3) },
    ];
    expect(fractionDone(fold(events))).toBeLessThan(1);
    const finished = fold([...events, { event: "run_finished", summary: summary(1) }]);
    expect(finished.phase).toBe("finished");
    expect(fractionDone(finished)).toBe(1);
  });

  it("keeps a cancelled run's fraction", () => {
    const cancelled: SyncSummary = {
      ...summary(4),
      status: "cancelled",
      sets_succeeded: 1,
      sets_cancelled: 3,
    };
    const progress = fold([
      { event: "run_started", run_id: "run-1", sets_total: 4 },
      { event: "set_finished", sets_done: 1, sets_total: 4, result: setResult("a", 3) },
      { event: "run_finished", summary: cancelled },
    ]);
    expect(progress.phase).toBe("finished");
    expect(fractionDone(progress)).toBe(0.25);
  });

  it("collects card failures", () => {
    const progress = fold([
      { event: "run_started", run_id: "run-1", sets_total: 2 },
      { event: "set_finished", sets_done: 1, sets_total: 2, result: setResult("a", 5, 2) },
    ]);
    expect(progress.failures).toHaveLength(2);
    expect(progress.failures[0].card_id).toBe("a-0");
  });

  it("estimates time left from the pace so far", () => {
    const progress = fold(
      [
        { event: "run_started", run_id: "run-1", sets_total: 4 },
        { event: "set_finished", sets_done: 1, sets_total: 4, result: setResult("a", 1) },
      ],
      1_000,
    );
    expect(estimateRemainingMs(progress, 11_000)).toBe(30_000);
    expect(estimateRemainingMs(fold([]), 11_000)).toBeNull();
  });

  it("formats durations", () => {
    expect(formatDuration(42_000)).toBe("42 s");
    expect(formatDuration(65_000)).toBe("1 min 05 s");
  });
});
