SELECT
  `t9`.`customer_id`,
  `t9`.`_class` AS `class`,
  CAST(NULL AS DOUBLE) AS `score`,
  ARRAY(
    CAST(0 + IF(`t9`.`_l0_0`, 1, 0) + IF(`t9`.`_c0`, 2, 0) + IF(`t9`.`_l1_0`, 4, 0) + IF(`t9`.`_l1_1`, 8, 0) + IF(`t9`.`_c1`, 16, 0) + IF(`t9`.`_l2_0`, 32, 0) + IF(`t9`.`_c2`, 64, 0) + IF(`t9`.`_l3_0`, 128, 0) + IF(`t9`.`_c3`, 256, 0) + IF(`t9`.`_l4_0`, 512, 0) + IF(`t9`.`_c4`, 1024, 0) AS DOUBLE),
    `t9`.`repurchase_days`,
    CAST(`t9`.`recency_days` AS DOUBLE),
    CAST(`t9`.`days_since_contact` AS DOUBLE)
  ) AS `why`,
  ARRAY(CAST(`t9`.`last_order_date` AS STRING), CAST(`t9`.`last_contact_date` AS STRING)) AS `why_text`
FROM (
  SELECT
    `t8`.`customer_id`,
    `t8`.`status`,
    `t8`.`last_order_date`,
    `t8`.`recency_days`,
    `t8`.`repurchase_days`,
    `t8`.`last_contact_date`,
    `t8`.`days_since_contact`,
    `t8`.`_c0`,
    `t8`.`_l0_0`,
    `t8`.`_c1`,
    `t8`.`_l1_0`,
    `t8`.`_l1_1`,
    `t8`.`_c2`,
    `t8`.`_l2_0`,
    `t8`.`_c3`,
    `t8`.`_l3_0`,
    `t8`.`_c4`,
    `t8`.`_l4_0`,
    RAND() AS `_barrier`,
    `t8`.`_class`
  FROM (
    SELECT
      `t7`.`customer_id`,
      `t7`.`status`,
      `t7`.`last_order_date`,
      `t7`.`recency_days`,
      `t7`.`repurchase_days`,
      `t7`.`last_contact_date`,
      `t7`.`days_since_contact`,
      `t7`.`_c0`,
      `t7`.`_l0_0`,
      `t7`.`_c1`,
      `t7`.`_l1_0`,
      `t7`.`_l1_1`,
      `t7`.`_c2`,
      `t7`.`_l2_0`,
      `t7`.`_c3`,
      `t7`.`_l3_0`,
      `t7`.`_c4`,
      `t7`.`_l4_0`,
      `t7`.`_barrier`,
      CASE
        WHEN `t7`.`_c0`
        THEN 'never_purchased'
        WHEN `t7`.`_c1`
        THEN 'used_up'
        WHEN `t7`.`_c2`
        THEN 'no_repurchase'
        WHEN `t7`.`_c3`
        THEN 'never_followed_up'
        WHEN `t7`.`_c4`
        THEN 'not_followed_up'
        ELSE 'up_to_date'
      END AS `_class`
    FROM (
      SELECT
        `t6`.`customer_id`,
        `t6`.`status`,
        `t6`.`last_order_date`,
        `t6`.`recency_days`,
        `t6`.`repurchase_days`,
        `t6`.`last_contact_date`,
        `t6`.`days_since_contact`,
        `t6`.`_c0`,
        `t6`.`_l0_0`,
        `t6`.`_c1`,
        `t6`.`_l1_0`,
        `t6`.`_l1_1`,
        `t6`.`_c2`,
        `t6`.`_l2_0`,
        `t6`.`_c3`,
        `t6`.`_l3_0`,
        `t6`.`_c4`,
        `t6`.`_l4_0`,
        RAND() AS `_barrier`
      FROM (
        SELECT
          `t5`.`customer_id`,
          `t5`.`status`,
          `t5`.`last_order_date`,
          `t5`.`recency_days`,
          `t5`.`repurchase_days`,
          `t5`.`last_contact_date`,
          `t5`.`days_since_contact`,
          COALESCE(`t5`.`last_order_date` IS NULL, FALSE) AS `_c0`,
          COALESCE(`t5`.`last_order_date` IS NULL, FALSE) AS `_l0_0`,
          COALESCE(
            (
              `t5`.`recency_days` >= `t5`.`repurchase_days`
            )
            AND (
              `t5`.`recency_days` < 90
            ),
            FALSE
          ) AS `_c1`,
          COALESCE(`t5`.`recency_days` >= `t5`.`repurchase_days`, FALSE) AS `_l1_0`,
          COALESCE(`t5`.`recency_days` < 90, FALSE) AS `_l1_1`,
          COALESCE(`t5`.`recency_days` >= 90, FALSE) AS `_c2`,
          COALESCE(`t5`.`recency_days` >= 90, FALSE) AS `_l2_0`,
          COALESCE(`t5`.`last_contact_date` IS NULL, FALSE) AS `_c3`,
          COALESCE(`t5`.`last_contact_date` IS NULL, FALSE) AS `_l3_0`,
          COALESCE(`t5`.`days_since_contact` >= 30, FALSE) AS `_c4`,
          COALESCE(`t5`.`days_since_contact` >= 30, FALSE) AS `_l4_0`
        FROM (
          SELECT
            `t2`.`customer_id`,
            `t2`.`status`,
            `t2`.`last_order_date`,
            `t2`.`recency_days`,
            `t2`.`repurchase_days`,
            `t2`.`last_contact_date`,
            `t2`.`days_since_contact`
          FROM `tw_tw_metrics` AS `t2`
          LEFT OUTER JOIN (
            SELECT
              `t1`.`customer_id`,
              `t1`.`type`,
              `t1`.`outlet`,
              `t1`.`created_date`,
              `t1`.`payment_terms_days`,
              `t1`.`scale`,
              `t1`.`management_level`,
              `t1`.`purchasing_power`,
              `t1`.`marketing_level`,
              `t1`.`growth_ability`,
              `t1`.`competitive_advantage`,
              `t1`.`intent`,
              `t1`.`share_of_wallet`,
              `t1`.`upcoming_purchases`,
              `t1`.`flag`,
              `t1`.`annual_agreement`,
              `t1`.`personality`,
              `t1`.`credit_grade_finance`
            FROM `tw_customers` AS `t1`
          ) AS `t4`
            ON `t2`.`customer_id` = `t4`.`customer_id`
        ) AS `t5`
      ) AS `t6`
    ) AS `t7`
  ) AS `t8`
) AS `t9`
