// The vocabularies of the incident record (DOMAIN.md). One name per thing: the same key is used in
// the schema, the SQLite column value, the tRPC procedure and the i18n label key (`enum.<name>.<key>`).
export const CHANNELS = ['phone', 'email', 'fax', 'web', 'monitoring', 'walk_in'] as const;
export const SERVICE_LEVELS = ['normal', 'vip', 'svip'] as const;
export const SERVICE_TYPES = ['fault', 'activation', 'permission', 'consultation', 'other'] as const;
export const ROOT_CATEGORIES = ['hardware', 'software', 'network', 'security', 'service_request', 'other'] as const;
export const IMPACT_SCOPES = ['individual', 'department', 'company'] as const;
export const LEVELS = ['high', 'medium', 'low'] as const;
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export const STATUSES = ['new', 'assigned', 'in_progress', 'pending', 'resolved', 'closed', 'reopened', 'returned'] as const;
export const TIERS = ['L1', 'L2', 'L3', 'vendor'] as const;
export const ROLES = ['agent', 'technician', 'lead', 'admin'] as const;
/** The major-incident checklist: ticking any of these forces P1. */
export const MAJOR_REASONS = [
  'disaster',         // natural disaster damaging IT systems
  'network_outage',   // network equipment or line failure causing a major outage
  'infrastructure',   // power, machine-room or other infrastructure failure
  'platform',         // database, system, storage or middleware failure causing a systemic outage
  'security',         // attack, virus spread or criminal misuse causing a major security event
  'application',      // major application-system failure
  'declared',         // any other emergency the company declares
] as const;

export type Channel = (typeof CHANNELS)[number];
export type ServiceLevel = (typeof SERVICE_LEVELS)[number];
export type ServiceType = (typeof SERVICE_TYPES)[number];
export type RootCategory = (typeof ROOT_CATEGORIES)[number];
export type ImpactScope = (typeof IMPACT_SCOPES)[number];
export type Level = (typeof LEVELS)[number];
export type Priority = (typeof PRIORITIES)[number];
export type Status = (typeof STATUSES)[number];
export type Tier = (typeof TIERS)[number];
export type Role = (typeof ROLES)[number];
export type MajorReason = (typeof MAJOR_REASONS)[number];
