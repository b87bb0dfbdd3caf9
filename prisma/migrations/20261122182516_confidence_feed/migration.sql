-- AlterTable
ALTER TABLE "assessments" ADD COLUMN     "change_seq" BIGSERIAL NOT NULL,
ADD COLUMN     "txid" xid8 NOT NULL DEFAULT pg_current_xact_id();

-- The change feed reads in (txid, change_seq) order.
CREATE INDEX "assessments_change_feed" ON "assessments" ("txid", "change_seq");
