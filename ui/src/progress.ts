// The sync progress the UI shows, folded from the core's events. Pure, so Vitest covers it
// without a webview.

import type { SyncErrorRecord, SyncEvent, SyncSummary } from "./host";

export interface SyncProgress {
  /** `waiting` until the set list is in, `running` while sets are synced, `finished` at the end. */
  phase: "waiting" | "running" | "finished";
  runId: string | null;
  setsTotal: number;
  setsDone: number;
  /** Cards inserted, updated or found unchanged in the sets finished so far. */
  cardsWritten: number;
  /** Sets being fetched or written now, oldest first. */
  inFlight: { setId: string; setName: string }[];
  /** Errors reported by finished sets, in arrival order. */
  failures: SyncErrorRecord[];
  /** Client clock when the UI first saw the run, in milliseconds. */
  startedAtMs: number;
  summary: SyncSummary | null;
}

export function initialProgress(nowMs: number): SyncProgress {
  return {
    phase: "waiting",
    runId: null,
    setsTotal: 0,
    setsDone: 0,
    cardsWritten: 0,
    inFlight: [],
    failures: [],
    startedAtMs: nowMs,
    summary: null,
  };
}

export function applyEvent(progress: SyncProgress, event: SyncEvent): SyncProgress {
  switch (event.event) {
    case "run_started":
      return { ...progress, phase: "running", runId: event.run_id, setsTotal: event.sets_total };
    case "set_started":
      return {
        ...progress,
        inFlight: [...progress.inFlight, { setId: event.set_id, setName: event.set_name }],
      };
    case "set_finished": {
      const result = event.result;
      return {
        ...progress,
        setsTotal: Math.max(progress.setsTotal, event.sets_total),
        // Events arrive in order, but a count that went down would make the bar jump back.
        setsDone: Math.max(progress.setsDone, event.sets_done),
        cardsWritten:
          progress.cardsWritten +
          result.cards_inserted +
          result.cards_updated +
          result.cards_unchanged,
        inFlight: progress.inFlight.filter((set) => set.setId !== result.set_id),
        failures: [...progress.failures, ...result.errors],
      };
    }
    case "run_finished":
      return {
        ...progress,
        phase: "finished",
        setsDone: Math.max(progress.setsDone, event.summary.sets_total - event.summary.sets_cancelled),
        inFlight: [],
        failures: event.summary.errors,
        summary: event.summary,
      };
  }
}

/** Share of the run done, from 0 to 1. It reaches 1 only when the run has finished. */
export function fractionDone(progress: SyncProgress): number {
  // A cancelled run shows how far it got, not a full bar that reads as done.
  if (progress.phase === "finished" && progress.summary?.status !== "cancelled") return 1;
  if (progress.setsTotal === 0) return 0;
  return Math.min(progress.setsDone / progress.setsTotal, 0.99);
}

/**
 * Estimates the time left from the pace of the sets finished so far, or returns null before
 * there is a pace to go by. Sets differ in size, so this is a rough estimate.
 */
export function estimateRemainingMs(progress: SyncProgress, nowMs: number): number | null {
  if (progress.phase !== "running" || progress.setsDone === 0) return null;
  const elapsed = nowMs - progress.startedAtMs;
  const perSet = elapsed / progress.setsDone;
  return Math.max(0, Math.round(perSet * (progress.setsTotal - progress.setsDone)));
}

/** Formats a duration as `1 min 05 s` or `42 s`. */
export function formatDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(seconds % 60).padStart(2, "0")} s`;
}
