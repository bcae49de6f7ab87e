// unit test: what organisers see of a workflow failure (issue 12 item 4), no SDK
import { describe, expect, it } from 'vitest';
import {
  causeWithoutTrace,
  failureForOrganisers,
} from '../../../../functions/shared/workflow/failure-cause.js';

const TRACE_OR_PATH = /\/var\/task|\/home\/|node_modules|file:\/\/|\bat [\w.<>]+ \(|\.m?js:\d+/;

/** Step Functions' Cause of a Lambda error, as the attack found it in GET /activities/{id}. */
const lambdaCause = (errorType: string, errorMessage: string) =>
  JSON.stringify({
    errorType,
    errorMessage,
    trace: [
      `${errorType}: ${errorMessage}`,
      '    at encodeURIComponent (<anonymous>)',
      '    at serializeAws_querySendEmailCommand (/var/task/node_modules/@aws-sdk/client-ses/dist-cjs/index.js:2203:38)',
      '    at Runtime.handler (file:///var/task/index.mjs:41:11)',
    ],
  });

describe('causeWithoutTrace', () => {
  it("keeps a Lambda error's message and drops its trace", () => {
    expect(causeWithoutTrace(lambdaCause('URIError', 'URI malformed'))).toBe('URI malformed');
  });

  it('drops frames and server paths from plain text, and keeps URLs and ids', () => {
    const text = [
      'Error: ENOENT: no such file or directory, open /var/task/templates/referral.html',
      '    at Object.openSync (node:fs:573:3)',
      '    at render (/home/sbx_user1051/app/render.js:12:5)',
      'see https://docs.aws.amazon.com/ses/latest/dg/x.html for referral 01J5ZQ8V6W7X8Y9Z0ABCDEFGHJ',
    ].join('\n');
    const clean = causeWithoutTrace(text);
    expect(clean).toBe(
      'Error: ENOENT: no such file or directory, open … see https://docs.aws.amazon.com/ses/latest/dg/x.html for referral 01J5ZQ8V6W7X8Y9Z0ABCDEFGHJ',
    );
  });

  it('is idempotent (failures recorded before are cleaned when read) and bounded', () => {
    const once = causeWithoutTrace(lambdaCause('TypeError', 'x is undefined'));
    expect(causeWithoutTrace(once)).toBe(once);
    const recorded = failureForOrganisers({
      Error: 'TypeError',
      Cause: lambdaCause('TypeError', 'x'),
    });
    expect(causeWithoutTrace(recorded.cause)).toBe(recorded.cause);
    expect(causeWithoutTrace('y'.repeat(5000))).toHaveLength(500);
  });
});

describe('failureForOrganisers', () => {
  it.each([
    [
      'URIError',
      lambdaCause('URIError', 'URI malformed'),
      /^URI malformed — An unexpected error; tell the operators, quoting the request id/,
    ],
    [
      'EmailRejectedError',
      lambdaCause(
        'EmailRejectedError',
        'SES rejected the email (MessageRejected): Email address is not verified.',
      ),
      /^SES rejected the email \(MessageRejected\): Email address is not verified\. — Fix what the mail service names/,
    ],
    [
      'TransientError',
      lambdaCause(
        'TransientError',
        "SES refused to send (Throttling) 4 times; the step's retry sends it",
      ),
      /redrive once it is back\.$/,
    ],
    ['States.Timeout', '', /^A step ran out of time; redrive to run it again\.$/],
    [
      'ConflictError',
      lambdaCause('ConflictError', 'Department dept-x has no usable email address'),
      /^Department dept-x has no usable email address — Fix what it names/,
    ],
  ])('%s: the name, a message without trace, what to do', (error, cause, expected) => {
    const failure = failureForOrganisers({ Error: error, Cause: cause }, 'c0ffee-req');
    expect(failure.error).toBe(error);
    expect(failure.cause).toMatch(expected);
    expect(failure.cause).not.toMatch(TRACE_OR_PATH);
    expect(failure.requestId).toBe('c0ffee-req');
  });
});
