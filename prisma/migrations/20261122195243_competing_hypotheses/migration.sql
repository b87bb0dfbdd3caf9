-- CreateEnum
CREATE TYPE "Consistency" AS ENUM ('CC', 'C', 'N', 'I', 'II', 'NA');

-- CreateEnum
CREATE TYPE "AchWeight" AS ENUM ('low', 'medium', 'high');

-- CreateTable
CREATE TABLE "questions" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "questions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "question_hypotheses" (
    "question_id" UUID NOT NULL,
    "claim_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "question_hypotheses_pkey" PRIMARY KEY ("question_id","claim_id")
);

-- CreateTable
CREATE TABLE "ach_ratings" (
    "question_id" UUID NOT NULL,
    "evidence_id" UUID NOT NULL,
    "claim_id" UUID NOT NULL,
    "consistency" "Consistency" NOT NULL,
    "relevance" "AchWeight" NOT NULL DEFAULT 'medium',

    CONSTRAINT "ach_ratings_pkey" PRIMARY KEY ("question_id","evidence_id","claim_id")
);

-- CreateIndex
CREATE INDEX "questions_created_by_id_idx" ON "questions"("created_by_id");

-- CreateIndex
CREATE INDEX "question_hypotheses_claim_id_idx" ON "question_hypotheses"("claim_id");

-- CreateIndex
CREATE INDEX "ach_ratings_evidence_id_idx" ON "ach_ratings"("evidence_id");

-- CreateIndex
CREATE INDEX "ach_ratings_claim_id_idx" ON "ach_ratings"("claim_id");

-- AddForeignKey
ALTER TABLE "questions" ADD CONSTRAINT "questions_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "question_hypotheses" ADD CONSTRAINT "question_hypotheses_question_id_fkey" FOREIGN KEY ("question_id") REFERENCES "questions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "question_hypotheses" ADD CONSTRAINT "question_hypotheses_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ach_ratings" ADD CONSTRAINT "ach_ratings_question_id_fkey" FOREIGN KEY ("question_id") REFERENCES "questions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ach_ratings" ADD CONSTRAINT "ach_ratings_evidence_id_fkey" FOREIGN KEY ("evidence_id") REFERENCES "evidence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ach_ratings" ADD CONSTRAINT "ach_ratings_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
