import { normalizeUrl } from './url.js';

describe('normalizeUrl', () => {
  it('gives one spelling for the same page', () => {
    const variants = [
      'HTTPS://Example.ORG:443/news/story/?utm_source=x&b=2&a=1#section',
      'https://example.org/news/story?a=1&b=2',
      '  https://example.org/news/story/?b=2&a=1&fbclid=abc ',
    ];
    expect(new Set(variants.map(normalizeUrl))).toEqual(new Set(['https://example.org/news/story?a=1&b=2']));
  });

  it('keeps the root slash and meaningful differences', () => {
    expect(normalizeUrl('http://example.org')).toBe('http://example.org/');
    expect(normalizeUrl('https://example.org/a?id=1')).not.toBe(normalizeUrl('https://example.org/a?id=2'));
  });
});
