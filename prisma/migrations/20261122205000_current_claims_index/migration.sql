-- Current claims in change order, as API clients page through them: the partial
-- index answers a page as an index-only scan, without reading archived rows.
CREATE INDEX "claims_current_by_update" ON "claims" ("updated_at", "id") WHERE "archived_at" IS NULL;
