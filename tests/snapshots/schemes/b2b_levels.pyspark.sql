SELECT
  `t10`.`customer_id`,
  `t10`.`class`,
  `t10`.`score`,
  `t10`.`reason_en`,
  `t10`.`reason_zh`
FROM (
  SELECT
    `t9`.`customer_id`,
    `t9`.`status`,
    `t9`.`revenue`,
    `t9`.`lifetime_orders`,
    `t9`.`recency_days`,
    `t9`.`tenure_days`,
    `t9`.`flag`,
    `t9`.`annual_agreement`,
    `t9`.`_c0`,
    `t9`.`_l0_0`,
    `t9`.`_c1`,
    `t9`.`_l1_0`,
    `t9`.`_c2`,
    `t9`.`_l2_0`,
    `t9`.`_c3`,
    `t9`.`_l3_0`,
    `t9`.`_c4`,
    `t9`.`_l4_0`,
    `t9`.`_c5`,
    `t9`.`_l5_0`,
    `t9`.`_c6`,
    `t9`.`_l6_0`,
    `t9`.`_c7`,
    `t9`.`_l7_0`,
    `t9`.`_c8`,
    `t9`.`_l8_0`,
    `t9`.`_l8_1`,
    `t9`.`_barrier`,
    `t9`.`_class`,
    `t9`.`_class` AS `class`,
    CAST(NULL AS DOUBLE) AS `score`,
    CASE
      WHEN `t9`.`_c0`
      THEN CONCAT(
        'strategic: ',
        COALESCE(
          IF(
            `t9`.`_l0_0`,
            CONCAT(
              CONCAT(CONCAT('annual_agreement ', COALESCE(`t9`.`annual_agreement`, 'n/a')), ' in '),
              '[yes, 是]'
            ),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c1`
      THEN CONCAT(
        'strategic: ',
        COALESCE(
          IF(
            `t9`.`_l1_0`,
            CONCAT(CONCAT(CONCAT('flag ', COALESCE(`t9`.`flag`, 'n/a')), ' in '), '[strategic, 战略]'),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c2`
      THEN CONCAT(
        'VIP: ',
        COALESCE(
          IF(
            `t9`.`_l2_0`,
            CONCAT(
              CONCAT(
                CONCAT(
                  'revenue ',
                  COALESCE(
                    CONCAT(
                      CONCAT(
                        IF(
                          (
                            `t9`.`revenue` < 0
                          )
                          AND (
                            CAST(ROUND(ABS(CAST(`t9`.`revenue` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                          ),
                          '-',
                          ''
                        ),
                        '¥'
                      ),
                      FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`revenue` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                    ),
                    'n/a'
                  )
                ),
                ' ≥ '
              ),
              '¥5,000,000'
            ),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c3`
      THEN CONCAT(
        'key: ',
        COALESCE(
          IF(
            `t9`.`_l3_0`,
            CONCAT(CONCAT(CONCAT('flag ', COALESCE(`t9`.`flag`, 'n/a')), ' in '), '[key, 重点]'),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c4`
      THEN CONCAT(
        'distinguished: ',
        COALESCE(
          IF(
            `t9`.`_l4_0`,
            CONCAT(
              CONCAT(CONCAT('flag ', COALESCE(`t9`.`flag`, 'n/a')), ' in '),
              '[distinguished, 贵宾]'
            ),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c5`
      THEN CONCAT(
        'model: ',
        COALESCE(
          IF(
            `t9`.`_l5_0`,
            CONCAT(CONCAT(CONCAT('flag ', COALESCE(`t9`.`flag`, 'n/a')), ' in '), '[model, 榜样]'),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c6`
      THEN CONCAT(
        'free: ',
        COALESCE(
          IF(
            `t9`.`_l6_0`,
            CONCAT(CONCAT(CONCAT('flag ', COALESCE(`t9`.`flag`, 'n/a')), ' in '), '[free, 自由]'),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c7`
      THEN CONCAT(
        'new: ',
        COALESCE(
          IF(
            `t9`.`_l7_0`,
            CONCAT(
              CONCAT(
                CONCAT(
                  'tenure ',
                  COALESCE(
                    CONCAT(
                      CONCAT(
                        IF(
                          (
                            `t9`.`tenure_days` < 0
                          )
                          AND (
                            CAST(ROUND(ABS(CAST(`t9`.`tenure_days` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                          ),
                          '-',
                          ''
                        ),
                        FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`tenure_days` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                      ),
                      IF(
                        FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`tenure_days` AS DOUBLE)) * 1, 0) AS BIGINT), 0) = '1',
                        ' day',
                        ' days'
                      )
                    ),
                    'n/a'
                  )
                ),
                ' ≤ '
              ),
              '180 days'
            ),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c8`
      THEN CONCAT(
        'dormant: ',
        CONCAT_WS(
          '; ',
          IF(
            `t9`.`_l8_0`,
            CONCAT(
              CONCAT(
                CONCAT(
                  'lifetime orders ',
                  COALESCE(
                    CONCAT(
                      IF(
                        (
                          `t9`.`lifetime_orders` < 0
                        )
                        AND (
                          CAST(ROUND(ABS(CAST(`t9`.`lifetime_orders` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                        ),
                        '-',
                        ''
                      ),
                      FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`lifetime_orders` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                    ),
                    'n/a'
                  )
                ),
                ' ≤ '
              ),
              '1'
            ),
            CAST(NULL AS STRING)
          ),
          IF(
            `t9`.`_l8_1`,
            CONCAT(
              CONCAT(
                CONCAT(
                  'days since last order ',
                  COALESCE(
                    CONCAT(
                      CONCAT(
                        IF(
                          (
                            `t9`.`recency_days` < 0
                          )
                          AND (
                            CAST(ROUND(ABS(CAST(`t9`.`recency_days` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                          ),
                          '-',
                          ''
                        ),
                        FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`recency_days` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                      ),
                      IF(
                        FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`recency_days` AS DOUBLE)) * 1, 0) AS BIGINT), 0) = '1',
                        ' day',
                        ' days'
                      )
                    ),
                    'n/a'
                  )
                ),
                ' ≥ '
              ),
              '365 days'
            ),
            CAST(NULL AS STRING)
          )
        )
      )
      ELSE CONCAT(
        CONCAT(
          'standard: no rule matched (',
          CONCAT_WS(
            ', ',
            CONCAT('annual_agreement ', COALESCE(`t9`.`annual_agreement`, 'n/a')),
            CONCAT('flag ', COALESCE(`t9`.`flag`, 'n/a')),
            CONCAT(
              'revenue ',
              COALESCE(
                CONCAT(
                  CONCAT(
                    IF(
                      (
                        `t9`.`revenue` < 0
                      )
                      AND (
                        CAST(ROUND(ABS(CAST(`t9`.`revenue` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                      ),
                      '-',
                      ''
                    ),
                    '¥'
                  ),
                  FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`revenue` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                ),
                'n/a'
              )
            ),
            CONCAT(
              'tenure ',
              COALESCE(
                CONCAT(
                  CONCAT(
                    IF(
                      (
                        `t9`.`tenure_days` < 0
                      )
                      AND (
                        CAST(ROUND(ABS(CAST(`t9`.`tenure_days` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                      ),
                      '-',
                      ''
                    ),
                    FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`tenure_days` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                  ),
                  IF(
                    FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`tenure_days` AS DOUBLE)) * 1, 0) AS BIGINT), 0) = '1',
                    ' day',
                    ' days'
                  )
                ),
                'n/a'
              )
            )
          )
        ),
        ')'
      )
    END AS `reason_en`,
    CASE
      WHEN `t9`.`_c0`
      THEN CONCAT(
        '战略客户：',
        COALESCE(
          IF(
            `t9`.`_l0_0`,
            CONCAT(
              CONCAT(CONCAT('annual_agreement ', COALESCE(`t9`.`annual_agreement`, '无')), ' 属于 '),
              '[yes, 是]'
            ),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c1`
      THEN CONCAT(
        '战略客户：',
        COALESCE(
          IF(
            `t9`.`_l1_0`,
            CONCAT(CONCAT(CONCAT('flag ', COALESCE(`t9`.`flag`, '无')), ' 属于 '), '[strategic, 战略]'),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c2`
      THEN CONCAT(
        'VIP：',
        COALESCE(
          IF(
            `t9`.`_l2_0`,
            CONCAT(
              CONCAT(
                CONCAT(
                  '销售额 ',
                  COALESCE(
                    CONCAT(
                      CONCAT(
                        IF(
                          (
                            `t9`.`revenue` < 0
                          )
                          AND (
                            CAST(ROUND(ABS(CAST(`t9`.`revenue` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                          ),
                          '-',
                          ''
                        ),
                        '¥'
                      ),
                      FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`revenue` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                    ),
                    '无'
                  )
                ),
                ' ≥ '
              ),
              '¥5,000,000'
            ),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c3`
      THEN CONCAT(
        'key 重点客户：',
        COALESCE(
          IF(
            `t9`.`_l3_0`,
            CONCAT(CONCAT(CONCAT('flag ', COALESCE(`t9`.`flag`, '无')), ' 属于 '), '[key, 重点]'),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c4`
      THEN CONCAT(
        '贵宾客户：',
        COALESCE(
          IF(
            `t9`.`_l4_0`,
            CONCAT(CONCAT(CONCAT('flag ', COALESCE(`t9`.`flag`, '无')), ' 属于 '), '[distinguished, 贵宾]'),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c5`
      THEN CONCAT(
        '榜样客户：',
        COALESCE(
          IF(
            `t9`.`_l5_0`,
            CONCAT(CONCAT(CONCAT('flag ', COALESCE(`t9`.`flag`, '无')), ' 属于 '), '[model, 榜样]'),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c6`
      THEN CONCAT(
        'free 自由客户：',
        COALESCE(
          IF(
            `t9`.`_l6_0`,
            CONCAT(CONCAT(CONCAT('flag ', COALESCE(`t9`.`flag`, '无')), ' 属于 '), '[free, 自由]'),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c7`
      THEN CONCAT(
        'new 新客户：',
        COALESCE(
          IF(
            `t9`.`_l7_0`,
            CONCAT(
              CONCAT(
                CONCAT(
                  '客户时长 ',
                  COALESCE(
                    CONCAT(
                      CONCAT(
                        IF(
                          (
                            `t9`.`tenure_days` < 0
                          )
                          AND (
                            CAST(ROUND(ABS(CAST(`t9`.`tenure_days` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                          ),
                          '-',
                          ''
                        ),
                        FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`tenure_days` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                      ),
                      '天'
                    ),
                    '无'
                  )
                ),
                ' ≤ '
              ),
              '180天'
            ),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c8`
      THEN CONCAT(
        '休眠客户：',
        CONCAT_WS(
          '；',
          IF(
            `t9`.`_l8_0`,
            CONCAT(
              CONCAT(
                CONCAT(
                  '累计订单数 ',
                  COALESCE(
                    CONCAT(
                      IF(
                        (
                          `t9`.`lifetime_orders` < 0
                        )
                        AND (
                          CAST(ROUND(ABS(CAST(`t9`.`lifetime_orders` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                        ),
                        '-',
                        ''
                      ),
                      FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`lifetime_orders` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                    ),
                    '无'
                  )
                ),
                ' ≤ '
              ),
              '1'
            ),
            CAST(NULL AS STRING)
          ),
          IF(
            `t9`.`_l8_1`,
            CONCAT(
              CONCAT(
                CONCAT(
                  '距最近购买天数 ',
                  COALESCE(
                    CONCAT(
                      CONCAT(
                        IF(
                          (
                            `t9`.`recency_days` < 0
                          )
                          AND (
                            CAST(ROUND(ABS(CAST(`t9`.`recency_days` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                          ),
                          '-',
                          ''
                        ),
                        FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`recency_days` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                      ),
                      '天'
                    ),
                    '无'
                  )
                ),
                ' ≥ '
              ),
              '365天'
            ),
            CAST(NULL AS STRING)
          )
        )
      )
      ELSE CONCAT(
        CONCAT(
          '普通客户：未满足其他规则（',
          CONCAT_WS(
            '，',
            CONCAT('annual_agreement ', COALESCE(`t9`.`annual_agreement`, '无')),
            CONCAT('flag ', COALESCE(`t9`.`flag`, '无')),
            CONCAT(
              '销售额 ',
              COALESCE(
                CONCAT(
                  CONCAT(
                    IF(
                      (
                        `t9`.`revenue` < 0
                      )
                      AND (
                        CAST(ROUND(ABS(CAST(`t9`.`revenue` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                      ),
                      '-',
                      ''
                    ),
                    '¥'
                  ),
                  FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`revenue` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                ),
                '无'
              )
            ),
            CONCAT(
              '客户时长 ',
              COALESCE(
                CONCAT(
                  CONCAT(
                    IF(
                      (
                        `t9`.`tenure_days` < 0
                      )
                      AND (
                        CAST(ROUND(ABS(CAST(`t9`.`tenure_days` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                      ),
                      '-',
                      ''
                    ),
                    FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`tenure_days` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                  ),
                  '天'
                ),
                '无'
              )
            )
          )
        ),
        '）'
      )
    END AS `reason_zh`
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
) AS `t10`
