/**
 * One decimal, the precision utilisation is shown and compared at everywhere (SPEC 2.5's tie rule,
 * the JSON snapshot, pacing, the wave gate's thresholds), so every view rounds the same way.
 */
export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
