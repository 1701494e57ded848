export default {
  id: 6,
  name: 'secrets',
  sql: /* sql */ `
-- Secrets (the sync token, the device secret), kept apart from meta: sealed through the OS keychain
-- (Electron safeStorage) when sealed = 1, plain text only where no keychain is available (sealed = 0).
-- See electron/core/secrets.ts; plain sync_token / device_secret meta rows are moved here on open.
CREATE TABLE secrets (
  key TEXT PRIMARY KEY,
  value BLOB NOT NULL,
  sealed INTEGER NOT NULL CHECK (sealed IN (0, 1)),
  updated_at TEXT NOT NULL
);
`,
};
