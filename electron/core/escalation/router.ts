import { askManagementSchema, escalateSchema, vendorEditSchema } from '../../../shared/escalation.js';
import { procedure, router } from '../api/trpc.js';
import { askManagement, editVendor, escalate } from './escalation.js';

/** Escalation (issue 12, item 3): functional (to L3 or a vendor), the vendor's details, and asking management to step in. */
export const escalationRouter = router({
  escalate: procedure.input(escalateSchema).mutation(({ ctx, input }) => escalate(ctx.store, input)),
  editVendor: procedure.input(vendorEditSchema).mutation(({ ctx, input }) => editVendor(ctx.store, input)),
  askManagement: procedure.input(askManagementSchema).mutation(({ ctx, input }) => askManagement(ctx.store, input)),
});
