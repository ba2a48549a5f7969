import { useState } from 'react';
import { useNotify, type HttpError } from 'react-admin';

export const STALE_RECORD_MESSAGE = 'This record was changed by someone else since you opened it, so your changes were not saved.';

/**
 * onError for create and edit forms: every refusal is notified with the problem's detail (and
 * what each field error says, which the form also shows next to the field); the values typed
 * stay in the form. A 412 marks the record stale, and the edit view offers to reload it.
 */
export function useSaveErrors() {
  const notify = useNotify();
  const [stale, setStale] = useState(false);
  const onError = (error: unknown) => {
    const status = (error as HttpError)?.status;
    if (status === 412) {
      setStale(true);
      notify(STALE_RECORD_MESSAGE, { type: 'error', autoHideDuration: 10_000 });
      return;
    }
    notify(error instanceof Error ? error.message : String(error), { type: 'error', autoHideDuration: 10_000 });
  };
  return { onError, stale, clearStale: () => setStale(false) };
}
