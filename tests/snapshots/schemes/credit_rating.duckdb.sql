SELECT
  "t9"."customer_id",
  CASE
    WHEN COALESCE(
      CASE
        WHEN "t9"."credit_grade_finance" = 'A'
        THEN 0
        WHEN "t9"."credit_grade_finance" = 'B'
        THEN 1
        WHEN "t9"."credit_grade_finance" = 'C'
        THEN 3
        WHEN "t9"."credit_grade_finance" = 'D'
        THEN 4
        ELSE CAST(NULL AS BIGINT)
      END > CASE
        WHEN "t9"."_class" = 'AAA'
        THEN 0
        WHEN "t9"."_class" = 'AA'
        THEN 1
        WHEN "t9"."_class" = 'A'
        THEN 2
        WHEN "t9"."_class" = 'B'
        THEN 3
        WHEN "t9"."_class" = 'C'
        THEN 4
        ELSE 4
      END,
      FALSE
    )
    THEN CASE
      WHEN CASE
        WHEN "t9"."credit_grade_finance" = 'A'
        THEN 0
        WHEN "t9"."credit_grade_finance" = 'B'
        THEN 1
        WHEN "t9"."credit_grade_finance" = 'C'
        THEN 3
        WHEN "t9"."credit_grade_finance" = 'D'
        THEN 4
        ELSE CAST(NULL AS BIGINT)
      END = 0
      THEN 'AAA'
      WHEN CASE
        WHEN "t9"."credit_grade_finance" = 'A'
        THEN 0
        WHEN "t9"."credit_grade_finance" = 'B'
        THEN 1
        WHEN "t9"."credit_grade_finance" = 'C'
        THEN 3
        WHEN "t9"."credit_grade_finance" = 'D'
        THEN 4
        ELSE CAST(NULL AS BIGINT)
      END = 1
      THEN 'AA'
      WHEN CASE
        WHEN "t9"."credit_grade_finance" = 'A'
        THEN 0
        WHEN "t9"."credit_grade_finance" = 'B'
        THEN 1
        WHEN "t9"."credit_grade_finance" = 'C'
        THEN 3
        WHEN "t9"."credit_grade_finance" = 'D'
        THEN 4
        ELSE CAST(NULL AS BIGINT)
      END = 2
      THEN 'A'
      WHEN CASE
        WHEN "t9"."credit_grade_finance" = 'A'
        THEN 0
        WHEN "t9"."credit_grade_finance" = 'B'
        THEN 1
        WHEN "t9"."credit_grade_finance" = 'C'
        THEN 3
        WHEN "t9"."credit_grade_finance" = 'D'
        THEN 4
        ELSE CAST(NULL AS BIGINT)
      END = 3
      THEN 'B'
      WHEN CASE
        WHEN "t9"."credit_grade_finance" = 'A'
        THEN 0
        WHEN "t9"."credit_grade_finance" = 'B'
        THEN 1
        WHEN "t9"."credit_grade_finance" = 'C'
        THEN 3
        WHEN "t9"."credit_grade_finance" = 'D'
        THEN 4
        ELSE CAST(NULL AS BIGINT)
      END = 4
      THEN 'C'
      ELSE "t9"."_class"
    END
    ELSE "t9"."_class"
  END AS "class",
  "t9"."credit_score" AS "score",
  CAST([
    "t9"."credit_score",
    "t9"."on_time_ratio",
    "t9"."_pts_credit_score_0",
    CAST("t9"."max_days_overdue" AS DOUBLE),
    "t9"."_pts_credit_score_1",
    "t9"."credit_utilization",
    "t9"."_pts_credit_score_2",
    CASE
      WHEN "t9"."outstanding" = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST("t9"."overdue_amount" AS DOUBLE) / "t9"."outstanding"
    END,
    "t9"."_pts_credit_score_3",
    CAST(0 + CASE
      WHEN COALESCE(
        CASE
          WHEN "t9"."credit_grade_finance" = 'A'
          THEN 0
          WHEN "t9"."credit_grade_finance" = 'B'
          THEN 1
          WHEN "t9"."credit_grade_finance" = 'C'
          THEN 3
          WHEN "t9"."credit_grade_finance" = 'D'
          THEN 4
          ELSE CAST(NULL AS BIGINT)
        END > CASE
          WHEN "t9"."_class" = 'AAA'
          THEN 0
          WHEN "t9"."_class" = 'AA'
          THEN 1
          WHEN "t9"."_class" = 'A'
          THEN 2
          WHEN "t9"."_class" = 'B'
          THEN 3
          WHEN "t9"."_class" = 'C'
          THEN 4
          ELSE 4
        END,
        FALSE
      )
      THEN 1
      ELSE 0
    END AS DOUBLE)
  ] AS DOUBLE[]) AS "why",
  CAST(["t9"."_class", "t9"."credit_grade_finance"] AS TEXT[]) AS "why_text"
FROM (
  SELECT
    "t8"."customer_id",
    "t8"."status",
    "t8"."outstanding",
    "t8"."overdue_amount",
    "t8"."max_days_overdue",
    "t8"."on_time_ratio",
    "t8"."credit_utilization",
    "t8"."credit_grade_finance",
    "t8"."_pts_credit_score_0",
    "t8"."_pts_credit_score_1",
    "t8"."_pts_credit_score_2",
    "t8"."_pts_credit_score_3",
    "t8"."credit_score",
    RANDOM() AS "_barrier",
    "t8"."_class"
  FROM (
    SELECT
      "t7"."customer_id",
      "t7"."status",
      "t7"."outstanding",
      "t7"."overdue_amount",
      "t7"."max_days_overdue",
      "t7"."on_time_ratio",
      "t7"."credit_utilization",
      "t7"."credit_grade_finance",
      "t7"."_pts_credit_score_0",
      "t7"."_pts_credit_score_1",
      "t7"."_pts_credit_score_2",
      "t7"."_pts_credit_score_3",
      "t7"."credit_score",
      "t7"."_barrier",
      CASE
        WHEN "t7"."credit_score" >= 90.0
        THEN 'AAA'
        WHEN "t7"."credit_score" >= 75.0
        THEN 'AA'
        WHEN "t7"."credit_score" >= 60.0
        THEN 'A'
        WHEN "t7"."credit_score" >= 40.0
        THEN 'B'
        ELSE 'C'
      END AS "_class"
    FROM (
      SELECT
        "t6"."customer_id",
        "t6"."status",
        "t6"."outstanding",
        "t6"."overdue_amount",
        "t6"."max_days_overdue",
        "t6"."on_time_ratio",
        "t6"."credit_utilization",
        "t6"."credit_grade_finance",
        "t6"."_pts_credit_score_0",
        "t6"."_pts_credit_score_1",
        "t6"."_pts_credit_score_2",
        "t6"."_pts_credit_score_3",
        "t6"."credit_score",
        RANDOM() AS "_barrier"
      FROM (
        SELECT
          "t5"."customer_id",
          "t5"."status",
          "t5"."outstanding",
          "t5"."overdue_amount",
          "t5"."max_days_overdue",
          "t5"."on_time_ratio",
          "t5"."credit_utilization",
          "t5"."credit_grade_finance",
          COALESCE(
            (
              CASE
                WHEN CASE
                  WHEN "t5"."on_time_ratio" IS NULL
                  THEN "t5"."on_time_ratio"
                  ELSE LEAST(1.0, "t5"."on_time_ratio")
                END IS NULL
                THEN CASE
                  WHEN "t5"."on_time_ratio" IS NULL
                  THEN "t5"."on_time_ratio"
                  ELSE LEAST(1.0, "t5"."on_time_ratio")
                END
                ELSE GREATEST(
                  0.0,
                  CASE
                    WHEN "t5"."on_time_ratio" IS NULL
                    THEN "t5"."on_time_ratio"
                    ELSE LEAST(1.0, "t5"."on_time_ratio")
                  END
                )
              END - 0.0
            ) / 1.0,
            0.7
          ) * 40.0 AS "_pts_credit_score_0",
          COALESCE(
            1 - (
              (
                CASE
                  WHEN CASE
                    WHEN CAST("t5"."max_days_overdue" AS DOUBLE) IS NULL
                    THEN CAST("t5"."max_days_overdue" AS DOUBLE)
                    ELSE LEAST(90.0, CAST("t5"."max_days_overdue" AS DOUBLE))
                  END IS NULL
                  THEN CASE
                    WHEN CAST("t5"."max_days_overdue" AS DOUBLE) IS NULL
                    THEN CAST("t5"."max_days_overdue" AS DOUBLE)
                    ELSE LEAST(90.0, CAST("t5"."max_days_overdue" AS DOUBLE))
                  END
                  ELSE GREATEST(
                    0.0,
                    CASE
                      WHEN CAST("t5"."max_days_overdue" AS DOUBLE) IS NULL
                      THEN CAST("t5"."max_days_overdue" AS DOUBLE)
                      ELSE LEAST(90.0, CAST("t5"."max_days_overdue" AS DOUBLE))
                    END
                  )
                END - 0.0
              ) / 90.0
            ),
            1.0
          ) * 30.0 AS "_pts_credit_score_1",
          COALESCE(
            1 - (
              (
                CASE
                  WHEN CASE
                    WHEN "t5"."credit_utilization" IS NULL
                    THEN "t5"."credit_utilization"
                    ELSE LEAST(1.0, "t5"."credit_utilization")
                  END IS NULL
                  THEN CASE
                    WHEN "t5"."credit_utilization" IS NULL
                    THEN "t5"."credit_utilization"
                    ELSE LEAST(1.0, "t5"."credit_utilization")
                  END
                  ELSE GREATEST(
                    0.0,
                    CASE
                      WHEN "t5"."credit_utilization" IS NULL
                      THEN "t5"."credit_utilization"
                      ELSE LEAST(1.0, "t5"."credit_utilization")
                    END
                  )
                END - 0.0
              ) / 1.0
            ),
            0.5
          ) * 15.0 AS "_pts_credit_score_2",
          COALESCE(
            1 - (
              (
                CASE
                  WHEN CASE
                    WHEN CASE
                      WHEN "t5"."outstanding" = 0
                      THEN CAST(NULL AS DOUBLE)
                      ELSE CAST("t5"."overdue_amount" AS DOUBLE) / "t5"."outstanding"
                    END IS NULL
                    THEN CASE
                      WHEN "t5"."outstanding" = 0
                      THEN CAST(NULL AS DOUBLE)
                      ELSE CAST("t5"."overdue_amount" AS DOUBLE) / "t5"."outstanding"
                    END
                    ELSE LEAST(
                      1.0,
                      CASE
                        WHEN "t5"."outstanding" = 0
                        THEN CAST(NULL AS DOUBLE)
                        ELSE CAST("t5"."overdue_amount" AS DOUBLE) / "t5"."outstanding"
                      END
                    )
                  END IS NULL
                  THEN CASE
                    WHEN CASE
                      WHEN "t5"."outstanding" = 0
                      THEN CAST(NULL AS DOUBLE)
                      ELSE CAST("t5"."overdue_amount" AS DOUBLE) / "t5"."outstanding"
                    END IS NULL
                    THEN CASE
                      WHEN "t5"."outstanding" = 0
                      THEN CAST(NULL AS DOUBLE)
                      ELSE CAST("t5"."overdue_amount" AS DOUBLE) / "t5"."outstanding"
                    END
                    ELSE LEAST(
                      1.0,
                      CASE
                        WHEN "t5"."outstanding" = 0
                        THEN CAST(NULL AS DOUBLE)
                        ELSE CAST("t5"."overdue_amount" AS DOUBLE) / "t5"."outstanding"
                      END
                    )
                  END
                  ELSE GREATEST(
                    0.0,
                    CASE
                      WHEN CASE
                        WHEN "t5"."outstanding" = 0
                        THEN CAST(NULL AS DOUBLE)
                        ELSE CAST("t5"."overdue_amount" AS DOUBLE) / "t5"."outstanding"
                      END IS NULL
                      THEN CASE
                        WHEN "t5"."outstanding" = 0
                        THEN CAST(NULL AS DOUBLE)
                        ELSE CAST("t5"."overdue_amount" AS DOUBLE) / "t5"."outstanding"
                      END
                      ELSE LEAST(
                        1.0,
                        CASE
                          WHEN "t5"."outstanding" = 0
                          THEN CAST(NULL AS DOUBLE)
                          ELSE CAST("t5"."overdue_amount" AS DOUBLE) / "t5"."outstanding"
                        END
                      )
                    END
                  )
                END - 0.0
              ) / 1.0
            ),
            1.0
          ) * 15.0 AS "_pts_credit_score_3",
          0.0 + (
            COALESCE(
              (
                CASE
                  WHEN CASE
                    WHEN "t5"."on_time_ratio" IS NULL
                    THEN "t5"."on_time_ratio"
                    ELSE LEAST(1.0, "t5"."on_time_ratio")
                  END IS NULL
                  THEN CASE
                    WHEN "t5"."on_time_ratio" IS NULL
                    THEN "t5"."on_time_ratio"
                    ELSE LEAST(1.0, "t5"."on_time_ratio")
                  END
                  ELSE GREATEST(
                    0.0,
                    CASE
                      WHEN "t5"."on_time_ratio" IS NULL
                      THEN "t5"."on_time_ratio"
                      ELSE LEAST(1.0, "t5"."on_time_ratio")
                    END
                  )
                END - 0.0
              ) / 1.0,
              0.7
            ) * 40.0
          ) + (
            COALESCE(
              1 - (
                (
                  CASE
                    WHEN CASE
                      WHEN CAST("t5"."max_days_overdue" AS DOUBLE) IS NULL
                      THEN CAST("t5"."max_days_overdue" AS DOUBLE)
                      ELSE LEAST(90.0, CAST("t5"."max_days_overdue" AS DOUBLE))
                    END IS NULL
                    THEN CASE
                      WHEN CAST("t5"."max_days_overdue" AS DOUBLE) IS NULL
                      THEN CAST("t5"."max_days_overdue" AS DOUBLE)
                      ELSE LEAST(90.0, CAST("t5"."max_days_overdue" AS DOUBLE))
                    END
                    ELSE GREATEST(
                      0.0,
                      CASE
                        WHEN CAST("t5"."max_days_overdue" AS DOUBLE) IS NULL
                        THEN CAST("t5"."max_days_overdue" AS DOUBLE)
                        ELSE LEAST(90.0, CAST("t5"."max_days_overdue" AS DOUBLE))
                      END
                    )
                  END - 0.0
                ) / 90.0
              ),
              1.0
            ) * 30.0
          ) + (
            COALESCE(
              1 - (
                (
                  CASE
                    WHEN CASE
                      WHEN "t5"."credit_utilization" IS NULL
                      THEN "t5"."credit_utilization"
                      ELSE LEAST(1.0, "t5"."credit_utilization")
                    END IS NULL
                    THEN CASE
                      WHEN "t5"."credit_utilization" IS NULL
                      THEN "t5"."credit_utilization"
                      ELSE LEAST(1.0, "t5"."credit_utilization")
                    END
                    ELSE GREATEST(
                      0.0,
                      CASE
                        WHEN "t5"."credit_utilization" IS NULL
                        THEN "t5"."credit_utilization"
                        ELSE LEAST(1.0, "t5"."credit_utilization")
                      END
                    )
                  END - 0.0
                ) / 1.0
              ),
              0.5
            ) * 15.0
          ) + (
            COALESCE(
              1 - (
                (
                  CASE
                    WHEN CASE
                      WHEN CASE
                        WHEN "t5"."outstanding" = 0
                        THEN CAST(NULL AS DOUBLE)
                        ELSE CAST("t5"."overdue_amount" AS DOUBLE) / "t5"."outstanding"
                      END IS NULL
                      THEN CASE
                        WHEN "t5"."outstanding" = 0
                        THEN CAST(NULL AS DOUBLE)
                        ELSE CAST("t5"."overdue_amount" AS DOUBLE) / "t5"."outstanding"
                      END
                      ELSE LEAST(
                        1.0,
                        CASE
                          WHEN "t5"."outstanding" = 0
                          THEN CAST(NULL AS DOUBLE)
                          ELSE CAST("t5"."overdue_amount" AS DOUBLE) / "t5"."outstanding"
                        END
                      )
                    END IS NULL
                    THEN CASE
                      WHEN CASE
                        WHEN "t5"."outstanding" = 0
                        THEN CAST(NULL AS DOUBLE)
                        ELSE CAST("t5"."overdue_amount" AS DOUBLE) / "t5"."outstanding"
                      END IS NULL
                      THEN CASE
                        WHEN "t5"."outstanding" = 0
                        THEN CAST(NULL AS DOUBLE)
                        ELSE CAST("t5"."overdue_amount" AS DOUBLE) / "t5"."outstanding"
                      END
                      ELSE LEAST(
                        1.0,
                        CASE
                          WHEN "t5"."outstanding" = 0
                          THEN CAST(NULL AS DOUBLE)
                          ELSE CAST("t5"."overdue_amount" AS DOUBLE) / "t5"."outstanding"
                        END
                      )
                    END
                    ELSE GREATEST(
                      0.0,
                      CASE
                        WHEN CASE
                          WHEN "t5"."outstanding" = 0
                          THEN CAST(NULL AS DOUBLE)
                          ELSE CAST("t5"."overdue_amount" AS DOUBLE) / "t5"."outstanding"
                        END IS NULL
                        THEN CASE
                          WHEN "t5"."outstanding" = 0
                          THEN CAST(NULL AS DOUBLE)
                          ELSE CAST("t5"."overdue_amount" AS DOUBLE) / "t5"."outstanding"
                        END
                        ELSE LEAST(
                          1.0,
                          CASE
                            WHEN "t5"."outstanding" = 0
                            THEN CAST(NULL AS DOUBLE)
                            ELSE CAST("t5"."overdue_amount" AS DOUBLE) / "t5"."outstanding"
                          END
                        )
                      END
                    )
                  END - 0.0
                ) / 1.0
              ),
              1.0
            ) * 15.0
          ) AS "credit_score"
        FROM (
          SELECT
            "t2"."customer_id",
            "t2"."status",
            "t2"."outstanding",
            "t2"."overdue_amount",
            "t2"."max_days_overdue",
            "t2"."on_time_ratio",
            "t2"."credit_utilization",
            "t4"."credit_grade_finance"
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
