SELECT
  "t10"."customer_id",
  "t10"."_class" AS "class",
  CAST("t10"."_rank" AS DOUBLE) AS "score",
  CAST(["t10"."_v", CAST("t10"."_rank" AS DOUBLE), "t10"."_rank" / 219, "t10"."_before"] AS DOUBLE[]) AS "why",
  CAST(NULL AS TEXT[]) AS "why_text"
FROM (
  SELECT
    "t9"."customer_id",
    "t9"."status",
    "t9"."revenue",
    "t9"."_v",
    "t9"."_x",
    "t9"."_rank",
    "t9"."_before",
    "t9"."_class",
    RANDOM() AS "_barrier"
  FROM (
    SELECT
      "t8"."customer_id",
      "t8"."status",
      "t8"."revenue",
      "t8"."_v",
      "t8"."_x",
      "t8"."_rank",
      "t8"."_before",
      CASE
        WHEN (
          NOT "t8"."_v" IS NULL
        ) AND (
          "t8"."_v" > 0
        ) AND (
          "t8"."_before" < 0.5
        )
        THEN 'A'
        WHEN (
          NOT "t8"."_v" IS NULL
        ) AND (
          "t8"."_v" > 0
        ) AND (
          "t8"."_before" < 0.8
        )
        THEN 'B'
        ELSE 'C'
      END AS "_class"
    FROM (
      SELECT
        "t7"."customer_id",
        "t7"."status",
        "t7"."revenue",
        "t7"."_v",
        "t7"."_x",
        "t7"."_rank",
        CASE
          WHEN TRUE
          THEN CASE
            WHEN "t7"."_v" > 0
            THEN CAST(SUM("t7"."_x") OVER (
              ORDER BY "t7"."_v" IS NULL ASC, "t7"."_v" DESC
              RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
            ) - SUM("t7"."_x") OVER (PARTITION BY "t7"."_v" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS DOUBLE)
            ELSE 6180147.05
          END / 6180147.05
          ELSE 1.0
        END AS "_before"
      FROM (
        SELECT
          "t6"."customer_id",
          "t6"."status",
          "t6"."revenue",
          "t6"."_v",
          "t6"."_x",
          (
            RANK() OVER (
              ORDER BY "t6"."_v" IS NULL ASC, "t6"."_v" DESC
              ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
            ) - 1
          ) + 1 AS "_rank"
        FROM (
          SELECT
            "t5"."customer_id",
            "t5"."status",
            "t5"."revenue",
            CAST("t5"."revenue" AS DOUBLE) AS "_v",
            CAST("t5"."revenue" AS DECIMAL(38, 2)) AS "_x"
          FROM (
            SELECT
              "t2"."customer_id",
              "t2"."status",
              "t2"."revenue"
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
