-- model customer

-- create customer
CREATE TABLE "customer" ("customer_sk" BIGINT, "customer_id" BIGINT, "txn_id" BIGINT, "file_no" INTEGER, "line_no" INTEGER, "valid_from" TIMESTAMP, "valid_to" TIMESTAMP, "is_current" BOOLEAN);

-- create customer__journal
CREATE TABLE "customer__journal" ("customer_id" BIGINT, "_conform_seq" TIMESTAMP, "_conform_tb0" BIGINT, "_conform_op" VARCHAR, "txn_id" BIGINT, "file_no" INTEGER, "line_no" INTEGER);

-- create customer__rejects
CREATE TABLE IF NOT EXISTS "customer__rejects" ("run_id" BIGINT, "origin" VARCHAR, "reason" VARCHAR, "record" VARCHAR);

-- load source customer_stg
-- load customer_stg from CSV [/data/customer_stg.csv] as (txn_id bigint, file_no integer, line_no integer, customer_id bigint, effective_date timestamp) into _conform_customer_raw, rows that do not convert into _conform_customer_raw_rejects (counted as tally rows_not_converted)

-- reject rows that do not convert
-- runs only when tally rows_not_converted is not 0
INSERT INTO "customer__rejects" ("run_id", "origin", "reason", "record")
SELECT 1 AS "$f0", "_conform_origin", "_conform_reason", "_conform_record"
FROM "_conform_customer_raw_rejects";

-- stage customer
CREATE TEMPORARY VIEW "_conform_customer_staged" AS
SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no", "_conform_origin", "_conform_reason", "_conform_check", "_conform_record"
FROM (SELECT "customer_id", "effective_date" AS "_conform_seq", CAST("txn_id" AS BIGINT) AS "_conform_tb0", 'U' AS "_conform_op", CAST("txn_id" AS BIGINT) AS "txn_id", CAST("file_no" AS INTEGER) AS "file_no", CAST("line_no" AS INTEGER) AS "line_no", "_conform_origin", CASE WHEN "customer_id" IS NULL THEN CAST('business key column ''customer_id'' is null' AS VARCHAR) WHEN "effective_date" IS NULL THEN CAST('sequence ''effective_date'' is null' AS VARCHAR) ELSE NULL END AS "_conform_reason", CAST(NULL AS VARCHAR) AS "_conform_check", CASE WHEN CASE WHEN "customer_id" IS NULL THEN CAST('business key column ''customer_id'' is null' AS VARCHAR) WHEN "effective_date" IS NULL THEN CAST('sequence ''effective_date'' is null' AS VARCHAR) ELSE NULL END IS NOT NULL THEN 'txn_id=' || COALESCE(CAST("txn_id" AS VARCHAR), 'null') || (', file_no=' || COALESCE(CAST("file_no" AS VARCHAR), 'null')) || (', line_no=' || COALESCE(CAST("line_no" AS VARCHAR), 'null')) || (', customer_id=' || COALESCE(CAST("customer_id" AS VARCHAR), 'null')) || (', effective_date=' || COALESCE(CAST("effective_date" AS VARCHAR), 'null')) ELSE NULL END AS "_conform_record", TRUE AS "_conform_keep"
FROM "_conform_customer_raw") AS "t0"
WHERE "_conform_reason" IS NOT NULL OR "_conform_keep" IS TRUE;

-- reject rows without key or sequence, or failing a check
-- counts ROWS_REJECTED
INSERT INTO "customer__rejects" ("run_id", "origin", "reason", "record")
SELECT 1 AS "$f0", "_conform_origin", "_conform_reason", "_conform_record"
FROM "_conform_customer_staged"
WHERE "_conform_reason" IS NOT NULL;

-- collect the batch's events
CREATE TEMPORARY VIEW "_conform_customer_batch" AS
SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no"
FROM "_conform_customer_staged"
WHERE "_conform_reason" IS NULL;

-- gather the events to replay
CREATE TEMPORARY VIEW "_conform_customer_replay" AS
SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no", FALSE AS "_conform_ctx", TRUE AS "_conform_new"
FROM "_conform_customer_batch";

-- find where versions start and end
CREATE TEMPORARY TABLE "_conform_customer_marks" AS
SELECT "customer_id", "_conform_seq", "txn_id", "file_no", "line_no", CASE WHEN "_conform_prev__conform_seq" IS NULL THEN TRUE ELSE CASE WHEN "_conform_op" <> "_conform_prev__conform_op" THEN TRUE WHEN "_conform_op" = 'D' THEN FALSE ELSE NOT ("txn_id"  IS NOT DISTINCT FROM "_conform_prev_txn_id") OR NOT ("file_no"  IS NOT DISTINCT FROM "_conform_prev_file_no") OR NOT ("line_no"  IS NOT DISTINCT FROM "_conform_prev_line_no") END END AS "_conform_opens", CASE WHEN "_conform_next_seq" IS NULL THEN TRUE ELSE CASE WHEN "_conform_op" <> "_conform_next__conform_op" THEN TRUE WHEN "_conform_op" = 'D' THEN FALSE ELSE NOT ("txn_id"  IS NOT DISTINCT FROM "_conform_next_txn_id") OR NOT ("file_no"  IS NOT DISTINCT FROM "_conform_next_file_no") OR NOT ("line_no"  IS NOT DISTINCT FROM "_conform_next_line_no") END END AS "_conform_last", CASE WHEN "_conform_prev__conform_seq" IS NULL THEN FALSE ELSE "_conform_prev__conform_seq" = "_conform_seq" AND ("_conform_prev__conform_op"  IS NOT DISTINCT FROM "_conform_op") AND ("_conform_prev_txn_id"  IS NOT DISTINCT FROM "txn_id") AND ("_conform_prev_file_no"  IS NOT DISTINCT FROM "file_no") AND ("_conform_prev_line_no"  IS NOT DISTINCT FROM "line_no") END AS "_conform_dup", CASE WHEN "_conform_op" = 'D' THEN TRUE WHEN "_conform_prev__conform_seq" = "_conform_seq" IS TRUE THEN TRUE WHEN "_conform_next_seq" = "_conform_seq" IS TRUE THEN TRUE ELSE NOT (CASE WHEN "_conform_prev__conform_seq" IS NULL THEN TRUE ELSE CASE WHEN "_conform_op" <> "_conform_prev__conform_op" THEN TRUE WHEN "_conform_op" = 'D' THEN FALSE ELSE NOT ("txn_id"  IS NOT DISTINCT FROM "_conform_prev_txn_id") OR NOT ("file_no"  IS NOT DISTINCT FROM "_conform_prev_file_no") OR NOT ("line_no"  IS NOT DISTINCT FROM "_conform_prev_line_no") END END AND CASE WHEN "_conform_next_seq" IS NULL THEN TRUE ELSE CASE WHEN "_conform_op" <> "_conform_next__conform_op" THEN TRUE WHEN "_conform_op" = 'D' THEN FALSE ELSE NOT ("txn_id"  IS NOT DISTINCT FROM "_conform_next_txn_id") OR NOT ("file_no"  IS NOT DISTINCT FROM "_conform_next_file_no") OR NOT ("line_no"  IS NOT DISTINCT FROM "_conform_next_line_no") END END) END AS "_conform_journal", "_conform_next_seq"
FROM (SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no", "_conform_ctx", "_conform_new", LAG("_conform_seq") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) AS "_conform_prev__conform_seq", LEAD("_conform_seq") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) AS "_conform_next_seq", 'U' AS "_conform_prev__conform_op", 'U' AS "_conform_next__conform_op", LAG("txn_id") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) AS "_conform_prev_txn_id", LEAD("txn_id") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) AS "_conform_next_txn_id", LAG("file_no") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) AS "_conform_prev_file_no", LEAD("file_no") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) AS "_conform_next_file_no", LAG("line_no") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) AS "_conform_prev_line_no", LEAD("line_no") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) AS "_conform_next_line_no"
FROM "_conform_customer_replay") AS "t"
WHERE "_conform_prev__conform_seq" IS NULL OR "_conform_prev__conform_seq" IS NOT NULL;

-- read the marks as replayed events
CREATE TEMPORARY VIEW "_conform_customer_boundaries" AS
SELECT "customer_id", "_conform_seq", "txn_id" AS "_conform_tb0", 'U' AS "_conform_op", "txn_id", "file_no", "line_no", FALSE AS "_conform_ctx", TRUE AS "_conform_new", "_conform_opens", "_conform_last", "_conform_dup", "_conform_journal", "_conform_next_seq"
FROM "_conform_customer_marks";

-- count new events
-- measures EVENTS_NEW
SELECT COUNT(*) AS "rows"
FROM "_conform_customer_boundaries"
WHERE "_conform_new" IS TRUE AND "_conform_dup" IS FALSE;

-- replay events into versions
CREATE TEMPORARY VIEW "_conform_customer_versions" AS
SELECT CAST(CAST('x0' || SUBSTR(MD5(COALESCE(CAST("customer_id" AS VARCHAR), '\N') || '|' || COALESCE(CAST("_conform_group__conform_seq" AS VARCHAR), '\N') || '|' || COALESCE(CAST("_conform_group__conform_tb0" AS VARCHAR), '\N') || '|' || COALESCE(CAST("_conform_op" AS VARCHAR), '\N') || '|' || COALESCE(CAST("txn_id" AS VARCHAR), '\N') || '|' || COALESCE(CAST("file_no" AS VARCHAR), '\N') || '|' || COALESCE(CAST("line_no" AS VARCHAR), '\N') ), 1, 15) AS BIT(64)) AS BIGINT) AS "customer_sk", "customer_id", "txn_id", "file_no", "line_no", "_conform_group__conform_seq" AS "valid_from", COALESCE("_conform_next_seq", TIMESTAMP '9999-12-31 00:00:00') AS "valid_to", "_conform_next_seq" IS NULL AS "is_current"
FROM (SELECT *
FROM (SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no", "_conform_ctx", "_conform_new", "_conform_opens", "_conform_last", "_conform_next_seq", "_conform_seq" AS "_conform_group__conform_seq", "_conform_ctx" AS "_conform_group__conform_ctx", "_conform_tb0" AS "_conform_group__conform_tb0"
FROM "_conform_customer_boundaries"
WHERE "_conform_opens" IS TRUE AND "_conform_last" IS TRUE) AS "t0"
WHERE "_conform_last" IS TRUE AND "_conform_group__conform_ctx" IS FALSE) AS "t1"
WHERE "_conform_op" = 'U'
UNION ALL
SELECT CAST(CAST('x0' || SUBSTR(MD5(COALESCE(CAST("customer_id" AS VARCHAR), '\N') || '|' || COALESCE(CAST("_conform_group__conform_seq" AS VARCHAR), '\N') || '|' || COALESCE(CAST("_conform_group__conform_tb0" AS VARCHAR), '\N') || '|' || COALESCE(CAST("_conform_op" AS VARCHAR), '\N') || '|' || COALESCE(CAST("txn_id" AS VARCHAR), '\N') || '|' || COALESCE(CAST("file_no" AS VARCHAR), '\N') || '|' || COALESCE(CAST("line_no" AS VARCHAR), '\N') ), 1, 15) AS BIT(64)) AS BIGINT) AS "customer_sk", "customer_id", "txn_id", "file_no", "line_no", "_conform_group__conform_seq" AS "valid_from", COALESCE("_conform_next_seq", TIMESTAMP '9999-12-31 00:00:00') AS "valid_to", "_conform_next_seq" IS NULL AS "is_current"
FROM (SELECT *
FROM (SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no", "_conform_ctx", "_conform_new", "_conform_opens", "_conform_last", "_conform_next_seq", CASE WHEN "_conform_opens" IS TRUE THEN "_conform_seq" ELSE LAG("_conform_seq") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) END AS "_conform_group__conform_seq", CASE WHEN "_conform_opens" IS TRUE THEN "_conform_ctx" ELSE LAG("_conform_ctx") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) END AS "_conform_group__conform_ctx", CASE WHEN "_conform_opens" IS TRUE THEN "_conform_tb0" ELSE LAG("_conform_tb0") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) END AS "_conform_group__conform_tb0"
FROM "_conform_customer_boundaries"
WHERE ("_conform_opens" IS TRUE OR "_conform_last" IS TRUE) AND NOT ("_conform_opens" IS TRUE AND "_conform_last" IS TRUE)) AS "t5"
WHERE "_conform_last" IS TRUE AND "_conform_group__conform_ctx" IS FALSE) AS "t6"
WHERE "_conform_op" = 'U';

-- write the versions
-- counts ROWS_INSERTED
INSERT INTO "customer" ("customer_sk", "customer_id", "txn_id", "file_no", "line_no", "valid_from", "valid_to", "is_current")
SELECT *
FROM "_conform_customer_versions";

-- journal the events the versions do not show
INSERT INTO "customer__journal" ("customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no")
SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no"
FROM "_conform_customer_boundaries"
WHERE "_conform_journal" IS TRUE AND "_conform_dup" IS FALSE AND "_conform_ctx" IS FALSE;

-- drop _conform_customer_versions
DROP VIEW IF EXISTS "_conform_customer_versions";

-- drop _conform_customer_boundaries
DROP VIEW IF EXISTS "_conform_customer_boundaries";

-- drop _conform_customer_marks
DROP TABLE IF EXISTS "_conform_customer_marks";

-- drop _conform_customer_replay
DROP VIEW IF EXISTS "_conform_customer_replay";

-- drop _conform_customer_batch
DROP VIEW IF EXISTS "_conform_customer_batch";

-- drop _conform_customer_staged
DROP VIEW IF EXISTS "_conform_customer_staged";
