// Every key of the TUI in ONE table of data (SPEC 6.3; gemini-cli's keyBindings.ts is the model):
// the key handler looks actions up here, and both the `?` help and the key bar are generated
// from it, so a key cannot work without being documented or be documented without working.

/** What the screen is doing: the same key can mean different things in each. */
export type Mode = "main" | "help" | "confirm";

export type Action =
  | "help"
  | "close-help"
  | "plan"
  | "slot-next"
  | "slot-pick"
  | "switch"
  | "confirm-switch"
  | "cancel"
  | "refresh"
  | "view-next"
  | "view-prev"
  | "row-down"
  | "row-up"
  | "quit";

export type Binding = {
  /** Normalised key names (see keyName): "q", "ctrl+c", "tab", "shift+tab", "up", "enter", "escape". */
  keys: readonly string[];
  /** How the key is written in the help and the key bar. */
  label: string;
  action: Action;
  modes: readonly Mode[];
  description: string;
  /** The key bar's word for it; bindings without one appear only in the help. */
  bar?: string;
};

const DIGITS = ["1", "2", "3", "4", "5", "6", "7", "8", "9"] as const;

export const KEYBINDINGS: readonly Binding[] = [
  // htop's keys where they mean the same here: h for help, the arrows across the views.
  { keys: ["?", "h"], label: "? h", action: "help", modes: ["main"], bar: "Help", description: "show this help" },
  {
    keys: ["p"],
    label: "p",
    action: "plan",
    modes: ["main"],
    bar: "Plan",
    description: "next plan (pro, max, api, codex, local, config plans): meter set and governing change at once",
  },
  { keys: ["s"], label: "s", action: "slot-next", modes: ["main"], bar: "Slot", description: "show the next slot's meters" },
  { keys: DIGITS, label: "1-9", action: "slot-pick", modes: ["main"], description: "show slot N's meters" },
  {
    keys: ["enter"],
    label: "Enter",
    action: "switch",
    modes: ["main"],
    description: "switch the live credentials to the shown slot (asks first)",
  },
  { keys: ["r"], label: "r", action: "refresh", modes: ["main"], bar: "Refresh", description: "read every source now (backoff still applies)" },
  { keys: ["tab", "right"], label: "Tab →", action: "view-next", modes: ["main"], bar: "View", description: "next view: Slots, Models, Blocks, Sessions, Readers" },
  { keys: ["shift+tab", "left"], label: "Shift-Tab ←", action: "view-prev", modes: ["main"], description: "previous view" },
  { keys: ["down", "j"], label: "↓ j", action: "row-down", modes: ["main"], description: "move down in the table" },
  { keys: ["up", "k"], label: "↑ k", action: "row-up", modes: ["main"], description: "move up in the table" },
  { keys: ["y"], label: "y", action: "confirm-switch", modes: ["confirm"], bar: "Yes, switch", description: "confirm the switch" },
  { keys: ["n", "escape"], label: "n Esc", action: "cancel", modes: ["confirm"], bar: "Cancel", description: "cancel the switch" },
  { keys: ["escape", "?", "h"], label: "Esc ? h", action: "close-help", modes: ["help"], bar: "Close", description: "close this help" },
  { keys: ["q", "ctrl+c"], label: "q Ctrl-C", action: "quit", modes: ["main", "help", "confirm"], bar: "Quit", description: "quit (the terminal is restored)" },
];

/** The fields of Ink's `Key` that name a key; the rest (modifiers we ignore) may be absent. */
export type KeyFlags = {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  shift?: boolean;
  tab?: boolean;
  meta?: boolean;
};

const CONTROL_CHARS: Record<string, string> = { "\r": "enter", "\n": "enter", "\t": "tab", "\x1b": "escape", "\x03": "ctrl+c" };

/**
 * Key names for one input event. Ink hands several plain characters typed faster than a read
 * (or pasted) to the handler as ONE string; splitting it keeps every keypress (no dropped keys).
 */
export function keyNames(input: string, key: KeyFlags): string[] {
  if (key.ctrl && input.length === 1) return [`ctrl+${input.toLowerCase()}`];
  if (key.tab) return [key.shift ? "shift+tab" : "tab"];
  if (key.return) return ["enter"];
  if (key.upArrow) return ["up"];
  if (key.downArrow) return ["down"];
  if (key.leftArrow) return ["left"];
  if (key.rightArrow) return ["right"];
  if (key.escape && input === "") return ["escape"];
  if (input === "") return [];
  return [...input].map((ch) => CONTROL_CHARS[ch] ?? ch);
}

export function bindingFor(mode: Mode, key: string): Binding | undefined {
  return KEYBINDINGS.find((b) => b.modes.includes(mode) && b.keys.includes(key));
}

/** The key bar for a mode: `?Help  pPlan  sSlot  rRefresh  TabView  qQuit` in main. */
export function keyBarItems(mode: Mode): Array<{ key: string; label: string }> {
  return KEYBINDINGS.filter((b) => b.bar && b.modes.includes(mode)).map((b) => ({
    key: b.label.split(" ")[0] ?? b.label,
    label: b.bar ?? "",
  }));
}

export const MODE_TITLES: Record<Mode, string> = {
  main: "Anywhere",
  confirm: "While a switch asks for confirmation",
  help: "In this help",
};

/** Help sections, generated from the table (every binding appears exactly once). */
export function helpSections(): Array<{ mode: Mode; title: string; bindings: Binding[] }> {
  const seen = new Set<Binding>();
  const modes: Mode[] = ["main", "confirm", "help"];
  return modes.map((mode) => {
    const bindings = KEYBINDINGS.filter((b) => b.modes[0] === mode && !seen.has(b));
    for (const b of bindings) seen.add(b);
    return { mode, title: MODE_TITLES[mode], bindings };
  });
}
