import assert from 'node:assert/strict';
import { translateError } from '../../../bot/errors';
import { createGraphClient, type GraphClient } from '../../../services/graph';
import { isCodedError } from '../../../services/errors';
import type { UserId } from '../../../services/ids';
import { readSignIns } from '../../../services/identity/sign-ins-read';
import { readSspr } from '../../../services/identity/sspr-read';
import { startFaultServer, type FaultServer, type RecordedRequest } from '../../fakes/graph-fault-server';
import { createRecordingLogger } from '../../fakes/recording-logger';
import { withUsers } from '../../support/demo-turn';

const ID = '5eed0000-0000-4000-8000-000000000303' as UserId;
const FORBIDDEN = {
  status: 403,
  headers: { 'content-type': 'application/json' },
  body: {
    error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' },
  },
};

/** A `$batch` reply: each item answered by `answer(id)`. */
function batchReply(answer: (id: string) => { status: number; body?: unknown }) {
  return (req: RecordedRequest) => {
    const requests = (req.json as { requests: { id: string }[] }).requests;
    return {
      status: 200,
      body: {
        responses: requests.map((r) => ({
          id: r.id,
          headers: { 'content-type': 'application/json' },
          ...answer(r.id),
        })),
      },
    };
  };
}

// A missing Graph permission is named in the reply; an optional read (Identity Protection) degrades instead.
describe('integration: signins and sspr with missing Graph permissions (fault server)', () => {
  let server: FaultServer;
  let client: GraphClient;
  beforeEach(async () => {
    server = await startFaultServer();
    client = createGraphClient({ baseUrl: server.url, credential: { kind: 'static', token: 't' } });
  });
  afterEach(() => server.close());

  const user = { status: 200, body: { id: ID, displayName: 'Rita', userPrincipalName: 'risky@example.com' } };

  it('signins without IdentityRiskyUser.Read.All still shows the sign-ins and names the permission', async () => {
    server.script(
      batchReply((id) => (id === 'user' ? user : id === 'signIns' ? { status: 200, body: { value: [] } } : FORBIDDEN)),
    );
    const input = await readSignIns(withUsers(client), { kind: 'id', id: ID });
    assert.deepEqual(input.risk, { kind: 'unavailable', permission: 'IdentityRiskyUser.Read.All' });
    assert.equal(server.requests.length, 1, 'one round trip for an object id');
  });

  it('signins without AuditLog.Read.All fails with graph_forbidden, and the reply names the permission', async () => {
    server.script(batchReply((id) => (id === 'user' ? user : id === 'signIns' ? FORBIDDEN : { status: 404 })));
    const error = await readSignIns(withUsers(client), { kind: 'id', id: ID }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(isCodedError(error, 'graph_forbidden'));
    const reply = translateError(error, 'ref1', createRecordingLogger());
    assert.match(reply, /missing AuditLog\.Read\.All/);
  });

  it('sspr without the directory audit permission names AuditLog.Read.All + Directory.Read.All', async () => {
    server.script(
      batchReply((id) =>
        id === 'user'
          ? user
          : id === 'registration'
            ? { status: 200, body: { id: ID, userPrincipalName: 'a@example.com' } }
            : FORBIDDEN,
      ),
    );
    const error = await readSspr(withUsers(client), { kind: 'id', id: ID }, Date.now() - 86_400_000).then(
      () => null,
      (e: unknown) => e,
    );
    assert.match(translateError(error, 'ref2', createRecordingLogger()), /AuditLog\.Read\.All \+ Directory\.Read\.All/);
  });
});
