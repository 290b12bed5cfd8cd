import {
  appRoleAssignmentSchema,
  deviceSchema,
  permissionGrantSchema,
  servicePrincipalSchema,
} from '../../services/graph/schemas/access';
import { directoryAuditSchema } from '../../services/graph/schemas';
import { judgeAccountChanges } from '../../services/identity/account-changes';
import { judgeAppAccess } from '../../services/identity/app-access';
import { judgeDevices } from '../../services/identity/devices';
import type { Investigation } from '../../services/identity/investigation';
import { persistenceKey } from '../../services/identity/persistence';
import { mergeTimeline } from '../../services/identity/timeline';
import { DAY, NOW } from '../unit/services/identity/mfa-fixtures';

// The investigate card's persistence sections, built through the real judges with `h()` (a fresh hostile string) in
// every field the tenant controls: app, publisher, scope, device, OS, audit activity and target names.

const USER = 'u-1';
const SP = 'sp-1';
const at = (ago: number) => new Date(NOW - ago).toISOString();

export function investigationSections(
  h: () => string,
): Pick<Investigation, 'window' | 'apps' | 'devices' | 'changes' | 'methodsAdded' | 'flagged' | 'timeline'> {
  const windowStart = NOW - 7 * DAY;
  const consent = directoryAuditSchema.parse({
    id: 'a1',
    activityDisplayName: 'Consent to application',
    activityDateTime: at(3600_000),
    result: 'success',
    initiatedBy: { user: { id: USER, userPrincipalName: h(), ipAddress: h() } },
    targetResources: [{ id: SP, type: 'ServicePrincipal', displayName: h() }],
  });
  const credential = directoryAuditSchema.parse({
    id: 'a2',
    activityDisplayName: 'Update application – Certificates and secrets management ',
    activityDateTime: at(1800_000),
    result: 'success',
    initiatedBy: { user: { id: USER, userPrincipalName: h(), ipAddress: h() } },
    targetResources: [
      {
        id: 'app-1',
        type: 'Application',
        displayName: h(),
        modifiedProperties: [
          {
            displayName: 'KeyDescription',
            oldValue: '[]',
            newValue: `["[KeyIdentifier=0b0b0b0b-0000-4000-8000-000000000001,KeyType=Password,KeyUsage=Verify,DisplayName=${h()}]"]`,
          },
        ],
      },
    ],
  });
  const apps = judgeAppAccess({
    userId: USER,
    grants: [
      permissionGrantSchema.parse({
        id: h(),
        clientId: SP,
        resourceId: 'graph',
        principalId: USER,
        scope: `Mail.ReadWrite offline_access ${h()}`,
      }),
    ],
    assignments: [
      appRoleAssignmentSchema.parse({
        id: h(),
        principalId: USER,
        resourceId: SP,
        resourceDisplayName: h(),
        principalDisplayName: h(),
      }),
      appRoleAssignmentSchema.parse({
        id: h(),
        principalId: 'g-1',
        resourceId: 'sp-2',
        resourceDisplayName: h(),
        principalDisplayName: h(),
      }),
    ],
    servicePrincipals: new Map([
      [SP, servicePrincipalSchema.parse({ id: SP, displayName: h(), publisherName: h(), appOwnerOrganizationId: h() })],
      [
        'sp-2',
        servicePrincipalSchema.parse({
          id: 'sp-2',
          displayName: h(),
          verifiedPublisher: { displayName: h(), verifiedPublisherId: '1' },
        }),
      ],
    ]),
    initiated: [consent],
    windowStart,
  });
  const device = (id: string, ago: number) =>
    deviceSchema.parse({
      id,
      deviceId: h(),
      displayName: h(),
      operatingSystem: h(),
      operatingSystemVersion: h(),
      trustType: 'Workplace',
      registrationDateTime: at(ago),
      accountEnabled: true,
    });
  const devices = judgeDevices(
    [device('d-1', 3600_000), device('d-2', 90 * DAY)],
    [device('d-1', 3600_000)],
    null,
    windowStart,
  );
  const changes = judgeAccountChanges([consent, credential], windowStart);
  const flagged = [
    ...apps.flatMap((a) => a.items),
    ...devices.flatMap((d) => (d.item ? [d.item] : [])),
    ...changes.flatMap((c) => c.items),
  ];
  const timeline = mergeTimeline([
    [{ at: at(7200_000), section: 'sign-ins', what: h(), detail: h(), suspicious: true }],
    [{ at: at(3600_000), section: 'apps', what: h(), detail: h(), suspicious: true, key: persistenceKey(flagged[0]!) }],
    [{ at: null, section: 'mailbox', what: h(), detail: h(), suspicious: false }],
  ]);
  return {
    window: { from: new Date(windowStart).toISOString(), days: 7 },
    apps: { kind: 'read', value: { apps, publishersUnavailable: h() } },
    devices: { kind: 'read', value: devices },
    changes: { kind: 'read', value: { changes, truncated: true } },
    methodsAdded: [],
    flagged,
    timeline,
  };
}
