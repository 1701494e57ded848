/**
 * Words of the export files (issue 11, item 3). Exports are files, not UI, so the desk words them
 * itself, in the language asked for. Every column says what it holds: which time, which unit.
 */
export const EXPORT_LANGS = ['zh-CN', 'en'] as const;
export type ExportLang = (typeof EXPORT_LANGS)[number];

/** The incident columns of every export, in order. `kind` decides how a value is written. */
export type ColumnKind = 'text' | 'time' | 'number' | 'bool' | 'enum' | 'list';
export interface ExportColumn { key: string; kind: ColumnKind; width: number }
export const INCIDENT_EXPORT_COLUMNS: ExportColumn[] = [
  { key: 'number', kind: 'text', width: 16 },
  { key: 'title', kind: 'text', width: 40 },
  { key: 'status', kind: 'enum', width: 10 },
  { key: 'priority', kind: 'text', width: 8 },
  { key: 'channel', kind: 'enum', width: 10 },
  { key: 'serviceType', kind: 'enum', width: 10 },
  { key: 'categoryId', kind: 'text', width: 18 },
  { key: 'categoryName', kind: 'text', width: 18 },
  { key: 'requesterName', kind: 'text', width: 14 },
  { key: 'requesterDept', kind: 'text', width: 14 },
  { key: 'requesterPhone', kind: 'text', width: 16 },
  { key: 'requesterEmail', kind: 'text', width: 22 },
  { key: 'serviceLevel', kind: 'enum', width: 10 },
  { key: 'description', kind: 'text', width: 50 },
  { key: 'affectedName', kind: 'text', width: 16 },
  { key: 'affectedIp', kind: 'text', width: 16 },
  { key: 'affectedLocation', kind: 'text', width: 16 },
  { key: 'impactScope', kind: 'enum', width: 10 },
  { key: 'impact', kind: 'enum', width: 8 },
  { key: 'urgency', kind: 'enum', width: 8 },
  { key: 'majorReasons', kind: 'list', width: 16 },
  { key: 'urgentReason', kind: 'text', width: 20 },
  { key: 'autoEscalated', kind: 'bool', width: 10 },
  { key: 'occurredAt', kind: 'time', width: 20 },
  { key: 'reportedAt', kind: 'time', width: 20 },
  { key: 'recordedAt', kind: 'time', width: 20 },
  { key: 'firstResponseAt', kind: 'time', width: 20 },
  { key: 'resolvedAt', kind: 'time', width: 20 },
  { key: 'closedAt', kind: 'time', width: 20 },
  { key: 'pendingSince', kind: 'time', width: 20 },
  { key: 'pausedMin', kind: 'number', width: 12 },
  { key: 'responseDueAt', kind: 'time', width: 20 },
  { key: 'resolveDueAt', kind: 'time', width: 20 },
  { key: 'ownerId', kind: 'text', width: 14 },
  { key: 'ownerName', kind: 'text', width: 12 },
  { key: 'tier', kind: 'text', width: 8 },
  { key: 'groupName', kind: 'text', width: 14 },
  { key: 'assigneeId', kind: 'text', width: 14 },
  { key: 'assigneeName', kind: 'text', width: 12 },
  { key: 'resolution', kind: 'text', width: 40 },
  { key: 'rootCause', kind: 'text', width: 24 },
  { key: 'problemRef', kind: 'text', width: 14 },
  { key: 'changeRef', kind: 'text', width: 14 },
  { key: 'kbArticleId', kind: 'text', width: 14 },
  { key: 'satisfaction', kind: 'number', width: 10 },
  { key: 'satisfactionComment', kind: 'text', width: 30 },
  { key: 'backfilled', kind: 'bool', width: 10 },
  { key: 'backfillReason', kind: 'text', width: 20 },
  { key: 'origin', kind: 'enum', width: 10 },
  { key: 'externalRef', kind: 'text', width: 16 },
  { key: 'createdBy', kind: 'text', width: 14 },
  { key: 'deviceId', kind: 'text', width: 14 },
  { key: 'updatedAt', kind: 'time', width: 20 },
  { key: 'id', kind: 'text', width: 38 },
];

type Dict = {
  columns: Record<string, string>;
  values: Record<string, Record<string, string>>;
  yes: string; no: string;
  /** `{tz}` is replaced by the time zone */
  timesNote: string;
  sheets: Record<string, string>;
  kpi: Record<string, string>;
  head: Record<string, string>;
  pdf: Record<string, string>;
};

const zh: Dict = {
  columns: {
    number: '工单号', title: '标题', status: '状态', priority: '优先级', channel: '来源渠道', serviceType: '服务类型',
    categoryId: '分类代码', categoryName: '分类名称', requesterName: '报告人', requesterDept: '报告人部门', requesterPhone: '报告人电话',
    requesterEmail: '报告人邮箱', serviceLevel: '服务等级', description: '描述', affectedName: '受影响对象', affectedIp: '受影响 IP',
    affectedLocation: '受影响位置', impactScope: '影响范围', impact: '影响度', urgency: '紧急度', majorReasons: '重大事件原因',
    urgentReason: '紧急原因', autoEscalated: '自动升级 P3→P2', occurredAt: '发生时间', reportedAt: '报告时间', recordedAt: '录入时间',
    firstResponseAt: '首次响应时间', resolvedAt: '解决时间（最后一次）', closedAt: '关闭时间', pendingSince: '挂起开始时间',
    pausedMin: '挂起累计（分钟）', responseDueAt: '响应截止时间', resolveDueAt: '解决截止时间', ownerId: '受理人 ID', ownerName: '受理人',
    tier: '当前支持层级', groupName: '处理组', assigneeId: '处理人 ID', assigneeName: '处理人', resolution: '解决方案', rootCause: '根本原因',
    problemRef: '问题单号', changeRef: '变更单号', kbArticleId: '知识库文章', satisfaction: '满意度（1–5）', satisfactionComment: '满意度评价',
    backfilled: '补录', backfillReason: '补录原因', origin: '来源（录入/补录/导入）', externalRef: '外部编号', createdBy: '创建人 ID',
    deviceId: '录入设备', updatedAt: '最后修改时间', id: '内部 ID',
  },
  values: {
    status: { new: '新建', assigned: '已分派', in_progress: '处理中', pending: '挂起', resolved: '已解决', closed: '已关闭', reopened: '重新打开', returned: '退回一线' },
    channel: { phone: '电话', email: '邮件', fax: '传真', web: '网页', monitoring: '监控', walk_in: '现场' },
    serviceType: { fault: '故障', activation: '开通', permission: '权限', consultation: '咨询', other: '其他' },
    serviceLevel: { normal: '普通', vip: 'VIP', svip: 'SVIP' },
    impactScope: { individual: '个人', department: '部门', company: '全公司' },
    impact: { high: '高', medium: '中', low: '低' },
    urgency: { high: '高', medium: '中', low: '低' },
    origin: { desk: '录入', import: '导入' },
    ageBand: { lt1d: '< 1 天', d1to3: '1–3 天', d3to7: '3–7 天', d7to30: '7–30 天', gt30d: '> 30 天' },
  },
  yes: '是', no: '否',
  timesNote: '时间为 {tz} 当地时间（带 UTC 偏移）',
  sheets: {
    summary: '汇总', byChannel: '按渠道', byCategory: '按分类', bySubcategory: '按子分类', byServiceType: '按服务类型', byPriority: '按优先级',
    byImpactScope: '按影响范围', byDepartment: '按部门', trend: '趋势', slaByPriority: 'SLA 按优先级', breached: 'SLA 超时工单', backlog: '积压账龄',
    oldest: '最久未结', satisfaction: '满意度', comments: '满意度评价', backfill: '补录', byAgent: '按处理人', byGroup: '按处理组',
    returnedByGroup: '退回一线按组', recurringCategories: '高发分类', recurringSystems: '高发系统', recurringRequesters: '高发报告人', incidents: '工单明细',
  },
  kpi: {
    created: '新建工单', resolved: '已解决', closed: '已关闭', openAtEnd: '期末未结', responseRate: '响应达标率', resolutionRate: '解决达标率',
    fcrRate: '一次解决率', reopenRate: '重开率', reopensPerIncident: '每单重开次数', returnedRate: '退回一线率', reassignmentsPerIncident: '每单转派次数',
    autoP3toP2: '自动升级 P3→P2', toL3: '升级至三线', toVendor: '升级至厂商', toManagement: '升级至管理层', major: '重大事件', satisfactionShare: '评价率',
    satisfactionAvg: '平均满意度', backfillCount: '补录工单', backfillDelayMedian: '补录延迟中位数（分钟）', backfillDelayP90: '补录延迟 P90（分钟）',
    imported: '导入工单（另计）', meanRespond: '平均首次响应（分钟）', meanResolve: '平均解决时长（分钟）',
  },
  head: {
    key: '项目', label: '名称', count: '数量', share: '占比', period: '期间', created: '新建', resolved: '已解决', openAtEnd: '期末未结',
    priority: '优先级', responseMet: '响应达标', responseBreached: '响应超时', responseRate: '响应达标率', resolutionMet: '解决达标',
    resolutionBreached: '解决超时', resolutionRate: '解决达标率', respondMean: '首次响应均值（分钟）', respondMedian: '首次响应中位数（分钟）',
    resolveMean: '解决均值（分钟）', resolveMedian: '解决中位数（分钟）', resolveP90: '解决 P90（分钟）', finalResolveMedian: '最终解决中位数（分钟）',
    number: '工单号', title: '标题', clock: '时钟', overdueMin: '超时（分钟）', reportedAt: '报告时间', ageMin: '账龄（分钟）',
    ageBand: '账龄段', rating: '评分', comment: '评价', handled: '处理量', fcr: '一次解决', fcrRate: '一次解决率',
    meanResolveMin: '平均解决（分钟）', satisfactionAvg: '平均满意度', rated: '已评价', returned: '退回', dispatched: '分派', rate: '比率',
    medianDelayMin: '补录延迟中位数（分钟）', p90DelayMin: '补录延迟 P90（分钟）', value: '数值', figure: '指标',
    response: '响应', resolution: '解决',
  },
  pdf: {
    title: '服务台报告', range: '统计期间', filters: '筛选条件', none: '无', by: '导出人', at: '导出时间', timeZone: '时区',
    kpis: '关键指标', page: '第 {n} / {total} 页', origins: '工单来源', groups: '处理组', agents: '人员', categories: '分类',
    priorities: '优先级', channels: '渠道', departments: '部门', sla: 'SLA 达标率（按优先级）', trend: '新建与解决趋势',
    volume: '工单量', quality: '流程质量', people: '人员与处理组', recurring: '高发问题', backlogTitle: '期末积压', empty: '（无数据）',
    originDesk: '实时录入', originBackfill: '补录', originImport: '导入',
  },
};

const en: Dict = {
  columns: {
    number: 'Number', title: 'Title', status: 'Status', priority: 'Priority', channel: 'Channel', serviceType: 'Service type',
    categoryId: 'Category code', categoryName: 'Category', requesterName: 'Requester', requesterDept: 'Requester department',
    requesterPhone: 'Requester phone', requesterEmail: 'Requester email', serviceLevel: 'Service level', description: 'Description',
    affectedName: 'Affected item', affectedIp: 'Affected IP', affectedLocation: 'Affected location', impactScope: 'Impact scope',
    impact: 'Impact', urgency: 'Urgency', majorReasons: 'Major-incident reasons', urgentReason: 'Urgent reason',
    autoEscalated: 'Auto-escalated P3→P2', occurredAt: 'Occurred at', reportedAt: 'Reported at', recordedAt: 'Recorded at',
    firstResponseAt: 'First response at', resolvedAt: 'Resolved at (last)', closedAt: 'Closed at', pendingSince: 'Pending since',
    pausedMin: 'Time pending (minutes)', responseDueAt: 'Response due', resolveDueAt: 'Resolution due', ownerId: 'Owner ID', ownerName: 'Owner',
    tier: 'Current tier', groupName: 'Group', assigneeId: 'Assignee ID', assigneeName: 'Assignee', resolution: 'Resolution',
    rootCause: 'Root cause', problemRef: 'Problem ref', changeRef: 'Change ref', kbArticleId: 'KB article',
    satisfaction: 'Satisfaction (1–5)', satisfactionComment: 'Satisfaction comment', backfilled: 'Back-filled', backfillReason: 'Back-fill reason',
    origin: 'Origin (desk / import)', externalRef: 'External ref', createdBy: 'Created by (ID)', deviceId: 'Recorded on device',
    updatedAt: 'Last changed at', id: 'Internal ID',
  },
  values: {
    status: { new: 'New', assigned: 'Assigned', in_progress: 'In progress', pending: 'Pending', resolved: 'Resolved', closed: 'Closed', reopened: 'Reopened', returned: 'Returned to first line' },
    channel: { phone: 'Phone', email: 'Email', fax: 'Fax', web: 'Web', monitoring: 'Monitoring', walk_in: 'Walk-in' },
    serviceType: { fault: 'Fault', activation: 'Activation', permission: 'Permission', consultation: 'Consultation', other: 'Other' },
    serviceLevel: { normal: 'Normal', vip: 'VIP', svip: 'SVIP' },
    impactScope: { individual: 'Individual', department: 'Department', company: 'Company' },
    impact: { high: 'High', medium: 'Medium', low: 'Low' },
    urgency: { high: 'High', medium: 'Medium', low: 'Low' },
    origin: { desk: 'Desk', import: 'Import' },
    ageBand: { lt1d: '< 1 day', d1to3: '1–3 days', d3to7: '3–7 days', d7to30: '7–30 days', gt30d: '> 30 days' },
  },
  yes: 'yes', no: 'no',
  timesNote: 'Times are local to {tz}, with their UTC offset',
  sheets: {
    summary: 'Summary', byChannel: 'By channel', byCategory: 'By category', bySubcategory: 'By subcategory', byServiceType: 'By service type',
    byPriority: 'By priority', byImpactScope: 'By impact scope', byDepartment: 'By department', trend: 'Trend', slaByPriority: 'SLA by priority',
    breached: 'SLA breached', backlog: 'Backlog by age', oldest: 'Oldest open', satisfaction: 'Satisfaction', comments: 'Satisfaction comments',
    backfill: 'Back-fill', byAgent: 'By agent', byGroup: 'By group', returnedByGroup: 'Returned by group', recurringCategories: 'Top categories',
    recurringSystems: 'Top systems', recurringRequesters: 'Top requesters', incidents: 'Incidents',
  },
  kpi: {
    created: 'Created', resolved: 'Resolved', closed: 'Closed', openAtEnd: 'Open at end', responseRate: 'Response SLA met',
    resolutionRate: 'Resolution SLA met', fcrRate: 'First-contact resolution', reopenRate: 'Reopen rate', reopensPerIncident: 'Reopens per incident',
    returnedRate: 'Returned to first line', reassignmentsPerIncident: 'Reassignments per incident', autoP3toP2: 'Auto-escalated P3→P2',
    toL3: 'Escalated to L3', toVendor: 'Escalated to vendor', toManagement: 'Escalated to management', major: 'Major incidents', satisfactionShare: 'Share rated',
    satisfactionAvg: 'Average satisfaction', backfillCount: 'Back-filled incidents', backfillDelayMedian: 'Back-fill delay, median (min)',
    backfillDelayP90: 'Back-fill delay, P90 (min)', imported: 'Imported incidents (apart)', meanRespond: 'Mean time to respond (min)',
    meanResolve: 'Mean time to resolve (min)',
  },
  head: {
    key: 'Key', label: 'Name', count: 'Count', share: 'Share', period: 'Period', created: 'Created', resolved: 'Resolved', openAtEnd: 'Open at end',
    priority: 'Priority', responseMet: 'Response met', responseBreached: 'Response breached', responseRate: 'Response rate',
    resolutionMet: 'Resolution met', resolutionBreached: 'Resolution breached', resolutionRate: 'Resolution rate',
    respondMean: 'Respond mean (min)', respondMedian: 'Respond median (min)', resolveMean: 'Resolve mean (min)',
    resolveMedian: 'Resolve median (min)', resolveP90: 'Resolve P90 (min)', finalResolveMedian: 'Final resolve median (min)',
    number: 'Number', title: 'Title', clock: 'Clock', overdueMin: 'Overdue (min)', reportedAt: 'Reported at', ageMin: 'Age (min)',
    ageBand: 'Age band', rating: 'Rating', comment: 'Comment', handled: 'Handled', fcr: 'First-contact resolved', fcrRate: 'FCR rate',
    meanResolveMin: 'Mean resolve (min)', satisfactionAvg: 'Avg satisfaction', rated: 'Rated', returned: 'Returned', dispatched: 'Dispatched',
    rate: 'Rate', medianDelayMin: 'Delay median (min)', p90DelayMin: 'Delay P90 (min)', value: 'Value', figure: 'Figure',
    response: 'response', resolution: 'resolution',
  },
  pdf: {
    title: 'Service desk report', range: 'Period', filters: 'Filters', none: 'none', by: 'Exported by', at: 'Exported at', timeZone: 'Time zone',
    kpis: 'Key figures', page: 'Page {n} of {total}', origins: 'Origins', groups: 'Groups', agents: 'People', categories: 'Categories',
    priorities: 'Priorities', channels: 'Channels', departments: 'Departments', sla: 'SLA attainment by priority', trend: 'Created and resolved',
    volume: 'Volume', quality: 'Process quality', people: 'People and groups', recurring: 'Recurring faults', backlogTitle: 'Backlog at end', empty: '(none)',
    originDesk: 'live', originBackfill: 'back-filled', originImport: 'imported',
  },
};

export const LABELS: Record<ExportLang, Dict> = { 'zh-CN': zh, en };
export const labelsFor = (lang: ExportLang): Dict => LABELS[lang];

/** A column's header: its words in the language. */
export const columnLabel = (lang: ExportLang, key: string): string => LABELS[lang].columns[key] ?? key;
/** An enum code's words in the language; an unknown code stays as it is. */
export const valueLabel = (lang: ExportLang, field: string, code: string): string => LABELS[lang].values[field]?.[code] ?? code;
