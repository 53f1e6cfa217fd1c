// Interaction timings: from a click or keystroke to the frame that shows its result. The
// last duration of each kind is kept on <html> as `data-timing-<kind>` (milliseconds), where
// the end-to-end test reads it, and the time until the DOM was updated as
// `data-timing-<kind>-commit`.

const started = new Map<string, number>();

export function startTiming(kind: string): void {
  started.set(kind, performance.now());
}

/** Records the time since `startTiming(kind)` once the browser has painted the change. */
export function finishTiming(kind: string): void {
  const start = started.get(kind);
  if (start === undefined) return;
  started.delete(kind);
  const key = `timing${kind[0].toUpperCase()}${kind.slice(1)}`;
  // Time until the DOM contains the result, before style, layout and paint.
  document.documentElement.dataset[`${key}Commit`] = (performance.now() - start).toFixed(1);
  // The frame callback runs just before the browser paints the change, and a task queued from
  // it runs once that paint is done.
  requestAnimationFrame(() => {
    setTimeout(() => {
      const elapsed = performance.now() - start;
      document.documentElement.dataset[key] = elapsed.toFixed(1);
    }, 0);
  });
}
