-- AlterEnum
ALTER TYPE "ClaimStatus" ADD VALUE 'annulled';

-- Hand-written: a resolution (true, false or annulled) has its date, and only those statuses have one.
-- Written with the open statuses, since a value added to an enum cannot be named in the transaction that adds it.
ALTER TABLE "claims" DROP CONSTRAINT "claims_resolution_matches_status";
ALTER TABLE "claims" ADD CONSTRAINT "claims_resolution_matches_status"
  CHECK (("resolved_at" IS NULL) = ("status" IN ('open', 'supported', 'disputed', 'refuted')));
