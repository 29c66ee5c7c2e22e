/** Plots with uPlot: time on x (seconds), one or more series on y. */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

import { h } from './dom';

export type SeriesSpec = { label: string; values: (number | null)[]; color: string; scale?: string };

/** A time-series plot; `times` are milliseconds. Answers the element holding it (its first time in `data-first-ms`, for tests). */
export function timePlot(title: string, times: number[], series: SeriesSpec[], options: { testId: string; yLabel?: string; y2Label?: string; bars?: boolean; xRangeMs?: [number, number] } = { testId: 'plot' }): HTMLElement {
    const holder = h('figure', { class: 'plot', 'data-testid': options.testId, 'data-points': times.length, 'data-first-ms': times[0] ?? '' }, h('figcaption', {}, title));
    const scales = [...new Set(series.map((s) => s.scale ?? 'y'))];
    const plot = new uPlot(
        {
            width: 560,
            height: 200,
            series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, fill: options.bars === true ? `${s.color}55` : undefined, scale: s.scale ?? 'y', paths: options.bars === true ? uPlot.paths.bars!({ size: [0.8] }) : undefined, points: { show: times.length < 2 } }))],
            axes: [{}, { scale: 'y', label: options.yLabel, size: 80 }, ...(scales.includes('rate') ? [{ scale: 'rate', side: 1, label: options.y2Label, grid: { show: false } }] : [])],
            // A fixed range (the monitor's window) keeps a plot with few points readable.
            scales: { x: options.xRangeMs === undefined ? { time: true } : { time: true, range: [options.xRangeMs[0] / 1000, options.xRangeMs[1] / 1000] as [number, number] }, ...(scales.includes('rate') ? { rate: { range: [0, 1] as [number, number] } } : {}) }
        },
        [times.map((t) => t / 1000), ...series.map((s) => s.values)],
        holder
    );
    void plot;
    return holder;
}
