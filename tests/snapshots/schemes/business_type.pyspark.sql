SELECT
  `t9`.`customer_id`,
  `t9`.`_class` AS `class`,
  CAST(NULL AS DOUBLE) AS `score`,
  ARRAY(
    CAST(0 + IF(`t9`.`_l0_0`, 1, 0) + IF(`t9`.`type` = '建筑工程公司', 2, 0) + IF(`t9`.`type` = '建筑公司', 4, 0) + IF(`t9`.`type` = '工程公司', 8, 0) + IF(`t9`.`type` = '工程商', 16, 0) + IF(`t9`.`type` = '装修公司', 32, 0) + IF(`t9`.`type` = '装饰公司', 64, 0) + IF(`t9`.`_c0`, 128, 0) + IF(`t9`.`_l1_0`, 256, 0) + IF(`t9`.`type` = '贸易公司', 512, 0) + IF(`t9`.`type` = '贸易商', 1024, 0) + IF(`t9`.`type` = '经销商', 2048, 0) + IF(`t9`.`_c1`, 4096, 0) + IF(`t9`.`_l2_0`, 8192, 0) + IF(`t9`.`type` = '运营中心', 16384, 0) + IF(`t9`.`_c2`, 32768, 0) + IF(`t9`.`_l3_0`, 65536, 0) + IF(`t9`.`type` = '工程方零售', 131072, 0) + IF(`t9`.`type` = '建筑工程方零售', 262144, 0) + IF(`t9`.`type` = '零售店', 524288, 0) + IF(`t9`.`type` = '零售', 1048576, 0) + IF(`t9`.`_c3`, 2097152, 0) + IF(`t9`.`type` = 'construction', 4194304, 0) + IF(`t9`.`type` = 'Construction', 8388608, 0) + IF(`t9`.`type` = 'contractor', 16777216, 0) + IF(`t9`.`type` = 'Contractor', 33554432, 0) + IF(`t9`.`type` = 'decoration', 67108864, 0) + IF(`t9`.`type` = 'Decoration', 134217728, 0) + IF(`t9`.`type` = 'trading', 268435456, 0) + IF(`t9`.`type` = 'Trading', 536870912, 0) + IF(`t9`.`type` = 'trader', 1073741824, 0) + IF(`t9`.`type` = 'Trader', 2147483648, 0) + IF(`t9`.`type` = 'distributor', 4294967296, 0) + IF(`t9`.`type` = 'Distributor', 8589934592, 0) + IF(`t9`.`type` = 'dealer', 17179869184, 0) + IF(`t9`.`type` = 'Dealer', 34359738368, 0) + IF(`t9`.`type` = 'operation centre', 68719476736, 0) + IF(`t9`.`type` = 'Operation centre', 137438953472, 0) + IF(`t9`.`type` = 'operation center', 274877906944, 0) + IF(`t9`.`type` = 'Operation center', 549755813888, 0) + IF(`t9`.`type` = 'project retail', 1099511627776, 0) + IF(`t9`.`type` = 'Project retail', 2199023255552, 0) + IF(`t9`.`type` = 'retail', 4398046511104, 0) + IF(`t9`.`type` = 'Retail', 8796093022208, 0) AS DOUBLE)
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
