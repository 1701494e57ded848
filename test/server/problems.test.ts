import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeRecord, ProblemRecord, RecordHistory } from '../../shared/problems.js';
import { Desk, startWorld, type World } from './harness.js';

/**
 * Issue 12, item 6 on the server: problem and change records pushed by desks are checked (role,
 * history ownership, number prefix, bounds, planned window), merged (fields by HLC, a change's
 * problems as a set) and pulled whole by every desk; an incident's link to a record the server
 * does not hold is left out as one field.
 */
describe.each(['sqlite', 'postgres'] as const)('problem and change records on the server (%s)', (backend) => {
  let w: World;
  let tech: Desk;
  let other: Desk;
  let agent: Desk;
  beforeAll(async () => {
    w = await startWorld(backend);
    tech = await Desk.open(w, await w.user('tech', 'technician'));
    other = await Desk.open(w, await w.user('lead', 'lead'));
    agent = await Desk.open(w, await w.user('agent', 'agent'));
  });
  afterAll(async () => { await w?.close(); });

  const hist = (d: Desk, recordId: string, over: Partial<RecordHistory> = {}): RecordHistory => ({
    id: `${d.deviceId}:rh:${Math.random().toString(36).slice(2, 10)}`, recordId, at: new Date(w.clock.ms).toISOString(), actorId: d.userId,
    deviceId: d.deviceId, online: true, kind: 'field', field: null, oldValue: null, newValue: null, ...over,
  });
  const createProblem = (d: Desk, id: string, number: string, title = '打印机批量卡纸') =>
    d.mutation('problem.save', { id, create: { number, createdAt: new Date(w.clock.ms).toISOString() }, fields: { title, status: 'open', rootCause: null, workaround: '手动清理' }, history: [hist(d, id, { kind: 'create', newValue: number })] });
  const createChange = (d: Desk, id: string, number: string, start: string, end: string) =>
    d.mutation('change.save', { id, create: { number, createdAt: new Date(w.clock.ms).toISOString() }, fields: { title: '更换搓纸轮', status: 'planned', plannedStart: start, plannedEnd: end }, history: [] });
  const problem = (d: Desk, id: string) => d.seen.get(`problem:${id}`)?.data as unknown as ProblemRecord | undefined;
  const change = (d: Desk, id: string) => d.seen.get(`change_record:${id}`)?.data as unknown as ChangeRecord | undefined;

  it('a problem numbered with the desk code is kept; another desk’s code or a used number gets a stand-in, never a refusal', async () => {
    const res = await tech.push([
      createProblem(tech, 'p1', `PRB-${tech.code}-00001`),
      createProblem(tech, 'p2', `PRB-${other.code}-00001`),
      createProblem(tech, 'p3', `PRB-${tech.code}-00001`),
    ]);
    expect(res.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(res.results[0].dropped).toBeUndefined();
    expect(res.results[1].dropped).toEqual([{ field: 'number', code: 'number_prefix', value: `PRB-${other.code}-00001`, kept: `PRB-${tech.code}-R${res.results[1].seq}` }]);
    expect(res.results[2].dropped).toEqual([{ field: 'number', code: 'number_taken', value: `PRB-${tech.code}-00001`, kept: `PRB-${tech.code}-R${res.results[2].seq}` }]);
    await other.pullAll();
    expect(problem(other, 'p1')).toMatchObject({ number: `PRB-${tech.code}-00001`, status: 'open', title: '打印机批量卡纸', workaround: '手动清理', createdBy: tech.userId, deviceId: tech.deviceId });
    expect(problem(other, 'p2')!.number).toBe(`PRB-${tech.code}-R${res.results[1].seq}`);
    // The stand-in is in the record's history for everyone to see, with the number the desk had shown.
    const refused = [...other.seen.values()].filter((c) => c.entity === 'record_history').map((c) => c.data as unknown as RecordHistory).filter((h) => h.recordId === 'p2' && h.kind === 'refused');
    expect(refused).toMatchObject([{ field: 'number', oldValue: `PRB-${other.code}-00001`, newValue: `PRB-${tech.code}-R${res.results[1].seq}` }]);
    // Sent again (its answer lost): a duplicate, nothing doubled.
    const again = await tech.client.sync.push.mutate({ deviceId: tech.deviceId, deviceSecret: tech.secret, mutations: [createProblem(tech, 'p1', `PRB-${tech.code}-00001`)] });
    expect(again.results[0].status).toBe('duplicate');
  });

  it('first line, another person’s history and out-of-bounds input are refused, one change at a time', async () => {
    const res = await agent.push([createProblem(agent, 'pa', `PRB-${agent.code}-00001`)]);
    expect(res.results[0]).toMatchObject({ status: 'rejected', code: 'forbidden' });
    const forged = tech.mutation('problem.save', { id: 'p1', fields: { status: 'known_error' }, history: [hist(tech, 'p1', { actorId: other.userId })] });
    const long = tech.mutation('problem.save', { id: 'p1', fields: { title: 'x'.repeat(201) }, history: [] });
    const badNumber = tech.mutation('problem.save', { id: 'p9', create: { number: `INC-${tech.code}-1`, createdAt: new Date(w.clock.ms).toISOString() }, fields: { title: 't' }, history: [] });
    const noCreate = tech.mutation('problem.save', { id: 'never-made', fields: { status: 'closed' }, history: [] });
    const ok = tech.mutation('problem.save', { id: 'p1', fields: { status: 'known_error' }, base: { status: 'open' }, history: [hist(tech, 'p1', { field: 'status', oldValue: 'open', newValue: 'known_error' })] });
    const out = await tech.push([forged, long, badNumber, noCreate, ok]);
    expect(out.results.map((r) => [r.status, r.code])).toEqual([['rejected', 'forbidden'], ['rejected', 'invalid_args'], ['rejected', 'invalid_args'], ['rejected', 'unknown_problem'], ['applied', undefined]]);
    expect(out.results[1].reason).toMatch(/args\.fields\.title: at most 200 characters/);
    expect(out.results[2].reason).toMatch(/args\.create\.number/);
    await other.pullAll();
    expect(problem(other, 'p1')!.status).toBe('known_error');
  });

  it('a planned window must end after it starts, refused naming the field, on create and on edit', async () => {
    const bad = createChange(tech, 'c0', `CHG-${tech.code}-00001`, '2026-12-10T22:00:00+08:00', '2026-12-10T21:00:00+08:00');
    const good = createChange(tech, 'c1', `CHG-${tech.code}-00002`, '2026-12-10T22:00:00+08:00', '2026-12-10T23:00:00+08:00');
    const flip = tech.mutation('change.save', { id: 'c1', fields: { plannedStart: '2026-12-11T00:00:00+08:00' }, history: [] });
    const year = tech.mutation('change.save', { id: 'c1', fields: { plannedEnd: '2028-12-11T00:00:00+08:00' }, history: [] });
    const res = await tech.push([bad, good, flip, year]);
    expect(res.results.map((r) => r.status)).toEqual(['rejected', 'applied', 'rejected', 'rejected']);
    expect(res.results[0].reason).toMatch(/args\.fields\.plannedEnd: window_order/);
    expect(res.results[2].reason).toMatch(/args\.fields\.plannedEnd: window_order/);
    expect(res.results[3].reason).toMatch(/args\.fields\.plannedEnd: window_length/);
    await other.pullAll();
    expect(change(other, 'c1')).toMatchObject({ status: 'planned', plannedStart: '2026-12-10T22:00:00+08:00', plannedEnd: '2026-12-10T23:00:00+08:00', problemIds: [] });
  });

  it('an unknown problem or change is left out as one field; the rest of the change applies', async () => {
    const create = tech.create('i1', { problemId: 'p1', changeId: 'no-such-change' });
    const link = tech.mutation('incident.update', { id: 'i1', fields: { problemId: 'no-such-problem', title: '打印机又卡纸' }, base: { problemId: 'p1' }, history: [] });
    const toChange = tech.mutation('change.link', { id: 'c1', problemId: 'ghost-problem', linked: true, history: [hist(tech, 'c1', { kind: 'link', field: 'problemIds', newValue: 'ghost-problem' })] });
    const res = await tech.push([create, link, toChange]);
    expect(res.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(res.results[0].dropped).toEqual([{ field: 'changeId', code: 'unknown_change', value: 'no-such-change', kept: null }]);
    expect(res.results[1].dropped).toEqual([{ field: 'problemId', code: 'unknown_problem', value: 'no-such-problem', kept: 'p1' }]);
    expect(res.results[2].dropped).toEqual([{ field: 'problemIds', code: 'unknown_problem', value: 'ghost-problem', kept: null }]);
    await other.pullAll();
    expect(other.incident('i1')).toMatchObject({ problemId: 'p1', changeId: null, title: '打印机又卡纸' });
    expect(change(other, 'c1')!.problemIds).toEqual([]);
    // An edit whose only field is left out still sends the incident as it stands, so its author's desk stops showing the value.
    await tech.pullAll();
    const only = tech.mutation('incident.update', { id: 'i1', fields: { problemId: 'ghost-problem' }, base: { problemId: 'p1' }, history: [] });
    expect((await tech.push([only])).results[0]).toMatchObject({ status: 'applied', dropped: [{ field: 'problemId', code: 'unknown_problem', kept: 'p1' }] });
    const again = (await tech.pullAll()).filter((c) => c.entity === 'incident' && c.id === 'i1');
    expect(again.map((c) => (c.data as { problemId?: string }).problemId)).toEqual(['p1']);
  });

  it('fields merge last-writer-wins by HLC whatever the arrival order; a change’s problems are a set, the later edit of a pair wins', async () => {
    // The lead's edit is made later (its clock ahead) but arrives first.
    const early = tech.mutation('problem.save', { id: 'p1', fields: { rootCause: '搓纸轮老化' }, history: [] });
    w.clock.advance(5_000);
    const late = other.mutation('problem.save', { id: 'p1', fields: { rootCause: '纸张受潮' }, history: [] });
    expect((await other.push([late])).results[0].status).toBe('applied');
    expect((await tech.push([early])).results[0].status).toBe('applied');
    // Links: tech links p1 and p2, the lead unlinks p2 later; tech's late-arriving re-link made earlier changes nothing.
    const l1 = tech.mutation('change.link', { id: 'c1', problemId: 'p1', linked: true, history: [] });
    const l2 = tech.mutation('change.link', { id: 'c1', problemId: 'p2', linked: true, history: [] });
    const relink = tech.mutation('change.link', { id: 'c1', problemId: 'p2', linked: true, history: [] });
    w.clock.advance(5_000);
    await tech.push([l1, l2]);
    const unlink = other.mutation('change.link', { id: 'c1', problemId: 'p2', linked: false, history: [] });
    await other.push([unlink]);
    expect((await tech.push([relink])).results[0]).toMatchObject({ status: 'applied', reason: 'a later edit of this link is held' });
    await agent.pullAll();
    expect(problem(agent, 'p1')!.rootCause).toBe('纸张受潮');
    expect(change(agent, 'c1')!.problemIds).toEqual(['p1']);
    const links = await w.server.storage.read((q) => q.all<{ problem_id: string }>('SELECT problem_id FROM change_problems WHERE change_id = ?', ['c1']));
    expect(links.map((l) => l.problem_id)).toEqual(['p1']);
    // Resolved: the status is a column and the time is the status edit's.
    const resolve = other.mutation('problem.save', { id: 'p1', fields: { status: 'resolved' }, history: [] });
    await other.push([resolve]);
    const row = await w.server.storage.read((q) => q.get<{ status: string; resolved_at: string | null }>('SELECT status, resolved_at FROM problems WHERE id = ?', ['p1']));
    expect(row).toMatchObject({ status: 'resolved' });
    expect(row!.resolved_at).toMatch(/^2026-/);
  });
});
