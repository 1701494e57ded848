// echarts ships its locale objects as plain ES modules without declarations.
declare module 'echarts/lib/i18n/langZH.js' { const lang: Record<string, unknown>; export default lang; }
declare module 'echarts/lib/i18n/langEN.js' { const lang: Record<string, unknown>; export default lang; }
