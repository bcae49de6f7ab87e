import { useState } from 'preact/hooks';
import {
  ACTIVITY_DETAIL_LABELS,
  ACTIVITY_FORMATS,
} from '../../../functions/shared/domain/activity-details';
import {
  ACTIVITY_TYPE_CODES,
  DEPUTY_LEVEL_CODES,
  type ActivityType,
} from '../../../functions/shared/domain/reference';
import { Choice, Field, optionsOf, streetOptions, textOf, useSubmit, type Label } from '../forms';
import { FilterBar, selectFilter, type Filter } from '../list';
import type { Deputy, Page as Paged } from '../types';
import { L, NAMES, Page, Problem, Show, useConsole, useLoad, Submit } from '../ui';

type FieldKind = 'text' | 'lines' | 'format' | 'visits';
interface DetailField {
  name: string;
  kind: FieldKind;
  required?: boolean;
}

/** Each type's own fields, as POST /activities takes them (functions/activities/schemas.ts). */
const DETAIL_FIELDS: Record<ActivityType, DetailField[]> = {
  THEMATIC_CAMPAIGN: [{ name: 'theme', kind: 'text' }],
  COMMUNITY_VISIT: [{ name: 'communities', kind: 'lines' }],
  CROSS_INSPECTION: [
    { name: 'inspectingDistrict', kind: 'text', required: true },
    { name: 'inspectedDistrict', kind: 'text', required: true },
    { name: 'unannouncedVisits', kind: 'visits' },
  ],
  THEMATIC_RESEARCH: [{ name: 'topic', kind: 'text' }],
  RECEPTION_DAY: [{ name: 'liaisonStations', kind: 'lines', required: true }],
  SPECIAL_INSPECTION: [
    { name: 'regulation', kind: 'text', required: true },
    { name: 'checklist', kind: 'lines', required: true },
  ],
  ONLINE_LIAISON_INTAKE: [{ name: 'onlineStation', kind: 'text' }],
  ENTERPRISE_VISIT: [
    { name: 'enterprises', kind: 'lines' },
    { name: 'format', kind: 'format' },
  ],
  LEGAL_TRAINING: [
    { name: 'topic', kind: 'text' },
    { name: 'speaker', kind: 'text' },
  ],
  SYMPOSIUM: [{ name: 'topic', kind: 'text' }],
};

/** A `datetime-local` value read as Beijing time. */
const beijing = (local: string) => (local ? `${local}:00+08:00` : '');
const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/** Finding deputies (GET /deputies): by name, group (联组), street and level. */
export const DEPUTY_FILTERS: Filter[] = [
  { key: 'name', label: { zh: '姓名', en: 'Name' }, kind: 'search' },
  { key: 'group', label: { zh: '联组/代表组（全称）', en: 'Group (full name)' }, kind: 'search' },
  selectFilter('street', { zh: '街道工委', en: 'Street' }, () => streetOptions(false)),
  selectFilter('level', { zh: '层级', en: 'Level' }, optionsOf(NAMES.level, DEPUTY_LEVEL_CODES)),
];

/** The invitee picker: deputies found by name, group (联组), street and level (GET /deputies). */
export function InviteePicker({
  chosen,
  onChange,
  legend = { zh: '邀请代表', en: 'Invite deputies' },
}: {
  chosen: Map<string, Deputy>;
  onChange: (next: Map<string, Deputy>) => void;
  legend?: Label;
}) {
  const { api } = useConsole();
  const [query, setQuery] = useState<Record<string, string>>({});
  // A filter narrows what each page reads, so a page may come short with a cursor after it:
  // follow the cursors until 100 deputies are found or the list ends.
  const found = useLoad(async () => {
    const items: Deputy[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20 && items.length < 100; page++) {
      const answer = await api.get<Paged<Deputy>>('/deputies', {
        ...query,
        active: 'true',
        limit: '100',
        cursor,
      });
      items.push(...answer.items);
      cursor = answer.nextCursor;
      if (!cursor) break;
    }
    return { items };
  }, [JSON.stringify(query)]);
  const toggle = (deputy: Deputy, on: boolean) => {
    const next = new Map(chosen);
    if (on) next.set(deputy.id, deputy);
    else next.delete(deputy.id);
    onChange(next);
  };
  return (
    <fieldset class="picker">
      <legend>
        <L {...legend} /> ({chosen.size})
      </legend>
      <FilterBar filters={DEPUTY_FILTERS} values={query} onChange={setQuery} inForm />
      <Show loaded={found}>
        {(page) => (
          <>
            <button
              type="button"
              class="secondary"
              onClick={() => {
                const next = new Map(chosen);
                for (const d of page.items) next.set(d.id, d);
                onChange(next);
              }}
            >
              <L
                zh={`全选本页 ${page.items.length} 位`}
                en={`Select all ${page.items.length} shown`}
              />
            </button>
            <ul class="choices">
              {page.items.map((d) => (
                <li key={d.id}>
                  <label>
                    <input
                      type="checkbox"
                      checked={chosen.has(d.id)}
                      onChange={(e) => toggle(d, (e.currentTarget as HTMLInputElement).checked)}
                    />
                    {d.name} · {d.seats.map((s) => NAMES.level[s.level]?.zh ?? s.level).join('、')}
                    {d.group ? ` · ${d.group}` : ''}
                  </label>
                </li>
              ))}
            </ul>
          </>
        )}
      </Show>
    </fieldset>
  );
}

/** Schedule: all ten types, each with its own fields, and the invitee picker (POST /activities). */
export function Schedule() {
  const { api } = useConsole();
  const [type, setType] = useState<ActivityType>('CROSS_INSPECTION');
  const [chosen, setChosen] = useState(new Map<string, Deputy>());

  const submit = useSubmit(async (form) => {
    const text = (name: string) => textOf(form, name);
    const details: Record<string, unknown> = {};
    for (const field of DETAIL_FIELDS[type]) {
      if (field.kind === 'text' || field.kind === 'format') {
        if (text(field.name)) details[field.name] = text(field.name);
      } else if (field.kind === 'lines') {
        const list = lines(text(field.name));
        if (list.length) details[field.name] = list;
      } else {
        const items = lines(text('visits')).map((line) => {
          const [place, ...focus] = line.split(/[:：]/);
          return { place: place?.trim() ?? '', focus: focus.join('：').trim() };
        });
        if (items.length) details[field.name] = { revealAt: beijing(text('revealAt')), items };
      }
    }
    const body = {
      type,
      title: text('title'),
      street: text('street'),
      location: text('location'),
      ...(text('description') ? { description: text('description') } : {}),
      startsAt: beijing(text('startsAt')),
      endsAt: beijing(text('endsAt')),
      invitedDeputyIds: [...chosen.keys()],
      ...details,
    };
    const created = await api.send<{ activity: { id: string } }>('POST', '/activities', body, {
      idempotent: true,
    });
    location.hash = `#/activities/${encodeURIComponent(created.activity.id)}`;
  });

  const label = (name: string) => ACTIVITY_DETAIL_LABELS[name] ?? { zh: name, en: name };

  return (
    <Page title={{ zh: '安排活动', en: 'Schedule an activity' }}>
      <form class="form" onSubmit={submit.onSubmit}>
        <Field label={{ zh: '活动类型', en: 'Type' }}>
          <Choice
            name="type"
            value={type}
            options={optionsOf(NAMES.type, ACTIVITY_TYPE_CODES)}
            onChange={(e) => setType((e.currentTarget as HTMLSelectElement).value as ActivityType)}
          />
        </Field>
        <Field label={{ zh: '标题', en: 'Title' }}>
          <input name="title" required maxLength={200} />
        </Field>
        <Field label={{ zh: '街道', en: 'Street' }}>
          <Choice name="street" required options={streetOptions()} />
        </Field>
        <Field label={{ zh: '地点', en: 'Location' }}>
          <input name="location" required maxLength={300} />
        </Field>
        <Field label={{ zh: '开始（北京时间）', en: 'Starts (Beijing time)' }}>
          <input name="startsAt" type="datetime-local" required />
        </Field>
        <Field label={{ zh: '结束（北京时间）', en: 'Ends (Beijing time)' }}>
          <input name="endsAt" type="datetime-local" required />
        </Field>
        <Field label={{ zh: '说明', en: 'Description' }}>
          <textarea name="description" rows={2} maxLength={4000} />
        </Field>
        {DETAIL_FIELDS[type].map((field) =>
          field.kind === 'text' ? (
            <Field key={field.name} label={label(field.name)}>
              <input name={field.name} required={field.required} />
            </Field>
          ) : field.kind === 'lines' ? (
            <Field
              key={field.name}
              label={label(field.name)}
              hint={<span class="hint">（每行一项 one per line）</span>}
            >
              <textarea name={field.name} rows={3} required={field.required} />
            </Field>
          ) : field.kind === 'format' ? (
            <Field key={field.name} label={label(field.name)}>
              <Choice name={field.name} all="—" options={optionsOf(ACTIVITY_FORMATS)} />
            </Field>
          ) : (
            <fieldset key={field.name}>
              <legend>
                <L {...label(field.name)} />
              </legend>
              <Field label={{ zh: '地点：重点（每行一处）', en: 'Place: focus (one per line)' }}>
                <textarea name="visits" rows={2} />
              </Field>
              <Field label={{ zh: '公布时间（北京时间）', en: 'Revealed at (Beijing time)' }}>
                <input name="revealAt" type="datetime-local" />
              </Field>
            </fieldset>
          ),
        )}
        <InviteePicker chosen={chosen} onChange={setChosen} />
        <Problem message={submit.error} />
        <Submit
          state={submit}
          kind="primary"
          label={{ zh: '排期并发出邀请', en: 'Schedule and invite' }}
        />
      </form>
    </Page>
  );
}
