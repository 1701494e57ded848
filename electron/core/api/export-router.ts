import { TRPCError } from '@trpc/server';
import { router } from './trpc.js';

/** Report exports (issue 11): CSV, XLSX, PDF written on the desk, with progress and cancel. */
export const exportRouter = router({});
void TRPCError;
