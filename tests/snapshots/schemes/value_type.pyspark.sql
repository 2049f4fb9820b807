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
    `t9`.`gross_profit`,
    `t9`.`growth`,
    `t9`.`_c0`,
    `t9`.`_l0_0`,
    `t9`.`_c1`,
    `t9`.`_l1_0`,
    `t9`.`_c2`,
    `t9`.`_l2_0`,
    `t9`.`_l2_1`,
    `t9`.`_barrier`,
    `t9`.`_class`,
    `t9`.`_class` AS `class`,
    CAST(NULL AS DOUBLE) AS `score`,
    CASE
      WHEN `t9`.`_c0`
      THEN CONCAT(
        'BZC below zero: ',
        COALESCE(
          IF(
            `t9`.`_l0_0`,
            CONCAT(
              CONCAT(
                CONCAT(
                  'gross profit ',
                  COALESCE(
                    CONCAT(
                      CONCAT(
                        IF(
                          (
                            `t9`.`gross_profit` < 0
                          )
                          AND (
                            CAST(ROUND(ABS(CAST(`t9`.`gross_profit` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                          ),
                          '-',
                          ''
                        ),
                        '¥'
                      ),
                      FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`gross_profit` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                    ),
                    'n/a'
                  )
                ),
                ' < '
              ),
              '¥0'
            ),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c1`
      THEN CONCAT(
        'MVC most valuable: ',
        COALESCE(
          IF(
            `t9`.`_l1_0`,
            CONCAT(
              CONCAT(
                CONCAT(
                  'gross profit ',
                  COALESCE(
                    CONCAT(
                      CONCAT(
                        IF(
                          (
                            `t9`.`gross_profit` < 0
                          )
                          AND (
                            CAST(ROUND(ABS(CAST(`t9`.`gross_profit` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                          ),
                          '-',
                          ''
                        ),
                        '¥'
                      ),
                      FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`gross_profit` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                    ),
                    'n/a'
                  )
                ),
                ' ≥ '
              ),
              'p80 ¥9,031'
            ),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c2`
      THEN CONCAT(
        'MGC most growable: ',
        CONCAT_WS(
          '; ',
          IF(
            `t9`.`_l2_0`,
            CONCAT(
              CONCAT(
                CONCAT(
                  'growth ',
                  COALESCE(
                    CONCAT(
                      IF(
                        (
                          `t9`.`growth` < 0
                        )
                        AND (
                          CAST(ROUND(ABS(`t9`.`growth`) * 1000, 0) AS BIGINT) > 0
                        ),
                        '-',
                        ''
                      ),
                      CONCAT(
                        FORMAT_NUMBER(
                          CAST(FLOOR((
                            CAST(ROUND(ABS(`t9`.`growth`) * 1000, 0) AS BIGINT)
                          ) / (
                            1000
                          )) AS BIGINT),
                          0
                        ),
                        IF(
                          (
                            CAST(ROUND(ABS(`t9`.`growth`) * 1000, 0) AS BIGINT) % 1000
                          ) = 0,
                          '',
                          CONCAT(
                            '.',
                            REGEXP_REPLACE(
                              LPAD(
                                CAST(CAST(ROUND(ABS(`t9`.`growth`) * 1000, 0) AS BIGINT) % 1000 AS STRING),
                                GREATEST(
                                  LENGTH(CAST(CAST(ROUND(ABS(`t9`.`growth`) * 1000, 0) AS BIGINT) % 1000 AS STRING)),
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
                ' ≥ '
              ),
              '0.2'
            ),
            CAST(NULL AS STRING)
          ),
          IF(
            `t9`.`_l2_1`,
            CONCAT(
              CONCAT(
                CONCAT(
                  'gross profit ',
                  COALESCE(
                    CONCAT(
                      CONCAT(
                        IF(
                          (
                            `t9`.`gross_profit` < 0
                          )
                          AND (
                            CAST(ROUND(ABS(CAST(`t9`.`gross_profit` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                          ),
                          '-',
                          ''
                        ),
                        '¥'
                      ),
                      FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`gross_profit` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                    ),
                    'n/a'
                  )
                ),
                ' > '
              ),
              '¥0'
            ),
            CAST(NULL AS STRING)
          )
        )
      )
      ELSE CONCAT(
        CONCAT(
          'other: no rule matched (',
          CONCAT_WS(
            ', ',
            CONCAT(
              'gross profit ',
              COALESCE(
                CONCAT(
                  CONCAT(
                    IF(
                      (
                        `t9`.`gross_profit` < 0
                      )
                      AND (
                        CAST(ROUND(ABS(CAST(`t9`.`gross_profit` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                      ),
                      '-',
                      ''
                    ),
                    '¥'
                  ),
                  FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`gross_profit` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                ),
                'n/a'
              )
            ),
            CONCAT(
              'growth ',
              COALESCE(
                CONCAT(
                  IF(
                    (
                      `t9`.`growth` < 0
                    )
                    AND (
                      CAST(ROUND(ABS(`t9`.`growth`) * 1000, 0) AS BIGINT) > 0
                    ),
                    '-',
                    ''
                  ),
                  CONCAT(
                    FORMAT_NUMBER(
                      CAST(FLOOR((
                        CAST(ROUND(ABS(`t9`.`growth`) * 1000, 0) AS BIGINT)
                      ) / (
                        1000
                      )) AS BIGINT),
                      0
                    ),
                    IF(
                      (
                        CAST(ROUND(ABS(`t9`.`growth`) * 1000, 0) AS BIGINT) % 1000
                      ) = 0,
                      '',
                      CONCAT(
                        '.',
                        REGEXP_REPLACE(
                          LPAD(
                            CAST(CAST(ROUND(ABS(`t9`.`growth`) * 1000, 0) AS BIGINT) % 1000 AS STRING),
                            GREATEST(
                              LENGTH(CAST(CAST(ROUND(ABS(`t9`.`growth`) * 1000, 0) AS BIGINT) % 1000 AS STRING)),
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
            )
          )
        ),
        ')'
      )
    END AS `reason_en`,
    CASE
      WHEN `t9`.`_c0`
      THEN CONCAT(
        'BZC 负值客户：',
        COALESCE(
          IF(
            `t9`.`_l0_0`,
            CONCAT(
              CONCAT(
                CONCAT(
                  '毛利 ',
                  COALESCE(
                    CONCAT(
                      CONCAT(
                        IF(
                          (
                            `t9`.`gross_profit` < 0
                          )
                          AND (
                            CAST(ROUND(ABS(CAST(`t9`.`gross_profit` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                          ),
                          '-',
                          ''
                        ),
                        '¥'
                      ),
                      FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`gross_profit` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                    ),
                    '无'
                  )
                ),
                ' < '
              ),
              '¥0'
            ),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c1`
      THEN CONCAT(
        'MVC 最有价值客户：',
        COALESCE(
          IF(
            `t9`.`_l1_0`,
            CONCAT(
              CONCAT(
                CONCAT(
                  '毛利 ',
                  COALESCE(
                    CONCAT(
                      CONCAT(
                        IF(
                          (
                            `t9`.`gross_profit` < 0
                          )
                          AND (
                            CAST(ROUND(ABS(CAST(`t9`.`gross_profit` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                          ),
                          '-',
                          ''
                        ),
                        '¥'
                      ),
                      FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`gross_profit` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                    ),
                    '无'
                  )
                ),
                ' ≥ '
              ),
              'p80 ¥9,031'
            ),
            CAST(NULL AS STRING)
          ),
          ''
        )
      )
      WHEN `t9`.`_c2`
      THEN CONCAT(
        'MGC 最具增长性客户：',
        CONCAT_WS(
          '；',
          IF(
            `t9`.`_l2_0`,
            CONCAT(
              CONCAT(
                CONCAT(
                  '增长率 ',
                  COALESCE(
                    CONCAT(
                      IF(
                        (
                          `t9`.`growth` < 0
                        )
                        AND (
                          CAST(ROUND(ABS(`t9`.`growth`) * 1000, 0) AS BIGINT) > 0
                        ),
                        '-',
                        ''
                      ),
                      CONCAT(
                        FORMAT_NUMBER(
                          CAST(FLOOR((
                            CAST(ROUND(ABS(`t9`.`growth`) * 1000, 0) AS BIGINT)
                          ) / (
                            1000
                          )) AS BIGINT),
                          0
                        ),
                        IF(
                          (
                            CAST(ROUND(ABS(`t9`.`growth`) * 1000, 0) AS BIGINT) % 1000
                          ) = 0,
                          '',
                          CONCAT(
                            '.',
                            REGEXP_REPLACE(
                              LPAD(
                                CAST(CAST(ROUND(ABS(`t9`.`growth`) * 1000, 0) AS BIGINT) % 1000 AS STRING),
                                GREATEST(
                                  LENGTH(CAST(CAST(ROUND(ABS(`t9`.`growth`) * 1000, 0) AS BIGINT) % 1000 AS STRING)),
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
                ' ≥ '
              ),
              '0.2'
            ),
            CAST(NULL AS STRING)
          ),
          IF(
            `t9`.`_l2_1`,
            CONCAT(
              CONCAT(
                CONCAT(
                  '毛利 ',
                  COALESCE(
                    CONCAT(
                      CONCAT(
                        IF(
                          (
                            `t9`.`gross_profit` < 0
                          )
                          AND (
                            CAST(ROUND(ABS(CAST(`t9`.`gross_profit` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                          ),
                          '-',
                          ''
                        ),
                        '¥'
                      ),
                      FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`gross_profit` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                    ),
                    '无'
                  )
                ),
                ' > '
              ),
              '¥0'
            ),
            CAST(NULL AS STRING)
          )
        )
      )
      ELSE CONCAT(
        CONCAT(
          '一般客户：未满足其他规则（',
          CONCAT_WS(
            '，',
            CONCAT(
              '毛利 ',
              COALESCE(
                CONCAT(
                  CONCAT(
                    IF(
                      (
                        `t9`.`gross_profit` < 0
                      )
                      AND (
                        CAST(ROUND(ABS(CAST(`t9`.`gross_profit` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                      ),
                      '-',
                      ''
                    ),
                    '¥'
                  ),
                  FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`gross_profit` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                ),
                '无'
              )
            ),
            CONCAT(
              '增长率 ',
              COALESCE(
                CONCAT(
                  IF(
                    (
                      `t9`.`growth` < 0
                    )
                    AND (
                      CAST(ROUND(ABS(`t9`.`growth`) * 1000, 0) AS BIGINT) > 0
                    ),
                    '-',
                    ''
                  ),
                  CONCAT(
                    FORMAT_NUMBER(
                      CAST(FLOOR((
                        CAST(ROUND(ABS(`t9`.`growth`) * 1000, 0) AS BIGINT)
                      ) / (
                        1000
                      )) AS BIGINT),
                      0
                    ),
                    IF(
                      (
                        CAST(ROUND(ABS(`t9`.`growth`) * 1000, 0) AS BIGINT) % 1000
                      ) = 0,
                      '',
                      CONCAT(
                        '.',
                        REGEXP_REPLACE(
                          LPAD(
                            CAST(CAST(ROUND(ABS(`t9`.`growth`) * 1000, 0) AS BIGINT) % 1000 AS STRING),
                            GREATEST(
                              LENGTH(CAST(CAST(ROUND(ABS(`t9`.`growth`) * 1000, 0) AS BIGINT) % 1000 AS STRING)),
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
) AS `t10`
