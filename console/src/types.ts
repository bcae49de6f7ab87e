// The API's answers as the console reads them (docs/openapi.json describes them).
import type {
  District,
  LiaisonStation,
  StreetOfDistrict,
} from '../../functions/shared/domain/jurisdiction';
export interface PendingTask {
  phase: string;
  since: string;
  deadline?: string | null;
  action?: { code: string; method: string; path: string; endsAtDeadline: boolean } | null;
}

export interface ActivitySummary {
  id: string;
  title: string;
  type: string;
  street: string;
  location: string;
  startsAt: string;
  endsAt: string;
  organiserId: string;
  status: string;
  phase: string;
  invited: number;
  pendingTask?: PendingTask;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface Attendance {
  invited: number;
  accepted: number;
  declined: number;
  attended: number;
  personTimesByLevel: Record<string, number>;
  personTimesTotal: number;
  madeUp: number;
  computedAt: string;
}

export interface ActivityView {
  activity: ActivitySummary & {
    description?: string;
    details?: Record<string, unknown>;
    attendanceClosesAt?: string;
    findingsCloseAt?: string;
    failure?: { error?: string; cause?: string; state?: string; at?: string };
    counts: { invited: number; emailsSent: number };
    attendance?: Attendance;
  };
  workflow?: { status?: string; executionArn?: string };
}

export interface Finding {
  id: string;
  kind: string;
  category: string;
  description: string;
  place: string;
  needsReferral: boolean;
  referralId?: string;
  unrouted?: boolean;
  decision?: { type: string; reason?: string; answer?: string; intoFindingId?: string };
  recordedAt: string;
}

export interface Referral {
  id: string;
  activityId: string;
  departmentId: string;
  findingIds: string[];
  committeeId?: string;
  dueDate?: string;
  status: string;
  overdue?: boolean;
}

/** A row of the 督办 list (GET /referrals). */
export interface ReferralRow {
  id: string;
  activityId: string;
  departmentId: string;
  committeeId: string | null;
  status: string;
  dueDate: string | null;
  overdue: boolean;
  findings: number;
  failed: boolean;
  waitingOn: { party: string; code: string; deadline: string | null } | null;
}

export interface Review {
  activity: { id: string; status: string; phase: string; reviewApprovedAt?: string };
  findings: Finding[];
  referrals: Referral[];
  approval: { ready: boolean; undecided?: string[]; incomplete?: unknown[] };
}

export interface Named {
  id: string;
  name: string;
  active?: boolean;
}

export interface Deputy extends Named {
  seats: { level: string; body: string }[];
  group?: string;
  street?: string;
  liaisonStation?: string;
  email?: string;
}

/** One row of `GET /activities/{activityId}/invitations`. */
export interface InvitationRow {
  deputyId: string;
  name: string | null;
  levels: string[];
  guest: boolean;
  answer: { response: 'ACCEPTED' | 'DECLINED'; note: string | null; at: string | null } | null;
  checkIn: { method: 'API' | 'QR' | 'CODE' | 'MAKE_UP'; at: string } | null;
}

export type { Bilingual, LiaisonStation } from '../../functions/shared/domain/jurisdiction';

/** A street or town of the district, with its liaison stations (`GET /jurisdiction`). */
export interface Street extends StreetOfDistrict {
  liaisonStations: LiaisonStation[];
}

/** `GET /jurisdiction`: the district, its letterhead, its streets. */
export interface Jurisdiction {
  district: District;
  streets: Street[];
}

/**
 * `GET /referrals/{referralId}`'s referral, the fields the console reads of its public view
 * (referralViewSchema in functions/referral-api/schemas.ts; the console compiles without Node's
 * types, which that module's imports need).
 */
export interface ReferralView {
  id: string;
  activity: { id: string; title: string; street: string; type?: string; startsAt?: string } | null;
  activityId: string;
  findings: { id: string; kind: string; category: string; description: string; place: string }[];
  departmentId: string;
  committeeId: string | null;
  status: string;
  round: number;
  dueDate: string | null;
  overdue: boolean;
  waitingOn: ReferralRow['waitingOn'];
  pendingTask: { phase: string; since: string; deadline: string | null } | null;
  routing: { departmentId: string; at: string; by: string; reason?: string }[];
  returned: { round: number; departmentId: string; reason: string; at: string } | null;
  reply: { round: number; result: string; text: string; at: string } | null;
  extensionRequest: {
    round: number;
    days: number;
    reason: string;
    status: 'PENDING' | 'GRANTED' | 'REFUSED';
  } | null;
  committeeClosure: { by: string; reason: string; at: string } | null;
  failure: { error: string; cause: string; at: string } | null;
}

export interface ReferralDetail {
  referral: ReferralView;
  responses: { action: string; at: string; text?: string; reason?: string; days?: number }[];
  ratings: { rating: string; at: string; comment?: string }[];
  history: { seq: number; at: string; action: string; actor: string }[];
}
