// desk.setup runs once: on a desk that has a user or has signed in it is refused, naming `name`
// (issue 10, item 8: run again, it made a local admin on a signed-in desk).
import { TRPCError } from '@trpc/server';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDesk } from '../helpers/desk.js';

const opened: Array<{ close(): void }> = [];
afterEach(() => { while (opened.length) opened.pop()!.close(); });
async function fresh() {
  const d = await openTestDesk({ user: false });
  opened.push(d);
  return d;
}
const admin = { name: 'Mallory', role: 'admin' as const, group: 'IT', locale: 'en' as const };

async function refusal(p: Promise<unknown>) {
  try { await p; } catch (e) {
    expect(e).toBeInstanceOf(TRPCError);
    return { code: (e as TRPCError).code, issues: ((e as TRPCError).cause as { issues?: unknown }).issues };
  }
  throw new Error('expected desk.setup to be refused');
}
const alreadySetUp = { code: 'BAD_REQUEST', issues: [{ path: 'name', message: expect.stringMatching(/^already_set_up\b/) }] };

describe('desk.setup', () => {
  it('sets up a fresh desk once; a second run is refused and changes nothing', async () => {
    const { api, desk, count } = await fresh();
    const user = await api.desk.setup({ name: '王芳', role: 'agent', group: '服务台', locale: 'zh-CN' });
    expect(desk.store.currentUser()).toEqual(user);
    expect(await refusal(api.desk.setup(admin))).toEqual(alreadySetUp);
    expect(count('users')).toBe(1);
    expect(desk.store.currentUser()).toEqual(user);
    expect(desk.store.meta('locale')).toBe('zh-CN');
  });

  it('is refused on a desk that has signed in (server users, a server address or a token), even with no current user', async () => {
    {
      const { api, desk, count } = await fresh();
      desk.store.db.prepare("INSERT INTO users (id, name, role, group_name, source, updated_at) VALUES ('u1', 'li', 'agent', 'desk', 'server', '2026-11-22T00:00:00Z')").run();
      expect(await refusal(api.desk.setup(admin))).toEqual(alreadySetUp);
      expect(count('users')).toBe(1);
    }
    {
      const { api, desk, count } = await fresh();
      desk.store.setMeta('sync_server_url', 'https://desk.example.com');
      expect(await refusal(api.desk.setup(admin))).toEqual(alreadySetUp);
      expect(count('users')).toBe(0);
    }
    {
      const { api, desk, count } = await fresh();
      desk.secrets.set('sync_token', 'rdt_live_x');
      expect(await refusal(api.desk.setup(admin))).toEqual(alreadySetUp);
      expect(count('users')).toBe(0);
      expect(desk.store.currentUser()).toBeNull();
    }
  });
});
