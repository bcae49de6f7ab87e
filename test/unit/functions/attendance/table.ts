// unit test helper: an in-memory table behind a mocked DocumentClient (aws-sdk-client-mock)
// that evaluates the simple condition expressions the attendance code and audit.ts write
// (AND of `attribute_exists(x)`, `attribute_not_exists(x)`, `a = :v`) and applies SET/REMOVE
// updates, so transactions succeed or are cancelled as DynamoDB would.
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

export type Item = Record<string, unknown>;
type Names = Record<string, string> | undefined;
type Values = Record<string, unknown> | undefined;

const keyOf = (key: Record<string, unknown>) => `${String(key.pk)}|${String(key.sk)}`;

const conditionHolds = (
  item: Item | undefined,
  expression: string,
  names: Names,
  values: Values,
) => {
  const name = (token: string) => names?.[token] ?? token;
  return expression
    .replace(/attribute_(not_)?exists\(([^)]+)\)/g, 'attribute_$1exists[$2]')
    .replace(/[()]/g, ' ')
    .split(/\s+AND\s+/)
    .map((clause) => clause.trim())
    .filter(Boolean)
    .every((clause) => {
      const exists = /^attribute_exists\[(.+)\]$/.exec(clause);
      if (exists) return item !== undefined && item[name(exists[1]!)] !== undefined;
      const missing = /^attribute_not_exists\[(.+)\]$/.exec(clause);
      if (missing) return item === undefined || item[name(missing[1]!)] === undefined;
      const equal = /^(\S+)\s*=\s*(:\S+)$/.exec(clause);
      if (equal) return item !== undefined && item[name(equal[1]!)] === values?.[equal[2]!];
      throw new Error(`fake table: unsupported condition ${clause}`);
    });
};

const applyUpdate = (item: Item, expression: string, names: Names, values: Values) => {
  const name = (token: string) => names?.[token] ?? token;
  const [, setPart = '', removePart = ''] =
    /^(?:SET (.*?))?(?:\s*REMOVE (.*))?$/.exec(expression.trim()) ?? [];
  for (const assignment of setPart
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [left, right] = assignment.split('=').map((part) => part.trim());
    item[name(left!)] = structuredClone(values?.[right!]);
  }
  for (const token of removePart
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    delete item[name(token)];
  }
};

export const fakeTable = () => {
  const items = new Map<string, Item>();
  const doc = mockClient(DynamoDBDocumentClient);

  const conditionFailed = (reasons: { Code: string }[]) =>
    Object.assign(new Error('Transaction cancelled'), {
      name: 'TransactionCanceledException',
      CancellationReasons: reasons,
    });

  const install = () => {
    doc.reset();
    doc.on(GetCommand).callsFake((input) => {
      const item = items.get(keyOf(input.Key));
      return { Item: item ? structuredClone(item) : undefined };
    });
    doc.on(QueryCommand).callsFake((input) => {
      const values = input.ExpressionAttributeValues as Record<string, string>;
      const found = [...items.values()]
        .filter(
          (item) =>
            item.pk === values[':pk'] &&
            (values[':skPrefix'] === undefined || String(item.sk).startsWith(values[':skPrefix'])),
        )
        .sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : 1));
      return { Items: structuredClone(found) };
    });
    doc.on(BatchGetCommand).callsFake((input) => {
      const responses = Object.fromEntries(
        Object.entries(input.RequestItems as Record<string, { Keys: Item[] }>).map(
          ([table, request]) => [
            table,
            request.Keys.map((key) => items.get(keyOf(key))).filter(Boolean),
          ],
        ),
      );
      return { Responses: structuredClone(responses) };
    });
    doc.on(UpdateCommand).callsFake((input) => {
      const current = items.get(keyOf(input.Key));
      if (
        input.ConditionExpression &&
        !conditionHolds(
          current,
          input.ConditionExpression,
          input.ExpressionAttributeNames,
          input.ExpressionAttributeValues,
        )
      ) {
        throw Object.assign(new Error('failed'), { name: 'ConditionalCheckFailedException' });
      }
      const item = current ?? { ...input.Key };
      applyUpdate(
        item,
        input.UpdateExpression,
        input.ExpressionAttributeNames,
        input.ExpressionAttributeValues,
      );
      items.set(keyOf(input.Key), item);
      return {};
    });
    doc.on(TransactWriteCommand).callsFake((input) => {
      const entries = input.TransactItems as unknown as Record<string, Record<string, any>>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
      const reasons = entries.map((entry) => {
        const [kind, op] = Object.entries(entry)[0]!;
        const key = kind === 'Put' ? (op.Item as Item) : (op.Key as Item);
        const current = items.get(keyOf(key));
        const ok =
          !op.ConditionExpression ||
          conditionHolds(
            current,
            op.ConditionExpression,
            op.ExpressionAttributeNames,
            op.ExpressionAttributeValues,
          );
        return { Code: ok ? 'None' : 'ConditionalCheckFailed' };
      });
      if (reasons.some((reason) => reason.Code !== 'None')) throw conditionFailed(reasons);
      for (const entry of entries) {
        const [kind, op] = Object.entries(entry)[0]!;
        if (kind === 'Put') items.set(keyOf(op.Item as Item), structuredClone(op.Item as Item));
        if (kind === 'Update') {
          const item = items.get(keyOf(op.Key as Item)) ?? { ...(op.Key as Item) };
          applyUpdate(
            item,
            op.UpdateExpression,
            op.ExpressionAttributeNames,
            op.ExpressionAttributeValues,
          );
          items.set(keyOf(op.Key as Item), item);
        }
      }
      return {};
    });
  };

  return {
    doc,
    items,
    install,
    put: (item: Item) => items.set(keyOf(item), structuredClone(item)),
    get: (pk: string, sk: string) => items.get(`${pk}|${sk}`),
    /** Items whose sk starts with `prefix`, in key order. */
    list: (prefix: string) =>
      [...items.values()]
        .filter((item) => String(item.sk).startsWith(prefix))
        .sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : 1)),
    transactions: () => doc.commandCalls(TransactWriteCommand).length,
  };
};
