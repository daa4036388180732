import { describe, expect, it } from 'vitest';
import { statementError } from './ssh-exec-postgres-admin';

// psql prints the server's message in the server's language (lc_messages); the SQLSTATE, which
// VERBOSITY=verbose adds after the severity word, is the same in all of them.
describe('statementError', () => {
  it.each([
    ['English', 'ERROR:  55006: database "shop" is being accessed by other users\nDETAIL:  There is 1 other session using the database.\nLOCATION:  errdetail_busy_db, dbcommands.c:2433'],
    ['German', 'FEHLER:  55006: auf Datenbank »shop« wird von anderen Benutzern zugegriffen\nDETAIL:  1 andere Sitzung verwendet die Datenbank.'],
    ['French', 'ERREUR:  55006: la base de données « shop » est en cours d\'utilisation par d\'autres utilisateurs'],
    ['Japanese', 'エラー:  55006: データベース"shop"は他のユーザからアクセスされています'],
    ['a psql script line prefix', 'psql:<stdin>:1: ERROR:  55006: database "shop" is being accessed by other users'],
  ])('finds the SQLSTATE of a %s message', (_language, stderr) => {
    expect(statementError(stderr)?.sqlstate).toBe('55006');
  });

  it('keeps the message after the SQLSTATE', () => {
    expect(statementError('ERROR:  42P04: database "shop" already exists')).toEqual({ sqlstate: '42P04', message: 'database "shop" already exists' });
  });

  it('is null when psql failed before the server ran anything', () => {
    expect(statementError('psql: error: connection to server at "127.0.0.1", port 5432 failed: Connection refused')).toBeNull();
    expect(statementError('')).toBeNull();
  });
});
