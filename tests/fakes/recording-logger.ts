import type { Logger } from '../../services/log';

/** A Logger that keeps every line, bindings included, for assertions. */
export interface RecordingLogger extends Logger {
  lines: { level: string; msg: string; fields: Record<string, unknown> }[];
}

export function createRecordingLogger(
  bindings: Record<string, unknown> = {},
  sink?: RecordingLogger['lines'],
): RecordingLogger {
  const lines = sink ?? [];
  const at =
    (level: string) =>
    (a: Record<string, unknown> | string, b?: string): void => {
      if (typeof a === 'string') lines.push({ level, msg: a, fields: { ...bindings } });
      else lines.push({ level, msg: b ?? '', fields: { ...bindings, ...a } });
    };
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => createRecordingLogger({ ...bindings, ...more }, lines),
  };
}
