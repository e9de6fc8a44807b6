// `?`: every binding of the keybinding table, grouped by mode. It replaces everything between the
// header and the key bar, and flows into columns when the lines do not fit the height.
import { Box, Text } from "ink";
import type { ReactElement } from "react";
import { pad, truncate } from "../format.js";
import { useTheme } from "../hooks/use-theme.js";
import { helpSections } from "../keybindings.js";

export type HelpLine = { text: string; heading: boolean };

export function helpLines(): HelpLine[] {
  const lines: HelpLine[] = [];
  const keyWidth = 11;
  for (const section of helpSections()) {
    if (section.bindings.length === 0) continue;
    lines.push({ text: section.title, heading: true });
    for (const b of section.bindings) lines.push({ text: `  ${pad(b.label, keyWidth)} ${b.description}`, heading: false });
  }
  return lines;
}

export type HelpOverlayProps = { width: number; height: number };

export function HelpOverlay({ width, height }: HelpOverlayProps): ReactElement | null {
  const theme = useTheme();
  if (height <= 0) return null;
  const lines = helpLines();
  const columns = Math.max(1, Math.ceil(lines.length / height));
  const colWidth = Math.floor((width - (columns - 1) * 2) / columns);
  const chunks: HelpLine[][] = [];
  for (let i = 0; i < lines.length; i += height) chunks.push(lines.slice(i, i + height));
  return (
    <Box flexDirection="row" width={width} height={Math.min(height, lines.length)}>
      {chunks.map((chunk, ci) => (
        <Box key={ci} flexDirection="column" width={colWidth} marginLeft={ci > 0 ? 2 : 0}>
          {chunk.map((l, li) => (
            <Text key={li} wrap="truncate-end" {...(l.heading ? theme.tone("heading") : {})}>
              {truncate(l.text, colWidth)}
            </Text>
          ))}
        </Box>
      ))}
    </Box>
  );
}
