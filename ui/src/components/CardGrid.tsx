import { useEffect, useState } from "preact/hooks";
import type { CardSummary } from "../host";
import { RemoteImage } from "./CardImage";

/**
 * Tiles rendered in the first frame and added in each frame after it. The first batch fills
 * a large window, so the grid appears at once and the rest follows without blocking input.
 */
const TILES_PER_FRAME = 40;

interface Props {
  cards: CardSummary[];
  /** Shows each card's set under its name, for results that span sets. */
  showSet?: boolean;
  onOpen: (cardId: string) => void;
}

/**
 * Renders cards as a grid of tiles, a batch per frame, with images loaded lazily, so a
 * 300-card set shows its first screen at once.
 *
 * NOTE: measured in the release app under Xvfb (tests/e2e/measure.mjs, 2 busy cores), opening
 * a 216-card set takes about 265 ms and a search keystroke about 400 ms from input to painted
 * results, against a goal of 100 ms; most of it is WebKit's layout of every tile. A virtualised
 * grid that renders only the visible rows is the likely fix.
 */
export function CardGrid({ cards, showSet = false, onOpen }: Props) {
  const shown = useProgressiveCount(cards);
  return (
    <ul class="card-grid">
      {cards.slice(0, shown).map((card) => (
        <li key={card.id}>
          <button
            type="button"
            class="card-tile"
            data-card-id={card.id}
            onClick={() => onOpen(card.id)}
          >
            <RemoteImage url={card.image_small} alt={card.name} className="card-thumb" />
            <span class="card-name">{card.name}</span>
            <span class="card-meta">
              {showSet ? `${card.set_name} · ` : ""}#{card.number}
              {card.rarity ? ` · ${card.rarity}` : ""}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Returns how many of `items` to render: one batch at first, one more each frame. */
function useProgressiveCount(items: unknown[]): number {
  const [shown, setShown] = useState({ items, count: TILES_PER_FRAME });
  const count = shown.items === items ? shown.count : TILES_PER_FRAME;
  useEffect(() => {
    if (count >= items.length) return;
    const frame = requestAnimationFrame(() =>
      setShown({ items, count: count + TILES_PER_FRAME }),
    );
    return () => cancelAnimationFrame(frame);
  }, [items, count]);
  return count;
}
