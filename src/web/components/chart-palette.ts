/** Colours of the chart series (canvas needs real colours, not CSS classes). Colour-blind-safe where it matters. */
export const PALETTE: Record<string, string> = {
  'c-all': '#4b5563',
  'c-canary': '#d55e00',
  'c-baseline': '#0072b2',
  'c-band': 'rgba(0, 114, 178, 0.45)',
  'c-static': '#8e44ad',
  'c-dynamic': '#009e73',
  'c-effective': '#c0392b',
  'c-breach': '#c0392b',
  'c-decision': '#111827',
  'c-value': '#374151',
  'c-expected': '#9ca3af',
  'c-marker': 'rgba(17, 24, 39, 0.55)',
  'c-rollback': '#c0392b',
  'c-ok': '#15803d',
};

export const BAND_FILL = 'rgba(0, 114, 178, 0.10)';

export function colour(name: string): string {
  return PALETTE[name] ?? '#6b7280';
}
