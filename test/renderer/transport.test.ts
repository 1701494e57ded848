import { describe, expect, it } from 'vitest';
import { bridgeFetch, type BridgeRequest } from '../../renderer/platform/transport.js';

describe('Electron bridge transport', () => {
  it('turns a tRPC fetch into one bridge call and the reply into a Response', async () => {
    const seen: BridgeRequest[] = [];
    const f = bridgeFetch({
      trpc: async (req) => { seen.push(req); return { status: 200, headers: { 'content-type': 'application/json' }, body: '[{"result":{"data":1}}]' }; },
    });
    const res = await f('app://desk/trpc/desk.info?batch=1&input=%7B%7D', { method: 'GET', headers: { 'x-trpc-source': 'renderer' } });
    expect(seen).toEqual([{ url: 'app://desk/trpc/desk.info?batch=1&input=%7B%7D', method: 'GET', headers: { 'x-trpc-source': 'renderer' }, body: null }]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([{ result: { data: 1 } }]);
  });

  it('passes a POST body and error statuses through', async () => {
    const f = bridgeFetch({ trpc: async (req) => ({ status: 400, headers: {}, body: req.body ?? '' }) });
    const res = await f('/trpc/incident.create?batch=1', { method: 'POST', headers: new Headers({ 'content-type': 'application/json' }), body: '{"0":{}}' });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('{"0":{}}');
  });
});
