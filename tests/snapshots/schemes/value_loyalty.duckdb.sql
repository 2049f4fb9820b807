SELECT
  "t11"."customer_id",
  "t11"."_class" AS "class",
  CAST(NULL AS DOUBLE) AS "score",
  CAST([
    "t11"."_x0",
    CAST(0 + CASE WHEN "t11"."_h0" THEN 1 ELSE 0 END + CASE WHEN "t11"."_h1" THEN 2 ELSE 0 END + CASE WHEN "t11"."_u0_0" THEN 4 ELSE 0 END + CASE WHEN "t11"."_u0" THEN 8 ELSE 0 END AS DOUBLE),
    "t11"."_x1",
    "t11"."on_time_ratio"
  ] AS DOUBLE[]) AS "why",
  CAST(NULL AS TEXT[]) AS "why_text"
FROM (
  SELECT
    "t10"."customer_id",
    "t10"."status",
    "t10"."revenue",
    "t10"."loyalty",
    "t10"."on_time_ratio",
    "t10"."_x0",
    "t10"."_h0",
    "t10"."_x1",
    "t10"."_h1",
    RANDOM() AS "_barrier",
    "t10"."_u0",
    "t10"."_u0_0",
    "t10"."_class"
  FROM (
    SELECT
      "t9"."customer_id",
      "t9"."status",
      "t9"."revenue",
      "t9"."loyalty",
      "t9"."on_time_ratio",
      "t9"."_x0",
      "t9"."_h0",
      "t9"."_x1",
      "t9"."_h1",
      "t9"."_barrier",
      "t9"."_u0",
      "t9"."_u0_0",
      CASE
        WHEN "t9"."_u0"
        THEN 'butterfly'
        ELSE CASE
          WHEN (
            "t9"."_h0" = TRUE
          ) AND (
            "t9"."_h1" = TRUE
          )
          THEN 'true_friend'
          WHEN (
            "t9"."_h0" = TRUE
          ) AND (
            "t9"."_h1" = FALSE
          )
          THEN 'butterfly'
          WHEN (
            "t9"."_h0" = FALSE
          ) AND (
            "t9"."_h1" = TRUE
          )
          THEN 'snail'
          WHEN (
            "t9"."_h0" = FALSE
          ) AND (
            "t9"."_h1" = FALSE
          )
          THEN 'passer_by'
          ELSE NULL
        END
      END AS "_class"
    FROM (
      SELECT
        "t8"."customer_id",
        "t8"."status",
        "t8"."revenue",
        "t8"."loyalty",
        "t8"."on_time_ratio",
        "t8"."_x0",
        "t8"."_h0",
        "t8"."_x1",
        "t8"."_h1",
        RANDOM() AS "_barrier",
        "t8"."_u0",
        "t8"."_u0_0"
      FROM (
        SELECT
          "t7"."customer_id",
          "t7"."status",
          "t7"."revenue",
          "t7"."loyalty",
          "t7"."on_time_ratio",
          "t7"."_x0",
          "t7"."_h0",
          "t7"."_x1",
          "t7"."_h1",
          "t7"."_barrier",
          (
            "t7"."_h0" = TRUE
          )
          AND (
            "t7"."_h1" = TRUE
          )
          AND COALESCE(COALESCE("t7"."on_time_ratio" < 0.8, FALSE), FALSE) AS "_u0",
          COALESCE("t7"."on_time_ratio" < 0.8, FALSE) AS "_u0_0"
        FROM (
          SELECT
            "t6"."customer_id",
            "t6"."status",
            "t6"."revenue",
            "t6"."loyalty",
            "t6"."on_time_ratio",
            "t6"."_x0",
            "t6"."_h0",
            "t6"."_x1",
            "t6"."_h1",
            RANDOM() AS "_barrier"
          FROM (
            SELECT
              "t5"."customer_id",
              "t5"."status",
              "t5"."revenue",
              "t5"."loyalty",
              "t5"."on_time_ratio",
              CAST("t5"."revenue" AS DOUBLE) AS "_x0",
              COALESCE(CAST("t5"."revenue" AS DOUBLE) >= 8252.6, FALSE) AS "_h0",
              "t5"."loyalty" AS "_x1",
              COALESCE("t5"."loyalty" >= 0.629206823921501, FALSE) AS "_h1"
            FROM (
              SELECT
                "t2"."customer_id",
                "t2"."status",
                "t2"."revenue",
                "t2"."loyalty",
                "t2"."on_time_ratio"
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
              "t5"."status" = 'buyer'
          ) AS "t6"
        ) AS "t7"
      ) AS "t8"
    ) AS "t9"
  ) AS "t10"
) AS "t11"
