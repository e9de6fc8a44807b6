// What each action of the keybinding table does. The TUI's own state (view, rows, mode, the line
// above the key bar) lives here; everything about usage lives in the store, which the actions
// change through its setters (plan, slot) so every view follows at once.
import { useCallback, useRef, useState } from "react";
import { nextPlan } from "../../model/plans.js";
import type { UsageStore } from "../../store/store.js";
import type { Action, Mode } from "../keybindings.js";
import type { Tone } from "../theme.js";
import { VIEWS } from "../components/Tabs.js";

/** What a switch attempt says (src/slots/switch.ts's SwitchOutcome, narrowed to what is shown). */
export type SwitchReport = { status: string; headline: string; notes: string[]; warnings: string[] };
export type SwitchFn = (target: string) => Promise<SwitchReport>;

export type Message = { text: string; tone: Tone; until: number | null };

export type ControllerDeps = {
  store: UsageStore;
  refresh: () => Promise<unknown> | void;
  /** Absent until slot support is wired: the TUI says so instead of pretending. */
  switchSlot?: SwitchFn;
  demo: boolean;
  now: () => Date;
  exit: () => void;
  /** Rows in a view's table, so ↑↓ stop at the ends. */
  rowCount: (view: number) => number;
};

export type Controller = {
  mode: Mode;
  view: number;
  rows: number[];
  message: Message | null;
  confirmTarget: string | null;
  onAction: (action: Action, key: string) => Mode | void;
};

const SHORT_MS = 4000;
const LONG_MS = 15000;

export const NO_SWITCH_YET = "switching arrives with slot support";

export function useController(deps: ControllerDeps): Controller {
  const [mode, setMode] = useState<Mode>("main");
  const [view, setView] = useState(0);
  const [rows, setRows] = useState<number[]>(() => VIEWS.map(() => 0));
  const [message, setMessage] = useState<Message | null>(null);
  const [confirmTarget, setConfirmTarget] = useState<string | null>(null);
  // Several keys can arrive in one input event: read and write the latest values through refs.
  const state = useRef({ view, rows, confirmTarget });
  state.current = { view, rows, confirmTarget };
  const d = useRef(deps);
  d.current = deps;

  const say = useCallback((text: string, tone: Tone = "none", ms: number | null = SHORT_MS) => {
    setMessage({ text, tone, until: ms === null ? null : d.current.now().getTime() + ms });
  }, []);

  const pickSlot = useCallback((name: string | undefined) => {
    if (name !== undefined) d.current.store.selectSlot(name);
  }, []);

  const onAction = useCallback(
    (action: Action, key: string): Mode | void => {
      const { store } = d.current;
      const names = store.slots.map((s) => s.name);
      const at = Math.max(0, names.indexOf(store.selectedSlot ?? ""));
      const moveRow = (delta: number) => {
        const v = state.current.view;
        if (VIEWS[v] === "Slots") {
          pickSlot(names[Math.min(names.length - 1, Math.max(0, at + delta))]);
          return;
        }
        const max = Math.max(0, d.current.rowCount(v) - 1);
        const next = [...state.current.rows];
        next[v] = Math.min(max, Math.max(0, (next[v] ?? 0) + delta));
        state.current.rows = next;
        setRows(next);
      };
      switch (action) {
        case "quit":
          d.current.exit();
          return;
        case "help":
          setMode("help");
          return "help";
        case "close-help":
          setMode("main");
          return "main";
        case "plan":
          store.setPlan(nextPlan(store.plan, store.plans));
          return;
        case "slot-next":
          pickSlot(names[(at + 1) % Math.max(1, names.length)]);
          return;
        case "slot-pick": {
          const n = Number(key);
          if (names[n - 1] === undefined) say(`no slot ${n}: ${names.length} slot${names.length === 1 ? "" : "s"} known`, "warn");
          else pickSlot(names[n - 1]);
          return;
        }
        case "view-next":
        case "view-prev": {
          const next = (state.current.view + (action === "view-next" ? 1 : VIEWS.length - 1)) % VIEWS.length;
          state.current.view = next;
          setView(next);
          return;
        }
        case "row-down":
          moveRow(1);
          return;
        case "row-up":
          moveRow(-1);
          return;
        case "refresh": {
          say("refreshing…", "dim", null);
          let waited = false;
          Promise.resolve()
            .then(() => {
              const result = d.current.refresh();
              waited = result instanceof Promise;
              return result;
            })
            .then(
              // A refresh that returns no promise only asked the poller; its results arrive as store changes.
              () => say(waited ? "refreshed" : "refresh requested (sources in backoff wait their turn)", "dim"),
              (err: unknown) => say(`refresh failed: ${err instanceof Error ? err.message : String(err)}`, "crit", LONG_MS),
            );
          return;
        }
        case "switch": {
          const target = store.selectedSlot;
          const info = store.slots.find((s) => s.name === target);
          if (!target || !info) {
            say("no slot to switch to", "warn");
            return;
          }
          if (info.active) {
            say(`${target} is already the live slot`, "dim");
            return;
          }
          state.current.confirmTarget = target;
          setConfirmTarget(target);
          setMode("confirm");
          return "confirm";
        }
        case "cancel":
          setConfirmTarget(null);
          setMode("main");
          say("switch cancelled", "dim");
          return "main";
        case "confirm-switch": {
          const target = state.current.confirmTarget;
          setConfirmTarget(null);
          setMode("main");
          if (!target) return "main";
          if (d.current.demo) {
            say(`demo: would point .credentials.json at .credentials.json.${target}; no files touched`, "accent", LONG_MS);
            return "main";
          }
          const run = d.current.switchSlot;
          if (!run) {
            say(NO_SWITCH_YET, "warn", LONG_MS);
            return "main";
          }
          say(`switching to ${target}…`, "dim", null);
          run(target).then(
            (r) => {
              const tone: Tone = r.status === "switched" ? "ok" : r.status === "refused" ? "crit" : "warn";
              say([r.headline, ...r.warnings, ...r.notes].join(" · "), tone, LONG_MS);
              store.warn(`tui switch to ${target}: ${r.status}: ${r.headline}`, d.current.now());
              if (r.status === "switched") store.setSlots(store.slots.map((s) => ({ ...s, active: s.name === target })));
            },
            (err: unknown) => say(`switch failed: ${err instanceof Error ? err.message : String(err)}`, "crit", LONG_MS),
          );
          return "main";
        }
      }
    },
    [pickSlot, say],
  );

  return { mode, view, rows, message, confirmTarget, onAction };
}
