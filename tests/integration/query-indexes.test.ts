import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useTestServer } from '../../server/src/testing/test-server.ts';
import { MATRIX } from '../authorization/matrix.ts';
import { run } from '../authorization/run.ts';
import { ACTORS, buildWorld } from '../authorization/world.ts';

/**
 * Every query the server runs is served by an index, so the same code stays fast on MongoDB (FerretDB v1 scans
 * whole collections whatever the indexes; this checks the declared ones, which MongoDB uses). The authorization
 * matrix's world drives every route as every kind of caller, then every scheduled job runs; each filter the server
 * sent is checked against the collection's indexes.
 */

type Filter = Record<string, unknown>;
interface Seen {
  collection: string;
  method: string;
  filter: Filter;
}

const FILTERED = new Set([
  'find',
  'findOne',
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'findOneAndDelete',
  'deleteOne',
  'deleteMany',
  'countDocuments',
  'distinct',
  'replaceOne',
]);

/** The fields a filter narrows by, per alternative: `$or` gives one set per branch, `$and` merges. */
function fieldSets(filter: Filter): string[][] {
  let sets: string[][] = [[]];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and') {
      for (const part of value as Filter[]) {
        const inner = fieldSets(part);
        sets = sets.flatMap((s) => inner.map((i) => [...s, ...i]));
      }
    } else if (key === '$or') {
      const branches = (value as Filter[]).flatMap(fieldSets);
      sets = sets.flatMap((s) => branches.map((b) => [...s, ...b]));
    } else if (!key.startsWith('$')) {
      sets = sets.map((s) => [...s, key]);
    }
  }
  return sets;
}

describe('every query the server runs is served by an index', () => {
  const t = useTestServer();

  test('the matrix world, every route as every caller, and every job: no query without an index', async () => {
    const seen: Seen[] = [];
    t.server.db.set('debug', (collection: string, method: string, ...args: unknown[]) => {
      if (!FILTERED.has(method)) return;
      // distinct(field, filter); every other method takes the filter first.
      const filter = ((method === 'distinct' ? args[1] : args[0]) ?? {}) as Filter;
      seen.push({ collection, method, filter });
    });
    const w = await buildWorld(t.server, t.request);
    for (const row of MATRIX) for (const actor of ACTORS) await run(w, row, actor);
    t.server.clock.advance(8 * 24 * 3600_000);
    for (const job of Object.values(t.server.app.jobs)) await job();
    t.server.db.set('debug', false);

    const indexes = new Map<string, string[][]>();
    const unserved = new Map<string, number>();
    for (const { collection, method, filter } of seen) {
      if (!indexes.has(collection)) {
        const list = await t.server.db.collection(collection).indexes();
        indexes.set(
          collection,
          list.map((i) => Object.keys(i.key)),
        );
      }
      const keys = indexes.get(collection)!;
      for (const fields of fieldSets(filter)) {
        const served = fields.includes('_id') || keys.some((k) => fields.includes(k[0]!));
        if (served) continue;
        const shape = `${collection}.${method}(${JSON.stringify(Object.keys(filter).length ? fields : {})})`;
        unserved.set(shape, (unserved.get(shape) ?? 0) + 1);
      }
    }
    const shapes = new Set(seen.map((q) => `${q.collection}.${q.method}(${fieldSets(q.filter).join('|')})`));
    assert.ok(seen.length > 1000 && shapes.size > 80, `the run sent ${seen.length} queries of ${shapes.size} shapes`);
    console.log(`[indexes] ${seen.length} queries of ${shapes.size} shapes, over ${indexes.size} collections`);
    assert.deepEqual([...unserved.keys()].sort(), [], 'query shapes no index serves');
  });
});
