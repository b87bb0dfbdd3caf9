/**
 * How numbers and dates read wherever people read them (reports and the console).
 * Dependency-free: the console imports this module too (served at /vocabulary/).
 */

/** A probability in percent, to one decimal: 0.725 → "72.5 %". */
export const percent = (probability: number) => `${Math.round(probability * 1000) / 10} %`;

/** The calendar day (UTC) of a time: "2023-03-21". */
export const day = (time: Date | string) => (typeof time === 'string' ? time : time.toISOString()).slice(0, 10);
