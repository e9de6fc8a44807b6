// Terminal size, re-read on every "resize" so the layout follows the pane at once.
import { useStdout } from "ink";
import { useEffect, useState } from "react";

export type WindowSize = { columns: number; rows: number };

type SizedStream = NodeJS.EventEmitter & { columns?: number; rows?: number };

function sizeOf(stdout: SizedStream): WindowSize {
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}

/** `fixed` pins the size (tests, captures); otherwise the size of Ink's stdout. */
export function useWindowSize(fixed?: WindowSize): WindowSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState<WindowSize>(() => fixed ?? sizeOf(stdout));
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(sizeOf(stdout));
    stdout.on("resize", onResize);
    return () => {
      stdout.off("resize", onResize);
    };
  }, [stdout, fixed]);
  return fixed ?? size;
}
