import { expect, test, type Page } from '@playwright/test';
import { HlcClock } from '../../shared/hlc.js';
import { saveGroup, setAssignmentRule } from '../../server/admin.js';
import { openBySearch, unique } from './helpers.js';
import { Central, closePages, consolePage, signInThroughUi, startConsole, syncNow, type Console } from './world.js';

// Issue 12, item 3 and the proof across two consoles on one server: first line (A) records a
// network incident and dispatches it by category; second line (B) returns it with a reason; A sees it
// in its group queue and dispatches it again; B accepts, escalates to a vendor with their ticket
// number, sets pending for the vendor (the clock shows paused) and resolves; A confirms with the
// requester, records satisfaction 4 and closes; the closed incident cannot be edited. Then A asks
// management to step in on another incident, and the team lead's bell shows the notice.

test.describe.configure({ timeout: 180_000 });

let central: Central;
let deskA: Console;
let deskB: Console;
let deskL: Console;

test.beforeAll(async () => {
  central = await new Central().start();
  await central.user('alice', 'alice-pass-1', 'agent', '服务台一组');
  await central.user('bob', 'bob-pass-1', 'technician', '网络组');
  await central.user('lena', 'lena-pass-1', 'lead', '服务台经理');
  const deps = { storage: central.server!.storage, now: () => new Date(), clock: new HlcClock('e2e27') };
  const net = await saveGroup(deps, { id: await groupId('网络组'), name: '网络组', tier: 'L2', active: true });
  await saveGroup(deps, { name: '核心网络', tier: 'L3', active: true });
  await saveGroup(deps, { name: '华为维保', tier: 'vendor', active: true });
  await setAssignmentRule(deps, { categoryId: 'network', groupId: net.id });
  [deskA, deskB, deskL] = await Promise.all([startConsole(), startConsole(), startConsole()]);
});
test.afterEach(closePages);
test.afterAll(async () => {
  await deskA?.dispose();
  await deskB?.dispose();
  await deskL?.dispose();
  await central?.dispose();
});

async function groupId(name: string): Promise<string> {
  const row = await central.server!.storage.read((q) => q.get<{ id: string }>('SELECT id FROM groups WHERE name = ?', [name]));
  return row!.id;
}

const shot = (page: Page, name: string) => page.screenshot({ path: test.info().outputPath(`${name}.png`) });

async function record(a: Page, title: string): Promise<string> {
  await a.keyboard.press('Alt+N');
  const form = a.getByTestId('incident-form');
  await form.getByLabel('请求者姓名 *').fill('韩梅梅');
  await form.getByLabel('分类 *').selectOption({ label: '网络' });
  await form.getByLabel('标题 *').fill(title);
  await form.getByLabel('标题 *').press('Control+Enter');
  await expect(form).toHaveCount(0);
  const detail = a.getByTestId('incident-detail');
  await expect(detail.getByTestId('detail-title')).toHaveText(title);
  return (await detail.getByTestId('detail-number').textContent())!.trim();
}

test('dispatch, return, re-dispatch, accept, escalate to a vendor with their ticket number, pending (paused), resolve; confirm, rate 4, close; ask management and the lead is told', async ({ browser }) => {
  const tag = unique();
  const a = await consolePage(browser);
  const b = await consolePage(browser);
  await signInThroughUi(a, deskA, central.url, 'alice', 'alice-pass-1');
  await signInThroughUi(b, deskB, central.url, 'bob', 'bob-pass-1');

  // A records and dispatches by category: the suggested group is second line's; to bob, by keyboard.
  const number = await record(a, `核心交换机端口掉线 switch down ${tag}`);
  // with first line it is dispatched, not escalated: the action is there, disabled
  await expect(a.getByTestId('escalate')).toBeDisabled();
  await a.getByTestId('transition-assigned').click();
  const dialog = a.getByTestId('dispatch-dialog');
  await expect(dialog.getByTestId('dispatch-chosen')).toContainText('网络组');
  await expect(dialog.getByTestId('dispatch-group-filter')).toBeFocused();
  await a.keyboard.press('Enter');
  await expect(dialog.getByTestId('dispatch-person-filter')).toBeFocused();
  await a.keyboard.type('bo');
  await a.keyboard.press('Enter');
  await expect(dialog.getByTestId('dispatch-person')).toContainText('bob');
  await expect(dialog.getByTestId('confirm-dispatch')).toBeFocused();
  await a.keyboard.press('Enter');
  await expect(a.getByTestId('incident-detail')).toHaveAttribute('data-status', 'assigned');
  await syncNow(a);

  // B returns it with a reason.
  await syncNow(b);
  await openBySearch(b, tag, number);
  await b.getByTestId('transition-returned').click();
  const ret = b.getByTestId('return-dialog');
  await ret.getByTestId('return-reason-needs_info').check();
  await ret.getByTestId('return-text').fill('请补充掉线的端口号');
  await ret.getByTestId('return-text').press('Control+Enter');
  await expect(b.getByTestId('incident-detail')).toHaveAttribute('data-status', 'returned');
  await syncNow(b);

  // A sees it in its group's queue with the reason and dispatches it again.
  await syncNow(a);
  await a.getByTestId('scope-group').click();
  const row = a.locator(`[data-testid="queue-row"][data-number="${number}"]`);
  await expect(row.getByTestId('badge-returned')).toHaveText('退回 · 信息不全');
  await row.click();
  await expect(a.getByTestId('return-banner')).toContainText('请补充掉线的端口号');
  await a.getByTestId('transition-assigned').click();
  await a.getByTestId('dispatch-person-filter').fill('bob');
  await a.getByTestId('dispatch-person-filter').press('Enter');
  await a.keyboard.press('Control+Enter');
  await expect(a.getByTestId('incident-detail')).toHaveAttribute('data-status', 'assigned');
  await syncNow(a);

  // B accepts and escalates to the vendor (key X), with their ticket number.
  await syncNow(b);
  await openBySearch(b, tag, number);
  await b.getByTestId('accept-incident').click();
  await expect(b.getByTestId('incident-detail')).toHaveAttribute('data-status', 'in_progress');
  await b.getByTestId('detail-title').click();
  await b.keyboard.press('x');
  const esc = b.getByTestId('escalate-dialog');
  await expect(esc).toBeVisible();
  // only higher tiers are offered; third line first
  await expect(esc.getByTestId('escalate-group').locator('option')).toHaveText(['核心网络 · 三线 L3', '华为维保 · 厂商']);
  await esc.getByTestId('escalate-group').selectOption({ label: '华为维保 · 厂商' });
  await expect(esc.getByTestId('escalate-vendor-note')).toBeVisible();
  // bad input: no reason, no vendor name — each named under its field, nothing changes
  await esc.getByTestId('confirm-escalate').click();
  await expect(esc.getByRole('alert').first()).toHaveText('请填写原因');
  await esc.getByTestId('escalate-reason').fill('交换机板卡故障，需厂商更换');
  await esc.getByTestId('confirm-escalate').click();
  await expect(esc.getByRole('alert')).toHaveText('请填写厂商名称');
  await expect(b.getByTestId('incident-detail')).toHaveAttribute('data-status', 'in_progress');
  await esc.getByTestId('escalate-vendorName').fill('华为');
  await esc.getByTestId('escalate-vendorContact').fill('400-822-9999 王工');
  await esc.getByTestId('escalate-vendorTicket').fill('HW-2026-1122-0042');
  await shot(b, 'b-escalate-zh-CN');
  await esc.getByTestId('escalate-vendorTicket').press('Control+Enter');
  await expect(esc).toHaveCount(0);
  await expect(b.getByTestId('incident-detail')).toHaveAttribute('data-status', 'assigned');
  const block = b.getByTestId('escalation-block');
  await expect(block.getByTestId('escalation-level')).toContainText('厂商');
  await expect(block.getByTestId('vendor-name')).toHaveText('华为');
  await expect(block.getByTestId('vendor-contact')).toHaveText('400-822-9999 王工');
  await expect(block.getByTestId('vendor-ticket')).toHaveText('HW-2026-1122-0042');
  await expect(b.getByTestId('history')).toContainText('升级到');
  await expect(b.getByTestId('history')).toContainText('厂商工单号');
  await block.scrollIntoViewIfNeeded();
  await shot(b, 'b-escalated-zh-CN');

  // Pending for the vendor: the resolution clock shows paused.
  await b.getByTestId('transition-pending').click();
  const pend = b.getByTestId('transition-prompt');
  await pend.getByTestId('pending-reason-vendor').check();
  await pend.getByTestId('pending-text').fill('等厂商寄板卡');
  await pend.getByTestId('confirm-transition').click();
  await expect(b.getByTestId('detail-status')).toHaveText('挂起');
  await expect(b.getByTestId('sla-clock-resolution')).toHaveAttribute('data-paused-by', 'pending');
  await shot(b, 'b-vendor-pending-zh-CN');
  await b.getByTestId('transition-in_progress').click();
  await expect(b.getByTestId('detail-status')).toHaveText('处理中');
  await b.getByTestId('transition-resolved').click();
  await b.getByTestId('transition-prompt').getByLabel('解决方案 *').fill('厂商更换板卡后端口恢复');
  await b.getByTestId('transition-prompt').getByLabel('解决方案 *').press('Control+Enter');
  await expect(b.getByTestId('detail-status')).toHaveText('已解决');
  await syncNow(b);

  // A confirms with the requester, satisfaction 4, closes; then it cannot be edited.
  await syncNow(a);
  await openBySearch(a, tag, number);
  await expect(a.getByTestId('detail-status')).toHaveText('已解决');
  await expect(a.getByTestId('vendor-ticket')).toHaveText('HW-2026-1122-0042');
  await a.getByTestId('transition-closed').click();
  const close = a.getByTestId('transition-prompt');
  await close.getByTestId('confirm-who').fill('韩梅梅');
  await close.getByTestId('confirm-via-phone').check();
  await close.getByTestId('closure-rating-4').check();
  await close.getByTestId('confirm-transition').click();
  await expect(a.getByTestId('detail-status')).toHaveText('已关闭');
  await expect(a.getByTestId('detail-satisfaction')).toContainText('★★★★☆');
  await expect(a.getByTestId('edit-incident')).toBeDisabled();
  await expect(a.getByTestId('escalate')).toHaveCount(0);
  await expect(a.getByTestId('vendor-edit')).toHaveCount(0);
  await shot(a, 'a-closed-zh-CN');
  await syncNow(a);

  // Ask management on another incident (key M): flagged at the top, a badge in the queue.
  const other = await record(a, `全楼网络中断 outage ${tag}`);
  await a.getByTestId('detail-title').click();
  await a.keyboard.press('m');
  const mgmt = a.getByTestId('mgmt-dialog');
  await mgmt.getByTestId('confirm-mgmt').click();
  await expect(mgmt.getByRole('alert')).toHaveText('请填写原因');
  await mgmt.getByTestId('mgmt-reason').fill('影响全楼办公，需管理层协调厂商加急');
  await mgmt.getByTestId('mgmt-reason').press('Control+Enter');
  await expect(a.getByTestId('mgmt-flag')).toContainText('已请求管理层介入');
  await expect(a.getByTestId('mgmt-flag-reason')).toHaveText('影响全楼办公，需管理层协调厂商加急');
  await a.getByTestId('scope-all').click();
  await expect(a.locator(`[data-testid="queue-row"][data-number="${other}"]`).getByTestId('badge-mgmt')).toBeVisible();
  await shot(a, 'a-mgmt-zh-CN');
  await syncNow(a);

  // The lead's bell shows the notice; opening it opens the incident.
  const l = await consolePage(browser);
  await signInThroughUi(l, deskL, central.url, 'lena', 'lena-pass-1');
  await syncNow(l);
  await expect(l.getByTestId('notif-count')).toHaveText('1');
  await l.getByTestId('notif-bell').click();
  const item = l.getByTestId('notif-item');
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('已上报管理层');
  await expect(item).toContainText(other);
  // the lead reads why, without opening the incident
  await expect(item).toContainText('影响全楼办公，需管理层协调厂商加急');
  await shot(l, 'lead-bell-zh-CN');
  await l.getByTestId('language').selectOption('en');
  await expect(item).toContainText('Escalated to management');
  await shot(l, 'lead-bell-en');
  await item.getByRole('button').first().click();
  await expect(l.getByTestId('incident-detail')).toHaveAttribute('data-number', other);
  await expect(l.getByTestId('mgmt-flag')).toContainText('Management asked to step in');
  await shot(l, 'lead-flag-en');

  // English on B: the escalation block of the closed incident, read-only.
  await syncNow(b);
  await b.getByTestId('language').selectOption('en');
  await openBySearch(b, tag, number);
  await expect(b.getByTestId('detail-status')).toHaveText('Closed');
  await expect(b.getByTestId('escalation-block')).toContainText('Vendor\'s ticket no.');
  await expect(b.getByTestId('vendor-ticket')).toHaveText('HW-2026-1122-0042');
  // a vendor's ticket keeps no second-line person, even after work resumed from pending
  await expect(b.getByTestId('vendor-edit')).toHaveCount(0);
  await b.getByTestId('escalation-block').scrollIntoViewIfNeeded();
  await shot(b, 'b-closed-en');
  // the shortcut sheet lists the two keys
  await b.getByTestId('detail-title').click();
  await b.keyboard.press('?');
  await expect(b.getByTestId('keys-detail')).toContainText('Escalate to third line or a vendor');
  await expect(b.getByTestId('keys-detail')).toContainText('Ask management to step in');
  await shot(b, 'b-keys-en');
});
