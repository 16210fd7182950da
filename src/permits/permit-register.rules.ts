/** The head of establishment's instruction statistics, as pure functions. */

export interface DecisionCounts {
  granted: number;
  refused: number;
  /** Silence for two months: a refusal the family did not get in writing. */
  implicitlyRejected: number;
}

function decisions(c: DecisionCounts): number {
  return c.granted + c.refused + c.implicitlyRejected;
}

/** Share of the decisions taken that granted a permit (null without any decision). */
export function grantRate(c: DecisionCounts): number | null {
  const n = decisions(c);
  return n ? c.granted / n : null;
}

/** Share of the decisions that refused, explicitly or by silence (null without any decision). */
export function refusalRate(c: DecisionCounts): number | null {
  const n = decisions(c);
  return n ? (c.refused + c.implicitlyRejected) / n : null;
}

/** The p-th percentile (0 to 1) by linear interpolation between the closest ranks, like SQL percentile_cont. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/** A rate as the page shows it: « 75 % », or « — » without decisions. */
export function percentText(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)} %`;
}
