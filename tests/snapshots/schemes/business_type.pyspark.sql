SELECT
  `t9`.`customer_id`,
  `t9`.`_class` AS `class`,
  CAST(NULL AS DOUBLE) AS `score`,
  ARRAY(
    CAST(0 + IF(`t9`.`_l0_0`, 1, 0) + IF(`t9`.`_c0`, 2, 0) + IF(`t9`.`_l1_0`, 4, 0) + IF(`t9`.`_c1`, 8, 0) + IF(`t9`.`_l2_0`, 16, 0) + IF(`t9`.`_c2`, 32, 0) + IF(`t9`.`_l3_0`, 64, 0) + IF(`t9`.`_c3`, 128, 0) AS DOUBLE)
  ) AS `why`,
  ARRAY(`t9`.`type`) AS `why_text`
FROM (
  SELECT
    `t8`.`customer_id`,
    `t8`.`status`,
    `t8`.`type`,
    `t8`.`_c0`,
    `t8`.`_l0_0`,
    `t8`.`_c1`,
    `t8`.`_l1_0`,
    `t8`.`_c2`,
    `t8`.`_l2_0`,
    `t8`.`_c3`,
    `t8`.`_l3_0`,
    RAND() AS `_barrier`,
    `t8`.`_class`
  FROM (
    SELECT
      `t7`.`customer_id`,
      `t7`.`status`,
      `t7`.`type`,
      `t7`.`_c0`,
      `t7`.`_l0_0`,
      `t7`.`_c1`,
      `t7`.`_l1_0`,
      `t7`.`_c2`,
      `t7`.`_l2_0`,
      `t7`.`_c3`,
      `t7`.`_l3_0`,
      `t7`.`_barrier`,
      CASE
        WHEN `t7`.`_c0`
        THEN 'construction'
        WHEN `t7`.`_c1`
        THEN 'trading'
        WHEN `t7`.`_c2`
        THEN 'operation_centre'
        WHEN `t7`.`_c3`
        THEN 'project_retail'
        ELSE 'other'
      END AS `_class`
    FROM (
      SELECT
        `t6`.`customer_id`,
        `t6`.`status`,
        `t6`.`type`,
        `t6`.`_c0`,
        `t6`.`_l0_0`,
        `t6`.`_c1`,
        `t6`.`_l1_0`,
        `t6`.`_c2`,
        `t6`.`_l2_0`,
        `t6`.`_c3`,
        `t6`.`_l3_0`,
        RAND() AS `_barrier`
      FROM (
        SELECT
          `t5`.`customer_id`,
          `t5`.`status`,
          `t5`.`type`,
          COALESCE(
            `t5`.`type` IN (
              '建筑工程公司',
              '建筑公司',
              '工程公司',
              '工程商',
              '装修公司',
              '装饰公司',
              'construction',
              'Construction',
              'contractor',
              'Contractor',
              'decoration',
              'Decoration'
            ),
            FALSE
          ) AS `_c0`,
          COALESCE(
            `t5`.`type` IN (
              '建筑工程公司',
              '建筑公司',
              '工程公司',
              '工程商',
              '装修公司',
              '装饰公司',
              'construction',
              'Construction',
              'contractor',
              'Contractor',
              'decoration',
              'Decoration'
            ),
            FALSE
          ) AS `_l0_0`,
          COALESCE(
            `t5`.`type` IN (
              '贸易公司',
              '贸易商',
              '经销商',
              'trading',
              'Trading',
              'trader',
              'Trader',
              'distributor',
              'Distributor',
              'dealer',
              'Dealer'
            ),
            FALSE
          ) AS `_c1`,
          COALESCE(
            `t5`.`type` IN (
              '贸易公司',
              '贸易商',
              '经销商',
              'trading',
              'Trading',
              'trader',
              'Trader',
              'distributor',
              'Distributor',
              'dealer',
              'Dealer'
            ),
            FALSE
          ) AS `_l1_0`,
          COALESCE(
            `t5`.`type` IN (
              '运营中心',
              'operation centre',
              'Operation centre',
              'operation center',
              'Operation center'
            ),
            FALSE
          ) AS `_c2`,
          COALESCE(
            `t5`.`type` IN (
              '运营中心',
              'operation centre',
              'Operation centre',
              'operation center',
              'Operation center'
            ),
            FALSE
          ) AS `_l2_0`,
          COALESCE(
            `t5`.`type` IN (
              '工程方零售',
              '建筑工程方零售',
              '零售店',
              '零售',
              'project retail',
              'Project retail',
              'retail',
              'Retail'
            ),
            FALSE
          ) AS `_c3`,
          COALESCE(
            `t5`.`type` IN (
              '工程方零售',
              '建筑工程方零售',
              '零售店',
              '零售',
              'project retail',
              'Project retail',
              'retail',
              'Retail'
            ),
            FALSE
          ) AS `_l3_0`
        FROM (
          SELECT
            `t2`.`customer_id`,
            `t2`.`status`,
            `t4`.`type`
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
