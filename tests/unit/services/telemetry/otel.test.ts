import assert from 'node:assert/strict';
import { CodedError } from '../../../../services/errors';
import { METRICS, noopTelemetry } from '../../../../services/telemetry/port';
import { recordingTelemetry, type RecordingTelemetry } from '../../../support/telemetry';

describe('services/telemetry: the OpenTelemetry adapter (in-memory exporters)', () => {
  let rec: RecordingTelemetry;
  beforeEach(() => {
    rec = recordingTelemetry();
  });
  afterEach(() => rec.shutdown());

  it('nests spans by async context: concurrent turns each get their own Graph children', async () => {
    const { telemetry } = rec;
    const turn = (ref: string, requests: number): Promise<void> =>
      telemetry.span('turn', { kind: 'server', attributes: { 'secbot.correlation_id': ref } }, async () => {
        await Promise.all(
          Array.from({ length: requests }, (_, i) =>
            telemetry.span('graph GET', { kind: 'client' }, async (span) => {
              await new Promise((r) => setTimeout(r, 5 * (requests - i)));
              span.set('graph.request_id', `${ref}-${i}`);
            }),
          ),
        );
      });
    await Promise.all([turn('ref-a', 2), turn('ref-b', 3)]);

    const spans = rec.spans();
    const turns = spans.filter((s) => s.name === 'turn');
    assert.equal(turns.length, 2);
    for (const t of turns) {
      assert.equal(t.kind, 'server');
      assert.equal(t.parentSpanId, undefined);
      const ref = String(t.attributes['secbot.correlation_id']);
      const children = spans.filter((s) => s.parentSpanId === t.spanId);
      assert.equal(children.length, ref === 'ref-a' ? 2 : 3);
      for (const child of children) {
        assert.equal(child.kind, 'client');
        assert.equal(child.traceId, t.traceId);
        assert.match(String(child.attributes['graph.request_id']), new RegExp(`^${ref}-\\d$`));
      }
    }
  });

  it('marks a failed span with the error code and rethrows, never recording the message', async () => {
    const failure = new CodedError('graph_forbidden', 'no access to alice@contoso.com');
    await assert.rejects(
      rec.telemetry.span('graph GET', { kind: 'client' }, () => Promise.reject(failure)),
      (e) => e === failure,
    );
    const [span] = rec.spans();
    assert.equal(span?.status, 'error');
    assert.equal(span?.attributes['error.type'], 'graph_forbidden');
    assert.ok(!JSON.stringify(span).includes('alice@contoso.com'));
  });

  it('records the four metrics under their documented names and units', async () => {
    const { telemetry } = rec;
    telemetry.add('sendQueueDepth', 1);
    telemetry.add('sendQueueDepth', 1);
    telemetry.add('sendQueueDepth', -1);
    telemetry.add('graphThrottled', 1, { 'graph.throttle_class': 'reports' });
    telemetry.record('alertLag', 1_500);
    telemetry.record('alertLag', 2_500);
    telemetry.record('approvalDecisionToDone', 800);
    assert.deepEqual(await rec.metric(METRICS.sendQueueDepth.name), [{ attributes: {}, value: 1 }]);
    assert.deepEqual(await rec.metric(METRICS.graphThrottled.name), [
      { attributes: { 'graph.throttle_class': 'reports' }, value: 1 },
    ]);
    assert.deepEqual(await rec.metric(METRICS.alertLag.name), [{ attributes: {}, value: 4_000, count: 2 }]);
    assert.deepEqual(await rec.metric(METRICS.approvalDecisionToDone.name), [{ attributes: {}, value: 800, count: 1 }]);
  });

  it('the no-op telemetry runs the function and records nothing', async () => {
    assert.equal(await noopTelemetry.span('x', {}, (span) => (span.set('k', 1), Promise.resolve(42))), 42);
    noopTelemetry.add('graphThrottled', 1);
    noopTelemetry.record('alertLag', 1);
  });
});
