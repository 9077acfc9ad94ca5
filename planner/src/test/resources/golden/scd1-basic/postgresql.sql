-- model dim_account

-- create dim_account
CREATE TABLE IF NOT EXISTS "dim_account" ("account_sk" BIGINT, "account_id" BIGINT, "status" VARCHAR, "balance" NUMERIC(12, 2));

-- create dim_account__journal
CREATE TABLE IF NOT EXISTS "dim_account__journal" ("account_id" BIGINT, "_conform_seq" BIGINT, "_conform_op" VARCHAR, "status" VARCHAR, "balance" NUMERIC(12, 2));

-- create dim_account__rejects
CREATE TABLE IF NOT EXISTS "dim_account__rejects" ("run_id" BIGINT, "origin" VARCHAR, "reason" VARCHAR, "record" VARCHAR);

-- load source billing_accounts
-- load billing_accounts from CSV [/data/billing_accounts.csv] as (account_id bigint, status string, balance decimal(12,2), op string, log_seq bigint) into _conform_dim_account_raw, rows that do not convert into _conform_dim_account_raw_rejects (counted as tally rows_not_converted)

-- reject rows that do not convert
-- runs only when tally rows_not_converted is not 0
INSERT INTO "dim_account__rejects" ("run_id", "origin", "reason", "record")
SELECT 1 AS "$f0", "_conform_origin", "_conform_reason", "_conform_record"
FROM "_conform_dim_account_raw_rejects";

-- stage dim_account
CREATE TEMPORARY VIEW "_conform_dim_account_staged" AS
SELECT "account_id", "_conform_seq", "_conform_op", "status", "balance", "_conform_origin", "_conform_reason", "_conform_check", "_conform_record"
FROM (SELECT "account_id", "log_seq" AS "_conform_seq", CASE WHEN "op" = 'D' THEN 'D' ELSE 'U' END AS "_conform_op", CASE WHEN "op" = 'D' THEN NULL ELSE CAST("status" AS VARCHAR) END AS "status", CASE WHEN "op" = 'D' THEN NULL ELSE CAST("balance" AS DECIMAL(12, 2)) END AS "balance", "_conform_origin", CASE WHEN "account_id" IS NULL THEN CAST('business key column ''account_id'' is null' AS VARCHAR) WHEN "log_seq" IS NULL THEN CAST('sequence ''log_seq'' is null' AS VARCHAR) ELSE NULL END AS "_conform_reason", CAST(NULL AS VARCHAR) AS "_conform_check", CASE WHEN CASE WHEN "account_id" IS NULL THEN CAST('business key column ''account_id'' is null' AS VARCHAR) WHEN "log_seq" IS NULL THEN CAST('sequence ''log_seq'' is null' AS VARCHAR) ELSE NULL END IS NOT NULL THEN 'account_id=' || COALESCE(CAST("account_id" AS VARCHAR), 'null') || (', status=' || COALESCE(CAST("status" AS VARCHAR), 'null')) || (', balance=' || COALESCE(CAST("balance" AS VARCHAR), 'null')) || (', op=' || COALESCE(CAST("op" AS VARCHAR), 'null')) || (', log_seq=' || COALESCE(CAST("log_seq" AS VARCHAR), 'null')) ELSE NULL END AS "_conform_record", TRUE AS "_conform_keep"
FROM "_conform_dim_account_raw") AS "t0"
WHERE "_conform_reason" IS NOT NULL OR "_conform_keep" IS TRUE;

-- reject rows without key or sequence, or failing a check
-- counts ROWS_REJECTED
INSERT INTO "dim_account__rejects" ("run_id", "origin", "reason", "record")
SELECT 1 AS "$f0", "_conform_origin", "_conform_reason", "_conform_record"
FROM "_conform_dim_account_staged"
WHERE "_conform_reason" IS NOT NULL;

-- collect the batch's events
CREATE TEMPORARY VIEW "_conform_dim_account_batch" AS
SELECT "account_id", "_conform_seq", "_conform_op", "status", "balance"
FROM "_conform_dim_account_staged"
WHERE "_conform_reason" IS NULL;

-- find events not applied before
CREATE TEMPORARY TABLE "_conform_dim_account_new_events" AS
SELECT "_conform_dim_account_batch"."account_id", "_conform_dim_account_batch"."_conform_seq", "_conform_dim_account_batch"."_conform_op", "_conform_dim_account_batch"."status", "_conform_dim_account_batch"."balance"
FROM "_conform_dim_account_batch"
LEFT JOIN "dim_account__journal" ON "_conform_dim_account_batch"."account_id" = "dim_account__journal"."account_id" AND "_conform_dim_account_batch"."_conform_seq" = "dim_account__journal"."_conform_seq" AND ("_conform_dim_account_batch"."_conform_op"  IS NOT DISTINCT FROM "dim_account__journal"."_conform_op") AND ("_conform_dim_account_batch"."status"  IS NOT DISTINCT FROM "dim_account__journal"."status") AND ("_conform_dim_account_batch"."balance"  IS NOT DISTINCT FROM "dim_account__journal"."balance")
WHERE "dim_account__journal"."account_id" IS NULL
GROUP BY "_conform_dim_account_batch"."account_id", "_conform_dim_account_batch"."_conform_seq", "_conform_dim_account_batch"."_conform_op", "_conform_dim_account_batch"."status", "_conform_dim_account_batch"."balance";

-- count new events
-- measures EVENTS_NEW
SELECT COUNT(*) AS "rows"
FROM "_conform_dim_account_new_events";

-- find each key's new last event
CREATE TEMPORARY TABLE "_conform_dim_account_changed" AS
SELECT "account_id", "_conform_seq", "_conform_op", "status", "balance"
FROM (SELECT "account_id", "_conform_seq", "_conform_op", "status", "balance", ROW_NUMBER() OVER (PARTITION BY "account_id" ORDER BY "_conform_seq" DESC NULLS LAST, "_conform_op" DESC NULLS LAST, "status" DESC NULLS LAST, "balance" DESC NULLS LAST) AS "_conform_rn"
FROM (SELECT *
FROM "_conform_dim_account_new_events"
UNION ALL
SELECT "account_id", "_conform_seq", "_conform_op", "status", "balance"
FROM "dim_account__journal"
WHERE EXISTS (SELECT 1
FROM "_conform_dim_account_new_events" AS "_conform_dim_account_new_events0"
WHERE "dim_account__journal"."account_id" = "_conform_dim_account_new_events0"."account_id")) AS "t1") AS "t2"
WHERE "_conform_rn" = 1
EXCEPT
SELECT "account_id", "_conform_seq", "_conform_op", "status", "balance"
FROM "dim_account__journal" AS "dim_account__journal0"
WHERE EXISTS (SELECT 1
FROM "_conform_dim_account_new_events" AS "_conform_dim_account_new_events1"
WHERE "dim_account__journal0"."account_id" = "_conform_dim_account_new_events1"."account_id");

-- count new, changed and deleted keys
-- measures ROWS_INSERTED, ROWS_UPDATED, ROWS_DELETED
SELECT SUM("$f4") AS "new_keys", SUM("$f5") AS "changed_keys", SUM("$f6") AS "deleted_keys"
FROM (SELECT CASE WHEN NOT SUM("_conform_held") > 0 THEN SUM("_conform_upserts") ELSE 0 END AS "$f4", CASE WHEN SUM("_conform_held") > 0 THEN SUM("_conform_upserts") ELSE 0 END AS "$f5", CASE WHEN SUM("_conform_held") > 0 THEN SUM("_conform_deletes") ELSE 0 END AS "$f6"
FROM (SELECT "account_id", CASE WHEN "_conform_op" = 'U' THEN 1 ELSE 0 END AS "_conform_upserts", CASE WHEN "_conform_op" = 'D' THEN 1 ELSE 0 END AS "_conform_deletes", 0 AS "_conform_held"
FROM "_conform_dim_account_changed"
UNION ALL
SELECT "account_id", 0 AS "_conform_upserts", 0 AS "_conform_deletes", 1 AS "_conform_held"
FROM "dim_account"
WHERE EXISTS (SELECT 1
FROM "_conform_dim_account_changed" AS "_conform_dim_account_changed0"
WHERE "dim_account"."account_id" = "_conform_dim_account_changed0"."account_id")) AS "t2"
GROUP BY "account_id") AS "t4";

-- forget the replaced last events
DELETE FROM "dim_account__journal" AS t USING "_conform_dim_account_changed" k WHERE k."account_id" = t."account_id";

-- journal the last events
INSERT INTO "dim_account__journal" ("account_id", "_conform_seq", "_conform_op", "status", "balance")
SELECT *
FROM "_conform_dim_account_changed";

-- remove the changed rows
DELETE FROM "dim_account" AS t USING "_conform_dim_account_changed" k WHERE k."account_id" = t."account_id";

-- write the changed rows
INSERT INTO "dim_account" ("account_sk", "account_id", "status", "balance")
SELECT CAST(CAST('x0' || SUBSTR(MD5(COALESCE(CAST("account_id" AS VARCHAR), '\N') ), 1, 15) AS BIT(64)) AS BIGINT) AS "account_sk", "account_id", "status", "balance"
FROM "_conform_dim_account_changed"
WHERE "_conform_op" = 'U';

-- drop _conform_dim_account_changed
DROP TABLE IF EXISTS "_conform_dim_account_changed";

-- drop _conform_dim_account_new_events
DROP TABLE IF EXISTS "_conform_dim_account_new_events";

-- drop _conform_dim_account_batch
DROP VIEW IF EXISTS "_conform_dim_account_batch";

-- drop _conform_dim_account_staged
DROP VIEW IF EXISTS "_conform_dim_account_staged";
