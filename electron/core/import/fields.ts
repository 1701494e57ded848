import { norm } from './vocab.js';

export interface FieldDef { key: string; zh: string; en: string; required?: boolean; aliases: string[]; note?: string }

const f = (key: string, zh: string, en: string, aliases: string[] = [], extra: Partial<FieldDef> = {}): FieldDef => ({ key, zh, en, aliases, ...extra });

/** Incident list: one row per incident. The order is the template's column order. */
export const LIST_FIELDS: FieldDef[] = [
  f('number', '单号', 'Number', ['编号', '事件编号', '事件单号', '工单号', 'incident number', 'ticket', 'ticket number', 'id', 'incident id', 'sr number', 'ref'], { required: true }),
  f('channel', '来源', 'Channel', ['渠道', '报告方式', 'source', 'contact type']),
  f('requester', '请求者', 'Requester', ['报告人', '申请人', '用户', '联系人', 'caller', 'reporter', 'user', 'requester name'], { required: true }),
  f('department', '部门', 'Department', ['所属部门', 'dept', 'requester department']),
  f('phone', '电话', 'Phone', ['联系电话', '手机', 'telephone', 'phone number', 'mobile']),
  f('email', '邮箱', 'Email', ['电子邮件', '邮件地址', 'e-mail', 'mail']),
  f('serviceLevel', '服务级别', 'Service level', ['用户级别', 'vip', 'sla level']),
  f('serviceType', '服务类型', 'Service type', ['类型', 'type', 'request type']),
  f('category', '分类', 'Category', ['类别', '事件分类', 'subcategory', 'classification']),
  f('title', '标题', 'Title', ['摘要', '标题/摘要', 'summary', 'subject', 'short description'], { required: true }),
  f('description', '描述', 'Description', ['详细描述', '问题描述', 'details', 'long description']),
  f('affected', '受影响系统', 'Affected system', ['受影响设备', '受影响系统/设备', '配置项', 'ci', 'configuration item', 'affected device']),
  f('impactScope', '影响范围', 'Impact scope', ['范围', 'scope']),
  f('impact', '影响度', 'Impact', ['影响']),
  f('urgency', '紧急度', 'Urgency', ['紧急程度']),
  f('priority', '优先级', 'Priority', ['级别']),
  f('status', '状态', 'Status', ['当前状态', 'state']),
  f('occurred', '发生时间', 'Occurred', ['故障时间', 'occurred at', 'occurred time', 'start time']),
  f('reported', '报告时间', 'Reported', ['报告日期', '创建时间', '提交时间', '登记时间', 'reported at', 'reported time', 'opened', 'opened at', 'created', 'created at', 'open time'], { required: true }),
  f('firstResponse', '首次响应时间', 'First response', ['响应时间', 'responded at', 'first response at', 'response time']),
  f('resolved', '解决时间', 'Resolved', ['resolved at', 'resolved time', 'resolution time', 'solved at']),
  f('closed', '关闭时间', 'Closed', ['closed at', 'closed time', 'close time']),
  f('resolution', '解决方案', 'Resolution', ['处理结果', '解决办法', 'solution', 'resolution notes', 'fix']),
  f('group', '处理组', 'Group', ['支持组', '处理团队', '分派组', 'assignment group', 'team', 'support group']),
  f('tier', '层级', 'Tier', ['支持层级', '处理层级', 'level', 'support level', 'line']),
];

/** Event log: one row per status change of an incident (VINST CSV columns and XES keys first). */
export const EVENT_FIELDS: FieldDef[] = [
  f('number', '单号', 'Number', ['sr number', 'case:concept:name', 'case id', 'case', 'case number', 'incident number', 'incident', '编号', '事件编号', 'ticket', 'id'], { required: true }),
  f('time', '时间', 'Time', ['change date+time', 'time:timestamp', 'timestamp', 'change time', 'event time', 'date time', 'datetime', '变更时间', '事件时间', '状态时间', 'time', 'date'], { required: true }),
  f('status', '状态', 'Status', ['concept:name', 'status', 'activity', 'state', '活动']),
  f('subStatus', '子状态', 'Sub status', ['lifecycle:transition', 'sub status', 'substatus', 'sub state', 'reason']),
  f('group', '处理组', 'Group', ['involved st', 'org:group', 'group', 'support team', 'assignment group', 'team', '支持组']),
  f('owner', '处理人', 'Owner', ['owner first name', 'org:resource', 'owner', 'assignee', 'resource', '责任人']),
  f('impact', '影响度', 'Impact', ['sr latest impact', 'impact', '影响']),
  f('urgency', '紧急度', 'Urgency', ['urgency']),
  f('product', '产品', 'Product', ['product', 'affected system', 'ci', '受影响系统']),
  f('category', '分类', 'Category', ['category', '类别']),
  f('title', '标题', 'Title', ['title', 'summary', 'subject', '摘要']),
  f('tier', '层级', 'Tier', ['support level', '支持层级'], { note: 'L1/L2/L3; without it the tier comes from the group name (2nd/3rd)' }),
  f('orgLine', '组织线', 'Org line', ['involved org line 3', 'organization involved', 'org line']),
  f('role', '职能', 'Function', ['involved st function div', 'org:role', 'function div', 'role']),
  f('country', '国家', 'Country', ['country', 'organization country']),
  f('ownerCountry', '处理人国家', 'Owner country', ['owner country', 'resource country']),
];

export const FIELDS = { list: LIST_FIELDS, eventlog: EVENT_FIELDS } as const;
export type Shape = keyof typeof FIELDS;

/** The header the template writes: both languages, so either reader recognises it. */
export const templateHeader = (d: FieldDef) => `${d.zh} / ${d.en}`;

/**
 * Our field for each source column: a header matches a field when the header, or one half of a
 * bilingual `中文 / English` header, is one of the field's names. Each column serves one field; the
 * first field (in definition order) to claim a column wins, and an exact name beats an alias.
 */
export function detectColumns(shape: Shape, header: string[]): Record<string, string> {
  const defs = FIELDS[shape];
  const variants = header.map((h) => {
    const whole = norm(h);
    const parts = h.split(/\s*[/／|]\s*/).map(norm).filter(Boolean);
    return new Set([whole, ...parts, whole.replace(/\s+/g, '')]);
  });
  const used = new Set<number>();
  const out: Record<string, string> = {};
  for (const pass of ['names', 'aliases'] as const) {
    for (const d of defs) {
      if (out[d.key]) continue;
      const names = pass === 'names' ? [d.zh, d.en, d.key] : d.aliases;
      for (const name of names.map(norm)) {
        const k = variants.findIndex((v, i) => !used.has(i) && (v.has(name) || v.has(name.replace(/\s+/g, ''))));
        if (k >= 0) { out[d.key] = header[k]; used.add(k); break; }
      }
    }
  }
  return out;
}
