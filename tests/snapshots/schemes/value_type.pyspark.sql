SELECT
  `t9`.`customer_id`,
  `t9`.`_class` AS `class`,
  CAST(NULL AS DOUBLE) AS `score`,
  ARRAY(
    CAST(0 + IF(`t9`.`_l0_0`, 1, 0) + IF(`t9`.`_c0`, 2, 0) + IF(`t9`.`_l1_0`, 4, 0) + IF(`t9`.`_c1`, 8, 0) + IF(`t9`.`_l2_0`, 16, 0) + IF(`t9`.`_l2_1`, 32, 0) + IF(`t9`.`_c2`, 64, 0) AS DOUBLE),
    CAST(`t9`.`gross_profit` AS DOUBLE),
    `t9`.`growth`
  ) AS `why`,
  CAST(NULL AS ARRAY<STRING>) AS `why_text`
FROM (
  SELECT
    `t8`.`customer_id`,
    `t8`.`status`,
    `t8`.`gross_profit`,
    `t8`.`growth`,
    `t8`.`_c0`,
    `t8`.`_l0_0`,
    `t8`.`_c1`,
    `t8`.`_l1_0`,
    `t8`.`_c2`,
    `t8`.`_l2_0`,
    `t8`.`_l2_1`,
    RAND() AS `_barrier`,
    `t8`.`_class`
  FROM (
    SELECT
      `t7`.`customer_id`,
      `t7`.`status`,
      `t7`.`gross_profit`,
      `t7`.`growth`,
      `t7`.`_c0`,
      `t7`.`_l0_0`,
      `t7`.`_c1`,
      `t7`.`_l1_0`,
      `t7`.`_c2`,
      `t7`.`_l2_0`,
      `t7`.`_l2_1`,
      `t7`.`_barrier`,
      CASE
        WHEN `t7`.`_c0`
        THEN 'BZC'
        WHEN `t7`.`_c1`
        THEN 'MVC'
        WHEN `t7`.`_c2`
        THEN 'MGC'
        ELSE 'other'
      END AS `_class`
    FROM (
      SELECT
        `t6`.`customer_id`,
        `t6`.`status`,
        `t6`.`gross_profit`,
        `t6`.`growth`,
        `t6`.`_c0`,
        `t6`.`_l0_0`,
        `t6`.`_c1`,
        `t6`.`_l1_0`,
        `t6`.`_c2`,
        `t6`.`_l2_0`,
        `t6`.`_l2_1`,
        RAND() AS `_barrier`
      FROM (
        SELECT
          `t5`.`customer_id`,
          `t5`.`status`,
          `t5`.`gross_profit`,
          `t5`.`growth`,
          COALESCE(`t5`.`gross_profit` < 0, FALSE) AS `_c0`,
          COALESCE(`t5`.`gross_profit` < 0, FALSE) AS `_l0_0`,
          COALESCE(`t5`.`gross_profit` >= 9030.896, FALSE) AS `_c1`,
          COALESCE(`t5`.`gross_profit` >= 9030.896, FALSE) AS `_l1_0`,
          COALESCE((
            `t5`.`growth` >= 0.2
          ) AND (
            `t5`.`gross_profit` > 0
          ), FALSE) AS `_c2`,
          COALESCE(`t5`.`growth` >= 0.2, FALSE) AS `_l2_0`,
          COALESCE(`t5`.`gross_profit` > 0, FALSE) AS `_l2_1`
        FROM (
          SELECT
            `t2`.`customer_id`,
            `t2`.`status`,
            `t2`.`gross_profit`,
            `t2`.`growth`
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
          `t5`.`status` = 'buyer'
      ) AS `t6`
    ) AS `t7`
  ) AS `t8`
) AS `t9`
