// The views under the governing line; the active one in brackets (and inverse when coloured).
import { Box, Text } from "ink";
import { Fragment, type ReactElement } from "react";
import { useTheme } from "../hooks/use-theme.js";

export const VIEWS = ["Slots", "Models", "Blocks", "Sessions", "Readers"] as const;
export type ViewName = (typeof VIEWS)[number];

export type TabsProps = { active: number; width: number };

export function Tabs({ active, width }: TabsProps): ReactElement {
  // Every label fits from 45 columns; narrower panes cut the line like any other.
  const theme = useTheme();
  const labels = VIEWS.map((v, i) => (i === active ? `[${v}]` : ` ${v} `));
  return (
    <Box width={width}>
      <Text wrap="truncate-end">
      {labels.map((l, i) => (
        <Fragment key={l}>
          {i > 0 ? " " : ""}
          <Text {...(i === active ? theme.tone("tab") : theme.tone("dim"))}>{l}</Text>
        </Fragment>
      ))}
      </Text>
    </Box>
  );
}
