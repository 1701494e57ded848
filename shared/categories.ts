import type { Category } from './schemas.js';

const c = (id: string, parentId: string | null, nameZh: string, nameEn: string): Category =>
  ({ id, parentId, code: parentId ?? id, nameZh, nameEn });

/** Shipped default categories (DOMAIN.md); the same ids on every desk and on the server
 * (its migration 6 seeds the subcategories), so a desk's incidents keep their subcategory when they sync. */
export const DEFAULT_CATEGORIES: Category[] = [
  c('hardware', null, '硬件', 'Hardware'),
  c('software', null, '软件', 'Software'),
  c('network', null, '网络', 'Network'),
  c('security', null, '安全', 'Security'),
  c('service_request', null, '服务请求', 'Service request'),
  c('other', null, '其他', 'Other'),
  c('hardware.pc', 'hardware', '台式机/笔记本', 'Desktop / laptop'),
  c('hardware.printer', 'hardware', '打印机/外设', 'Printer / peripherals'),
  c('hardware.server', 'hardware', '服务器/存储', 'Server / storage'),
  c('software.office', 'software', '办公软件', 'Office software'),
  c('software.business', 'software', '业务系统', 'Business application'),
  c('software.email', 'software', '邮件', 'E-mail'),
  c('network.lan', 'network', '局域网/Wi-Fi', 'LAN / Wi-Fi'),
  c('network.vpn', 'network', 'VPN/远程接入', 'VPN / remote access'),
  c('network.wan', 'network', '专线/广域网', 'WAN / leased line'),
  c('security.virus', 'security', '病毒/恶意软件', 'Virus / malware'),
  c('security.account', 'security', '账号/权限', 'Account / access'),
  c('service_request.account', 'service_request', '账号开通', 'Account activation'),
  c('service_request.install', 'service_request', '软件安装', 'Software installation'),
];
