import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDesk, type Desk } from '../../electron/core/desk.js';
import { createCaller } from '../../electron/core/api/router.js';
import { httpCentralClient, type CentralClient } from '../../electron/core/sync/central-client.js';
import { startWorld, type World } from '../server/harness.js';
import { baseIncident, tempDir } from '../helpers/desk.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => { while (cleanup.length) await cleanup.pop()!(); });

async function world(): Promise<World> {
  const w = await startWorld('sqlite');
  // The desks here run on the real clock; so must the server, or it measures their clocks as
  // skewed (its test clock starts at a fixed time) and shifts each push by a different amount.
  w.clock.ms = Date.now();
  cleanup.push(() => w.close());
  return w;
}

/** A real desk on its own SQLite file, talking to the real server over HTTP through `wrap` (fault injection). */
async function openDesk(w: World, name: string, wrap: (c: CentralClient) => CentralClient = (c) => c, dataDir = tempDir(), pushBatch?: number) {
  const desk: Desk = await createDesk({ dataDir, backgroundSync: false, clientFor: (url) => wrap(httpCentralClient(url)), pushBatch });
  cleanup.push(() => desk.close());
  const api = createCaller({ store: desk.store, sync: desk.sync });
  const signIn = async () => {
    await w.user(name).catch(() => undefined); // create the account once
    const out = await api.sync.signIn({ serverUrl: w.url, name, password: `${name}-password` });
    // Work recorded here before, under the desk's local name, is the signing-in user's (as chosen in the dialog).
    for (const l of out.localWork) await api.sync.attributeLocalWork({ localUserId: l.localUserId, to: 'me' });
    return out.user;
  };
  return { desk, api, signIn, dataDir };
}

describe('desks and the central server', () => {
  it('work recorded before sign-in and while offline reaches another desk with its original numbers', async () => {
    const w = await world();
    const a = await openDesk(w, 'tech');
    await a.api.desk.setup({ name: '现场工程师', role: 'technician', group: '二线支持', locale: 'zh-CN' });
    const offline = await a.api.incident.create(baseIncident);
    await a.api.incident.transition({ id: offline.id, to: 'in_progress' });
    await a.api.incident.addWorkLog({ incidentId: offline.id, body: '机房现场排查' });
    await a.signIn();
    await a.desk.sync.syncNow();
    expect((await a.api.sync.status()).pending).toBe(0);

    const b = await openDesk(w, 'agent');
    await b.signIn();
    await b.desk.sync.syncNow();
    const seen = await b.api.incident.get({ id: offline.id });
    expect(seen.incident.number).toBe(offline.number);
    expect(seen.incident.status).toBe('in_progress');
    expect(seen.workLogs.map((x) => x.body)).toContain('机房现场排查');
    expect((await b.api.incident.search({ q: '证书' })).rows.map((r) => r.id)).toEqual([offline.id]);
  });

  it('edits of different fields on two desks both survive; the same field: the later edit wins everywhere and the loser stays in the history', async () => {
    const w = await world();
    const a = await openDesk(w, 'alice');
    const b = await openDesk(w, 'bob');
    await a.signIn(); await b.signIn();
    const inc = await a.api.incident.create(baseIncident);
    await a.desk.sync.syncNow(); await b.desk.sync.syncNow();
    await a.api.incident.update({ id: inc.id, patch: { title: 'A 的标题', impact: 'high' } });
    // B's edit must be later on the clock (HLC walls are milliseconds; within one the order is the counter's).
    await new Promise((r) => setTimeout(r, 5));
    await b.api.incident.update({ id: inc.id, patch: { title: 'B 的标题', description: 'B 补充的描述' } }); // later HLC
    await a.desk.sync.syncNow(); await b.desk.sync.syncNow(); await a.desk.sync.syncNow();
    const onA = (await a.api.incident.get({ id: inc.id })).incident;
    const onB = await b.api.incident.get({ id: inc.id });
    expect(onA.title).toBe('B 的标题');
    expect(onA.impact).toBe('high');
    expect(onA.description).toBe('B 补充的描述');
    expect(onB.incident).toMatchObject({ title: onA.title, impact: onA.impact, description: onA.description, priority: onA.priority });
    const lost = onB.history.find((h) => h.kind === 'conflict' && h.field === 'title');
    expect(lost?.oldValue ?? lost?.newValue ?? lost?.note).toMatch(/A 的标题/);
    await a.api.incident.dismissConflict({ id: lost!.id });
    const after = await a.api.incident.get({ id: inc.id });
    expect(after.dismissedConflicts).toEqual([lost!.id]);
    expect(after.history.some((h) => h.id === lost!.id)).toBe(true); // the history keeps it
  });

  it('a transition that no longer applies becomes a visible conflict, not an overwrite', async () => {
    const w = await world();
    const a = await openDesk(w, 'alice');
    const b = await openDesk(w, 'bob');
    await a.signIn(); await b.signIn();
    const inc = await a.api.incident.create(baseIncident);
    await a.desk.sync.syncNow(); await b.desk.sync.syncNow();
    await a.api.incident.transition({ id: inc.id, to: 'resolved', resolution: '远程重置' });
    await b.api.incident.transition({ id: inc.id, to: 'assigned', tier: 'L2' });
    await a.desk.sync.syncNow(); await b.desk.sync.syncNow(); await a.desk.sync.syncNow();
    expect((await a.api.incident.get({ id: inc.id })).incident.status).toBe('resolved');
    expect((await b.api.incident.get({ id: inc.id })).incident.status).toBe('resolved');
    const conflicts = b.desk.store.db.prepare('SELECT data FROM sync_conflicts WHERE incident_id = ?').all(inc.id) as Array<{ data: string }>;
    expect(conflicts.map((c) => JSON.parse(c.data))).toEqual([expect.objectContaining({ attemptedTo: 'assigned', currentStatus: 'resolved' })]);
    const shown = await b.api.incident.get({ id: inc.id });
    expect(shown.conflicts).toEqual([expect.objectContaining({ attemptedFrom: 'new', attemptedTo: 'assigned', currentStatus: 'resolved' })]);
    expect(shown.history.some((h) => h.kind === 'conflict' && h.field === 'status')).toBe(true);
    expect((await b.api.sync.rejections()).map((r) => r.reason)).toEqual([expect.stringMatching(/^conflict/)]);
    expect((await b.api.sync.status()).rejections).toBe(1);
    expect((await b.api.sync.markRejectionsSeen()).rejections).toBe(0);
    await b.api.incident.dismissConflict({ id: shown.conflicts[0].id });
    expect((await b.api.incident.get({ id: inc.id })).conflicts).toEqual([]);
  });

  it('a refused transition whose answer was lost is still undone on the desk when it is sent again', async () => {
    const w = await world();
    let dropResponse = false;
    const lossy = (c: CentralClient): CentralClient => ({
      ...c,
      async push(token, input) {
        const res = await c.push(token, input);
        if (dropResponse) { dropResponse = false; throw new TypeError('fetch failed'); }
        return res;
      },
    });
    const a = await openDesk(w, 'alice');
    const b = await openDesk(w, 'bob', lossy);
    await a.signIn(); await b.signIn();
    const inc = await a.api.incident.create(baseIncident);
    await a.desk.sync.syncNow(); await b.desk.sync.syncNow();
    await a.api.incident.transition({ id: inc.id, to: 'resolved', resolution: '远程重置' });
    await a.desk.sync.syncNow();
    // Bob's transition is refused by the server (the incident is resolved there), and that answer never reaches him.
    await b.api.incident.transition({ id: inc.id, to: 'assigned', tier: 'L2' });
    dropResponse = true;
    await expect(b.desk.sync.syncNow()).rejects.toThrow();
    await b.desk.sync.syncNow();
    const shown = await b.api.incident.get({ id: inc.id });
    expect(shown.incident).toMatchObject({ status: 'resolved', tier: 'L1' });
    // His local transition rows are gone, as on every other desk; the refusal is listed for him.
    expect(shown.history.filter((h) => h.kind === 'transition' && h.newValue === 'assigned')).toEqual([]);
    const onA = (await a.api.incident.get({ id: inc.id })).history.map((h) => h.id).sort();
    await a.desk.sync.syncNow();
    expect(shown.history.map((h) => h.id).sort()).toEqual((await a.api.incident.get({ id: inc.id })).history.map((h) => h.id).sort());
    expect(onA.length).toBeGreaterThan(0);
    expect((await b.api.sync.rejections()).map((r) => r.reason)).toEqual([expect.stringMatching(/^conflict/)]);
  });

  it('a lost response after the server committed is retried without duplicates; a dropped request loses nothing', async () => {
    const w = await world();
    let mode: 'ok' | 'drop-request' | 'drop-response' = 'ok';
    const faulty = (c: CentralClient): CentralClient => ({
      ...c,
      async push(token, input) {
        if (mode === 'drop-request') throw new TypeError('fetch failed');
        const res = await c.push(token, input);
        if (mode === 'drop-response') throw new TypeError('fetch failed');
        return res;
      },
    });
    const a = await openDesk(w, 'alice', faulty);
    await a.signIn();
    const inc = await a.api.incident.create(baseIncident);
    await a.api.incident.addWorkLog({ incidentId: inc.id, body: 'one' });
    mode = 'drop-response';
    await expect(a.desk.sync.syncNow()).rejects.toThrow();
    expect((await a.api.sync.status()).online).toBe(false);
    mode = 'drop-request';
    await a.api.incident.addWorkLog({ incidentId: inc.id, body: 'two' });
    await expect(a.desk.sync.syncNow()).rejects.toThrow();
    mode = 'ok';
    await a.desk.sync.syncNow();
    expect((await a.api.sync.status())).toMatchObject({ pending: 0, online: true, lastError: null });
    const b = await openDesk(w, 'bob');
    await b.signIn(); await b.desk.sync.syncNow();
    const got = await b.api.incident.get({ id: inc.id });
    expect(got.workLogs.map((x) => x.body)).toEqual(['one', 'two']);
    expect(b.desk.store.incidentCount()).toBe(1);
  });

  it('a long queue goes out in batches, two in flight; a batch that overtakes its predecessor is sent again, nothing lost or doubled', async () => {
    const w = await world();
    let inFlight = 0, most = 0, calls = 0;
    const pipelined = (c: CentralClient): CentralClient => ({
      ...c,
      async push(token, input) {
        const call = ++calls;
        inFlight++; most = Math.max(most, inFlight);
        try {
          // The round's first batch is held back, so the second one reaches the server first and finds a gap.
          if (call === 1) await new Promise((ok) => setTimeout(ok, 150));
          return await c.push(token, input);
        } finally { inFlight--; }
      },
    });
    const a = await openDesk(w, 'alice', pipelined, tempDir(), 2);
    await a.signIn();
    const made = [];
    for (let i = 0; i < 9; i++) made.push(await a.api.incident.create({ ...baseIncident, title: `批量 ${i}` }));
    await a.desk.sync.syncNow();
    expect(most).toBe(2);
    expect(calls).toBeGreaterThan(5); // 5 batches of 2, plus the overtaking one sent again
    expect((await a.api.sync.status())).toMatchObject({ pending: 0, lastError: null, rejections: 0 });
    const log = await w.server.storage.read((q) => q.all<{ seq: number; status: string }>('SELECT seq, status FROM mutation_log WHERE device_id = ? ORDER BY seq', [a.desk.store.deviceId]));
    const sent = a.desk.store.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
    expect(sent).toBeGreaterThanOrEqual(9);
    // Every change of the desk's outbox once, in order, none refused.
    expect(log.map((r) => r.seq)).toEqual(Array.from({ length: sent }, (_, i) => i + 1));
    expect(new Set(log.map((r) => r.status))).toEqual(new Set(['applied']));
    const b = await openDesk(w, 'bob');
    await b.signIn(); await b.desk.sync.syncNow();
    expect(b.desk.store.incidentCount()).toBe(9);
    expect((await b.api.incident.get({ id: made[8].id })).incident.number).toBe(made[8].number);
  });

  it('a connection the server closes without answering (it restarted) is tried once more, not reported as a failed sync', async () => {
    const w = await world();
    // In front of the real server: the first push's connection is closed before any answer, as a
    // restarting server closes its kept-alive connections.
    let pushes = 0;
    const target = new URL(w.url);
    const proxy = http.createServer((req, res) => {
      if (req.url?.startsWith('/sync.push') && ++pushes === 1) { req.socket.destroy(); return; }
      const up = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      req.pipe(up);
    });
    await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', () => ok()));
    cleanup.push(() => new Promise<void>((ok) => { proxy.close(() => ok()); proxy.closeAllConnections(); }));
    const a = await openDesk(w, 'alice');
    await w.user('alice');
    await a.api.sync.signIn({ serverUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, name: 'alice', password: 'alice-password' });
    const inc = await a.api.incident.create(baseIncident);
    await a.desk.sync.syncNow();
    expect(pushes).toBe(2);
    expect(await a.api.sync.status()).toMatchObject({ pending: 0, online: true, lastError: null });
    const b = await openDesk(w, 'bob');
    await b.signIn(); await b.desk.sync.syncNow();
    expect((await b.api.incident.get({ id: inc.id })).incident.number).toBe(inc.number);
  });

  it('a user who signed in once can sign in on that desk offline; a wrong password is refused', async () => {
    const w = await world();
    const a = await openDesk(w, 'carol');
    const user = await a.signIn();
    await w.close(); cleanup.pop();
    const again = await a.api.sync.signInOffline({ name: 'carol', password: 'carol-password' });
    expect(again.id).toBe(user.id);
    await expect(a.api.sync.signInOffline({ name: 'carol', password: 'nope' })).rejects.toThrow(/wrong user name or password/);
    const inc = await a.api.incident.create(baseIncident);
    await expect(a.desk.sync.syncNow()).rejects.toThrow();
    const st = await a.api.sync.status();
    expect(st).toMatchObject({ online: false, pending: 2 });
    expect(st.lastError).toMatch(/unreachable|fetch failed/);
    expect(inc.number).toMatch(/-00001$/);
  });

  it('reference data flows down and works offline: categories, the SLA policy, users and knowledge-base articles', async () => {
    const w = await world();
    await w.admin.admin.upsertCategory.mutate({ id: 'network.dns', parentId: 'network', code: 'network', nameZh: '域名解析', nameEn: 'DNS' });
    await w.admin.admin.upsertKbArticle.mutate({ title: 'VPN 证书过期的处理', body: '打开客户端，删除旧证书，重新导入 2026 版证书。Re-import the certificate.', tags: ['vpn', '证书'], categoryId: 'network.vpn' });
    const policy = { P1: { responseMin: 30, resolveMin: 120 }, P2: { responseMin: 60, resolveMin: 480 }, P3: { responseMin: 240, resolveMin: 1440 }, P4: { responseMin: 1440, resolveMin: 4320 } };
    await w.admin.admin.setSlaPolicy.mutate({ policy });
    const a = await openDesk(w, 'dora');
    await a.signIn();
    await a.desk.sync.syncNow();
    await w.close(); cleanup.pop(); // offline from here on
    expect((await a.api.category.list()).map((c) => c.id)).toContain('network.dns');
    const kb = await a.api.kb.search({ q: '证书' });
    expect(kb.map((k) => k.title)).toEqual(['VPN 证书过期的处理']);
    expect((await a.api.kb.search({ q: 'certificate' })).length).toBe(1);
    expect((await a.api.user.list()).map((u) => u.name)).toContain('root');
    const p1 = await a.api.incident.create({ ...baseIncident, impact: 'high', urgency: 'high' });
    expect(Date.parse(p1.resolveDueAt) - Date.parse(p1.reportedAt)).toBe(120 * 60_000); // the server's policy, not the default 4 h
  });

  it('a push over the body limit is split by bytes: 200 long incidents sync in several batches, none refused (issue 10, finding 4)', async () => {
    const w = await world();
    let biggest = 0;
    let calls = 0;
    const a = await openDesk(w, 'bulky', (c) => ({ ...c, async push(token, input) { calls++; biggest = Math.max(biggest, Buffer.byteLength(JSON.stringify(input))); return c.push(token, input); } }));
    await a.desk.store.setup({ name: '外勤', role: 'technician', group: 'Hotline', locale: 'zh-CN' });
    // 200 incidents with descriptions at the field limit (10,000 characters of Chinese: ~30 KB each): > 6 MB in all.
    const text = '网络中断现场排查记录'.repeat(1000);
    for (let i = 0; i < 200; i++) await a.api.incident.create({ ...baseIncident, title: `长描述 ${i}`, description: text });
    await a.signIn();
    await a.desk.sync.syncNow();
    expect(await a.api.sync.status()).toMatchObject({ pending: 0, lastError: null, rejections: 0 });
    expect(calls).toBeGreaterThan(1);
    expect(biggest).toBeLessThan(5 * 1024 * 1024);
    // One change larger than any push can carry is refused when it is written, not when it syncs.
    await expect(a.api.incident.addWorkLog({ incidentId: (await a.api.incident.queue({ scope: 'all', offset: 0, limit: 1 })).rows[0].id, body: 'x'.repeat(2_000_000) })).rejects.toThrow();
  }, 60_000);

  it('a pulled row the desk cannot apply is set aside; the rest of the page applies and sync goes on (issue 10, finding 5)', async () => {
    const w = await world();
    // A subcategory whose parent does not exist, written past the admin API's checks (an older server, a bad restore).
    await w.server.storage.write(async (q) => {
      const row = await q.get<{ v: number }>('SELECT v FROM change_counter WHERE id = 1');
      const seq = Number(row!.v) + 1;
      await q.run("INSERT INTO changes (seq, entity, entity_id, audience, data) VALUES (?, 'category', 'orphan.sub', NULL, ?)", [seq, JSON.stringify({ id: 'orphan.sub', parentId: 'no-such-parent', code: 'orphan', nameZh: '孤儿', nameEn: 'Orphan' })]);
      await q.run('UPDATE change_counter SET v = ? WHERE id = 1', [seq]);
    });
    await w.admin.admin.upsertKbArticle.mutate({ title: '打印机卡纸', body: '打开后盖取出纸张', tags: [] });
    const a = await openDesk(w, 'aside');
    await a.desk.store.setup({ name: '值班', role: 'agent', group: 'Hotline', locale: 'zh-CN' });
    await a.signIn();
    await a.desk.sync.syncNow();
    const st = await a.api.sync.status();
    expect(st).toMatchObject({ lastError: null, setAside: 1 });
    expect((await a.api.kb.search({ q: '卡纸' })).map((k) => k.title)).toContain('打印机卡纸');
    // Later changes still flow, both ways.
    const inc = await a.api.incident.create(baseIncident);
    await a.desk.sync.syncNow();
    const b = await openDesk(w, 'aside-b');
    await b.desk.store.setup({ name: '值班2', role: 'agent', group: 'Hotline', locale: 'zh-CN' });
    await b.signIn(); await b.desk.sync.syncNow();
    expect((await b.api.incident.get({ id: inc.id })).incident.number).toBe(inc.number);
  });

  it('a device is its desk\'s alone: a colleague cannot push into it, pull as it or re-register it (issue 10, finding 1)', async () => {
    const w = await world();
    const a = await openDesk(w, 'owner');
    await a.desk.store.setup({ name: '主人', role: 'agent', group: 'Hotline', locale: 'zh-CN' });
    await a.signIn();
    const mallory = await w.user('mallory');
    const stolenId = a.desk.store.deviceId;
    const { errorOf } = await import('../server/harness.js');
    // Registering the device again (to learn its secret) and pulling as it are refused.
    expect((await errorOf(mallory.client.device.register.mutate({ deviceId: stolenId }))).code).toBe('FORBIDDEN');
    expect((await errorOf(mallory.client.sync.pull.query({ deviceId: stolenId, deviceSecret: 'A'.repeat(43), cursor: 0 }))).code).toBe('FORBIDDEN');
    // Pushing seqs 1-3 into it with a guessed secret is refused; nothing is acknowledged.
    const { HlcClock } = await import('../../shared/hlc.js');
    const clock = new HlcClock(stolenId);
    const forged = [1, 2, 3].map((seq) => ({ deviceId: stolenId, seq, name: 'requester.upsert' as const, version: 1 as const, hlc: clock.tick(), userId: mallory.id,
      args: { requester: { id: `m-${seq}`, name: 'x', department: null, phone: null, email: null, serviceLevel: 'normal' } } }));
    expect((await errorOf(mallory.client.sync.push.mutate({ deviceId: stolenId, deviceSecret: 'A'.repeat(43), mutations: forged }))).code).toBe('FORBIDDEN');
    // The owner's own seqs 1-3 still land.
    for (let i = 0; i < 3; i++) await a.api.incident.create({ ...baseIncident, title: `mine ${i}` });
    await a.desk.sync.syncNow();
    const held = await w.server.storage.read((q) => q.all<{ seq: number; status: string }>('SELECT seq, status FROM mutation_log WHERE device_id = ? ORDER BY seq', [stolenId]));
    expect(held.length).toBeGreaterThanOrEqual(3);
    expect(held.every((r) => r.status === 'applied')).toBe(true);
    const titles = await w.server.storage.read((q) => q.all<{ data: string }>('SELECT data FROM incidents'));
    expect(titles.map((r) => JSON.parse(r.data).title).filter((t: string) => t.startsWith('mine')).sort()).toEqual(['mine 0', 'mine 1', 'mine 2']);
  });

  it('one poisoned clock stops nobody: an HLC with counter 99999 and a wall minutes ahead is re-stamped, the server clock keeps its format (issue 10, finding 2)', async () => {
    const w = await world();
    const a = await openDesk(w, 'clock-a');
    await a.desk.store.setup({ name: '甲', role: 'agent', group: 'Hotline', locale: 'zh-CN' });
    await a.signIn();
    const bad = await w.user('clock-bad');
    const { Desk: FakeDesk } = await import('../server/harness.js');
    const evil = await FakeDesk.open(w, bad);
    const m = evil.create('poison-1');
    const wall = Date.now() + 299_000;
    m.hlc = `${String(wall).padStart(13, '0')}-99999-${evil.deviceId}`;
    expect((await evil.push([m])).results[0].status).toBe('applied');
    // A malformed or foreign-node HLC is refused naming the field, never stored.
    const m2 = evil.create('poison-2');
    const { errorOf } = await import('../server/harness.js');
    expect((await errorOf(evil.push([{ ...m2, hlc: `${String(wall).padStart(13, '0')}-100000-${evil.deviceId}` }]))).message).toMatch(/hlc/);
    expect((await errorOf(evil.push([{ ...m2, hlc: `${String(wall).padStart(13, '0')}-00001-${a.desk.store.deviceId}` }]))).message).toMatch(/hlc: the HLC node must be the pushing device/);
    // Honest desks keep syncing, before and after.
    for (let i = 0; i < 3; i++) {
      await a.api.incident.create({ ...baseIncident, title: `after poison ${i}` });
      await a.desk.sync.syncNow();
    }
    expect(await a.api.sync.status()).toMatchObject({ pending: 0, lastError: null });
  });

  it('work recorded before sign-in keeps its author until the user chooses: kept local, mine, or another account (issue 9)', async () => {
    const w = await world();
    const a = await openDesk(w, 'ident-a');
    await a.desk.store.setup({ name: '王小明', role: 'agent', group: '服务台一线', locale: 'zh-CN' });
    const inc = await a.api.incident.create(baseIncident);
    await a.api.incident.addWorkLog({ incidentId: inc.id, body: '电话指导重启' });
    await w.user('ident-a');
    const out = await a.api.sync.signIn({ serverUrl: w.url, name: 'ident-a', password: 'ident-a-password' });
    expect(out.localWork).toEqual([{ localUserId: expect.any(String), name: '王小明', changes: 3, choice: null }]);
    // Nothing re-attributed, nothing sent, until the user chooses.
    const before = (await a.api.incident.get({ id: inc.id })).history;
    expect(before.every((h) => h.actorId === out.localWork[0].localUserId)).toBe(true);
    await a.desk.sync.syncNow();
    expect(await a.api.sync.status()).toMatchObject({ pending: 3, localWork: 3 });
    expect(await a.api.sync.attributeLocalWork({ localUserId: out.localWork[0].localUserId, to: 'local' })).toEqual([expect.objectContaining({ choice: 'local', changes: 3 })]);
    await a.desk.sync.syncNow();
    expect((await a.api.sync.status()).pending).toBe(3);
    // Mine: the account is the author, the local name stays beside it, on this desk and on the server.
    expect(await a.api.sync.attributeLocalWork({ localUserId: out.localWork[0].localUserId, to: 'me' })).toEqual([]);
    await a.desk.sync.syncNow();
    expect(await a.api.sync.status()).toMatchObject({ pending: 0, localWork: 0 });
    const after = await a.api.incident.get({ id: inc.id });
    expect(after.history.every((h) => h.actorId === out.user.id && h.actorName === '王小明')).toBe(true);
    expect(after.workLogs.map((l) => [l.authorId, l.authorName])).toEqual([[out.user.id, '王小明']]);
    const held = await w.server.storage.read((q) => q.all<{ data: string }>('SELECT data FROM history WHERE incident_id = ?', [inc.id]));
    expect(held.map((r) => JSON.parse(r.data)).every((h: { actorId: string; actorName: string }) => h.actorId === out.user.id && h.actorName === '王小明')).toBe(true);

    // Another account's: the changes wait for that account to sign in on this desk.
    const b = await openDesk(w, 'ident-b');
    await b.desk.store.setup({ name: '李四', role: 'agent', group: '服务台一线', locale: 'zh-CN' });
    await b.api.incident.create({ ...baseIncident, title: '李四的事件' });
    await w.user('ident-b');
    const outB = await b.api.sync.signIn({ serverUrl: w.url, name: 'ident-b', password: 'ident-b-password' });
    await b.desk.sync.syncNow(); // brings the accounts the server knows
    const colleague = (await b.api.user.list()).find((u) => u.name === 'ident-a')!;
    expect(colleague.dispatchable).toBe(true);
    await expect(b.api.sync.attributeLocalWork({ localUserId: outB.localWork[0].localUserId, to: 'account', accountId: 'no-such-account' })).rejects.toThrow(/unknown_account/);
    await b.api.sync.attributeLocalWork({ localUserId: outB.localWork[0].localUserId, to: 'account', accountId: colleague.id });
    expect(await b.api.sync.status()).toMatchObject({ pending: 2, waitingForOtherUser: 2, localWork: 0 });
  });

  it('a desk signed in before device secrets existed gets its secret on its next round and keeps syncing', async () => {
    const w = await world();
    const a = await openDesk(w, 'legacy');
    await a.desk.store.setup({ name: '老机器', role: 'agent', group: 'Hotline', locale: 'zh-CN' });
    await a.signIn();
    await a.desk.sync.syncNow();
    // As an older desk and server had it: no secret on either side.
    a.desk.secrets.delete('device_secret');
    await w.server.storage.write((q) => q.run('UPDATE devices SET secret_hash = NULL WHERE id = ?', [a.desk.store.deviceId]));
    await a.api.incident.create(baseIncident);
    await a.desk.sync.syncNow();
    expect(await a.api.sync.status()).toMatchObject({ pending: 0, lastError: null });
    expect(a.desk.secrets.get('device_secret')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await w.server.storage.read((q) => q.get<{ secret_hash: string | null }>('SELECT secret_hash FROM devices WHERE id = ?', [a.desk.store.deviceId]));
    expect(row?.secret_hash).toBeTruthy();
  });
});
