// Re-render on store "change" events, and only then (besides the clock). A poll round or a demo
// tick ingests several reader entries in one go, each emitting "change"; Ink's root renders each
// state update synchronously, so the events are coalesced into one update per macrotask.
import { useEffect, useState } from "react";
import type { UsageStore } from "../../store/store.js";

export function useStore(store: UsageStore): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let pending = false;
    let live = true;
    const onChange = () => {
      if (pending) return;
      pending = true;
      queueMicrotask(() => {
        pending = false;
        if (live) setVersion((v) => v + 1);
      });
    };
    store.on("change", onChange);
    return () => {
      live = false;
      store.off("change", onChange);
    };
  }, [store]);
  return version;
}
