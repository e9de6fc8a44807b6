// The bottom line, generated from the keybinding table: `?Help  pPlan  sSlot  rRefresh  TabView  qQuit`.
import { Text } from "ink";
import { Fragment, type ReactElement } from "react";
import { useTheme } from "../hooks/use-theme.js";
import { keyBarItems, type Mode } from "../keybindings.js";

export type KeyBarProps = { mode: Mode; width: number };

export function keyBarText(mode: Mode): string {
  return keyBarItems(mode)
    .map((i) => `${i.key}${i.label}`)
    .join("  ");
}

export function KeyBar({ mode, width }: KeyBarProps): ReactElement {
  const theme = useTheme();
  let used = 0;
  const items = keyBarItems(mode).filter((i) => {
    used += i.key.length + i.label.length + 2;
    return used - 2 <= width;
  });
  return (
    <Text wrap="truncate-end">
      {items.map((i, n) => (
        <Fragment key={i.key}>
          {n > 0 ? "  " : ""}
          <Text {...theme.tone("key")}>{i.key}</Text>
          <Text {...theme.tone("keyLabel")}>{i.label}</Text>
        </Fragment>
      ))}
    </Text>
  );
}
