import { afterEach, describe, expect, it } from 'vitest';
import { createDesk, type Desk } from '../../electron/core/desk.js';
import { createCaller } from '../../electron/core/api/router.js';
import { httpCentralClient, type CentralClient } from '../../electron/core/sync/central-client.js';
import { upsertUser } from '../../server/accounts.js';
import { HlcClock } from '../../shared/hlc.js';
import { DEFAULT_SLA_SETTINGS, type SlaSettings } from '../../shared/sla-clocks.js';
import { i18n } from '../../renderer/i18n/index.js';
import { adminErrorText, adminFailureOf } from '../../renderer/features/admin/adminText.js';
import { startWorld, type World } from '../server/harness.js';
import { openTestDesk, tempDir } from '../helpers/desk.js';

// Issue 12 item 9 and issue 13 item 1: a lead or admin administers from the desk; the desk checks
// the input with the server's schemas, writes through to the central server with its session,
// pulls at once, and every other desk gets the change with its next pull. Refusals come back as
// codes and field paths, worded by the renderer in both languages.

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => { while (cleanup.length) await cleanup.pop()!(); });

async function world() {
  const w = await startWorld('sqlite');
  w.clock.ms = Date.now();
  cleanup.push(() => w.close());
  const deps = { storage: w.server.storage, now: () => new Date(), clock: new HlcClock('t') };
  for (const [name, role] of [['agent', 'agent'], ['lead', 'lead'], ['tech', 'technician']] as const) {
    await upsertUser(deps, { name, role, groupName: 'Hotline', password: `${name}-password`, active: true });
  }
  return w;
}

async function openDesk(w: World, name: string, password = `${name}-password`) {
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
  await api.sync.signIn({ serverUrl: w.url, name, password });
  await desk.sync.syncNow();
  return { desk, api, setOffline: (v: boolean) => { offline = v; } };
}

/** The failure of a call, and its words in both languages. */
async function failure(p: Promise<unknown>) {
  try { await p; } catch (err) {
    const f = adminFailureOf(err);
    return { ...f, en: adminErrorText(f, i18n.getFixedT('en')), zh: adminErrorText(f, i18n.getFixedT('zh-CN')) };
  }
  throw new Error('expected the call to fail');
}

const settingsOnServer = async (w: World) => (await w.admin.admin.slaSettings.query()) as { settings: SlaSettings; updatedAt: string | null };

describe('administration through the desk (issue 12 item 9, issue 13 item 1)', () => {
  it('a lead saves a group with members and an assignment rule through the desk; it shows here at once and a second desk pulls it', async () => {
    const w = await world();
    const lead = await openDesk(w, 'lead');
    const other = await openDesk(w, 'agent');
    const before = await lead.api.admin.overview();
    expect(before).toMatchObject({ signedIn: true, canAdminister: true, isAdmin: false });
    const tech = before.people.find((p) => p.name === 'tech')!;

    const g = await lead.api.admin.saveGroup({ name: '网络组', tier: 'L2' });
    await lead.api.admin.setGroupMembers({ groupId: g.id, members: [tech.id] });
    await lead.api.admin.setAssignmentRule({ categoryId: 'network', groupId: g.id });

    // this desk pulled after each write: the screen and the dispatch lists show it now
    const here = (await lead.api.admin.overview()).groups.find((x) => x.name === '网络组');
    expect(here).toMatchObject({ id: g.id, tier: 'L2', members: [tech.id], categories: ['network'] });

    // the other desk has not synced yet, then pulls it
    expect((await other.api.group.list()).groups.find((x) => x.name === '网络组')).toBeUndefined();
    await other.desk.sync.syncNow();
    expect((await other.api.group.list()).groups.find((x) => x.name === '网络组')).toMatchObject({ id: g.id, tier: 'L2', members: [tech.id], categories: ['network'] });
    // and the server holds it
    expect((await w.admin.admin.groups.query()).find((x: { name: string }) => x.name === '网络组')).toMatchObject({ tier: 'L2', categories: ['network'] });
  });

  it("an agent's desk is refused FORBIDDEN by the server, worded in both languages; nothing changed", async () => {
    const w = await world();
    const agent = await openDesk(w, 'agent');
    expect((await agent.api.admin.overview()).canAdminister).toBe(false);
    const f = await failure(agent.api.admin.saveGroup({ name: '网络组', tier: 'L2' }));
    expect(f).toMatchObject({ code: 'FORBIDDEN', message: 'admin_forbidden' });
    expect(f.en).toEqual(['The central server refused: your role may not change this. Nothing was changed.']);
    expect(f.zh).toEqual(['中心服务器拒绝：您的角色无权修改此项。未做任何更改。']);
    expect((await w.admin.admin.groups.query()).map((x: { name: string }) => x.name)).not.toContain('网络组');
    // a lead may not invite people (admins only): refused the same way
    const lead = await openDesk(w, 'lead');
    const g = await failure(lead.api.admin.saveUser({ name: 'newtech', role: 'technician', groupName: 'Hotline', password: 'Cobalt-Harbor-Lantern-93' }));
    expect(g).toMatchObject({ code: 'FORBIDDEN', message: 'admin_forbidden' });
  });

  it('an invalid SLA calendar is refused on the desk naming the field, nothing sent; the server keeps its settings', async () => {
    const w = await world();
    const lead = await openDesk(w, 'lead');
    const held = await settingsOnServer(w);
    const bad: SlaSettings = structuredClone(DEFAULT_SLA_SETTINGS);
    const cn = bad.calendars.findIndex((c) => c.id !== '24x7');
    bad.calendars[cn].week.mon = [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '18:00' }]; // overlapping spans
    bad.calendars[cn].timeZone = 'Asia/Nowhere';
    bad.policy.targets.P3.resolveMin = 0;
    const f = await failure(lead.api.admin.setSlaSettings({ settings: bad }));
    expect(f.code).toBe('BAD_REQUEST');
    const paths = f.issues.map((i) => i.path).sort();
    expect(paths).toEqual([`settings.calendars.${cn}.timeZone`, `settings.calendars.${cn}.week.mon.1`, 'settings.policy.targets.P3.resolveMin'].sort());
    const calName = `Calendar ${cn + 1}`;
    expect(f.en).toEqual(expect.arrayContaining([
      `${calName} · Time zone: Unknown time zone: use a name such as Asia/Shanghai`,
      `${calName} · Monday · span 2: Overlaps other working hours of the same day`,
      'P3 resolution target: Give at least 1 minute',
    ]));
    expect(f.zh).toEqual(expect.arrayContaining(['P3 解决时限：至少 1 分钟']));
    expect(await settingsOnServer(w)).toEqual(held);

    // a good change goes through: a yearly holiday and a new P3 target reach the server and this desk
    const good: SlaSettings = structuredClone(DEFAULT_SLA_SETTINGS);
    good.calendars[cn].holidays = [...good.calendars[cn].holidays, { date: '2027-03-08', name: '妇女节' }];
    good.policy.targets.P3.resolveMin = 16 * 60;
    await lead.api.admin.setSlaSettings({ settings: good });
    expect((await settingsOnServer(w)).settings.policy.targets.P3.resolveMin).toBe(960);
    const here = (await lead.api.admin.overview()).sla;
    expect(here.source).toBe('server');
    expect(here.settings.calendars[cn].holidays).toContainEqual({ date: '2027-03-08', name: '妇女节' });
  });

  it('an admin invites a technician; the server refuses a guessable password naming the field, worded; deactivating reaches the list', async () => {
    const w = await world();
    const root = await openDesk(w, 'root');
    const weak = await failure(root.api.admin.saveUser({ name: 'liwei', role: 'technician', groupName: 'Hotline', password: 'password1' }));
    expect(weak.code).toBe('BAD_REQUEST');
    expect(weak.issues.map((i) => i.path)).toEqual(['password']);
    expect(weak.en[0]).toMatch(/^Password: (Too short|Too easy to guess|One character repeated|Must not contain the user name)/);
    const missing = await failure(root.api.admin.saveUser({ name: 'liwei', role: 'technician', groupName: 'Hotline' }));
    expect(missing.issues).toEqual([expect.objectContaining({ path: 'password', code: 'required' })]);
    expect(missing.zh).toEqual(['密码：必填']);

    const out = await root.api.admin.saveUser({ name: '李伟', role: 'technician', groupName: 'Hotline', password: 'Cobalt-Harbor-Lantern-93' });
    expect((await root.api.admin.overview()).people.find((p) => p.id === out.id)).toMatchObject({ name: '李伟', role: 'technician', groupName: 'Hotline', active: true });
    await root.api.admin.saveUser({ id: out.id, name: '李伟', role: 'technician', groupName: 'Hotline', active: false });
    expect((await root.api.admin.overview()).people.find((p) => p.id === out.id)).toMatchObject({ active: false });
  });

  it('offline, or never signed in: a coded error the renderer words; nothing sent', async () => {
    const w = await world();
    const lead = await openDesk(w, 'lead');
    lead.setOffline(true);
    const f = await failure(lead.api.admin.saveGroup({ name: '网络组', tier: 'L2' }));
    expect(f).toMatchObject({ code: 'PRECONDITION_FAILED', message: 'admin_offline' });
    expect(f.en).toEqual(['The central server cannot be reached: administration needs it online. Nothing was changed.']);
    expect((await w.admin.admin.groups.query()).map((x: { name: string }) => x.name)).not.toContain('网络组');

    const local = await openTestDesk();
    cleanup.push(() => local.close());
    expect(await local.api.admin.overview()).toMatchObject({ signedIn: false, connected: false });
    const g = await failure(local.api.admin.saveGroup({ name: '网络组', tier: 'L2' }));
    expect(g).toMatchObject({ code: 'PRECONDITION_FAILED', message: 'admin_not_signed_in' });
    expect(g.zh).toEqual(['请登录中心服务器后再进行管理。']);
  });
});
