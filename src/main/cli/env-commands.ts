import type { Command } from 'commander';
import { action, collect } from './cli-context';
import { emit, printRecord, printTable } from './output';
import { destinationId, environmentId, findEnvironment } from './resolve';

export function registerEnvCommands(program: Command): void {
  const env = program.command('env').description('environments (production, staging ...) and the destinations each may use');

  env
    .command('add')
    .description('add an environment')
    .requiredOption('--name <name>', 'a unique name')
    .option('--description <text>', 'what it is')
    .option('--allow <destination>', 'only these destinations may be used (repeatable; default: all)', collect)
    .option('--json', 'print JSON')
    .action(
      action(async (core, o: { name: string; description?: string; allow?: string[]; json?: boolean }) => {
        const allowed = await Promise.all((o.allow ?? []).map((d) => destinationId(core, d)));
        const created = await core.call('environments:create', { name: o.name, description: o.description ?? '', allowAllDestinations: allowed.length === 0, allowedDestinationIds: allowed });
        emit(o.json, created, () => process.stdout.write(`Added environment "${created.name}".\n`));
      }),
    );

  env
    .command('set')
    .description('change which destinations an environment may use')
    .argument('<environment>', 'name or id')
    .option('--allow-all', 'every destination may be used')
    .option('--allow <destination>', 'only these destinations may be used (repeatable)', collect)
    .option('--description <text>', 'new description')
    .action(
      action(async (core, ref: string, o: { allowAll?: boolean; allow?: string[]; description?: string }) => {
        const allowed = o.allow ? await Promise.all(o.allow.map((d) => destinationId(core, d))) : undefined;
        const updated = await core.call('environments:update', {
          id: await environmentId(core, ref),
          description: o.description,
          allowAllDestinations: o.allowAll ? true : allowed ? false : undefined,
          allowedDestinationIds: allowed ?? (o.allowAll ? [] : undefined),
        });
        process.stdout.write(`Environment "${updated.name}" updated.\n`);
      }),
    );

  env
    .command('list')
    .description('list environments')
    .option('--json', 'print JSON')
    .action(
      action(async (core, o: { json?: boolean }) => {
        const list = await core.call('environments:list', {});
        const names = new Map((await core.call('destinations:list', {})).map((d) => [d.id, d.name]));
        emit(o.json, list, () =>
          printTable(
            ['NAME', 'SOURCES', 'DESTINATIONS', 'DESCRIPTION'],
            list.map((e) => [e.name, e.sourceCount, e.allowAllDestinations ? 'all' : e.allowedDestinationIds.map((id) => names.get(id)).join(', ') || 'none', e.description]),
          ),
        );
      }),
    );

  env
    .command('show')
    .description('one environment: how many sources it holds and the destinations it may use')
    .argument('<environment>', 'name or id')
    .option('--json', 'print JSON')
    .action(
      action(async (core, ref: string, o: { json?: boolean }) => {
        const e = await findEnvironment(core, ref);
        const names = new Map((await core.call('destinations:list', {})).map((d) => [d.id, d.name]));
        emit(o.json, e, () =>
          printRecord({ name: e.name, id: e.id, description: e.description, sources: e.sourceCount, destinations: e.allowAllDestinations ? 'all' : e.allowedDestinationIds.map((id) => names.get(id)) }),
        );
      }),
    );

  env
    .command('remove')
    .description('remove an environment that holds no sources')
    .argument('<environment>', 'name or id')
    .action(
      action(async (core, ref: string) => {
        await core.call('environments:delete', { id: await environmentId(core, ref) });
        process.stdout.write(`Removed environment "${ref}".\n`);
      }),
    );
}
