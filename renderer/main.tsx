import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { i18n } from './i18n/index.js';
import { App } from './app/App.js';
// Noto Sans SC shipped with the console: a desk without a CJK system font (most Linux installs) would
// show every Chinese character as a box. The CSS splits the font into ~100 unicode-range chunks, so
// the browser fetches only the chunks a screen uses; bold is synthesised from the one weight.
import '@fontsource/noto-sans-sc/400.css';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <App />
    </I18nextProvider>
  </StrictMode>,
);
