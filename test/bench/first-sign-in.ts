// `npx tsx test/bench/first-sign-in.ts`: issue 9's measure. A desk used before it ever signed in
// (王小明, sample data loaded) records one incident and works it to closed and rated; then it signs in
// for the first time (as the admin account), the user says the work is theirs, and the desk syncs.
// Printed: changes of that incident undone on first sign-in (history rows gone, fields no longer as
// the desk left them), fields left out and shown, and how the history is attributed. Two variants:
// the dispatch as the desk offers it now (sample people are not dispatch targets: refused on the
// desk), and a dispatch to a person only this desk knows (as the sample's 赵工 was before), which the
// server cannot know.
process.env.RELAY_DESK_SCRYPT_LOG2N ??= '10';
import { randomUUID } from 'node:crypto';
import { createDesk } from '../../electron/core/desk.js';
import { createCaller } from '../../electron/core/api/router.js';
import { upsertGroup, upsertUser } from '../../server/accounts.js';
import { startServer } from '../../server/app.js';
import { HlcClock } from '../../shared/hlc.js';
import { freshStore } from '../server/harness.js';
import { baseIncident, tempDir } from '../helpers/desk.js';

async function scenario(variant: 'as offered' | 'local-only person') {
  const store = await freshStore('sqlite');
  const server = await startServer({ storage: store.storage, dataDir: store.dataDir, port: 0 });
  const deps = { storage: server.storage, now: () => new Date(), clock: new HlcClock('bench') };
  await upsertGroup(deps, { name: '服务台经理组' });
  await upsertUser(deps, { name: 'admin', password: 'a-long-admin-passphrase', role: 'admin', groupName: '服务台经理组', active: true });
  const desk = await createDesk({ dataDir: tempDir('rd-bench-first-'), backgroundSync: false });
  const api = createCaller({ store: desk.store, sync: desk.sync });
  try {
    await api.desk.setup({ name: '王小明', role: 'agent', group: '服务台一线', locale: 'zh-CN' });
    await api.desk.loadSample({ incidents: 50 });
    const inc = await api.incident.create(baseIncident);
    let assigneeId: string | undefined;
    if (variant === 'local-only person') {
      assigneeId = randomUUID();
      desk.store.db.prepare("INSERT INTO users (id, name, role, group_name, updated_at, source) VALUES (?, '赵工', 'technician', '二线支持', ?, 'local')").run(assigneeId, new Date().toISOString());
    }
    await api.incident.transition({ id: inc.id, to: 'assigned', tier: 'L2', group: '二线支持', ...(assigneeId ? { assigneeId } : {}) });
    await api.incident.transition({ id: inc.id, to: 'in_progress' });
    await api.incident.addWorkLog({ incidentId: inc.id, body: '现场检查网线与交换机端口' });
    await api.incident.transition({ id: inc.id, to: 'pending', pendingReason: 'vendor', reason: '等待备件' });
    await api.incident.transition({ id: inc.id, to: 'resolved', resolution: '更换网卡' });
    await api.incident.transition({ id: inc.id, to: 'reopened', reason: '用户反馈仍断线' });
    await api.incident.transition({ id: inc.id, to: 'resolved', resolution: '更换网线并重新配置端口' });
    await api.incident.update({ id: inc.id, patch: { satisfaction: 5, satisfactionComment: '很快' } });
    await api.incident.transition({ id: inc.id, to: 'closed' });
    const before = await api.incident.get({ id: inc.id });
    const changes = (desk.store.db.prepare('SELECT count(*) FROM outbox WHERE sent_at IS NULL').pluck().get() as number);

    const t0 = performance.now();
    const out = await api.sync.signIn({ serverUrl: server.url, name: 'admin', password: 'a-long-admin-passphrase' });
    for (const l of out.localWork) await api.sync.attributeLocalWork({ localUserId: l.localUserId, to: 'me' });
    await desk.sync.syncNow();
    await desk.sync.syncNow();
    const ms = performance.now() - t0;
    const after = await api.incident.get({ id: inc.id });

    const kept = new Set(after.history.map((h) => h.id));
    const historyGone = before.history.filter((h) => !kept.has(h.id)).length;
    const fields = ['status', 'resolution', 'satisfaction', 'satisfactionComment', 'closedAt', 'resolvedAt', 'tier', 'groupName'] as const;
    const fieldsUndone = fields.filter((f) => JSON.stringify(before.incident[f]) !== JSON.stringify(after.incident[f]));
    const leftOut = after.history.filter((h) => h.kind === 'refused').map((h) => `${h.field}:${h.note}`);
    const rejected = desk.store.db.prepare("SELECT count(*) FROM sync_rejections WHERE status = 'rejected'").pluck().get() as number;
    const attributed = after.history.filter((h) => h.kind !== 'refused').every((h) => h.actorId === out.user.id && h.actorName === '王小明');
    const serverRow = await server.storage.read((q) => q.get<{ data: string }>('SELECT data FROM incidents WHERE id = ?', [inc.id]));
    const onServer = serverRow ? JSON.parse(serverRow.data) as { status: string; satisfaction: number | null; resolution: string | null } : null;
    console.log(`${variant.padEnd(18)} ${changes} changes recorded before sign-in; undone on first sign-in: ${historyGone + fieldsUndone.length} ` +
      `(history rows gone ${historyGone}, fields changed ${fieldsUndone.length}${fieldsUndone.length ? ` [${fieldsUndone.join(', ')}]` : ''}); refused ${rejected}; ` +
      `left out and shown: ${leftOut.length ? leftOut.join(', ') : 'none'}; on the server: ${onServer?.status}, ★${onServer?.satisfaction}, "${onServer?.resolution}"; ` +
      `history attributed to the account with "recorded as 王小明": ${attributed ? 'all rows' : 'NOT all rows'}; sign-in to synced ${ms.toFixed(0)} ms`);
  } finally {
    desk.close();
    await server.close();
    await store.drop();
  }
}

await scenario('as offered');
await scenario('local-only person');
