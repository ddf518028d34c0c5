/** How well found themes reproduce known labels. */
export interface PurityReport {
  /** Σ over found themes of its most common true label's count, over the assigned comments (Manning et al. 2008, §16.3). */
  purity: number;
  /** Σ over true labels of their largest share in one found theme, over the assigned comments: low when a label is split up. */
  inversePurity: number;
  /** Comments with a found theme and a true label. */
  assigned: number;
  /** Comments with a true label. */
  labelled: number;
  foundThemes: { theme: string; size: number; majority: string; majorityCount: number }[];
  trueLabels: { label: string; size: number; bestTheme: string | null; bestCount: number; isMajorityOfSomeTheme: boolean }[];
}

/**
 * Purity and inverse purity of a theme assignment against true labels (the
 * planted theme of each simulated comment, or a hand label). Purity alone
 * rewards splitting into many small themes; inverse purity exposes that.
 */
export function themePurity(found: ReadonlyMap<string, string | null>, truth: ReadonlyMap<string, string>): PurityReport {
  const table = new Map<string, Map<string, number>>();
  let assigned = 0;
  for (const [id, label] of truth) {
    const theme = found.get(id) ?? null;
    if (theme === null) continue;
    assigned += 1;
    const row = table.get(theme) ?? new Map<string, number>();
    row.set(label, (row.get(label) ?? 0) + 1);
    table.set(theme, row);
  }
  const foundThemes = [...table]
    .map(([theme, row]) => {
      const [majority, majorityCount] = [...row].sort(([la, a], [lb, b]) => b - a || (la < lb ? -1 : 1))[0] ?? ['', 0];
      return { theme, size: [...row.values()].reduce((sum, count) => sum + count, 0), majority, majorityCount };
    })
    .sort((a, b) => b.size - a.size || (a.theme < b.theme ? -1 : 1));
  const labels = [...new Set(truth.values())].sort();
  const trueLabels = labels.map((label) => {
    let bestTheme: string | null = null;
    let bestCount = 0;
    let size = 0;
    for (const [theme, row] of [...table].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const count = row.get(label) ?? 0;
      size += count;
      if (count > bestCount) {
        bestTheme = theme;
        bestCount = count;
      }
    }
    return { label, size, bestTheme, bestCount, isMajorityOfSomeTheme: foundThemes.some((found) => found.majority === label) };
  });
  const sumMajority = foundThemes.reduce((sum, theme) => sum + theme.majorityCount, 0);
  const sumBest = trueLabels.reduce((sum, label) => sum + label.bestCount, 0);
  return {
    purity: assigned === 0 ? 0 : sumMajority / assigned,
    inversePurity: assigned === 0 ? 0 : sumBest / assigned,
    assigned,
    labelled: truth.size,
    foundThemes,
    trueLabels,
  };
}
