// The governing meter in one line (SPEC 2.5), worded as the --once frame words it, coloured by
// its level; red when nothing governs because every reader is down.
import type { ReactElement } from "react";
import type { SlotView } from "../../model/view.js";
import { level } from "../format.js";
import { useTheme } from "../hooks/use-theme.js";
import { governingLine } from "../plain/frame.js";
import { Line } from "./Line.js";

export type GoverningLineProps = { view: SlotView; width: number; now: Date; timeZone?: string };

export function GoverningLine({ view, width, now, timeZone }: GoverningLineProps): ReactElement {
  const theme = useTheme();
  const text = governingLine(view, { width, color: false, now, timeZone });
  const style = view.governing ? theme.level(level(view.governing.utilisation)) : text.includes("no reader") ? theme.tone("bad") : theme.tone("dim");
  return (
    <Line text={text} style={style} bold={theme.color} width={width} />
  );
}
