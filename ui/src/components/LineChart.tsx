import "../collection.css";
import { formatDate } from "./SetList";

/** One line of the chart: US-cent amounts by `YYYY-MM-DD` date. */
export interface ChartSeries {
  label: string;
  /** Oldest first is expected, but the chart sorts them anyway. */
  points: { date: string; cents: number }[];
}

interface Props {
  series: ChartSeries[];
  ariaLabel: string;
  /** Height of the drawing in SVG units. The width is 640 units, and the drawing scales to fit. */
  height?: number;
}

const USD = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

/** Formats an amount in US cents as dollars (`$1,234.56`). */
export function formatDollars(cents: number): string {
  return USD.format(cents / 100);
}

const WIDTH = 640;
const DEFAULT_HEIGHT = 220;
const MARGIN = { top: 12, right: 16, bottom: 28, left: 84 };
/** Number of colour classes (`chart-color-0` …) in collection.css. Further series reuse them. */
const COLOR_COUNT = 6;
/** Series with at most this many points get a dot per point, with its price as a tooltip. */
const MAX_DOTTED_POINTS = 60;
const MS_PER_DAY = 86_400_000;

interface PlottedPoint {
  /** Days since 1970-01-01, so the x axis is proportional to time. */
  day: number;
  date: string;
  cents: number;
}

interface PlottedSeries {
  label: string;
  colorClass: string;
  points: PlottedPoint[];
}

interface Bounds {
  firstDay: number;
  lastDay: number;
  firstDate: string;
  lastDate: string;
  minCents: number;
  maxCents: number;
}

/**
 * Draws amounts over dates as an SVG line chart, with a text summary under it for readers who
 * cannot see the drawing. Points with a date that is not `YYYY-MM-DD` or an amount that is
 * not a finite number are left out.
 */
export function LineChart({ series, ariaLabel, height = DEFAULT_HEIGHT }: Props) {
  const plotted = series.map(plotSeries);
  const bounds = findBounds(plotted);
  if (bounds === null) {
    return (
      <p class="chart-empty muted">
        No price history yet: each sync records prices when their date moves.
      </p>
    );
  }
  return (
    <figure class="line-chart">
      <ChartDrawing series={plotted} bounds={bounds} ariaLabel={ariaLabel} height={height} />
      {series.length > 1 && <Legend series={plotted} />}
      <figcaption class="chart-summary muted">
        {plotted.map((line, index) => (
          <span key={index}>{describeSeries(line)} </span>
        ))}
      </figcaption>
    </figure>
  );
}

interface DrawingProps {
  series: PlottedSeries[];
  bounds: Bounds;
  ariaLabel: string;
  height: number;
}

function ChartDrawing({ series, bounds, ariaLabel, height }: DrawingProps) {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotRight = WIDTH - MARGIN.right;
  const plotBottom = height - MARGIN.bottom;
  const plotHeight = plotBottom - MARGIN.top;
  const axis = valueAxis(bounds.minCents, bounds.maxCents);

  const x = (day: number) =>
    bounds.lastDay === bounds.firstDay
      ? MARGIN.left + plotWidth / 2
      : MARGIN.left + ((day - bounds.firstDay) / (bounds.lastDay - bounds.firstDay)) * plotWidth;
  const y = (cents: number) =>
    plotBottom - ((cents - axis.bottom) / (axis.top - axis.bottom)) * plotHeight;

  const valueTicks =
    bounds.minCents === bounds.maxCents ? [bounds.maxCents] : [bounds.minCents, bounds.maxCents];

  return (
    <svg
      class="line-chart-drawing"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-label={ariaLabel}
    >
      <title>{ariaLabel}</title>
      <line class="chart-axis" x1={MARGIN.left} y1={plotBottom} x2={plotRight} y2={plotBottom} />
      <line class="chart-axis" x1={MARGIN.left} y1={MARGIN.top} x2={MARGIN.left} y2={plotBottom} />
      {valueTicks.map((cents) => (
        <g key={cents}>
          <line class="chart-grid" x1={MARGIN.left} y1={y(cents)} x2={plotRight} y2={y(cents)} />
          <text
            class="chart-label chart-value-label"
            x={MARGIN.left - 6}
            y={y(cents)}
            text-anchor="end"
            dominant-baseline="middle"
          >
            {formatDollars(cents)}
          </text>
        </g>
      ))}
      <text class="chart-label chart-date-label" x={MARGIN.left} y={height - 8} text-anchor="start">
        {formatDate(bounds.firstDate)}
      </text>
      {bounds.lastDay !== bounds.firstDay && (
        <text class="chart-label chart-date-label" x={plotRight} y={height - 8} text-anchor="end">
          {formatDate(bounds.lastDate)}
        </text>
      )}
      {series.map((line, index) => (
        <g key={index} class={line.colorClass}>
          {line.points.length > 1 && (
            <polyline
              class="chart-line"
              points={line.points.map((point) => `${x(point.day)},${y(point.cents)}`).join(" ")}
            />
          )}
          {line.points.length <= MAX_DOTTED_POINTS &&
            line.points.map((point, index) => (
              <circle key={index} class="chart-dot" cx={x(point.day)} cy={y(point.cents)} r={3.5}>
                <title>{`${line.label}: ${pricedOn(point)}`}</title>
              </circle>
            ))}
        </g>
      ))}
    </svg>
  );
}

function Legend({ series }: { series: PlottedSeries[] }) {
  return (
    <ul class="chart-legend">
      {series.map((line, index) => (
        <li key={index} class={line.colorClass}>
          <span class="chart-swatch" aria-hidden="true" />
          {line.label}
        </li>
      ))}
    </ul>
  );
}

/** Returns the series' valid points sorted by date, with its colour class. */
function plotSeries(series: ChartSeries, index: number): PlottedSeries {
  const points: PlottedPoint[] = [];
  for (const point of series.points) {
    const day = dayNumber(point.date);
    if (day !== null && Number.isFinite(point.cents)) {
      points.push({ day, date: point.date, cents: point.cents });
    }
  }
  points.sort((a, b) => a.day - b.day);
  return { label: series.label, colorClass: `chart-color-${index % COLOR_COUNT}`, points };
}

/** Returns the date and amount ranges over every series, or `null` when no series has a point. */
function findBounds(series: PlottedSeries[]): Bounds | null {
  const points = series.flatMap((line) => line.points);
  if (points.length === 0) return null;
  let first = points[0];
  let last = points[0];
  let minCents = points[0].cents;
  let maxCents = points[0].cents;
  for (const point of points) {
    if (point.day < first.day) first = point;
    if (point.day > last.day) last = point;
    minCents = Math.min(minCents, point.cents);
    maxCents = Math.max(maxCents, point.cents);
  }
  return {
    firstDay: first.day,
    lastDay: last.day,
    firstDate: first.date,
    lastDate: last.date,
    minCents,
    maxCents,
  };
}

/**
 * Returns the amounts at the bottom and top of the value axis, with 10% of the range as
 * headroom. The axis starts at 0 unless the lowest amount is more than half the highest,
 * because a zero baseline would then flatten the changes the chart is there to show.
 */
function valueAxis(minCents: number, maxCents: number): { bottom: number; top: number } {
  const range = maxCents - minCents;
  // A flat line still needs a range: 10% of the amount, or one dollar around zero.
  const headroom = range > 0 ? range * 0.1 : Math.max(Math.abs(maxCents) * 0.1, 100);
  const top = maxCents + headroom;
  if (minCents < 0) return { bottom: minCents - headroom, top };
  if (minCents <= maxCents / 2) return { bottom: 0, top };
  return { bottom: Math.max(0, minCents - headroom), top };
}

/** Returns one sentence on the series: its first and last amount, or its only one. */
function describeSeries(series: PlottedSeries): string {
  const points = series.points;
  if (points.length === 0) return `${series.label}: no prices yet.`;
  const first = points[0];
  const last = points[points.length - 1];
  if (points.length === 1) return `${series.label}: ${pricedOn(first)} is the only price so far.`;
  return `${series.label}: ${pricedOn(first)}, ${pricedOn(last)}.`;
}

/** Returns `$12.34 on 1 Dec 2026`. */
function pricedOn(point: PlottedPoint): string {
  return `${formatDollars(point.cents)} on ${formatDate(point.date)}`;
}

/** Returns the days since 1970-01-01 of a `YYYY-MM-DD` date, or `null` for other text. */
function dayNumber(date: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(ms) ? null : ms / MS_PER_DAY;
}
