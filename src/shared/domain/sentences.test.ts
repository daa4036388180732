import { describe, expect, it } from 'vitest';
import { continued } from './sentences';

describe('continued', () => {
  it('ends a tool\'s line with a full stop before what follows, and adds none to a sentence', () => {
    expect(continued("ERROR 1273 (HY000) at line 26: Unknown collation: 'utf8mb4_0900_ai_ci'\n", 'Restore it elsewhere.')).toBe("ERROR 1273 (HY000) at line 26: Unknown collation: 'utf8mb4_0900_ai_ci'. Restore it elsewhere.");
    expect(continued('The restore failed.', 'Nothing was kept.')).toBe('The restore failed. Nothing was kept.');
  });
});
