-- model dim_subscriber

-- create dim_subscriber
CREATE TABLE IF NOT EXISTS `dim_subscriber` (`subscriber_sk` BIGINT, `customer_id` BIGINT, `full_name` STRING, `plan` STRING, `city` STRING, `valid_from` TIMESTAMP, `valid_to` TIMESTAMP, `is_current` BOOLEAN, `is_deleted` BOOLEAN);

-- create dim_subscriber__journal
CREATE TABLE IF NOT EXISTS `dim_subscriber__journal` (`customer_id` BIGINT, `_conform_seq` TIMESTAMP, `_conform_tb0` BIGINT, `_conform_op` STRING, `full_name` STRING, `plan` STRING, `city` STRING);

-- create dim_subscriber__rejects
CREATE TABLE IF NOT EXISTS `dim_subscriber__rejects` (`run_id` BIGINT, `origin` STRING, `reason` STRING, `record` STRING);

-- load source crm_customers
-- load crm_customers from CSV [/data/crm_customers.csv] as (customer_id bigint, first_name string, last_name string, plan_code string, city string, op string, updated_at timestamp, txn_id bigint) into _conform_dim_subscriber_raw, rows that do not convert into _conform_dim_subscriber_raw_rejects (counted as tally rows_not_converted)

-- reject rows that do not convert
-- runs only when tally rows_not_converted is not 0
INSERT INTO `dim_subscriber__rejects` (`run_id`, `origin`, `reason`, `record`)
SELECT 1 `$f0`, `_conform_origin`, `_conform_reason`, `_conform_record`
FROM `_conform_dim_subscriber_raw_rejects`;

-- stage dim_subscriber
CREATE TEMPORARY VIEW `_conform_dim_subscriber_staged` AS
SELECT `customer_id`, `_conform_seq`, `_conform_tb0`, `_conform_op`, `full_name`, `plan`, `city`, `_conform_origin`, `_conform_reason`, `_conform_check`, `_conform_record`
FROM (SELECT `customer_id`, `updated_at` `_conform_seq`, CAST(`txn_id` AS BIGINT) `_conform_tb0`, CASE WHEN `op` = 'D' THEN 'D' ELSE 'U' END `_conform_op`, CASE WHEN `op` = 'D' THEN NULL ELSE CAST(TRIM(`first_name`) || ' ' || `last_name` AS STRING) END `full_name`, CASE WHEN `op` = 'D' THEN NULL ELSE CAST(CASE WHEN `plan_code` = 'PRE' THEN 'prepaid' WHEN `plan_code` = 'POST' THEN 'postpaid' ELSE 'unknown' END AS STRING) END `plan`, CASE WHEN `op` = 'D' THEN NULL ELSE CAST(UPPER(`city`) AS STRING) END `city`, `_conform_origin`, CASE WHEN `customer_id` IS NULL THEN CAST('business key column \'customer_id\' is null' AS STRING) WHEN `updated_at` IS NULL THEN CAST('sequence \'updated_at\' is null' AS STRING) WHEN CASE WHEN CASE WHEN `op` = 'D' THEN 'D' ELSE 'U' END = 'D' THEN NULL WHEN NOT `first_name` IS NOT NULL THEN CAST('check failed: not_null(first_name)' AS STRING) WHEN NOT (`plan_code` IS NULL OR `plan_code` IN ('POST', 'PRE')) THEN CAST('check failed: accepted_values(plan_code, [\'PRE\', \'POST\'])' AS STRING) ELSE NULL END IS NOT NULL THEN CAST(CASE WHEN CASE WHEN `op` = 'D' THEN 'D' ELSE 'U' END = 'D' THEN NULL WHEN NOT `first_name` IS NOT NULL THEN CAST('check failed: not_null(first_name)' AS STRING) WHEN NOT (`plan_code` IS NULL OR `plan_code` IN ('POST', 'PRE')) THEN CAST('check failed: accepted_values(plan_code, [\'PRE\', \'POST\'])' AS STRING) ELSE NULL END AS STRING) ELSE NULL END `_conform_reason`, CASE WHEN CASE WHEN `op` = 'D' THEN 'D' ELSE 'U' END = 'D' THEN NULL WHEN NOT `first_name` IS NOT NULL THEN CAST('check failed: not_null(first_name)' AS STRING) WHEN NOT (`plan_code` IS NULL OR `plan_code` IN ('POST', 'PRE')) THEN CAST('check failed: accepted_values(plan_code, [\'PRE\', \'POST\'])' AS STRING) ELSE NULL END `_conform_check`, CASE WHEN CASE WHEN `customer_id` IS NULL THEN CAST('business key column \'customer_id\' is null' AS STRING) WHEN `updated_at` IS NULL THEN CAST('sequence \'updated_at\' is null' AS STRING) WHEN CASE WHEN CASE WHEN `op` = 'D' THEN 'D' ELSE 'U' END = 'D' THEN NULL WHEN NOT `first_name` IS NOT NULL THEN CAST('check failed: not_null(first_name)' AS STRING) WHEN NOT (`plan_code` IS NULL OR `plan_code` IN ('POST', 'PRE')) THEN CAST('check failed: accepted_values(plan_code, [\'PRE\', \'POST\'])' AS STRING) ELSE NULL END IS NOT NULL THEN CAST(CASE WHEN CASE WHEN `op` = 'D' THEN 'D' ELSE 'U' END = 'D' THEN NULL WHEN NOT `first_name` IS NOT NULL THEN CAST('check failed: not_null(first_name)' AS STRING) WHEN NOT (`plan_code` IS NULL OR `plan_code` IN ('POST', 'PRE')) THEN CAST('check failed: accepted_values(plan_code, [\'PRE\', \'POST\'])' AS STRING) ELSE NULL END AS STRING) ELSE NULL END IS NOT NULL THEN 'customer_id=' || COALESCE(CAST(`customer_id` AS STRING), 'null') || (', first_name=' || COALESCE(CAST(`first_name` AS STRING), 'null')) || (', last_name=' || COALESCE(CAST(`last_name` AS STRING), 'null')) || (', plan_code=' || COALESCE(CAST(`plan_code` AS STRING), 'null')) || (', city=' || COALESCE(CAST(`city` AS STRING), 'null')) || (', op=' || COALESCE(CAST(`op` AS STRING), 'null')) || (', updated_at=' || COALESCE(CAST(`updated_at` AS STRING), 'null')) || (', txn_id=' || COALESCE(CAST(`txn_id` AS STRING), 'null')) ELSE NULL END `_conform_record`, CASE WHEN `op` = 'D' THEN TRUE ELSE `customer_id` < 9000 END `_conform_keep`
FROM `_conform_dim_subscriber_raw`) `t0`
WHERE `_conform_reason` IS NOT NULL OR `_conform_keep` IS TRUE;

-- reject rows without key or sequence, or failing a check
-- counts ROWS_REJECTED
INSERT INTO `dim_subscriber__rejects` (`run_id`, `origin`, `reason`, `record`)
SELECT 1 `$f0`, `_conform_origin`, `_conform_reason`, `_conform_record`
FROM `_conform_dim_subscriber_staged`
WHERE `_conform_reason` IS NOT NULL;

-- collect the batch's events
CREATE TEMPORARY VIEW `_conform_dim_subscriber_batch` AS
SELECT `customer_id`, `_conform_seq`, `_conform_tb0`, `_conform_op`, `full_name`, `plan`, `city`
FROM `_conform_dim_subscriber_staged`
WHERE `_conform_reason` IS NULL;

-- find the keys the batch touches
CREATE TEMPORARY VIEW `_conform_dim_subscriber_impacted` AS
SELECT `customer_id`
FROM `_conform_dim_subscriber_batch`
GROUP BY `customer_id`;

-- read the versions of those keys
CREATE TEMPORARY VIEW `_conform_dim_subscriber_history` AS
SELECT `dim_subscriber`.`subscriber_sk`, `dim_subscriber`.`customer_id`, `dim_subscriber`.`full_name`, `dim_subscriber`.`plan`, `dim_subscriber`.`city`, `dim_subscriber`.`valid_from`, `dim_subscriber`.`valid_to`, `dim_subscriber`.`is_current`, `dim_subscriber`.`is_deleted`, `dim_subscriber`.`_file` `_conform_rowid_file`, `dim_subscriber`.`_pos` `_conform_rowid_pos`
FROM `dim_subscriber`
INNER JOIN `_conform_dim_subscriber_impacted` ON `dim_subscriber`.`customer_id` = `_conform_dim_subscriber_impacted`.`customer_id`;

-- read the journaled events of those keys
CREATE TEMPORARY VIEW `_conform_dim_subscriber_logged` AS
SELECT `dim_subscriber__journal`.`customer_id`, `dim_subscriber__journal`.`_conform_seq`, `dim_subscriber__journal`.`_conform_tb0`, `dim_subscriber__journal`.`_conform_op`, `dim_subscriber__journal`.`full_name`, `dim_subscriber__journal`.`plan`, `dim_subscriber__journal`.`city`, `dim_subscriber__journal`.`_file` `_conform_rowid_file`, `dim_subscriber__journal`.`_pos` `_conform_rowid_pos`
FROM `dim_subscriber__journal`
INNER JOIN `_conform_dim_subscriber_impacted` ON `dim_subscriber__journal`.`customer_id` = `_conform_dim_subscriber_impacted`.`customer_id`;

-- collect the events applied before
CREATE TEMPORARY VIEW `_conform_dim_subscriber_applied` AS
SELECT `customer_id`, `_conform_seq`, `_conform_tb0`, `_conform_op`, `full_name`, `plan`, `city`
FROM `_conform_dim_subscriber_logged`;

-- find where each changed key's history changes
CREATE TEMPORARY VIEW `_conform_dim_subscriber_anchors` AS
SELECT `t1`.`customer_id`, `t1`.`_conform_min_seq`, MAX(`_conform_dim_subscriber_history`.`valid_from`) `_conform_from_seq`
FROM (SELECT `_conform_dim_subscriber_batch`.`customer_id`, MIN(`_conform_dim_subscriber_batch`.`_conform_seq`) `_conform_min_seq`
FROM `_conform_dim_subscriber_batch`
LEFT JOIN `_conform_dim_subscriber_applied` ON `_conform_dim_subscriber_batch`.`customer_id` = `_conform_dim_subscriber_applied`.`customer_id` AND (`_conform_dim_subscriber_batch`.`_conform_seq` = `_conform_dim_subscriber_applied`.`_conform_seq` AND (`_conform_dim_subscriber_batch`.`_conform_tb0`  IS NOT DISTINCT FROM `_conform_dim_subscriber_applied`.`_conform_tb0`)) AND ((`_conform_dim_subscriber_batch`.`_conform_op`  IS NOT DISTINCT FROM `_conform_dim_subscriber_applied`.`_conform_op`) AND (`_conform_dim_subscriber_batch`.`full_name`  IS NOT DISTINCT FROM `_conform_dim_subscriber_applied`.`full_name`) AND ((`_conform_dim_subscriber_batch`.`plan`  IS NOT DISTINCT FROM `_conform_dim_subscriber_applied`.`plan`) AND (`_conform_dim_subscriber_batch`.`city`  IS NOT DISTINCT FROM `_conform_dim_subscriber_applied`.`city`)))
WHERE `_conform_dim_subscriber_applied`.`customer_id` IS NULL
GROUP BY `_conform_dim_subscriber_batch`.`customer_id`) `t1`
LEFT JOIN `_conform_dim_subscriber_history` ON `t1`.`customer_id` = `_conform_dim_subscriber_history`.`customer_id` AND `t1`.`_conform_min_seq` > `_conform_dim_subscriber_history`.`valid_from`
GROUP BY `t1`.`customer_id`, `t1`.`_conform_min_seq`;

-- gather the events to replay
CREATE TEMPORARY VIEW `_conform_dim_subscriber_replay` AS
SELECT `_conform_dim_subscriber_batch`.`customer_id`, `_conform_dim_subscriber_batch`.`_conform_seq`, `_conform_dim_subscriber_batch`.`_conform_tb0`, `_conform_dim_subscriber_batch`.`_conform_op`, `_conform_dim_subscriber_batch`.`full_name`, `_conform_dim_subscriber_batch`.`plan`, `_conform_dim_subscriber_batch`.`city`, FALSE `_conform_ctx`, TRUE `_conform_new`
FROM `_conform_dim_subscriber_batch`
LEFT JOIN `_conform_dim_subscriber_applied` ON `_conform_dim_subscriber_batch`.`customer_id` = `_conform_dim_subscriber_applied`.`customer_id` AND (`_conform_dim_subscriber_batch`.`_conform_seq` = `_conform_dim_subscriber_applied`.`_conform_seq` AND (`_conform_dim_subscriber_batch`.`_conform_tb0`  IS NOT DISTINCT FROM `_conform_dim_subscriber_applied`.`_conform_tb0`)) AND ((`_conform_dim_subscriber_batch`.`_conform_op`  IS NOT DISTINCT FROM `_conform_dim_subscriber_applied`.`_conform_op`) AND (`_conform_dim_subscriber_batch`.`full_name`  IS NOT DISTINCT FROM `_conform_dim_subscriber_applied`.`full_name`) AND ((`_conform_dim_subscriber_batch`.`plan`  IS NOT DISTINCT FROM `_conform_dim_subscriber_applied`.`plan`) AND (`_conform_dim_subscriber_batch`.`city`  IS NOT DISTINCT FROM `_conform_dim_subscriber_applied`.`city`)))
WHERE `_conform_dim_subscriber_applied`.`customer_id` IS NULL
UNION ALL
SELECT `_conform_dim_subscriber_applied0`.`customer_id`, `_conform_dim_subscriber_applied0`.`_conform_seq`, `_conform_dim_subscriber_applied0`.`_conform_tb0`, `_conform_dim_subscriber_applied0`.`_conform_op`, `_conform_dim_subscriber_applied0`.`full_name`, `_conform_dim_subscriber_applied0`.`plan`, `_conform_dim_subscriber_applied0`.`city`, FALSE `_conform_ctx`, FALSE `_conform_new`
FROM `_conform_dim_subscriber_applied` `_conform_dim_subscriber_applied0`
INNER JOIN `_conform_dim_subscriber_anchors` ON `_conform_dim_subscriber_applied0`.`customer_id` = `_conform_dim_subscriber_anchors`.`customer_id` AND (`_conform_dim_subscriber_anchors`.`_conform_from_seq` IS NULL OR `_conform_dim_subscriber_applied0`.`_conform_seq` >= `_conform_dim_subscriber_anchors`.`_conform_from_seq`)
UNION ALL
SELECT `customer_id`, `_conform_seq`, `_conform_tb0`, `_conform_op`, `full_name`, `plan`, `city`, TRUE `_conform_ctx`, FALSE `_conform_new`
FROM (SELECT `_conform_dim_subscriber_applied1`.`customer_id`, `_conform_dim_subscriber_applied1`.`_conform_seq`, `_conform_dim_subscriber_applied1`.`_conform_tb0`, `_conform_dim_subscriber_applied1`.`_conform_op`, `_conform_dim_subscriber_applied1`.`full_name`, `_conform_dim_subscriber_applied1`.`plan`, `_conform_dim_subscriber_applied1`.`city`, ROW_NUMBER() OVER (PARTITION BY `_conform_dim_subscriber_applied1`.`customer_id` ORDER BY `_conform_dim_subscriber_applied1`.`_conform_seq` DESC, `_conform_dim_subscriber_applied1`.`_conform_tb0` DESC, `_conform_dim_subscriber_applied1`.`_conform_op` DESC, `_conform_dim_subscriber_applied1`.`plan` DESC, `_conform_dim_subscriber_applied1`.`city` DESC, `_conform_dim_subscriber_applied1`.`full_name` DESC) `_conform_rn`
FROM `_conform_dim_subscriber_applied` `_conform_dim_subscriber_applied1`
INNER JOIN `_conform_dim_subscriber_anchors` `_conform_dim_subscriber_anchors0` ON `_conform_dim_subscriber_applied1`.`customer_id` = `_conform_dim_subscriber_anchors0`.`customer_id` AND `_conform_dim_subscriber_applied1`.`_conform_seq` < `_conform_dim_subscriber_anchors0`.`_conform_from_seq`) `t3`
WHERE `t3`.`_conform_rn` = 1;

-- find where versions start and end
CREATE TEMPORARY VIEW `_conform_dim_subscriber_boundaries` AS
SELECT `customer_id`, `_conform_seq`, `_conform_tb0`, `_conform_op`, `full_name`, `plan`, `city`, `_conform_ctx`, `_conform_new`, CASE WHEN `_conform_prev__conform_seq` IS NULL THEN TRUE ELSE CASE WHEN `_conform_op` <> `_conform_prev__conform_op` THEN TRUE WHEN `_conform_op` = 'D' THEN FALSE ELSE NOT (`plan`  IS NOT DISTINCT FROM `_conform_prev_plan`) OR NOT (`city`  IS NOT DISTINCT FROM `_conform_prev_city`) END END `_conform_opens`, CASE WHEN `_conform_next_seq` IS NULL THEN TRUE ELSE CASE WHEN `_conform_op` <> `_conform_next__conform_op` THEN TRUE WHEN `_conform_op` = 'D' THEN FALSE ELSE NOT (`plan`  IS NOT DISTINCT FROM `_conform_next_plan`) OR NOT (`city`  IS NOT DISTINCT FROM `_conform_next_city`) END END `_conform_last`, CASE WHEN `_conform_prev__conform_seq` IS NULL THEN FALSE ELSE `_conform_prev__conform_seq` = `_conform_seq` AND ((`_conform_prev__conform_op`  IS NOT DISTINCT FROM `_conform_op`) AND (`_conform_prev_plan`  IS NOT DISTINCT FROM `plan`)) AND ((`_conform_prev_city`  IS NOT DISTINCT FROM `city`) AND ((`_conform_prev__conform_tb0`  IS NOT DISTINCT FROM `_conform_tb0`) AND (`_conform_prev_full_name`  IS NOT DISTINCT FROM `full_name`))) END `_conform_dup`, TRUE `_conform_journal`, `_conform_next_seq`
FROM (SELECT `customer_id`, `_conform_seq`, `_conform_tb0`, `_conform_op`, `full_name`, `plan`, `city`, `_conform_ctx`, `_conform_new`, LAG(`_conform_seq`) OVER (PARTITION BY `customer_id` ORDER BY `_conform_seq`, `_conform_tb0`, `_conform_op`, `plan`, `city`, `full_name`) `_conform_prev__conform_seq`, LEAD(`_conform_seq`) OVER (PARTITION BY `customer_id` ORDER BY `_conform_seq`, `_conform_tb0`, `_conform_op`, `plan`, `city`, `full_name`) `_conform_next_seq`, LAG(`_conform_op`) OVER (PARTITION BY `customer_id` ORDER BY `_conform_seq`, `_conform_tb0`, `_conform_op`, `plan`, `city`, `full_name`) `_conform_prev__conform_op`, LEAD(`_conform_op`) OVER (PARTITION BY `customer_id` ORDER BY `_conform_seq`, `_conform_tb0`, `_conform_op`, `plan`, `city`, `full_name`) `_conform_next__conform_op`, LAG(`plan`) OVER (PARTITION BY `customer_id` ORDER BY `_conform_seq`, `_conform_tb0`, `_conform_op`, `plan`, `city`, `full_name`) `_conform_prev_plan`, LEAD(`plan`) OVER (PARTITION BY `customer_id` ORDER BY `_conform_seq`, `_conform_tb0`, `_conform_op`, `plan`, `city`, `full_name`) `_conform_next_plan`, LAG(`city`) OVER (PARTITION BY `customer_id` ORDER BY `_conform_seq`, `_conform_tb0`, `_conform_op`, `plan`, `city`, `full_name`) `_conform_prev_city`, LEAD(`city`) OVER (PARTITION BY `customer_id` ORDER BY `_conform_seq`, `_conform_tb0`, `_conform_op`, `plan`, `city`, `full_name`) `_conform_next_city`, LAG(`_conform_tb0`) OVER (PARTITION BY `customer_id` ORDER BY `_conform_seq`, `_conform_tb0`, `_conform_op`, `plan`, `city`, `full_name`) `_conform_prev__conform_tb0`, LAG(`full_name`) OVER (PARTITION BY `customer_id` ORDER BY `_conform_seq`, `_conform_tb0`, `_conform_op`, `plan`, `city`, `full_name`) `_conform_prev_full_name`
FROM `_conform_dim_subscriber_replay`) `t`
WHERE `_conform_prev__conform_seq` IS NULL OR `_conform_prev__conform_seq` IS NOT NULL;

-- count new events
-- measures EVENTS_NEW
SELECT COUNT(*) `rows`
FROM `_conform_dim_subscriber_boundaries`
WHERE `_conform_new` IS TRUE AND `_conform_dup` IS FALSE;

-- replay events into versions
CREATE TEMPORARY VIEW `_conform_dim_subscriber_versions` AS
SELECT CONFORM_HASH64(`customer_id`, `_conform_group__conform_seq`, `_conform_group__conform_tb0`, `_conform_op`, `plan`, `city`) `subscriber_sk`, `customer_id`, `full_name`, `plan`, `city`, `_conform_group__conform_seq` `valid_from`, `_conform_next_seq` `valid_to`, `_conform_next_seq` IS NULL `is_current`, `_conform_op` = 'D' `is_deleted`
FROM (SELECT `customer_id`, `_conform_seq`, `_conform_tb0`, `_conform_op`, `full_name`, `plan`, `city`, `_conform_ctx`, `_conform_new`, `_conform_opens`, `_conform_last`, `_conform_next_seq`, `_conform_seq` `_conform_group__conform_seq`, `_conform_ctx` `_conform_group__conform_ctx`, `_conform_tb0` `_conform_group__conform_tb0`
FROM `_conform_dim_subscriber_boundaries`
WHERE `_conform_opens` IS TRUE AND `_conform_last` IS TRUE) `t0`
WHERE `_conform_last` IS TRUE AND `_conform_group__conform_ctx` IS FALSE
UNION ALL
SELECT CONFORM_HASH64(`customer_id`, `_conform_group__conform_seq`, `_conform_group__conform_tb0`, `_conform_op`, `plan`, `city`) `subscriber_sk`, `customer_id`, `full_name`, `plan`, `city`, `_conform_group__conform_seq` `valid_from`, `_conform_next_seq` `valid_to`, `_conform_next_seq` IS NULL `is_current`, `_conform_op` = 'D' `is_deleted`
FROM (SELECT `customer_id`, `_conform_seq`, `_conform_tb0`, `_conform_op`, `full_name`, `plan`, `city`, `_conform_ctx`, `_conform_new`, `_conform_opens`, `_conform_last`, `_conform_next_seq`, CASE WHEN `_conform_opens` IS TRUE THEN `_conform_seq` ELSE LAG(`_conform_seq`) OVER (PARTITION BY `customer_id` ORDER BY `_conform_seq`, `_conform_tb0`, `_conform_op`, `plan`, `city`, `full_name`) END `_conform_group__conform_seq`, CASE WHEN `_conform_opens` IS TRUE THEN `_conform_ctx` ELSE LAG(`_conform_ctx`) OVER (PARTITION BY `customer_id` ORDER BY `_conform_seq`, `_conform_tb0`, `_conform_op`, `plan`, `city`, `full_name`) END `_conform_group__conform_ctx`, CASE WHEN `_conform_opens` IS TRUE THEN `_conform_tb0` ELSE LAG(`_conform_tb0`) OVER (PARTITION BY `customer_id` ORDER BY `_conform_seq`, `_conform_tb0`, `_conform_op`, `plan`, `city`, `full_name`) END `_conform_group__conform_tb0`
FROM `_conform_dim_subscriber_boundaries`
WHERE (`_conform_opens` IS TRUE OR `_conform_last` IS TRUE) AND NOT (`_conform_opens` IS TRUE AND `_conform_last` IS TRUE)) `t4`
WHERE `_conform_last` IS TRUE AND `_conform_group__conform_ctx` IS FALSE;

-- keep the rows being rewritten
CREATE TEMPORARY VIEW `_conform_dim_subscriber_replaced` AS
SELECT `_conform_dim_subscriber_history`.`subscriber_sk`, `_conform_dim_subscriber_history`.`customer_id`, `_conform_dim_subscriber_history`.`full_name`, `_conform_dim_subscriber_history`.`plan`, `_conform_dim_subscriber_history`.`city`, `_conform_dim_subscriber_history`.`valid_from`, `_conform_dim_subscriber_history`.`valid_to`, `_conform_dim_subscriber_history`.`is_current`, `_conform_dim_subscriber_history`.`is_deleted`, `_conform_dim_subscriber_history`.`_conform_rowid_file`, `_conform_dim_subscriber_history`.`_conform_rowid_pos`
FROM `_conform_dim_subscriber_history`
INNER JOIN `_conform_dim_subscriber_anchors` ON `_conform_dim_subscriber_history`.`customer_id` = `_conform_dim_subscriber_anchors`.`customer_id` AND (`_conform_dim_subscriber_anchors`.`_conform_from_seq` IS NULL OR `_conform_dim_subscriber_history`.`valid_from` >= `_conform_dim_subscriber_anchors`.`_conform_from_seq`);

-- count inserted, closed and removed versions
-- measures ROWS_INSERTED, ROWS_CLOSED, ROWS_DELETED
SELECT SUM(`$f9`) `inserted`, SUM(`$f10`) `closed`, SUM(`$f11`) `removed`
FROM (SELECT CASE WHEN SUM(`_conform_replayed`) > SUM(`_conform_replaced`) THEN SUM(`_conform_replayed`) - SUM(`_conform_replaced`) ELSE 0 END `$f9`, CASE WHEN SUM(`_conform_replayed_closed`) < SUM(`_conform_replaced_open`) THEN SUM(`_conform_replayed_closed`) ELSE SUM(`_conform_replaced_open`) END `$f10`, CASE WHEN SUM(`_conform_replaced`) > SUM(`_conform_replayed`) THEN SUM(`_conform_replaced`) - SUM(`_conform_replayed`) ELSE 0 END `$f11`
FROM (SELECT `customer_id`, `valid_from`, `plan`, `city`, `is_deleted`, 1 `_conform_replayed`, CASE WHEN `is_current` IS FALSE THEN 1 ELSE 0 END `_conform_replayed_closed`, 0 `_conform_replaced`, 0 `_conform_replaced_open`
FROM `_conform_dim_subscriber_versions`
UNION ALL
SELECT `customer_id`, `valid_from`, `plan`, `city`, `is_deleted`, 0 `_conform_replayed`, 0 `_conform_replayed_closed`, 1 `_conform_replaced`, CASE WHEN `is_current` IS TRUE THEN 1 ELSE 0 END `_conform_replaced_open`
FROM `_conform_dim_subscriber_replaced`) `t1`
GROUP BY `customer_id`, `valid_from`, `plan`, `city`, `is_deleted`) `t3`;

-- remove the rewritten history of impacted keys
DELETE FROM `dim_subscriber` t WHERE EXISTS (SELECT 1 FROM (SELECT `_conform_rowid_file`, `_conform_rowid_pos`
FROM `_conform_dim_subscriber_replaced`) r WHERE r.`_conform_rowid_file` = t.`_file` AND r.`_conform_rowid_pos` = t.`_pos`);

-- write the replayed versions
INSERT INTO `dim_subscriber` (`subscriber_sk`, `customer_id`, `full_name`, `plan`, `city`, `valid_from`, `valid_to`, `is_current`, `is_deleted`)
SELECT *
FROM `_conform_dim_subscriber_versions`;

-- forget the journaled events being replayed
DELETE FROM `dim_subscriber__journal` t WHERE EXISTS (SELECT 1 FROM (SELECT `_conform_dim_subscriber_logged`.`_conform_rowid_file`, `_conform_dim_subscriber_logged`.`_conform_rowid_pos`
FROM `_conform_dim_subscriber_logged`
INNER JOIN `_conform_dim_subscriber_anchors` ON `_conform_dim_subscriber_logged`.`customer_id` = `_conform_dim_subscriber_anchors`.`customer_id` AND (`_conform_dim_subscriber_anchors`.`_conform_from_seq` IS NULL OR `_conform_dim_subscriber_logged`.`_conform_seq` >= `_conform_dim_subscriber_anchors`.`_conform_from_seq`)) r WHERE r.`_conform_rowid_file` = t.`_file` AND r.`_conform_rowid_pos` = t.`_pos`);

-- journal the events the versions do not show
INSERT INTO `dim_subscriber__journal` (`customer_id`, `_conform_seq`, `_conform_tb0`, `_conform_op`, `full_name`, `plan`, `city`)
SELECT `customer_id`, `_conform_seq`, `_conform_tb0`, `_conform_op`, `full_name`, `plan`, `city`
FROM `_conform_dim_subscriber_boundaries`
WHERE `_conform_journal` IS TRUE AND `_conform_dup` IS FALSE AND `_conform_ctx` IS FALSE;

-- drop _conform_dim_subscriber_replaced
DROP VIEW IF EXISTS `_conform_dim_subscriber_replaced`;

-- drop _conform_dim_subscriber_versions
DROP VIEW IF EXISTS `_conform_dim_subscriber_versions`;

-- drop _conform_dim_subscriber_boundaries
DROP VIEW IF EXISTS `_conform_dim_subscriber_boundaries`;

-- drop _conform_dim_subscriber_replay
DROP VIEW IF EXISTS `_conform_dim_subscriber_replay`;

-- drop _conform_dim_subscriber_anchors
DROP VIEW IF EXISTS `_conform_dim_subscriber_anchors`;

-- drop _conform_dim_subscriber_applied
DROP VIEW IF EXISTS `_conform_dim_subscriber_applied`;

-- drop _conform_dim_subscriber_logged
DROP VIEW IF EXISTS `_conform_dim_subscriber_logged`;

-- drop _conform_dim_subscriber_history
DROP VIEW IF EXISTS `_conform_dim_subscriber_history`;

-- drop _conform_dim_subscriber_impacted
DROP VIEW IF EXISTS `_conform_dim_subscriber_impacted`;

-- drop _conform_dim_subscriber_batch
DROP VIEW IF EXISTS `_conform_dim_subscriber_batch`;

-- drop _conform_dim_subscriber_staged
DROP VIEW IF EXISTS `_conform_dim_subscriber_staged`;
