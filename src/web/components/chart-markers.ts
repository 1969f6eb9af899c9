import type uPlot from 'uplot';
import { colour } from './chart-palette.js';

export interface VerticalMarker {
  at: number;
  label: string;
  /** A palette name. */
  colour: string;
}

/**
 * A uPlot draw hook that draws vertical lines with labels (stage changes, pauses, the rollback) over the plot.
 * Labels are staggered over three rows so that markers close in time stay readable.
 */
export function verticalMarkers(markers: VerticalMarker[]): (u: uPlot) => void {
  return (u) => {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const dpr = window.devicePixelRatio || 1;
    ctx.save();
    ctx.font = `${11 * dpr}px system-ui, sans-serif`;
    ctx.lineWidth = dpr;
    markers.forEach((m, i) => {
      const x = Math.round(u.valToPos(m.at, 'x', true));
      if (x < left || x > left + width) return;
      ctx.strokeStyle = colour(m.colour);
      ctx.fillStyle = colour(m.colour);
      ctx.setLineDash([4 * dpr, 3 * dpr]);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.setLineDash([]);
      const text = m.label;
      const w = ctx.measureText(text).width;
      const tx = x + 4 * dpr + w > left + width ? x - 4 * dpr - w : x + 4 * dpr;
      ctx.fillText(text, tx, top + (12 + 13 * (i % 3)) * dpr);
    });
    ctx.restore();
  };
}
