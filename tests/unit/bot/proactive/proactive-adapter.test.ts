import assert from 'node:assert/strict';
import type { CloudAdapter } from 'botbuilder';
import { createProactiveAdapter } from '../../../../bot/proactive/proactive-adapter';

// The adapter port with a hand fake of CloudAdapter: the SDK retry policy is taken out of whatever connector client
// the turn holds (and a client of another shape is left alone), and a failed post surfaces as its own error.
const KEY = Symbol('ConnectorClient');

function fakeAdapter(connector: unknown) {
  const seen: unknown[] = [];
  const adapter = {
    ConnectorClientKey: KEY,
    async continueConversationAsync(
      appId: string,
      reference: unknown,
      logic: (ctx: { turnState: Map<unknown, unknown> }) => Promise<void>,
    ) {
      seen.push([appId, reference]);
      await logic({ turnState: new Map([[KEY, connector]]) });
    },
    createConversationAsync(this: unknown, ...args: unknown[]) {
      seen.push(['create', this === adapter, ...args.slice(0, 3)]);
      return Promise.resolve();
    },
  };
  return { adapter: adapter as unknown as CloudAdapter, seen };
}

describe('bot/proactive/proactive-adapter: one HTTP attempt per post, the connector error as thrown', () => {
  it("removes the SDK's retry policy from the turn's connector client before the post", async () => {
    const removed: unknown[] = [];
    let removedBeforePost = false;
    const connector = { client: { pipeline: { removePolicy: (o: unknown) => void removed.push(o) } } };
    const { adapter, seen } = fakeAdapter(connector);
    await createProactiveAdapter(adapter).continueConversationAsync('app', { serviceUrl: 'x' }, () => {
      removedBeforePost = removed.length === 1;
      return Promise.resolve();
    });
    assert.deepEqual(removed, [{ name: 'defaultRetryPolicy' }]);
    assert.ok(removedBeforePost);
    assert.deepEqual(seen, [['app', { serviceUrl: 'x' }]]);
  });

  for (const [name, connector] of [
    ['no connector client', undefined],
    ['a client without a core-client ServiceClient', {}],
    ['a ServiceClient without a pipeline', { client: {} }],
  ] as const) {
    it(`${name}: the post still goes`, async () => {
      let posted = false;
      const { adapter } = fakeAdapter(connector);
      await createProactiveAdapter(adapter).continueConversationAsync('app', {}, () => {
        posted = true;
        return Promise.resolve();
      });
      assert.ok(posted);
    });
  }

  it('a failed post rejects with the connector error itself (not the turn-error handler)', async () => {
    const { adapter } = fakeAdapter(undefined);
    const error = Object.assign(new Error('Too Many Requests'), { statusCode: 429 });
    await assert.rejects(
      createProactiveAdapter(adapter).continueConversationAsync('app', {}, () => Promise.reject(error)),
      (e) => e === error,
    );
  });

  it('createConversationAsync is the adapter’s own, bound to it', async () => {
    const { adapter, seen } = fakeAdapter(undefined);
    const port = createProactiveAdapter(adapter);
    const create = port.createConversationAsync;
    await create('app', 'msteams', 'https://smba.trafficmanager.net/emea/', 'aud', {} as never, () =>
      Promise.resolve(),
    );
    assert.deepEqual(seen, [['create', true, 'app', 'msteams', 'https://smba.trafficmanager.net/emea/']]);
  });
});
