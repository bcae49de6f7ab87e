import { CsvError, parse } from 'csv-parse/sync';
import { streetMeant, streetProblem, type Jurisdiction } from '../shared/data/jurisdiction.js';
import { DEPUTY_LEVELS, type DeputyLevel } from '../shared/domain/reference.js';
import { ValidationError, type FieldIssue } from '../shared/errors.js';
import { explainingErrorMap, toFieldIssues } from '../shared/http/issues.js';
import { ILL_FORMED_MESSAGE } from '../shared/http/well-formed.js';
import { createDeputyBodySchema, type CreateDeputyBody } from './schemas.js';
import '../shared/zod-locale.js'; // English zod messages: zod/mini loads no locale

/**
 * The deputy roster CSV of `POST /deputies/import` (`content-type: text/csv`, UTF-8, an optional
 * byte-order mark, RFC 4180 quoting: a field with commas, quotes or line breaks is quoted, `""`
 * is a quote). The first row is the header; column names are case-insensitive, in any order:
 *
 * | column | required | value |
 * | --- | --- | --- |
 * | `name` | yes | the deputy's name, up to 50 characters |
 * | `email` | yes | unique among deputies (and within the file) |
 * | `level1` | yes | first seat: NATIONAL, PROVINCIAL, MUNICIPAL, DISTRICT, TOWN or 全国, 省, 市, 区, 镇/街道 |
 * | `body1` | yes | the congress of the first seat, e.g. 某市某区人民代表大会 |
 * | `level2`, `body2` | no | a second seat (both or neither) |
 * | `group` | no | 联组, e.g. 市人大某区联组 |
 * | `street` | no | street working committee: one of the district's codes (GET /jurisdiction) or its name, with or without 街道/镇 |
 * | `liaisonStation` | no | a liaison station's name |
 * | `active` | no | true/false, yes/no, 1/0, 是/否; empty means true |
 *
 * Every row is checked before anything is written; errors name the line (1 = the header) and
 * the column.
 */

export const ROSTER_COLUMNS = [
  'name',
  'email',
  'level1',
  'body1',
  'level2',
  'body2',
  'group',
  'street',
  'liaisonStation',
  'active',
] as const;
export type RosterColumn = (typeof ROSTER_COLUMNS)[number];

const REQUIRED_COLUMNS: readonly RosterColumn[] = ['name', 'email', 'level1', 'body1'];

export const MAX_ROSTER_ROWS = 2000;

export interface RosterRowError {
  /** Line of the file the row starts on (the header is line 1). */
  line: number;
  /** The CSV column at fault, or `row` for the row as a whole. */
  field: RosterColumn | 'row';
  message: string;
}

export interface RosterRow {
  line: number;
  deputy: CreateDeputyBody;
}

/** 422 listing every row error; nothing was imported. */
export class RosterValidationError extends ValidationError {
  readonly rows: RosterRowError[];

  constructor(rows: RosterRowError[], message?: string) {
    const issues: FieldIssue[] = rows.map((row) => ({
      path: `lines.${row.line}.${row.field}`,
      message: row.message,
    }));
    const shown = rows
      .slice(0, 5)
      .map((row) => `line ${row.line}, ${row.field}: ${row.message}`)
      .join('; ');
    super(
      message ??
        `Nothing imported: ${rows.length} error${rows.length === 1 ? '' : 's'} in the roster (${shown}${rows.length > 5 ? '; …' : ''})`,
      issues,
    );
    this.rows = rows;
  }
}

const LEVEL_ALIASES: Record<string, DeputyLevel> = {
  ...Object.fromEntries((Object.keys(DEPUTY_LEVELS) as DeputyLevel[]).map((code) => [code, code])),
  全国: 'NATIONAL',
  全国人大: 'NATIONAL',
  省: 'PROVINCIAL',
  省人大: 'PROVINCIAL',
  市: 'MUNICIPAL',
  市人大: 'MUNICIPAL',
  区: 'DISTRICT',
  区人大: 'DISTRICT',
  镇: 'TOWN',
  街道: 'TOWN',
  '镇/街道': 'TOWN',
  镇人大: 'TOWN',
};

const levelOf = (value: string): string =>
  LEVEL_ALIASES[value.toUpperCase()] ?? LEVEL_ALIASES[value] ?? value;

const BOOLEANS: Record<string, boolean> = {
  true: true,
  yes: true,
  y: true,
  '1': true,
  是: true,
  false: false,
  no: false,
  n: false,
  '0': false,
  否: false,
};

/** Zod paths of the deputy body → the CSV column a user must fix. */
const columnOf = (path: string): RosterColumn | 'row' => {
  if (path === '') return 'row';
  const [head, index, member] = path.split('.');
  if (head === 'seats') {
    if (index === undefined || member === undefined) return index === '1' ? 'level2' : 'level1';
    const n = index === '1' ? '2' : '1';
    return `${member === 'body' ? 'body' : 'level'}${n}` as RosterColumn;
  }
  return (ROSTER_COLUMNS as readonly string[]).includes(head ?? '')
    ? (head as RosterColumn)
    : 'row';
};

/** The header row → column positions; unknown or missing columns are errors on line 1. */
const readHeader = (header: string[]) => {
  const positions = new Map<RosterColumn, number>();
  const errors: RosterRowError[] = [];
  const canonical = new Map(ROSTER_COLUMNS.map((column) => [column.toLowerCase(), column]));
  header.forEach((raw, index) => {
    const name = raw.trim();
    const column = canonical.get(name.toLowerCase());
    if (!column) {
      errors.push({
        line: 1,
        field: 'row',
        message: `unknown column "${name}" (columns: ${ROSTER_COLUMNS.join(', ')})`,
      });
    } else if (positions.has(column)) {
      errors.push({ line: 1, field: column, message: `column ${column} appears twice` });
    } else {
      positions.set(column, index);
    }
  });
  for (const column of REQUIRED_COLUMNS) {
    if (!positions.has(column)) {
      errors.push({ line: 1, field: column, message: `required column ${column} is missing` });
    }
  }
  return { positions, errors };
};

const rowToBody = (cells: Map<RosterColumn, string>, line: number, jurisdiction: Jurisdiction) => {
  const errors: RosterRowError[] = [];
  const get = (column: RosterColumn) => cells.get(column)?.trim() ?? '';
  const seats: { level: string; body: string }[] = [
    { level: levelOf(get('level1')), body: get('body1') },
  ];
  if (get('level2') !== '' || get('body2') !== '') {
    seats.push({ level: levelOf(get('level2')), body: get('body2') });
  }
  let active: boolean | undefined;
  if (get('active') !== '') {
    active = BOOLEANS[get('active').toLowerCase()];
    if (active === undefined) {
      errors.push({ line, field: 'active', message: 'must be true or false (yes/no, 1/0, 是/否)' });
    }
  }
  const optional = (column: RosterColumn, value = get(column)) =>
    value === '' ? {} : { [column]: value };
  const body = {
    name: get('name'),
    email: get('email'),
    seats,
    ...optional('group'),
    ...optional(
      'street',
      get('street') === '' ? '' : (streetMeant(jurisdiction, get('street')) ?? get('street')),
    ),
    ...optional('liaisonStation'),
    ...(active === undefined ? {} : { active }),
  };
  const parsed = createDeputyBodySchema.safeParse(body, { error: explainingErrorMap });
  if (!parsed.success) {
    for (const issue of toFieldIssues(parsed.error)) {
      const field = columnOf(issue.path);
      const empty = field !== 'row' && get(field) === '';
      errors.push({ line, field, message: empty ? 'required' : issue.message });
    }
  }
  // The street must be one of the district's stored streets (a name is read as its code).
  const street = (body as { street?: string }).street;
  const streetIssue = street ? streetProblem(jurisdiction, street) : undefined;
  if (streetIssue) errors.push({ line, field: 'street', message: streetIssue });
  return { body: parsed.success && !streetIssue ? parsed.data : undefined, errors };
};

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * csv-parse reads a string as UTF-8 bytes, which silently turns a lone surrogate (ill-formed
 * Unicode, shared/http/well-formed.ts) into U+FFFD. So each one is first replaced by a
 * noncharacter (U+FDD0–U+FDEF, never meant for interchange) that the file does not hold: the
 * cells holding it are the ones refused, by line and column.
 */
const markLoneSurrogates = (input: string | Buffer): { text: string | Buffer; marker?: string } => {
  if (typeof input !== 'string' || input.isWellFormed()) return { text: input };
  for (let code = 0xfdd0; code <= 0xfdef; code++) {
    const marker = String.fromCharCode(code);
    if (!input.includes(marker)) return { text: input.replace(LONE_SURROGATE, marker), marker };
  }
  throw new RosterValidationError([{ line: 1, field: 'row', message: ILL_FORMED_MESSAGE }]);
};

/**
 * Parses and checks a roster: every row, all errors at once (line and column), duplicate emails
 * inside the file reported on their later line. Returns the valid rows and the errors; a file
 * that cannot be read as a roster at all (bad CSV, bad header, no rows) throws
 * {@link RosterValidationError}.
 */
export const readRoster = (
  input: string | Buffer,
  jurisdiction: Jurisdiction,
): { rows: RosterRow[]; errors: RosterRowError[] } => {
  const { text, marker } = markLoneSurrogates(input);
  let records: { record: string[]; info: { lines: number; empty_lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? 1;
      throw new RosterValidationError(
        [{ line, field: 'row', message: `not valid CSV: ${error.message}` }],
        `Not a valid CSV file (line ${line}): ${error.message}`,
      );
    }
    throw error;
  }

  const [header, ...data] = records;
  if (!header) {
    throw new RosterValidationError([{ line: 1, field: 'row', message: 'the file is empty' }]);
  }
  const { positions, errors } = readHeader(header.record);
  if (errors.length > 0) throw new RosterValidationError(errors);
  if (data.length === 0) {
    throw new RosterValidationError([
      { line: 2, field: 'row', message: 'no deputies: the file has a header row only' },
    ]);
  }
  if (data.length > MAX_ROSTER_ROWS) {
    throw new RosterValidationError([
      {
        line: MAX_ROSTER_ROWS + 2,
        field: 'row',
        message: `a roster holds at most ${MAX_ROSTER_ROWS} deputies; split the file`,
      },
    ]);
  }

  const rows: RosterRow[] = [];
  const firstLineOfEmail = new Map<string, number>();
  let previousEnd = header.info.lines;
  let previousEmpty = header.info.empty_lines;
  for (const { record, info } of data) {
    // A quoted field may span lines: the row starts after the previous one (and skipped blanks).
    const line = previousEnd + 1 + (info.empty_lines - previousEmpty);
    previousEnd = info.lines;
    previousEmpty = info.empty_lines;

    if (record.length !== header.record.length) {
      errors.push({
        line,
        field: 'row',
        message: `expected ${header.record.length} columns as in the header, got ${record.length}`,
      });
      continue;
    }
    const cells = new Map<RosterColumn, string>(
      [...positions].map(([column, index]) => [column, record[index] ?? '']),
    );
    // Where a lone surrogate stood, the cell is refused before the row is read.
    const illFormed = [...cells]
      .filter(([, value]) => marker !== undefined && value.includes(marker))
      .map(([field]): RosterRowError => ({ line, field, message: ILL_FORMED_MESSAGE }));
    if (illFormed.length > 0) {
      errors.push(...illFormed);
      continue;
    }
    const { body, errors: rowErrors } = rowToBody(cells, line, jurisdiction);
    errors.push(...rowErrors);
    if (!body) continue;
    const first = firstLineOfEmail.get(body.email);
    if (first !== undefined) {
      errors.push({
        line,
        field: 'email',
        message: `${body.email} appears already on line ${first}`,
      });
      continue;
    }
    firstLineOfEmail.set(body.email, line);
    rows.push({ line, deputy: body });
  }
  return { rows, errors };
};

/** {@link readRoster}, all or nothing: the rows when every one is valid, else a 422. */
export const parseRoster = (input: string | Buffer, jurisdiction: Jurisdiction): RosterRow[] => {
  const { rows, errors } = readRoster(input, jurisdiction);
  if (errors.length > 0) throw new RosterValidationError(errors);
  return rows;
};
