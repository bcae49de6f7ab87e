import type {
  ActivityStatus,
  ActivityType,
  DeputyLevel,
  Language,
  Street,
} from '../domain/reference.js';
import type { ListingKey, OwnershipKey, PrimaryKey } from './keys.js';

/** The pending human step of an activity: its Step Functions task token, kept server-side. */
export interface PendingTask {
  phase: string;
  token: string;
  since: string;
  deadline?: string;
  /** START: the activity revision the wait was planned from (a change ends an older wait). */
  revision?: number;
}

/**
 * Why an activity failed. `SCHEDULING`: POST /activities could not finish (the organiser was
 * told and schedules again), so the workflow must not go on. `WORKFLOW`: a step failed; a
 * redrive of the execution may resume it.
 */
export interface ActivityFailure {
  stage: 'SCHEDULING' | 'WORKFLOW';
  error: string;
  /** The message and what to do, never a stack trace (shared/workflow/failure-cause.ts). */
  cause: string;
  at: string;
  /** The request id of the log line that holds the full cause. */
  requestId?: string;
  /** The status the failed step left it in: a redrive puts it back (absent before redrives). */
  statusBefore?: ActivityStatus;
}

export interface ActivityItem extends PrimaryKey, ListingKey, OwnershipKey {
  entity: 'ACTIVITY';
  id: string;
  title: string;
  type: ActivityType;
  street: Street;
  location: string;
  description?: string;
  startsAt: string;
  endsAt: string;
  language: Language;
  /** The theme campaign (主题活动) the activity belongs to. */
  campaignId?: string;
  /** Cognito `sub` of the organiser who scheduled it. */
  organiserId: string;
  /** The organiser's `custom:street` claim when they are scoped to one street. */
  scope?: Street;
  status: ActivityStatus;
  phase: string;
  invitedCount: number;
  emailsSent?: number;
  pendingTask?: PendingTask;
  failure?: ActivityFailure;
  checkInOpenedAt?: string;
  /**
   * Raised by each change through PATCH /activities/{id} (absent = 0): the SEQUENCE of the
   * activity's calendar event (RFC 5545), the number of its change item, and what the workflow's
   * start wait was planned for (a wait planned for an older revision is recomputed).
   */
  revision?: number;
  createdAt: string;
  updatedAt: string;
  auditSeq: number;
  auditHash: string;
}

export interface InvitationItem extends PrimaryKey, OwnershipKey {
  entity: 'INVITATION';
  activityId: string;
  deputyId: string;
  invitedAt: string;
  emailMessageId?: string;
  emailSentAt?: string;
  /** A permanent reason this invitation was not emailed (e.g. no usable address). */
  emailFailure?: string;
  /** The deputy's personal page link (its id and expiry; the token is recomputed, never stored). */
  pageLink?: { linkId: string; expiresAt: number };
  /** The deputy's answer (functions/attendance). */
  response?: 'ACCEPTED' | 'DECLINED';
}

/**
 * One change of an activity through PATCH /activities/{id}, written in the change's transaction
 * (`keys.activityChange`). The workflow's SendChangeNotices step emails what it asks for and
 * then sets `noticesSentAt`.
 */
export interface ActivityChangeItem extends PrimaryKey {
  entity: 'ACTIVITY_CHANGE';
  activityId: string;
  revision: number;
  at: string;
  actor: string;
  /** Fields whose change the invitees are told of. */
  changed: ('startsAt' | 'endsAt' | 'location' | 'description')[];
  added: string[];
  removed: string[];
  noticesSentAt?: string;
  notices?: { sent: number; failed: number };
}

export interface DeputySeat {
  level: DeputyLevel;
  /** The people's congress the seat is in, e.g. 某市人大 / 某区人大. */
  body: string;
}

/** Reference data (issue 3 manages it). Holds personal data: never put it in payloads or logs. */
export interface DeputyItem extends PrimaryKey, ListingKey {
  entity: 'DEPUTY';
  id: string;
  name: string;
  email: string;
  seats: DeputySeat[];
  /** 联组 / delegation group, e.g. 市人大某区联组. */
  group?: string;
  /** Street working committee (人大街道工委) the deputy is organised in. */
  street?: Street;
  liaisonStation?: string;
  active: boolean;
  /**
   * A guest of another district (交叉检查): invited to this district's activities through the
   * same personal links, never a member of its roster; statistics count them apart.
   */
  guest?: { district: string };
  /** A guest's telephone, as their district gave it (local deputies are reached by email). */
  phone?: string;
  /** The language of the deputy's emails and pages (default zh). */
  language?: Language;
}
