// Unit: HTTP API route selection (most specific route first, greedy and $default last).
import { describe, expect, it } from 'vitest';
import { InvalidRouteKeyError, Router } from '../../../infra/local/api/routes';

const keys = [
  'GET /pets/dog/1',
  'GET /pets/dog/{id}',
  'GET /pets/{proxy+}',
  'ANY /{proxy+}',
  'POST /activities',
  'GET /activities/{activityId}',
  'ANY /activities/{activityId}',
  'GET /',
  '$default',
];
const router = new Router(keys.map((routeKey) => ({ routeKey, route: routeKey })));
const pick = (method: string, path: string) => router.match(method, path);

describe('Router', () => {
  it('prefers a full match, then path variables, then greedy variables, then $default', () => {
    expect(pick('GET', '/pets/dog/1')?.routeKey).toBe('GET /pets/dog/1');
    expect(pick('GET', '/pets/dog/2')).toMatchObject({
      routeKey: 'GET /pets/dog/{id}',
      pathParameters: { id: '2' },
    });
    expect(pick('GET', '/pets/cat/1')).toMatchObject({
      routeKey: 'GET /pets/{proxy+}',
      pathParameters: { proxy: 'cat/1' },
    });
    expect(pick('POST', '/pets/dog/1')?.routeKey).toBe('ANY /{proxy+}');
  });

  it('prefers a named method over ANY on the same path', () => {
    expect(pick('GET', '/activities/a1')?.routeKey).toBe('GET /activities/{activityId}');
    expect(pick('DELETE', '/activities/a1')?.routeKey).toBe('ANY /activities/{activityId}');
  });

  it('decodes path parameters', () => {
    expect(pick('GET', '/activities/%E6%96%87%E5%86%B2')?.pathParameters).toEqual({
      activityId: '文冲',
    });
  });

  it('ignores the query string and matches the root', () => {
    expect(pick('POST', '/activities?x=1')?.routeKey).toBe('POST /activities');
    expect(pick('GET', '/')?.routeKey).toBe('GET /');
  });

  it('falls back to $default, or nothing without one', () => {
    expect(pick('POST', '/')).toMatchObject({ routeKey: '$default', pathParameters: {} });
    const strict = new Router([{ routeKey: 'GET /a', route: 1 }]);
    expect(strict.match('GET', '/b')).toBeUndefined();
    expect(strict.match('POST', '/a')).toBeUndefined();
  });

  it('does not let an empty segment fill a path variable or a greedy variable', () => {
    const r = new Router([
      { routeKey: 'GET /a/{id}', route: 1 },
      { routeKey: 'GET /b/{rest+}', route: 2 },
    ]);
    expect(r.match('GET', '/a/')).toBeUndefined();
    expect(r.match('GET', '/b')).toBeUndefined();
    expect(r.match('GET', '/b/x/y')?.pathParameters).toEqual({ rest: 'x/y' });
  });

  it('rejects malformed route keys', () => {
    expect(() => new Router([{ routeKey: 'GET', route: 1 }])).toThrow(InvalidRouteKeyError);
    expect(() => new Router([{ routeKey: 'GET /{a+}/b', route: 1 }])).toThrow(InvalidRouteKeyError);
  });
});
