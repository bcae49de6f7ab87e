/**
 * What organisers are shown of a workflow's failure (issue 12 item 4): no stack trace, no server
 * path. The full cause stays in the recorder's log line, found by the request id kept with the
 * failure. A module of its own, without imports: the views that read failures load it.
 */

const MAX_MESSAGE_LENGTH = 500;
// An absolute path (with its :line:column), not part of a URL: /var/task/index.mjs:12:5.
const SERVER_PATH = /(?:file:\/\/)?(?<![\w.:/])\/(?:[\w.@+-]+\/)+[\w.@+-]*(?::\d+){0,2}/g;
const STACK_FRAME = /^\s*at\s/;

/**
 * A failure's cause without its stack trace or server paths: the message only. Step Functions
 * gives a Lambda error as `{"errorType","errorMessage","trace":[...]}`; other causes are text,
 * of which the frames ("    at f (/var/task/x.js:1:2)") are dropped. Applying it twice changes
 * nothing, so it also cleans failures recorded before it existed when they are read.
 */
export const causeWithoutTrace = (cause: string): string => {
  let message = cause;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (parsed && typeof parsed.errorMessage === 'string') message = parsed.errorMessage;
  } catch {
    // Not the Lambda error shape: plain text.
  }
  const text = message
    .split('\n')
    .filter((line) => !STACK_FRAME.test(line))
    .join(' ')
    .replace(SERVER_PATH, '…')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text;
};

// The project's own errors say what is wrong in words meant for people (functions/shared/errors.ts).
const FIX_WHAT_IT_NAMES = "Fix what it names (e.g. a department's address), then redrive.";

/** What an organiser can do about a failure, by the error's name. */
const WHAT_TO_DO: Record<string, string> = {
  ConflictError: FIX_WHAT_IT_NAMES,
  ValidationError: FIX_WHAT_IT_NAMES,
  NotFoundError: FIX_WHAT_IT_NAMES,
  // Its message names what to set (the district's jurisdiction) and who sets it.
  NoJurisdictionError: 'Once it is set, redrive.',
  TransientError: 'A service stayed unavailable through every retry; redrive once it is back.',
  EmailRejectedError: 'Fix what the mail service names (an address, the sender), then redrive.',
  'States.Timeout': 'A step ran out of time; redrive to run it again.',
  'Lambda.TooManyRequestsException': 'The system was overloaded; redrive in a few minutes.',
};

const OPERATORS =
  'An unexpected error; tell the operators, quoting the request id, then redrive once it is fixed.';

/**
 * The failure as organisers see it (GET /activities/{id}, GET /referrals/{id}, the audit
 * trail): the error's name, its message without trace or paths, what to do, and the request
 * id of the recorder's invocation, whose log line holds the full cause (trace included).
 */
export const failureForOrganisers = (
  error: { Error: string; Cause: string },
  requestId?: string,
): { error: string; cause: string; requestId?: string } => {
  const message = causeWithoutTrace(error.Cause);
  const action = WHAT_TO_DO[error.Error] ?? OPERATORS;
  return {
    error: error.Error.slice(0, 200),
    cause: message ? `${message} — ${action}` : action,
    ...(requestId ? { requestId } : {}),
  };
};
