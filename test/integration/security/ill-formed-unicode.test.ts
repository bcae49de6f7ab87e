// Integration (local cloud): ill-formed Unicode (lone surrogates) never reaches the data or a
// workflow, and no answer carries it (issue 12 item 3). An activity with a lone surrogate in its
// title is refused with 422 naming `title`, and nothing of it is stored (no item, no idempotency
// record, no execution); a department's form post with a percent-encoded surrogate is refused
// and changes nothing; text that holds lone surrogates in the table already (written before the
// inputs were checked) is answered as well-formed JSON that strict parsers take. The fuzzing of
// every route (fuzz.test.ts) generates such strings everywhere.
import { describe, expect, it } from 'vitest';
import { keys } from '../../../functions/shared/data/keys';
import { createLink } from '../../../functions/shared/data/links';
import { activityBody, rawItem } from '../support/activity';
import { api } from '../support/api';
import { executionsOf, scanItems } from '../support/aws';
import { localCloud } from '../support/cloud';
import { linkSigningKey, linkStore, seedReferral } from '../support/referral';
import { strictlyWellFormed } from '../../support/well-formed';

const RUN = Date.now().toString(36);
const ILL = 'is not well-formed Unicode (it holds a lone surrogate)';
const organiser = api({ role: 'organiser', sub: `unicode-org-${RUN}` });

/** Items of the table holding `marker` anywhere (keys, attributes, nested). */
const itemsWith = (marker: string) => scanItems((item) => JSON.stringify(item).includes(marker));

/** Activity executions started since `since` whose activity is not in the table. */
async function executionsWithoutActivity(since: Date): Promise<string[]> {
  const recent = (await executionsOf('ActivityWorkflow')).filter(
    (e) => (e.startDate?.getTime() ?? 0) >= +since,
  );
  const orphans: string[] = [];
  for (const execution of recent) {
    if (!(await rawItem(keys.activity(execution.name ?? '')))) orphans.push(execution.name ?? '');
  }
  return orphans;
}

describe('ill-formed Unicode is refused and never stored', () => {
  it('POST /activities with a lone surrogate in the title: 422 naming title; no item, no execution', async () => {
    const since = new Date(Date.now() - 1000);
    const marker = `ILLFORMED${RUN}`;
    const body = activityBody({ title: `河涌整治\ud800专题调研`, location: `文冲村 ${marker}` });
    // What goes over the wire: JSON.stringify writes the lone surrogate as the escape \ud800.
    expect(JSON.stringify(body)).toContain('\\ud800');
    const res = await organiser.post<{ message: string; issues: unknown[] }>('/activities', body, {
      'idempotency-key': `unicode-${RUN}`,
    });
    expect(res.status, res.text).toBe(422);
    expect(res.json.issues).toEqual([{ path: 'title', message: ILL }]);
    expect(res.json.message).toBe(`Invalid request body: title: ${ILL}`);

    // As typed by hand, in a nested field, with a low surrogate: named by its path.
    const typed = JSON.stringify(activityBody({ location: marker })).replace(
      '"dep-0001"',
      '"dep-0001\\udc00"',
    );
    const nested = await organiser.post<{ issues: unknown[] }>('/activities', typed);
    expect(nested.status, nested.text).toBe(422);
    expect(nested.json.issues).toEqual([{ path: 'invitedDeputyIds.0', message: ILL }]);

    // Nothing stored: no activity, no audit event, no idempotency record holds the marker, and
    // no workflow started for an activity that does not exist.
    expect(await itemsWith(marker)).toEqual([]);
    expect(await executionsWithoutActivity(since)).toEqual([]);
  });

  it("a department's form post with a percent-encoded surrogate: 422 naming the field; the referral unchanged", async () => {
    const { referralId } = await seedReferral({ referral: { status: 'SENT', round: 1 } });
    const token = await createLink(linkStore(), await linkSigningKey(), {
      purpose: 'RESPOND',
      referralId,
      round: 1,
      ttlSeconds: 3600,
    });
    const before = await rawItem(keys.referral(referralId));
    const res = await fetch(`${localCloud().api}/respond/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      // %ED%A0%80: U+D800's bytes in CESU-8, which URLSearchParams would turn into U+FFFD.
      body: 'action=PROGRESS&text=%E5%B7%B2%ED%A0%80%E5%A4%84%E7%BD%AE',
    });
    const html = await res.text();
    expect(res.status, html).toBe(422);
    expect(html).toContain(`text: ${ILL}`);
    expect(await rawItem(keys.referral(referralId))).toEqual(before);
  });
});

describe('no answer carries ill-formed Unicode', () => {
  it('text stored with lone surrogates earlier is answered as strictly well-formed JSON', async () => {
    // Written as the data was before inputs were checked (the attack's 201).
    const { activityId, referralId } = await seedReferral({ text: '\ud800积水\udfff' });
    const stored = (await rawItem(keys.activity(activityId))) as { title: string };
    expect(stored.title.isWellFormed(), 'the local table keeps the lone surrogates').toBe(false);

    for (const path of [
      `/activities/${activityId}`,
      `/activities/${activityId}/review`,
      `/referrals/${referralId}`,
    ]) {
      const res = await organiser.get(path);
      expect(res.status, `${path}: ${res.text}`).toBeLessThan(500);
      expect(res.text, path).not.toMatch(/\\u[dD][89a-fA-F][0-9a-fA-F]{2}/);
      expect(strictlyWellFormed(res.text), path).toBe(true);
    }
    const activity = await organiser.get<{ activity: { title: string } }>(
      `/activities/${activityId}`,
    );
    expect(activity.status, activity.text).toBe(200);
    expect(activity.json.activity.title).toContain('\ufffd积水\ufffd');
  });
});
