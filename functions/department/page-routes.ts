import { jurisdictionOf, letterheadOf, type Letterhead } from '../shared/data/jurisdiction.js';
import type { z } from 'zod/mini';
import type { departmentFormSchema, ratingFormSchema } from './form.js';
import type { DepartmentPageRoutes, PageDeps } from './handler.js';
import {
  renderAlreadyReceivedPage,
  renderClosedPage,
  renderNotAllowedPage,
  renderRatingPage,
  renderReceivedPage,
  renderRefusalPage,
  renderResponsePage,
} from './pages.js';
import { rate, ratingPage, type RateOutcome } from './rate.js';
import type { DepartmentAction } from './referral.js';
import { respond, responsePage, type RespondOutcome, type StaleReason } from './respond.js';
import { ratePageContracts, respondPageContracts } from './routes.js';
import type { LinkRecord } from '../shared/data/links.js';
import type { HttpResult } from '../shared/http/types.js';

const RECEIVED: Record<DepartmentAction, { zh: string; en: string }> = {
  ACKNOWLEDGE: { zh: '已确认收到该转办事项。', en: 'Receipt acknowledged.' },
  RETURN: {
    zh: '已退回，区人大常委会办公室将重新转交。',
    en: 'Returned; the organisers will route it to another body.',
  },
  REQUEST_EXTENSION: {
    zh: '延期申请已提交，待组织者审批。',
    en: 'Extension requested; the organisers will decide.',
  },
  PROGRESS: { zh: '办理进展已记录。', en: 'Progress recorded.' },
  REPLY: { zh: '办理答复已提交，谢谢。', en: 'Reply received. Thank you.' },
};

/**
 * A page's GET: its model, or the refusal the link earns (a string), rendered under the
 * district's letterhead.
 */
const showPage =
  <Model extends object>(
    modelOf: (deps: PageDeps, link: LinkRecord) => Promise<Model | StaleReason>,
    render: (model: Model, letterhead: Letterhead) => HttpResult,
  ): DepartmentPageRoutes<z.ZodMiniType>['get']['answer'] =>
  async (deps, link) => {
    const model = await modelOf(deps, link);
    return typeof model === 'string'
      ? renderRefusalPage(model)
      : render(model, letterheadOf(await jurisdictionOf(deps)));
  };

/** A page's POST: the outcome of its action as a page, or the refusal the link earns. */
const submitPage =
  <Input, Outcome extends object>(
    act: (deps: PageDeps, link: LinkRecord, input: Input) => Promise<Outcome | StaleReason>,
    pageOf: (outcome: Outcome) => HttpResult,
  ) =>
  async (deps: PageDeps, link: LinkRecord, input: Input): Promise<HttpResult> => {
    const outcome = await act(deps, link, input);
    return typeof outcome === 'string' ? renderRefusalPage(outcome) : pageOf(outcome);
  };

const pageOfResponse = (outcome: RespondOutcome): HttpResult => {
  switch (outcome.kind) {
    case 'DONE':
      return renderReceivedPage(RECEIVED[outcome.action].zh, RECEIVED[outcome.action].en);
    case 'ALREADY':
      return renderAlreadyReceivedPage();
    case 'CLOSED':
      return renderClosedPage();
    case 'NOT_ALLOWED':
      return renderNotAllowedPage();
  }
};

const pageOfRating = (outcome: RateOutcome): HttpResult => {
  if (outcome.kind === 'ALREADY') return renderAlreadyReceivedPage();
  if (outcome.kind === 'CLOSED') return renderClosedPage();
  return renderReceivedPage('感谢您的评价。', 'Thank you for your rating.');
};

/** The department's response page: the referral and its forms; one action per round. */
export const responseRoutes: DepartmentPageRoutes<typeof departmentFormSchema> = {
  purpose: 'RESPOND',
  get: { contract: respondPageContracts.show, answer: showPage(responsePage, renderResponsePage) },
  post: { contract: respondPageContracts.submit, answer: submitPage(respond, pageOfResponse) },
};

/** The raiser's rating page: the reply and the rating form; one rating. */
export const ratingRoutes: DepartmentPageRoutes<typeof ratingFormSchema> = {
  purpose: 'RATE',
  get: { contract: ratePageContracts.show, answer: showPage(ratingPage, renderRatingPage) },
  post: { contract: ratePageContracts.submit, answer: submitPage(rate, pageOfRating) },
};
