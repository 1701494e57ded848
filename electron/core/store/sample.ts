import { randomUUID } from 'node:crypto';
import { CHANNELS, LEVELS, MAJOR_REASONS, type Channel, type IncidentCreate, type Level, type ServiceType } from '../../../shared/index.js';
import type { DeskStore } from './desk-store.js';

/** Small seeded PRNG (mulberry32) so sample data is the same on every desk and in every test run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '华', '建国'];
const EN_NAMES = ['Alice Chen', 'Brian Wong', 'Carol Liu', 'David Smith', 'Emma Zhang', 'Frank Müller', 'Grace Lee', 'Henry Park', 'Irene Li', 'Jack Taylor'];
const DEPTS = ['财务部', '人力资源部', '市场部', '销售部', '研发中心', '行政部', '法务部', '客服中心', '采购部', '生产部', 'Finance', 'Sales', 'R&D', 'Legal'];

type Template = { cat: string; type: ServiceType; zh: [string, string]; en: [string, string]; system?: string };
const TEMPLATES: Template[] = [
  { cat: 'hardware.printer', type: 'fault', zh: ['打印机无法打印', '三楼共享打印机打印任务一直排队，重启后依旧，报错“脱机”。'], en: ['Printer not printing', 'Shared printer on floor 3 keeps jobs queued; shows "offline" after restart.'], system: '3F-HP-M607' },
  { cat: 'hardware.pc', type: 'fault', zh: ['笔记本电脑蓝屏', '开机约十分钟后蓝屏，错误代码 MEMORY_MANAGEMENT，每天出现两三次。'], en: ['Laptop blue screen', 'Blue screen about ten minutes after boot, MEMORY_MANAGEMENT, two or three times a day.'] },
  { cat: 'hardware.pc', type: 'fault', zh: ['显示器不亮', '外接显示器无信号，更换线缆无效。'], en: ['Monitor shows no signal', 'External monitor has no signal; swapping the cable did not help.'] },
  { cat: 'hardware.server', type: 'fault', zh: ['文件服务器磁盘告警', '监控显示文件服务器 D 盘使用率 95%，写入变慢。'], en: ['File server disk alert', 'Monitoring shows drive D on the file server at 95%, writes are slow.'], system: 'FS01' },
  { cat: 'software.office', type: 'fault', zh: ['Excel 打开文件卡死', '打开超过 20MB 的报表时 Excel 无响应，需要强制关闭。'], en: ['Excel freezes opening workbook', 'Excel stops responding when opening reports over 20 MB.'] },
  { cat: 'software.email', type: 'fault', zh: ['邮箱无法收发邮件', 'Outlook 提示无法连接服务器，网页版邮箱正常。'], en: ['Cannot send or receive e-mail', 'Outlook says it cannot reach the server; webmail works.'] },
  { cat: 'software.business', type: 'fault', zh: ['ERP 系统登录报错', '登录 ERP 时提示“会话已过期”，清除缓存后仍然出现。'], en: ['ERP login error', 'ERP login says "session expired" even after clearing the cache.'], system: 'ERP' },
  { cat: 'software.business', type: 'consultation', zh: ['报销系统如何提交发票', '新员工咨询报销系统上传电子发票的步骤。'], en: ['How to submit invoices in expenses', 'New joiner asks how to upload e-invoices to the expense system.'], system: 'Expense' },
  { cat: 'network.lan', type: 'fault', zh: ['会议室 Wi-Fi 无法连接', '五楼大会议室 Wi-Fi 连接后无法获取 IP 地址。'], en: ['Meeting room Wi-Fi down', 'Large meeting room on floor 5: Wi-Fi connects but gets no IP address.'] },
  { cat: 'network.vpn', type: 'fault', zh: ['VPN 连接不上', '出差在外无法连接 VPN，提示证书错误。'], en: ['VPN will not connect', 'Travelling user cannot connect to the VPN: certificate error.'] },
  { cat: 'network.wan', type: 'fault', zh: ['分公司专线中断', '南京分公司专线中断，全分公司无法访问总部系统。'], en: ['Branch leased line down', 'Nanjing branch leased line down; the whole branch cannot reach HQ systems.'] },
  { cat: 'security.virus', type: 'fault', zh: ['疑似病毒弹窗', '电脑频繁弹出广告窗口，杀毒软件报告发现木马。'], en: ['Suspected malware pop-ups', 'PC shows frequent pop-ups; antivirus reports a trojan.'] },
  { cat: 'security.account', type: 'permission', zh: ['共享盘权限申请', '申请开通财务共享盘只读权限。'], en: ['Shared drive access request', 'Request read-only access to the finance share.'] },
  { cat: 'service_request.account', type: 'activation', zh: ['新员工账号开通', '新员工入职，需要开通域账号、邮箱和 OA。'], en: ['New joiner accounts', 'New employee needs domain account, mailbox and OA access.'] },
  { cat: 'service_request.install', type: 'activation', zh: ['安装 Visio', '项目需要，申请安装 Visio 专业版。'], en: ['Install Visio', 'Project needs Visio Professional installed.'] },
  { cat: 'other', type: 'other', zh: ['机房空调告警', '二号机房温度升高至 30℃，空调告警。'], en: ['Server room A/C alarm', 'Server room 2 temperature up to 30°C, A/C alarm.'] },
];

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/**
 * A few hundred realistic incidents in Chinese and English so a newcomer sees a working desk. They
 * go through the same store paths as real work (history, priority rules, transitions) but are not
 * queued for the central server: sample data must never reach the company's real records, and their
 * numbers start with DEMO so nobody mistakes them for real ones.
 */
export function loadSampleData(store: DeskStore, opts: { incidents: number; seed?: number }): { incidents: number; requesters: number } {
  const r = seededRandom(opts.seed ?? 20261122);
  const now = store.now().getTime();
  const requesters = Array.from({ length: Math.min(150, Math.max(20, Math.ceil(opts.incidents / 3))) }, (_, i) => {
    const en = r() < 0.2;
    return {
      name: en ? `${pick(r, EN_NAMES)} ${i}` : pick(r, SURNAMES) + pick(r, GIVEN) + (i >= 200 ? i : ''),
      department: pick(r, DEPTS),
      phone: `13${Math.floor(r() * 10)}${String(Math.floor(r() * 1e8)).padStart(8, '0')}`,
      email: `user${i}@example.com`,
      serviceLevel: (r() < 0.06 ? 'svip' : r() < 0.12 ? 'vip' : 'normal') as 'normal' | 'vip' | 'svip',
    };
  });
  const techId = (store.db.prepare("SELECT id FROM users WHERE role = 'technician' AND source = 'sample' LIMIT 1").pluck().get() as string | undefined) ?? (() => {
    const id = randomUUID();
    // A sample person: given sample work only, never offered for real incidents, removed with the sample.
    store.db.prepare("INSERT INTO users (id, name, role, group_name, updated_at, source) VALUES (?, ?, ?, ?, ?, 'sample')").run(id, '赵工 (L2)', 'technician', '二线支持', new Date(now).toISOString());
    return id;
  })();
  let created = 0;
  const spanMs = 30 * 24 * 3600_000;
  for (let i = 0; i < opts.incidents; i++) {
    const t = pick(r, TEMPLATES);
    const en = r() < 0.3;
    const [title, description] = en ? t.en : t.zh;
    // Older incidents are mostly finished; the last day's mostly open.
    const reported = now - Math.floor(Math.pow(r(), 1.6) * spanMs) - 60_000;
    const age = now - reported;
    const impact = pick(r, LEVELS) as Level;
    const urgency = pick(r, LEVELS) as Level;
    const input: IncidentCreate = {
      channel: (r() < 0.55 ? 'phone' : pick(r, CHANNELS)) as Channel,
      requester: requesters[Math.floor(r() * requesters.length)],
      serviceType: t.type,
      categoryId: t.cat,
      title,
      description,
      affected: { name: t.system ?? null, ip: null, location: null },
      impactScope: impact === 'high' ? 'department' : 'individual',
      impact,
      urgency,
      majorReasons: t.cat === 'network.wan' && r() < 0.3 ? [MAJOR_REASONS[1]] : [],
      urgentReason: null,
      occurredAt: new Date(reported - Math.floor(r() * 1800_000)).toISOString(),
      reportedAt: new Date(reported).toISOString(),
      tier: 'L1',
    };
    const at = (ms: number) => ({ at: new Date(Math.min(now, reported + ms)), outbox: false });
    const inc = store.createIncident(input, at(60_000 + Math.floor(r() * 120_000)));
    created++;
    const roll = r();
    const step = (ms: number) => at(ms);
    if (age < 3600_000 && roll < 0.6) continue; // fresh calls stay new
    if (roll < 0.25) {
      store.transition({ id: inc.id, to: 'resolved', resolution: en ? 'Resolved on the call with the knowledge base.' : '电话指导用户按知识库操作后解决。' }, step(10 * 60_000));
    } else {
      store.transition({ id: inc.id, to: 'assigned', tier: 'L2', group: '二线支持', assigneeId: techId }, step(15 * 60_000));
      if (roll < 0.35) continue;
      store.transition({ id: inc.id, to: 'in_progress' }, step(40 * 60_000));
      if (roll < 0.45) continue;
      if (roll < 0.5) { store.transition({ id: inc.id, to: 'pending', pendingReason: 'vendor', reason: en ? 'Waiting for vendor part' : '等待厂商备件' }, step(90 * 60_000)); continue; }
      if (age < 6 * 3600_000) continue;
      store.transition({ id: inc.id, to: 'resolved', resolution: en ? 'Replaced the faulty part and verified with the user.' : '更换故障部件并与用户确认恢复正常。' }, step(Math.floor(r() * 20 * 3600_000) + 3600_000));
    }
    if (age > 2 * 24 * 3600_000 && r() < 0.8) {
      store.transition({ id: inc.id, to: 'closed' }, step(26 * 3600_000));
      store.updateIncident(inc.id, { satisfaction: 3 + Math.floor(r() * 3) }, step(26 * 3600_000));
    }
  }
  return { incidents: created, requesters: requesters.length };
}

/** Sample incidents on this desk (numbers DEMO-…). */
export function countSample(store: DeskStore): number {
  return store.db.prepare("SELECT count(*) FROM incidents WHERE number LIKE 'DEMO-%'").pluck().get() as number;
}

/**
 * Removes the demo in one step: sample incidents with their history, work logs, search entries and
 * sync bookkeeping, the sample people no real incident refers to, and the requesters only sample
 * incidents knew. Sample data never reached the server, so nothing is sent.
 */
export function removeSampleData(store: DeskStore): { removed: number } {
  const db = store.db;
  return db.transaction(() => {
    const ids = db.prepare("SELECT id, rowid FROM incidents WHERE number LIKE 'DEMO-%'").all() as Array<{ id: string; rowid: number }>;
    const sampleRequesters = db.prepare(`SELECT DISTINCT requester_id FROM incidents WHERE number LIKE 'DEMO-%' AND requester_id IS NOT NULL
      AND requester_id NOT IN (SELECT requester_id FROM incidents WHERE number NOT LIKE 'DEMO-%' AND requester_id IS NOT NULL)`).pluck().all() as string[];
    const del = {
      fts: db.prepare('DELETE FROM incidents_fts WHERE rowid = ?'),
      history: db.prepare('DELETE FROM history WHERE incident_id = ?'),
      logs: db.prepare('DELETE FROM work_logs WHERE incident_id = ?'),
      notifications: db.prepare('DELETE FROM notifications WHERE incident_id = ?'),
      notices: db.prepare('DELETE FROM notices WHERE incident_id = ?'),
      shadow: db.prepare('DELETE FROM incident_server WHERE id = ?'),
      incident: db.prepare('DELETE FROM incidents WHERE id = ?'),
    };
    for (const { id, rowid } of ids) {
      del.fts.run(rowid);
      del.history.run(id);
      del.logs.run(id);
      del.notifications.run(id);
      del.notices.run(id);
      del.shadow.run(id);
      del.incident.run(id);
    }
    const inOutbox = db.prepare('SELECT 1 FROM outbox WHERE instr(args, ?) > 0 LIMIT 1').pluck();
    const delRequester = db.prepare('DELETE FROM requesters WHERE id = ?');
    for (const r of sampleRequesters) if (!inOutbox.get(r)) delRequester.run(r);
    db.prepare(`DELETE FROM users WHERE source = 'sample' AND id NOT IN (SELECT assignee_id FROM incidents WHERE assignee_id IS NOT NULL)
      AND id NOT IN (SELECT actor_id FROM history)`).run();
    return { removed: ids.length };
  })();
}
