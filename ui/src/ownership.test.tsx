import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { App } from "./app";
import type { CardOwnership, CopiesUpdate, OwnedMark, VariationOwnership } from "./bindings";
import { Ownership } from "./components/Ownership";
import { browsing, mockCommands } from "./test-support";

afterEach(() => {
  cleanup();
  clearMocks();
});

function variation(treatment: string, quantity = 0): VariationOwnership {
  return {
    variation_type: "VSTAR",
    treatment,
    printing: "holofoil",
    retired: false,
    wishlisted: false,
    quantity,
    entries:
      quantity === 0
        ? []
        : [
            {
              entry_id: 1,
              condition: "Near Mint",
              grade: null,
              language: "English",
              quantity,
              purchase_price_cents: null,
              purchase_currency: null,
              note: null,
              added_at: "2026-12-04T10:00:00Z",
            },
          ],
  };
}

function ownership(...variations: VariationOwnership[]): CardOwnership {
  return {
    card_id: "swsh10-190",
    quantity: variations.reduce((sum, item) => sum + item.quantity, 0),
    variations,
  };
}

describe("card copies", () => {
  it("adds the first copy with +", async () => {
    const updates: CopiesUpdate[] = [];
    let changes = 0;
    mockCommands({
      card_ownership: () => ownership(variation("Holofoil")),
      set_copies: (args) => {
        const update = args.update as CopiesUpdate;
        updates.push(update);
        return ownership(variation("Holofoil", update.quantity));
      },
    });
    render(<Ownership cardId="swsh10-190" onChanged={() => changes++} />);

    const plus = await screen.findByRole("button", { name: /One copy more: VSTAR · Holofoil, Near Mint/ });
    fireEvent.click(plus);

    await waitFor(() => expect(document.querySelector(".copies-count")?.textContent).toBe("1"));
    expect(updates).toEqual([
      {
        card_id: "swsh10-190",
        variation_type: "VSTAR",
        treatment: "Holofoil",
        condition: "Near Mint",
        grade: null,
        language: "English",
        quantity: 1,
      },
    ]);
    expect(changes).toBe(1);
    expect(screen.getByText("1 in all")).toBeTruthy();
  });

  it("minus is disabled at zero", async () => {
    mockCommands({ card_ownership: () => ownership(variation("Holofoil")) });
    render(<Ownership cardId="swsh10-190" onChanged={() => {}} />);

    const minus = await screen.findByRole("button", { name: /One copy fewer/ });
    expect(minus).toHaveProperty("disabled", true);
  });

  it("adds a copy in another condition", async () => {
    const updates: CopiesUpdate[] = [];
    mockCommands({
      card_ownership: () => ownership(variation("Holofoil", 1)),
      set_copies: (args) => {
        updates.push(args.update as CopiesUpdate);
        return ownership(variation("Holofoil", 1));
      },
    });
    render(<Ownership cardId="swsh10-190" onChanged={() => {}} />);

    const select = await screen.findByRole("combobox", { name: "Condition of another copy" });
    fireEvent.change(select, { target: { value: "Damaged" } });
    fireEvent.click(screen.getByRole("button", { name: "Add a copy in this condition" }));

    await waitFor(() => expect(updates).toHaveLength(1));
    expect(updates[0].condition).toBe("Damaged");
    expect(updates[0].quantity).toBe(1);
  });

  it("toggles the wishlist", async () => {
    const requests: unknown[] = [];
    mockCommands({
      card_ownership: () => ownership(variation("Holofoil")),
      set_wishlisted: (args) => {
        requests.push(args.wishlisted);
        return ownership({ ...variation("Holofoil"), wishlisted: true });
      },
    });
    render(<Ownership cardId="swsh10-190" onChanged={() => {}} />);

    fireEvent.click(await screen.findByRole("button", { name: /Wishlist/ }));

    await waitFor(() =>
      expect(screen.getByRole("button", { name: /Wishlist/ }).getAttribute("aria-pressed")).toBe("true"),
    );
    expect(requests).toEqual([true]);
  });

  it("shows a rejected change in words", async () => {
    mockCommands({
      card_ownership: () => ownership(variation("Holofoil")),
      set_copies: () => {
        throw { code: "not_found", message: "Card swsh10-190 not found; sync the catalogue first" };
      },
    });
    render(<Ownership cardId="swsh10-190" onChanged={() => {}} />);

    fireEvent.click(await screen.findByRole("button", { name: /One copy more/ }));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("sync the catalogue first");
  });
});

describe("set page collection", () => {
  const marks: OwnedMark[] = [
    { card_id: "swsh10-190", quantity: 2, variations_owned: 1, wishlisted: false },
  ];

  async function openAstralRadiance() {
    mockCommands({
      ...browsing,
      owned_marks: () => marks,
      set_completion: () => ({
        set_id: "swsh10",
        set_name: "Astral Radiance",
        cards_owned: 1,
        cards_total: 2,
        variations_owned: 1,
        variations_total: 3,
      }),
    });
    render(<App />);
    fireEvent.click(await screen.findByRole("button", { name: /Astral Radiance/ }));
    await screen.findByText("#190 · Rare");
  }

  it("marks owned cards and shows completion", async () => {
    await openAstralRadiance();

    await waitFor(() => expect(document.querySelector(".owned-badge")?.textContent).toBe("×2"));
    const owned = document.querySelector(".card-tile.owned");
    expect(owned?.getAttribute("data-card-id")).toBe("swsh10-190");
    const bar = screen.getByRole("progressbar", { name: "Cards owned" });
    expect(bar.getAttribute("aria-valuenow")).toBe("1");
    expect(bar.getAttribute("aria-valuemax")).toBe("2");
  });

  it("filters owned, missing and duplicates", async () => {
    await openAstralRadiance();
    await waitFor(() => expect(document.querySelector(".owned-badge")).not.toBeNull());
    const shownIds = () =>
      [...document.querySelectorAll(".card-tile")].map((tile) => tile.getAttribute("data-card-id"));

    fireEvent.click(screen.getByRole("button", { name: "Owned" }));
    await waitFor(() => expect(shownIds()).toEqual(["swsh10-190"]));
    fireEvent.click(screen.getByRole("button", { name: "Missing" }));
    await waitFor(() => expect(shownIds()).toEqual(["swsh10-1"]));
    fireEvent.click(screen.getByRole("button", { name: "Duplicates" }));
    await waitFor(() => expect(shownIds()).toEqual(["swsh10-190"]));
    fireEvent.click(screen.getByRole("button", { name: "Wishlist" }));
    await screen.findByText("No cards of this set match this filter.");
  });
});
