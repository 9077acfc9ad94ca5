-- model dim_price_plan

-- create dim_price_plan
CREATE TABLE IF NOT EXISTS "dim_price_plan" ("plan_code" VARCHAR, "market" VARCHAR, "plan_name" VARCHAR, "monthly_fee" DECIMAL(10, 2), "valid_from" DATE, "valid_to" DATE, "is_current" BOOLEAN);

-- create dim_price_plan__journal
CREATE TABLE IF NOT EXISTS "dim_price_plan__journal" ("plan_code" VARCHAR, "market" VARCHAR, "_conform_seq" DATE, "_conform_op" VARCHAR, "plan_name" VARCHAR, "monthly_fee" DECIMAL(10, 2));

-- create dim_price_plan__rejects
CREATE TABLE IF NOT EXISTS "dim_price_plan__rejects" ("run_id" BIGINT, "origin" VARCHAR, "reason" VARCHAR, "record" VARCHAR);

-- load source price_plans
-- load price_plans from CSV [/data/price_plans.csv] as (plan_code string, market string, plan_name string, monthly_fee decimal(10,2), effective_on date) into _conform_dim_price_plan_raw, rows that do not convert into _conform_dim_price_plan_raw_rejects (counted as tally rows_not_converted)

-- reject rows that do not convert
-- runs only when tally rows_not_converted is not 0
INSERT INTO "dim_price_plan__rejects" ("run_id", "origin", "reason", "record")
SELECT 1 AS "$f0", "_conform_origin", "_conform_reason", "_conform_record"
FROM "_conform_dim_price_plan_raw_rejects";

-- stage dim_price_plan
CREATE TEMPORARY VIEW "_conform_dim_price_plan_staged" AS
SELECT "plan_code", "market", "_conform_seq", "_conform_op", "plan_name", "monthly_fee", "_conform_origin", "_conform_reason", "_conform_check", "_conform_record"
FROM (SELECT "plan_code", "market", "effective_on" AS "_conform_seq", 'U' AS "_conform_op", CAST("plan_name" AS VARCHAR) AS "plan_name", CAST("monthly_fee" AS DECIMAL(10, 2)) AS "monthly_fee", "_conform_origin", CASE WHEN "plan_code" IS NULL THEN CAST('business key column ''plan_code'' is null' AS VARCHAR) WHEN "market" IS NULL THEN CAST('business key column ''market'' is null' AS VARCHAR) WHEN "effective_on" IS NULL THEN CAST('sequence ''effective_on'' is null' AS VARCHAR) ELSE NULL END AS "_conform_reason", CASE WHEN NOT CAST("plan_name" AS VARCHAR) IS NOT NULL THEN CAST('check failed: not_null(plan_name)' AS VARCHAR) WHEN NOT CAST("monthly_fee" AS DECIMAL(10, 2)) >= 0 THEN CAST('check failed: monthly_fee >= 0' AS VARCHAR) ELSE NULL END AS "_conform_check", CASE WHEN CASE WHEN "plan_code" IS NULL THEN CAST('business key column ''plan_code'' is null' AS VARCHAR) WHEN "market" IS NULL THEN CAST('business key column ''market'' is null' AS VARCHAR) WHEN "effective_on" IS NULL THEN CAST('sequence ''effective_on'' is null' AS VARCHAR) ELSE NULL END IS NOT NULL THEN 'plan_code=' || COALESCE(CAST("plan_code" AS VARCHAR), 'null') || (', market=' || COALESCE(CAST("market" AS VARCHAR), 'null')) || (', plan_name=' || COALESCE(CAST("plan_name" AS VARCHAR), 'null')) || (', monthly_fee=' || COALESCE(CAST("monthly_fee" AS VARCHAR), 'null')) || (', effective_on=' || COALESCE(CAST("effective_on" AS VARCHAR), 'null')) ELSE NULL END AS "_conform_record", TRUE AS "_conform_keep"
FROM "_conform_dim_price_plan_raw") AS "t0"
WHERE "_conform_reason" IS NOT NULL OR "_conform_keep" IS TRUE;

-- reject rows without key or sequence, or failing a check
-- counts ROWS_REJECTED
INSERT INTO "dim_price_plan__rejects" ("run_id", "origin", "reason", "record")
SELECT 1 AS "$f0", "_conform_origin", "_conform_reason", "_conform_record"
FROM "_conform_dim_price_plan_staged"
WHERE "_conform_reason" IS NOT NULL;

-- checks of dim_price_plan
-- expects 0, else fails: {count} row(s) of source 'price_plans' failed a check of dimension 'dim_price_plan' (on_check_failure: fail); nothing was changed
SELECT COUNT(*) AS "rows"
FROM "_conform_dim_price_plan_staged"
WHERE "_conform_reason" IS NULL AND "_conform_check" IS NOT NULL;

-- collect the batch's events
CREATE TEMPORARY VIEW "_conform_dim_price_plan_batch" AS
SELECT "plan_code", "market", "_conform_seq", "_conform_op", "plan_name", "monthly_fee"
FROM "_conform_dim_price_plan_staged"
WHERE "_conform_reason" IS NULL;

-- find the keys the batch touches
CREATE TEMPORARY TABLE "_conform_dim_price_plan_impacted" AS
SELECT "plan_code", "market"
FROM "_conform_dim_price_plan_batch"
GROUP BY "plan_code", "market";

-- read the versions of those keys
CREATE TEMPORARY TABLE "_conform_dim_price_plan_history" AS
SELECT "dim_price_plan"."plan_code", "dim_price_plan"."market", "dim_price_plan"."plan_name", "dim_price_plan"."monthly_fee", "dim_price_plan"."valid_from", "dim_price_plan"."valid_to", "dim_price_plan"."is_current", "dim_price_plan"."rowid" AS "_conform_rowid"
FROM "dim_price_plan"
INNER JOIN "_conform_dim_price_plan_impacted" ON "dim_price_plan"."plan_code" = "_conform_dim_price_plan_impacted"."plan_code" AND "dim_price_plan"."market" = "_conform_dim_price_plan_impacted"."market";

-- read the journaled events of those keys
CREATE TEMPORARY TABLE "_conform_dim_price_plan_logged" AS
SELECT "dim_price_plan__journal"."plan_code", "dim_price_plan__journal"."market", "dim_price_plan__journal"."_conform_seq", "dim_price_plan__journal"."_conform_op", "dim_price_plan__journal"."plan_name", "dim_price_plan__journal"."monthly_fee", "dim_price_plan__journal"."rowid" AS "_conform_rowid"
FROM "dim_price_plan__journal"
INNER JOIN "_conform_dim_price_plan_impacted" ON "dim_price_plan__journal"."plan_code" = "_conform_dim_price_plan_impacted"."plan_code" AND "dim_price_plan__journal"."market" = "_conform_dim_price_plan_impacted"."market";

-- collect the events applied before
CREATE TEMPORARY TABLE "_conform_dim_price_plan_applied" AS
SELECT "plan_code", "market", "_conform_seq", "_conform_op", "plan_name", "monthly_fee"
FROM "_conform_dim_price_plan_logged"
UNION ALL
SELECT "plan_code", "market", "valid_from" AS "_conform_seq", 'U' AS "_conform_op", "plan_name", "monthly_fee"
FROM "_conform_dim_price_plan_history"
WHERE NOT EXISTS (SELECT 1
FROM "_conform_dim_price_plan_logged" AS "_conform_dim_price_plan_logged0"
WHERE "_conform_dim_price_plan_history"."plan_code" = "_conform_dim_price_plan_logged0"."plan_code" AND "_conform_dim_price_plan_history"."market" = "_conform_dim_price_plan_logged0"."market" AND "_conform_dim_price_plan_history"."valid_from" = "_conform_dim_price_plan_logged0"."_conform_seq");

-- find where each changed key's history changes
CREATE TEMPORARY TABLE "_conform_dim_price_plan_anchors" AS
SELECT "t1"."plan_code", "t1"."market", "t1"."_conform_min_seq", MAX("_conform_dim_price_plan_history"."valid_from") AS "_conform_from_seq"
FROM (SELECT "_conform_dim_price_plan_batch"."plan_code", "_conform_dim_price_plan_batch"."market", MIN("_conform_dim_price_plan_batch"."_conform_seq") AS "_conform_min_seq"
FROM "_conform_dim_price_plan_batch"
LEFT JOIN "_conform_dim_price_plan_applied" ON "_conform_dim_price_plan_batch"."plan_code" = "_conform_dim_price_plan_applied"."plan_code" AND ("_conform_dim_price_plan_batch"."market" = "_conform_dim_price_plan_applied"."market" AND "_conform_dim_price_plan_batch"."_conform_seq" = "_conform_dim_price_plan_applied"."_conform_seq") AND (("_conform_dim_price_plan_batch"."_conform_op"  IS NOT DISTINCT FROM "_conform_dim_price_plan_applied"."_conform_op") AND (("_conform_dim_price_plan_batch"."plan_name"  IS NOT DISTINCT FROM "_conform_dim_price_plan_applied"."plan_name") AND ("_conform_dim_price_plan_batch"."monthly_fee"  IS NOT DISTINCT FROM "_conform_dim_price_plan_applied"."monthly_fee")))
WHERE "_conform_dim_price_plan_applied"."plan_code" IS NULL
GROUP BY "_conform_dim_price_plan_batch"."plan_code", "_conform_dim_price_plan_batch"."market") AS "t1"
LEFT JOIN "_conform_dim_price_plan_history" ON "t1"."plan_code" = "_conform_dim_price_plan_history"."plan_code" AND "t1"."market" = "_conform_dim_price_plan_history"."market" AND "t1"."_conform_min_seq" > "_conform_dim_price_plan_history"."valid_from"
GROUP BY "t1"."plan_code", "t1"."market", "t1"."_conform_min_seq";

-- gather the events to replay
CREATE TEMPORARY VIEW "_conform_dim_price_plan_replay" AS
SELECT "_conform_dim_price_plan_batch"."plan_code", "_conform_dim_price_plan_batch"."market", "_conform_dim_price_plan_batch"."_conform_seq", "_conform_dim_price_plan_batch"."_conform_op", "_conform_dim_price_plan_batch"."plan_name", "_conform_dim_price_plan_batch"."monthly_fee", FALSE AS "_conform_ctx", TRUE AS "_conform_new"
FROM "_conform_dim_price_plan_batch"
LEFT JOIN "_conform_dim_price_plan_applied" ON "_conform_dim_price_plan_batch"."plan_code" = "_conform_dim_price_plan_applied"."plan_code" AND ("_conform_dim_price_plan_batch"."market" = "_conform_dim_price_plan_applied"."market" AND "_conform_dim_price_plan_batch"."_conform_seq" = "_conform_dim_price_plan_applied"."_conform_seq") AND (("_conform_dim_price_plan_batch"."_conform_op"  IS NOT DISTINCT FROM "_conform_dim_price_plan_applied"."_conform_op") AND (("_conform_dim_price_plan_batch"."plan_name"  IS NOT DISTINCT FROM "_conform_dim_price_plan_applied"."plan_name") AND ("_conform_dim_price_plan_batch"."monthly_fee"  IS NOT DISTINCT FROM "_conform_dim_price_plan_applied"."monthly_fee")))
WHERE "_conform_dim_price_plan_applied"."plan_code" IS NULL
UNION ALL
SELECT "_conform_dim_price_plan_applied0"."plan_code", "_conform_dim_price_plan_applied0"."market", "_conform_dim_price_plan_applied0"."_conform_seq", "_conform_dim_price_plan_applied0"."_conform_op", "_conform_dim_price_plan_applied0"."plan_name", "_conform_dim_price_plan_applied0"."monthly_fee", FALSE AS "_conform_ctx", FALSE AS "_conform_new"
FROM "_conform_dim_price_plan_applied" AS "_conform_dim_price_plan_applied0"
INNER JOIN "_conform_dim_price_plan_anchors" ON "_conform_dim_price_plan_applied0"."plan_code" = "_conform_dim_price_plan_anchors"."plan_code" AND "_conform_dim_price_plan_applied0"."market" = "_conform_dim_price_plan_anchors"."market" AND ("_conform_dim_price_plan_anchors"."_conform_from_seq" IS NULL OR "_conform_dim_price_plan_applied0"."_conform_seq" >= "_conform_dim_price_plan_anchors"."_conform_from_seq")
UNION ALL
SELECT "plan_code", "market", "_conform_seq", "_conform_op", "plan_name", "monthly_fee", TRUE AS "_conform_ctx", FALSE AS "_conform_new"
FROM (SELECT "_conform_dim_price_plan_applied1"."plan_code", "_conform_dim_price_plan_applied1"."market", "_conform_dim_price_plan_applied1"."_conform_seq", "_conform_dim_price_plan_applied1"."_conform_op", "_conform_dim_price_plan_applied1"."plan_name", "_conform_dim_price_plan_applied1"."monthly_fee", ROW_NUMBER() OVER (PARTITION BY "_conform_dim_price_plan_applied1"."plan_code", "_conform_dim_price_plan_applied1"."market" ORDER BY "_conform_dim_price_plan_applied1"."_conform_seq" DESC, "_conform_dim_price_plan_applied1"."_conform_op" DESC, "_conform_dim_price_plan_applied1"."plan_name" DESC, "_conform_dim_price_plan_applied1"."monthly_fee" DESC) AS "_conform_rn"
FROM "_conform_dim_price_plan_applied" AS "_conform_dim_price_plan_applied1"
INNER JOIN "_conform_dim_price_plan_anchors" AS "_conform_dim_price_plan_anchors0" ON "_conform_dim_price_plan_applied1"."plan_code" = "_conform_dim_price_plan_anchors0"."plan_code" AND "_conform_dim_price_plan_applied1"."market" = "_conform_dim_price_plan_anchors0"."market" AND "_conform_dim_price_plan_applied1"."_conform_seq" < "_conform_dim_price_plan_anchors0"."_conform_from_seq") AS "t3"
WHERE "t3"."_conform_rn" = 1;

-- find where versions start and end
CREATE TEMPORARY TABLE "_conform_dim_price_plan_boundaries" AS
SELECT "plan_code", "market", "_conform_seq", "_conform_op", "plan_name", "monthly_fee", "_conform_ctx", "_conform_new", CASE WHEN "_conform_prev__conform_seq" IS NULL THEN TRUE ELSE CASE WHEN "_conform_op" <> "_conform_prev__conform_op" THEN TRUE WHEN "_conform_op" = 'D' THEN FALSE ELSE NOT (("plan_name", "monthly_fee")  IS NOT DISTINCT FROM "_conform_prev__conform_tracked") END END AS "_conform_opens", CASE WHEN "_conform_next_seq" IS NULL THEN TRUE ELSE CASE WHEN "_conform_op" <> "_conform_next__conform_op" THEN TRUE WHEN "_conform_op" = 'D' THEN FALSE ELSE NOT (("plan_name", "monthly_fee")  IS NOT DISTINCT FROM "_conform_next__conform_tracked") END END AS "_conform_last", CASE WHEN "_conform_prev__conform_seq" IS NULL THEN FALSE ELSE "_conform_prev__conform_seq" = "_conform_seq" AND ("_conform_prev__conform_op"  IS NOT DISTINCT FROM "_conform_op") AND ("_conform_prev__conform_tracked"  IS NOT DISTINCT FROM ("plan_name", "monthly_fee")) END AS "_conform_dup", CASE WHEN "_conform_op" = 'D' THEN TRUE WHEN "_conform_prev__conform_seq" = "_conform_seq" IS TRUE THEN TRUE WHEN "_conform_next_seq" = "_conform_seq" IS TRUE THEN TRUE ELSE NOT (CASE WHEN "_conform_prev__conform_seq" IS NULL THEN TRUE ELSE CASE WHEN "_conform_op" <> "_conform_prev__conform_op" THEN TRUE WHEN "_conform_op" = 'D' THEN FALSE ELSE NOT (("plan_name", "monthly_fee")  IS NOT DISTINCT FROM "_conform_prev__conform_tracked") END END AND CASE WHEN "_conform_next_seq" IS NULL THEN TRUE ELSE CASE WHEN "_conform_op" <> "_conform_next__conform_op" THEN TRUE WHEN "_conform_op" = 'D' THEN FALSE ELSE NOT (("plan_name", "monthly_fee")  IS NOT DISTINCT FROM "_conform_next__conform_tracked") END END) END AS "_conform_journal", "_conform_next_seq"
FROM (SELECT "plan_code", "market", "_conform_seq", "_conform_op", "plan_name", "monthly_fee", "_conform_ctx", "_conform_new", LAG("_conform_seq") OVER (PARTITION BY "plan_code", "market" ORDER BY "_conform_seq" NULLS FIRST, "_conform_op" NULLS FIRST, "plan_name" NULLS FIRST, "monthly_fee" NULLS FIRST) AS "_conform_prev__conform_seq", LEAD("_conform_seq") OVER (PARTITION BY "plan_code", "market" ORDER BY "_conform_seq" NULLS FIRST, "_conform_op" NULLS FIRST, "plan_name" NULLS FIRST, "monthly_fee" NULLS FIRST) AS "_conform_next_seq", LAG("_conform_op") OVER (PARTITION BY "plan_code", "market" ORDER BY "_conform_seq" NULLS FIRST, "_conform_op" NULLS FIRST, "plan_name" NULLS FIRST, "monthly_fee" NULLS FIRST) AS "_conform_prev__conform_op", LEAD("_conform_op") OVER (PARTITION BY "plan_code", "market" ORDER BY "_conform_seq" NULLS FIRST, "_conform_op" NULLS FIRST, "plan_name" NULLS FIRST, "monthly_fee" NULLS FIRST) AS "_conform_next__conform_op", LAG(("plan_name", "monthly_fee")) OVER (PARTITION BY "plan_code", "market" ORDER BY "_conform_seq" NULLS FIRST, "_conform_op" NULLS FIRST, "plan_name" NULLS FIRST, "monthly_fee" NULLS FIRST) AS "_conform_prev__conform_tracked", LEAD(("plan_name", "monthly_fee")) OVER (PARTITION BY "plan_code", "market" ORDER BY "_conform_seq" NULLS FIRST, "_conform_op" NULLS FIRST, "plan_name" NULLS FIRST, "monthly_fee" NULLS FIRST) AS "_conform_next__conform_tracked"
FROM "_conform_dim_price_plan_replay") AS "t"
WHERE "_conform_prev__conform_seq" IS NULL OR "_conform_prev__conform_seq" IS NOT NULL;

-- count new events
-- measures EVENTS_NEW
SELECT COUNT(*) AS "rows"
FROM "_conform_dim_price_plan_boundaries"
WHERE "_conform_new" IS TRUE AND "_conform_dup" IS FALSE;

-- replay events into versions
CREATE TEMPORARY TABLE "_conform_dim_price_plan_versions" AS
SELECT "plan_code", "market", "plan_name", "monthly_fee", "_conform_group__conform_seq" AS "valid_from", "_conform_next_seq" AS "valid_to", "_conform_next_seq" IS NULL AS "is_current"
FROM (SELECT *
FROM (SELECT "plan_code", "market", "_conform_seq", "_conform_op", "plan_name", "monthly_fee", "_conform_ctx", "_conform_new", "_conform_opens", "_conform_last", "_conform_next_seq", "_conform_seq" AS "_conform_group__conform_seq", "_conform_ctx" AS "_conform_group__conform_ctx"
FROM "_conform_dim_price_plan_boundaries"
WHERE "_conform_opens" IS TRUE AND "_conform_last" IS TRUE) AS "t0"
WHERE "_conform_last" IS TRUE AND "_conform_group__conform_ctx" IS FALSE) AS "t1"
WHERE "_conform_op" = 'U'
UNION ALL
SELECT "plan_code", "market", "plan_name", "monthly_fee", "_conform_group__conform_seq" AS "valid_from", "_conform_next_seq" AS "valid_to", "_conform_next_seq" IS NULL AS "is_current"
FROM (SELECT *
FROM (SELECT "plan_code", "market", "_conform_seq", "_conform_op", "plan_name", "monthly_fee", "_conform_ctx", "_conform_new", "_conform_opens", "_conform_last", "_conform_next_seq", CASE WHEN "_conform_opens" IS TRUE THEN "_conform_seq" ELSE LAG("_conform_seq") OVER (PARTITION BY "plan_code", "market" ORDER BY "_conform_seq" NULLS FIRST, "_conform_op" NULLS FIRST, "plan_name" NULLS FIRST, "monthly_fee" NULLS FIRST) END AS "_conform_group__conform_seq", CASE WHEN "_conform_opens" IS TRUE THEN "_conform_ctx" ELSE LAG("_conform_ctx") OVER (PARTITION BY "plan_code", "market" ORDER BY "_conform_seq" NULLS FIRST, "_conform_op" NULLS FIRST, "plan_name" NULLS FIRST, "monthly_fee" NULLS FIRST) END AS "_conform_group__conform_ctx"
FROM "_conform_dim_price_plan_boundaries"
WHERE ("_conform_opens" IS TRUE OR "_conform_last" IS TRUE) AND NOT ("_conform_opens" IS TRUE AND "_conform_last" IS TRUE)) AS "t5"
WHERE "_conform_last" IS TRUE AND "_conform_group__conform_ctx" IS FALSE) AS "t6"
WHERE "_conform_op" = 'U';

-- keep the rows being rewritten
CREATE TEMPORARY TABLE "_conform_dim_price_plan_replaced" AS
SELECT "_conform_dim_price_plan_history"."plan_code", "_conform_dim_price_plan_history"."market", "_conform_dim_price_plan_history"."plan_name", "_conform_dim_price_plan_history"."monthly_fee", "_conform_dim_price_plan_history"."valid_from", "_conform_dim_price_plan_history"."valid_to", "_conform_dim_price_plan_history"."is_current", "_conform_dim_price_plan_history"."_conform_rowid"
FROM "_conform_dim_price_plan_history"
INNER JOIN "_conform_dim_price_plan_anchors" ON "_conform_dim_price_plan_history"."plan_code" = "_conform_dim_price_plan_anchors"."plan_code" AND "_conform_dim_price_plan_history"."market" = "_conform_dim_price_plan_anchors"."market" AND ("_conform_dim_price_plan_anchors"."_conform_from_seq" IS NULL OR "_conform_dim_price_plan_history"."valid_from" >= "_conform_dim_price_plan_anchors"."_conform_from_seq");

-- count inserted, closed and removed versions
-- measures ROWS_INSERTED, ROWS_CLOSED, ROWS_DELETED
SELECT SUM("$f9") AS "inserted", SUM("$f10") AS "closed", SUM("$f11") AS "removed"
FROM (SELECT CASE WHEN SUM("_conform_replayed") > SUM("_conform_replaced") THEN SUM("_conform_replayed") - SUM("_conform_replaced") ELSE 0 END AS "$f9", CASE WHEN SUM("_conform_replayed_closed") < SUM("_conform_replaced_open") THEN SUM("_conform_replayed_closed") ELSE SUM("_conform_replaced_open") END AS "$f10", CASE WHEN SUM("_conform_replaced") > SUM("_conform_replayed") THEN SUM("_conform_replaced") - SUM("_conform_replayed") ELSE 0 END AS "$f11"
FROM (SELECT "plan_code", "market", "valid_from", "plan_name", "monthly_fee", 1 AS "_conform_replayed", CASE WHEN "is_current" IS FALSE THEN 1 ELSE 0 END AS "_conform_replayed_closed", 0 AS "_conform_replaced", 0 AS "_conform_replaced_open"
FROM "_conform_dim_price_plan_versions"
UNION ALL
SELECT "plan_code", "market", "valid_from", "plan_name", "monthly_fee", 0 AS "_conform_replayed", 0 AS "_conform_replayed_closed", 1 AS "_conform_replaced", CASE WHEN "is_current" IS TRUE THEN 1 ELSE 0 END AS "_conform_replaced_open"
FROM "_conform_dim_price_plan_replaced") AS "t1"
GROUP BY "plan_code", "market", "valid_from", "plan_name", "monthly_fee") AS "t3";

-- remove the rewritten history of impacted keys
DELETE FROM "dim_price_plan" WHERE rowid IN (SELECT "_conform_rowid"
FROM "_conform_dim_price_plan_replaced");

-- write the replayed versions
INSERT INTO "dim_price_plan" ("plan_code", "market", "plan_name", "monthly_fee", "valid_from", "valid_to", "is_current")
SELECT *
FROM "_conform_dim_price_plan_versions";

-- forget the journaled events being replayed
DELETE FROM "dim_price_plan__journal" WHERE rowid IN (SELECT "_conform_dim_price_plan_logged"."_conform_rowid"
FROM "_conform_dim_price_plan_logged"
INNER JOIN "_conform_dim_price_plan_anchors" ON "_conform_dim_price_plan_logged"."plan_code" = "_conform_dim_price_plan_anchors"."plan_code" AND "_conform_dim_price_plan_logged"."market" = "_conform_dim_price_plan_anchors"."market" AND ("_conform_dim_price_plan_anchors"."_conform_from_seq" IS NULL OR "_conform_dim_price_plan_logged"."_conform_seq" >= "_conform_dim_price_plan_anchors"."_conform_from_seq"));

-- journal the events the versions do not show
INSERT INTO "dim_price_plan__journal" ("plan_code", "market", "_conform_seq", "_conform_op", "plan_name", "monthly_fee")
SELECT "plan_code", "market", "_conform_seq", "_conform_op", "plan_name", "monthly_fee"
FROM "_conform_dim_price_plan_boundaries"
WHERE "_conform_journal" IS TRUE AND "_conform_dup" IS FALSE AND "_conform_ctx" IS FALSE;

-- drop _conform_dim_price_plan_replaced
DROP TABLE IF EXISTS "_conform_dim_price_plan_replaced";

-- drop _conform_dim_price_plan_versions
DROP TABLE IF EXISTS "_conform_dim_price_plan_versions";

-- drop _conform_dim_price_plan_boundaries
DROP TABLE IF EXISTS "_conform_dim_price_plan_boundaries";

-- drop _conform_dim_price_plan_replay
DROP VIEW IF EXISTS "_conform_dim_price_plan_replay";

-- drop _conform_dim_price_plan_anchors
DROP TABLE IF EXISTS "_conform_dim_price_plan_anchors";

-- drop _conform_dim_price_plan_applied
DROP TABLE IF EXISTS "_conform_dim_price_plan_applied";

-- drop _conform_dim_price_plan_logged
DROP TABLE IF EXISTS "_conform_dim_price_plan_logged";

-- drop _conform_dim_price_plan_history
DROP TABLE IF EXISTS "_conform_dim_price_plan_history";

-- drop _conform_dim_price_plan_impacted
DROP TABLE IF EXISTS "_conform_dim_price_plan_impacted";

-- drop _conform_dim_price_plan_batch
DROP VIEW IF EXISTS "_conform_dim_price_plan_batch";

-- drop _conform_dim_price_plan_staged
DROP VIEW IF EXISTS "_conform_dim_price_plan_staged";
