SELECT
  `t12`.`customer_id`,
  `t12`.`_class` AS `class`,
  CAST((
    `t12`.`r` * 100
  ) + (
    `t12`.`f` * 10
  ) + `t12`.`m` AS DOUBLE) AS `score`,
  CONCAT(
    CONCAT(
      CASE
        WHEN `t12`.`_class` = 'important_value'
        THEN 'important value'
        WHEN `t12`.`_class` = 'important_develop'
        THEN 'important develop'
        WHEN `t12`.`_class` = 'important_keep'
        THEN 'important keep'
        WHEN `t12`.`_class` = 'important_retain'
        THEN 'important retain'
        WHEN `t12`.`_class` = 'general_value'
        THEN 'general value'
        WHEN `t12`.`_class` = 'general_develop'
        THEN 'general develop'
        WHEN `t12`.`_class` = 'general_keep'
        THEN 'general keep'
        WHEN `t12`.`_class` = 'general_retain'
        THEN 'general retain'
        ELSE `t12`.`_class`
      END,
      ': '
    ),
    `t12`.`_head_en`
  ) AS `reason_en`,
  CONCAT(
    CONCAT(
      CASE
        WHEN `t12`.`_class` = 'important_value'
        THEN '重要价值客户'
        WHEN `t12`.`_class` = 'important_develop'
        THEN '重要发展客户'
        WHEN `t12`.`_class` = 'important_keep'
        THEN '重要保持客户'
        WHEN `t12`.`_class` = 'important_retain'
        THEN '重要挽留客户'
        WHEN `t12`.`_class` = 'general_value'
        THEN '一般价值客户'
        WHEN `t12`.`_class` = 'general_develop'
        THEN '一般发展客户'
        WHEN `t12`.`_class` = 'general_keep'
        THEN '一般保持客户'
        WHEN `t12`.`_class` = 'general_retain'
        THEN '一般挽留客户'
        ELSE `t12`.`_class`
      END,
      '：'
    ),
    `t12`.`_head_zh`
  ) AS `reason_zh`
FROM (
  SELECT
    `t11`.`customer_id`,
    `t11`.`status`,
    `t11`.`lifetime_revenue`,
    `t11`.`lifetime_orders`,
    `t11`.`recency_days`,
    `t11`.`r`,
    `t11`.`_rv`,
    `t11`.`f`,
    `t11`.`_fv`,
    `t11`.`m`,
    `t11`.`_mv`,
    RAND() AS `_barrier`,
    `t11`.`fm`,
    `t11`.`_c0`,
    `t11`.`_l0_0`,
    `t11`.`_l0_1`,
    `t11`.`_l0_2`,
    `t11`.`_c1`,
    `t11`.`_l1_0`,
    `t11`.`_l1_1`,
    `t11`.`_l1_2`,
    `t11`.`_c2`,
    `t11`.`_l2_0`,
    `t11`.`_l2_1`,
    `t11`.`_l2_2`,
    `t11`.`_c3`,
    `t11`.`_l3_0`,
    `t11`.`_l3_1`,
    `t11`.`_l3_2`,
    `t11`.`_c4`,
    `t11`.`_l4_0`,
    `t11`.`_l4_1`,
    `t11`.`_l4_2`,
    `t11`.`_c5`,
    `t11`.`_l5_0`,
    `t11`.`_l5_1`,
    `t11`.`_l5_2`,
    `t11`.`_c6`,
    `t11`.`_l6_0`,
    `t11`.`_l6_1`,
    `t11`.`_l6_2`,
    `t11`.`_head_en`,
    `t11`.`_head_zh`,
    `t11`.`_class`
  FROM (
    SELECT
      `t10`.`customer_id`,
      `t10`.`status`,
      `t10`.`lifetime_revenue`,
      `t10`.`lifetime_orders`,
      `t10`.`recency_days`,
      `t10`.`r`,
      `t10`.`_rv`,
      `t10`.`f`,
      `t10`.`_fv`,
      `t10`.`m`,
      `t10`.`_mv`,
      `t10`.`_barrier`,
      `t10`.`fm`,
      `t10`.`_c0`,
      `t10`.`_l0_0`,
      `t10`.`_l0_1`,
      `t10`.`_l0_2`,
      `t10`.`_c1`,
      `t10`.`_l1_0`,
      `t10`.`_l1_1`,
      `t10`.`_l1_2`,
      `t10`.`_c2`,
      `t10`.`_l2_0`,
      `t10`.`_l2_1`,
      `t10`.`_l2_2`,
      `t10`.`_c3`,
      `t10`.`_l3_0`,
      `t10`.`_l3_1`,
      `t10`.`_l3_2`,
      `t10`.`_c4`,
      `t10`.`_l4_0`,
      `t10`.`_l4_1`,
      `t10`.`_l4_2`,
      `t10`.`_c5`,
      `t10`.`_l5_0`,
      `t10`.`_l5_1`,
      `t10`.`_l5_2`,
      `t10`.`_c6`,
      `t10`.`_l6_0`,
      `t10`.`_l6_1`,
      `t10`.`_l6_2`,
      `t10`.`_head_en`,
      `t10`.`_head_zh`,
      CASE
        WHEN `t10`.`_c0`
        THEN 'important_value'
        WHEN `t10`.`_c1`
        THEN 'important_develop'
        WHEN `t10`.`_c2`
        THEN 'important_keep'
        WHEN `t10`.`_c3`
        THEN 'important_retain'
        WHEN `t10`.`_c4`
        THEN 'general_value'
        WHEN `t10`.`_c5`
        THEN 'general_develop'
        WHEN `t10`.`_c6`
        THEN 'general_keep'
        ELSE 'general_retain'
      END AS `_class`
    FROM (
      SELECT
        `t9`.`customer_id`,
        `t9`.`status`,
        `t9`.`lifetime_revenue`,
        `t9`.`lifetime_orders`,
        `t9`.`recency_days`,
        `t9`.`r`,
        `t9`.`_rv`,
        `t9`.`f`,
        `t9`.`_fv`,
        `t9`.`m`,
        `t9`.`_mv`,
        RAND() AS `_barrier`,
        `t9`.`fm`,
        `t9`.`_c0`,
        `t9`.`_l0_0`,
        `t9`.`_l0_1`,
        `t9`.`_l0_2`,
        `t9`.`_c1`,
        `t9`.`_l1_0`,
        `t9`.`_l1_1`,
        `t9`.`_l1_2`,
        `t9`.`_c2`,
        `t9`.`_l2_0`,
        `t9`.`_l2_1`,
        `t9`.`_l2_2`,
        `t9`.`_c3`,
        `t9`.`_l3_0`,
        `t9`.`_l3_1`,
        `t9`.`_l3_2`,
        `t9`.`_c4`,
        `t9`.`_l4_0`,
        `t9`.`_l4_1`,
        `t9`.`_l4_2`,
        `t9`.`_c5`,
        `t9`.`_l5_0`,
        `t9`.`_l5_1`,
        `t9`.`_l5_2`,
        `t9`.`_c6`,
        `t9`.`_l6_0`,
        `t9`.`_l6_1`,
        `t9`.`_l6_2`,
        `t9`.`_head_en`,
        `t9`.`_head_zh`
      FROM (
        SELECT
          `t8`.`customer_id`,
          `t8`.`status`,
          `t8`.`lifetime_revenue`,
          `t8`.`lifetime_orders`,
          `t8`.`recency_days`,
          `t8`.`r`,
          `t8`.`_rv`,
          `t8`.`f`,
          `t8`.`_fv`,
          `t8`.`m`,
          `t8`.`_mv`,
          `t8`.`_barrier`,
          `t8`.`fm`,
          COALESCE((
            `t8`.`r` = 2
          ) AND (
            `t8`.`f` = 2
          ) AND (
            `t8`.`m` = 2
          ), FALSE) AS `_c0`,
          COALESCE(`t8`.`r` = 2, FALSE) AS `_l0_0`,
          COALESCE(`t8`.`f` = 2, FALSE) AS `_l0_1`,
          COALESCE(`t8`.`m` = 2, FALSE) AS `_l0_2`,
          COALESCE((
            `t8`.`r` = 2
          ) AND (
            `t8`.`f` = 1
          ) AND (
            `t8`.`m` = 2
          ), FALSE) AS `_c1`,
          COALESCE(`t8`.`r` = 2, FALSE) AS `_l1_0`,
          COALESCE(`t8`.`f` = 1, FALSE) AS `_l1_1`,
          COALESCE(`t8`.`m` = 2, FALSE) AS `_l1_2`,
          COALESCE((
            `t8`.`r` = 1
          ) AND (
            `t8`.`f` = 2
          ) AND (
            `t8`.`m` = 2
          ), FALSE) AS `_c2`,
          COALESCE(`t8`.`r` = 1, FALSE) AS `_l2_0`,
          COALESCE(`t8`.`f` = 2, FALSE) AS `_l2_1`,
          COALESCE(`t8`.`m` = 2, FALSE) AS `_l2_2`,
          COALESCE((
            `t8`.`r` = 1
          ) AND (
            `t8`.`f` = 1
          ) AND (
            `t8`.`m` = 2
          ), FALSE) AS `_c3`,
          COALESCE(`t8`.`r` = 1, FALSE) AS `_l3_0`,
          COALESCE(`t8`.`f` = 1, FALSE) AS `_l3_1`,
          COALESCE(`t8`.`m` = 2, FALSE) AS `_l3_2`,
          COALESCE((
            `t8`.`r` = 2
          ) AND (
            `t8`.`f` = 2
          ) AND (
            `t8`.`m` = 1
          ), FALSE) AS `_c4`,
          COALESCE(`t8`.`r` = 2, FALSE) AS `_l4_0`,
          COALESCE(`t8`.`f` = 2, FALSE) AS `_l4_1`,
          COALESCE(`t8`.`m` = 1, FALSE) AS `_l4_2`,
          COALESCE((
            `t8`.`r` = 2
          ) AND (
            `t8`.`f` = 1
          ) AND (
            `t8`.`m` = 1
          ), FALSE) AS `_c5`,
          COALESCE(`t8`.`r` = 2, FALSE) AS `_l5_0`,
          COALESCE(`t8`.`f` = 1, FALSE) AS `_l5_1`,
          COALESCE(`t8`.`m` = 1, FALSE) AS `_l5_2`,
          COALESCE((
            `t8`.`r` = 1
          ) AND (
            `t8`.`f` = 2
          ) AND (
            `t8`.`m` = 1
          ), FALSE) AS `_c6`,
          COALESCE(`t8`.`r` = 1, FALSE) AS `_l6_0`,
          COALESCE(`t8`.`f` = 2, FALSE) AS `_l6_1`,
          COALESCE(`t8`.`m` = 1, FALSE) AS `_l6_2`,
          CONCAT_WS(
            ', ',
            CONCAT(
              CONCAT(
                CONCAT(
                  CONCAT(
                    CONCAT(CONCAT('R', CAST(`t8`.`r` AS STRING)), ' days since last order '),
                    COALESCE(
                      CONCAT(
                        CONCAT(
                          IF(
                            (
                              `t8`.`_rv` < 0
                            ) AND (
                              CAST(ROUND(ABS(`t8`.`_rv`) * 1, 0) AS BIGINT) > 0
                            ),
                            '-',
                            ''
                          ),
                          FORMAT_NUMBER(CAST(ROUND(ABS(`t8`.`_rv`) * 1, 0) AS BIGINT), 0)
                        ),
                        IF(
                          FORMAT_NUMBER(CAST(ROUND(ABS(`t8`.`_rv`) * 1, 0) AS BIGINT), 0) = '1',
                          ' day',
                          ' days'
                        )
                      ),
                      'n/a'
                    )
                  ),
                  ' ('
                ),
                CASE WHEN `t8`.`r` = 1 THEN '> 184.956' WHEN `t8`.`r` = 2 THEN '≤ 184.956' ELSE '' END
              ),
              ')'
            ),
            CONCAT(
              CONCAT(
                CONCAT(
                  CONCAT(
                    CONCAT(CONCAT('F', CAST(`t8`.`f` AS STRING)), ' lifetime orders '),
                    COALESCE(
                      CONCAT(
                        IF(
                          (
                            `t8`.`_fv` < 0
                          ) AND (
                            CAST(ROUND(ABS(`t8`.`_fv`) * 1, 0) AS BIGINT) > 0
                          ),
                          '-',
                          ''
                        ),
                        FORMAT_NUMBER(CAST(ROUND(ABS(`t8`.`_fv`) * 1, 0) AS BIGINT), 0)
                      ),
                      'n/a'
                    )
                  ),
                  ' ('
                ),
                CASE WHEN `t8`.`f` = 1 THEN '≤ 21.193' WHEN `t8`.`f` = 2 THEN '> 21.193' ELSE '' END
              ),
              ')'
            ),
            CONCAT(
              CONCAT(
                CONCAT(
                  CONCAT(
                    CONCAT(CONCAT('M', CAST(`t8`.`m` AS STRING)), ' lifetime revenue '),
                    COALESCE(
                      CONCAT(
                        CONCAT(
                          IF(
                            (
                              `t8`.`_mv` < 0
                            ) AND (
                              CAST(ROUND(ABS(`t8`.`_mv`) * 1, 0) AS BIGINT) > 0
                            ),
                            '-',
                            ''
                          ),
                          '¥'
                        ),
                        FORMAT_NUMBER(CAST(ROUND(ABS(`t8`.`_mv`) * 1, 0) AS BIGINT), 0)
                      ),
                      'n/a'
                    )
                  ),
                  ' ('
                ),
                CASE WHEN `t8`.`m` = 1 THEN '≤ ¥64,982' WHEN `t8`.`m` = 2 THEN '> ¥64,982' ELSE '' END
              ),
              ')'
            )
          ) AS `_head_en`,
          CONCAT_WS(
            '，',
            CONCAT(
              CONCAT(
                CONCAT(
                  CONCAT(
                    CONCAT(CONCAT('R', CAST(`t8`.`r` AS STRING)), ' 距最近购买天数 '),
                    COALESCE(
                      CONCAT(
                        CONCAT(
                          IF(
                            (
                              `t8`.`_rv` < 0
                            ) AND (
                              CAST(ROUND(ABS(`t8`.`_rv`) * 1, 0) AS BIGINT) > 0
                            ),
                            '-',
                            ''
                          ),
                          FORMAT_NUMBER(CAST(ROUND(ABS(`t8`.`_rv`) * 1, 0) AS BIGINT), 0)
                        ),
                        '天'
                      ),
                      '无'
                    )
                  ),
                  ' ('
                ),
                CASE WHEN `t8`.`r` = 1 THEN '> 184.956' WHEN `t8`.`r` = 2 THEN '≤ 184.956' ELSE '' END
              ),
              ')'
            ),
            CONCAT(
              CONCAT(
                CONCAT(
                  CONCAT(
                    CONCAT(CONCAT('F', CAST(`t8`.`f` AS STRING)), ' 累计订单数 '),
                    COALESCE(
                      CONCAT(
                        IF(
                          (
                            `t8`.`_fv` < 0
                          ) AND (
                            CAST(ROUND(ABS(`t8`.`_fv`) * 1, 0) AS BIGINT) > 0
                          ),
                          '-',
                          ''
                        ),
                        FORMAT_NUMBER(CAST(ROUND(ABS(`t8`.`_fv`) * 1, 0) AS BIGINT), 0)
                      ),
                      '无'
                    )
                  ),
                  ' ('
                ),
                CASE WHEN `t8`.`f` = 1 THEN '≤ 21.193' WHEN `t8`.`f` = 2 THEN '> 21.193' ELSE '' END
              ),
              ')'
            ),
            CONCAT(
              CONCAT(
                CONCAT(
                  CONCAT(
                    CONCAT(CONCAT('M', CAST(`t8`.`m` AS STRING)), ' 累计销售额 '),
                    COALESCE(
                      CONCAT(
                        CONCAT(
                          IF(
                            (
                              `t8`.`_mv` < 0
                            ) AND (
                              CAST(ROUND(ABS(`t8`.`_mv`) * 1, 0) AS BIGINT) > 0
                            ),
                            '-',
                            ''
                          ),
                          '¥'
                        ),
                        FORMAT_NUMBER(CAST(ROUND(ABS(`t8`.`_mv`) * 1, 0) AS BIGINT), 0)
                      ),
                      '无'
                    )
                  ),
                  ' ('
                ),
                CASE WHEN `t8`.`m` = 1 THEN '≤ ¥64,982' WHEN `t8`.`m` = 2 THEN '> ¥64,982' ELSE '' END
              ),
              ')'
            )
          ) AS `_head_zh`
        FROM (
          SELECT
            `t7`.`customer_id`,
            `t7`.`status`,
            `t7`.`lifetime_revenue`,
            `t7`.`lifetime_orders`,
            `t7`.`recency_days`,
            `t7`.`r`,
            `t7`.`_rv`,
            `t7`.`f`,
            `t7`.`_fv`,
            `t7`.`m`,
            `t7`.`_mv`,
            `t7`.`_barrier`,
            (
              `t7`.`f` + `t7`.`m`
            ) / 2 AS `fm`
          FROM (
            SELECT
              `t6`.`customer_id`,
              `t6`.`status`,
              `t6`.`lifetime_revenue`,
              `t6`.`lifetime_orders`,
              `t6`.`recency_days`,
              `t6`.`r`,
              `t6`.`_rv`,
              `t6`.`f`,
              `t6`.`_fv`,
              `t6`.`m`,
              `t6`.`_mv`,
              RAND() AS `_barrier`
            FROM (
              SELECT
                `t5`.`customer_id`,
                `t5`.`status`,
                `t5`.`lifetime_revenue`,
                `t5`.`lifetime_orders`,
                `t5`.`recency_days`,
                CAST(IF(
                  CAST(`t5`.`recency_days` AS DOUBLE) IS NULL
                  OR ISNAN(CAST(`t5`.`recency_days` AS DOUBLE)),
                  1,
                  1 + IF(CAST(`t5`.`recency_days` AS DOUBLE) <= 184.95555555555555, 1, 0)
                ) AS BIGINT) AS `r`,
                CAST(`t5`.`recency_days` AS DOUBLE) AS `_rv`,
                CAST(IF(
                  CAST(`t5`.`lifetime_orders` AS DOUBLE) IS NULL
                  OR ISNAN(CAST(`t5`.`lifetime_orders` AS DOUBLE)),
                  1,
                  1 + IF(CAST(`t5`.`lifetime_orders` AS DOUBLE) > 21.192592592592593, 1, 0)
                ) AS BIGINT) AS `f`,
                CAST(`t5`.`lifetime_orders` AS DOUBLE) AS `_fv`,
                CAST(IF(
                  CAST(`t5`.`lifetime_revenue` AS DOUBLE) IS NULL
                  OR ISNAN(CAST(`t5`.`lifetime_revenue` AS DOUBLE)),
                  1,
                  1 + IF(CAST(`t5`.`lifetime_revenue` AS DOUBLE) > 64982.42522222224, 1, 0)
                ) AS BIGINT) AS `m`,
                CAST(`t5`.`lifetime_revenue` AS DOUBLE) AS `_mv`
              FROM (
                SELECT
                  `t2`.`customer_id`,
                  `t2`.`status`,
                  `t2`.`lifetime_revenue`,
                  `t2`.`lifetime_orders`,
                  `t2`.`recency_days`
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
  ) AS `t11`
) AS `t12`
