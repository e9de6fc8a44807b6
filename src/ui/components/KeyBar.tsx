// The bottom line, generated from the keybinding table: `?Help  pPlan  sSlot  rRefresh  TabView  qQuit`.
import { memo, type ReactElement } from "react";
import { useTheme } from "../hooks/use-theme.js";
import { keyBarItems, type Mode } from "../keybindings.js";
import { paint } from "../theme.js";
import { Line } from "./Line.js";

export type KeyBarProps = { mode: Mode; width: number };

export function keyBarText(mode: Mode): string {
  return keyBarItems(mode)
    .map((i) => `${i.key}${i.label}`)
    .join("  ");
}

// Memoised: its props change on a key press or a resize, not on the 1 s tick.
export const KeyBar = memo(function KeyBar({ mode, width }: KeyBarProps): ReactElement {
  const theme = useTheme();
  let used = 0;
  const items = keyBarItems(mode).filter((i) => {
    used += i.key.length + i.label.length + 2;
    return used - 2 <= width;
  });
  const text = items.map((i, n) => `${n > 0 ? "  " : ""}${paint(i.key, theme.tone("key"))}${paint(i.label, theme.tone("keyLabel"))}`).join("");
  return <Line text={text} width={width} />;
});
