import { describe, expect, it } from 'vitest';
import { withoutEchoedStatement } from './mysql-client-errors';

const echoed = (statement: string, error: string): string => `--------------\n${statement}\n--------------\n\n${error}`;

describe('withoutEchoedStatement', () => {
  it('keeps the error and a short statement whole, on one line', () => {
    const stderr = echoed("CREATE TABLE `customers` (\n  `id` int(11) NOT NULL\n) ENGINE=InnoDB COLLATE=utf8mb4_0900_ai_ci", "ERROR 1273 (HY000) at line 26: Unknown collation: 'utf8mb4_0900_ai_ci'");
    expect(withoutEchoedStatement(stderr)).toBe(
      "ERROR 1273 (HY000) at line 26: Unknown collation: 'utf8mb4_0900_ai_ci' (in the statement CREATE TABLE `customers` ( `id` int(11) NOT NULL ) ENGINE=InnoDB COLLATE=utf8mb4_0900_ai_ci)",
    );
  });

  it('names the table of an INSERT, never its rows', () => {
    const rows = Array.from({ length: 500 }, (_, i) => `(${i},'secret ${i}')`).join(',');
    const stderr = echoed(`INSERT INTO \`order items\` VALUES ${rows}`, "ERROR 1062 (23000) at line 40: Duplicate entry '7' for key 'PRIMARY'");
    expect(withoutEchoedStatement(stderr)).toBe("ERROR 1062 (23000) at line 40: Duplicate entry '7' for key 'PRIMARY' (in the statement INSERT INTO `order items` VALUES …)");
  });

  it('drops a statement whose start was cut off with the head of stderr, and keeps what came before the statement', () => {
    expect(withoutEchoedStatement("...,'secret 498'),(499,'secret 499')\n--------------\n\nERROR 1062 (23000) at line 40: Duplicate entry")).toBe('ERROR 1062 (23000) at line 40: Duplicate entry');
    expect(withoutEchoedStatement(`Warning: something\n${echoed('DROP TABLE x', 'ERROR 1051 (42S02) at line 3: Unknown table')}`)).toBe('Warning: something\nERROR 1051 (42S02) at line 3: Unknown table (in the statement DROP TABLE x)');
  });

  it('leaves stderr without an echoed statement as it is', () => {
    expect(withoutEchoedStatement("ERROR 1045 (28000): Access denied for user 'x'@'localhost'")).toBe("ERROR 1045 (28000): Access denied for user 'x'@'localhost'");
  });
});
