// The one way the console writes a form field (a bilingual label around its control), a choice
// among codes, a form that sends to the API and shows what the API refused (its message under
// the form, and each field it named beside that field, marked invalid, the first one focused),
// and an action that asks for what it needs (a reason, a department) in a dialog before it sends.
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiError, type FieldIssue } from './api';
import { L, NAMES, Problem, streetCodes, useConsole, useRun, Button, Submit } from './ui';

export interface Label {
  zh: string;
  en: string;
}

/** A labelled control: the label's text (Chinese, then English) and the control inside it. */
export const Field = ({
  label,
  hint,
  error,
  children,
}: {
  label: Label;
  hint?: ComponentChildren;
  /** What the API said of this field (from {@link useSubmit}'s `fieldError`). */
  error?: string | undefined;
  children: ComponentChildren;
}) => (
  <label class={error ? 'invalid' : undefined}>
    <span>
      <L {...label} />
      {hint ? <> {hint}</> : null}
    </span>
    {children}
    {error ? <span class="field-error">{error}</span> : null}
  </label>
);

/** The API's words for a refused field, in Chinese first (the API answers in English). */
const FIELD_MESSAGES: Readonly<Record<string, string>> = {
  'must not be empty': '不能为空',
  'must be an email address': '须为邮箱地址',
  'unknown field': '未知字段',
  'Invalid input': '输入无效',
};

const fieldMessage = (message: string) =>
  `${FIELD_MESSAGES[message] ?? (message.startsWith('duplicate') ? '有重复' : '此项有误')} ${message}`;

/** The issue the API named for a control: its own path, or one inside it (`emails` ← `emails.1`). */
const issueOf = (issues: readonly FieldIssue[], name: string) =>
  name ? issues.find((i) => i.path === name || i.path.startsWith(`${name}.`)) : undefined;

/**
 * Marks the controls the API refused (aria-invalid) and takes the focus to the first of them;
 * answers the issues no control of the form stands for (the form lists those under it).
 */
function markInvalid(form: HTMLFormElement, issues: readonly FieldIssue[]): FieldIssue[] {
  let first: HTMLElement | undefined;
  const placed = new Set<FieldIssue>();
  for (const element of Array.from(form.elements)) {
    const control = element as HTMLInputElement;
    if (!control.name) continue;
    const issue = issueOf(issues, control.name);
    if (issue && control.type !== 'hidden') {
      control.setAttribute('aria-invalid', 'true');
      first ??= control;
      for (const i of issues) if (issueOf([i], control.name)) placed.add(i);
    } else control.removeAttribute('aria-invalid');
  }
  first?.focus();
  return issues.filter((issue) => !placed.has(issue));
}

/** One option of a choice: its value and the text shown. */
export type Option = readonly [value: string, text: string];

/** Options from a table of bilingual names, in the order of `codes` (all of the table's keys). */
export const optionsOf = (
  names: Readonly<Record<string, Label | undefined>>,
  codes: readonly string[] = Object.keys(names),
  english = true,
): Option[] =>
  codes.map((code) => {
    const name = names[code];
    return [code, name ? (english ? `${name.zh} ${name.en}` : name.zh) : code];
  });

/**
 * The district's streets as options (read from GET /jurisdiction when the console starts, so a
 * filter takes them as a function, called when it is drawn).
 */
export const streetOptions = (english = true): Option[] =>
  optionsOf(NAMES.street, streetCodes(), english);

/** A select of options; `all` adds a first, empty option (a filter's "any"). */
export const Choice = ({
  options,
  all,
  initial,
  ...select
}: {
  options: readonly Option[];
  all?: string;
  /** The option chosen when the form opens (an edit's stored value); the person may change it. */
  initial?: string | undefined;
  name?: string;
  value?: string;
  required?: boolean;
  onChange?: (event: Event) => void;
}) => (
  <select {...select}>
    {all !== undefined ? <option value="">{all}</option> : null}
    {options.map(([value, text]) => (
      <option
        key={value}
        value={value}
        selected={initial === undefined ? undefined : value === initial}
      >
        {text}
      </option>
    ))}
  </select>
);

/**
 * Submits a form to the API: `run` gets the form's data; the error the API answered (its
 * message and each field it names) is kept for the form to show, and `done` runs on success.
 */
export function useSubmit(
  run: (form: FormData) => Promise<unknown>,
  done?: () => void,
): {
  onSubmit: (event: Event) => void;
  error?: string | undefined;
  busy: boolean;
  /** The fields the API named in its last refusal. */
  issues: readonly FieldIssue[];
  /** Those of them no control of the form stands for. */
  unplaced: readonly FieldIssue[];
  /** What to show beside the control named `name` ('' when the API said nothing of it). */
  fieldError: (name: string) => string | undefined;
} {
  const { run: start, busy, error } = useRun(done);
  const [issues, setIssues] = useState<readonly FieldIssue[]>([]);
  const [unplaced, setUnplaced] = useState<readonly FieldIssue[]>([]);
  const onSubmit = (event: Event) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const form = new FormData(element);
    setIssues([]);
    setUnplaced([]);
    start(() =>
      run(form).catch((err: unknown) => {
        const named = err instanceof ApiError ? err.issues : [];
        setIssues(named);
        setUnplaced(markInvalid(element, named));
        throw err;
      }),
    );
  };
  const fieldError = (name: string) => {
    const issue = issueOf(issues, name);
    return issue ? fieldMessage(issue.message) : undefined;
  };
  return { onSubmit, busy, error, issues, unplaced, fieldError };
}

/**
 * A form that writes one entry through the API (a new one, or a change of one shown prefilled):
 * its fields get what the API said of each; the first field takes the focus when it opens.
 */
export function EntryForm({
  title,
  submit,
  send,
  done,
  cancel,
  children,
}: {
  /** The form's accessible name. */
  title: Label;
  submit: Label;
  send: (form: FormData) => Promise<unknown>;
  done: () => void;
  /** Closes the form without a change (an edit's "cancel"). */
  cancel?: () => void;
  children: (fieldError: (name: string) => string | undefined) => ComponentChildren;
}) {
  const state = useSubmit(send, done);
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (cancel)
      (
        ref.current?.querySelector(
          'input:not([type=hidden]), select, textarea',
        ) as HTMLElement | null
      )?.focus();
  }, []);
  return (
    <form
      ref={ref}
      class="inline-form"
      onSubmit={state.onSubmit}
      aria-label={`${title.zh} ${title.en}`}
    >
      {children(state.fieldError)}
      <span class="form-buttons">
        <Button type="submit" busy={state.busy} label={submit} />
        {cancel ? (
          <Button kind="secondary" onClick={cancel} label={{ zh: '取消', en: 'Cancel' }} />
        ) : null}
      </span>
      <Problem
        message={
          // The fields' own words are beside them; only what no field shows is repeated here.
          state.error && state.issues.length > 0
            ? [
                '请修改标出的栏目 Please correct the marked fields.',
                ...state.unplaced.map((issue) => `${issue.path}: ${issue.message}`),
              ].join('\n')
            : state.error
        }
      />
    </form>
  );
}

/** A form's text field, trimmed ('' when absent). */
export const textOf = (form: FormData, name: string): string => String(form.get(name) ?? '').trim();

/** A control a form may require: inputs, selects and text areas. */
type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

const isControl = (element: Element): element is Control =>
  element instanceof HTMLInputElement ||
  element instanceof HTMLSelectElement ||
  element instanceof HTMLTextAreaElement;

/**
 * The first required control of `form` left empty (spaces only count as empty: the API trims a
 * reason), marked invalid; every other control unmarked.
 */
const firstEmpty = (form: HTMLFormElement): Control | undefined => {
  let empty: Control | undefined;
  for (const element of Array.from(form.elements)) {
    if (!isControl(element)) continue;
    const blank = element.required && element.value.trim() === '';
    if (blank) element.setAttribute('aria-invalid', 'true');
    else element.removeAttribute('aria-invalid');
    if (blank && !empty) empty = element;
  }
  return empty;
};

/** The text of a control's label (its Field's first line). */
const labelOf = (control: Control) =>
  control.closest('label')?.querySelector('span')?.textContent?.trim() ?? control.name;

/** The form inside an ActionDialog: drawn anew each time it opens (no answer of a last try). */
function DialogForm({
  titleId,
  title,
  submit,
  intro,
  children,
  run,
  close,
  done,
}: {
  titleId: string;
  title: Label;
  submit: Label;
  intro?: ComponentChildren;
  children: ComponentChildren;
  run: (form: FormData) => Promise<unknown>;
  close: () => void;
  done?: () => void;
}) {
  const [missing, setMissing] = useState<string>();
  const sending = useSubmit(run, () => {
    close();
    // The button that opened it may be gone with the step it ended: the page takes focus.
    document.getElementById('main')?.focus();
    done?.();
  });
  const onSubmit = (event: Event) => {
    event.preventDefault();
    const empty = firstEmpty(event.currentTarget as HTMLFormElement);
    if (empty) {
      setMissing(`请填写“${labelOf(empty)}” Required: ${labelOf(empty)}`);
      empty.focus();
      return;
    }
    setMissing(undefined);
    sending.onSubmit(event);
  };
  return (
    <form
      class="form"
      noValidate
      onSubmit={onSubmit}
      // A field filled in after a refusal is no longer marked, and the refusal goes.
      onInput={(event) => {
        const field = event.target as Element;
        if (isControl(field) && field.value.trim() !== '' && field.hasAttribute('aria-invalid')) {
          field.removeAttribute('aria-invalid');
          setMissing(undefined);
        }
      }}
    >
      <h2 id={titleId}>
        <L {...title} />
      </h2>
      {intro ? <p class="hint">{intro}</p> : null}
      {children}
      <Problem message={missing ?? sending.error} />
      <div class="actions">
        <Submit state={sending} kind="primary" label={submit} />
        <Button kind="secondary" onClick={close} label={{ zh: '取消', en: 'Cancel' }} />
      </div>
    </form>
  );
}

/**
 * The one way an action asks for what it needs before it is sent (a reason, a department, a
 * decision): a button opening a modal `<dialog>` with a labelled form. The browser's modal
 * dialog moves focus to its first field, keeps it inside, closes on Escape and gives focus back
 * to the button. A required field must hold more than spaces: checked before anything is sent,
 * named in the error and focused. What the API refuses is shown in the dialog, which stays
 * open; on success it closes, the page takes focus and `done` runs. Auditors see no button.
 */
export function ActionDialog({
  label,
  title = label,
  submit = label,
  kind = 'primary',
  intro,
  children,
  run,
  done,
}: {
  /** The button that opens it. */
  label: Label;
  /** The dialog's heading (the button's label when absent). */
  title?: Label;
  /** The button that sends (the button's label when absent). */
  submit?: Label;
  kind?: 'primary' | 'secondary' | 'danger';
  intro?: ComponentChildren;
  /** The fields (Field, ReasonField, Choice ...). */
  children: ComponentChildren;
  run: (form: FormData) => Promise<unknown>;
  done?: () => void;
}) {
  const { canWrite } = useConsole();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // Each opening draws the form anew, then shows it (so focus lands on its first field).
  const [opened, setOpened] = useState(0);
  useEffect(() => {
    if (opened > 0) dialog.current?.showModal();
  }, [opened]);
  if (!canWrite) return null;
  const close = () => dialog.current?.close();
  return (
    <span class="action">
      <button
        type="button"
        class={kind}
        aria-haspopup="dialog"
        onClick={() => setOpened((n) => n + 1)}
      >
        <L {...label} />
      </button>
      <dialog ref={dialog} class="dialog" aria-labelledby={titleId}>
        <DialogForm
          key={opened}
          titleId={titleId}
          title={title}
          submit={submit}
          intro={intro}
          run={run}
          close={close}
          {...(done ? { done } : {})}
        >
          {children}
        </DialogForm>
      </dialog>
    </span>
  );
}

/** A required reason: one line, as the API takes it (no line break, at most 1000 characters). */
export const ReasonField = ({ label = { zh: '理由', en: 'Reason' } }: { label?: Label }) => (
  <Field label={label}>
    <input type="text" name="reason" required maxLength={1000} autoComplete="off" />
  </Field>
);
