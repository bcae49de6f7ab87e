// Writes a benchmark's latest figures into docs/performance.md, one section per benchmark
// between markers, so each benchmark rewrites only its own section and the others stay.
import { cpus, availableParallelism } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { node22Version } from './node';
import { projectRoot } from './paths';
import { markdownTable, type Table } from './table';

export const performanceDoc = join(projectRoot, 'docs', 'performance.md');

export interface Figures {
  /** The benchmark's name, as `npm run bench -- <name>` takes it. */
  bench: string;
  /** The section heading (without `##`). */
  title: string;
  /** The command that produced the figures, if not plain `npm run bench -- <bench>`. */
  command?: string;
  /** What the figures measure and against what, in a sentence or two. */
  summary: string;
  tables: { caption?: string; table: Table }[];
  notes?: string[];
}

export interface Machine {
  cores: number;
  cpu: string;
  node: string;
  date: string;
}

export function machine(): Machine {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    node: node22Version(),
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  };
}

const start = (bench: string) => `<!-- bench:${bench}:start -->`;
const end = (bench: string) => `<!-- bench:${bench}:end -->`;

export function renderFigures(figures: Figures, m: Machine): string {
  const parts = [
    start(figures.bench),
    `## ${figures.title}`,
    '',
    figures.summary,
    '',
    `Command: \`${figures.command ?? `npm run bench -- ${figures.bench}`}\``,
    '',
    `Last run: ${m.date}, ${m.cores} cores (${m.cpu}), Node ${m.node}.`,
  ];
  for (const { caption, table } of figures.tables) {
    parts.push('');
    if (caption) parts.push(caption, '');
    parts.push(markdownTable(table));
  }
  if (figures.notes?.length) {
    parts.push('', ...figures.notes.map((note) => `- ${note}`));
  }
  parts.push(end(figures.bench));
  return parts.join('\n');
}

/**
 * Replaces the benchmark's section in docs/performance.md (appends it the first time), then
 * formats the file as the project's Prettier does, so `npm run lint` stays clean after a run.
 */
export async function writeFigures(figures: Figures): Promise<void> {
  if (process.env.LIANDONG_BENCH_NO_WRITE === '1') return;
  const section = renderFigures(figures, machine());
  const doc = existsSync(performanceDoc) ? readFileSync(performanceDoc, 'utf8') : '# Performance\n';
  const from = doc.indexOf(start(figures.bench));
  const to = doc.indexOf(end(figures.bench));
  const next =
    from >= 0 && to > from
      ? doc.slice(0, from) + section + doc.slice(to + end(figures.bench).length)
      : `${doc.trimEnd()}\n\n${section}\n`;
  const options = (await resolveConfig(performanceDoc)) ?? {};
  writeFileSync(performanceDoc, await format(next, { ...options, filepath: performanceDoc }));
  console.log(`\nfigures written to ${performanceDoc}`);
}
