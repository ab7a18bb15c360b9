// Small statistics for benchmark rounds.

export function median(xs) {
  if (xs.length === 0) throw new Error('median of no values');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Spread of the rounds as a fraction of the median: (max - min) / median. */
export function spread(xs) {
  return (Math.max(...xs) - Math.min(...xs)) / median(xs);
}

/** Median absolute deviation over the median: a robust noise figure for the report. */
export function relativeMad(xs) {
  const m = median(xs);
  return median(xs.map((x) => Math.abs(x - m))) / m;
}
