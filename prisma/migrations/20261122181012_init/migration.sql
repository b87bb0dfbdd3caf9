-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'analyst', 'viewer');

-- CreateEnum
CREATE TYPE "ApiKeyScope" AS ENUM ('read_confidence', 'read_all');

-- CreateEnum
CREATE TYPE "SourceKind" AS ENUM ('news_report', 'analysis', 'official_statement', 'intelligence_report', 'social_media', 'other');

-- CreateEnum
CREATE TYPE "DatePrecision" AS ENUM ('day', 'month', 'year', 'unknown');

-- CreateEnum
CREATE TYPE "Reliability" AS ENUM ('A', 'B', 'C', 'D', 'E', 'F');

-- CreateEnum
CREATE TYPE "ClaimStatus" AS ENUM ('open', 'supported', 'disputed', 'refuted', 'resolved_true', 'resolved_false');

-- CreateEnum
CREATE TYPE "Stance" AS ENUM ('supports', 'contradicts', 'context');

-- CreateEnum
CREATE TYPE "AnalyticConfidence" AS ENUM ('low', 'moderate', 'high');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "password_hash" TEXT NOT NULL,
    "disabled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "refresh_tokens" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "family_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "refresh_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "scopes" "ApiKeyScope"[],
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sources" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "kind" "SourceKind" NOT NULL,
    "outlet" TEXT,
    "author" TEXT,
    "url" TEXT,
    "published_on" DATE,
    "date_precision" "DatePrecision" NOT NULL DEFAULT 'unknown',
    "date_inferred" BOOLEAN NOT NULL DEFAULT false,
    "language" TEXT,
    "full_text" TEXT,
    "reliability" "Reliability" NOT NULL DEFAULT 'F',
    "reliability_notes" TEXT,
    "graded_by_id" UUID,
    "graded_at" TIMESTAMPTZ(3),
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "sources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "claims" (
    "id" UUID NOT NULL,
    "statement" TEXT NOT NULL,
    "statement_key" TEXT NOT NULL,
    "description" TEXT,
    "topics" TEXT[],
    "entities" TEXT[],
    "status" "ClaimStatus" NOT NULL DEFAULT 'open',
    "current_version" INTEGER NOT NULL DEFAULT 0,
    "current_probability" DOUBLE PRECISION,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "claims_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "claim_appearances" (
    "id" UUID NOT NULL,
    "claim_id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "quote" TEXT NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "claim_appearances_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evidence" (
    "id" UUID NOT NULL,
    "claim_id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "stance" "Stance" NOT NULL,
    "quote" TEXT NOT NULL,
    "credibility" SMALLINT NOT NULL,
    "diagnosticity" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "observed_at" TIMESTAMPTZ(3),
    "notes" TEXT,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "evidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "assessments" (
    "id" UUID NOT NULL,
    "claim_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "probability" DOUBLE PRECISION NOT NULL,
    "confidence" "AnalyticConfidence" NOT NULL,
    "rationale" TEXT NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "assessments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "assessment_evidence" (
    "assessment_id" UUID NOT NULL,
    "evidence_id" UUID NOT NULL,

    CONSTRAINT "assessment_evidence_pkey" PRIMARY KEY ("assessment_id","evidence_id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID,
    "actor_label" TEXT,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" UUID NOT NULL,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "refresh_tokens_token_hash_key" ON "refresh_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "refresh_tokens_family_id_idx" ON "refresh_tokens"("family_id");

-- CreateIndex
CREATE INDEX "refresh_tokens_user_id_idx" ON "refresh_tokens"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys"("prefix");

-- CreateIndex
CREATE INDEX "api_keys_created_by_id_idx" ON "api_keys"("created_by_id");

-- CreateIndex
CREATE UNIQUE INDEX "sources_url_key" ON "sources"("url");

-- CreateIndex
CREATE INDEX "sources_updated_at_id_idx" ON "sources"("updated_at", "id");

-- CreateIndex
CREATE INDEX "sources_created_by_id_idx" ON "sources"("created_by_id");

-- CreateIndex
CREATE INDEX "sources_graded_by_id_idx" ON "sources"("graded_by_id");

-- CreateIndex
CREATE UNIQUE INDEX "claims_statement_key_key" ON "claims"("statement_key");

-- CreateIndex
CREATE INDEX "claims_updated_at_id_idx" ON "claims"("updated_at", "id");

-- CreateIndex
CREATE INDEX "claims_current_probability_id_idx" ON "claims"("current_probability", "id");

-- CreateIndex
CREATE INDEX "claims_status_idx" ON "claims"("status");

-- CreateIndex
CREATE INDEX "claims_topics_idx" ON "claims" USING GIN ("topics");

-- CreateIndex
CREATE INDEX "claims_entities_idx" ON "claims" USING GIN ("entities");

-- CreateIndex
CREATE INDEX "claims_created_by_id_idx" ON "claims"("created_by_id");

-- CreateIndex
CREATE INDEX "claim_appearances_claim_id_idx" ON "claim_appearances"("claim_id");

-- CreateIndex
CREATE INDEX "claim_appearances_source_id_idx" ON "claim_appearances"("source_id");

-- CreateIndex
CREATE INDEX "claim_appearances_created_by_id_idx" ON "claim_appearances"("created_by_id");

-- CreateIndex
CREATE INDEX "evidence_claim_id_created_at_idx" ON "evidence"("claim_id", "created_at");

-- CreateIndex
CREATE INDEX "evidence_source_id_idx" ON "evidence"("source_id");

-- CreateIndex
CREATE INDEX "evidence_created_by_id_idx" ON "evidence"("created_by_id");

-- CreateIndex
CREATE INDEX "assessments_claim_id_created_at_idx" ON "assessments"("claim_id", "created_at");

-- CreateIndex
CREATE INDEX "assessments_created_by_id_idx" ON "assessments"("created_by_id");

-- CreateIndex
CREATE UNIQUE INDEX "assessments_claim_id_version_key" ON "assessments"("claim_id", "version");

-- CreateIndex
CREATE INDEX "assessment_evidence_evidence_id_idx" ON "assessment_evidence"("evidence_id");

-- CreateIndex
CREATE INDEX "audit_events_entity_id_id_idx" ON "audit_events"("entity_id", "id");

-- CreateIndex
CREATE INDEX "audit_events_actor_id_idx" ON "audit_events"("actor_id");

-- AddForeignKey
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sources" ADD CONSTRAINT "sources_graded_by_id_fkey" FOREIGN KEY ("graded_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sources" ADD CONSTRAINT "sources_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claims" ADD CONSTRAINT "claims_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_appearances" ADD CONSTRAINT "claim_appearances_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_appearances" ADD CONSTRAINT "claim_appearances_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_appearances" ADD CONSTRAINT "claim_appearances_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assessment_evidence" ADD CONSTRAINT "assessment_evidence_assessment_id_fkey" FOREIGN KEY ("assessment_id") REFERENCES "assessments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assessment_evidence" ADD CONSTRAINT "assessment_evidence_evidence_id_fkey" FOREIGN KEY ("evidence_id") REFERENCES "evidence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Rules the database enforces itself (not expressible in schema.prisma).
ALTER TABLE "users" ADD CONSTRAINT "users_email_lowercase" CHECK ("email" = lower("email"));
ALTER TABLE "sources" ADD CONSTRAINT "sources_title_not_blank" CHECK (length(btrim("title")) > 0);
ALTER TABLE "claims" ADD CONSTRAINT "claims_statement_not_blank" CHECK (length(btrim("statement")) > 0);
ALTER TABLE "claims" ADD CONSTRAINT "claims_current_version_nonnegative" CHECK ("current_version" >= 0);
ALTER TABLE "claims" ADD CONSTRAINT "claims_current_probability_range" CHECK ("current_probability" BETWEEN 0 AND 1);
ALTER TABLE "claim_appearances" ADD CONSTRAINT "claim_appearances_quote_not_blank" CHECK (length(btrim("quote")) > 0);
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_quote_not_blank" CHECK (length(btrim("quote")) > 0);
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_credibility_range" CHECK ("credibility" BETWEEN 1 AND 6);
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_diagnosticity_range" CHECK ("diagnosticity" >= 1 AND "diagnosticity" <= 1000);
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_version_positive" CHECK ("version" >= 1);
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_probability_range" CHECK ("probability" BETWEEN 0 AND 1);
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_rationale_not_blank" CHECK (length(btrim("rationale")) > 0);

-- Full-text search over statements and quotes (the `q` list parameter).
CREATE INDEX "claims_statement_fts" ON "claims" USING GIN (to_tsvector('english', "statement"));
CREATE INDEX "evidence_quote_fts" ON "evidence" USING GIN (to_tsvector('english', "quote"));
CREATE INDEX "claim_appearances_quote_fts" ON "claim_appearances" USING GIN (to_tsvector('english', "quote"));
CREATE INDEX "sources_title_fts" ON "sources" USING GIN (to_tsvector('english', "title"));
