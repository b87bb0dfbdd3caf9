-- AlterTable
ALTER TABLE "claims" ADD COLUMN     "prior_probability" DOUBLE PRECISION;

ALTER TABLE "claims" ADD CONSTRAINT "claims_prior_probability_range" CHECK ("prior_probability" > 0 AND "prior_probability" < 1);
