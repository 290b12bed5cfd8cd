import { createMemoryStorage, createMemoryStore } from '../../../../services/storage/memory-storage';
import { runStorageContract } from './storage-contract';

runStorageContract('memory', () => {
  const store = createMemoryStore();
  return Promise.resolve({
    storage: createMemoryStorage(store),
    second: () => createMemoryStorage(store),
    cleanup: () => Promise.resolve(),
  });
});
