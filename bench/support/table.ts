// Side-by-side tables: printed aligned on the terminal, and as Markdown for docs/performance.md.

export type Align = 'left' | 'right';

export interface Column {
  title: string;
  align?: Align;
}

export interface Table {
  columns: Column[];
  rows: string[][];
}

const width = (text: string): number => {
  // CJK characters take two terminal cells.
  let cells = 0;
  for (const ch of text)
    cells += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/u.test(ch)
      ? 2
      : 1;
  return cells;
};

const pad = (text: string, cells: number, align: Align): string => {
  const fill = ' '.repeat(Math.max(0, cells - width(text)));
  return align === 'right' ? fill + text : text + fill;
};

function check(table: Table): void {
  for (const row of table.rows) {
    if (row.length !== table.columns.length) {
      throw new Error(`table row has ${row.length} cells, expected ${table.columns.length}`);
    }
  }
}

/** Aligned plain text, for the terminal. */
export function formatTable(table: Table): string {
  check(table);
  const widths = table.columns.map((column, i) =>
    Math.max(width(column.title), ...table.rows.map((row) => width(row[i] ?? ''))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => pad(cell, widths[i] ?? 0, table.columns[i]?.align ?? 'left'))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(table.columns.map((c) => c.title)), rule, ...table.rows.map(line)].join('\n');
}

/** A GitHub Markdown table. */
export function markdownTable(table: Table): string {
  check(table);
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  const header = `| ${table.columns.map((c) => escape(c.title)).join(' | ')} |`;
  const rule = `| ${table.columns.map((c) => (c.align === 'right' ? '---:' : '---')).join(' | ')} |`;
  const rows = table.rows.map((row) => `| ${row.map(escape).join(' | ')} |`);
  return [header, rule, ...rows].join('\n');
}
