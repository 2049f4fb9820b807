WITH `t12` AS (
  SELECT
    `t2`.`customer_id`,
    `t2`.`order_id`,
    CAST(`t2`.`amount` * 100 AS BIGINT) AS `amount`,
    CAST(`t2`.`cost` * 100 AS BIGINT) AS `cost`,
    CAST(`t2`.`order_date` AS DATE) AS `day`,
    DATEDIFF(DAY, MAKE_DATE(1970, 1, 1), `t2`.`due_date`) AS `due_dn`,
    DATEDIFF(DAY, MAKE_DATE(1970, 1, 1), CAST(`t2`.`order_date` AS DATE)) AS `dn`
  FROM `tw_orders` AS `t2`
  WHERE
    CAST(`t2`.`order_date` AS DATE) <= MAKE_DATE(2024, 3, 31)
), `t15` AS (
  SELECT
    `t14`.`customer_id`,
    `t14`.`day`,
    SUM(`t14`.`amount`) AS `value`,
    MAX(`t14`.`amount`) AS `top`
  FROM `t12` AS `t14`
  GROUP BY
    1,
    2
), `t19` AS (
  SELECT
    `t14`.`customer_id`,
    `t14`.`order_id`,
    SUM(`t14`.`amount`) AS `net`,
    MIN(`t14`.`dn`) AS `dn`,
    MIN(`t14`.`due_dn`) AS `due_dn`,
    SUM(IF(`t14`.`dn` >= 19448, `t14`.`amount`, NULL)) AS `net_win`,
    SUM(IF((
      `t14`.`dn` >= 19448
    ) AND (
      `t14`.`amount` > 0
    ), `t14`.`amount`, NULL)) AS `gross_win`,
    SUM(IF((
      `t14`.`dn` >= 19448
    ) AND (
      `t14`.`amount` < 0
    ), `t14`.`amount`, NULL)) AS `ret_win`,
    SUM(
      IF(
        (
          NOT `t14`.`cost` IS NULL
        ) AND (
          `t14`.`dn` >= 19448
        ),
        `t14`.`amount` - `t14`.`cost`,
        NULL
      )
    ) AS `profit_win`,
    SUM(IF((
      NOT `t14`.`cost` IS NULL
    ) AND (
      `t14`.`dn` >= 19448
    ), 1, 0)) AS `costed_win`,
    SUM(IF(`t14`.`dn` >= 19448, 1, 0)) AS `lines_win`,
    SUM(IF((
      `t14`.`dn` >= 19083
    ) AND (
      `t14`.`dn` < 19448
    ), `t14`.`amount`, NULL)) AS `net_prev`
  FROM `t12` AS `t14`
  GROUP BY
    1,
    2
), `t20` AS (
  SELECT
    `t16`.`customer_id`,
    `t16`.`day`,
    `t16`.`value`,
    `t16`.`top`,
    DATEDIFF(DAY, MAKE_DATE(1970, 1, 1), `t16`.`day`) AS `dn`
  FROM `t15` AS `t16`
  WHERE
    `t16`.`value` > 0
), `t29` AS (
  SELECT
    `t21`.`customer_id`,
    SUM(`t21`.`net_win`) AS `revenue`,
    SUM(`t21`.`gross_win`) AS `gross_sales`,
    -(
      SUM(`t21`.`ret_win`)
    ) AS `returns`,
    SUM(IF(`t21`.`net_win` > 0, 1, 0)) AS `order_count`,
    SUM(IF(`t21`.`net_win` < 0, 1, 0)) AS `return_count`,
    SUM(`t21`.`profit_win`) AS `gross_profit`,
    SUM(`t21`.`costed_win`) AS `costed`,
    SUM(`t21`.`lines_win`) AS `lines_win`,
    SUM(`t21`.`net_prev`) AS `revenue_prev`,
    SUM(`t21`.`net`) AS `lifetime_revenue`,
    SUM(IF(`t21`.`net` > 0, 1, 0)) AS `lifetime_orders`,
    COUNT(*) AS `orders_any`
  FROM `t19` AS `t21`
  GROUP BY
    1
), `t34` AS (
  SELECT
    `t28`.`customer_id`,
    `t28`.`dn`,
    SUM(`t28`.`amount`) AS `amount`
  FROM (
    SELECT
      *
    FROM (
      SELECT
        `t3`.`customer_id`,
        DATEDIFF(DAY, MAKE_DATE(1970, 1, 1), CAST(`t3`.`payment_date` AS DATE)) AS `dn`,
        CAST(`t3`.`amount` * 100 AS BIGINT) AS `amount`
      FROM `tw_payments` AS `t3`
      WHERE
        CAST(`t3`.`payment_date` AS DATE) <= MAKE_DATE(2024, 3, 31)
    ) AS `t13`
    UNION ALL
    SELECT
      *
    FROM (
      SELECT
        `t21`.`customer_id`,
        `t21`.`dn`,
        -(
          `t21`.`net`
        ) AS `amount`
      FROM `t19` AS `t21`
      WHERE
        `t21`.`net` < 0
    ) AS `t25`
  ) AS `t28`
  GROUP BY
    1,
    2
), `t35` AS (
  SELECT
    `t22`.`customer_id`,
    (
      24291 - (
        (
          EXTRACT(YEAR FROM `t22`.`day`) * 12
        ) + EXTRACT(MONTH FROM `t22`.`day`)
      )
    ) - IF(EXTRACT(DAY FROM `t22`.`day`) > 31, 1, 0) AS `bucket`,
    SUM(`t22`.`value`) AS `value`,
    MAX(`t22`.`top`) AS `top`
  FROM (
    SELECT
      `t16`.`customer_id`,
      `t16`.`day`,
      `t16`.`value`,
      `t16`.`top`,
      DATEDIFF(DAY, MAKE_DATE(1970, 1, 1), `t16`.`day`) AS `dn`
    FROM `t15` AS `t16`
    WHERE
      DATEDIFF(DAY, MAKE_DATE(1970, 1, 1), `t16`.`day`) >= 19448
  ) AS `t22`
  GROUP BY
    1,
    2
), `t45` AS (
  SELECT
    `t37`.`customer_id`,
    SUM(`t37`.`amount`) AS `paid`
  FROM `t34` AS `t37`
  GROUP BY
    1
), `t79` AS (
  SELECT
    `t74`.`customer_id`,
    SUM(`t74`.`amount`) AS `billed`,
    SUM(
      IF(
        (
          `t74`.`due` < 19813
        )
        AND (
          LEAST(`t74`.`amount`, GREATEST(`t74`.`cum` - COALESCE(`t74`.`paid`, 0), 0)) > 0
        ),
        LEAST(`t74`.`amount`, GREATEST(`t74`.`cum` - COALESCE(`t74`.`paid`, 0), 0)),
        NULL
      )
    ) AS `overdue_amount`,
    MAX(
      IF(
        (
          `t74`.`due` < 19813
        )
        AND (
          LEAST(`t74`.`amount`, GREATEST(`t74`.`cum` - COALESCE(`t74`.`paid`, 0), 0)) > 0
        ),
        19813 - `t74`.`due`,
        NULL
      )
    ) AS `max_days_overdue`,
    SUM(IF(`t74`.`due` <= 19813, 1, 0)) AS `invoices_due`,
    SUM(IF((
      `t74`.`due` <= 19813
    ) AND (
      `t74`.`by_due` >= `t74`.`cum`
    ), 1, 0)) AS `paid_on_time`
  FROM (
    SELECT
      `t69`.`customer_id`,
      `t69`.`day`,
      `t69`.`kind`,
      `t69`.`reached`,
      `t69`.`amount`,
      `t69`.`due`,
      `t69`.`cum`,
      `t69`.`by_due`,
      `t52`.`customer_id` AS `customer_id_right`,
      `t52`.`paid`
    FROM (
      SELECT
        *
      FROM (
        SELECT
          `t57`.`customer_id`,
          `t57`.`day`,
          `t57`.`kind`,
          `t57`.`reached`,
          `t57`.`amount`,
          `t57`.`due`,
          `t57`.`cum`,
          MAX(`t57`.`reached`) OVER (
            PARTITION BY `t57`.`customer_id`
            ORDER BY `t57`.`day` ASC NULLS LAST, `t57`.`kind` ASC NULLS LAST
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
          ) AS `by_due`
        FROM (
          SELECT
            *
          FROM (
            SELECT
              `t50`.`customer_id`,
              `t50`.`dn` AS `day`,
              0 AS `kind`,
              `t50`.`reached`,
              CAST(NULL AS BIGINT) AS `amount`,
              CAST(NULL AS BIGINT) AS `due`,
              CAST(NULL AS BIGINT) AS `cum`
            FROM (
              SELECT
                `t37`.`customer_id`,
                `t37`.`dn`,
                `t37`.`amount`,
                SUM(`t37`.`amount`) OVER (
                  PARTITION BY `t37`.`customer_id`
                  ORDER BY `t37`.`dn` ASC NULLS LAST
                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                ) AS `reached`
              FROM `t34` AS `t37`
            ) AS `t50`
          ) AS `t56`
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              `t36`.`customer_id`,
              `t36`.`due` AS `day`,
              1 AS `kind`,
              CAST(NULL AS BIGINT) AS `reached`,
              `t36`.`amount`,
              `t36`.`due`,
              `t36`.`cum`
            FROM (
              SELECT
                `t27`.`customer_id`,
                `t27`.`net` AS `amount`,
                COALESCE(`t27`.`due_dn`, `t27`.`dn` + COALESCE(`t9`.`terms`, 30)) AS `due`,
                SUM(`t27`.`net`) OVER (
                  PARTITION BY `t27`.`customer_id`
                  ORDER BY `t27`.`dn` ASC NULLS LAST, `t27`.`order_id` ASC NULLS LAST
                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                ) AS `cum`
              FROM (
                SELECT
                  `t21`.`customer_id`,
                  `t21`.`order_id`,
                  `t21`.`net`,
                  `t21`.`dn`,
                  `t21`.`due_dn`
                FROM `t19` AS `t21`
                WHERE
                  `t21`.`net` > 0
              ) AS `t27`
              LEFT OUTER JOIN (
                SELECT
                  `t4`.`customer_id`,
                  `t4`.`payment_terms_days` AS `terms`
                FROM `tw_customers` AS `t4`
              ) AS `t9`
                ON `t27`.`customer_id` = `t9`.`customer_id`
            ) AS `t36`
          ) AS `t41`
        ) AS `t57`
      ) AS `t62`
      WHERE
        `t62`.`kind` = 1
    ) AS `t69`
    LEFT OUTER JOIN `t45` AS `t52`
      ON `t69`.`customer_id` = `t52`.`customer_id`
  ) AS `t74`
  GROUP BY
    1
)
SELECT
  `t102`.`customer_id`,
  `t102`.`name`,
  `t102`.`rep_id`,
  `t102`.`department`,
  `t102`.`region`,
  CASE
    WHEN COALESCE(`t102`.`order_count`, 0) > 0
    THEN 'buyer'
    WHEN COALESCE(`t102`.`lifetime_orders`, 0) > 0
    THEN 'lapsed'
    WHEN COALESCE(`t102`.`orders_any`, 0) > 0
    THEN 'returns_only'
    ELSE 'prospect'
  END AS `status`,
  CAST(CAST(COALESCE(`t102`.`revenue`, 0) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `revenue`,
  CAST(CAST(COALESCE(`t102`.`gross_sales`, 0) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `gross_sales`,
  CAST(CAST(COALESCE(`t102`.`returns`, 0) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `returns`,
  COALESCE(`t102`.`order_count`, 0) AS `order_count`,
  COALESCE(`t102`.`return_count`, 0) AS `return_count`,
  IF(
    COALESCE(`t102`.`order_count`, 0) > 0,
    (
      CAST(COALESCE(`t102`.`revenue`, 0) AS DOUBLE) / COALESCE(`t102`.`order_count`, 0)
    ) / 100.0,
    NULL
  ) AS `avg_order_value`,
  CAST(CAST(IF(COALESCE(`t102`.`costed`, 0) > 0, `t102`.`gross_profit`, NULL) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `gross_profit`,
  IF(
    COALESCE(`t102`.`lines_win`, 0) > 0,
    CAST(`t102`.`costed` AS DOUBLE) / `t102`.`lines_win`,
    NULL
  ) AS `cost_coverage`,
  CAST(CAST(COALESCE(`t102`.`revenue_prev`, 0) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `revenue_prev`,
  IF(
    COALESCE(`t102`.`revenue_prev`, 0) > 0,
    CAST(COALESCE(`t102`.`revenue`, 0) - `t102`.`revenue_prev` AS DOUBLE) / CAST(`t102`.`revenue_prev` AS DOUBLE),
    NULL
  ) AS `growth`,
  `t102`.`rank` AS `revenue_rank`,
  CAST(`t102`.`rank` AS DOUBLE) / `t102`.`ranked` AS `revenue_top_share`,
  CAST(COALESCE(`t102`.`revenue`, 0) AS DOUBLE) / CAST(`t102`.`total` AS DOUBLE) AS `revenue_share`,
  CAST(`t102`.`running` AS DOUBLE) / CAST(`t102`.`total` AS DOUBLE) AS `revenue_cum_share`,
  CAST(CAST(COALESCE(`t102`.`lifetime_revenue`, 0) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `lifetime_revenue`,
  COALESCE(`t102`.`lifetime_orders`, 0) AS `lifetime_orders`,
  `t102`.`first_day` AS `first_order_date`,
  `t102`.`last_day` AS `last_order_date`,
  19813 - `t102`.`last_dn` AS `recency_days`,
  19813 - `t102`.`first_dn` AS `tenure_days`,
  `t102`.`frequency`,
  `t102`.`recency`,
  `t102`.`T`,
  `t102`.`monetary_value`,
  COALESCE(`t102`.`active_months`, 0) AS `active_months`,
  COALESCE(`t102`.`active_quarters`, 0) AS `active_quarters`,
  `t102`.`cv_monthly`,
  `t102`.`cv_quarterly`,
  `t102`.`repurchase_days`,
  IF(
    (
      `t102`.`lines_win` IS NULL
    ) OR (
      `t102`.`lines_win` = 0
    ),
    NULL,
    IF(
      `t102`.`cv_monthly` IS NULL OR ISNAN(`t102`.`cv_monthly`),
      0.0,
      1.0 / (
        `t102`.`cv_monthly` + 1.0
      )
    )
  ) AS `stability`,
  IF(
    `t102`.`first_dn` IS NULL,
    NULL,
    0.0 + (
      LEAST(CAST(19813 - `t102`.`first_dn` AS DOUBLE) / 730.0, 1.0) * 0.25
    ) + (
      (
        CAST(COALESCE(`t102`.`active_months`, 0) AS DOUBLE) / 12
      ) * 0.25
    ) + (
      COALESCE(
        IF(
          (
            `t102`.`lines_win` IS NULL
          ) OR (
            `t102`.`lines_win` = 0
          ),
          NULL,
          IF(
            `t102`.`cv_monthly` IS NULL OR ISNAN(`t102`.`cv_monthly`),
            0.0,
            1.0 / (
              `t102`.`cv_monthly` + 1.0
            )
          )
        ),
        0.0
      ) * 0.25
    ) + (
      GREATEST(1.0 - (
        CAST(19813 - `t102`.`last_dn` AS DOUBLE) / 366
      ), 0.0) * 0.25
    )
  ) AS `loyalty`,
  `t102`.`credit_limit`,
  CAST(CAST(COALESCE(`t102`.`outstanding`, 0) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `outstanding`,
  CAST(CAST(COALESCE(`t102`.`overdue_amount`, 0) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `overdue_amount`,
  COALESCE(`t102`.`max_days_overdue`, 0) AS `max_days_overdue`,
  COALESCE(`t102`.`invoices_due`, 0) AS `invoices_due`,
  IF(
    `t102`.`invoices_due` > 0,
    CAST(`t102`.`paid_on_time` AS DOUBLE) / `t102`.`invoices_due`,
    NULL
  ) AS `on_time_ratio`,
  IF(
    (
      NOT `t102`.`credit_limit` IS NULL
    ) AND (
      `t102`.`credit_limit` > 0
    ),
    (
      CAST(COALESCE(`t102`.`outstanding`, 0) AS DOUBLE) / 100.0
    ) / CAST(`t102`.`credit_limit` AS DOUBLE),
    NULL
  ) AS `credit_utilization`,
  `t102`.`last_contact_day` AS `last_contact_date`,
  19813 - `t102`.`last_contact_dn` AS `days_since_contact`,
  COALESCE(`t102`.`contacts`, 0) AS `contacts`,
  COALESCE(`t102`.`visits`, 0) AS `visits`,
  COALESCE(`t102`.`calls`, 0) AS `calls`,
  COALESCE(`t102`.`messages`, 0) AS `messages`,
  COALESCE(`t102`.`care_touches`, 0) AS `care_touches`,
  COALESCE(`t102`.`complaints`, 0) AS `complaints`
FROM (
  SELECT
    `t101`.`customer_id`,
    `t101`.`name`,
    `t101`.`rep_id`,
    `t101`.`department`,
    `t101`.`region`,
    `t101`.`credit_limit`,
    `t101`.`created_dn`,
    `t101`.`revenue`,
    `t101`.`gross_sales`,
    `t101`.`returns`,
    `t101`.`order_count`,
    `t101`.`return_count`,
    `t101`.`gross_profit`,
    `t101`.`costed`,
    `t101`.`lines_win`,
    `t101`.`revenue_prev`,
    `t101`.`lifetime_revenue`,
    `t101`.`lifetime_orders`,
    `t101`.`orders_any`,
    `t101`.`frequency`,
    `t101`.`recency`,
    `t101`.`T`,
    `t101`.`monetary_value`,
    `t101`.`first_dn`,
    `t101`.`last_dn`,
    `t101`.`first_day`,
    `t101`.`last_day`,
    `t101`.`repurchase_days`,
    `t101`.`active_months`,
    `t101`.`cv_monthly`,
    `t101`.`active_quarters`,
    `t101`.`cv_quarterly`,
    `t101`.`last_contact_dn`,
    `t101`.`last_contact_day`,
    `t101`.`contacts`,
    `t101`.`visits`,
    `t101`.`calls`,
    `t101`.`messages`,
    `t101`.`care_touches`,
    `t101`.`complaints`,
    `t101`.`outstanding`,
    `t101`.`overdue_amount`,
    `t101`.`max_days_overdue`,
    `t101`.`invoices_due`,
    `t101`.`paid_on_time`,
    `t101`.`rank`,
    `t101`.`ranked`,
    `t101`.`total`,
    `t101`.`running`
  FROM (
    SELECT
      `t100`.`customer_id`,
      `t100`.`name`,
      `t100`.`rep_id`,
      `t100`.`department`,
      `t100`.`region`,
      `t100`.`credit_limit`,
      `t100`.`created_dn`,
      `t100`.`revenue`,
      `t100`.`gross_sales`,
      `t100`.`returns`,
      `t100`.`order_count`,
      `t100`.`return_count`,
      `t100`.`gross_profit`,
      `t100`.`costed`,
      `t100`.`lines_win`,
      `t100`.`revenue_prev`,
      `t100`.`lifetime_revenue`,
      `t100`.`lifetime_orders`,
      `t100`.`orders_any`,
      `t100`.`frequency`,
      `t100`.`recency`,
      `t100`.`T`,
      `t100`.`monetary_value`,
      `t100`.`first_dn`,
      `t100`.`last_dn`,
      `t100`.`first_day`,
      `t100`.`last_day`,
      `t100`.`repurchase_days`,
      `t100`.`active_months`,
      `t100`.`cv_monthly`,
      `t100`.`active_quarters`,
      `t100`.`cv_quarterly`,
      `t100`.`last_contact_dn`,
      `t100`.`last_contact_day`,
      `t100`.`contacts`,
      `t100`.`visits`,
      `t100`.`calls`,
      `t100`.`messages`,
      `t100`.`care_touches`,
      `t100`.`complaints`,
      `t100`.`outstanding`,
      `t100`.`overdue_amount`,
      `t100`.`max_days_overdue`,
      `t100`.`invoices_due`,
      `t100`.`paid_on_time`,
      `t64`.`customer_id` AS `customer_id_right`,
      `t64`.`rank`,
      `t64`.`ranked`,
      `t64`.`total`,
      `t64`.`running`
    FROM (
      SELECT
        `t98`.`customer_id`,
        `t98`.`name`,
        `t98`.`rep_id`,
        `t98`.`department`,
        `t98`.`region`,
        `t98`.`credit_limit`,
        `t98`.`created_dn`,
        `t98`.`revenue`,
        `t98`.`gross_sales`,
        `t98`.`returns`,
        `t98`.`order_count`,
        `t98`.`return_count`,
        `t98`.`gross_profit`,
        `t98`.`costed`,
        `t98`.`lines_win`,
        `t98`.`revenue_prev`,
        `t98`.`lifetime_revenue`,
        `t98`.`lifetime_orders`,
        `t98`.`orders_any`,
        `t98`.`frequency`,
        `t98`.`recency`,
        `t98`.`T`,
        `t98`.`monetary_value`,
        `t98`.`first_dn`,
        `t98`.`last_dn`,
        `t98`.`first_day`,
        `t98`.`last_day`,
        `t98`.`repurchase_days`,
        `t98`.`active_months`,
        `t98`.`cv_monthly`,
        `t98`.`active_quarters`,
        `t98`.`cv_quarterly`,
        `t98`.`last_contact_dn`,
        `t98`.`last_contact_day`,
        `t98`.`contacts`,
        `t98`.`visits`,
        `t98`.`calls`,
        `t98`.`messages`,
        `t98`.`care_touches`,
        `t98`.`complaints`,
        `t98`.`outstanding`,
        `t98`.`overdue_amount`,
        `t98`.`max_days_overdue`,
        `t98`.`invoices_due`,
        `t98`.`paid_on_time`
      FROM (
        SELECT
          `t90`.`customer_id`,
          `t90`.`name`,
          `t90`.`rep_id`,
          `t90`.`department`,
          `t90`.`region`,
          `t90`.`credit_limit`,
          `t90`.`created_dn`,
          `t90`.`revenue`,
          `t90`.`gross_sales`,
          `t90`.`returns`,
          `t90`.`order_count`,
          `t90`.`return_count`,
          `t90`.`gross_profit`,
          `t90`.`costed`,
          `t90`.`lines_win`,
          `t90`.`revenue_prev`,
          `t90`.`lifetime_revenue`,
          `t90`.`lifetime_orders`,
          `t90`.`orders_any`,
          `t90`.`frequency`,
          `t90`.`recency`,
          `t90`.`T`,
          `t90`.`monetary_value`,
          `t90`.`first_dn`,
          `t90`.`last_dn`,
          `t90`.`first_day`,
          `t90`.`last_day`,
          `t90`.`repurchase_days`,
          `t90`.`active_months`,
          `t90`.`cv_monthly`,
          `t90`.`active_quarters`,
          `t90`.`cv_quarterly`,
          `t90`.`last_contact_dn`,
          `t90`.`last_contact_day`,
          `t90`.`contacts`,
          `t90`.`visits`,
          `t90`.`calls`,
          `t90`.`messages`,
          `t90`.`care_touches`,
          `t90`.`complaints`,
          `t97`.`customer_id` AS `customer_id_right`,
          `t97`.`outstanding`,
          `t97`.`overdue_amount`,
          `t97`.`max_days_overdue`,
          `t97`.`invoices_due`,
          `t97`.`paid_on_time`
        FROM (
          SELECT
            `t86`.`customer_id`,
            `t86`.`name`,
            `t86`.`rep_id`,
            `t86`.`department`,
            `t86`.`region`,
            `t86`.`credit_limit`,
            `t86`.`created_dn`,
            `t86`.`revenue`,
            `t86`.`gross_sales`,
            `t86`.`returns`,
            `t86`.`order_count`,
            `t86`.`return_count`,
            `t86`.`gross_profit`,
            `t86`.`costed`,
            `t86`.`lines_win`,
            `t86`.`revenue_prev`,
            `t86`.`lifetime_revenue`,
            `t86`.`lifetime_orders`,
            `t86`.`orders_any`,
            `t86`.`frequency`,
            `t86`.`recency`,
            `t86`.`T`,
            `t86`.`monetary_value`,
            `t86`.`first_dn`,
            `t86`.`last_dn`,
            `t86`.`first_day`,
            `t86`.`last_day`,
            `t86`.`repurchase_days`,
            `t86`.`active_months`,
            `t86`.`cv_monthly`,
            `t86`.`active_quarters`,
            `t86`.`cv_quarterly`,
            `t86`.`last_contact_dn`,
            `t86`.`last_contact_day`,
            `t86`.`contacts`,
            `t86`.`visits`,
            `t86`.`calls`,
            `t86`.`messages`,
            `t86`.`care_touches`,
            `t86`.`complaints`
          FROM (
            SELECT
              `t82`.`customer_id`,
              `t82`.`name`,
              `t82`.`rep_id`,
              `t82`.`department`,
              `t82`.`region`,
              `t82`.`credit_limit`,
              `t82`.`created_dn`,
              `t82`.`revenue`,
              `t82`.`gross_sales`,
              `t82`.`returns`,
              `t82`.`order_count`,
              `t82`.`return_count`,
              `t82`.`gross_profit`,
              `t82`.`costed`,
              `t82`.`lines_win`,
              `t82`.`revenue_prev`,
              `t82`.`lifetime_revenue`,
              `t82`.`lifetime_orders`,
              `t82`.`orders_any`,
              `t82`.`frequency`,
              `t82`.`recency`,
              `t82`.`T`,
              `t82`.`monetary_value`,
              `t82`.`first_dn`,
              `t82`.`last_dn`,
              `t82`.`first_day`,
              `t82`.`last_day`,
              `t82`.`repurchase_days`,
              `t82`.`active_months`,
              `t82`.`cv_monthly`,
              `t82`.`active_quarters`,
              `t82`.`cv_quarterly`,
              `t18`.`customer_id` AS `customer_id_right`,
              `t18`.`last_contact_dn`,
              `t18`.`last_contact_day`,
              `t18`.`contacts`,
              `t18`.`visits`,
              `t18`.`calls`,
              `t18`.`messages`,
              `t18`.`care_touches`,
              `t18`.`complaints`
            FROM (
              SELECT
                `t78`.`customer_id`,
                `t78`.`name`,
                `t78`.`rep_id`,
                `t78`.`department`,
                `t78`.`region`,
                `t78`.`credit_limit`,
                `t78`.`created_dn`,
                `t78`.`revenue`,
                `t78`.`gross_sales`,
                `t78`.`returns`,
                `t78`.`order_count`,
                `t78`.`return_count`,
                `t78`.`gross_profit`,
                `t78`.`costed`,
                `t78`.`lines_win`,
                `t78`.`revenue_prev`,
                `t78`.`lifetime_revenue`,
                `t78`.`lifetime_orders`,
                `t78`.`orders_any`,
                `t78`.`frequency`,
                `t78`.`recency`,
                `t78`.`T`,
                `t78`.`monetary_value`,
                `t78`.`first_dn`,
                `t78`.`last_dn`,
                `t78`.`first_day`,
                `t78`.`last_day`,
                `t78`.`repurchase_days`,
                `t78`.`active_months`,
                `t78`.`cv_monthly`,
                `t78`.`active_quarters`,
                `t78`.`cv_quarterly`
              FROM (
                SELECT
                  `t72`.`customer_id`,
                  `t72`.`name`,
                  `t72`.`rep_id`,
                  `t72`.`department`,
                  `t72`.`region`,
                  `t72`.`credit_limit`,
                  `t72`.`created_dn`,
                  `t72`.`revenue`,
                  `t72`.`gross_sales`,
                  `t72`.`returns`,
                  `t72`.`order_count`,
                  `t72`.`return_count`,
                  `t72`.`gross_profit`,
                  `t72`.`costed`,
                  `t72`.`lines_win`,
                  `t72`.`revenue_prev`,
                  `t72`.`lifetime_revenue`,
                  `t72`.`lifetime_orders`,
                  `t72`.`orders_any`,
                  `t72`.`frequency`,
                  `t72`.`recency`,
                  `t72`.`T`,
                  `t72`.`monetary_value`,
                  `t72`.`first_dn`,
                  `t72`.`last_dn`,
                  `t72`.`first_day`,
                  `t72`.`last_day`,
                  `t72`.`repurchase_days`,
                  `t77`.`customer_id` AS `customer_id_right`,
                  `t77`.`active_months`,
                  `t77`.`cv_monthly`,
                  `t77`.`active_quarters`,
                  `t77`.`cv_quarterly`
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
                    `t68`.`orders_any`,
                    `t68`.`frequency`,
                    `t68`.`recency`,
                    `t68`.`T`,
                    `t68`.`monetary_value`,
                    `t68`.`first_dn`,
                    `t68`.`last_dn`,
                    `t68`.`first_day`,
                    `t68`.`last_day`,
                    `t68`.`repurchase_days`
                  FROM (
                    SELECT
                      `t61`.`customer_id`,
                      `t61`.`name`,
                      `t61`.`rep_id`,
                      `t61`.`department`,
                      `t61`.`region`,
                      `t61`.`credit_limit`,
                      `t61`.`created_dn`,
                      `t61`.`revenue`,
                      `t61`.`gross_sales`,
                      `t61`.`returns`,
                      `t61`.`order_count`,
                      `t61`.`return_count`,
                      `t61`.`gross_profit`,
                      `t61`.`costed`,
                      `t61`.`lines_win`,
                      `t61`.`revenue_prev`,
                      `t61`.`lifetime_revenue`,
                      `t61`.`lifetime_orders`,
                      `t61`.`orders_any`,
                      `t61`.`frequency`,
                      `t61`.`recency`,
                      `t61`.`T`,
                      `t61`.`monetary_value`,
                      `t40`.`customer_id` AS `customer_id_right`,
                      `t40`.`first_dn`,
                      `t40`.`last_dn`,
                      `t40`.`first_day`,
                      `t40`.`last_day`,
                      `t40`.`repurchase_days`
                    FROM (
                      SELECT
                        `t59`.`customer_id`,
                        `t59`.`name`,
                        `t59`.`rep_id`,
                        `t59`.`department`,
                        `t59`.`region`,
                        `t59`.`credit_limit`,
                        `t59`.`created_dn`,
                        `t59`.`revenue`,
                        `t59`.`gross_sales`,
                        `t59`.`returns`,
                        `t59`.`order_count`,
                        `t59`.`return_count`,
                        `t59`.`gross_profit`,
                        `t59`.`costed`,
                        `t59`.`lines_win`,
                        `t59`.`revenue_prev`,
                        `t59`.`lifetime_revenue`,
                        `t59`.`lifetime_orders`,
                        `t59`.`orders_any`,
                        `t59`.`frequency`,
                        `t59`.`recency`,
                        `t59`.`T`,
                        `t59`.`monetary_value`
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
                          `t51`.`orders_any`,
                          `t47`.`customer_id` AS `customer_id_right`,
                          `t47`.`frequency`,
                          `t47`.`recency`,
                          `t47`.`T`,
                          `t47`.`monetary_value`
                        FROM (
                          SELECT
                            `t44`.`customer_id`,
                            `t44`.`name`,
                            `t44`.`rep_id`,
                            `t44`.`department`,
                            `t44`.`region`,
                            `t44`.`credit_limit`,
                            `t44`.`created_dn`,
                            `t44`.`revenue`,
                            `t44`.`gross_sales`,
                            `t44`.`returns`,
                            `t44`.`order_count`,
                            `t44`.`return_count`,
                            `t44`.`gross_profit`,
                            `t44`.`costed`,
                            `t44`.`lines_win`,
                            `t44`.`revenue_prev`,
                            `t44`.`lifetime_revenue`,
                            `t44`.`lifetime_orders`,
                            `t44`.`orders_any`
                          FROM (
                            SELECT
                              `t11`.`customer_id`,
                              `t11`.`name`,
                              `t11`.`rep_id`,
                              `t11`.`department`,
                              `t11`.`region`,
                              `t11`.`credit_limit`,
                              `t11`.`created_dn`,
                              `t33`.`customer_id` AS `customer_id_right`,
                              `t33`.`revenue`,
                              `t33`.`gross_sales`,
                              `t33`.`returns`,
                              `t33`.`order_count`,
                              `t33`.`return_count`,
                              `t33`.`gross_profit`,
                              `t33`.`costed`,
                              `t33`.`lines_win`,
                              `t33`.`revenue_prev`,
                              `t33`.`lifetime_revenue`,
                              `t33`.`lifetime_orders`,
                              `t33`.`orders_any`
                            FROM (
                              SELECT
                                `t0`.`customer_id`,
                                `t0`.`name`,
                                `t0`.`rep_id`,
                                `t0`.`department`,
                                `t0`.`region`,
                                `t0`.`credit_limit`,
                                DATEDIFF(DAY, MAKE_DATE(1970, 1, 1), `t0`.`created_date`) AS `created_dn`
                              FROM `tw_customers` AS `t0`
                            ) AS `t11`
                            LEFT OUTER JOIN `t29` AS `t33`
                              ON `t11`.`customer_id` = `t33`.`customer_id`
                          ) AS `t44`
                        ) AS `t51`
                        LEFT OUTER JOIN (
                          SELECT
                            `t26`.`customer_id`,
                            CAST(`t26`.`n` - 1 AS DOUBLE) AS `frequency`,
                            CAST(`t26`.`last` - `t26`.`first` AS DOUBLE) AS `recency`,
                            CAST(19813 - `t26`.`first` AS DOUBLE) AS `T`,
                            IF(
                              `t26`.`n` > 1,
                              (
                                CAST(`t26`.`total` - `t26`.`first_value` AS DOUBLE) / CAST(`t26`.`n` - 1 AS DOUBLE)
                              ) / 100.0,
                              0.0
                            ) AS `monetary_value`
                          FROM (
                            SELECT
                              `t23`.`customer_id`,
                              COUNT(*) AS `n`,
                              MIN(`t23`.`dn`) AS `first`,
                              MAX(`t23`.`dn`) AS `last`,
                              SUM(`t23`.`value`) AS `total`,
                              MIN_BY(`t23`.`value`, `t23`.`dn`) AS `first_value`
                            FROM `t20` AS `t23`
                            GROUP BY
                              1
                          ) AS `t26`
                        ) AS `t47`
                          ON `t51`.`customer_id` = `t47`.`customer_id`
                      ) AS `t59`
                    ) AS `t61`
                    LEFT OUTER JOIN (
                      SELECT
                        `t30`.`customer_id`,
                        MIN(`t30`.`dn`) AS `first_dn`,
                        MAX(`t30`.`dn`) AS `last_dn`,
                        MIN(`t30`.`day`) AS `first_day`,
                        MAX(`t30`.`day`) AS `last_day`,
                        PERCENTILE(`t30`.`gap`, 0.5) AS `repurchase_days`
                      FROM (
                        SELECT
                          `t23`.`customer_id`,
                          `t23`.`day`,
                          `t23`.`value`,
                          `t23`.`top`,
                          `t23`.`dn`,
                          `t23`.`dn` - LAG(`t23`.`dn`) OVER (PARTITION BY `t23`.`customer_id` ORDER BY `t23`.`dn` ASC NULLS LAST) AS `gap`
                        FROM `t20` AS `t23`
                      ) AS `t30`
                      GROUP BY
                        1
                    ) AS `t40`
                      ON `t61`.`customer_id` = `t40`.`customer_id`
                  ) AS `t68`
                ) AS `t72`
                LEFT OUTER JOIN (
                  SELECT
                    `t75`.`customer_id`,
                    `t75`.`active_months`,
                    `t75`.`cv_monthly`,
                    `t75`.`active_quarters`,
                    `t75`.`cv_quarterly`
                  FROM (
                    SELECT
                      `t67`.`customer_id`,
                      `t67`.`active_months`,
                      `t67`.`cv_monthly`,
                      `t73`.`customer_id` AS `customer_id_right`,
                      `t73`.`active_quarters`,
                      `t73`.`cv_quarterly`
                    FROM (
                      SELECT
                        `t53`.`customer_id`,
                        `t53`.`active` AS `active_months`,
                        IF(
                          `t53`.`s` > 0,
                          SQRT(CAST((
                            `t53`.`ss` * 12
                          ) - (
                            `t53`.`s` * `t53`.`s`
                          ) AS DOUBLE)) / CAST(`t53`.`s` AS DOUBLE),
                          NULL
                        ) AS `cv_monthly`
                      FROM (
                        SELECT
                          `t38`.`customer_id`,
                          SUM(IF(`t38`.`top` > 0, 1, 0)) AS `active`,
                          SUM(CAST(`t38`.`value` AS DECIMAL(38, 0))) AS `s`,
                          SUM(CAST(`t38`.`value` AS DECIMAL(38, 0)) * CAST(`t38`.`value` AS DECIMAL(38, 0))) AS `ss`
                        FROM `t35` AS `t38`
                        GROUP BY
                          1
                      ) AS `t53`
                    ) AS `t67`
                    LEFT OUTER JOIN (
                      SELECT
                        `t58`.`customer_id`,
                        `t58`.`active` AS `active_quarters`,
                        IF(
                          `t58`.`s` > 0,
                          SQRT(CAST((
                            `t58`.`ss` * 4
                          ) - (
                            `t58`.`s` * `t58`.`s`
                          ) AS DOUBLE)) / CAST(`t58`.`s` AS DOUBLE),
                          NULL
                        ) AS `cv_quarterly`
                      FROM (
                        SELECT
                          `t46`.`customer_id`,
                          SUM(IF(`t46`.`top` > 0, 1, 0)) AS `active`,
                          SUM(CAST(`t46`.`value` AS DECIMAL(38, 0))) AS `s`,
                          SUM(CAST(`t46`.`value` AS DECIMAL(38, 0)) * CAST(`t46`.`value` AS DECIMAL(38, 0))) AS `ss`
                        FROM (
                          SELECT
                            `t38`.`customer_id`,
                            CAST(FLOOR((
                              `t38`.`bucket`
                            ) / (
                              3
                            )) AS BIGINT) AS `bucket`,
                            SUM(`t38`.`value`) AS `value`,
                            MAX(`t38`.`top`) AS `top`
                          FROM `t35` AS `t38`
                          GROUP BY
                            1,
                            2
                        ) AS `t46`
                        GROUP BY
                          1
                      ) AS `t58`
                    ) AS `t73`
                      ON `t67`.`customer_id` = `t73`.`customer_id`
                  ) AS `t75`
                ) AS `t77`
                  ON `t72`.`customer_id` = `t77`.`customer_id`
              ) AS `t78`
            ) AS `t82`
            LEFT OUTER JOIN (
              SELECT
                `t10`.`customer_id`,
                MAX(`t10`.`dn`) AS `last_contact_dn`,
                MAX(`t10`.`day`) AS `last_contact_day`,
                SUM(IF(`t10`.`dn` >= 19448, 1, 0)) AS `contacts`,
                SUM(IF((
                  `t10`.`dn` >= 19448
                ) AND (
                  `t10`.`kind` = 'visit'
                ), 1, 0)) AS `visits`,
                SUM(IF((
                  `t10`.`dn` >= 19448
                ) AND (
                  `t10`.`kind` = 'call'
                ), 1, 0)) AS `calls`,
                SUM(IF((
                  `t10`.`dn` >= 19448
                ) AND (
                  `t10`.`kind` = 'message'
                ), 1, 0)) AS `messages`,
                SUM(IF((
                  `t10`.`dn` >= 19448
                ) AND (
                  `t10`.`kind` = 'care'
                ), 1, 0)) AS `care_touches`,
                SUM(IF((
                  `t10`.`dn` >= 19448
                ) AND (
                  `t10`.`kind` = 'complaint'
                ), 1, 0)) AS `complaints`
              FROM (
                SELECT
                  `t1`.`customer_id`,
                  `t1`.`kind`,
                  CAST(`t1`.`activity_date` AS DATE) AS `day`,
                  DATEDIFF(DAY, MAKE_DATE(1970, 1, 1), CAST(`t1`.`activity_date` AS DATE)) AS `dn`
                FROM `tw_activities` AS `t1`
                WHERE
                  CAST(`t1`.`activity_date` AS DATE) <= MAKE_DATE(2024, 3, 31)
              ) AS `t10`
              GROUP BY
                1
            ) AS `t18`
              ON `t82`.`customer_id` = `t18`.`customer_id`
          ) AS `t86`
        ) AS `t90`
        LEFT OUTER JOIN (
          SELECT
            `t95`.`customer_id`,
            COALESCE(`t95`.`billed`, 0) - COALESCE(`t95`.`paid`, 0) AS `outstanding`,
            `t95`.`overdue_amount`,
            `t95`.`max_days_overdue`,
            COALESCE(`t95`.`invoices_due`, 0) AS `invoices_due`,
            COALESCE(`t95`.`paid_on_time`, 0) AS `paid_on_time`
          FROM (
            SELECT
              `t94`.`customer_id`,
              `t94`.`billed`,
              `t94`.`overdue_amount`,
              `t94`.`max_days_overdue`,
              `t94`.`invoices_due`,
              `t94`.`paid_on_time`,
              `t94`.`paid`
            FROM (
              SELECT
                `t93`.`customer_id`,
                `t93`.`billed`,
                `t93`.`overdue_amount`,
                `t93`.`max_days_overdue`,
                `t93`.`invoices_due`,
                `t93`.`paid_on_time`,
                `t52`.`customer_id` AS `customer_id_right`,
                `t52`.`paid`
              FROM (
                SELECT
                  `t91`.`customer_id`,
                  `t91`.`billed`,
                  `t91`.`overdue_amount`,
                  `t91`.`max_days_overdue`,
                  `t91`.`invoices_due`,
                  `t91`.`paid_on_time`
                FROM (
                  SELECT
                    `t89`.`customer_id`,
                    `t83`.`customer_id` AS `customer_id_right`,
                    `t83`.`billed`,
                    `t83`.`overdue_amount`,
                    `t83`.`max_days_overdue`,
                    `t83`.`invoices_due`,
                    `t83`.`paid_on_time`
                  FROM (
                    SELECT DISTINCT
                      *
                    FROM (
                      SELECT
                        *
                      FROM (
                        SELECT
                          `t81`.`customer_id`
                        FROM `t79` AS `t81`
                      ) AS `t84`
                      UNION ALL
                      SELECT
                        *
                      FROM (
                        SELECT
                          `t49`.`customer_id`
                        FROM `t45` AS `t49`
                      ) AS `t55`
                    ) AS `t85`
                  ) AS `t89`
                  LEFT OUTER JOIN `t79` AS `t83`
                    ON `t89`.`customer_id` = `t83`.`customer_id`
                ) AS `t91`
              ) AS `t93`
              LEFT OUTER JOIN `t45` AS `t52`
                ON `t93`.`customer_id` = `t52`.`customer_id`
            ) AS `t94`
          ) AS `t95`
        ) AS `t97`
          ON `t90`.`customer_id` = `t97`.`customer_id`
      ) AS `t98`
    ) AS `t100`
    LEFT OUTER JOIN (
      SELECT
        `t54`.`customer_id`,
        (
          ROW_NUMBER() OVER (ORDER BY `t54`.`revenue` DESC, `t54`.`customer_id` ASC NULLS LAST) - 1
        ) + 1 AS `rank`,
        COUNT(*) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS `ranked`,
        SUM(`t54`.`revenue`) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS `total`,
        SUM(`t54`.`revenue`) OVER (
          ORDER BY `t54`.`revenue` DESC, `t54`.`customer_id` ASC NULLS LAST
          ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS `running`
      FROM (
        SELECT
          `t43`.`customer_id`,
          `t43`.`revenue`
        FROM (
          SELECT
            `t32`.`customer_id`,
            `t32`.`revenue`,
            `t32`.`gross_sales`,
            `t32`.`returns`,
            `t32`.`order_count`,
            `t32`.`return_count`,
            `t32`.`gross_profit`,
            `t32`.`costed`,
            `t32`.`lines_win`,
            `t32`.`revenue_prev`,
            `t32`.`lifetime_revenue`,
            `t32`.`lifetime_orders`,
            `t32`.`orders_any`
          FROM `t29` AS `t32`
          LEFT SEMI JOIN (
            SELECT
              `t0`.`customer_id`
            FROM `tw_customers` AS `t0`
          ) AS `t6`
            ON `t32`.`customer_id` = `t6`.`customer_id`
        ) AS `t43`
        WHERE
          `t43`.`revenue` > 0
      ) AS `t54`
    ) AS `t64`
      ON `t100`.`customer_id` = `t64`.`customer_id`
  ) AS `t101`
) AS `t102`
WHERE
  (
    `t102`.`created_dn` IS NULL
  )
  OR (
    `t102`.`created_dn` <= 19813
  )
  OR (
    NOT `t102`.`orders_any` IS NULL
  )
