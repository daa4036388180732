import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../../shared/ipc/result';
import { asAppError, onEvent } from '../api';
import type { EventPayload } from '../../../shared/ipc/contract';

type ConfigEntity = EventPayload<'config:changed'>['entity'];

export interface LiveQuery<T> {
  data: T | undefined;
  error: AppError | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads once, then again whenever the configuration changes (from this window, another
 * window, the CLI's serve bridge...), or, with `on`, when one of those kinds of entity does.
 * Only the latest answer is kept.
 */
export function useLiveQuery<T>(load: () => Promise<T>, options: { on?: readonly ConfigEntity[] } = {}): LiveQuery<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  const onRef = useRef(options.on);
  const seq = useRef(0);
  useEffect(() => {
    loadRef.current = load;
    onRef.current = options.on;
  });

  const reload = useCallback(() => {
    const mine = ++seq.current;
    setLoading(true);
    loadRef.current().then(
      (value) => {
        if (mine !== seq.current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (mine !== seq.current) return;
        setError(asAppError(err));
        setLoading(false);
      },
    );
  }, []);

  useEffect(() => {
    reload();
    return onEvent('config:changed', (change) => {
      if (!onRef.current || onRef.current.includes(change.entity)) reload();
    });
  }, [reload]);

  return { data, error, loading, reload };
}
