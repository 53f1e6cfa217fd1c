// Mocks of the Rust side shared by the UI tests: a small catalogue and a command router.

import { mockIPC } from "@tauri-apps/api/mocks";
import type { CardSummary, SeriesGroup, SetSummary } from "./bindings";

export const astralRadiance: SetSummary = {
  id: "swsh10",
  name: "Astral Radiance",
  series: "Sword & Shield",
  release_date: "2022-05-27",
  printed_total: 189,
  card_count: 2,
  logo_url: null,
  symbol_url: null,
};

export const groups: SeriesGroup[] = [{ series: "Sword & Shield", sets: [astralRadiance] }];

export function card(number: string, name: string): CardSummary {
  return {
    id: `swsh10-${number}`,
    set_id: "swsh10",
    set_name: "Astral Radiance",
    name,
    number,
    rarity: "Rare",
    image_small: null,
  };
}

export type Handler = (args: Record<string, unknown>) => unknown;

export function mockCommands(handlers: Record<string, Handler>) {
  mockIPC((command, args) => {
    const handler = handlers[command];
    if (!handler) throw new Error(`unexpected command ${command}`);
    return handler((args ?? {}) as Record<string, unknown>);
  });
}

export const browsing: Record<string, Handler> = {
  list_series: () => groups,
  set_completions: () => [],
  set_completion: () => ({
    set_id: "swsh10",
    set_name: "Astral Radiance",
    cards_owned: 0,
    cards_total: 2,
    variations_owned: 0,
    variations_total: 3,
  }),
  owned_marks: () => [],
  sync_history: () => [],
  get_set: () => astralRadiance,
  list_set_cards: () => [card("1", "Hisuian Lilligant V"), card("190", "Hisuian Lilligant VSTAR")],
  search_cards: (args) =>
    String(args.text).toLowerCase().startsWith("lilli") ? [card("190", "Hisuian Lilligant VSTAR")] : [],
};

