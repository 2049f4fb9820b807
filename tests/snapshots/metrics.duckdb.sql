WITH "t11" AS (
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
), "t13" AS (
  SELECT
    "t12"."customer_id",
    "t12"."day",
    SUM("t12"."amount") AS "value",
    MAX("t12"."amount") AS "top"
  FROM "t11" AS "t12"
  GROUP BY
    1,
    2
), "t17" AS (
  SELECT
    "t12"."customer_id",
    "t12"."order_id",
    SUM("t12"."amount") AS "net",
    MIN("t12"."dn") AS "dn",
    MIN("t12"."due_dn") AS "due_dn",
    SUM("t12"."amount") FILTER(WHERE
      "t12"."dn" >= 19448) AS "net_win",
    SUM("t12"."amount") FILTER(WHERE
      (
        "t12"."dn" >= 19448
      ) AND (
        "t12"."amount" > 0
      )) AS "gross_win",
    SUM("t12"."amount") FILTER(WHERE
      (
        "t12"."dn" >= 19448
      ) AND (
        "t12"."amount" < 0
      )) AS "ret_win",
    SUM("t12"."amount" - "t12"."cost") FILTER(WHERE
      (
        NOT "t12"."cost" IS NULL
      ) AND (
        "t12"."dn" >= 19448
      )) AS "profit_win",
    SUM(
      CASE
        WHEN (
          NOT "t12"."cost" IS NULL
        ) AND (
          "t12"."dn" >= 19448
        )
        THEN 1
        ELSE 0
      END
    ) AS "costed_win",
    SUM(CASE WHEN "t12"."dn" >= 19448 THEN 1 ELSE 0 END) AS "lines_win",
    SUM("t12"."amount") FILTER(WHERE
      (
        "t12"."dn" >= 19083
      ) AND (
        "t12"."dn" < 19448
      )) AS "net_prev"
  FROM "t11" AS "t12"
  GROUP BY
    1,
    2
), "t18" AS (
  SELECT
    "t14"."customer_id",
    "t14"."day",
    "t14"."value",
    "t14"."top",
    DATE_DIFF('DAY', MAKE_DATE(1970, 1, 1), "t14"."day") AS "dn"
  FROM "t13" AS "t14"
  WHERE
    "t14"."value" > 0
), "t31" AS (
  SELECT
    "t20"."customer_id",
    (
      24291 - (
        (
          EXTRACT(YEAR FROM "t20"."day") * 12
        ) + EXTRACT(MONTH FROM "t20"."day")
      )
    ) - CASE WHEN EXTRACT(DAY FROM "t20"."day") > 31 THEN 1 ELSE 0 END AS "bucket",
    SUM("t20"."value") AS "value",
    MAX("t20"."top") AS "top"
  FROM (
    SELECT
      "t14"."customer_id",
      "t14"."day",
      "t14"."value",
      "t14"."top",
      DATE_DIFF('DAY', MAKE_DATE(1970, 1, 1), "t14"."day") AS "dn"
    FROM "t13" AS "t14"
    WHERE
      DATE_DIFF('DAY', MAKE_DATE(1970, 1, 1), "t14"."day") >= 19448
  ) AS "t20"
  GROUP BY
    1,
    2
), "t39" AS (
  SELECT
    "t30"."customer_id",
    "t30"."dn",
    "t30"."amount",
    SUM("t30"."amount") OVER (
      PARTITION BY "t30"."customer_id"
      ORDER BY "t30"."dn" ASC
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS "reached"
  FROM (
    SELECT
      "t25"."customer_id",
      "t25"."dn",
      SUM("t25"."amount") AS "amount"
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
      ) AS "t8"
      UNION ALL
      SELECT
        *
      FROM (
        SELECT
          "t19"."customer_id",
          "t19"."dn",
          -(
            "t19"."net"
          ) AS "amount"
        FROM "t17" AS "t19"
        WHERE
          "t19"."net" < 0
      ) AS "t22"
    ) AS "t25"
    GROUP BY
      1,
      2
  ) AS "t30"
), "t47" AS (
  SELECT
    "t43"."customer_id",
    SUM("t43"."amount") AS "paid"
  FROM "t39" AS "t43"
  GROUP BY
    1
), "t70" AS (
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
          "t48"."customer_id",
          "t48"."day",
          "t48"."kind",
          "t48"."reached",
          "t48"."amount",
          "t48"."due",
          "t48"."cum",
          MAX("t48"."reached") OVER (
            PARTITION BY "t48"."customer_id"
            ORDER BY "t48"."day" ASC, "t48"."kind" ASC
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
          ) AS "by_due"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t43"."customer_id",
              "t43"."dn" AS "day",
              0 AS "kind",
              "t43"."reached",
              CAST(NULL AS BIGINT) AS "amount",
              CAST(NULL AS BIGINT) AS "due",
              CAST(NULL AS BIGINT) AS "cum"
            FROM "t39" AS "t43"
          ) AS "t46"
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              "t32"."customer_id",
              "t32"."due" AS "day",
              1 AS "kind",
              CAST(NULL AS BIGINT) AS "reached",
              "t32"."amount",
              "t32"."due",
              "t32"."cum"
            FROM (
              SELECT
                "t26"."customer_id",
                "t26"."net" AS "amount",
                COALESCE("t26"."due_dn", "t26"."dn" + COALESCE("t10"."terms", 30)) AS "due",
                SUM("t26"."net") OVER (
                  PARTITION BY "t26"."customer_id"
                  ORDER BY "t26"."dn" ASC, "t26"."order_id" ASC
                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                ) AS "cum"
              FROM (
                SELECT
                  "t19"."customer_id",
                  "t19"."order_id",
                  "t19"."net",
                  "t19"."dn",
                  "t19"."due_dn"
                FROM "t17" AS "t19"
                WHERE
                  "t19"."net" > 0
              ) AS "t26"
              LEFT OUTER JOIN (
                SELECT
                  "t4"."customer_id",
                  "t4"."payment_terms_days" AS "terms"
                FROM "customers" AS "t4"
              ) AS "t10"
                ON "t26"."customer_id" = "t10"."customer_id"
            ) AS "t32"
          ) AS "t36"
        ) AS "t48"
      ) AS "t56"
      WHERE
        "t56"."kind" = 1
    ) AS "t60"
    LEFT OUTER JOIN "t47" AS "t52"
      ON "t60"."customer_id" = "t52"."customer_id"
  ) AS "t66"
  GROUP BY
    1
)
SELECT
  "t92"."customer_id",
  "t92"."name",
  "t92"."rep_id",
  "t92"."department",
  "t92"."region",
  CASE
    WHEN COALESCE("t92"."order_count", 0) > 0
    THEN 'buyer'
    WHEN COALESCE("t92"."lifetime_orders", 0) > 0
    THEN 'lapsed'
    WHEN COALESCE("t92"."orders_any", 0) > 0
    THEN 'returns_only'
    ELSE 'prospect'
  END AS "status",
  CAST(CAST(COALESCE("t92"."revenue", 0) AS DECIMAL(18, 0)) * CAST(0.01 AS DECIMAL(18, 3)) AS DECIMAL(18, 2)) AS "revenue",
  CAST(CAST(COALESCE("t92"."gross_sales", 0) AS DECIMAL(18, 0)) * CAST(0.01 AS DECIMAL(18, 3)) AS DECIMAL(18, 2)) AS "gross_sales",
  CAST(CAST(COALESCE("t92"."returns", 0) AS DECIMAL(18, 0)) * CAST(0.01 AS DECIMAL(18, 3)) AS DECIMAL(18, 2)) AS "returns",
  COALESCE("t92"."order_count", 0) AS "order_count",
  COALESCE("t92"."return_count", 0) AS "return_count",
  CASE
    WHEN COALESCE("t92"."order_count", 0) > 0
    THEN (
      CAST(COALESCE("t92"."revenue", 0) AS DOUBLE) / COALESCE("t92"."order_count", 0)
    ) / 100.0
    ELSE NULL
  END AS "avg_order_value",
  CAST(CAST(CASE WHEN COALESCE("t92"."costed", 0) > 0 THEN "t92"."gross_profit" ELSE NULL END AS DECIMAL(18, 0)) * CAST(0.01 AS DECIMAL(18, 3)) AS DECIMAL(18, 2)) AS "gross_profit",
  CASE
    WHEN COALESCE("t92"."lines_win", 0) > 0
    THEN CAST("t92"."costed" AS DOUBLE) / "t92"."lines_win"
    ELSE NULL
  END AS "cost_coverage",
  CAST(CAST(COALESCE("t92"."revenue_prev", 0) AS DECIMAL(18, 0)) * CAST(0.01 AS DECIMAL(18, 3)) AS DECIMAL(18, 2)) AS "revenue_prev",
  CASE
    WHEN COALESCE("t92"."revenue_prev", 0) > 0
    THEN CAST(COALESCE("t92"."revenue", 0) - "t92"."revenue_prev" AS DOUBLE) / CAST("t92"."revenue_prev" AS DOUBLE)
    ELSE NULL
  END AS "growth",
  CASE
    WHEN COALESCE("t92"."revenue", 0) > 0
    THEN (
      ROW_NUMBER() OVER (
        ORDER BY COALESCE("t92"."revenue", 0) > 0 DESC, COALESCE("t92"."revenue", 0) DESC, "t92"."customer_id" ASC
        ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
      ) - 1
    ) + 1
    ELSE NULL
  END AS "revenue_rank",
  CASE
    WHEN COALESCE("t92"."revenue", 0) > 0
    THEN CAST((
      ROW_NUMBER() OVER (
        ORDER BY COALESCE("t92"."revenue", 0) > 0 DESC, COALESCE("t92"."revenue", 0) DESC, "t92"."customer_id" ASC
        ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
      ) - 1
    ) + 1 AS DOUBLE) / SUM(CAST(COALESCE("t92"."revenue", 0) > 0 AS BIGINT)) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    ELSE NULL
  END AS "revenue_top_share",
  CASE
    WHEN COALESCE("t92"."revenue", 0) > 0
    THEN CAST(COALESCE("t92"."revenue", 0) AS DOUBLE) / CAST(SUM(
      CASE
        WHEN COALESCE("t92"."revenue", 0) > 0
        THEN COALESCE("t92"."revenue", 0)
        ELSE 0
      END
    ) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS DOUBLE)
    ELSE NULL
  END AS "revenue_share",
  CASE
    WHEN COALESCE("t92"."revenue", 0) > 0
    THEN CAST(SUM(COALESCE("t92"."revenue", 0)) OVER (
      ORDER BY COALESCE("t92"."revenue", 0) > 0 DESC, COALESCE("t92"."revenue", 0) DESC, "t92"."customer_id" ASC
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS DOUBLE) / CAST(SUM(
      CASE
        WHEN COALESCE("t92"."revenue", 0) > 0
        THEN COALESCE("t92"."revenue", 0)
        ELSE 0
      END
    ) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS DOUBLE)
    ELSE NULL
  END AS "revenue_cum_share",
  CAST(CAST(COALESCE("t92"."lifetime_revenue", 0) AS DECIMAL(18, 0)) * CAST(0.01 AS DECIMAL(18, 3)) AS DECIMAL(18, 2)) AS "lifetime_revenue",
  COALESCE("t92"."lifetime_orders", 0) AS "lifetime_orders",
  "t92"."first_day" AS "first_order_date",
  "t92"."last_day" AS "last_order_date",
  19813 - "t92"."last_dn" AS "recency_days",
  19813 - "t92"."first_dn" AS "tenure_days",
  "t92"."frequency",
  "t92"."recency",
  "t92"."T",
  "t92"."monetary_value",
  COALESCE("t92"."active_months", 0) AS "active_months",
  COALESCE("t92"."active_quarters", 0) AS "active_quarters",
  "t92"."cv_monthly",
  "t92"."cv_quarterly",
  "t92"."repurchase_days",
  CASE
    WHEN (
      "t92"."lines_win" IS NULL
    ) OR (
      "t92"."lines_win" = 0
    )
    THEN NULL
    ELSE CASE
      WHEN "t92"."cv_monthly" IS NULL
      THEN 0.0
      ELSE 1.0 / (
        "t92"."cv_monthly" + 1.0
      )
    END
  END AS "stability",
  CASE
    WHEN "t92"."first_dn" IS NULL
    THEN NULL
    ELSE 0.0 + (
      LEAST(CAST(19813 - "t92"."first_dn" AS DOUBLE) / 730.0, 1.0) * 0.25
    ) + (
      (
        CAST(COALESCE("t92"."active_months", 0) AS DOUBLE) / 12
      ) * 0.25
    ) + (
      COALESCE(
        CASE
          WHEN (
            "t92"."lines_win" IS NULL
          ) OR (
            "t92"."lines_win" = 0
          )
          THEN NULL
          ELSE CASE
            WHEN "t92"."cv_monthly" IS NULL
            THEN 0.0
            ELSE 1.0 / (
              "t92"."cv_monthly" + 1.0
            )
          END
        END,
        0.0
      ) * 0.25
    ) + (
      GREATEST(1.0 - (
        CAST(19813 - "t92"."last_dn" AS DOUBLE) / 366
      ), 0.0) * 0.25
    )
  END AS "loyalty",
  "t92"."credit_limit",
  CAST(CAST(COALESCE("t92"."outstanding", 0) AS DECIMAL(18, 0)) * CAST(0.01 AS DECIMAL(18, 3)) AS DECIMAL(18, 2)) AS "outstanding",
  CAST(CAST(COALESCE("t92"."overdue_amount", 0) AS DECIMAL(18, 0)) * CAST(0.01 AS DECIMAL(18, 3)) AS DECIMAL(18, 2)) AS "overdue_amount",
  COALESCE("t92"."max_days_overdue", 0) AS "max_days_overdue",
  COALESCE("t92"."invoices_due", 0) AS "invoices_due",
  CASE
    WHEN "t92"."invoices_due" > 0
    THEN CAST("t92"."paid_on_time" AS DOUBLE) / "t92"."invoices_due"
    ELSE NULL
  END AS "on_time_ratio",
  CASE
    WHEN (
      NOT "t92"."credit_limit" IS NULL
    ) AND (
      "t92"."credit_limit" > 0
    )
    THEN (
      CAST(COALESCE("t92"."outstanding", 0) AS DOUBLE) / 100.0
    ) / CAST("t92"."credit_limit" AS DOUBLE)
    ELSE NULL
  END AS "credit_utilization",
  "t92"."last_contact_day" AS "last_contact_date",
  19813 - "t92"."last_contact_dn" AS "days_since_contact",
  COALESCE("t92"."contacts", 0) AS "contacts",
  COALESCE("t92"."visits", 0) AS "visits",
  COALESCE("t92"."calls", 0) AS "calls",
  COALESCE("t92"."messages", 0) AS "messages",
  COALESCE("t92"."care_touches", 0) AS "care_touches",
  COALESCE("t92"."complaints", 0) AS "complaints"
FROM (
  SELECT
    *
  FROM (
    SELECT
      "t90".*
      EXCLUDE ("customer_id_right")
    FROM (
      SELECT
        "t82"."customer_id",
        "t82"."name",
        "t82"."rep_id",
        "t82"."department",
        "t82"."region",
        "t82"."credit_limit",
        "t82"."created_dn",
        "t82"."revenue",
        "t82"."gross_sales",
        "t82"."returns",
        "t82"."order_count",
        "t82"."return_count",
        "t82"."gross_profit",
        "t82"."costed",
        "t82"."lines_win",
        "t82"."revenue_prev",
        "t82"."lifetime_revenue",
        "t82"."lifetime_orders",
        "t82"."orders_any",
        "t82"."frequency",
        "t82"."recency",
        "t82"."T",
        "t82"."monetary_value",
        "t82"."first_dn",
        "t82"."last_dn",
        "t82"."first_day",
        "t82"."last_day",
        "t82"."repurchase_days",
        "t82"."active_months",
        "t82"."cv_monthly",
        "t82"."active_quarters",
        "t82"."cv_quarterly",
        "t82"."last_contact_dn",
        "t82"."last_contact_day",
        "t82"."contacts",
        "t82"."visits",
        "t82"."calls",
        "t82"."messages",
        "t82"."care_touches",
        "t82"."complaints",
        "t89"."customer_id" AS "customer_id_right",
        "t89"."outstanding",
        "t89"."overdue_amount",
        "t89"."max_days_overdue",
        "t89"."invoices_due",
        "t89"."paid_on_time"
      FROM (
        SELECT
          "t79".*
          EXCLUDE ("customer_id_right")
        FROM (
          SELECT
            "t75"."customer_id",
            "t75"."name",
            "t75"."rep_id",
            "t75"."department",
            "t75"."region",
            "t75"."credit_limit",
            "t75"."created_dn",
            "t75"."revenue",
            "t75"."gross_sales",
            "t75"."returns",
            "t75"."order_count",
            "t75"."return_count",
            "t75"."gross_profit",
            "t75"."costed",
            "t75"."lines_win",
            "t75"."revenue_prev",
            "t75"."lifetime_revenue",
            "t75"."lifetime_orders",
            "t75"."orders_any",
            "t75"."frequency",
            "t75"."recency",
            "t75"."T",
            "t75"."monetary_value",
            "t75"."first_dn",
            "t75"."last_dn",
            "t75"."first_day",
            "t75"."last_day",
            "t75"."repurchase_days",
            "t75"."active_months",
            "t75"."cv_monthly",
            "t75"."active_quarters",
            "t75"."cv_quarterly",
            "t16"."customer_id" AS "customer_id_right",
            "t16"."last_contact_dn",
            "t16"."last_contact_day",
            "t16"."contacts",
            "t16"."visits",
            "t16"."calls",
            "t16"."messages",
            "t16"."care_touches",
            "t16"."complaints"
          FROM (
            SELECT
              "t71".*
              EXCLUDE ("customer_id_right")
            FROM (
              SELECT
                "t63"."customer_id",
                "t63"."name",
                "t63"."rep_id",
                "t63"."department",
                "t63"."region",
                "t63"."credit_limit",
                "t63"."created_dn",
                "t63"."revenue",
                "t63"."gross_sales",
                "t63"."returns",
                "t63"."order_count",
                "t63"."return_count",
                "t63"."gross_profit",
                "t63"."costed",
                "t63"."lines_win",
                "t63"."revenue_prev",
                "t63"."lifetime_revenue",
                "t63"."lifetime_orders",
                "t63"."orders_any",
                "t63"."frequency",
                "t63"."recency",
                "t63"."T",
                "t63"."monetary_value",
                "t63"."first_dn",
                "t63"."last_dn",
                "t63"."first_day",
                "t63"."last_day",
                "t63"."repurchase_days",
                "t69"."customer_id" AS "customer_id_right",
                "t69"."active_months",
                "t69"."cv_monthly",
                "t69"."active_quarters",
                "t69"."cv_quarterly"
              FROM (
                SELECT
                  "t58".*
                  EXCLUDE ("customer_id_right")
                FROM (
                  SELECT
                    "t55"."customer_id",
                    "t55"."name",
                    "t55"."rep_id",
                    "t55"."department",
                    "t55"."region",
                    "t55"."credit_limit",
                    "t55"."created_dn",
                    "t55"."revenue",
                    "t55"."gross_sales",
                    "t55"."returns",
                    "t55"."order_count",
                    "t55"."return_count",
                    "t55"."gross_profit",
                    "t55"."costed",
                    "t55"."lines_win",
                    "t55"."revenue_prev",
                    "t55"."lifetime_revenue",
                    "t55"."lifetime_orders",
                    "t55"."orders_any",
                    "t55"."frequency",
                    "t55"."recency",
                    "t55"."T",
                    "t55"."monetary_value",
                    "t35"."customer_id" AS "customer_id_right",
                    "t35"."first_dn",
                    "t35"."last_dn",
                    "t35"."first_day",
                    "t35"."last_day",
                    "t35"."repurchase_days"
                  FROM (
                    SELECT
                      "t50".*
                      EXCLUDE ("customer_id_right")
                    FROM (
                      SELECT
                        "t44"."customer_id",
                        "t44"."name",
                        "t44"."rep_id",
                        "t44"."department",
                        "t44"."region",
                        "t44"."credit_limit",
                        "t44"."created_dn",
                        "t44"."revenue",
                        "t44"."gross_sales",
                        "t44"."returns",
                        "t44"."order_count",
                        "t44"."return_count",
                        "t44"."gross_profit",
                        "t44"."costed",
                        "t44"."lines_win",
                        "t44"."revenue_prev",
                        "t44"."lifetime_revenue",
                        "t44"."lifetime_orders",
                        "t44"."orders_any",
                        "t42"."customer_id" AS "customer_id_right",
                        "t42"."frequency",
                        "t42"."recency",
                        "t42"."T",
                        "t42"."monetary_value"
                      FROM (
                        SELECT
                          "t37".*
                          EXCLUDE ("customer_id_right")
                        FROM (
                          SELECT
                            "t9"."customer_id",
                            "t9"."name",
                            "t9"."rep_id",
                            "t9"."department",
                            "t9"."region",
                            "t9"."credit_limit",
                            "t9"."created_dn",
                            "t29"."customer_id" AS "customer_id_right",
                            "t29"."revenue",
                            "t29"."gross_sales",
                            "t29"."returns",
                            "t29"."order_count",
                            "t29"."return_count",
                            "t29"."gross_profit",
                            "t29"."costed",
                            "t29"."lines_win",
                            "t29"."revenue_prev",
                            "t29"."lifetime_revenue",
                            "t29"."lifetime_orders",
                            "t29"."orders_any"
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
                          ) AS "t9"
                          LEFT OUTER JOIN (
                            SELECT
                              "t19"."customer_id",
                              SUM("t19"."net_win") AS "revenue",
                              SUM("t19"."gross_win") AS "gross_sales",
                              -(
                                SUM("t19"."ret_win")
                              ) AS "returns",
                              SUM(CASE WHEN "t19"."net_win" > 0 THEN 1 ELSE 0 END) AS "order_count",
                              SUM(CASE WHEN "t19"."net_win" < 0 THEN 1 ELSE 0 END) AS "return_count",
                              SUM("t19"."profit_win") AS "gross_profit",
                              SUM("t19"."costed_win") AS "costed",
                              SUM("t19"."lines_win") AS "lines_win",
                              SUM("t19"."net_prev") AS "revenue_prev",
                              SUM("t19"."net") AS "lifetime_revenue",
                              SUM(CASE WHEN "t19"."net" > 0 THEN 1 ELSE 0 END) AS "lifetime_orders",
                              COUNT(*) AS "orders_any"
                            FROM "t17" AS "t19"
                            GROUP BY
                              1
                          ) AS "t29"
                            ON "t9"."customer_id" = "t29"."customer_id"
                        ) AS "t37"
                      ) AS "t44"
                      LEFT OUTER JOIN (
                        SELECT
                          "t24"."customer_id",
                          CAST("t24"."n" - 1 AS DOUBLE) AS "frequency",
                          CAST("t24"."last" - "t24"."first" AS DOUBLE) AS "recency",
                          CAST(19813 - "t24"."first" AS DOUBLE) AS "T",
                          CASE
                            WHEN "t24"."n" > 1
                            THEN (
                              CAST("t24"."total" - "t24"."first_value" AS DOUBLE) / CAST("t24"."n" - 1 AS DOUBLE)
                            ) / 100.0
                            ELSE 0.0
                          END AS "monetary_value"
                        FROM (
                          SELECT
                            "t21"."customer_id",
                            COUNT(*) AS "n",
                            MIN("t21"."dn") AS "first",
                            MAX("t21"."dn") AS "last",
                            SUM("t21"."value") AS "total",
                            FIRST("t21"."value" ORDER BY "t21"."dn") AS "first_value"
                          FROM "t18" AS "t21"
                          GROUP BY
                            1
                        ) AS "t24"
                      ) AS "t42"
                        ON "t44"."customer_id" = "t42"."customer_id"
                    ) AS "t50"
                  ) AS "t55"
                  LEFT OUTER JOIN (
                    SELECT
                      "t28"."customer_id",
                      MIN("t28"."dn") AS "first_dn",
                      MAX("t28"."dn") AS "last_dn",
                      MIN("t28"."day") AS "first_day",
                      MAX("t28"."day") AS "last_day",
                      QUANTILE_CONT("t28"."gap", 0.5) AS "repurchase_days"
                    FROM (
                      SELECT
                        "t21"."customer_id",
                        "t21"."day",
                        "t21"."value",
                        "t21"."top",
                        "t21"."dn",
                        "t21"."dn" - LAG("t21"."dn") OVER (
                          PARTITION BY "t21"."customer_id"
                          ORDER BY "t21"."dn" ASC
                          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                        ) AS "gap"
                      FROM "t18" AS "t21"
                    ) AS "t28"
                    GROUP BY
                      1
                  ) AS "t35"
                    ON "t55"."customer_id" = "t35"."customer_id"
                ) AS "t58"
              ) AS "t63"
              LEFT OUTER JOIN (
                SELECT
                  "t67".*
                  EXCLUDE ("customer_id_right")
                FROM (
                  SELECT
                    "t62"."customer_id",
                    "t62"."active_months",
                    "t62"."cv_monthly",
                    "t65"."customer_id" AS "customer_id_right",
                    "t65"."active_quarters",
                    "t65"."cv_quarterly"
                  FROM (
                    SELECT
                      "t45"."customer_id",
                      "t45"."active" AS "active_months",
                      CASE
                        WHEN (
                          "t45"."s" / 12
                        ) > 0
                        THEN SQRT(
                          GREATEST(
                            (
                              "t45"."ss" / 12
                            ) - (
                              (
                                "t45"."s" / 12
                              ) * (
                                "t45"."s" / 12
                              )
                            ),
                            0.0
                          )
                        ) / (
                          "t45"."s" / 12
                        )
                        ELSE NULL
                      END AS "cv_monthly"
                    FROM (
                      SELECT
                        "t33"."customer_id",
                        SUM(CASE WHEN "t33"."top" > 0 THEN 1 ELSE 0 END) AS "active",
                        SUM(CAST("t33"."value" AS DOUBLE)) AS "s",
                        SUM(CAST("t33"."value" AS DOUBLE) * CAST("t33"."value" AS DOUBLE)) AS "ss"
                      FROM "t31" AS "t33"
                      GROUP BY
                        1
                    ) AS "t45"
                  ) AS "t62"
                  LEFT OUTER JOIN (
                    SELECT
                      "t51"."customer_id",
                      "t51"."active" AS "active_quarters",
                      CASE
                        WHEN (
                          "t51"."s" / 4
                        ) > 0
                        THEN SQRT(
                          GREATEST(
                            (
                              "t51"."ss" / 4
                            ) - (
                              (
                                "t51"."s" / 4
                              ) * (
                                "t51"."s" / 4
                              )
                            ),
                            0.0
                          )
                        ) / (
                          "t51"."s" / 4
                        )
                        ELSE NULL
                      END AS "cv_quarterly"
                    FROM (
                      SELECT
                        "t41"."customer_id",
                        SUM(CASE WHEN "t41"."top" > 0 THEN 1 ELSE 0 END) AS "active",
                        SUM(CAST("t41"."value" AS DOUBLE)) AS "s",
                        SUM(CAST("t41"."value" AS DOUBLE) * CAST("t41"."value" AS DOUBLE)) AS "ss"
                      FROM (
                        SELECT
                          "t33"."customer_id",
                          CAST(FLOOR((
                            "t33"."bucket"
                          ) / (
                            3
                          )) AS BIGINT) AS "bucket",
                          SUM("t33"."value") AS "value",
                          MAX("t33"."top") AS "top"
                        FROM "t31" AS "t33"
                        GROUP BY
                          1,
                          2
                      ) AS "t41"
                      GROUP BY
                        1
                    ) AS "t51"
                  ) AS "t65"
                    ON "t62"."customer_id" = "t65"."customer_id"
                ) AS "t67"
              ) AS "t69"
                ON "t63"."customer_id" = "t69"."customer_id"
            ) AS "t71"
          ) AS "t75"
          LEFT OUTER JOIN (
            SELECT
              "t7"."customer_id",
              MAX("t7"."dn") AS "last_contact_dn",
              MAX("t7"."day") AS "last_contact_day",
              SUM(CASE WHEN "t7"."dn" >= 19448 THEN 1 ELSE 0 END) AS "contacts",
              SUM(
                CASE WHEN (
                  "t7"."dn" >= 19448
                ) AND (
                  "t7"."kind" = 'visit'
                ) THEN 1 ELSE 0 END
              ) AS "visits",
              SUM(
                CASE WHEN (
                  "t7"."dn" >= 19448
                ) AND (
                  "t7"."kind" = 'call'
                ) THEN 1 ELSE 0 END
              ) AS "calls",
              SUM(
                CASE
                  WHEN (
                    "t7"."dn" >= 19448
                  ) AND (
                    "t7"."kind" = 'message'
                  )
                  THEN 1
                  ELSE 0
                END
              ) AS "messages",
              SUM(
                CASE WHEN (
                  "t7"."dn" >= 19448
                ) AND (
                  "t7"."kind" = 'care'
                ) THEN 1 ELSE 0 END
              ) AS "care_touches",
              SUM(
                CASE
                  WHEN (
                    "t7"."dn" >= 19448
                  ) AND (
                    "t7"."kind" = 'complaint'
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
            ) AS "t7"
            GROUP BY
              1
          ) AS "t16"
            ON "t75"."customer_id" = "t16"."customer_id"
        ) AS "t79"
      ) AS "t82"
      LEFT OUTER JOIN (
        SELECT
          "t87"."customer_id",
          COALESCE("t87"."billed", 0) - COALESCE("t87"."paid", 0) AS "outstanding",
          "t87"."overdue_amount",
          "t87"."max_days_overdue",
          COALESCE("t87"."invoices_due", 0) AS "invoices_due",
          COALESCE("t87"."paid_on_time", 0) AS "paid_on_time"
        FROM (
          SELECT
            "t86".*
            EXCLUDE ("customer_id_right")
          FROM (
            SELECT
              "t85"."customer_id",
              "t85"."billed",
              "t85"."overdue_amount",
              "t85"."max_days_overdue",
              "t85"."invoices_due",
              "t85"."paid_on_time",
              "t52"."customer_id" AS "customer_id_right",
              "t52"."paid"
            FROM (
              SELECT
                "t83".*
                EXCLUDE ("customer_id_right")
              FROM (
                SELECT
                  "t80"."customer_id",
                  "t74"."customer_id" AS "customer_id_right",
                  "t74"."billed",
                  "t74"."overdue_amount",
                  "t74"."max_days_overdue",
                  "t74"."invoices_due",
                  "t74"."paid_on_time"
                FROM (
                  SELECT DISTINCT
                    *
                  FROM (
                    SELECT
                      *
                    FROM (
                      SELECT
                        "t72"."customer_id"
                      FROM "t70" AS "t72"
                    ) AS "t76"
                    UNION ALL
                    SELECT
                      *
                    FROM (
                      SELECT
                        "t49"."customer_id"
                      FROM "t47" AS "t49"
                    ) AS "t54"
                  ) AS "t77"
                ) AS "t80"
                LEFT OUTER JOIN "t70" AS "t74"
                  ON "t80"."customer_id" = "t74"."customer_id"
              ) AS "t83"
            ) AS "t85"
            LEFT OUTER JOIN "t47" AS "t52"
              ON "t85"."customer_id" = "t52"."customer_id"
          ) AS "t86"
        ) AS "t87"
      ) AS "t89"
        ON "t82"."customer_id" = "t89"."customer_id"
    ) AS "t90"
  ) AS "t91"
  WHERE
    (
      "t91"."created_dn" IS NULL
    )
    OR (
      "t91"."created_dn" <= 19813
    )
    OR (
      NOT "t91"."orders_any" IS NULL
    )
) AS "t92"
