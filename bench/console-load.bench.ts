// `npm run bench -- console-load`: what the organisers' console costs a browser (issue 15). The
// synthesized console is served by the local cloud (the CloudFront stand-in, same files, same
// CSP) and loaded in Debian's Chromium (playwright-core) by a signed-in district organiser with
// the browser cache off, so every run downloads everything, as a first visit does:
//   - first load: the console opened on its start page (today), until nothing is loading (its
//     sections drawn: what waits on me, the overdue referrals named by their departments —
//     GET /departments — and what comes next; the run fails if a call of today is missing);
//   - list page, opened in the console: a click on 活动 Activities until its 25 rows are shown;
//   - list page, loaded cold: the activities list opened directly by its address.
// For each request the browser made it reports the bytes it downloaded (body and headers; the
// local stand-in sends them uncompressed) and the body's gzip size (zlib's default level, what
// CloudFront's compression sends for text), and the times (median and p90 of
// LIANDONG_BENCH_RUNS runs, default 7) side by side. The console's own files must stay within
// the first-load budget of 40 KB gzip (the run fails otherwise).
import { gzipSync } from 'node:zlib';
import { chromium, type Page, type Request } from 'playwright-core';
import { synthLocal } from '../infra/local/synth';
import { CHROMIUM, CHROMIUM_FLAGS } from '../test/e2e/chromium';
import { writeFigures } from './support/figures';
import {
  deputyIds,
  divertOutput,
  idempotencyKey,
  pool,
  startBenchCloud,
  waitForPhase,
} from './support/metered-cloud';
import { median, p90 } from './support/stats';
import { formatTable, type Table } from './support/table';

const RUNS = Number(process.env.LIANDONG_BENCH_RUNS ?? 7);
const ACTIVITIES = 30;
const LIST_ROWS = 25;
const BUDGET = 40 * 1024;
const SCREEN = { width: 1366, height: 768 };
/** The API calls of the console's start and its today page. */
const TODAY_CALLS = ['GET /jurisdiction', 'GET /activities', 'GET /referrals', 'GET /departments'];

interface Download {
  /** `app.js`, or an API call as `GET /activities`. */
  name: string;
  console: boolean;
  transfer: number;
  gzip: number;
}

interface Sample {
  ms: number;
  downloads: Download[];
}

const output = divertOutput('.local/bench/console-load.log');
const print = output.print;

/**
 * Records every request made while `during` runs, with its sizes and its body gzipped. The
 * time ends with `during`; the bytes are read once each of those requests has finished (the
 * browser's event that a request finished may come after the page has used its answer).
 */
async function recorded(page: Page, during: () => Promise<void>): Promise<Sample> {
  const made: Request[] = [];
  const ended = new Set<Request>();
  const onRequest = (request: Request) => void made.push(request);
  const onEnd = (request: Request) => void ended.add(request);
  page.on('request', onRequest);
  page.on('requestfinished', onEnd);
  page.on('requestfailed', onEnd);
  const started = performance.now();
  await during();
  const ms = performance.now() - started;
  page.off('request', onRequest);
  for (let waited = 0; made.some((r) => !ended.has(r)); waited += 10) {
    if (waited > 10_000) throw new Error('a request of the page never finished');
    await page.waitForTimeout(10);
  }
  page.off('requestfinished', onEnd);
  page.off('requestfailed', onEnd);
  const finished = made.filter((request) => request.failure() === null);
  const downloads = await Promise.all(
    finished.map(async (request): Promise<Download> => {
      const url = new URL(request.url());
      const sizes = await request.sizes();
      const body = (await (await request.response())?.body()) ?? Buffer.alloc(0);
      const inConsole = url.pathname.includes('/console/');
      return {
        name: inConsole
          ? url.pathname.split('/console/')[1] || 'index.html'
          : `${request.method()} ${url.pathname}`,
        console: inConsole,
        transfer: sizes.responseBodySize + sizes.responseHeadersSize,
        gzip: body.length ? gzipSync(body).length : 0,
      };
    }),
  );
  return { ms, downloads };
}

/** The page has loaded what it shows: a heading, and no loading marker left. */
async function settled(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor();
  for (;;) {
    if ((await page.locator('[aria-busy="true"]').count()) === 0) return;
    await page.waitForTimeout(5);
  }
}

async function main(): Promise<void> {
  print('synthesizing (no bundling), starting the local cloud in memory');
  await synthLocal();
  const bench = await startBenchCloud();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
  });
  try {
    const consoleUrl = bench.cloud.endpoints.console;
    if (!consoleUrl) throw new Error('the local cloud serves no console');

    // A district's list: ACTIVITIES upcoming activities, each with its invitations sent.
    const organiser = bench.client({ role: 'organiser' });
    const invited = deputyIds(3);
    const ids = await pool(
      4,
      Array.from({ length: ACTIVITIES }, (_, i) => async () => {
        const startsAt = Date.now() + (i + 1) * 86_400_000;
        const res = await organiser.call<{ activity?: { id: string } }>(
          'POST',
          '/activities',
          {
            title: `代表专题调研第${i + 1}期：老旧小区加装电梯推进情况`,
            type: 'THEMATIC_RESEARCH',
            street: 'WENCHONG',
            location: '文冲街道文冲村',
            startsAt: new Date(startsAt).toISOString(),
            endsAt: new Date(startsAt + 3 * 3_600_000).toISOString(),
            invitedDeputyIds: invited,
          },
          idempotencyKey(),
        );
        const id = res.json.activity?.id;
        if (res.status !== 201 || !id) throw new Error(`schedule: ${res.status} ${res.text}`);
        return id;
      }),
    );
    await Promise.all(ids.map((id) => waitForPhase(bench, id, 'START')));
    print(`${ids.length} activities scheduled, invitations sent; ${RUNS} runs`);

    const context = await browser.newContext({ viewport: SCREEN, locale: 'zh-CN' });
    const page = await context.newPage();
    // Signs in once (the code flow with PKCE on the local issuer's page); the session stays in
    // the tab's sessionStorage, so each run below is a signed-in organiser's visit.
    await page.goto(consoleUrl);
    await page.waitForURL(/\/oauth2\/authorize\?/);
    await page.getByRole('button', { name: /全区/ }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/console/') && !url.search);
    await settled(page);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });

    const rows = async () => {
      await settled(page);
      await page
        .locator('main tbody tr')
        .nth(LIST_ROWS - 1)
        .waitFor();
    };
    const firstLoad: Sample[] = [];
    const listInApp: Sample[] = [];
    const listCold: Sample[] = [];
    for (let run = 0; run < RUNS; run++) {
      await page.goto('about:blank');
      firstLoad.push(
        await recorded(page, async () => {
          await page.goto(`${consoleUrl}#/today`);
          await settled(page);
        }),
      );
      listInApp.push(
        await recorded(page, async () => {
          await page
            .getByRole('navigation', { name: /主导航/ })
            .getByRole('link', { name: /^活动/ })
            .click();
          await rows();
        }),
      );
      await page.goto('about:blank');
      listCold.push(
        await recorded(page, async () => {
          await page.goto(`${consoleUrl}#/activities`);
          await rows();
        }),
      );
    }
    await context.close();
    // Every call today makes is in the first load (a call the page did not wait for would end
    // after the measurement and be left out of its bytes and time).
    for (const call of TODAY_CALLS) {
      const missing = firstLoad.filter((sample) => !sample.downloads.some((d) => d.name === call));
      if (missing.length > 0) {
        const names = missing[0]!.downloads.map((d) => d.name).join(', ');
        throw new Error(
          `${call} is missing from ${missing.length} first loads (one had: ${names})`,
        );
      }
    }
    report({ firstLoad, listInApp, listCold });
  } finally {
    await browser.close();
    await bench.stop();
  }
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** One row per download of the last run (the bytes do not change between runs). */
function bytesTable(samples: Record<string, Sample[]>): { table: Table; consoleGzip: number } {
  const rows: string[][] = [];
  let consoleGzip = 0;
  for (const [scenario, runs] of Object.entries(samples)) {
    const last = runs[runs.length - 1]!;
    const sorted = [...last.downloads].sort(
      (a, b) => Number(b.console) - Number(a.console) || a.name.localeCompare(b.name),
    );
    for (const d of sorted) rows.push([scenario, d.name, String(d.transfer), String(d.gzip)]);
    const total = (filter: (d: Download) => boolean) =>
      last.downloads
        .filter(filter)
        .reduce((sum, d) => ({ transfer: sum.transfer + d.transfer, gzip: sum.gzip + d.gzip }), {
          transfer: 0,
          gzip: 0,
        });
    const own = total((d) => d.console);
    const all = total(() => true);
    if (scenario === 'first load') consoleGzip = own.gzip;
    if (own.transfer > 0) {
      rows.push([scenario, "console's files", String(own.transfer), String(own.gzip)]);
    }
    rows.push([
      scenario,
      `all ${last.downloads.length} requests`,
      String(all.transfer),
      String(all.gzip),
    ]);
  }
  return {
    consoleGzip,
    table: {
      columns: [
        { title: 'scenario' },
        { title: 'download' },
        { title: 'bytes transferred', align: 'right' },
        { title: 'gzip bytes', align: 'right' },
      ],
      rows,
    },
  };
}

function timesTable(samples: Record<string, Sample[]>): Table {
  return {
    columns: [
      { title: 'scenario' },
      { title: 'requests', align: 'right' },
      { title: 'median ms', align: 'right' },
      { title: 'p90 ms', align: 'right' },
      { title: 'runs', align: 'right' },
    ],
    rows: Object.entries(samples).map(([scenario, runs]) => {
      const ms = runs.map((s) => s.ms);
      return [
        scenario,
        String(runs[runs.length - 1]!.downloads.length),
        median(ms).toFixed(0),
        p90(ms).toFixed(0),
        String(runs.length),
      ];
    }),
  };
}

function report(results: { firstLoad: Sample[]; listInApp: Sample[]; listCold: Sample[] }): void {
  const samples = {
    'first load': results.firstLoad,
    'list page, in the console': results.listInApp,
    'list page, loaded cold': results.listCold,
  };
  const bytes = bytesTable(samples);
  const times = timesTable(samples);
  print(formatTable(times));
  print('');
  print(formatTable(bytes.table));
  print(
    `\nthe console's files on first load: ${kb(bytes.consoleGzip)} KB gzip of the ${kb(BUDGET)} KB budget`,
  );
  void writeFigures({
    bench: 'console-load',
    title: 'Console: first load and one list page',
    summary:
      "The organisers' console (issue 15) as the local cloud serves its synthesized build (the CloudFront stand-in: same files, same CSP), loaded in Debian's Chromium by a signed-in district organiser with the browser cache off, against a district of 30 upcoming activities. First load: the console opened on its start page (today) until nothing is loading. List page: the activities list (25 rows) reached by a click in the loaded console, and loaded cold by its address. Bytes transferred are what the browser received (body and headers; the local stand-in and the API do not compress); gzip bytes are each body at zlib's default level, what CloudFront's compression sends for the console's files. Budget for the console's own files on first load: **40 KB gzip**.",
    tables: [
      {
        caption: 'Times, from the navigation (or the click) until the page shows it all:',
        table: times,
      },
      {
        caption: 'Bytes per download (the last run; they do not change between runs):',
        table: bytes.table,
      },
    ],
    notes: [
      `The console's own files on first load: ${kb(bytes.consoleGzip)} KB gzip of the 40 KB budget. Preact is about 4 KB of the script; most of the rest is the pages and the reference vocabularies (names of streets, levels, categories) the console shares with the API.`,
      "The API calls of a page are part of its time: the console reads the district's streets once (`GET /jurisdiction`) before its first page; today then asks four lists at once (waiting on me, overdue referrals, the departments that name them, upcoming) and shows the overdue referrals once both they and the departments have come; the list page asks one.",
    ],
  }).then(() => {
    if (bytes.consoleGzip > BUDGET) {
      print(`over the first-load budget: ${bytes.consoleGzip} > ${BUDGET} bytes gzip`);
      process.exitCode = 1;
    }
  });
}

main().catch((err: unknown) => {
  print(`console-load failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
