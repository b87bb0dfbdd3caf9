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
    "seq" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "id" UUID NOT NULL,

    CONSTRAINT "taxii_pending_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "taxii_objects_date_added_key" ON "taxii_objects"("date_added");

-- CreateIndex
CREATE INDEX "taxii_pending_kind_id_idx" ON "taxii_pending"("kind", "id");

-- Pages of the newest versions in publication order, and the topic collections' filter.
CREATE INDEX "taxii_objects_latest_date_added_idx" ON "taxii_objects" ("date_added") WHERE "latest";
CREATE INDEX "taxii_objects_topics_idx" ON "taxii_objects" USING gin ("topics");

-- What the TAXII publisher must render again, appended in the transaction that changes it (so no
-- change is forgotten whichever path wrote it, and the publisher sees a mark only once the change
-- has committed): a claim for its grouping, notes and opinions; a source for its report (which
-- cites its evidence, and is in the collections of the topics of the claims it bears on); a user
-- for their identity.
CREATE FUNCTION taxii_mark(kind text, id uuid) RETURNS void LANGUAGE sql AS $$
  INSERT INTO taxii_pending (kind, id) VALUES (kind, id)
$$;

CREATE FUNCTION taxii_on_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM taxii_mark('claim', NEW.id);
  IF TG_OP = 'UPDATE' AND (OLD.topics IS DISTINCT FROM NEW.topics OR OLD.archived_at IS DISTINCT FROM NEW.archived_at) THEN
    INSERT INTO taxii_pending (kind, id)
      SELECT 'source', source_id FROM (SELECT source_id FROM evidence WHERE claim_id = NEW.id UNION SELECT source_id FROM claim_appearances WHERE claim_id = NEW.id) bearing;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER taxii_on_claim AFTER INSERT OR UPDATE OF statement, topics, status, archived_at ON claims
  FOR EACH ROW EXECUTE FUNCTION taxii_on_claim();

-- Evidence and appearances change their claim and their source (and, moved, the source they left).
CREATE FUNCTION taxii_on_citation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM taxii_mark('claim', OLD.claim_id);
    PERFORM taxii_mark('source', OLD.source_id);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM taxii_mark('claim', NEW.claim_id);
    IF TG_OP = 'INSERT' OR NEW.source_id <> OLD.source_id THEN PERFORM taxii_mark('source', NEW.source_id); END IF;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER taxii_on_evidence AFTER INSERT OR UPDATE OF quote, stance, credibility, source_id, archived_at ON evidence
  FOR EACH ROW EXECUTE FUNCTION taxii_on_citation();
CREATE TRIGGER taxii_on_appearance AFTER INSERT OR DELETE ON claim_appearances FOR EACH ROW EXECUTE FUNCTION taxii_on_citation();

-- Assessments mark their claim; sources and users themselves.
CREATE FUNCTION taxii_on_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Separate statements: a field is looked up only when its branch runs (sources have no claim_id).
  IF TG_ARGV[0] = 'claim' THEN
    PERFORM taxii_mark('claim', NEW.claim_id);
  ELSE
    PERFORM taxii_mark(TG_ARGV[0], NEW.id);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER taxii_on_assessment AFTER INSERT ON assessments FOR EACH ROW EXECUTE FUNCTION taxii_on_row('claim');
CREATE TRIGGER taxii_on_source AFTER UPDATE OF title, outlet, url, published_on, full_text, reliability, graded_at ON sources
  FOR EACH ROW EXECUTE FUNCTION taxii_on_row('source');
CREATE TRIGGER taxii_on_user AFTER UPDATE OF name ON users FOR EACH ROW EXECUTE FUNCTION taxii_on_row('user');

-- What is there already is published by the first run.
INSERT INTO taxii_pending (kind, id) SELECT 'claim', id FROM claims;
INSERT INTO taxii_pending (kind, id) SELECT 'source', id FROM sources;
