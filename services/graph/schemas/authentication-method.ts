import { z } from 'zod';
import { optionalString as ns, stringList, optionalNumber, optionalBoolean } from './fields';

const T = (name: string) => z.literal(`#microsoft.graph.${name}`);

const methods = {
  password: z.looseObject({ '@odata.type': T('passwordAuthenticationMethod'), id: z.string(), createdDateTime: ns }),
  microsoftAuthenticator: z.looseObject({
    '@odata.type': T('microsoftAuthenticatorAuthenticationMethod'),
    id: z.string(),
    displayName: ns,
    deviceTag: ns,
    phoneAppVersion: ns,
    createdDateTime: ns,
  }),
  phone: z.looseObject({
    '@odata.type': T('phoneAuthenticationMethod'),
    id: z.string(),
    phoneNumber: ns,
    phoneType: ns,
    smsSignInState: ns,
  }),
  fido2: z
    .looseObject({
      '@odata.type': T('fido2AuthenticationMethod'),
      id: z.string(),
      displayName: ns,
      createdDateTime: ns,
      // The docs example spells it creationDateTime (SOURCES.md); accept both.
      creationDateTime: ns,
      aaGuid: ns,
      model: ns,
      attestationCertificates: stringList,
      attestationLevel: ns,
    })
    .transform(({ creationDateTime, ...rest }) => ({
      ...rest,
      createdDateTime: rest.createdDateTime ?? creationDateTime,
    })),
  softwareOath: z.looseObject({ '@odata.type': T('softwareOathAuthenticationMethod'), id: z.string() }),
  temporaryAccessPass: z.looseObject({
    '@odata.type': T('temporaryAccessPassAuthenticationMethod'),
    id: z.string(),
    startDateTime: ns,
    lifetimeInMinutes: optionalNumber,
    isUsableOnce: optionalBoolean,
    isUsable: optionalBoolean,
    methodUsabilityReason: ns,
    createdDateTime: ns,
  }),
  windowsHelloForBusiness: z.looseObject({
    '@odata.type': T('windowsHelloForBusinessAuthenticationMethod'),
    id: z.string(),
    displayName: ns,
    createdDateTime: ns,
    keyStrength: ns,
  }),
  email: z.looseObject({ '@odata.type': T('emailAuthenticationMethod'), id: z.string(), emailAddress: ns }),
  platformCredential: z.looseObject({
    '@odata.type': T('platformCredentialAuthenticationMethod'),
    id: z.string(),
    displayName: ns,
    createdDateTime: ns,
    keyStrength: ns,
    platform: ns,
  }),
} as const;

type MethodKind = keyof typeof methods;
type Known = { [K in MethodKind]: { kind: K } & z.infer<(typeof methods)[K]> }[MethodKind];
type Unknown = { kind: 'unknown'; id: string; odataType: string; raw: Record<string, unknown> };

/** One authentication method, discriminated by @odata.type; unrecognised types are kept as `unknown` with their raw type. */
export type AuthenticationMethod = Known | Unknown;

const envelope = z.looseObject({ '@odata.type': z.string(), id: z.string() });

export const authenticationMethodSchema = z.unknown().transform((raw, ctx): AuthenticationMethod => {
  const head = envelope.safeParse(raw);
  if (!head.success) {
    ctx.addIssue({ code: 'custom', message: 'authentication method without @odata.type or id' });
    return z.NEVER;
  }
  for (const kind of Object.keys(methods) as MethodKind[]) {
    const parsed = methods[kind].safeParse(raw);
    if (parsed.success) return { kind, ...parsed.data } as Known;
  }
  return { kind: 'unknown', id: head.data.id, odataType: head.data['@odata.type'], raw: head.data };
});
