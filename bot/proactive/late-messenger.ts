import type { Messenger } from '../../services/messaging/port';

/**
 * The messenger needs the adapter, which the server creates after the routes; routes get this stand-in and
 * main.ts binds the real one before the server listens.
 */
export function createLateMessenger(): { messenger: Messenger; bind(real: Messenger): void } {
  let real: Messenger | null = null;
  const get = (): Messenger => {
    if (!real) throw new Error('messenger used before the server was created');
    return real;
  };
  return {
    messenger: {
      send: (to, message) => get().send(to, message),
      update: (to, id, message) => get().update(to, id, message),
      personalChat: (via, user) => get().personalChat(via, user),
    },
    bind(value) {
      real = value;
    },
  };
}
