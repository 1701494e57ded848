import type { Category, Channel, ImpactScope, Level, Priority, ServiceLevel, ServiceType, Status, Tier } from '../../../shared/index.js';

/** Values compared without case, spaces, `_`, `-`, `/` differences: `In Progress` = `in_progress` = `in-progress`. */
export const norm = (s: string) => s.trim().toLowerCase().replace(/[\s_\-/／·・.]+/g, ' ').trim();

function table<T extends string>(entries: Record<T, string[]>): Map<string, T> {
  const m = new Map<string, T>();
  for (const [key, words] of Object.entries(entries) as [T, string[]][]) {
    m.set(norm(key), key);
    for (const w of words) m.set(norm(w), key);
  }
  return m;
}

/** Both languages of each vocabulary (DOMAIN.md), plus the words other systems commonly export. */
export const VOCAB = {
  channel: table<Channel>({
    phone: ['热线电话', '电话', '热线', 'hotline', 'telephone', 'phone call', 'call'],
    email: ['邮件', '电子邮件', 'e-mail', 'mail'],
    fax: ['传真'],
    web: ['网页', '门户', '自助', 'portal', 'self service', 'website'],
    monitoring: ['监控工具', '监控', '监控系统', 'monitoring tool', 'monitor', 'alert', 'event'],
    walk_in: ['现场', '上门', '到访', 'walk in', 'on site', 'onsite', 'in person'],
  }),
  serviceType: table<ServiceType>({
    fault: ['故障报告', '故障', '报障', 'fault report', 'incident', 'failure'],
    activation: ['服务开通', '开通', 'service activation'],
    permission: ['权限变更', '权限', 'permission change', 'access change', 'access'],
    consultation: ['咨询', 'question', 'enquiry', 'inquiry', 'how to'],
    other: ['其他', '其它'],
  }),
  level: table<Level>({
    high: ['高', 'h', '1'],
    medium: ['中', 'm', 'med', 'normal', '2'],
    low: ['低', 'l', '3'],
  }),
  impactScope: table<ImpactScope>({
    individual: ['个人', '单人', 'person', 'single user', 'user'],
    department: ['部门', 'team', 'dept'],
    company: ['全公司', '公司', 'whole company', 'enterprise', 'organisation', 'organization', 'all'],
  }),
  serviceLevel: table<ServiceLevel>({
    normal: ['普通', '标准', 'standard', 'regular'],
    vip: ['贵宾'],
    svip: ['超级vip', '超级 vip', 'super vip', 'supervip'],
  }),
  status: table<Status>({
    new: ['新建', '新', 'open', 'opened', 'logged', 'created'],
    assigned: ['已分派', '已分配', '分派', 'dispatched', 'queued'],
    in_progress: ['处理中', '进行中', 'work in progress', 'wip', 'accepted'],
    pending: ['挂起', '等待', '暂停', 'on hold', 'waiting', 'suspended'],
    resolved: ['已解决', '解决', 'solved', 'fixed', 'completed'],
    closed: ['已关闭', '关闭', 'done', 'cancelled', 'canceled'],
    reopened: ['重新打开', '重开', 'reopen', 're opened'],
    returned: ['退回一线', '退回', 'returned to first line', 'sent back'],
  }),
  tier: table<Tier>({
    L1: ['一线', '第一线', 'first line', '1st', 'level 1', 'tier 1', '1'],
    L2: ['二线', '第二线', 'second line', '2nd', 'level 2', 'tier 2', '2'],
    L3: ['三线', '第三线', 'third line', '3rd', 'level 3', 'tier 3', '3', 'l2 l3'],
    vendor: ['厂商', '供应商', 'supplier', 'third party', '3rd party'],
  }),
  priority: table<Priority>({
    P1: ['1', '一级', '重大', '重大事件', 'major', 'critical'],
    P2: ['2', '二级', '紧急', '紧急事件', 'urgent'],
    P3: ['3', '三级', '普通', '普通事件', 'ordinary', 'normal'],
    P4: ['4', '四级', '低', 'low'],
  }),
};
export type VocabName = keyof typeof VOCAB;

/** Impact values that declare a major incident (VINST's `Major`, 重大). */
export const MAJOR_WORDS = new Set(['major', '重大', '重大事件', 'critical', 'p1'].map(norm));

/** Category ids by every name a file may use: id, zh and en names, and `parent/child` paths in either language. */
export function categoryLookup(categories: Category[]): Map<string, string> {
  const m = new Map<string, string>();
  const byId = new Map(categories.map((c) => [c.id, c]));
  const add = (k: string, id: string) => { const key = norm(k); if (key && !m.has(key)) m.set(key, id); };
  for (const c of categories) {
    add(c.id, c.id);
    const parent = c.parentId ? byId.get(c.parentId) : undefined;
    if (parent) {
      for (const [p, n] of [[parent.nameZh, c.nameZh], [parent.nameEn, c.nameEn], [parent.nameZh, c.nameEn], [parent.nameEn, c.nameZh]]) {
        add(`${p} ${n}`, c.id);
      }
    }
  }
  // plain names last: a subcategory name never shadows a root of the same name
  for (const c of categories.filter((x) => !x.parentId)) { add(c.nameZh, c.id); add(c.nameEn, c.id); }
  for (const c of categories.filter((x) => x.parentId)) { add(c.nameZh, c.id); add(c.nameEn, c.id); }
  return m;
}
