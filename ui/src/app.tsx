import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { CardGrid } from "./components/CardGrid";
import { CardPage } from "./components/CardPage";
import { RemoteImage } from "./components/CardImage";
import { CollectionPage } from "./components/CollectionPage";
import { SetCompletionBars } from "./components/Completion";
import { formatDate, SetList } from "./components/SetList";
import { SettingsPage } from "./components/SettingsPage";
import { SyncHistory, SyncProgressBar, SyncReport } from "./components/SyncPanel";
import * as host from "./host";
import type {
  CardDetail,
  CardSummary,
  OwnedMark,
  RunHistoryEntry,
  SeriesGroup,
  SetCompletion,
  SetSummary,
} from "./host";
import { applyEvent, initialProgress, type SyncProgress } from "./progress";
import { finishTiming, startTiming } from "./timing";

type View =
  | { kind: "overview" }
  | { kind: "set"; setId: string }
  | { kind: "card"; cardId: string }
  | { kind: "collection" }
  | { kind: "settings" };

/** How often the set list reloads while a sync writes sets, in milliseconds. */
const SET_LIST_REFRESH_MS = 1500;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function App() {
  const [groups, setGroups] = useState<SeriesGroup[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  // Set when the database could not be opened at start-up: nothing else can work then.
  const [unavailable, setUnavailable] = useState<string | null>(null);
  const [views, setViews] = useState<View[]>([{ kind: "overview" }]);
  const [searchText, setSearchText] = useState("");
  const view = views[views.length - 1];

  const [completions, setCompletions] = useState<ReadonlyMap<string, SetCompletion>>(new Map());
  // Bumped on every change of the collection, so the views that show it reload.
  const [collectionVersion, setCollectionVersion] = useState(0);

  const reloadCompletions = useCallback(() => {
    host
      .setCompletions()
      .then((loaded) => setCompletions(new Map(loaded.map((completion) => [completion.set_id, completion]))))
      // The set list still works without its bars; the set page shows its own error.
      .catch(() => setCompletions(new Map()));
  }, []);
  const collectionChanged = useCallback(() => {
    setCollectionVersion((version) => version + 1);
    reloadCompletions();
  }, [reloadCompletions]);

  const reloadSets = useCallback(() => {
    reloadCompletions();
    host
      .listSeries()
      .then((loaded) => {
        setGroups(loaded);
        setListError(null);
      })
      .catch((error) => {
        if (error instanceof host.HostError && error.code === "database_unavailable") {
          setUnavailable(error.message);
        } else {
          setListError(errorText(error));
        }
      });
  }, [reloadCompletions]);
  useEffect(reloadSets, [reloadSets]);

  const sync = useSync(reloadSets);

  // Stable callbacks, so the memoised set list does not re-render on every keystroke.
  const open = useCallback((next: View) => {
    setSearchText("");
    setViews((stack) => [...stack, next]);
  }, []);
  const openSet = useCallback(
    (setId: string) => {
      startTiming("openSet");
      open({ kind: "set", setId });
    },
    [open],
  );
  const back = () => setViews((stack) => (stack.length > 1 ? stack.slice(0, -1) : stack));

  if (unavailable !== null) return <DatabaseUnavailable message={unavailable} />;

  const selectedSetId = view.kind === "set" ? view.setId : null;
  return (
    <div class="app">
      <header class="toolbar">
        <button type="button" class="brand" onClick={() => open({ kind: "overview" })}>
          Holo
        </button>
        {views.length > 1 && (
          <button type="button" class="secondary" onClick={back} aria-label="Back">
            ← Back
          </button>
        )}
        <input
          class="search"
          type="search"
          placeholder="Search cards by name"
          aria-label="Search cards by name"
          value={searchText}
          onInput={(event) => {
            startTiming("search");
            setSearchText(event.currentTarget.value);
          }}
        />
        <button
          type="button"
          class="primary sync-now"
          onClick={() => sync.start(false)}
          disabled={sync.running}
        >
          {sync.running ? "Syncing…" : "Sync now"}
        </button>
        <button type="button" class="secondary collection-button" onClick={() => open({ kind: "collection" })}>
          Collection
        </button>
        <button type="button" class="secondary" onClick={() => open({ kind: "settings" })}>
          Settings
        </button>
      </header>
      {sync.progress && (
        <SyncProgressBar
          progress={sync.progress}
          nowMs={sync.nowMs}
          onCancel={sync.cancel}
          onDismiss={sync.dismiss}
          cancelling={sync.cancelling}
        />
      )}
      {sync.error && (
        <p class="error-banner" role="alert" data-code={sync.error.code}>
          {sync.error.message}
        </p>
      )}
      <div class="body">
        <aside class="sidebar">
          {listError && <p class="error-banner">The set list could not load: {listError}</p>}
          {groups === null ? (
            <p class="muted">Loading sets…</p>
          ) : (
            <SetList
              groups={groups}
              completions={completions}
              selectedSetId={selectedSetId}
              onOpen={openSet}
            />
          )}
        </aside>
        <main class="content">
          {searchText.trim() ? (
            <SearchView
              text={searchText}
              onOpen={(cardId) => open({ kind: "card", cardId })}
            />
          ) : (
            <MainView
              view={view}
              sync={sync}
              collectionVersion={collectionVersion}
              onCollectionChanged={collectionChanged}
              onOpenSet={openSet}
              onOpenCard={(cardId) => open({ kind: "card", cardId })}
            />
          )}
        </main>
      </div>
    </div>
  );
}

/** Renders the whole window when the database could not be opened: the reason and nothing to click. */
function DatabaseUnavailable({ message }: { message: string }) {
  return (
    <div class="app">
      <header class="toolbar">
        <span class="brand">Holo</span>
      </header>
      <main class="startup-error" role="alert">
        <h1>Holo cannot open its database</h1>
        <p class="startup-error-message">{message}</p>
        <p class="muted">The file has not been changed. Close Holo, fix the cause and start it again.</p>
      </main>
    </div>
  );
}

interface MainViewProps {
  view: View;
  sync: SyncState;
  collectionVersion: number;
  onCollectionChanged: () => void;
  onOpenSet: (setId: string) => void;
  onOpenCard: (cardId: string) => void;
}

function MainView(props: MainViewProps) {
  const { view, sync, collectionVersion, onCollectionChanged, onOpenSet, onOpenCard } = props;
  switch (view.kind) {
    case "overview":
      return <Overview sync={sync} />;
    case "set":
      return (
        <SetView
          key={view.setId}
          setId={view.setId}
          collectionVersion={collectionVersion}
          onOpenCard={onOpenCard}
        />
      );
    case "card":
      return (
        <CardView
          key={view.cardId}
          cardId={view.cardId}
          onOpenSet={onOpenSet}
          onCollectionChanged={onCollectionChanged}
        />
      );
    case "collection":
      return (
        <CollectionPage
          version={collectionVersion}
          onOpenCard={onOpenCard}
          onChanged={onCollectionChanged}
        />
      );
    case "settings":
      return <SettingsView />;
  }
}

/**
 * Loads a value again whenever `deps` change, keeping its error as text. With `keepPrevious`
 * the last value stays on screen until the new one arrives, so typing does not blank results.
 */
function useLoad<T>(load: () => Promise<T>, deps: unknown[], keepPrevious = false) {
  const [state, setState] = useState<{ value?: T; error?: string }>({});
  // A layout effect sends the request as soon as the view is in the DOM, one painted frame
  // earlier than a plain effect would.
  useLayoutEffect(() => {
    let current = true;
    if (!keepPrevious) setState({});
    load()
      .then((value) => current && setState({ value }))
      .catch((error) => current && setState({ error: errorText(error) }));
    return () => {
      current = false;
    };
  }, deps);
  return state;
}

function Overview({ sync }: { sync: SyncState }) {
  const history = useLoad<RunHistoryEntry[]>(host.syncHistory, [sync.finishedRuns]);
  return (
    <div class="overview">
      <h1>Your catalogue</h1>
      <p class="muted">
        Choose a set on the left, or search for a card by name. Everything here reads from the
        database on this computer, so it works offline.
      </p>
      <section class="sync-panel">
        <h2>Sync</h2>
        <p class="muted">
          Sync now fetches the sets that are new, changed, left incomplete or not checked for a
          week. A full re-check fetches every set again; it takes longer and still rewrites only
          the cards that differ.
        </p>
        <button
          type="button"
          class="secondary full-recheck"
          onClick={() => sync.start(true)}
          disabled={sync.running}
        >
          Full re-check
        </button>
      </section>
      {sync.lastSummary && <SyncReport summary={sync.lastSummary} />}
      <h2>Sync history</h2>
      {history.error && <p class="error-banner">The sync history could not load: {history.error}</p>}
      {history.value && <SyncHistory runs={history.value} />}
    </div>
  );
}

/** The grid filters of a set page. */
type CardFilter = "all" | "owned" | "missing" | "duplicates" | "wishlist";

const FILTERS: { filter: CardFilter; label: string }[] = [
  { filter: "all", label: "All" },
  { filter: "owned", label: "Owned" },
  { filter: "missing", label: "Missing" },
  { filter: "duplicates", label: "Duplicates" },
  { filter: "wishlist", label: "Wishlist" },
];

/** Returns whether a card passes `filter`, given its mark (none for a card neither owned nor wished). */
function passes(filter: CardFilter, mark: OwnedMark | undefined): boolean {
  const quantity = mark?.quantity ?? 0;
  switch (filter) {
    case "all":
      return true;
    case "owned":
      return quantity > 0;
    case "missing":
      return quantity === 0;
    case "duplicates":
      return quantity > 1;
    case "wishlist":
      return mark?.wishlisted ?? false;
  }
}

interface SetViewProps {
  setId: string;
  collectionVersion: number;
  onOpenCard: (id: string) => void;
}

function SetView({ setId, collectionVersion, onOpenCard }: SetViewProps) {
  const set = useLoad<SetSummary>(() => host.getSet(setId), [setId]);
  const cards = useLoad<CardSummary[]>(() => host.listSetCards(setId), [setId]);
  const marks = useLoad<ReadonlyMap<string, OwnedMark>>(
    () => host.ownedMarks(setId).then((loaded) => new Map(loaded.map((mark) => [mark.card_id, mark]))),
    [setId, collectionVersion],
    true,
  );
  const completion = useLoad<SetCompletion>(() => host.setCompletion(setId), [setId, collectionVersion], true);
  const [filter, setFilter] = useState<CardFilter>("all");
  useLayoutEffect(() => {
    if (cards.value) finishTiming("openSet");
  }, [cards.value]);
  // A stable array for an unchanged filter, so the grid does not start its batches again.
  const shownCards = useMemo(
    () => cards.value?.filter((card) => passes(filter, marks.value?.get(card.id))),
    [cards.value, marks.value, filter],
  );

  if (set.error) return <p class="error-banner">{set.error}</p>;
  if (cards.error) return <p class="error-banner">The cards could not load: {cards.error}</p>;
  return (
    <div class="set-view">
      {set.value && (
        <header class="set-header">
          <RemoteImage url={set.value.logo_url} alt={set.value.name} className="set-header-logo" />
          <div>
            <h1 class="set-title">{set.value.name}</h1>
            <p class="muted">
              {set.value.series} · released {formatDate(set.value.release_date)} ·{" "}
              {set.value.card_count} cards
            </p>
            {completion.value && <SetCompletionBars completion={completion.value} />}
            {completion.error && (
              <p class="error-banner">The set's completion could not load: {completion.error}</p>
            )}
          </div>
        </header>
      )}
      {marks.error && <p class="error-banner">Your copies could not load: {marks.error}</p>}
      <div class="filters" role="group" aria-label="Show cards">
        {FILTERS.map((option) => (
          <button
            key={option.filter}
            type="button"
            class="filter-chip"
            data-filter={option.filter}
            aria-pressed={filter === option.filter}
            onClick={() => setFilter(option.filter)}
          >
            {option.label}
          </button>
        ))}
      </div>
      {cards.value === undefined || shownCards === undefined ? (
        <p class="muted">Loading cards…</p>
      ) : cards.value.length === 0 ? (
        <p class="muted">No cards of this set are stored yet. Sync to fetch them.</p>
      ) : shownCards.length === 0 ? (
        <p class="muted">No cards of this set match this filter.</p>
      ) : (
        <CardGrid cards={shownCards} marks={marks.value} onOpen={onOpenCard} />
      )}
    </div>
  );
}

interface CardViewProps {
  cardId: string;
  onOpenSet: (id: string) => void;
  onCollectionChanged: () => void;
}

function CardView({ cardId, onOpenSet, onCollectionChanged }: CardViewProps) {
  const card = useLoad<CardDetail>(() => host.getCard(cardId), [cardId]);
  if (card.error) return <p class="error-banner">{card.error}</p>;
  if (!card.value) return <p class="muted">Loading the card…</p>;
  return <CardPage card={card.value} onOpenSet={onOpenSet} onCollectionChanged={onCollectionChanged} />;
}

function SearchView({ text, onOpen }: { text: string; onOpen: (cardId: string) => void }) {
  // Each result remembers its query, so a title never pairs old results with newer text.
  const results = useLoad(
    () => host.searchCards(text).then((cards) => ({ query: text.trim(), cards })),
    [text],
    true,
  );
  useLayoutEffect(() => {
    if (results.value) finishTiming("search");
  }, [results.value]);

  if (results.error) return <p class="error-banner">The search failed: {results.error}</p>;
  if (!results.value) return <p class="muted">Searching…</p>;
  const { query, cards } = results.value;
  return (
    <div class="search-view">
      <h1 class="search-title">
        {cards.length === 0
          ? `No card names match “${query}”`
          : `${cards.length}${cards.length >= 200 ? "+" : ""} cards match “${query}”`}
      </h1>
      <CardGrid cards={cards} showSet onOpen={onOpen} />
    </div>
  );
}

function SettingsView() {
  const [settings, setSettings] = useState<host.SettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    host.getSettings().then(setSettings, (failure) => setError(errorText(failure)));
  }, []);
  if (error) return <p class="error-banner">The settings could not load: {error}</p>;
  if (!settings) return <p class="muted">Loading the settings…</p>;
  return <SettingsPage settings={settings} onSaved={setSettings} />;
}

interface SyncState {
  running: boolean;
  cancelling: boolean;
  progress: SyncProgress | null;
  lastSummary: host.SyncSummary | null;
  error: host.HostError | null;
  /** Counts finished runs, so views that list runs know when to reload. */
  finishedRuns: number;
  nowMs: number;
  /** Starts a sync; `full` fetches every set instead of the ones that may have changed. */
  start: (full: boolean) => void;
  cancel: () => void;
  /** Hides the progress strip of a finished run. */
  dismiss: () => void;
}

/** Runs syncs and folds their events into progress. `onSetsChanged` reloads the set list. */
function useSync(onSetsChanged: () => void): SyncState {
  const [running, setRunning] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const [lastSummary, setLastSummary] = useState<host.SyncSummary | null>(null);
  const [error, setError] = useState<host.HostError | null>(null);
  const [finishedRuns, setFinishedRuns] = useState(0);
  const [nowMs, setNowMs] = useState(Date.now());
  const lastRefresh = useRef(0);

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNowMs(Date.now()), 500);
    return () => clearInterval(timer);
  }, [running]);

  const start = (full: boolean) => {
    setRunning(true);
    setCancelling(false);
    setError(null);
    setProgress(initialProgress(Date.now()));
    host
      .startSync(full, (event) => {
        setProgress((current) => applyEvent(current ?? initialProgress(Date.now()), event));
        if (event.event === "set_finished" && Date.now() - lastRefresh.current > SET_LIST_REFRESH_MS) {
          lastRefresh.current = Date.now();
          onSetsChanged();
        }
      })
      .then((summary) => setLastSummary(summary))
      .catch((failure) => {
        // A sync that could not start leaves no progress to show, only the reason.
        setProgress(null);
        setError(
          failure instanceof host.HostError
            ? failure
            : new host.HostError({ code: "internal", message: errorText(failure) }),
        );
      })
      .finally(() => {
        setRunning(false);
        setFinishedRuns((count) => count + 1);
        onSetsChanged();
      });
  };

  const cancel = () => {
    setCancelling(true);
    void host.cancelSync();
  };

  const dismiss = () => setProgress(null);

  return {
    running,
    cancelling,
    progress,
    lastSummary,
    error,
    finishedRuns,
    nowMs,
    start,
    cancel,
    dismiss,
  };
}
