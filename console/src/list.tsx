// The one list page of the console: a bar of filters over a table of one page of an API list,
// paged with the list's signed cursor (the API signs it for this query: a cursor only goes
// forward, so going back keeps the cursors already read).
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Choice, Field, type Label, type Option } from './forms';
import type { Page as Paged } from './types';
import { L, NoneOr, Show, useConsole, useLoad } from './ui';

export type Filter =
  | {
      key: string;
      label: Label;
      kind: 'select';
      /** A function when the options are known only once the console has loaded (streets). */
      options: readonly Option[] | (() => readonly Option[]);
      all?: string | false;
    }
  | { key: string; label: Label; kind: 'search' | 'date' };

export type FilterValues = Record<string, string>;

type SelectFilter = Extract<Filter, { kind: 'select' }>;

/** A filter that chooses one of `options` (all of them when none is chosen, unless `all` says). */
export const selectFilter = (
  key: string,
  label: Label,
  options: SelectFilter['options'],
  all?: SelectFilter['all'],
): Filter => ({ key, label, kind: 'select', options, ...(all === undefined ? {} : { all }) });

/** The filters of a list; `inForm` when they sit inside another form (the invitee picker). */
export function FilterBar({
  filters,
  values,
  onChange,
  inForm = false,
}: {
  filters: readonly Filter[];
  values: FilterValues;
  onChange: (next: FilterValues) => void;
  inForm?: boolean;
}) {
  const set = (key: string) => (event: Event) =>
    onChange({
      ...values,
      [key]: (event.currentTarget as HTMLInputElement | HTMLSelectElement).value,
    });
  const fields = filters.map((filter) => (
    <Field key={filter.key} label={filter.label}>
      {filter.kind === 'select' ? (
        <Choice
          options={typeof filter.options === 'function' ? filter.options() : filter.options}
          {...(filter.all === false ? {} : { all: filter.all ?? '全部 All' })}
          value={values[filter.key] ?? ''}
          onChange={set(filter.key)}
        />
      ) : (
        <input type={filter.kind} value={values[filter.key] ?? ''} onInput={set(filter.key)} />
      )}
    </Field>
  ));
  return inForm ? (
    <div class="filters">{fields}</div>
  ) : (
    <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
      {fields}
    </form>
  );
}

export interface Column<T> {
  title: Label;
  cell: (row: T) => ComponentChildren;
}

/** A table of rows, one column per {@link Column}. */
export function DataTable<T extends { id: string }>({
  columns,
  rows,
  caption,
  rowClass,
}: {
  columns: readonly Column<T>[];
  rows: readonly T[];
  caption?: Label | undefined;
  rowClass?: ((row: T) => string | undefined) | undefined;
}) {
  return (
    <table>
      {caption ? (
        <caption>
          <L {...caption} />
        </caption>
      ) : null}
      <thead>
        <tr>
          {columns.map((column) => (
            <th scope="col" key={column.title.en}>
              <L {...column.title} />
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} class={rowClass?.(row)}>
            {columns.map((column) => (
              <td key={column.title.en}>{column.cell(row)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * A paged list of `path` (GET, `{items, nextCursor?}`): its filters, then a table of one page.
 * `query` is fixed (not shown as a filter); `order` sorts a page's rows as they are shown.
 */
export function ListPage<T extends { id: string }>({
  path,
  query = {},
  filters = [],
  columns,
  empty,
  pageSize = 25,
  caption,
  rowClass,
  order,
  reloadKey,
}: {
  path: string;
  query?: Record<string, string>;
  filters?: readonly Filter[];
  columns: readonly Column<T>[];
  empty: Label;
  pageSize?: number;
  caption?: Label;
  rowClass?: (row: T) => string | undefined;
  order?: (a: T, b: T) => number;
  /** Read the page again (same filters, same page) when this changes: after an edit. */
  reloadKey?: number;
}) {
  const { api } = useConsole();
  const [values, setValues] = useState<FilterValues>({});
  // The cursors of the pages before this one, and this page's ('' for the first).
  const [cursors, setCursors] = useState<string[]>(['']);
  const cursor = cursors[cursors.length - 1] || undefined;
  const list = useLoad(
    () => api.get<Paged<T>>(path, { ...query, ...values, cursor, limit: String(pageSize) }),
    [path, JSON.stringify(query), JSON.stringify(values), cursor, reloadKey],
  );
  return (
    <>
      {filters.length > 0 ? (
        <FilterBar
          filters={filters}
          values={values}
          onChange={(next) => {
            setCursors(['']);
            setValues(next);
          }}
        />
      ) : null}
      <Show loaded={list}>
        {(page) => {
          const rows = order ? [...page.items].sort(order) : page.items;
          return (
            <>
              <NoneOr count={rows.length} none={empty}>
                <DataTable columns={columns} rows={rows} caption={caption} rowClass={rowClass} />
              </NoneOr>
              {cursors.length > 1 || page.nextCursor ? (
                <p class="pager">
                  {cursors.length > 1 ? (
                    <button
                      type="button"
                      class="secondary"
                      onClick={() => setCursors((c) => c.slice(0, -1))}
                    >
                      <L zh="上一页" en="Previous page" />
                    </button>
                  ) : null}
                  {page.nextCursor ? (
                    <button
                      type="button"
                      class="secondary"
                      onClick={() => setCursors((c) => [...c, page.nextCursor!])}
                    >
                      <L zh="下一页" en="Next page" />
                    </button>
                  ) : null}
                </p>
              ) : null}
            </>
          );
        }}
      </Show>
    </>
  );
}
