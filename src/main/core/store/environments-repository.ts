import { randomUUID } from 'node:crypto';
import type { EnvironmentDto } from '../../../shared/domain/dto';
import type { EnvironmentCreate, EnvironmentUpdate } from '../../../shared/ipc/schemas';
import { AppError } from '../../../shared/ipc/result';
import type { Db } from './db';
import { assertNameFree, notFound } from './names';

interface EnvironmentRow {
  id: string;
  name: string;
  description: string;
  allow_all_destinations: number;
  created_at: string;
}

export const DEFAULT_ENVIRONMENT = 'default';

export class EnvironmentsRepository {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  list(): EnvironmentDto[] {
    const rows = this.db.prepare('SELECT * FROM environments ORDER BY name COLLATE NOCASE').all() as EnvironmentRow[];
    return rows.map((r) => this.#toDto(r));
  }

  get(id: string): EnvironmentDto {
    const row = this.db.prepare('SELECT * FROM environments WHERE id = ?').get(id) as EnvironmentRow | undefined;
    if (!row) throw notFound('environment', id);
    return this.#toDto(row);
  }

  findByName(name: string): EnvironmentDto | null {
    const row = this.db.prepare('SELECT * FROM environments WHERE name = ? COLLATE NOCASE').get(name) as EnvironmentRow | undefined;
    return row ? this.#toDto(row) : null;
  }

  /** Sources without an explicit environment go to `default`, created on first need. */
  ensureDefault(): EnvironmentDto {
    return this.findByName(DEFAULT_ENVIRONMENT) ?? this.create({ name: DEFAULT_ENVIRONMENT, description: 'Created automatically', allowAllDestinations: true, allowedDestinationIds: [] });
  }

  create(input: EnvironmentCreate): EnvironmentDto {
    const id = randomUUID();
    this.db.transaction(() => {
      assertNameFree(this.db, 'environments', 'environment', input.name);
      this.db
        .prepare('INSERT INTO environments (id, name, description, allow_all_destinations, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(id, input.name, input.description, input.allowAllDestinations ? 1 : 0, this.now().toISOString());
      this.#setAllowed(id, input.allowedDestinationIds);
    })();
    return this.get(id);
  }

  update(input: EnvironmentUpdate): EnvironmentDto {
    const current = this.get(input.id);
    this.db.transaction(() => {
      if (input.name !== undefined) assertNameFree(this.db, 'environments', 'environment', input.name, input.id);
      this.db
        .prepare('UPDATE environments SET name = ?, description = ?, allow_all_destinations = ? WHERE id = ?')
        .run(
          input.name ?? current.name,
          input.description ?? current.description,
          (input.allowAllDestinations ?? current.allowAllDestinations) ? 1 : 0,
          input.id,
        );
      if (input.allowedDestinationIds) this.#setAllowed(input.id, input.allowedDestinationIds);
      // In the transaction: refused, the change is rolled back whole.
      assertJobsAllowed(this.db, { environmentId: input.id });
    })();
    return this.get(input.id);
  }

  delete(id: string): void {
    const env = this.get(id);
    const sources = this.db.prepare('SELECT name FROM sources WHERE environment_id = ? ORDER BY name').all(id) as { name: string }[];
    if (sources.length > 0) {
      const names = sources.map((s) => s.name);
      throw new AppError('IN_USE', `Environment "${env.name}" still has sources: ${names.join(', ')}. Move or delete them first.`, { sources: names });
    }
    this.db.prepare('DELETE FROM environments WHERE id = ?').run(id);
  }

  #setAllowed(id: string, destinationIds: string[]): void {
    this.db.prepare('DELETE FROM environment_destinations WHERE environment_id = ?').run(id);
    const insert = this.db.prepare('INSERT INTO environment_destinations (environment_id, destination_id) VALUES (?, ?)');
    for (const d of new Set(destinationIds)) {
      const exists = this.db.prepare('SELECT 1 FROM destinations WHERE id = ?').get(d);
      if (!exists) throw new AppError('NOT_FOUND', `No destination with id ${d}.`, { field: 'allowedDestinationIds', id: d });
      insert.run(id, d);
    }
  }

  #toDto(r: EnvironmentRow): EnvironmentDto {
    const allowed = this.db.prepare('SELECT destination_id FROM environment_destinations WHERE environment_id = ?').all(r.id) as { destination_id: string }[];
    const count = this.db.prepare('SELECT COUNT(*) AS n FROM sources WHERE environment_id = ?').get(r.id) as { n: number };
    return {
      id: r.id,
      name: r.name,
      description: r.description,
      allowAllDestinations: r.allow_all_destinations === 1,
      allowedDestinationIds: allowed.map((a) => a.destination_id),
      sourceCount: count.n,
      createdAt: r.created_at,
    };
  }
}

/**
 * Refuses a change that would leave a job using a destination its source's environment may not
 * use: every later run would fail at `plan` (DESTINATION_NOT_ALLOWED) with nothing said when the
 * change was made. Checked after the change, inside its transaction: the environment's jobs, or
 * one source's (moved to another environment).
 */
export function assertJobsAllowed(db: Db, scope: { environmentId: string } | { sourceId: string }): void {
  const where = 'environmentId' in scope ? 's.environment_id = ?' : 's.id = ?';
  const rows = db
    .prepare(
      `SELECT j.name AS job, d.name AS destination, e.name AS environment FROM jobs j
         JOIN sources s ON s.id = j.source_id
         JOIN environments e ON e.id = s.environment_id
         JOIN job_destinations jd ON jd.job_id = j.id
         JOIN destinations d ON d.id = jd.destination_id
       WHERE ${where} AND e.allow_all_destinations = 0
         AND NOT EXISTS (SELECT 1 FROM environment_destinations ed WHERE ed.environment_id = e.id AND ed.destination_id = jd.destination_id)
       ORDER BY j.name, d.name`,
    )
    .all('environmentId' in scope ? scope.environmentId : scope.sourceId) as { job: string; destination: string; environment: string }[];
  if (rows.length === 0) return;
  const uses = rows.map((r) => `job "${r.job}" stores on "${r.destination}"`).join(', ');
  throw new AppError(
    'DESTINATION_NOT_ALLOWED',
    `Environment "${rows[0]!.environment}" would not allow destinations its sources' jobs store on, so their runs would fail: ${uses}. Allow those destinations in the environment, or change the jobs' destinations first.`,
    { field: 'allowedDestinationIds', jobs: [...new Set(rows.map((r) => r.job))], destinations: [...new Set(rows.map((r) => r.destination))] },
  );
}
