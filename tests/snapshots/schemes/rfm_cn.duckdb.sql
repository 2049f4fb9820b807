SELECT
  "t11"."customer_id",
  "t11"."_class" AS "class",
  CAST((
    "t11"."r" * 100
  ) + (
    "t11"."f" * 10
  ) + "t11"."m" AS DOUBLE) AS "score",
  CAST([
    CAST("t11"."r" AS DOUBLE),
    "t11"."_rv",
    CAST("t11"."f" AS DOUBLE),
    "t11"."_fv",
    CAST("t11"."m" AS DOUBLE),
    "t11"."_mv"
  ] AS DOUBLE[]) AS "why",
  CAST(NULL AS TEXT[]) AS "why_text"
FROM (
  SELECT
    "t10"."customer_id",
    "t10"."status",
    "t10"."lifetime_revenue",
    "t10"."lifetime_orders",
    "t10"."recency_days",
    "t10"."r",
    "t10"."_rv",
    "t10"."f",
    "t10"."_fv",
    "t10"."m",
    "t10"."_mv",
    RANDOM() AS "_barrier",
    "t10"."fm",
    "t10"."_c0",
    "t10"."_l0_0",
    "t10"."_l0_1",
    "t10"."_l0_2",
    "t10"."_c1",
    "t10"."_l1_0",
    "t10"."_l1_1",
    "t10"."_l1_2",
    "t10"."_c2",
    "t10"."_l2_0",
    "t10"."_l2_1",
    "t10"."_l2_2",
    "t10"."_c3",
    "t10"."_l3_0",
    "t10"."_l3_1",
    "t10"."_l3_2",
    "t10"."_c4",
    "t10"."_l4_0",
    "t10"."_l4_1",
    "t10"."_l4_2",
    "t10"."_c5",
    "t10"."_l5_0",
    "t10"."_l5_1",
    "t10"."_l5_2",
    "t10"."_c6",
    "t10"."_l6_0",
    "t10"."_l6_1",
    "t10"."_l6_2",
    "t10"."_class"
  FROM (
    SELECT
      "t9"."customer_id",
      "t9"."status",
      "t9"."lifetime_revenue",
      "t9"."lifetime_orders",
      "t9"."recency_days",
      "t9"."r",
      "t9"."_rv",
      "t9"."f",
      "t9"."_fv",
      "t9"."m",
      "t9"."_mv",
      "t9"."_barrier",
      "t9"."fm",
      "t9"."_c0",
      "t9"."_l0_0",
      "t9"."_l0_1",
      "t9"."_l0_2",
      "t9"."_c1",
      "t9"."_l1_0",
      "t9"."_l1_1",
      "t9"."_l1_2",
      "t9"."_c2",
      "t9"."_l2_0",
      "t9"."_l2_1",
      "t9"."_l2_2",
      "t9"."_c3",
      "t9"."_l3_0",
      "t9"."_l3_1",
      "t9"."_l3_2",
      "t9"."_c4",
      "t9"."_l4_0",
      "t9"."_l4_1",
      "t9"."_l4_2",
      "t9"."_c5",
      "t9"."_l5_0",
      "t9"."_l5_1",
      "t9"."_l5_2",
      "t9"."_c6",
      "t9"."_l6_0",
      "t9"."_l6_1",
      "t9"."_l6_2",
      CASE
        WHEN "t9"."_c0"
        THEN 'important_value'
        WHEN "t9"."_c1"
        THEN 'important_develop'
        WHEN "t9"."_c2"
        THEN 'important_keep'
        WHEN "t9"."_c3"
        THEN 'important_retain'
        WHEN "t9"."_c4"
        THEN 'general_value'
        WHEN "t9"."_c5"
        THEN 'general_develop'
        WHEN "t9"."_c6"
        THEN 'general_keep'
        ELSE 'general_retain'
      END AS "_class"
    FROM (
      SELECT
        "t8"."customer_id",
        "t8"."status",
        "t8"."lifetime_revenue",
        "t8"."lifetime_orders",
        "t8"."recency_days",
        "t8"."r",
        "t8"."_rv",
        "t8"."f",
        "t8"."_fv",
        "t8"."m",
        "t8"."_mv",
        RANDOM() AS "_barrier",
        "t8"."fm",
        "t8"."_c0",
        "t8"."_l0_0",
        "t8"."_l0_1",
        "t8"."_l0_2",
        "t8"."_c1",
        "t8"."_l1_0",
        "t8"."_l1_1",
        "t8"."_l1_2",
        "t8"."_c2",
        "t8"."_l2_0",
        "t8"."_l2_1",
        "t8"."_l2_2",
        "t8"."_c3",
        "t8"."_l3_0",
        "t8"."_l3_1",
        "t8"."_l3_2",
        "t8"."_c4",
        "t8"."_l4_0",
        "t8"."_l4_1",
        "t8"."_l4_2",
        "t8"."_c5",
        "t8"."_l5_0",
        "t8"."_l5_1",
        "t8"."_l5_2",
        "t8"."_c6",
        "t8"."_l6_0",
        "t8"."_l6_1",
        "t8"."_l6_2"
      FROM (
        SELECT
          "t7"."customer_id",
          "t7"."status",
          "t7"."lifetime_revenue",
          "t7"."lifetime_orders",
          "t7"."recency_days",
          "t7"."r",
          "t7"."_rv",
          "t7"."f",
          "t7"."_fv",
          "t7"."m",
          "t7"."_mv",
          "t7"."_barrier",
          (
            "t7"."f" + "t7"."m"
          ) / 2 AS "fm",
          COALESCE((
            "t7"."r" = 2
          ) AND (
            "t7"."f" = 2
          ) AND (
            "t7"."m" = 2
          ), FALSE) AS "_c0",
          COALESCE("t7"."r" = 2, FALSE) AS "_l0_0",
          COALESCE("t7"."f" = 2, FALSE) AS "_l0_1",
          COALESCE("t7"."m" = 2, FALSE) AS "_l0_2",
          COALESCE((
            "t7"."r" = 2
          ) AND (
            "t7"."f" = 1
          ) AND (
            "t7"."m" = 2
          ), FALSE) AS "_c1",
          COALESCE("t7"."r" = 2, FALSE) AS "_l1_0",
          COALESCE("t7"."f" = 1, FALSE) AS "_l1_1",
          COALESCE("t7"."m" = 2, FALSE) AS "_l1_2",
          COALESCE((
            "t7"."r" = 1
          ) AND (
            "t7"."f" = 2
          ) AND (
            "t7"."m" = 2
          ), FALSE) AS "_c2",
          COALESCE("t7"."r" = 1, FALSE) AS "_l2_0",
          COALESCE("t7"."f" = 2, FALSE) AS "_l2_1",
          COALESCE("t7"."m" = 2, FALSE) AS "_l2_2",
          COALESCE((
            "t7"."r" = 1
          ) AND (
            "t7"."f" = 1
          ) AND (
            "t7"."m" = 2
          ), FALSE) AS "_c3",
          COALESCE("t7"."r" = 1, FALSE) AS "_l3_0",
          COALESCE("t7"."f" = 1, FALSE) AS "_l3_1",
          COALESCE("t7"."m" = 2, FALSE) AS "_l3_2",
          COALESCE((
            "t7"."r" = 2
          ) AND (
            "t7"."f" = 2
          ) AND (
            "t7"."m" = 1
          ), FALSE) AS "_c4",
          COALESCE("t7"."r" = 2, FALSE) AS "_l4_0",
          COALESCE("t7"."f" = 2, FALSE) AS "_l4_1",
          COALESCE("t7"."m" = 1, FALSE) AS "_l4_2",
          COALESCE((
            "t7"."r" = 2
          ) AND (
            "t7"."f" = 1
          ) AND (
            "t7"."m" = 1
          ), FALSE) AS "_c5",
          COALESCE("t7"."r" = 2, FALSE) AS "_l5_0",
          COALESCE("t7"."f" = 1, FALSE) AS "_l5_1",
          COALESCE("t7"."m" = 1, FALSE) AS "_l5_2",
          COALESCE((
            "t7"."r" = 1
          ) AND (
            "t7"."f" = 2
          ) AND (
            "t7"."m" = 1
          ), FALSE) AS "_c6",
          COALESCE("t7"."r" = 1, FALSE) AS "_l6_0",
          COALESCE("t7"."f" = 2, FALSE) AS "_l6_1",
          COALESCE("t7"."m" = 1, FALSE) AS "_l6_2"
        FROM (
          SELECT
            "t6"."customer_id",
            "t6"."status",
            "t6"."lifetime_revenue",
            "t6"."lifetime_orders",
            "t6"."recency_days",
            "t6"."r",
            "t6"."_rv",
            "t6"."f",
            "t6"."_fv",
            "t6"."m",
            "t6"."_mv",
            RANDOM() AS "_barrier"
          FROM (
            SELECT
              "t5"."customer_id",
              "t5"."status",
              "t5"."lifetime_revenue",
              "t5"."lifetime_orders",
              "t5"."recency_days",
              CAST(CASE
                WHEN CAST("t5"."recency_days" AS DOUBLE) IS NULL
                THEN 1
                ELSE 1 + CASE
                  WHEN CAST("t5"."recency_days" AS DOUBLE) <= 184.95555555555555
                  THEN 1
                  ELSE 0
                END
              END AS BIGINT) AS "r",
              CAST("t5"."recency_days" AS DOUBLE) AS "_rv",
              CAST(CASE
                WHEN CAST("t5"."lifetime_orders" AS DOUBLE) IS NULL
                THEN 1
                ELSE 1 + CASE
                  WHEN CAST("t5"."lifetime_orders" AS DOUBLE) > 21.192592592592593
                  THEN 1
                  ELSE 0
                END
              END AS BIGINT) AS "f",
              CAST("t5"."lifetime_orders" AS DOUBLE) AS "_fv",
              CAST(CASE
                WHEN CAST("t5"."lifetime_revenue" AS DOUBLE) IS NULL
                THEN 1
                ELSE 1 + CASE
                  WHEN CAST("t5"."lifetime_revenue" AS DOUBLE) > 64982.42522222222
                  THEN 1
                  ELSE 0
                END
              END AS BIGINT) AS "m",
              CAST("t5"."lifetime_revenue" AS DOUBLE) AS "_mv"
            FROM (
              SELECT
                "t2"."customer_id",
                "t2"."status",
                "t2"."lifetime_revenue",
                "t2"."lifetime_orders",
                "t2"."recency_days"
              FROM "temp"."main"."_tw_tw_metrics" AS "t2"
              LEFT OUTER JOIN (
                SELECT
                  "t1"."customer_id",
                  "t1"."type",
                  "t1"."outlet",
                  "t1"."created_date",
                  "t1"."payment_terms_days",
                  "t1"."scale",
                  "t1"."management_level",
                  "t1"."purchasing_power",
                  "t1"."marketing_level",
                  "t1"."growth_ability",
                  "t1"."competitive_advantage",
                  "t1"."intent",
                  "t1"."share_of_wallet",
                  "t1"."upcoming_purchases",
                  "t1"."flag",
                  "t1"."annual_agreement",
                  "t1"."personality",
                  "t1"."credit_grade_finance"
                FROM "customers" AS "t1"
              ) AS "t4"
                ON "t2"."customer_id" = "t4"."customer_id"
            ) AS "t5"
            WHERE
              "t5"."status" <> 'prospect'
          ) AS "t6"
        ) AS "t7"
      ) AS "t8"
    ) AS "t9"
  ) AS "t10"
) AS "t11"
