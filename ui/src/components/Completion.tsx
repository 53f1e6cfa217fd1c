import type { SetCompletion } from "../host";

interface BarProps {
  label: string;
  owned: number;
  total: number;
  /** A thin bar without the label, for the set list. */
  compact?: boolean;
}

/** Renders a completion bar: how many of a set's cards or variations the collector owns. */
export function CompletionBar({ label, owned, total, compact = false }: BarProps) {
  const percent = total === 0 ? 0 : Math.floor((owned / total) * 100);
  // One card of a big set is under 1%, which must not read as nothing owned.
  const percentText = owned > 0 && percent === 0 ? "under 1%" : `${percent}%`;
  const text = `${owned} of ${total}`;
  return (
    <div class={`completion${compact ? " compact" : ""}`} title={`${label}: ${text} (${percentText})`}>
      {!compact && (
        <span class="completion-label">
          {label}: <strong>{text}</strong> <span class="muted">({percentText})</span>
        </span>
      )}
      <div
        class="completion-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={owned}
        aria-valuetext={`${text}, ${percentText}`}
      >
        <div class="completion-fill" style={{ width: total === 0 ? "0%" : `${(owned / total) * 100}%` }} />
      </div>
    </div>
  );
}

/** Renders a set page's two bars: unique cards, and every variation (the master set). */
export function SetCompletionBars({ completion }: { completion: SetCompletion }) {
  return (
    <div class="set-completion">
      <CompletionBar label="Cards owned" owned={completion.cards_owned} total={completion.cards_total} />
      <CompletionBar
        label="Master set (every variation)"
        owned={completion.variations_owned}
        total={completion.variations_total}
      />
    </div>
  );
}
