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
    `t9`.`_v`,
    `t9`.`_rank`,
    `t9`.`_class`,
    `t9`.`_barrier`,
    `t9`.`_class` AS `class`,
    CAST(`t9`.`_rank` AS DOUBLE) AS `score`,
    IF(
      `t9`.`_v` IS NULL OR ISNAN(`t9`.`_v`),
      CONCAT(
        CASE
          WHEN `t9`.`_class` = 'A'
          THEN 'A key'
          WHEN `t9`.`_class` = 'B'
          THEN 'B major'
          WHEN `t9`.`_class` = 'C'
          THEN 'C ordinary'
          ELSE `t9`.`_class`
        END,
        ': no revenue value (C = the rest, ranks 45–219)'
      ),
      CONCAT(
        CONCAT(
          CONCAT(
            CONCAT(
              CONCAT(
                CONCAT(
                  CONCAT(
                    CONCAT(
                      CONCAT(
                        CASE
                          WHEN `t9`.`_class` = 'A'
                          THEN 'A key'
                          WHEN `t9`.`_class` = 'B'
                          THEN 'B major'
                          WHEN `t9`.`_class` = 'C'
                          THEN 'C ordinary'
                          ELSE `t9`.`_class`
                        END,
                        ': revenue '
                      ),
                      COALESCE(
                        CONCAT(
                          CONCAT(
                            IF(
                              (
                                `t9`.`_v` < 0
                              ) AND (
                                CAST(ROUND(ABS(`t9`.`_v`) * 1, 0) AS BIGINT) > 0
                              ),
                              '-',
                              ''
                            ),
                            '¥'
                          ),
                          FORMAT_NUMBER(CAST(ROUND(ABS(`t9`.`_v`) * 1, 0) AS BIGINT), 0)
                        ),
                        'n/a'
                      )
                    ),
                    ' ranks '
                  ),
                  COALESCE(
                    CONCAT(
                      IF(
                        (
                          `t9`.`_rank` < 0
                        )
                        AND (
                          CAST(ROUND(ABS(CAST(`t9`.`_rank` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                        ),
                        '-',
                        ''
                      ),
                      FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`_rank` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                    ),
                    'n/a'
                  )
                ),
                ' of 219 buyers (top '
              ),
              CONCAT(
                CONCAT(
                  IF(
                    (
                      (
                        (
                          `t9`.`_rank` / 219
                        ) * 100
                      ) < 0
                    )
                    AND (
                      CAST(ROUND(ABS((
                        `t9`.`_rank` / 219
                      ) * 100) * 10, 0) AS BIGINT) > 0
                    ),
                    '-',
                    ''
                  ),
                  CONCAT(
                    FORMAT_NUMBER(
                      CAST(FLOOR(
                        (
                          CAST(ROUND(ABS((
                            `t9`.`_rank` / 219
                          ) * 100) * 10, 0) AS BIGINT)
                        ) / (
                          10
                        )
                      ) AS BIGINT),
                      0
                    ),
                    IF(
                      (
                        CAST(ROUND(ABS((
                          `t9`.`_rank` / 219
                        ) * 100) * 10, 0) AS BIGINT) % 10
                      ) = 0,
                      '',
                      CONCAT(
                        '.',
                        REGEXP_REPLACE(
                          LPAD(
                            CAST(CAST(ROUND(ABS((
                              `t9`.`_rank` / 219
                            ) * 100) * 10, 0) AS BIGINT) % 10 AS STRING),
                            GREATEST(
                              LENGTH(
                                CAST(CAST(ROUND(ABS((
                                  `t9`.`_rank` / 219
                                ) * 100) * 10, 0) AS BIGINT) % 10 AS STRING)
                              ),
                              1
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
                '%'
              )
            ),
            '; '
          ),
          CASE
            WHEN NOT `t9`.`_v` IS NULL AND NOT ISNAN(`t9`.`_v`) AND (
              `t9`.`_rank` <= 11
            )
            THEN 'A = top 5%, ranks 1–11'
            WHEN NOT `t9`.`_v` IS NULL AND NOT ISNAN(`t9`.`_v`) AND (
              `t9`.`_rank` <= 44
            )
            THEN 'B = top 20%, ranks 12–44'
            ELSE 'C = the rest, ranks 45–219'
          END
        ),
        ')'
      )
    ) AS `reason_en`,
    IF(
      `t9`.`_v` IS NULL OR ISNAN(`t9`.`_v`),
      CONCAT(
        CASE
          WHEN `t9`.`_class` = 'A'
          THEN 'A 关键客户'
          WHEN `t9`.`_class` = 'B'
          THEN 'B 主要客户'
          WHEN `t9`.`_class` = 'C'
          THEN 'C 普通客户'
          ELSE `t9`.`_class`
        END,
        '：无销售额数据（C 为其余，即第 45–219 名）'
      ),
      CONCAT(
        CONCAT(
          CONCAT(
            CONCAT(
              CONCAT(
                CONCAT(
                  CONCAT(
                    CONCAT(
                      CONCAT(
                        CASE
                          WHEN `t9`.`_class` = 'A'
                          THEN 'A 关键客户'
                          WHEN `t9`.`_class` = 'B'
                          THEN 'B 主要客户'
                          WHEN `t9`.`_class` = 'C'
                          THEN 'C 普通客户'
                          ELSE `t9`.`_class`
                        END,
                        '：销售额 '
                      ),
                      COALESCE(
                        CONCAT(
                          CONCAT(
                            IF(
                              (
                                `t9`.`_v` < 0
                              ) AND (
                                CAST(ROUND(ABS(`t9`.`_v`) * 1, 0) AS BIGINT) > 0
                              ),
                              '-',
                              ''
                            ),
                            '¥'
                          ),
                          FORMAT_NUMBER(CAST(ROUND(ABS(`t9`.`_v`) * 1, 0) AS BIGINT), 0)
                        ),
                        '无'
                      )
                    ),
                    '，在 219 个成交客户中排第 '
                  ),
                  COALESCE(
                    CONCAT(
                      IF(
                        (
                          `t9`.`_rank` < 0
                        )
                        AND (
                          CAST(ROUND(ABS(CAST(`t9`.`_rank` AS DOUBLE)) * 1, 0) AS BIGINT) > 0
                        ),
                        '-',
                        ''
                      ),
                      FORMAT_NUMBER(CAST(ROUND(ABS(CAST(`t9`.`_rank` AS DOUBLE)) * 1, 0) AS BIGINT), 0)
                    ),
                    '无'
                  )
                ),
                ' 名（前 '
              ),
              CONCAT(
                CONCAT(
                  IF(
                    (
                      (
                        (
                          `t9`.`_rank` / 219
                        ) * 100
                      ) < 0
                    )
                    AND (
                      CAST(ROUND(ABS((
                        `t9`.`_rank` / 219
                      ) * 100) * 10, 0) AS BIGINT) > 0
                    ),
                    '-',
                    ''
                  ),
                  CONCAT(
                    FORMAT_NUMBER(
                      CAST(FLOOR(
                        (
                          CAST(ROUND(ABS((
                            `t9`.`_rank` / 219
                          ) * 100) * 10, 0) AS BIGINT)
                        ) / (
                          10
                        )
                      ) AS BIGINT),
                      0
                    ),
                    IF(
                      (
                        CAST(ROUND(ABS((
                          `t9`.`_rank` / 219
                        ) * 100) * 10, 0) AS BIGINT) % 10
                      ) = 0,
                      '',
                      CONCAT(
                        '.',
                        REGEXP_REPLACE(
                          LPAD(
                            CAST(CAST(ROUND(ABS((
                              `t9`.`_rank` / 219
                            ) * 100) * 10, 0) AS BIGINT) % 10 AS STRING),
                            GREATEST(
                              LENGTH(
                                CAST(CAST(ROUND(ABS((
                                  `t9`.`_rank` / 219
                                ) * 100) * 10, 0) AS BIGINT) % 10 AS STRING)
                              ),
                              1
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
                '%'
              )
            ),
            '；'
          ),
          CASE
            WHEN NOT `t9`.`_v` IS NULL AND NOT ISNAN(`t9`.`_v`) AND (
              `t9`.`_rank` <= 11
            )
            THEN 'A 为前 5%，即第 1–11 名'
            WHEN NOT `t9`.`_v` IS NULL AND NOT ISNAN(`t9`.`_v`) AND (
              `t9`.`_rank` <= 44
            )
            THEN 'B 为前 20%，即第 12–44 名'
            ELSE 'C 为其余，即第 45–219 名'
          END
        ),
        '）'
      )
    ) AS `reason_zh`
  FROM (
    SELECT
      `t8`.`customer_id`,
      `t8`.`status`,
      `t8`.`revenue`,
      `t8`.`_v`,
      `t8`.`_rank`,
      `t8`.`_class`,
      RAND() AS `_barrier`
    FROM (
      SELECT
        `t7`.`customer_id`,
        `t7`.`status`,
        `t7`.`revenue`,
        `t7`.`_v`,
        `t7`.`_rank`,
        CASE
          WHEN NOT `t7`.`_v` IS NULL AND NOT ISNAN(`t7`.`_v`) AND (
            `t7`.`_rank` <= 11
          )
          THEN 'A'
          WHEN NOT `t7`.`_v` IS NULL AND NOT ISNAN(`t7`.`_v`) AND (
            `t7`.`_rank` <= 44
          )
          THEN 'B'
          ELSE 'C'
        END AS `_class`
      FROM (
        SELECT
          `t6`.`customer_id`,
          `t6`.`status`,
          `t6`.`revenue`,
          `t6`.`_v`,
          (
            RANK() OVER (ORDER BY `t6`.`_v` IS NULL OR ISNAN(`t6`.`_v`) ASC NULLS LAST, `t6`.`_v` DESC) - 1
          ) + 1 AS `_rank`
        FROM (
          SELECT
            `t5`.`customer_id`,
            `t5`.`status`,
            `t5`.`revenue`,
            CAST(`t5`.`revenue` AS DOUBLE) AS `_v`
          FROM (
            SELECT
              `t2`.`customer_id`,
              `t2`.`status`,
              `t2`.`revenue`
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
