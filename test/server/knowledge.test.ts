import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeArticle } from '../../shared/knowledge.js';
import { Desk, errorOf, startWorld, type World } from './harness.js';

const article = (d: Desk, id: string): KnowledgeArticle | undefined => d.seen.get(`kb_article:${id}`)?.data as unknown as KnowledgeArticle | undefined;

/** Issue 12, item 8 on the server: proposals from desks, a lead's review with versions, and the use count. */
describe.each(['sqlite', 'postgres'] as const)('knowledge articles on the server (%s)', (backend) => {
  let w: World;
  let agent: { id: string; client: World['admin'] };
  let lead: { id: string; client: World['admin'] };
  let other: { id: string; client: World['admin'] };
  beforeAll(async () => {
    w = await startWorld(backend);
    agent = await w.user('kb-agent', 'agent');
    lead = await w.user('kb-lead', 'lead');
    other = await w.user('kb-other', 'technician');
  });
  afterAll(async () => { await w?.close(); });

  it('a desk proposes a draft owned by its user (idempotent by id; another user cannot take the id); an agent cannot publish, a lead can; versions are kept', async () => {
    const d = await Desk.open(w, agent);
    const at = new Date(w.clock.ms).toISOString();
    const source = d.create('k-src', { status: 'new' });
    const propose = (id: string, over: Record<string, unknown> = {}) => d.mutation('kb.propose', {
      article: { id, title: '打印机卡纸', body: '打开后盖，取出卡住的纸。', tags: ['打印机'], categoryId: 'hardware', sourceIncidentId: 'k-src', proposedAt: at, ...over },
    });
    const p1 = propose('kb-1');
    const res = await d.push([source, p1, propose('kb-1', { title: 'same id again' }), propose('kb-2', { categoryId: 'no-such-category', sourceIncidentId: 'nowhere' })]);
    expect(res.results.map((r) => [r.status, r.code ?? null])).toEqual([['applied', null], ['applied', null], ['applied', 'noop'], ['applied', null]]);
    expect(res.results[3].dropped).toEqual([{ field: 'categoryId', code: 'unknown_category', value: 'no-such-category', kept: null }]);
    // The same mutation sent again (its answer lost) is a duplicate, and nothing changes.
    const again = await d.client.sync.push.mutate({ deviceId: d.deviceId, deviceSecret: d.secret, mutations: [p1] });
    expect(again.results[0]).toMatchObject({ status: 'duplicate', first: { status: 'applied' } });
    await d.pullAll();
    expect(article(d, 'kb-1')).toMatchObject({ status: 'draft', version: 1, ownerId: agent.id, useCount: 0, sourceIncidentId: 'k-src', title: '打印机卡纸', categoryId: 'hardware' });
    expect(article(d, 'kb-2')).toMatchObject({ categoryId: null, sourceIncidentId: null, status: 'draft' });

    // Another user's desk proposing the same id is refused; the draft stays the agent's.
    const o = await Desk.open(w, other);
    const steal = await o.push([o.mutation('kb.propose', { article: { id: 'kb-1', title: 'mine now', body: 'x', tags: [], categoryId: null, sourceIncidentId: null, proposedAt: at } })]);
    expect(steal.results[0]).toMatchObject({ status: 'rejected', code: 'forbidden' });

    // Review: an agent (and a technician) is forbidden; the lead publishes, edits (version 2 kept beside 1), retires.
    expect((await errorOf(agent.client.knowledge.publish.mutate({ id: 'kb-1' }))).code).toBe('FORBIDDEN');
    expect((await errorOf(other.client.knowledge.save.mutate({ id: 'kb-1', title: 'x', body: 'y' }))).code).toBe('FORBIDDEN');
    expect((await errorOf(agent.client.knowledge.retire.mutate({ id: 'kb-1' }))).code).toBe('FORBIDDEN');
    const published = await lead.client.knowledge.publish.mutate({ id: 'kb-1', baseVersion: 1 });
    expect(published).toMatchObject({ status: 'published', version: 1, publishedBy: lead.id, ownerId: agent.id });
    const edited = await lead.client.knowledge.save.mutate({ id: 'kb-1', title: '打印机卡纸（激光）', body: '关机，打开后盖，取出卡住的纸。', tags: ['打印机'], categoryId: 'hardware', baseVersion: 1 });
    expect(edited).toMatchObject({ version: 2, status: 'published', title: '打印机卡纸（激光）' });
    // An edit made on an older version is refused naming the field; one that changes nothing is no version.
    expect((await errorOf(lead.client.knowledge.save.mutate({ id: 'kb-1', title: 'late', body: 'late', baseVersion: 1 }))).message).toMatch(/^baseVersion: stale_version/);
    expect((await lead.client.knowledge.save.mutate({ id: 'kb-1', title: '打印机卡纸（激光）', body: '关机，打开后盖，取出卡住的纸。', tags: ['打印机'], categoryId: 'hardware' })).version).toBe(2);
    const versions = await agent.client.knowledge.versions.query({ id: 'kb-1' });
    expect(versions.map((v) => [v.version, v.title, v.editedByName])).toEqual([[2, '打印机卡纸（激光）', 'kb-lead'], [1, '打印机卡纸', 'kb-agent']]);
    expect((await errorOf(lead.client.knowledge.versions.query({ id: 'nope' }))).message).toMatch(/^id: /);
    expect((await errorOf(lead.client.knowledge.publish.mutate({ id: 'nope' }))).message).toMatch(/^id: /);
    expect((await lead.client.knowledge.retire.mutate({ id: 'kb-2' })).status).toBe('retired');
    await d.pullAll();
    expect(article(d, 'kb-1')).toMatchObject({ status: 'published', version: 2 });
    expect(article(d, 'kb-2')).toMatchObject({ status: 'retired' });
    // The older admin endpoint writes a new version too.
    await w.admin.admin.upsertKbArticle.mutate({ id: 'kb-1', title: '打印机卡纸（激光）', body: '第三版', tags: [], categoryId: 'hardware' });
    expect((await lead.client.knowledge.versions.query({ id: 'kb-1' })).map((v) => v.version)).toEqual([3, 2, 1]);
  });

  it('the use count is counted from the incidents that link an article, once per incident, across re-pushes, duplicates and a second desk; never a desk\'s number', async () => {
    const a = await lead.client.knowledge.save.mutate({ title: 'VPN 连不上', body: '重装客户端证书。', tags: ['vpn'], categoryId: 'network' });
    const b = await lead.client.knowledge.save.mutate({ title: 'Outlook 打不开', body: '重建配置文件。', tags: [], categoryId: 'software' });
    expect(a).toMatchObject({ status: 'published', version: 1, useCount: 0 });
    const d1 = await Desk.open(w, agent);
    const d2 = await Desk.open(w, other);
    const c1 = d1.create('u1', { kbArticleId: a.id });
    const link = d1.mutation('incident.update', { id: 'u1', fields: { kbArticleId: a.id, title: 'VPN again' }, base: { kbArticleId: a.id }, history: [] });
    // The desk claims a count: the schema has no place for it, and the server counts for itself.
    const r1 = await d1.push([c1, link, d1.create('u2', { kbArticleId: a.id }), d1.create('u3', { kbArticleId: 'no-such-article' })]);
    expect(r1.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect(r1.results[3].dropped?.[0]).toMatchObject({ field: 'kbArticleId', code: 'unknown_kb_article' });
    // The whole batch sent again (its answer lost): duplicates, the count unchanged.
    const dup = await d1.client.sync.push.mutate({ deviceId: d1.deviceId, deviceSecret: d1.secret, mutations: [c1, link] });
    expect(dup.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    // A second desk edits the same incident (another field, then the same link): still one use.
    await d2.pullAll();
    const edit2 = d2.mutation('incident.update', { id: 'u1', fields: { description: 'from desk 2', kbArticleId: a.id }, base: {}, history: [] });
    expect((await d2.push([edit2])).results[0].status).toBe('applied');
    await d2.pullAll();
    expect(article(d2, a.id)!.useCount).toBe(2);
    // An incident that moves to another article moves its use; clearing the link takes it away.
    const move = d2.mutation('incident.update', { id: 'u2', fields: { kbArticleId: b.id }, base: { kbArticleId: a.id }, history: [] });
    const clear = d2.mutation('incident.update', { id: 'u1', fields: { kbArticleId: null }, base: { kbArticleId: a.id }, history: [] });
    await d2.push([move]);
    await d2.pullAll();
    expect([article(d2, a.id)!.useCount, article(d2, b.id)!.useCount]).toEqual([1, 1]);
    await d2.push([clear]);
    await d2.pullAll();
    expect([article(d2, a.id)!.useCount, article(d2, b.id)!.useCount]).toEqual([0, 1]);
    // A transition that resolves keeps the link: no new count.
    const resolve = d2.mutation('incident.transition', { id: 'u2', from: 'new', to: 'resolved', fields: { resolution: 'done', resolvedAt: new Date(w.clock.ms).toISOString() }, history: [] });
    expect((await d2.push([resolve])).results[0].status).toBe('applied');
    await d2.pullAll();
    expect(article(d2, b.id)!.useCount).toBe(1);
  });

  it('hostile bounds: oversized, malformed and extra fields are refused naming the field, nothing written', async () => {
    const d = await Desk.open(w, agent);
    const at = new Date(w.clock.ms).toISOString();
    const bad = (over: Record<string, unknown>) => d.mutation('kb.propose', { article: { id: `h-${d.seq}`, title: 't', body: 'b', tags: [], categoryId: null, sourceIncidentId: null, proposedAt: at, ...over } as never });
    const res = await d.push([
      bad({ title: 'x'.repeat(201) }), bad({ body: '' }), bad({ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }), bad({ status: 'published' }),
      bad({ ownerId: lead.id }), bad({ useCount: 99 }), bad({ proposedAt: '9999-01-01T00:00:00Z' }), bad({ id: 'x'.repeat(65) }),
    ]);
    expect(res.results.every((r) => r.status === 'rejected' && r.code === 'invalid_args')).toBe(true);
    expect(res.results[0].reason).toMatch(/args\.article\.title: at most 200/);
    expect(res.results[3].reason).toMatch(/status/);
    await d.pullAll();
    expect([...d.seen.values()].filter((c) => c.entity === 'kb_article' && c.id.startsWith('h-'))).toEqual([]);
    expect((await errorOf(lead.client.knowledge.save.mutate({ title: 't', body: 'x'.repeat(100_001) }))).message).toMatch(/^body: at most 100000/);
    expect((await errorOf(lead.client.knowledge.save.mutate({ title: 't', body: 'b', categoryId: 'nowhere' }))).message).toMatch(/^categoryId: no category/);
    expect((await errorOf(lead.client.knowledge.publish.mutate({ id: 'kb-1', extra: 1 } as never))).code).toBe('BAD_REQUEST');
    expect((await errorOf(lead.client.knowledge.save.mutate({ title: 't', body: 'b', tags: ['x'.repeat(51)] }))).message).toMatch(/^tags\.0: at most 50/);
  });
});
