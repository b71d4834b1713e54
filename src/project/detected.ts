/**
 * What detection found, or why it found nothing usable. Detection never stops at the first
 * problem: an unusable finding is a Gap, and it matters only if the value is needed and no flag,
 * saved answer or prompt supplies it (then every gap is reported at once).
 */
import { UserError } from '../errors.js';

/** A detected value and where it came from (shown to the user, e.g. ".nvmrc"). */
export interface Detected<T> {
  value: T;
  source: string;
}

/** Why a value can't be detected as the project stands: one line naming the file and the fix. */
export interface Gap {
  gap: string;
}

export type Finding<T> = Detected<T> | Gap;

export function isGap(finding: unknown): finding is Gap {
  return typeof finding === 'object' && finding !== null && 'gap' in finding;
}

/** The value, or undefined for a gap or nothing. */
export function found<T>(finding: Finding<T> | undefined): Detected<T> | undefined {
  return finding === undefined || isGap(finding) ? undefined : finding;
}

/** Runs a reading that reports problems by throwing a UserError, and turns such a problem into a Gap. */
export function settle<T>(read: () => T): T | Gap {
  try {
    return read();
  } catch (error) {
    if (error instanceof UserError) return { gap: error.message };
    throw error;
  }
}
