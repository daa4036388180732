import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../../shared/ipc/result';
import { asAppError } from '../api';

export interface Call<T> {
  data: T | undefined;
  error: AppError | null;
  loading: boolean;
  /** Runs the call again (e.g. "Test again"); only the latest answer is kept. */
  retry: () => void;
}

/** One call made when the component mounts (a connection test), with its outcome. */
export function useCall<T>(call: () => Promise<T>): Call<T> {
  const [state, setState] = useState<{ data: T | undefined; error: AppError | null; loading: boolean }>({ data: undefined, error: null, loading: true });
  const callRef = useRef(call);
  const seq = useRef(0);
  useEffect(() => {
    callRef.current = call;
  });
  const retry = useCallback(() => {
    const mine = ++seq.current;
    setState({ data: undefined, error: null, loading: true });
    callRef.current().then(
      (data) => mine === seq.current && setState({ data, error: null, loading: false }),
      (err: unknown) => mine === seq.current && setState({ data: undefined, error: asAppError(err), loading: false }),
    );
  }, []);
  useEffect(() => {
    retry();
    // A closed dialog must not take the answer of a test still under way.
    return () => {
      seq.current += 1;
    };
  }, [retry]);
  return { ...state, retry };
}
