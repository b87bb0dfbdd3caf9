-- AlterTable
ALTER TABLE "claims" ADD COLUMN     "resolution_note" TEXT,
ADD COLUMN     "resolution_source_id" UUID,
ADD COLUMN     "resolved_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "claims_resolution_source_id_idx" ON "claims"("resolution_source_id");

-- AddForeignKey
ALTER TABLE "claims" ADD CONSTRAINT "claims_resolution_source_id_fkey" FOREIGN KEY ("resolution_source_id") REFERENCES "sources"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A resolution date belongs to resolved claims only.
ALTER TABLE "claims" ADD CONSTRAINT "claims_resolution_matches_status"
  CHECK (("resolved_at" IS NULL) = ("status" NOT IN ('resolved_true', 'resolved_false')));
