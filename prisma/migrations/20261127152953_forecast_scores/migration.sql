-- AlterTable
ALTER TABLE "claims" ADD COLUMN     "scored_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "forecast_scores" (
    "claim_id" UUID NOT NULL,
    "forecaster" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "brier" DOUBLE PRECISION NOT NULL,
    "log" DOUBLE PRECISION NOT NULL,
    "seconds" DOUBLE PRECISION NOT NULL,
    "coverage" DOUBLE PRECISION NOT NULL,
    "mean_probability" DOUBLE PRECISION NOT NULL,
    "peer" DOUBLE PRECISION,
    "versions" INTEGER NOT NULL,

    CONSTRAINT "forecast_scores_pkey" PRIMARY KEY ("claim_id","forecaster")
);

-- AddForeignKey
ALTER TABLE "forecast_scores" ADD CONSTRAINT "forecast_scores_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE CASCADE ON UPDATE CASCADE;
