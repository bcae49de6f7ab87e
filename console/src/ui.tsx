// Shared pieces of every page: the signed-in context, bilingual labels (Chinese first, English
// beside it), loading and error states, and an action button that reports what the API said.
import { createContext, Fragment, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useState } from 'preact/hooks';
import {
  ACTIVITY_ACTION_NAMES,
  ACTIVITY_STATUS_NAMES,
  ACTIVITY_TYPES,
  DEPUTY_LEVELS,
  FINDING_CATEGORIES,
  FINDING_KIND_NAMES,
  REFERRAL_STATUS_NAMES,
  REFERRAL_WAIT_NAMES,
} from '../../functions/shared/domain/reference';
import type { Api } from './api';
import { districtWide, type Session } from './auth';

export interface ConsoleContext {
  api: Api;
  session: Session;
  /** Organisers act; auditors read the same pages without any write action. */
  canWrite: boolean;
}

export const Ctx = createContext<ConsoleContext | null>(null);

export const useConsole = (): ConsoleContext => {
  const value = useContext(Ctx);
  if (!value) throw new Error('outside the console');
  return value;
};

/** A label in Chinese with its English beside it. */
export const L = ({ zh, en }: { zh: string; en: string }) => (
  <>
    {zh}{' '}
    <span class="en" lang="en">
      {en}
    </span>
  </>
);

type Names = Readonly<Record<string, { zh: string; en: string }>>;

export const nameOf = (table: Names, code: string | undefined) => {
  const entry = code ? table[code] : undefined;
  return entry ? <L zh={entry.zh} en={entry.en} /> : <>{code ?? '—'}</>;
};

export const ACTIVITY_STATUS: Names = ACTIVITY_STATUS_NAMES;
export const ACTIONS: Names = ACTIVITY_ACTION_NAMES;
export const REFERRAL_WAITS: Names = REFERRAL_WAIT_NAMES;

/**
 * The district's streets, by code, as `GET /jurisdiction` answers (filled once at start, before
 * the first page renders): the console compiles in no district's streets.
 */
export const STREET_NAMES: Record<string, { zh: string; en: string }> = {};
export const streetCodes = (): string[] => Object.keys(STREET_NAMES);

export const NAMES = {
  type: ACTIVITY_TYPES as Names,
  level: DEPUTY_LEVELS as Names,
  street: STREET_NAMES,
  category: FINDING_CATEGORIES as Names,
  kind: FINDING_KIND_NAMES as Names,
  referral: REFERRAL_STATUS_NAMES as Names,
  status: ACTIVITY_STATUS,
};

const TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** Times as the district reads them (Beijing time). */
export const when = (iso: string | null | undefined) => (iso ? TIME.format(new Date(iso)) : '—');

export interface Loaded<T> {
  data?: T;
  error?: string;
  loading: boolean;
  reload: () => void;
}

/** Loads on mount and whenever `deps` change; `reload` loads again (after an action). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({
    loading: true,
  });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (err: unknown) => live && setState({ error: (err as Error).message, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}

export const Problem = ({ message }: { message: string | undefined }) =>
  message ? (
    <p class="error" role="alert">
      {message}
    </p>
  ) : null;

export function Show<T>({
  loaded,
  children,
}: {
  loaded: Loaded<T>;
  children: (data: T) => ComponentChildren;
}) {
  if (loaded.error) return <Problem message={loaded.error} />;
  if (loaded.data === undefined) return <p aria-busy="true">加载中… Loading…</p>;
  return <>{children(loaded.data)}</>;
}

/**
 * Runs one call to the API at a time: `busy` while it runs, the API's refusal kept in `error`,
 * `done` after a success. Forms (forms.tsx useSubmit) and action buttons both run through it.
 */
export function useRun(done?: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = (call: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    call().then(
      () => {
        setBusy(false);
        done?.();
      },
      (err: unknown) => {
        setBusy(false);
        setError((err as Error).message);
      },
    );
  };
  return { run, busy, error };
}

/** A button with a bilingual label, disabled while what it started is `busy`. */
export const Button = ({
  label,
  kind = 'secondary',
  type = 'button',
  busy = false,
  onClick,
}: {
  label: { zh: string; en: string };
  kind?: 'primary' | 'secondary' | 'danger';
  type?: 'button' | 'submit';
  busy?: boolean;
  onClick?: () => void;
}) => (
  <button type={type} class={kind} disabled={busy} onClick={onClick}>
    <L {...label} />
  </button>
);

/** The submit button of a form that `state` (useSubmit, forms.tsx) sends. */
export const Submit = ({
  state,
  label,
  kind = 'secondary',
}: {
  state: { busy: boolean };
  label: Label;
  kind?: 'primary' | 'secondary';
}) => <Button type="submit" kind={kind} busy={state.busy} label={label} />;

/** A write action: hidden from auditors; shows the API's answer when it refuses. */
export function Action({
  label,
  run,
  done,
  kind = 'primary',
}: {
  label: { zh: string; en: string };
  run: () => Promise<unknown>;
  done?: () => void;
  kind?: 'primary' | 'secondary' | 'danger';
}) {
  const { canWrite } = useConsole();
  const action = useRun(done);
  if (!canWrite) return null;
  return (
    <span class="action">
      <Button label={label} kind={kind} busy={action.busy} onClick={() => action.run(run)} />
      <Problem message={action.error} />
    </span>
  );
}

type Label = { zh: string; en: string };

/**
 * Facts about one thing, as a definition list: a bilingual label and its value per row (a row's
 * third entry names its value for tests). `figures` shows them side by side, a count under its
 * label.
 */
export const Facts = ({
  rows,
  figures = false,
}: {
  rows: readonly (readonly [label: Label | string, value: ComponentChildren, testId?: string])[];
  figures?: boolean;
}) => {
  const Row = figures ? 'div' : Fragment;
  return (
    <dl class={figures ? 'figures' : 'facts'}>
      {rows.map(([label, value, testId]) => (
        <Row key={typeof label === 'string' ? label : label.en}>
          <dt>{typeof label === 'string' ? label : <L {...label} />}</dt>
          <dd data-testid={testId}>{value}</dd>
        </Row>
      ))}
    </dl>
  );
};

export const Page = ({
  title,
  children,
}: {
  title: { zh: string; en: string };
  children: ComponentChildren;
}) => {
  useEffect(() => {
    document.title = `${title.zh} ${title.en} · 联动`;
  }, [title.zh, title.en]);
  return (
    <>
      <h1>
        <L {...title} />
      </h1>
      {children}
    </>
  );
};

/** `children`, or the sentence `none` when there is nothing (`count` 0) to show. */
interface NoneOrProps {
  count: number;
  none: Label;
  children: ComponentChildren;
}

export const NoneOr = ({ count, none, children }: NoneOrProps) =>
  count === 0 ? (
    <p>
      <L {...none} />
    </p>
  ) : (
    <>{children}</>
  );

/** A bulleted list of `items`, each as `children` renders it; the sentence `none` when empty. */
export function Bullets<T extends { id: string }>({
  items,
  none,
  class: className,
  children,
}: {
  items: readonly T[];
  none: { zh: string; en: string };
  class?: string;
  children: (item: T) => ComponentChildren;
}) {
  return (
    <NoneOr count={items.length} none={none}>
      <ul class={className}>
        {items.map((item) => (
          <li key={item.id}>{children(item)}</li>
        ))}
      </ul>
    </NoneOr>
  );
}

/** Events in order, each after its time (`children` says what happened). */
export function EventList<T extends { at: string }>({
  events,
  keyOf,
  children,
}: {
  events: readonly T[];
  keyOf: (event: T) => string | number;
  children: (event: T) => ComponentChildren;
}) {
  return (
    <ol class="timeline">
      {events.map((event) => (
        <li key={keyOf(event)}>
          <time dateTime={event.at}>{when(event.at)}</time> {children(event)}
        </li>
      ))}
    </ol>
  );
}

/** A remark after a value, when `show`: muted (`（外区）`), or strong when `late` (`逾期`). */
export const Remark = ({
  show,
  label,
  late = false,
}: {
  show: boolean;
  label: Label;
  late?: boolean;
}) => {
  if (!show) return null;
  const Tag = late ? 'strong' : 'span';
  return (
    <Tag class={late ? 'late' : 'muted'}>
      {' '}
      <L {...label} />
    </Tag>
  );
};

/** A titled part of a page: the heading names the section for assistive technology too. */
interface SectionProps {
  id: string;
  title: Label;
  children: ComponentChildren;
}

export const Section = ({ id, title, children }: SectionProps) => (
  <section aria-labelledby={id}>
    <h2 id={id}>
      <L {...title} />
    </h2>
    {children}
  </section>
);

export const Pill = ({
  children,
  tone = 'plain',
}: {
  children: ComponentChildren;
  tone?: string;
}) => <span class={`pill ${tone}`}>{children}</span>;

export const link = (...parts: string[]) => `#/${parts.map(encodeURIComponent).join('/')}`;

/** The signed-in person's scope as people say it: 全区 for the whole district, else its street. */
export function ScopeName({ session }: { session: Session }) {
  if (districtWide(session)) return <L zh="全区" en="Whole district" />;
  return session.street ? <>{nameOf(NAMES.street, session.street)}</> : null;
}
