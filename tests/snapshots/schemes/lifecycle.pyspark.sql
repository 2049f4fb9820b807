SELECT
  `t9`.`customer_id`,
  `t9`.`_class` AS `class`,
  CAST(NULL AS DOUBLE) AS `score`,
  ARRAY(
    CAST(0 + IF(`t9`.`_l0_0`, 1, 0) + IF(`t9`.`_l0_1`, 2, 0) + IF(`t9`.`_l0_2`, 4, 0) + IF(`t9`.`_l0_3`, 8, 0) + IF(`t9`.`_c0`, 16, 0) + IF(`t9`.`_l1_0`, 32, 0) + IF(`t9`.`_l1_1`, 64, 0) + IF(`t9`.`_l1_2`, 128, 0) + IF(`t9`.`_l1_3`, 256, 0) + IF(`t9`.`_c1`, 512, 0) + IF(`t9`.`_l2_0`, 1024, 0) + IF(`t9`.`_l2_1`, 2048, 0) + IF(`t9`.`_c2`, 4096, 0) + IF(`t9`.`_l3_0`, 8192, 0) + IF(`t9`.`_c3`, 16384, 0) + IF(`t9`.`_l4_0`, 32768, 0) + IF(`t9`.`_l4_1`, 65536, 0) + IF(`t9`.`_c4`, 131072, 0) AS DOUBLE),
    `t9`.`p_alive`,
    CAST(`t9`.`recency_days` AS DOUBLE),
    CAST(`t9`.`lifetime_orders` AS DOUBLE),
    CAST(`t9`.`active_months` AS DOUBLE),
    `t9`.`repurchase_days`
  ) AS `why`,
  CAST(NULL AS ARRAY<STRING>) AS `why_text`
FROM (
  SELECT
    `t8`.`customer_id`,
    `t8`.`status`,
    `t8`.`lifetime_orders`,
    `t8`.`first_order_date`,
    `t8`.`recency_days`,
    `t8`.`active_months`,
    `t8`.`repurchase_days`,
    `t8`.`p_alive`,
    `t8`.`_c0`,
    `t8`.`_l0_0`,
    `t8`.`_l0_1`,
    `t8`.`_l0_2`,
    `t8`.`_l0_3`,
    `t8`.`_c1`,
    `t8`.`_l1_0`,
    `t8`.`_l1_1`,
    `t8`.`_l1_2`,
    `t8`.`_l1_3`,
    `t8`.`_c2`,
    `t8`.`_l2_0`,
    `t8`.`_l2_1`,
    `t8`.`_c3`,
    `t8`.`_l3_0`,
    `t8`.`_c4`,
    `t8`.`_l4_0`,
    `t8`.`_l4_1`,
    RAND() AS `_barrier`,
    `t8`.`_class`
  FROM (
    SELECT
      `t7`.`customer_id`,
      `t7`.`status`,
      `t7`.`lifetime_orders`,
      `t7`.`first_order_date`,
      `t7`.`recency_days`,
      `t7`.`active_months`,
      `t7`.`repurchase_days`,
      `t7`.`p_alive`,
      `t7`.`_c0`,
      `t7`.`_l0_0`,
      `t7`.`_l0_1`,
      `t7`.`_l0_2`,
      `t7`.`_l0_3`,
      `t7`.`_c1`,
      `t7`.`_l1_0`,
      `t7`.`_l1_1`,
      `t7`.`_l1_2`,
      `t7`.`_l1_3`,
      `t7`.`_c2`,
      `t7`.`_l2_0`,
      `t7`.`_l2_1`,
      `t7`.`_c3`,
      `t7`.`_l3_0`,
      `t7`.`_c4`,
      `t7`.`_l4_0`,
      `t7`.`_l4_1`,
      `t7`.`_barrier`,
      CASE
        WHEN `t7`.`_c0`
        THEN 'dormant_permanent'
        WHEN `t7`.`_c1`
        THEN 'dormant_temporary'
        WHEN `t7`.`_c2`
        THEN 'loyal'
        WHEN `t7`.`_c3`
        THEN 'returning'
        WHEN `t7`.`_c4`
        THEN 'new'
        ELSE 'prospect'
      END AS `_class`
    FROM (
      SELECT
        `t6`.`customer_id`,
        `t6`.`status`,
        `t6`.`lifetime_orders`,
        `t6`.`first_order_date`,
        `t6`.`recency_days`,
        `t6`.`active_months`,
        `t6`.`repurchase_days`,
        `t6`.`p_alive`,
        `t6`.`_c0`,
        `t6`.`_l0_0`,
        `t6`.`_l0_1`,
        `t6`.`_l0_2`,
        `t6`.`_l0_3`,
        `t6`.`_c1`,
        `t6`.`_l1_0`,
        `t6`.`_l1_1`,
        `t6`.`_l1_2`,
        `t6`.`_l1_3`,
        `t6`.`_c2`,
        `t6`.`_l2_0`,
        `t6`.`_l2_1`,
        `t6`.`_c3`,
        `t6`.`_l3_0`,
        `t6`.`_c4`,
        `t6`.`_l4_0`,
        `t6`.`_l4_1`,
        RAND() AS `_barrier`
      FROM (
        SELECT
          `t5`.`customer_id`,
          `t5`.`status`,
          `t5`.`lifetime_orders`,
          `t5`.`first_order_date`,
          `t5`.`recency_days`,
          `t5`.`active_months`,
          `t5`.`repurchase_days`,
          `t5`.`p_alive`,
          COALESCE(
            (
              `t5`.`p_alive` < 0.1
            )
            OR (
              (
                `t5`.`p_alive` IS NULL
                OR ISNAN(`t5`.`p_alive`)
                OR (
                  `t5`.`repurchase_days` IS NULL OR ISNAN(`t5`.`repurchase_days`)
                )
              )
              AND (
                `t5`.`recency_days` > 730
              )
            ),
            FALSE
          ) AS `_c0`,
          COALESCE(`t5`.`p_alive` < 0.1, FALSE) AS `_l0_0`,
          COALESCE(`t5`.`p_alive` IS NULL OR ISNAN(`t5`.`p_alive`), FALSE) AS `_l0_1`,
          COALESCE(`t5`.`repurchase_days` IS NULL OR ISNAN(`t5`.`repurchase_days`), FALSE) AS `_l0_2`,
          COALESCE(`t5`.`recency_days` > 730, FALSE) AS `_l0_3`,
          COALESCE(
            (
              `t5`.`p_alive` < 0.5
            )
            OR (
              (
                `t5`.`p_alive` IS NULL
                OR ISNAN(`t5`.`p_alive`)
                OR (
                  `t5`.`repurchase_days` IS NULL OR ISNAN(`t5`.`repurchase_days`)
                )
              )
              AND (
                `t5`.`recency_days` > 180
              )
            ),
            FALSE
          ) AS `_c1`,
          COALESCE(`t5`.`p_alive` < 0.5, FALSE) AS `_l1_0`,
          COALESCE(`t5`.`p_alive` IS NULL OR ISNAN(`t5`.`p_alive`), FALSE) AS `_l1_1`,
          COALESCE(`t5`.`repurchase_days` IS NULL OR ISNAN(`t5`.`repurchase_days`), FALSE) AS `_l1_2`,
          COALESCE(`t5`.`recency_days` > 180, FALSE) AS `_l1_3`,
          COALESCE((
            `t5`.`lifetime_orders` >= 10
          ) AND (
            `t5`.`active_months` >= 6
          ), FALSE) AS `_c2`,
          COALESCE(`t5`.`lifetime_orders` >= 10, FALSE) AS `_l2_0`,
          COALESCE(`t5`.`active_months` >= 6, FALSE) AS `_l2_1`,
          COALESCE(`t5`.`lifetime_orders` >= 2, FALSE) AS `_c3`,
          COALESCE(`t5`.`lifetime_orders` >= 2, FALSE) AS `_l3_0`,
          COALESCE(
            (
              `t5`.`lifetime_orders` <= 1
            ) AND (
              NOT `t5`.`first_order_date` IS NULL
            ),
            FALSE
          ) AS `_c4`,
          COALESCE(`t5`.`lifetime_orders` <= 1, FALSE) AS `_l4_0`,
          COALESCE(NOT `t5`.`first_order_date` IS NULL, FALSE) AS `_l4_1`
        FROM (
          SELECT
            `t2`.`customer_id`,
            `t2`.`status`,
            `t2`.`lifetime_orders`,
            `t2`.`first_order_date`,
            `t2`.`recency_days`,
            `t2`.`active_months`,
            `t2`.`repurchase_days`,
            `t2`.`p_alive`
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
