-- model dim_price_plan

-- create dim_price_plan
CREATE TABLE "dim_price_plan" ("plan_code" VARCHAR, "market" VARCHAR, "plan_name" VARCHAR, "monthly_fee" NUMERIC(10, 2), "valid_from" DATE, "valid_to" DATE, "is_current" BOOLEAN);

-- create dim_price_plan__journal
CREATE TABLE "dim_price_plan__journal" ("plan_code" VARCHAR, "market" VARCHAR, "_conform_seq" DATE, "_conform_op" VARCHAR, "plan_name" VARCHAR, "monthly_fee" NUMERIC(10, 2));

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

-- gather the events to replay
CREATE TEMPORARY VIEW "_conform_dim_price_plan_replay" AS
SELECT "plan_code", "market", "_conform_seq", "_conform_op", "plan_name", "monthly_fee", FALSE AS "_conform_ctx", TRUE AS "_conform_new"
FROM "_conform_dim_price_plan_batch";

-- find where versions start and end
CREATE TEMPORARY TABLE "_conform_dim_price_plan_marks" AS
SELECT "plan_code", "market", "_conform_seq", "plan_name", "monthly_fee", CASE WHEN "_conform_prev__conform_seq" IS NULL THEN TRUE ELSE CASE WHEN "_conform_op" <> "_conform_prev__conform_op" THEN TRUE WHEN "_conform_op" = 'D' THEN FALSE ELSE NOT ("plan_name"  IS NOT DISTINCT FROM "_conform_prev_plan_name") OR NOT ("monthly_fee"  IS NOT DISTINCT FROM "_conform_prev_monthly_fee") END END AS "_conform_opens", CASE WHEN "_conform_next_seq" IS NULL THEN TRUE ELSE CASE WHEN "_conform_op" <> "_conform_next__conform_op" THEN TRUE WHEN "_conform_op" = 'D' THEN FALSE ELSE NOT ("plan_name"  IS NOT DISTINCT FROM "_conform_next_plan_name") OR NOT ("monthly_fee"  IS NOT DISTINCT FROM "_conform_next_monthly_fee") END END AS "_conform_last", CASE WHEN "_conform_prev__conform_seq" IS NULL THEN FALSE ELSE "_conform_prev__conform_seq" = "_conform_seq" AND ("_conform_prev__conform_op"  IS NOT DISTINCT FROM "_conform_op") AND ("_conform_prev_plan_name"  IS NOT DISTINCT FROM "plan_name") AND ("_conform_prev_monthly_fee"  IS NOT DISTINCT FROM "monthly_fee") END AS "_conform_dup", CASE WHEN "_conform_op" = 'D' THEN TRUE WHEN "_conform_prev__conform_seq" = "_conform_seq" IS TRUE THEN TRUE WHEN "_conform_next_seq" = "_conform_seq" IS TRUE THEN TRUE ELSE NOT (CASE WHEN "_conform_prev__conform_seq" IS NULL THEN TRUE ELSE CASE WHEN "_conform_op" <> "_conform_prev__conform_op" THEN TRUE WHEN "_conform_op" = 'D' THEN FALSE ELSE NOT ("plan_name"  IS NOT DISTINCT FROM "_conform_prev_plan_name") OR NOT ("monthly_fee"  IS NOT DISTINCT FROM "_conform_prev_monthly_fee") END END AND CASE WHEN "_conform_next_seq" IS NULL THEN TRUE ELSE CASE WHEN "_conform_op" <> "_conform_next__conform_op" THEN TRUE WHEN "_conform_op" = 'D' THEN FALSE ELSE NOT ("plan_name"  IS NOT DISTINCT FROM "_conform_next_plan_name") OR NOT ("monthly_fee"  IS NOT DISTINCT FROM "_conform_next_monthly_fee") END END) END AS "_conform_journal", "_conform_next_seq"
FROM (SELECT "plan_code", "market", "_conform_seq", "_conform_op", "plan_name", "monthly_fee", "_conform_ctx", "_conform_new", LAG("_conform_seq") OVER (PARTITION BY "plan_code", "market" ORDER BY "_conform_seq" NULLS FIRST, "plan_name" NULLS FIRST, "monthly_fee" NULLS FIRST) AS "_conform_prev__conform_seq", LEAD("_conform_seq") OVER (PARTITION BY "plan_code", "market" ORDER BY "_conform_seq" NULLS FIRST, "plan_name" NULLS FIRST, "monthly_fee" NULLS FIRST) AS "_conform_next_seq", 'U' AS "_conform_prev__conform_op", 'U' AS "_conform_next__conform_op", LAG("plan_name") OVER (PARTITION BY "plan_code", "market" ORDER BY "_conform_seq" NULLS FIRST, "plan_name" NULLS FIRST, "monthly_fee" NULLS FIRST) AS "_conform_prev_plan_name", LEAD("plan_name") OVER (PARTITION BY "plan_code", "market" ORDER BY "_conform_seq" NULLS FIRST, "plan_name" NULLS FIRST, "monthly_fee" NULLS FIRST) AS "_conform_next_plan_name", LAG("monthly_fee") OVER (PARTITION BY "plan_code", "market" ORDER BY "_conform_seq" NULLS FIRST, "plan_name" NULLS FIRST, "monthly_fee" NULLS FIRST) AS "_conform_prev_monthly_fee", LEAD("monthly_fee") OVER (PARTITION BY "plan_code", "market" ORDER BY "_conform_seq" NULLS FIRST, "plan_name" NULLS FIRST, "monthly_fee" NULLS FIRST) AS "_conform_next_monthly_fee"
FROM "_conform_dim_price_plan_replay") AS "t"
WHERE "_conform_prev__conform_seq" IS NULL OR "_conform_prev__conform_seq" IS NOT NULL;

-- read the marks as replayed events
CREATE TEMPORARY VIEW "_conform_dim_price_plan_boundaries" AS
SELECT "plan_code", "market", "_conform_seq", 'U' AS "_conform_op", "plan_name", "monthly_fee", FALSE AS "_conform_ctx", TRUE AS "_conform_new", "_conform_opens", "_conform_last", "_conform_dup", "_conform_journal", "_conform_next_seq"
FROM "_conform_dim_price_plan_marks";

-- count new events
-- measures EVENTS_NEW
SELECT COUNT(*) AS "rows"
FROM "_conform_dim_price_plan_boundaries"
WHERE "_conform_new" IS TRUE AND "_conform_dup" IS FALSE;

-- replay events into versions
CREATE TEMPORARY VIEW "_conform_dim_price_plan_versions" AS
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
FROM (SELECT "plan_code", "market", "_conform_seq", "_conform_op", "plan_name", "monthly_fee", "_conform_ctx", "_conform_new", "_conform_opens", "_conform_last", "_conform_next_seq", CASE WHEN "_conform_opens" IS TRUE THEN "_conform_seq" ELSE LAG("_conform_seq") OVER (PARTITION BY "plan_code", "market" ORDER BY "_conform_seq" NULLS FIRST, "plan_name" NULLS FIRST, "monthly_fee" NULLS FIRST) END AS "_conform_group__conform_seq", CASE WHEN "_conform_opens" IS TRUE THEN "_conform_ctx" ELSE LAG("_conform_ctx") OVER (PARTITION BY "plan_code", "market" ORDER BY "_conform_seq" NULLS FIRST, "plan_name" NULLS FIRST, "monthly_fee" NULLS FIRST) END AS "_conform_group__conform_ctx"
FROM "_conform_dim_price_plan_boundaries"
WHERE ("_conform_opens" IS TRUE OR "_conform_last" IS TRUE) AND NOT ("_conform_opens" IS TRUE AND "_conform_last" IS TRUE)) AS "t5"
WHERE "_conform_last" IS TRUE AND "_conform_group__conform_ctx" IS FALSE) AS "t6"
WHERE "_conform_op" = 'U';

-- write the versions
-- counts ROWS_INSERTED
INSERT INTO "dim_price_plan" ("plan_code", "market", "plan_name", "monthly_fee", "valid_from", "valid_to", "is_current")
SELECT *
FROM "_conform_dim_price_plan_versions";

-- journal the events the versions do not show
INSERT INTO "dim_price_plan__journal" ("plan_code", "market", "_conform_seq", "_conform_op", "plan_name", "monthly_fee")
SELECT "plan_code", "market", "_conform_seq", "_conform_op", "plan_name", "monthly_fee"
FROM "_conform_dim_price_plan_boundaries"
WHERE "_conform_journal" IS TRUE AND "_conform_dup" IS FALSE AND "_conform_ctx" IS FALSE;

-- drop _conform_dim_price_plan_versions
DROP VIEW IF EXISTS "_conform_dim_price_plan_versions";

-- drop _conform_dim_price_plan_boundaries
DROP VIEW IF EXISTS "_conform_dim_price_plan_boundaries";

-- drop _conform_dim_price_plan_marks
DROP TABLE IF EXISTS "_conform_dim_price_plan_marks";

-- drop _conform_dim_price_plan_replay
DROP VIEW IF EXISTS "_conform_dim_price_plan_replay";

-- drop _conform_dim_price_plan_batch
DROP VIEW IF EXISTS "_conform_dim_price_plan_batch";

-- drop _conform_dim_price_plan_staged
DROP VIEW IF EXISTS "_conform_dim_price_plan_staged";
