-- AlterTable
ALTER TABLE "claim_appearances" ADD COLUMN     "quote_drifted_at" TIMESTAMPTZ(3),
ADD COLUMN     "quote_end" INTEGER,
ADD COLUMN     "quote_prefix" TEXT,
ADD COLUMN     "quote_start" INTEGER,
ADD COLUMN     "quote_suffix" TEXT;

-- AlterTable
ALTER TABLE "evidence" ADD COLUMN     "quote_drifted_at" TIMESTAMPTZ(3),
ADD COLUMN     "quote_end" INTEGER,
ADD COLUMN     "quote_prefix" TEXT,
ADD COLUMN     "quote_start" INTEGER,
ADD COLUMN     "quote_suffix" TEXT;

-- Quotes recorded before anchors: pinned to their first occurrence in their source's text, where it has one.
UPDATE "evidence" q SET quote_start = strpos(s.full_text, q.quote) - 1,
  quote_end = strpos(s.full_text, q.quote) - 1 + char_length(q.quote),
  quote_prefix = substr(s.full_text, greatest(1, strpos(s.full_text, q.quote) - 32), least(32, strpos(s.full_text, q.quote) - 1)),
  quote_suffix = substr(s.full_text, strpos(s.full_text, q.quote) + char_length(q.quote), 32)
FROM sources s
WHERE s.id = q.source_id AND s.full_text IS NOT NULL AND strpos(s.full_text, q.quote) > 0;

-- Quotes recorded before anchors: pinned to their first occurrence in their source's text, where it has one.
UPDATE "claim_appearances" q SET quote_start = strpos(s.full_text, q.quote) - 1,
  quote_end = strpos(s.full_text, q.quote) - 1 + char_length(q.quote),
  quote_prefix = substr(s.full_text, greatest(1, strpos(s.full_text, q.quote) - 32), least(32, strpos(s.full_text, q.quote) - 1)),
  quote_suffix = substr(s.full_text, strpos(s.full_text, q.quote) + char_length(q.quote), 32)
FROM sources s
WHERE s.id = q.source_id AND s.full_text IS NOT NULL AND strpos(s.full_text, q.quote) > 0;
