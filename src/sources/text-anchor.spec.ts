import { anchorQuote, CONTEXT, reanchor } from './text-anchor.js';

const TEXT = 'Officials denied it. Shipments went through Kazakhstan. Officials denied it again in May.';

describe('anchoring quotes (W3C TextQuoteSelector and TextPositionSelector)', () => {
  it('pins a quote that occurs once, with its context and code-point positions', () => {
    expect(anchorQuote(TEXT, 'Shipments went through Kazakhstan')).toEqual({ prefix: 'Officials denied it. ', suffix: '. Officials denied it again in M', start: 21, end: 54 });
  });

  it('refuses a quote that occurs twice unless a prefix, a suffix or a position picks one', () => {
    expect(anchorQuote(TEXT, 'Officials denied it')).toEqual({ problem: 'ambiguous', occurrences: 2 });
    expect(anchorQuote(TEXT, 'Officials denied it', { suffix: ' again' })).toMatchObject({ start: 56, end: 75 });
    expect(anchorQuote(TEXT, 'Officials denied it', { prefix: 'Kazakhstan. ' })).toMatchObject({ start: 56 });
    expect(anchorQuote(TEXT, 'Officials denied it', { start: 0, end: 19 })).toMatchObject({ start: 0, end: 19, prefix: '' });
    expect(anchorQuote(TEXT, 'Officials denied it', { start: 3 })).toEqual({ problem: 'position-mismatch', found: 'icials denied it. S' });
    expect(anchorQuote(TEXT, 'Officials denied it', { start: 0, end: 18 })).toMatchObject({ problem: 'position-mismatch' });
    expect(anchorQuote(TEXT, 'Officials denied it', { suffix: ' never' })).toEqual({ problem: 'not-found' });
    expect(anchorQuote(TEXT, 'not there')).toEqual({ problem: 'not-found' });
  });

  it('counts positions in code points: an emoji is one, a Chinese character is one', () => {
    const text = '🚚 卡车 crossed at 霍尔果斯 on Tuesday';
    const anchor = anchorQuote(text, '霍尔果斯');
    expect(anchor).toEqual({ prefix: '🚚 卡车 crossed at ', suffix: ' on Tuesday', start: 16, end: 20 });
    expect(Array.from(text).slice(16, 20).join('')).toBe('霍尔果斯');
    expect(anchorQuote(text, '霍尔果斯', { start: 16 })).toEqual(anchor);
  });

  it(`keeps at most ${CONTEXT} characters of context`, () => {
    const long = `${'a'.repeat(100)}QUOTE${'b'.repeat(100)}`;
    expect(anchorQuote(long, 'QUOTE')).toEqual({ prefix: 'a'.repeat(CONTEXT), suffix: 'b'.repeat(CONTEXT), start: 100, end: 105 });
  });

  it('re-anchors after an edit elsewhere; a quote whose surroundings changed, or that now occurs twice with them, has drifted', () => {
    const anchor = anchorQuote(TEXT, 'Shipments went through Kazakhstan') as { prefix: string; suffix: string };
    expect(reanchor(`Update: ${TEXT}`, 'Shipments went through Kazakhstan', anchor)).toMatchObject({ start: 29, end: 62 });
    expect(reanchor(TEXT.replace('Officials denied it. ', 'They denied it. '), 'Shipments went through Kazakhstan', anchor)).toBeNull();
    expect(reanchor(`${TEXT} ${TEXT}`, 'Shipments went through Kazakhstan', anchor)).toBeNull();
    expect(reanchor(TEXT.replace('Kazakhstan', 'Kyrgyzstan'), 'Shipments went through Kazakhstan', anchor)).toBeNull();
  });
});
