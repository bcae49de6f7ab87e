// unit test helper: an in-memory stand-in for the table behind a mocked DocumentClient
// (aws-sdk-client-mock), enough for the findings and review flows: Get, Query by key prefix,
// BatchGet, Update and TransactWrite with Put / Delete / ConditionCheck / simple SET-REMOVE
// updates.
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

type Item = Record<string, unknown>;

export const keyOf = (item: { pk: unknown; sk: unknown }) =>
  `${String(item.pk)}|${String(item.sk)}`;

const applyUpdate = (
  item: Item,
  expression: string,
  names: Record<string, string> = {},
  values: Record<string, unknown> = {},
) => {
  const name = (token: string) => names[token] ?? token;
  // The clauses in either order (`SET … REMOVE …` or `REMOVE … SET …`).
  const clause = (keyword: string) =>
    new RegExp(`(?:^|\\s)${keyword} (.*?)(?=\\s(?:SET|REMOVE) |$)`).exec(expression.trim())?.[1] ??
    '';
  const setPart = clause('SET');
  const removePart = clause('REMOVE');
  for (const assignment of setPart
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [left, right] = assignment.split('=').map((part) => part.trim());
    item[name(left!)] = structuredClone(values[right!]);
  }
  for (const token of removePart
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    delete item[name(token)];
  }
};

/** An in-memory table; `failNext` makes the next transaction fail as a lost race. */
export const fakeTable = () => {
  const items = new Map<string, Item>();
  const doc = mockClient(DynamoDBDocumentClient);
  const state = { failNextTransactions: 0 };

  const install = () => {
    doc.reset();
    doc.on(GetCommand).callsFake((input) => {
      const item = items.get(keyOf(input.Key));
      return { Item: item ? structuredClone(item) : undefined };
    });
    doc.on(QueryCommand).callsFake((input) => {
      const values = input.ExpressionAttributeValues as Record<string, string>;
      const names = input.ExpressionAttributeNames as Record<string, string>;
      const pkName = names['#pk']!;
      const skName = names['#sk'];
      const found = [...items.values()]
        .filter((item) => item[pkName] === values[':pk'])
        .filter((item) => !skName || String(item[skName] ?? '').startsWith(values[':skPrefix']!))
        .sort((a, b) => (String(a[skName ?? 'sk']) < String(b[skName ?? 'sk']) ? -1 : 1));
      return { Items: found.map((item) => structuredClone(item)) };
    });
    doc.on(BatchGetCommand).callsFake((input) => {
      const [table, request] = Object.entries(
        input.RequestItems as Record<string, { Keys: Item[] }>,
      )[0]!;
      const found = request.Keys.map((key: Item) => items.get(keyOf(key as never))).filter(
        (item): item is Item => item !== undefined,
      );
      return { Responses: { [table]: found.map((item) => structuredClone(item)) } };
    });
    doc.on(UpdateCommand).callsFake((input) => {
      const key = keyOf(input.Key);
      // As DynamoDB: an update creates a missing item unless its condition needs one (an
      // attribute that must exist or equal a value, as a claim's settle or release).
      const needsItem = /(?<!not_)attribute_exists\(|\w = :/.test(input.ConditionExpression ?? '');
      if (!items.has(key) && needsItem) {
        throw Object.assign(new Error('condition'), { name: 'ConditionalCheckFailedException' });
      }
      const item = items.get(key) ?? { ...input.Key };
      items.set(key, item);
      applyUpdate(
        item,
        input.UpdateExpression,
        input.ExpressionAttributeNames,
        input.ExpressionAttributeValues,
      );
      return {};
    });
    doc.on(TransactWriteCommand).callsFake((input) => {
      if (state.failNextTransactions > 0) {
        state.failNextTransactions--;
        throw Object.assign(new Error('cancelled'), {
          name: 'TransactionCanceledException',
          CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
        });
      }
      for (const entry of input.TransactItems) {
        if (entry.Put) items.set(keyOf(entry.Put.Item), structuredClone(entry.Put.Item));
        if (entry.Delete) items.delete(keyOf(entry.Delete.Key));
        if (entry.Update) {
          const key = keyOf(entry.Update.Key);
          const item = items.get(key) ?? { ...entry.Update.Key };
          applyUpdate(
            item,
            entry.Update.UpdateExpression,
            entry.Update.ExpressionAttributeNames,
            entry.Update.ExpressionAttributeValues,
          );
          items.set(key, item);
        }
      }
      return {};
    });
  };
  install();

  return {
    doc,
    items,
    state,
    reset: () => {
      items.clear();
      state.failNextTransactions = 0;
      install();
    },
    put: (item: Item) => items.set(keyOf(item as never), structuredClone(item)),
    get: (pk: string, sk: string) => items.get(`${pk}|${sk}`),
    transactions: () => doc.commandCalls(TransactWriteCommand).map((call) => call.args[0].input),
    withPrefix: (pk: string, prefix: string) =>
      [...items.values()]
        .filter((item) => item.pk === pk && String(item.sk).startsWith(prefix))
        .sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : 1)),
  };
};
