SELECT
  `t9`.`customer_id`,
  `t9`.`_class` AS `class`,
  CAST(NULL AS DOUBLE) AS `score`,
  ARRAY(
    CAST(0 + IF(`t9`.`_l0_0`, 1, 0) + IF(`t9`.`annual_agreement` = '是', 2, 0) + IF(`t9`.`_c0`, 4, 0) + IF(`t9`.`_l1_0`, 8, 0) + IF(`t9`.`flag` = '战略', 16, 0) + IF(`t9`.`_c1`, 32, 0) + IF(`t9`.`_l2_0`, 64, 0) + IF(`t9`.`_c2`, 128, 0) + IF(`t9`.`_l3_0`, 256, 0) + IF(`t9`.`flag` = '重点', 512, 0) + IF(`t9`.`_c3`, 1024, 0) + IF(`t9`.`_l4_0`, 2048, 0) + IF(`t9`.`flag` = '贵宾', 4096, 0) + IF(`t9`.`_c4`, 8192, 0) + IF(`t9`.`_l5_0`, 16384, 0) + IF(`t9`.`flag` = '榜样', 32768, 0) + IF(`t9`.`_c5`, 65536, 0) + IF(`t9`.`_l6_0`, 131072, 0) + IF(`t9`.`flag` = '自由', 262144, 0) + IF(`t9`.`_c6`, 524288, 0) + IF(`t9`.`_l7_0`, 1048576, 0) + IF(`t9`.`_c7`, 2097152, 0) + IF(`t9`.`_l8_0`, 4194304, 0) + IF(`t9`.`_l8_1`, 8388608, 0) + IF(`t9`.`_c8`, 16777216, 0) + IF(`t9`.`annual_agreement` = 'yes', 33554432, 0) + IF(`t9`.`flag` = 'strategic', 67108864, 0) + IF(`t9`.`flag` = 'key', 134217728, 0) + IF(`t9`.`flag` = 'distinguished', 268435456, 0) + IF(`t9`.`flag` = 'model', 536870912, 0) + IF(`t9`.`flag` = 'free', 1073741824, 0) AS DOUBLE),
    CAST(`t9`.`revenue` AS DOUBLE),
    CAST(`t9`.`tenure_days` AS DOUBLE),
    CAST(`t9`.`lifetime_orders` AS DOUBLE),
    CAST(`t9`.`recency_days` AS DOUBLE)
  ) AS `why`,
  ARRAY(`t9`.`annual_agreement`, `t9`.`flag`) AS `why_text`
FROM (
  SELECT
    `t8`.`customer_id`,
    `t8`.`status`,
    `t8`.`revenue`,
    `t8`.`lifetime_orders`,
    `t8`.`recency_days`,
    `t8`.`tenure_days`,
    `t8`.`flag`,
    `t8`.`annual_agreement`,
    `t8`.`_c0`,
    `t8`.`_l0_0`,
    `t8`.`_c1`,
    `t8`.`_l1_0`,
    `t8`.`_c2`,
    `t8`.`_l2_0`,
    `t8`.`_c3`,
    `t8`.`_l3_0`,
    `t8`.`_c4`,
    `t8`.`_l4_0`,
    `t8`.`_c5`,
    `t8`.`_l5_0`,
    `t8`.`_c6`,
    `t8`.`_l6_0`,
    `t8`.`_c7`,
    `t8`.`_l7_0`,
    `t8`.`_c8`,
    `t8`.`_l8_0`,
    `t8`.`_l8_1`,
    RAND() AS `_barrier`,
    `t8`.`_class`
  FROM (
    SELECT
      `t7`.`customer_id`,
      `t7`.`status`,
      `t7`.`revenue`,
      `t7`.`lifetime_orders`,
      `t7`.`recency_days`,
      `t7`.`tenure_days`,
      `t7`.`flag`,
      `t7`.`annual_agreement`,
      `t7`.`_c0`,
      `t7`.`_l0_0`,
      `t7`.`_c1`,
      `t7`.`_l1_0`,
      `t7`.`_c2`,
      `t7`.`_l2_0`,
      `t7`.`_c3`,
      `t7`.`_l3_0`,
      `t7`.`_c4`,
      `t7`.`_l4_0`,
      `t7`.`_c5`,
      `t7`.`_l5_0`,
      `t7`.`_c6`,
      `t7`.`_l6_0`,
      `t7`.`_c7`,
      `t7`.`_l7_0`,
      `t7`.`_c8`,
      `t7`.`_l8_0`,
      `t7`.`_l8_1`,
      `t7`.`_barrier`,
      CASE
        WHEN `t7`.`_c0`
        THEN 'strategic'
        WHEN `t7`.`_c1`
        THEN 'strategic'
        WHEN `t7`.`_c2`
        THEN 'vip'
        WHEN `t7`.`_c3`
        THEN 'key'
        WHEN `t7`.`_c4`
        THEN 'distinguished'
        WHEN `t7`.`_c5`
        THEN 'model'
        WHEN `t7`.`_c6`
        THEN 'free'
        WHEN `t7`.`_c7`
        THEN 'new'
        WHEN `t7`.`_c8`
        THEN 'dormant'
        ELSE 'standard'
      END AS `_class`
    FROM (
      SELECT
        `t6`.`customer_id`,
        `t6`.`status`,
        `t6`.`revenue`,
        `t6`.`lifetime_orders`,
        `t6`.`recency_days`,
        `t6`.`tenure_days`,
        `t6`.`flag`,
        `t6`.`annual_agreement`,
        `t6`.`_c0`,
        `t6`.`_l0_0`,
        `t6`.`_c1`,
        `t6`.`_l1_0`,
        `t6`.`_c2`,
        `t6`.`_l2_0`,
        `t6`.`_c3`,
        `t6`.`_l3_0`,
        `t6`.`_c4`,
        `t6`.`_l4_0`,
        `t6`.`_c5`,
        `t6`.`_l5_0`,
        `t6`.`_c6`,
        `t6`.`_l6_0`,
        `t6`.`_c7`,
        `t6`.`_l7_0`,
        `t6`.`_c8`,
        `t6`.`_l8_0`,
        `t6`.`_l8_1`,
        RAND() AS `_barrier`
      FROM (
        SELECT
          `t5`.`customer_id`,
          `t5`.`status`,
          `t5`.`revenue`,
          `t5`.`lifetime_orders`,
          `t5`.`recency_days`,
          `t5`.`tenure_days`,
          `t5`.`flag`,
          `t5`.`annual_agreement`,
          COALESCE(`t5`.`annual_agreement` IN ('yes', '是'), FALSE) AS `_c0`,
          COALESCE(`t5`.`annual_agreement` IN ('yes', '是'), FALSE) AS `_l0_0`,
          COALESCE(`t5`.`flag` IN ('strategic', '战略'), FALSE) AS `_c1`,
          COALESCE(`t5`.`flag` IN ('strategic', '战略'), FALSE) AS `_l1_0`,
          COALESCE(`t5`.`revenue` >= 5000000, FALSE) AS `_c2`,
          COALESCE(`t5`.`revenue` >= 5000000, FALSE) AS `_l2_0`,
          COALESCE(`t5`.`flag` IN ('key', '重点'), FALSE) AS `_c3`,
          COALESCE(`t5`.`flag` IN ('key', '重点'), FALSE) AS `_l3_0`,
          COALESCE(`t5`.`flag` IN ('distinguished', '贵宾'), FALSE) AS `_c4`,
          COALESCE(`t5`.`flag` IN ('distinguished', '贵宾'), FALSE) AS `_l4_0`,
          COALESCE(`t5`.`flag` IN ('model', '榜样'), FALSE) AS `_c5`,
          COALESCE(`t5`.`flag` IN ('model', '榜样'), FALSE) AS `_l5_0`,
          COALESCE(`t5`.`flag` IN ('free', '自由'), FALSE) AS `_c6`,
          COALESCE(`t5`.`flag` IN ('free', '自由'), FALSE) AS `_l6_0`,
          COALESCE(`t5`.`tenure_days` <= 180, FALSE) AS `_c7`,
          COALESCE(`t5`.`tenure_days` <= 180, FALSE) AS `_l7_0`,
          COALESCE((
            `t5`.`lifetime_orders` <= 1
          ) OR (
            `t5`.`recency_days` >= 365
          ), FALSE) AS `_c8`,
          COALESCE(`t5`.`lifetime_orders` <= 1, FALSE) AS `_l8_0`,
          COALESCE(`t5`.`recency_days` >= 365, FALSE) AS `_l8_1`
        FROM (
          SELECT
            `t2`.`customer_id`,
            `t2`.`status`,
            `t2`.`revenue`,
            `t2`.`lifetime_orders`,
            `t2`.`recency_days`,
            `t2`.`tenure_days`,
            `t4`.`flag`,
            `t4`.`annual_agreement`
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
        WHERE
          `t5`.`status` <> 'prospect'
      ) AS `t6`
    ) AS `t7`
  ) AS `t8`
) AS `t9`
