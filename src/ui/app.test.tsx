// The App on the demo store, driven by keys as a user would (ink-testing-library).
import { vi } from "vitest";
// Colour must be forced before chalk (through Ink) is first imported: the test's stdout is no TTY.
vi.hoisted(() => {
  process.env.FORCE_COLOR = "1";
});
import { render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "ink-testing-library";
import { demoFixture, eventually, FIXED_NOW, plainLines } from "../../test/tui-fixture.js";
import { App, type AppProps } from "./app.js";
import { NO_SWITCH_YET, type SwitchReport } from "./hooks/use-controller.js";
import { KEYBINDINGS } from "./keybindings.js";
import { EventEmitter } from "node:events";
import { render as inkRender } from "ink";

/** The smallest stdout/stdin pair Ink accepts, to reach its real waitUntilExit. */
function fakeTerminal() {
  let written = "";
  const stdout = Object.assign(new EventEmitter(), {
    columns: 80,
    rows: 24,
    isTTY: false,
    write: (chunk: string) => ((written += chunk), true),
    text: () => written,
  });
  let pending: string | null = null;
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    setRawMode: () => undefined,
    setEncoding: () => undefined,
    resume: () => undefined,
    pause: () => undefined,
    ref: () => undefined,
    unref: () => undefined,
    read: () => {
      const d = pending;
      pending = null;
      return d;
    },
    write: (data: string) => {
      pending = data;
      stdin.emit("readable");
    },
  });
  return { stdout: stdout as unknown as NodeJS.WriteStream & { text(): string }, stdin: stdin as unknown as NodeJS.ReadStream & { write(d: string): void } };
}

afterEach(() => cleanup());

const ESC = "\x1b";

function start(over: Partial<AppProps> & { plan?: string } = {}) {
  const { plan, ...props } = over;
  const fx = demoFixture(plan);
  const r = render(<App store={fx.store} color={false} now={fx.now} timeZone="UTC" demo size={{ columns: 100, rows: 40 }} {...props} />);
  const frame = () => plainLines(r.lastFrame()).join("\n");
  return { ...r, ...fx, frame };
}

function meterLabels(frame: string): string[] {
  return frame
    .split("\n")
    .filter((l) => /\[[█░|]+\]/.test(l))
    .map((l) => l.slice(0, 17).trim());
}

function governing(frame: string): string {
  return frame.split("\n").find((l) => l.startsWith("Governing:")) ?? "";
}

describe("App on the demo store", () => {
  it("shows header, every plan meter, the governing line, tabs and the key bar", () => {
    const { frame } = start();
    const f = frame();
    expect(f).toContain("usagetop demo · slot alice · plan max");
    for (const label of ["5h session", "Week (all models)", "Week (Opus)", "Week (Sonnet)", "Agent SDK credit", "Extra usage"]) {
      expect(f).toContain(label);
    }
    const g = demoFixture().store.current(FIXED_NOW).governing!;
    expect(governing(f)).toMatch(new RegExp(`^Governing: ${g.label.replace(/[()]/g, "\\$&")} \\d+%`));
    expect(f).toContain("[Slots]");
    expect(f.split("\n").at(-1)).toBe("?Help  pPlan  sSlot  rRefresh  TabView  qQuit");
  });

  it("p cycles the plan pro -> max -> api: meter set and governing line change at once", async () => {
    const r = start({ plan: "pro" });
    const pro = r.frame();
    expect(pro).toContain("plan pro");
    // pro's set: no Opus week, pools under Other.
    const proPlan = pro.slice(0, pro.indexOf("\nOther"));
    expect(meterLabels(proPlan)).toEqual(["5h session", "Week (all models)", "Week (Sonnet)", "Week (cowork)"]);
    const proGov = governing(pro);

    r.stdin.write("p");
    await eventually(() => expect(r.frame()).toContain("plan max"));
    const max = r.frame();
    expect(meterLabels(max.slice(0, max.indexOf("Governing:")))).toEqual([
      "5h session",
      "Week (all models)",
      "Week (Opus)",
      "Week (Sonnet)",
      "Agent SDK credit",
      "Extra usage",
      "Week (cowork)",
    ]);
    expect(max).not.toContain("\nOther\n");

    r.stdin.write("p");
    await eventually(() => expect(r.frame()).toContain("plan api"));
    const api = r.frame();
    expect(api).toContain("No api meters: no reader reports them");
    expect(governing(api)).toBe("Governing: none");
    expect(governing(api)).not.toBe(proGov);
    expect(r.store.plan).toBe("api");
  });

  it("2 shows slot 2's (bob's) meters at once; s moves on to carol", async () => {
    const r = start();
    const alice = r.frame();
    r.stdin.write("2");
    await eventually(() => expect(r.frame()).toContain("slot bob · live alice"));
    const bob = r.frame();
    const row = (f: string, label: string) => f.split("\n").find((l) => l.startsWith(label)) ?? "";
    expect(row(bob, "Week (all models)")).not.toBe(row(alice, "Week (all models)"));
    // bob's week is the demo's high one, and his meters replace alice's.
    expect(row(bob, "Week (all models)")).toMatch(/\s(7\d|8\d)%/);
    expect(bob).not.toContain("Agent SDK credit");
    expect(bob.split("\n").find((l) => / bob +ok /.test(l))).toMatch(/^>/);
    r.stdin.write("s");
    await eventually(() => expect(r.frame()).toContain("slot carol (stale)"));
    r.stdin.write("9");
    await eventually(() => expect(r.frame()).toContain("no slot 9: 3 slots known"));
  });

  it("? shows every binding of the table, and Esc closes it", async () => {
    const r = start();
    r.stdin.write("?");
    await eventually(() => expect(r.frame()).toContain("In this help"));
    const help = r.frame();
    for (const b of KEYBINDINGS) {
      expect(help).toContain(b.label);
      expect(help).toContain(b.description.slice(0, 40));
    }
    expect(help.split("\n").at(-1)).toBe("EscClose  qQuit");
    r.stdin.write(ESC);
    await eventually(() => expect(r.frame()).toContain("[Slots]"));
  });

  it("Tab and Shift-Tab cycle the views; j/k and arrows move the row", async () => {
    const r = start();
    const order = ["Models", "Blocks", "Sessions", "Readers", "Slots"];
    for (const name of order) {
      r.stdin.write("\t");
      await eventually(() => expect(r.frame()).toContain(`[${name}]`));
    }
    r.stdin.write("\x1b[Z");
    await eventually(() => expect(r.frame()).toContain("[Readers]"));
    const readerRow = () => r.frame().split("\n").find((l) => l.startsWith(">")) ?? "";
    expect(readerRow()).toContain("oauth");
    r.stdin.write("j");
    await eventually(() => expect(readerRow()).toContain("statusline"));
    r.stdin.write("\x1b[B");
    await eventually(() => expect(readerRow()).toContain("usage_screen"));
    r.stdin.write("k");
    await eventually(() => expect(readerRow()).toContain("statusline"));
    // Several keys in one read (fast typing, tmux send-keys) are each handled.
    r.stdin.write("jjjjjj");
    await eventually(() => expect(readerRow()).toContain("transcripts"));
    r.stdin.write("\x1b[A");
    await eventually(() => expect(readerRow()).toContain("usage_screen"));
  });

  it("in the Slots view ↓ picks the next slot, as s does", async () => {
    const r = start();
    r.stdin.write("j");
    await eventually(() => expect(r.frame()).toContain("slot bob"));
    expect(r.store.selectedSlot).toBe("bob");
  });

  it("Enter then y under --demo shows what would happen and touches nothing", async () => {
    const r = start();
    r.stdin.write("2");
    await eventually(() => expect(r.frame()).toContain("slot bob"));
    r.stdin.write("\r");
    await eventually(() => expect(r.frame()).toContain("Switch the live credentials to bob (bob@example.com)? y to switch, n to cancel"));
    expect(r.frame().split("\n").at(-1)).toBe("yYes, switch  nCancel  qQuit");
    r.stdin.write("y");
    await eventually(() => expect(r.frame()).toContain("demo: would point .credentials.json at .credentials.json.bob; no files touched"));
    expect(r.store.slots.find((s) => s.active)?.name).toBe("alice");
  });

  it("Enter on the live slot says so; n cancels a prompt", async () => {
    const r = start();
    r.stdin.write("\r");
    await eventually(() => expect(r.frame()).toContain("alice is already the live slot"));
    r.stdin.write("3\r");
    await eventually(() => expect(r.frame()).toContain("Switch the live credentials to carol"));
    r.stdin.write("n");
    await eventually(() => expect(r.frame()).toContain("switch cancelled"));
  });

  it("without slot support wired, a confirmed switch says it is not there yet", async () => {
    const r = start({ demo: false });
    r.stdin.write("2\ry");
    await eventually(() => expect(r.frame()).toContain(NO_SWITCH_YET));
  });

  it("a confirmed switch calls the switch with the target and shows its outcome", async () => {
    const calls: string[] = [];
    const switchSlot = async (target: string): Promise<SwitchReport> => {
      calls.push(target);
      return { status: "switched", headline: `switched alice -> ${target}`, notes: ["bob's access token lapsed 1h ago"], warnings: [] };
    };
    const r = start({ demo: false, switchSlot });
    r.stdin.write("2\ry");
    await eventually(() => expect(r.frame()).toContain("switched alice -> bob · bob's access token lapsed 1h ago"));
    expect(calls).toEqual(["bob"]);
    expect(r.store.slots.find((s) => s.active)?.name).toBe("bob");
    expect(r.store.log.at(-1)?.message).toContain("tui switch to bob: switched");
  });

  it("r calls the refresh function and says when it is done, or that it was requested", async () => {
    let refreshed = 0;
    const r = start({ refresh: async () => void refreshed++ });
    r.stdin.write("r");
    await eventually(() => expect(r.frame()).toContain("refreshed"));
    expect(refreshed).toBe(1);
    const poll = start({ refresh: () => void refreshed++ });
    poll.stdin.write("r");
    await eventually(() => expect(poll.frame()).toContain("refresh requested (sources in backoff wait their turn)"));
    expect(refreshed).toBe(2);
  });

  it("q and Ctrl-C quit: Ink's exit promise resolves", async () => {
    for (const key of ["q", "\x03"]) {
      const fx = demoFixture();
      const io = fakeTerminal();
      const app = inkRender(<App store={fx.store} color={false} now={fx.now} timeZone="UTC" demo size={{ columns: 80, rows: 24 }} />, {
        ...io,
        exitOnCtrlC: false,
        patchConsole: false,
      });
      let exited = false;
      void app.waitUntilExit().then(() => (exited = true));
      await eventually(() => expect(io.stdout.text()).toContain("?Help"));
      io.stdin.write(key);
      await eventually(() => expect(exited).toBe(true));
    }
  });

  it("store changes re-render without any key", async () => {
    const r = start();
    r.stdin.write("\t\t\t\t");
    await eventually(() => expect(r.frame()).toContain("[Readers]"));
    r.store.warn("state file was corrupt: moved aside", FIXED_NOW);
    await eventually(() => expect(r.frame()).toContain("state file was corrupt: moved aside"));
  });
});

describe("colour", () => {
  it("coloured output carries escape codes; NO_COLOR output carries none and the same text", () => {
    const fx = demoFixture();
    const coloured = render(<App store={fx.store} color now={fx.now} timeZone="UTC" demo size={{ columns: 120, rows: 40 }} />);
    const plain = render(<App store={fx.store} color={false} now={fx.now} timeZone="UTC" demo size={{ columns: 120, rows: 40 }} />);
    const c = coloured.lastFrame() ?? "";
    const p = plain.lastFrame() ?? "";
    expect(c).toMatch(/\x1b\[/);
    expect(p).not.toMatch(/\x1b/);
    const trimmed = (f: string) => plainLines(f).map((l) => l.trimEnd());
    expect(trimmed(c)).toEqual(trimmed(p));
  });
});

describe("sizes", () => {
  const widths = [60, 73, 80, 100, 120, 200, 250];
  const heights = [15, 24, 60];
  for (const plan of ["max", "api"]) {
    it(`plan ${plan}: every width 60–250 and height >= 15 fits (no line wider than the pane, at most rows - 1 lines)`, () => {
      for (const columns of widths) {
        for (const rows of heights) {
          const fx = demoFixture(plan);
          const r = render(<App store={fx.store} color={false} now={fx.now} timeZone="UTC" demo size={{ columns, rows }} />);
          const lines = plainLines(r.lastFrame());
          expect(lines.length, `${columns}x${rows}`).toBeLessThanOrEqual(rows - 1);
          for (const l of lines) expect([...l].length, `${columns}x${rows}: ${l}`).toBeLessThan(columns);
          expect(lines.some((l) => l.startsWith("Governing:")), `${columns}x${rows}`).toBe(true);
          expect(lines.at(-1)).toMatch(/^\?Help/);
          r.unmount();
        }
      }
    });
  }

  it("with few rows the tab body goes first, then Other, then meters fold", () => {
    const frameAt = (rows: number) => {
      const fx = demoFixture("pro");
      const r = render(<App store={fx.store} color={false} now={fx.now} timeZone="UTC" demo size={{ columns: 100, rows }} />);
      const f = plainLines(r.lastFrame()).join("\n");
      r.unmount();
      return f;
    };
    const tall = frameAt(40);
    expect(tall).toContain("[Slots]");
    expect(tall).toContain("\nOther\n");
    const noBody = frameAt(12);
    expect(noBody).not.toContain("[Slots]");
    expect(noBody).toContain("\nOther\n");
    const summary = frameAt(9);
    expect(summary).toMatch(/\nOther: .*idle|\nOther: /);
    expect(summary).not.toContain("\nOther\n");
    const folded = frameAt(6);
    expect(folded).toMatch(/\+\d+ more: /);
    expect(plainLines(folded).length).toBeLessThanOrEqual(5);
  });
});
