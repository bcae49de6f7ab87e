import { useEffect, useRef, useState } from 'preact/hooks';
import { DEPUTY_LEVEL_CODES } from '../../../functions/shared/domain/reference';
import { DataTable } from '../list';
import type { Named, Page as Paged } from '../types';
import { L, NAMES, Page, Problem, Show, useConsole, useLoad, Button } from '../ui';

interface DepartmentStats {
  departmentId: string;
  sent: number;
  answered: number;
  resolved: number;
  overdue: number;
  satisfactionRate: number | null;
  resolutionRate: number | null;
}

interface PeriodStatistics {
  activities: { completed: number };
  personTimes: { byLevel: Record<string, number>; total: number };
  findings: { total: number; byCategory: Record<string, number>; referred: number };
  referrals: { byDepartment: DepartmentStats[] };
}

/** A horizontal bar chart in SVG, with every figure also printed as text. */
function Bars({ title, rows }: { title: string; rows: { label: string; value: number }[] }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const height = rows.length * 26 + 10;
  return (
    <figure>
      <svg viewBox={`0 0 600 ${height}`} width="600" height={height} role="img" aria-label={title}>
        {rows.map((r, i) => (
          <g key={r.label} transform={`translate(0 ${i * 26 + 5})`}>
            <text x="0" y="16" class="bar-label">
              {r.label}
            </text>
            <rect x="180" y="3" height="18" width={(r.value / max) * 360} class="bar" />
            <text x={186 + (r.value / max) * 360} y="17" class="bar-value">
              {r.value}
            </text>
          </g>
        ))}
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}

const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);

/** Statistics for a period: charts and the CSV download (GET /audit/statistics). */
export function Statistics() {
  const { api } = useConsole();
  const year = new Date().getFullYear();
  const [period, setPeriod] = useState({ from: `${year}-01-01`, to: `${year}-12-31` });
  const [error, setError] = useState<string>();
  const stats = useLoad(
    () => api.get<{ statistics: PeriodStatistics }>('/audit/statistics', period),
    [period.from, period.to],
  );
  const departments = useLoad(() => api.get<Paged<Named>>('/departments', { limit: '100' }), []);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => setError(undefined), [period.from, period.to]);
  const name = (id: string) => departments.data?.items.find((d) => d.id === id)?.name ?? id;
  return (
    <Page title={{ zh: '统计', en: 'Statistics' }}>
      <form
        ref={form}
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget as HTMLFormElement);
          setPeriod({ from: String(data.get('from')), to: String(data.get('to')) });
        }}
      >
        <label>
          <L zh="起" en="From" />
          <input type="date" name="from" value={period.from} required />
        </label>
        <label>
          <L zh="止" en="To" />
          <input type="date" name="to" value={period.to} required />
        </label>
        <Button type="submit" label={{ zh: '查询', en: 'Show' }} />
        <Button
          kind="secondary"
          onClick={() =>
            api
              .download(
                '/audit/statistics',
                { ...period, format: 'csv' },
                `statistics-${period.from}-${period.to}.csv`,
              )
              .catch((err: unknown) => setError((err as Error).message))
          }
          label={{ zh: '下载 CSV', en: 'Download CSV' }}
        />
      </form>
      <Problem message={error} />
      <Show loaded={stats}>
        {({ statistics: s }) => (
          <>
            <p>
              <L zh="完成活动" en="Activities completed" /> {s.activities.completed} ·{' '}
              <L zh="代表人次" en="Person-times" /> {s.personTimes.total} ·{' '}
              <L zh="问题" en="Findings" /> {s.findings.total} · <L zh="转交" en="Referred" />{' '}
              {s.findings.referred}
            </p>
            <Bars
              title="各层级代表人次 Person-times by level"
              rows={DEPUTY_LEVEL_CODES.map((level) => ({
                label: NAMES.level[level]?.zh ?? level,
                value: s.personTimes.byLevel[level] ?? 0,
              }))}
            />
            <Bars
              title="问题类别 Findings by category"
              rows={Object.entries(s.findings.byCategory)
                .filter(([, n]) => n > 0)
                .map(([category, value]) => ({
                  label: NAMES.category[category]?.zh ?? category,
                  value,
                }))}
            />
            <DataTable
              caption={{ zh: '各部门办理情况', en: 'Referrals by department' }}
              rows={s.referrals.byDepartment.map((d) => ({ ...d, id: d.departmentId }))}
              columns={[
                { title: { zh: '部门', en: 'Department' }, cell: (d) => name(d.departmentId) },
                { title: { zh: '交办', en: 'Sent' }, cell: (d) => d.sent },
                { title: { zh: '答复', en: 'Answered' }, cell: (d) => d.answered },
                { title: { zh: '逾期', en: 'Overdue' }, cell: (d) => d.overdue },
                {
                  title: { zh: '满意率', en: 'Satisfaction' },
                  cell: (d) => percent(d.satisfactionRate),
                },
                {
                  title: { zh: '办成率', en: 'Resolution' },
                  cell: (d) => percent(d.resolutionRate),
                },
              ]}
            />
          </>
        )}
      </Show>
    </Page>
  );
}

/** The activity report (情况报告), as the API renders it, shown inside the console. */
export function Report({ id }: { id: string }) {
  const { api } = useConsole();
  const holder = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string>();
  useEffect(() => {
    api
      .text(`/audit/activities/${encodeURIComponent(id)}/report`)
      .then((html) => {
        const doc = new DOMParser().parseFromString(html, 'text/html');
        const main = doc.querySelector('main') ?? doc.body;
        // Headings of the report sit one level under the console's page heading.
        for (const level of [2, 1]) {
          for (const h of Array.from(main.querySelectorAll(`h${level}`))) {
            const lower = doc.createElement(`h${level + 1}`);
            lower.append(...Array.from(h.childNodes));
            h.replaceWith(lower);
          }
        }
        // Whatever the report would style inline is left out: the console's CSP allows no
        // inline style, and app.css styles the report by its classes (.report …).
        for (const styled of Array.from(main.querySelectorAll('style, [style]'))) {
          if (styled.tagName === 'STYLE') styled.remove();
          else styled.removeAttribute('style');
        }
        holder.current?.replaceChildren(
          ...Array.from(main.childNodes).map((n) => document.importNode(n, true)),
        );
      })
      .catch((err: unknown) => setError((err as Error).message));
  }, [id]);
  return (
    <Page title={{ zh: '活动情况报告', en: 'Activity report' }}>
      <Problem message={error} />
      <div ref={holder} class="report" />
      <Button kind="secondary" onClick={() => window.print()} label={{ zh: '打印', en: 'Print' }} />
    </Page>
  );
}
