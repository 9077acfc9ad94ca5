-- model customer

-- create customer
CREATE TABLE IF NOT EXISTS "customer" ("customer_sk" BIGINT, "customer_id" BIGINT, "txn_id" BIGINT, "file_no" INTEGER, "line_no" INTEGER, "valid_from" TIMESTAMP, "valid_to" TIMESTAMP, "is_current" BOOLEAN);

-- create customer__journal
CREATE TABLE IF NOT EXISTS "customer__journal" ("customer_id" BIGINT, "_conform_seq" TIMESTAMP, "_conform_tb0" BIGINT, "_conform_op" VARCHAR, "txn_id" BIGINT, "file_no" INTEGER, "line_no" INTEGER);

-- create customer__rejects
CREATE TABLE IF NOT EXISTS "customer__rejects" ("run_id" BIGINT, "origin" VARCHAR, "reason" VARCHAR, "record" VARCHAR);

-- load source customer_stg
-- load customer_stg from CSV [/data/customer_stg.csv] as (txn_id bigint, file_no integer, line_no integer, customer_id bigint, effective_date timestamp) into _conform_customer_raw, unconvertible rows into _conform_customer_raw_rejects

-- reject rows that do not convert
INSERT INTO "customer__rejects" ("run_id", "origin", "reason", "record")
SELECT 1 AS "$f0", "_conform_origin", "_conform_reason", "_conform_record"
FROM "_conform_customer_raw_rejects";

-- stage customer
CREATE TEMPORARY TABLE "_conform_customer_staged" AS
SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no", "_conform_origin", "_conform_reason", "_conform_check", "_conform_record"
FROM (SELECT "customer_id", "effective_date" AS "_conform_seq", "txn_id" AS "_conform_tb0", 'U' AS "_conform_op", CAST("txn_id" AS BIGINT) AS "txn_id", CAST("file_no" AS INTEGER) AS "file_no", CAST("line_no" AS INTEGER) AS "line_no", "_conform_origin", CASE WHEN "customer_id" IS NULL THEN CAST('business key column ''customer_id'' is null' AS VARCHAR) WHEN "effective_date" IS NULL THEN CAST('sequence ''effective_date'' is null' AS VARCHAR) ELSE NULL END AS "_conform_reason", CAST(NULL AS VARCHAR) AS "_conform_check", CASE WHEN CASE WHEN "customer_id" IS NULL THEN CAST('business key column ''customer_id'' is null' AS VARCHAR) WHEN "effective_date" IS NULL THEN CAST('sequence ''effective_date'' is null' AS VARCHAR) ELSE NULL END IS NOT NULL THEN 'txn_id=' || COALESCE(CAST("txn_id" AS VARCHAR), 'null') || (', file_no=' || COALESCE(CAST("file_no" AS VARCHAR), 'null')) || (', line_no=' || COALESCE(CAST("line_no" AS VARCHAR), 'null')) || (', customer_id=' || COALESCE(CAST("customer_id" AS VARCHAR), 'null')) || (', effective_date=' || COALESCE(CAST("effective_date" AS VARCHAR), 'null')) ELSE NULL END AS "_conform_record", TRUE AS "_conform_keep"
FROM "_conform_customer_raw") AS "t0"
WHERE "_conform_reason" IS NOT NULL OR "_conform_keep" IS TRUE;

-- reject rows without key or sequence, or failing a check
-- counts ROWS_REJECTED
INSERT INTO "customer__rejects" ("run_id", "origin", "reason", "record")
SELECT 1 AS "$f0", "_conform_origin", "_conform_reason", "_conform_record"
FROM "_conform_customer_staged"
WHERE "_conform_reason" IS NOT NULL;

-- collect the batch's events
CREATE TEMPORARY TABLE "_conform_customer_batch" AS
SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no"
FROM "_conform_customer_staged"
WHERE "_conform_reason" IS NULL;

-- find events not applied before
CREATE TEMPORARY TABLE "_conform_customer_new_events" AS
SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no"
FROM "_conform_customer_batch"
WHERE NOT EXISTS (SELECT 1
FROM "customer__journal"
WHERE "_conform_customer_batch"."customer_id" = "customer__journal"."customer_id" AND ("_conform_customer_batch"."_conform_seq" = "customer__journal"."_conform_seq" AND ("_conform_customer_batch"."_conform_tb0"  IS NOT DISTINCT FROM "customer__journal"."_conform_tb0")) AND (("_conform_customer_batch"."_conform_op"  IS NOT DISTINCT FROM "customer__journal"."_conform_op") AND ("_conform_customer_batch"."txn_id"  IS NOT DISTINCT FROM "customer__journal"."txn_id") AND (("_conform_customer_batch"."file_no"  IS NOT DISTINCT FROM "customer__journal"."file_no") AND ("_conform_customer_batch"."line_no"  IS NOT DISTINCT FROM "customer__journal"."line_no"))))
GROUP BY "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no";

-- count new events
-- measures EVENTS_NEW
SELECT COUNT(*) AS "rows"
FROM "_conform_customer_new_events";

-- find where each impacted key's history changes
CREATE TEMPORARY TABLE "_conform_customer_anchors" AS
SELECT "t"."customer_id", "t"."_conform_min_seq", MAX("customer"."valid_from") AS "_conform_from_seq"
FROM (SELECT "customer_id", MIN("_conform_seq") AS "_conform_min_seq"
FROM "_conform_customer_new_events"
GROUP BY "customer_id") AS "t"
LEFT JOIN "customer" ON "t"."customer_id" = "customer"."customer_id" AND "t"."_conform_min_seq" > "customer"."valid_from"
GROUP BY "t"."customer_id", "t"."_conform_min_seq";

-- gather the events to replay
CREATE TEMPORARY TABLE "_conform_customer_replay" AS
SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no", FALSE AS "_conform_ctx"
FROM "_conform_customer_new_events"
UNION ALL
SELECT "customer__journal"."customer_id", "customer__journal"."_conform_seq", "customer__journal"."_conform_tb0", "customer__journal"."_conform_op", "customer__journal"."txn_id", "customer__journal"."file_no", "customer__journal"."line_no", FALSE AS "_conform_ctx"
FROM "customer__journal"
INNER JOIN "_conform_customer_anchors" ON "customer__journal"."customer_id" = "_conform_customer_anchors"."customer_id" AND ("_conform_customer_anchors"."_conform_from_seq" IS NULL OR "customer__journal"."_conform_seq" >= "_conform_customer_anchors"."_conform_from_seq")
UNION ALL
SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no", TRUE AS "_conform_ctx"
FROM (SELECT "customer__journal0"."customer_id", "customer__journal0"."_conform_seq", "customer__journal0"."_conform_tb0", "customer__journal0"."_conform_op", "customer__journal0"."txn_id", "customer__journal0"."file_no", "customer__journal0"."line_no", ROW_NUMBER() OVER (PARTITION BY "customer__journal0"."customer_id" ORDER BY "customer__journal0"."_conform_seq" DESC NULLS LAST, "customer__journal0"."_conform_tb0" DESC NULLS LAST, "customer__journal0"."_conform_op" DESC NULLS LAST, "customer__journal0"."txn_id" DESC NULLS LAST, "customer__journal0"."file_no" DESC NULLS LAST, "customer__journal0"."line_no" DESC NULLS LAST) AS "_conform_rn"
FROM "customer__journal" AS "customer__journal0"
INNER JOIN "_conform_customer_anchors" AS "_conform_customer_anchors0" ON "customer__journal0"."customer_id" = "_conform_customer_anchors0"."customer_id" AND "customer__journal0"."_conform_seq" < "_conform_customer_anchors0"."_conform_from_seq") AS "t1"
WHERE "t1"."_conform_rn" = 1;

-- find where versions start and end
CREATE TEMPORARY TABLE "_conform_customer_boundaries" AS
SELECT *
FROM (SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no", "_conform_ctx", CASE WHEN (ROW_NUMBER() OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "txn_id" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST)) = 1 THEN TRUE ELSE CASE WHEN "_conform_op" <> (LAG("_conform_op") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "txn_id" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST)) THEN TRUE WHEN "_conform_op" = 'D' THEN FALSE ELSE NOT ("txn_id"  IS NOT DISTINCT FROM LAG("txn_id") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "txn_id" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST)) OR NOT ("file_no"  IS NOT DISTINCT FROM LAG("file_no") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "txn_id" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST)) OR NOT ("line_no"  IS NOT DISTINCT FROM LAG("line_no") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "txn_id" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST)) END END AS "_conform_opens", CASE WHEN (LEAD("_conform_op") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "txn_id" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST)) IS NULL THEN TRUE ELSE CASE WHEN "_conform_op" <> (LEAD("_conform_op") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "txn_id" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST)) THEN TRUE WHEN "_conform_op" = 'D' THEN FALSE ELSE NOT ("txn_id"  IS NOT DISTINCT FROM LEAD("txn_id") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "txn_id" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST)) OR NOT ("file_no"  IS NOT DISTINCT FROM LEAD("file_no") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "txn_id" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST)) OR NOT ("line_no"  IS NOT DISTINCT FROM LEAD("line_no") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "txn_id" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST)) END END AS "_conform_last", LEAD("_conform_seq") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "txn_id" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) AS "_conform_next_seq"
FROM "_conform_customer_replay") AS "t0"
WHERE "_conform_opens" IS TRUE OR "_conform_last" IS TRUE;

-- replay events into versions
CREATE TEMPORARY TABLE "_conform_customer_versions" AS
SELECT CAST(CAST('x0' || SUBSTR(MD5(COALESCE(CAST("customer_id" AS VARCHAR), '\N') || '|' || COALESCE(CAST("_conform_group__conform_seq" AS VARCHAR), '\N') || '|' || COALESCE(CAST("_conform_group__conform_tb0" AS VARCHAR), '\N') || '|' || COALESCE(CAST("_conform_op" AS VARCHAR), '\N') || '|' || COALESCE(CAST("txn_id" AS VARCHAR), '\N') || '|' || COALESCE(CAST("file_no" AS VARCHAR), '\N') || '|' || COALESCE(CAST("line_no" AS VARCHAR), '\N') ), 1, 15) AS BIT(64)) AS BIGINT) AS "customer_sk", "customer_id", "txn_id", "file_no", "line_no", "_conform_group__conform_seq" AS "valid_from", COALESCE("_conform_next_seq", TIMESTAMP '9999-12-31 00:00:00') AS "valid_to", "_conform_next_seq" IS NULL AS "is_current"
FROM (SELECT *
FROM (SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no", "_conform_ctx", "_conform_opens", "_conform_last", "_conform_next_seq", "_conform_seq" AS "_conform_group__conform_seq", "_conform_ctx" AS "_conform_group__conform_ctx", "_conform_tb0" AS "_conform_group__conform_tb0"
FROM "_conform_customer_boundaries"
WHERE "_conform_opens" IS TRUE AND "_conform_last" IS TRUE) AS "t0"
WHERE "_conform_last" IS TRUE AND "_conform_group__conform_ctx" IS FALSE) AS "t1"
WHERE "_conform_op" = 'U'
UNION ALL
SELECT CAST(CAST('x0' || SUBSTR(MD5(COALESCE(CAST("customer_id" AS VARCHAR), '\N') || '|' || COALESCE(CAST("_conform_group__conform_seq" AS VARCHAR), '\N') || '|' || COALESCE(CAST("_conform_group__conform_tb0" AS VARCHAR), '\N') || '|' || COALESCE(CAST("_conform_op" AS VARCHAR), '\N') || '|' || COALESCE(CAST("txn_id" AS VARCHAR), '\N') || '|' || COALESCE(CAST("file_no" AS VARCHAR), '\N') || '|' || COALESCE(CAST("line_no" AS VARCHAR), '\N') ), 1, 15) AS BIT(64)) AS BIGINT) AS "customer_sk", "customer_id", "txn_id", "file_no", "line_no", "_conform_group__conform_seq" AS "valid_from", COALESCE("_conform_next_seq", TIMESTAMP '9999-12-31 00:00:00') AS "valid_to", "_conform_next_seq" IS NULL AS "is_current"
FROM (SELECT *
FROM (SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no", "_conform_ctx", "_conform_opens", "_conform_last", "_conform_next_seq", CASE WHEN "_conform_opens" IS TRUE THEN "_conform_seq" ELSE LAG("_conform_seq") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "txn_id" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) END AS "_conform_group__conform_seq", CASE WHEN "_conform_opens" IS TRUE THEN "_conform_ctx" ELSE LAG("_conform_ctx") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "txn_id" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) END AS "_conform_group__conform_ctx", CASE WHEN "_conform_opens" IS TRUE THEN "_conform_tb0" ELSE LAG("_conform_tb0") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "txn_id" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) END AS "_conform_group__conform_tb0"
FROM "_conform_customer_boundaries"
WHERE NOT ("_conform_opens" IS TRUE AND "_conform_last" IS TRUE)) AS "t5"
WHERE "_conform_last" IS TRUE AND "_conform_group__conform_ctx" IS FALSE) AS "t6"
WHERE "_conform_op" = 'U';

-- keep the rows being rewritten
CREATE TEMPORARY TABLE "_conform_customer_replaced" AS
SELECT "customer"."customer_sk", "customer"."customer_id", "customer"."txn_id", "customer"."file_no", "customer"."line_no", "customer"."valid_from", "customer"."valid_to", "customer"."is_current"
FROM "customer"
INNER JOIN "_conform_customer_anchors" ON "customer"."customer_id" = "_conform_customer_anchors"."customer_id" AND ("_conform_customer_anchors"."_conform_from_seq" IS NULL OR "customer"."valid_from" >= "_conform_customer_anchors"."_conform_from_seq");

-- count new versions
-- measures ROWS_INSERTED
SELECT COUNT(*) AS "rows"
FROM "_conform_customer_versions"
WHERE NOT EXISTS (SELECT 1
FROM "_conform_customer_replaced"
WHERE "_conform_customer_versions"."customer_id" = "_conform_customer_replaced"."customer_id" AND "_conform_customer_versions"."valid_from" = "_conform_customer_replaced"."valid_from" AND ("_conform_customer_versions"."txn_id"  IS NOT DISTINCT FROM "_conform_customer_replaced"."txn_id") AND ("_conform_customer_versions"."file_no"  IS NOT DISTINCT FROM "_conform_customer_replaced"."file_no") AND ("_conform_customer_versions"."line_no"  IS NOT DISTINCT FROM "_conform_customer_replaced"."line_no"));

-- count closed versions
-- measures ROWS_CLOSED
SELECT COUNT(*) AS "rows"
FROM "_conform_customer_replaced" AS "t"
WHERE "is_current" IS TRUE AND EXISTS (SELECT 1
FROM (SELECT *
FROM "_conform_customer_versions"
WHERE "is_current" IS FALSE) AS "t0"
WHERE "t"."customer_id" = "t0"."customer_id" AND "t"."valid_from" = "t0"."valid_from" AND ("t"."txn_id"  IS NOT DISTINCT FROM "t0"."txn_id") AND ("t"."file_no"  IS NOT DISTINCT FROM "t0"."file_no") AND ("t"."line_no"  IS NOT DISTINCT FROM "t0"."line_no"));

-- count versions rewritten away
-- measures ROWS_DELETED
SELECT COUNT(*) AS "rows"
FROM "_conform_customer_replaced"
WHERE NOT EXISTS (SELECT 1
FROM "_conform_customer_versions"
WHERE "_conform_customer_replaced"."customer_id" = "_conform_customer_versions"."customer_id" AND "_conform_customer_replaced"."valid_from" = "_conform_customer_versions"."valid_from" AND ("_conform_customer_replaced"."txn_id"  IS NOT DISTINCT FROM "_conform_customer_versions"."txn_id") AND ("_conform_customer_replaced"."file_no"  IS NOT DISTINCT FROM "_conform_customer_versions"."file_no") AND ("_conform_customer_replaced"."line_no"  IS NOT DISTINCT FROM "_conform_customer_versions"."line_no"));

-- remove the rewritten history of impacted keys
DELETE FROM "customer" USING "_conform_customer_anchors" k WHERE k."customer_id" = "customer"."customer_id" AND (k."_conform_from_seq" IS NULL OR "customer"."valid_from" >= k."_conform_from_seq");

-- write the replayed versions
INSERT INTO "customer" ("customer_sk", "customer_id", "txn_id", "file_no", "line_no", "valid_from", "valid_to", "is_current")
SELECT *
FROM "_conform_customer_versions";

-- journal the new events
INSERT INTO "customer__journal" ("customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no")
SELECT *
FROM "_conform_customer_new_events";

-- drop _conform_customer_raw
DROP TABLE IF EXISTS "_conform_customer_raw";

-- drop _conform_customer_raw_rejects
DROP TABLE IF EXISTS "_conform_customer_raw_rejects";

-- drop _conform_customer_staged
DROP TABLE IF EXISTS "_conform_customer_staged";

-- drop _conform_customer_batch
DROP TABLE IF EXISTS "_conform_customer_batch";

-- drop _conform_customer_new_events
DROP TABLE IF EXISTS "_conform_customer_new_events";

-- drop _conform_customer_anchors
DROP TABLE IF EXISTS "_conform_customer_anchors";

-- drop _conform_customer_replay
DROP TABLE IF EXISTS "_conform_customer_replay";

-- drop _conform_customer_boundaries
DROP TABLE IF EXISTS "_conform_customer_boundaries";

-- drop _conform_customer_versions
DROP TABLE IF EXISTS "_conform_customer_versions";

-- drop _conform_customer_replaced
DROP TABLE IF EXISTS "_conform_customer_replaced";
