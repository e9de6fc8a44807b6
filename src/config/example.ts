// The commented example `usagetop config init` writes (SPEC 7.2). Every line is a comment, so
// the file as written changes nothing. Explanations start with "## "; settings with "# ", and
// each is valid when uncommented (the tests uncomment them all and parse the result), showing
// the default where there is one.
import { DEFAULTS } from "./defaults.js";

const D = DEFAULTS;

export const EXAMPLE_CONFIG = `## usagetop configuration (written by \`usagetop config init\`).
## Every setting is optional: an empty file means the defaults shown here. Remove the "# " in
## front of a section header and of the keys you want to change. Settings are layered: command
## line flags beat USAGETOP_* variables, which beat this file, which beats the defaults.
## Check the file with: usagetop config check

# [general]
## plan: pro, max, max_5x, max_20x, team, enterprise, api, codex, local, or a [plans.<name>] below.
## Default: detected from the credentials (gptme's harness-quota.toml claude_plan_tier is used
## when set and nothing here or on the command line says otherwise).
# plan = "max"
## The slot to show and act on. Default: the slot the live .credentials.json points at.
# slot = "alice"
## Default poll interval in seconds.
# interval = ${D.interval}
## IANA time zone for reset times and reports. Default: the system's.
# timezone = "Europe/Helsinki"

## Readers: where usage comes from. Each has enabled = true | false.
# [readers.oauth]
# enabled = true
## Seconds between polls per slot (the endpoint allows about 30 requests an hour per account).
# interval = ${D.interval}
# base_url = "${D.oauthBaseUrl}"

# [readers.claude_cache]
# enabled = true
## Claude Code's own copy of the last usage reply. Default: ~/.claude.json.
# path = "~/.claude.json"

# [readers.statusline]
# enabled = true
## Seconds a status-line record stays fresh.
# max_age = ${D.statuslineMaxAge}

# [readers.headers]
# enabled = true
## A file or directory of raw HTTP response headers (or stream-json) your harness writes.
# path = "~/.local/state/agent-headers"
## Send a probe request to get fresh headers; off by default because it spends quota.
# probe = false

# [readers.usage_screen]
# enabled = true
## "headless" runs claude -p "/usage"; "tmux" scrapes an interactive Claude Code.
# mode = "headless"
# claude_bin = "claude"
# tmux_bin = "tmux"
# tmux_target = "usagetop-scrape"
# interval = ${D.usageScreenInterval}

# [readers.usage_script]
# enabled = true
## A gptme-subscription usage script: an argument list, or a string naming one executable.
# command = ["~/bin/check-claude-usage.sh"]
# interval = ${D.usageScriptInterval}

# [readers.codex]
# enabled = true
## Default: $CODEX_HOME or ~/.codex.
# home = "~/.codex"

# [readers.transcripts]
# enabled = true
## Default: $CLAUDE_CONFIG_DIR (comma-separated) or ~/.claude and ~/.config/claude.
# dirs = ["~/.claude", "~/.config/claude"]

# [readers.ollama]
# enabled = true
# url = "${D.ollamaUrl}"
## VRAM budget for the local_vram meter, in bytes (8 GiB here).
# vram_budget_bytes = 8589934592

## Credential slots: .credentials.json.<slot> files beside a .credentials.json symlink.
# [slots]
## Default: every .credentials.json.<slot> file found in dir.
# names = ["alice", "bob"]
# primary = "alice"
# fallback_order = ["bob"]
## Default: $CLAUDE_CONFIG_DIR or ~/.claude.
# dir = "~/.claude"
## Lock files of running agents; a switch waits while any lock's PID is alive.
# lock_glob = "~/.local/state/agents/*.lock"
## A slot is exhausted at these utilisations (percent).
# weekly_exhausted = ${D.slots.weeklyExhausted}
# five_hour_exhausted = ${D.slots.fiveHourExhausted}
# sonnet_exhausted = ${D.slots.sonnetExhausted}
## Seconds between live probes of a slot, and before returning to the primary.
# probe_cooldown = ${D.slots.probeCooldown}
# return_cooldown = ${D.slots.returnCooldown}

## Plans of your own, or a built-in plan with a different meter set.
# [plans.claude_and_codex]
# meters = ["five_hour", "seven_day", "codex_primary", "codex_secondary"]

## Prices in USD per million tokens; override the built-in table or add models.
# [prices."claude-sonnet-4-5"]
# input = 3.0
# output = 15.0
# cache_write_5m = 3.75
# cache_write_1h = 6.0
# cache_read = 0.3

## Cost tiers by output price (USD per million tokens). Built-ins: low, medium, high, premium.
## Add a tier, change one by its id, or drop one with remove = true.
# [[cost_tiers]]
# id = "frontier"
# display_name = "Frontier"
# description = "The most capable models"
# price_range_min = 40.0
# price_range_max = 1000.0
# color = "magenta"
# remove = false

## The wave gate: concurrency[i] applies below thresholds[i]; at pause_at work pauses.
# [wave]
# thresholds = [${D.wave.thresholds.join(", ")}]
# concurrency = [${D.wave.concurrency.join(", ")}]
# warn_at = ${D.wave.warnAt}
# pause_at = ${D.wave.pauseAt}
## Seconds to wait after the governing meter's reset before resuming.
# resume_delay = ${D.wave.resumeDelay}
## With no usable data: "pause" (fail closed) or "run".
# on_unknown = "${D.wave.onUnknown}"
## Switch to another slot under its thresholds instead of pausing.
# switch = false

## Alerts when the governing meter crosses a threshold (percent).
# [alerts]
# thresholds = [80, 95]
## An argument list, run without a shell.
# command = ["notify-send", "usagetop"]
# bell = false

## Caps used to estimate meters from transcripts when no provider reports them.
# [limits]
# five_hour_tokens = 20000000
# five_hour_cost_usd = 50.0
# tokens_day = 100000000
# api_budget_usd = 100.0
# agent_sdk_credit_usd = 100.0

## Pacing: target 1.0 means use the window evenly; the band (points) is "on pace".
# [pacing]
# target = ${D.pacing.target.toFixed(1)}
# band = ${D.pacing.band}

## usagetop serve: a host other than 127.0.0.1 needs a token (--token or USAGETOP_SERVE_TOKEN).
# [serve]
# port = ${D.serve.port}
# host = "${D.serve.host}"
`;
