// Drafts of half-typed forms, kept in IndexedDB so they survive a reload or a renderer crash.
// Only drafts live here: the incident data itself belongs to the desk core.
import Dexie, { type EntityTable } from 'dexie';

export interface Draft<T = unknown> {
  /** e.g. 'new-incident' */
  key: string;
  data: T;
  updatedAt: string;
}

export class DraftDb extends Dexie {
  drafts!: EntityTable<Draft, 'key'>;
  constructor(name = 'relay-desk-drafts') {
    super(name);
    this.version(1).stores({ drafts: 'key, updatedAt' });
  }
}

let db: DraftDb | null = null;
export function draftDb(): DraftDb {
  if (!db) db = new DraftDb();
  return db;
}
/** Tests use their own database. */
export function setDraftDb(next: DraftDb | null) { db = next; }

export async function loadDraft<T>(key: string): Promise<Draft<T> | undefined> {
  return (await draftDb().drafts.get(key)) as Draft<T> | undefined;
}

export async function saveDraft<T>(key: string, data: T, now: Date = new Date()): Promise<void> {
  await draftDb().drafts.put({ key, data, updatedAt: now.toISOString() });
}

export async function deleteDraft(key: string): Promise<void> {
  await draftDb().drafts.delete(key);
}

export const NEW_INCIDENT_DRAFT = 'new-incident';
export const BATCH_GRID_DRAFT = 'batch-grid';
