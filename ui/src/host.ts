// The only module that talks to the Rust side. Everything else imports its functions and
// types from here, so tests mock one module and no other module imports Tauri (an ESLint rule checks this).

import { Channel } from "@tauri-apps/api/core";
import { commands } from "./bindings";
import type {
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
