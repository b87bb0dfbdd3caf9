import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from './test-app.js';

export const ARTICLE = [
  'Beijing has repeatedly denied supplying weapons to Moscow.',
  'Officials said Chinese firms shipped dual-use components through third countries.',
  'The summit ended without any public announcement on arms deals.',
].join('\n');

/** Row counts of every domain table, to show that a refused request changed nothing. */
export async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const [sources, claims, appearances, evidence, assessments, links, audit] = await Promise.all([
    t.prisma.source.count(),
    t.prisma.claim.count(),
    t.prisma.claimAppearance.count(),
    t.prisma.evidence.count(),
    t.prisma.assessment.count(),
    t.prisma.assessmentEvidence.count(),
    t.prisma.auditEvent.count(),
  ]);
  return { sources, claims, appearances, evidence, assessments, links, audit };
}

/** Creates records through the API as the given analyst. */
export function fixtures(t: TestApp, auth: string) {
  return {
    async source(overrides: Record<string, unknown> = {}) {
      const res = await t.http
        .post('/sources')
        .set('Authorization', auth)
        .send({ title: `Report ${randomUUID()}`, kind: 'news_report', fullText: ARTICLE, reliability: 'B', ...overrides })
        .expect(201);
      return res.body as { id: string; [key: string]: unknown };
    },
    async claim(overrides: Record<string, unknown> = {}) {
      const res = await t.http
        .post('/claims')
        .set('Authorization', auth)
        .send({ statement: `Claim ${randomUUID()}`, topics: ['test'], entities: ['China'], ...overrides })
        .expect(201);
      return res.body as { id: string; [key: string]: unknown };
    },
    async evidence(claimId: string, sourceId: string, overrides: Record<string, unknown> = {}) {
      const res = await t.http
        .post(`/claims/${claimId}/evidence`)
        .set('Authorization', auth)
        .send({ sourceId, stance: 'supports', quote: 'Chinese firms shipped dual-use components', credibility: 2, diagnosticity: 3, ...overrides })
        .expect(201);
      return res.body as { id: string; [key: string]: unknown };
    },
    async assess(claimId: string, baseVersion: number, overrides: Record<string, unknown> = {}) {
      const res = await t.http
        .post(`/claims/${claimId}/assessments`)
        .set('Authorization', auth)
        .send({ probability: 0.6, confidence: 'moderate', rationale: 'Because of the shipments.', baseVersion, ...overrides })
        .expect(201);
      return res.body as { id: string; version: number; [key: string]: unknown };
    },
  };
}

export type Fixtures = ReturnType<typeof fixtures>;

/** A fresh app on its own database, the seeded analyst signed in and fixtures acting as them. */
export async function analystSession() {
  const t = await createTestApp();
  const analyst = await t.signIn('analyst');
  return { t, analyst, auth: analyst.auth, make: fixtures(t, analyst.auth) };
}
