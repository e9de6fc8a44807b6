// The clock that moves countdowns and the header's time. It returns the time of the current
// render and forces a render on each wall-clock second, unless something else (a store change)
// already rendered in that second: a demo or poll tick and the clock then share one render.
import { useEffect, useRef, useState } from "react";

/** How far past the second the clock looks: store ticks aligned to the second land first. */
const LAG_MS = 25;

export function useClock(now: () => Date, intervalMs = 1000): Date {
  const [, force] = useState(0);
  const t = now();
  const rendered = useRef(t.getTime());
  rendered.current = t.getTime();
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    const schedule = () => {
      const ms = now().getTime();
      const wait = intervalMs - (((ms % intervalMs) + intervalMs) % intervalMs) + LAG_MS;
      timer = setTimeout(() => {
        const slot = (x: number) => Math.floor(x / intervalMs);
        if (slot(rendered.current) < slot(now().getTime())) force((n) => n + 1);
        schedule();
      }, wait);
    };
    schedule();
    return () => clearTimeout(timer);
  }, [now, intervalMs]);
  return t;
}
