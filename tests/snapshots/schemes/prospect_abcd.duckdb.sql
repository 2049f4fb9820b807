SELECT
  "t9"."customer_id",
  "t9"."_class" AS "class",
  "t9"."close_likelihood" AS "score",
  CAST([
    "t9"."close_likelihood",
    "t9"."intent",
    "t9"."_pts_close_likelihood_0",
    "t9"."competitive_advantage",
    "t9"."_pts_close_likelihood_1",
    CAST("t9"."days_since_contact" AS DOUBLE),
    "t9"."_pts_close_likelihood_2",
    CAST("t9"."contacts" AS DOUBLE),
    "t9"."_pts_close_likelihood_3"
  ] AS DOUBLE[]) AS "why",
  CAST(NULL AS TEXT[]) AS "why_text"
FROM (
  SELECT
    "t8"."customer_id",
    "t8"."status",
    "t8"."days_since_contact",
    "t8"."contacts",
    "t8"."competitive_advantage",
    "t8"."intent",
    "t8"."_pts_close_likelihood_0",
    "t8"."_pts_close_likelihood_1",
    "t8"."_pts_close_likelihood_2",
    "t8"."_pts_close_likelihood_3",
    "t8"."close_likelihood",
    RANDOM() AS "_barrier",
    "t8"."_class"
  FROM (
    SELECT
      "t7"."customer_id",
      "t7"."status",
      "t7"."days_since_contact",
      "t7"."contacts",
      "t7"."competitive_advantage",
      "t7"."intent",
      "t7"."_pts_close_likelihood_0",
      "t7"."_pts_close_likelihood_1",
      "t7"."_pts_close_likelihood_2",
      "t7"."_pts_close_likelihood_3",
      "t7"."close_likelihood",
      "t7"."_barrier",
      CASE
        WHEN "t7"."close_likelihood" >= 70.0
        THEN 'A'
        WHEN "t7"."close_likelihood" >= 50.0
        THEN 'B'
        WHEN "t7"."close_likelihood" >= 30.0
        THEN 'C'
        ELSE 'D'
      END AS "_class"
    FROM (
      SELECT
        "t6"."customer_id",
        "t6"."status",
        "t6"."days_since_contact",
        "t6"."contacts",
        "t6"."competitive_advantage",
        "t6"."intent",
        "t6"."_pts_close_likelihood_0",
        "t6"."_pts_close_likelihood_1",
        "t6"."_pts_close_likelihood_2",
        "t6"."_pts_close_likelihood_3",
        "t6"."close_likelihood",
        RANDOM() AS "_barrier"
      FROM (
        SELECT
          "t5"."customer_id",
          "t5"."status",
          "t5"."days_since_contact",
          "t5"."contacts",
          "t5"."competitive_advantage",
          "t5"."intent",
          COALESCE(
            (
              CASE
                WHEN CASE
                  WHEN "t5"."intent" IS NULL
                  THEN "t5"."intent"
                  ELSE LEAST(5.0, "t5"."intent")
                END IS NULL
                THEN CASE
                  WHEN "t5"."intent" IS NULL
                  THEN "t5"."intent"
                  ELSE LEAST(5.0, "t5"."intent")
                END
                ELSE GREATEST(
                  1.0,
                  CASE
                    WHEN "t5"."intent" IS NULL
                    THEN "t5"."intent"
                    ELSE LEAST(5.0, "t5"."intent")
                  END
                )
              END - 1.0
            ) / 4.0,
            0.0
          ) * 50.0 AS "_pts_close_likelihood_0",
          COALESCE(
            (
              CASE
                WHEN CASE
                  WHEN "t5"."competitive_advantage" IS NULL
                  THEN "t5"."competitive_advantage"
                  ELSE LEAST(5.0, "t5"."competitive_advantage")
                END IS NULL
                THEN CASE
                  WHEN "t5"."competitive_advantage" IS NULL
                  THEN "t5"."competitive_advantage"
                  ELSE LEAST(5.0, "t5"."competitive_advantage")
                END
                ELSE GREATEST(
                  1.0,
                  CASE
                    WHEN "t5"."competitive_advantage" IS NULL
                    THEN "t5"."competitive_advantage"
                    ELSE LEAST(5.0, "t5"."competitive_advantage")
                  END
                )
              END - 1.0
            ) / 4.0,
            0.0
          ) * 15.0 AS "_pts_close_likelihood_1",
          COALESCE(
            1 - (
              (
                CASE
                  WHEN CASE
                    WHEN CAST("t5"."days_since_contact" AS DOUBLE) IS NULL
                    THEN CAST("t5"."days_since_contact" AS DOUBLE)
                    ELSE LEAST(90.0, CAST("t5"."days_since_contact" AS DOUBLE))
                  END IS NULL
                  THEN CASE
                    WHEN CAST("t5"."days_since_contact" AS DOUBLE) IS NULL
                    THEN CAST("t5"."days_since_contact" AS DOUBLE)
                    ELSE LEAST(90.0, CAST("t5"."days_since_contact" AS DOUBLE))
                  END
                  ELSE GREATEST(
                    0.0,
                    CASE
                      WHEN CAST("t5"."days_since_contact" AS DOUBLE) IS NULL
                      THEN CAST("t5"."days_since_contact" AS DOUBLE)
                      ELSE LEAST(90.0, CAST("t5"."days_since_contact" AS DOUBLE))
                    END
                  )
                END - 0.0
              ) / 90.0
            ),
            0.0
          ) * 20.0 AS "_pts_close_likelihood_2",
          COALESCE(
            (
              CASE
                WHEN CASE
                  WHEN CAST("t5"."contacts" AS DOUBLE) IS NULL
                  THEN CAST("t5"."contacts" AS DOUBLE)
                  ELSE LEAST(6.0, CAST("t5"."contacts" AS DOUBLE))
                END IS NULL
                THEN CASE
                  WHEN CAST("t5"."contacts" AS DOUBLE) IS NULL
                  THEN CAST("t5"."contacts" AS DOUBLE)
                  ELSE LEAST(6.0, CAST("t5"."contacts" AS DOUBLE))
                END
                ELSE GREATEST(
                  0.0,
                  CASE
                    WHEN CAST("t5"."contacts" AS DOUBLE) IS NULL
                    THEN CAST("t5"."contacts" AS DOUBLE)
                    ELSE LEAST(6.0, CAST("t5"."contacts" AS DOUBLE))
                  END
                )
              END - 0.0
            ) / 6.0,
            0.0
          ) * 15.0 AS "_pts_close_likelihood_3",
          0.0 + (
            COALESCE(
              (
                CASE
                  WHEN CASE
                    WHEN "t5"."intent" IS NULL
                    THEN "t5"."intent"
                    ELSE LEAST(5.0, "t5"."intent")
                  END IS NULL
                  THEN CASE
                    WHEN "t5"."intent" IS NULL
                    THEN "t5"."intent"
                    ELSE LEAST(5.0, "t5"."intent")
                  END
                  ELSE GREATEST(
                    1.0,
                    CASE
                      WHEN "t5"."intent" IS NULL
                      THEN "t5"."intent"
                      ELSE LEAST(5.0, "t5"."intent")
                    END
                  )
                END - 1.0
              ) / 4.0,
              0.0
            ) * 50.0
          ) + (
            COALESCE(
              (
                CASE
                  WHEN CASE
                    WHEN "t5"."competitive_advantage" IS NULL
                    THEN "t5"."competitive_advantage"
                    ELSE LEAST(5.0, "t5"."competitive_advantage")
                  END IS NULL
                  THEN CASE
                    WHEN "t5"."competitive_advantage" IS NULL
                    THEN "t5"."competitive_advantage"
                    ELSE LEAST(5.0, "t5"."competitive_advantage")
                  END
                  ELSE GREATEST(
                    1.0,
                    CASE
                      WHEN "t5"."competitive_advantage" IS NULL
                      THEN "t5"."competitive_advantage"
                      ELSE LEAST(5.0, "t5"."competitive_advantage")
                    END
                  )
                END - 1.0
              ) / 4.0,
              0.0
            ) * 15.0
          ) + (
            COALESCE(
              1 - (
                (
                  CASE
                    WHEN CASE
                      WHEN CAST("t5"."days_since_contact" AS DOUBLE) IS NULL
                      THEN CAST("t5"."days_since_contact" AS DOUBLE)
                      ELSE LEAST(90.0, CAST("t5"."days_since_contact" AS DOUBLE))
                    END IS NULL
                    THEN CASE
                      WHEN CAST("t5"."days_since_contact" AS DOUBLE) IS NULL
                      THEN CAST("t5"."days_since_contact" AS DOUBLE)
                      ELSE LEAST(90.0, CAST("t5"."days_since_contact" AS DOUBLE))
                    END
                    ELSE GREATEST(
                      0.0,
                      CASE
                        WHEN CAST("t5"."days_since_contact" AS DOUBLE) IS NULL
                        THEN CAST("t5"."days_since_contact" AS DOUBLE)
                        ELSE LEAST(90.0, CAST("t5"."days_since_contact" AS DOUBLE))
                      END
                    )
                  END - 0.0
                ) / 90.0
              ),
              0.0
            ) * 20.0
          ) + (
            COALESCE(
              (
                CASE
                  WHEN CASE
                    WHEN CAST("t5"."contacts" AS DOUBLE) IS NULL
                    THEN CAST("t5"."contacts" AS DOUBLE)
                    ELSE LEAST(6.0, CAST("t5"."contacts" AS DOUBLE))
                  END IS NULL
                  THEN CASE
                    WHEN CAST("t5"."contacts" AS DOUBLE) IS NULL
                    THEN CAST("t5"."contacts" AS DOUBLE)
                    ELSE LEAST(6.0, CAST("t5"."contacts" AS DOUBLE))
                  END
                  ELSE GREATEST(
                    0.0,
                    CASE
                      WHEN CAST("t5"."contacts" AS DOUBLE) IS NULL
                      THEN CAST("t5"."contacts" AS DOUBLE)
                      ELSE LEAST(6.0, CAST("t5"."contacts" AS DOUBLE))
                    END
                  )
                END - 0.0
              ) / 6.0,
              0.0
            ) * 15.0
          ) AS "close_likelihood"
        FROM (
          SELECT
            "t2"."customer_id",
            "t2"."status",
            "t2"."days_since_contact",
            "t2"."contacts",
            "t4"."competitive_advantage",
            "t4"."intent"
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
          "t5"."status" = 'prospect'
      ) AS "t6"
    ) AS "t7"
  ) AS "t8"
) AS "t9"
