/** Every zod parser for the Graph resources the bot reads. */
export { graphUserSchema, userSelect } from './user';
export { directoryObjectSchema } from './directory-object';
export { licenseDetailSchema } from './license';
export { organizationSchema } from './organization';
export { authenticationMethodSchema } from './authentication-method';
export type { AuthenticationMethod } from './authentication-method';
export { userRegistrationDetailsSchema } from './registration-details';
export type { UserRegistrationDetails } from './registration-details';
export { directoryAuditSchema } from './directory-audit';
export type { DirectoryAudit } from './directory-audit';
export { signInSchema } from './sign-in';
export type { SignIn } from './sign-in';
export { riskyUserSchema, riskyUserFields, riskDetectionSchema } from './risk';
export type { RiskyUser, RiskDetection } from './risk';
export { messageRuleSchema } from './message-rule';
export type { MessageRule } from './message-rule';
export {
  authorizationPolicySchema,
  authenticationMethodsPolicySchema,
  conditionalAccessPolicySchema,
  checkMemberGroupsSchema,
} from './policies';
export type { AuthorizationPolicy, AuthenticationMethodsPolicy, ConditionalAccessPolicy } from './policies';
export { batchResponseSchema, batchItemResponseSchema } from './batch';
export { graphErrorBodySchema } from './error-body';
export { collectionSchema } from './collection';
export { revokeSignInSessionsResultSchema, passwordResetResponseSchema, signInPreferencesSchema } from './actions';
