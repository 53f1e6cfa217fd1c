import { useEffect, useState } from "preact/hooks";
import type { CardSummary, OwnedMark } from "../host";
import { RemoteImage } from "./CardImage";

/**
 * Tiles rendered in the first frame: more than a 1400×900 window shows (about 15), so the grid
 * appears at once without WebKit laying out tiles below the fold.
 */
const FIRST_TILES = 24;

/** Tiles added in each frame after the first, until the whole grid is in. */
const TILES_PER_FRAME = 48;

interface Props {
  cards: CardSummary[];
  /** Shows each card's set under its name, for results that span sets. */
  showSet?: boolean;
  /** The collector's copies and wishlist marks by card id; cards without one are missing. */
  marks?: ReadonlyMap<string, OwnedMark>;
  onOpen: (cardId: string) => void;
}

/**
 * Renders cards as a grid of tiles, a batch per frame, with images loaded lazily, so a
 * 300-card set shows its first screen at once. Tiles outside the viewport skip layout and
 * paint (`content-visibility` in styles.css).
 */
export function CardGrid({ cards, showSet = false, marks, onOpen }: Props) {
  const shown = useProgressiveCount(cards);
  return (
    <ul class="card-grid">
      {cards.slice(0, shown).map((card) => {
        const mark = marks?.get(card.id);
        const owned = mark !== undefined && mark.quantity > 0;
        return (
          <li key={card.id}>
            <button
              type="button"
              class={`card-tile${owned ? " owned" : ""}`}
              data-card-id={card.id}
              onClick={() => onOpen(card.id)}
            >
              {owned && (
                <span class="owned-badge" title={`You own ${mark.quantity}`}>
                  ×{mark.quantity}
                </span>
              )}
              {mark?.wishlisted && (
                <span class="wish-badge" title="On your wishlist">
                  ★
                </span>
              )}
              <RemoteImage url={card.image_small} alt={card.name} className="card-thumb" />
              <span class="card-name">{card.name}</span>
              <span class="card-meta">
                {showSet ? `${card.set_name} · ` : ""}#{card.number}
                {card.rarity ? ` · ${card.rarity}` : ""}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/** Returns how many of `items` to render: one batch at first, one more each frame. */
function useProgressiveCount(items: unknown[]): number {
  const [shown, setShown] = useState({ items, count: FIRST_TILES });
  const count = shown.items === items ? shown.count : FIRST_TILES;
  useEffect(() => {
    if (count >= items.length) return;
    const frame = requestAnimationFrame(() =>
      setShown({ items, count: count + TILES_PER_FRAME }),
    );
    return () => cancelAnimationFrame(frame);
  }, [items, count]);
  return count;
}
