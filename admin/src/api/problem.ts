/** An RFC 9457 problem document as the API sends it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Array<{ field: string; message: string }>;
  [extension: string]: unknown;
}

/**
 * The body of the HttpError the data provider throws: react-admin puts `errors` on the form's
 * inputs (nested names such as "items[0].quantity" become "items.0.quantity"), and the
 * notification shows the message. The problem itself rides along for screens that need it.
 */
export interface ProblemErrorBody {
  errors?: Record<string, string>;
  problem: Problem;
}

export function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && ('title' in value || 'detail' in value || 'status' in value);
}

/** The sentence shown to the user: the problem's detail, else its title, else the status line. */
export function problemMessage(problem: Problem | undefined, status: number, statusText = ''): string {
  const text = problem?.detail || problem?.title;
  if (text) return text;
  if (status === 0) return 'The service cannot be reached. Check the connection and try again.';
  return `The service answered ${status}${statusText ? ` ${statusText}` : ''}.`;
}

/** "items[0].quantity" → "items.0.quantity": the path react-hook-form uses for the same input. */
export function formFieldPath(field: string): string {
  return field.replace(/\[(\d+)\]/g, '.$1');
}

export function problemErrorBody(problem: Problem): ProblemErrorBody {
  const fieldErrors = Array.isArray(problem.errors) ? problem.errors.filter((e) => e && typeof e.field === 'string') : [];
  if (fieldErrors.length === 0) return { problem };
  const errors: Record<string, string> = {};
  for (const { field, message } of fieldErrors) {
    const path = formFieldPath(field);
    errors[path] = errors[path] ? `${errors[path]}; ${message}` : String(message);
  }
  return { errors, problem };
}
