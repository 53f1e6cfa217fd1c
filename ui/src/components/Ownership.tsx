import { useLayoutEffect, useRef, useState } from "preact/hooks";
import * as host from "../host";
import type { CardOwnership, Condition, Grade, OwnedCopies, VariationOwnership } from "../host";

/** Conditions best first, spelled as the database stores them. */
const CONDITIONS: Condition[] = [
  "Near Mint",
  "Lightly Played",
  "Moderately Played",
  "Heavily Played",
  "Damaged",
];

const DEFAULT_LANGUAGE = "English";

interface Props {
  cardId: string;
  /** Called after every change of copies or wishlist, so other views reload their figures. */
  onChanged: () => void;
}

/** The kind of copy an entry is: what makes two entries of one variation different. */
interface CopyKind {
  condition: Condition;
  grade: Grade | null;
  language: string;
}

/**
 * The card page's "Your copies" section: for each variation, a stepper per kind of copy
 * (condition, grade, language), a wishlist toggle, and a way to add another condition.
 */
export function Ownership({ cardId, onChanged }: Props) {
  const [ownership, setOwnership] = useState<CardOwnership | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The variation whose write is in flight; its buttons wait, so clicks never race.
  const [pending, setPending] = useState<string | null>(null);

  useLayoutEffect(() => {
    let current = true;
    host.cardOwnership(cardId).then(
      (loaded) => current && setOwnership(loaded),
      (failure) => current && setError(messageOf(failure)),
    );
    return () => {
      current = false;
    };
  }, [cardId]);

  const write = (key: string, change: () => Promise<CardOwnership>) => {
    setPending(key);
    setError(null);
    change()
      .then((updated) => {
        setOwnership(updated);
        onChanged();
      })
      .catch((failure) => setError(messageOf(failure)))
      .finally(() => setPending(null));
  };

  if (ownership === null) {
    return error ? <p class="error-banner">{error}</p> : <p class="muted">Loading your copies…</p>;
  }
  const shown = ownership.variations.filter((variation) => !variation.retired || variation.quantity > 0);
  return (
    <section class="ownership">
      <h2>
        Your copies{" "}
        <span class="muted owned-total">
          {ownership.quantity === 0 ? "none yet" : `${ownership.quantity} in all`}
        </span>
      </h2>
      {error && (
        <p class="error-banner" role="alert">
          {error}
        </p>
      )}
      {shown.length === 0 ? (
        <p class="muted">This card has no variations to own. Sync to fetch them.</p>
      ) : (
        <ul class="variation-list">
          {shown.map((variation) => {
            const key = variationKey(variation);
            return (
              <VariationRow
                key={key}
                variation={variation}
                busy={pending !== null}
                onSetCopies={(kind, quantity) =>
                  write(key, () =>
                    host.setCopies({
                      card_id: cardId,
                      variation_type: variation.variation_type,
                      treatment: variation.treatment,
                      ...kind,
                      quantity,
                    }),
                  )
                }
                onWishlist={(wishlisted) =>
                  write(key, () =>
                    host.setWishlisted(cardId, variation.variation_type, variation.treatment, wishlisted),
                  )
                }
              />
            );
          })}
        </ul>
      )}
    </section>
  );
}

interface RowProps {
  variation: VariationOwnership;
  busy: boolean;
  onSetCopies: (kind: CopyKind, quantity: number) => void;
  onWishlist: (wishlisted: boolean) => void;
}

function VariationRow({ variation, busy, onSetCopies, onWishlist }: RowProps) {
  const kinds = kindsToShow(variation.entries);
  const unusedConditions = CONDITIONS.filter(
    (condition) => !kinds.some((kind) => isPlainKind(kind) && kind.condition === condition),
  );
  return (
    <li class="variation-row" data-variation={variationKey(variation)}>
      <div class="variation-head">
        <strong>{variationLabel(variation)}</strong>
        {variation.retired && <span class="tag">no longer printed this way</span>}
        <button
          type="button"
          class={`wishlist-toggle${variation.wishlisted ? " on" : ""}`}
          aria-pressed={variation.wishlisted}
          title={variation.wishlisted ? "On your wishlist: click to remove" : "Add to your wishlist"}
          disabled={busy}
          onClick={() => onWishlist(!variation.wishlisted)}
        >
          {variation.wishlisted ? "★ Wishlist" : "☆ Wishlist"}
        </button>
      </div>
      <ul class="copy-kinds">
        {kinds.map((kind) => (
          <li key={kindLabel(kind)} class="copy-kind">
            <span class="copy-kind-label">{kindLabel(kind)}</span>
            <Stepper
              label={`${variationLabel(variation)}, ${kindLabel(kind)}`}
              quantity={kind.quantity}
              busy={busy}
              onChange={(quantity) => onSetCopies(kind, quantity)}
            />
          </li>
        ))}
      </ul>
      {unusedConditions.length > 0 && (
        <AddCondition
          conditions={unusedConditions}
          busy={busy}
          onAdd={(condition) =>
            onSetCopies({ condition, grade: null, language: DEFAULT_LANGUAGE }, 1)
          }
        />
      )}
    </li>
  );
}

interface StepperProps {
  label: string;
  quantity: number;
  busy: boolean;
  onChange: (quantity: number) => void;
}

function Stepper({ label, quantity, busy, onChange }: StepperProps) {
  return (
    <span class="stepper">
      <button
        type="button"
        class="copies-minus"
        aria-label={`One copy fewer: ${label}`}
        disabled={busy || quantity === 0}
        onClick={() => onChange(quantity - 1)}
      >
        −
      </button>
      <span class="copies-count" aria-label={`Copies: ${label}`}>
        {quantity}
      </span>
      <button
        type="button"
        class="copies-plus"
        aria-label={`One copy more: ${label}`}
        disabled={busy}
        onClick={() => onChange(quantity + 1)}
      >
        +
      </button>
    </span>
  );
}

function AddCondition({
  conditions,
  busy,
  onAdd,
}: {
  conditions: Condition[];
  busy: boolean;
  onAdd: (condition: Condition) => void;
}) {
  // Read at the click, so the choice is never a render behind the select.
  const select = useRef<HTMLSelectElement>(null);
  return (
    <div class="add-condition">
      <select ref={select} aria-label="Condition of another copy">
        {conditions.map((condition) => (
          <option key={condition} value={condition}>
            {condition}
          </option>
        ))}
      </select>
      <button
        type="button"
        class="secondary"
        disabled={busy}
        onClick={() => onAdd((select.current?.value as Condition | undefined) ?? conditions[0])}
      >
        Add a copy in this condition
      </button>
    </div>
  );
}

/**
 * Returns the kinds of copy to show a stepper for: every entry, plus an ungraded Near Mint
 * English one at 0 when there is none, so the first + press adds the usual copy.
 */
function kindsToShow(entries: OwnedCopies[]): (CopyKind & { quantity: number })[] {
  const kinds = entries.map((entry) => ({
    condition: entry.condition,
    grade: entry.grade,
    language: entry.language,
    quantity: entry.quantity,
  }));
  const hasDefault = kinds.some((kind) => isPlainKind(kind) && kind.condition === "Near Mint");
  if (!hasDefault) {
    kinds.unshift({ condition: "Near Mint", grade: null, language: DEFAULT_LANGUAGE, quantity: 0 });
  }
  return kinds;
}

/** Returns whether the kind is ungraded and in the default language. */
function isPlainKind(kind: CopyKind): boolean {
  return kind.grade === null && kind.language === DEFAULT_LANGUAGE;
}

function kindLabel(kind: CopyKind): string {
  const parts: string[] = [kind.condition];
  if (kind.grade) parts.push(`${kind.grade.company} ${kind.grade.grade}`.trim());
  parts.push(kind.language);
  return parts.join(" · ");
}

function variationKey(variation: VariationOwnership): string {
  return `${variation.variation_type}/${variation.treatment}`;
}

/** Returns a variation's name as collectors write it: `Reverse Holofoil`, or `V · Holofoil`. */
export function variationLabel(variation: { variation_type: string; treatment: string }): string {
  return variation.variation_type === "Standard"
    ? variation.treatment
    : `${variation.variation_type} · ${variation.treatment}`;
}

function messageOf(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}
