import assert from 'node:assert/strict';
import { consumerAccountCard } from '../../../cards/consumer-account.card';
import { judgeConsumerAccount } from '../../../services/identity/consumer-account';
import { cardProblems, markdownSurfaces, textRuns } from '../../support/cards';

describe('cards/consumer-account.card', () => {
  const check = (address: string, ifExists: number, msa: number) => ({
    ...judgeConsumerAccount(
      address,
      { kind: 'ok', value: { IfExistsResult: ifExists, ThrottleStatus: 0, EstsProperties: { DomainType: 3 } } },
      { kind: 'ok', value: { NameSpaceType: 'Managed', MicrosoftAccount: msa } },
    ),
    cached: false,
  });

  it('explains a personal account sharing the work address, and what to tell the user', () => {
    const card = consumerAccountCard(check('consumer@example.com', 6, 0));
    assert.deepEqual(cardProblems(card), []);
    const json = JSON.stringify(card);
    assert.match(json, /Yes: this address also has a personal Microsoft account/);
    assert.match(json, /unusual sign-in activity/);
    assert.match(json, /Tell the user/);
  });

  it("says can't tell for a federated domain", () => {
    const card = consumerAccountCard({
      ...judgeConsumerAccount(
        'x@contoso.com',
        { kind: 'ok', value: { IfExistsResult: 0, ThrottleStatus: 0, EstsProperties: { DomainType: 4 } } },
        { kind: 'failed', reason: 'timeout' },
      ),
      cached: false,
    });
    assert.match(JSON.stringify(card), /Can't tell.*federated/s);
  });

  it('renders the address literally', () => {
    const card = consumerAccountCard(check('[x](https://evil.example)@example.com', 0, 1));
    assert.ok(!markdownSurfaces(card).join('\n').includes('evil.example'));
    assert.ok(textRuns(card).includes('[x](https://evil.example)@example.com'));
  });
});
