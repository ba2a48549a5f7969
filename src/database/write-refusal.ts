/** A write the database refused for a reason its repository expected (a taken sku, a missing category…). */
export interface WriteRefusal {
  refused: string;
}

/** Whether a repository's write answered a refusal rather than the row (or undefined: no row matched). */
export const isRefusal = <Refusal extends WriteRefusal>(outcome: object | undefined): outcome is Refusal => outcome !== undefined && 'refused' in outcome;
