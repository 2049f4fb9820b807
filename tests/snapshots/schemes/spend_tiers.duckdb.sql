SELECT
  "t10"."customer_id",
  "t10"."class",
  "t10"."score",
  "t10"."reason_en",
  "t10"."reason_zh"
FROM (
  SELECT
    "t9"."customer_id",
    "t9"."status",
    "t9"."revenue",
    "t9"."active_months",
    "t9"."_c0",
    "t9"."_l0_0",
    "t9"."_l0_1",
    "t9"."_c1",
    "t9"."_l1_0",
    "t9"."_l1_1",
    "t9"."_c2",
    "t9"."_l2_0",
    "t9"."_barrier",
    "t9"."_class",
    "t9"."_class" AS "class",
    CAST(NULL AS DOUBLE) AS "score",
    CASE
      WHEN "t9"."_c0"
      THEN 'gold: ' || CONCAT_WS(
        '; ',
        CASE
          WHEN "t9"."_l0_0"
          THEN 'revenue ' || COALESCE(
            CASE
              WHEN (
                "t9"."revenue" < 0
              )
              AND (
                CAST(ROUND(ABS(CAST("t9"."revenue" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || '¥' || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."revenue" AS DOUBLE)) * 1, 0) AS BIGINT)),
            'n/a'
          ) || ' ≥ ' || 'p95 ¥129,303'
          ELSE CAST(NULL AS TEXT)
        END,
        CASE
          WHEN "t9"."_l0_1"
          THEN 'active months ' || COALESCE(
            CASE
              WHEN (
                "t9"."active_months" < 0
              )
              AND (
                CAST(ROUND(ABS(CAST("t9"."active_months" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."active_months" AS DOUBLE)) * 1, 0) AS BIGINT)),
            'n/a'
          ) || ' ≥ ' || '6'
          ELSE CAST(NULL AS TEXT)
        END
      )
      WHEN "t9"."_c1"
      THEN 'silver: ' || CONCAT_WS(
        '; ',
        CASE
          WHEN "t9"."_l1_0"
          THEN 'revenue ' || COALESCE(
            CASE
              WHEN (
                "t9"."revenue" < 0
              )
              AND (
                CAST(ROUND(ABS(CAST("t9"."revenue" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || '¥' || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."revenue" AS DOUBLE)) * 1, 0) AS BIGINT)),
            'n/a'
          ) || ' ≥ ' || 'p75 ¥25,290'
          ELSE CAST(NULL AS TEXT)
        END,
        CASE
          WHEN "t9"."_l1_1"
          THEN 'active months ' || COALESCE(
            CASE
              WHEN (
                "t9"."active_months" < 0
              )
              AND (
                CAST(ROUND(ABS(CAST("t9"."active_months" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."active_months" AS DOUBLE)) * 1, 0) AS BIGINT)),
            'n/a'
          ) || ' ≥ ' || '6'
          ELSE CAST(NULL AS TEXT)
        END
      )
      WHEN "t9"."_c2"
      THEN 'member: ' || COALESCE(
        CASE
          WHEN "t9"."_l2_0"
          THEN 'active months ' || COALESCE(
            CASE
              WHEN (
                "t9"."active_months" < 0
              )
              AND (
                CAST(ROUND(ABS(CAST("t9"."active_months" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."active_months" AS DOUBLE)) * 1, 0) AS BIGINT)),
            'n/a'
          ) || ' ≥ ' || '6'
          ELSE CAST(NULL AS TEXT)
        END,
        ''
      )
      ELSE 'ordinary: no rule matched (' || CONCAT_WS(
        ', ',
        'revenue ' || COALESCE(
          CASE
            WHEN (
              "t9"."revenue" < 0
            )
            AND (
              CAST(ROUND(ABS(CAST("t9"."revenue" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
            )
            THEN '-'
            ELSE ''
          END || '¥' || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."revenue" AS DOUBLE)) * 1, 0) AS BIGINT)),
          'n/a'
        ),
        'active months ' || COALESCE(
          CASE
            WHEN (
              "t9"."active_months" < 0
            )
            AND (
              CAST(ROUND(ABS(CAST("t9"."active_months" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
            )
            THEN '-'
            ELSE ''
          END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."active_months" AS DOUBLE)) * 1, 0) AS BIGINT)),
          'n/a'
        )
      ) || ')'
    END AS "reason_en",
    CASE
      WHEN "t9"."_c0"
      THEN 'gold 金卡客户：' || CONCAT_WS(
        '；',
        CASE
          WHEN "t9"."_l0_0"
          THEN '销售额 ' || COALESCE(
            CASE
              WHEN (
                "t9"."revenue" < 0
              )
              AND (
                CAST(ROUND(ABS(CAST("t9"."revenue" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || '¥' || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."revenue" AS DOUBLE)) * 1, 0) AS BIGINT)),
            '无'
          ) || ' ≥ ' || 'p95 ¥129,303'
          ELSE CAST(NULL AS TEXT)
        END,
        CASE
          WHEN "t9"."_l0_1"
          THEN '活跃月数 ' || COALESCE(
            CASE
              WHEN (
                "t9"."active_months" < 0
              )
              AND (
                CAST(ROUND(ABS(CAST("t9"."active_months" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."active_months" AS DOUBLE)) * 1, 0) AS BIGINT)),
            '无'
          ) || ' ≥ ' || '6'
          ELSE CAST(NULL AS TEXT)
        END
      )
      WHEN "t9"."_c1"
      THEN '银卡客户：' || CONCAT_WS(
        '；',
        CASE
          WHEN "t9"."_l1_0"
          THEN '销售额 ' || COALESCE(
            CASE
              WHEN (
                "t9"."revenue" < 0
              )
              AND (
                CAST(ROUND(ABS(CAST("t9"."revenue" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || '¥' || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."revenue" AS DOUBLE)) * 1, 0) AS BIGINT)),
            '无'
          ) || ' ≥ ' || 'p75 ¥25,290'
          ELSE CAST(NULL AS TEXT)
        END,
        CASE
          WHEN "t9"."_l1_1"
          THEN '活跃月数 ' || COALESCE(
            CASE
              WHEN (
                "t9"."active_months" < 0
              )
              AND (
                CAST(ROUND(ABS(CAST("t9"."active_months" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."active_months" AS DOUBLE)) * 1, 0) AS BIGINT)),
            '无'
          ) || ' ≥ ' || '6'
          ELSE CAST(NULL AS TEXT)
        END
      )
      WHEN "t9"."_c2"
      THEN '会员客户：' || COALESCE(
        CASE
          WHEN "t9"."_l2_0"
          THEN '活跃月数 ' || COALESCE(
            CASE
              WHEN (
                "t9"."active_months" < 0
              )
              AND (
                CAST(ROUND(ABS(CAST("t9"."active_months" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."active_months" AS DOUBLE)) * 1, 0) AS BIGINT)),
            '无'
          ) || ' ≥ ' || '6'
          ELSE CAST(NULL AS TEXT)
        END,
        ''
      )
      ELSE '普通客户：未满足其他规则（' || CONCAT_WS(
        '，',
        '销售额 ' || COALESCE(
          CASE
            WHEN (
              "t9"."revenue" < 0
            )
            AND (
              CAST(ROUND(ABS(CAST("t9"."revenue" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
            )
            THEN '-'
            ELSE ''
          END || '¥' || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."revenue" AS DOUBLE)) * 1, 0) AS BIGINT)),
          '无'
        ),
        '活跃月数 ' || COALESCE(
          CASE
            WHEN (
              "t9"."active_months" < 0
            )
            AND (
              CAST(ROUND(ABS(CAST("t9"."active_months" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
            )
            THEN '-'
            ELSE ''
          END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."active_months" AS DOUBLE)) * 1, 0) AS BIGINT)),
          '无'
        )
      ) || '）'
    END AS "reason_zh"
  FROM (
    SELECT
      "t8"."customer_id",
      "t8"."status",
      "t8"."revenue",
      "t8"."active_months",
      "t8"."_c0",
      "t8"."_l0_0",
      "t8"."_l0_1",
      "t8"."_c1",
      "t8"."_l1_0",
      "t8"."_l1_1",
      "t8"."_c2",
      "t8"."_l2_0",
      RANDOM() AS "_barrier",
      "t8"."_class"
    FROM (
      SELECT
        "t7"."customer_id",
        "t7"."status",
        "t7"."revenue",
        "t7"."active_months",
        "t7"."_c0",
        "t7"."_l0_0",
        "t7"."_l0_1",
        "t7"."_c1",
        "t7"."_l1_0",
        "t7"."_l1_1",
        "t7"."_c2",
        "t7"."_l2_0",
        "t7"."_barrier",
        CASE
          WHEN "t7"."_c0"
          THEN 'gold'
          WHEN "t7"."_c1"
          THEN 'silver'
          WHEN "t7"."_c2"
          THEN 'member'
          ELSE 'ordinary'
        END AS "_class"
      FROM (
        SELECT
          "t6"."customer_id",
          "t6"."status",
          "t6"."revenue",
          "t6"."active_months",
          "t6"."_c0",
          "t6"."_l0_0",
          "t6"."_l0_1",
          "t6"."_c1",
          "t6"."_l1_0",
          "t6"."_l1_1",
          "t6"."_c2",
          "t6"."_l2_0",
          RANDOM() AS "_barrier"
        FROM (
          SELECT
            "t5"."customer_id",
            "t5"."status",
            "t5"."revenue",
            "t5"."active_months",
            COALESCE(
              (
                "t5"."revenue" >= 129303.44599999991
              ) AND (
                "t5"."active_months" >= 6
              ),
              FALSE
            ) AS "_c0",
            COALESCE("t5"."revenue" >= 129303.44599999991, FALSE) AS "_l0_0",
            COALESCE("t5"."active_months" >= 6, FALSE) AS "_l0_1",
            COALESCE((
              "t5"."revenue" >= 25289.715
            ) AND (
              "t5"."active_months" >= 6
            ), FALSE) AS "_c1",
            COALESCE("t5"."revenue" >= 25289.715, FALSE) AS "_l1_0",
            COALESCE("t5"."active_months" >= 6, FALSE) AS "_l1_1",
            COALESCE("t5"."active_months" >= 6, FALSE) AS "_c2",
            COALESCE("t5"."active_months" >= 6, FALSE) AS "_l2_0"
          FROM (
            SELECT
              "t2"."customer_id",
              "t2"."status",
              "t2"."revenue",
              "t2"."active_months"
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
