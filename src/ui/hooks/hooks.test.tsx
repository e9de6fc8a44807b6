// The hooks, each through a tiny component that prints what the hook returns.
import { EventEmitter } from "node:events";
import { Text } from "ink";
import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { demoFixture, eventually, FIXED_NOW } from "../../../test/tui-fixture.js";
import type { UsageStore } from "../../store/store.js";
import { useClock } from "./use-clock.js";
import { useKeymap } from "./use-keymap.js";
import { useStore } from "./use-store.js";
import { useWindowSize } from "./use-window-size.js";
import type { Action, Mode } from "../keybindings.js";

function StoreProbe({ store, renders }: { store: UsageStore; renders: { n: number } }) {
  const v = useStore(store);
  renders.n++;
  return <Text>v{v}</Text>;
}

describe("useStore", () => {
  it("re-renders once for a burst of store changes", async () => {
    const { store } = demoFixture();
    const renders = { n: 0 };
    const r = render(<StoreProbe store={store} renders={renders} />);
    const before = renders.n;
    for (let i = 0; i < 8; i++) store.warn(`w${i}`, FIXED_NOW);
    await eventually(() => expect(r.lastFrame()).toBe("v1"));
    expect(renders.n - before).toBe(1);
    r.unmount();
    store.warn("after unmount", FIXED_NOW);
    expect(store.listenerCount("change")).toBe(0);
  });
});

function ClockProbe({ now }: { now: () => Date }) {
  const t = useClock(now, 20);
  return <Text>{t.getTime()}</Text>;
}

describe("useClock", () => {
  it("ticks with the clock it is given", async () => {
    let t = 1000;
    const r = render(<ClockProbe now={() => new Date(t)} />);
    expect(r.lastFrame()).toBe("1000");
    t = 5000;
    await eventually(() => expect(r.lastFrame()).toBe("5000"));
  });
});

function SizeProbe() {
  const s = useWindowSize();
  return (
    <Text>
      {s.columns}x{s.rows}
    </Text>
  );
}

describe("useWindowSize", () => {
  it("follows resize events of Ink's stdout", async () => {
    const r = render(<SizeProbe />);
    // ink-testing-library's stdout is 100 columns wide and has no rows (24 assumed).
    expect(r.lastFrame()).toBe("100x24");
    Object.defineProperty(r.stdout, "rows", { value: 50, configurable: true });
    (r.stdout as unknown as EventEmitter).emit("resize");
    await eventually(() => expect(r.lastFrame()).toBe("100x50"));
  });
});

function KeyProbe({ seen }: { seen: string[] }) {
  useKeymap("main", (action: Action, key: string): Mode | void => {
    seen.push(`${action}:${key}`);
    return action === "switch" ? "confirm" : undefined;
  });
  return <Text>keys</Text>;
}

describe("useKeymap", () => {
  it("maps keys to the table's actions, reading later keys of one event in the mode the earlier ones led to", async () => {
    const seen: string[] = [];
    const r = render(<KeyProbe seen={seen} />);
    r.stdin.write("p");
    r.stdin.write("\ry");
    r.stdin.write("x");
    await eventually(() => expect(seen).toEqual(["plan:p", "switch:enter", "confirm-switch:y"]));
  });
});
