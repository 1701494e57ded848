import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slaDueTimes, type SlaSettings } from '../../shared/sla-clocks.js';
import type { HistoryEntry, Incident, WorkLog } from '../../shared/schemas.js';
import type { Change, ConflictData, Mutation, RejectionData } from '../../shared/sync.js';
import { HlcClock, parseHlc } from '../../shared/hlc.js';
import { pull, push } from '../../server/sync.js';
import { Desk, errorOf, makeClient, startWorld, type Backend, type World } from './harness.js';

const DAY = 24 * 60 * 60 * 1000;

/** The same behaviour, over real HTTP, on each storage backend. */
export function syncSuite(backend: Backend) {
  let w: World;
  beforeAll(async () => { w = await startWorld(backend); });
  afterAll(async () => { await w?.close(); });

  describe(`accounts and permissions (${backend})`, () => {
    it('login returns the user; tokens are stored hashed; bad or missing tokens are refused', async () => {
      const anon = makeClient(w.url);
      const out = await anon.auth.login.mutate({ name: 'ROOT', password: 'root-password' });
      expect(out.user).toEqual({ id: w.adminId, name: 'root', role: 'admin', groupName: 'Hotline' });
      expect(out.token.length).toBeGreaterThanOrEqual(40);
      const stored = await w.server.storage.read((q) => q.all<{ token_hash: string }>('SELECT token_hash FROM tokens'));
      expect(stored.some((r) => r.token_hash === out.token)).toBe(false);
      expect((await errorOf(anon.auth.login.mutate({ name: 'root', password: 'nope' }))).code).toBe('UNAUTHORIZED');
      expect((await errorOf(anon.sync.pull.query({ deviceId: 'x', deviceSecret: 'x'.repeat(43), cursor: 0 }))).code).toBe('UNAUTHORIZED');
      expect((await errorOf(makeClient(w.url, 'forged').auth.me.query())).code).toBe('UNAUTHORIZED');
      const me = makeClient(w.url, out.token);
      expect((await me.auth.me.query()).id).toBe(w.adminId);
      await me.auth.logout.mutate();
      expect((await errorOf(me.auth.me.query())).code).toBe('UNAUTHORIZED');
    });

    it('only admins change users, groups, categories, the SLA policy and the knowledge base', async () => {
      const lead = await w.user('lead1', 'lead');
      for (const call of [
        () => lead.client.admin.upsertUser.mutate({ name: 'x', role: 'admin', groupName: 'Hotline', password: 'password1' }),
        () => lead.client.admin.upsertGroup.mutate({ name: 'Evil' }),
        () => lead.client.admin.upsertCategory.mutate({ id: 'c1', code: 'c1', nameZh: '一', nameEn: 'one' }),
        () => lead.client.admin.setSlaPolicy.mutate({ policy: { P1: { responseMin: 1, resolveMin: 2 }, P2: { responseMin: 1, resolveMin: 2 }, P3: { responseMin: 1, resolveMin: 2 }, P4: { responseMin: 1, resolveMin: 2 } } }),
        () => lead.client.admin.upsertKbArticle.mutate({ title: 't', body: 'b' }),
      ]) expect((await errorOf(call())).code).toBe('FORBIDDEN');
    });

    it('never demotes or deactivates the last active admin', async () => {
      const err = await errorOf(w.admin.admin.upsertUser.mutate({ id: w.adminId, name: 'root', role: 'lead', groupName: 'Hotline' }));
      expect(err.code).toBe('BAD_REQUEST');
      expect(err.message).toMatch(/last active admin/);
    });

    it('throttles repeated failed logins per user name, driven by the injected clock', async () => {
      await w.user('victim');
      const anon = makeClient(w.url);
      for (let i = 0; i < 3; i++) expect((await errorOf(anon.auth.login.mutate({ name: 'victim', password: 'wrong' }))).code).toBe('UNAUTHORIZED');
      // The 4th failure locks the name for 1 s; even the right password is refused until then.
      expect((await errorOf(anon.auth.login.mutate({ name: 'victim', password: 'wrong' }))).code).toBe('UNAUTHORIZED');
      const locked = await errorOf(anon.auth.login.mutate({ name: 'victim', password: 'victim-password' }));
      expect(locked.code).toBe('TOO_MANY_REQUESTS');
      expect(locked.message).toMatch(/try again in 1 s/);
      w.clock.advance(1_100);
      // One more failure doubles the lock.
      expect((await errorOf(anon.auth.login.mutate({ name: 'victim', password: 'wrong' }))).code).toBe('UNAUTHORIZED');
      expect((await errorOf(anon.auth.login.mutate({ name: 'victim', password: 'victim-password' }))).message).toMatch(/try again in 2 s/);
      w.clock.advance(2_100);
      const ok = await anon.auth.login.mutate({ name: 'victim', password: 'victim-password' });
      expect(ok.user.name).toBe('victim');
      // Success clears the name's count: three free failures again.
      for (let i = 0; i < 3; i++) expect((await errorOf(anon.auth.login.mutate({ name: 'victim', password: 'wrong' }))).code).toBe('UNAUTHORIZED');
      expect((await anon.auth.login.mutate({ name: 'victim', password: 'victim-password' })).user.name).toBe('victim');
    });

    it('does not lock a whole address out after 21 failures across user names (an office behind NAT; edges.test.ts has the per-address limit)', async () => {
      const anon = makeClient(w.url);
      await w.user('ip-ok');
      w.clock.advance(25 * 60 * 60_000); // earlier failures from this IP are forgotten
      for (let i = 0; i < 21; i++) expect((await errorOf(anon.auth.login.mutate({ name: `nobody-${i}`, password: 'x' }))).code).toBe('UNAUTHORIZED');
      expect((await anon.auth.login.mutate({ name: 'ip-ok', password: 'ip-ok-password' })).user.name).toBe('ip-ok');
    });

    it('registers devices with unique codes; a proposed unused code is kept; registering again is idempotent', async () => {
      const a = await w.user('reg-a');
      const first = await a.client.device.register.mutate({ code: 'ZZ9' });
      expect(first.code).toBe('ZZ9');
      const clash = await a.client.device.register.mutate({ code: 'ZZ9' });
      expect(clash.code).not.toBe('ZZ9');
      expect(clash.deviceId).not.toBe(first.deviceId);
      const again = await a.client.device.register.mutate({ deviceId: first.deviceId, deviceSecret: first.deviceSecret });
      expect(again).toEqual({ deviceId: first.deviceId, code: 'ZZ9', ackedThrough: 0, deviceSecret: first.deviceSecret });
      // Without its secret, nobody (not even the same account) registers the device again.
      expect((await errorOf(a.client.device.register.mutate({ deviceId: first.deviceId }))).code).toBe('FORBIDDEN');
      const codes = await Promise.all(Array.from({ length: 20 }, () => a.client.device.register.mutate({}).then((r) => r.code)));
      expect(new Set([...codes, 'ZZ9', clash.code]).size).toBe(22);
    });

    it('a device pushes only as its signed-in user, and only once registered', async () => {
      const a = await w.user('as-a');
      const b = await w.user('as-b');
      const desk = await Desk.open(w, a);
      const m = desk.create('perm-1');
      const forged = { ...m, userId: b.id };
      expect((await errorOf(desk.push([forged]))).code).toBe('FORBIDDEN');
      expect((await errorOf(b.client.sync.push.mutate({ deviceId: desk.deviceId, deviceSecret: desk.secret, mutations: [m] }))).code).toBe('FORBIDDEN');
      const nope = '0f0f0f0f-0000-4000-8000-000000000000';
      const unregistered = { ...m, deviceId: nope, hlc: m.hlc.replace(desk.deviceId, nope) };
      expect((await errorOf(a.client.sync.push.mutate({ deviceId: nope, deviceSecret: desk.secret, mutations: [unregistered] }))).message).toMatch(/not registered/);
      // Nothing was applied: seq 1 is still free.
      expect((await desk.push([m])).results).toEqual([{ seq: 1, status: 'applied' }]);
    });
  });

  describe(`push (${backend})`, () => {
    it('applies each (device, seq) exactly once; retries are duplicates; a gap refuses the rest', async () => {
      const a = await w.user('once');
      const desk = await Desk.open(w, a);
      const ms = [desk.create('once-1'), desk.create('once-2'), desk.create('once-3')];
      expect((await desk.push(ms)).results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
      const retry = await desk.push(ms);
      expect(retry.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
      expect(retry.ackedThrough).toBe(3);
      const m4 = desk.create('once-4');
      expect((await desk.push([ms[1], ms[2], m4])).results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'applied']);

      const m5 = desk.create('once-5');
      desk.create('once-6'); // never sent: leaves a hole
      const m7 = desk.create('once-7');
      const gap = await errorOf(desk.push([m5, m7]));
      expect(gap.code).toBe('PRECONDITION_FAILED');
      expect(gap.message).toMatch(/resend from 6/);
      expect(gap.data.ackedThrough).toBe(5);
      // Before the gap applied, nothing after it did.
      const pulled = await desk.pullAll();
      const ids = pulled.filter((c) => c.entity === 'incident').map((c) => c.id);
      expect(ids).toContain('once-5');
      expect(ids).not.toContain('once-7');
      expect((await desk.push([m5])).results[0].status).toBe('duplicate');
    });

    it("a desk's two batches in flight apply in seq order, whichever reaches the lock first", async () => {
      const a = await w.user('pipeline');
      const desk = await Desk.open(w, a);
      const ms = [1, 2, 3, 4].map((i) => desk.create(`pipe-${i}`));
      // Called directly, in this order, the later batch is handled first: it must wait for the earlier one.
      const deps = { storage: w.server.storage, now: w.clock.now, clock: new HlcClock('pipeline-test') };
      const user = { id: a.id, name: 'pipeline', role: 'agent', groupName: 'Hotline' };
      const later = push(deps, user, { deviceId: desk.deviceId, deviceSecret: desk.secret, mutations: ms.slice(2) });
      const earlier = push(deps, user, { deviceId: desk.deviceId, deviceSecret: desk.secret, mutations: ms.slice(0, 2) });
      expect((await later).results.map((r) => r.status)).toEqual(['applied', 'applied']);
      expect((await earlier).ackedThrough).toBe(2);
      expect((await later).ackedThrough).toBe(4);
      // With no earlier batch in flight, a gap is still refused.
      desk.create('pipe-5'); // never sent
      const gap = await errorOf(desk.push([desk.create('pipe-6')]));
      expect(gap.data.ackedThrough).toBe(4);
      const ids = (await desk.pullAll()).filter((c) => c.entity === 'incident' && c.id.startsWith('pipe-')).map((c) => c.id);
      expect(ids).toEqual(['pipe-1', 'pipe-2', 'pipe-3', 'pipe-4']);
    });

    it('a mutation that can never apply is rejected, shown to its author only, and does not wedge the queue', async () => {
      const a = await w.user('rej-a');
      const other = await w.user('rej-b');
      const desk = await Desk.open(w, a);
      const desk2 = await Desk.open(w, a);
      const otherDesk = await Desk.open(w, other);
      await desk2.pullAll(); await otherDesk.pullAll();
      const bad = desk.mutation('incident.update', { id: 'no-such-incident', fields: { title: 'x' }, base: {}, history: [] });
      const invalid = desk.mutation('incident.create', { incident: { ...desk.newIncident('rej-bad'), title: '' }, history: [] });
      const good = desk.create('rej-good');
      const out = await desk.push([bad, invalid, good]);
      expect(out.results[0]).toMatchObject({ seq: 1, status: 'rejected', reason: 'unknown incident no-such-incident' });
      expect(out.results[1].status).toBe('rejected');
      expect(out.results[1].reason).toMatch(/args\.incident\.title: required/);
      expect(out.results[2]).toEqual({ seq: 3, status: 'applied' });
      expect(out.ackedThrough).toBe(3);
      const seenByOwnDevice = (await desk2.pullAll()).filter((c) => c.entity === 'rejection');
      expect(seenByOwnDevice.map((c) => (c.data as unknown as RejectionData).seq)).toEqual([1, 2]);
      expect((await otherDesk.pullAll()).filter((c) => c.entity === 'rejection')).toEqual([]);
    });

    it('refuses a malformed push naming the field, and applies nothing of it', async () => {
      const a = await w.user('malformed');
      const desk = await Desk.open(w, a);
      const ms = [desk.create('mf-1'), desk.create('mf-2'), desk.create('mf-3'), desk.create('mf-4')];
      const broken = ms.map((m, i) => (i === 3 ? { ...m, seq: 'four' as unknown as number } : m));
      const err = await errorOf(desk.push(broken));
      expect(err.code).toBe('BAD_REQUEST');
      expect(err.message).toMatch(/mutations\.3\.seq/);
      expect((await desk.push(ms)).results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    });

    it('refuses an oversized body with 413 and a clear message', async () => {
      const a = await w.user('big');
      const desk = await Desk.open(w, a);
      const huge = desk.mutation('worklog.add', { workLog: desk.workLog('w', 'x', 'y'.repeat(6 * 1024 * 1024)) });
      const res = await fetch(`${w.url}/sync.push`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${(a as { token: string }).token}` },
        body: JSON.stringify({ deviceId: desk.deviceId, mutations: [huge] }),
      });
      expect(res.status).toBe(413);
      expect(JSON.stringify(await res.json())).toMatch(/too large.*5 MB/);
      const viaClient = await errorOf(desk.push([huge]));
      expect(viaClient.message).toMatch(/too large/);

      // Without a content-length (a chunked body) the limit holds while reading, and nothing is applied.
      const auth = { authorization: `Bearer ${(a as { token: string }).token}` };
      const body = JSON.stringify({ deviceId: desk.deviceId, mutations: [huge] });
      const chunked = await fetch(`${w.url}/sync.push`, {
        method: 'POST', headers: { 'content-type': 'application/json', ...auth }, duplex: 'half',
        body: new ReadableStream({ start(c) { for (let i = 0; i < body.length; i += 65536) c.enqueue(new TextEncoder().encode(body.slice(i, i + 65536))); c.close(); } }),
      } as RequestInit);
      expect(chunked.status).toBe(413);
      expect(JSON.stringify(await chunked.json())).toMatch(/too large.*5 MB/);

      // A body that is not JSON is refused as such, in tRPC's error shape.
      const garbled = await fetch(`${w.url}/sync.push`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: '{"deviceId": "x", "mutations": [' });
      expect(garbled.status).toBe(400);
      expect(await garbled.json()).toMatchObject({ error: { data: { code: 'PARSE_ERROR' } } });
      // None of the refused pushes used up the seq: the next push at that seq applies.
      const next = await desk.push([{ ...desk.create('after-refusals'), seq: huge.seq }]);
      expect(next.results).toEqual([{ seq: huge.seq, status: 'applied' }]);
    });
  });

  describe(`merging (${backend})`, () => {
    it('per-field LWW: different fields both survive; the same field goes to the later HLC, the loser stays in history', async () => {
      const a = await w.user('lww-a');
      const b = await w.user('lww-b', 'technician');
      const da = await Desk.open(w, a);
      const db = await Desk.open(w, b);
      for (const order of ['later-first', 'earlier-first'] as const) {
        const id = `lww-${order}`;
        await da.push([da.create(id)]);
        await da.pullAll(); await db.pullAll();
        const base = da.incident(id)!;
        // Both edit offline; A edits first (earlier HLC), B a little later.
        const ma = da.mutation('incident.update', { id, fields: { title: 'Title by A', description: 'desc by A' }, base: { title: base.title, description: base.description }, history: [] });
        w.clock.advance(1_000);
        const mb = db.mutation('incident.update', { id, fields: { title: 'Title by B', urgency: 'high' }, base: { title: base.title, urgency: base.urgency }, history: [] });
        if (order === 'later-first') { await db.push([mb]); await da.push([ma]); } else { await da.push([ma]); await db.push([mb]); }
        await da.pullAll(); await db.pullAll();
        for (const d of [da, db]) {
          const inc = d.incident(id)!;
          expect(inc.title).toBe('Title by B');
          expect(inc.description).toBe('desc by A');
          expect(inc.urgency).toBe('high');
          expect(inc.priority).toBe('P3'); // low impact × high urgency, recomputed by the server
          const conflicts = d.history(id).filter((h) => h.kind === 'conflict');
          expect(conflicts).toHaveLength(1);
          expect(conflicts[0]).toMatchObject({ field: 'title', oldValue: 'Title by A', newValue: 'Title by B', actorId: a.id });
        }
        w.clock.advance(1_000);
      }
    });

    it('recomputes priority and SLA due times with the shared rules', async () => {
      const a = await w.user('prio');
      const d = await Desk.open(w, a);
      await d.push([d.create('prio-1', { impact: 'high', urgency: 'high', priority: 'P4' })]);
      await d.push([d.mutation('incident.update', { id: 'prio-1', fields: { impact: 'low', urgency: 'low', majorReasons: ['platform'] }, base: {}, history: [] })]);
      await d.pullAll();
      const inc = d.incident('prio-1')!;
      expect(inc.priority).toBe('P1');
      expect(Date.parse(inc.responseDueAt) - Date.parse(inc.reportedAt)).toBe(60 * 60_000);
      expect(Date.parse(inc.resolveDueAt) - Date.parse(inc.reportedAt)).toBe(4 * 60 * 60_000);
    });

    it('a stale transition becomes a visible conflict; the same target is a no-op; a valid one applies', async () => {
      const a = await w.user('tr-a');
      const b = await w.user('tr-b', 'technician');
      const da = await Desk.open(w, a);
      const db = await Desk.open(w, b);
      await da.push([da.create('tr-1')]);
      await db.pullAll();
      const t1 = da.mutation('incident.transition', { id: 'tr-1', from: 'new', to: 'assigned', fields: { groupName: 'L2 desk', tier: 'L2', firstResponseAt: new Date(w.clock.ms).toISOString() }, history: [] });
      expect((await da.push([t1])).results[0].status).toBe('applied');
      // B saw "new" and tries another move, with a work note.
      const note: WorkLog = db.workLog('tr-note', 'tr-1', 'checked on site');
      const t2 = db.mutation('incident.transition', { id: 'tr-1', from: 'new', to: 'in_progress', fields: {}, history: [], workLog: note });
      const r2 = (await db.push([t2])).results[0];
      expect(r2.status).toBe('rejected');
      expect(r2.reason).toMatch(/^conflict: incident tr-1 is assigned, not new/);
      // Someone else also assigns: already there, a no-op.
      const t3 = db.mutation('incident.transition', { id: 'tr-1', from: 'new', to: 'assigned', fields: { groupName: 'other' }, history: [] });
      expect((await db.push([t3])).results[0]).toMatchObject({ status: 'applied', reason: 'no-op: incident is already assigned' });
      const changes = await da.pullAll();
      const conflict = changes.find((c) => c.entity === 'conflict')!.data as unknown as ConflictData;
      expect(conflict).toMatchObject({ incidentId: 'tr-1', attemptedFrom: 'new', attemptedTo: 'in_progress', currentStatus: 'assigned', userId: b.id });
      const inc = da.incident('tr-1')!;
      expect(inc).toMatchObject({ status: 'assigned', groupName: 'L2 desk', tier: 'L2' });
      expect(da.history('tr-1').some((h) => h.kind === 'conflict' && h.field === 'status' && h.newValue === 'in_progress')).toBe(true);
      expect(changes.some((c) => c.entity === 'worklog' && c.id === 'tr-note')).toBe(true);
      // An impossible move from the right status is invalid: rejected.
      const bad = da.mutation('incident.transition', { id: 'tr-1', from: 'assigned', to: 'closed', fields: {}, history: [] });
      expect((await da.push([bad])).results[0]).toMatchObject({ status: 'rejected', reason: 'cannot move an incident from assigned to closed' });
    });

    it('a step without what it needs (resolution, reason, dispatch target, a known assignee) is refused naming the field', async () => {
      const a = await w.user('needs');
      const d = await Desk.open(w, a);
      await d.push([d.create('nd-1'), d.create('nd-2')]);
      const step = (id: string, from: string, to: string, fields: Record<string, unknown>, note: string | null = null) =>
        d.mutation('incident.transition', { id, from: from as never, to: to as never, fields, history: [d.historyRow(id, 'transition', { field: 'status', oldValue: from, newValue: to, note })] });
      const refused = async (m: Mutation) => (await d.push([m])).results[0];
      expect(await refused(step('nd-1', 'new', 'assigned', {}))).toMatchObject({ status: 'rejected', reason: 'args.fields: choose a tier, group or person to dispatch to' });
      expect(await refused(step('nd-1', 'new', 'resolved', { resolution: '  ' }))).toMatchObject({ status: 'rejected', reason: 'args.fields.resolution: required to resolve an incident' });
      expect(await refused(step('nd-1', 'new', 'pending', {}))).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^args\.fields\.pendingReason: required/) });
      // Nothing of the refused steps took effect; the same steps with what they need apply.
      const before = (await d.pullAll()).filter((c) => c.entity === 'incident' && c.id === 'nd-1');
      expect(before.every((c) => (c.data as unknown as Incident).status === 'new')).toBe(true);
      expect((await refused(step('nd-1', 'new', 'assigned', { tier: 'L2', assigneeId: a.id }))).status).toBe('applied');
      expect((await refused(step('nd-2', 'new', 'pending', { pendingReason: 'requester' }, '等用户回电')))).toMatchObject({ status: 'applied' });
      expect((await refused(step('nd-2', 'pending', 'resolved', { resolution: '重启后恢复' })))).toMatchObject({ status: 'applied' });
      await d.pullAll();
      expect(d.incident('nd-1')).toMatchObject({ status: 'assigned', tier: 'L2', assigneeId: a.id });
      expect(d.incident('nd-2')).toMatchObject({ status: 'resolved', resolution: '重启后恢复' });
    });

    it('work logs are a union by id; history rows flow to every desktop', async () => {
      const a = await w.user('wl-a');
      const b = await w.user('wl-b');
      const da = await Desk.open(w, a);
      const db = await Desk.open(w, b);
      await da.push([da.create('wl-1')]);
      const wa = da.workLog('wl-a-1', 'wl-1', 'A did this');
      const wb = db.workLog('wl-b-1', 'wl-1', 'B did that');
      expect((await da.push([da.mutation('worklog.add', { workLog: wa })])).results[0].status).toBe('applied');
      expect((await db.push([db.mutation('worklog.add', { workLog: wb })])).results[0].status).toBe('applied');
      expect((await da.push([da.mutation('worklog.add', { workLog: wa })])).results[0].status).toBe('duplicate');
      const forged = db.mutation('worklog.add', { workLog: { ...wa, id: 'wl-forged' } });
      expect((await db.push([forged])).results[0].reason).toMatch(/forbidden/);
      const got = (await db.pullAll()).filter((c) => c.entity === 'worklog' && c.data.incidentId === 'wl-1').map((c) => (c.data as unknown as WorkLog).body).sort();
      expect(got).toEqual(['A did this', 'B did that']);
      expect(db.history('wl-1').map((h) => h.kind)).toEqual(['create']);
    });

    it('incident numbers stay unique; the same incident again is a no-op', async () => {
      const a = await w.user('num');
      const d = await Desk.open(w, a);
      const m1 = d.create('num-1', { number: 'X-1' });
      await d.push([m1]);
      const again = d.mutation('incident.create', m1.args as never);
      expect((await d.push([again])).results[0].status).toBe('duplicate');
      const clash = d.create('num-2', { number: 'X-1' });
      expect((await d.push([clash])).results[0]).toMatchObject({ status: 'applied', dropped: [{ field: 'number', code: 'number_prefix', value: 'X-1', kept: `${d.code}-R${clash.seq}` }] });
    });

    it("a number is its desk's: another desk's prefix or a used number gets a stand-in, the incident is kept, the owner's sync goes on", async () => {
      const victim = await Desk.open(w, await w.user('num-victim'));
      const squatter = await Desk.open(w, await w.user('num-squatter'));
      // The squatter takes the number the victim's offline desk is about to push.
      const squat = squatter.create('sq-1', { number: `${victim.code}-00001` });
      const r = (await squatter.push([squat])).results[0];
      expect(r).toMatchObject({ status: 'applied', dropped: [{ field: 'number', code: 'number_prefix', kept: `${squatter.code}-R${squat.seq}` }] });
      // The victim's incident keeps its number; its later changes still sync.
      const own = victim.create('sq-2', { number: `${victim.code}-00001` });
      const edit = victim.mutation('incident.update', { id: 'sq-2', fields: { title: 'still mine' }, base: {}, history: [] });
      expect((await victim.push([own, edit])).results.map((x) => x.status)).toEqual(['applied', 'applied']);
      await victim.pullAll();
      expect(victim.incident('sq-2')).toMatchObject({ number: `${victim.code}-00001`, title: 'still mine' });
      expect(victim.incident('sq-1')?.number).toBe(`${squatter.code}-R${squat.seq}`);
      // A used number under one's own prefix gets a stand-in too, shown in the history.
      const dup = victim.create('sq-3', { number: `${victim.code}-00001` });
      expect((await victim.push([dup])).results[0]).toMatchObject({ status: 'applied', dropped: [{ field: 'number', code: 'number_taken' }] });
      await victim.pullAll();
      expect(victim.history('sq-3').find((h) => h.kind === 'refused')).toMatchObject({ field: 'number', oldValue: `${victim.code}-00001`, note: 'number_taken' });
    });

    it('a refusal never cascades: a dispatch to an unknown person applies without the person, and the desk\'s later steps apply', async () => {
      const a = await w.user('cascade');
      const d = await Desk.open(w, a);
      const step = (id: string, from: string, to: string, fields: Record<string, unknown>, note: string | null = null) =>
        d.mutation('incident.transition', { id, from: from as never, to: to as never, fields, history: [d.historyRow(id, 'transition', { field: 'status', oldValue: from, newValue: to, note })] });
      const chain = [
        d.create('cs-1'),
        step('cs-1', 'new', 'assigned', { tier: 'L2', groupName: '二线支持', assigneeId: 'local-only-zhao' }),
        step('cs-1', 'assigned', 'in_progress', {}),
        step('cs-1', 'in_progress', 'pending', { pendingReason: 'vendor' }, '等待备件'),
        step('cs-1', 'pending', 'resolved', { resolution: '更换硬盘' }),
        step('cs-1', 'resolved', 'reopened', { resolvedAt: null }, '仍有故障'),
        step('cs-1', 'reopened', 'resolved', { resolution: '更换主板' }),
        d.mutation('incident.update', { id: 'cs-1', fields: { satisfaction: 5 }, base: { satisfaction: null }, history: [] }),
        step('cs-1', 'resolved', 'closed', {}),
      ];
      const out = await d.push(chain);
      expect(out.results.map((x) => x.status)).toEqual(chain.map(() => 'applied'));
      expect(out.results[1]).toMatchObject({ dropped: [{ field: 'assigneeId', code: 'unknown_user', value: 'local-only-zhao', kept: null }] });
      await d.pullAll();
      expect(d.incident('cs-1')).toMatchObject({ status: 'closed', resolution: '更换主板', satisfaction: 5, tier: 'L2', groupName: '二线支持', assigneeId: null });
      expect(d.history('cs-1').filter((h) => h.kind === 'refused').map((h) => [h.field, h.note])).toEqual([['assigneeId', 'unknown_user']]);

      // Own steps judged on their own merits: the desk's first step was refused outright (a hostile or
      // buggy one), its next step from the status it believed in still applies from the real one.
      await d.push([d.create('cs-2')]);
      const refusedStep = step('cs-2', 'new', 'closed', {});
      const next = step('cs-2', 'closed', 'resolved', { resolution: 'x' });
      const both = await d.push([refusedStep, next]);
      expect(both.results.map((x) => [x.status, x.code ?? null, x.params ?? null])).toEqual([['rejected', 'not_allowed', { from: 'new', to: 'closed' }], ['applied', null, { from: 'new' }]]);

      // Another desk's newer change is still a conflict.
      const b = await w.user('cascade-b');
      const other = await Desk.open(w, b);
      await other.pullAll();
      expect((await other.push([other.mutation('incident.transition', { id: 'cs-2', from: 'resolved', to: 'reopened', fields: {}, history: [other.historyRow('cs-2', 'transition', { note: '用户说没好' })] })])).results[0].status).toBe('applied');
      const stale = step('cs-2', 'resolved', 'closed', {});
      expect((await d.push([stale])).results[0]).toMatchObject({ status: 'rejected', code: 'transition_conflict', params: { from: 'resolved', to: 'closed', current: 'reopened' } });
      await d.pullAll();
      expect(d.incident('cs-2')).toMatchObject({ status: 'reopened', resolution: 'x' });
    });

    it('a person deactivated while a desk worked offline is left out of the dispatch, with a visible field refusal', async () => {
      const a = await w.user('deact-a');
      const tech = await w.user('deact-tech', 'technician');
      const d = await Desk.open(w, a);
      await d.push([d.create('da-1')]);
      await w.admin.admin.upsertUser.mutate({ id: tech.id, name: 'deact-tech', role: 'technician', groupName: 'Hotline', active: false });
      const r = (await d.push([d.mutation('incident.transition', { id: 'da-1', from: 'new', to: 'assigned', fields: { tier: 'L2', assigneeId: tech.id }, history: [] })])).results[0];
      expect(r).toMatchObject({ status: 'applied', dropped: [{ field: 'assigneeId', code: 'inactive_user', value: tech.id }] });
      await d.pullAll();
      expect(d.incident('da-1')).toMatchObject({ status: 'assigned', tier: 'L2', assigneeId: null });
    });

    it('requesters are last-writer-wins by HLC', async () => {
      const a = await w.user('rq-a');
      const b = await w.user('rq-b');
      const da = await Desk.open(w, a);
      const db = await Desk.open(w, b);
      const early = da.mutation('requester.upsert', { requester: { id: 'rq-1', name: '李四', department: 'IT', phone: null, email: null, serviceLevel: 'normal' } });
      w.clock.advance(10);
      const late = db.mutation('requester.upsert', { requester: { id: 'rq-1', name: '李四', department: 'IT', phone: null, email: null, serviceLevel: 'vip' } });
      await db.push([late]);
      await da.push([early]);
      const c = (await da.pullAll()).find((x) => x.entity === 'requester' && x.id === 'rq-1')!;
      expect(c.data.serviceLevel).toBe('vip');
    });

    it('clocks days off (±7 days) do not break sync or reorder history', async () => {
      const a = await w.user('skew-a');
      const b = await w.user('skew-b');
      const fast = await Desk.open(w, a, +7 * DAY);
      const slow = await Desk.open(w, b, -7 * DAY);
      const created = await fast.push([fast.create('skew-1')]);
      expect(created.clockSkewMs).toBe(7 * DAY);
      await slow.pullAll(); await fast.pullAll();
      // Slow desk edits first, fast desk a minute later (real time): the fast one's edit must win,
      // and neither may land in the future or a week in the past.
      const e1 = slow.mutation('incident.update', { id: 'skew-1', fields: { title: 'slow edit' }, base: { title: 'Printer jam skew-1' }, history: [slow.historyRow('skew-1', 'field', { field: 'title' })] });
      await slow.push([e1]);
      w.clock.advance(60_000);
      const e2 = fast.mutation('incident.update', { id: 'skew-1', fields: { title: 'fast edit' }, base: { title: 'slow edit' }, history: [fast.historyRow('skew-1', 'field', { field: 'title' })] });
      const r2 = await fast.push([e2]);
      expect(r2.results[0].status).toBe('applied');
      await fast.pullAll();
      const inc = fast.incident('skew-1')!;
      expect(inc.title).toBe('fast edit');
      const serverNow = w.clock.ms;
      expect(Math.abs(Date.parse(inc.recordedAt) - (serverNow - 61_000))).toBeLessThan(5_000);
      const hist = fast.history('skew-1').sort((x, y) => x.at.localeCompare(y.at));
      expect(hist.map((h) => h.kind)).toEqual(['create', 'field', 'field']);
      expect(hist.map((h) => h.actorId)).toEqual([a.id, b.id, a.id]);
      for (const h of hist) expect(Math.abs(Date.parse(h.at) - serverNow)).toBeLessThan(5 * 60_000);
      const held = await w.server.storage.read((q) => q.all<{ clock_skew_ms: number }>('SELECT clock_skew_ms FROM devices WHERE id IN (?, ?) ORDER BY clock_skew_ms', [slow.deviceId, fast.deviceId]));
      expect(held.map((r) => Math.round(Number(r.clock_skew_ms) / DAY))).toEqual([-7, 7]);
      // Without clientTime, a future HLC is still never accepted: it is re-stamped with the server's.
      const blind = fast.mutation('incident.update', { id: 'skew-1', fields: { description: 'blind' }, base: {}, history: [] });
      await fast.push([blind], false);
      const c = (await fast.pullAll()).find((x) => x.entity === 'incident' && x.id === 'skew-1')!;
      expect(c.meta?.originalHlc).toBe(blind.hlc);
      expect(parseHlc(c.meta!.fieldHlc!.description).wall).toBeLessThanOrEqual(w.clock.ms + 5 * 60_000);
    });
  });

  describe(`pull and reference data (${backend})`, () => {
    it('pages through changes with a cursor and a remaining count, never repeating or skipping', async () => {
      const a = await w.user('pager');
      const d = await Desk.open(w, a);
      await d.push(Array.from({ length: 30 }, (_, i) => d.create(`page-${i}`)));
      const all: Change[] = [];
      let cursor = 0;
      let prevRemaining = Infinity;
      for (;;) {
        const page = await d.client.sync.pull.query({ deviceId: d.deviceId, deviceSecret: d.secret, cursor, limit: 7 });
        expect(page.remaining).toBeLessThan(prevRemaining);
        expect(page.changes.length).toBeLessThanOrEqual(7);
        prevRemaining = page.remaining!;
        all.push(...page.changes);
        cursor = page.cursor;
        if (!page.hasMore) { expect(page.remaining).toBe(page.changes.length); break; }
      }
      const seqs = all.map((c) => c.seq);
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(seqs.length);
      for (let i = 0; i < 30; i++) expect(all.some((c) => c.entity === 'incident' && c.id === `page-${i}`)).toBe(true);
      const empty = await d.client.sync.pull.query({ deviceId: d.deviceId, deviceSecret: d.secret, cursor, limit: 7 });
      expect(empty).toMatchObject({ changes: [], cursor, hasMore: false, remaining: 0 });

      // Uncounted pages (what a desk asks for after the first page of a round) carry the same changes and hasMore.
      const uncounted: Change[] = [];
      cursor = 0;
      for (;;) {
        const page = await d.client.sync.pull.query({ deviceId: d.deviceId, deviceSecret: d.secret, cursor, limit: 7, count: false });
        expect(page.remaining).toBeUndefined();
        uncounted.push(...page.changes);
        cursor = page.cursor;
        if (!page.hasMore) break;
      }
      expect(uncounted.map((c) => c.seq)).toEqual(seqs);
      // A page that ends exactly at the last change says there is no more.
      const exact = await d.client.sync.pull.query({ deviceId: d.deviceId, deviceSecret: d.secret, cursor: seqs[seqs.length - 8], limit: 7, count: false });
      expect(exact.changes.map((c) => c.seq)).toEqual(seqs.slice(-7));
      expect(exact.hasMore).toBe(false);
    });

    it('a page served as spliced JSON text is exactly the page the router builds from parsed rows', async () => {
      const a = await w.user('splice');
      const d = await Desk.open(w, a);
      const made = d.create('splice-1');
      await d.push([made, d.mutation('worklog.add', { workLog: d.workLog('splice-w1', 'splice-1', '现场 "引号" \\ 与换行\n第二行') })]);
      // Over HTTP the bulk route answers; called directly, `pull` parses each stored snapshot.
      const deps = { storage: w.server.storage, now: w.clock.now, clock: new HlcClock('splice-test') };
      const user = { id: a.id, name: 'splice', role: 'agent', groupName: 'Hotline' };
      const viaHttp = await d.client.sync.pull.query({ deviceId: d.deviceId, deviceSecret: d.secret, cursor: 0, limit: 5000 });
      const direct = await pull(deps, user, { deviceId: d.deviceId, deviceSecret: d.secret, cursor: 0, limit: 5000 });
      const strip = (p: typeof direct) => ({ ...p, serverTime: undefined, serverHlc: undefined });
      expect(strip(viaHttp)).toEqual(strip(direct));
      expect(viaHttp.changes.find((c) => c.entity === 'worklog' && c.id === 'splice-w1')?.data.body).toBe('现场 "引号" \\ 与换行\n第二行');
      expect(viaHttp.changes.find((c) => c.entity === 'incident' && c.id === 'splice-1')?.meta?.fieldHlc?.['*']).toBe(made.hlc);
    });

    it('reference data flows down: users without password hashes, groups, categories, SLA policy, KB articles', async () => {
      await w.admin.admin.upsertGroup.mutate({ name: 'Field L2' });
      await w.admin.admin.upsertCategory.mutate({ id: 'hw-printer', parentId: 'hardware', code: 'printer', nameZh: '打印机', nameEn: 'Printer' });
      const policy = { P1: { responseMin: 30, resolveMin: 120 }, P2: { responseMin: 60, resolveMin: 240 }, P3: { responseMin: 240, resolveMin: 1440 }, P4: { responseMin: 1440, resolveMin: 4320 } };
      await w.admin.admin.setSlaPolicy.mutate({ policy });
      const kb = await w.admin.admin.upsertKbArticle.mutate({ title: '打印机卡纸', body: '打开后盖…', tags: ['printer'], categoryId: 'hw-printer' });
      const a = await w.user('ref');
      const d = await Desk.open(w, a);
      const got = await d.pullAll();
      const of = (e: string) => got.filter((c) => c.entity === e);
      expect(of('category').map((c) => c.id)).toEqual(expect.arrayContaining(['hardware', 'software', 'network', 'security', 'service_request', 'other', 'hw-printer']));
      expect(of('group').map((c) => c.data.name)).toEqual(expect.arrayContaining(['Hotline', 'Field L2']));
      expect(of('sla_policy')[0].data).toEqual({ id: 'default', policy });
      expect(of('kb_article').find((c) => c.id === kb.id)!.data).toMatchObject({ title: '打印机卡纸', tags: ['printer'], categoryId: 'hw-printer' });
      const users = of('user');
      expect(users.find((c) => c.id === a.id)!.data).toEqual({ id: a.id, name: 'ref', role: 'agent', groupName: 'Hotline', active: true });
      expect(JSON.stringify(users)).not.toMatch(/scrypt|password/i);
      // The targets went into the SLA settings (issue 13), and open incidents were re-derived under them on business time.
      const settings = of('sla_settings')[0].data.settings as SlaSettings;
      expect(settings.policy.targets).toEqual(policy);
      expect(got.filter((c) => c.entity === 'incident').every((c) => {
        const inc = c.data as unknown as Incident;
        return inc.status === 'closed' || inc.responseDueAt === slaDueTimes(inc, settings).responseDueAt;
      })).toBe(true);
      const h: HistoryEntry[] = got.filter((c) => c.entity === 'history').map((c) => c.data as unknown as HistoryEntry);
      expect(h.length).toBeGreaterThan(0);
    });
  });
}
