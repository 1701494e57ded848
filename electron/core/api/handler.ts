import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Desk } from '../desk.js';
import { appRouter } from './router.js';

/** One router, two transports: Electron IPC and local HTTP both hand a fetch Request to this. */
export function handleTrpc(desk: Desk, req: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/trpc',
    req,
    router: appRouter,
    createContext: () => ({ store: desk.store, sync: desk.sync }),
  });
}
