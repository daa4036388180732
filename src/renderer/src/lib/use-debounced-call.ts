import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import type { AppError } from '../../../shared/ipc/result';
import { asAppError } from '../api';

export interface DebouncedCall<T> {
  /** The answer for the latest settled key (kept while the next one loads, so the view does not flicker). */
  data: T | null;
  error: AppError | null;
  loading: boolean;
}

const IDLE = { data: null, error: null, loading: false };

/**
 * Calls `call(key)` once `key` has stopped changing for `delayMs` (a field being typed into), and
 * keeps only the answer to the latest key. A null key means "nothing to ask" and clears the answer.
 */
export function useDebouncedCall<K, T>(key: K | null, call: (key: K) => Promise<T>, delayMs = 300): DebouncedCall<T> {
  // Compared by value: the key is rebuilt on every render (a policy object, a schedule and zone).
  const [settled] = useDebouncedValue(key === null ? null : JSON.stringify(key), delayMs);
  const [state, setState] = useState<DebouncedCall<T>>(IDLE);
  const callRef = useRef(call);
  useEffect(() => {
    callRef.current = call;
  });
  useEffect(() => {
    if (settled === null) {
      setState(IDLE);
      return;
    }
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    callRef.current(JSON.parse(settled) as K).then(
      (data) => current && setState({ data, error: null, loading: false }),
      (err: unknown) => current && setState({ data: null, error: asAppError(err), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [settled]);
  return state;
}
