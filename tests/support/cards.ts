import * as AC from 'adaptivecards';
import { chartsWithoutFallback, isChartNotice } from './chart-elements';

// Teams' chart elements, which the Adaptive Cards SDK does not know: it parses their fallback instead (every chart the
// bot builds has one), so "unknown element type" is expected for these and only these.
const TEAMS_CHARTS =
  /^Parse\/UnknownElementType: Unknown element type "Chart\.(Donut|Pie|Gauge|HorizontalBar|HorizontalBar\.Stacked|VerticalBar|VerticalBar\.Grouped|Line)"\. Fallback will be used if present\.$/;

/** Parses and validates a card with the Adaptive Cards SDK; returns every parse and validation problem. */
export function cardProblems(card: object): string[] {
  return allCardProblems(card).filter((p) => !TEAMS_CHARTS.test(p));
}

function allCardProblems(card: object): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    problems.push(`Parse/${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  for (const e of parsed.validateProperties().validationEvents) {
    problems.push(`Validation/${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  return [...problems.filter((p) => !isChartNotice(p)), ...chartsWithoutFallback(card)];
}

/** Every string that sits where Teams renders markdown (TextBlock text, Fact title/value, card title). */
export function markdownSurfaces(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) markdownSurfaces(item, out);
  } else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.type === 'TextBlock' && typeof record.text === 'string') out.push(record.text);
    if (record.type === 'FactSet' && Array.isArray(record.facts)) {
      for (const fact of record.facts as { title?: string; value?: string }[])
        out.push(fact.title ?? '', fact.value ?? '');
    }
    if (typeof record.title === 'string' && record.type !== 'Action.Execute' && record.type !== 'Action.Submit')
      out.push(record.title);
    for (const [key, value] of Object.entries(record)) if (key !== 'text') markdownSurfaces(value, out);
  }
  return out;
}

/** Every TextRun text in a card. */
export function textRuns(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) textRuns(item, out);
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.type === 'TextRun' && typeof record.text === 'string') out.push(record.text);
    for (const value of Object.values(record)) textRuns(value, out);
  }
  return out;
}

/** The text a reader sees, one entry per TextBlock or RichTextBlock (its TextRuns joined), in card order. */
export function visibleLines(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) visibleLines(item, out);
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.type === 'TextBlock' && typeof record.text === 'string') out.push(record.text);
    else if (record.type === 'RichTextBlock') out.push(textRuns(record.inlines).join(''));
    else for (const value of Object.values(record)) visibleLines(value, out);
  }
  return out;
}
