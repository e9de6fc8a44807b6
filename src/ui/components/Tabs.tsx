// The views under the governing line; the active one in brackets (and inverse when coloured).
import { Box } from "ink";
import { memo, type ReactElement } from "react";
import { useTheme } from "../hooks/use-theme.js";
import { paint } from "../theme.js";
import { Line } from "./Line.js";

export const VIEWS = ["Slots", "Models", "Blocks", "Sessions", "Readers"] as const;
export type ViewName = (typeof VIEWS)[number];

export type TabsProps = {
  active: number;
  width: number;
  /** Right-aligned after the tabs when it fits (today's cost and the 5-hour window's): kept at a glance from every view. */
  summary?: string;
};

// Memoised: its props change on Tab, a resize or new transcript figures, not on the 1 s tick.
export const Tabs = memo(function Tabs({ active, width, summary }: TabsProps): ReactElement {
  // Every label fits from 45 columns; narrower panes cut the line like any other.
  const theme = useTheme();
  const labels = VIEWS.map((v, i) => (i === active ? `[${v}]` : ` ${v} `));
  let text = labels.map((l, i) => `${i > 0 ? " " : ""}${paint(l, i === active ? theme.tone("tab") : theme.tone("dim"))}`).join("");
  const used = labels.reduce((a, l) => a + l.length, 0) + labels.length - 1;
  // Only whole: a summary cut in half would read as another figure.
  if (summary && used + 2 + summary.length <= width) text += `${" ".repeat(width - used - summary.length)}${paint(summary, theme.tone("dim"))}`;
  return (
    <Box width={width}>
      <Line text={text} width={width} />
    </Box>
  );
});
