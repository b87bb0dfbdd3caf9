import { claimEtag, versionFromEtag } from './claim-etag.js';
import type { ClaimResponse } from './dto/claim.response.js';

const claim = (version: number | null, statement = 'China is supplying arms to Russia') =>
  ({ id: 'c1', statement, assessment: version === null ? null : { version } }) as unknown as ClaimResponse;

describe('claim ETags', () => {
  it('lead with the assessment version and change with anything in the view', () => {
    expect(claimEtag(claim(3))).toMatch(/^"3\.[\w-]{22}"$/);
    expect(claimEtag(claim(null))).toMatch(/^"0\./);
    expect(claimEtag(claim(3))).toBe(claimEtag(claim(3)));
    expect(claimEtag(claim(3, 'Another statement'))).not.toBe(claimEtag(claim(3)));
  });

  it('give back the version from If-Match, strong or weak, and nothing from anything else', () => {
    expect(versionFromEtag(claimEtag(claim(7)))).toBe(7);
    expect(versionFromEtag(` W/${claimEtag(claim(12))} `)).toBe(12);
    for (const header of [undefined, '', '*', '"7"', '7.abc', '"x.abc"', '"7.abc" , "8.def"']) expect(versionFromEtag(header)).toBeUndefined();
  });
});
