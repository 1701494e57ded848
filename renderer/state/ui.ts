import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { Category, Channel, DeskUser, Priority, Status } from '../../shared/index.js';
import type { Locale } from '../i18n/index.js';

export type Scope = 'mine' | 'group' | 'all' | 'unclassified';

export interface QueueFilters {
  scope: Scope;
  statuses: Status[];
  priorities: Priority[];
  categoryId: string | null;
  channel: Channel | null;
}

/** Queue order: `urgency` (the default) is new P1/P2 first, then breached, then the nearer of the response and resolution due times. */
export const QUEUE_SORT_KEYS = ['urgency', 'priority', 'number', 'title', 'requester', 'category', 'status', 'assignee'] as const;
export type QueueSortKey = typeof QUEUE_SORT_KEYS[number];
export interface QueueSort { key: QueueSortKey; dir: 'asc' | 'desc' }

export interface DeskInfo {
  user: DeskUser | null;
  device: { id: string; code: string };
  locale: Locale;
  incidentCount: number;
}

/** A person as `user.list` gives them: `dispatchable` says who a real incident may be given to; sample people only take sample incidents. */
export type CatalogUser = DeskUser & { dispatchable?: boolean; sample?: boolean };

export type View = 'queue' | 'kb' | 'batch' | 'import' | 'settings' | 'reports' | 'cmdb' | 'admin' | 'problems';

export interface Toast { id: number; text: string; tone: 'ok' | 'error' }

/** The "whose work is this?" dialog: opened after a first sign-in or from the status bar. */
export interface AttributeRequest {
  /** Sample (DEMO-…) incidents on this desk when known (from sign-in); 0 hides the offer to remove them. */
  sample: number;
}

interface UiState {
  desk: DeskInfo | null;
  categories: Category[];
  users: CatalogUser[];
  filters: QueueFilters;
  sort: QueueSort;
  selectedId: string | null;
  /** Bumped to put the keyboard focus in the queue list (Alt+1, Esc from the detail). */
  queueFocus: number;
  /** The shortcut sheet (? and F1). */
  shortcutsOpen: boolean;
  formOpen: boolean;
  /** Bumped after any write so lists and details reload. */
  revision: number;
  toasts: Toast[];
  /** Which main screen is shown (the status bar and top bar are on every one). */
  view: View;
  /** A knowledge-base article shown over whatever is open (the new-incident form keeps its state). */
  kbArticleId: string | null;
  signInOpen: boolean;
  attribute: AttributeRequest | null;
  /**
   * Names of people this console has seen (id → name), kept across sign-in so a reference to a person
   * the server does not know (a sample or local person) still shows a name, never an id. Display only:
   * dispatch lists use `users`.
   */
  knownNames: Record<string, string>;
  openAttribute(req: AttributeRequest | null): void;
  setView(view: View): void;
  openKbArticle(id: string | null): void;
  openSignIn(open: boolean): void;
  setDesk(desk: DeskInfo | null): void;
  setCatalog(categories: Category[], users: CatalogUser[]): void;
  setFilters(patch: Partial<QueueFilters>): void;
  setSort(sort: QueueSort): void;
  focusQueue(): void;
  openShortcuts(open: boolean): void;
  select(id: string | null): void;
  openForm(open: boolean): void;
  bump(): void;
  toast(text: string, tone?: Toast['tone']): void;
  dismiss(id: number): void;
}

let toastSeq = 0;

const NAMES_KEY = 'relay-desk.knownNames';
function loadNames(): Record<string, string> {
  try { return JSON.parse(localStorage.getItem(NAMES_KEY) ?? '{}') as Record<string, string>; } catch { return {}; }
}
function saveNames(names: Record<string, string>) {
  try { localStorage.setItem(NAMES_KEY, JSON.stringify(names)); } catch { /* display cache only */ }
}

export const DEFAULT_SORT: QueueSort = { key: 'urgency', dir: 'asc' };
const DEFAULT_FILTERS: QueueFilters = { scope: 'all', statuses: [], priorities: [], categoryId: null, channel: null };

// Scope, filters and sort survive a reload (the agent's way of working, not data): kept in localStorage.
export const useUi = create<UiState>()(persist((set) => ({
  desk: null,
  categories: [],
  users: [],
  filters: DEFAULT_FILTERS,
  sort: DEFAULT_SORT,
  selectedId: null,
  queueFocus: 0,
  shortcutsOpen: false,
  formOpen: false,
  revision: 0,
  toasts: [],
  view: 'queue',
  kbArticleId: null,
  signInOpen: false,
  attribute: null,
  knownNames: loadNames(),
  openAttribute: (attribute) => set({ attribute }),
  setView: (view) => set({ view }),
  openKbArticle: (kbArticleId) => set({ kbArticleId }),
  openSignIn: (signInOpen) => set({ signInOpen }),
  setDesk: (desk) => set({ desk }),
  setCatalog: (categories, users) => set((s) => {
    const knownNames = { ...s.knownNames };
    for (const u of users) knownNames[u.id] = u.name;
    saveNames(knownNames);
    return { categories, users, knownNames };
  }),
  setFilters: (patch) => set((s) => ({ filters: { ...s.filters, ...patch } })),
  setSort: (sort) => set({ sort }),
  focusQueue: () => set((s) => ({ queueFocus: s.queueFocus + 1 })),
  openShortcuts: (shortcutsOpen) => set({ shortcutsOpen }),
  select: (selectedId) => set({ selectedId }),
  openForm: (formOpen) => set({ formOpen }),
  bump: () => set((s) => ({ revision: s.revision + 1 })),
  toast: (text, tone = 'ok') => {
    const id = ++toastSeq;
    set((s) => ({ toasts: [...s.toasts, { id, text, tone }] }));
    setTimeout(() => set((s) => ({ toasts: s.toasts.filter((x) => x.id !== id) })), 6000);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((x) => x.id !== id) })),
}), {
  name: 'relay-desk.queue',
  version: 1,
  partialize: (s) => ({ filters: s.filters, sort: s.sort }),
  // A stored value from an older build, or edited by hand, never breaks the queue.
  merge: (stored, current) => {
    const p = (stored ?? {}) as Partial<Pick<UiState, 'filters' | 'sort'>>;
    const sort = p.sort && QUEUE_SORT_KEYS.includes(p.sort.key) && (p.sort.dir === 'asc' || p.sort.dir === 'desc') ? p.sort : DEFAULT_SORT;
    const scope = p.filters && ['mine', 'group', 'all', 'unclassified'].includes(p.filters.scope) ? p.filters.scope : 'all';
    return { ...current, filters: { ...DEFAULT_FILTERS, ...(p.filters ?? {}), scope }, sort };
  },
}));
