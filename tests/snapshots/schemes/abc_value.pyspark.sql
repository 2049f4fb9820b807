SELECT
  `t10`.`customer_id`,
  `t10`.`_class` AS `class`,
  CAST(`t10`.`_rank` AS DOUBLE) AS `score`,
  ARRAY(`t10`.`_v`, CAST(`t10`.`_rank` AS DOUBLE), `t10`.`_rank` / 219, `t10`.`_before`) AS `why`,
  CAST(NULL AS ARRAY<STRING>) AS `why_text`
FROM (
  SELECT
    `t9`.`customer_id`,
    `t9`.`status`,
    `t9`.`revenue`,
    `t9`.`_v`,
    `t9`.`_x`,
    `t9`.`_rank`,
    `t9`.`_before`,
    `t9`.`_class`,
    RAND() AS `_barrier`
  FROM (
    SELECT
      `t8`.`customer_id`,
      `t8`.`status`,
      `t8`.`revenue`,
      `t8`.`_v`,
      `t8`.`_x`,
      `t8`.`_rank`,
      `t8`.`_before`,
      CASE
        WHEN NOT `t8`.`_v` IS NULL
        AND NOT ISNAN(`t8`.`_v`)
        AND (
          `t8`.`_v` > 0
        )
        AND (
          `t8`.`_before` < 0.5
        )
        THEN 'A'
        WHEN NOT `t8`.`_v` IS NULL
        AND NOT ISNAN(`t8`.`_v`)
        AND (
          `t8`.`_v` > 0
        )
        AND (
          `t8`.`_before` < 0.8
        )
        THEN 'B'
        ELSE 'C'
      END AS `_class`
    FROM (
      SELECT
        `t7`.`customer_id`,
        `t7`.`status`,
        `t7`.`revenue`,
        `t7`.`_v`,
        `t7`.`_x`,
        `t7`.`_rank`,
        IF(
          TRUE,
          IF(
            `t7`.`_v` > 0,
            CAST(SUM(`t7`.`_x`) OVER (
              ORDER BY `t7`.`_v` IS NULL OR ISNAN(`t7`.`_v`) ASC NULLS LAST, `t7`.`_v` DESC
              RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
            ) - SUM(`t7`.`_x`) OVER (PARTITION BY `t7`.`_v` ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS DOUBLE),
            6180147.05
          ) / 6180147.05,
          1.0
        ) AS `_before`
      FROM (
        SELECT
          `t6`.`customer_id`,
          `t6`.`status`,
          `t6`.`revenue`,
          `t6`.`_v`,
          `t6`.`_x`,
          (
            RANK() OVER (ORDER BY `t6`.`_v` IS NULL OR ISNAN(`t6`.`_v`) ASC NULLS LAST, `t6`.`_v` DESC) - 1
          ) + 1 AS `_rank`
        FROM (
          SELECT
            `t5`.`customer_id`,
            `t5`.`status`,
            `t5`.`revenue`,
            CAST(`t5`.`revenue` AS DOUBLE) AS `_v`,
            CAST(`t5`.`revenue` AS DECIMAL(38, 2)) AS `_x`
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
