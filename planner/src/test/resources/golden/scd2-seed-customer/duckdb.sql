-- model customer

-- create customer
CREATE TABLE IF NOT EXISTS "customer" ("customer_sk" BIGINT, "customer_id" BIGINT, "txn_id" BIGINT, "file_no" INTEGER, "line_no" INTEGER, "valid_from" TIMESTAMP, "valid_to" TIMESTAMP, "is_current" BOOLEAN);

-- create customer__journal
CREATE TABLE IF NOT EXISTS "customer__journal" ("customer_id" BIGINT, "_conform_seq" TIMESTAMP, "_conform_tb0" BIGINT, "_conform_op" VARCHAR, "txn_id" BIGINT, "file_no" INTEGER, "line_no" INTEGER);

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

-- find the keys the batch touches
CREATE TEMPORARY TABLE "_conform_customer_impacted" AS
SELECT "customer_id"
FROM "_conform_customer_batch"
GROUP BY "customer_id";

-- read the versions of those keys
CREATE TEMPORARY TABLE "_conform_customer_history" AS
SELECT "customer"."customer_sk", "customer"."customer_id", "customer"."txn_id", "customer"."file_no", "customer"."line_no", "customer"."valid_from", "customer"."valid_to", "customer"."is_current", "customer"."rowid" AS "_conform_rowid"
FROM "customer"
INNER JOIN "_conform_customer_impacted" ON "customer"."customer_id" = "_conform_customer_impacted"."customer_id";

-- read the journaled events of those keys
CREATE TEMPORARY TABLE "_conform_customer_logged" AS
SELECT "customer__journal"."customer_id", "customer__journal"."_conform_seq", "customer__journal"."_conform_tb0", "customer__journal"."_conform_op", "customer__journal"."txn_id", "customer__journal"."file_no", "customer__journal"."line_no", "customer__journal"."rowid" AS "_conform_rowid"
FROM "customer__journal"
INNER JOIN "_conform_customer_impacted" ON "customer__journal"."customer_id" = "_conform_customer_impacted"."customer_id";

-- collect the events applied before
CREATE TEMPORARY TABLE "_conform_customer_applied" AS
SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no"
FROM "_conform_customer_logged"
UNION ALL
SELECT "customer_id", "valid_from" AS "_conform_seq", "txn_id" AS "_conform_tb0", 'U' AS "_conform_op", "txn_id", "file_no", "line_no"
FROM "_conform_customer_history"
WHERE NOT EXISTS (SELECT 1
FROM "_conform_customer_logged" AS "_conform_customer_logged0"
WHERE "_conform_customer_history"."customer_id" = "_conform_customer_logged0"."customer_id" AND "_conform_customer_history"."valid_from" = "_conform_customer_logged0"."_conform_seq");

-- find where each changed key's history changes
CREATE TEMPORARY TABLE "_conform_customer_anchors" AS
SELECT "t1"."customer_id", "t1"."_conform_min_seq", MAX("_conform_customer_history"."valid_from") AS "_conform_from_seq"
FROM (SELECT "_conform_customer_batch"."customer_id", MIN("_conform_customer_batch"."_conform_seq") AS "_conform_min_seq"
FROM "_conform_customer_batch"
LEFT JOIN "_conform_customer_applied" ON "_conform_customer_batch"."customer_id" = "_conform_customer_applied"."customer_id" AND ("_conform_customer_batch"."_conform_seq" = "_conform_customer_applied"."_conform_seq" AND ("_conform_customer_batch"."_conform_tb0"  IS NOT DISTINCT FROM "_conform_customer_applied"."_conform_tb0")) AND (("_conform_customer_batch"."_conform_op"  IS NOT DISTINCT FROM "_conform_customer_applied"."_conform_op") AND ("_conform_customer_batch"."txn_id"  IS NOT DISTINCT FROM "_conform_customer_applied"."txn_id") AND (("_conform_customer_batch"."file_no"  IS NOT DISTINCT FROM "_conform_customer_applied"."file_no") AND ("_conform_customer_batch"."line_no"  IS NOT DISTINCT FROM "_conform_customer_applied"."line_no")))
WHERE "_conform_customer_applied"."customer_id" IS NULL
GROUP BY "_conform_customer_batch"."customer_id") AS "t1"
LEFT JOIN "_conform_customer_history" ON "t1"."customer_id" = "_conform_customer_history"."customer_id" AND "t1"."_conform_min_seq" > "_conform_customer_history"."valid_from"
GROUP BY "t1"."customer_id", "t1"."_conform_min_seq";

-- gather the events to replay
CREATE TEMPORARY VIEW "_conform_customer_replay" AS
SELECT "_conform_customer_batch"."customer_id", "_conform_customer_batch"."_conform_seq", "_conform_customer_batch"."_conform_tb0", "_conform_customer_batch"."_conform_op", "_conform_customer_batch"."txn_id", "_conform_customer_batch"."file_no", "_conform_customer_batch"."line_no", FALSE AS "_conform_ctx", TRUE AS "_conform_new"
FROM "_conform_customer_batch"
LEFT JOIN "_conform_customer_applied" ON "_conform_customer_batch"."customer_id" = "_conform_customer_applied"."customer_id" AND ("_conform_customer_batch"."_conform_seq" = "_conform_customer_applied"."_conform_seq" AND ("_conform_customer_batch"."_conform_tb0"  IS NOT DISTINCT FROM "_conform_customer_applied"."_conform_tb0")) AND (("_conform_customer_batch"."_conform_op"  IS NOT DISTINCT FROM "_conform_customer_applied"."_conform_op") AND ("_conform_customer_batch"."txn_id"  IS NOT DISTINCT FROM "_conform_customer_applied"."txn_id") AND (("_conform_customer_batch"."file_no"  IS NOT DISTINCT FROM "_conform_customer_applied"."file_no") AND ("_conform_customer_batch"."line_no"  IS NOT DISTINCT FROM "_conform_customer_applied"."line_no")))
WHERE "_conform_customer_applied"."customer_id" IS NULL
UNION ALL
SELECT "_conform_customer_applied0"."customer_id", "_conform_customer_applied0"."_conform_seq", "_conform_customer_applied0"."_conform_tb0", "_conform_customer_applied0"."_conform_op", "_conform_customer_applied0"."txn_id", "_conform_customer_applied0"."file_no", "_conform_customer_applied0"."line_no", FALSE AS "_conform_ctx", FALSE AS "_conform_new"
FROM "_conform_customer_applied" AS "_conform_customer_applied0"
INNER JOIN "_conform_customer_anchors" ON "_conform_customer_applied0"."customer_id" = "_conform_customer_anchors"."customer_id" AND ("_conform_customer_anchors"."_conform_from_seq" IS NULL OR "_conform_customer_applied0"."_conform_seq" >= "_conform_customer_anchors"."_conform_from_seq")
UNION ALL
SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no", TRUE AS "_conform_ctx", FALSE AS "_conform_new"
FROM (SELECT "_conform_customer_applied1"."customer_id", "_conform_customer_applied1"."_conform_seq", "_conform_customer_applied1"."_conform_tb0", "_conform_customer_applied1"."_conform_op", "_conform_customer_applied1"."txn_id", "_conform_customer_applied1"."file_no", "_conform_customer_applied1"."line_no", ROW_NUMBER() OVER (PARTITION BY "_conform_customer_applied1"."customer_id" ORDER BY "_conform_customer_applied1"."_conform_seq" DESC, "_conform_customer_applied1"."_conform_tb0" DESC, "_conform_customer_applied1"."_conform_op" DESC, "_conform_customer_applied1"."file_no" DESC, "_conform_customer_applied1"."line_no" DESC) AS "_conform_rn"
FROM "_conform_customer_applied" AS "_conform_customer_applied1"
INNER JOIN "_conform_customer_anchors" AS "_conform_customer_anchors0" ON "_conform_customer_applied1"."customer_id" = "_conform_customer_anchors0"."customer_id" AND "_conform_customer_applied1"."_conform_seq" < "_conform_customer_anchors0"."_conform_from_seq") AS "t3"
WHERE "t3"."_conform_rn" = 1;

-- find where versions start and end
CREATE TEMPORARY TABLE "_conform_customer_boundaries" AS
SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no", "_conform_ctx", "_conform_new", CASE WHEN "_conform_prev__conform_seq" IS NULL THEN TRUE ELSE CASE WHEN "_conform_op" <> "_conform_prev__conform_op" THEN TRUE WHEN "_conform_op" = 'D' THEN FALSE ELSE NOT (("txn_id", "file_no", "line_no")  IS NOT DISTINCT FROM "_conform_prev__conform_tracked") END END AS "_conform_opens", CASE WHEN "_conform_next_seq" IS NULL THEN TRUE ELSE CASE WHEN "_conform_op" <> "_conform_next__conform_op" THEN TRUE WHEN "_conform_op" = 'D' THEN FALSE ELSE NOT (("txn_id", "file_no", "line_no")  IS NOT DISTINCT FROM "_conform_next__conform_tracked") END END AS "_conform_last", CASE WHEN "_conform_prev__conform_seq" IS NULL THEN FALSE ELSE "_conform_prev__conform_seq" = "_conform_seq" AND ("_conform_prev__conform_op"  IS NOT DISTINCT FROM "_conform_op") AND ("_conform_prev__conform_tracked"  IS NOT DISTINCT FROM ("txn_id", "file_no", "line_no")) AND ("_conform_prev__conform_tb0"  IS NOT DISTINCT FROM "_conform_tb0") END AS "_conform_dup", CASE WHEN "_conform_op" = 'D' THEN TRUE WHEN "_conform_prev__conform_seq" = "_conform_seq" IS TRUE THEN TRUE WHEN "_conform_next_seq" = "_conform_seq" IS TRUE THEN TRUE ELSE NOT (CASE WHEN "_conform_prev__conform_seq" IS NULL THEN TRUE ELSE CASE WHEN "_conform_op" <> "_conform_prev__conform_op" THEN TRUE WHEN "_conform_op" = 'D' THEN FALSE ELSE NOT (("txn_id", "file_no", "line_no")  IS NOT DISTINCT FROM "_conform_prev__conform_tracked") END END AND CASE WHEN "_conform_next_seq" IS NULL THEN TRUE ELSE CASE WHEN "_conform_op" <> "_conform_next__conform_op" THEN TRUE WHEN "_conform_op" = 'D' THEN FALSE ELSE NOT (("txn_id", "file_no", "line_no")  IS NOT DISTINCT FROM "_conform_next__conform_tracked") END END) END AS "_conform_journal", "_conform_next_seq"
FROM (SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no", "_conform_ctx", "_conform_new", LAG("_conform_seq") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) AS "_conform_prev__conform_seq", LEAD("_conform_seq") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) AS "_conform_next_seq", LAG("_conform_op") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) AS "_conform_prev__conform_op", LEAD("_conform_op") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) AS "_conform_next__conform_op", LAG(("txn_id", "file_no", "line_no")) OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) AS "_conform_prev__conform_tracked", LEAD(("txn_id", "file_no", "line_no")) OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) AS "_conform_next__conform_tracked", LAG("_conform_tb0") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) AS "_conform_prev__conform_tb0"
FROM "_conform_customer_replay") AS "t"
WHERE "_conform_prev__conform_seq" IS NULL OR "_conform_prev__conform_seq" IS NOT NULL;

-- count new events
-- measures EVENTS_NEW
SELECT COUNT(*) AS "rows"
FROM "_conform_customer_boundaries"
WHERE "_conform_new" IS TRUE AND "_conform_dup" IS FALSE;

-- replay events into versions
CREATE TEMPORARY TABLE "_conform_customer_versions" AS
SELECT CAST('0x' || SUBSTR(MD5(COALESCE(CAST("customer_id" AS VARCHAR), '\N') || '|' || COALESCE(CAST("_conform_group__conform_seq" AS VARCHAR), '\N') || '|' || COALESCE(CAST("_conform_group__conform_tb0" AS VARCHAR), '\N') || '|' || COALESCE(CAST("_conform_op" AS VARCHAR), '\N') || '|' || COALESCE(CAST("txn_id" AS VARCHAR), '\N') || '|' || COALESCE(CAST("file_no" AS VARCHAR), '\N') || '|' || COALESCE(CAST("line_no" AS VARCHAR), '\N') ), 1, 15) AS BIGINT) AS "customer_sk", "customer_id", "txn_id", "file_no", "line_no", "_conform_group__conform_seq" AS "valid_from", COALESCE("_conform_next_seq", TIMESTAMP '9999-12-31 00:00:00') AS "valid_to", "_conform_next_seq" IS NULL AS "is_current"
FROM (SELECT *
FROM (SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no", "_conform_ctx", "_conform_new", "_conform_opens", "_conform_last", "_conform_next_seq", "_conform_seq" AS "_conform_group__conform_seq", "_conform_ctx" AS "_conform_group__conform_ctx", "_conform_tb0" AS "_conform_group__conform_tb0"
FROM "_conform_customer_boundaries"
WHERE "_conform_opens" IS TRUE AND "_conform_last" IS TRUE) AS "t0"
WHERE "_conform_last" IS TRUE AND "_conform_group__conform_ctx" IS FALSE) AS "t1"
WHERE "_conform_op" = 'U'
UNION ALL
SELECT CAST('0x' || SUBSTR(MD5(COALESCE(CAST("customer_id" AS VARCHAR), '\N') || '|' || COALESCE(CAST("_conform_group__conform_seq" AS VARCHAR), '\N') || '|' || COALESCE(CAST("_conform_group__conform_tb0" AS VARCHAR), '\N') || '|' || COALESCE(CAST("_conform_op" AS VARCHAR), '\N') || '|' || COALESCE(CAST("txn_id" AS VARCHAR), '\N') || '|' || COALESCE(CAST("file_no" AS VARCHAR), '\N') || '|' || COALESCE(CAST("line_no" AS VARCHAR), '\N') ), 1, 15) AS BIGINT) AS "customer_sk", "customer_id", "txn_id", "file_no", "line_no", "_conform_group__conform_seq" AS "valid_from", COALESCE("_conform_next_seq", TIMESTAMP '9999-12-31 00:00:00') AS "valid_to", "_conform_next_seq" IS NULL AS "is_current"
FROM (SELECT *
FROM (SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no", "_conform_ctx", "_conform_new", "_conform_opens", "_conform_last", "_conform_next_seq", CASE WHEN "_conform_opens" IS TRUE THEN "_conform_seq" ELSE LAG("_conform_seq") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) END AS "_conform_group__conform_seq", CASE WHEN "_conform_opens" IS TRUE THEN "_conform_ctx" ELSE LAG("_conform_ctx") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) END AS "_conform_group__conform_ctx", CASE WHEN "_conform_opens" IS TRUE THEN "_conform_tb0" ELSE LAG("_conform_tb0") OVER (PARTITION BY "customer_id" ORDER BY "_conform_seq" NULLS FIRST, "_conform_tb0" NULLS FIRST, "_conform_op" NULLS FIRST, "file_no" NULLS FIRST, "line_no" NULLS FIRST) END AS "_conform_group__conform_tb0"
FROM "_conform_customer_boundaries"
WHERE ("_conform_opens" IS TRUE OR "_conform_last" IS TRUE) AND NOT ("_conform_opens" IS TRUE AND "_conform_last" IS TRUE)) AS "t5"
WHERE "_conform_last" IS TRUE AND "_conform_group__conform_ctx" IS FALSE) AS "t6"
WHERE "_conform_op" = 'U';

-- keep the rows being rewritten
CREATE TEMPORARY TABLE "_conform_customer_replaced" AS
SELECT "_conform_customer_history"."customer_sk", "_conform_customer_history"."customer_id", "_conform_customer_history"."txn_id", "_conform_customer_history"."file_no", "_conform_customer_history"."line_no", "_conform_customer_history"."valid_from", "_conform_customer_history"."valid_to", "_conform_customer_history"."is_current", "_conform_customer_history"."_conform_rowid"
FROM "_conform_customer_history"
INNER JOIN "_conform_customer_anchors" ON "_conform_customer_history"."customer_id" = "_conform_customer_anchors"."customer_id" AND ("_conform_customer_anchors"."_conform_from_seq" IS NULL OR "_conform_customer_history"."valid_from" >= "_conform_customer_anchors"."_conform_from_seq");

-- count inserted, closed and removed versions
-- measures ROWS_INSERTED, ROWS_CLOSED, ROWS_DELETED
SELECT SUM("$f9") AS "inserted", SUM("$f10") AS "closed", SUM("$f11") AS "removed"
FROM (SELECT CASE WHEN SUM("_conform_replayed") > SUM("_conform_replaced") THEN SUM("_conform_replayed") - SUM("_conform_replaced") ELSE 0 END AS "$f9", CASE WHEN SUM("_conform_replayed_closed") < SUM("_conform_replaced_open") THEN SUM("_conform_replayed_closed") ELSE SUM("_conform_replaced_open") END AS "$f10", CASE WHEN SUM("_conform_replaced") > SUM("_conform_replayed") THEN SUM("_conform_replaced") - SUM("_conform_replayed") ELSE 0 END AS "$f11"
FROM (SELECT "customer_id", "valid_from", "txn_id", "file_no", "line_no", 1 AS "_conform_replayed", CASE WHEN "is_current" IS FALSE THEN 1 ELSE 0 END AS "_conform_replayed_closed", 0 AS "_conform_replaced", 0 AS "_conform_replaced_open"
FROM "_conform_customer_versions"
UNION ALL
SELECT "customer_id", "valid_from", "txn_id", "file_no", "line_no", 0 AS "_conform_replayed", 0 AS "_conform_replayed_closed", 1 AS "_conform_replaced", CASE WHEN "is_current" IS TRUE THEN 1 ELSE 0 END AS "_conform_replaced_open"
FROM "_conform_customer_replaced") AS "t1"
GROUP BY "customer_id", "valid_from", "txn_id", "file_no", "line_no") AS "t3";

-- remove the rewritten history of impacted keys
DELETE FROM "customer" WHERE rowid IN (SELECT "_conform_rowid"
FROM "_conform_customer_replaced");

-- write the replayed versions
INSERT INTO "customer" ("customer_sk", "customer_id", "txn_id", "file_no", "line_no", "valid_from", "valid_to", "is_current")
SELECT *
FROM "_conform_customer_versions";

-- forget the journaled events being replayed
DELETE FROM "customer__journal" WHERE rowid IN (SELECT "_conform_customer_logged"."_conform_rowid"
FROM "_conform_customer_logged"
INNER JOIN "_conform_customer_anchors" ON "_conform_customer_logged"."customer_id" = "_conform_customer_anchors"."customer_id" AND ("_conform_customer_anchors"."_conform_from_seq" IS NULL OR "_conform_customer_logged"."_conform_seq" >= "_conform_customer_anchors"."_conform_from_seq"));

-- journal the events the versions do not show
INSERT INTO "customer__journal" ("customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no")
SELECT "customer_id", "_conform_seq", "_conform_tb0", "_conform_op", "txn_id", "file_no", "line_no"
FROM "_conform_customer_boundaries"
WHERE "_conform_journal" IS TRUE AND "_conform_dup" IS FALSE AND "_conform_ctx" IS FALSE;

-- drop _conform_customer_replaced
DROP TABLE IF EXISTS "_conform_customer_replaced";

-- drop _conform_customer_versions
DROP TABLE IF EXISTS "_conform_customer_versions";

-- drop _conform_customer_boundaries
DROP TABLE IF EXISTS "_conform_customer_boundaries";

-- drop _conform_customer_replay
DROP VIEW IF EXISTS "_conform_customer_replay";

-- drop _conform_customer_anchors
DROP TABLE IF EXISTS "_conform_customer_anchors";

-- drop _conform_customer_applied
DROP TABLE IF EXISTS "_conform_customer_applied";

-- drop _conform_customer_logged
DROP TABLE IF EXISTS "_conform_customer_logged";

-- drop _conform_customer_history
DROP TABLE IF EXISTS "_conform_customer_history";

-- drop _conform_customer_impacted
DROP TABLE IF EXISTS "_conform_customer_impacted";

-- drop _conform_customer_batch
DROP VIEW IF EXISTS "_conform_customer_batch";

-- drop _conform_customer_staged
DROP VIEW IF EXISTS "_conform_customer_staged";
