import { describe, expect, it } from 'vitest';
import { historyPlan } from './mysql-history';

const mariadb = { flavor: 'mariadb' as const, parts: [10, 11, 19], text: '10.11.19-MariaDB' };
const dumpTool = (flavor: 'mariadb' | 'mysql', parts: number[], executable = flavor === 'mariadb' ? 'mariadb-dump' : 'mysqldump') => ({ executable, version: { text: '', flavor, parts } });

describe('historyPlan', () => {
  it('dumps history when every versioned table keeps it by time and the tool is mariadb-dump 10.11 or later; nothing to say', () => {
    expect(historyPlan([{ name: 'ledger', precise: false }], dumpTool('mariadb', [10, 11, 6]), mariadb)).toEqual({ dumpHistory: true, note: null });
    expect(historyPlan([{ name: 'ledger', precise: false }], dumpTool('mariadb', [11, 8, 2]), mariadb)).toEqual({ dumpHistory: true, note: null });
  });

  it('without versioned tables, or on MySQL, neither asks nor says anything', () => {
    expect(historyPlan([], dumpTool('mariadb', [10, 11, 6]), mariadb)).toEqual({ dumpHistory: false, note: null });
    expect(historyPlan([{ name: 'ledger', precise: false }], dumpTool('mysql', [8, 0, 36]), { flavor: 'mysql', parts: [8, 0, 36], text: '8.0.36' })).toEqual({ dumpHistory: false, note: null });
  });

  it('says which tables lose their history, and why: a tool that cannot dump it, or a transaction-precise table that stops mariadb-dump dumping any', () => {
    const tables = [
      { name: 'audit', precise: false },
      { name: 'ledger', precise: true },
    ];
    expect(historyPlan(tables.slice(0, 1), dumpTool('mariadb', [10, 6, 20]), mariadb)).toEqual({
      dumpHistory: false,
      note: 'System-versioned tables keep their history (`audit`), which mariadb-dump 10.6.20 cannot dump (mariadb-dump 10.11 and later can): the backup holds their current rows, and a restore starts their history anew.',
    });
    expect(historyPlan(tables.slice(0, 1), dumpTool('mysql', [8, 0, 36]), mariadb).note).toContain('which mysqldump 8.0.36 cannot dump');
    // A server before 10.11 could not take its own history back: not dumped, whatever the tool.
    expect(historyPlan(tables.slice(0, 1), dumpTool('mariadb', [11, 4, 5]), { flavor: 'mariadb', parts: [10, 6, 20], text: '10.6.20-MariaDB' })).toEqual({
      dumpHistory: false,
      note: 'System-versioned tables keep their history (`audit`), which MariaDB takes back into a table only from 10.11 on, and this server is 10.6.20: the backup holds their current rows, and a restore starts their history anew.',
    });
    expect(historyPlan(tables, dumpTool('mariadb', [11, 4, 5]), mariadb)).toEqual({
      dumpHistory: false,
      note: "`ledger` keeps transaction-precise history, which mariadb-dump cannot dump, and it then dumps no table's history: of the system-versioned tables (`audit`, `ledger`), the backup holds their current rows, and a restore starts their history anew.",
    });
  });
});
