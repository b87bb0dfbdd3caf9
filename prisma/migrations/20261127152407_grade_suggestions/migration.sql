-- CreateTable
CREATE TABLE "grade_suggestion_dismissals" (
    "entity_type" TEXT NOT NULL,
    "entity_id" UUID NOT NULL,
    "reliability" "Reliability" NOT NULL,
    "dismissed_by_id" UUID NOT NULL,
    "dismissed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "grade_suggestion_dismissals_pkey" PRIMARY KEY ("entity_type","entity_id","reliability")
);
