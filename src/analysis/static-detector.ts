/**
 * Static thresholds: absolute bounds a user declares (`static.max` / `static.min`). A value above max or below
 * min breaches, whatever the check's direction: the user asked for exactly that bound. Undefined bounds never
 * breach; NaN never breaches (missing data is handled as no_data, not here).
 */
export function staticBreach(value: number, max: number | undefined, min: number | undefined): boolean {
  return (max !== undefined && value > max) || (min !== undefined && value < min);
}
