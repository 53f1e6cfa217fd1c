// The only module that talks to the Rust side. Everything else imports its functions and
// types from here, so tests mock one module and no other module imports Tauri (an ESLint rule checks this).

import { Channel } from "@tauri-apps/api/core";
import { open as openDialog, save as saveDialog } from "@tauri-apps/plugin-dialog";
import { commands } from "./bindings";
import type {
  CardOwnership,
  CollectionOverview,
  CopiesUpdate,
  ExportSummary,
  FileFormat,
  ImportCounts,
  ImportMode,
  ImportPlan,
  OwnedMark,
  PriceSeries,
  SetCompletion,
  CardDetail,
  CardSummary,
  CommandError,
  ErrorCode,
  RunHistoryEntry,
  SeriesGroup,
  SetSummary,
  SettingsUpdate,
  SettingsView,
  SyncEvent,
  SyncSummary,
} from "./bindings";

export type {
  Ability,
  Attack,
  CardOwnership,
  CollectionOverview,
  CollectionValue,
  Condition,
  CopiesUpdate,
  EntryView,
  ExportSummary,
  FileFormat,
  Grade,
  ImportCounts,
  ImportMode,
  ImportPlan,
  OwnedCopies,
  OwnedMark,
  PricePoint,
  PriceSeries,
  RowProblem,
  SetCompletion,
  ValuePoint,
  VariationOwnership,
  CardDetail,
  CardSummary,
  CommandError,
  ErrorCode,
  PriceSnapshot,
  RunHistoryEntry,
  SeriesGroup,
  SetSummary,
  SettingsUpdate,
  SettingsView,
  SyncErrorRecord,
  SyncEvent,
  SyncSummary,
  TypeModifier,
} from "./bindings";

/** A failed call, always with a code the UI can branch on. */
export class HostError extends Error {
  readonly code: ErrorCode;

  constructor(error: CommandError) {
    super(error.message);
    this.code = error.code;
  }
}

type Outcome<T> = { status: "ok"; data: T } | { status: "error"; error: CommandError };

/**
 * Unwraps a command's result. Tauri itself rejects with a bare string (an unknown command, a
 * permission the window lacks), which becomes an `internal` error.
 */
async function unwrap<T>(call: Promise<Outcome<T>>): Promise<T> {
  let outcome: Outcome<T>;
  try {
    outcome = await call;
  } catch (error) {
    throw new HostError({ code: "internal", message: String(error) });
  }
  if (outcome.status === "ok") return outcome.data;
  const error: unknown = outcome.error;
  if (typeof error === "object" && error !== null && "code" in error) {
    throw new HostError(error as CommandError);
  }
  throw new HostError({ code: "internal", message: String(error) });
}

export function listSeries(): Promise<SeriesGroup[]> {
  return unwrap(commands.listSeries());
}

export function getSet(setId: string): Promise<SetSummary> {
  return unwrap(commands.getSet(setId));
}

export function listSetCards(setId: string): Promise<CardSummary[]> {
  return unwrap(commands.listSetCards(setId));
}

export function getCard(cardId: string): Promise<CardDetail> {
  return unwrap(commands.getCard(cardId));
}

export function searchCards(text: string): Promise<CardSummary[]> {
  return unwrap(commands.searchCards(text));
}

export function syncHistory(): Promise<RunHistoryEntry[]> {
  return unwrap(commands.syncHistory());
}

/**
 * Starts a sync, or follows the one already running in the app, and calls `onEvent` with each
 * progress event in order. `full` fetches every set, not only those that may have changed.
 * Resolves with the summary when the run ends.
 */
export function startSync(
  full: boolean,
  onEvent: (event: SyncEvent) => void,
): Promise<SyncSummary> {
  const channel = new Channel<SyncEvent>();
  channel.onmessage = onEvent;
  return unwrap(commands.startSync(full, channel));
}

export function cancelSync(): Promise<boolean> {
  return commands.cancelSync();
}

export function getSettings(): Promise<SettingsView> {
  return unwrap(commands.getSettings());
}

export function saveSettings(update: SettingsUpdate): Promise<SettingsView> {
  return unwrap(commands.saveSettings(update));
}

export function cardOwnership(cardId: string): Promise<CardOwnership> {
  return unwrap(commands.cardOwnership(cardId));
}

/** Sets the number of copies of one kind of copy; 0 removes it. Resolves with the card's copies. */
export function setCopies(update: CopiesUpdate): Promise<CardOwnership> {
  return unwrap(commands.setCopies(update));
}

export function setWishlisted(
  cardId: string,
  variationType: string,
  treatment: string,
  wishlisted: boolean,
): Promise<CardOwnership> {
  return unwrap(commands.setWishlisted(cardId, variationType, treatment, wishlisted));
}

export function ownedMarks(setId: string): Promise<OwnedMark[]> {
  return unwrap(commands.ownedMarks(setId));
}

export function setCompletions(): Promise<SetCompletion[]> {
  return unwrap(commands.setCompletions());
}

export function setCompletion(setId: string): Promise<SetCompletion> {
  return unwrap(commands.setCompletion(setId));
}

export function collectionOverview(): Promise<CollectionOverview> {
  return unwrap(commands.collectionOverview());
}

export function cardPriceHistory(cardId: string): Promise<PriceSeries[]> {
  return unwrap(commands.cardPriceHistory(cardId));
}

/** File name suggested in the save dialog for each export format. */
const EXPORT_FILE_NAMES: Record<FileFormat, string> = {
  "holo-csv": "holo-collection.csv",
  "holo-json": "holo-collection.json",
  "tcgplayer-csv": "holo-collection-tcgplayer.csv",
  "collectr-csv": "holo-collection-collectr.csv",
};

/**
 * Asks where to save an export and writes it there. Resolves with `null` when the collector
 * closes the dialog without choosing a file.
 */
export async function exportCollection(
  format: FileFormat,
): Promise<{ path: string; summary: ExportSummary } | null> {
  const extension = format === "holo-json" ? "json" : "csv";
  const path = await saveDialog({
    title: "Export the collection",
    defaultPath: EXPORT_FILE_NAMES[format],
    filters: [{ name: extension.toUpperCase(), extensions: [extension] }],
  });
  if (path === null) return null;
  const summary = await unwrap(commands.exportCollection(format, path));
  return { path, summary };
}

/** Asks for a collection file to import. Resolves with `null` when none was chosen. */
export async function chooseImportFile(): Promise<string | null> {
  const path = await openDialog({
    title: "Import a collection",
    multiple: false,
    directory: false,
    filters: [{ name: "Collection files", extensions: ["csv", "json"] }],
  });
  return typeof path === "string" ? path : null;
}

/** Returns what importing the file would do, without writing anything. */
export function previewImport(path: string, mode: ImportMode): Promise<ImportPlan> {
  return unwrap(commands.previewImport(path, mode));
}

/** Imports the file in one transaction. */
export function importCollection(path: string, mode: ImportMode): Promise<ImportCounts> {
  return unwrap(commands.importCollection(path, mode));
}
