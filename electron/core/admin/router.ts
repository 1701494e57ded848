import { z } from 'zod';
import { saveGroupSchema, setAssignmentRuleSchema, setGroupMembersSchema, type Group } from '../../../shared/groups.js';
import { slaSettingsSchema, type SlaSettings } from '../../../shared/sla-clocks.js';
import { priorityMatrixSchema } from '../../../shared/priority.js';
import type { Role } from '../../../shared/index.js';
import { procedure, router } from '../api/trpc.js';
import { listGroups } from '../groups/groups.js';
import { readSlaSettings } from '../sla/settings.js';
import { adminCall, pullNow } from './central.js';
import { adminCategorySchema, adminUserSchema } from './schemas.js';

/**
 * The administration section (issue 12 item 9, issue 13 item 1): reads come from what this desk
 * pulled (people, groups with their rules, categories, SLA settings); every change is written on the
 * central server as the signed-in lead or admin (`./central.ts`), then this desk pulls at once, and
 * every other desk gets it with its next pull. Inputs are checked here with the server's schemas first.
 */

export interface AdminPerson { id: string; name: string; role: Role; groupName: string; active: boolean }

const roleOf = (r: string | undefined): Role | null => (r === 'agent' || r === 'technician' || r === 'lead' || r === 'admin' ? r : null);

export const adminRouter = router({
  /** Everything the screen shows, and what this user may do (the server decides again). */
  overview: procedure.query(({ ctx }) => {
    const me = ctx.store.currentUser();
    const status = ctx.sync?.status();
    const role = roleOf(me?.role);
    const people = (ctx.store.db.prepare("SELECT id, name, role, group_name AS groupName, active FROM users WHERE source <> 'sample' ORDER BY name COLLATE NOCASE")
      .all() as Array<Omit<AdminPerson, 'active'> & { active: number }>).map((p): AdminPerson => ({ ...p, active: !!p.active }));
    return {
      signedIn: !!status?.signedIn, online: !!status?.online, connected: ctx.store.connected(),
      me, canAdminister: role === 'lead' || role === 'admin', isAdmin: role === 'admin',
      people, groups: listGroups(ctx.store) as Group[], categories: ctx.store.listCategories(), sla: readSlaSettings(ctx.store.db),
    };
  }),
  /** Invite a person (initial password, checked by the server's policy) or change role, group, active (admins). */
  saveUser: procedure.input(adminUserSchema).mutation(async ({ ctx, input }) => {
    const out = await adminCall<{ id: string; name: string }>(ctx, 'mutation', 'admin.upsertUser', input);
    await pullNow(ctx);
    return { id: out.id, name: out.name };
  }),
  saveGroup: procedure.input(saveGroupSchema).mutation(async ({ ctx, input }) => {
    const out = await adminCall<Group>(ctx, 'mutation', 'admin.saveGroup', input);
    await pullNow(ctx);
    return out;
  }),
  setGroupMembers: procedure.input(setGroupMembersSchema).mutation(async ({ ctx, input }) => {
    const out = await adminCall<Group>(ctx, 'mutation', 'admin.setGroupMembers', input);
    await pullNow(ctx);
    return out;
  }),
  /** A category's default group (`groupId: null` removes the rule). */
  setAssignmentRule: procedure.input(setAssignmentRuleSchema).mutation(async ({ ctx, input }) => {
    await adminCall<unknown>(ctx, 'mutation', 'admin.setAssignmentRule', input);
    await pullNow(ctx);
    return input;
  }),
  saveCategory: procedure.input(adminCategorySchema).mutation(async ({ ctx, input }) => {
    await adminCall<unknown>(ctx, 'mutation', 'admin.upsertCategory', input);
    await pullNow(ctx);
    return input;
  }),
  /** Calendars, targets, warning share and calendar per level × priority, as one document (refused whole, naming the field). */
  setSlaSettings: procedure.input(z.object({ settings: slaSettingsSchema })).mutation(async ({ ctx, input }) => {
    const out = await adminCall<{ settings: SlaSettings; incidentsUpdated: number }>(ctx, 'mutation', 'admin.setSlaSettings', input);
    await pullNow(ctx);
    return { incidentsUpdated: out.incidentsUpdated };
  }),
  /** The priority matrix (issue 13): applies to incidents recorded or re-classified after it (shared/SLA.md). */
  setPriorityMatrix: procedure.input(z.object({ matrix: priorityMatrixSchema })).mutation(async ({ ctx, input }) => {
    const out = await adminCall<{ incidentsUpdated: number }>(ctx, 'mutation', 'admin.setPriorityMatrix', input);
    await pullNow(ctx);
    return { incidentsUpdated: out.incidentsUpdated };
  }),
  /** Pull now (the screen's refresh). */
  refresh: procedure.mutation(async ({ ctx }) => { await pullNow(ctx); return { ok: true as const }; }),
});
