// A plain-text table: right-aligned numbers, left-aligned words.

/** @param {string[]} headers @param {Array<Array<string | number>>} rows */
export function formatTable(headers, rows) {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const numeric = headers.map((_, i) => rows.every((row) => typeof row[i] === 'number' || /^[\d.,%/ -]+$/.test(String(row[i]))));
  const line = (row) => row.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' | ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.slice(1).map(line)].join('\n');
}

export const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
