import { applyPulledNotice, forgetNoticeCopy, noticeNotMine } from '../notifications/notices.js';
import type { NoticeData } from '../../../shared/notices.js';
import {
  MAX_PUSH_BYTES, type DeskUser, type FieldRefusal, type Mutation, type MutationName, type PullOutput, type PushOutput,
} from '../../../shared/index.js';
import type { DeskStore } from '../store/desk-store.js';
import { DeskInputError } from '../store/errors.js';
import { countSample } from '../store/sample.js';
import { SECRET_KEYS, SecretStore } from '../secrets.js';
import { applyPage, restoreIncident, retrySetAside } from './apply.js';
import { CentralError, type CentralClient } from './central-client.js';
import { checkVerifier, makeVerifier } from './offline-login.js';
import { requireServerUrl } from './server-url.js';

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
  /** Pulled rows that could not be applied here, kept aside and retried (see apply.ts). */
  setAside: number;
  /** Changes recorded under a local (pre-sign-in) name whose author the user has not chosen yet. */
  localWork: number;
}

/** Changes recorded on this desk under a local name before it signed in, not yet attributed. */
export interface LocalWork { localUserId: string; name: string; changes: number; choice: 'local' | null }
export interface SignInResult { user: DeskUser; localWork: LocalWork[]; sample: { incidents: number } }

/** One refused change, or one applied without some fields, as the desk lists it. */
export interface RefusalRow {
  id: string; seq: number | null; name: string; status: 'rejected' | 'partial'; code: string | null; params: Record<string, string | number>;
  reason: string; at: string; args: string; incidentId: string | null; incidentNumber: string | null; incidentTitle: string | null; leftOut: FieldRefusal[];
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
  /** Where the sync token and device secret live (sealed by the OS keychain in Electron). */
  secrets?: SecretStore;
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
  private readonly secrets: SecretStore;

  constructor(private readonly store: DeskStore, private readonly opts: EngineOptions) {
    this.secrets = opts.secrets ?? new SecretStore(store.db);
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
      signedIn: !!this.secrets.get(SECRET_KEYS.syncToken),
      serverUrl: this.store.meta('sync_server_url'),
      pending,
      waitingForOtherUser: pending - mine,
      lastSyncAt: this.store.meta('last_sync_at'),
      lastError: this.store.meta('last_sync_error'),
      progress: this.progress,
      rejections: db.prepare('SELECT count(*) FROM sync_rejections WHERE seen_at IS NULL').pluck().get() as number,
      setAside: db.prepare('SELECT count(*) FROM sync_setaside').pluck().get() as number,
      localWork: this.localWork().reduce((n, w) => n + w.changes, 0),
    };
  }

  /**
   * Changes the server refused, or applied without some fields, newest first: with the incident's
   * number and title, codes and parameters (the renderer words them), what was left out.
   */
  rejections(): RefusalRow[] {
    const rows = this.store.db.prepare(`SELECT r.id, r.seq, r.name, r.status, r.code, r.params, r.dropped, r.reason, r.at, r.args,
        coalesce(r.incident_id, json_extract(r.args, '$.incident.id'), json_extract(r.args, '$.id'), json_extract(r.args, '$.workLog.incidentId')) AS incidentId
      FROM sync_rejections r ORDER BY r.at DESC LIMIT 200`).all() as Array<Record<string, string | number | null>>;
    const inc = this.store.db.prepare('SELECT number, title FROM incidents WHERE id = ?');
    return rows.map((r) => {
      const args = safeJson<Record<string, { number?: string; title?: string }>>(r.args as string) ?? {};
      const held = r.incidentId ? inc.get(r.incidentId) as { number: string; title: string } | undefined : undefined;
      return {
        id: r.id as string, seq: r.seq as number | null, name: r.name as string, status: (r.status as 'rejected' | 'partial') ?? 'rejected',
        code: (r.code as string | null) ?? null, params: safeJson(r.params as string | null) ?? {}, reason: r.reason as string, at: r.at as string, args: r.args as string,
        incidentId: (r.incidentId as string | null) ?? null,
        incidentNumber: held?.number ?? args.incident?.number ?? null, incidentTitle: held?.title ?? args.incident?.title ?? null,
        leftOut: safeJson<FieldRefusal[]>(r.dropped as string | null) ?? [],
      };
    });
  }

  /** The user has seen the list of refused changes: the badge count starts again from zero. */
  markRejectionsSeen(): void {
    this.store.db.prepare('UPDATE sync_rejections SET seen_at = ? WHERE seen_at IS NULL').run(new Date().toISOString());
  }

  /**
   * Signs in against the central server. The account becomes this desk's user; the desk is
   * registered once (keeping its own number prefix if the server has no other desk with it) and
   * keeps the device secret it was given; a verifier is kept so the same user can sign in here while
   * offline. Work recorded here under a local name before is NOT re-attributed: the result lists it,
   * and the user chooses whose it is (`attributeLocalWork`).
   */
  async signIn(input: { serverUrl: string; name: string; password: string }): Promise<SignInResult> {
    const serverUrl = requireServerUrl(this.store, input.serverUrl);
    const client = this.opts.clientFor(serverUrl);
    const res = await client.login({ name: input.name, password: input.password });
    const held = this.secrets.get(SECRET_KEYS.deviceSecret);
    const reg = await client.register(res.token, { deviceId: this.store.deviceId, code: this.store.deviceCode, ...(held ? { deviceSecret: held } : {}) });
    const db = this.store.db;
    const verifier = makeVerifier(input.password);
    db.transaction(() => {
      db.prepare(`INSERT INTO users (id, name, role, group_name, active, source, updated_at) VALUES (?, ?, ?, ?, 1, 'server', ?)
        ON CONFLICT(id) DO UPDATE SET name = excluded.name, role = excluded.role, group_name = excluded.group_name, source = 'server'`)
        .run(res.user.id, res.user.name, res.user.role, res.user.groupName, new Date().toISOString());
      this.store.setMeta('current_user_id', res.user.id);
      this.store.setMeta('sync_server_url', serverUrl);
      this.secrets.set(SECRET_KEYS.syncToken, res.token);
      if (reg.deviceSecret) this.secrets.set(SECRET_KEYS.deviceSecret, reg.deviceSecret);
      this.store.setMeta(`offline_login:${res.user.name.toLowerCase()}`, JSON.stringify({ userId: res.user.id, verifier }));
      if (reg.code !== this.store.deviceCode) {
        this.store.setMeta('device_code', reg.code);
        this.store.deviceCode = reg.code;
      }
    })();
    this.client = client;
    this.online = true;
    this.failures = 0;
    // This user's notices, also those that came while someone else was signed in here (the change feed
    // carries each to the devices its recipient used then): the bell is theirs on whichever desk they use.
    try {
      const mine = await client.admin<NoticeData[]>('query', 'notice.mine', { limit: 500 }, res.token);
      db.transaction(() => { for (const d of mine) if (d.recipientId === res.user.id) applyPulledNotice(this.store, d); })();
    } catch {
      // an older server without notice.mine, or the network: new notices still come with the next pull
    }
    return { user: res.user, localWork: this.localWork(), sample: { incidents: countSample(this.store) } };
  }

  /** Local (pre-sign-in) identities with changes not yet sent, and what the user chose for them so far. */
  localWork(): LocalWork[] {
    return this.store.db.prepare(`SELECT u.id AS localUserId, u.name, count(o.seq) AS changes, c.choice
      FROM users u JOIN outbox o ON o.user_id = u.id AND o.sent_at IS NULL LEFT JOIN identity_choices c ON c.local_user_id = u.id
      WHERE u.source = 'local' GROUP BY u.id ORDER BY u.name`).all() as LocalWork[];
  }

  /**
   * The user says whose the changes recorded under a local name are: theirs (the account signed in),
   * another account's (they wait until that account signs in here), or kept as recorded locally
   * (not sent until decided). The local name stays in the audit trail beside the account.
   */
  attributeLocalWork(input: { localUserId: string; to: 'me' | 'account' | 'local'; accountId?: string | null }): LocalWork[] {
    const db = this.store.db;
    const local = db.prepare("SELECT id, name FROM users WHERE id = ? AND source = 'local'").get(input.localUserId) as { id: string; name: string } | undefined;
    if (!local) throw new DeskInputError([{ path: 'localUserId', message: 'not_local_identity' }]);
    const me = this.store.currentUser();
    const at = new Date().toISOString();
    if (input.to === 'local') {
      db.prepare(`INSERT INTO identity_choices (local_user_id, local_name, choice, account_id, at) VALUES (?, ?, 'local', NULL, ?)
        ON CONFLICT(local_user_id) DO UPDATE SET choice = 'local', account_id = NULL, at = excluded.at`).run(local.id, local.name, at);
      return this.localWork();
    }
    const target = input.to === 'me' ? me?.id : input.accountId;
    const account = target ? db.prepare("SELECT id FROM users WHERE id = ? AND source = 'server' AND active = 1").get(target) : undefined;
    if (!account || !this.secrets.get(SECRET_KEYS.syncToken)) throw new DeskInputError([{ path: input.to === 'me' ? 'to' : 'accountId', message: 'unknown_account' }]);
    db.transaction(() => {
      this.store.adoptIdentity(local.id, target!, local.name);
      db.prepare(`INSERT INTO identity_choices (local_user_id, local_name, choice, account_id, at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(local_user_id) DO UPDATE SET choice = excluded.choice, account_id = excluded.account_id, at = excluded.at`).run(local.id, local.name, input.to, target, at);
    })();
    return this.localWork();
  }

  /** A user who signed in online on this desk before can sign in while the server is unreachable. */
  signInOffline(input: { name: string; password: string }): DeskUser {
    const raw = this.store.meta(`offline_login:${input.name.trim().toLowerCase()}`);
    const rec = raw ? (JSON.parse(raw) as { userId: string; verifier: string }) : null;
    if (!rec || !checkVerifier(input.password, rec.verifier)) throw new DeskInputError([{ path: 'password', message: 'wrong user name or password (offline sign-in works for users who signed in on this desk before)' }]);
    this.store.setMeta('current_user_id', rec.userId);
    return this.store.currentUser()!;
  }

  /** The client and token of the signed-in session (administration calls through to the server); null when not signed in. */
  session(): { client: CentralClient; token: string } | null {
    const token = this.secrets.get(SECRET_KEYS.syncToken);
    return this.client && token ? { client: this.client, token } : null;
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
    const token = this.secrets.get(SECRET_KEYS.syncToken);
    if (!this.client || !token) return;
    try {
      // A desk signed in before device secrets existed gets its secret by registering again (the server
      // gives one to a device without a secret when its own account asks).
      const deviceSecret = this.secrets.get(SECRET_KEYS.deviceSecret) ?? await this.claimDeviceSecret(this.client, token);
      await this.push(this.client, token, deviceSecret);
      await this.pull(this.client, token, deviceSecret);
      this.online = true;
      this.failures = 0;
      this.store.setMeta('last_sync_at', new Date().toISOString());
      this.store.db.prepare("DELETE FROM meta WHERE key = 'last_sync_error'").run();
    } catch (err) {
      this.online = !(err instanceof CentralError) ? false : this.online;
      this.failures++;
      if (err instanceof CentralError && err.code === 'UNAUTHORIZED') this.secrets.delete(SECRET_KEYS.syncToken);
      this.store.setMeta('last_sync_error', describe(err));
      throw err;
    } finally {
      this.progress = null;
    }
  }

  private async claimDeviceSecret(client: CentralClient, token: string): Promise<string> {
    const reg = await client.register(token, { deviceId: this.store.deviceId, code: this.store.deviceCode });
    this.secrets.set(SECRET_KEYS.deviceSecret, reg.deviceSecret);
    return reg.deviceSecret;
  }

  private async push(client: CentralClient, token: string, deviceSecret: string): Promise<void> {
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
      let mine = cut === -1 ? rows : rows.slice(0, cut);
      // A batch fits under the server's body limit: sized by bytes (no single change is larger than
      // MAX_MUTATION_BYTES, refused when it was written), the rest goes in the next batch.
      let bytes = 1024;
      const fit = mine.findIndex((r) => (bytes += Buffer.byteLength(r.args) + r.hlc.length + 200) > MAX_PUSH_BYTES);
      if (fit > 0) mine = mine.slice(0, fit);
      if (!mine.length) return null;
      const mutations: Mutation[] = mine.map((r) => ({ deviceId: this.store.deviceId, seq: r.seq, name: r.name, version: 1, hlc: r.hlc, userId: r.userId, args: JSON.parse(r.args) }));
      const reply = client.push(token, { deviceId: this.store.deviceId, deviceSecret, mutations, clientTime: this.store.now().toISOString() });
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
        const rej = db.prepare(`INSERT OR IGNORE INTO sync_rejections (id, seq, name, reason, at, args, status, code, params, dropped, incident_id)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
        for (const sent of res.results) {
          // A change sent again after its answer was lost: act on what it came to the first time.
          const r = sent.status === 'duplicate' && sent.first ? { ...sent, ...sent.first } : sent;
          const m = mutations.find((x) => x.seq === r.seq);
          // Someone else made the same transition first: the server changed nothing, so neither does this desk.
          if (r.status === 'applied' && (r.code === 'noop' || r.reason?.startsWith('no-op'))) {
            if (m) this.undoRejected(m);
            continue;
          }
          const partial = r.status === 'applied' && !!r.dropped?.length;
          if (r.status !== 'rejected' && !partial) continue;
          // A notice the server says is not this user's: the desk's list of recipients was a guess.
          if (m && noticeNotMine(m.name, r.code)) {
            const user = this.store.currentUser();
            if (user) forgetNoticeCopy(this.store, String((m.args as { id?: unknown }).id ?? ''), user.id);
            continue;
          }
          const a = (m?.args ?? {}) as { id?: string; incident?: { id?: string }; workLog?: { incidentId?: string } };
          rej.run(`${this.store.deviceId}:${r.seq}`, r.seq, m?.name ?? 'unknown', r.reason ?? (partial ? 'applied without some fields' : 'rejected'), at,
            JSON.stringify(m?.args ?? {}), partial ? 'partial' : 'rejected', r.code ?? null, r.params ? JSON.stringify(r.params) : null,
            r.dropped?.length ? JSON.stringify(r.dropped) : null, a.id ?? a.incident?.id ?? a.workLog?.incidentId ?? null);
          // A field left out is shown, not undone: the server's snapshot (pulled next) says what stands.
          if (!partial && m) this.undoRejected(m);
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
    // Back to the server's version only when no later change of this desk's is about the incident: a
    // later one the server applied (say a close after a refused hold, sent in the same push) stands on
    // the server, and the older snapshot kept here would show the incident as it was before it (a
    // step taken from that stale status before the next pull was refused: soak seeds 3306, 3320).
    // A later unsent change is replayed on the server's version by the next pull.
    const later = args.id ? this.store.db.prepare(`SELECT 1 FROM outbox WHERE seq > ? AND name IN ('incident.update', 'incident.transition')
      AND json_extract(args, '$.id') = ? LIMIT 1`).get(m.seq, args.id) : undefined;
    if (args.id && !later) restoreIncident(this.store, args.id);
  }

  private async pull(client: CentralClient, token: string, deviceSecret: string): Promise<void> {
    const limit = this.opts.pullPage ?? PULL_PAGE;
    const fetchPage = (cursor: number, count: boolean) => client.pull(token, { deviceId: this.store.deviceId, deviceSecret, cursor, limit, count });
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
      // Rows set aside earlier may apply now (the parent category, or this desk's renumbered incident, arrived).
      retrySetAside(this.store);
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

function safeJson<T>(text: string | null | undefined): T | null {
  if (!text) return null;
  try { return JSON.parse(text) as T; } catch { return null; }
}
