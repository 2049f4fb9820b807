WITH `t11` AS (
  SELECT
    `t3`.`customer_id`,
    `t3`.`order_id`,
    CAST(`t3`.`amount` * 100 AS BIGINT) AS `amount`,
    CAST(`t3`.`cost` * 100 AS BIGINT) AS `cost`,
    CAST(`t3`.`order_date` AS DATE) AS `day`,
    DATEDIFF(DAY, MAKE_DATE(1970, 1, 1), `t3`.`due_date`) AS `due_dn`,
    DATEDIFF(DAY, MAKE_DATE(1970, 1, 1), CAST(`t3`.`order_date` AS DATE)) AS `dn`
  FROM `tw_orders` AS `t3`
  WHERE
    CAST(`t3`.`order_date` AS DATE) <= MAKE_DATE(2024, 3, 31)
), `t13` AS (
  SELECT
    `t12`.`customer_id`,
    `t12`.`day`,
    SUM(`t12`.`amount`) AS `value`,
    MAX(`t12`.`amount`) AS `top`
  FROM `t11` AS `t12`
  GROUP BY
    1,
    2
), `t17` AS (
  SELECT
    `t12`.`customer_id`,
    `t12`.`order_id`,
    SUM(`t12`.`amount`) AS `net`,
    MIN(`t12`.`dn`) AS `dn`,
    MIN(`t12`.`due_dn`) AS `due_dn`,
    SUM(IF(`t12`.`dn` >= 19448, `t12`.`amount`, NULL)) AS `net_win`,
    SUM(IF((
      `t12`.`dn` >= 19448
    ) AND (
      `t12`.`amount` > 0
    ), `t12`.`amount`, NULL)) AS `gross_win`,
    SUM(IF((
      `t12`.`dn` >= 19448
    ) AND (
      `t12`.`amount` < 0
    ), `t12`.`amount`, NULL)) AS `ret_win`,
    SUM(
      IF(
        (
          NOT `t12`.`cost` IS NULL
        ) AND (
          `t12`.`dn` >= 19448
        ),
        `t12`.`amount` - `t12`.`cost`,
        NULL
      )
    ) AS `profit_win`,
    SUM(IF((
      NOT `t12`.`cost` IS NULL
    ) AND (
      `t12`.`dn` >= 19448
    ), 1, 0)) AS `costed_win`,
    SUM(IF(`t12`.`dn` >= 19448, 1, 0)) AS `lines_win`,
    SUM(IF((
      `t12`.`dn` >= 19083
    ) AND (
      `t12`.`dn` < 19448
    ), `t12`.`amount`, NULL)) AS `net_prev`
  FROM `t11` AS `t12`
  GROUP BY
    1,
    2
), `t31` AS (
  SELECT
    `t21`.`customer_id`,
    (
      24291 - (
        (
          EXTRACT(YEAR FROM `t21`.`day`) * 12
        ) + EXTRACT(MONTH FROM `t21`.`day`)
      )
    ) - IF(EXTRACT(DAY FROM `t21`.`day`) > 31, 1, 0) AS `bucket`,
    SUM(`t21`.`value`) AS `value`,
    MAX(`t21`.`top`) AS `top`
  FROM (
    SELECT
      `t14`.`customer_id`,
      `t14`.`day`,
      `t14`.`value`,
      `t14`.`top`,
      DATEDIFF(DAY, MAKE_DATE(1970, 1, 1), `t14`.`day`) AS `dn`
    FROM `t13` AS `t14`
    WHERE
      DATEDIFF(DAY, MAKE_DATE(1970, 1, 1), `t14`.`day`) >= 19448
  ) AS `t21`
  GROUP BY
    1,
    2
)
SELECT
  `t73`.`customer_id`,
  `t73`.`name`,
  `t73`.`rep_id`,
  `t73`.`department`,
  `t73`.`region`,
  CASE
    WHEN COALESCE(`t73`.`gross_sales`, 0) > 0
    THEN 'buyer'
    WHEN NOT `t73`.`first_dn` IS NULL
    THEN 'lapsed'
    ELSE 'prospect'
  END AS `status`,
  CAST(CAST(COALESCE(`t73`.`revenue`, 0) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `revenue`,
  CAST(CAST(COALESCE(`t73`.`gross_sales`, 0) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `gross_sales`,
  CAST(CAST(COALESCE(`t73`.`returns`, 0) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `returns`,
  COALESCE(`t73`.`order_count`, 0) AS `order_count`,
  COALESCE(`t73`.`return_count`, 0) AS `return_count`,
  IF(
    COALESCE(`t73`.`order_count`, 0) > 0,
    (
      CAST(COALESCE(`t73`.`revenue`, 0) AS DOUBLE) / COALESCE(`t73`.`order_count`, 0)
    ) / 100.0,
    NULL
  ) AS `avg_order_value`,
  CAST(CAST(IF(COALESCE(`t73`.`costed`, 0) > 0, `t73`.`gross_profit`, NULL) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `gross_profit`,
  IF(
    COALESCE(`t73`.`lines_win`, 0) > 0,
    CAST(`t73`.`costed` AS DOUBLE) / `t73`.`lines_win`,
    NULL
  ) AS `cost_coverage`,
  CAST(CAST(COALESCE(`t73`.`revenue_prev`, 0) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `revenue_prev`,
  IF(
    COALESCE(`t73`.`revenue_prev`, 0) > 0,
    CAST(COALESCE(`t73`.`revenue`, 0) - `t73`.`revenue_prev` AS DOUBLE) / CAST(`t73`.`revenue_prev` AS DOUBLE),
    NULL
  ) AS `growth`,
  IF(
    COALESCE(`t73`.`revenue`, 0) > 0,
    (
      ROW_NUMBER() OVER (
        ORDER BY COALESCE(`t73`.`revenue`, 0) > 0 DESC, COALESCE(`t73`.`revenue`, 0) DESC, `t73`.`customer_id` ASC NULLS LAST
      ) - 1
    ) + 1,
    NULL
  ) AS `revenue_rank`,
  IF(
    COALESCE(`t73`.`revenue`, 0) > 0,
    CAST((
      ROW_NUMBER() OVER (
        ORDER BY COALESCE(`t73`.`revenue`, 0) > 0 DESC, COALESCE(`t73`.`revenue`, 0) DESC, `t73`.`customer_id` ASC NULLS LAST
      ) - 1
    ) + 1 AS DOUBLE) / SUM(CAST(COALESCE(`t73`.`revenue`, 0) > 0 AS BIGINT)) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING),
    NULL
  ) AS `revenue_top_share`,
  IF(
    COALESCE(`t73`.`revenue`, 0) > 0,
    CAST(COALESCE(`t73`.`revenue`, 0) AS DOUBLE) / CAST(SUM(IF(COALESCE(`t73`.`revenue`, 0) > 0, COALESCE(`t73`.`revenue`, 0), 0)) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS DOUBLE),
    NULL
  ) AS `revenue_share`,
  IF(
    COALESCE(`t73`.`revenue`, 0) > 0,
    CAST(SUM(COALESCE(`t73`.`revenue`, 0)) OVER (
      ORDER BY COALESCE(`t73`.`revenue`, 0) > 0 DESC, COALESCE(`t73`.`revenue`, 0) DESC, `t73`.`customer_id` ASC NULLS LAST
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS DOUBLE) / CAST(SUM(IF(COALESCE(`t73`.`revenue`, 0) > 0, COALESCE(`t73`.`revenue`, 0), 0)) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS DOUBLE),
    NULL
  ) AS `revenue_cum_share`,
  CAST(CAST(COALESCE(`t73`.`lifetime_revenue`, 0) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `lifetime_revenue`,
  COALESCE(`t73`.`lifetime_orders`, 0) AS `lifetime_orders`,
  `t73`.`first_day` AS `first_order_date`,
  `t73`.`last_day` AS `last_order_date`,
  19813 - `t73`.`last_dn` AS `recency_days`,
  19813 - `t73`.`first_dn` AS `tenure_days`,
  `t73`.`frequency`,
  `t73`.`recency`,
  `t73`.`T`,
  `t73`.`monetary_value`,
  COALESCE(`t73`.`active_months`, 0) AS `active_months`,
  COALESCE(`t73`.`active_quarters`, 0) AS `active_quarters`,
  `t73`.`cv_monthly`,
  `t73`.`cv_quarterly`,
  `t73`.`repurchase_days`,
  IF(
    (
      `t73`.`lines_win` IS NULL
    ) OR (
      `t73`.`lines_win` = 0
    ),
    NULL,
    IF(
      `t73`.`cv_monthly` IS NULL OR ISNAN(`t73`.`cv_monthly`),
      0.0,
      1.0 / (
        `t73`.`cv_monthly` + 1.0
      )
    )
  ) AS `stability`,
  IF(
    `t73`.`first_dn` IS NULL,
    NULL,
    0.0 + (
      LEAST(CAST(19813 - `t73`.`first_dn` AS DOUBLE) / 730.0, 1.0) * 0.25
    ) + (
      (
        CAST(COALESCE(`t73`.`active_months`, 0) AS DOUBLE) / 12
      ) * 0.25
    ) + (
      COALESCE(
        IF(
          (
            `t73`.`lines_win` IS NULL
          ) OR (
            `t73`.`lines_win` = 0
          ),
          NULL,
          IF(
            `t73`.`cv_monthly` IS NULL OR ISNAN(`t73`.`cv_monthly`),
            0.0,
            1.0 / (
              `t73`.`cv_monthly` + 1.0
            )
          )
        ),
        0.0
      ) * 0.25
    ) + (
      GREATEST(1.0 - (
        CAST(19813 - `t73`.`last_dn` AS DOUBLE) / 366
      ), 0.0) * 0.25
    )
  ) AS `loyalty`,
  `t73`.`credit_limit`,
  CAST(CAST(COALESCE(`t73`.`outstanding`, 0) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `outstanding`,
  CAST(CAST(COALESCE(`t73`.`overdue_amount`, 0) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `overdue_amount`,
  COALESCE(`t73`.`max_days_overdue`, 0) AS `max_days_overdue`,
  COALESCE(`t73`.`invoices_due`, 0) AS `invoices_due`,
  IF(
    `t73`.`invoices_due` > 0,
    CAST(`t73`.`paid_on_time` AS DOUBLE) / `t73`.`invoices_due`,
    NULL
  ) AS `on_time_ratio`,
  IF(
    (
      NOT `t73`.`credit_limit` IS NULL
    ) AND (
      `t73`.`credit_limit` > 0
    ),
    (
      CAST(COALESCE(`t73`.`outstanding`, 0) AS DOUBLE) / 100.0
    ) / CAST(`t73`.`credit_limit` AS DOUBLE),
    NULL
  ) AS `credit_utilization`,
  `t73`.`last_contact_day` AS `last_contact_date`,
  19813 - `t73`.`last_contact_dn` AS `days_since_contact`,
  COALESCE(`t73`.`contacts`, 0) AS `contacts`,
  COALESCE(`t73`.`visits`, 0) AS `visits`,
  COALESCE(`t73`.`calls`, 0) AS `calls`,
  COALESCE(`t73`.`messages`, 0) AS `messages`,
  COALESCE(`t73`.`care_touches`, 0) AS `care_touches`,
  COALESCE(`t73`.`complaints`, 0) AS `complaints`
FROM (
  SELECT
    *
  FROM (
    SELECT
      `t71`.`customer_id`,
      `t71`.`name`,
      `t71`.`rep_id`,
      `t71`.`department`,
      `t71`.`region`,
      `t71`.`credit_limit`,
      `t71`.`created_dn`,
      `t71`.`revenue`,
      `t71`.`gross_sales`,
      `t71`.`returns`,
      `t71`.`order_count`,
      `t71`.`return_count`,
      `t71`.`gross_profit`,
      `t71`.`costed`,
      `t71`.`lines_win`,
      `t71`.`revenue_prev`,
      `t71`.`lifetime_revenue`,
      `t71`.`lifetime_orders`,
      `t71`.`frequency`,
      `t71`.`recency`,
      `t71`.`T`,
      `t71`.`monetary_value`,
      `t71`.`first_dn`,
      `t71`.`last_dn`,
      `t71`.`first_day`,
      `t71`.`last_day`,
      `t71`.`repurchase_days`,
      `t71`.`active_months`,
      `t71`.`cv_monthly`,
      `t71`.`active_quarters`,
      `t71`.`cv_quarterly`,
      `t71`.`last_contact_dn`,
      `t71`.`last_contact_day`,
      `t71`.`contacts`,
      `t71`.`visits`,
      `t71`.`calls`,
      `t71`.`messages`,
      `t71`.`care_touches`,
      `t71`.`complaints`,
      `t71`.`outstanding`,
      `t71`.`overdue_amount`,
      `t71`.`max_days_overdue`,
      `t71`.`invoices_due`,
      `t71`.`paid_on_time`
    FROM (
      SELECT
        `t70`.`customer_id`,
        `t70`.`name`,
        `t70`.`rep_id`,
        `t70`.`department`,
        `t70`.`region`,
        `t70`.`credit_limit`,
        `t70`.`created_dn`,
        `t70`.`revenue`,
        `t70`.`gross_sales`,
        `t70`.`returns`,
        `t70`.`order_count`,
        `t70`.`return_count`,
        `t70`.`gross_profit`,
        `t70`.`costed`,
        `t70`.`lines_win`,
        `t70`.`revenue_prev`,
        `t70`.`lifetime_revenue`,
        `t70`.`lifetime_orders`,
        `t70`.`frequency`,
        `t70`.`recency`,
        `t70`.`T`,
        `t70`.`monetary_value`,
        `t70`.`first_dn`,
        `t70`.`last_dn`,
        `t70`.`first_day`,
        `t70`.`last_day`,
        `t70`.`repurchase_days`,
        `t70`.`active_months`,
        `t70`.`cv_monthly`,
        `t70`.`active_quarters`,
        `t70`.`cv_quarterly`,
        `t70`.`last_contact_dn`,
        `t70`.`last_contact_day`,
        `t70`.`contacts`,
        `t70`.`visits`,
        `t70`.`calls`,
        `t70`.`messages`,
        `t70`.`care_touches`,
        `t70`.`complaints`,
        `t65`.`customer_id` AS `customer_id_right`,
        `t65`.`outstanding`,
        `t65`.`overdue_amount`,
        `t65`.`max_days_overdue`,
        `t65`.`invoices_due`,
        `t65`.`paid_on_time`
      FROM (
        SELECT
          `t68`.`customer_id`,
          `t68`.`name`,
          `t68`.`rep_id`,
          `t68`.`department`,
          `t68`.`region`,
          `t68`.`credit_limit`,
          `t68`.`created_dn`,
          `t68`.`revenue`,
          `t68`.`gross_sales`,
          `t68`.`returns`,
          `t68`.`order_count`,
          `t68`.`return_count`,
          `t68`.`gross_profit`,
          `t68`.`costed`,
          `t68`.`lines_win`,
          `t68`.`revenue_prev`,
          `t68`.`lifetime_revenue`,
          `t68`.`lifetime_orders`,
          `t68`.`frequency`,
          `t68`.`recency`,
          `t68`.`T`,
          `t68`.`monetary_value`,
          `t68`.`first_dn`,
          `t68`.`last_dn`,
          `t68`.`first_day`,
          `t68`.`last_day`,
          `t68`.`repurchase_days`,
          `t68`.`active_months`,
          `t68`.`cv_monthly`,
          `t68`.`active_quarters`,
          `t68`.`cv_quarterly`,
          `t68`.`last_contact_dn`,
          `t68`.`last_contact_day`,
          `t68`.`contacts`,
          `t68`.`visits`,
          `t68`.`calls`,
          `t68`.`messages`,
          `t68`.`care_touches`,
          `t68`.`complaints`
        FROM (
          SELECT
            `t67`.`customer_id`,
            `t67`.`name`,
            `t67`.`rep_id`,
            `t67`.`department`,
            `t67`.`region`,
            `t67`.`credit_limit`,
            `t67`.`created_dn`,
            `t67`.`revenue`,
            `t67`.`gross_sales`,
            `t67`.`returns`,
            `t67`.`order_count`,
            `t67`.`return_count`,
            `t67`.`gross_profit`,
            `t67`.`costed`,
            `t67`.`lines_win`,
            `t67`.`revenue_prev`,
            `t67`.`lifetime_revenue`,
            `t67`.`lifetime_orders`,
            `t67`.`frequency`,
            `t67`.`recency`,
            `t67`.`T`,
            `t67`.`monetary_value`,
            `t67`.`first_dn`,
            `t67`.`last_dn`,
            `t67`.`first_day`,
            `t67`.`last_day`,
            `t67`.`repurchase_days`,
            `t67`.`active_months`,
            `t67`.`cv_monthly`,
            `t67`.`active_quarters`,
            `t67`.`cv_quarterly`,
            `t16`.`customer_id` AS `customer_id_right`,
            `t16`.`last_contact_dn`,
            `t16`.`last_contact_day`,
            `t16`.`contacts`,
            `t16`.`visits`,
            `t16`.`calls`,
            `t16`.`messages`,
            `t16`.`care_touches`,
            `t16`.`complaints`
          FROM (
            SELECT
              `t64`.`customer_id`,
              `t64`.`name`,
              `t64`.`rep_id`,
              `t64`.`department`,
              `t64`.`region`,
              `t64`.`credit_limit`,
              `t64`.`created_dn`,
              `t64`.`revenue`,
              `t64`.`gross_sales`,
              `t64`.`returns`,
              `t64`.`order_count`,
              `t64`.`return_count`,
              `t64`.`gross_profit`,
              `t64`.`costed`,
              `t64`.`lines_win`,
              `t64`.`revenue_prev`,
              `t64`.`lifetime_revenue`,
              `t64`.`lifetime_orders`,
              `t64`.`frequency`,
              `t64`.`recency`,
              `t64`.`T`,
              `t64`.`monetary_value`,
              `t64`.`first_dn`,
              `t64`.`last_dn`,
              `t64`.`first_day`,
              `t64`.`last_day`,
              `t64`.`repurchase_days`,
              `t64`.`active_months`,
              `t64`.`cv_monthly`,
              `t64`.`active_quarters`,
              `t64`.`cv_quarterly`
            FROM (
              SELECT
                `t56`.`customer_id`,
                `t56`.`name`,
                `t56`.`rep_id`,
                `t56`.`department`,
                `t56`.`region`,
                `t56`.`credit_limit`,
                `t56`.`created_dn`,
                `t56`.`revenue`,
                `t56`.`gross_sales`,
                `t56`.`returns`,
                `t56`.`order_count`,
                `t56`.`return_count`,
                `t56`.`gross_profit`,
                `t56`.`costed`,
                `t56`.`lines_win`,
                `t56`.`revenue_prev`,
                `t56`.`lifetime_revenue`,
                `t56`.`lifetime_orders`,
                `t56`.`frequency`,
                `t56`.`recency`,
                `t56`.`T`,
                `t56`.`monetary_value`,
                `t56`.`first_dn`,
                `t56`.`last_dn`,
                `t56`.`first_day`,
                `t56`.`last_day`,
                `t56`.`repurchase_days`,
                `t62`.`customer_id` AS `customer_id_right`,
                `t62`.`active_months`,
                `t62`.`cv_monthly`,
                `t62`.`active_quarters`,
                `t62`.`cv_quarterly`
              FROM (
                SELECT
                  `t51`.`customer_id`,
                  `t51`.`name`,
                  `t51`.`rep_id`,
                  `t51`.`department`,
                  `t51`.`region`,
                  `t51`.`credit_limit`,
                  `t51`.`created_dn`,
                  `t51`.`revenue`,
                  `t51`.`gross_sales`,
                  `t51`.`returns`,
                  `t51`.`order_count`,
                  `t51`.`return_count`,
                  `t51`.`gross_profit`,
                  `t51`.`costed`,
                  `t51`.`lines_win`,
                  `t51`.`revenue_prev`,
                  `t51`.`lifetime_revenue`,
                  `t51`.`lifetime_orders`,
                  `t51`.`frequency`,
                  `t51`.`recency`,
                  `t51`.`T`,
                  `t51`.`monetary_value`,
                  `t51`.`first_dn`,
                  `t51`.`last_dn`,
                  `t51`.`first_day`,
                  `t51`.`last_day`,
                  `t51`.`repurchase_days`
                FROM (
                  SELECT
                    `t49`.`customer_id`,
                    `t49`.`name`,
                    `t49`.`rep_id`,
                    `t49`.`department`,
                    `t49`.`region`,
                    `t49`.`credit_limit`,
                    `t49`.`created_dn`,
                    `t49`.`revenue`,
                    `t49`.`gross_sales`,
                    `t49`.`returns`,
                    `t49`.`order_count`,
                    `t49`.`return_count`,
                    `t49`.`gross_profit`,
                    `t49`.`costed`,
                    `t49`.`lines_win`,
                    `t49`.`revenue_prev`,
                    `t49`.`lifetime_revenue`,
                    `t49`.`lifetime_orders`,
                    `t49`.`frequency`,
                    `t49`.`recency`,
                    `t49`.`T`,
                    `t49`.`monetary_value`,
                    `t35`.`customer_id` AS `customer_id_right`,
                    `t35`.`first_dn`,
                    `t35`.`last_dn`,
                    `t35`.`first_day`,
                    `t35`.`last_day`,
                    `t35`.`repurchase_days`
                  FROM (
                    SELECT
                      `t46`.`customer_id`,
                      `t46`.`name`,
                      `t46`.`rep_id`,
                      `t46`.`department`,
                      `t46`.`region`,
                      `t46`.`credit_limit`,
                      `t46`.`created_dn`,
                      `t46`.`revenue`,
                      `t46`.`gross_sales`,
                      `t46`.`returns`,
                      `t46`.`order_count`,
                      `t46`.`return_count`,
                      `t46`.`gross_profit`,
                      `t46`.`costed`,
                      `t46`.`lines_win`,
                      `t46`.`revenue_prev`,
                      `t46`.`lifetime_revenue`,
                      `t46`.`lifetime_orders`,
                      `t46`.`frequency`,
                      `t46`.`recency`,
                      `t46`.`T`,
                      `t46`.`monetary_value`
                    FROM (
                      SELECT
                        `t43`.`customer_id`,
                        `t43`.`name`,
                        `t43`.`rep_id`,
                        `t43`.`department`,
                        `t43`.`region`,
                        `t43`.`credit_limit`,
                        `t43`.`created_dn`,
                        `t43`.`revenue`,
                        `t43`.`gross_sales`,
                        `t43`.`returns`,
                        `t43`.`order_count`,
                        `t43`.`return_count`,
                        `t43`.`gross_profit`,
                        `t43`.`costed`,
                        `t43`.`lines_win`,
                        `t43`.`revenue_prev`,
                        `t43`.`lifetime_revenue`,
                        `t43`.`lifetime_orders`,
                        `t40`.`customer_id` AS `customer_id_right`,
                        `t40`.`frequency`,
                        `t40`.`recency`,
                        `t40`.`T`,
                        `t40`.`monetary_value`
                      FROM (
                        SELECT
                          `t39`.`customer_id`,
                          `t39`.`name`,
                          `t39`.`rep_id`,
                          `t39`.`department`,
                          `t39`.`region`,
                          `t39`.`credit_limit`,
                          `t39`.`created_dn`,
                          `t39`.`revenue`,
                          `t39`.`gross_sales`,
                          `t39`.`returns`,
                          `t39`.`order_count`,
                          `t39`.`return_count`,
                          `t39`.`gross_profit`,
                          `t39`.`costed`,
                          `t39`.`lines_win`,
                          `t39`.`revenue_prev`,
                          `t39`.`lifetime_revenue`,
                          `t39`.`lifetime_orders`
                        FROM (
                          SELECT
                            `t10`.`customer_id`,
                            `t10`.`name`,
                            `t10`.`rep_id`,
                            `t10`.`department`,
                            `t10`.`region`,
                            `t10`.`credit_limit`,
                            `t10`.`created_dn`,
                            `t29`.`customer_id` AS `customer_id_right`,
                            `t29`.`revenue`,
                            `t29`.`gross_sales`,
                            `t29`.`returns`,
                            `t29`.`order_count`,
                            `t29`.`return_count`,
                            `t29`.`gross_profit`,
                            `t29`.`costed`,
                            `t29`.`lines_win`,
                            `t29`.`revenue_prev`,
                            `t29`.`lifetime_revenue`,
                            `t29`.`lifetime_orders`
                          FROM (
                            SELECT
                              `t2`.`customer_id`,
                              `t2`.`name`,
                              `t2`.`rep_id`,
                              `t2`.`department`,
                              `t2`.`region`,
                              `t2`.`credit_limit`,
                              DATEDIFF(DAY, MAKE_DATE(1970, 1, 1), `t2`.`created_date`) AS `created_dn`
                            FROM `tw_customers` AS `t2`
                          ) AS `t10`
                          LEFT OUTER JOIN (
                            SELECT
                              `t20`.`customer_id`,
                              SUM(`t20`.`net_win`) AS `revenue`,
                              SUM(`t20`.`gross_win`) AS `gross_sales`,
                              -(
                                SUM(`t20`.`ret_win`)
                              ) AS `returns`,
                              SUM(IF(`t20`.`net_win` > 0, 1, 0)) AS `order_count`,
                              SUM(IF(`t20`.`net_win` < 0, 1, 0)) AS `return_count`,
                              SUM(`t20`.`profit_win`) AS `gross_profit`,
                              SUM(`t20`.`costed_win`) AS `costed`,
                              SUM(`t20`.`lines_win`) AS `lines_win`,
                              SUM(`t20`.`net_prev`) AS `revenue_prev`,
                              SUM(`t20`.`net`) AS `lifetime_revenue`,
                              SUM(IF(`t20`.`net` > 0, 1, 0)) AS `lifetime_orders`
                            FROM `t17` AS `t20`
                            GROUP BY
                              1
                          ) AS `t29`
                            ON `t10`.`customer_id` = `t29`.`customer_id`
                        ) AS `t39`
                      ) AS `t43`
                      LEFT OUTER JOIN (
                        SELECT
                          `t22`.`customer_id`,
                          CAST(`t22`.`n` - 1 AS DOUBLE) AS `frequency`,
                          CAST(`t22`.`last` - `t22`.`first` AS DOUBLE) AS `recency`,
                          CAST(19813 - `t22`.`first` AS DOUBLE) AS `T`,
                          IF(
                            `t22`.`n` > 1,
                            (
                              CAST(`t22`.`total` - `t22`.`first_value` AS DOUBLE) / CAST(`t22`.`n` - 1 AS DOUBLE)
                            ) / 100.0,
                            0.0
                          ) AS `monetary_value`
                        FROM (
                          SELECT
                            `t18`.`customer_id`,
                            COUNT(*) AS `n`,
                            MIN(`t18`.`dn`) AS `first`,
                            MAX(`t18`.`dn`) AS `last`,
                            SUM(`t18`.`value`) AS `total`,
                            MIN_BY(`t18`.`value`, `t18`.`dn`) AS `first_value`
                          FROM (
                            SELECT
                              `t14`.`customer_id`,
                              `t14`.`day`,
                              `t14`.`value`,
                              `t14`.`top`,
                              DATEDIFF(DAY, MAKE_DATE(1970, 1, 1), `t14`.`day`) AS `dn`
                            FROM `t13` AS `t14`
                          ) AS `t18`
                          GROUP BY
                            1
                        ) AS `t22`
                      ) AS `t40`
                        ON `t43`.`customer_id` = `t40`.`customer_id`
                    ) AS `t46`
                  ) AS `t49`
                  LEFT OUTER JOIN (
                    SELECT
                      `t27`.`customer_id`,
                      MIN(`t27`.`dn`) AS `first_dn`,
                      MAX(`t27`.`dn`) AS `last_dn`,
                      MIN(`t27`.`day`) AS `first_day`,
                      MAX(`t27`.`day`) AS `last_day`,
                      PERCENTILE(`t27`.`gap`, 0.5) AS `repurchase_days`
                    FROM (
                      SELECT
                        `t19`.`customer_id`,
                        `t19`.`day`,
                        `t19`.`value`,
                        `t19`.`top`,
                        `t19`.`dn`,
                        `t19`.`dn` - LAG(`t19`.`dn`) OVER (PARTITION BY `t19`.`customer_id` ORDER BY `t19`.`dn` ASC NULLS LAST) AS `gap`
                      FROM (
                        SELECT
                          `t14`.`customer_id`,
                          `t14`.`day`,
                          `t14`.`value`,
                          `t14`.`top`,
                          DATEDIFF(DAY, MAKE_DATE(1970, 1, 1), `t14`.`day`) AS `dn`
                        FROM `t13` AS `t14`
                        WHERE
                          `t14`.`top` > 0
                      ) AS `t19`
                    ) AS `t27`
                    GROUP BY
                      1
                  ) AS `t35`
                    ON `t49`.`customer_id` = `t35`.`customer_id`
                ) AS `t51`
              ) AS `t56`
              LEFT OUTER JOIN (
                SELECT
                  `t60`.`customer_id`,
                  `t60`.`active_months`,
                  `t60`.`cv_monthly`,
                  `t60`.`active_quarters`,
                  `t60`.`cv_quarterly`
                FROM (
                  SELECT
                    `t54`.`customer_id`,
                    `t54`.`active_months`,
                    `t54`.`cv_monthly`,
                    `t58`.`customer_id` AS `customer_id_right`,
                    `t58`.`active_quarters`,
                    `t58`.`cv_quarterly`
                  FROM (
                    SELECT
                      `t44`.`customer_id`,
                      `t44`.`active` AS `active_months`,
                      IF(
                        (
                          `t44`.`s` / 12
                        ) > 0,
                        SQRT(
                          GREATEST(
                            (
                              `t44`.`ss` / 12
                            ) - (
                              (
                                `t44`.`s` / 12
                              ) * (
                                `t44`.`s` / 12
                              )
                            ),
                            0.0
                          )
                        ) / (
                          `t44`.`s` / 12
                        ),
                        NULL
                      ) AS `cv_monthly`
                    FROM (
                      SELECT
                        `t34`.`customer_id`,
                        SUM(IF(`t34`.`top` > 0, 1, 0)) AS `active`,
                        SUM(CAST(`t34`.`value` AS DOUBLE)) AS `s`,
                        SUM(CAST(`t34`.`value` AS DOUBLE) * CAST(`t34`.`value` AS DOUBLE)) AS `ss`
                      FROM `t31` AS `t34`
                      GROUP BY
                        1
                    ) AS `t44`
                  ) AS `t54`
                  LEFT OUTER JOIN (
                    SELECT
                      `t47`.`customer_id`,
                      `t47`.`active` AS `active_quarters`,
                      IF(
                        (
                          `t47`.`s` / 4
                        ) > 0,
                        SQRT(
                          GREATEST(
                            (
                              `t47`.`ss` / 4
                            ) - (
                              (
                                `t47`.`s` / 4
                              ) * (
                                `t47`.`s` / 4
                              )
                            ),
                            0.0
                          )
                        ) / (
                          `t47`.`s` / 4
                        ),
                        NULL
                      ) AS `cv_quarterly`
                    FROM (
                      SELECT
                        `t42`.`customer_id`,
                        SUM(IF(`t42`.`top` > 0, 1, 0)) AS `active`,
                        SUM(CAST(`t42`.`value` AS DOUBLE)) AS `s`,
                        SUM(CAST(`t42`.`value` AS DOUBLE) * CAST(`t42`.`value` AS DOUBLE)) AS `ss`
                      FROM (
                        SELECT
                          `t34`.`customer_id`,
                          CAST(FLOOR((
                            `t34`.`bucket`
                          ) / (
                            3
                          )) AS BIGINT) AS `bucket`,
                          SUM(`t34`.`value`) AS `value`,
                          MAX(`t34`.`top`) AS `top`
                        FROM `t31` AS `t34`
                        GROUP BY
                          1,
                          2
                      ) AS `t42`
                      GROUP BY
                        1
                    ) AS `t47`
                  ) AS `t58`
                    ON `t54`.`customer_id` = `t58`.`customer_id`
                ) AS `t60`
              ) AS `t62`
                ON `t56`.`customer_id` = `t62`.`customer_id`
            ) AS `t64`
          ) AS `t67`
          LEFT OUTER JOIN (
            SELECT
              `t7`.`customer_id`,
              MAX(`t7`.`dn`) AS `last_contact_dn`,
              MAX(`t7`.`day`) AS `last_contact_day`,
              SUM(IF(`t7`.`dn` >= 19448, 1, 0)) AS `contacts`,
              SUM(IF((
                `t7`.`dn` >= 19448
              ) AND (
                `t7`.`kind` = 'visit'
              ), 1, 0)) AS `visits`,
              SUM(IF((
                `t7`.`dn` >= 19448
              ) AND (
                `t7`.`kind` = 'call'
              ), 1, 0)) AS `calls`,
              SUM(IF((
                `t7`.`dn` >= 19448
              ) AND (
                `t7`.`kind` = 'message'
              ), 1, 0)) AS `messages`,
              SUM(IF((
                `t7`.`dn` >= 19448
              ) AND (
                `t7`.`kind` = 'care'
              ), 1, 0)) AS `care_touches`,
              SUM(IF((
                `t7`.`dn` >= 19448
              ) AND (
                `t7`.`kind` = 'complaint'
              ), 1, 0)) AS `complaints`
            FROM (
              SELECT
                `t0`.`customer_id`,
                `t0`.`kind`,
                CAST(`t0`.`activity_date` AS DATE) AS `day`,
                DATEDIFF(DAY, MAKE_DATE(1970, 1, 1), CAST(`t0`.`activity_date` AS DATE)) AS `dn`
              FROM `tw_activities` AS `t0`
              WHERE
                CAST(`t0`.`activity_date` AS DATE) <= MAKE_DATE(2024, 3, 31)
            ) AS `t7`
            GROUP BY
              1
          ) AS `t16`
            ON `t67`.`customer_id` = `t16`.`customer_id`
        ) AS `t68`
      ) AS `t70`
      LEFT OUTER JOIN (
        SELECT
          `t59`.`customer_id`,
          SUM(IF(`t59`.`kind` = 0, `t59`.`amount`, -(
            `t59`.`amount`
          ))) AS `outstanding`,
          SUM(
            IF(
              (
                `t59`.`kind` = 0
              ) AND (
                `t59`.`due` < 19813
              ) AND (
                `t59`.`open` > 0
              ),
              `t59`.`open`,
              NULL
            )
          ) AS `overdue_amount`,
          MAX(
            IF(
              (
                `t59`.`kind` = 0
              ) AND (
                `t59`.`due` < 19813
              ) AND (
                `t59`.`open` > 0
              ),
              19813 - `t59`.`due`,
              NULL
            )
          ) AS `max_days_overdue`,
          SUM(IF((
            `t59`.`kind` = 0
          ) AND (
            `t59`.`due` <= 19813
          ), 1, 0)) AS `invoices_due`,
          SUM(
            IF(
              (
                `t59`.`kind` = 0
              )
              AND (
                `t59`.`due` <= 19813
              )
              AND (
                `t59`.`paid_dn` <= `t59`.`due`
              ),
              1,
              0
            )
          ) AS `paid_on_time`
        FROM (
          SELECT
            `t55`.`customer_id`,
            `t55`.`dn`,
            `t55`.`kind`,
            `t55`.`seq`,
            `t55`.`amount`,
            `t55`.`due`,
            `t55`.`cum`,
            `t55`.`cum_received`,
            `t55`.`received`,
            `t55`.`pay_dn`,
            `t55`.`paid_dn`,
            LEAST(`t55`.`amount`, GREATEST(`t55`.`cum` - `t55`.`received`, 0)) AS `open`
          FROM (
            SELECT
              `t50`.`customer_id`,
              `t50`.`dn`,
              `t50`.`kind`,
              `t50`.`seq`,
              `t50`.`amount`,
              `t50`.`due`,
              `t50`.`cum`,
              `t50`.`cum_received`,
              `t50`.`received`,
              `t50`.`pay_dn`,
              MIN(`t50`.`pay_dn`) OVER (
                PARTITION BY `t50`.`customer_id`
                ORDER BY `t50`.`cum` ASC NULLS LAST, `t50`.`kind` ASC NULLS LAST
                ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING
              ) AS `paid_dn`
            FROM (
              SELECT
                `t45`.`customer_id`,
                `t45`.`dn`,
                `t45`.`kind`,
                `t45`.`seq`,
                `t45`.`amount`,
                `t45`.`due`,
                IF(`t45`.`kind` = 0, `t45`.`cum`, `t45`.`cum_received`) AS `cum`,
                `t45`.`cum_received`,
                `t45`.`received`,
                IF(`t45`.`kind` = 0, CAST(NULL AS BIGINT), `t45`.`dn`) AS `pay_dn`
              FROM (
                SELECT
                  `t38`.`customer_id`,
                  `t38`.`dn`,
                  `t38`.`kind`,
                  `t38`.`seq`,
                  `t38`.`amount`,
                  `t38`.`due`,
                  SUM(IF(`t38`.`kind` = 0, `t38`.`amount`, 0)) OVER (
                    PARTITION BY `t38`.`customer_id`
                    ORDER BY `t38`.`dn` ASC NULLS LAST, `t38`.`kind` ASC NULLS LAST, `t38`.`seq` ASC NULLS LAST
                    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                  ) AS `cum`,
                  SUM(IF(`t38`.`kind` = 0, 0, `t38`.`amount`)) OVER (
                    PARTITION BY `t38`.`customer_id`
                    ORDER BY `t38`.`dn` ASC NULLS LAST, `t38`.`kind` ASC NULLS LAST, `t38`.`seq` ASC NULLS LAST
                    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                  ) AS `cum_received`,
                  SUM(IF(`t38`.`kind` = 0, 0, `t38`.`amount`)) OVER (
                    PARTITION BY `t38`.`customer_id`
                    ORDER BY `t38`.`dn` ASC NULLS LAST, `t38`.`kind` ASC NULLS LAST, `t38`.`seq` ASC NULLS LAST
                    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                  ) AS `received`
                FROM (
                  SELECT
                    *
                  FROM (
                    SELECT
                      `t25`.`customer_id`,
                      `t25`.`dn`,
                      0 AS `kind`,
                      `t25`.`order_id` AS `seq`,
                      `t25`.`net` AS `amount`,
                      COALESCE(`t25`.`due_dn`, `t25`.`dn` + COALESCE(`t9`.`terms`, 30)) AS `due`
                    FROM (
                      SELECT
                        `t20`.`customer_id`,
                        `t20`.`order_id`,
                        `t20`.`net`,
                        `t20`.`dn`,
                        `t20`.`due_dn`
                      FROM `t17` AS `t20`
                      WHERE
                        `t20`.`net` > 0
                    ) AS `t25`
                    LEFT OUTER JOIN (
                      SELECT
                        `t4`.`customer_id`,
                        `t4`.`payment_terms_days` AS `terms`
                      FROM `tw_customers` AS `t4`
                    ) AS `t9`
                      ON `t25`.`customer_id` = `t9`.`customer_id`
                  ) AS `t33`
                  UNION ALL
                  SELECT
                    *
                  FROM (
                    SELECT
                      `t30`.`customer_id`,
                      `t30`.`dn`,
                      1 AS `kind`,
                      '' AS `seq`,
                      `t30`.`amount`,
                      CAST(NULL AS BIGINT) AS `due`
                    FROM (
                      SELECT
                        `t26`.`customer_id`,
                        `t26`.`dn`,
                        SUM(`t26`.`amount`) AS `amount`
                      FROM (
                        SELECT
                          *
                        FROM (
                          SELECT
                            `t1`.`customer_id`,
                            DATEDIFF(DAY, MAKE_DATE(1970, 1, 1), CAST(`t1`.`payment_date` AS DATE)) AS `dn`,
                            CAST(`t1`.`amount` * 100 AS BIGINT) AS `amount`
                          FROM `tw_payments` AS `t1`
                          WHERE
                            CAST(`t1`.`payment_date` AS DATE) <= MAKE_DATE(2024, 3, 31)
                        ) AS `t8`
                        UNION ALL
                        SELECT
                          *
                        FROM (
                          SELECT
                            `t20`.`customer_id`,
                            `t20`.`dn`,
                            -(
                              `t20`.`net`
                            ) AS `amount`
                          FROM `t17` AS `t20`
                          WHERE
                            `t20`.`net` < 0
                        ) AS `t24`
                      ) AS `t26`
                      GROUP BY
                        1,
                        2
                    ) AS `t30`
                  ) AS `t36`
                ) AS `t38`
              ) AS `t45`
            ) AS `t50`
          ) AS `t55`
        ) AS `t59`
        GROUP BY
          1
      ) AS `t65`
        ON `t70`.`customer_id` = `t65`.`customer_id`
    ) AS `t71`
  ) AS `t72`
  WHERE
    (
      `t72`.`created_dn` IS NULL
    )
    OR (
      `t72`.`created_dn` <= 19813
    )
    OR (
      NOT `t72`.`frequency` IS NULL AND NOT ISNAN(`t72`.`frequency`)
    )
) AS `t73`
