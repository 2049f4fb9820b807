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
    `t9`.`last_order_date`,
    `t9`.`recency_days`,
    `t9`.`repurchase_days`,
    `t9`.`last_contact_date`,
    `t9`.`days_since_contact`,
    `t9`.`_c0`,
    `t9`.`_l0_0`,
    `t9`.`_c1`,
    `t9`.`_l1_0`,
    `t9`.`_l1_1`,
    `t9`.`_c2`,
    `t9`.`_l2_0`,
    `t9`.`_c3`,
    `t9`.`_l3_0`,
    `t9`.`_c4`,
    `t9`.`_l4_0`,
    `t9`.`_barrier`,
    `t9`.`_class`,
    `t9`.`_class` AS `class`,
    CAST(NULL AS DOUBLE) AS `score`,
    CASE
      WHEN `t9`.`_c0`
      THEN CONCAT(
        'never purchased: ',
        COALESCE(IF(`t9`.`_l0_0`, 'last order is empty', CAST(NULL AS STRING)), '')
      )
      WHEN `t9`.`_c1`
      THEN CONCAT(
        'probably used up: ',
        CONCAT_WS(
          '; ',
          IF(
            `t9`.`_l1_0`,
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
              CONCAT(
                'repurchase cycle ',
                COALESCE(
                  CONCAT(
                    CONCAT(
                      IF(
                        (
                          `t9`.`repurchase_days` < 0
                        )
                        AND (
                          CAST(ROUND(ABS(`t9`.`repurchase_days`) * 1, 0) AS BIGINT) > 0
                        ),
                        '-',
                        ''
                      ),
                      FORMAT_NUMBER(CAST(ROUND(ABS(`t9`.`repurchase_days`) * 1, 0) AS BIGINT), 0)
                    ),
                    IF(
                      FORMAT_NUMBER(CAST(ROUND(ABS(`t9`.`repurchase_days`) * 1, 0) AS BIGINT), 0) = '1',
                      ' day',
                      ' days'
                    )
                  ),
                  'n/a'
                )
              )
            ),
            CAST(NULL AS STRING)
          ),
          IF(
            `t9`.`_l1_1`,
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
                ' < '
              ),
              '90 days'
            ),
            CAST(NULL AS STRING)
          )
        )
      )
      WHEN `t9`.`_c2`
      THEN CONCAT(
        'no repurchase: ',
        COALESCE(
          IF(
            `t9`.`_l2_0`,
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
              '90 days'
            ),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c3`
      THEN CONCAT(
        'never followed up: ',
        COALESCE(IF(`t9`.`_l3_0`, 'last contact is empty', CAST(NULL AS STRING)), '')
      )
      WHEN `t9`.`_c4`
      THEN CONCAT(
        'not followed up: ',
        COALESCE(
          IF(
            `t9`.`_l4_0`,
            CONCAT(
              CONCAT(
                CONCAT(
                  'days since contact ',
                  COALESCE(
                    CONCAT(
                      CONCAT(
                        IF(
                          (
                            `t9`.`days_since_contact` < 0
                          )
                          AND (
                            CAST(ROUND(ABS(CAST(`t9`.`days_since_contact` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                          ),
                          '-',
                          ''
                        ),
                        FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`days_since_contact` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                      ),
                      IF(
                        FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`days_since_contact` AS DOUBLE)) * 1, 0) AS BIGINT), 0) = '1',
                        ' day',
                        ' days'
                      )
                    ),
                    'n/a'
                  )
                ),
                ' ≥ '
              ),
              '30 days'
            ),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      ELSE CONCAT(
        CONCAT(
          'up to date: no rule matched (',
          CONCAT_WS(
            ', ',
            CONCAT('last order ', COALESCE(CAST(`t9`.`last_order_date` AS STRING), 'n/a')),
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
            CONCAT(
              'repurchase cycle ',
              COALESCE(
                CONCAT(
                  CONCAT(
                    IF(
                      (
                        `t9`.`repurchase_days` < 0
                      )
                      AND (
                        CAST(ROUND(ABS(`t9`.`repurchase_days`) * 1, 0) AS BIGINT) > 0
                      ),
                      '-',
                      ''
                    ),
                    FORMAT_NUMBER(CAST(ROUND(ABS(`t9`.`repurchase_days`) * 1, 0) AS BIGINT), 0)
                  ),
                  IF(
                    FORMAT_NUMBER(CAST(ROUND(ABS(`t9`.`repurchase_days`) * 1, 0) AS BIGINT), 0) = '1',
                    ' day',
                    ' days'
                  )
                ),
                'n/a'
              )
            ),
            CONCAT('last contact ', COALESCE(CAST(`t9`.`last_contact_date` AS STRING), 'n/a'))
          )
        ),
        ')'
      )
    END AS `reason_en`,
    CASE
      WHEN `t9`.`_c0`
      THEN CONCAT('从未购买：', COALESCE(IF(`t9`.`_l0_0`, '最近购买 为空', CAST(NULL AS STRING)), ''))
      WHEN `t9`.`_c1`
      THEN CONCAT(
        '产品可能已用完：',
        CONCAT_WS(
          '；',
          IF(
            `t9`.`_l1_0`,
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
              CONCAT(
                '复购周期 ',
                COALESCE(
                  CONCAT(
                    CONCAT(
                      IF(
                        (
                          `t9`.`repurchase_days` < 0
                        )
                        AND (
                          CAST(ROUND(ABS(`t9`.`repurchase_days`) * 1, 0) AS BIGINT) > 0
                        ),
                        '-',
                        ''
                      ),
                      FORMAT_NUMBER(CAST(ROUND(ABS(`t9`.`repurchase_days`) * 1, 0) AS BIGINT), 0)
                    ),
                    '天'
                  ),
                  '无'
                )
              )
            ),
            CAST(NULL AS STRING)
          ),
          IF(
            `t9`.`_l1_1`,
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
                ' < '
              ),
              '90天'
            ),
            CAST(NULL AS STRING)
          )
        )
      )
      WHEN `t9`.`_c2`
      THEN CONCAT(
        '长期未再购买：',
        COALESCE(
          IF(
            `t9`.`_l2_0`,
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
              '90天'
            ),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c3`
      THEN CONCAT('从未跟进：', COALESCE(IF(`t9`.`_l3_0`, '最近跟进 为空', CAST(NULL AS STRING)), ''))
      WHEN `t9`.`_c4`
      THEN CONCAT(
        '长期未跟进：',
        COALESCE(
          IF(
            `t9`.`_l4_0`,
            CONCAT(
              CONCAT(
                CONCAT(
                  '未跟进天数 ',
                  COALESCE(
                    CONCAT(
                      CONCAT(
                        IF(
                          (
                            `t9`.`days_since_contact` < 0
                          )
                          AND (
                            CAST(ROUND(ABS(CAST(`t9`.`days_since_contact` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                          ),
                          '-',
                          ''
                        ),
                        FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`days_since_contact` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                      ),
                      '天'
                    ),
                    '无'
                  )
                ),
                ' ≥ '
              ),
              '30天'
            ),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      ELSE CONCAT(
        CONCAT(
          '无需提醒：未满足其他规则（',
          CONCAT_WS(
            '，',
            CONCAT('最近购买 ', COALESCE(CAST(`t9`.`last_order_date` AS STRING), '无')),
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
            CONCAT(
              '复购周期 ',
              COALESCE(
                CONCAT(
                  CONCAT(
                    IF(
                      (
                        `t9`.`repurchase_days` < 0
                      )
                      AND (
                        CAST(ROUND(ABS(`t9`.`repurchase_days`) * 1, 0) AS BIGINT) > 0
                      ),
                      '-',
                      ''
                    ),
                    FORMAT_NUMBER(CAST(ROUND(ABS(`t9`.`repurchase_days`) * 1, 0) AS BIGINT), 0)
                  ),
                  '天'
                ),
                '无'
              )
            ),
            CONCAT('最近跟进 ', COALESCE(CAST(`t9`.`last_contact_date` AS STRING), '无'))
          )
        ),
        '）'
      )
    END AS `reason_zh`
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
) AS `t10`
