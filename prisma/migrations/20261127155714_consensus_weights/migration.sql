-- AlterTable
ALTER TABLE "users" ADD COLUMN     "consensus_weight" DOUBLE PRECISION NOT NULL DEFAULT 1;
