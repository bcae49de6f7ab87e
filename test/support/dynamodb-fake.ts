// The unit tests' one in-memory DynamoDB: a DocumentClient mocked with aws-sdk-client-mock over a
// map of items, evaluating what the code under test writes as DynamoDB would, as far as the code
// writes it: Get, Put, Delete, BatchGet (with a projection), Update (SET / REMOVE), Query on the
// table or an index (`begins_with` or `BETWEEN` on the sort key, filters applied after Limit,
// ExclusiveStartKey / LastEvaluatedKey), TransactWrite (Put / Delete / Update / ConditionCheck,
// all or nothing), every condition and filter evaluated (`conditionHolds`); what it cannot read
// throws, so a test never passes on a condition the fake did not understand. A Scan is an
// error: the code never scans.
// Integration tests run the real DynamoDB Local instead (test/integration).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

export type Item = Record<string, unknown>;
type Names = Record<string, string> | undefined;
type Values = Record<string, unknown> | undefined;

/** A write as a command or a transaction entry gives it. */
type WriteKind = 'Put' | 'Delete' | 'Update' | 'ConditionCheck';
interface WriteOperation {
  Item?: Item;
  Key?: Item;
  ConditionExpression?: string;
  UpdateExpression?: string;
  ExpressionAttributeNames?: Names;
  ExpressionAttributeValues?: Values;
}

export const keyOf = (key: { pk?: unknown; sk?: unknown }): string =>
  `${String(key.pk)}|${String(key.sk)}`;

const conditionFailed = () =>
  Object.assign(new Error('The conditional request failed'), {
    name: 'ConditionalCheckFailedException',
  });

/**
 * Whether a condition or filter `expression` holds for `item` (undefined: no such item): the
 * DynamoDB grammar (OR, AND, NOT, parentheses, = <> < <= > >=, BETWEEN, IN, attribute_exists,
 * attribute_not_exists, begins_with, contains, size) over `#name`, `:value` and dotted paths.
 */
export function conditionHolds(
  item: Item | undefined,
  expression: string,
  names: Names,
  values: Values,
): boolean {
  const tokens = expression.match(/<>|<=|>=|[()=<>,]|[^\s()=<>,]+/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (token === undefined || (expected && token.toUpperCase() !== expected)) {
      throw new Error(`fake table: cannot read condition ${expression}`);
    }
    return token;
  };
  const is = (word: string) => peek()?.toUpperCase() === word;
  const path = (token: string): unknown =>
    token
      .split('.')
      .map((part) => names?.[part] ?? part)
      .reduce<unknown>(
        (value, part) => (value as Record<string, unknown> | undefined)?.[part],
        item,
      );
  const operand = (): unknown => {
    const token = take();
    if (token.toLowerCase() === 'size') {
      take('(');
      const value = path(take());
      take(')');
      if (typeof value === 'string' || Array.isArray(value)) return value.length;
      return value instanceof Set ? value.size : undefined;
    }
    return token.startsWith(':') ? values?.[token] : path(token);
  };
  const compare = (left: unknown, op: string, right: unknown): boolean => {
    if (op === '=') return JSON.stringify(left) === JSON.stringify(right);
    if (op === '<>') return JSON.stringify(left) !== JSON.stringify(right);
    if (left === undefined || right === undefined || typeof left !== typeof right) return false;
    const [l, r] = [left as string | number, right as string | number];
    return op === '<' ? l < r : op === '<=' ? l <= r : op === '>' ? l > r : l >= r;
  };
  const fn = (name: string): boolean => {
    take('(');
    const first = take();
    let result: boolean;
    if (name === 'attribute_exists') result = item !== undefined && path(first) !== undefined;
    else if (name === 'attribute_not_exists')
      result = item === undefined || path(first) === undefined;
    else {
      take(',');
      const subject = path(first);
      const argument = operand();
      if (name === 'begins_with') {
        result = typeof subject === 'string' && subject.startsWith(String(argument));
      } else if (name === 'contains') {
        result =
          typeof subject === 'string'
            ? subject.includes(String(argument))
            : Array.isArray(subject)
              ? subject.includes(argument)
              : subject instanceof Set && subject.has(argument);
      } else throw new Error(`fake table: unsupported function ${name} in ${expression}`);
    }
    take(')');
    return result;
  };
  const primary = (): boolean => {
    if (is('NOT')) {
      take();
      return !primary();
    }
    if (peek() === '(') {
      take('(');
      const result = or();
      take(')');
      return result;
    }
    const name = peek()!.toLowerCase();
    if (['attribute_exists', 'attribute_not_exists', 'begins_with', 'contains'].includes(name)) {
      take();
      return fn(name);
    }
    const left = operand();
    if (is('BETWEEN')) {
      take();
      const low = operand();
      take('AND');
      const high = operand();
      return compare(left, '>=', low) && compare(left, '<=', high);
    }
    if (is('IN')) {
      take();
      take('(');
      const options = [operand()];
      while (peek() === ',') {
        take(',');
        options.push(operand());
      }
      take(')');
      return options.some((option) => compare(left, '=', option));
    }
    const op = take();
    if (!['=', '<>', '<', '<=', '>', '>='].includes(op)) {
      throw new Error(`fake table: unsupported condition ${expression}`);
    }
    return compare(left, op, operand());
  };
  const and = (): boolean => {
    let result = primary();
    while (is('AND')) {
      take();
      result = primary() && result;
    }
    return result;
  };
  const or = (): boolean => {
    let result = and();
    while (is('OR')) {
      take();
      result = and() || result;
    }
    return result;
  };
  const result = or();
  if (at !== tokens.length) throw new Error(`fake table: cannot read condition ${expression}`);
  return result;
}

function applyUpdate(item: Item, expression: string, names: Names, values: Values): void {
  const name = (token: string) => names?.[token] ?? token;
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
    item[name(left!)] = structuredClone(values?.[right!]);
  }
  for (const token of removePart
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    delete item[name(token)];
  }
}

/**
 * An in-memory table, seeded with `seed`. `state.failNextTransactions` makes that many next
 * transactions fail as a lost race would. `db` is a fresh DocumentClient (mocked like every one).
 */
export function fakeTable(seed: readonly object[] = []) {
  const items = new Map<string, Item>();
  const put = (item: object) => items.set(keyOf(item as Item), structuredClone(item as Item));
  for (const item of seed) put(item);
  const doc = mockClient(DynamoDBDocumentClient);
  const state = { failNextTransactions: 0 };

  const sorted = (list: Item[], skName: string) =>
    list.sort((a, b) => (String(a[skName] ?? '') < String(b[skName] ?? '') ? -1 : 1));

  /** Whether a write's condition holds on the item it writes (no condition: it holds). */
  const conditionHoldsFor = (kind: WriteKind, op: WriteOperation): boolean =>
    !op.ConditionExpression ||
    conditionHolds(
      items.get(keyOf((kind === 'Put' ? op.Item : op.Key)!)),
      op.ConditionExpression,
      op.ExpressionAttributeNames,
      op.ExpressionAttributeValues,
    );

  /** One write, alone or within a transaction (its condition already checked). */
  const apply = (kind: WriteKind, op: WriteOperation): void => {
    if (kind === 'Put') put(op.Item!);
    if (kind === 'Delete') items.delete(keyOf(op.Key!));
    if (kind === 'Update') {
      const item = items.get(keyOf(op.Key!)) ?? { ...op.Key };
      applyUpdate(
        item,
        op.UpdateExpression!,
        op.ExpressionAttributeNames,
        op.ExpressionAttributeValues,
      );
      items.set(keyOf(op.Key!), item);
    }
  };

  /** A single conditional write: `ConditionalCheckFailedException`, or the write. */
  const write = (kind: WriteKind) => (input: object) => {
    const op = input as WriteOperation;
    if (!conditionHoldsFor(kind, op)) throw conditionFailed();
    apply(kind, op);
    return {};
  };

  const install = () => {
    doc.reset();
    doc.on(GetCommand).callsFake((input) => {
      const item = items.get(keyOf(input.Key));
      return { Item: item ? structuredClone(item) : undefined };
    });
    doc.on(PutCommand).callsFake(write('Put'));
    doc.on(DeleteCommand).callsFake(write('Delete'));
    doc.on(UpdateCommand).callsFake(write('Update'));
    doc.on(BatchGetCommand).callsFake((input) => {
      const responses: Record<string, Item[]> = {};
      const requests = (input.RequestItems ?? {}) as Record<
        string,
        { Keys?: Item[]; ExpressionAttributeNames?: Record<string, string> }
      >;
      for (const [table, request] of Object.entries(requests)) {
        if ((request.Keys ?? []).length > 100) {
          throw new Error('BatchGetItem takes at most 100 keys');
        }
        const projection = Object.values(request.ExpressionAttributeNames ?? {});
        responses[table] = (request.Keys ?? []).flatMap((key) => {
          const item = items.get(keyOf(key));
          if (!item) return [];
          const copy = structuredClone(item);
          if (projection.length === 0) return [copy];
          return [Object.fromEntries(projection.filter((n) => n in copy).map((n) => [n, copy[n]]))];
        });
      }
      return { Responses: responses };
    });
    doc.on(ScanCommand).rejects(new Error('Scan is not allowed'));
    doc.on(QueryCommand).callsFake((input) => {
      const names = input.ExpressionAttributeNames as Record<string, string> | undefined;
      const values = (input.ExpressionAttributeValues ?? {}) as Record<string, string>;
      const pkName = names?.['#pk'] ?? 'pk';
      const skName = names?.['#sk'] ?? names?.['#lsk'] ?? (pkName === 'pk' ? 'sk' : 'listSk');
      const condition = String(input.KeyConditionExpression ?? '');
      let found = sorted(
        [...items.values()]
          .filter((item) => item[pkName] === values[':pk'])
          .filter((item) => {
            const sk = String(item[skName] ?? '');
            if (condition.includes('BETWEEN')) {
              const from = values[':from'] ?? values[':skFrom']!;
              return sk >= from && sk <= (values[':to'] ?? values[':skTo']!);
            }
            if (values[':skPrefix'] !== undefined) return sk.startsWith(values[':skPrefix']);
            return true;
          }),
        skName,
      );
      const start = input.ExclusiveStartKey as Item | undefined;
      if (start) found = found.filter((item) => String(item[skName]) > String(start[skName]));
      const limit = input.Limit ?? found.length;
      const evaluated = found.slice(0, limit);
      const passed = input.FilterExpression
        ? evaluated.filter((item) =>
            conditionHolds(item, input.FilterExpression!, names, input.ExpressionAttributeValues),
          )
        : evaluated;
      const last = evaluated[evaluated.length - 1];
      return {
        Items: passed.map((item) => structuredClone(item)),
        ...(found.length > limit && last
          ? {
              LastEvaluatedKey: Object.fromEntries(
                ['pk', 'sk', pkName, skName].map((name) => [name, last[name]]),
              ),
            }
          : {}),
      };
    });
    doc.on(TransactWriteCommand).callsFake((input) => {
      if (state.failNextTransactions > 0) {
        state.failNextTransactions--;
        throw Object.assign(new Error('Transaction cancelled'), {
          name: 'TransactionCanceledException',
          CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
        });
      }
      const entries = ((input.TransactItems ?? []) as object[]).map((entry) => {
        const [kind, op] = Object.entries(entry)[0] as [WriteKind, WriteOperation];
        return { kind, op };
      });
      const reasons = entries.map(({ kind, op }) => ({
        Code: conditionHoldsFor(kind, op) ? 'None' : 'ConditionalCheckFailed',
      }));
      if (reasons.some((reason) => reason.Code !== 'None')) {
        throw Object.assign(new Error('Transaction cancelled'), {
          name: 'TransactionCanceledException',
          CancellationReasons: reasons,
        });
      }
      for (const { kind, op } of entries) apply(kind, op);
      return {};
    });
  };
  install();

  return {
    doc,
    /** A DocumentClient for code that takes one (every DocumentClient is mocked). */
    db: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-east-1' })),
    items,
    state,
    /** Puts the fake's answers back (after a test replaced one with `doc.on(...)`). */
    install,
    /** Empties the table and puts the fake's answers back. */
    reset: () => {
      items.clear();
      state.failNextTransactions = 0;
      install();
    },
    put,
    get: (pk: string, sk: string) => items.get(`${pk}|${sk}`),
    /** Items whose sk starts with `prefix`, in key order. */
    list: (prefix: string) =>
      sorted(
        [...items.values()].filter((item) => String(item.sk).startsWith(prefix)),
        'sk',
      ),
    /** Items of partition `pk` whose sk starts with `prefix`, in key order. */
    withPrefix: (pk: string, prefix: string) =>
      sorted(
        [...items.values()].filter((item) => item.pk === pk && String(item.sk).startsWith(prefix)),
        'sk',
      ),
    /** The TransactWrite inputs sent so far. */
    transactions: () => doc.commandCalls(TransactWriteCommand).map((call) => call.args[0].input),
  };
}

export type FakeTable = ReturnType<typeof fakeTable>;
