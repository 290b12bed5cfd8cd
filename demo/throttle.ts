import type { ThrottleClass } from './http/types';

/** Published Graph limits (graph-api.md §13); windows are in ms before the time factor. */
export interface DemoLimits {
  reportsPerWindow: number;
  reportsWindowMs: number;
  /** Resource units per window; `null` picks S/M/L by tenant size (3,500 / 5,000 / 8,000). */
  identityUnitsPerWindow: number | null;
  identityWindowMs: number;
  identityWritesPerWindow: number;
  identityWritesWindowMs: number;
  identityProtectionPerWindow: number;
  identityProtectionWindowMs: number;
  outlookConcurrent: number;
  outlookPerMailboxPerWindow: number;
  outlookWindowMs: number;
}

export const PUBLISHED_LIMITS: DemoLimits = {
  reportsPerWindow: 5,
  reportsWindowMs: 10_000,
  identityUnitsPerWindow: null,
  identityWindowMs: 10_000,
  identityWritesPerWindow: 3_000,
  identityWritesWindowMs: 150_000,
  identityProtectionPerWindow: 1,
  identityProtectionWindowMs: 1_000,
  outlookConcurrent: 4,
  outlookPerMailboxPerWindow: 10_000,
  outlookWindowMs: 600_000,
};

export interface Admission {
  ok: boolean;
  /** Seconds (possibly fractional) for Retry-After; null when Graph sends none. */
  retryAfter: number | null;
  headers: Record<string, string>;
  release(): void;
}

export interface ThrottleRequest {
  cls: ThrottleClass;
  units: number;
  write: boolean;
  mailbox: string | null;
}

class Window {
  private readonly entries: { at: number; units: number }[] = [];
  // Index of the oldest entry still in the window, and the units in it: a busy identity window holds thousands of
  // entries, so neither shift() nor a sum over them may run on every request.
  private head = 0;
  private sum = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  private prune(now: number): void {
    while (this.head < this.entries.length && (this.entries[this.head]?.at ?? 0) <= now - this.windowMs) {
      this.sum -= this.entries[this.head]?.units ?? 0;
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
  }

  used(now: number): number {
    this.prune(now);
    return this.sum;
  }

  /** ms until `units` more fit, or 0 if they fit now. */
  waitFor(now: number, units: number): number {
    this.prune(now);
    let used = this.used(now);
    if (used + units <= this.limit) return 0;
    for (let i = this.head; i < this.entries.length; i += 1) {
      const entry = this.entries[i] as { at: number; units: number };
      used -= entry.units;
      if (used + units <= this.limit) return Math.max(1, entry.at + this.windowMs - now);
    }
    return this.windowMs;
  }

  add(now: number, units: number): void {
    this.entries.push({ at: now, units });
    this.sum += units;
  }
}

function retrySeconds(ms: number): number {
  return Math.max(0.001, Math.ceil(ms) / 1000);
}

/** Per-class limiters of one tenant; throttled requests are not counted (see demo/README.md). */
export class DemoThrottle {
  private readonly reports: Window;
  private readonly identityWrites: Window;
  private readonly identityProtection: Window;
  private identity: Window | null = null;
  private readonly mailboxes = new Map<string, Window>();
  private outlookInFlight = 0;

  constructor(
    private readonly limits: DemoLimits,
    private readonly timeFactor: number,
    private readonly now: () => number,
    private readonly userCount: () => number,
  ) {
    this.reports = new Window(limits.reportsPerWindow, limits.reportsWindowMs * timeFactor);
    this.identityWrites = new Window(limits.identityWritesPerWindow, limits.identityWritesWindowMs * timeFactor);
    this.identityProtection = new Window(
      limits.identityProtectionPerWindow,
      limits.identityProtectionWindowMs * timeFactor,
    );
  }

  private identityWindow(): Window {
    if (!this.identity) {
      const users = this.userCount();
      const bySize = users < 50 ? 3_500 : users <= 500 ? 5_000 : 8_000;
      this.identity = new Window(
        this.limits.identityUnitsPerWindow ?? bySize,
        this.limits.identityWindowMs * this.timeFactor,
      );
    }
    return this.identity;
  }

  admit(req: ThrottleRequest): Admission {
    const now = this.now();
    const pass = (headers: Record<string, string> = {}, release: () => void = () => undefined): Admission => ({
      ok: true,
      retryAfter: null,
      headers,
      release,
    });
    const reject = (retryAfter: number | null, headers: Record<string, string> = {}): Admission => ({
      ok: false,
      retryAfter,
      headers,
      release: () => undefined,
    });
    switch (req.cls) {
      case 'reports': {
        const wait = this.reports.waitFor(now, 1);
        if (wait > 0) return reject(retrySeconds(wait));
        this.reports.add(now, 1);
        return pass();
      }
      case 'identityProtection': {
        // Identity Protection and Conditional Access send 429 without Retry-After (graph-api.md §13).
        if (this.identityProtection.waitFor(now, 1) > 0) return reject(null);
        this.identityProtection.add(now, 1);
        return pass();
      }
      case 'identity': {
        const window = req.write ? this.identityWrites : this.identityWindow();
        const units = req.write ? 1 : req.units;
        const wait = window.waitFor(now, units);
        if (wait > 0) {
          return reject(retrySeconds(wait), {
            'x-ms-throttle-scope': `Tenant_Application/${req.write ? 'WriteLimit' : 'ReadWrite'}/`,
            'x-ms-throttle-information': 'ResourceUnitLimitExceeded',
          });
        }
        window.add(now, units);
        const headers: Record<string, string> = { 'x-ms-resource-unit': String(units) };
        const percent = Math.round((window.used(now) / window.limit) * 100);
        if (percent > 80) headers['x-ms-throttle-limit-percentage'] = String(percent / 100);
        return pass(headers);
      }
      case 'outlook': {
        if (this.outlookInFlight >= this.limits.outlookConcurrent) {
          return reject(retrySeconds(1000 * this.timeFactor), { 'x-ms-throttle-information': 'ConcurrencyLimit' });
        }
        if (req.mailbox !== null) {
          let window = this.mailboxes.get(req.mailbox);
          if (!window) {
            window = new Window(this.limits.outlookPerMailboxPerWindow, this.limits.outlookWindowMs * this.timeFactor);
            this.mailboxes.set(req.mailbox, window);
          }
          const wait = window.waitFor(now, 1);
          if (wait > 0) return reject(retrySeconds(wait), { 'x-ms-throttle-information': 'MailboxLimit' });
          window.add(now, 1);
        }
        this.outlookInFlight++;
        let released = false;
        return pass({}, () => {
          if (!released) {
            released = true;
            this.outlookInFlight--;
          }
        });
      }
      // Secure Score's published limit (10,000 per 10 minutes, 4 concurrent) is far above what `posture` asks.
      case 'exchangeAdmin':
      case 'login':
      case 'security':
      case 'teams':
        return pass();
    }
  }
}

/** Resource units of an identity read: base cost, $select −1, $top < 20 −1, $expand +1, minimum 1. */
export function identityUnits(base: number, query: URLSearchParams): number {
  let units = base;
  if (query.has('$select')) units -= 1;
  const top = Number(query.get('$top'));
  if (query.has('$top') && Number.isFinite(top) && top < 20) units -= 1;
  if (query.has('$expand')) units += 1;
  return Math.max(1, units);
}
