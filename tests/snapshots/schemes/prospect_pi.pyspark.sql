SELECT
  `t12`.`customer_id`,
  `t12`.`class`,
  `t12`.`score`,
  `t12`.`reason_en`,
  `t12`.`reason_zh`
FROM (
  SELECT
    `t11`.`customer_id`,
    `t11`.`status`,
    `t11`.`scale`,
    `t11`.`management_level`,
    `t11`.`purchasing_power`,
    `t11`.`marketing_level`,
    `t11`.`growth_ability`,
    `t11`.`competitive_advantage`,
    `t11`.`intent`,
    `t11`.`_pts_expected_contribution_0`,
    `t11`.`_pts_expected_contribution_1`,
    `t11`.`_pts_expected_contribution_2`,
    `t11`.`_pts_expected_contribution_3`,
    `t11`.`_pts_expected_contribution_4`,
    `t11`.`_pts_expected_contribution_5`,
    `t11`.`expected_contribution`,
    `t11`.`_barrier`,
    `t11`.`_x0`,
    `t11`.`_h0`,
    `t11`.`_x1`,
    `t11`.`_h1`,
    `t11`.`_class`,
    `t11`.`_class` AS `class`,
    CAST(NULL AS DOUBLE) AS `score`,
    CONCAT(
      CONCAT(
        CONCAT(
          CONCAT(
            CASE
              WHEN `t11`.`_class` = 'PI'
              THEN 'PI break through first'
              WHEN `t11`.`_class` = 'PII'
              THEN 'PII cultivate'
              WHEN `t11`.`_class` = 'PIII'
              THEN 'PIII willing small prospect'
              WHEN `t11`.`_class` = 'PIV'
              THEN 'PIV hold back'
              ELSE `t11`.`_class`
            END,
            ': '
          ),
          CASE
            WHEN `t11`.`_x0` IS NULL OR ISNAN(`t11`.`_x0`)
            THEN 'expected contribution n/a → low'
            WHEN `t11`.`_h0`
            THEN CONCAT(
              CONCAT(
                'expected contribution ',
                COALESCE(
                  CONCAT(
                    IF(
                      (
                        `t11`.`_x0` < 0
                      )
                      AND (
                        CAST(ROUND(ABS(`t11`.`_x0`) * 1000, 0) AS BIGINT) > 0
                      ),
                      '-',
                      ''
                    ),
                    CONCAT(
                      FORMAT_NUMBER(
                        CAST(FLOOR((
                          CAST(ROUND(ABS(`t11`.`_x0`) * 1000, 0) AS BIGINT)
                        ) / (
                          1000
                        )) AS BIGINT),
                        0
                      ),
                      IF(
                        (
                          CAST(ROUND(ABS(`t11`.`_x0`) * 1000, 0) AS BIGINT) % 1000
                        ) = 0,
                        '',
                        CONCAT(
                          '.',
                          REGEXP_REPLACE(
                            LPAD(
                              CAST(CAST(ROUND(ABS(`t11`.`_x0`) * 1000, 0) AS BIGINT) % 1000 AS STRING),
                              GREATEST(
                                LENGTH(CAST(CAST(ROUND(ABS(`t11`.`_x0`) * 1000, 0) AS BIGINT) % 1000 AS STRING)),
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
              ' ≥ 50'
            )
            ELSE CONCAT(
              CONCAT(
                'expected contribution ',
                COALESCE(
                  CONCAT(
                    IF(
                      (
                        `t11`.`_x0` < 0
                      )
                      AND (
                        CAST(ROUND(ABS(`t11`.`_x0`) * 1000, 0) AS BIGINT) > 0
                      ),
                      '-',
                      ''
                    ),
                    CONCAT(
                      FORMAT_NUMBER(
                        CAST(FLOOR((
                          CAST(ROUND(ABS(`t11`.`_x0`) * 1000, 0) AS BIGINT)
                        ) / (
                          1000
                        )) AS BIGINT),
                        0
                      ),
                      IF(
                        (
                          CAST(ROUND(ABS(`t11`.`_x0`) * 1000, 0) AS BIGINT) % 1000
                        ) = 0,
                        '',
                        CONCAT(
                          '.',
                          REGEXP_REPLACE(
                            LPAD(
                              CAST(CAST(ROUND(ABS(`t11`.`_x0`) * 1000, 0) AS BIGINT) % 1000 AS STRING),
                              GREATEST(
                                LENGTH(CAST(CAST(ROUND(ABS(`t11`.`_x0`) * 1000, 0) AS BIGINT) % 1000 AS STRING)),
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
              ' < 50'
            )
          END
        ),
        '; '
      ),
      CASE
        WHEN `t11`.`_x1` IS NULL OR ISNAN(`t11`.`_x1`)
        THEN 'intent n/a → low'
        WHEN `t11`.`_h1`
        THEN CONCAT(
          CONCAT(
            'intent ',
            COALESCE(
              CONCAT(
                IF(
                  (
                    `t11`.`_x1` < 0
                  )
                  AND (
                    CAST(ROUND(ABS(`t11`.`_x1`) * 1000, 0) AS BIGINT) > 0
                  ),
                  '-',
                  ''
                ),
                CONCAT(
                  FORMAT_NUMBER(
                    CAST(FLOOR((
                      CAST(ROUND(ABS(`t11`.`_x1`) * 1000, 0) AS BIGINT)
                    ) / (
                      1000
                    )) AS BIGINT),
                    0
                  ),
                  IF(
                    (
                      CAST(ROUND(ABS(`t11`.`_x1`) * 1000, 0) AS BIGINT) % 1000
                    ) = 0,
                    '',
                    CONCAT(
                      '.',
                      REGEXP_REPLACE(
                        LPAD(
                          CAST(CAST(ROUND(ABS(`t11`.`_x1`) * 1000, 0) AS BIGINT) % 1000 AS STRING),
                          GREATEST(
                            LENGTH(CAST(CAST(ROUND(ABS(`t11`.`_x1`) * 1000, 0) AS BIGINT) % 1000 AS STRING)),
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
          ' ≥ 4'
        )
        ELSE CONCAT(
          CONCAT(
            'intent ',
            COALESCE(
              CONCAT(
                IF(
                  (
                    `t11`.`_x1` < 0
                  )
                  AND (
                    CAST(ROUND(ABS(`t11`.`_x1`) * 1000, 0) AS BIGINT) > 0
                  ),
                  '-',
                  ''
                ),
                CONCAT(
                  FORMAT_NUMBER(
                    CAST(FLOOR((
                      CAST(ROUND(ABS(`t11`.`_x1`) * 1000, 0) AS BIGINT)
                    ) / (
                      1000
                    )) AS BIGINT),
                    0
                  ),
                  IF(
                    (
                      CAST(ROUND(ABS(`t11`.`_x1`) * 1000, 0) AS BIGINT) % 1000
                    ) = 0,
                    '',
                    CONCAT(
                      '.',
                      REGEXP_REPLACE(
                        LPAD(
                          CAST(CAST(ROUND(ABS(`t11`.`_x1`) * 1000, 0) AS BIGINT) % 1000 AS STRING),
                          GREATEST(
                            LENGTH(CAST(CAST(ROUND(ABS(`t11`.`_x1`) * 1000, 0) AS BIGINT) % 1000 AS STRING)),
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
          ' < 4'
        )
      END
    ) AS `reason_en`,
    CONCAT(
      CONCAT(
        CONCAT(
          CONCAT(
            CASE
              WHEN `t11`.`_class` = 'PI'
              THEN 'PI 首要突破客户'
              WHEN `t11`.`_class` = 'PII'
              THEN 'PII 重点培养客户'
              WHEN `t11`.`_class` = 'PIII'
              THEN 'PIII 意向型小客户'
              WHEN `t11`.`_class` = 'PIV'
              THEN 'PIV 暂缓客户'
              ELSE `t11`.`_class`
            END,
            '：'
          ),
          CASE
            WHEN `t11`.`_x0` IS NULL OR ISNAN(`t11`.`_x0`)
            THEN '预期贡献度 无 → 低'
            WHEN `t11`.`_h0`
            THEN CONCAT(
              CONCAT(
                '预期贡献度 ',
                COALESCE(
                  CONCAT(
                    IF(
                      (
                        `t11`.`_x0` < 0
                      )
                      AND (
                        CAST(ROUND(ABS(`t11`.`_x0`) * 1000, 0) AS BIGINT) > 0
                      ),
                      '-',
                      ''
                    ),
                    CONCAT(
                      FORMAT_NUMBER(
                        CAST(FLOOR((
                          CAST(ROUND(ABS(`t11`.`_x0`) * 1000, 0) AS BIGINT)
                        ) / (
                          1000
                        )) AS BIGINT),
                        0
                      ),
                      IF(
                        (
                          CAST(ROUND(ABS(`t11`.`_x0`) * 1000, 0) AS BIGINT) % 1000
                        ) = 0,
                        '',
                        CONCAT(
                          '.',
                          REGEXP_REPLACE(
                            LPAD(
                              CAST(CAST(ROUND(ABS(`t11`.`_x0`) * 1000, 0) AS BIGINT) % 1000 AS STRING),
                              GREATEST(
                                LENGTH(CAST(CAST(ROUND(ABS(`t11`.`_x0`) * 1000, 0) AS BIGINT) % 1000 AS STRING)),
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
              ' ≥ 50'
            )
            ELSE CONCAT(
              CONCAT(
                '预期贡献度 ',
                COALESCE(
                  CONCAT(
                    IF(
                      (
                        `t11`.`_x0` < 0
                      )
                      AND (
                        CAST(ROUND(ABS(`t11`.`_x0`) * 1000, 0) AS BIGINT) > 0
                      ),
                      '-',
                      ''
                    ),
                    CONCAT(
                      FORMAT_NUMBER(
                        CAST(FLOOR((
                          CAST(ROUND(ABS(`t11`.`_x0`) * 1000, 0) AS BIGINT)
                        ) / (
                          1000
                        )) AS BIGINT),
                        0
                      ),
                      IF(
                        (
                          CAST(ROUND(ABS(`t11`.`_x0`) * 1000, 0) AS BIGINT) % 1000
                        ) = 0,
                        '',
                        CONCAT(
                          '.',
                          REGEXP_REPLACE(
                            LPAD(
                              CAST(CAST(ROUND(ABS(`t11`.`_x0`) * 1000, 0) AS BIGINT) % 1000 AS STRING),
                              GREATEST(
                                LENGTH(CAST(CAST(ROUND(ABS(`t11`.`_x0`) * 1000, 0) AS BIGINT) % 1000 AS STRING)),
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
              ' < 50'
            )
          END
        ),
        '；'
      ),
      CASE
        WHEN `t11`.`_x1` IS NULL OR ISNAN(`t11`.`_x1`)
        THEN '意向度 无 → 低'
        WHEN `t11`.`_h1`
        THEN CONCAT(
          CONCAT(
            '意向度 ',
            COALESCE(
              CONCAT(
                IF(
                  (
                    `t11`.`_x1` < 0
                  )
                  AND (
                    CAST(ROUND(ABS(`t11`.`_x1`) * 1000, 0) AS BIGINT) > 0
                  ),
                  '-',
                  ''
                ),
                CONCAT(
                  FORMAT_NUMBER(
                    CAST(FLOOR((
                      CAST(ROUND(ABS(`t11`.`_x1`) * 1000, 0) AS BIGINT)
                    ) / (
                      1000
                    )) AS BIGINT),
                    0
                  ),
                  IF(
                    (
                      CAST(ROUND(ABS(`t11`.`_x1`) * 1000, 0) AS BIGINT) % 1000
                    ) = 0,
                    '',
                    CONCAT(
                      '.',
                      REGEXP_REPLACE(
                        LPAD(
                          CAST(CAST(ROUND(ABS(`t11`.`_x1`) * 1000, 0) AS BIGINT) % 1000 AS STRING),
                          GREATEST(
                            LENGTH(CAST(CAST(ROUND(ABS(`t11`.`_x1`) * 1000, 0) AS BIGINT) % 1000 AS STRING)),
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
          ' ≥ 4'
        )
        ELSE CONCAT(
          CONCAT(
            '意向度 ',
            COALESCE(
              CONCAT(
                IF(
                  (
                    `t11`.`_x1` < 0
                  )
                  AND (
                    CAST(ROUND(ABS(`t11`.`_x1`) * 1000, 0) AS BIGINT) > 0
                  ),
                  '-',
                  ''
                ),
                CONCAT(
                  FORMAT_NUMBER(
                    CAST(FLOOR((
                      CAST(ROUND(ABS(`t11`.`_x1`) * 1000, 0) AS BIGINT)
                    ) / (
                      1000
                    )) AS BIGINT),
                    0
                  ),
                  IF(
                    (
                      CAST(ROUND(ABS(`t11`.`_x1`) * 1000, 0) AS BIGINT) % 1000
                    ) = 0,
                    '',
                    CONCAT(
                      '.',
                      REGEXP_REPLACE(
                        LPAD(
                          CAST(CAST(ROUND(ABS(`t11`.`_x1`) * 1000, 0) AS BIGINT) % 1000 AS STRING),
                          GREATEST(
                            LENGTH(CAST(CAST(ROUND(ABS(`t11`.`_x1`) * 1000, 0) AS BIGINT) % 1000 AS STRING)),
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
          ' < 4'
        )
      END
    ) AS `reason_zh`
  FROM (
    SELECT
      `t10`.`customer_id`,
      `t10`.`status`,
      `t10`.`scale`,
      `t10`.`management_level`,
      `t10`.`purchasing_power`,
      `t10`.`marketing_level`,
      `t10`.`growth_ability`,
      `t10`.`competitive_advantage`,
      `t10`.`intent`,
      `t10`.`_pts_expected_contribution_0`,
      `t10`.`_pts_expected_contribution_1`,
      `t10`.`_pts_expected_contribution_2`,
      `t10`.`_pts_expected_contribution_3`,
      `t10`.`_pts_expected_contribution_4`,
      `t10`.`_pts_expected_contribution_5`,
      `t10`.`expected_contribution`,
      RAND() AS `_barrier`,
      `t10`.`_x0`,
      `t10`.`_h0`,
      `t10`.`_x1`,
      `t10`.`_h1`,
      `t10`.`_class`
    FROM (
      SELECT
        `t9`.`customer_id`,
        `t9`.`status`,
        `t9`.`scale`,
        `t9`.`management_level`,
        `t9`.`purchasing_power`,
        `t9`.`marketing_level`,
        `t9`.`growth_ability`,
        `t9`.`competitive_advantage`,
        `t9`.`intent`,
        `t9`.`_pts_expected_contribution_0`,
        `t9`.`_pts_expected_contribution_1`,
        `t9`.`_pts_expected_contribution_2`,
        `t9`.`_pts_expected_contribution_3`,
        `t9`.`_pts_expected_contribution_4`,
        `t9`.`_pts_expected_contribution_5`,
        `t9`.`expected_contribution`,
        `t9`.`_barrier`,
        `t9`.`_x0`,
        `t9`.`_h0`,
        `t9`.`_x1`,
        `t9`.`_h1`,
        CASE
          WHEN (
            `t9`.`_h0` = TRUE
          ) AND (
            `t9`.`_h1` = TRUE
          )
          THEN 'PI'
          WHEN (
            `t9`.`_h0` = TRUE
          ) AND (
            `t9`.`_h1` = FALSE
          )
          THEN 'PII'
          WHEN (
            `t9`.`_h0` = FALSE
          ) AND (
            `t9`.`_h1` = TRUE
          )
          THEN 'PIII'
          WHEN (
            `t9`.`_h0` = FALSE
          ) AND (
            `t9`.`_h1` = FALSE
          )
          THEN 'PIV'
          ELSE NULL
        END AS `_class`
      FROM (
        SELECT
          `t8`.`customer_id`,
          `t8`.`status`,
          `t8`.`scale`,
          `t8`.`management_level`,
          `t8`.`purchasing_power`,
          `t8`.`marketing_level`,
          `t8`.`growth_ability`,
          `t8`.`competitive_advantage`,
          `t8`.`intent`,
          `t8`.`_pts_expected_contribution_0`,
          `t8`.`_pts_expected_contribution_1`,
          `t8`.`_pts_expected_contribution_2`,
          `t8`.`_pts_expected_contribution_3`,
          `t8`.`_pts_expected_contribution_4`,
          `t8`.`_pts_expected_contribution_5`,
          `t8`.`expected_contribution`,
          RAND() AS `_barrier`,
          `t8`.`_x0`,
          `t8`.`_h0`,
          `t8`.`_x1`,
          `t8`.`_h1`
        FROM (
          SELECT
            `t7`.`customer_id`,
            `t7`.`status`,
            `t7`.`scale`,
            `t7`.`management_level`,
            `t7`.`purchasing_power`,
            `t7`.`marketing_level`,
            `t7`.`growth_ability`,
            `t7`.`competitive_advantage`,
            `t7`.`intent`,
            `t7`.`_pts_expected_contribution_0`,
            `t7`.`_pts_expected_contribution_1`,
            `t7`.`_pts_expected_contribution_2`,
            `t7`.`_pts_expected_contribution_3`,
            `t7`.`_pts_expected_contribution_4`,
            `t7`.`_pts_expected_contribution_5`,
            `t7`.`expected_contribution`,
            `t7`.`_barrier`,
            `t7`.`expected_contribution` AS `_x0`,
            COALESCE(`t7`.`expected_contribution` >= 50.0, FALSE) AS `_h0`,
            `t7`.`intent` AS `_x1`,
            COALESCE(`t7`.`intent` >= 4.0, FALSE) AS `_h1`
          FROM (
            SELECT
              `t6`.`customer_id`,
              `t6`.`status`,
              `t6`.`scale`,
              `t6`.`management_level`,
              `t6`.`purchasing_power`,
              `t6`.`marketing_level`,
              `t6`.`growth_ability`,
              `t6`.`competitive_advantage`,
              `t6`.`intent`,
              `t6`.`_pts_expected_contribution_0`,
              `t6`.`_pts_expected_contribution_1`,
              `t6`.`_pts_expected_contribution_2`,
              `t6`.`_pts_expected_contribution_3`,
              `t6`.`_pts_expected_contribution_4`,
              `t6`.`_pts_expected_contribution_5`,
              `t6`.`expected_contribution`,
              RAND() AS `_barrier`
            FROM (
              SELECT
                `t5`.`customer_id`,
                `t5`.`status`,
                `t5`.`scale`,
                `t5`.`management_level`,
                `t5`.`purchasing_power`,
                `t5`.`marketing_level`,
                `t5`.`growth_ability`,
                `t5`.`competitive_advantage`,
                `t5`.`intent`,
                COALESCE(
                  (
                    IF(
                      IF(`t5`.`scale` IS NULL, `t5`.`scale`, LEAST(5.0, `t5`.`scale`)) IS NULL,
                      IF(`t5`.`scale` IS NULL, `t5`.`scale`, LEAST(5.0, `t5`.`scale`)),
                      GREATEST(1.0, IF(`t5`.`scale` IS NULL, `t5`.`scale`, LEAST(5.0, `t5`.`scale`)))
                    ) - 1.0
                  ) / 4.0,
                  0.0
                ) * 20.0 AS `_pts_expected_contribution_0`,
                COALESCE(
                  (
                    IF(
                      IF(
                        `t5`.`management_level` IS NULL,
                        `t5`.`management_level`,
                        LEAST(5.0, `t5`.`management_level`)
                      ) IS NULL,
                      IF(
                        `t5`.`management_level` IS NULL,
                        `t5`.`management_level`,
                        LEAST(5.0, `t5`.`management_level`)
                      ),
                      GREATEST(
                        1.0,
                        IF(
                          `t5`.`management_level` IS NULL,
                          `t5`.`management_level`,
                          LEAST(5.0, `t5`.`management_level`)
                        )
                      )
                    ) - 1.0
                  ) / 4.0,
                  0.0
                ) * 15.0 AS `_pts_expected_contribution_1`,
                COALESCE(
                  (
                    IF(
                      IF(
                        `t5`.`purchasing_power` IS NULL,
                        `t5`.`purchasing_power`,
                        LEAST(5.0, `t5`.`purchasing_power`)
                      ) IS NULL,
                      IF(
                        `t5`.`purchasing_power` IS NULL,
                        `t5`.`purchasing_power`,
                        LEAST(5.0, `t5`.`purchasing_power`)
                      ),
                      GREATEST(
                        1.0,
                        IF(
                          `t5`.`purchasing_power` IS NULL,
                          `t5`.`purchasing_power`,
                          LEAST(5.0, `t5`.`purchasing_power`)
                        )
                      )
                    ) - 1.0
                  ) / 4.0,
                  0.0
                ) * 20.0 AS `_pts_expected_contribution_2`,
                COALESCE(
                  (
                    IF(
                      IF(
                        `t5`.`marketing_level` IS NULL,
                        `t5`.`marketing_level`,
                        LEAST(5.0, `t5`.`marketing_level`)
                      ) IS NULL,
                      IF(
                        `t5`.`marketing_level` IS NULL,
                        `t5`.`marketing_level`,
                        LEAST(5.0, `t5`.`marketing_level`)
                      ),
                      GREATEST(
                        1.0,
                        IF(
                          `t5`.`marketing_level` IS NULL,
                          `t5`.`marketing_level`,
                          LEAST(5.0, `t5`.`marketing_level`)
                        )
                      )
                    ) - 1.0
                  ) / 4.0,
                  0.0
                ) * 15.0 AS `_pts_expected_contribution_3`,
                COALESCE(
                  (
                    IF(
                      IF(
                        `t5`.`growth_ability` IS NULL,
                        `t5`.`growth_ability`,
                        LEAST(5.0, `t5`.`growth_ability`)
                      ) IS NULL,
                      IF(
                        `t5`.`growth_ability` IS NULL,
                        `t5`.`growth_ability`,
                        LEAST(5.0, `t5`.`growth_ability`)
                      ),
                      GREATEST(
                        1.0,
                        IF(
                          `t5`.`growth_ability` IS NULL,
                          `t5`.`growth_ability`,
                          LEAST(5.0, `t5`.`growth_ability`)
                        )
                      )
                    ) - 1.0
                  ) / 4.0,
                  0.0
                ) * 15.0 AS `_pts_expected_contribution_4`,
                COALESCE(
                  (
                    IF(
                      IF(
                        `t5`.`competitive_advantage` IS NULL,
                        `t5`.`competitive_advantage`,
                        LEAST(5.0, `t5`.`competitive_advantage`)
                      ) IS NULL,
                      IF(
                        `t5`.`competitive_advantage` IS NULL,
                        `t5`.`competitive_advantage`,
                        LEAST(5.0, `t5`.`competitive_advantage`)
                      ),
                      GREATEST(
                        1.0,
                        IF(
                          `t5`.`competitive_advantage` IS NULL,
                          `t5`.`competitive_advantage`,
                          LEAST(5.0, `t5`.`competitive_advantage`)
                        )
                      )
                    ) - 1.0
                  ) / 4.0,
                  0.0
                ) * 15.0 AS `_pts_expected_contribution_5`,
                0.0 + (
                  COALESCE(
                    (
                      IF(
                        IF(`t5`.`scale` IS NULL, `t5`.`scale`, LEAST(5.0, `t5`.`scale`)) IS NULL,
                        IF(`t5`.`scale` IS NULL, `t5`.`scale`, LEAST(5.0, `t5`.`scale`)),
                        GREATEST(1.0, IF(`t5`.`scale` IS NULL, `t5`.`scale`, LEAST(5.0, `t5`.`scale`)))
                      ) - 1.0
                    ) / 4.0,
                    0.0
                  ) * 20.0
                ) + (
                  COALESCE(
                    (
                      IF(
                        IF(
                          `t5`.`management_level` IS NULL,
                          `t5`.`management_level`,
                          LEAST(5.0, `t5`.`management_level`)
                        ) IS NULL,
                        IF(
                          `t5`.`management_level` IS NULL,
                          `t5`.`management_level`,
                          LEAST(5.0, `t5`.`management_level`)
                        ),
                        GREATEST(
                          1.0,
                          IF(
                            `t5`.`management_level` IS NULL,
                            `t5`.`management_level`,
                            LEAST(5.0, `t5`.`management_level`)
                          )
                        )
                      ) - 1.0
                    ) / 4.0,
                    0.0
                  ) * 15.0
                ) + (
                  COALESCE(
                    (
                      IF(
                        IF(
                          `t5`.`purchasing_power` IS NULL,
                          `t5`.`purchasing_power`,
                          LEAST(5.0, `t5`.`purchasing_power`)
                        ) IS NULL,
                        IF(
                          `t5`.`purchasing_power` IS NULL,
                          `t5`.`purchasing_power`,
                          LEAST(5.0, `t5`.`purchasing_power`)
                        ),
                        GREATEST(
                          1.0,
                          IF(
                            `t5`.`purchasing_power` IS NULL,
                            `t5`.`purchasing_power`,
                            LEAST(5.0, `t5`.`purchasing_power`)
                          )
                        )
                      ) - 1.0
                    ) / 4.0,
                    0.0
                  ) * 20.0
                ) + (
                  COALESCE(
                    (
                      IF(
                        IF(
                          `t5`.`marketing_level` IS NULL,
                          `t5`.`marketing_level`,
                          LEAST(5.0, `t5`.`marketing_level`)
                        ) IS NULL,
                        IF(
                          `t5`.`marketing_level` IS NULL,
                          `t5`.`marketing_level`,
                          LEAST(5.0, `t5`.`marketing_level`)
                        ),
                        GREATEST(
                          1.0,
                          IF(
                            `t5`.`marketing_level` IS NULL,
                            `t5`.`marketing_level`,
                            LEAST(5.0, `t5`.`marketing_level`)
                          )
                        )
                      ) - 1.0
                    ) / 4.0,
                    0.0
                  ) * 15.0
                ) + (
                  COALESCE(
                    (
                      IF(
                        IF(
                          `t5`.`growth_ability` IS NULL,
                          `t5`.`growth_ability`,
                          LEAST(5.0, `t5`.`growth_ability`)
                        ) IS NULL,
                        IF(
                          `t5`.`growth_ability` IS NULL,
                          `t5`.`growth_ability`,
                          LEAST(5.0, `t5`.`growth_ability`)
                        ),
                        GREATEST(
                          1.0,
                          IF(
                            `t5`.`growth_ability` IS NULL,
                            `t5`.`growth_ability`,
                            LEAST(5.0, `t5`.`growth_ability`)
                          )
                        )
                      ) - 1.0
                    ) / 4.0,
                    0.0
                  ) * 15.0
                ) + (
                  COALESCE(
                    (
                      IF(
                        IF(
                          `t5`.`competitive_advantage` IS NULL,
                          `t5`.`competitive_advantage`,
                          LEAST(5.0, `t5`.`competitive_advantage`)
                        ) IS NULL,
                        IF(
                          `t5`.`competitive_advantage` IS NULL,
                          `t5`.`competitive_advantage`,
                          LEAST(5.0, `t5`.`competitive_advantage`)
                        ),
                        GREATEST(
                          1.0,
                          IF(
                            `t5`.`competitive_advantage` IS NULL,
                            `t5`.`competitive_advantage`,
                            LEAST(5.0, `t5`.`competitive_advantage`)
                          )
                        )
                      ) - 1.0
                    ) / 4.0,
                    0.0
                  ) * 15.0
                ) AS `expected_contribution`
              FROM (
                SELECT
                  `t2`.`customer_id`,
                  `t2`.`status`,
                  `t4`.`scale`,
                  `t4`.`management_level`,
                  `t4`.`purchasing_power`,
                  `t4`.`marketing_level`,
                  `t4`.`growth_ability`,
                  `t4`.`competitive_advantage`,
                  `t4`.`intent`
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
                `t5`.`status` = 'prospect'
            ) AS `t6`
          ) AS `t7`
        ) AS `t8`
      ) AS `t9`
    ) AS `t10`
  ) AS `t11`
) AS `t12`
