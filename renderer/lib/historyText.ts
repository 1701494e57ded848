import type { TFunction } from 'i18next';
import { LEVELS, MAJOR_REASONS, SERVICE_LEVELS, type HistoryEntry, type PriorityReason } from '../../shared/index.js';
import { reasonText } from './PriorityReasons.js';
import { fieldLabel, formatDateTime, ISO_INSTANT } from './format.js';

/**
 * A history row as a person reads it. Rows are facts written by the desk, the server and the import
 * (kind, field, old and new value, a note): codes and raw values, some notes in English from before
 * notes carried codes. Everything here is worded in the UI language: rule names, field labels, values
 * from the shared vocabularies, people and categories by name, instants in the viewer's zone.
 */
export interface HistoryWords {
  kind: string;
  field: string | null;
  from: string | null;
  to: string | null;
  note: string | null;
}

export interface HistoryContext {
  t: TFunction;
  locale: string;
  /** A person's name from an id, or from the name recorded with the row. */
  person: (id: string, recorded?: string | null) => string;
  /** A category's path from its id, '' when unknown. */
  category: (id: string) => string;
  /** Why a field was left out of a change, from its refusal code. */
  leftOut?: (code: string, kept: string | null) => string;
}

const VOCAB: Record<string, string> = {
  status: 'status', channel: 'channel', impact: 'level', urgency: 'level', impactScope: 'impactScope', serviceType: 'serviceType',
  tier: 'tier', priority: 'priority', serviceLevel: 'serviceLevel', requesterServiceLevel: 'serviceLevel',
};
const PEOPLE = new Set(['assigneeId', 'ownerId', 'createdBy', 'actorId']);
const DISPATCH_FIELDS = new Set(['dispatchGroup', 'returnReason', 'returnCount', 'returnNote']);
/** Pending reasons and closure facts (issue 12), worded in the `pend` and `closure` namespaces. */
const CLOSURE_FIELDS: Record<string, string> = {
  pendingReason: 'pend.field.pendingReason', pendingNote: 'pend.field.pendingNote', reopenCount: 'closure.field.reopenCount', closeKind: 'closure.field.closeKind',
  confirmedWith: 'closure.field.confirmedWith', confirmedVia: 'closure.field.confirmedVia', confirmedAt: 'closure.field.confirmedAt',
};
/** Escalation facts (issue 12, item 3), worded in the `esc` namespace. */
const ESCALATION_FIELDS = new Set(['escalationLevel', 'escalatedAt', 'escalationReason', 'vendorName', 'vendorContact', 'vendorTicket', 'mgmtEscalatedAt', 'mgmtReason']);
const KINDS = new Set(['create', 'backfill', 'import', 'field', 'transition', 'priority', 'worklog', 'notification', 'escalation', 'conflict', 'refused']);

const isLevel = (v: string): v is (typeof LEVELS)[number] => (LEVELS as readonly string[]).includes(v);
const isMajor = (v: string): v is (typeof MAJOR_REASONS)[number] => (MAJOR_REASONS as readonly string[]).includes(v);
const isServiceLevel = (v: string): v is (typeof SERVICE_LEVELS)[number] => (SERVICE_LEVELS as readonly string[]).includes(v);

/** One stored value of a field, worded. */
export function historyValue(field: string | null, v: string | null, c: HistoryContext, recorded?: string | null): string {
  const { t } = c;
  if (v == null || v === '' || v === 'null') return t('hist.empty');
  if (field && PEOPLE.has(field)) return c.person(v, recorded);
  if (field === 'returnReason') return t(`ret.reason.${v}`, { defaultValue: v }); // issue 12
  if (field === 'pendingReason') return t(`pend.reason.${v}`, { defaultValue: v });
  if (field === 'escalationLevel') return t(`enum.tier.${v}`, { defaultValue: v });
  if (field === 'confirmedVia') return t(`closure.viaCode.${v}`, { defaultValue: v });
  if (field === 'closeKind') return t(`closure.closeKindCode.${v}`, { defaultValue: v });
  if (field === 'categoryId') return c.category(v) || t('hist.unknownCategory');
  if (field && VOCAB[field]) {
    const key = `enum.${VOCAB[field]}.${v}`;
    return c.t(key, { defaultValue: v });
  }
  if (field === 'majorReasons') {
    const list = parseList(v);
    if (list) return list.length ? list.map((x) => (isMajor(x) ? t(`enum.majorReason.${x}`) : x)).join(t('hist.listSep')) : t('hist.empty');
  }
  if (v === 'true' || v === 'false') return t(v === 'true' ? 'common.yes' : 'common.no');
  if (field === 'satisfaction' && /^[1-5]$/.test(v)) return '★'.repeat(Number(v)) + '☆'.repeat(5 - Number(v));
  if (ISO_INSTANT.test(v)) return formatDateTime(v, c.locale);
  if (field === 'pausedMs' && /^\d+$/.test(v)) return t('hist.minutes', { n: Math.round(Number(v) / 60_000) });
  return v.length > 80 ? `${v.slice(0, 80)}…` : v;
}

function parseList(v: string): string[] | null {
  try {
    const a = JSON.parse(v) as unknown;
    return Array.isArray(a) ? a.map(String) : null;
  } catch {
    return null;
  }
}

/** The stored `rule: …` note of a priority row (desk-store `describeReason`) back into its reason. */
export function parsePriorityNote(note: string, priority: string | null): PriorityReason | null {
  const m = /^rule: (\w+)(?: \((.*)\))?$/s.exec(note.trim());
  if (!m) return null;
  const [, rule, arg = ''] = m;
  switch (rule) {
    case 'matrix': {
      const mm = /^impact (\w+) × urgency (\w+)$/.exec(arg);
      if (mm && isLevel(mm[1]) && isLevel(mm[2])) return { rule: 'matrix', impact: mm[1], urgency: mm[2], priority: (priority ?? 'P4') as 'P1' };
      return null;
    }
    case 'major': return { rule: 'major', reasons: arg.split(/,\s*/).filter(isMajor) };
    case 'vip': return isServiceLevel(arg) ? { rule: 'vip', serviceLevel: arg } : { rule: 'vip', serviceLevel: 'vip' };
    case 'manual_urgent': return { rule: 'manual_urgent', reason: arg };
    case 'auto_escalated': return { rule: 'auto_escalated' };
    default: return null;
  }
}

/** A note in the UI language: known notes from codes or their stored English shape; a person's own text as written. */
export function historyNote(h: HistoryEntry, c: HistoryContext): string | null {
  const { t } = c;
  const note = h.note?.trim();
  if (!note) return null;
  if (h.kind === 'refused') return c.leftOut ? c.leftOut(note, h.newValue) : t('sync.left.generic');
  if (h.kind === 'priority') {
    const r = parsePriorityNote(note, h.newValue);
    if (r) return reasonText(r, t);
    if (/^rule: /.test(note)) return t('hist.ruleOther');
    return note;
  }
  if (h.kind === 'notification') {
    const m = /^major incident: (.*)$/s.exec(note);
    if (m) return t('reason.major', { reasons: m[1].split(/,\s*/).map((x) => (isMajor(x) ? t(`enum.majorReason.${x}`) : x)).join(t('hist.listSep')) });
    return note;
  }
  if (h.kind === 'import') {
    const m = /^imported as (.*)$/s.exec(note);
    if (m) return t('hist.importedAs', { key: m[1] });
    return note;
  }
  if (h.kind === 'conflict') {
    const tr = /^Transition (\w+) → (\w+) not applied: the incident was already (\w+)/.exec(note);
    if (tr) return t('hist.conflictTransition', { from: t(`enum.status.${tr[1]}`, { defaultValue: tr[1] }), to: t(`enum.status.${tr[2]}`, { defaultValue: tr[2] }), current: t(`enum.status.${tr[3]}`, { defaultValue: tr[3] }) });
    const fl = /^Concurrent edits of (\w+): this value \(by (.*?)\) lost to a later edit by (.*?); re-apply/s.exec(note);
    if (fl) return t('hist.conflictField', { field: fieldLabel(fl[1], t), loser: wordPerson(fl[2], c), winner: wordPerson(fl[3], c) });
    return t('hist.conflictOther');
  }
  if (h.kind === 'transition' && note === 'auto_closed') return t('closure.autoClosedNote'); // issue 12: the sweep closed it
  if (note === 'from the imported resolved time') return t('hist.fromImported', { what: t('field.resolvedAt') });
  if (note === 'from the imported closed time') return t('hist.fromImported', { what: t('field.closedAt') });
  // Import trails: "<source label> · group X · owner Y" — the labels are the source's own words.
  if (/(^|· )(group|owner) /.test(note)) {
    return note.split(' · ').map((part) => {
      const g = /^group (.*)$/s.exec(part);
      if (g) return `${t('field.groupName')}${t('common.sep')}${g[1]}`;
      const o = /^owner (.*)$/s.exec(part);
      if (o) return `${t('field.owner')}${t('common.sep')}${o[1]}`;
      return part;
    }).join(' · ');
  }
  return note;
}

/** The server names people in its notes, or writes their id when it has no name. */
function wordPerson(s: string, c: HistoryContext): string {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(s) ? c.person(s) : s;
}

export function historyWords(h: HistoryEntry, c: HistoryContext): HistoryWords {
  const { t } = c;
  const kind = KINDS.has(h.kind) ? t(`hist.kind.${h.kind}`) : h.kind === 'accepted' ? t('dispatch.acceptedKind') : t('hist.kind.other');
  // dispatch and return facts (issue 12) are worded in their own namespace
  const field = h.field ? (DISPATCH_FIELDS.has(h.field) ? t(`dispatch.field.${h.field}`) : CLOSURE_FIELDS[h.field] ? t(CLOSURE_FIELDS[h.field]) : ESCALATION_FIELDS.has(h.field) ? t(`esc.field.${h.field}`) : fieldLabel(h.field, t)) : null;
  const showValues = h.oldValue != null || h.newValue != null;
  // A created / back-filled / imported row carries the number it was given.
  const numberRow = h.kind === 'create' || h.kind === 'backfill' || h.kind === 'import';
  const from = showValues && !numberRow && h.kind !== 'notification' && (h.oldValue != null || h.kind === 'field') ? historyValue(h.field, h.oldValue, c, h.oldValue === h.actorId ? h.actorName : null) : null;
  let to: string | null = null;
  if (showValues) {
    if (numberRow) to = h.newValue;
    else if (h.kind === 'notification') to = h.newValue === 'process_owner' ? t('hist.notifiedProcessOwner') : t('hist.notified');
    else to = historyValue(h.field, h.newValue, c);
  }
  // A field no locale names: asked for by key, so the locale check sees it missing; "another field" meanwhile.
  const fieldWords = h.field && field === h.field ? t(`field.${h.field}`, { defaultValue: t('hist.fieldOther') }) : field;
  return { kind, field: fieldWords, from, to, note: historyNote(h, c) };
}
