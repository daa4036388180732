import type { UseFormReturnType } from '@mantine/form';
import { useState, type FormEvent } from 'react';
import { asAppError } from '../api';
import { placeErrors } from './form-errors';

export interface FormSubmit {
  onSubmit: (event?: FormEvent<HTMLFormElement>) => void;
  busy: boolean;
  /** The error no field can show, for an Alert above the buttons. */
  general: string | null;
}

/**
 * Sends a form to the core. The core validates; its errors come back under the fields they
 * concern (mapped by `fieldFor`), and whatever has no field goes in `general`.
 */
export function useFormSubmit<V extends object, R>(
  form: UseFormReturnType<V>,
  fieldFor: (path: string) => string | null,
  send: (values: V) => Promise<R>,
  onDone: (result: R) => void,
): FormSubmit {
  const [busy, setBusy] = useState(false);
  const [general, setGeneral] = useState<string | null>(null);
  const onSubmit = form.onSubmit(async (values) => {
    setBusy(true);
    setGeneral(null);
    try {
      const result = await send(values);
      onDone(result);
    } catch (err) {
      const placed = placeErrors(asAppError(err), fieldFor);
      form.setErrors(placed.fields);
      setGeneral(placed.general);
    } finally {
      setBusy(false);
    }
  });
  return { onSubmit, busy, general };
}
