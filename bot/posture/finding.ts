export type CheckId = 'BG-01' | 'BG-02' | 'BG-03' | 'BG-04' | 'BG-05' | 'BG-06' | 'BG-07' | 'BG-08' | 'BG-09' | 'BG-10' | 'BG-11' | 'BG-12';

export type FindingStatus = 'pass' | 'fail' | 'warn' | 'unknown';

/** One check's verdict for one account (or for the tenant: account "*"). The JSON of `check`. */
export interface Finding {
  id: CheckId;
  /** The account's UPN (or the configured value when it does not resolve); "*" for tenant-wide checks. */
  account: string;
  status: FindingStatus;
  /** What was seen, in one or two sentences (for `unknown`: the reason, e.g. the missing permission). */
  evidence: string;
  /** The fix in one sentence (empty when passing). */
  fix: string;
}

/** What the checks know beyond the tenant snapshot: Glasswatch's own records. */
export interface PostureContext {
  now: Date;
  /** Configured accounts (GLASSWATCH_ACCOUNTS + accounts:), as typed. */
  accounts: string[];
  /** Completed drills per account (lower-cased UPN or id → ISO time of the last completed drill); undefined until drills exist. */
  lastDrill?: Record<string, string>;
  /** When Glasswatch last received an alert (any) — proof the alert path is live. */
  lastAlertAt?: string;
  /** How recent an alert or heartbeat must be for BG-11 (ms). */
  alertingWindowMs: number;
  /** Sign-ins Glasswatch has accounted for: incident ids or drills covering [from, to] for an account. */
  accountedSignIns: { account: string; from: string; to: string; resolution?: string }[];
  /** When the posture was last reviewed (e.g. the last completed drill or resolved incident). */
  lastReviewAt?: string;
}
