// The transcript line scanner, compiled to WebAssembly (scripts/build-wasm.mjs).
//
// Why it exists: a cold `usagetop report` spends most of its time in JSON.parse of assistant
// lines, building objects for fields nobody reads. This scanner validates one line as JSON (the
// grammar JSON.parse accepts) in a single pass and keeps only the fields parse-transcript-line.ts
// reads, as byte spans and numbers. It answers for the plain, common case only; anything else
// (escapes in a field it reads, fractions or exponents in a count, odd types, a `<synthetic>`
// notice, deep nesting, a byte-order mark) is FALLBACK, and the line goes through the
// JavaScript parser as before. A line the scanner does answer for parses to the same entry in
// both paths; src/readers/usage-scan.test.ts holds that with fast-check.
//
// REPEAT: Claude Code writes one API message as one line per content block, repeating
// message.id, requestId and usage. When a line's key equals that of the previous USAGE line of
// the same file and its output_tokens are not larger, it is a duplicate by the ledger's rule
// (the larger copy wins), so the caller counts it without building anything.
//
// Freestanding: no libc, no allocation, memory that never grows. in_buf holds the bytes
// JavaScript reads a file into; out_num and out_span the result of the last USAGE line.

#include <wasm_simd128.h>

typedef unsigned char u8;

#define IN_CAP (1 << 20)
#define MAX_DEPTH 200
#define KEEP 256

static u8 in_buf[IN_CAP];

enum { FALLBACK = 0, USAGE = 1, REPEAT = 2 };

// Numbers, then spans ([start, end) offsets into memory; start -1 = absent / not a string).
static double out_num[8];
enum { N_TS, N_INPUT, N_OUTPUT, N_CACHE_READ, N_FLAT, N_E5, N_E1, N_COST };
static int out_span[16];
enum { S_MODEL, S_SESSION = 2, S_ID = 4, S_REQ = 6, S_CWD = 8, F_SIDECHAIN = 10, F_NESTED, F_SAME_MODEL, F_SAME_SESSION, F_SAME_CWD, S_KEY_LEN };
// The dedup key `<message.id>:<requestId>` (or the id alone), joined here when it is ASCII: one
// flat string for JavaScript to take, instead of two, a concatenation and, at the first map
// lookup, a flattening copy per line.
#define KEY_CAP 1024
static u8 key_buf[KEY_CAP];

u8 *in_ptr(void) { return in_buf; }
int in_cap(void) { return IN_CAP; }
double *num_ptr(void) { return out_num; }
int *span_ptr(void) { return out_span; }
u8 *key_ptr(void) { return key_buf; }
int key_cap(void) { return KEY_CAP; }

static const u8 *p;
static const u8 *end;

// Field states while a line is read: absent, present with the type read (a plain string, an
// object, an exact count), present with another type, or present in a form left to JavaScript.
// A key seen twice counts as its last value (JSON.parse's rule).
enum { ABSENT = 0, HAVE, OTHER, BAD };
static int ts_state, session_state, req_state, cwd_state, msg_state, id_state, model_state, usage_state, cc_state;
static const u8 *ts_s, *ts_e, *session_s, *session_e, *req_s, *req_e, *cwd_s, *cwd_e, *id_s, *id_e, *model_s, *model_e;
static int sidechain, cost_state;
static double cost;
// Counts: state per field (ABSENT/null -> 0, number -> value, BAD -> fallback).
static int cnt_state[6];
static double cnt[6];
enum { C_INPUT, C_OUTPUT, C_READ, C_FLAT, C_E5, C_E1 };

// The previous USAGE line of this file, for REPEAT and the "same string" flags.
static int prev_ok;
static u8 prev_id[KEEP], prev_req[KEEP], prev_model[KEEP], prev_session[KEEP], prev_cwd[KEEP];
static int prev_id_n, prev_req_n, prev_model_n, prev_session_n, prev_cwd_n;
static double prev_output;

void forget(void) { prev_ok = 0; prev_model_n = prev_session_n = prev_cwd_n = -1; }

// The first '\n' in in_buf[from, to), or -1. What Buffer.indexOf does, without a call into
// Node's C++ per line (the scan asks once per line).
int find_newline(int from, int to) {
  if (from < 0 || to > IN_CAP) return -1;
  const u8 *q = in_buf + from, *stop = in_buf + to;
  const v128_t nl = wasm_i8x16_splat('\n');
  while (stop - q >= 16) {
    int mask = wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(q), nl));
    if (mask) return (int)(q - in_buf) + __builtin_ctz(mask);
    q += 16;
  }
  for (; q < stop; q++)
    if (*q == '\n') return (int)(q - in_buf);
  return -1;
}

// The first `"usage"` in in_buf[from, to), or -1.
int find_usage(int from, int to) {
  if (from < 0 || to > IN_CAP) return -1;
  static const u8 word[7] = {'"', 'u', 's', 'a', 'g', 'e', '"'};
  const u8 *q = in_buf + from, *stop = in_buf + to - 6;
  const v128_t quote = wasm_i8x16_splat('"'), u = wasm_i8x16_splat('u');
  // Candidates: a quote followed by 'u', sixteen positions at a time.
  while (stop - q >= 16 && in_buf + to - q >= 17) {
    int mask = wasm_i8x16_bitmask(wasm_v128_and(wasm_i8x16_eq(wasm_v128_load(q), quote), wasm_i8x16_eq(wasm_v128_load(q + 1), u)));
    while (mask) {
      int i = __builtin_ctz(mask);
      const u8 *c = q + i;
      if (c[2] == 's' && c[3] == 'a' && c[4] == 'g' && c[5] == 'e' && c[6] == '"') return (int)(c - in_buf);
      mask &= mask - 1;
    }
    q += 16;
  }
  for (; q < stop; q++) {
    int k = 0;
    while (k < 7 && q[k] == word[k]) k++;
    if (k == 7) return (int)(q - in_buf);
  }
  return -1;
}

static int is_ws(u8 c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static void ws(void) {
  while (p < end && is_ws(*p)) p++;
}

// A string at p (on its opening quote). Returns 0 on bad JSON; *plain = no escapes.
static int str(const u8 **s, const u8 **e, int *plain) {
  p++;
  *s = p;
  *plain = 1;
  const v128_t quote = wasm_i8x16_splat('"'), backslash = wasm_i8x16_splat('\\'), space = wasm_i8x16_splat(0x20);
  for (;;) {
    // Sixteen bytes at a time while none of them ends the string, escapes or is a control byte.
    while (end - p >= 16) {
      v128_t v = wasm_v128_load(p);
      v128_t stop = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(v, quote), wasm_i8x16_eq(v, backslash)), wasm_u8x16_lt(v, space));
      if (wasm_v128_any_true(stop)) break;
      p += 16;
    }
    while (p < end && *p != '"' && *p != '\\' && *p >= 0x20) p++;
    if (p >= end) return 0;
    if (*p == '"') {
      *e = p;
      p++;
      return 1;
    }
    if (*p < 0x20) return 0;
    // Backslash: one of the escapes JSON allows.
    *plain = 0;
    p++;
    if (p >= end) return 0;
    u8 c = *p;
    if (c == 'u') {
      if (end - p < 5) return 0;
      for (int i = 1; i <= 4; i++) {
        u8 h = p[i];
        if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) return 0;
      }
      p += 5;
    } else if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' || c == 't') {
      p++;
    } else {
      return 0;
    }
  }
}

// A number at p. Returns 0 on bad JSON; *exact = a non-negative integer of at most 15 digits, whose value is *v.
static int num(double *v, int *exact) {
  int neg = 0;
  if (*p == '-') {
    neg = 1;
    p++;
  }
  if (p >= end) return 0;
  double x = 0;
  int digits = 0;
  if (*p == '0') {
    p++;
    digits = 1;
  } else if (*p >= '1' && *p <= '9') {
    while (p < end && *p >= '0' && *p <= '9') {
      x = x * 10 + (*p - '0');
      digits++;
      p++;
    }
  } else {
    return 0;
  }
  int plain = !neg && digits <= 15;
  if (p < end && *p == '.') {
    p++;
    if (p >= end || *p < '0' || *p > '9') return 0;
    while (p < end && *p >= '0' && *p <= '9') p++;
    plain = 0;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    p++;
    if (p < end && (*p == '+' || *p == '-')) p++;
    if (p >= end || *p < '0' || *p > '9') return 0;
    while (p < end && *p >= '0' && *p <= '9') p++;
    plain = 0;
  }
  *v = x;
  *exact = plain;
  return 1;
}

static int starts_number(void) { return p < end && (*p == '-' || (*p >= '0' && *p <= '9')); }

static int lit(const char *w, int n) {
  if (end - p < n) return 0;
  for (int i = 0; i < n; i++)
    if (p[i] != (u8)w[i]) return 0;
  p += n;
  return 1;
}

static int value(int depth);

typedef int (*key_fn)(const u8 *s, const u8 *e, int plain, int depth);
static int object(key_fn on_key, int depth);

static int skip_key(const u8 *s, const u8 *e, int plain, int depth) {
  (void)s, (void)e, (void)plain;
  return value(depth + 1);
}

enum { BROKEN = 0, MORE, CLOSED };

// Past an object's or array's opening byte: CLOSED when it is empty, MORE when a member follows.
static int opened(u8 close, int depth) {
  if (depth > MAX_DEPTH) return BROKEN;
  p++;
  ws();
  if (p >= end) return BROKEN;
  if (*p != close) return MORE;
  p++;
  return CLOSED;
}

// After a member: MORE past a comma, CLOSED past `close`, BROKEN on anything else.
static int after_member(u8 close) {
  ws();
  if (p >= end) return BROKEN;
  if (*p == ',') {
    p++;
    ws();
    return MORE;
  }
  if (*p != close) return BROKEN;
  p++;
  return CLOSED;
}

// Skips (validating) an array at p.
static int array(int depth) {
  int at = opened(']', depth);
  while (at == MORE) at = value(depth + 1) ? after_member(']') : BROKEN;
  return at == CLOSED;
}

// Any value at p, validated and skipped. Depth-limited: deeper lines fall back.
static int value(int depth) {
  if (p >= end) return 0;
  u8 c = *p;
  if (c == '"') {
    const u8 *s, *e;
    int plain;
    return str(&s, &e, &plain);
  }
  if (c == '{') return object(skip_key, depth);
  if (c == '[') return array(depth);
  if (starts_number()) {
    double v;
    int exact;
    return num(&v, &exact);
  }
  if (c == 't') return lit("true", 4);
  if (c == 'f') return lit("false", 5);
  if (c == 'n') return lit("null", 4);
  return 0;
}

static int key_is(const u8 *s, const u8 *e, const char *k) {
  int n = 0;
  while (k[n]) n++;
  if (e - s != n) return 0;
  for (int i = 0; i < n; i++)
    if (s[i] != (u8)k[i]) return 0;
  return 1;
}

// A string field: HAVE with its span (plain), OTHER for another type, BAD for escapes or bad JSON.
static int string_field(int *state, const u8 **s, const u8 **e, int depth) {
  if (p < end && *p == '"') {
    int plain;
    if (!str(s, e, &plain)) return 0;
    *state = plain ? HAVE : BAD;
    return 1;
  }
  *state = OTHER;
  return value(depth);
}

// A count: null -> 0, an exact integer -> its value, anything else BAD (the JS parser decides).
static int count_field(int i, int depth) {
  if (starts_number()) {
    double v;
    int exact;
    if (!num(&v, &exact)) return 0;
    cnt_state[i] = exact ? HAVE : BAD;
    cnt[i] = v;
    return 1;
  }
  if (p < end && *p == 'n') {
    cnt_state[i] = ABSENT;
    cnt[i] = 0;
    return lit("null", 4);
  }
  cnt_state[i] = BAD;
  return value(depth);
}

// Walks an object at p, calling on_key for each key (positioned on its value); on_key returns 0 on bad JSON.
static int object(key_fn on_key, int depth) {
  int at = opened('}', depth);
  while (at == MORE) {
    if (p >= end || *p != '"') return 0;
    const u8 *s, *e;
    int plain;
    if (!str(&s, &e, &plain)) return 0;
    ws();
    if (p >= end || *p != ':') return 0;
    p++;
    ws();
    at = on_key(s, e, plain, depth) ? after_member('}') : BROKEN;
  }
  return at == CLOSED;
}

// An object-valued field: walked with on_key when it is an object (HAVE), else skipped (OTHER).
static int object_field(int *state, key_fn on_key, int depth) {
  if (p < end && *p == '{') {
    *state = HAVE;
    return object(on_key, depth);
  }
  *state = OTHER;
  return value(depth);
}

// Counts [from, to) back to "absent": a repeated key starts them afresh (JSON.parse keeps the last).
static void reset_counts(int from, int to) {
  for (int i = from; i < to; i++) {
    cnt_state[i] = ABSENT;
    cnt[i] = 0;
  }
}

static int escaped_key;

static int cache_creation_key(const u8 *s, const u8 *e, int plain, int depth) {
  if (!plain) escaped_key = 1;
  else if (key_is(s, e, "ephemeral_5m_input_tokens")) return count_field(C_E5, depth + 1);
  else if (key_is(s, e, "ephemeral_1h_input_tokens")) return count_field(C_E1, depth + 1);
  return value(depth + 1);
}

static int usage_key(const u8 *s, const u8 *e, int plain, int depth) {
  if (!plain) escaped_key = 1;
  else if (key_is(s, e, "input_tokens")) return count_field(C_INPUT, depth + 1);
  else if (key_is(s, e, "output_tokens")) return count_field(C_OUTPUT, depth + 1);
  else if (key_is(s, e, "cache_read_input_tokens")) return count_field(C_READ, depth + 1);
  else if (key_is(s, e, "cache_creation_input_tokens")) return count_field(C_FLAT, depth + 1);
  else if (key_is(s, e, "cache_creation")) {
    reset_counts(C_E5, C_E1 + 1);
    return object_field(&cc_state, cache_creation_key, depth + 1);
  }
  return value(depth + 1);
}

static int message_key(const u8 *s, const u8 *e, int plain, int depth) {
  if (!plain) escaped_key = 1;
  else if (key_is(s, e, "id")) return string_field(&id_state, &id_s, &id_e, depth + 1);
  else if (key_is(s, e, "model")) return string_field(&model_state, &model_s, &model_e, depth + 1);
  else if (key_is(s, e, "usage")) {
    reset_counts(0, 6);
    cc_state = ABSENT;
    return object_field(&usage_state, usage_key, depth + 1);
  }
  return value(depth + 1);
}

static int top_key(const u8 *s, const u8 *e, int plain, int depth) {
  if (!plain) escaped_key = 1;
  else if (key_is(s, e, "timestamp")) return string_field(&ts_state, &ts_s, &ts_e, depth + 1);
  else if (key_is(s, e, "sessionId")) return string_field(&session_state, &session_s, &session_e, depth + 1);
  else if (key_is(s, e, "requestId")) return string_field(&req_state, &req_s, &req_e, depth + 1);
  else if (key_is(s, e, "cwd")) return string_field(&cwd_state, &cwd_s, &cwd_e, depth + 1);
  else if (key_is(s, e, "isSidechain")) {
    sidechain = p < end && *p == 't';
    return value(depth + 1);
  } else if (key_is(s, e, "costUSD")) {
    if (starts_number()) {
      double v;
      int exact;
      if (!num(&v, &exact)) return 0;
      cost_state = exact ? HAVE : BAD;
      cost = v;
      return 1;
    }
    cost_state = OTHER;
    return value(depth + 1);
  } else if (key_is(s, e, "message")) {
    id_state = model_state = usage_state = cc_state = ABSENT;
    reset_counts(0, 6);
    return object_field(&msg_state, message_key, depth + 1);
  }
  return value(depth + 1);
}

static int digits(const u8 *s, int i, int n) {
  int x = 0;
  for (int k = i; k < i + n; k++) {
    int c = s[k] - '0';
    if (c < 0 || c > 9) return -1;
    x = x * 10 + c;
  }
  return x;
}

// `2026-01-05T10:00:02.123Z` as Unix ms in *out (before 1970 too), or 0 for another shape: the
// shape parse-transcript-line.ts's fastIsoUtc reads.
static int iso_ms(const u8 *s, const u8 *e, double *out) {
  if (e - s != 24 || s[23] != 'Z' || s[10] != 'T' || s[19] != '.' || s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':') return 0;
  int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2), h = digits(s, 11, 2), mi = digits(s, 14, 2), sec = digits(s, 17, 2), ms = digits(s, 20, 3);
  // Years under 100: Date.UTC reads them as 19xx; leave those to JavaScript.
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 || ms < 0) return 0;
  static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
  int dim = mo == 2 ? 28 + leap : mdays[mo - 1];
  if (d > dim) return 0;
  // Days from 1970-01-01 (Howard Hinnant's days_from_civil).
  int yy = mo <= 2 ? y - 1 : y;
  int era = (yy >= 0 ? yy : yy - 399) / 400;
  int yoe = yy - era * 400;
  int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  double days = (double)era * 146097 + doe - 719468;
  *out = days * 86400000.0 + h * 3600000.0 + mi * 60000.0 + sec * 1000.0 + ms;
  return 1;
}

static int same(const u8 *s, const u8 *e, const u8 *keep, int n) {
  if (n < 0 || e - s != n) return 0;
  for (int i = 0; i < n; i++)
    if (s[i] != keep[i]) return 0;
  return 1;
}

static int remember(const u8 *s, const u8 *e, u8 *keep) {
  int n = (int)(e - s);
  if (n > KEEP) return -1;
  for (int i = 0; i < n; i++) keep[i] = s[i];
  return n;
}

// Spans are offsets into in_buf, as the caller's buffer sees them.
static int ascii(const u8 *s, const u8 *e) {
  for (; s < e; s++)
    if (*s >= 0x80) return 0;
  return 1;
}

static int key_part(const u8 *s, const u8 *e, int n) {
  for (; s < e; s++) key_buf[n++] = *s;
  return n;
}

// Joins the key into key_buf, its length in out_span[S_KEY_LEN]; -1 when there is no id, or the
// key is not ASCII (latin1 would not decode it as UTF-8 does) or too long: JavaScript builds it.
static void join_key(int has_id, int has_req) {
  out_span[S_KEY_LEN] = -1;
  if (!has_id || (id_e - id_s) + 1 + (has_req ? req_e - req_s : 0) > KEY_CAP) return;
  if (!ascii(id_s, id_e) || (has_req && !ascii(req_s, req_e))) return;
  int n = key_part(id_s, id_e, 0);
  if (has_req) {
    key_buf[n++] = ':';
    n = key_part(req_s, req_e, n);
  }
  out_span[S_KEY_LEN] = n;
}

static void span(int at, int state, const u8 *s, const u8 *e) {
  out_span[at] = state == HAVE ? (int)(s - in_buf) : -1;
  out_span[at + 1] = state == HAVE ? (int)(e - in_buf) : -1;
}

// Scans the line at in_buf[start, end_). USAGE fills the outputs; REPEAT and FALLBACK fill nothing.
int scan_line(int start, int end_) {
  if (start < 0 || end_ > IN_CAP || start > end_) return forget(), FALLBACK;
  p = in_buf + start;
  end = in_buf + end_;
  ts_state = session_state = req_state = cwd_state = msg_state = id_state = model_state = usage_state = cc_state = ABSENT;
  sidechain = 0;
  cost_state = ABSENT;
  escaped_key = 0;
  reset_counts(0, 6);
  ws();
  int ok = p < end && *p == '{' && object(top_key, 0);
  if (ok) {
    ws();
    ok = p == end;
  }
  // Only the plain case is answered here; JavaScript reads everything else, including errors.
  if (!ok || escaped_key || msg_state != HAVE || usage_state != HAVE || ts_state != HAVE || cost_state == BAD) return forget(), FALLBACK;
  if (session_state == BAD || req_state == BAD || cwd_state == BAD || id_state == BAD || model_state == BAD) return forget(), FALLBACK;
  for (int i = 0; i < 6; i++)
    if (cnt_state[i] == BAD) return forget(), FALLBACK;
  double ts;
  if (!iso_ms(ts_s, ts_e, &ts)) return forget(), FALLBACK;
  if (model_state == HAVE && key_is(model_s, model_e, "<synthetic>")) return forget(), FALLBACK;

  int has_id = id_state == HAVE && id_e > id_s;
  int has_req = req_state == HAVE && req_e > req_s;
  double output = cnt[C_OUTPUT];
  if (prev_ok && has_id && same(id_s, id_e, prev_id, prev_id_n) &&
      (has_req ? same(req_s, req_e, prev_req, prev_req_n) : prev_req_n == -2) && output <= prev_output)
    return REPEAT;

  out_num[N_TS] = ts;
  out_num[N_INPUT] = cnt[C_INPUT];
  out_num[N_OUTPUT] = output;
  out_num[N_CACHE_READ] = cnt[C_READ];
  out_num[N_FLAT] = cnt[C_FLAT];
  out_num[N_E5] = cnt[C_E5];
  out_num[N_E1] = cnt[C_E1];
  out_num[N_COST] = cost_state == HAVE ? cost : -1;
  span(S_MODEL, model_state == HAVE && model_e > model_s ? HAVE : ABSENT, model_s, model_e);
  span(S_SESSION, session_state == HAVE && session_e > session_s ? HAVE : ABSENT, session_s, session_e);
  span(S_ID, has_id ? HAVE : ABSENT, id_s, id_e);
  span(S_REQ, has_req ? HAVE : ABSENT, req_s, req_e);
  join_key(has_id, has_req);
  span(S_CWD, cwd_state, cwd_s, cwd_e);
  out_span[F_SIDECHAIN] = sidechain;
  out_span[F_NESTED] = cc_state == HAVE;
  out_span[F_SAME_MODEL] = out_span[S_MODEL] >= 0 && same(model_s, model_e, prev_model, prev_model_n);
  out_span[F_SAME_SESSION] = out_span[S_SESSION] >= 0 && same(session_s, session_e, prev_session, prev_session_n);
  out_span[F_SAME_CWD] = out_span[S_CWD] >= 0 && same(cwd_s, cwd_e, prev_cwd, prev_cwd_n);

  // This line is now the one later copies are compared with.
  prev_ok = has_id && (prev_id_n = remember(id_s, id_e, prev_id)) >= 0;
  if (prev_ok) prev_req_n = has_req ? remember(req_s, req_e, prev_req) : -2;
  if (prev_req_n == -1) prev_ok = 0;
  prev_output = output;
  prev_model_n = out_span[S_MODEL] >= 0 ? remember(model_s, model_e, prev_model) : -1;
  prev_session_n = out_span[S_SESSION] >= 0 ? remember(session_s, session_e, prev_session) : -1;
  prev_cwd_n = out_span[S_CWD] >= 0 ? remember(cwd_s, cwd_e, prev_cwd) : -1;
  return USAGE;
}
