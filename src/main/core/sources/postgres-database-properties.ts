import { AppError } from '../../../shared/ipc/result';
import type { PgDatabasePropertiesKept } from '../pipeline/manifest';
import { pgLiteral, pgQuoteIdent } from './postgres-quoting';

/**
 * What a PostgreSQL database carries besides its contents, which replacing it by a restored copy
 * (a swap of names) would otherwise lose: who owns it, who may connect to it or create in it, its
 * own settings and its roles' settings in it (`ALTER DATABASE ... SET`, `ALTER ROLE ... IN DATABASE
 * ... SET`: an application's search_path, a statement_timeout), its connection limit and comment,
 * and whether it is a template. The restored copy is given the replaced database's before the swap
 * (a template's flag in the swap itself, see pgSwapRenames), so the name keeps them.
 */
export interface PgDatabaseProperties {
  owner: string;
  /** The role the restore runs as, which owns the restored copy. */
  restorer: string;
  /** null: the default privileges (PUBLIC may connect and make temporary tables). */
  acl: { grantee: string | null; privilege: string; grantable: boolean }[] | null;
  connectionLimit: number;
  comment: string | null;
  /** datistemplate: what `CREATE DATABASE ... TEMPLATE name` may clone, and what DROP DATABASE refuses. */
  template: boolean;
  /** role null: the database's own; `config` as the catalog keeps it (`name=value`). */
  settings: { role: string | null; config: string[] }[];
}

const roleName = (oid: string): string => `CASE WHEN ${oid} = 0 THEN NULL ELSE pg_get_userbyid(${oid}) END`;

/**
 * One row, one column: the properties of database `target` as JSON, in hex (a comment may hold line
 * breaks, and psql prints one line per row); no row when it does not exist. `target` is a SQL
 * literal or parameter. jsonb: its text has no line breaks of its own, where json_agg's has. Its
 * tablespace is not among them: the copy is created there (createDatabaseSql).
 */
export function pgDatabasePropertiesSql(target: string): string {
  return `SELECT encode(convert_to(jsonb_build_object(
    'owner', pg_get_userbyid(d.datdba),
    'restorer', current_user,
    'acl', CASE WHEN d.datacl IS NULL THEN NULL ELSE coalesce((SELECT jsonb_agg(jsonb_build_object('grantee', ${roleName('a.grantee')}, 'privilege', a.privilege_type, 'grantable', a.is_grantable))
      FROM aclexplode(d.datacl) a), '[]'::jsonb) END,
    'connectionLimit', d.datconnlimit,
    'comment', shobj_description(d.oid, 'pg_database'),
    'template', d.datistemplate,
    'settings', coalesce((SELECT jsonb_agg(jsonb_build_object('role', ${roleName('s.setrole')}, 'config', s.setconfig)) FROM pg_db_role_setting s WHERE s.setdatabase = d.oid), '[]'::jsonb)
  )::text, 'UTF8'), 'hex') FROM pg_database d WHERE d.datname = ${target}`;
}

export function parsePgDatabaseProperties(hex: string): PgDatabaseProperties {
  return JSON.parse(Buffer.from(hex.trim(), 'hex').toString('utf8')) as PgDatabaseProperties;
}

/** What a backup's manifest keeps of pgDatabasePropertiesSql's row (null: no such database): not who read it, nor the template flag. */
export function keptPgDatabaseProperties(hex: string | null | undefined): PgDatabasePropertiesKept | null {
  if (!hex || hex.trim() === '') return null;
  const { owner, acl, connectionLimit, comment, settings } = parsePgDatabaseProperties(hex);
  return { owner, acl, connectionLimit, comment, settings };
}

/**
 * Gives database `database`, which a restore just created, the properties its backup kept, each
 * statement on its own (`run`: null when it ran, else the server's words); what cannot be given is
 * returned as a note naming it and the statement that gives it. `owners`: its owner and privileges
 * too, when the run's roles were restored first; left out otherwise, as the objects' are.
 */
export async function givePgDatabaseProperties(kept: PgDatabasePropertiesKept, database: string, owners: boolean, run: (sql: string) => Promise<string | null>): Promise<string[]> {
  // restorer: the owner, so that no owner is given unless asked; then '' (no role), so that it is.
  const p: PgDatabaseProperties = { ...kept, acl: owners ? kept.acl : null, restorer: owners ? '' : kept.owner, template: false };
  const notes: string[] = [];
  for (const step of pgCarrySteps(p, pgQuoteIdent(database))) {
    const refused = await run(step.sql);
    if (refused !== null) notes.push(`The backed-up database had ${step.what}, which ${database} could not be given (${refused}): as a user who may, run ${step.sql}.`);
  }
  return notes;
}

/** Settings whose value is a list of names (pg_dump's variable_is_guc_list_quote): each element is its own literal. */
const LIST_SETTINGS = new Set(['local_preload_libraries', 'search_path', 'session_preload_libraries', 'shared_preload_libraries', 'temp_tablespaces', 'unix_socket_directories']);

/** A list setting's value as the catalog keeps it (`app, "$user", "My Schema"`), split into its names, as pg_dump's SplitGUCList does. */
export function splitSettingList(value: string): string[] {
  const names: string[] = [];
  let i = 0;
  const skipSpace = (): void => {
    while (i < value.length && /\s/.test(value[i]!)) i += 1;
  };
  skipSpace();
  if (i === value.length) return names;
  for (;;) {
    let name = '';
    if (value[i] === '"') {
      for (i += 1; i < value.length; i += 1) {
        if (value[i] === '"') {
          if (value[i + 1] !== '"') break;
          i += 1;
        }
        name += value[i];
      }
      i += 1;
    } else {
      const start = i;
      while (i < value.length && value[i] !== ',' && !/\s/.test(value[i]!)) i += 1;
      name = value.slice(start, i);
    }
    names.push(name);
    skipSpace();
    if (value[i] !== ',') return names;
    i += 1;
    skipSpace();
  }
}

/** `name=value` as the SET clause that sets it again: `SET "search_path" TO 'app', '$user'`. */
export function pgSetClause(config: string): string {
  const at = config.indexOf('=');
  const name = config.slice(0, at);
  const value = config.slice(at + 1);
  const values = LIST_SETTINGS.has(name.toLowerCase()) ? splitSettingList(value) : [value];
  return `SET ${pgQuoteIdent(name)} TO ${values.length === 0 ? "''" : values.map(pgLiteral).join(', ')}`;
}

export interface CarryStep {
  /** What the step gives, in words, for a note when it cannot be given. */
  what: string;
  sql: string;
  /** Who may connect: the restored copy is not swapped in without it. */
  required: boolean;
}

/** The statements that give database `to` (quoted) the properties `p`; the owner last, since giving it away may take the right to the rest. */
export function pgCarrySteps(p: PgDatabaseProperties, to: string): CarryStep[] {
  const steps: CarryStep[] = [];
  if (p.acl) {
    steps.push({ what: 'its privileges', sql: `REVOKE ALL ON DATABASE ${to} FROM PUBLIC`, required: true });
    const grants = new Map<string, string[]>();
    for (const entry of p.acl) {
      const key = JSON.stringify([entry.grantee, entry.grantable]);
      grants.set(key, [...(grants.get(key) ?? []), entry.privilege]);
    }
    for (const [key, privileges] of grants) {
      const [grantee, grantable] = JSON.parse(key) as [string | null, boolean];
      const who = grantee === null ? 'PUBLIC' : pgQuoteIdent(grantee);
      steps.push({ what: 'its privileges', sql: `GRANT ${privileges.join(', ')} ON DATABASE ${to} TO ${who}${grantable ? ' WITH GRANT OPTION' : ''}`, required: true });
    }
  }
  for (const { role, config } of p.settings) {
    for (const one of config) {
      const clause = pgSetClause(one);
      const forRole = role === null ? '' : ` for role ${role}`;
      steps.push({ what: `the setting ${one}${forRole}`, sql: role === null ? `ALTER DATABASE ${to} ${clause}` : `ALTER ROLE ${pgQuoteIdent(role)} IN DATABASE ${to} ${clause}`, required: false });
    }
  }
  if (p.connectionLimit !== -1) steps.push({ what: `its connection limit (${p.connectionLimit})`, sql: `ALTER DATABASE ${to} CONNECTION LIMIT ${p.connectionLimit}`, required: false });
  if (p.comment !== null) steps.push({ what: 'its comment', sql: `COMMENT ON DATABASE ${to} IS ${pgLiteral(p.comment)}`, required: false });
  if (p.owner !== p.restorer) steps.push({ what: `its owner (${p.owner})`, sql: `ALTER DATABASE ${to} OWNER TO ${pgQuoteIdent(p.owner)}`, required: false });
  return steps;
}

export interface CarryRunner {
  /** The hex of pgDatabasePropertiesSql's row, null when the target is gone. */
  read(target: string): Promise<string | null>;
  /** Runs one statement: null when it ran, else the server's words. A failure to reach the server throws. */
  run(sql: string): Promise<string | null>;
}

export interface Carried {
  notes: string[];
  /** The target is a template: the swap moves the flag (pgSwapRenames). */
  template: boolean;
}

/**
 * Gives the restored copy `scratch` what `target` carries besides its contents (see
 * PgDatabaseProperties). Who may connect is required: a copy that cannot have it is not swapped in
 * (RESTORE_FAILED, the target left as it was). Anything else that cannot be given is returned as a
 * note naming it and the statement that gives it, for a DBA with the rights the restore's user lacks.
 */
export async function carryPgDatabaseProperties(target: string, scratch: string, endpoint: string, runner: CarryRunner): Promise<Carried> {
  const hex = await runner.read(target);
  if (hex === null) return { notes: [], template: false };
  const p = parsePgDatabaseProperties(hex);
  const notes: string[] = [];
  // The same statements for the target by name, for the notes: what a DBA runs once the swap is done.
  const byHand = pgCarrySteps(p, pgQuoteIdent(target));
  for (const [i, step] of pgCarrySteps(p, pgQuoteIdent(scratch)).entries()) {
    const refused = await runner.run(step.sql);
    if (refused === null) continue;
    if (step.required) {
      throw new AppError('RESTORE_FAILED', `Could not give the restored copy of ${target} on ${endpoint} the privileges ${target} has (${refused}), so it was not put in place: ${target} was left as it was.`, {
        database: target,
        reason: 'privileges',
      });
    }
    notes.push(`${target} had ${step.what}, which the restored database could not be given (${refused}): as a user who may, run ${byHand[i]!.sql}.`);
  }
  return { notes, template: p.template };
}
