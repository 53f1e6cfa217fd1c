import "../collection.css";
import { memo } from "preact/compat";
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import {
  chooseImportFile,
  collectionOverview,
  exportCollection,
  HostError,
  importCollection,
  previewImport,
  type CollectionOverview,
  type CollectionValue,
  type EntryView,
  type ExportSummary,
  type FileFormat,
  type ImportCounts,
  type ImportMode,
  type ImportPlan,
  type RowProblem,
  type ValuePoint,
} from "../host";
import { formatDollars, LineChart } from "./LineChart";
import { formatDate } from "./SetList";

interface Props {
  /** Bumped by the app whenever the collection changed elsewhere (a card page), so the page reloads. */
  version: number;
  onOpenCard: (cardId: string) => void;
  /** Called after an import wrote something, so the app reloads completion figures elsewhere. */
  onChanged: () => void;
}

/**
 * The maximum number of rows a table renders until the collector requests all of them, so a
 * collection of tens of thousands of entries does not block the page while the webview lays
 * them out.
 */
const ROW_LIMIT = 500;

const FORMAT_NAMES: Record<FileFormat, string> = {
  "holo-csv": "Holo CSV",
  "holo-json": "Holo JSON",
  "tcgplayer-csv": "TCGplayer CSV",
  "collectr-csv": "Collectr CSV",
};

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Returns `1 entry` or `2 entries`, with the count grouped by thousands. */
function countOf(count: number, singular: string, plural: string): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? singular : plural}`;
}

/** Renders the collection page: value, value over time, export, import and every entry. */
export function CollectionPage({ version, onOpenCard, onChanged }: Props) {
  const { overview, error, reload } = useOverview(version);

  const imported = useCallback(() => {
    onChanged();
    reload();
  }, [onChanged, reload]);

  const empty = overview !== undefined && overview.entries.length === 0;
  return (
    <div class="collection-page">
      <h1>Your collection</h1>
      {error && <p class="error-banner" role="alert">The collection could not load: {error}</p>}
      {overview === undefined && !error && <p class="muted">Loading your collection…</p>}
      {empty && (
        <p class="collection-empty">
          No cards in your collection yet. Open a card and press + next to a variation, or import a
          file from TCGplayer, Collectr or Holo.
        </p>
      )}
      {overview !== undefined && !empty && (
        <>
          <ValueSummary value={overview.value} />
          <ValueHistory history={overview.history} />
        </>
      )}
      <div class="collection-tools">
        {!empty && <ExportPanel />}
        <ImportPanel onImported={imported} />
      </div>
      {overview !== undefined && !empty && (
        <EntriesTable entries={overview.entries} onOpenCard={onOpenCard} />
      )}
    </div>
  );
}

/**
 * Loads the overview whenever `version` changes or `reload` is called. The last overview stays
 * on screen while the next one loads, and also when loading it fails.
 */
function useOverview(version: number) {
  const [state, setState] = useState<{ overview?: CollectionOverview; error?: string }>({});
  const [reloads, setReloads] = useState(0);

  useLayoutEffect(() => {
    let current = true;
    collectionOverview().then(
      (overview) => current && setState({ overview }),
      (failure) => current && setState((previous) => ({ ...previous, error: errorText(failure) })),
    );
    return () => {
      current = false;
    };
  }, [version, reloads]);

  const reload = useCallback(() => setReloads((count) => count + 1), []);
  return { ...state, reload };
}

function ValueSummary({ value }: { value: CollectionValue }) {
  const stale = value.stale_entries;
  const unpriced = value.entries_without_price;
  const staleText =
    stale === 1
      ? "1 entry has a price more than a month old."
      : `${countOf(stale, "entry", "entries")} have prices more than a month old.`;
  const unpricedText =
    unpriced === 1
      ? "1 entry has no price, so the total leaves it out."
      : `${countOf(unpriced, "entry", "entries")} have no price, so the total leaves them out.`;

  return (
    <section class="collection-value">
      <p class="collection-total">
        <span class="collection-total-amount">{formatDollars(value.total_cents)}</span>
        <span class="muted"> market value</span>
      </p>
      <p class="collection-counts">
        {countOf(value.copies, "copy", "copies")} in {countOf(value.entries, "entry", "entries")}
        {" · "}
        {priceDatesText(value)}
      </p>
      {stale > 0 && (
        <p class="stale-note">
          <span class="stale-mark">Old prices</span> {staleText} Sync to fetch newer prices.
        </p>
      )}
      {unpriced > 0 && <p class="unpriced-note muted">{unpricedText}</p>}
    </section>
  );
}

function priceDatesText(value: CollectionValue): string {
  const oldest = value.oldest_price_date;
  const newest = value.newest_price_date;
  if (oldest === null || newest === null) return "no prices yet";
  if (oldest === newest) return `prices from ${formatDate(oldest)}`;
  return `prices from ${formatDate(oldest)} to ${formatDate(newest)}`;
}

function ValueHistory({ history }: { history: ValuePoint[] }) {
  const series = useMemo(
    () => [
      {
        label: "Collection value",
        points: history.map((point) => ({ date: point.price_date, cents: point.total_cents })),
      },
    ],
    [history],
  );
  return (
    <section class="collection-history">
      <h2>Value over time</h2>
      <LineChart series={series} ariaLabel="Market value of the collection over time" />
    </section>
  );
}

const EXPORT_BUTTONS: { format: FileFormat; label: string }[] = [
  { format: "holo-csv", label: "Export CSV" },
  { format: "holo-json", label: "Export JSON" },
  { format: "tcgplayer-csv", label: "Export for TCGplayer" },
];

function ExportPanel() {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ path: string; summary: ExportSummary } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const start = (format: FileFormat) => {
    setBusy(true);
    setResult(null);
    setError(null);
    exportCollection(format)
      .then(setResult)
      .catch((failure) => setError(errorText(failure)))
      .finally(() => setBusy(false));
  };

  return (
    <section class="collection-export">
      <h2>Export</h2>
      <p class="muted">
        Holo CSV and JSON files keep everything, the wishlist included, and Holo imports them back.
        The TCGplayer file has no grades, prices, notes or wishlist.
      </p>
      <div class="collection-buttons">
        {EXPORT_BUTTONS.map(({ format, label }) => (
          <button
            key={format}
            type="button"
            class={`secondary export-${format}`}
            disabled={busy}
            onClick={() => start(format)}
          >
            {label}
          </button>
        ))}
      </div>
      {result && <ExportResult path={result.path} summary={result.summary} />}
      {error && (
        <p class="error-banner" role="alert">
          The export failed: {error}
        </p>
      )}
    </section>
  );
}

function ExportResult({ path, summary }: { path: string; summary: ExportSummary }) {
  const skipped = countOf(summary.skipped, "wishlist-only row", "wishlist-only rows");
  return (
    <p class="export-result notice" role="status">
      Exported {countOf(summary.written, "entry", "entries")} to {path}.
      {summary.skipped > 0 && ` ${skipped} left out, because the format has no wishlist.`}
    </p>
  );
}

/** The file being previewed and the plan for it, once the preview arrived. */
interface PendingImport {
  path: string;
  mode: ImportMode;
  plan: ImportPlan | null;
}

function ImportPanel({ onImported }: { onImported: () => void }) {
  const [pending, setPending] = useState<PendingImport | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportCounts | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Numbers each preview request, so a late response to an older request is dropped.
  const latestPreview = useRef(0);

  const preview = (path: string, mode: ImportMode) => {
    const request = ++latestPreview.current;
    setPending({ path, mode, plan: null });
    setError(null);
    previewImport(path, mode).then(
      (plan) => {
        if (request === latestPreview.current) setPending({ path, mode, plan });
      },
      (failure) => {
        if (request !== latestPreview.current) return;
        setPending(null);
        setError(`The file could not be previewed: ${errorText(failure)}`);
      },
    );
  };

  const choose = () => {
    setBusy(true);
    setResult(null);
    setError(null);
    chooseImportFile()
      .then((path) => {
        if (path !== null) preview(path, "replace");
      })
      .catch((failure) => setError(`The file dialog failed to open: ${errorText(failure)}`))
      .finally(() => setBusy(false));
  };

  const cancel = () => {
    latestPreview.current += 1;
    setPending(null);
  };

  const confirm = (plan: ImportPlan, path: string) => {
    setBusy(true);
    setError(null);
    importCollection(path, plan.mode)
      .then((counts) => {
        setPending(null);
        setResult(counts);
        if (counts.added + counts.merged + counts.wishlisted > 0) onImported();
      })
      .catch((failure) => {
        if (failure instanceof HostError && failure.code === "conflict") {
          // The plan on screen no longer matches the collection, so it is made again.
          preview(path, plan.mode);
          setError(
            "The collection changed since the preview, so nothing was imported. " +
              "Check the new preview and press Import again.",
          );
        } else {
          setError(`The import failed, so the collection is unchanged: ${errorText(failure)}`);
        }
      })
      .finally(() => setBusy(false));
  };

  return (
    <section class="collection-import">
      <h2>Import</h2>
      <p class="muted">
        Holo reads its own CSV and JSON files and the CSV exports of TCGplayer and Collectr. You
        see what the file would change before anything is written.
      </p>
      <button type="button" class="secondary import-file" disabled={busy} onClick={choose}>
        Import a file…
      </button>
      {error && (
        <p class="error-banner" role="alert">
          {error}
        </p>
      )}
      {pending && (
        <ImportPreview
          pending={pending}
          busy={busy}
          onModeChange={(mode) => preview(pending.path, mode)}
          onConfirm={(plan) => confirm(plan, pending.path)}
          onCancel={cancel}
        />
      )}
      {result && <ImportResult counts={result} />}
    </section>
  );
}

interface PreviewProps {
  pending: PendingImport;
  busy: boolean;
  onModeChange: (mode: ImportMode) => void;
  onConfirm: (plan: ImportPlan) => void;
  onCancel: () => void;
}

function ImportPreview({ pending, busy, onModeChange, onConfirm, onCancel }: PreviewProps) {
  const { plan } = pending;
  const writes = plan ? plan.added.length + plan.merged.length + plan.wishlisted.length : 0;
  return (
    <section class="import-preview" aria-busy={plan === null}>
      <h3>
        Preview of <span class="import-path">{pending.path}</span>
      </h3>
      {plan === null ? (
        <p class="muted">Reading the file…</p>
      ) : (
        <>
          <PlanCounts plan={plan} />
          <p class="muted">
            {plan.mode === "add"
              ? "The file's copies are added to the entries you already have."
              : "Entries you already have get the file's number of copies."}
          </p>
          {writes === 0 && <p class="muted">Nothing in this file can be imported.</p>}
          <ProblemTable unmatched={plan.unmatched} unreadable={plan.unreadable} />
        </>
      )}
      <label class="import-mode">
        <input
          type="checkbox"
          class="import-add"
          checked={pending.mode === "add"}
          disabled={busy}
          onChange={(event) => onModeChange(event.currentTarget.checked ? "add" : "replace")}
        />
        Add the file's copies to those I have (instead of setting the counts)
      </label>
      <div class="collection-buttons">
        <button
          type="button"
          class="primary import-confirm"
          disabled={busy || plan === null || writes === 0}
          onClick={() => plan && onConfirm(plan)}
        >
          Import
        </button>
        <button type="button" class="secondary import-cancel" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}

function PlanCounts({ plan }: { plan: ImportPlan }) {
  const counts: [string, string][] = [
    ["Format", FORMAT_NAMES[plan.format] ?? plan.format],
    ["Rows", plan.rows.toLocaleString("en-US")],
    ["Entries to add", plan.added.length.toLocaleString("en-US")],
    ["Entries to merge", plan.merged.length.toLocaleString("en-US")],
    ["Variations to wishlist", plan.wishlisted.length.toLocaleString("en-US")],
    ["Unmatched rows", plan.unmatched.length.toLocaleString("en-US")],
    ["Unreadable rows", plan.unreadable.length.toLocaleString("en-US")],
  ];
  return (
    <dl class="count-grid import-counts">
      {counts.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

interface ProblemTableProps {
  unmatched: RowProblem[];
  unreadable: RowProblem[];
}

/** Lists the rows an import leaves out, in file order. */
function ProblemTable({ unmatched, unreadable }: ProblemTableProps) {
  const problems = useMemo(
    () =>
      [
        ...unmatched.map((problem) => ({ ...problem, kind: "Unmatched" })),
        ...unreadable.map((problem) => ({ ...problem, kind: "Unreadable" })),
      ].sort((a, b) => a.line - b.line),
    [unmatched, unreadable],
  );
  const [showAll, setShowAll] = useState(false);
  if (problems.length === 0) return null;

  const shown = showAll ? problems : problems.slice(0, ROW_LIMIT);
  return (
    <>
      <table class="import-problems">
        <caption>{countOf(problems.length, "row is", "rows are")} left out</caption>
        <thead>
          <tr>
            <th>Line</th>
            <th>Problem</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((problem, index) => (
            <tr key={index}>
              <td class="number">{problem.line}</td>
              <td>{problem.kind}</td>
              <td>{problem.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length < problems.length && (
        <button type="button" class="secondary show-all" onClick={() => setShowAll(true)}>
          Show all {problems.length.toLocaleString("en-US")} rows
        </button>
      )}
    </>
  );
}

function ImportResult({ counts }: { counts: ImportCounts }) {
  const leftOut = counts.unmatched + counts.unreadable;
  const unmatched = counts.unmatched.toLocaleString("en-US");
  const unreadable = counts.unreadable.toLocaleString("en-US");
  return (
    <p class="import-result notice" role="status">
      Import finished: {countOf(counts.added, "entry", "entries")} added,{" "}
      {countOf(counts.merged, "entry", "entries")} merged,{" "}
      {countOf(counts.wishlisted, "variation", "variations")} put on the wishlist.
      {leftOut > 0 &&
        ` ${countOf(leftOut, "row was", "rows were")} left out` +
          ` (${unmatched} unmatched, ${unreadable} unreadable).`}
    </p>
  );
}

interface TableProps {
  entries: EntryView[];
  onOpenCard: (cardId: string) => void;
}

/**
 * Every entry in collection order, filtered by card or set name. Memoised, because it renders
 * up to 500 rows or all of them, and the import and export panels re-render on every step.
 */
const EntriesTable = memo(function EntriesTable({ entries, onOpenCard }: TableProps) {
  const [filter, setFilter] = useState("");
  const [showAll, setShowAll] = useState(false);

  // Folded once per load, so a keystroke only compares strings.
  const searchKeys = useMemo(
    () => entries.map((entry) => foldForSearch(`${entry.card_name}\n${entry.set_name}`)),
    [entries],
  );
  const matches = useMemo(() => {
    const query = foldForSearch(filter.trim());
    if (query === "") return entries;
    return entries.filter((_, index) => searchKeys[index].includes(query));
  }, [entries, searchKeys, filter]);
  const shown = showAll ? matches : matches.slice(0, ROW_LIMIT);

  return (
    <section class="collection-entries">
      <h2>Entries</h2>
      <input
        class="collection-filter"
        type="search"
        placeholder="Filter by card or set name"
        aria-label="Filter by card or set name"
        value={filter}
        onInput={(event) => setFilter(event.currentTarget.value)}
      />
      <p class="muted collection-shown">
        {shownText(entries.length, matches.length, shown.length)}
      </p>
      <table class="collection-table">
        <thead>
          <tr>
            <th>Card</th>
            <th>Set</th>
            <th>Number</th>
            <th>Variation</th>
            <th>Condition</th>
            <th>Language</th>
            <th class="number">Qty</th>
            <th class="number">Market price</th>
            <th class="number">Value</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((entry) => (
            <EntryRow key={entry.entry_id} entry={entry} onOpenCard={onOpenCard} />
          ))}
        </tbody>
      </table>
      {shown.length < matches.length && (
        <button type="button" class="secondary show-all" onClick={() => setShowAll(true)}>
          Show all {matches.length.toLocaleString("en-US")} entries
        </button>
      )}
    </section>
  );
});

/** Returns the line above the table: how many entries match the filter and how many show. */
function shownText(total: number, matching: number, shown: number): string {
  const totalText = countOf(total, "entry", "entries");
  let matchText = totalText;
  if (matching === 0) {
    matchText = "No entry matches the filter";
  } else if (matching !== total) {
    matchText = `${matching.toLocaleString("en-US")} of ${totalText} match the filter`;
  }
  if (shown === matching) return `${matchText}.`;
  return `${matchText}, showing the first ${shown.toLocaleString("en-US")}.`;
}

/** Lower-cases text and strips accents, so "pokemon" finds "Pokémon". */
function foldForSearch(text: string): string {
  return text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();
}

interface RowProps {
  entry: EntryView;
  onOpenCard: (cardId: string) => void;
}

function EntryRow({ entry, onOpenCard }: RowProps) {
  // "Standard" is the type of most cards, so only the other types are worth the space.
  const variationType = entry.variation_type === "Standard" ? "" : entry.variation_type;
  const variation = [variationType, entry.treatment].filter((part) => part !== "").join(" · ");
  const grade = entry.grade ? ` · ${entry.grade.company} ${entry.grade.grade}` : "";
  return (
    <tr>
      <td>
        <button type="button" class="link card-link" onClick={() => onOpenCard(entry.card_id)}>
          {entry.card_name}
        </button>
        {entry.delisted && (
          <span class="entry-mark" title="The card API no longer lists this card.">
            no longer listed
          </span>
        )}
      </td>
      <td>{entry.set_name}</td>
      <td>{entry.number}</td>
      <td>
        {variation}
        {entry.variation_retired && (
          <span class="entry-mark" title="The card's latest data no longer has this variation.">
            retired variation
          </span>
        )}
      </td>
      <td>
        {entry.condition}
        {grade}
      </td>
      <td>{entry.language}</td>
      <td class="number">{entry.quantity.toLocaleString("en-US")}</td>
      <td class="number">
        <MarketPrice entry={entry} />
      </td>
      <td class="number">
        {entry.market_price_cents === null
          ? "—"
          : formatDollars(entry.quantity * entry.market_price_cents)}
      </td>
    </tr>
  );
}

function MarketPrice({ entry }: { entry: EntryView }) {
  if (entry.market_price_cents === null) return <>—</>;
  const title = entry.market_price_date
    ? `Market price on ${formatDate(entry.market_price_date)}`
    : "Market price";
  return (
    <span class="market-price" title={title}>
      {formatDollars(entry.market_price_cents)}
      {entry.stale && <span class="stale-mark">old price</span>}
    </span>
  );
}
