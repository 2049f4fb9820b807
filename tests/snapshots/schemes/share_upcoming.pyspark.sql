SELECT
  `t9`.`customer_id`,
  `t9`.`_class` AS `class`,
  CAST(NULL AS DOUBLE) AS `score`,
  ARRAY(
    `t9`.`_x0`,
    CAST(0 + IF(`t9`.`_h0`, 1, 0) + IF(`t9`.`_h1`, 2, 0) AS DOUBLE),
    `t9`.`_x1`
  ) AS `why`,
  CAST(NULL AS ARRAY<STRING>) AS `why_text`
FROM (
  SELECT
    `t8`.`customer_id`,
    `t8`.`status`,
    `t8`.`share_of_wallet`,
    `t8`.`upcoming_purchases`,
    `t8`.`_x0`,
    `t8`.`_h0`,
    `t8`.`_x1`,
    `t8`.`_h1`,
    RAND() AS `_barrier`,
    `t8`.`_class`
  FROM (
    SELECT
      `t7`.`customer_id`,
      `t7`.`status`,
      `t7`.`share_of_wallet`,
      `t7`.`upcoming_purchases`,
      `t7`.`_x0`,
      `t7`.`_h0`,
      `t7`.`_x1`,
      `t7`.`_h1`,
      `t7`.`_barrier`,
      CASE
        WHEN (
          `t7`.`_h0` = TRUE
        ) AND (
          `t7`.`_h1` = TRUE
        )
        THEN 'keep_close'
        WHEN (
          `t7`.`_h0` = TRUE
        ) AND (
          `t7`.`_h1` = FALSE
        )
        THEN 'keep_or_acquire'
        WHEN (
          `t7`.`_h0` = FALSE
        ) AND (
          `t7`.`_h1` = TRUE
        )
        THEN 'develop'
        WHEN (
          `t7`.`_h0` = FALSE
        ) AND (
          `t7`.`_h1` = FALSE
        )
        THEN 'acquire_or_abandon'
        ELSE NULL
      END AS `_class`
    FROM (
      SELECT
        `t6`.`customer_id`,
        `t6`.`status`,
        `t6`.`share_of_wallet`,
        `t6`.`upcoming_purchases`,
        `t6`.`_x0`,
        `t6`.`_h0`,
        `t6`.`_x1`,
        `t6`.`_h1`,
        RAND() AS `_barrier`
      FROM (
        SELECT
          `t5`.`customer_id`,
          `t5`.`status`,
          `t5`.`share_of_wallet`,
          `t5`.`upcoming_purchases`,
          `t5`.`share_of_wallet` AS `_x0`,
          COALESCE(`t5`.`share_of_wallet` >= 0.5, FALSE) AS `_h0`,
          `t5`.`upcoming_purchases` AS `_x1`,
          COALESCE(`t5`.`upcoming_purchases` >= 27000.0, FALSE) AS `_h1`
        FROM (
          SELECT
            `t2`.`customer_id`,
            `t2`.`status`,
            `t4`.`share_of_wallet`,
            `t4`.`upcoming_purchases`
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
