-- AlterTable
ALTER TABLE "claims" ADD COLUMN     "blind" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "team_analysts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "team_band_span" INTEGER,
ADD COLUMN     "team_gap" INTEGER,
ADD COLUMN     "team_probability" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "estimates" (
    "id" UUID NOT NULL,
    "claim_id" UUID NOT NULL,
    "analyst_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "probability" DOUBLE PRECISION,
    "confidence" "AnalyticConfidence",
    "rationale" TEXT NOT NULL,
    "withdrawn" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "txid" xid8 NOT NULL DEFAULT pg_current_xact_id(),
    "change_seq" BIGINT NOT NULL DEFAULT nextval('assessments_change_seq_seq'::regclass),

    CONSTRAINT "estimates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "estimate_evidence" (
    "estimate_id" UUID NOT NULL,
    "evidence_id" UUID NOT NULL,

    CONSTRAINT "estimate_evidence_pkey" PRIMARY KEY ("estimate_id","evidence_id")
);

-- CreateTable
CREATE TABLE "blind_topics" (
    "topic" TEXT NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "blind_topics_pkey" PRIMARY KEY ("topic")
);

-- CreateIndex
CREATE INDEX "estimates_analyst_id_idx" ON "estimates"("analyst_id");

-- CreateIndex
CREATE UNIQUE INDEX "estimates_claim_id_analyst_id_version_key" ON "estimates"("claim_id", "analyst_id", "version");

-- CreateIndex
CREATE INDEX "estimate_evidence_evidence_id_idx" ON "estimate_evidence"("evidence_id");

-- AddForeignKey
ALTER TABLE "estimates" ADD CONSTRAINT "estimates_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "estimates" ADD CONSTRAINT "estimates_analyst_id_fkey" FOREIGN KEY ("analyst_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "estimate_evidence" ADD CONSTRAINT "estimate_evidence_estimate_id_fkey" FOREIGN KEY ("estimate_id") REFERENCES "estimates"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "estimate_evidence" ADD CONSTRAINT "estimate_evidence_evidence_id_fkey" FOREIGN KEY ("evidence_id") REFERENCES "evidence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: the change feed reads estimates with the assessments, in (txid, change_seq) order
CREATE INDEX "estimates_change_feed" ON "estimates" ("txid", "change_seq");

-- Hand-written: current claims with dissent (estimates two or more ICD 203 bands apart) in change order, as
-- API clients page through them with dissent=true. The predicate matches the query's (src/analysis/consensus.ts DISSENT_BANDS).
CREATE INDEX "claims_dissent_by_update" ON "claims" ("updated_at", "id") WHERE "archived_at" IS NULL AND "team_band_span" >= 2;
