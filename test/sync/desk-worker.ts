// A desk in its own process, for the SIGKILL test: records incidents and work logs and syncs, telling
// the parent on stdout what it has committed locally. `tsx desk-worker.ts <dataDir> <serverUrl> <name> <password> <tag>`
import { createDesk } from '../../electron/core/desk.js';
import { createCaller } from '../../electron/core/api/router.js';

const [dataDir, serverUrl, name, password, tag] = process.argv.slice(2);
const desk = await createDesk({ dataDir, backgroundSync: false });
const api = createCaller({ store: desk.store, sync: desk.sync });
if (!desk.store.currentUser() || !(await api.sync.status()).signedIn) await api.sync.signIn({ serverUrl, name, password });
console.log('ready');
for (let i = 0; ; i++) {
  const inc = await api.incident.create({
    channel: 'walk_in', requester: { name: '现场用户', serviceLevel: 'normal' }, serviceType: 'fault', categoryId: 'hardware',
    title: `${tag} ${i}`, impact: 'low', urgency: 'medium',
  });
  console.log(`committed incident ${inc.id}`);
  const w = await api.incident.addWorkLog({ incidentId: inc.id, body: `${tag} log ${i}` });
  console.log(`committed worklog ${w.id}`);
  if (i % 3 === 2) {
    console.log('sync-start');
    await desk.sync.syncNow().catch((e) => console.log(`sync-failed ${e.message}`));
    console.log('sync-done');
  }
}
