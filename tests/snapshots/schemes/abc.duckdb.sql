SELECT
  "t9"."customer_id",
  "t9"."_class" AS "class",
  CAST("t9"."_rank" AS DOUBLE) AS "score",
  CAST(["t9"."_v", CAST("t9"."_rank" AS DOUBLE), "t9"."_rank" / 219] AS DOUBLE[]) AS "why",
  CAST(NULL AS TEXT[]) AS "why_text"
FROM (
  SELECT
    "t8"."customer_id",
    "t8"."status",
    "t8"."revenue",
    "t8"."_v",
    "t8"."_x",
    "t8"."_rank",
    "t8"."_class",
    RANDOM() AS "_barrier"
  FROM (
    SELECT
      "t7"."customer_id",
      "t7"."status",
      "t7"."revenue",
      "t7"."_v",
      "t7"."_x",
      "t7"."_rank",
      CASE
        WHEN (
          NOT "t7"."_v" IS NULL
        ) AND (
          "t7"."_rank" <= 11
        )
        THEN 'A'
        WHEN (
          NOT "t7"."_v" IS NULL
        ) AND (
          "t7"."_rank" <= 44
        )
        THEN 'B'
        ELSE 'C'
      END AS "_class"
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
