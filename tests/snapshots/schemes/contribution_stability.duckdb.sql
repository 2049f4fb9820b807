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
    "t9"."stability",
    "t9"."_x0",
    "t9"."_h0",
    "t9"."_x1",
    "t9"."_h1",
    "t9"."_barrier",
    "t9"."_class",
    "t9"."_class" AS "class",
    CAST(NULL AS DOUBLE) AS "score",
    CASE
      WHEN "t9"."_class" = 'EI'
      THEN 'EI loyal high contributor'
      WHEN "t9"."_class" = 'EII'
      THEN 'EII floating high contributor'
      WHEN "t9"."_class" = 'EIII'
      THEN 'EIII steady small customer'
      WHEN "t9"."_class" = 'EIV'
      THEN 'EIV unsteady small customer'
      ELSE "t9"."_class"
    END || ': ' || CASE
      WHEN "t9"."_x0" IS NULL
      THEN 'contribution (revenue) n/a → low'
      WHEN "t9"."_h0"
      THEN 'contribution (revenue) ' || COALESCE(
        CASE
          WHEN (
            "t9"."_x0" < 0
          ) AND (
            CAST(ROUND(ABS("t9"."_x0") * 1, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || '¥' || FORMAT('{:,}', CAST(ROUND(ABS("t9"."_x0") * 1, 0) AS BIGINT)),
        'n/a'
      ) || ' ≥ median ¥8,253'
      ELSE 'contribution (revenue) ' || COALESCE(
        CASE
          WHEN (
            "t9"."_x0" < 0
          ) AND (
            CAST(ROUND(ABS("t9"."_x0") * 1, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || '¥' || FORMAT('{:,}', CAST(ROUND(ABS("t9"."_x0") * 1, 0) AS BIGINT)),
        'n/a'
      ) || ' < median ¥8,253'
    END || '; ' || CASE
      WHEN "t9"."_x1" IS NULL
      THEN 'stability n/a → low'
      WHEN "t9"."_h1"
      THEN 'stability ' || COALESCE(
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
      ) || ' ≥ median 0.411'
      ELSE 'stability ' || COALESCE(
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
      ) || ' < median 0.411'
    END AS "reason_en",
    CASE
      WHEN "t9"."_class" = 'EI'
      THEN 'EI 忠诚客户（高贡献高稳定）'
      WHEN "t9"."_class" = 'EII'
      THEN 'EII 游离客户（高贡献低稳定）'
      WHEN "t9"."_class" = 'EIII'
      THEN 'EIII 稳定小客户（低贡献高稳定）'
      WHEN "t9"."_class" = 'EIV'
      THEN 'EIV 非忠诚客户（低贡献低稳定）'
      ELSE "t9"."_class"
    END || '：' || CASE
      WHEN "t9"."_x0" IS NULL
      THEN '贡献度（销售额） 无 → 低'
      WHEN "t9"."_h0"
      THEN '贡献度（销售额） ' || COALESCE(
        CASE
          WHEN (
            "t9"."_x0" < 0
          ) AND (
            CAST(ROUND(ABS("t9"."_x0") * 1, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || '¥' || FORMAT('{:,}', CAST(ROUND(ABS("t9"."_x0") * 1, 0) AS BIGINT)),
        '无'
      ) || ' ≥ 中位数 ¥8,253'
      ELSE '贡献度（销售额） ' || COALESCE(
        CASE
          WHEN (
            "t9"."_x0" < 0
          ) AND (
            CAST(ROUND(ABS("t9"."_x0") * 1, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || '¥' || FORMAT('{:,}', CAST(ROUND(ABS("t9"."_x0") * 1, 0) AS BIGINT)),
        '无'
      ) || ' < 中位数 ¥8,253'
    END || '；' || CASE
      WHEN "t9"."_x1" IS NULL
      THEN '稳定性 无 → 低'
      WHEN "t9"."_h1"
      THEN '稳定性 ' || COALESCE(
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
      ) || ' ≥ 中位数 0.411'
      ELSE '稳定性 ' || COALESCE(
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
      ) || ' < 中位数 0.411'
    END AS "reason_zh"
  FROM (
    SELECT
      "t8"."customer_id",
      "t8"."status",
      "t8"."revenue",
      "t8"."stability",
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
        "t7"."revenue",
        "t7"."stability",
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
          THEN 'EI'
          WHEN (
            "t7"."_h0" = TRUE
          ) AND (
            "t7"."_h1" = FALSE
          )
          THEN 'EII'
          WHEN (
            "t7"."_h0" = FALSE
          ) AND (
            "t7"."_h1" = TRUE
          )
          THEN 'EIII'
          WHEN (
            "t7"."_h0" = FALSE
          ) AND (
            "t7"."_h1" = FALSE
          )
          THEN 'EIV'
          ELSE NULL
        END AS "_class"
      FROM (
        SELECT
          "t6"."customer_id",
          "t6"."status",
          "t6"."revenue",
          "t6"."stability",
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
            "t5"."stability",
            CAST("t5"."revenue" AS DOUBLE) AS "_x0",
            COALESCE(CAST("t5"."revenue" AS DOUBLE) >= 8252.6, FALSE) AS "_h0",
            "t5"."stability" AS "_x1",
            COALESCE("t5"."stability" >= 0.410793097033519, FALSE) AS "_h1"
          FROM (
            SELECT
              "t2"."customer_id",
              "t2"."status",
              "t2"."revenue",
              "t2"."stability"
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
