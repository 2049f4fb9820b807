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
    `t9`.`lifetime_orders`,
    `t9`.`first_order_date`,
    `t9`.`recency_days`,
    `t9`.`active_months`,
    `t9`.`repurchase_days`,
    `t9`.`p_alive`,
    `t9`.`_c0`,
    `t9`.`_l0_0`,
    `t9`.`_l0_1`,
    `t9`.`_l0_2`,
    `t9`.`_l0_3`,
    `t9`.`_c1`,
    `t9`.`_l1_0`,
    `t9`.`_l1_1`,
    `t9`.`_l1_2`,
    `t9`.`_l1_3`,
    `t9`.`_c2`,
    `t9`.`_l2_0`,
    `t9`.`_l2_1`,
    `t9`.`_c3`,
    `t9`.`_l3_0`,
    `t9`.`_c4`,
    `t9`.`_l4_0`,
    `t9`.`_l4_1`,
    `t9`.`_barrier`,
    `t9`.`_class`,
    `t9`.`_class` AS `class`,
    CAST(NULL AS DOUBLE) AS `score`,
    CASE
      WHEN `t9`.`_c0`
      THEN CONCAT(
        'permanently dormant: ',
        CONCAT_WS(
          '; ',
          IF(
            `t9`.`_l0_0`,
            CONCAT(
              CONCAT(
                CONCAT(
                  'probability active ',
                  COALESCE(
                    CONCAT(
                      IF(
                        (
                          `t9`.`p_alive` < 0
                        )
                        AND (
                          CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) > 0
                        ),
                        '-',
                        ''
                      ),
                      CONCAT(
                        FORMAT_NUMBER(
                          CAST(FLOOR((
                            CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT)
                          ) / (
                            1000
                          )) AS BIGINT),
                          0
                        ),
                        IF(
                          (
                            CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) % 1000
                          ) = 0,
                          '',
                          CONCAT(
                            '.',
                            REGEXP_REPLACE(
                              LPAD(
                                CAST(CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) % 1000 AS STRING),
                                GREATEST(
                                  LENGTH(CAST(CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) % 1000 AS STRING)),
                                  3
                                ),
                                '0'
                              ),
                              '0+$',
                              ''
                            )
                          )
                        )
                      )
                    ),
                    'n/a'
                  )
                ),
                ' < '
              ),
              '0.1'
            ),
            CAST(NULL AS STRING)
          ),
          IF(`t9`.`_l0_1`, 'probability active is empty', CAST(NULL AS STRING)),
          IF(`t9`.`_l0_2`, 'repurchase cycle is empty', CAST(NULL AS STRING)),
          IF(
            `t9`.`_l0_3`,
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
                ' > '
              ),
              '730 days'
            ),
            CAST(NULL AS STRING)
          )
        )
      )
      WHEN `t9`.`_c1`
      THEN CONCAT(
        'temporarily dormant: ',
        CONCAT_WS(
          '; ',
          IF(
            `t9`.`_l1_0`,
            CONCAT(
              CONCAT(
                CONCAT(
                  'probability active ',
                  COALESCE(
                    CONCAT(
                      IF(
                        (
                          `t9`.`p_alive` < 0
                        )
                        AND (
                          CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) > 0
                        ),
                        '-',
                        ''
                      ),
                      CONCAT(
                        FORMAT_NUMBER(
                          CAST(FLOOR((
                            CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT)
                          ) / (
                            1000
                          )) AS BIGINT),
                          0
                        ),
                        IF(
                          (
                            CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) % 1000
                          ) = 0,
                          '',
                          CONCAT(
                            '.',
                            REGEXP_REPLACE(
                              LPAD(
                                CAST(CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) % 1000 AS STRING),
                                GREATEST(
                                  LENGTH(CAST(CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) % 1000 AS STRING)),
                                  3
                                ),
                                '0'
                              ),
                              '0+$',
                              ''
                            )
                          )
                        )
                      )
                    ),
                    'n/a'
                  )
                ),
                ' < '
              ),
              '0.5'
            ),
            CAST(NULL AS STRING)
          ),
          IF(`t9`.`_l1_1`, 'probability active is empty', CAST(NULL AS STRING)),
          IF(`t9`.`_l1_2`, 'repurchase cycle is empty', CAST(NULL AS STRING)),
          IF(
            `t9`.`_l1_3`,
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
                ' > '
              ),
              '180 days'
            ),
            CAST(NULL AS STRING)
          )
        )
      )
      WHEN `t9`.`_c2`
      THEN CONCAT(
        'loyal: ',
        CONCAT_WS(
          '; ',
          IF(
            `t9`.`_l2_0`,
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
                ' ≥ '
              ),
              '10'
            ),
            CAST(NULL AS STRING)
          ),
          IF(
            `t9`.`_l2_1`,
            CONCAT(
              CONCAT(
                CONCAT(
                  'active months ',
                  COALESCE(
                    CONCAT(
                      IF(
                        (
                          `t9`.`active_months` < 0
                        )
                        AND (
                          CAST(ROUND(ABS(CAST(`t9`.`active_months` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                        ),
                        '-',
                        ''
                      ),
                      FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`active_months` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                    ),
                    'n/a'
                  )
                ),
                ' ≥ '
              ),
              '6'
            ),
            CAST(NULL AS STRING)
          )
        )
      )
      WHEN `t9`.`_c3`
      THEN CONCAT(
        'returning: ',
        COALESCE(
          IF(
            `t9`.`_l3_0`,
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
                ' ≥ '
              ),
              '2'
            ),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c4`
      THEN CONCAT(
        'new: ',
        CONCAT_WS(
          '; ',
          IF(
            `t9`.`_l4_0`,
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
          IF(`t9`.`_l4_1`, 'first order is given', CAST(NULL AS STRING))
        )
      )
      ELSE CONCAT(
        CONCAT(
          'prospect: no rule matched (',
          CONCAT_WS(
            ', ',
            CONCAT(
              'probability active ',
              COALESCE(
                CONCAT(
                  IF(
                    (
                      `t9`.`p_alive` < 0
                    )
                    AND (
                      CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) > 0
                    ),
                    '-',
                    ''
                  ),
                  CONCAT(
                    FORMAT_NUMBER(
                      CAST(FLOOR((
                        CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT)
                      ) / (
                        1000
                      )) AS BIGINT),
                      0
                    ),
                    IF(
                      (
                        CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) % 1000
                      ) = 0,
                      '',
                      CONCAT(
                        '.',
                        REGEXP_REPLACE(
                          LPAD(
                            CAST(CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) % 1000 AS STRING),
                            GREATEST(
                              LENGTH(CAST(CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) % 1000 AS STRING)),
                              3
                            ),
                            '0'
                          ),
                          '0+$',
                          ''
                        )
                      )
                    )
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
            )
          )
        ),
        ')'
      )
    END AS `reason_en`,
    CASE
      WHEN `t9`.`_c0`
      THEN CONCAT(
        '永久沉睡客户：',
        CONCAT_WS(
          '；',
          IF(
            `t9`.`_l0_0`,
            CONCAT(
              CONCAT(
                CONCAT(
                  '活跃概率 ',
                  COALESCE(
                    CONCAT(
                      IF(
                        (
                          `t9`.`p_alive` < 0
                        )
                        AND (
                          CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) > 0
                        ),
                        '-',
                        ''
                      ),
                      CONCAT(
                        FORMAT_NUMBER(
                          CAST(FLOOR((
                            CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT)
                          ) / (
                            1000
                          )) AS BIGINT),
                          0
                        ),
                        IF(
                          (
                            CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) % 1000
                          ) = 0,
                          '',
                          CONCAT(
                            '.',
                            REGEXP_REPLACE(
                              LPAD(
                                CAST(CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) % 1000 AS STRING),
                                GREATEST(
                                  LENGTH(CAST(CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) % 1000 AS STRING)),
                                  3
                                ),
                                '0'
                              ),
                              '0+$',
                              ''
                            )
                          )
                        )
                      )
                    ),
                    '无'
                  )
                ),
                ' < '
              ),
              '0.1'
            ),
            CAST(NULL AS STRING)
          ),
          IF(`t9`.`_l0_1`, '活跃概率 为空', CAST(NULL AS STRING)),
          IF(`t9`.`_l0_2`, '复购周期 为空', CAST(NULL AS STRING)),
          IF(
            `t9`.`_l0_3`,
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
                ' > '
              ),
              '730天'
            ),
            CAST(NULL AS STRING)
          )
        )
      )
      WHEN `t9`.`_c1`
      THEN CONCAT(
        '临时沉睡客户：',
        CONCAT_WS(
          '；',
          IF(
            `t9`.`_l1_0`,
            CONCAT(
              CONCAT(
                CONCAT(
                  '活跃概率 ',
                  COALESCE(
                    CONCAT(
                      IF(
                        (
                          `t9`.`p_alive` < 0
                        )
                        AND (
                          CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) > 0
                        ),
                        '-',
                        ''
                      ),
                      CONCAT(
                        FORMAT_NUMBER(
                          CAST(FLOOR((
                            CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT)
                          ) / (
                            1000
                          )) AS BIGINT),
                          0
                        ),
                        IF(
                          (
                            CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) % 1000
                          ) = 0,
                          '',
                          CONCAT(
                            '.',
                            REGEXP_REPLACE(
                              LPAD(
                                CAST(CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) % 1000 AS STRING),
                                GREATEST(
                                  LENGTH(CAST(CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) % 1000 AS STRING)),
                                  3
                                ),
                                '0'
                              ),
                              '0+$',
                              ''
                            )
                          )
                        )
                      )
                    ),
                    '无'
                  )
                ),
                ' < '
              ),
              '0.5'
            ),
            CAST(NULL AS STRING)
          ),
          IF(`t9`.`_l1_1`, '活跃概率 为空', CAST(NULL AS STRING)),
          IF(`t9`.`_l1_2`, '复购周期 为空', CAST(NULL AS STRING)),
          IF(
            `t9`.`_l1_3`,
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
                ' > '
              ),
              '180天'
            ),
            CAST(NULL AS STRING)
          )
        )
      )
      WHEN `t9`.`_c2`
      THEN CONCAT(
        '忠诚客户：',
        CONCAT_WS(
          '；',
          IF(
            `t9`.`_l2_0`,
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
                ' ≥ '
              ),
              '10'
            ),
            CAST(NULL AS STRING)
          ),
          IF(
            `t9`.`_l2_1`,
            CONCAT(
              CONCAT(
                CONCAT(
                  '活跃月数 ',
                  COALESCE(
                    CONCAT(
                      IF(
                        (
                          `t9`.`active_months` < 0
                        )
                        AND (
                          CAST(ROUND(ABS(CAST(`t9`.`active_months` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                        ),
                        '-',
                        ''
                      ),
                      FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`active_months` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                    ),
                    '无'
                  )
                ),
                ' ≥ '
              ),
              '6'
            ),
            CAST(NULL AS STRING)
          )
        )
      )
      WHEN `t9`.`_c3`
      THEN CONCAT(
        '老客户：',
        COALESCE(
          IF(
            `t9`.`_l3_0`,
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
                ' ≥ '
              ),
              '2'
            ),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c4`
      THEN CONCAT(
        'new 新客户：',
        CONCAT_WS(
          '；',
          IF(
            `t9`.`_l4_0`,
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
          IF(`t9`.`_l4_1`, '首次购买 已填写', CAST(NULL AS STRING))
        )
      )
      ELSE CONCAT(
        CONCAT(
          '潜在客户：未满足其他规则（',
          CONCAT_WS(
            '，',
            CONCAT(
              '活跃概率 ',
              COALESCE(
                CONCAT(
                  IF(
                    (
                      `t9`.`p_alive` < 0
                    )
                    AND (
                      CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) > 0
                    ),
                    '-',
                    ''
                  ),
                  CONCAT(
                    FORMAT_NUMBER(
                      CAST(FLOOR((
                        CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT)
                      ) / (
                        1000
                      )) AS BIGINT),
                      0
                    ),
                    IF(
                      (
                        CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) % 1000
                      ) = 0,
                      '',
                      CONCAT(
                        '.',
                        REGEXP_REPLACE(
                          LPAD(
                            CAST(CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) % 1000 AS STRING),
                            GREATEST(
                              LENGTH(CAST(CAST(ROUND(ABS(`t9`.`p_alive`) * 1000, 0) AS BIGINT) % 1000 AS STRING)),
                              3
                            ),
                            '0'
                          ),
                          '0+$',
                          ''
                        )
                      )
                    )
                  )
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
) AS `t10`
