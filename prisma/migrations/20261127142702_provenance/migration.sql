-- CreateEnum
CREATE TYPE "OriginatorKind" AS ENUM ('person', 'government', 'intelligence', 'military', 'state_media', 'media', 'organisation', 'unnamed_officials', 'other');

-- CreateEnum
CREATE TYPE "DerivationKind" AS ENUM ('republishes', 'translates', 'quotes', 'summarises');

-- CreateEnum
CREATE TYPE "SuggestionStatus" AS ENUM ('open', 'confirmed', 'dismissed');

-- AlterTable
ALTER TABLE "claims" ADD COLUMN     "contradicting_items" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "contradicting_origins" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "evidence_log_odds" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "evidence_probability" DOUBLE PRECISION NOT NULL DEFAULT 0.5,
ADD COLUMN     "supporting_items" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "supporting_origins" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "claim_appearances" ADD COLUMN     "originator_id" UUID;

-- AlterTable
ALTER TABLE "evidence" ADD COLUMN     "counted" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "origin_id" UUID,
ADD COLUMN     "originator_id" UUID;

-- CreateTable
CREATE TABLE "originators" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "OriginatorKind" NOT NULL,
    "reliability" "Reliability",
    "reliability_notes" TEXT,
    "merged_into_id" UUID,
    "merged_at" TIMESTAMPTZ(3),
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "originators_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "originator_names" (
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "originator_id" UUID NOT NULL,

    CONSTRAINT "originator_names_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "source_derivations" (
    "id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "derived_from_id" UUID NOT NULL,
    "kind" "DerivationKind" NOT NULL,
    "note" TEXT,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "withdrawn_at" TIMESTAMPTZ(3),
    "withdrawn_by_id" UUID,

    CONSTRAINT "source_derivations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "derivation_suggestions" (
    "id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "derived_from_id" UUID NOT NULL,
    "kind" "DerivationKind" NOT NULL,
    "passage" TEXT NOT NULL,
    "shared_words" INTEGER NOT NULL,
    "status" "SuggestionStatus" NOT NULL DEFAULT 'open',
    "decided_by_id" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "derivation_suggestions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "attribution_suggestions" (
    "id" UUID NOT NULL,
    "evidence_id" UUID NOT NULL,
    "claim_id" UUID NOT NULL,
    "originator_id" UUID,
    "name" TEXT NOT NULL,
    "phrase" TEXT NOT NULL,
    "status" "SuggestionStatus" NOT NULL DEFAULT 'open',
    "decided_by_id" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "attribution_suggestions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "source_fingerprints" (
    "hash" INTEGER NOT NULL,
    "source_id" UUID NOT NULL,

    CONSTRAINT "source_fingerprints_pkey" PRIMARY KEY ("hash","source_id")
);

-- CreateTable
CREATE TABLE "evidence_weighings" (
    "id" BIGSERIAL NOT NULL,
    "claim_id" UUID NOT NULL,
    "log_odds" DOUBLE PRECISION NOT NULL,
    "probability" DOUBLE PRECISION NOT NULL,
    "supporting_items" INTEGER NOT NULL,
    "supporting_origins" INTEGER NOT NULL,
    "contradicting_items" INTEGER NOT NULL,
    "contradicting_origins" INTEGER NOT NULL,
    "cause" TEXT NOT NULL,
    "actor_id" UUID,
    "actor_label" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "txid" xid8 NOT NULL DEFAULT pg_current_xact_id(),
    "change_seq" BIGINT NOT NULL DEFAULT nextval('assessments_change_seq_seq'::regclass),

    CONSTRAINT "evidence_weighings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "originators_merged_into_id_idx" ON "originators"("merged_into_id");

-- CreateIndex
CREATE INDEX "originator_names_originator_id_idx" ON "originator_names"("originator_id");

-- CreateIndex
CREATE INDEX "source_derivations_source_id_idx" ON "source_derivations"("source_id");

-- CreateIndex
CREATE INDEX "source_derivations_derived_from_id_idx" ON "source_derivations"("derived_from_id");

-- CreateIndex
CREATE INDEX "derivation_suggestions_derived_from_id_idx" ON "derivation_suggestions"("derived_from_id");

-- CreateIndex
CREATE INDEX "derivation_suggestions_status_idx" ON "derivation_suggestions"("status");

-- CreateIndex
CREATE UNIQUE INDEX "derivation_suggestions_source_id_derived_from_id_key" ON "derivation_suggestions"("source_id", "derived_from_id");

-- CreateIndex
CREATE INDEX "attribution_suggestions_claim_id_status_idx" ON "attribution_suggestions"("claim_id", "status");

-- CreateIndex
CREATE INDEX "attribution_suggestions_originator_id_idx" ON "attribution_suggestions"("originator_id");

-- CreateIndex
CREATE UNIQUE INDEX "attribution_suggestions_evidence_id_name_key" ON "attribution_suggestions"("evidence_id", "name");

-- CreateIndex
CREATE INDEX "source_fingerprints_source_id_idx" ON "source_fingerprints"("source_id");

-- CreateIndex
CREATE INDEX "evidence_weighings_claim_id_created_at_idx" ON "evidence_weighings"("claim_id", "created_at");

-- CreateIndex
CREATE INDEX "claim_appearances_originator_id_idx" ON "claim_appearances"("originator_id");

-- CreateIndex
CREATE INDEX "evidence_originator_id_idx" ON "evidence"("originator_id");

-- AddForeignKey
ALTER TABLE "claim_appearances" ADD CONSTRAINT "claim_appearances_originator_id_fkey" FOREIGN KEY ("originator_id") REFERENCES "originators"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_originator_id_fkey" FOREIGN KEY ("originator_id") REFERENCES "originators"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "originators" ADD CONSTRAINT "originators_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "originators" ADD CONSTRAINT "originators_merged_into_id_fkey" FOREIGN KEY ("merged_into_id") REFERENCES "originators"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "originator_names" ADD CONSTRAINT "originator_names_originator_id_fkey" FOREIGN KEY ("originator_id") REFERENCES "originators"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "source_derivations" ADD CONSTRAINT "source_derivations_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "source_derivations" ADD CONSTRAINT "source_derivations_derived_from_id_fkey" FOREIGN KEY ("derived_from_id") REFERENCES "sources"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "source_derivations" ADD CONSTRAINT "source_derivations_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "derivation_suggestions" ADD CONSTRAINT "derivation_suggestions_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "derivation_suggestions" ADD CONSTRAINT "derivation_suggestions_derived_from_id_fkey" FOREIGN KEY ("derived_from_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attribution_suggestions" ADD CONSTRAINT "attribution_suggestions_evidence_id_fkey" FOREIGN KEY ("evidence_id") REFERENCES "evidence"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attribution_suggestions" ADD CONSTRAINT "attribution_suggestions_originator_id_fkey" FOREIGN KEY ("originator_id") REFERENCES "originators"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "source_fingerprints" ADD CONSTRAINT "source_fingerprints_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence_weighings" ADD CONSTRAINT "evidence_weighings_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: a source never derives from itself, and one link in force per pair (withdrawn ones stay as history)
ALTER TABLE "source_derivations" ADD CONSTRAINT "source_derivations_not_itself" CHECK ("source_id" <> "derived_from_id");
CREATE UNIQUE INDEX "source_derivations_in_force" ON "source_derivations" ("source_id", "derived_from_id") WHERE "withdrawn_at" IS NULL;


-- Hand-written: the change feed reads evidence weighings with the assessments, in (txid, change_seq) order
CREATE INDEX "evidence_weighings_change_feed" ON "evidence_weighings" ("txid", "change_seq");

-- Hand-written: the evidence weight of every claim as the service now keeps it. No provenance is
-- recorded yet, so every item is its own origin and the weight is the plain sum (weights as of this migration).
UPDATE "claims" c SET
  "evidence_log_odds" = w.log_odds,
  "evidence_probability" = 1 / (1 + exp(-(ln(coalesce(c.prior_probability, 0.5) / (1 - coalesce(c.prior_probability, 0.5))) + w.log_odds))),
  "supporting_items" = w.supporting, "supporting_origins" = w.supporting,
  "contradicting_items" = w.contradicting, "contradicting_origins" = w.contradicting
FROM (
  SELECT e.claim_id,
    coalesce(sum(
      (CASE e.stance WHEN 'supports' THEN 1 WHEN 'contradicts' THEN -1 WHEN 'context' THEN 0 END)
      * (CASE s.reliability WHEN 'A' THEN 1 WHEN 'B' THEN 0.8 WHEN 'C' THEN 0.6 WHEN 'D' THEN 0.4 WHEN 'E' THEN 0.2 WHEN 'F' THEN 0.5 END)
      * (CASE e.credibility WHEN 1 THEN 1 WHEN 2 THEN 0.8 WHEN 3 THEN 0.6 WHEN 4 THEN 0.4 WHEN 5 THEN 0.2 WHEN 6 THEN 0.5 END)
      * ln(e.diagnosticity)), 0)::float8 AS log_odds,
    count(*) FILTER (WHERE e.stance = 'supports')::int AS supporting,
    count(*) FILTER (WHERE e.stance = 'contradicts')::int AS contradicting
  FROM "evidence" e JOIN "sources" s ON s.id = e.source_id
  WHERE e.archived_at IS NULL
  GROUP BY e.claim_id
) w
WHERE w.claim_id = c.id;
UPDATE "claims" SET "evidence_probability" = coalesce("prior_probability", 0.5) WHERE "evidence_log_odds" = 0;
UPDATE "evidence" SET "origin_id" = "id";
