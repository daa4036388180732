import type { UseFormReturnType } from '@mantine/form';
import { useState } from 'react';
import { asAppError } from '../api';
import { placeErrors } from './form-errors';
import type { FormSubmit } from './use-form-submit';

export interface TestedSubmit extends FormSubmit {
  /** The test before saving failed and nothing was saved: what it said. */
  testFailure: string | null;
  /** Saves the form as it is, without a test: the entry is then marked "not tested". */
  saveAnyway: () => void;
}

/**
 * Sends a source or destination form with a test on save: the core tests the settings and saves
 * them only when the test passes. When it fails, nothing is saved and `testFailure` says why;
 * `saveAnyway` saves them untested, for a server the user knows is down for now. Other errors go
 * under their fields, as with useFormSubmit.
 */
export function useTestedSubmit<V extends object, R>(
  form: UseFormReturnType<V>,
  fieldFor: (path: string) => string | null,
  send: (values: V, test: boolean) => Promise<R>,
  onDone: (result: R, tested: boolean) => void,
): TestedSubmit {
  const [busy, setBusy] = useState(false);
  const [general, setGeneral] = useState<string | null>(null);
  const [testFailure, setTestFailure] = useState<string | null>(null);
  const save = async (values: V, test: boolean): Promise<void> => {
    setBusy(true);
    setGeneral(null);
    setTestFailure(null);
    try {
      onDone(await send(values, test), test);
    } catch (err) {
      const error = asAppError(err);
      if (error.code === 'TEST_FAILED') {
        const said = (error.details?.test as { message?: unknown } | undefined)?.message;
        setTestFailure(typeof said === 'string' ? said : error.message);
        return;
      }
      const placed = placeErrors(error, fieldFor);
      form.setErrors(placed.fields);
      setGeneral(placed.general);
    } finally {
      setBusy(false);
    }
  };
  return {
    onSubmit: form.onSubmit((values) => save(values, true)),
    saveAnyway: () => void save(form.getValues(), false),
    busy,
    general,
    testFailure,
  };
}
