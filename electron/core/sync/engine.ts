import type { DeskUser, Mutation, MutationName, PullOutput, PushOutput } from '../../../shared/index.js';
import type { DeskStore } from '../store/desk-store.js';
import { DeskInputError } from '../store/errors.js';
import { applyPage, restoreIncident } from './apply.js';
import { CentralError, type CentralClient } from './central-client.js';
import { checkVerifier, makeVerifier } from './offline-login.js';

export interface SyncProgress { phase: 'push' | 'pull'; done: number; total: number }
export interface SyncStatus {
  online: boolean;
  signedIn: boolean;
  serverUrl: string | null;
  pending: number;
  /** Changes waiting for another user of this desk to sign in (a device pushes only as its signed-in user). */
  waitingForOtherUser: number;
  lastSyncAt: string | null;
  lastError: string | null;
  progress: SyncProgress | null;
  rejections: number;
}

export interface EngineOptions {
  /** Builds the client for a server URL (tests wrap it with faults). */
  clientFor: (serverUrl: string) => CentralClient;
  pushBatch?: number;
  pullPage?: number;
  /** Background interval while online, and the backoff bounds while the server is unreachable. */
  intervalMs?: number;
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** Test hook: called before each change of a pulled page is applied (a throw aborts the page, as a crash would). */
  beforeApply?: (index: number) => void;
}

const PUSH_BATCH = 500;
const PULL_PAGE = 5000;

/** A push batch sent and not yet answered. */
interface InFlight { mutations: Mutation[]; last: number; reply: Promise<PushOutput> }

/**
 * Keeps the desk's store in step with the central server: pushes the outbox in order, pulls what
 * changed since the cursor in pages, backs off while the server is unreachable. Every step commits
 * in SQLite before it is considered done, so killing the desk at any point loses nothing: an
 * unacknowledged push is sent again (the server skips what it already has) and a half-applied page
 * is applied again.
 */
export class SyncEngine {
  private online = false;
  private progress: SyncProgress | null = null;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = true;
  private client: CentralClient | null = null;

  constructor(private readonly store: DeskStore, private readonly opts: EngineOptions) {
    store.isOnline = () => this.online;
    const url = store.meta('sync_server_url');
    if (url) this.client = opts.clientFor(url);
  }

  status(): SyncStatus {
    const db = this.store.db;
    const user = this.store.currentUser();
    const pending = db.prepare('SELECT count(*) FROM outbox WHERE sent_at IS NULL').pluck().get() as number;
    const mine = user ? db.prepare('SELECT count(*) FROM outbox WHERE sent_at IS NULL AND user_id = ?').pluck().get(user.id) as number : pending;
    return {
      online: this.online,
      signedIn: !!this.store.meta('sync_token'),
      serverUrl: this.store.meta('sync_server_url'),
      pending,
      waitingForOtherUser: pending - mine,
      lastSyncAt: this.store.meta('last_sync_at'),
      lastError: this.store.meta('last_sync_error'),
      progress: this.progress,
      rejections: db.prepare('SELECT count(*) FROM sync_rejections WHERE seen_at IS NULL').pluck().get() as number,
    };
  }

  /** Changes the server refused, newest first, with its reason (they reach the user who made them). */
  rejections(): Array<{ id: string; seq: number | null; name: string; reason: string; at: string; args: string }> {
    return this.store.db.prepare('SELECT id, seq, name, reason, at, args FROM sync_rejections ORDER BY at DESC LIMIT 200').all() as ReturnType<SyncEngine['rejections']>;
  }

  /** The user has seen the list of refused changes: the badge count starts again from zero. */
  markRejectionsSeen(): void {
    this.store.db.prepare('UPDATE sync_rejections SET seen_at = ? WHERE seen_at IS NULL').run(new Date().toISOString());
  }

  /**
   * Signs in against the central server. The user becomes this desk's user (with the server's id),
   * work recorded on this desk before any account existed is attributed to them, the desk is
   * registered once (keeping its own number prefix if the server has no other desk with it), and a
   * verifier is kept so the same user can sign in here while offline.
   */
  async signIn(input: { serverUrl: string; name: string; password: string }): Promise<DeskUser> {
    const client = this.opts.clientFor(input.serverUrl);
    const res = await client.login({ name: input.name, password: input.password });
    const reg = await client.register(res.token, { deviceId: this.store.deviceId, code: this.store.deviceCode });
    const db = this.store.db;
    const verifier = makeVerifier(input.password);
    db.transaction(() => {
      const previous = this.store.currentUser();
      db.prepare(`INSERT INTO users (id, name, role, group_name, active, source, updated_at) VALUES (?, ?, ?, ?, 1, 'server', ?)
        ON CONFLICT(id) DO UPDATE SET name = excluded.name, role = excluded.role, group_name = excluded.group_name, source = 'server'`)
        .run(res.user.id, res.user.name, res.user.role, res.user.groupName, new Date().toISOString());
      const local = previous && (db.prepare('SELECT source FROM users WHERE id = ?').pluck().get(previous.id) === 'local');
      // The person at the desk before accounts existed is the one signing in now.
      if (local) this.store.adoptIdentity(previous.id, res.user.id);
      this.store.setMeta('current_user_id', res.user.id);
      this.store.setMeta('sync_server_url', input.serverUrl);
      this.store.setMeta('sync_token', res.token);
      this.store.setMeta(`offline_login:${res.user.name.toLowerCase()}`, JSON.stringify({ userId: res.user.id, verifier }));
      if (reg.code !== this.store.deviceCode) {
        this.store.setMeta('device_code', reg.code);
        this.store.deviceCode = reg.code;
      }
    })();
    this.client = client;
    this.online = true;
    this.failures = 0;
    return res.user;
  }

  /** A user who signed in online on this desk before can sign in while the server is unreachable. */
  signInOffline(input: { name: string; password: string }): DeskUser {
    const raw = this.store.meta(`offline_login:${input.name.trim().toLowerCase()}`);
    const rec = raw ? (JSON.parse(raw) as { userId: string; verifier: string }) : null;
    if (!rec || !checkVerifier(input.password, rec.verifier)) throw new DeskInputError([{ path: 'password', message: 'wrong user name or password (offline sign-in works for users who signed in on this desk before)' }]);
    this.store.setMeta('current_user_id', rec.userId);
    return this.store.currentUser()!;
  }

  /** One full round: push everything this user has, then pull until up to date. */
  syncNow(): Promise<void> {
    // Rounds run one after another: a call made while a round is in flight gets a round of its own,
    // which sees the changes made after that round started.
    const next = (this.running ?? Promise.resolve()).catch(() => undefined).then(() => this.round());
    this.running = next;
    void next.catch(() => undefined).finally(() => { if (this.running === next) this.running = null; });
    return next;
  }

  private async round(): Promise<void> {
    const token = this.store.meta('sync_token');
    if (!this.client || !token) return;
    try {
      await this.push(this.client, token);
      await this.pull(this.client, token);
      this.online = true;
      this.failures = 0;
      this.store.setMeta('last_sync_at', new Date().toISOString());
      this.store.db.prepare("DELETE FROM meta WHERE key = 'last_sync_error'").run();
    } catch (err) {
      this.online = !(err instanceof CentralError) ? false : this.online;
      this.failures++;
      if (err instanceof CentralError && err.code === 'UNAUTHORIZED') this.store.db.prepare("DELETE FROM meta WHERE key = 'sync_token'").run();
      this.store.setMeta('last_sync_error', describe(err));
      throw err;
    } finally {
      this.progress = null;
    }
  }

  private async push(client: CentralClient, token: string): Promise<void> {
    const db = this.store.db;
    const user = this.store.currentUser();
    if (!user) return;
    const total = db.prepare('SELECT count(*) FROM outbox WHERE sent_at IS NULL').pluck().get() as number;
    let done = 0;
    const batch = this.opts.pushBatch ?? PUSH_BATCH;
    const next = db.prepare('SELECT seq, name, version, hlc, user_id AS userId, args FROM outbox WHERE sent_at IS NULL AND seq > ? ORDER BY seq LIMIT ?');
    /** Sends the next batch after seq `after`; null when nothing of this user's is left to send. */
    const send = (after: number): InFlight | null => {
      const rows = next.all(after, batch) as Array<{ seq: number; name: MutationName; version: 1; hlc: string; userId: string; args: string }>;
      // Sequence numbers must reach the server without gaps, so another user's change stops the batch there.
      const cut = rows.findIndex((r) => r.userId !== user.id);
      const mine = cut === -1 ? rows : rows.slice(0, cut);
      if (!mine.length) return null;
      const mutations: Mutation[] = mine.map((r) => ({ deviceId: this.store.deviceId, seq: r.seq, name: r.name, version: 1, hlc: r.hlc, userId: r.userId, args: JSON.parse(r.args) }));
      const reply = client.push(token, { deviceId: this.store.deviceId, mutations, clientTime: this.store.now().toISOString() });
      reply.catch(() => undefined); // a failure surfaces when awaited, not as an unhandled rejection
      return { mutations, last: mine[mine.length - 1].seq, reply };
    };
    /** The highest seq the server acknowledged in this round. */
    let acked = 0;
    let current = send(0);
    for (let guard = 0; current && guard < 100_000; guard++) {
      this.progress = { phase: 'push', done, total };
      // Two batches in flight: the next one travels and is read by the server while this one
      // commits there. The server applies a device's batches in seq order; if the next one still
      // overtakes this one, it is refused as a gap and sent again below, so nothing is lost or doubled.
      const following = send(current.last);
      let res: PushOutput;
      try {
        res = await current.reply;
      } catch (err) {
        await following?.reply.catch(() => undefined);
        if (err instanceof CentralError && err.code === 'PRECONDITION_FAILED' && typeof err.data.ackedThrough === 'number') {
          // The server holds less than this desk thought it had sent: send again from where it stands
          // (or from what it acknowledged in this round, if the refused batch overtook an earlier one).
          db.prepare('UPDATE outbox SET sent_at = NULL WHERE seq > ?').run(Math.max(err.data.ackedThrough, acked));
          current = send(0);
          continue;
        }
        throw err;
      }
      const { mutations, last } = current;
      const at = new Date().toISOString();
      db.transaction(() => {
        // Only this batch's rows: the server may hold later ones already (a pipelined batch whose answer
        // was lost), and those are settled by their own answer, resent if need be, not marked sent here.
        db.prepare('UPDATE outbox SET sent_at = ? WHERE sent_at IS NULL AND seq >= ? AND seq <= ?').run(at, mutations[0].seq, Math.min(res.ackedThrough, last));
        const rej = db.prepare('INSERT OR IGNORE INTO sync_rejections (id, seq, name, reason, at, args) VALUES (?, ?, ?, ?, ?, ?)');
        for (const sent of res.results) {
          // A change sent again after its answer was lost: act on what it came to the first time.
          const r = sent.status === 'duplicate' && sent.first ? { ...sent, ...sent.first } : sent;
          // Someone else made the same transition first: the server changed nothing, so neither does this desk.
          if (r.status === 'applied' && r.reason?.startsWith('no-op')) {
            const m = mutations.find((x) => x.seq === r.seq);
            if (m) this.undoRejected(m);
            continue;
          }
          if (r.status !== 'rejected') continue;
          const m = mutations.find((x) => x.seq === r.seq);
          rej.run(`${this.store.deviceId}:${r.seq}`, r.seq, m?.name ?? 'unknown', r.reason ?? 'rejected', at, JSON.stringify(m?.args ?? {}));
          if (m) this.undoRejected(m);
        }
        if (res.serverHlc) this.store.receiveHlc(res.serverHlc);
      })();
      acked = Math.max(acked, res.ackedThrough);
      done += mutations.length;
      if (res.ackedThrough < last) {
        await following?.reply.catch(() => undefined);
        throw new Error(`server acknowledged up to ${res.ackedThrough} of ${last}`);
      }
      // Changes recorded meanwhile, or after another user's, are picked up by the next send.
      current = following ?? send(last);
    }
  }

  /**
   * A change the server refused (a transition that met another status, say) did not happen: its
   * history rows go, the incident returns to the server's version, and a work-log entry that rode
   * along is sent on its own, so what the technician wrote is never lost. The refusal itself stays
   * visible in sync_rejections and, for transitions, as the server's conflict record.
   */
  private undoRejected(m: Mutation): void {
    const args = m.args as { id?: string; history?: Array<{ id: string }>; workLog?: { id: string; incidentId: string } };
    if (m.name !== 'incident.update' && m.name !== 'incident.transition') return;
    const del = this.store.db.prepare('DELETE FROM history WHERE id = ?');
    for (const h of args.history ?? []) del.run(h.id);
    if (args.workLog) this.store.requeue('worklog.add', { workLog: args.workLog }, m.userId);
    if (args.id) restoreIncident(this.store, args.id);
  }

  private async pull(client: CentralClient, token: string): Promise<void> {
    const limit = this.opts.pullPage ?? PULL_PAGE;
    const fetchPage = (cursor: number, count: boolean) => client.pull(token, { deviceId: this.store.deviceId, cursor, limit, count });
    let done = 0;
    let total = 0;
    // The first page is counted (the progress bar's total); later pages are not.
    let next: Promise<PullOutput> | null = fetchPage(Number(this.store.meta('sync_cursor') ?? '0'), true);
    while (next) {
      const page: PullOutput = await next;
      // The next page is requested before this one is applied, so the server prepares it while the
      // desk writes (a first sync overlaps the two instead of waiting on each in turn). Pages are still
      // applied in order, each with its cursor in its own transaction; a prefetched page that is never
      // applied (the desk stops or a page fails) is simply requested again next round.
      next = page.hasMore ? fetchPage(page.cursor, false) : null;
      next?.catch(() => undefined); // a failure surfaces when awaited, not as an unhandled rejection
      applyPage(this.store, page.changes, page.cursor, this.opts.beforeApply);
      if (page.serverHlc) this.store.receiveHlc(page.serverHlc);
      if (page.remaining !== undefined) total = done + page.remaining;
      done += page.changes.length;
      this.progress = { phase: 'pull', done, total: Math.max(total, done) };
    }
  }

  /** Background sync: every interval while online, with exponential backoff while unreachable. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = async () => {
      if (this.stopped) return;
      try { await this.syncNow(); } catch { /* recorded in status */ }
      if (this.stopped) return;
      const min = this.opts.backoffMinMs ?? 2_000;
      const delay = this.failures === 0 ? (this.opts.intervalMs ?? 15_000) : Math.min(this.opts.backoffMaxMs ?? 120_000, min * 2 ** Math.min(this.failures - 1, 10));
      this.timer = setTimeout(loop, delay);
      this.timer.unref?.();
    };
    void loop();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}

function describe(err: unknown): string {
  if (err instanceof CentralError) return `${err.code}: ${err.message}`;
  const e = err as Error & { cause?: { code?: string } };
  return e?.cause?.code ? `server unreachable (${e.cause.code})` : e?.name === 'TimeoutError' ? 'server did not answer in time' : String(e?.message ?? err);
}
