import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { zhCN } from './zh-CN.js';
import { en } from './en.js';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

/**
 * Keys the renderer asked for and neither locale has, newest last (bounded). The locale check
 * (test/e2e/22-locale-complete.spec.ts) reads them from the page; a person never sees this list.
 */
export const missingKeys: string[] = [];
declare global { interface Window { __missingKeys?: string[] } }
if (typeof window !== 'undefined') window.__missingKeys = missingKeys;

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: 'zh-CN',
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
  // Called for a key found in no language, even when the call site gave a default value.
  saveMissing: true,
  saveMissingTo: 'current',
  missingKeyHandler: (lngs, _ns, key) => {
    const entry = `${lngs.join(',')}:${key}`;
    if (missingKeys.length < 500 && !missingKeys.includes(entry)) missingKeys.push(entry);
  },
});

export function setUiLocale(locale: Locale) {
  if (i18n.language !== locale) void i18n.changeLanguage(locale);
  document.documentElement.lang = locale;
}
