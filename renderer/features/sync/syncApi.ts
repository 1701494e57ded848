import type { DeskUser } from '../../../shared/index.js';
import { api, type RouterOutputs } from '../../platform/api.js';

/** Changes recorded on this desk under a local (pre-sign-in) name, not yet attributed to an account. */
export interface LocalWork { localUserId: string; name: string; changes: number; /** 'local': kept as recorded here so far (may be changed). */ choice?: 'local' | null }

/** One field of a change that the server left out (the rest of the change applied). */
export interface LeftOut { field: string; code: string; value: string | null; kept: string | null }

/**
 * A change the central server refused (`rejected`) or applied without some fields (`partial`), as
 * codes and parameters the console words. Rows stored before codes existed carry only `reason`.
 */
export interface RejectionRow {
  id: string;
  seq: number | null;
  name: string;
  at: string;
  status?: 'rejected' | 'partial';
  code?: string | null;
  params?: Record<string, string | number>;
  incidentId?: string | null;
  incidentNumber?: string | null;
  incidentTitle?: string | null;
  leftOut?: LeftOut[];
  /** Old rows: the server's English text. */
  reason?: string;
  args?: string;
}

export interface SignInResult { user: DeskUser; localWork: LocalWork[]; sample: { incidents: number } }

export type SyncStatus = RouterOutputs['sync']['status'];

export type AttributeTo = 'me' | 'account' | 'local';

/** Sign in online. */
export async function signIn(input: { serverUrl: string; name: string; password: string }): Promise<SignInResult> {
  const res = await api.sync.signIn.mutate(input);
  return { user: res.user, localWork: res.localWork ?? [], sample: { incidents: res.sample?.incidents ?? 0 } };
}

export const localWork = (): Promise<LocalWork[]> => api.sync.localWork.query();
export const attributeLocalWork = (input: { localUserId: string; to: AttributeTo; accountId?: string }): Promise<LocalWork[]> =>
  api.sync.attributeLocalWork.mutate(input);
export const removeSample = (): Promise<{ removed: number }> => api.desk.removeSample.mutate();
export const rejections = (): Promise<RejectionRow[]> => api.sync.rejections.query();
