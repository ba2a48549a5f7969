import { Alert, Button } from '@mui/material';
import { useEditContext, type RaRecord } from 'react-admin';
import { ETAG_FIELD } from '../api/data-provider';
import { STALE_RECORD_MESSAGE } from './useSaveErrors';

/**
 * After a 412 on an edit page: says the record changed meanwhile and offers to reload it. The
 * form is keyed by the record's ETag (formKey), so the reloaded version replaces what was typed.
 */
export function StaleNotice({ onReloaded }: { onReloaded: () => void }) {
  const { refetch } = useEditContext();
  const reload = async () => {
    await refetch();
    onReloaded();
  };
  return (
    <Alert
      severity="error"
      role="alert"
      data-testid="stale-record"
      action={
        <Button color="inherit" size="small" variant="outlined" onClick={reload}>
          Reload
        </Button>
      }
    >
      {STALE_RECORD_MESSAGE} Reload to see the current version.
    </Alert>
  );
}

/** A form key that changes with the record's version. */
export const formKey = (record: RaRecord | undefined) => String(record?.[ETAG_FIELD] ?? '');
