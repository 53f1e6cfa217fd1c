import { memo } from "preact/compat";
import type { SeriesGroup, SetCompletion, SetSummary } from "../host";
import { RemoteImage } from "./CardImage";
import { CompletionBar } from "./Completion";

interface Props {
  groups: SeriesGroup[];
  /** Completion by set id; a set the collector owns nothing of shows no bar. */
  completions: ReadonlyMap<string, SetCompletion>;
  selectedSetId: string | null;
  onOpen: (setId: string) => void;
}

/**
 * The sidebar: every set, grouped by series, newest first. Memoised, because it has many
 * rows (171 sets today) and the app re-renders on every keystroke in the search box.
 */
export const SetList = memo(function SetList({ groups, completions, selectedSetId, onOpen }: Props) {
  if (groups.length === 0) {
    return (
      <p class="empty-note">
        No sets yet. Press <strong>Sync now</strong> to fetch the catalogue.
      </p>
    );
  }
  return (
    <nav class="set-list" aria-label="Sets">
      {groups.map((group) => (
        <section key={group.series} class="series">
          <h2>{group.series}</h2>
          <ul>
            {group.sets.map((set) => (
              <SetRow
                key={set.id}
                set={set}
                completion={completions.get(set.id)}
                selected={set.id === selectedSetId}
                onOpen={onOpen}
              />
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
});

interface RowProps {
  set: SetSummary;
  completion: SetCompletion | undefined;
  selected: boolean;
  onOpen: (setId: string) => void;
}

/** One set in the sidebar. Memoised, so opening a set re-renders two rows, not every row. */
const SetRow = memo(function SetRow({ set, completion, selected, onOpen }: RowProps) {
  return (
    <li>
      <button
        type="button"
        class={`set-row${selected ? " selected" : ""}`}
        data-set-id={set.id}
        onClick={() => onOpen(set.id)}
      >
        <RemoteImage url={set.logo_url} alt={set.name} className="set-logo" />
        <span class="set-text">
          <span class="set-name">{set.name}</span>
          <span class="set-meta">
            {formatDate(set.release_date)} · {set.card_count} cards
            {completion && completion.cards_owned > 0 && ` · ${completion.cards_owned} owned`}
          </span>
          {completion && completion.cards_owned > 0 && (
            <CompletionBar
              label={`${set.name}, cards owned`}
              owned={completion.cards_owned}
              total={completion.cards_total}
              compact
            />
          )}
        </span>
      </button>
    </li>
  );
});

/** Formats a `YYYY-MM-DD` date as `27 May 2022`, leaving other text as it is. */
export function formatDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toLocaleDateString("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
}
