// The live TUI (SPEC 6.3): a thin composition of the store hook, the clock, the window size, the
// key map and the view components. Layout, top to bottom: header, plan meters, Other, governing
// line, tabs and the active view, the message line, the key bar. screenBudget decides what fits.
import { Box, useApp } from "ink";
import { useMemo, type ReactElement } from "react";
import type { CostTierDefinition } from "../model/tiers.js";
import { BUILTIN_TIERS } from "../model/tiers.js";
import { dayKeyIn } from "../model/usage-report.js";
import { LOCAL_ZONE } from "../model/zone-names.js";
import type { UsageStore } from "../store/store.js";
import { BlocksView } from "./components/BlocksView.js";
import { GoverningLine } from "./components/GoverningLine.js";
import { Header } from "./components/Header.js";
import { HelpOverlay } from "./components/HelpOverlay.js";
import { KeyBar } from "./components/KeyBar.js";
import { MessageLine } from "./components/MessageLine.js";
import { MeterList } from "./components/MeterList.js";
import { ModelsView } from "./components/ModelsView.js";
import { ReadersView } from "./components/ReadersView.js";
import { SessionsView } from "./components/SessionsView.js";
import { SlotsView } from "./components/SlotsView.js";
import { Tabs, VIEWS } from "./components/Tabs.js";
import { costViews } from "./cost-views.js";
import { usd } from "./plain/report-tables.js";
import { useClock } from "./hooks/use-clock.js";
import { useController, type SwitchFn } from "./hooks/use-controller.js";
import { useKeymap } from "./hooks/use-keymap.js";
import { useStore } from "./hooks/use-store.js";
import { ThemeContext } from "./hooks/use-theme.js";
import { useWindowSize, type WindowSize } from "./hooks/use-window-size.js";
import { recommendationText, storeDecision } from "./recommendation.js";
import type { DecidePolicy } from "../slots/decide-policy.js";
import { groupMeters, screenBudget } from "./screen-budget.js";
import { makeTheme, type Tone } from "./theme.js";

export type AppProps = {
  store: UsageStore;
  /** Colour on (false under NO_COLOR / --no-color: same information, no escape codes). */
  color: boolean;
  now?: () => Date;
  timeZone?: string;
  demo?: boolean;
  /** `r`: one refresh round (the caller knows whether that means the demo or the readers). */
  refresh?: () => Promise<unknown> | void;
  /** Enter, y: the switch of SPEC 5.3; absent = not wired yet, and the TUI says so. */
  switchSlot?: SwitchFn;
  tiers?: readonly CostTierDefinition[];
  /** Decision-engine settings; null = show no advice. */
  policy?: DecidePolicy | null;
  /** Pin the size (tests); otherwise the terminal's, following resizes. */
  size?: WindowSize;
  tickMs?: number;
};

const systemNow = () => new Date();
const noRefresh = () => undefined;

export function App(props: AppProps): ReactElement {
  const { store, color, timeZone, demo = false, tiers = BUILTIN_TIERS, policy = null } = props;
  useStore(store);
  const now = useClock(props.now ?? systemNow, props.tickMs);
  const size = useWindowSize(props.size);
  const { exit } = useApp();
  const theme = useMemo(() => makeTheme(color), [color]);
  // Never draw in the last column: a line that fills it leaves the cursor in the terminal's
  // pending-wrap state, and the next cursor move lands a row off (garbage on redraw).
  const width = Math.max(20, size.columns - 1);

  const view = store.current(now);
  const groups = groupMeters(view);
  const zone = timeZone ?? LOCAL_ZONE;
  const dayOf = useMemo(() => dayKeyIn(zone), [zone]);
  const day = dayOf(now.getTime());
  // Re-aggregate only when a new transcript read arrives or the local day changes (`now` is
  // left out of the deps on purpose: the 1 s tick must not redo every bucket).
  const costs = useMemo(() => costViews(store.transcripts, tiers, zone, now), [store.transcripts, tiers, zone, day]);
  const counts = [store.slots.length, costs?.models.length ?? 0, costs?.blocks.length ?? 0, costs?.sessions.length ?? 0, view.readers.length];

  const ctl = useController({
    store,
    refresh: props.refresh ?? noRefresh,
    switchSlot: props.switchSlot,
    demo,
    now: props.now ?? systemNow,
    exit,
    rowCount: (v) => counts[v] ?? 0,
  });
  useKeymap(ctl.mode, ctl.onAction);

  let message: { text: string; tone: Tone } | null = null;
  if (ctl.mode === "confirm" && ctl.confirmTarget) {
    const email = store.slots.find((s) => s.name === ctl.confirmTarget)?.email;
    message = { text: `Switch the live credentials to ${ctl.confirmTarget}${email ? ` (${email})` : ""}? y to switch, n to cancel`, tone: "warn" };
  } else if (ctl.message && (ctl.message.until === null || ctl.message.until > now.getTime())) {
    message = ctl.message;
  }
  const budget = screenBudget(size.rows, groups, view.governing, { message: message !== null });
  const bodyHeight = budget.body - 1;
  const active = VIEWS[ctl.view];
  const row = (v: number) => Math.min(ctl.rows[v] ?? 0, Math.max(0, (counts[v] ?? 0) - 1));

  let body: ReactElement | null = null;
  if (bodyHeight > 0) {
    if (active === "Slots") {
      const slots = store.slots.map((info) => ({ info, view: info.name === view.slot ? view : store.view(info.name, now) }));
      const decision = policy ? storeDecision(store, policy, now, new Map(slots.map((s) => [s.info.name, s.view]))) : null;
      body = (
        <SlotsView
          slots={slots}
          planKinds={store.plans[store.plan] ?? []}
          selected={store.selectedSlot}
          width={width}
          height={bodyHeight}
          now={now}
          recommendation={decision ? recommendationText(decision.decision, decision.active, now) : null}
        />
      );
    } else if (active === "Models") {
      body = <ModelsView costs={costs} tiers={tiers} selected={row(1)} width={width} height={bodyHeight} />;
    } else if (active === "Blocks") {
      body = <BlocksView costs={costs} selected={row(2)} width={width} height={bodyHeight} now={now} timeZone={timeZone} />;
    } else if (active === "Sessions") {
      body = <SessionsView costs={costs} selected={row(3)} width={width} height={bodyHeight} now={now} timeZone={timeZone} />;
    } else {
      body = <ReadersView readers={view.readers} log={store.log} selected={row(4)} width={width} height={bodyHeight} now={now} timeZone={timeZone} />;
    }
  }

  return (
    <ThemeContext.Provider value={theme}>
      {/* Exactly rows - 1 tall, so the key bar sits on the bottom line as in htop (Ink must not scroll). */}
      <Box flexDirection="column" width={width} height={Math.max(1, size.rows - 1)}>
        {budget.header ? <Header view={view} slots={store.slots} width={width} now={now} timeZone={timeZone} demo={demo} /> : null}
        {ctl.mode === "help" ? (
          <HelpOverlay width={width} height={budget.middle} />
        ) : (
          <>
            <MeterList groups={groups} budget={budget} plan={view.plan} width={width} now={now} timeZone={timeZone} />
            {budget.governing ? <GoverningLine view={view} width={width} now={now} timeZone={timeZone} /> : null}
            {body ? (
              <>
                <Tabs active={ctl.view} width={width} summary={costs ? `today ${usd(costs.todayCost)} · 5h ${usd(costs.window.cost)}` : undefined} />
                {body}
              </>
            ) : null}
          </>
        )}
        <Box flexGrow={1} />
        {budget.message && message ? <MessageLine text={message.text} tone={message.tone} width={width} /> : null}
        {budget.keyBar ? <KeyBar mode={ctl.mode} width={width} /> : null}
      </Box>
    </ThemeContext.Provider>
  );
}

/** The root element, built here so callers outside .tsx need neither JSX nor React's exports. */
export function appElement(props: AppProps): ReactElement {
  return <App {...props} />;
}
