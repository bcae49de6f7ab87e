// What deputies do, they do through the personal links of their invitation emails, as on their
// phones: no account, no token. The demo reads each invitation from the local SES store, takes
// the link, and posts the page's forms (answer, check in with the venue's code, record a
// finding) as a browser without JavaScript would.
import { readSentMail } from '../../infra/local/ses';
import { DEMO_EMAIL_DOMAIN } from '../../infra/local/seed';
import { DemoError, until, type Caller, type DemoContext } from './client';

const formBody = (fields: Record<string, string | undefined>) =>
  new URLSearchParams(
    Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ).toString();

/** A deputy's personal page of one activity, opened from their invitation. */
export interface PersonalLink {
  deputyId: string;
  url: string;
}

/**
 * The personal links of the invitations of the activity titled `title` sent since `since`
 * (ms), by deputy: each found in the email to the deputy's address (`emailOf`), waiting until
 * every invitation has arrived.
 */
export async function personalLinks(
  ctx: Pick<DemoContext, 'endpoints'>,
  title: string,
  deputies: readonly { id: string; email?: string }[],
  since: number,
): Promise<Map<string, PersonalLink>> {
  const addressOf = (d: { id: string; email?: string }) =>
    (d.email ?? `${d.id}@${DEMO_EMAIL_DOMAIN}`).toLowerCase();
  return until(
    `the invitations of ${title}`,
    async () => {
      // The store filters by epoch second; a second earlier, so none sent that second is missed.
      const mail = await readSentMail(ctx.endpoints.sesStore, Math.floor(since / 1000) - 1);
      const links = new Map<string, PersonalLink>();
      for (const deputy of deputies) {
        // The latest invitation to that address of this activity.
        const email = mail
          .filter(
            (m) =>
              m.subject.includes(title) &&
              m.destination.to.some((to) => to.toLowerCase() === addressOf(deputy)),
          )
          .at(-1);
        const token = /\/deputy\/([A-Za-z0-9_.%-]+)/.exec(email?.body.text ?? '')?.[1];
        if (!token) return undefined;
        links.set(deputy.id, { deputyId: deputy.id, url: `${ctx.endpoints.api}/deputy/${token}` });
      }
      return links;
    },
    120_000,
  );
}

/** Posts one form of the page; a page that refuses it (4xx/5xx) is an error of the replay. */
async function post(link: PersonalLink, fields: Record<string, string | undefined>) {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(link.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formBody(fields),
    });
    const page = await res.text();
    // 429/503: the stage throttle or a busy activity; back off as any browser user retries.
    if ((res.status === 429 || res.status === 503) && attempt < 8) {
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      continue;
    }
    if (!res.ok) {
      const title = /<title>(.*?)<\/title>/s.exec(page)?.[1] ?? '';
      throw new DemoError(
        `${fields.action} on ${link.deputyId}'s page answered ${res.status}: ${title}`,
      );
    }
    return page;
  }
}

export const answer = (link: PersonalLink, response: 'ACCEPTED' | 'DECLINED', note?: string) =>
  post(link, { action: 'ANSWER', response, note });

/** Checks in with the six digits the venue shows (`GET /activities/{id}/check-in/qr`). */
export const checkInWithCode = (link: PersonalLink, code: string) =>
  post(link, { action: 'CHECK_IN', code });

/** The venue's current code, as the organiser's screen at the venue shows it. */
export const venueCode = async (organiser: Caller, activityId: string): Promise<string> =>
  (await organiser.call<{ venueCode: string }>('GET', `/activities/${activityId}/check-in/qr`))
    .venueCode;

export interface FindingForm {
  kind: string;
  category: string;
  place: string;
  description: string;
  needsReferral: boolean;
  residentName?: string;
}

/** Records a finding with the page's form (each form carries its own id: it acts once). */
export async function recordFinding(link: PersonalLink, finding: FindingForm): Promise<void> {
  const page = await (await fetch(link.url)).text();
  const formId = /name="formId" value="([0-9A-Z]{26})"/.exec(page)?.[1];
  if (!formId)
    throw new DemoError(`${link.deputyId}'s page has no finding form (findings closed?)`);
  await post(link, {
    action: 'FINDING',
    formId,
    kind: finding.kind,
    category: finding.category,
    place: finding.place,
    description: finding.description,
    needsReferral: finding.needsReferral ? 'on' : undefined,
    residentName: finding.residentName,
  });
}
