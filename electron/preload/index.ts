// Runs sandboxed: only 'electron' may be required, so this file and what it imports get bundled
// into dist/electron/preload.cjs. Exposes exactly one object; the main process re-checks
// everything it receives, this check only gives the renderer an early, readable error.
import { contextBridge, ipcRenderer } from 'electron';
import { TRPC_CHANNEL, checkTrpcRequest, type RelayDeskBridge, type TrpcIpcResponse } from './bridge-types';

const bridge: RelayDeskBridge = {
  platform: 'electron',
  trpc(req) {
    const checked = checkTrpcRequest(req);
    if (typeof checked === 'string') return Promise.reject(new TypeError(`relayDesk.trpc: ${checked}`));
    return ipcRenderer.invoke(TRPC_CHANNEL, checked) as Promise<TrpcIpcResponse>;
  },
};

contextBridge.exposeInMainWorld('relayDesk', bridge);
