// Issue 12, item 3 in the seeded simulation (test/sync/simulation.ts): desks escalate second-line
// tickets to third line or a vendor (the vendor's ticket number with it, or added later by an edit),
// and ask management to step in; offline or not, under the simulation's faults.
import type { createCaller } from '../../electron/core/api/router.js';
import { saveGroup } from '../../server/admin.js';
import type { Storage } from '../../server/storage/index.js';
import type { HlcClock } from '../../shared/hlc.js';

interface EscSim { i: number; api: ReturnType<typeof createCaller>; desk: { store: { db: { prepare(sql: string): { pluck(): { all(...a: unknown[]): unknown[] } } } } } }

/** The third-line group the escalations reach (the simulation's vendor group is `厂商`). */
export async function seedEscalation(deps: { storage: Storage; now: () => Date; clock: HlcClock }): Promise<void> {
  await saveGroup(deps, { name: '三线', tier: 'L3', active: true });
}

/** One escalation step on desk `d`, drawing from its own stream `er` (so the other streams replay as they were). */
export async function escalationStep(d: EscSim, er: () => number, count: (k: string) => void, tolerate: (p: Promise<unknown>) => Promise<void>, seed: number): Promise<void> {
  // Half the time a ticket second or third line holds (the ones that can be escalated), else any.
  const held = d.desk.store.db.prepare("SELECT id FROM incidents WHERE tier IN ('L2', 'L3') AND status IN ('assigned', 'in_progress', 'pending', 'reopened') ORDER BY id").pluck().all() as string[];
  const known = held.length && er() < 0.5 ? held : d.desk.store.db.prepare('SELECT id FROM incidents ORDER BY id').pluck().all() as string[];
  if (!known.length) return;
  const { incident, allowed } = await d.api.incident.get({ id: known[Math.floor(er() * known.length)] });
  const kind = er();
  if ((incident.tier === 'L2' || incident.tier === 'L3') && allowed.includes('assigned') && kind < 0.6) {
    if (incident.tier === 'L2' && er() < 0.5) {
      await tolerate(d.api.escalation.escalate({ id: incident.id, group: '三线', reason: `需三线处理 ${seed}` }));
      count('escalated to L3');
    } else {
      const ticket = er() < 0.5 ? `V-${seed}-${Math.floor(er() * 1000)}` : null;
      await tolerate(d.api.escalation.escalate({ id: incident.id, group: '厂商', reason: `需厂商处理 ${seed}`, vendorName: '华为', vendorContact: '400-822-9999', vendorTicket: ticket }));
      count('escalated to a vendor');
    }
  } else if (incident.vendorName && !incident.vendorTicket && incident.status !== 'closed') {
    await tolerate(d.api.escalation.editVendor({ id: incident.id, vendorTicket: `V-${seed}-later` }));
    count('vendor ticket added later');
  } else if (incident.status !== 'closed' && kind < 0.75) {
    await tolerate(d.api.escalation.askManagement({ id: incident.id, reason: `请管理层协调 ${seed}` }));
    count('management asked');
  }
}
