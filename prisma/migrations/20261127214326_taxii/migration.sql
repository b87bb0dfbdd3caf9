-- AlterEnum
ALTER TYPE "ApiKeyScope" ADD VALUE 'read_stix';

-- CreateTable
CREATE TABLE "taxii_objects" (
    "stix_id" TEXT NOT NULL,
    "version" TIMESTAMPTZ(3) NOT NULL,
    "date_added" TIMESTAMPTZ(6) NOT NULL,
    "type" TEXT NOT NULL,
    "shared" BOOLEAN NOT NULL DEFAULT false,
    "topics" TEXT[],
    "latest" BOOLEAN NOT NULL DEFAULT true,
    "first" BOOLEAN NOT NULL DEFAULT true,
    "content_hash" TEXT NOT NULL,
    "body" TEXT NOT NULL,

    CONSTRAINT "taxii_objects_pkey" PRIMARY KEY ("stix_id","version")
);

-- CreateTable
CREATE TABLE "taxii_pending" (
    "kind" TEXT NOT NULL,
    "id" UUID NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "taxii_pending_pkey" PRIMARY KEY ("kind","id")
);

-- CreateIndex
CREATE UNIQUE INDEX "taxii_objects_date_added_key" ON "taxii_objects"("date_added");

-- Pages of the newest versions in publication order, and the topic collections' filter.
CREATE INDEX "taxii_objects_latest_date_added_idx" ON "taxii_objects" ("date_added") WHERE "latest";
CREATE INDEX "taxii_objects_topics_idx" ON "taxii_objects" USING gin ("topics");

-- What the TAXII publisher must render again, marked in the transaction that changes it (so no
-- change is forgotten whichever path wrote it). A claim stands for its grouping, notes and
-- opinions, and the reports of its sources; a source for its report; a user for their identity.
-- A mark already there is counted up, not left alone: the publisher removes a mark only if it is
-- unlocked and still at the count it read before rendering, so a change still under way, or
-- committed while the claim was being rendered, leaves its mark for the next run.
CREATE FUNCTION taxii_mark(kind text, id uuid) RETURNS void LANGUAGE sql AS $$
  INSERT INTO taxii_pending (kind, id) VALUES (kind, id) ON CONFLICT (kind, id) DO UPDATE SET version = taxii_pending.version + 1
$$;

CREATE FUNCTION taxii_mark_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'claims' THEN
    PERFORM taxii_mark('claim', NEW.id);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM taxii_mark('claim', OLD.claim_id);
  ELSE
    PERFORM taxii_mark('claim', NEW.claim_id);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER taxii_on_claim AFTER INSERT OR UPDATE OF statement, topics, status, archived_at ON claims
  FOR EACH ROW EXECUTE FUNCTION taxii_mark_claim();
CREATE TRIGGER taxii_on_assessment AFTER INSERT ON assessments FOR EACH ROW EXECUTE FUNCTION taxii_mark_claim();
CREATE TRIGGER taxii_on_evidence AFTER INSERT OR UPDATE OF quote, stance, credibility, source_id, archived_at ON evidence
  FOR EACH ROW EXECUTE FUNCTION taxii_mark_claim();
CREATE TRIGGER taxii_on_appearance AFTER INSERT OR DELETE ON claim_appearances FOR EACH ROW EXECUTE FUNCTION taxii_mark_claim();

CREATE FUNCTION taxii_mark_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM taxii_mark(TG_ARGV[0], NEW.id);
  RETURN NULL;
END
$$;
CREATE TRIGGER taxii_on_source AFTER UPDATE OF title, outlet, url, published_on, full_text, reliability, graded_at ON sources
  FOR EACH ROW EXECUTE FUNCTION taxii_mark_row('source');
CREATE TRIGGER taxii_on_user AFTER UPDATE OF name ON users FOR EACH ROW EXECUTE FUNCTION taxii_mark_row('user');

-- What is there already is published by the first run.
INSERT INTO taxii_pending (kind, id) SELECT 'claim', id FROM claims;
