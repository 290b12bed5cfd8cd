import { isAdmin } from './membership';
import { methodsOf, type DemoState, type DemoUser, type GraphObject } from './state';

const METHOD_NAMES: Readonly<Record<string, { registered: string; mfa: boolean; sspr: boolean; config: string }>> = {
  '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod': {
    registered: 'microsoftAuthenticatorPush',
    mfa: true,
    sspr: true,
    config: 'MicrosoftAuthenticator',
  },
  '#microsoft.graph.phoneAuthenticationMethod': { registered: 'mobilePhone', mfa: true, sspr: true, config: 'Sms' },
  '#microsoft.graph.emailAuthenticationMethod': { registered: 'email', mfa: false, sspr: true, config: 'Email' },
  '#microsoft.graph.fido2AuthenticationMethod': {
    registered: 'passKeyDeviceBound',
    mfa: true,
    sspr: false,
    config: 'Fido2',
  },
  '#microsoft.graph.softwareOathAuthenticationMethod': {
    registered: 'softwareOneTimePasscode',
    mfa: true,
    sspr: true,
    config: 'SoftwareOath',
  },
  '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod': {
    registered: 'windowsHelloForBusiness',
    mfa: true,
    sspr: false,
    config: 'WindowsHelloForBusiness',
  },
  '#microsoft.graph.temporaryAccessPassAuthenticationMethod': {
    registered: 'temporaryAccessPass',
    mfa: false,
    sspr: false,
    config: 'TemporaryAccessPass',
  },
};

function enabledConfigs(state: DemoState): Set<string> {
  const configs = state.authenticationMethodsPolicy.authenticationMethodConfigurations;
  const out = new Set<string>(['WindowsHelloForBusiness']);
  if (Array.isArray(configs)) {
    for (const c of configs as { id?: unknown; state?: unknown }[]) {
      if (typeof c.id === 'string' && c.state === 'enabled') out.add(c.id);
    }
  }
  return out;
}

/** A userRegistrationDetails row derived from the user's methods and the tenant policy, unless a seed fixed one. */
export function registrationOf(state: DemoState, user: DemoUser): GraphObject {
  const fixed = state.registration.get(user.id);
  if (fixed) return fixed;
  const enabled = enabledConfigs(state);
  const kinds = methodsOf(state, user)
    .map((m) => METHOD_NAMES[String(m['@odata.type'])])
    .filter((k) => k !== undefined);
  const registered = [...new Set(kinds.map((k) => k.registered))];
  const mfaRegistered = kinds.some((k) => k.mfa);
  const mfaCapable = kinds.some((k) => k.mfa && enabled.has(k.config));
  const ssprRegistered = kinds.some((k) => k.sspr);
  const ssprEnabled = user.userType === 'Member' && state.ssprScope === 'all';
  const push = registered.includes('microsoftAuthenticatorPush');
  const sms = registered.includes('mobilePhone');
  const systemPreferred = push ? ['push'] : sms ? ['sms'] : [];
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: user.displayName,
    userType: user.userType === 'Guest' ? 'guest' : 'member',
    isAdmin: isAdmin(state, user.id),
    isSsprRegistered: ssprRegistered,
    isSsprEnabled: ssprEnabled,
    isSsprCapable: ssprEnabled && ssprRegistered,
    isMfaRegistered: mfaRegistered,
    isMfaCapable: mfaCapable,
    isPasswordlessCapable: registered.includes('passKeyDeviceBound') || registered.includes('windowsHelloForBusiness'),
    lastUpdatedDateTime: user.createdDateTime,
    methodsRegistered: registered,
    isSystemPreferredAuthenticationMethodEnabled: true,
    systemPreferredAuthenticationMethods: systemPreferred,
    userPreferredMethodForSecondaryAuthentication: push ? 'push' : sms ? 'sms' : '',
  };
}
