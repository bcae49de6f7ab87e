/**
 * Who raised a referral's finding, as feedback links, ratings and the pages name them: an opaque
 * reference that carries no personal data. A deputy by id (`D.<deputyId>`: one rating per deputy
 * for all their findings in the referral), a resident by the finding they raised (`R.<findingId>`).
 */
export const raiserRefOfDeputy = (deputyId: string): string => `D.${deputyId}`;
export const raiserRefOfResident = (findingId: string): string => `R.${findingId}`;

export type Raiser = { kind: 'DEPUTY'; deputyId: string } | { kind: 'RESIDENT'; findingId: string };

/** The raiser a reference names; `undefined` for anything else. */
export const raiserOf = (raiserRef: string): Raiser | undefined => {
  if (raiserRef.startsWith('D.') && raiserRef.length > 2) {
    return { kind: 'DEPUTY', deputyId: raiserRef.slice(2) };
  }
  if (raiserRef.startsWith('R.') && raiserRef.length > 2) {
    return { kind: 'RESIDENT', findingId: raiserRef.slice(2) };
  }
  return undefined;
};

/** Whether `finding` is one the raiser raised (what their rating is about). */
export const raisedBy = (
  raiser: Raiser,
  finding: { id: string; raisedBy?: { deputyId?: string } },
): boolean =>
  raiser.kind === 'DEPUTY'
    ? finding.raisedBy?.deputyId === raiser.deputyId
    : finding.id === raiser.findingId;
