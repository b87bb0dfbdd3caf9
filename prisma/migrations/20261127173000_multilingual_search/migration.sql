-- Substring search for texts no text-search configuration splits into words (Chinese, Japanese), and any query.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "evidence_quote_trgm" ON "evidence" USING GIN ("quote" gin_trgm_ops);
CREATE INDEX "claim_appearances_quote_trgm" ON "claim_appearances" USING GIN ("quote" gin_trgm_ops);
CREATE INDEX "claims_statement_trgm" ON "claims" USING GIN ("statement" gin_trgm_ops);
CREATE INDEX "sources_title_trgm" ON "sources" USING GIN ("title" gin_trgm_ops);
