// The line above the key bar: a switch's confirmation prompt, or the outcome of the last action.
import type { ReactElement } from "react";
import { truncate } from "../format.js";
import { useTheme } from "../hooks/use-theme.js";
import type { Tone } from "../theme.js";
import { Line } from "./Line.js";

export type MessageLineProps = { text: string; tone: Tone; width: number };

export function MessageLine({ text, tone, width }: MessageLineProps): ReactElement {
  const theme = useTheme();
  return (
    <Line text={truncate(text, width)} style={theme.tone(tone)} width={width} />
  );
}
