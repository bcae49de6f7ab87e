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
import type { Deputy, Page as Paged } from '../types';
import { L, NAMES, Page, Problem, Show, useConsole, useLoad, streetCodes } from '../ui';

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

/** The invitee picker: deputies found by name, group (联组), street and level (GET /deputies). */
function InviteePicker({
  chosen,
  onChange,
}: {
  chosen: Map<string, Deputy>;
  onChange: (next: Map<string, Deputy>) => void;
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
  const set = (key: string) => (event: Event) => {
    const value = (event.currentTarget as HTMLInputElement).value;
    setQuery((q) => ({ ...q, [key]: value }));
  };
  const toggle = (deputy: Deputy, on: boolean) => {
    const next = new Map(chosen);
    if (on) next.set(deputy.id, deputy);
    else next.delete(deputy.id);
    onChange(next);
  };
  return (
    <fieldset class="picker">
      <legend>
        <L zh="邀请代表" en="Invite deputies" /> ({chosen.size})
      </legend>
      <div class="filters">
        <label>
          <L zh="姓名" en="Name" />
          <input type="search" onInput={set('name')} value={query.name ?? ''} />
        </label>
        <label>
          <L zh="联组/代表组（全称）" en="Group (full name)" />
          <input type="search" onInput={set('group')} value={query.group ?? ''} />
        </label>
        <label>
          <L zh="街道工委" en="Street" />
          <select onChange={set('street')} value={query.street ?? ''}>
            <option value="">全部 All</option>
            {streetCodes().map((code) => (
              <option key={code} value={code}>
                {NAMES.street[code]?.zh}
              </option>
            ))}
          </select>
        </label>
        <label>
          <L zh="层级" en="Level" />
          <select onChange={set('level')} value={query.level ?? ''}>
            <option value="">全部 All</option>
            {DEPUTY_LEVEL_CODES.map((code) => (
              <option key={code} value={code}>
                {NAMES.level[code]?.zh} {NAMES.level[code]?.en}
              </option>
            ))}
          </select>
        </label>
      </div>
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
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '').trim();
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
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.send<{ activity: { id: string } }>('POST', '/activities', body, {
        idempotent: true,
      });
      location.hash = `#/activities/${encodeURIComponent(created.activity.id)}`;
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const label = (name: string) => {
    const n = ACTIVITY_DETAIL_LABELS[name];
    return n ? <L zh={n.zh} en={n.en} /> : name;
  };

  return (
    <Page title={{ zh: '安排活动', en: 'Schedule an activity' }}>
      <form class="form" onSubmit={submit}>
        <label>
          <L zh="活动类型" en="Type" />
          <select
            name="type"
            value={type}
            onChange={(e) => setType((e.currentTarget as HTMLSelectElement).value as ActivityType)}
          >
            {ACTIVITY_TYPE_CODES.map((code) => (
              <option key={code} value={code}>
                {NAMES.type[code]?.zh} {NAMES.type[code]?.en}
              </option>
            ))}
          </select>
        </label>
        <label>
          <L zh="标题" en="Title" />
          <input name="title" required maxLength={200} />
        </label>
        <label>
          <L zh="街道" en="Street" />
          <select name="street" required>
            {streetCodes().map((code) => (
              <option key={code} value={code}>
                {NAMES.street[code]?.zh} {NAMES.street[code]?.en}
              </option>
            ))}
          </select>
        </label>
        <label>
          <L zh="地点" en="Location" />
          <input name="location" required maxLength={300} />
        </label>
        <label>
          <L zh="开始（北京时间）" en="Starts (Beijing time)" />
          <input name="startsAt" type="datetime-local" required />
        </label>
        <label>
          <L zh="结束（北京时间）" en="Ends (Beijing time)" />
          <input name="endsAt" type="datetime-local" required />
        </label>
        <label>
          <L zh="说明" en="Description" />
          <textarea name="description" rows={2} maxLength={4000} />
        </label>
        {DETAIL_FIELDS[type].map((field) =>
          field.kind === 'text' ? (
            <label key={field.name}>
              {label(field.name)}
              <input name={field.name} required={field.required} />
            </label>
          ) : field.kind === 'lines' ? (
            <label key={field.name}>
              {label(field.name)} <span class="hint">（每行一项 one per line）</span>
              <textarea name={field.name} rows={3} required={field.required} />
            </label>
          ) : field.kind === 'format' ? (
            <label key={field.name}>
              {label(field.name)}
              <select name={field.name}>
                <option value="">—</option>
                {Object.entries(ACTIVITY_FORMATS).map(([code, n]) => (
                  <option key={code} value={code}>
                    {n.zh} {n.en}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <fieldset key={field.name}>
              <legend>{label(field.name)}</legend>
              <label>
                <L zh="地点：重点（每行一处）" en="Place: focus (one per line)" />
                <textarea name="visits" rows={2} />
              </label>
              <label>
                <L zh="公布时间（北京时间）" en="Revealed at (Beijing time)" />
                <input name="revealAt" type="datetime-local" />
              </label>
            </fieldset>
          ),
        )}
        <InviteePicker chosen={chosen} onChange={setChosen} />
        <Problem message={error} />
        <button type="submit" class="primary" disabled={busy}>
          <L zh="排期并发出邀请" en="Schedule and invite" />
        </button>
      </form>
    </Page>
  );
}
