// The one way the console writes a form field (a bilingual label around its control), a choice
// among codes, a form that sends to the API and shows what the API refused, and an action that
// asks for what it needs (a reason, a department) in a dialog before it sends.
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { L, NAMES, Problem, streetCodes, useConsole, useRun } from './ui';

export interface Label {
  zh: string;
  en: string;
}

/** A labelled control: the label's text (Chinese, then English) and the control inside it. */
export const Field = ({
  label,
  hint,
  children,
}: {
  label: Label;
  hint?: ComponentChildren;
  children: ComponentChildren;
}) => (
  <label>
    <span>
      <L {...label} />
      {hint ? <> {hint}</> : null}
    </span>
    {children}
  </label>
);

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
  ...select
}: {
  options: readonly Option[];
  all?: string;
  name?: string;
  value?: string;
  required?: boolean;
  onChange?: (event: Event) => void;
}) => (
  <select {...select}>
    {all !== undefined ? <option value="">{all}</option> : null}
    {options.map(([value, text]) => (
      <option key={value} value={value}>
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
): { onSubmit: (event: Event) => void; error?: string | undefined; busy: boolean } {
  const { run: start, busy, error } = useRun(done);
  const onSubmit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    start(() => run(form));
  };
  return { onSubmit, busy, error };
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
        <button type="submit" class="primary" disabled={sending.busy}>
          <L {...submit} />
        </button>
        <button type="button" class="secondary" onClick={close}>
          <L zh="取消" en="Cancel" />
        </button>
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
