import type { GraphObject } from '../state';

/** Authentication-method builders in Graph's shapes (graph-api.md §1). */
export const PHONE_MOBILE_ID = '3179e48a-750b-4051-897c-87b9720928f7';
export const EMAIL_METHOD_ID = '3ddfcfc8-9383-446f-83cc-3ab9be4be18f';

export function authenticatorMethod(id: string, device: string, created: string): GraphObject {
  return {
    '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
    id,
    displayName: device,
    deviceTag: 'SoftwareTokenActivated',
    phoneAppVersion: '6.8.14',
    createdDateTime: created,
  };
}

export function phoneMethod(phoneNumber: string): GraphObject {
  return {
    '@odata.type': '#microsoft.graph.phoneAuthenticationMethod',
    id: PHONE_MOBILE_ID,
    phoneNumber,
    phoneType: 'mobile',
    smsSignInState: 'notAllowedByPolicy',
  };
}

export function emailMethod(emailAddress: string): GraphObject {
  return { '@odata.type': '#microsoft.graph.emailAuthenticationMethod', id: EMAIL_METHOD_ID, emailAddress };
}

export function fido2Method(id: string, created: string): GraphObject {
  return {
    '@odata.type': '#microsoft.graph.fido2AuthenticationMethod',
    id,
    displayName: 'YubiKey 5 NFC',
    createdDateTime: created,
    aaGuid: 'cb69481e-8ff7-4039-93ec-0a2729a154a8',
    model: 'YubiKey 5 Series',
    attestationCertificates: ['dbe793efdf1945e2df25d93653a1e8a3268a9075'],
    attestationLevel: 'attested',
  };
}

export function softwareOathMethod(id: string): GraphObject {
  return { '@odata.type': '#microsoft.graph.softwareOathAuthenticationMethod', id, secretKey: null };
}

export function windowsHelloMethod(id: string, device: string, created: string): GraphObject {
  return {
    '@odata.type': '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
    id,
    displayName: device,
    createdDateTime: created,
    keyStrength: 'normal',
  };
}

/** The Graph path segment of each deletable method type (DELETE /users/{id}/authentication/{segment}/{methodId}). */
export const METHOD_SEGMENTS: Readonly<Record<string, string>> = {
  microsoftAuthenticatorMethods: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
  phoneMethods: '#microsoft.graph.phoneAuthenticationMethod',
  emailMethods: '#microsoft.graph.emailAuthenticationMethod',
  fido2Methods: '#microsoft.graph.fido2AuthenticationMethod',
  softwareOathMethods: '#microsoft.graph.softwareOathAuthenticationMethod',
  windowsHelloForBusinessMethods: '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
  temporaryAccessPassMethods: '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
  platformCredentialMethods: '#microsoft.graph.platformCredentialAuthenticationMethod',
};
