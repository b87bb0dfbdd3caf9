import { bigrams, checkReasons, ClaimIndex, sentencesOf } from './claim-suggestions.js';

describe('claims suggested from a text', () => {
  it('splits sentences with their code-point positions, in English, Russian and Chinese', () => {
    const text = 'Shells crossed in March. Officials denied it.\n\nНовый абзац. 中国否认。俄罗斯沉默。';
    const sentences = sentencesOf(text);
    expect(sentences.map((s) => s.text)).toEqual(['Shells crossed in March.', 'Officials denied it.', 'Новый абзац.', '中国否认。', '俄罗斯沉默。']);
    // Initials and abbreviations do not end a sentence; a quotation's closing mark stays with it; an emoji counts once.
    expect(sentencesOf('U.S. officials met Mr. Li on Jan. 5. "It is over," he said! 🚚 Trucks left.').map((s) => s.text)).toEqual([
      'U.S. officials met Mr. Li on Jan. 5.', '"It is over," he said!', '🚚 Trucks left.',
    ]);
    const emoji = 'Intro. 🚚 Trucks left. Done.';
    for (const s of sentencesOf(emoji)) expect(Array.from(emoji).slice(s.start, s.end).join('')).toBe(s.text);
    for (const s of sentences) expect(Array.from(text).slice(s.start, s.end).join('')).toBe(s.text);
  });

  it('gives the reasons a sentence looks check-worthy, and none to short or plain ones', () => {
    expect(checkReasons('According to customs data, 1,200 trucks may have crossed the border.', 'en')).toEqual(['attribution', 'number', 'modal']);
    expect(checkReasons('The weather was cold and grey all week long.', 'en')).toEqual([]);
    expect(checkReasons('Officials said so.', 'en')).toEqual([]);
    expect(checkReasons('По данным таможни, через границу якобы прошли грузовики с оружием.', 'ru')).toEqual(['attribution', 'modal']);
    expect(checkReasons('据报道，三百辆卡车可能已经越过边境运送零部件。', 'zh')).toEqual(['attribution', 'number', 'modal']);
  });

  it('matches claims by the rare words they share, and says whether the sentence restates, supports or contradicts them', () => {
    const index = new ClaimIndex([
      { id: 'kz', statement: 'Firms shipped components through Kazakhstan', lexemes: ['firm', 'ship', 'compon', 'kazakhstan'] },
      { id: 'arms', statement: 'China supplies weapons to Russia', lexemes: ['china', 'suppli', 'weapon', 'russia'] },
      { id: 'iran', statement: 'Iran sells drones to Russia', lexemes: ['iran', 'sell', 'drone', 'russia'] },
    ]);
    expect(index.match('Firms shipped components through Kazakhstan in March.', ['firm', 'ship', 'compon', 'kazakhstan', 'march'])).toEqual([
      { claimId: 'kz', statement: 'Firms shipped components through Kazakhstan', coverage: 1, relation: 'restates' },
    ]);
    const denied = index.match('China does not supply weapons to Russia.', ['china', 'suppli', 'weapon', 'russia']);
    expect(denied[0]).toMatchObject({ claimId: 'arms', relation: 'may-contradict' });
    // "russia" alone (in two claims: the commoner word) is not enough for the Iran claim.
    expect(denied.map((m) => m.claimId)).not.toContain('iran');
    expect(index.match('Firms in Kazakhstan shipped parts.', ['firm', 'kazakhstan', 'ship', 'part'])[0]).toMatchObject({ claimId: 'kz', relation: 'may-support' });
  });

  it('uses character bigrams for Chinese', () => {
    expect(bigrams('中国向俄罗斯')).toEqual(['中国', '国向', '向俄', '俄罗', '罗斯']);
    const index = new ClaimIndex([{ id: 'zh', statement: '中国向俄罗斯提供致命性武器', lexemes: bigrams('中国向俄罗斯提供致命性武器') }]);
    expect(index.match('中国从未向俄罗斯提供致命性武器。', bigrams('中国从未向俄罗斯提供致命性武器。'))[0]).toMatchObject({ claimId: 'zh', relation: 'may-contradict' });
  });
});
