-- Text is stored in Unicode normal form C from now on (the service normalises every
-- string it accepts), so quotes match their sources whatever form a client sent.
-- Text stored before is brought to the same form (the folded statement keys are
-- NFKC already and do not change).
UPDATE "sources" SET "title" = normalize("title", NFC) WHERE "title" IS NOT NFC NORMALIZED;
UPDATE "sources" SET "full_text" = normalize("full_text", NFC) WHERE "full_text" IS NOT NFC NORMALIZED;
UPDATE "claims" SET "statement" = normalize("statement", NFC) WHERE "statement" IS NOT NFC NORMALIZED;
UPDATE "claims" SET "description" = normalize("description", NFC) WHERE "description" IS NOT NFC NORMALIZED;
UPDATE "claim_appearances" SET "quote" = normalize("quote", NFC) WHERE "quote" IS NOT NFC NORMALIZED;
UPDATE "evidence" SET "quote" = normalize("quote", NFC) WHERE "quote" IS NOT NFC NORMALIZED;
UPDATE "evidence" SET "notes" = normalize("notes", NFC) WHERE "notes" IS NOT NFC NORMALIZED;
UPDATE "assessments" SET "rationale" = normalize("rationale", NFC) WHERE "rationale" IS NOT NFC NORMALIZED;
