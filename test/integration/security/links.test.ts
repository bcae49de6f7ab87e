// Integration (local cloud): 10,000 generated bad links against the public response and rating
// pages: bit flips in the id, expiry and signature; truly expired links; swapped ones (another
// referral's id with this one's signature, a rating link on the response page and back, a link
// of an old round, garbage). 0 accepted: no 2xx on POST, GET shows the refusal page. GET on any
// link, valid or not, writes nothing: every item of the referrals' partitions, their activities
// and their link records is compared before and after. The pages run in this process (the
// template's two page functions on a Lambda runtime of their own, bound to the shared engines),
// because the stage throttle (50 rps) would make 10,000 requests over HTTP take minutes; a
// sample of every kind also goes through the local HTTP API, with the same answers.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../../functions/shared/data/keys';
import { createLink } from '../../../functions/shared/data/links';
import { buildEventV2 } from '../../../infra/local/api/event';
import { startLambdaRuntime, type LambdaRuntime } from '../../../infra/local/lambda-runtime';
import { loadTemplate } from '../../../infra/local/template';
import { api } from '../support/api';
import { partitionItems } from '../support/aws';
import { localCloud } from '../support/cloud';
import { linkSigningKey, linkStore, seedReferral } from '../support/referral';

const LINKS = 10_000;
const FORM = new URLSearchParams({
  action: 'REPLY',
  result: 'RESOLVED',
  text: '已处理',
}).toString();
const RATE_FORM = new URLSearchParams({ rating: 'SATISFIED', comment: '好' }).toString();

let runtime: LambdaRuntime;
const fnOf: Record<'respond' | 'rate', string> = { respond: '', rate: '' };
const referrals: { activityId: string; referralId: string; findingId: string }[] = [];
/** Valid tokens: [page, token]. */
const valid: { respond: string[]; rate: string[] } = { respond: [], rate: [] };
const expired: string[] = [];
const oldRound: string[] = [];
const linkIds: string[] = [];

interface Answer {
  status: number;
  body: string;
}

async function invoke(
  page: 'respond' | 'rate',
  method: 'GET' | 'POST',
  token: string,
): Promise<Answer> {
  const post = method === 'POST';
  const event = buildEventV2(
    {
      method,
      url: `/${page}/${encodeURIComponent(token)}`,
      rawHeaders: [
        'host',
        '127.0.0.1',
        ...(post ? ['content-type', 'application/x-www-form-urlencoded'] : []),
      ],
      body: post ? Buffer.from(page === 'respond' ? FORM : RATE_FORM) : Buffer.alloc(0),
      sourceIp: '127.0.0.1',
      httpVersion: '1.1',
    },
    {
      apiId: 'local',
      stage: '$default',
      routeKey: `${method} /${page}/{token}`,
      pathParameters: { token },
      requestId: 'links-test',
      now: new Date(),
    },
  );
  const result = (await runtime.invokeFunction(fnOf[page], event)) as {
    statusCode: number;
    body?: string;
  };
  return { status: result.statusCode, body: result.body ?? '' };
}

/** Every item the pages could touch: the referrals' and activities' partitions, the links. */
async function snapshot(): Promise<unknown[]> {
  const pks = [
    ...referrals.flatMap((r) => [keys.referral(r.referralId).pk, keys.activity(r.activityId).pk]),
    ...linkIds.map((id) => keys.link(id).pk),
  ];
  return partitionItems(pks);
}

beforeAll(async () => {
  const { issuer, clientId, api: apiUrl, region } = localCloud();
  const template = loadTemplate({ cdkOut: 'cdk.out', region, issuerUrl: issuer, clientId, apiUrl });
  const pick = (prefix: string) => {
    const fn = template.functions.find((f) => f.logicalId.includes(prefix));
    if (!fn) throw new Error(`no ${prefix} in the template`);
    return fn;
  };
  const respond = pick('RespondPageFunction');
  const rate = pick('RatePageFunction');
  const cloud = localCloud();
  runtime = await startLambdaRuntime({
    functions: [respond, rate],
    region,
    quiet: true,
    baseEnv: {
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SESSION_TOKEN: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: cloud.dynamodb,
      AWS_ENDPOINT_URL_SFN: cloud.stepfunctions,
      AWS_ENDPOINT_URL_SES: cloud.ses,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: cloud.secretsmanager,
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_TRACE_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    },
  });
  fnOf.respond = respond.logicalId;
  fnOf.rate = rate.logicalId;

  const key = await linkSigningKey();
  for (let i = 0; i < 3; i++) {
    // Round 2: the department's current step; a round-1 link is of a step that has moved on.
    const seeded = await seedReferral({
      referral: {
        status: 'REPLIED',
        round: 2,
        feedback: { round: 2, raiserRefs: ['R.F1'] },
      },
    });
    referrals.push(seeded);
    const make = async (purpose: 'RESPOND' | 'RATE', round: number, ttlSeconds = 3600) => {
      const token = await createLink(linkStore(), key, {
        purpose,
        referralId: seeded.referralId,
        round,
        ...(purpose === 'RATE' ? { raiserRef: 'R.F1' } : {}),
        ttlSeconds,
      });
      linkIds.push(token.split('.')[0]!);
      return token;
    };
    valid.respond.push(await make('RESPOND', 2));
    valid.rate.push(await make('RATE', 2));
    oldRound.push(await make('RESPOND', 1));
    expired.push(await make('RESPOND', 2, 1), await make('RATE', 2, 1));
  }
  await new Promise((r) => setTimeout(r, 1500)); // the 1-second links expire
});

// ---- the bad links ---------------------------------------------------------------------------
type Bad = { kind: string; page: 'respond' | 'rate'; token: string };

const flipBit = (text: string, index: number, bit: number): string => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const i = index % text.length;
  const pos = alphabet.indexOf(text[i]!);
  const flipped = pos < 0 ? 'A' : alphabet[(pos ^ (1 << (bit % 6))) % 64]!;
  return text.slice(0, i) + flipped + text.slice(i + 1);
};

const badLink = (): fc.Arbitrary<Bad> => {
  const page = fc.constantFrom<'respond' | 'rate'>('respond', 'rate');
  const validOf = (p: 'respond' | 'rate') => fc.constantFrom(...valid[p]);
  const bitFlip = page.chain((p) =>
    fc
      .tuple(validOf(p), fc.constantFrom(0, 1, 2), fc.nat(), fc.nat())
      .map(([token, part, index, bit]) => {
        const parts = token.split('.') as [string, string, string];
        const base36 = '0123456789abcdefghijklmnopqrstuvwxyz';
        if (part === 1) {
          const i = index % parts[1].length;
          const digit = base36.indexOf(parts[1][i]!);
          parts[1] =
            parts[1].slice(0, i) + base36[(digit + 1 + (bit % 35)) % 36]! + parts[1].slice(i + 1);
        } else {
          parts[part] = flipBit(parts[part], index, bit);
        }
        return {
          kind: ['flip id', 'flip expiry', 'flip signature'][part]!,
          page: p,
          token: parts.join('.'),
        };
      })
      .filter((b) => !valid[b.page].includes(b.token)),
  );
  const swapped = fc.oneof(
    // Another referral's id (and expiry) with this one's signature, and the other way round.
    fc.tuple(page, fc.nat(), fc.nat()).map(([p, a, b]) => {
      const list = valid[p];
      const x = list[a % list.length]!.split('.');
      const y = list[(a + 1 + (b % (list.length - 1))) % list.length]!.split('.');
      return { kind: 'swapped id/signature', page: p, token: `${x[0]}.${x[1]}.${y[2]}` };
    }),
    fc.tuple(page, fc.nat()).map(([p, a]) => {
      const other = p === 'respond' ? valid.rate : valid.respond;
      return { kind: 'wrong purpose', page: p, token: other[a % other.length]! };
    }),
    fc.nat().map((a) => ({
      kind: 'old round',
      page: 'respond' as const,
      token: oldRound[a % oldRound.length]!,
    })),
    fc
      .tuple(page, fc.nat())
      .map(([p, a]) => ({ kind: 'expired', page: p, token: expired[a % expired.length]! })),
  );
  const garbage = fc
    .tuple(
      page,
      fc.oneof(
        fc.string({ maxLength: 80 }),
        fc.constantFrom('', '.', '..', 'null', 'undefined', '%00', 'a.b.c'),
        fc
          .tuple(
            fc.constantFrom(...valid.respond),
            fc.constantFrom('truncate', 'extend', 'upper', 'dots'),
          )
          .map(([t, how]) =>
            how === 'truncate'
              ? t.slice(0, -1)
              : how === 'extend'
                ? `${t}A`
                : how === 'upper'
                  ? t.toUpperCase()
                  : t.replace(/\./g, '..'),
          ),
      ),
    )
    .map(([p, token]) => ({ kind: 'garbage', page: p, token }));
  return fc.oneof(
    { weight: 5, arbitrary: bitFlip },
    { weight: 4, arbitrary: swapped },
    { weight: 1, arbitrary: garbage },
  );
};

describe('10,000 tampered, expired and swapped links', () => {
  it('valid links show their page on GET, and no GET writes anything', async () => {
    const before = await snapshot();
    for (const token of valid.respond) {
      const res = await invoke('respond', 'GET', token);
      expect(res.status, res.body.slice(0, 300)).toBe(200);
    }
    for (const token of valid.rate) {
      expect((await invoke('rate', 'GET', token)).status).toBe(200);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('0 accepted, 0 writes; a sample through the HTTP API answers the same', async () => {
    const before = await snapshot();
    const started = Date.now();
    const counts = {
      requests: 0,
      accepted: 0,
      get: 0,
      post: 0,
      byKind: {} as Record<string, number>,
      byStatus: {} as Record<number, number>,
    };
    const samples = new Map<string, { bad: Bad; method: 'GET' | 'POST'; status: number }>();
    await fc.assert(
      fc.asyncProperty(
        badLink(),
        fc.constantFrom<'GET' | 'POST'>('GET', 'POST'),
        async (bad, method) => {
          const res = await invoke(bad.page, method, bad.token);
          counts.requests++;
          counts[method === 'GET' ? 'get' : 'post']++;
          counts.byKind[bad.kind] = (counts.byKind[bad.kind] ?? 0) + 1;
          counts.byStatus[res.status] = (counts.byStatus[res.status] ?? 0) + 1;
          if (res.status < 300) counts.accepted++;
          if (!samples.has(`${bad.kind} ${method}`))
            samples.set(`${bad.kind} ${method}`, { bad, method, status: res.status });
          expect([403, 410], `${bad.kind} ${method} ${bad.token}: ${res.status}`).toContain(
            res.status,
          );
          expect(res.body).toMatch(/链接无效|Invalid link/);
        },
      ),
      { numRuns: LINKS, seed: 61_2025, endOnFailure: true },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const after = await snapshot();
    const changed =
      after.length !== before.length || JSON.stringify(after) !== JSON.stringify(before);

    // The same links through the local HTTP API (router, public route, the shared runtime).
    const anonymous = api(null);
    let httpAgrees = 0;
    for (const { bad, method, status } of samples.values()) {
      const path = `/${bad.page}/${encodeURIComponent(bad.token)}`;
      const res =
        method === 'GET'
          ? await anonymous.get(path)
          : await anonymous.request('POST', path, {
              body: bad.page === 'respond' ? FORM : RATE_FORM,
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
            });
      // An empty token is no route over HTTP (404, like API Gateway); every other one is refused.
      if (bad.token === '') expect([403, 404]).toContain(res.status);
      else expect(res.status, `${bad.kind} ${method} over HTTP`).toBe(status);
      httpAgrees++;
    }
    console.log(
      `[security links] bad links ${counts.requests} (GET ${counts.get}, POST ${counts.post}), accepted ${counts.accepted}, by kind ${JSON.stringify(counts.byKind)}, by status ${JSON.stringify(counts.byStatus)}, items changed ${changed ? 'yes' : 0} of ${before.length}, HTTP sample ${httpAgrees}/${samples.size} same answer, ${seconds} s`,
    );
    expect(counts.requests).toBe(LINKS);
    expect(counts.accepted).toBe(0);
    expect(after).toEqual(before);
  }, 600_000);
});
