SELECT
  `t9`.`customer_id`,
  IF(
    COALESCE(
      CASE
        WHEN `t9`.`credit_grade_finance` = 'A'
        THEN 0
        WHEN `t9`.`credit_grade_finance` = 'B'
        THEN 1
        WHEN `t9`.`credit_grade_finance` = 'C'
        THEN 3
        WHEN `t9`.`credit_grade_finance` = 'D'
        THEN 4
        ELSE CAST(NULL AS BIGINT)
      END > CASE
        WHEN `t9`.`_class` = 'AAA'
        THEN 0
        WHEN `t9`.`_class` = 'AA'
        THEN 1
        WHEN `t9`.`_class` = 'A'
        THEN 2
        WHEN `t9`.`_class` = 'B'
        THEN 3
        WHEN `t9`.`_class` = 'C'
        THEN 4
        ELSE 4
      END,
      FALSE
    ),
    CASE
      WHEN CASE
        WHEN `t9`.`credit_grade_finance` = 'A'
        THEN 0
        WHEN `t9`.`credit_grade_finance` = 'B'
        THEN 1
        WHEN `t9`.`credit_grade_finance` = 'C'
        THEN 3
        WHEN `t9`.`credit_grade_finance` = 'D'
        THEN 4
        ELSE CAST(NULL AS BIGINT)
      END = 0
      THEN 'AAA'
      WHEN CASE
        WHEN `t9`.`credit_grade_finance` = 'A'
        THEN 0
        WHEN `t9`.`credit_grade_finance` = 'B'
        THEN 1
        WHEN `t9`.`credit_grade_finance` = 'C'
        THEN 3
        WHEN `t9`.`credit_grade_finance` = 'D'
        THEN 4
        ELSE CAST(NULL AS BIGINT)
      END = 1
      THEN 'AA'
      WHEN CASE
        WHEN `t9`.`credit_grade_finance` = 'A'
        THEN 0
        WHEN `t9`.`credit_grade_finance` = 'B'
        THEN 1
        WHEN `t9`.`credit_grade_finance` = 'C'
        THEN 3
        WHEN `t9`.`credit_grade_finance` = 'D'
        THEN 4
        ELSE CAST(NULL AS BIGINT)
      END = 2
      THEN 'A'
      WHEN CASE
        WHEN `t9`.`credit_grade_finance` = 'A'
        THEN 0
        WHEN `t9`.`credit_grade_finance` = 'B'
        THEN 1
        WHEN `t9`.`credit_grade_finance` = 'C'
        THEN 3
        WHEN `t9`.`credit_grade_finance` = 'D'
        THEN 4
        ELSE CAST(NULL AS BIGINT)
      END = 3
      THEN 'B'
      WHEN CASE
        WHEN `t9`.`credit_grade_finance` = 'A'
        THEN 0
        WHEN `t9`.`credit_grade_finance` = 'B'
        THEN 1
        WHEN `t9`.`credit_grade_finance` = 'C'
        THEN 3
        WHEN `t9`.`credit_grade_finance` = 'D'
        THEN 4
        ELSE CAST(NULL AS BIGINT)
      END = 4
      THEN 'C'
      ELSE `t9`.`_class`
    END,
    `t9`.`_class`
  ) AS `class`,
  `t9`.`credit_score` AS `score`,
  ARRAY(
    `t9`.`credit_score`,
    `t9`.`on_time_ratio`,
    `t9`.`_pts_credit_score_0`,
    CAST(`t9`.`max_days_overdue` AS DOUBLE),
    `t9`.`_pts_credit_score_1`,
    `t9`.`credit_utilization`,
    `t9`.`_pts_credit_score_2`,
    IF(
      `t9`.`outstanding` = 0,
      CAST(NULL AS DOUBLE),
      CAST(`t9`.`overdue_amount` AS DOUBLE) / `t9`.`outstanding`
    ),
    `t9`.`_pts_credit_score_3`,
    CAST(0 + IF(
      COALESCE(
        CASE
          WHEN `t9`.`credit_grade_finance` = 'A'
          THEN 0
          WHEN `t9`.`credit_grade_finance` = 'B'
          THEN 1
          WHEN `t9`.`credit_grade_finance` = 'C'
          THEN 3
          WHEN `t9`.`credit_grade_finance` = 'D'
          THEN 4
          ELSE CAST(NULL AS BIGINT)
        END > CASE
          WHEN `t9`.`_class` = 'AAA'
          THEN 0
          WHEN `t9`.`_class` = 'AA'
          THEN 1
          WHEN `t9`.`_class` = 'A'
          THEN 2
          WHEN `t9`.`_class` = 'B'
          THEN 3
          WHEN `t9`.`_class` = 'C'
          THEN 4
          ELSE 4
        END,
        FALSE
      ),
      1,
      0
    ) AS DOUBLE)
  ) AS `why`,
  ARRAY(`t9`.`_class`, `t9`.`credit_grade_finance`) AS `why_text`
FROM (
  SELECT
    `t8`.`customer_id`,
    `t8`.`status`,
    `t8`.`outstanding`,
    `t8`.`overdue_amount`,
    `t8`.`max_days_overdue`,
    `t8`.`on_time_ratio`,
    `t8`.`credit_utilization`,
    `t8`.`credit_grade_finance`,
    `t8`.`_pts_credit_score_0`,
    `t8`.`_pts_credit_score_1`,
    `t8`.`_pts_credit_score_2`,
    `t8`.`_pts_credit_score_3`,
    `t8`.`credit_score`,
    RAND() AS `_barrier`,
    `t8`.`_class`
  FROM (
    SELECT
      `t7`.`customer_id`,
      `t7`.`status`,
      `t7`.`outstanding`,
      `t7`.`overdue_amount`,
      `t7`.`max_days_overdue`,
      `t7`.`on_time_ratio`,
      `t7`.`credit_utilization`,
      `t7`.`credit_grade_finance`,
      `t7`.`_pts_credit_score_0`,
      `t7`.`_pts_credit_score_1`,
      `t7`.`_pts_credit_score_2`,
      `t7`.`_pts_credit_score_3`,
      `t7`.`credit_score`,
      `t7`.`_barrier`,
      CASE
        WHEN `t7`.`credit_score` >= 90.0
        THEN 'AAA'
        WHEN `t7`.`credit_score` >= 75.0
        THEN 'AA'
        WHEN `t7`.`credit_score` >= 60.0
        THEN 'A'
        WHEN `t7`.`credit_score` >= 40.0
        THEN 'B'
        ELSE 'C'
      END AS `_class`
    FROM (
      SELECT
        `t6`.`customer_id`,
        `t6`.`status`,
        `t6`.`outstanding`,
        `t6`.`overdue_amount`,
        `t6`.`max_days_overdue`,
        `t6`.`on_time_ratio`,
        `t6`.`credit_utilization`,
        `t6`.`credit_grade_finance`,
        `t6`.`_pts_credit_score_0`,
        `t6`.`_pts_credit_score_1`,
        `t6`.`_pts_credit_score_2`,
        `t6`.`_pts_credit_score_3`,
        `t6`.`credit_score`,
        RAND() AS `_barrier`
      FROM (
        SELECT
          `t5`.`customer_id`,
          `t5`.`status`,
          `t5`.`outstanding`,
          `t5`.`overdue_amount`,
          `t5`.`max_days_overdue`,
          `t5`.`on_time_ratio`,
          `t5`.`credit_utilization`,
          `t5`.`credit_grade_finance`,
          COALESCE(
            (
              IF(
                IF(`t5`.`on_time_ratio` IS NULL, `t5`.`on_time_ratio`, LEAST(1.0, `t5`.`on_time_ratio`)) IS NULL,
                IF(`t5`.`on_time_ratio` IS NULL, `t5`.`on_time_ratio`, LEAST(1.0, `t5`.`on_time_ratio`)),
                GREATEST(
                  0.0,
                  IF(`t5`.`on_time_ratio` IS NULL, `t5`.`on_time_ratio`, LEAST(1.0, `t5`.`on_time_ratio`))
                )
              ) - 0.0
            ) / 1.0,
            0.7
          ) * 40.0 AS `_pts_credit_score_0`,
          COALESCE(
            1 - (
              (
                IF(
                  IF(
                    CAST(`t5`.`max_days_overdue` AS DOUBLE) IS NULL,
                    CAST(`t5`.`max_days_overdue` AS DOUBLE),
                    LEAST(90.0, CAST(`t5`.`max_days_overdue` AS DOUBLE))
                  ) IS NULL,
                  IF(
                    CAST(`t5`.`max_days_overdue` AS DOUBLE) IS NULL,
                    CAST(`t5`.`max_days_overdue` AS DOUBLE),
                    LEAST(90.0, CAST(`t5`.`max_days_overdue` AS DOUBLE))
                  ),
                  GREATEST(
                    0.0,
                    IF(
                      CAST(`t5`.`max_days_overdue` AS DOUBLE) IS NULL,
                      CAST(`t5`.`max_days_overdue` AS DOUBLE),
                      LEAST(90.0, CAST(`t5`.`max_days_overdue` AS DOUBLE))
                    )
                  )
                ) - 0.0
              ) / 90.0
            ),
            1.0
          ) * 30.0 AS `_pts_credit_score_1`,
          COALESCE(
            1 - (
              (
                IF(
                  IF(
                    `t5`.`credit_utilization` IS NULL,
                    `t5`.`credit_utilization`,
                    LEAST(1.0, `t5`.`credit_utilization`)
                  ) IS NULL,
                  IF(
                    `t5`.`credit_utilization` IS NULL,
                    `t5`.`credit_utilization`,
                    LEAST(1.0, `t5`.`credit_utilization`)
                  ),
                  GREATEST(
                    0.0,
                    IF(
                      `t5`.`credit_utilization` IS NULL,
                      `t5`.`credit_utilization`,
                      LEAST(1.0, `t5`.`credit_utilization`)
                    )
                  )
                ) - 0.0
              ) / 1.0
            ),
            0.5
          ) * 15.0 AS `_pts_credit_score_2`,
          COALESCE(
            1 - (
              (
                IF(
                  IF(
                    IF(
                      `t5`.`outstanding` = 0,
                      CAST(NULL AS DOUBLE),
                      CAST(`t5`.`overdue_amount` AS DOUBLE) / `t5`.`outstanding`
                    ) IS NULL,
                    IF(
                      `t5`.`outstanding` = 0,
                      CAST(NULL AS DOUBLE),
                      CAST(`t5`.`overdue_amount` AS DOUBLE) / `t5`.`outstanding`
                    ),
                    LEAST(
                      1.0,
                      IF(
                        `t5`.`outstanding` = 0,
                        CAST(NULL AS DOUBLE),
                        CAST(`t5`.`overdue_amount` AS DOUBLE) / `t5`.`outstanding`
                      )
                    )
                  ) IS NULL,
                  IF(
                    IF(
                      `t5`.`outstanding` = 0,
                      CAST(NULL AS DOUBLE),
                      CAST(`t5`.`overdue_amount` AS DOUBLE) / `t5`.`outstanding`
                    ) IS NULL,
                    IF(
                      `t5`.`outstanding` = 0,
                      CAST(NULL AS DOUBLE),
                      CAST(`t5`.`overdue_amount` AS DOUBLE) / `t5`.`outstanding`
                    ),
                    LEAST(
                      1.0,
                      IF(
                        `t5`.`outstanding` = 0,
                        CAST(NULL AS DOUBLE),
                        CAST(`t5`.`overdue_amount` AS DOUBLE) / `t5`.`outstanding`
                      )
                    )
                  ),
                  GREATEST(
                    0.0,
                    IF(
                      IF(
                        `t5`.`outstanding` = 0,
                        CAST(NULL AS DOUBLE),
                        CAST(`t5`.`overdue_amount` AS DOUBLE) / `t5`.`outstanding`
                      ) IS NULL,
                      IF(
                        `t5`.`outstanding` = 0,
                        CAST(NULL AS DOUBLE),
                        CAST(`t5`.`overdue_amount` AS DOUBLE) / `t5`.`outstanding`
                      ),
                      LEAST(
                        1.0,
                        IF(
                          `t5`.`outstanding` = 0,
                          CAST(NULL AS DOUBLE),
                          CAST(`t5`.`overdue_amount` AS DOUBLE) / `t5`.`outstanding`
                        )
                      )
                    )
                  )
                ) - 0.0
              ) / 1.0
            ),
            1.0
          ) * 15.0 AS `_pts_credit_score_3`,
          0.0 + (
            COALESCE(
              (
                IF(
                  IF(`t5`.`on_time_ratio` IS NULL, `t5`.`on_time_ratio`, LEAST(1.0, `t5`.`on_time_ratio`)) IS NULL,
                  IF(`t5`.`on_time_ratio` IS NULL, `t5`.`on_time_ratio`, LEAST(1.0, `t5`.`on_time_ratio`)),
                  GREATEST(
                    0.0,
                    IF(`t5`.`on_time_ratio` IS NULL, `t5`.`on_time_ratio`, LEAST(1.0, `t5`.`on_time_ratio`))
                  )
                ) - 0.0
              ) / 1.0,
              0.7
            ) * 40.0
          ) + (
            COALESCE(
              1 - (
                (
                  IF(
                    IF(
                      CAST(`t5`.`max_days_overdue` AS DOUBLE) IS NULL,
                      CAST(`t5`.`max_days_overdue` AS DOUBLE),
                      LEAST(90.0, CAST(`t5`.`max_days_overdue` AS DOUBLE))
                    ) IS NULL,
                    IF(
                      CAST(`t5`.`max_days_overdue` AS DOUBLE) IS NULL,
                      CAST(`t5`.`max_days_overdue` AS DOUBLE),
                      LEAST(90.0, CAST(`t5`.`max_days_overdue` AS DOUBLE))
                    ),
                    GREATEST(
                      0.0,
                      IF(
                        CAST(`t5`.`max_days_overdue` AS DOUBLE) IS NULL,
                        CAST(`t5`.`max_days_overdue` AS DOUBLE),
                        LEAST(90.0, CAST(`t5`.`max_days_overdue` AS DOUBLE))
                      )
                    )
                  ) - 0.0
                ) / 90.0
              ),
              1.0
            ) * 30.0
          ) + (
            COALESCE(
              1 - (
                (
                  IF(
                    IF(
                      `t5`.`credit_utilization` IS NULL,
                      `t5`.`credit_utilization`,
                      LEAST(1.0, `t5`.`credit_utilization`)
                    ) IS NULL,
                    IF(
                      `t5`.`credit_utilization` IS NULL,
                      `t5`.`credit_utilization`,
                      LEAST(1.0, `t5`.`credit_utilization`)
                    ),
                    GREATEST(
                      0.0,
                      IF(
                        `t5`.`credit_utilization` IS NULL,
                        `t5`.`credit_utilization`,
                        LEAST(1.0, `t5`.`credit_utilization`)
                      )
                    )
                  ) - 0.0
                ) / 1.0
              ),
              0.5
            ) * 15.0
          ) + (
            COALESCE(
              1 - (
                (
                  IF(
                    IF(
                      IF(
                        `t5`.`outstanding` = 0,
                        CAST(NULL AS DOUBLE),
                        CAST(`t5`.`overdue_amount` AS DOUBLE) / `t5`.`outstanding`
                      ) IS NULL,
                      IF(
                        `t5`.`outstanding` = 0,
                        CAST(NULL AS DOUBLE),
                        CAST(`t5`.`overdue_amount` AS DOUBLE) / `t5`.`outstanding`
                      ),
                      LEAST(
                        1.0,
                        IF(
                          `t5`.`outstanding` = 0,
                          CAST(NULL AS DOUBLE),
                          CAST(`t5`.`overdue_amount` AS DOUBLE) / `t5`.`outstanding`
                        )
                      )
                    ) IS NULL,
                    IF(
                      IF(
                        `t5`.`outstanding` = 0,
                        CAST(NULL AS DOUBLE),
                        CAST(`t5`.`overdue_amount` AS DOUBLE) / `t5`.`outstanding`
                      ) IS NULL,
                      IF(
                        `t5`.`outstanding` = 0,
                        CAST(NULL AS DOUBLE),
                        CAST(`t5`.`overdue_amount` AS DOUBLE) / `t5`.`outstanding`
                      ),
                      LEAST(
                        1.0,
                        IF(
                          `t5`.`outstanding` = 0,
                          CAST(NULL AS DOUBLE),
                          CAST(`t5`.`overdue_amount` AS DOUBLE) / `t5`.`outstanding`
                        )
                      )
                    ),
                    GREATEST(
                      0.0,
                      IF(
                        IF(
                          `t5`.`outstanding` = 0,
                          CAST(NULL AS DOUBLE),
                          CAST(`t5`.`overdue_amount` AS DOUBLE) / `t5`.`outstanding`
                        ) IS NULL,
                        IF(
                          `t5`.`outstanding` = 0,
                          CAST(NULL AS DOUBLE),
                          CAST(`t5`.`overdue_amount` AS DOUBLE) / `t5`.`outstanding`
                        ),
                        LEAST(
                          1.0,
                          IF(
                            `t5`.`outstanding` = 0,
                            CAST(NULL AS DOUBLE),
                            CAST(`t5`.`overdue_amount` AS DOUBLE) / `t5`.`outstanding`
                          )
                        )
                      )
                    )
                  ) - 0.0
                ) / 1.0
              ),
              1.0
            ) * 15.0
          ) AS `credit_score`
        FROM (
          SELECT
            `t2`.`customer_id`,
            `t2`.`status`,
            `t2`.`outstanding`,
            `t2`.`overdue_amount`,
            `t2`.`max_days_overdue`,
            `t2`.`on_time_ratio`,
            `t2`.`credit_utilization`,
            `t4`.`credit_grade_finance`
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
