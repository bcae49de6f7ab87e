import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { TransientError } from '../errors.js';

/** Error names with which Step Functions says the token's task is no longer open. */
const CLOSED_TASK_ERRORS = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

/**
 * Ends a human step with `output` through its stored token. `false` when Step Functions says
 * the task is no longer open (its deadline passed, or it was ended before); throttling and 5xx
 * become {@link TransientError}.
 */
export const sendTaskSuccess = async (
  deps: { sfn: Pick<SFNClient, 'send'> },
  token: string,
  output: Record<string, unknown>,
): Promise<boolean> => {
  try {
    await deps.sfn.send(
      new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }),
    );
    return true;
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (CLOSED_TASK_ERRORS.has(name)) return false;
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (name === 'ThrottlingException' || (status !== undefined && status >= 500)) {
      throw new TransientError('Step Functions is busy; retry later', { cause: error });
    }
    throw error;
  }
};
