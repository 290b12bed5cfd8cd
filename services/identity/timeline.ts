/**
 * The investigation's timeline: one ordered list of the security-relevant events of every section, with the first
 * suspicious one marked ("what happened, in what order"). Each section contributes its own event list through a
 * TimelineSource (./timeline-sources.ts lists them); the merge here knows no section. Pure.
 */

/** Which section an event comes from (the card's label for it). */
export type TimelineSection =
  | 'sign-ins'
  | 'risk'
  | 'security-info'
  | 'account'
  | 'apps'
  | 'devices'
  | 'changes'
  | 'mailbox'
  | 'delegates'
  | 'mail-sent';

export interface TimelineEvent {
  /** ISO time; null for what Graph does not date (an inbox rule): listed after the dated events. */
  at: string | null;
  section: TimelineSection;
  /** Our wording ("Consented to an app"). Shown as plain text, never markdown. */
  what: string;
  /** Tenant data (app, device, country, rule names): untrusted text. */
  detail: string | null;
  suspicious: boolean;
  /** The persistenceKey of what the event left behind, when it is a flagged item. */
  key?: string;
}

export interface Timeline {
  /** Dated events oldest first (ties keep section order), then undated ones. */
  events: TimelineEvent[];
  /** Index into events of the first suspicious dated event (else the first suspicious undated one), or null. */
  firstSuspicious: number | null;
}

/** A section's events, from whatever the investigation holds (S is the investigation type, kept generic here). */
export type TimelineSource<S> = (investigation: S) => TimelineEvent[];

const timeOf = (e: TimelineEvent): number => (e.at === null ? NaN : Date.parse(e.at));

/** Merge per-section lists into one timeline; an event whose time does not parse counts as undated. */
export function mergeTimeline(lists: readonly (readonly TimelineEvent[])[]): Timeline {
  const all = lists.flat();
  const dated = all
    .map((e, i) => ({ e, i, t: timeOf(e) }))
    .filter((x) => !Number.isNaN(x.t))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.e);
  const undated = all.filter((e) => Number.isNaN(timeOf(e)));
  const events = [...dated, ...undated];
  const first = events.findIndex((e) => e.suspicious);
  return { events, firstSuspicious: first === -1 ? null : first };
}

/** Build the timeline of an investigation from its section sources. */
export function buildTimeline<S>(investigation: S, sources: readonly TimelineSource<S>[]): Timeline {
  return mergeTimeline(sources.map((source) => source(investigation)));
}
