-- AlterTable
ALTER TABLE "users" ADD COLUMN     "seen_all_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "audit_events" ADD COLUMN     "claim_id" UUID;

-- Backfill (hand-written): the claim an event belongs to, as its snapshots name it
UPDATE "audit_events" SET "claim_id" = CASE
  WHEN "entity_type" = 'claim' THEN "entity_id"
  ELSE coalesce("after"->>'claimId', "before"->>'claimId')::uuid
END
WHERE "entity_type" = 'claim' OR "after" ? 'claimId' OR "before" ? 'claimId';

-- CreateTable
CREATE TABLE "claim_visits" (
    "user_id" UUID NOT NULL,
    "claim_id" UUID NOT NULL,
    "seen_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "claim_visits_pkey" PRIMARY KEY ("user_id","claim_id")
);

-- CreateIndex
CREATE INDEX "audit_events_claim_id_id_idx" ON "audit_events"("claim_id", "id");

-- CreateIndex
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at");

-- AddForeignKey
ALTER TABLE "claim_visits" ADD CONSTRAINT "claim_visits_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_visits" ADD CONSTRAINT "claim_visits_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE CASCADE ON UPDATE CASCADE;
