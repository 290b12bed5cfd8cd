/**
 * Teams' chart elements (`Chart.Donut`, `Chart.Gauge`, …) are not in the Adaptive Cards SDK, which reports them as
 * unknown types whose fallback it will render. That is right only if each has a fallback: these helpers accept the
 * SDK's notice for a chart and report a chart without a fallback instead.
 */
const CHART_NOTICE =
  /^Parse\/UnknownElementType: Unknown element type "Chart\.[A-Za-z.]+"\. Fallback will be used if present\.$/;

/** Whether a problem is the SDK's notice about a Teams chart element. */
export function isChartNotice(problem: string): boolean {
  return CHART_NOTICE.test(problem);
}

/** A problem for every chart element in the card without a fallback element. */
export function chartsWithoutFallback(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) chartsWithoutFallback(item, out);
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (typeof record.type === 'string' && record.type.startsWith('Chart.')) {
      const fallback = record.fallback;
      if (typeof fallback !== 'object' || fallback === null)
        out.push(`Chart/NoFallback: ${record.type} has no fallback element for clients without charts`);
    }
    for (const value of Object.values(record)) chartsWithoutFallback(value, out);
  }
  return out;
}
