WITH `t13` AS (
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
), `t15` AS (
  SELECT
    `t14`.`customer_id`,
    `t14`.`day`,
    SUM(`t14`.`amount`) AS `value`,
    MAX(`t14`.`amount`) AS `top`
  FROM `t13` AS `t14`
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
  FROM `t13` AS `t14`
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
), `t33` AS (
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
), `t41` AS (
  SELECT
    `t32`.`customer_id`,
    `t32`.`dn`,
    `t32`.`amount`,
    SUM(`t32`.`amount`) OVER (
      PARTITION BY `t32`.`customer_id`
      ORDER BY `t32`.`dn` ASC NULLS LAST
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS `reached`
  FROM (
    SELECT
      `t27`.`customer_id`,
      `t27`.`dn`,
      SUM(`t27`.`amount`) AS `amount`
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
      ) AS `t10`
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
      ) AS `t24`
    ) AS `t27`
    GROUP BY
      1,
      2
  ) AS `t32`
), `t48` AS (
  SELECT
    `t44`.`customer_id`,
    SUM(`t44`.`amount`) AS `paid`
  FROM `t41` AS `t44`
  GROUP BY
    1
), `t73` AS (
  SELECT
    `t66`.`customer_id`,
    SUM(`t66`.`amount`) AS `billed`,
    SUM(
      IF(
        (
          `t66`.`due` < 19813
        )
        AND (
          LEAST(`t66`.`amount`, GREATEST(`t66`.`cum` - COALESCE(`t66`.`paid`, 0), 0)) > 0
        ),
        LEAST(`t66`.`amount`, GREATEST(`t66`.`cum` - COALESCE(`t66`.`paid`, 0), 0)),
        NULL
      )
    ) AS `overdue_amount`,
    MAX(
      IF(
        (
          `t66`.`due` < 19813
        )
        AND (
          LEAST(`t66`.`amount`, GREATEST(`t66`.`cum` - COALESCE(`t66`.`paid`, 0), 0)) > 0
        ),
        19813 - `t66`.`due`,
        NULL
      )
    ) AS `max_days_overdue`,
    SUM(IF(`t66`.`due` <= 19813, 1, 0)) AS `invoices_due`,
    SUM(IF((
      `t66`.`due` <= 19813
    ) AND (
      `t66`.`by_due` >= `t66`.`cum`
    ), 1, 0)) AS `paid_on_time`
  FROM (
    SELECT
      `t60`.`customer_id`,
      `t60`.`day`,
      `t60`.`kind`,
      `t60`.`reached`,
      `t60`.`amount`,
      `t60`.`due`,
      `t60`.`cum`,
      `t60`.`by_due`,
      `t52`.`customer_id` AS `customer_id_right`,
      `t52`.`paid`
    FROM (
      SELECT
        *
      FROM (
        SELECT
          `t49`.`customer_id`,
          `t49`.`day`,
          `t49`.`kind`,
          `t49`.`reached`,
          `t49`.`amount`,
          `t49`.`due`,
          `t49`.`cum`,
          MAX(`t49`.`reached`) OVER (
            PARTITION BY `t49`.`customer_id`
            ORDER BY `t49`.`day` ASC NULLS LAST, `t49`.`kind` ASC NULLS LAST
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
          ) AS `by_due`
        FROM (
          SELECT
            *
          FROM (
            SELECT
              `t44`.`customer_id`,
              `t44`.`dn` AS `day`,
              0 AS `kind`,
              `t44`.`reached`,
              CAST(NULL AS BIGINT) AS `amount`,
              CAST(NULL AS BIGINT) AS `due`,
              CAST(NULL AS BIGINT) AS `cum`
            FROM `t41` AS `t44`
          ) AS `t47`
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              `t34`.`customer_id`,
              `t34`.`due` AS `day`,
              1 AS `kind`,
              CAST(NULL AS BIGINT) AS `reached`,
              `t34`.`amount`,
              `t34`.`due`,
              `t34`.`cum`
            FROM (
              SELECT
                `t28`.`customer_id`,
                `t28`.`net` AS `amount`,
                COALESCE(`t28`.`due_dn`, `t28`.`dn` + COALESCE(`t12`.`terms`, 30)) AS `due`,
                SUM(`t28`.`net`) OVER (
                  PARTITION BY `t28`.`customer_id`
                  ORDER BY `t28`.`dn` ASC NULLS LAST, `t28`.`order_id` ASC NULLS LAST
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
              ) AS `t28`
              LEFT OUTER JOIN (
                SELECT
                  `t4`.`customer_id`,
                  `t4`.`payment_terms_days` AS `terms`
                FROM `tw_customers` AS `t4`
              ) AS `t12`
                ON `t28`.`customer_id` = `t12`.`customer_id`
            ) AS `t34`
          ) AS `t38`
        ) AS `t49`
      ) AS `t54`
      WHERE
        `t54`.`kind` = 1
    ) AS `t60`
    LEFT OUTER JOIN `t48` AS `t52`
      ON `t60`.`customer_id` = `t52`.`customer_id`
  ) AS `t66`
  GROUP BY
    1
)
SELECT
  `t100`.`customer_id`,
  `t100`.`name`,
  `t100`.`rep_id`,
  `t100`.`department`,
  `t100`.`region`,
  CASE
    WHEN COALESCE(`t100`.`order_count`, 0) > 0
    THEN 'buyer'
    WHEN COALESCE(`t100`.`lifetime_orders`, 0) > 0
    THEN 'lapsed'
    WHEN COALESCE(`t100`.`orders_any`, 0) > 0
    THEN 'returns_only'
    ELSE 'prospect'
  END AS `status`,
  CAST(CAST(COALESCE(`t100`.`revenue`, 0) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `revenue`,
  CAST(CAST(COALESCE(`t100`.`gross_sales`, 0) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `gross_sales`,
  CAST(CAST(COALESCE(`t100`.`returns`, 0) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `returns`,
  COALESCE(`t100`.`order_count`, 0) AS `order_count`,
  COALESCE(`t100`.`return_count`, 0) AS `return_count`,
  IF(
    COALESCE(`t100`.`order_count`, 0) > 0,
    (
      CAST(COALESCE(`t100`.`revenue`, 0) AS DOUBLE) / COALESCE(`t100`.`order_count`, 0)
    ) / 100.0,
    NULL
  ) AS `avg_order_value`,
  CAST(CAST(IF(COALESCE(`t100`.`costed`, 0) > 0, `t100`.`gross_profit`, NULL) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `gross_profit`,
  IF(
    COALESCE(`t100`.`lines_win`, 0) > 0,
    CAST(`t100`.`costed` AS DOUBLE) / `t100`.`lines_win`,
    NULL
  ) AS `cost_coverage`,
  CAST(CAST(COALESCE(`t100`.`revenue_prev`, 0) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `revenue_prev`,
  IF(
    COALESCE(`t100`.`revenue_prev`, 0) > 0,
    CAST(COALESCE(`t100`.`revenue`, 0) - `t100`.`revenue_prev` AS DOUBLE) / CAST(`t100`.`revenue_prev` AS DOUBLE),
    NULL
  ) AS `growth`,
  `t100`.`rank` AS `revenue_rank`,
  CAST(`t100`.`rank` AS DOUBLE) / `t100`.`ranked` AS `revenue_top_share`,
  CAST(COALESCE(`t100`.`revenue`, 0) AS DOUBLE) / CAST(`t100`.`total` AS DOUBLE) AS `revenue_share`,
  CAST(`t100`.`running` AS DOUBLE) / CAST(`t100`.`total` AS DOUBLE) AS `revenue_cum_share`,
  CAST(CAST(COALESCE(`t100`.`lifetime_revenue`, 0) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `lifetime_revenue`,
  COALESCE(`t100`.`lifetime_orders`, 0) AS `lifetime_orders`,
  `t100`.`first_day` AS `first_order_date`,
  `t100`.`last_day` AS `last_order_date`,
  19813 - `t100`.`last_dn` AS `recency_days`,
  19813 - `t100`.`first_dn` AS `tenure_days`,
  `t100`.`frequency`,
  `t100`.`recency`,
  `t100`.`T`,
  `t100`.`monetary_value`,
  COALESCE(`t100`.`active_months`, 0) AS `active_months`,
  COALESCE(`t100`.`active_quarters`, 0) AS `active_quarters`,
  `t100`.`cv_monthly`,
  `t100`.`cv_quarterly`,
  `t100`.`repurchase_days`,
  IF(
    (
      `t100`.`lines_win` IS NULL
    ) OR (
      `t100`.`lines_win` = 0
    ),
    NULL,
    IF(
      `t100`.`cv_monthly` IS NULL OR ISNAN(`t100`.`cv_monthly`),
      0.0,
      1.0 / (
        `t100`.`cv_monthly` + 1.0
      )
    )
  ) AS `stability`,
  IF(
    `t100`.`first_dn` IS NULL,
    NULL,
    0.0 + (
      LEAST(CAST(19813 - `t100`.`first_dn` AS DOUBLE) / 730.0, 1.0) * 0.25
    ) + (
      (
        CAST(COALESCE(`t100`.`active_months`, 0) AS DOUBLE) / 12
      ) * 0.25
    ) + (
      COALESCE(
        IF(
          (
            `t100`.`lines_win` IS NULL
          ) OR (
            `t100`.`lines_win` = 0
          ),
          NULL,
          IF(
            `t100`.`cv_monthly` IS NULL OR ISNAN(`t100`.`cv_monthly`),
            0.0,
            1.0 / (
              `t100`.`cv_monthly` + 1.0
            )
          )
        ),
        0.0
      ) * 0.25
    ) + (
      GREATEST(1.0 - (
        CAST(19813 - `t100`.`last_dn` AS DOUBLE) / 366
      ), 0.0) * 0.25
    )
  ) AS `loyalty`,
  `t100`.`credit_limit`,
  CAST(CAST(COALESCE(`t100`.`outstanding`, 0) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `outstanding`,
  CAST(CAST(COALESCE(`t100`.`overdue_amount`, 0) AS DECIMAL(18, 0)) * CAST('0.01' AS DECIMAL(38, 18)) AS DECIMAL(18, 2)) AS `overdue_amount`,
  COALESCE(`t100`.`max_days_overdue`, 0) AS `max_days_overdue`,
  COALESCE(`t100`.`invoices_due`, 0) AS `invoices_due`,
  IF(
    `t100`.`invoices_due` > 0,
    CAST(`t100`.`paid_on_time` AS DOUBLE) / `t100`.`invoices_due`,
    NULL
  ) AS `on_time_ratio`,
  IF(
    (
      NOT `t100`.`credit_limit` IS NULL
    ) AND (
      `t100`.`credit_limit` > 0
    ),
    (
      CAST(COALESCE(`t100`.`outstanding`, 0) AS DOUBLE) / 100.0
    ) / CAST(`t100`.`credit_limit` AS DOUBLE),
    NULL
  ) AS `credit_utilization`,
  `t100`.`last_contact_day` AS `last_contact_date`,
  19813 - `t100`.`last_contact_dn` AS `days_since_contact`,
  COALESCE(`t100`.`contacts`, 0) AS `contacts`,
  COALESCE(`t100`.`visits`, 0) AS `visits`,
  COALESCE(`t100`.`calls`, 0) AS `calls`,
  COALESCE(`t100`.`messages`, 0) AS `messages`,
  COALESCE(`t100`.`care_touches`, 0) AS `care_touches`,
  COALESCE(`t100`.`complaints`, 0) AS `complaints`
FROM (
  SELECT
    `t99`.`customer_id`,
    `t99`.`name`,
    `t99`.`rep_id`,
    `t99`.`department`,
    `t99`.`region`,
    `t99`.`credit_limit`,
    `t99`.`created_dn`,
    `t99`.`revenue`,
    `t99`.`gross_sales`,
    `t99`.`returns`,
    `t99`.`order_count`,
    `t99`.`return_count`,
    `t99`.`gross_profit`,
    `t99`.`costed`,
    `t99`.`lines_win`,
    `t99`.`revenue_prev`,
    `t99`.`lifetime_revenue`,
    `t99`.`lifetime_orders`,
    `t99`.`orders_any`,
    `t99`.`rank`,
    `t99`.`ranked`,
    `t99`.`total`,
    `t99`.`running`,
    `t99`.`frequency`,
    `t99`.`recency`,
    `t99`.`T`,
    `t99`.`monetary_value`,
    `t99`.`first_dn`,
    `t99`.`last_dn`,
    `t99`.`first_day`,
    `t99`.`last_day`,
    `t99`.`repurchase_days`,
    `t99`.`active_months`,
    `t99`.`cv_monthly`,
    `t99`.`active_quarters`,
    `t99`.`cv_quarterly`,
    `t99`.`last_contact_dn`,
    `t99`.`last_contact_day`,
    `t99`.`contacts`,
    `t99`.`visits`,
    `t99`.`calls`,
    `t99`.`messages`,
    `t99`.`care_touches`,
    `t99`.`complaints`,
    `t99`.`outstanding`,
    `t99`.`overdue_amount`,
    `t99`.`max_days_overdue`,
    `t99`.`invoices_due`,
    `t99`.`paid_on_time`
  FROM (
    SELECT
      `t96`.`customer_id`,
      `t96`.`name`,
      `t96`.`rep_id`,
      `t96`.`department`,
      `t96`.`region`,
      `t96`.`credit_limit`,
      `t96`.`created_dn`,
      `t96`.`revenue`,
      `t96`.`gross_sales`,
      `t96`.`returns`,
      `t96`.`order_count`,
      `t96`.`return_count`,
      `t96`.`gross_profit`,
      `t96`.`costed`,
      `t96`.`lines_win`,
      `t96`.`revenue_prev`,
      `t96`.`lifetime_revenue`,
      `t96`.`lifetime_orders`,
      `t96`.`orders_any`,
      `t96`.`rank`,
      `t96`.`ranked`,
      `t96`.`total`,
      `t96`.`running`,
      `t96`.`frequency`,
      `t96`.`recency`,
      `t96`.`T`,
      `t96`.`monetary_value`,
      `t96`.`first_dn`,
      `t96`.`last_dn`,
      `t96`.`first_day`,
      `t96`.`last_day`,
      `t96`.`repurchase_days`,
      `t96`.`active_months`,
      `t96`.`cv_monthly`,
      `t96`.`active_quarters`,
      `t96`.`cv_quarterly`,
      `t96`.`last_contact_dn`,
      `t96`.`last_contact_day`,
      `t96`.`contacts`,
      `t96`.`visits`,
      `t96`.`calls`,
      `t96`.`messages`,
      `t96`.`care_touches`,
      `t96`.`complaints`,
      `t98`.`customer_id` AS `customer_id_right`,
      `t98`.`outstanding`,
      `t98`.`overdue_amount`,
      `t98`.`max_days_overdue`,
      `t98`.`invoices_due`,
      `t98`.`paid_on_time`
    FROM (
      SELECT
        `t94`.`customer_id`,
        `t94`.`name`,
        `t94`.`rep_id`,
        `t94`.`department`,
        `t94`.`region`,
        `t94`.`credit_limit`,
        `t94`.`created_dn`,
        `t94`.`revenue`,
        `t94`.`gross_sales`,
        `t94`.`returns`,
        `t94`.`order_count`,
        `t94`.`return_count`,
        `t94`.`gross_profit`,
        `t94`.`costed`,
        `t94`.`lines_win`,
        `t94`.`revenue_prev`,
        `t94`.`lifetime_revenue`,
        `t94`.`lifetime_orders`,
        `t94`.`orders_any`,
        `t94`.`rank`,
        `t94`.`ranked`,
        `t94`.`total`,
        `t94`.`running`,
        `t94`.`frequency`,
        `t94`.`recency`,
        `t94`.`T`,
        `t94`.`monetary_value`,
        `t94`.`first_dn`,
        `t94`.`last_dn`,
        `t94`.`first_day`,
        `t94`.`last_day`,
        `t94`.`repurchase_days`,
        `t94`.`active_months`,
        `t94`.`cv_monthly`,
        `t94`.`active_quarters`,
        `t94`.`cv_quarterly`,
        `t94`.`last_contact_dn`,
        `t94`.`last_contact_day`,
        `t94`.`contacts`,
        `t94`.`visits`,
        `t94`.`calls`,
        `t94`.`messages`,
        `t94`.`care_touches`,
        `t94`.`complaints`
      FROM (
        SELECT
          `t91`.`customer_id`,
          `t91`.`name`,
          `t91`.`rep_id`,
          `t91`.`department`,
          `t91`.`region`,
          `t91`.`credit_limit`,
          `t91`.`created_dn`,
          `t91`.`revenue`,
          `t91`.`gross_sales`,
          `t91`.`returns`,
          `t91`.`order_count`,
          `t91`.`return_count`,
          `t91`.`gross_profit`,
          `t91`.`costed`,
          `t91`.`lines_win`,
          `t91`.`revenue_prev`,
          `t91`.`lifetime_revenue`,
          `t91`.`lifetime_orders`,
          `t91`.`orders_any`,
          `t91`.`rank`,
          `t91`.`ranked`,
          `t91`.`total`,
          `t91`.`running`,
          `t91`.`frequency`,
          `t91`.`recency`,
          `t91`.`T`,
          `t91`.`monetary_value`,
          `t91`.`first_dn`,
          `t91`.`last_dn`,
          `t91`.`first_day`,
          `t91`.`last_day`,
          `t91`.`repurchase_days`,
          `t91`.`active_months`,
          `t91`.`cv_monthly`,
          `t91`.`active_quarters`,
          `t91`.`cv_quarterly`,
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
            `t88`.`customer_id`,
            `t88`.`name`,
            `t88`.`rep_id`,
            `t88`.`department`,
            `t88`.`region`,
            `t88`.`credit_limit`,
            `t88`.`created_dn`,
            `t88`.`revenue`,
            `t88`.`gross_sales`,
            `t88`.`returns`,
            `t88`.`order_count`,
            `t88`.`return_count`,
            `t88`.`gross_profit`,
            `t88`.`costed`,
            `t88`.`lines_win`,
            `t88`.`revenue_prev`,
            `t88`.`lifetime_revenue`,
            `t88`.`lifetime_orders`,
            `t88`.`orders_any`,
            `t88`.`rank`,
            `t88`.`ranked`,
            `t88`.`total`,
            `t88`.`running`,
            `t88`.`frequency`,
            `t88`.`recency`,
            `t88`.`T`,
            `t88`.`monetary_value`,
            `t88`.`first_dn`,
            `t88`.`last_dn`,
            `t88`.`first_day`,
            `t88`.`last_day`,
            `t88`.`repurchase_days`,
            `t88`.`active_months`,
            `t88`.`cv_monthly`,
            `t88`.`active_quarters`,
            `t88`.`cv_quarterly`
          FROM (
            SELECT
              `t85`.`customer_id`,
              `t85`.`name`,
              `t85`.`rep_id`,
              `t85`.`department`,
              `t85`.`region`,
              `t85`.`credit_limit`,
              `t85`.`created_dn`,
              `t85`.`revenue`,
              `t85`.`gross_sales`,
              `t85`.`returns`,
              `t85`.`order_count`,
              `t85`.`return_count`,
              `t85`.`gross_profit`,
              `t85`.`costed`,
              `t85`.`lines_win`,
              `t85`.`revenue_prev`,
              `t85`.`lifetime_revenue`,
              `t85`.`lifetime_orders`,
              `t85`.`orders_any`,
              `t85`.`rank`,
              `t85`.`ranked`,
              `t85`.`total`,
              `t85`.`running`,
              `t85`.`frequency`,
              `t85`.`recency`,
              `t85`.`T`,
              `t85`.`monetary_value`,
              `t85`.`first_dn`,
              `t85`.`last_dn`,
              `t85`.`first_day`,
              `t85`.`last_day`,
              `t85`.`repurchase_days`,
              `t71`.`customer_id` AS `customer_id_right`,
              `t71`.`active_months`,
              `t71`.`cv_monthly`,
              `t71`.`active_quarters`,
              `t71`.`cv_quarterly`
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
                `t82`.`rank`,
                `t82`.`ranked`,
                `t82`.`total`,
                `t82`.`running`,
                `t82`.`frequency`,
                `t82`.`recency`,
                `t82`.`T`,
                `t82`.`monetary_value`,
                `t82`.`first_dn`,
                `t82`.`last_dn`,
                `t82`.`first_day`,
                `t82`.`last_day`,
                `t82`.`repurchase_days`
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
                  `t78`.`rank`,
                  `t78`.`ranked`,
                  `t78`.`total`,
                  `t78`.`running`,
                  `t78`.`frequency`,
                  `t78`.`recency`,
                  `t78`.`T`,
                  `t78`.`monetary_value`,
                  `t37`.`customer_id` AS `customer_id_right`,
                  `t37`.`first_dn`,
                  `t37`.`last_dn`,
                  `t37`.`first_day`,
                  `t37`.`last_day`,
                  `t37`.`repurchase_days`
                FROM (
                  SELECT
                    `t74`.`customer_id`,
                    `t74`.`name`,
                    `t74`.`rep_id`,
                    `t74`.`department`,
                    `t74`.`region`,
                    `t74`.`credit_limit`,
                    `t74`.`created_dn`,
                    `t74`.`revenue`,
                    `t74`.`gross_sales`,
                    `t74`.`returns`,
                    `t74`.`order_count`,
                    `t74`.`return_count`,
                    `t74`.`gross_profit`,
                    `t74`.`costed`,
                    `t74`.`lines_win`,
                    `t74`.`revenue_prev`,
                    `t74`.`lifetime_revenue`,
                    `t74`.`lifetime_orders`,
                    `t74`.`orders_any`,
                    `t74`.`rank`,
                    `t74`.`ranked`,
                    `t74`.`total`,
                    `t74`.`running`,
                    `t74`.`frequency`,
                    `t74`.`recency`,
                    `t74`.`T`,
                    `t74`.`monetary_value`
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
                      `t72`.`rank`,
                      `t72`.`ranked`,
                      `t72`.`total`,
                      `t72`.`running`,
                      `t43`.`customer_id` AS `customer_id_right`,
                      `t43`.`frequency`,
                      `t43`.`recency`,
                      `t43`.`T`,
                      `t43`.`monetary_value`
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
                        `t68`.`rank`,
                        `t68`.`ranked`,
                        `t68`.`total`,
                        `t68`.`running`
                      FROM (
                        SELECT
                          `t11`.`customer_id`,
                          `t11`.`name`,
                          `t11`.`rep_id`,
                          `t11`.`department`,
                          `t11`.`region`,
                          `t11`.`credit_limit`,
                          `t11`.`created_dn`,
                          `t65`.`customer_id` AS `customer_id_right`,
                          `t65`.`revenue`,
                          `t65`.`gross_sales`,
                          `t65`.`returns`,
                          `t65`.`order_count`,
                          `t65`.`return_count`,
                          `t65`.`gross_profit`,
                          `t65`.`costed`,
                          `t65`.`lines_win`,
                          `t65`.`revenue_prev`,
                          `t65`.`lifetime_revenue`,
                          `t65`.`lifetime_orders`,
                          `t65`.`orders_any`,
                          `t65`.`rank`,
                          `t65`.`ranked`,
                          `t65`.`total`,
                          `t65`.`running`
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
                        ) AS `t11`
                        LEFT OUTER JOIN (
                          SELECT
                            `t61`.`customer_id`,
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
                            `t61`.`rank`,
                            `t61`.`ranked`,
                            `t61`.`total`,
                            `t61`.`running`
                          FROM (
                            SELECT
                              `t31`.`customer_id`,
                              `t31`.`revenue`,
                              `t31`.`gross_sales`,
                              `t31`.`returns`,
                              `t31`.`order_count`,
                              `t31`.`return_count`,
                              `t31`.`gross_profit`,
                              `t31`.`costed`,
                              `t31`.`lines_win`,
                              `t31`.`revenue_prev`,
                              `t31`.`lifetime_revenue`,
                              `t31`.`lifetime_orders`,
                              `t31`.`orders_any`,
                              `t56`.`customer_id` AS `customer_id_right`,
                              `t56`.`rank`,
                              `t56`.`ranked`,
                              `t56`.`total`,
                              `t56`.`running`
                            FROM (
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
                            ) AS `t31`
                            LEFT OUTER JOIN (
                              SELECT
                                `t45`.`customer_id`,
                                (
                                  ROW_NUMBER() OVER (ORDER BY `t45`.`revenue` DESC, `t45`.`customer_id` ASC NULLS LAST) - 1
                                ) + 1 AS `rank`,
                                COUNT(*) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS `ranked`,
                                SUM(`t45`.`revenue`) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS `total`,
                                SUM(`t45`.`revenue`) OVER (
                                  ORDER BY `t45`.`revenue` DESC, `t45`.`customer_id` ASC NULLS LAST
                                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                                ) AS `running`
                              FROM (
                                SELECT
                                  `t39`.`customer_id`,
                                  `t39`.`revenue`
                                FROM (
                                  SELECT
                                    `t31`.`customer_id`,
                                    `t31`.`revenue`,
                                    `t31`.`gross_sales`,
                                    `t31`.`returns`,
                                    `t31`.`order_count`,
                                    `t31`.`return_count`,
                                    `t31`.`gross_profit`,
                                    `t31`.`costed`,
                                    `t31`.`lines_win`,
                                    `t31`.`revenue_prev`,
                                    `t31`.`lifetime_revenue`,
                                    `t31`.`lifetime_orders`,
                                    `t31`.`orders_any`
                                  FROM (
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
                                  ) AS `t31`
                                  LEFT SEMI JOIN (
                                    SELECT
                                      `t2`.`customer_id`
                                    FROM `tw_customers` AS `t2`
                                  ) AS `t6`
                                    ON `t31`.`customer_id` = `t6`.`customer_id`
                                ) AS `t39`
                                WHERE
                                  `t39`.`revenue` > 0
                              ) AS `t45`
                            ) AS `t56`
                              ON `t31`.`customer_id` = `t56`.`customer_id`
                          ) AS `t61`
                        ) AS `t65`
                          ON `t11`.`customer_id` = `t65`.`customer_id`
                      ) AS `t68`
                    ) AS `t72`
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
                    ) AS `t43`
                      ON `t72`.`customer_id` = `t43`.`customer_id`
                  ) AS `t74`
                ) AS `t78`
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
                ) AS `t37`
                  ON `t78`.`customer_id` = `t37`.`customer_id`
              ) AS `t82`
            ) AS `t85`
            LEFT OUTER JOIN (
              SELECT
                `t67`.`customer_id`,
                `t67`.`active_months`,
                `t67`.`cv_monthly`,
                `t67`.`active_quarters`,
                `t67`.`cv_quarterly`
              FROM (
                SELECT
                  `t59`.`customer_id`,
                  `t59`.`active_months`,
                  `t59`.`cv_monthly`,
                  `t64`.`customer_id` AS `customer_id_right`,
                  `t64`.`active_quarters`,
                  `t64`.`cv_quarterly`
                FROM (
                  SELECT
                    `t46`.`customer_id`,
                    `t46`.`active` AS `active_months`,
                    IF(
                      `t46`.`s` > 0,
                      SQRT(CAST((
                        `t46`.`ss` * 12
                      ) - (
                        `t46`.`s` * `t46`.`s`
                      ) AS DOUBLE)) / CAST(`t46`.`s` AS DOUBLE),
                      NULL
                    ) AS `cv_monthly`
                  FROM (
                    SELECT
                      `t35`.`customer_id`,
                      SUM(IF(`t35`.`top` > 0, 1, 0)) AS `active`,
                      SUM(CAST(`t35`.`value` AS DECIMAL(38, 0))) AS `s`,
                      SUM(CAST(`t35`.`value` AS DECIMAL(38, 0)) * CAST(`t35`.`value` AS DECIMAL(38, 0))) AS `ss`
                    FROM `t33` AS `t35`
                    GROUP BY
                      1
                  ) AS `t46`
                ) AS `t59`
                LEFT OUTER JOIN (
                  SELECT
                    `t51`.`customer_id`,
                    `t51`.`active` AS `active_quarters`,
                    IF(
                      `t51`.`s` > 0,
                      SQRT(CAST((
                        `t51`.`ss` * 4
                      ) - (
                        `t51`.`s` * `t51`.`s`
                      ) AS DOUBLE)) / CAST(`t51`.`s` AS DOUBLE),
                      NULL
                    ) AS `cv_quarterly`
                  FROM (
                    SELECT
                      `t42`.`customer_id`,
                      SUM(IF(`t42`.`top` > 0, 1, 0)) AS `active`,
                      SUM(CAST(`t42`.`value` AS DECIMAL(38, 0))) AS `s`,
                      SUM(CAST(`t42`.`value` AS DECIMAL(38, 0)) * CAST(`t42`.`value` AS DECIMAL(38, 0))) AS `ss`
                    FROM (
                      SELECT
                        `t35`.`customer_id`,
                        CAST(FLOOR((
                          `t35`.`bucket`
                        ) / (
                          3
                        )) AS BIGINT) AS `bucket`,
                        SUM(`t35`.`value`) AS `value`,
                        MAX(`t35`.`top`) AS `top`
                      FROM `t33` AS `t35`
                      GROUP BY
                        1,
                        2
                    ) AS `t42`
                    GROUP BY
                      1
                  ) AS `t51`
                ) AS `t64`
                  ON `t59`.`customer_id` = `t64`.`customer_id`
              ) AS `t67`
            ) AS `t71`
              ON `t85`.`customer_id` = `t71`.`customer_id`
          ) AS `t88`
        ) AS `t91`
        LEFT OUTER JOIN (
          SELECT
            `t9`.`customer_id`,
            MAX(`t9`.`dn`) AS `last_contact_dn`,
            MAX(`t9`.`day`) AS `last_contact_day`,
            SUM(IF(`t9`.`dn` >= 19448, 1, 0)) AS `contacts`,
            SUM(IF((
              `t9`.`dn` >= 19448
            ) AND (
              `t9`.`kind` = 'visit'
            ), 1, 0)) AS `visits`,
            SUM(IF((
              `t9`.`dn` >= 19448
            ) AND (
              `t9`.`kind` = 'call'
            ), 1, 0)) AS `calls`,
            SUM(IF((
              `t9`.`dn` >= 19448
            ) AND (
              `t9`.`kind` = 'message'
            ), 1, 0)) AS `messages`,
            SUM(IF((
              `t9`.`dn` >= 19448
            ) AND (
              `t9`.`kind` = 'care'
            ), 1, 0)) AS `care_touches`,
            SUM(IF((
              `t9`.`dn` >= 19448
            ) AND (
              `t9`.`kind` = 'complaint'
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
          ) AS `t9`
          GROUP BY
            1
        ) AS `t18`
          ON `t91`.`customer_id` = `t18`.`customer_id`
      ) AS `t94`
    ) AS `t96`
    LEFT OUTER JOIN (
      SELECT
        `t93`.`customer_id`,
        COALESCE(`t93`.`billed`, 0) - COALESCE(`t93`.`paid`, 0) AS `outstanding`,
        `t93`.`overdue_amount`,
        `t93`.`max_days_overdue`,
        COALESCE(`t93`.`invoices_due`, 0) AS `invoices_due`,
        COALESCE(`t93`.`paid_on_time`, 0) AS `paid_on_time`
      FROM (
        SELECT
          `t92`.`customer_id`,
          `t92`.`billed`,
          `t92`.`overdue_amount`,
          `t92`.`max_days_overdue`,
          `t92`.`invoices_due`,
          `t92`.`paid_on_time`,
          `t92`.`paid`
        FROM (
          SELECT
            `t89`.`customer_id`,
            `t89`.`billed`,
            `t89`.`overdue_amount`,
            `t89`.`max_days_overdue`,
            `t89`.`invoices_due`,
            `t89`.`paid_on_time`,
            `t52`.`customer_id` AS `customer_id_right`,
            `t52`.`paid`
          FROM (
            SELECT
              `t86`.`customer_id`,
              `t86`.`billed`,
              `t86`.`overdue_amount`,
              `t86`.`max_days_overdue`,
              `t86`.`invoices_due`,
              `t86`.`paid_on_time`
            FROM (
              SELECT
                `t83`.`customer_id`,
                `t77`.`customer_id` AS `customer_id_right`,
                `t77`.`billed`,
                `t77`.`overdue_amount`,
                `t77`.`max_days_overdue`,
                `t77`.`invoices_due`,
                `t77`.`paid_on_time`
              FROM (
                SELECT DISTINCT
                  *
                FROM (
                  SELECT
                    *
                  FROM (
                    SELECT
                      `t75`.`customer_id`
                    FROM `t73` AS `t75`
                  ) AS `t79`
                  UNION ALL
                  SELECT
                    *
                  FROM (
                    SELECT
                      `t50`.`customer_id`
                    FROM `t48` AS `t50`
                  ) AS `t53`
                ) AS `t80`
              ) AS `t83`
              LEFT OUTER JOIN `t73` AS `t77`
                ON `t83`.`customer_id` = `t77`.`customer_id`
            ) AS `t86`
          ) AS `t89`
          LEFT OUTER JOIN `t48` AS `t52`
            ON `t89`.`customer_id` = `t52`.`customer_id`
        ) AS `t92`
      ) AS `t93`
    ) AS `t98`
      ON `t96`.`customer_id` = `t98`.`customer_id`
  ) AS `t99`
) AS `t100`
WHERE
  (
    `t100`.`created_dn` IS NULL
  )
  OR (
    `t100`.`created_dn` <= 19813
  )
  OR (
    NOT `t100`.`orders_any` IS NULL
  )
