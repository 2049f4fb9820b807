SELECT
  `t9`.`customer_id`,
  `t9`.`_class` AS `class`,
  CAST(NULL AS DOUBLE) AS `score`,
  ARRAY(
    CAST(0 + IF(`t9`.`_l0_0`, 1, 0) + IF(`t9`.`_l0_1`, 2, 0) + IF(`t9`.`_c0`, 4, 0) + IF(`t9`.`_l1_0`, 8, 0) + IF(`t9`.`_l1_1`, 16, 0) + IF(`t9`.`_c1`, 32, 0) + IF(`t9`.`_l2_0`, 64, 0) + IF(`t9`.`_c2`, 128, 0) AS DOUBLE),
    CAST(`t9`.`revenue` AS DOUBLE),
    CAST(`t9`.`active_months` AS DOUBLE)
  ) AS `why`,
  CAST(NULL AS ARRAY<STRING>) AS `why_text`
FROM (
  SELECT
    `t8`.`customer_id`,
    `t8`.`status`,
    `t8`.`revenue`,
    `t8`.`active_months`,
    `t8`.`_c0`,
    `t8`.`_l0_0`,
    `t8`.`_l0_1`,
    `t8`.`_c1`,
    `t8`.`_l1_0`,
    `t8`.`_l1_1`,
    `t8`.`_c2`,
    `t8`.`_l2_0`,
    RAND() AS `_barrier`,
    `t8`.`_class`
  FROM (
    SELECT
      `t7`.`customer_id`,
      `t7`.`status`,
      `t7`.`revenue`,
      `t7`.`active_months`,
      `t7`.`_c0`,
      `t7`.`_l0_0`,
      `t7`.`_l0_1`,
      `t7`.`_c1`,
      `t7`.`_l1_0`,
      `t7`.`_l1_1`,
      `t7`.`_c2`,
      `t7`.`_l2_0`,
      `t7`.`_barrier`,
      CASE
        WHEN `t7`.`_c0`
        THEN 'gold'
        WHEN `t7`.`_c1`
        THEN 'silver'
        WHEN `t7`.`_c2`
        THEN 'member'
        ELSE 'ordinary'
      END AS `_class`
    FROM (
      SELECT
        `t6`.`customer_id`,
        `t6`.`status`,
        `t6`.`revenue`,
        `t6`.`active_months`,
        `t6`.`_c0`,
        `t6`.`_l0_0`,
        `t6`.`_l0_1`,
        `t6`.`_c1`,
        `t6`.`_l1_0`,
        `t6`.`_l1_1`,
        `t6`.`_c2`,
        `t6`.`_l2_0`,
        RAND() AS `_barrier`
      FROM (
        SELECT
          `t5`.`customer_id`,
          `t5`.`status`,
          `t5`.`revenue`,
          `t5`.`active_months`,
          COALESCE(
            (
              `t5`.`revenue` >= 129303.44599999991
            ) AND (
              `t5`.`active_months` >= 6
            ),
            FALSE
          ) AS `_c0`,
          COALESCE(`t5`.`revenue` >= 129303.44599999991, FALSE) AS `_l0_0`,
          COALESCE(`t5`.`active_months` >= 6, FALSE) AS `_l0_1`,
          COALESCE((
            `t5`.`revenue` >= 25289.715
          ) AND (
            `t5`.`active_months` >= 6
          ), FALSE) AS `_c1`,
          COALESCE(`t5`.`revenue` >= 25289.715, FALSE) AS `_l1_0`,
          COALESCE(`t5`.`active_months` >= 6, FALSE) AS `_l1_1`,
          COALESCE(`t5`.`active_months` >= 6, FALSE) AS `_c2`,
          COALESCE(`t5`.`active_months` >= 6, FALSE) AS `_l2_0`
        FROM (
          SELECT
            `t2`.`customer_id`,
            `t2`.`status`,
            `t2`.`revenue`,
            `t2`.`active_months`
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
