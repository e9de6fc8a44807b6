// `slots reauth S` (SPEC 5.3): the re-login steps for a slot whose refresh token died, with the
// real paths filled in. Printed, never run: /login is interactive and picks the account.
import { join } from "node:path";
import type { Config } from "../config/config.js";
import type { Identity } from "./identity.js";
import { LIVE_FILE, slotFileName } from "./layout.js";

function shellQuote(p: string): string {
  return /^[A-Za-z0-9_./~:-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

export function reauthSteps(config: Config, slot: string, identity: Identity | null, current: string | null): string[] {
  const dir = config.paths.credsDir;
  const live = shellQuote(join(dir, LIVE_FILE));
  const slotPath = shellQuote(join(dir, slotFileName(slot)));
  const who = identity?.email ? ` as ${identity.email}` : identity ? ` as account ${identity.accountUuid}` : "";
  const back = current && current !== slot ? `\n  6. Return to the slot you were on:  usagetop switch ${current}` : "";
  return [
    `Re-login steps for slot "${slot}" (credentials dir ${dir}):`,
    `  1. Stop the agents that use this login, then make the slot live by hand (usagetop switch refuses a broken slot):`,
    `       ln -sfn ${slotFileName(slot)} ${live}`,
    `  2. Run claude, then type /login and sign in${who}; quit claude when it says you are logged in.`,
    `  3. Copy the new login back into the slot. If ${LIVE_FILE} is still a symlink (ls -l shows ->), Claude Code wrote`,
    `     through it and there is nothing to copy. If it is now a regular file:`,
    `       mv -f ${live} ${slotPath} && ln -s ${slotFileName(slot)} ${live}`,
    `  4. Record the account again:  usagetop slots baseline ${slot}`,
    `  5. Verify:  usagetop slots check --probe${back}`,
  ];
}
