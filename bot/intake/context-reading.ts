import type { ParsedAlert, SignInDetails } from './alert.js';

/** What the alertContext of one kind of alert contributes to a ParsedAlert. */
export interface ContextReading {
  signIns: SignInDetails[];
  links: ParsedAlert['links'];
}
