// The one way the console writes a form field (a bilingual label around its control), a choice
// among codes, and a form that sends to the API and shows what the API refused.
import type { ComponentChildren } from 'preact';
import { L, NAMES, streetCodes, useRun } from './ui';

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
