import assert from 'node:assert/strict';
import { authenticationMethodsPolicySchema } from '../../../../services/graph/schemas';
import { meetsStrength, methodAllowance } from '../../../../services/identity/mfa-policy';
import { config, GROUP } from './mfa-fixtures';

const policy = (configs: unknown[]) =>
  authenticationMethodsPolicySchema.parse({ id: 'p', authenticationMethodConfigurations: configs });

describe('mfa-policy', () => {
  const cases: [string, unknown[], string[], string][] = [
    [
      'phone allowed through voice when SMS is off',
      [config('Sms', 'disabled'), config('Voice', 'enabled')],
      [],
      'allowed',
    ],
    ['phone disabled when both are off', [config('Sms', 'disabled'), config('Voice', 'disabled')], [], 'disabled'],
    ['included by a group the user is in', [config('Sms', 'enabled', [GROUP])], [GROUP.toUpperCase()], 'allowed'],
    ['no configuration at all', [], [], 'unknown'],
  ];
  for (const [name, configs, groups, kind] of cases) {
    it(name, () => assert.equal(methodAllowance('phone', policy(configs), new Set(groups)).kind, kind));
  }

  it('Windows Hello is not governed by the methods policy; an unknown type cannot be judged', () => {
    assert.deepEqual(methodAllowance('windowsHello', policy([]), new Set()), { kind: 'allowed', config: null });
    assert.equal(methodAllowance('unknown', policy([]), new Set()).kind, 'unknown');
  });

  it('meets a strength only when every part of one combination is at hand', () => {
    const mfa = ['password,microsoftAuthenticatorPush', 'password,sms', 'fido2'];
    assert.equal(meetsStrength(mfa, ['authenticator']), true);
    assert.equal(meetsStrength(mfa, ['phone']), true);
    assert.equal(
      meetsStrength(['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'], ['phone', 'authenticator']),
      false,
    );
    assert.equal(meetsStrength(['windowsHelloForBusiness', 'fido2'], ['windowsHello']), true);
    assert.equal(meetsStrength(['password'], []), true);
    assert.equal(meetsStrength([], ['fido2']), false);
  });
});
