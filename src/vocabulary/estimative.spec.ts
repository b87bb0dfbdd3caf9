import { estimativeTerm } from './estimative.js';

describe('estimativeTerm (ICD 203)', () => {
  it.each([
    [0, 'almost no chance'],
    [0.01, 'almost no chance'],
    [0.049, 'almost no chance'],
    [0.05, 'very unlikely'],
    [0.19, 'very unlikely'],
    [0.2, 'unlikely'],
    [0.44, 'unlikely'],
    [0.45, 'roughly even chance'],
    [0.5, 'roughly even chance'],
    [0.55, 'roughly even chance'],
    [0.56, 'likely'],
    [0.8, 'likely'],
    [0.81, 'very likely'],
    [0.95, 'very likely'],
    [0.96, 'almost certain'],
    [1, 'almost certain'],
  ])('%f is "%s"', (probability, term) => {
    expect(estimativeTerm(probability)).toBe(term);
  });

  it('gives symmetric terms for p and 1 - p', () => {
    const opposite: Record<string, string> = {
      'almost no chance': 'almost certain',
      'very unlikely': 'very likely',
      unlikely: 'likely',
      'roughly even chance': 'roughly even chance',
    };
    for (const p of [0.02, 0.05, 0.1, 0.2, 0.3, 0.45, 0.5]) {
      expect(estimativeTerm(1 - p)).toBe(opposite[estimativeTerm(p)]);
    }
  });

  it('refuses values outside [0, 1]', () => {
    expect(() => estimativeTerm(1.01)).toThrow(RangeError);
    expect(() => estimativeTerm(Number.NaN)).toThrow(RangeError);
  });
});
