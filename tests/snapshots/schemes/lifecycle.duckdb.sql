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
    "t9"."lifetime_orders",
    "t9"."first_order_date",
    "t9"."recency_days",
    "t9"."active_months",
    "t9"."repurchase_days",
    "t9"."p_alive",
    "t9"."_c0",
    "t9"."_l0_0",
    "t9"."_l0_1",
    "t9"."_l0_2",
    "t9"."_l0_3",
    "t9"."_c1",
    "t9"."_l1_0",
    "t9"."_l1_1",
    "t9"."_l1_2",
    "t9"."_l1_3",
    "t9"."_c2",
    "t9"."_l2_0",
    "t9"."_l2_1",
    "t9"."_c3",
    "t9"."_l3_0",
    "t9"."_c4",
    "t9"."_l4_0",
    "t9"."_l4_1",
    "t9"."_barrier",
    "t9"."_class",
    "t9"."_class" AS "class",
    CAST(NULL AS DOUBLE) AS "score",
    CASE
      WHEN "t9"."_c0"
      THEN 'permanently dormant: ' || CONCAT_WS(
        '; ',
        CASE
          WHEN "t9"."_l0_0"
          THEN 'probability active ' || COALESCE(
            CASE
              WHEN (
                "t9"."p_alive" < 0
              )
              AND (
                CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || FORMAT(
              '{:,}',
              CAST(FLOOR((
                CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT)
              ) / (
                1000
              )) AS BIGINT)
            ) || CASE
              WHEN (
                CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000
              ) = 0
              THEN ''
              ELSE '.' || REGEXP_REPLACE(
                CASE
                  WHEN 3 <= LENGTH(CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
                  THEN CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
                  ELSE REPEAT(
                    '0',
                    3 - LENGTH(CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
                  ) || CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
                END,
                '0+$',
                '',
                'g'
              )
            END,
            'n/a'
          ) || ' < ' || '0.1'
          ELSE CAST(NULL AS TEXT)
        END,
        CASE
          WHEN "t9"."_l0_1"
          THEN 'probability active is empty'
          ELSE CAST(NULL AS TEXT)
        END,
        CASE WHEN "t9"."_l0_2" THEN 'repurchase cycle is empty' ELSE CAST(NULL AS TEXT) END,
        CASE
          WHEN "t9"."_l0_3"
          THEN 'days since last order ' || COALESCE(
            CASE
              WHEN (
                "t9"."recency_days" < 0
              )
              AND (
                CAST(ROUND(ABS(CAST("t9"."recency_days" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."recency_days" AS DOUBLE)) * 1, 0) AS BIGINT)) || CASE
              WHEN FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."recency_days" AS DOUBLE)) * 1, 0) AS BIGINT)) = '1'
              THEN ' day'
              ELSE ' days'
            END,
            'n/a'
          ) || ' > ' || '730 days'
          ELSE CAST(NULL AS TEXT)
        END
      )
      WHEN "t9"."_c1"
      THEN 'temporarily dormant: ' || CONCAT_WS(
        '; ',
        CASE
          WHEN "t9"."_l1_0"
          THEN 'probability active ' || COALESCE(
            CASE
              WHEN (
                "t9"."p_alive" < 0
              )
              AND (
                CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || FORMAT(
              '{:,}',
              CAST(FLOOR((
                CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT)
              ) / (
                1000
              )) AS BIGINT)
            ) || CASE
              WHEN (
                CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000
              ) = 0
              THEN ''
              ELSE '.' || REGEXP_REPLACE(
                CASE
                  WHEN 3 <= LENGTH(CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
                  THEN CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
                  ELSE REPEAT(
                    '0',
                    3 - LENGTH(CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
                  ) || CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
                END,
                '0+$',
                '',
                'g'
              )
            END,
            'n/a'
          ) || ' < ' || '0.5'
          ELSE CAST(NULL AS TEXT)
        END,
        CASE
          WHEN "t9"."_l1_1"
          THEN 'probability active is empty'
          ELSE CAST(NULL AS TEXT)
        END,
        CASE WHEN "t9"."_l1_2" THEN 'repurchase cycle is empty' ELSE CAST(NULL AS TEXT) END,
        CASE
          WHEN "t9"."_l1_3"
          THEN 'days since last order ' || COALESCE(
            CASE
              WHEN (
                "t9"."recency_days" < 0
              )
              AND (
                CAST(ROUND(ABS(CAST("t9"."recency_days" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."recency_days" AS DOUBLE)) * 1, 0) AS BIGINT)) || CASE
              WHEN FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."recency_days" AS DOUBLE)) * 1, 0) AS BIGINT)) = '1'
              THEN ' day'
              ELSE ' days'
            END,
            'n/a'
          ) || ' > ' || '180 days'
          ELSE CAST(NULL AS TEXT)
        END
      )
      WHEN "t9"."_c2"
      THEN 'loyal: ' || CONCAT_WS(
        '; ',
        CASE
          WHEN "t9"."_l2_0"
          THEN 'lifetime orders ' || COALESCE(
            CASE
              WHEN (
                "t9"."lifetime_orders" < 0
              )
              AND (
                CAST(ROUND(ABS(CAST("t9"."lifetime_orders" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."lifetime_orders" AS DOUBLE)) * 1, 0) AS BIGINT)),
            'n/a'
          ) || ' ≥ ' || '10'
          ELSE CAST(NULL AS TEXT)
        END,
        CASE
          WHEN "t9"."_l2_1"
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
      WHEN "t9"."_c3"
      THEN 'returning: ' || COALESCE(
        CASE
          WHEN "t9"."_l3_0"
          THEN 'lifetime orders ' || COALESCE(
            CASE
              WHEN (
                "t9"."lifetime_orders" < 0
              )
              AND (
                CAST(ROUND(ABS(CAST("t9"."lifetime_orders" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."lifetime_orders" AS DOUBLE)) * 1, 0) AS BIGINT)),
            'n/a'
          ) || ' ≥ ' || '2'
          ELSE CAST(NULL AS TEXT)
        END,
        ''
      )
      WHEN "t9"."_c4"
      THEN 'new: ' || CONCAT_WS(
        '; ',
        CASE
          WHEN "t9"."_l4_0"
          THEN 'lifetime orders ' || COALESCE(
            CASE
              WHEN (
                "t9"."lifetime_orders" < 0
              )
              AND (
                CAST(ROUND(ABS(CAST("t9"."lifetime_orders" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."lifetime_orders" AS DOUBLE)) * 1, 0) AS BIGINT)),
            'n/a'
          ) || ' ≤ ' || '1'
          ELSE CAST(NULL AS TEXT)
        END,
        CASE WHEN "t9"."_l4_1" THEN 'first order is given' ELSE CAST(NULL AS TEXT) END
      )
      ELSE 'prospect: no rule matched (' || CONCAT_WS(
        ', ',
        'probability active ' || COALESCE(
          CASE
            WHEN (
              "t9"."p_alive" < 0
            )
            AND (
              CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) > 0
            )
            THEN '-'
            ELSE ''
          END || FORMAT(
            '{:,}',
            CAST(FLOOR((
              CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT)
            ) / (
              1000
            )) AS BIGINT)
          ) || CASE
            WHEN (
              CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000
            ) = 0
            THEN ''
            ELSE '.' || REGEXP_REPLACE(
              CASE
                WHEN 3 <= LENGTH(CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
                THEN CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
                ELSE REPEAT(
                  '0',
                  3 - LENGTH(CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
                ) || CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              END,
              '0+$',
              '',
              'g'
            )
          END,
          'n/a'
        ),
        'repurchase cycle ' || COALESCE(
          CASE
            WHEN (
              "t9"."repurchase_days" < 0
            )
            AND (
              CAST(ROUND(ABS("t9"."repurchase_days") * 1, 0) AS BIGINT) > 0
            )
            THEN '-'
            ELSE ''
          END || FORMAT('{:,}', CAST(ROUND(ABS("t9"."repurchase_days") * 1, 0) AS BIGINT)) || CASE
            WHEN FORMAT('{:,}', CAST(ROUND(ABS("t9"."repurchase_days") * 1, 0) AS BIGINT)) = '1'
            THEN ' day'
            ELSE ' days'
          END,
          'n/a'
        ),
        'days since last order ' || COALESCE(
          CASE
            WHEN (
              "t9"."recency_days" < 0
            )
            AND (
              CAST(ROUND(ABS(CAST("t9"."recency_days" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
            )
            THEN '-'
            ELSE ''
          END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."recency_days" AS DOUBLE)) * 1, 0) AS BIGINT)) || CASE
            WHEN FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."recency_days" AS DOUBLE)) * 1, 0) AS BIGINT)) = '1'
            THEN ' day'
            ELSE ' days'
          END,
          'n/a'
        ),
        'lifetime orders ' || COALESCE(
          CASE
            WHEN (
              "t9"."lifetime_orders" < 0
            )
            AND (
              CAST(ROUND(ABS(CAST("t9"."lifetime_orders" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
            )
            THEN '-'
            ELSE ''
          END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."lifetime_orders" AS DOUBLE)) * 1, 0) AS BIGINT)),
          'n/a'
        )
      ) || ')'
    END AS "reason_en",
    CASE
      WHEN "t9"."_c0"
      THEN '永久沉睡客户：' || CONCAT_WS(
        '；',
        CASE
          WHEN "t9"."_l0_0"
          THEN '活跃概率 ' || COALESCE(
            CASE
              WHEN (
                "t9"."p_alive" < 0
              )
              AND (
                CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || FORMAT(
              '{:,}',
              CAST(FLOOR((
                CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT)
              ) / (
                1000
              )) AS BIGINT)
            ) || CASE
              WHEN (
                CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000
              ) = 0
              THEN ''
              ELSE '.' || REGEXP_REPLACE(
                CASE
                  WHEN 3 <= LENGTH(CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
                  THEN CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
                  ELSE REPEAT(
                    '0',
                    3 - LENGTH(CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
                  ) || CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
                END,
                '0+$',
                '',
                'g'
              )
            END,
            '无'
          ) || ' < ' || '0.1'
          ELSE CAST(NULL AS TEXT)
        END,
        CASE WHEN "t9"."_l0_1" THEN '活跃概率 为空' ELSE CAST(NULL AS TEXT) END,
        CASE WHEN "t9"."_l0_2" THEN '复购周期 为空' ELSE CAST(NULL AS TEXT) END,
        CASE
          WHEN "t9"."_l0_3"
          THEN '距最近购买天数 ' || COALESCE(
            CASE
              WHEN (
                "t9"."recency_days" < 0
              )
              AND (
                CAST(ROUND(ABS(CAST("t9"."recency_days" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."recency_days" AS DOUBLE)) * 1, 0) AS BIGINT)) || '天',
            '无'
          ) || ' > ' || '730天'
          ELSE CAST(NULL AS TEXT)
        END
      )
      WHEN "t9"."_c1"
      THEN '临时沉睡客户：' || CONCAT_WS(
        '；',
        CASE
          WHEN "t9"."_l1_0"
          THEN '活跃概率 ' || COALESCE(
            CASE
              WHEN (
                "t9"."p_alive" < 0
              )
              AND (
                CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || FORMAT(
              '{:,}',
              CAST(FLOOR((
                CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT)
              ) / (
                1000
              )) AS BIGINT)
            ) || CASE
              WHEN (
                CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000
              ) = 0
              THEN ''
              ELSE '.' || REGEXP_REPLACE(
                CASE
                  WHEN 3 <= LENGTH(CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
                  THEN CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
                  ELSE REPEAT(
                    '0',
                    3 - LENGTH(CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
                  ) || CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
                END,
                '0+$',
                '',
                'g'
              )
            END,
            '无'
          ) || ' < ' || '0.5'
          ELSE CAST(NULL AS TEXT)
        END,
        CASE WHEN "t9"."_l1_1" THEN '活跃概率 为空' ELSE CAST(NULL AS TEXT) END,
        CASE WHEN "t9"."_l1_2" THEN '复购周期 为空' ELSE CAST(NULL AS TEXT) END,
        CASE
          WHEN "t9"."_l1_3"
          THEN '距最近购买天数 ' || COALESCE(
            CASE
              WHEN (
                "t9"."recency_days" < 0
              )
              AND (
                CAST(ROUND(ABS(CAST("t9"."recency_days" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."recency_days" AS DOUBLE)) * 1, 0) AS BIGINT)) || '天',
            '无'
          ) || ' > ' || '180天'
          ELSE CAST(NULL AS TEXT)
        END
      )
      WHEN "t9"."_c2"
      THEN '忠诚客户：' || CONCAT_WS(
        '；',
        CASE
          WHEN "t9"."_l2_0"
          THEN '累计订单数 ' || COALESCE(
            CASE
              WHEN (
                "t9"."lifetime_orders" < 0
              )
              AND (
                CAST(ROUND(ABS(CAST("t9"."lifetime_orders" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."lifetime_orders" AS DOUBLE)) * 1, 0) AS BIGINT)),
            '无'
          ) || ' ≥ ' || '10'
          ELSE CAST(NULL AS TEXT)
        END,
        CASE
          WHEN "t9"."_l2_1"
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
      WHEN "t9"."_c3"
      THEN '老客户：' || COALESCE(
        CASE
          WHEN "t9"."_l3_0"
          THEN '累计订单数 ' || COALESCE(
            CASE
              WHEN (
                "t9"."lifetime_orders" < 0
              )
              AND (
                CAST(ROUND(ABS(CAST("t9"."lifetime_orders" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."lifetime_orders" AS DOUBLE)) * 1, 0) AS BIGINT)),
            '无'
          ) || ' ≥ ' || '2'
          ELSE CAST(NULL AS TEXT)
        END,
        ''
      )
      WHEN "t9"."_c4"
      THEN 'new 新客户：' || CONCAT_WS(
        '；',
        CASE
          WHEN "t9"."_l4_0"
          THEN '累计订单数 ' || COALESCE(
            CASE
              WHEN (
                "t9"."lifetime_orders" < 0
              )
              AND (
                CAST(ROUND(ABS(CAST("t9"."lifetime_orders" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
              )
              THEN '-'
              ELSE ''
            END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."lifetime_orders" AS DOUBLE)) * 1, 0) AS BIGINT)),
            '无'
          ) || ' ≤ ' || '1'
          ELSE CAST(NULL AS TEXT)
        END,
        CASE WHEN "t9"."_l4_1" THEN '首次购买 已填写' ELSE CAST(NULL AS TEXT) END
      )
      ELSE '潜在客户：未满足其他规则（' || CONCAT_WS(
        '，',
        '活跃概率 ' || COALESCE(
          CASE
            WHEN (
              "t9"."p_alive" < 0
            )
            AND (
              CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) > 0
            )
            THEN '-'
            ELSE ''
          END || FORMAT(
            '{:,}',
            CAST(FLOOR((
              CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT)
            ) / (
              1000
            )) AS BIGINT)
          ) || CASE
            WHEN (
              CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000
            ) = 0
            THEN ''
            ELSE '.' || REGEXP_REPLACE(
              CASE
                WHEN 3 <= LENGTH(CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
                THEN CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
                ELSE REPEAT(
                  '0',
                  3 - LENGTH(CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
                ) || CAST(CAST(ROUND(ABS("t9"."p_alive") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              END,
              '0+$',
              '',
              'g'
            )
          END,
          '无'
        ),
        '复购周期 ' || COALESCE(
          CASE
            WHEN (
              "t9"."repurchase_days" < 0
            )
            AND (
              CAST(ROUND(ABS("t9"."repurchase_days") * 1, 0) AS BIGINT) > 0
            )
            THEN '-'
            ELSE ''
          END || FORMAT('{:,}', CAST(ROUND(ABS("t9"."repurchase_days") * 1, 0) AS BIGINT)) || '天',
          '无'
        ),
        '距最近购买天数 ' || COALESCE(
          CASE
            WHEN (
              "t9"."recency_days" < 0
            )
            AND (
              CAST(ROUND(ABS(CAST("t9"."recency_days" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
            )
            THEN '-'
            ELSE ''
          END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."recency_days" AS DOUBLE)) * 1, 0) AS BIGINT)) || '天',
          '无'
        ),
        '累计订单数 ' || COALESCE(
          CASE
            WHEN (
              "t9"."lifetime_orders" < 0
            )
            AND (
              CAST(ROUND(ABS(CAST("t9"."lifetime_orders" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
            )
            THEN '-'
            ELSE ''
          END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."lifetime_orders" AS DOUBLE)) * 1, 0) AS BIGINT)),
          '无'
        )
      ) || '）'
    END AS "reason_zh"
  FROM (
    SELECT
      "t8"."customer_id",
      "t8"."status",
      "t8"."lifetime_orders",
      "t8"."first_order_date",
      "t8"."recency_days",
      "t8"."active_months",
      "t8"."repurchase_days",
      "t8"."p_alive",
      "t8"."_c0",
      "t8"."_l0_0",
      "t8"."_l0_1",
      "t8"."_l0_2",
      "t8"."_l0_3",
      "t8"."_c1",
      "t8"."_l1_0",
      "t8"."_l1_1",
      "t8"."_l1_2",
      "t8"."_l1_3",
      "t8"."_c2",
      "t8"."_l2_0",
      "t8"."_l2_1",
      "t8"."_c3",
      "t8"."_l3_0",
      "t8"."_c4",
      "t8"."_l4_0",
      "t8"."_l4_1",
      RANDOM() AS "_barrier",
      "t8"."_class"
    FROM (
      SELECT
        "t7"."customer_id",
        "t7"."status",
        "t7"."lifetime_orders",
        "t7"."first_order_date",
        "t7"."recency_days",
        "t7"."active_months",
        "t7"."repurchase_days",
        "t7"."p_alive",
        "t7"."_c0",
        "t7"."_l0_0",
        "t7"."_l0_1",
        "t7"."_l0_2",
        "t7"."_l0_3",
        "t7"."_c1",
        "t7"."_l1_0",
        "t7"."_l1_1",
        "t7"."_l1_2",
        "t7"."_l1_3",
        "t7"."_c2",
        "t7"."_l2_0",
        "t7"."_l2_1",
        "t7"."_c3",
        "t7"."_l3_0",
        "t7"."_c4",
        "t7"."_l4_0",
        "t7"."_l4_1",
        "t7"."_barrier",
        CASE
          WHEN "t7"."_c0"
          THEN 'dormant_permanent'
          WHEN "t7"."_c1"
          THEN 'dormant_temporary'
          WHEN "t7"."_c2"
          THEN 'loyal'
          WHEN "t7"."_c3"
          THEN 'returning'
          WHEN "t7"."_c4"
          THEN 'new'
          ELSE 'prospect'
        END AS "_class"
      FROM (
        SELECT
          "t6"."customer_id",
          "t6"."status",
          "t6"."lifetime_orders",
          "t6"."first_order_date",
          "t6"."recency_days",
          "t6"."active_months",
          "t6"."repurchase_days",
          "t6"."p_alive",
          "t6"."_c0",
          "t6"."_l0_0",
          "t6"."_l0_1",
          "t6"."_l0_2",
          "t6"."_l0_3",
          "t6"."_c1",
          "t6"."_l1_0",
          "t6"."_l1_1",
          "t6"."_l1_2",
          "t6"."_l1_3",
          "t6"."_c2",
          "t6"."_l2_0",
          "t6"."_l2_1",
          "t6"."_c3",
          "t6"."_l3_0",
          "t6"."_c4",
          "t6"."_l4_0",
          "t6"."_l4_1",
          RANDOM() AS "_barrier"
        FROM (
          SELECT
            "t5"."customer_id",
            "t5"."status",
            "t5"."lifetime_orders",
            "t5"."first_order_date",
            "t5"."recency_days",
            "t5"."active_months",
            "t5"."repurchase_days",
            "t5"."p_alive",
            COALESCE(
              (
                "t5"."p_alive" < 0.1
              )
              OR (
                (
                  (
                    "t5"."p_alive" IS NULL
                  ) OR (
                    "t5"."repurchase_days" IS NULL
                  )
                )
                AND (
                  "t5"."recency_days" > 730
                )
              ),
              FALSE
            ) AS "_c0",
            COALESCE("t5"."p_alive" < 0.1, FALSE) AS "_l0_0",
            COALESCE("t5"."p_alive" IS NULL, FALSE) AS "_l0_1",
            COALESCE("t5"."repurchase_days" IS NULL, FALSE) AS "_l0_2",
            COALESCE("t5"."recency_days" > 730, FALSE) AS "_l0_3",
            COALESCE(
              (
                "t5"."p_alive" < 0.5
              )
              OR (
                (
                  (
                    "t5"."p_alive" IS NULL
                  ) OR (
                    "t5"."repurchase_days" IS NULL
                  )
                )
                AND (
                  "t5"."recency_days" > 180
                )
              ),
              FALSE
            ) AS "_c1",
            COALESCE("t5"."p_alive" < 0.5, FALSE) AS "_l1_0",
            COALESCE("t5"."p_alive" IS NULL, FALSE) AS "_l1_1",
            COALESCE("t5"."repurchase_days" IS NULL, FALSE) AS "_l1_2",
            COALESCE("t5"."recency_days" > 180, FALSE) AS "_l1_3",
            COALESCE((
              "t5"."lifetime_orders" >= 10
            ) AND (
              "t5"."active_months" >= 6
            ), FALSE) AS "_c2",
            COALESCE("t5"."lifetime_orders" >= 10, FALSE) AS "_l2_0",
            COALESCE("t5"."active_months" >= 6, FALSE) AS "_l2_1",
            COALESCE("t5"."lifetime_orders" >= 2, FALSE) AS "_c3",
            COALESCE("t5"."lifetime_orders" >= 2, FALSE) AS "_l3_0",
            COALESCE(
              (
                "t5"."lifetime_orders" <= 1
              ) AND (
                NOT "t5"."first_order_date" IS NULL
              ),
              FALSE
            ) AS "_c4",
            COALESCE("t5"."lifetime_orders" <= 1, FALSE) AS "_l4_0",
            COALESCE(NOT "t5"."first_order_date" IS NULL, FALSE) AS "_l4_1"
          FROM (
            SELECT
              "t2"."customer_id",
              "t2"."status",
              "t2"."lifetime_orders",
              "t2"."first_order_date",
              "t2"."recency_days",
              "t2"."active_months",
              "t2"."repurchase_days",
              "t2"."p_alive"
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
