SELECT
  "t11"."customer_id",
  "t11"."_class" AS "class",
  CAST(NULL AS DOUBLE) AS "score",
  CAST([
    "t11"."_x0",
    CAST(0 + CASE WHEN "t11"."_h0" THEN 1 ELSE 0 END + CASE WHEN "t11"."_h1" THEN 2 ELSE 0 END AS DOUBLE),
    "t11"."_x1"
  ] AS DOUBLE[]) AS "why",
  CAST(NULL AS TEXT[]) AS "why_text"
FROM (
  SELECT
    "t10"."customer_id",
    "t10"."status",
    "t10"."scale",
    "t10"."management_level",
    "t10"."purchasing_power",
    "t10"."marketing_level",
    "t10"."growth_ability",
    "t10"."competitive_advantage",
    "t10"."intent",
    "t10"."_pts_expected_contribution_0",
    "t10"."_pts_expected_contribution_1",
    "t10"."_pts_expected_contribution_2",
    "t10"."_pts_expected_contribution_3",
    "t10"."_pts_expected_contribution_4",
    "t10"."_pts_expected_contribution_5",
    "t10"."expected_contribution",
    RANDOM() AS "_barrier",
    "t10"."_x0",
    "t10"."_h0",
    "t10"."_x1",
    "t10"."_h1",
    "t10"."_class"
  FROM (
    SELECT
      "t9"."customer_id",
      "t9"."status",
      "t9"."scale",
      "t9"."management_level",
      "t9"."purchasing_power",
      "t9"."marketing_level",
      "t9"."growth_ability",
      "t9"."competitive_advantage",
      "t9"."intent",
      "t9"."_pts_expected_contribution_0",
      "t9"."_pts_expected_contribution_1",
      "t9"."_pts_expected_contribution_2",
      "t9"."_pts_expected_contribution_3",
      "t9"."_pts_expected_contribution_4",
      "t9"."_pts_expected_contribution_5",
      "t9"."expected_contribution",
      "t9"."_barrier",
      "t9"."_x0",
      "t9"."_h0",
      "t9"."_x1",
      "t9"."_h1",
      CASE
        WHEN (
          "t9"."_h0" = TRUE
        ) AND (
          "t9"."_h1" = TRUE
        )
        THEN 'PI'
        WHEN (
          "t9"."_h0" = TRUE
        ) AND (
          "t9"."_h1" = FALSE
        )
        THEN 'PII'
        WHEN (
          "t9"."_h0" = FALSE
        ) AND (
          "t9"."_h1" = TRUE
        )
        THEN 'PIII'
        WHEN (
          "t9"."_h0" = FALSE
        ) AND (
          "t9"."_h1" = FALSE
        )
        THEN 'PIV'
        ELSE NULL
      END AS "_class"
    FROM (
      SELECT
        "t8"."customer_id",
        "t8"."status",
        "t8"."scale",
        "t8"."management_level",
        "t8"."purchasing_power",
        "t8"."marketing_level",
        "t8"."growth_ability",
        "t8"."competitive_advantage",
        "t8"."intent",
        "t8"."_pts_expected_contribution_0",
        "t8"."_pts_expected_contribution_1",
        "t8"."_pts_expected_contribution_2",
        "t8"."_pts_expected_contribution_3",
        "t8"."_pts_expected_contribution_4",
        "t8"."_pts_expected_contribution_5",
        "t8"."expected_contribution",
        RANDOM() AS "_barrier",
        "t8"."_x0",
        "t8"."_h0",
        "t8"."_x1",
        "t8"."_h1"
      FROM (
        SELECT
          "t7"."customer_id",
          "t7"."status",
          "t7"."scale",
          "t7"."management_level",
          "t7"."purchasing_power",
          "t7"."marketing_level",
          "t7"."growth_ability",
          "t7"."competitive_advantage",
          "t7"."intent",
          "t7"."_pts_expected_contribution_0",
          "t7"."_pts_expected_contribution_1",
          "t7"."_pts_expected_contribution_2",
          "t7"."_pts_expected_contribution_3",
          "t7"."_pts_expected_contribution_4",
          "t7"."_pts_expected_contribution_5",
          "t7"."expected_contribution",
          "t7"."_barrier",
          "t7"."expected_contribution" AS "_x0",
          COALESCE("t7"."expected_contribution" >= 50.0, FALSE) AS "_h0",
          "t7"."intent" AS "_x1",
          COALESCE("t7"."intent" >= 4.0, FALSE) AS "_h1"
        FROM (
          SELECT
            "t6"."customer_id",
            "t6"."status",
            "t6"."scale",
            "t6"."management_level",
            "t6"."purchasing_power",
            "t6"."marketing_level",
            "t6"."growth_ability",
            "t6"."competitive_advantage",
            "t6"."intent",
            "t6"."_pts_expected_contribution_0",
            "t6"."_pts_expected_contribution_1",
            "t6"."_pts_expected_contribution_2",
            "t6"."_pts_expected_contribution_3",
            "t6"."_pts_expected_contribution_4",
            "t6"."_pts_expected_contribution_5",
            "t6"."expected_contribution",
            RANDOM() AS "_barrier"
          FROM (
            SELECT
              "t5"."customer_id",
              "t5"."status",
              "t5"."scale",
              "t5"."management_level",
              "t5"."purchasing_power",
              "t5"."marketing_level",
              "t5"."growth_ability",
              "t5"."competitive_advantage",
              "t5"."intent",
              COALESCE(
                (
                  CASE
                    WHEN CASE WHEN "t5"."scale" IS NULL THEN "t5"."scale" ELSE LEAST(5.0, "t5"."scale") END IS NULL
                    THEN CASE WHEN "t5"."scale" IS NULL THEN "t5"."scale" ELSE LEAST(5.0, "t5"."scale") END
                    ELSE GREATEST(
                      1.0,
                      CASE WHEN "t5"."scale" IS NULL THEN "t5"."scale" ELSE LEAST(5.0, "t5"."scale") END
                    )
                  END - 1.0
                ) / 4.0,
                0.0
              ) * 20.0 AS "_pts_expected_contribution_0",
              COALESCE(
                (
                  CASE
                    WHEN CASE
                      WHEN "t5"."management_level" IS NULL
                      THEN "t5"."management_level"
                      ELSE LEAST(5.0, "t5"."management_level")
                    END IS NULL
                    THEN CASE
                      WHEN "t5"."management_level" IS NULL
                      THEN "t5"."management_level"
                      ELSE LEAST(5.0, "t5"."management_level")
                    END
                    ELSE GREATEST(
                      1.0,
                      CASE
                        WHEN "t5"."management_level" IS NULL
                        THEN "t5"."management_level"
                        ELSE LEAST(5.0, "t5"."management_level")
                      END
                    )
                  END - 1.0
                ) / 4.0,
                0.0
              ) * 15.0 AS "_pts_expected_contribution_1",
              COALESCE(
                (
                  CASE
                    WHEN CASE
                      WHEN "t5"."purchasing_power" IS NULL
                      THEN "t5"."purchasing_power"
                      ELSE LEAST(5.0, "t5"."purchasing_power")
                    END IS NULL
                    THEN CASE
                      WHEN "t5"."purchasing_power" IS NULL
                      THEN "t5"."purchasing_power"
                      ELSE LEAST(5.0, "t5"."purchasing_power")
                    END
                    ELSE GREATEST(
                      1.0,
                      CASE
                        WHEN "t5"."purchasing_power" IS NULL
                        THEN "t5"."purchasing_power"
                        ELSE LEAST(5.0, "t5"."purchasing_power")
                      END
                    )
                  END - 1.0
                ) / 4.0,
                0.0
              ) * 20.0 AS "_pts_expected_contribution_2",
              COALESCE(
                (
                  CASE
                    WHEN CASE
                      WHEN "t5"."marketing_level" IS NULL
                      THEN "t5"."marketing_level"
                      ELSE LEAST(5.0, "t5"."marketing_level")
                    END IS NULL
                    THEN CASE
                      WHEN "t5"."marketing_level" IS NULL
                      THEN "t5"."marketing_level"
                      ELSE LEAST(5.0, "t5"."marketing_level")
                    END
                    ELSE GREATEST(
                      1.0,
                      CASE
                        WHEN "t5"."marketing_level" IS NULL
                        THEN "t5"."marketing_level"
                        ELSE LEAST(5.0, "t5"."marketing_level")
                      END
                    )
                  END - 1.0
                ) / 4.0,
                0.0
              ) * 15.0 AS "_pts_expected_contribution_3",
              COALESCE(
                (
                  CASE
                    WHEN CASE
                      WHEN "t5"."growth_ability" IS NULL
                      THEN "t5"."growth_ability"
                      ELSE LEAST(5.0, "t5"."growth_ability")
                    END IS NULL
                    THEN CASE
                      WHEN "t5"."growth_ability" IS NULL
                      THEN "t5"."growth_ability"
                      ELSE LEAST(5.0, "t5"."growth_ability")
                    END
                    ELSE GREATEST(
                      1.0,
                      CASE
                        WHEN "t5"."growth_ability" IS NULL
                        THEN "t5"."growth_ability"
                        ELSE LEAST(5.0, "t5"."growth_ability")
                      END
                    )
                  END - 1.0
                ) / 4.0,
                0.0
              ) * 15.0 AS "_pts_expected_contribution_4",
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
              ) * 15.0 AS "_pts_expected_contribution_5",
              0.0 + (
                COALESCE(
                  (
                    CASE
                      WHEN CASE WHEN "t5"."scale" IS NULL THEN "t5"."scale" ELSE LEAST(5.0, "t5"."scale") END IS NULL
                      THEN CASE WHEN "t5"."scale" IS NULL THEN "t5"."scale" ELSE LEAST(5.0, "t5"."scale") END
                      ELSE GREATEST(
                        1.0,
                        CASE WHEN "t5"."scale" IS NULL THEN "t5"."scale" ELSE LEAST(5.0, "t5"."scale") END
                      )
                    END - 1.0
                  ) / 4.0,
                  0.0
                ) * 20.0
              ) + (
                COALESCE(
                  (
                    CASE
                      WHEN CASE
                        WHEN "t5"."management_level" IS NULL
                        THEN "t5"."management_level"
                        ELSE LEAST(5.0, "t5"."management_level")
                      END IS NULL
                      THEN CASE
                        WHEN "t5"."management_level" IS NULL
                        THEN "t5"."management_level"
                        ELSE LEAST(5.0, "t5"."management_level")
                      END
                      ELSE GREATEST(
                        1.0,
                        CASE
                          WHEN "t5"."management_level" IS NULL
                          THEN "t5"."management_level"
                          ELSE LEAST(5.0, "t5"."management_level")
                        END
                      )
                    END - 1.0
                  ) / 4.0,
                  0.0
                ) * 15.0
              ) + (
                COALESCE(
                  (
                    CASE
                      WHEN CASE
                        WHEN "t5"."purchasing_power" IS NULL
                        THEN "t5"."purchasing_power"
                        ELSE LEAST(5.0, "t5"."purchasing_power")
                      END IS NULL
                      THEN CASE
                        WHEN "t5"."purchasing_power" IS NULL
                        THEN "t5"."purchasing_power"
                        ELSE LEAST(5.0, "t5"."purchasing_power")
                      END
                      ELSE GREATEST(
                        1.0,
                        CASE
                          WHEN "t5"."purchasing_power" IS NULL
                          THEN "t5"."purchasing_power"
                          ELSE LEAST(5.0, "t5"."purchasing_power")
                        END
                      )
                    END - 1.0
                  ) / 4.0,
                  0.0
                ) * 20.0
              ) + (
                COALESCE(
                  (
                    CASE
                      WHEN CASE
                        WHEN "t5"."marketing_level" IS NULL
                        THEN "t5"."marketing_level"
                        ELSE LEAST(5.0, "t5"."marketing_level")
                      END IS NULL
                      THEN CASE
                        WHEN "t5"."marketing_level" IS NULL
                        THEN "t5"."marketing_level"
                        ELSE LEAST(5.0, "t5"."marketing_level")
                      END
                      ELSE GREATEST(
                        1.0,
                        CASE
                          WHEN "t5"."marketing_level" IS NULL
                          THEN "t5"."marketing_level"
                          ELSE LEAST(5.0, "t5"."marketing_level")
                        END
                      )
                    END - 1.0
                  ) / 4.0,
                  0.0
                ) * 15.0
              ) + (
                COALESCE(
                  (
                    CASE
                      WHEN CASE
                        WHEN "t5"."growth_ability" IS NULL
                        THEN "t5"."growth_ability"
                        ELSE LEAST(5.0, "t5"."growth_ability")
                      END IS NULL
                      THEN CASE
                        WHEN "t5"."growth_ability" IS NULL
                        THEN "t5"."growth_ability"
                        ELSE LEAST(5.0, "t5"."growth_ability")
                      END
                      ELSE GREATEST(
                        1.0,
                        CASE
                          WHEN "t5"."growth_ability" IS NULL
                          THEN "t5"."growth_ability"
                          ELSE LEAST(5.0, "t5"."growth_ability")
                        END
                      )
                    END - 1.0
                  ) / 4.0,
                  0.0
                ) * 15.0
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
              ) AS "expected_contribution"
            FROM (
              SELECT
                "t2"."customer_id",
                "t2"."status",
                "t4"."scale",
                "t4"."management_level",
                "t4"."purchasing_power",
                "t4"."marketing_level",
                "t4"."growth_ability",
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
  ) AS "t10"
) AS "t11"
