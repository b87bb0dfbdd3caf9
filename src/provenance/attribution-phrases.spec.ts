import { attributionPhrases, sentencesAround } from './attribution-phrases.js';

describe('attribution phrases', () => {
  it.each([
    ['China is preparing to send drones, according to US intelligence officials.', 'US intelligence officials'],
    ['“We will never do it,” said Kremlin spokesman Dmitry Peskov on Friday.', 'Kremlin spokesman Dmitry Peskov'],
    ['Chinese Ministry of Foreign Affairs spokesman Wang Wenbin said the claims were false.', 'Chinese Ministry of Foreign Affairs spokesman Wang Wenbin'],
    ['Bilateral trade grew 31 percent for the first eight months of 2022, according to Chinese customs data.', 'Chinese customs data'],
    ['The meeting was the second since the war began, TASS reported.', 'TASS'],
  ])('reads who "%s" comes from', (text, name) => {
    expect(attributionPhrases(text).map((p) => p.name)).toEqual([name]);
  });

  it('names no one for pronouns or unattributed text', () => {
    expect(attributionPhrases('He said it would not happen.')).toEqual([]);
    expect(attributionPhrases('Beijing can now produce modern weapons on its own.')).toEqual([]);
  });

  it('reads the sentence around a quote, where the attribution usually is', () => {
    const text = 'First sentence. “Military support is not in the cards,” said Sun. Next one.';
    expect(sentencesAround(text, 'Military support is not in the cards')).toBe('“Military support is not in the cards,” said Sun.');
    expect(sentencesAround(null, 'a quote')).toBe('a quote');
  });
});
