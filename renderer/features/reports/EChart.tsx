import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import langZH from 'echarts/lib/i18n/langZH.js';
import langEN from 'echarts/lib/i18n/langEN.js';
import type { EChartsCoreOption } from 'echarts/core';

// Only what the reports screen draws: bars, lines, pies, on canvas; echarts' own zh and en words.
echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);
echarts.registerLocale('ZH', langZH as never);
echarts.registerLocale('EN', langEN as never);

export interface ChartClick { key: string | null; seriesKey?: string }

/**
 * One echarts chart. Data items carry `key` (the bucket key the drill asks for). After each render the
 * container lists where its bars are drawn (`data-marks`: key and pixel position), so a test can click
 * a bar where it is; the reports screen lists the same figures as buttons under the chart for the keyboard.
 */
export function EChart({ option, locale, onClick, height = 240, testId, label }: {
  option: EChartsCoreOption; locale: string; onClick?: (c: ChartClick) => void; height?: number; testId?: string; label: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas', locale: locale === 'en' ? 'EN' : 'ZH' });
    chartRef.current = chart;
    chart.on('click', (p: { data?: unknown; seriesId?: string; seriesName?: string }) => {
      const d = p.data as { key?: string; seriesKey?: string } | undefined;
      clickRef.current?.({ key: d?.key ?? null, seriesKey: d?.seriesKey });
    });
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el);
    return () => { ro.disconnect(); chart.dispose(); chartRef.current = null; };
  }, [locale]);

  useEffect(() => {
    const chart = chartRef.current;
    const el = ref.current;
    if (!chart || !el) return;
    // Canvas text uses the console's font stack (the bundled Noto Sans SC where the system has no CJK
    // face); a canvas does not fetch a web font's unicode-range chunks itself, so they are loaded for the
    // chart's own text and the chart drawn again once they are there (else Chinese labels draw as boxes).
    const fontFamily = getComputedStyle(document.body).fontFamily;
    const draw = () => chart.setOption({ animation: false, textStyle: { fontFamily }, ...option }, true);
    draw();
    const text = JSON.stringify(option).replace(/[\x00-\x7f]/g, '');
    let live = true;
    if (text && document.fonts?.load) {
      void document.fonts.load(`12px ${fontFamily}`, text).then((faces) => { if (live && faces.length && chartRef.current === chart) draw(); }).catch(() => {});
    }
    // where each clickable mark is drawn (bars: the middle of the bar; pies: the middle of the slice)
    const marks: Array<{ key: string; x: number; y: number }> = [];
    const series = (option as { series?: Array<{ type: string; data?: Array<{ key?: string; value?: number }> }> }).series ?? [];
    series.forEach((s, si) => {
      (s.data ?? []).forEach((d, i) => {
        if (!d || typeof d !== 'object' || !d.key || !d.value) return;
        if (s.type === 'bar') {
          const horizontal = !!(option as { yAxis?: { type?: string } }).yAxis && (option as { yAxis: { type?: string } }).yAxis.type === 'category';
          const pt = chart.convertToPixel({ seriesIndex: si }, horizontal ? [d.value / 2, i] : [i, d.value / 2]) as number[] | undefined;
          if (pt) marks.push({ key: d.key, x: Math.round(pt[0]), y: Math.round(pt[1]) });
        }
      });
    });
    el.dataset.marks = JSON.stringify(marks);
    return () => { live = false; };
  }, [option, locale]);

  return <div ref={ref} className="echart" style={{ height }} data-testid={testId} role="img" aria-label={label} />;
}
