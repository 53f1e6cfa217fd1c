import type { RunHistoryEntry, SyncErrorRecord, SyncSummary } from "../host";
import {
  estimateRemainingMs,
  formatDuration,
  fractionDone,
  type SyncProgress,
} from "../progress";

interface BarProps {
  progress: SyncProgress;
  nowMs: number;
  onCancel: () => void;
  onDismiss: () => void;
  cancelling: boolean;
}

/** The progress strip under the toolbar while a sync runs. */
export function SyncProgressBar({ progress, nowMs, onCancel, onDismiss, cancelling }: BarProps) {
  const percent = Math.floor(fractionDone(progress) * 100);
  const remaining = estimateRemainingMs(progress, nowMs);
  const elapsed = progress.summary
    ? progress.summary.duration_ms
    : nowMs - progress.startedAtMs;
  const current = progress.inFlight.at(-1);
  const headline =
    progress.phase === "waiting"
      ? "Fetching the list of sets…"
      : progress.phase === "finished"
        ? `Sync finished: ${statusText(progress.summary?.status ?? "succeeded")}`
        : cancelling
          ? "Cancelling after the sets in progress…"
          : `Syncing ${current ? current.setName : "…"}`;
  return (
    <section class="sync-strip" aria-live="polite">
      <div class="sync-strip-text">
        <strong class="sync-headline">{headline}</strong>
        <span class="sync-counts">
          <span class="sync-percent">{percent}%</span> · {progress.setsDone} of {progress.setsTotal || "?"} sets ·{" "}
          {progress.cardsWritten.toLocaleString("en-GB")} cards written ·{" "}
          {formatDuration(elapsed)} elapsed
          {remaining !== null ? ` · about ${formatDuration(remaining)} left` : ""}
        </span>
        {progress.phase === "finished" ? (
          <button type="button" class="secondary" onClick={onDismiss}>
            Dismiss
          </button>
        ) : (
          <button type="button" class="secondary sync-cancel" onClick={onCancel} disabled={cancelling}>
            Cancel
          </button>
        )}
      </div>
      <div
        class="progress-track"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-label="Sync progress"
      >
        <div class="progress-fill" style={{ width: `${percent}%` }} />
      </div>
    </section>
  );
}

const STATUS_TEXT: Record<string, string> = {
  running: "Running",
  succeeded: "Succeeded",
  partial: "Partly succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
};

export function statusText(status: string): string {
  return STATUS_TEXT[status] ?? status;
}

/** The report of a finished run: status, counts and every failure. */
export function SyncReport({ summary }: { summary: SyncSummary }) {
  const rows: [string, number][] = [
    ["Sets synced", summary.sets_succeeded + summary.sets_partial],
    ["Sets up to date", summary.sets_up_to_date],
    ["Sets failed", summary.sets_failed],
    ["Sets cancelled", summary.sets_cancelled],
    ["Cards added", summary.cards_inserted],
    ["Cards updated", summary.cards_updated],
    ["Cards unchanged", summary.cards_unchanged],
    ["Cards failed", summary.cards_failed],
  ];
  return (
    <section class={`sync-report status-${summary.status}`}>
      <h2>
        Last sync: <span class="sync-status">{statusText(summary.status)}</span>
        <span class="muted"> in {formatDuration(summary.duration_ms)}</span>
      </h2>
      <dl class="count-grid">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value.toLocaleString("en-GB")}</dd>
          </div>
        ))}
      </dl>
      <Failures errors={summary.errors} />
    </section>
  );
}

function Failures({ errors }: { errors: SyncErrorRecord[] }) {
  if (errors.length === 0) return null;
  return (
    <table class="failures">
      <caption>{errors.length === 1 ? "1 failure" : `${errors.length} failures`}</caption>
      <thead>
        <tr>
          <th>Set</th>
          <th>Card</th>
          <th>Reason</th>
        </tr>
      </thead>
      <tbody>
        {errors.map((error, index) => (
          <tr key={index}>
            <td>{error.set_id ?? "—"}</td>
            <td>{error.card_id ?? "—"}</td>
            <td>{error.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Past runs, newest first. */
export function SyncHistory({ runs }: { runs: RunHistoryEntry[] }) {
  if (runs.length === 0) return <p class="muted">No sync has run on this database yet.</p>;
  return (
    <table class="history">
      <thead>
        <tr>
          <th>Started</th>
          <th>Status</th>
          <th>Sets</th>
          <th>Cards added / updated / unchanged / failed</th>
          <th>Took</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.run_id}>
            <td>{new Date(run.started_at).toLocaleString("en-GB")}</td>
            <td>{statusText(run.status)}</td>
            <td>{run.summary ? `${run.summary.sets_total - run.summary.sets_failed - run.summary.sets_cancelled} of ${run.summary.sets_total}` : "—"}</td>
            <td>
              {run.summary
                ? [
                    run.summary.cards_inserted,
                    run.summary.cards_updated,
                    run.summary.cards_unchanged,
                    run.summary.cards_failed,
                  ].join(" / ")
                : "—"}
            </td>
            <td>{run.summary ? formatDuration(run.summary.duration_ms) : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
