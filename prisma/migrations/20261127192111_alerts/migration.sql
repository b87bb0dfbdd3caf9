-- AlterTable
ALTER TABLE "claims" ADD COLUMN     "review_by" TIMESTAMPTZ(3),
ADD COLUMN     "review_due_announced" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "alert_rules" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "owner_id" UUID,
    "claim_ids" UUID[],
    "topic" TEXT,
    "entity" TEXT,
    "search" TEXT,
    "events" TEXT[],
    "min_move_points" INTEGER,
    "webhook_url" TEXT,
    "webhook_secret" TEXT,
    "inbox" BOOLEAN NOT NULL DEFAULT false,
    "disabled_at" TIMESTAMPTZ(3),
    "disabled_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "alert_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_events" (
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "claim_id" UUID NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "actor_id" UUID,
    "actor_label" TEXT,
    "cause" TEXT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_deliveries" (
    "id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "rule_id" UUID NOT NULL,
    "triggers" TEXT[],
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "first_attempt_at" TIMESTAMPTZ(3),
    "last_attempt_at" TIMESTAMPTZ(3),
    "next_attempt_at" TIMESTAMPTZ(3),
    "last_status" INTEGER,
    "last_error" TEXT,
    "last_response" TEXT,
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inbox_items" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "rule_id" UUID NOT NULL,
    "triggers" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "read_at" TIMESTAMPTZ(3),

    CONSTRAINT "inbox_items_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "alert_rules_owner_id_idx" ON "alert_rules"("owner_id");

-- CreateIndex
CREATE INDEX "alert_events_claim_id_occurred_at_idx" ON "alert_events"("claim_id", "occurred_at");

-- CreateIndex
CREATE INDEX "alert_deliveries_rule_id_created_at_idx" ON "alert_deliveries"("rule_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "alert_deliveries_event_id_rule_id_key" ON "alert_deliveries"("event_id", "rule_id");

-- CreateIndex
CREATE INDEX "inbox_items_user_id_created_at_idx" ON "inbox_items"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "inbox_items_event_id_idx" ON "inbox_items"("event_id");

-- CreateIndex
CREATE INDEX "inbox_items_rule_id_idx" ON "inbox_items"("rule_id");

-- CreateIndex
CREATE UNIQUE INDEX "inbox_items_user_id_event_id_key" ON "inbox_items"("user_id", "event_id");

-- AddForeignKey
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claims"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "alert_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inbox_items" ADD CONSTRAINT "inbox_items_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inbox_items" ADD CONSTRAINT "inbox_items_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "alert_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inbox_items" ADD CONSTRAINT "inbox_items_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The alerts outbox (src/alerts/). Each change an alert rule may be told of is written to
-- alert_events by the transaction that makes it, through these triggers, with a job for the
-- dispatcher in graphile-worker's queue (its add_job, in the same transaction): a crash between
-- commit and sending loses nothing, and no write path can forget to announce. While no rule is
-- enabled that could want it, nothing is written: a coarse test, looser than the dispatcher's
-- (src/alerts/), which decides. A rule could want the event when it selects the claim by ids, topic
-- and entity as src/claims/claim-selection.ts does, and asks for an event of the same kind (its
-- trigger names begin as the event's type does: "assessment.band_crossed" for "assessment.revised").
CREATE FUNCTION alert_event(event_type text, claim uuid, before jsonb, after jsonb, actor uuid, cause text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  event_id uuid := gen_random_uuid();
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM alert_rules r JOIN claims c ON c.id = claim
    WHERE r.disabled_at IS NULL
      AND (coalesce(cardinality(r.claim_ids), 0) = 0 OR claim = ANY(r.claim_ids))
      AND (r.topic IS NULL OR r.topic = ANY(c.topics))
      AND (r.entity IS NULL OR r.entity = ANY(c.entities))
      AND EXISTS (SELECT 1 FROM unnest(r.events) t WHERE split_part(t, '.', 1) = split_part(event_type, '.', 1))
  ) THEN
    RETURN;
  END IF;
  INSERT INTO alert_events (id, type, claim_id, before, after, actor_id, actor_label, cause)
  VALUES (event_id, event_type, claim, before, after, actor, (SELECT name FROM users WHERE id = actor), cause);
  PERFORM graphile_worker.add_job('alerts.dispatch', json_build_object('eventId', event_id));
END
$$;

CREATE FUNCTION alert_on_assessment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM alert_event('assessment.revised', NEW.claim_id,
    (SELECT jsonb_build_object('version', a.version, 'probability', a.probability, 'confidence', a.confidence)
       FROM assessments a WHERE a.claim_id = NEW.claim_id AND a.version = NEW.version - 1),
    jsonb_build_object('version', NEW.version, 'probability', NEW.probability, 'confidence', NEW.confidence, 'rationale', NEW.rationale),
    NEW.created_by_id, 'assessment');
  RETURN NULL;
END
$$;
CREATE TRIGGER alert_on_assessment AFTER INSERT ON assessments FOR EACH ROW EXECUTE FUNCTION alert_on_assessment();

CREATE FUNCTION alert_on_weighing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM alert_event('evidence_probability.changed', NEW.claim_id,
    -- Before the first weighing, the evidence-weighted probability was the prior.
    coalesce(
      (SELECT jsonb_build_object('probability', w.probability, 'supportingOrigins', w.supporting_origins, 'contradictingOrigins', w.contradicting_origins)
         FROM evidence_weighings w WHERE w.claim_id = NEW.claim_id AND w.id < NEW.id ORDER BY w.id DESC LIMIT 1),
      (SELECT jsonb_build_object('probability', coalesce(c.prior_probability, 0.5), 'supportingOrigins', 0, 'contradictingOrigins', 0)
         FROM claims c WHERE c.id = NEW.claim_id)),
    jsonb_build_object('probability', NEW.probability, 'supportingOrigins', NEW.supporting_origins, 'contradictingOrigins', NEW.contradicting_origins),
    NEW.actor_id, NEW.cause);
  RETURN NULL;
END
$$;
CREATE TRIGGER alert_on_weighing AFTER INSERT ON evidence_weighings FOR EACH ROW EXECUTE FUNCTION alert_on_weighing();

CREATE FUNCTION alert_on_evidence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM alert_event('evidence.added', NEW.claim_id, NULL,
    (SELECT jsonb_build_object('evidenceId', NEW.id, 'stance', NEW.stance, 'quote', NEW.quote, 'credibility', NEW.credibility,
            'sourceId', s.id, 'sourceTitle', s.title, 'reliability', s.reliability) FROM sources s WHERE s.id = NEW.source_id),
    NEW.created_by_id, 'evidence');
  RETURN NULL;
END
$$;
CREATE TRIGGER alert_on_evidence AFTER INSERT ON evidence FOR EACH ROW EXECUTE FUNCTION alert_on_evidence();

-- One event per claim the source bears on (by evidence in force or an appearance).
CREATE FUNCTION alert_on_source_grade() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM alert_event('source.regraded', claim_id,
    jsonb_build_object('sourceId', NEW.id, 'reliability', OLD.reliability),
    jsonb_build_object('sourceId', NEW.id, 'sourceTitle', NEW.title, 'reliability', NEW.reliability),
    NEW.graded_by_id, 'source-grade')
  FROM (SELECT claim_id FROM evidence WHERE source_id = NEW.id AND archived_at IS NULL
        UNION SELECT claim_id FROM claim_appearances WHERE source_id = NEW.id) bearing;
  RETURN NULL;
END
$$;
CREATE TRIGGER alert_on_source_grade AFTER UPDATE OF reliability ON sources FOR EACH ROW
  WHEN (OLD.reliability IS DISTINCT FROM NEW.reliability) EXECUTE FUNCTION alert_on_source_grade();

-- Deferred to the commit, so that the actor's own records of the change (their estimate, the
-- audit event of a resolution) are there to name them.
CREATE FUNCTION alert_on_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.team_probability IS DISTINCT FROM OLD.team_probability OR NEW.team_band_span IS DISTINCT FROM OLD.team_band_span THEN
    PERFORM alert_event('consensus.changed', NEW.id,
      jsonb_build_object('probability', OLD.team_probability, 'bandSpan', OLD.team_band_span, 'analysts', OLD.team_analysts),
      jsonb_build_object('probability', NEW.team_probability, 'bandSpan', NEW.team_band_span, 'analysts', NEW.team_analysts),
      (SELECT e.analyst_id FROM estimates e WHERE e.claim_id = NEW.id AND e.txid = pg_current_xact_id() ORDER BY e.change_seq DESC LIMIT 1),
      'estimate');
  END IF;
  IF NEW.resolved_at IS NOT NULL AND OLD.resolved_at IS NULL THEN
    PERFORM alert_event('claim.resolved', NEW.id,
      jsonb_build_object('status', OLD.status),
      jsonb_build_object('status', NEW.status, 'resolvedAt', NEW.resolved_at, 'note', NEW.resolution_note),
      (SELECT ae.actor_id FROM audit_events ae WHERE ae.claim_id = NEW.id AND ae.action = 'claim.resolve' ORDER BY ae.id DESC LIMIT 1),
      'resolution');
  END IF;
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER alert_on_claim AFTER UPDATE OF team_probability, team_band_span, resolved_at ON claims
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION alert_on_claim();

-- Claims due for review: review_by passed, not archived.
CREATE INDEX claims_review_by ON claims (review_by) WHERE review_by IS NOT NULL AND archived_at IS NULL;
