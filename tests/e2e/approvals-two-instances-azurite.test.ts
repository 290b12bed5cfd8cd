import { randomBytes } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite, type Azurite } from '../support/azurite';
import { describeTwoInstanceApprovals } from '../support/two-instance-approvals';

// Issue 11 "several instances at once": the approvals suite on one Azure Blob container (Azurite as a child process).
describeTwoInstanceApprovals('Azure Blob (Azurite)', async () => {
  const azurite: Azurite = await startAzurite();
  const container = `approvals-${randomBytes(6).toString('hex')}`;
  const connectionString = azurite.connectionString();
  return {
    url: `azure-blob:${container}`,
    env: { AZURE_STORAGE_CONNECTION_STRING: connectionString },
    cleanup: async () => {
      await BlobServiceClient.fromConnectionString(connectionString).getContainerClient(container).deleteIfExists();
      await azurite.stop();
    },
  };
});
