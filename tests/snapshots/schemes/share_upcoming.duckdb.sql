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
    "t9"."share_of_wallet",
    "t9"."upcoming_purchases",
    "t9"."_x0",
    "t9"."_h0",
    "t9"."_x1",
    "t9"."_h1",
    "t9"."_barrier",
    "t9"."_class",
    "t9"."_class" AS "class",
    CAST(NULL AS DOUBLE) AS "score",
    CASE
      WHEN "t9"."_class" = 'keep_close'
      THEN 'keep close'
      WHEN "t9"."_class" = 'develop'
      THEN 'develop'
      WHEN "t9"."_class" = 'keep_or_acquire'
      THEN 'keep or acquire'
      WHEN "t9"."_class" = 'acquire_or_abandon'
      THEN 'acquire or abandon'
      ELSE "t9"."_class"
    END || ': ' || CASE
      WHEN "t9"."_x0" IS NULL
      THEN 'share of wallet n/a → low'
      WHEN "t9"."_h0"
      THEN 'share of wallet ' || COALESCE(
        CASE
          WHEN (
            "t9"."_x0" < 0
          )
          AND (
            CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR((
            CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT)
          ) / (
            1000
          )) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(CAST(CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
              THEN CAST(CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(CAST(CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
              ) || CAST(CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        'n/a'
      ) || ' ≥ 0.5'
      ELSE 'share of wallet ' || COALESCE(
        CASE
          WHEN (
            "t9"."_x0" < 0
          )
          AND (
            CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR((
            CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT)
          ) / (
            1000
          )) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(CAST(CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
              THEN CAST(CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(CAST(CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
              ) || CAST(CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        'n/a'
      ) || ' < 0.5'
    END || '; ' || CASE
      WHEN "t9"."_x1" IS NULL
      THEN 'upcoming purchases n/a → low'
      WHEN "t9"."_h1"
      THEN 'upcoming purchases ' || COALESCE(
        CASE
          WHEN (
            "t9"."_x1" < 0
          )
          AND (
            CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR((
            CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT)
          ) / (
            1000
          )) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(CAST(CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
              THEN CAST(CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(CAST(CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
              ) || CAST(CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        'n/a'
      ) || ' ≥ median 27,000'
      ELSE 'upcoming purchases ' || COALESCE(
        CASE
          WHEN (
            "t9"."_x1" < 0
          )
          AND (
            CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR((
            CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT)
          ) / (
            1000
          )) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(CAST(CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
              THEN CAST(CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(CAST(CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
              ) || CAST(CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        'n/a'
      ) || ' < median 27,000'
    END AS "reason_en",
    CASE
      WHEN "t9"."_class" = 'keep_close'
      THEN '重点保持'
      WHEN "t9"."_class" = 'develop'
      THEN '发展'
      WHEN "t9"."_class" = 'keep_or_acquire'
      THEN '保持或获取'
      WHEN "t9"."_class" = 'acquire_or_abandon'
      THEN '获取或放弃'
      ELSE "t9"."_class"
    END || '：' || CASE
      WHEN "t9"."_x0" IS NULL
      THEN '我方占有率 无 → 低'
      WHEN "t9"."_h0"
      THEN '我方占有率 ' || COALESCE(
        CASE
          WHEN (
            "t9"."_x0" < 0
          )
          AND (
            CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR((
            CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT)
          ) / (
            1000
          )) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(CAST(CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
              THEN CAST(CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(CAST(CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
              ) || CAST(CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        '无'
      ) || ' ≥ 0.5'
      ELSE '我方占有率 ' || COALESCE(
        CASE
          WHEN (
            "t9"."_x0" < 0
          )
          AND (
            CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR((
            CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT)
          ) / (
            1000
          )) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(CAST(CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
              THEN CAST(CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(CAST(CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
              ) || CAST(CAST(ROUND(ABS("t9"."_x0") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        '无'
      ) || ' < 0.5'
    END || '；' || CASE
      WHEN "t9"."_x1" IS NULL
      THEN '即将购买量 无 → 低'
      WHEN "t9"."_h1"
      THEN '即将购买量 ' || COALESCE(
        CASE
          WHEN (
            "t9"."_x1" < 0
          )
          AND (
            CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR((
            CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT)
          ) / (
            1000
          )) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(CAST(CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
              THEN CAST(CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(CAST(CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
              ) || CAST(CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        '无'
      ) || ' ≥ 中位数 27,000'
      ELSE '即将购买量 ' || COALESCE(
        CASE
          WHEN (
            "t9"."_x1" < 0
          )
          AND (
            CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR((
            CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT)
          ) / (
            1000
          )) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(CAST(CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
              THEN CAST(CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(CAST(CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
              ) || CAST(CAST(ROUND(ABS("t9"."_x1") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        '无'
      ) || ' < 中位数 27,000'
    END AS "reason_zh"
  FROM (
    SELECT
      "t8"."customer_id",
      "t8"."status",
      "t8"."share_of_wallet",
      "t8"."upcoming_purchases",
      "t8"."_x0",
      "t8"."_h0",
      "t8"."_x1",
      "t8"."_h1",
      RANDOM() AS "_barrier",
      "t8"."_class"
    FROM (
      SELECT
        "t7"."customer_id",
        "t7"."status",
        "t7"."share_of_wallet",
        "t7"."upcoming_purchases",
        "t7"."_x0",
        "t7"."_h0",
        "t7"."_x1",
        "t7"."_h1",
        "t7"."_barrier",
        CASE
          WHEN (
            "t7"."_h0" = TRUE
          ) AND (
            "t7"."_h1" = TRUE
          )
          THEN 'keep_close'
          WHEN (
            "t7"."_h0" = TRUE
          ) AND (
            "t7"."_h1" = FALSE
          )
          THEN 'keep_or_acquire'
          WHEN (
            "t7"."_h0" = FALSE
          ) AND (
            "t7"."_h1" = TRUE
          )
          THEN 'develop'
          WHEN (
            "t7"."_h0" = FALSE
          ) AND (
            "t7"."_h1" = FALSE
          )
          THEN 'acquire_or_abandon'
          ELSE NULL
        END AS "_class"
      FROM (
        SELECT
          "t6"."customer_id",
          "t6"."status",
          "t6"."share_of_wallet",
          "t6"."upcoming_purchases",
          "t6"."_x0",
          "t6"."_h0",
          "t6"."_x1",
          "t6"."_h1",
          RANDOM() AS "_barrier"
        FROM (
          SELECT
            "t5"."customer_id",
            "t5"."status",
            "t5"."share_of_wallet",
            "t5"."upcoming_purchases",
            "t5"."share_of_wallet" AS "_x0",
            COALESCE("t5"."share_of_wallet" >= 0.5, FALSE) AS "_h0",
            "t5"."upcoming_purchases" AS "_x1",
            COALESCE("t5"."upcoming_purchases" >= 27000.0, FALSE) AS "_h1"
          FROM (
            SELECT
              "t2"."customer_id",
              "t2"."status",
              "t4"."share_of_wallet",
              "t4"."upcoming_purchases"
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
        ) AS "t6"
      ) AS "t7"
    ) AS "t8"
  ) AS "t9"
) AS "t10"
