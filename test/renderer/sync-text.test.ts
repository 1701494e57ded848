import { describe, expect, it } from 'vitest';
import { i18n } from '../../renderer/i18n/index.js';
import { localiseSyncError } from '../../renderer/features/sync/syncText.js';

describe('sync errors in the UI language', () => {
  it('a device the server does not recognise (its secret missing or another desk\'s) is worded, not shown as server text', () => {
    const sent = 'FORBIDDEN: deviceSecret: device 6eb7c4a2-724d-4585-bde9-7fc3e78b8557 is not registered to this desk; call device.register first';
    const zh = localiseSyncError(sent, i18n.getFixedT('zh-CN'));
    const en = localiseSyncError(sent, i18n.getFixedT('en'));
    expect(zh).toMatch(/设备/);
    expect(en).toMatch(/registered device/);
    for (const s of [zh, en]) expect(s).not.toMatch(/deviceSecret|6eb7c4a2/);
    expect(localiseSyncError('deviceSecret: device x is registered to another desk', i18n.getFixedT('en'))).toBe(en);
  });
});
