// The district this deployment serves (GET /jurisdiction): its congress, standing committee and
// letterhead, its streets and towns, and each street's liaison stations. Organisers of the whole
// district change the district and its streets (PUT /jurisdiction, all streets at once: a street
// is never removed, only set inactive); a street's organiser changes its own liaison stations
// (PUT …/liaison-stations/{stationId}); auditors read. Every name shown comes from the API.
import { useRef, useState } from 'preact/hooks';
import { writesDistrict } from '../auth';
import { Choice, EntryForm, Field, textOf, type Label, type Option } from '../forms';
import { DataTable, type Column } from '../list';
import type { Bilingual, Jurisdiction, LiaisonStation, Street } from '../types';
import {
  Facts,
  L,
  Page,
  STREET_NAMES,
  Show,
  useConsole,
  useLoad,
  type ConsoleContext,
  Button,
} from '../ui';

const KINDS: Option[] = [
  ['STREET', '街道 Street'],
  ['TOWN', '镇 Town'],
];

const yesNo = (value: boolean) => (value ? '是 Yes' : '否 No');

/** Both names of a thing, Chinese first. */
const Both = ({ name }: { name: Bilingual }) => <L zh={name.zh} en={name.en} />;

/**
 * The district's own facts, with their labels and longest names (the letterhead is what emails
 * and pages carry).
 */
const DISTRICT_FIELDS: readonly [
  key: Exclude<keyof Jurisdiction['district'], 'code'>,
  label: Label,
  max: number,
][] = [
  ['name', { zh: '区名', en: 'District' }, 50],
  ['congress', { zh: '人民代表大会', en: "People's congress" }, 100],
  ['standingCommittee', { zh: '常务委员会', en: 'Standing committee' }, 100],
  ['subjectTag', { zh: '邮件标题信头', en: 'Email subject letterhead' }, 100],
  ['referencePrefix', { zh: '转办编号前缀', en: 'Referral number prefix' }, 20],
];

/** A street's names, with their labels and longest names. */
const STREET_FIELDS: readonly [key: 'name' | 'workingCommittee', label: Label, max: number][] = [
  ['name', { zh: '名称', en: 'Name' }, 50],
  ['workingCommittee', { zh: '街道工委', en: 'Working committee' }, 100],
];

/** Who may change a street's liaison stations: the district's organisers and that street's. */
const writesStationsOf = ({ canWrite, session }: ConsoleContext, street: string) =>
  canWrite && (writesDistrict(session) || session.street === street);

/**
 * A pair of text fields for the Chinese and English of one name (`path.zh`, `path.en`); an
 * `optional` pair is empty and may stay so.
 */
function BilingualFields({
  path,
  label,
  value,
  max,
  optional = false,
  error,
}: {
  path: string;
  label: Label;
  value?: Bilingual | undefined;
  max: number;
  optional?: boolean;
  error: (name: string) => string | undefined;
}) {
  const initial = (lang: 'zh' | 'en') => (optional ? {} : { defaultValue: value?.[lang] ?? '' });
  return (
    <>
      <Field
        label={{ zh: `${label.zh}（中文）`, en: `${label.en} (Chinese)` }}
        error={error(`${path}.zh`)}
      >
        <input name={`${path}.zh`} required={!optional} maxLength={max} {...initial('zh')} />
      </Field>
      <Field
        label={{ zh: `${label.zh}（英文）`, en: `${label.en} (English)` }}
        error={error(`${path}.en`)}
      >
        <input name={`${path}.en`} required={!optional} maxLength={max} {...initial('en')} />
      </Field>
    </>
  );
}

const bilingualOf = (form: FormData, path: string): Bilingual => ({
  zh: textOf(form, `${path}.zh`),
  en: textOf(form, `${path}.en`),
});

/**
 * The district and all its streets in one form (PUT /jurisdiction replaces them together). Every
 * stored street is in it (the API refuses to lose one); one empty row adds a street or town.
 */
function DistrictEdit({
  jurisdiction,
  done,
  cancel,
}: {
  jurisdiction: Jurisdiction;
  done: () => void;
  cancel: () => void;
}) {
  const { api } = useConsole();
  const { district, streets } = jurisdiction;
  const added = streets.length;
  return (
    <EntryForm
      title={{ zh: '编辑辖区与街道', en: 'Edit the district and streets' }}
      submit={{ zh: '保存辖区', en: 'Save the district' }}
      cancel={cancel}
      done={done}
      send={(form) => {
        const streetOf = (i: number) => ({
          code: textOf(form, `streets.${i}.code`),
          kind: textOf(form, `streets.${i}.kind`),
          name: bilingualOf(form, `streets.${i}.name`),
          workingCommittee: bilingualOf(form, `streets.${i}.workingCommittee`),
          active: form.get(`streets.${i}.active`) === 'on',
        });
        const kept = streets.map((_, i) => streetOf(i));
        const extra = streetOf(added);
        return api.send('PUT', '/jurisdiction', {
          district: {
            code: district.code,
            name: bilingualOf(form, 'district.name'),
            congress: bilingualOf(form, 'district.congress'),
            standingCommittee: bilingualOf(form, 'district.standingCommittee'),
            // The English tag keeps its trailing space: it opens a subject line.
            subjectTag: {
              zh: textOf(form, 'district.subjectTag.zh'),
              en: String(form.get('district.subjectTag.en') ?? ''),
            },
            referencePrefix: bilingualOf(form, 'district.referencePrefix'),
          },
          streets: extra.code ? [...kept, extra] : kept,
        });
      }}
    >
      {(error) => (
        <>
          <fieldset class="district">
            <legend>
              <L zh="区" en="District" /> {district.code}
            </legend>
            {DISTRICT_FIELDS.map(([key, label, max]) => (
              <BilingualFields
                key={key}
                path={`district.${key}`}
                label={label}
                value={district[key]}
                max={max}
                error={error}
              />
            ))}
          </fieldset>
          <p class="hint">
            <L
              zh="街道和镇不能删除：不再属于本区的，取消“启用”。"
              en="A street or town is never removed: untick “active” when it leaves the district."
            />
          </p>
          {[...streets, undefined].map((street, i) => (
            <fieldset key={street?.code ?? 'new'} class="street">
              <legend>
                {street ? (
                  <>
                    {street.code} <Both name={street.name} />
                  </>
                ) : (
                  <L zh="新增街道或镇（可留空）" en="Add a street or town (optional)" />
                )}
              </legend>
              {street ? (
                <input type="hidden" name={`streets.${i}.code`} value={street.code} />
              ) : (
                <Field label={{ zh: '代码', en: 'Code' }} error={error(`streets.${i}.code`)}>
                  <input name={`streets.${i}.code`} pattern="[A-Z][A-Z0-9_]{0,31}" maxLength={32} />
                </Field>
              )}
              <Field label={{ zh: '类型', en: 'Kind' }} error={error(`streets.${i}.kind`)}>
                <Choice
                  name={`streets.${i}.kind`}
                  options={KINDS}
                  initial={street?.kind ?? 'STREET'}
                />
              </Field>
              {STREET_FIELDS.map(([key, label, max]) => (
                <BilingualFields
                  key={key}
                  path={`streets.${i}.${key}`}
                  label={label}
                  value={street?.[key]}
                  max={max}
                  // The new row's names are optional until a code is typed (the API checks them).
                  optional={!street}
                  error={error}
                />
              ))}
              <label class="check">
                <input
                  type="checkbox"
                  name={`streets.${i}.active`}
                  defaultChecked={street ? street.active : true}
                />{' '}
                <L zh="启用" en="Active" />
              </label>
            </fieldset>
          ))}
        </>
      )}
    </EntryForm>
  );
}

/** One liaison station's form: a change of `station`, or a new one of one of `streets`. */
function StationEdit({
  station,
  streets,
  done,
  cancel,
}: {
  station?: LiaisonStation;
  streets: Street[];
  done: (name: string) => void;
  cancel: () => void;
}) {
  const { api } = useConsole();
  // The name saved, for the note the page shows once the form closes.
  const named = useRef('');
  return (
    <EntryForm
      title={
        station
          ? { zh: `编辑联络站 ${station.name.zh}`, en: 'Edit the liaison station' }
          : { zh: '新增联络站', en: 'Add a liaison station' }
      }
      submit={{ zh: '保存联络站', en: 'Save the station' }}
      cancel={cancel}
      done={() => done(named.current)}
      send={(form) => {
        const street = station?.street ?? textOf(form, 'street');
        const id = station?.id ?? textOf(form, 'stationId');
        named.current = textOf(form, 'name.zh');
        const path = `/jurisdiction/streets/${encodeURIComponent(street)}/liaison-stations/${encodeURIComponent(id)}`;
        return api.send('PUT', path, {
          name: bilingualOf(form, 'name'),
          online: form.get('online') === 'on',
          active: form.get('active') === 'on',
        });
      }}
    >
      {(error) => (
        <>
          {station ? null : (
            <>
              <Field label={{ zh: '街道或镇', en: 'Street or town' }} error={error('street')}>
                <Choice
                  name="street"
                  options={streets.map((s) => [s.code, `${s.name.zh} ${s.name.en}`])}
                />
              </Field>
              <Field
                label={{ zh: '编号', en: 'Id' }}
                hint={<span class="hint">a-z 0-9 - _</span>}
                error={error('stationId')}
              >
                <input
                  name="stationId"
                  required
                  pattern="[A-Za-z0-9][A-Za-z0-9_\-]{0,63}"
                  maxLength={64}
                />
              </Field>
            </>
          )}
          <BilingualFields
            path="name"
            label={{ zh: '名称', en: 'Name' }}
            value={station?.name}
            max={100}
            error={error}
          />
          <label class="check">
            <input type="checkbox" name="online" defaultChecked={station?.online ?? false} />{' '}
            <L zh="网上联络站" en="Online" />
          </label>
          <label class="check">
            <input type="checkbox" name="active" defaultChecked={station?.active ?? true} />{' '}
            <L zh="启用" en="Active" />
          </label>
        </>
      )}
    </EntryForm>
  );
}

type Editing =
  { what: 'district' } | { what: 'station'; station: LiaisonStation } | { what: 'new-station' };

/** A street's liaison stations, each with its edit button where the person may change it. */
function Stations({
  street,
  writes,
  edit,
}: {
  street: Street;
  writes: boolean;
  edit: (station: LiaisonStation) => void;
}) {
  if (street.liaisonStations.length === 0) return <>—</>;
  return (
    <ul class="stations">
      {street.liaisonStations.map((station) => (
        <li key={station.id}>
          <Both name={station.name} />
          {station.online ? ' · 网上 online' : ''}
          {station.active ? '' : ' · 已停用 inactive'}
          {writes ? (
            <>
              {' '}
              <button
                type="button"
                class="secondary small"
                aria-label={`编辑 Edit：${station.name.zh}`}
                onClick={() => edit(station)}
              >
                <L zh="编辑" en="Edit" />
              </button>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** The streets' table: each street's facts and its liaison stations (with their edit buttons). */
const streetColumns = (
  context: ConsoleContext,
  edit: (station: LiaisonStation) => void,
): Column<Street & { id: string }>[] => [
  { title: { zh: '代码', en: 'Code' }, cell: (street) => street.code },
  { title: { zh: '名称', en: 'Name' }, cell: (street) => <Both name={street.name} /> },
  {
    title: { zh: '类型', en: 'Kind' },
    cell: (street) => KINDS.find(([code]) => code === street.kind)?.[1] ?? street.kind,
  },
  {
    title: { zh: '街道工委', en: 'Working committee' },
    cell: (street) => <Both name={street.workingCommittee} />,
  },
  { title: { zh: '启用', en: 'Active' }, cell: (street) => yesNo(street.active) },
  {
    title: { zh: '联络站', en: 'Liaison stations' },
    cell: (street) => (
      <Stations street={street} writes={writesStationsOf(context, street.code)} edit={edit} />
    ),
  },
];

export function JurisdictionPage() {
  const context = useConsole();
  const { api, canWrite, session } = context;
  const [round, setRound] = useState(0);
  const [editing, setEditing] = useState<Editing>();
  const [saved, setSaved] = useState<string>();
  const loaded = useLoad(async () => {
    const { jurisdiction } = await api.get<{ jurisdiction: Jurisdiction }>('/jurisdiction');
    // The other pages name streets from the same table: a renamed street shows there too.
    for (const street of jurisdiction.streets) STREET_NAMES[street.code] = street.name;
    return jurisdiction;
  }, [round]);
  const finished = (what: string) => {
    setEditing(undefined);
    setSaved(what);
    setRound((n) => n + 1);
  };
  const cancel = () => setEditing(undefined);
  const open = (next: Editing) => {
    setSaved(undefined);
    setEditing(next);
  };
  return (
    <Page title={{ zh: '辖区', en: 'Jurisdiction' }}>
      <Show loaded={loaded}>
        {(jurisdiction) => {
          const { district, streets } = jurisdiction;
          const stationStreets = streets.filter((s) => writesStationsOf(context, s.code));
          return (
            <>
              <h2>
                <Both name={district.name} />
              </h2>
              <Facts
                rows={[
                  [{ zh: '代码', en: 'Code' }, district.code],
                  ...DISTRICT_FIELDS.map(
                    ([key, label]) => [label, <Both name={district[key]} />] as const,
                  ),
                ]}
              />
              {saved !== undefined ? (
                <p role="status" class="saved">
                  已保存 Saved{saved ? `: ${saved}` : ''}
                </p>
              ) : null}
              {canWrite ? (
                <p class="actions">
                  {writesDistrict(session) ? (
                    <Button
                      kind="secondary"
                      onClick={() => open({ what: 'district' })}
                      label={{ zh: '编辑辖区与街道', en: 'Edit the district and streets' }}
                    />
                  ) : null}
                  {stationStreets.length > 0 ? (
                    <Button
                      kind="secondary"
                      onClick={() => open({ what: 'new-station' })}
                      label={{ zh: '新增联络站', en: 'Add a liaison station' }}
                    />
                  ) : null}
                </p>
              ) : null}
              {editing?.what === 'district' ? (
                <section class="editing" aria-label="编辑辖区 Edit the district">
                  <DistrictEdit
                    jurisdiction={jurisdiction}
                    done={() => finished(district.name.zh)}
                    cancel={cancel}
                  />
                </section>
              ) : null}
              {editing?.what === 'station' || editing?.what === 'new-station' ? (
                <section class="editing" aria-label="编辑联络站 Edit a liaison station">
                  <StationEdit
                    key={editing.what === 'station' ? editing.station.id : 'new'}
                    {...(editing.what === 'station' ? { station: editing.station } : {})}
                    streets={stationStreets}
                    done={finished}
                    cancel={cancel}
                  />
                </section>
              ) : null}
              <h2>
                <L zh="街道和镇" en="Streets and towns" />
              </h2>
              <DataTable
                columns={streetColumns(context, (station) => open({ what: 'station', station }))}
                rows={streets.map((street) => ({ ...street, id: street.code }))}
                rowClass={(street) => (street.active ? undefined : 'inactive')}
              />
            </>
          );
        }}
      </Show>
    </Page>
  );
}
