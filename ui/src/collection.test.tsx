import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it, vi } from "vitest";
import type {
  CollectionOverview,
  EntryView,
  ExportSummary,
  ImportCounts,
  ImportMode,
  ImportPlan,
  PlannedEntry,
} from "./bindings";
import { CollectionPage } from "./components/CollectionPage";
import { LineChart } from "./components/LineChart";

function entry(overrides: Partial<EntryView>): EntryView {
  return {
    entry_id: 1,
    card_id: "swsh10-46",
    card_name: "Origin Forme Palkia V",
    number: "39",
    rarity: "Rare Holo V",
    set_id: "swsh10",
    set_name: "Astral Radiance",
    image_small: null,
    variation_type: "V",
    treatment: "Holofoil",
    printing: "holofoil",
    condition: "Near Mint",
    grade: null,
    language: "English",
    quantity: 1,
    purchase_price_cents: null,
    purchase_currency: null,
    note: null,
    added_at: "2026-11-20T10:00:00Z",
    market_price_cents: 250,
    market_price_date: "2026-12-01",
    stale: false,
    delisted: false,
    variation_retired: false,
    wishlisted: false,
    ...overrides,
  };
}

const entries: EntryView[] = [
  entry({ entry_id: 1, quantity: 2 }),
  entry({
    entry_id: 2,
    card_id: "base1-4",
    card_name: "Charizard",
    number: "4",
    set_id: "base1",
    set_name: "Base",
    variation_type: "Standard",
    treatment: "Holofoil",
    grade: { company: "PSA", grade: "10" },
    market_price_cents: 3_500_000,
    market_price_date: "2026-10-01",
    stale: true,
  }),
  entry({
    entry_id: 3,
    card_id: "sv3pt5-1",
    card_name: "Bulbasaur",
    number: "1",
    set_id: "sv3pt5",
    set_name: "151",
    variation_type: "Standard",
    treatment: "Reverse Holofoil",
    market_price_cents: null,
    market_price_date: null,
    delisted: true,
    variation_retired: true,
  }),
];

function overview(overrides: Partial<CollectionOverview> = {}): CollectionOverview {
  return {
    entries,
    value: {
      total_cents: 3_500_500,
      entries: 3,
      copies: 4,
      entries_without_price: 1,
      stale_entries: 1,
      oldest_price_date: "2026-10-01",
      newest_price_date: "2026-12-01",
    },
    history: [
      { price_date: "2026-10-01", total_cents: 3_000_000, entries_priced: 1 },
      { price_date: "2026-12-01", total_cents: 3_500_500, entries_priced: 2 },
    ],
    ...overrides,
  };
}

const emptyOverview: CollectionOverview = {
  entries: [],
  value: {
    total_cents: 0,
    entries: 0,
    copies: 0,
    entries_without_price: 0,
    stale_entries: 0,
    oldest_price_date: null,
    newest_price_date: null,
  },
  history: [],
};

function planned(line: number, cardId: string): PlannedEntry {
  return {
    lines: [line],
    card_id: cardId,
    variation_id: line,
    variation_type: "Standard",
    treatment: "Normal",
    condition: "Near Mint",
    grade: null,
    language: "English",
    quantity_before: 0,
    quantity: 1,
    purchase: null,
    note: null,
    added_at: null,
  };
}

function plan(mode: ImportMode, overrides: Partial<ImportPlan> = {}): ImportPlan {
  return {
    format: "tcgplayer-csv",
    mode,
    rows: 3,
    added: [planned(2, "sv3pt5-1"), planned(3, "sv3pt5-2")],
    merged: [],
    wishlisted: [],
    unmatched: [{ line: 7, reason: "no card named “Missingno” in set Base" }],
    unreadable: [],
    ...overrides,
  };
}

type Handler = (args: Record<string, unknown>) => unknown;

/** Mocks the IPC commands. Any other command rejects the call, so a test that sends one fails. */
function mockCommands(handlers: Record<string, Handler>) {
  mockIPC((command, args) => {
    const handler = handlers[command];
    if (!handler) throw new Error(`unexpected command ${command}`);
    return handler((args ?? {}) as Record<string, unknown>);
  });
}

function renderPage(onOpenCard = () => {}, onChanged = () => {}) {
  return render(<CollectionPage version={0} onOpenCard={onOpenCard} onChanged={onChanged} />);
}

function bodyRows(): HTMLTableRowElement[] {
  return Array.from(document.querySelectorAll<HTMLTableRowElement>(".collection-table tbody tr"));
}

function element<T extends Element>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`no element matches ${selector}`);
  return found;
}

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("collection page", () => {
  it("shows the value summary", async () => {
    mockCommands({ collection_overview: () => overview() });
    renderPage();

    const summary = await waitFor(() => element(".collection-value"));
    expect(summary.textContent).toContain("$35,005.00");
    expect(summary.textContent).toContain("4 copies in 3 entries");
    expect(summary.textContent).toContain("prices from 1 Oct 2026 to 1 Dec 2026");
    expect(summary.querySelector(".stale-mark")).not.toBeNull();
    expect(summary.textContent).toContain("1 entry has a price more than a month old");
    expect(summary.textContent).toContain("1 entry has no price");
  });

  it("names a single price date", async () => {
    const value = { ...overview().value, oldest_price_date: "2026-12-01", stale_entries: 0 };
    mockCommands({ collection_overview: () => overview({ value }) });
    renderPage();

    const summary = await waitFor(() => element(".collection-value"));
    expect(summary.textContent).toContain("prices from 1 Dec 2026");
    expect(summary.textContent).not.toContain(" to ");
    expect(summary.querySelector(".stale-mark")).toBeNull();
  });

  it("renders a row per entry", async () => {
    mockCommands({ collection_overview: () => overview() });
    renderPage();

    await waitFor(() => expect(bodyRows()).toHaveLength(3));
    const cells = (row: HTMLTableRowElement) =>
      Array.from(row.querySelectorAll("td")).map((cell) => cell.textContent);
    const [palkia, charizard, bulbasaur] = bodyRows();

    expect(cells(palkia)).toEqual([
      "Origin Forme Palkia V",
      "Astral Radiance",
      "39",
      "V · Holofoil",
      "Near Mint",
      "English",
      "2",
      "$2.50",
      "$5.00",
    ]);
    expect(cells(charizard)[3]).toBe("Holofoil");
    expect(cells(charizard)[4]).toBe("Near Mint · PSA 10");
    expect(cells(charizard)[7]).toContain("old price");
    expect(charizard.querySelector(".market-price")?.getAttribute("title")).toBe(
      "Market price on 1 Oct 2026",
    );
    expect(cells(bulbasaur)[0]).toContain("no longer listed");
    expect(cells(bulbasaur)[3]).toContain("retired variation");
    expect(cells(bulbasaur)[7]).toBe("—");
    expect(cells(bulbasaur)[8]).toBe("—");
  });

  it("filters rows by card or set name", async () => {
    mockCommands({ collection_overview: () => overview() });
    renderPage();
    await waitFor(() => expect(bodyRows()).toHaveLength(3));
    const filter = screen.getByRole("searchbox", { name: "Filter by card or set name" });

    fireEvent.input(filter, { target: { value: "CHARI" } });
    expect(bodyRows()).toHaveLength(1);
    expect(bodyRows()[0].textContent).toContain("Charizard");

    fireEvent.input(filter, { target: { value: "astral" } });
    expect(bodyRows()).toHaveLength(1);
    expect(bodyRows()[0].textContent).toContain("Palkia");

    fireEvent.input(filter, { target: { value: "zzz" } });
    expect(bodyRows()).toHaveLength(0);
    expect(screen.getByText("No entry matches the filter.")).toBeTruthy();
  });

  it("opens a card from its name", async () => {
    mockCommands({ collection_overview: () => overview() });
    const onOpenCard = vi.fn();
    renderPage(onOpenCard);

    fireEvent.click(await screen.findByRole("button", { name: "Charizard" }));
    expect(onOpenCard).toHaveBeenCalledWith("base1-4");
  });

  it("limits a large collection to 500 rows", async () => {
    const many = Array.from({ length: 620 }, (_, index) =>
      entry({ entry_id: index + 1, card_name: `Card ${index + 1}` }),
    );
    mockCommands({ collection_overview: () => overview({ entries: many }) });
    renderPage();

    await waitFor(() => expect(bodyRows()).toHaveLength(500));
    // Queries by role compute accessible names across the whole table, which is slow in jsdom
    // with 500 rows, so the button is found by its class and checked by its text.
    const showAll = document.querySelector<HTMLButtonElement>("button.show-all");
    expect(showAll?.textContent).toBe("Show all 620 entries");
    fireEvent.click(showAll!);
    await waitFor(() => expect(bodyRows()).toHaveLength(620));
    expect(document.querySelector("button.show-all")).toBeNull();
    // Rendering 620 rows in jsdom takes seconds on a busy machine.
  }, 30_000);

  it("reloads when the version changes", async () => {
    let loads = 0;
    mockCommands({
      collection_overview: () => {
        loads += 1;
        return overview();
      },
    });
    const view = renderPage();
    await waitFor(() => expect(loads).toBe(1));

    view.rerender(<CollectionPage version={1} onOpenCard={() => {}} onChanged={() => {}} />);
    await waitFor(() => expect(loads).toBe(2));
  });

  it("shows a failed load", async () => {
    mockCommands({
      collection_overview: () => {
        throw { code: "database", message: "database is locked" };
      },
    });
    renderPage();

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("database is locked");
    expect(screen.getByRole("button", { name: "Import a file…" })).toBeTruthy();
  });

  it("explains an empty collection", async () => {
    mockCommands({ collection_overview: () => emptyOverview });
    renderPage();

    await screen.findByText(
      "No cards in your collection yet. Open a card and press + next to a variation, or import a file from TCGplayer, Collectr or Holo.",
    );
    expect(document.querySelector(".import-file")).not.toBeNull();
    expect(document.querySelector(".collection-table")).toBeNull();
    expect(document.querySelector(".collection-value")).toBeNull();
  });
});

describe("collection export", () => {
  it("writes the chosen file", async () => {
    const requests: Record<string, unknown>[] = [];
    mockCommands({
      collection_overview: () => overview(),
      "plugin:dialog|save": () => "/tmp/out.csv",
      export_collection: (args): ExportSummary => {
        requests.push(args);
        return { format: "holo-csv", written: 3, skipped: 0 };
      },
    });
    renderPage();

    fireEvent.click(await waitFor(() => element(".export-holo-csv")));
    const result = await waitFor(() => element(".export-result"));
    expect(requests).toEqual([{ format: "holo-csv", path: "/tmp/out.csv" }]);
    expect(result.textContent).toContain("Exported 3 entries to /tmp/out.csv");
    expect(result.textContent).not.toContain("left out");
  });

  it("counts wishlist rows left out", async () => {
    mockCommands({
      collection_overview: () => overview(),
      "plugin:dialog|save": () => "/tmp/tcgplayer.csv",
      export_collection: (): ExportSummary => ({ format: "tcgplayer-csv", written: 3, skipped: 2 }),
    });
    renderPage();

    fireEvent.click(await waitFor(() => element(".export-tcgplayer-csv")));
    const result = await waitFor(() => element(".export-result"));
    expect(result.textContent).toContain("2 wishlist-only rows left out");
  });

  it("does nothing when the dialog is cancelled", async () => {
    const requests: unknown[] = [];
    let dialogs = 0;
    mockCommands({
      collection_overview: () => overview(),
      "plugin:dialog|save": () => {
        dialogs += 1;
        return null;
      },
      export_collection: (args) => {
        requests.push(args);
        return { format: "holo-json", written: 3, skipped: 0 };
      },
    });
    renderPage();

    const button = await waitFor(() => element<HTMLButtonElement>(".export-holo-json"));
    fireEvent.click(button);
    await waitFor(() => expect(dialogs).toBe(1));
    await waitFor(() => expect(button.disabled).toBe(false));
    expect(requests).toEqual([]);
    expect(document.querySelector(".export-result")).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows a failed export", async () => {
    mockCommands({
      collection_overview: () => overview(),
      "plugin:dialog|save": () => "/read-only/out.csv",
      export_collection: () => {
        throw { code: "file", message: "could not write /read-only/out.csv: permission denied" };
      },
    });
    renderPage();

    fireEvent.click(await waitFor(() => element(".export-holo-csv")));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("permission denied");
    expect(element<HTMLButtonElement>(".export-holo-csv").disabled).toBe(false);
  });
});

describe("collection import", () => {
  function mockImport(options: {
    previews?: ImportMode[];
    imports?: Record<string, unknown>[];
    counts?: ImportCounts;
    planFor?: (mode: ImportMode) => ImportPlan;
    loads?: { count: number };
  }) {
    mockCommands({
      collection_overview: () => {
        if (options.loads) options.loads.count += 1;
        return overview();
      },
      "plugin:dialog|open": () => "/tmp/in.csv",
      preview_import: (args) => {
        const mode = args.mode as ImportMode;
        options.previews?.push(mode);
        expect(args.path).toBe("/tmp/in.csv");
        return (options.planFor ?? plan)(mode);
      },
      import_collection: (args) => {
        options.imports?.push(args);
        return options.counts ?? { added: 2, merged: 0, wishlisted: 0, unmatched: 1, unreadable: 0 };
      },
    });
  }

  it("previews the chosen file", async () => {
    const previews: ImportMode[] = [];
    mockImport({ previews });
    renderPage();

    fireEvent.click(await screen.findByRole("button", { name: "Import a file…" }));
    const preview = await waitFor(() => element(".import-preview"));
    await waitFor(() => expect(preview.querySelector(".import-counts")).not.toBeNull());

    expect(previews).toEqual(["replace"]);
    const counts = Array.from(preview.querySelectorAll(".import-counts div")).map(
      (item) => item.textContent,
    );
    expect(counts).toContain("FormatTCGplayer CSV");
    expect(counts).toContain("Rows3");
    expect(counts).toContain("Entries to add2");
    expect(counts).toContain("Entries to merge0");
    expect(counts).toContain("Unmatched rows1");
    const problem = element(".import-problems tbody tr");
    expect(problem.textContent).toContain("7");
    expect(problem.textContent).toContain("no card named “Missingno” in set Base");
  });

  it("re-previews when adding copies", async () => {
    const previews: ImportMode[] = [];
    mockImport({ previews });
    renderPage();

    fireEvent.click(await screen.findByRole("button", { name: "Import a file…" }));
    await waitFor(() => expect(previews).toEqual(["replace"]));
    const addBox = element<HTMLInputElement>(".import-add");
    expect(addBox.checked).toBe(false);

    fireEvent.click(addBox);
    await waitFor(() => expect(previews).toEqual(["replace", "add"]));
    await waitFor(() => expect(element(".import-preview").textContent).toContain("are added to"));
    expect(element<HTMLInputElement>(".import-add").checked).toBe(true);
  });

  it("imports after confirming", async () => {
    const imports: Record<string, unknown>[] = [];
    const loads = { count: 0 };
    const onChanged = vi.fn();
    mockImport({ imports, loads });
    renderPage(() => {}, onChanged);
    await waitFor(() => expect(loads.count).toBe(1));

    fireEvent.click(screen.getByRole("button", { name: "Import a file…" }));
    await waitFor(() => element(".import-counts"));
    fireEvent.click(element(".import-add"));
    await waitFor(() => expect(element(".import-preview").textContent).toContain("are added to"));
    const confirm = element<HTMLButtonElement>(".import-confirm");
    expect(confirm.textContent).toBe("Import");
    expect(confirm.disabled).toBe(false);
    fireEvent.click(confirm);

    const result = await waitFor(() => element(".import-result"));
    expect(imports).toEqual([{ path: "/tmp/in.csv", mode: "add" }]);
    expect(result.textContent).toContain("2 entries added");
    expect(result.textContent).toContain("1 row was left out");
    expect(onChanged).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(loads.count).toBe(2));
    expect(document.querySelector(".import-preview")).toBeNull();
  });

  it("disables confirm when nothing imports", async () => {
    mockImport({
      planFor: (mode) => plan(mode, { added: [], rows: 1 }),
    });
    renderPage();

    fireEvent.click(await screen.findByRole("button", { name: "Import a file…" }));
    await waitFor(() => element(".import-counts"));
    expect(element<HTMLButtonElement>(".import-confirm").disabled).toBe(true);
    expect(element(".import-preview").textContent).toContain("Nothing in this file can be imported.");
  });

  it("cancel closes the preview", async () => {
    const imports: Record<string, unknown>[] = [];
    mockImport({ imports });
    renderPage();

    fireEvent.click(await screen.findByRole("button", { name: "Import a file…" }));
    await waitFor(() => element(".import-counts"));
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(document.querySelector(".import-preview")).toBeNull();
    expect(imports).toEqual([]);
  });

  it("shows a file that cannot be read", async () => {
    mockCommands({
      collection_overview: () => overview(),
      "plugin:dialog|open": () => "/tmp/in.csv",
      preview_import: () => {
        throw { code: "file", message: "/tmp/in.csv is not a CSV or JSON collection file" };
      },
    });
    renderPage();

    const chooser = await screen.findByRole("button", { name: "Import a file…" });
    fireEvent.click(chooser);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("is not a CSV or JSON collection file");
    expect(document.querySelector(".import-preview")).toBeNull();
    await waitFor(() => expect((chooser as HTMLButtonElement).disabled).toBe(false));
  });

  it("shows a failed import", async () => {
    const onChanged = vi.fn();
    mockCommands({
      collection_overview: () => overview(),
      "plugin:dialog|open": () => "/tmp/in.csv",
      preview_import: (args) => plan(args.mode as ImportMode),
      import_collection: () => {
        throw { code: "database", message: "database is locked" };
      },
    });
    renderPage(() => {}, onChanged);

    fireEvent.click(await screen.findByRole("button", { name: "Import a file…" }));
    await waitFor(() => element(".import-counts"));
    fireEvent.click(element(".import-confirm"));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("database is locked");
    expect(alert.textContent).toContain("the collection is unchanged");
    expect(onChanged).not.toHaveBeenCalled();
    await waitFor(() => expect(element<HTMLButtonElement>(".import-confirm").disabled).toBe(false));
  });

  it("re-previews after a conflict", async () => {
    const previews: ImportMode[] = [];
    mockCommands({
      collection_overview: () => overview(),
      "plugin:dialog|open": () => "/tmp/in.csv",
      preview_import: (args) => {
        previews.push(args.mode as ImportMode);
        return plan(args.mode as ImportMode);
      },
      import_collection: () => {
        throw {
          code: "conflict",
          message: "an entry of sv3pt5-1 changed while the import was prepared",
        };
      },
    });
    renderPage();

    fireEvent.click(await screen.findByRole("button", { name: "Import a file…" }));
    await waitFor(() => element(".import-counts"));
    fireEvent.click(element(".import-confirm"));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The collection changed since the preview");
    await waitFor(() => expect(previews).toEqual(["replace", "replace"]));
    await waitFor(() => element(".import-counts"));
    expect(element<HTMLButtonElement>(".import-confirm").disabled).toBe(false);
  });
});

describe("line chart", () => {
  it("explains a chart without points", () => {
    render(<LineChart series={[{ label: "Holofoil", points: [] }]} ariaLabel="Price history" />);
    expect(
      screen.getByText("No price history yet: each sync records prices when their date moves."),
    ).toBeTruthy();
    expect(document.querySelector("svg")).toBeNull();
  });

  it("explains a chart without series", () => {
    render(<LineChart series={[]} ariaLabel="Price history" />);
    expect(screen.getByText(/No price history yet/)).toBeTruthy();
  });

  it("draws a single point as a dot", () => {
    render(
      <LineChart
        series={[{ label: "Holofoil", points: [{ date: "2026-12-01", cents: 1234 }] }]}
        ariaLabel="Price history"
      />,
    );
    expect(screen.getByRole("img", { name: "Price history" })).toBeTruthy();
    expect(document.querySelectorAll("circle")).toHaveLength(1);
    expect(document.querySelector("polyline")).toBeNull();
    expect(document.querySelector("figcaption")?.textContent).toContain(
      "$12.34 on 1 Dec 2026 is the only price so far",
    );
  });

  it("shows a legend for several series", () => {
    render(
      <LineChart
        series={[
          {
            label: "Holofoil",
            points: [
              { date: "2026-11-01", cents: 1000 },
              { date: "2026-12-01", cents: 1500 },
            ],
          },
          {
            label: "Reverse Holofoil",
            points: [
              { date: "2026-11-01", cents: 300 },
              { date: "2026-12-01", cents: 250 },
            ],
          },
        ]}
        ariaLabel="Price history"
      />,
    );
    const legend = Array.from(document.querySelectorAll(".chart-legend li")).map(
      (item) => item.textContent,
    );
    expect(legend).toEqual(["Holofoil", "Reverse Holofoil"]);
    expect(document.querySelectorAll("polyline")).toHaveLength(2);
    const valueLabels = Array.from(document.querySelectorAll(".chart-value-label")).map(
      (label) => label.textContent,
    );
    expect(valueLabels).toEqual(["$2.50", "$15.00"]);
  });

  it("omits the legend for one series", () => {
    render(
      <LineChart
        series={[
          {
            label: "Collection value",
            points: [
              { date: "2026-11-01", cents: 1000 },
              { date: "2026-12-01", cents: 1500 },
            ],
          },
        ]}
        ariaLabel="Value"
      />,
    );
    expect(document.querySelector(".chart-legend")).toBeNull();
  });

  it("sorts unsorted dates", () => {
    render(
      <LineChart
        series={[
          {
            label: "Holofoil",
            points: [
              { date: "2026-12-01", cents: 1500 },
              { date: "2026-10-01", cents: 900 },
              { date: "2026-11-01", cents: 1200 },
            ],
          },
        ]}
        ariaLabel="Price history"
      />,
    );
    const dates = Array.from(document.querySelectorAll(".chart-date-label")).map(
      (label) => label.textContent,
    );
    expect(dates).toEqual(["1 Oct 2026", "1 Dec 2026"]);
    const xs = Array.from(document.querySelectorAll("circle")).map((dot) =>
      Number(dot.getAttribute("cx")),
    );
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(document.querySelector("figcaption")?.textContent).toContain(
      "$9.00 on 1 Oct 2026, $15.00 on 1 Dec 2026",
    );
  });

  it("draws a flat line", () => {
    render(
      <LineChart
        series={[
          {
            label: "Holofoil",
            points: [
              { date: "2026-11-01", cents: 500 },
              { date: "2026-12-01", cents: 500 },
            ],
          },
        ]}
        ariaLabel="Price history"
      />,
    );
    const points = document.querySelector("polyline")?.getAttribute("points") ?? "";
    expect(points).not.toContain("NaN");
    const ys = points.split(" ").map((pair) => pair.split(",")[1]);
    expect(new Set(ys).size).toBe(1);
    expect(document.querySelectorAll(".chart-value-label")).toHaveLength(1);
  });
});
