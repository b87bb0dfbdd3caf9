import type { ReportFormatter } from '../report.js';

export const renderJson: ReportFormatter = async function* (claims, meta) {
  yield `{"title":${JSON.stringify(meta.title)},"generatedAt":${JSON.stringify(meta.generatedAt)},"asOf":${JSON.stringify(meta.asOf ?? null)},"filters":${JSON.stringify(meta.filters)},"claims":[`;
  let first = true;
  for await (const claim of claims) {
    yield (first ? '\n' : ',\n') + JSON.stringify(claim);
    first = false;
  }
  yield `\n],"questions":${JSON.stringify(await meta.questions())},"calibration":${JSON.stringify(await meta.calibration())}}\n`;
};
