// Runs sandboxed: only 'electron' may be required, so this file and what it imports get bundled
// into dist/electron/preload.cjs. Exposes exactly one object (the API call and saving a finished export); the main process re-checks
// everything it receives, this check only gives the renderer an early, readable error.
import { contextBridge, ipcRenderer } from 'electron';
import { NOTIFY_CHANNEL, SAVE_EXPORT_CHANNEL, TRPC_CHANNEL, checkNotifyRequest, checkTrpcRequest, type RelayDeskBridge, type SaveExportAnswer, type TrpcIpcResponse } from './bridge-types';

const bridge: RelayDeskBridge = {
  platform: 'electron',
  trpc(req) {
    const checked = checkTrpcRequest(req);
    if (typeof checked === 'string') return Promise.reject(new TypeError(`relayDesk.trpc: ${checked}`));
    return ipcRenderer.invoke(TRPC_CHANNEL, checked) as Promise<TrpcIpcResponse>;
  },
  saveExport(jobId) {
    if (typeof jobId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(jobId)) return Promise.reject(new TypeError('relayDesk.saveExport: jobId must be a short id'));
    return ipcRenderer.invoke(SAVE_EXPORT_CHANNEL, { jobId }) as Promise<SaveExportAnswer>;
  },
  notify(n) {
    const checked = checkNotifyRequest(n);
    if (typeof checked === 'string') return Promise.reject(new TypeError(`relayDesk.notify: ${checked}`));
    return ipcRenderer.invoke(NOTIFY_CHANNEL, checked) as Promise<{ shown: boolean }>;
  },
};

contextBridge.exposeInMainWorld('relayDesk', bridge);
