/**
 * A/B rounds: each round measures the subject and its baseline once, one after the other, the
 * order alternating round by round (baseline first in even rounds), so drift on a shared machine
 * hits both sides alike and every round yields one honest ratio.
 */
export async function interleavedRounds<T>(
  rounds: number,
  subject: (round: number) => Promise<T>,
  baseline: (round: number) => Promise<T>,
): Promise<{ subject: T; baseline: T }[]> {
  const results: { subject: T; baseline: T }[] = [];
  for (let round = 0; round < rounds; round += 1) {
    if (round % 2 === 0) {
      const b = await baseline(round);
      results.push({ baseline: b, subject: await subject(round) });
    } else {
      const s = await subject(round);
      results.push({ subject: s, baseline: await baseline(round) });
    }
  }
  return results;
}
