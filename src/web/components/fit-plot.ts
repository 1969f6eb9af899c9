import uPlot from 'uplot';

/**
 * Draws a uPlot chart into `holder` and keeps it as wide as its holder (at least 320 px) as the page resizes.
 * `dispose` stops watching and frees the chart.
 */
export function fitPlot(
  opts: uPlot.Options,
  data: uPlot.AlignedData,
  holder: HTMLElement,
  height: number,
): { dispose(): void } {
  const plot = new uPlot(opts, data, holder);
  const fit = () => {
    const w = Math.max(320, Math.floor(holder.clientWidth || 800));
    if (w !== plot.width) plot.setSize({ width: w, height });
  };
  const observer = new ResizeObserver(fit);
  observer.observe(holder);
  requestAnimationFrame(fit);
  return {
    dispose() {
      observer.disconnect();
      plot.destroy();
    },
  };
}
