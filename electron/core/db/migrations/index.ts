// Numbered migrations, one change each, never edited once released. Kept as TS modules (not .sql
// files) so the bundled main process carries them without file-system lookups.
import m001 from './001_init.js';
import m002 from './002_origin.js';
import m003 from './003_sync.js';
import m004 from './004_drop_escalation_index.js';
import m005 from './005_conflict_dismissals.js';
import m006 from './006_secrets.js';
import m007 from './007_refusals.js';
import m008 from './008_history_facts.js';
import m009 from './009_incident_facts.js';
import m010 from './010_import_event_source.js';
import m011 from './011_groups.js';
import m012 from './012_queue_sort.js';
import m013 from './013_sla_settings.js';
import m014 from './014_notices.js';
import m015 from './015_closure.js';
import m016 from './016_cmdb.js';
import m017 from './017_auto_close_index.js';
import m018 from './018_escalation.js';
import m019 from './019_problems.js';
import m020 from './020_knowledge.js';
import m021 from './021_priority_matrix_notices.js';
import m022 from './022_report_minutes.js';
import m023 from './023_returned_groups.js';
import m024 from './024_long_open_index.js';

export interface Migration { id: number; name: string; sql: string }
export const MIGRATIONS: Migration[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010, m011, m012, m013, m014, m015, m016, m017, m018, m019, m020, m021, m022, m023, m024];
