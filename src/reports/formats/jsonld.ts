import { day } from '../../vocabulary/display.js';
import type { ReportClaim, ReportFormatter, ReportSource } from '../report.js';

const creativeWork = (source: ReportSource) => ({
  '@type': 'CreativeWork',
  headline: source.title,
  ...(source.url ? { url: source.url } : {}),
  ...(source.publishedOn ? { datePublished: source.publishedOn } : {}),
  ...(source.outlet ? { publisher: { '@type': 'Organization', name: source.outlet } } : {}),
  ...(source.author ? { author: { '@type': 'Person', name: source.author } } : {}),
});

/**
 * schema.org ClaimReview, with the fields Google's Fact Check tools require and
 * recommend. The rating is the probability in percent (0 false ... 100 true) with
 * the ICD 203 term as its name. Unassessed claims have no review and are left out.
 */
export function toClaimReview(claim: ReportClaim): object | undefined {
  const a = claim.assessment;
  if (!a) return undefined;
  const appearing = claim.sources.filter((s) => claim.appearances.some((p) => p.sourceId === s.id));
  const byDate = [...appearing].sort((x, y) => (x.publishedOn ?? '9999').localeCompare(y.publishedOn ?? '9999'));
  return {
    '@context': 'https://schema.org',
    '@type': 'ClaimReview',
    url: claim.url,
    claimReviewed: claim.statement,
    datePublished: day(a.createdAt),
    author: { '@type': 'Person', name: a.createdByName },
    reviewRating: {
      '@type': 'Rating',
      ratingValue: Math.round(a.probability * 100),
      bestRating: 100,
      worstRating: 0,
      alternateName: a.estimativeTerm,
      ratingExplanation: a.rationale,
    },
    itemReviewed: {
      '@type': 'Claim',
      appearance: appearing.map(creativeWork),
      ...(byDate[0] ? { firstAppearance: creativeWork(byDate[0]) } : {}),
    },
  };
}

export const renderJsonLd: ReportFormatter = async function* (claims) {
  yield '[';
  let first = true;
  for await (const claim of claims) {
    const review = toClaimReview(claim);
    if (!review) continue;
    yield (first ? '\n' : ',\n') + JSON.stringify(review);
    first = false;
  }
  yield '\n]\n';
};
