import { useCallback, useState } from 'react';

export interface Dialog<T> {
  opened: boolean;
  /** Kept after closing, so the closing animation still shows the right title. */
  target: T | null;
  open: (target: T) => void;
  close: () => void;
}

export function useDialog<T>(): Dialog<T> {
  const [state, setState] = useState<{ opened: boolean; target: T | null }>({ opened: false, target: null });
  const open = useCallback((target: T) => setState({ opened: true, target }), []);
  const close = useCallback(() => setState((s) => ({ ...s, opened: false })), []);
  return { opened: state.opened, target: state.target, open, close };
}
