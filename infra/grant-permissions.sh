#!/usr/bin/env bash
# Grants the bot's identity the Microsoft Graph application permissions it needs (least privilege, the table in
# README.md "Running it in a real tenant"), optionally Exchange.ManageAsApp and a directory role for the response
# actions. Idempotent: permissions already granted are skipped. Uses `az rest` with your own sign-in, so run it as
# a Privileged Role Administrator or Global Administrator (`az login --tenant <tenant> --allow-no-subscriptions`).
#
#   infra/grant-permissions.sh --principal <object id> [--read-only] [--exchange]
#                              [--role helpdesk|user-admin] [--admin-unit <id>] [--dry-run]
#
# --principal   object id of the bot's service principal: the managed identity's principalId (deployment output
#               `identityPrincipalId`), or the service principal of the SingleTenant app registration
# --read-only   only the read permissions: every command works, the approval-gated response actions are refused
# --exchange    also Exchange.ManageAsApp and Exchange.ManageAsAppV2 (Office 365 Exchange Online), for mailbox-level
#               forwarding and posture's Exchange checks (EXCHANGE_ADMIN_ENABLED=true); the Exchange role itself is
#               assigned in Exchange Online (docs/deploy.md)
# --role        a directory role, which Graph requires besides User-PasswordProfile.ReadWrite.All to reset a password:
#               helpdesk (Helpdesk Administrator) or user-admin (User Administrator)
# --admin-unit  scope --role to this administrative unit (recommended: one holding ordinary users only)
# --dry-run     print what would be granted, change nothing
set -euo pipefail

GRAPH_APP_ID=00000003-0000-0000-c000-000000000000
EXCHANGE_APP_ID=00000002-0000-0ff1-ce00-000000000000
GRAPH=https://graph.microsoft.com/v1.0

# Both lists are README.md's generated permission table (npm run permissions; a test compares them).
# Reads: every command (user, mfa, sspr, signins, forwarding, sweep, investigate incl. apps with access and devices,
# posture incl. Secure Score, alerts, caller authorisation, admin targets refused by actions).
READ_PERMISSIONS=(
  User.Read.All
  GroupMember.Read.All
  LicenseAssignment.Read.All
  AuditLog.Read.All
  Directory.Read.All
  UserAuthenticationMethod.Read.All
  Policy.Read.All
  RoleManagement.Read.Directory
  MailboxSettings.Read
  IdentityRiskyUser.Read.All
  Organization.Read.All
  RoleEligibilitySchedule.Read.Directory
  Mail.ReadBasic.All
  Application.Read.All
  SecurityEvents.Read.All
  Device.Read.All
)
# Writes: the approval-gated response actions (revoke, block, reset password, remove a method or issue a TAP,
# disable an inbox rule; contain's removal of grants, app role assignments, devices and app credentials),
# and installing the bot for a user it must ask "was this you?" (USER_CONFIRMATIONS).
WRITE_PERMISSIONS=(
  User.RevokeSessions.All
  User.EnableDisableAccount.All
  User-PasswordProfile.ReadWrite.All
  UserAuthenticationMethod.ReadWrite.All
  MailboxSettings.ReadWrite
  DelegatedPermissionGrant.ReadWrite.All
  AppRoleAssignment.ReadWrite.All
  Device.ReadWrite.All
  Application.ReadWrite.All
  TeamsAppInstallation.ReadWriteSelfForUser.All
)
EXCHANGE_PERMISSIONS=(Exchange.ManageAsApp Exchange.ManageAsAppV2)

principal=''
read_only=false
exchange=false
role=''
admin_unit=''
dry_run=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --principal) principal="${2:-}"; shift 2 ;;
    --read-only) read_only=true; shift ;;
    --exchange) exchange=true; shift ;;
    --role) role="${2:-}"; shift 2 ;;
    --admin-unit) admin_unit="${2:-}"; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
guid='^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
if [[ ! "$principal" =~ $guid ]]; then
  echo "--principal must be the object id (a GUID) of the bot's service principal" >&2
  exit 2
fi
case "$role" in
  '') role_id='' ;;
  helpdesk) role_id=729827e3-9c14-49f7-bb1b-9608f156bbb8 ;;
  user-admin) role_id=fe930be7-5e62-47db-91af-98c3a49a38b1 ;;
  *) echo "--role must be helpdesk or user-admin" >&2; exit 2 ;;
esac
if [[ -n "$admin_unit" && -z "$role" ]]; then
  echo "--admin-unit scopes --role; give both" >&2
  exit 2
fi
if [[ -n "$admin_unit" && ! "$admin_unit" =~ $guid ]]; then
  echo "--admin-unit must be the administrative unit's id (a GUID)" >&2
  exit 2
fi

# apply <already done?> <what> <url> <body>: skips what is done, prints what --dry-run would do, else POSTs.
apply() {
  local done="$1" what="$2" url="$3" body="$4"
  if [[ "$done" == true ]]; then
    echo "already granted: $what"
  elif [[ "$dry_run" == true ]]; then
    echo "would grant: $what"
  else
    az rest --method POST --url "$url" --headers Content-Type=application/json --body "$body" --output none
    echo "granted: $what"
  fi
}

# grant <resource app id> <permission…>: assigns each application permission of that API not yet assigned.
grant() {
  local app_id="$1"
  shift
  local resource roles existing
  resource=$(az rest --method GET --url "$GRAPH/servicePrincipals(appId='$app_id')" --query id -o tsv)
  roles=$(az rest --method GET --url "$GRAPH/servicePrincipals(appId='$app_id')" \
    --query "appRoles[?contains(allowedMemberTypes, 'Application')].[value, id]" -o tsv)
  existing=$(az rest --method GET --url "$GRAPH/servicePrincipals/$principal/appRoleAssignments" \
    --query "value[?resourceId=='$resource'].appRoleId" -o tsv)
  local permission role_value granted
  for permission in "$@"; do
    role_value=$(awk -F '\t' -v p="$permission" '$1 == p { print $2 }' <<<"$roles")
    if [[ -z "$role_value" ]]; then
      echo "error: $permission is not an application permission of $app_id" >&2
      return 1
    fi
    granted=false
    if grep -qxF "$role_value" <<<"$existing"; then granted=true; fi
    apply "$granted" "$permission" "$GRAPH/servicePrincipals/$principal/appRoleAssignments" \
      "{\"principalId\":\"$principal\",\"resourceId\":\"$resource\",\"appRoleId\":\"$role_value\"}"
  done
}

permissions=("${READ_PERMISSIONS[@]}")
if [[ "$read_only" == false ]]; then permissions+=("${WRITE_PERMISSIONS[@]}"); fi
grant "$GRAPH_APP_ID" "${permissions[@]}"
if [[ "$exchange" == true ]]; then grant "$EXCHANGE_APP_ID" "${EXCHANGE_PERMISSIONS[@]}"; fi

if [[ -n "$role_id" ]]; then
  scope='/'
  if [[ -n "$admin_unit" ]]; then scope="/administrativeUnits/$admin_unit"; fi
  assigned=$(az rest --method GET \
    --url "$GRAPH/roleManagement/directory/roleAssignments?\$filter=principalId eq '$principal'" \
    --query "value[?roleDefinitionId=='$role_id' && directoryScopeId=='$scope'].id" -o tsv)
  granted=false
  if [[ -n "$assigned" ]]; then granted=true; fi
  apply "$granted" "directory role $role at $scope" "$GRAPH/roleManagement/directory/roleAssignments" \
    "{\"principalId\":\"$principal\",\"roleDefinitionId\":\"$role_id\",\"directoryScopeId\":\"$scope\"}"
fi
