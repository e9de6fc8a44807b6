// Checks of the parsed command line that meow leaves to us: flags it does not know (with the one
// probably meant), and number flags given text or no value (meow would hand on NaN or nothing).

type FlagSpec = Readonly<Record<string, { readonly type: string }>>;

const kebab = (k: string): string => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * The first problem with the flags as one line for stderr (with its hint), or null.
 * `given`: the flag names as typed (meow's unnormalizedFlags); `argv`: the words before `--`.
 */
export async function flagProblem(spec: FlagSpec, parsed: Record<string, unknown>, given: readonly string[], argv: readonly string[]): Promise<string | null> {
  const known = new Set(Object.keys(spec).flatMap((k) => [k, kebab(k)]));
  const unknown = given.find((raw) => !known.has(raw) && raw !== "help" && raw !== "version");
  if (unknown !== undefined) {
    // From the config loader, already loaded: see the export there.
    const { closestKey } = await import("./config/load.js");
    const guess = closestKey(unknown, [...Object.keys(spec).map(kebab), "help", "version"]);
    return `usagetop: unknown flag --${unknown}${guess ? ` (did you mean --${guess}?)` : ""}\nhint: usagetop --help lists every flag`;
  }
  for (const [key, { type }] of Object.entries(spec)) {
    if (type !== "number") continue;
    const value = parsed[key];
    const name = kebab(key);
    // Given without a value (`--interval` last on the line) is not the default.
    const missing = value === undefined && (given.includes(name) || given.includes(key));
    if (!(Number.isNaN(value) || missing)) continue;
    const at = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    const raw = at < 0 ? "" : argv[at]!.includes("=") ? argv[at]!.slice(name.length + 3) : (argv[at + 1] ?? "");
    return `usagetop: --${name}: expected a number, got ${JSON.stringify(raw)}`;
  }
  return null;
}
