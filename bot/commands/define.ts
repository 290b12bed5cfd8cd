import type { z } from 'zod';
import type { Access, CommandContext, Reply, VerbContext, VerbResult } from './command';
import type { Granted, ServiceName } from './services';

/** Where a command runs: Teams' conversation types (a channel is the manifest's "team" scope). */
export type Where = 'personal' | 'groupChat' | 'channel';
export const EVERYWHERE: readonly Where[] = ['personal', 'groupChat', 'channel'];

/** One row of the command table. */
export interface CommandSpec<Name extends string = string, A = unknown, N extends ServiceName = ServiceName> {
  name: Name;
  usage: string;
  /** One line for help and the Teams command menu. */
  summary: string;
  /** Parses the text after the name; an issue's message is shown to the user, followed by the usage line. */
  args: z.ZodType<A, string>;
  access: 'operator' | 'approver';
  where: readonly Where[];
  /** Rank in Teams' command menu (1 first; the 10 best ranked of each scope are listed); absent: not listed. */
  menu?: number;
  /** The services the handler uses; without one of them the command says it is not available. */
  needs: readonly N[];
  /** Asks for an approval to change the tenant: a plain-language question proposes it and never runs it. */
  writes?: true;
  /**
   * The plain-language questions this command answers, as phrase patterns (bot/phrases/grammar.ts): `{user}` a UPN
   * or a name, `{reason}` the justification, `{paste}` the rest of the message, `=> args` fixed arguments.
   */
  asked?: readonly string[];
  /** The subject recorded in the audit log (who was looked up), or null. */
  target(args: A): string | null;
  run(ctx: CommandContext, args: A, services: Granted<N>): Promise<Reply>;
}

/** A table row with its argument type erased, as the runner sees it. */
export type AnyCommand = CommandSpec;

/** Declares a command; the name stays a literal type so CommandName can list it. */
export function command<const Name extends string, A, N extends ServiceName = never>(
  spec: CommandSpec<Name, A, N>,
): CommandSpec<Name, A, N> {
  return spec;
}

/** A card verb with its own handler, access level and data schema (parsed with zod before the handler runs). */
export interface HandlerVerb<
  Name extends string = string,
  S extends z.ZodType = z.ZodType,
  N extends ServiceName = ServiceName,
> {
  kind: 'handler';
  verb: Name;
  access: Access;
  data: S;
  needs: readonly N[];
  handle(ctx: VerbContext, data: z.output<S>, services: Granted<N>): Promise<VerbResult>;
}

/** A card verb that re-runs a chat command (with that command's own checks and audit). */
export interface CommandVerb<Name extends string = string, S extends z.ZodType = z.ZodType> {
  kind: 'command';
  verb: Name;
  data: S & z.ZodType<{ command: string; args: string }>;
}

export type VerbSpec = HandlerVerb | CommandVerb;

/** Declares a handler verb; `verb` stays a literal and the data type follows the schema. */
export function verb<const Name extends string, S extends z.ZodType, N extends ServiceName = never>(
  spec: Omit<HandlerVerb<Name, S, N>, 'kind'>,
): HandlerVerb<Name, S, N> {
  return { kind: 'handler', ...spec };
}

/** Declares a verb whose data names a command and its arguments. */
export function rerun<const Name extends string, S extends z.ZodType<{ command: string; args: string }>>(
  spec: Omit<CommandVerb<Name, S>, 'kind'>,
): CommandVerb<Name, S> {
  return { kind: 'command', ...spec };
}
