import type { Logger } from 'pino';
import type { Config } from '../config';
import type { TenantScope } from '../db/tenant-scope';
import { checkEventKeys, declaredEvents } from './event-types';
import type { EventHandler } from './events';
import type { FamilyDef } from './family';
import { isFamilyModule, type Module } from './module';
import type { NoticeSpec } from './notices';

/**
 * What a module makes from the configuration at start-up (a client, keys, limits), named by a key its
 * own code holds: the module's `configure` answers `KEY.is(value)`, its services read `KEY.of(scope)`.
 * The value belongs to the server that configured it, so two servers in one process never share one.
 */
export class Setting<T> {
  constructor(readonly name: string) {}

  is(value: T): Configured {
    return { setting: this as Setting<unknown>, value };
  }

  /** This setting as the server of `scope` configured it. */
  of(scope: TenantScope): T {
    return scope.composition.setting(this);
  }
}

/** One configured value of a module (`Setting.is`). */
export interface Configured {
  setting: Setting<unknown>;
  value: unknown;
}

/**
 * One server's parts, made once by the composition root (`startServer`) from its modules and its
 * configuration, and passed down: to every scope it makes (requests, jobs, sweeps), so domain code
 * reaches the handlers of an event, the notice of an event type, a family by its GraphQL type and a
 * module's configured client through the scope it already has. Nothing here is a module global.
 */
export class Composition {
  private readonly handlers = new Map<string, EventHandler[]>();
  private readonly notices = new Map<string, NoticeSpec>();
  private readonly families = new Map<string, FamilyDef>();
  private readonly settings = new Map<Setting<unknown>, unknown>();
  /** Every event type this server's modules declare, with what it means (what a webhook may name). */
  readonly eventTypes: ReadonlyMap<string, string>;

  constructor(
    readonly modules: readonly Module[],
    config: Config,
    logger: Logger,
  ) {
    // A handler or notice of an event type nobody declares would never run: refuse to start instead.
    checkEventKeys(modules);
    this.eventTypes = declaredEvents(modules);
    for (const module of modules) {
      for (const [type, list] of Object.entries(module.handlers ?? {}) as [string, EventHandler[]][]) {
        this.handlers.set(type, [...(this.handlers.get(type) ?? []), ...list]);
      }
      for (const [type, notice] of Object.entries(module.notices ?? {}) as [string, NoticeSpec][]) {
        if (this.notices.has(type)) throw new Error(`Two families declare the notice of ${type}`);
        this.notices.set(type, notice);
      }
      if (isFamilyModule(module)) this.families.set(module.family.typeName, module.family as unknown as FamilyDef);
      for (const { setting, value } of [module.configure?.(config, logger) ?? []].flat()) {
        if (this.settings.has(setting)) throw new Error(`Two modules configure ${setting.name}`);
        this.settings.set(setting, value);
      }
    }
  }

  /** The handlers of an event of `type`, then those of every event (`*`), in the modules' order. */
  handlersOf(type: string): EventHandler[] {
    return [...(this.handlers.get(type) ?? []), ...(this.handlers.get('*') ?? [])];
  }

  /** What an event of `type` tells the users it affects, if its family declares it. */
  noticeOf(type: string): NoticeSpec | undefined {
    return this.notices.get(type);
  }

  /**
   * The family whose GraphQL type is `typeName` (`Event`), for what names a record of any family by
   * type and id (a file's attachment, a history entry); null for anything else.
   */
  familyByTypeName(typeName: string): FamilyDef | null {
    return this.families.get(typeName) ?? null;
  }

  setting<T>(setting: Setting<T>): T {
    if (!this.settings.has(setting as Setting<unknown>)) throw new Error(`No module of this server configures ${setting.name}`);
    return this.settings.get(setting as Setting<unknown>) as T;
  }
}

declare module '../db/tenant-scope' {
  // The scope carries the composition its server made (data access only holds it).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ScopeComposition extends Composition {}
}
