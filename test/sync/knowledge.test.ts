import { afterEach, describe, expect, it } from 'vitest';
import { createDesk, type Desk } from '../../electron/core/desk.js';
import { createCaller } from '../../electron/core/api/router.js';
import { httpCentralClient, type CentralClient } from '../../electron/core/sync/central-client.js';
import { upsertUser } from '../../server/accounts.js';
import { HlcClock } from '../../shared/hlc.js';
import { baseIncident, tempDir } from '../helpers/desk.js';
import { startWorld, type World } from '../server/harness.js';

// Issue 12 item 8 across desks and the server: an agent offline proposes a resolution as a draft;
// it syncs; the lead publishes it from another desk; a second agent's desk sees it published,
// offers it when resolving, and the server counts its use once.

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => { while (cleanup.length) await cleanup.pop()!(); });

async function world() {
  const w = await startWorld('sqlite');
  w.clock.ms = Date.now();
  cleanup.push(() => w.close());
  const deps = { storage: w.server.storage, now: () => new Date(), clock: new HlcClock('t') };
  for (const [name, role] of [['agent', 'agent'], ['agent2', 'agent'], ['lead', 'lead']] as const) {
    await upsertUser(deps, { name, role, groupName: 'Hotline', password: `${name}-password`, active: true });
  }
  return w;
}

async function openDesk(w: World, name: string) {
  let offline = false;
  const cut = () => { if (offline) throw new TypeError('fetch failed'); };
  const gate = (c: CentralClient): CentralClient => ({
    ...c,
    async push(token, input) { cut(); return c.push(token, input); },
    async pull(token, input) { cut(); return c.pull(token, input); },
    async admin(kind, path, input, token) { cut(); return c.admin(kind, path, input, token); },
  });
  const desk: Desk = await createDesk({ dataDir: tempDir(), backgroundSync: false, clientFor: (url) => gate(httpCentralClient(url)) });
  cleanup.push(() => desk.close());
  const api = createCaller({ store: desk.store, sync: desk.sync });
  await api.sync.signIn({ serverUrl: w.url, name, password: `${name}-password` });
  await desk.sync.syncNow();
  return { desk, api, setOffline: (v: boolean) => { offline = v; } };
}

async function issuesOf(p: Promise<unknown>): Promise<Array<{ path: string; message: string }>> {
  try { await p; } catch (err) { return ((err as { cause?: { issues?: Array<{ path: string; message: string }> } }).cause?.issues) ?? [{ path: '?', message: String(err) }]; }
  throw new Error('expected a refusal');
}

describe('knowledge flow through desks and the server (issue 12 item 8)', () => {
  it('propose offline, sync, the lead publishes, a second desk sees it published and resolves with it: use count 1; an edit is version 2', async () => {
    const w = await world();
    const agent = await openDesk(w, 'agent');
    const lead = await openDesk(w, 'lead');
    const agent2 = await openDesk(w, 'agent2');

    // The agent resolves an incident and, offline, proposes its resolution as an article.
    const inc = await agent.api.incident.create({ ...baseIncident, title: 'VPN 证书错误', categoryId: 'network' });
    await agent.api.incident.transition({ id: inc.id, to: 'resolved', resolution: '重新导入客户端证书后可以连接。' });
    agent.setOffline(true);
    const draft = await agent.api.knowledge.propose({ title: 'VPN 证书错误的处理', body: '重新导入客户端证书。', tags: ['vpn'], categoryId: 'network', sourceIncidentId: inc.id });
    expect(draft).toMatchObject({ status: 'draft', version: 1, ownerName: 'agent', useCount: 0 });
    // The outbox holds it with the draft; agents are not offered drafts.
    expect(agent.desk.store.db.prepare("SELECT count(*) FROM outbox WHERE name = 'kb.propose' AND sent_at IS NULL").pluck().get()).toBe(1);
    expect(await agent.api.knowledge.suggest({ title: 'VPN 证书错误', categoryId: 'network' })).toEqual([]);
    // A proposal from an incident that is not resolved is refused naming the field.
    const open = await agent.api.incident.create({ ...baseIncident, title: '另一个问题' });
    expect((await issuesOf(agent.api.knowledge.propose({ title: 'x', body: 'y', sourceIncidentId: open.id })))[0]).toMatchObject({ path: 'sourceIncidentId' });

    // Back online: it syncs; the lead's review list has it; an agent may not review.
    agent.setOffline(false);
    await agent.desk.sync.syncNow();
    await lead.desk.sync.syncNow();
    const review = await lead.api.knowledge.review();
    expect(review.articles.find((a) => a.id === draft.id)).toMatchObject({ status: 'draft', ownerName: 'agent', sourceIncidentId: inc.id });
    await expect(agent.api.knowledge.review()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(agent.api.knowledge.publish({ id: draft.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    // The lead publishes; the second agent's desk pulls it published and is offered it.
    expect(await lead.api.knowledge.publish({ id: draft.id, baseVersion: 1 })).toMatchObject({ status: 'published', publishedByName: 'lead' });
    await agent2.desk.sync.syncNow();
    const mine = await agent2.api.incident.create({ ...baseIncident, title: 'VPN 连接提示证书错误', categoryId: 'network' });
    const offered = await agent2.api.knowledge.suggest({ title: mine.title, categoryId: 'network' });
    expect(offered.map((h) => h.id)).toEqual([draft.id]);

    // Resolving with an article the desk does not hold is refused naming the field; nothing changes.
    expect((await issuesOf(agent2.api.knowledge.resolveWith({ id: mine.id, resolution: 'x', kbArticleId: 'no-such-article' })))[0]).toMatchObject({ path: 'kbArticleId' });
    expect((await agent2.api.incident.get({ id: mine.id })).incident.status).toBe('new');
    expect((await issuesOf(agent2.api.incident.update({ id: mine.id, patch: { kbArticleId: 'typed-by-hand' } })))[0]).toMatchObject({ path: 'kbArticleId' });

    // Resolve with it; sync twice (a re-push changes nothing): the server counts one use.
    const resolved = await agent2.api.knowledge.resolveWith({ id: mine.id, resolution: '按知识库文章处理。', kbArticleId: draft.id });
    expect(resolved).toMatchObject({ status: 'resolved', kbArticleId: draft.id });
    await agent2.desk.sync.syncNow();
    agent2.desk.store.db.prepare("UPDATE outbox SET sent_at = NULL WHERE name IN ('incident.update', 'incident.transition')").run();
    await agent2.desk.sync.syncNow();
    await agent2.desk.sync.syncNow();
    expect((await agent2.api.knowledge.get({ id: draft.id })).useCount).toBe(1);
    await agent.desk.sync.syncNow();
    expect((await agent.api.knowledge.get({ id: draft.id })).useCount).toBe(1);
    expect((await agent.api.knowledge.search({ q: 'VPN' })).find((h) => h.id === draft.id)).toMatchObject({ useCount: 1, status: 'published' });

    // The lead edits it: version 2, version 1 kept and readable.
    const v2 = await lead.api.knowledge.save({ id: draft.id, title: 'VPN 证书错误的处理', body: '删除旧证书，重新导入客户端证书。', tags: ['vpn'], categoryId: 'network', baseVersion: 1 });
    expect(v2.version).toBe(2);
    const versions = await agent.api.knowledge.versions({ id: draft.id });
    expect(versions.map((v) => [v.version, v.editedByName])).toEqual([[2, 'lead'], [1, 'agent']]);
    expect(versions[1].body).toBe('重新导入客户端证书。');
    await agent.desk.sync.syncNow();
    expect((await agent.api.knowledge.get({ id: draft.id })).version).toBe(2);

    // Retired: no longer offered.
    await lead.api.knowledge.retire({ id: draft.id });
    await agent2.desk.sync.syncNow();
    expect(await agent2.api.knowledge.suggest({ title: mine.title, categoryId: 'network' })).toEqual([]);
  });
});
