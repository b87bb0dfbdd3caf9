-- CreateTable
CREATE TABLE "weight_sets" (
    "id" UUID NOT NULL,
    "version" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "reliability" JSONB NOT NULL,
    "credibility" JSONB NOT NULL,
    "shrinkage" DOUBLE PRECISION NOT NULL,
    "converged" BOOLEAN NOT NULL,
    "iterations" INTEGER,
    "training_claims" INTEGER NOT NULL,
    "held_out_claims" INTEGER NOT NULL,
    "held_out_log_score" DOUBLE PRECISION,
    "baseline_log_score" DOUBLE PRECISION,
    "baseline_set_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID,
    "created_by_label" TEXT,

    CONSTRAINT "weight_sets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "weight_set_activations" (
    "id" BIGSERIAL NOT NULL,
    "weight_set_id" UUID NOT NULL,
    "activated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID,
    "actor_label" TEXT,
    "recomputed_at" TIMESTAMPTZ(3),

    CONSTRAINT "weight_set_activations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "weight_sets_version_key" ON "weight_sets"("version");

-- AddForeignKey
ALTER TABLE "weight_set_activations" ADD CONSTRAINT "weight_set_activations_weight_set_id_fkey" FOREIGN KEY ("weight_set_id") REFERENCES "weight_sets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- One default set at most, written at start-up from the documented scale, and a positive shrinkage.
ALTER TABLE "weight_sets" ADD CONSTRAINT "weight_sets_kind_check" CHECK (kind IN ('default', 'fitted'));
ALTER TABLE "weight_sets" ADD CONSTRAINT "weight_sets_shrinkage_check" CHECK (shrinkage > 0);
CREATE UNIQUE INDEX "weight_sets_one_default" ON "weight_sets"("kind") WHERE kind = 'default';
