import { useLayoutEffect, useState } from "preact/hooks";
import * as host from "../host";
import type { CardDetail, PriceSeries, PriceSnapshot, TypeModifier } from "../host";
import { RemoteImage } from "./CardImage";
import { LineChart } from "./LineChart";
import { Ownership } from "./Ownership";
import { formatDate } from "./SetList";

interface Props {
  card: CardDetail;
  onOpenSet: (setId: string) => void;
  /** Called after the collector changed their copies of the card. */
  onCollectionChanged: () => void;
}

/**
 * A card's page: large image on the left; on the right, the collector's copies, everything
 * printed on the card, and its prices.
 */
export function CardPage({ card, onOpenSet, onCollectionChanged }: Props) {
  return (
    <article class="card-page">
      <RemoteImage
        url={card.image_large ?? card.image_small}
        alt={card.name}
        loading="eager"
        className="card-large"
      />
      <div class="card-facts">
        <header>
          <h1 class="card-title">{card.name}</h1>
          <p class="card-subtitle">
            {[card.supertype, ...card.subtypes].join(" · ")}
            {card.hp ? ` · HP ${card.hp}` : ""}
            {card.types.length > 0 ? ` · ${card.types.join(", ")}` : ""}
          </p>
          <p class="card-subtitle">
            <button type="button" class="link" onClick={() => onOpenSet(card.set.id)}>
              {card.set.name}
            </button>{" "}
            #{card.number}
            {card.set.printed_total ? `/${card.set.printed_total}` : ""}
            {card.rarity ? ` · ${card.rarity}` : ""}
            {card.regulation_mark ? ` · Regulation ${card.regulation_mark}` : ""}
          </p>
          {card.evolves_from && <p class="card-subtitle">Evolves from {card.evolves_from}</p>}
        </header>

        <Ownership cardId={card.id} onChanged={onCollectionChanged} />

        {card.abilities.map((ability) => (
          <section class="move" key={ability.name}>
            <h3>
              <span class="move-kind">{ability.type}</span> {ability.name}
            </h3>
            <p>{ability.text}</p>
          </section>
        ))}
        {card.attacks.map((attack) => (
          <section class="move" key={attack.name}>
            <h3>
              <span class="energy-cost">{attack.cost.join(" ") || "No cost"}</span> {attack.name}
              {attack.damage && <span class="damage">{attack.damage}</span>}
            </h3>
            {attack.text && <p>{attack.text}</p>}
          </section>
        ))}

        <dl class="fact-table">
          <Modifiers label="Weakness" items={card.weaknesses} />
          <Modifiers label="Resistance" items={card.resistances} />
          <dt>Retreat</dt>
          <dd>{card.retreat_cost.length > 0 ? card.retreat_cost.join(" ") : "None"}</dd>
          {card.artist && (
            <>
              <dt>Artist</dt>
              <dd>{card.artist}</dd>
            </>
          )}
          {card.legalities.length > 0 && (
            <>
              <dt>Legal in</dt>
              <dd>
                {card.legalities.map((legality) => `${legality.format}: ${legality.status}`).join(" · ")}
              </dd>
            </>
          )}
          <dt>Released</dt>
          <dd>{formatDate(card.set.release_date)}</dd>
        </dl>

        {card.rules.map((rule) => (
          <p class="rule" key={rule}>
            {rule}
          </p>
        ))}
        {card.flavor_text && <p class="flavour">{card.flavor_text}</p>}

        <section>
          <h2>Prices</h2>
          {card.prices.length === 0 ? (
            <p class="muted">No prices recorded for this card.</p>
          ) : (
            card.prices.map((snapshot) => <Prices key={snapshot.source} snapshot={snapshot} />)
          )}
          <PriceHistory cardId={card.id} />
        </section>
      </div>
    </article>
  );
}

/** Charts the card's TCGplayer market price at each recorded date, one line per printing. */
function PriceHistory({ cardId }: { cardId: string }) {
  const [series, setSeries] = useState<PriceSeries[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useLayoutEffect(() => {
    let current = true;
    host.cardPriceHistory(cardId).then(
      (loaded) => current && setSeries(loaded),
      (failure) => current && setError(failure instanceof Error ? failure.message : String(failure)),
    );
    return () => {
      current = false;
    };
  }, [cardId]);
  if (error) return <p class="error-banner">The price history could not load: {error}</p>;
  if (series === null) return null;
  return (
    <div class="price-history">
      <h3>Market price over time</h3>
      <LineChart
        ariaLabel="Market price over time, per printing"
        series={series.map((printing) => ({
          label: humanise(printing.printing),
          points: printing.points.map((point) => ({ date: point.price_date, cents: point.market_cents })),
        }))}
      />
    </div>
  );
}

function Modifiers({ label, items }: { label: string; items: TypeModifier[] }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {items.length > 0
          ? items.map((item) => `${item.type} ${item.value}`).join(", ")
          : "None"}
      </dd>
    </>
  );
}

const SOURCE_NAMES: Record<string, string> = { tcgplayer: "TCGplayer", cardmarket: "Cardmarket" };

function Prices({ snapshot }: { snapshot: PriceSnapshot }) {
  const money = new Intl.NumberFormat("en-GB", { style: "currency", currency: snapshot.currency });
  return (
    <div class="price-block">
      <h3>
        {SOURCE_NAMES[snapshot.source] ?? snapshot.source}{" "}
        <span class="muted">as of {formatDate(snapshot.price_date)}</span>
      </h3>
      <table class="prices">
        <tbody>
          {snapshot.rows.map((row) => (
            <tr key={row.printing}>
              <th>{humanise(row.printing) || "All printings"}</th>
              <td>
                {row.values
                  .map((value) => `${humanise(value.name)} ${money.format(value.amount ?? 0)}`)
                  .join(" · ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Turns an API key such as `reverseHolofoil` or `avg30` into `Reverse holofoil`, `Avg 30`. */
export function humanise(key: string): string {
  const spaced = key
    .replace(/([a-z])([A-Z0-9])/g, "$1 $2")
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
