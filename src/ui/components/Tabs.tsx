// The views under the governing line; the active one in brackets (and inverse when coloured).
import { Box } from "ink";
import { memo, type ReactElement } from "react";
import { useTheme } from "../hooks/use-theme.js";
import { paint } from "../theme.js";
import { Line } from "./Line.js";

export const VIEWS = ["Slots", "Models", "Blocks", "Sessions", "Readers"] as const;
export type ViewName = (typeof VIEWS)[number];

export type TabsProps = { active: number; width: number };

// Memoised: its props change on Tab or a resize, not on the 1 s tick.
export const Tabs = memo(function Tabs({ active, width }: TabsProps): ReactElement {
  // Every label fits from 45 columns; narrower panes cut the line like any other.
  const theme = useTheme();
  const labels = VIEWS.map((v, i) => (i === active ? `[${v}]` : ` ${v} `));
  const text = labels.map((l, i) => `${i > 0 ? " " : ""}${paint(l, i === active ? theme.tone("tab") : theme.tone("dim"))}`).join("");
  return (
    <Box width={width}>
      <Line text={text} width={width} />
    </Box>
  );
});
