WITH "t13" AS (
  SELECT
    "t3"."customer_id",
    "t3"."order_id",
    CAST("t3"."amount" * 100 AS BIGINT) AS "amount",
    CAST("t3"."cost" * 100 AS BIGINT) AS "cost",
    CAST("t3"."order_date" AS DATE) AS "day",
    DATE_DIFF('DAY', MAKE_DATE(1970, 1, 1), "t3"."due_date") AS "due_dn",
    DATE_DIFF('DAY', MAKE_DATE(1970, 1, 1), CAST("t3"."order_date" AS DATE)) AS "dn"
  FROM "orders" AS "t3"
  WHERE
    CAST("t3"."order_date" AS DATE) <= MAKE_DATE(2024, 3, 31)
), "t15" AS (
  SELECT
    "t14"."customer_id",
    "t14"."day",
    SUM("t14"."amount") AS "value",
    MAX("t14"."amount") AS "top"
  FROM "t13" AS "t14"
  GROUP BY
    1,
    2
), "t19" AS (
  SELECT
    "t14"."customer_id",
    "t14"."order_id",
    SUM("t14"."amount") AS "net",
    MIN("t14"."dn") AS "dn",
    MIN("t14"."due_dn") AS "due_dn",
    SUM("t14"."amount") FILTER(WHERE
      "t14"."dn" >= 19448) AS "net_win",
    SUM("t14"."amount") FILTER(WHERE
      (
        "t14"."dn" >= 19448
      ) AND (
        "t14"."amount" > 0
      )) AS "gross_win",
    SUM("t14"."amount") FILTER(WHERE
      (
        "t14"."dn" >= 19448
      ) AND (
        "t14"."amount" < 0
      )) AS "ret_win",
    SUM("t14"."amount" - "t14"."cost") FILTER(WHERE
      (
        NOT "t14"."cost" IS NULL
      ) AND (
        "t14"."dn" >= 19448
      )) AS "profit_win",
    SUM(
      CASE
        WHEN (
          NOT "t14"."cost" IS NULL
        ) AND (
          "t14"."dn" >= 19448
        )
        THEN 1
        ELSE 0
      END
    ) AS "costed_win",
    SUM(CASE WHEN "t14"."dn" >= 19448 THEN 1 ELSE 0 END) AS "lines_win",
    SUM("t14"."amount") FILTER(WHERE
      (
        "t14"."dn" >= 19083
      ) AND (
        "t14"."dn" < 19448
      )) AS "net_prev"
  FROM "t13" AS "t14"
  GROUP BY
    1,
    2
), "t20" AS (
  SELECT
    "t16"."customer_id",
    "t16"."day",
    "t16"."value",
    "t16"."top",
    DATE_DIFF('DAY', MAKE_DATE(1970, 1, 1), "t16"."day") AS "dn"
  FROM "t15" AS "t16"
  WHERE
    "t16"."value" > 0
), "t33" AS (
  SELECT
    "t22"."customer_id",
    (
      24291 - (
        (
          EXTRACT(YEAR FROM "t22"."day") * 12
        ) + EXTRACT(MONTH FROM "t22"."day")
      )
    ) - CASE WHEN EXTRACT(DAY FROM "t22"."day") > 31 THEN 1 ELSE 0 END AS "bucket",
    SUM("t22"."value") AS "value",
    MAX("t22"."top") AS "top"
  FROM (
    SELECT
      "t16"."customer_id",
      "t16"."day",
      "t16"."value",
      "t16"."top",
      DATE_DIFF('DAY', MAKE_DATE(1970, 1, 1), "t16"."day") AS "dn"
    FROM "t15" AS "t16"
    WHERE
      DATE_DIFF('DAY', MAKE_DATE(1970, 1, 1), "t16"."day") >= 19448
  ) AS "t22"
  GROUP BY
    1,
    2
), "t41" AS (
  SELECT
    "t32"."customer_id",
    "t32"."dn",
    "t32"."amount",
    SUM("t32"."amount") OVER (
      PARTITION BY "t32"."customer_id"
      ORDER BY "t32"."dn" ASC
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS "reached"
  FROM (
    SELECT
      "t27"."customer_id",
      "t27"."dn",
      SUM("t27"."amount") AS "amount"
    FROM (
      SELECT
        *
      FROM (
        SELECT
          "t1"."customer_id",
          DATE_DIFF('DAY', MAKE_DATE(1970, 1, 1), CAST("t1"."payment_date" AS DATE)) AS "dn",
          CAST("t1"."amount" * 100 AS BIGINT) AS "amount"
        FROM "payments" AS "t1"
        WHERE
          CAST("t1"."payment_date" AS DATE) <= MAKE_DATE(2024, 3, 31)
      ) AS "t10"
      UNION ALL
      SELECT
        *
      FROM (
        SELECT
          "t21"."customer_id",
          "t21"."dn",
          -(
            "t21"."net"
          ) AS "amount"
        FROM "t19" AS "t21"
        WHERE
          "t21"."net" < 0
      ) AS "t24"
    ) AS "t27"
    GROUP BY
      1,
      2
  ) AS "t32"
), "t48" AS (
  SELECT
    "t44"."customer_id",
    SUM("t44"."amount") AS "paid"
  FROM "t41" AS "t44"
  GROUP BY
    1
), "t73" AS (
  SELECT
    "t66"."customer_id",
    SUM("t66"."amount") AS "billed",
    SUM(LEAST("t66"."amount", GREATEST("t66"."cum" - COALESCE("t66"."paid", 0), 0))) FILTER(WHERE
      (
        "t66"."due" < 19813
      )
      AND (
        LEAST("t66"."amount", GREATEST("t66"."cum" - COALESCE("t66"."paid", 0), 0)) > 0
      )) AS "overdue_amount",
    MAX(19813 - "t66"."due") FILTER(WHERE
      (
        "t66"."due" < 19813
      )
      AND (
        LEAST("t66"."amount", GREATEST("t66"."cum" - COALESCE("t66"."paid", 0), 0)) > 0
      )) AS "max_days_overdue",
    SUM(CASE WHEN "t66"."due" <= 19813 THEN 1 ELSE 0 END) AS "invoices_due",
    SUM(
      CASE
        WHEN (
          "t66"."due" <= 19813
        ) AND (
          "t66"."by_due" >= "t66"."cum"
        )
        THEN 1
        ELSE 0
      END
    ) AS "paid_on_time"
  FROM (
    SELECT
      "t60"."customer_id",
      "t60"."day",
      "t60"."kind",
      "t60"."reached",
      "t60"."amount",
      "t60"."due",
      "t60"."cum",
      "t60"."by_due",
      "t52"."customer_id" AS "customer_id_right",
      "t52"."paid"
    FROM (
      SELECT
        *
      FROM (
        SELECT
          "t49"."customer_id",
          "t49"."day",
          "t49"."kind",
          "t49"."reached",
          "t49"."amount",
          "t49"."due",
          "t49"."cum",
          MAX("t49"."reached") OVER (
            PARTITION BY "t49"."customer_id"
            ORDER BY "t49"."day" ASC, "t49"."kind" ASC
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
          ) AS "by_due"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t44"."customer_id",
              "t44"."dn" AS "day",
              0 AS "kind",
              "t44"."reached",
              CAST(NULL AS BIGINT) AS "amount",
              CAST(NULL AS BIGINT) AS "due",
              CAST(NULL AS BIGINT) AS "cum"
            FROM "t41" AS "t44"
          ) AS "t47"
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              "t34"."customer_id",
              "t34"."due" AS "day",
              1 AS "kind",
              CAST(NULL AS BIGINT) AS "reached",
              "t34"."amount",
              "t34"."due",
              "t34"."cum"
            FROM (
              SELECT
                "t28"."customer_id",
                "t28"."net" AS "amount",
                COALESCE("t28"."due_dn", "t28"."dn" + COALESCE("t12"."terms", 30)) AS "due",
                SUM("t28"."net") OVER (
                  PARTITION BY "t28"."customer_id"
                  ORDER BY "t28"."dn" ASC, "t28"."order_id" ASC
                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                ) AS "cum"
              FROM (
                SELECT
                  "t21"."customer_id",
                  "t21"."order_id",
                  "t21"."net",
                  "t21"."dn",
                  "t21"."due_dn"
                FROM "t19" AS "t21"
                WHERE
                  "t21"."net" > 0
              ) AS "t28"
              LEFT OUTER JOIN (
                SELECT
                  "t4"."customer_id",
                  "t4"."payment_terms_days" AS "terms"
                FROM "customers" AS "t4"
              ) AS "t12"
                ON "t28"."customer_id" = "t12"."customer_id"
            ) AS "t34"
          ) AS "t38"
        ) AS "t49"
      ) AS "t54"
      WHERE
        "t54"."kind" = 1
    ) AS "t60"
    LEFT OUTER JOIN "t48" AS "t52"
      ON "t60"."customer_id" = "t52"."customer_id"
  ) AS "t66"
  GROUP BY
    1
)
SELECT
  "t100"."customer_id",
  "t100"."name",
  "t100"."rep_id",
  "t100"."department",
  "t100"."region",
  CASE
    WHEN COALESCE("t100"."order_count", 0) > 0
    THEN 'buyer'
    WHEN COALESCE("t100"."lifetime_orders", 0) > 0
    THEN 'lapsed'
    WHEN COALESCE("t100"."orders_any", 0) > 0
    THEN 'returns_only'
    ELSE 'prospect'
  END AS "status",
  CAST(CAST(COALESCE("t100"."revenue", 0) AS DECIMAL(18, 0)) * CAST(0.01 AS DECIMAL(18, 3)) AS DECIMAL(18, 2)) AS "revenue",
  CAST(CAST(COALESCE("t100"."gross_sales", 0) AS DECIMAL(18, 0)) * CAST(0.01 AS DECIMAL(18, 3)) AS DECIMAL(18, 2)) AS "gross_sales",
  CAST(CAST(COALESCE("t100"."returns", 0) AS DECIMAL(18, 0)) * CAST(0.01 AS DECIMAL(18, 3)) AS DECIMAL(18, 2)) AS "returns",
  COALESCE("t100"."order_count", 0) AS "order_count",
  COALESCE("t100"."return_count", 0) AS "return_count",
  CASE
    WHEN COALESCE("t100"."order_count", 0) > 0
    THEN (
      CAST(COALESCE("t100"."revenue", 0) AS DOUBLE) / COALESCE("t100"."order_count", 0)
    ) / 100.0
    ELSE NULL
  END AS "avg_order_value",
  CAST(CAST(CASE WHEN COALESCE("t100"."costed", 0) > 0 THEN "t100"."gross_profit" ELSE NULL END AS DECIMAL(18, 0)) * CAST(0.01 AS DECIMAL(18, 3)) AS DECIMAL(18, 2)) AS "gross_profit",
  CASE
    WHEN COALESCE("t100"."lines_win", 0) > 0
    THEN CAST("t100"."costed" AS DOUBLE) / "t100"."lines_win"
    ELSE NULL
  END AS "cost_coverage",
  CAST(CAST(COALESCE("t100"."revenue_prev", 0) AS DECIMAL(18, 0)) * CAST(0.01 AS DECIMAL(18, 3)) AS DECIMAL(18, 2)) AS "revenue_prev",
  CASE
    WHEN COALESCE("t100"."revenue_prev", 0) > 0
    THEN CAST(COALESCE("t100"."revenue", 0) - "t100"."revenue_prev" AS DOUBLE) / CAST("t100"."revenue_prev" AS DOUBLE)
    ELSE NULL
  END AS "growth",
  "t100"."rank" AS "revenue_rank",
  CAST("t100"."rank" AS DOUBLE) / "t100"."ranked" AS "revenue_top_share",
  CAST(COALESCE("t100"."revenue", 0) AS DOUBLE) / CAST("t100"."total" AS DOUBLE) AS "revenue_share",
  CAST("t100"."running" AS DOUBLE) / CAST("t100"."total" AS DOUBLE) AS "revenue_cum_share",
  CAST(CAST(COALESCE("t100"."lifetime_revenue", 0) AS DECIMAL(18, 0)) * CAST(0.01 AS DECIMAL(18, 3)) AS DECIMAL(18, 2)) AS "lifetime_revenue",
  COALESCE("t100"."lifetime_orders", 0) AS "lifetime_orders",
  "t100"."first_day" AS "first_order_date",
  "t100"."last_day" AS "last_order_date",
  19813 - "t100"."last_dn" AS "recency_days",
  19813 - "t100"."first_dn" AS "tenure_days",
  "t100"."frequency",
  "t100"."recency",
  "t100"."T",
  "t100"."monetary_value",
  COALESCE("t100"."active_months", 0) AS "active_months",
  COALESCE("t100"."active_quarters", 0) AS "active_quarters",
  "t100"."cv_monthly",
  "t100"."cv_quarterly",
  "t100"."repurchase_days",
  CASE
    WHEN (
      "t100"."lines_win" IS NULL
    ) OR (
      "t100"."lines_win" = 0
    )
    THEN NULL
    ELSE CASE
      WHEN "t100"."cv_monthly" IS NULL
      THEN 0.0
      ELSE 1.0 / (
        "t100"."cv_monthly" + 1.0
      )
    END
  END AS "stability",
  CASE
    WHEN "t100"."first_dn" IS NULL
    THEN NULL
    ELSE 0.0 + (
      LEAST(CAST(19813 - "t100"."first_dn" AS DOUBLE) / 730.0, 1.0) * 0.25
    ) + (
      (
        CAST(COALESCE("t100"."active_months", 0) AS DOUBLE) / 12
      ) * 0.25
    ) + (
      COALESCE(
        CASE
          WHEN (
            "t100"."lines_win" IS NULL
          ) OR (
            "t100"."lines_win" = 0
          )
          THEN NULL
          ELSE CASE
            WHEN "t100"."cv_monthly" IS NULL
            THEN 0.0
            ELSE 1.0 / (
              "t100"."cv_monthly" + 1.0
            )
          END
        END,
        0.0
      ) * 0.25
    ) + (
      GREATEST(1.0 - (
        CAST(19813 - "t100"."last_dn" AS DOUBLE) / 366
      ), 0.0) * 0.25
    )
  END AS "loyalty",
  "t100"."credit_limit",
  CAST(CAST(COALESCE("t100"."outstanding", 0) AS DECIMAL(18, 0)) * CAST(0.01 AS DECIMAL(18, 3)) AS DECIMAL(18, 2)) AS "outstanding",
  CAST(CAST(COALESCE("t100"."overdue_amount", 0) AS DECIMAL(18, 0)) * CAST(0.01 AS DECIMAL(18, 3)) AS DECIMAL(18, 2)) AS "overdue_amount",
  COALESCE("t100"."max_days_overdue", 0) AS "max_days_overdue",
  COALESCE("t100"."invoices_due", 0) AS "invoices_due",
  CASE
    WHEN "t100"."invoices_due" > 0
    THEN CAST("t100"."paid_on_time" AS DOUBLE) / "t100"."invoices_due"
    ELSE NULL
  END AS "on_time_ratio",
  CASE
    WHEN (
      NOT "t100"."credit_limit" IS NULL
    ) AND (
      "t100"."credit_limit" > 0
    )
    THEN (
      CAST(COALESCE("t100"."outstanding", 0) AS DOUBLE) / 100.0
    ) / CAST("t100"."credit_limit" AS DOUBLE)
    ELSE NULL
  END AS "credit_utilization",
  "t100"."last_contact_day" AS "last_contact_date",
  19813 - "t100"."last_contact_dn" AS "days_since_contact",
  COALESCE("t100"."contacts", 0) AS "contacts",
  COALESCE("t100"."visits", 0) AS "visits",
  COALESCE("t100"."calls", 0) AS "calls",
  COALESCE("t100"."messages", 0) AS "messages",
  COALESCE("t100"."care_touches", 0) AS "care_touches",
  COALESCE("t100"."complaints", 0) AS "complaints"
FROM (
  SELECT
    "t99".*
    EXCLUDE ("customer_id_right")
  FROM (
    SELECT
      "t96"."customer_id",
      "t96"."name",
      "t96"."rep_id",
      "t96"."department",
      "t96"."region",
      "t96"."credit_limit",
      "t96"."created_dn",
      "t96"."revenue",
      "t96"."gross_sales",
      "t96"."returns",
      "t96"."order_count",
      "t96"."return_count",
      "t96"."gross_profit",
      "t96"."costed",
      "t96"."lines_win",
      "t96"."revenue_prev",
      "t96"."lifetime_revenue",
      "t96"."lifetime_orders",
      "t96"."orders_any",
      "t96"."rank",
      "t96"."ranked",
      "t96"."total",
      "t96"."running",
      "t96"."frequency",
      "t96"."recency",
      "t96"."T",
      "t96"."monetary_value",
      "t96"."first_dn",
      "t96"."last_dn",
      "t96"."first_day",
      "t96"."last_day",
      "t96"."repurchase_days",
      "t96"."active_months",
      "t96"."cv_monthly",
      "t96"."active_quarters",
      "t96"."cv_quarterly",
      "t96"."last_contact_dn",
      "t96"."last_contact_day",
      "t96"."contacts",
      "t96"."visits",
      "t96"."calls",
      "t96"."messages",
      "t96"."care_touches",
      "t96"."complaints",
      "t98"."customer_id" AS "customer_id_right",
      "t98"."outstanding",
      "t98"."overdue_amount",
      "t98"."max_days_overdue",
      "t98"."invoices_due",
      "t98"."paid_on_time"
    FROM (
      SELECT
        "t94".*
        EXCLUDE ("customer_id_right")
      FROM (
        SELECT
          "t91"."customer_id",
          "t91"."name",
          "t91"."rep_id",
          "t91"."department",
          "t91"."region",
          "t91"."credit_limit",
          "t91"."created_dn",
          "t91"."revenue",
          "t91"."gross_sales",
          "t91"."returns",
          "t91"."order_count",
          "t91"."return_count",
          "t91"."gross_profit",
          "t91"."costed",
          "t91"."lines_win",
          "t91"."revenue_prev",
          "t91"."lifetime_revenue",
          "t91"."lifetime_orders",
          "t91"."orders_any",
          "t91"."rank",
          "t91"."ranked",
          "t91"."total",
          "t91"."running",
          "t91"."frequency",
          "t91"."recency",
          "t91"."T",
          "t91"."monetary_value",
          "t91"."first_dn",
          "t91"."last_dn",
          "t91"."first_day",
          "t91"."last_day",
          "t91"."repurchase_days",
          "t91"."active_months",
          "t91"."cv_monthly",
          "t91"."active_quarters",
          "t91"."cv_quarterly",
          "t18"."customer_id" AS "customer_id_right",
          "t18"."last_contact_dn",
          "t18"."last_contact_day",
          "t18"."contacts",
          "t18"."visits",
          "t18"."calls",
          "t18"."messages",
          "t18"."care_touches",
          "t18"."complaints"
        FROM (
          SELECT
            "t88".*
            EXCLUDE ("customer_id_right")
          FROM (
            SELECT
              "t85"."customer_id",
              "t85"."name",
              "t85"."rep_id",
              "t85"."department",
              "t85"."region",
              "t85"."credit_limit",
              "t85"."created_dn",
              "t85"."revenue",
              "t85"."gross_sales",
              "t85"."returns",
              "t85"."order_count",
              "t85"."return_count",
              "t85"."gross_profit",
              "t85"."costed",
              "t85"."lines_win",
              "t85"."revenue_prev",
              "t85"."lifetime_revenue",
              "t85"."lifetime_orders",
              "t85"."orders_any",
              "t85"."rank",
              "t85"."ranked",
              "t85"."total",
              "t85"."running",
              "t85"."frequency",
              "t85"."recency",
              "t85"."T",
              "t85"."monetary_value",
              "t85"."first_dn",
              "t85"."last_dn",
              "t85"."first_day",
              "t85"."last_day",
              "t85"."repurchase_days",
              "t71"."customer_id" AS "customer_id_right",
              "t71"."active_months",
              "t71"."cv_monthly",
              "t71"."active_quarters",
              "t71"."cv_quarterly"
            FROM (
              SELECT
                "t82".*
                EXCLUDE ("customer_id_right")
              FROM (
                SELECT
                  "t78"."customer_id",
                  "t78"."name",
                  "t78"."rep_id",
                  "t78"."department",
                  "t78"."region",
                  "t78"."credit_limit",
                  "t78"."created_dn",
                  "t78"."revenue",
                  "t78"."gross_sales",
                  "t78"."returns",
                  "t78"."order_count",
                  "t78"."return_count",
                  "t78"."gross_profit",
                  "t78"."costed",
                  "t78"."lines_win",
                  "t78"."revenue_prev",
                  "t78"."lifetime_revenue",
                  "t78"."lifetime_orders",
                  "t78"."orders_any",
                  "t78"."rank",
                  "t78"."ranked",
                  "t78"."total",
                  "t78"."running",
                  "t78"."frequency",
                  "t78"."recency",
                  "t78"."T",
                  "t78"."monetary_value",
                  "t37"."customer_id" AS "customer_id_right",
                  "t37"."first_dn",
                  "t37"."last_dn",
                  "t37"."first_day",
                  "t37"."last_day",
                  "t37"."repurchase_days"
                FROM (
                  SELECT
                    "t74".*
                    EXCLUDE ("customer_id_right")
                  FROM (
                    SELECT
                      "t72"."customer_id",
                      "t72"."name",
                      "t72"."rep_id",
                      "t72"."department",
                      "t72"."region",
                      "t72"."credit_limit",
                      "t72"."created_dn",
                      "t72"."revenue",
                      "t72"."gross_sales",
                      "t72"."returns",
                      "t72"."order_count",
                      "t72"."return_count",
                      "t72"."gross_profit",
                      "t72"."costed",
                      "t72"."lines_win",
                      "t72"."revenue_prev",
                      "t72"."lifetime_revenue",
                      "t72"."lifetime_orders",
                      "t72"."orders_any",
                      "t72"."rank",
                      "t72"."ranked",
                      "t72"."total",
                      "t72"."running",
                      "t43"."customer_id" AS "customer_id_right",
                      "t43"."frequency",
                      "t43"."recency",
                      "t43"."T",
                      "t43"."monetary_value"
                    FROM (
                      SELECT
                        "t68".*
                        EXCLUDE ("customer_id_right")
                      FROM (
                        SELECT
                          "t11"."customer_id",
                          "t11"."name",
                          "t11"."rep_id",
                          "t11"."department",
                          "t11"."region",
                          "t11"."credit_limit",
                          "t11"."created_dn",
                          "t65"."customer_id" AS "customer_id_right",
                          "t65"."revenue",
                          "t65"."gross_sales",
                          "t65"."returns",
                          "t65"."order_count",
                          "t65"."return_count",
                          "t65"."gross_profit",
                          "t65"."costed",
                          "t65"."lines_win",
                          "t65"."revenue_prev",
                          "t65"."lifetime_revenue",
                          "t65"."lifetime_orders",
                          "t65"."orders_any",
                          "t65"."rank",
                          "t65"."ranked",
                          "t65"."total",
                          "t65"."running"
                        FROM (
                          SELECT
                            "t2"."customer_id",
                            "t2"."name",
                            "t2"."rep_id",
                            "t2"."department",
                            "t2"."region",
                            "t2"."credit_limit",
                            DATE_DIFF('DAY', MAKE_DATE(1970, 1, 1), "t2"."created_date") AS "created_dn"
                          FROM "customers" AS "t2"
                        ) AS "t11"
                        LEFT OUTER JOIN (
                          SELECT
                            "t61".*
                            EXCLUDE ("customer_id_right")
                          FROM (
                            SELECT
                              "t31"."customer_id",
                              "t31"."revenue",
                              "t31"."gross_sales",
                              "t31"."returns",
                              "t31"."order_count",
                              "t31"."return_count",
                              "t31"."gross_profit",
                              "t31"."costed",
                              "t31"."lines_win",
                              "t31"."revenue_prev",
                              "t31"."lifetime_revenue",
                              "t31"."lifetime_orders",
                              "t31"."orders_any",
                              "t56"."customer_id" AS "customer_id_right",
                              "t56"."rank",
                              "t56"."ranked",
                              "t56"."total",
                              "t56"."running"
                            FROM (
                              SELECT
                                "t21"."customer_id",
                                SUM("t21"."net_win") AS "revenue",
                                SUM("t21"."gross_win") AS "gross_sales",
                                -(
                                  SUM("t21"."ret_win")
                                ) AS "returns",
                                SUM(CASE WHEN "t21"."net_win" > 0 THEN 1 ELSE 0 END) AS "order_count",
                                SUM(CASE WHEN "t21"."net_win" < 0 THEN 1 ELSE 0 END) AS "return_count",
                                SUM("t21"."profit_win") AS "gross_profit",
                                SUM("t21"."costed_win") AS "costed",
                                SUM("t21"."lines_win") AS "lines_win",
                                SUM("t21"."net_prev") AS "revenue_prev",
                                SUM("t21"."net") AS "lifetime_revenue",
                                SUM(CASE WHEN "t21"."net" > 0 THEN 1 ELSE 0 END) AS "lifetime_orders",
                                COUNT(*) AS "orders_any"
                              FROM "t19" AS "t21"
                              GROUP BY
                                1
                            ) AS "t31"
                            LEFT OUTER JOIN (
                              SELECT
                                "t45"."customer_id",
                                (
                                  ROW_NUMBER() OVER (
                                    ORDER BY "t45"."revenue" DESC, "t45"."customer_id" ASC
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                                  ) - 1
                                ) + 1 AS "rank",
                                COUNT(*) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "ranked",
                                SUM("t45"."revenue") OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "total",
                                SUM("t45"."revenue") OVER (
                                  ORDER BY "t45"."revenue" DESC, "t45"."customer_id" ASC
                                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                                ) AS "running"
                              FROM (
                                SELECT
                                  "t39"."customer_id",
                                  "t39"."revenue"
                                FROM (
                                  SELECT
                                    "t31"."customer_id",
                                    "t31"."revenue",
                                    "t31"."gross_sales",
                                    "t31"."returns",
                                    "t31"."order_count",
                                    "t31"."return_count",
                                    "t31"."gross_profit",
                                    "t31"."costed",
                                    "t31"."lines_win",
                                    "t31"."revenue_prev",
                                    "t31"."lifetime_revenue",
                                    "t31"."lifetime_orders",
                                    "t31"."orders_any"
                                  FROM (
                                    SELECT
                                      "t21"."customer_id",
                                      SUM("t21"."net_win") AS "revenue",
                                      SUM("t21"."gross_win") AS "gross_sales",
                                      -(
                                        SUM("t21"."ret_win")
                                      ) AS "returns",
                                      SUM(CASE WHEN "t21"."net_win" > 0 THEN 1 ELSE 0 END) AS "order_count",
                                      SUM(CASE WHEN "t21"."net_win" < 0 THEN 1 ELSE 0 END) AS "return_count",
                                      SUM("t21"."profit_win") AS "gross_profit",
                                      SUM("t21"."costed_win") AS "costed",
                                      SUM("t21"."lines_win") AS "lines_win",
                                      SUM("t21"."net_prev") AS "revenue_prev",
                                      SUM("t21"."net") AS "lifetime_revenue",
                                      SUM(CASE WHEN "t21"."net" > 0 THEN 1 ELSE 0 END) AS "lifetime_orders",
                                      COUNT(*) AS "orders_any"
                                    FROM "t19" AS "t21"
                                    GROUP BY
                                      1
                                  ) AS "t31"
                                  SEMI JOIN (
                                    SELECT
                                      "t2"."customer_id"
                                    FROM "customers" AS "t2"
                                  ) AS "t6"
                                    ON "t31"."customer_id" = "t6"."customer_id"
                                ) AS "t39"
                                WHERE
                                  "t39"."revenue" > 0
                              ) AS "t45"
                            ) AS "t56"
                              ON "t31"."customer_id" = "t56"."customer_id"
                          ) AS "t61"
                        ) AS "t65"
                          ON "t11"."customer_id" = "t65"."customer_id"
                      ) AS "t68"
                    ) AS "t72"
                    LEFT OUTER JOIN (
                      SELECT
                        "t26"."customer_id",
                        CAST("t26"."n" - 1 AS DOUBLE) AS "frequency",
                        CAST("t26"."last" - "t26"."first" AS DOUBLE) AS "recency",
                        CAST(19813 - "t26"."first" AS DOUBLE) AS "T",
                        CASE
                          WHEN "t26"."n" > 1
                          THEN (
                            CAST("t26"."total" - "t26"."first_value" AS DOUBLE) / CAST("t26"."n" - 1 AS DOUBLE)
                          ) / 100.0
                          ELSE 0.0
                        END AS "monetary_value"
                      FROM (
                        SELECT
                          "t23"."customer_id",
                          COUNT(*) AS "n",
                          MIN("t23"."dn") AS "first",
                          MAX("t23"."dn") AS "last",
                          SUM("t23"."value") AS "total",
                          FIRST("t23"."value" ORDER BY "t23"."dn") AS "first_value"
                        FROM "t20" AS "t23"
                        GROUP BY
                          1
                      ) AS "t26"
                    ) AS "t43"
                      ON "t72"."customer_id" = "t43"."customer_id"
                  ) AS "t74"
                ) AS "t78"
                LEFT OUTER JOIN (
                  SELECT
                    "t30"."customer_id",
                    MIN("t30"."dn") AS "first_dn",
                    MAX("t30"."dn") AS "last_dn",
                    MIN("t30"."day") AS "first_day",
                    MAX("t30"."day") AS "last_day",
                    QUANTILE_CONT("t30"."gap", 0.5) AS "repurchase_days"
                  FROM (
                    SELECT
                      "t23"."customer_id",
                      "t23"."day",
                      "t23"."value",
                      "t23"."top",
                      "t23"."dn",
                      "t23"."dn" - LAG("t23"."dn") OVER (
                        PARTITION BY "t23"."customer_id"
                        ORDER BY "t23"."dn" ASC
                        ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                      ) AS "gap"
                    FROM "t20" AS "t23"
                  ) AS "t30"
                  GROUP BY
                    1
                ) AS "t37"
                  ON "t78"."customer_id" = "t37"."customer_id"
              ) AS "t82"
            ) AS "t85"
            LEFT OUTER JOIN (
              SELECT
                "t67".*
                EXCLUDE ("customer_id_right")
              FROM (
                SELECT
                  "t59"."customer_id",
                  "t59"."active_months",
                  "t59"."cv_monthly",
                  "t64"."customer_id" AS "customer_id_right",
                  "t64"."active_quarters",
                  "t64"."cv_quarterly"
                FROM (
                  SELECT
                    "t46"."customer_id",
                    "t46"."active" AS "active_months",
                    CASE
                      WHEN "t46"."s" > 0
                      THEN SQRT(CAST((
                        "t46"."ss" * 12
                      ) - (
                        "t46"."s" * "t46"."s"
                      ) AS DOUBLE)) / CAST("t46"."s" AS DOUBLE)
                      ELSE NULL
                    END AS "cv_monthly"
                  FROM (
                    SELECT
                      "t35"."customer_id",
                      SUM(CASE WHEN "t35"."top" > 0 THEN 1 ELSE 0 END) AS "active",
                      SUM(CAST("t35"."value" AS DECIMAL(38, 0))) AS "s",
                      SUM(CAST("t35"."value" AS DECIMAL(38, 0)) * CAST("t35"."value" AS DECIMAL(38, 0))) AS "ss"
                    FROM "t33" AS "t35"
                    GROUP BY
                      1
                  ) AS "t46"
                ) AS "t59"
                LEFT OUTER JOIN (
                  SELECT
                    "t51"."customer_id",
                    "t51"."active" AS "active_quarters",
                    CASE
                      WHEN "t51"."s" > 0
                      THEN SQRT(CAST((
                        "t51"."ss" * 4
                      ) - (
                        "t51"."s" * "t51"."s"
                      ) AS DOUBLE)) / CAST("t51"."s" AS DOUBLE)
                      ELSE NULL
                    END AS "cv_quarterly"
                  FROM (
                    SELECT
                      "t42"."customer_id",
                      SUM(CASE WHEN "t42"."top" > 0 THEN 1 ELSE 0 END) AS "active",
                      SUM(CAST("t42"."value" AS DECIMAL(38, 0))) AS "s",
                      SUM(CAST("t42"."value" AS DECIMAL(38, 0)) * CAST("t42"."value" AS DECIMAL(38, 0))) AS "ss"
                    FROM (
                      SELECT
                        "t35"."customer_id",
                        CAST(FLOOR((
                          "t35"."bucket"
                        ) / (
                          3
                        )) AS BIGINT) AS "bucket",
                        SUM("t35"."value") AS "value",
                        MAX("t35"."top") AS "top"
                      FROM "t33" AS "t35"
                      GROUP BY
                        1,
                        2
                    ) AS "t42"
                    GROUP BY
                      1
                  ) AS "t51"
                ) AS "t64"
                  ON "t59"."customer_id" = "t64"."customer_id"
              ) AS "t67"
            ) AS "t71"
              ON "t85"."customer_id" = "t71"."customer_id"
          ) AS "t88"
        ) AS "t91"
        LEFT OUTER JOIN (
          SELECT
            "t9"."customer_id",
            MAX("t9"."dn") AS "last_contact_dn",
            MAX("t9"."day") AS "last_contact_day",
            SUM(CASE WHEN "t9"."dn" >= 19448 THEN 1 ELSE 0 END) AS "contacts",
            SUM(
              CASE WHEN (
                "t9"."dn" >= 19448
              ) AND (
                "t9"."kind" = 'visit'
              ) THEN 1 ELSE 0 END
            ) AS "visits",
            SUM(
              CASE WHEN (
                "t9"."dn" >= 19448
              ) AND (
                "t9"."kind" = 'call'
              ) THEN 1 ELSE 0 END
            ) AS "calls",
            SUM(
              CASE
                WHEN (
                  "t9"."dn" >= 19448
                ) AND (
                  "t9"."kind" = 'message'
                )
                THEN 1
                ELSE 0
              END
            ) AS "messages",
            SUM(
              CASE WHEN (
                "t9"."dn" >= 19448
              ) AND (
                "t9"."kind" = 'care'
              ) THEN 1 ELSE 0 END
            ) AS "care_touches",
            SUM(
              CASE
                WHEN (
                  "t9"."dn" >= 19448
                ) AND (
                  "t9"."kind" = 'complaint'
                )
                THEN 1
                ELSE 0
              END
            ) AS "complaints"
          FROM (
            SELECT
              "t0"."customer_id",
              "t0"."kind",
              CAST("t0"."activity_date" AS DATE) AS "day",
              DATE_DIFF('DAY', MAKE_DATE(1970, 1, 1), CAST("t0"."activity_date" AS DATE)) AS "dn"
            FROM "activities" AS "t0"
            WHERE
              CAST("t0"."activity_date" AS DATE) <= MAKE_DATE(2024, 3, 31)
          ) AS "t9"
          GROUP BY
            1
        ) AS "t18"
          ON "t91"."customer_id" = "t18"."customer_id"
      ) AS "t94"
    ) AS "t96"
    LEFT OUTER JOIN (
      SELECT
        "t93"."customer_id",
        COALESCE("t93"."billed", 0) - COALESCE("t93"."paid", 0) AS "outstanding",
        "t93"."overdue_amount",
        "t93"."max_days_overdue",
        COALESCE("t93"."invoices_due", 0) AS "invoices_due",
        COALESCE("t93"."paid_on_time", 0) AS "paid_on_time"
      FROM (
        SELECT
          "t92".*
          EXCLUDE ("customer_id_right")
        FROM (
          SELECT
            "t89"."customer_id",
            "t89"."billed",
            "t89"."overdue_amount",
            "t89"."max_days_overdue",
            "t89"."invoices_due",
            "t89"."paid_on_time",
            "t52"."customer_id" AS "customer_id_right",
            "t52"."paid"
          FROM (
            SELECT
              "t86".*
              EXCLUDE ("customer_id_right")
            FROM (
              SELECT
                "t83"."customer_id",
                "t77"."customer_id" AS "customer_id_right",
                "t77"."billed",
                "t77"."overdue_amount",
                "t77"."max_days_overdue",
                "t77"."invoices_due",
                "t77"."paid_on_time"
              FROM (
                SELECT DISTINCT
                  *
                FROM (
                  SELECT
                    *
                  FROM (
                    SELECT
                      "t75"."customer_id"
                    FROM "t73" AS "t75"
                  ) AS "t79"
                  UNION ALL
                  SELECT
                    *
                  FROM (
                    SELECT
                      "t50"."customer_id"
                    FROM "t48" AS "t50"
                  ) AS "t53"
                ) AS "t80"
              ) AS "t83"
              LEFT OUTER JOIN "t73" AS "t77"
                ON "t83"."customer_id" = "t77"."customer_id"
            ) AS "t86"
          ) AS "t89"
          LEFT OUTER JOIN "t48" AS "t52"
            ON "t89"."customer_id" = "t52"."customer_id"
        ) AS "t92"
      ) AS "t93"
    ) AS "t98"
      ON "t96"."customer_id" = "t98"."customer_id"
  ) AS "t99"
) AS "t100"
WHERE
  (
    "t100"."created_dn" IS NULL
  )
  OR (
    "t100"."created_dn" <= 19813
  )
  OR (
    NOT "t100"."orders_any" IS NULL
  )
