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
    "t9"."outstanding",
    "t9"."overdue_amount",
    "t9"."max_days_overdue",
    "t9"."on_time_ratio",
    "t9"."credit_utilization",
    "t9"."credit_grade_finance",
    "t9"."_pts_credit_score_0",
    "t9"."_pts_credit_score_1",
    "t9"."_pts_credit_score_2",
    "t9"."_pts_credit_score_3",
    "t9"."credit_score",
    "t9"."_barrier",
    "t9"."_class",
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
    CASE
      WHEN CASE
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
      END = 'AAA'
      THEN 'AAA excellent'
      WHEN CASE
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
      END = 'AA'
      THEN 'AA good'
      WHEN CASE
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
      END = 'A'
      THEN 'A fair'
      WHEN CASE
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
      END = 'B'
      THEN 'B weak'
      WHEN CASE
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
      END = 'C'
      THEN 'C poor'
      ELSE CASE
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
      END
    END || ': ' || CASE
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
      THEN 'finance grade ' || "t9"."credit_grade_finance" || ' (credit_grade_finance) caps it at ' || CASE
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
      END || '; the score alone gives ' || "t9"."_class" || ': '
      ELSE ''
    END || 'score ' || COALESCE(
      CASE
        WHEN (
          "t9"."credit_score" < 0
        )
        AND (
          CAST(ROUND(ABS("t9"."credit_score") * 1000, 0) AS BIGINT) > 0
        )
        THEN '-'
        ELSE ''
      END || FORMAT(
        '{:,}',
        CAST(FLOOR((
          CAST(ROUND(ABS("t9"."credit_score") * 1000, 0) AS BIGINT)
        ) / (
          1000
        )) AS BIGINT)
      ) || CASE
        WHEN (
          CAST(ROUND(ABS("t9"."credit_score") * 1000, 0) AS BIGINT) % 1000
        ) = 0
        THEN ''
        ELSE '.' || REGEXP_REPLACE(
          CASE
            WHEN 3 <= LENGTH(CAST(CAST(ROUND(ABS("t9"."credit_score") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
            THEN CAST(CAST(ROUND(ABS("t9"."credit_score") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            ELSE REPEAT(
              '0',
              3 - LENGTH(CAST(CAST(ROUND(ABS("t9"."credit_score") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
            ) || CAST(CAST(ROUND(ABS("t9"."credit_score") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
          END,
          '0+$',
          '',
          'g'
        )
      END,
      'n/a'
    ) || CASE
      WHEN "t9"."_class" = 'AAA'
      THEN ' ≥ 90'
      WHEN "t9"."_class" = 'AA'
      THEN ' ≥ 75'
      WHEN "t9"."_class" = 'A'
      THEN ' ≥ 60'
      WHEN "t9"."_class" = 'B'
      THEN ' ≥ 40'
      ELSE ' < 40'
    END || ' (' || CONCAT_WS(
      '; ',
      'on-time ratio ' || COALESCE(
        CASE
          WHEN (
            "t9"."on_time_ratio" < 0
          )
          AND (
            CAST(ROUND(ABS("t9"."on_time_ratio") * 1000, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR((
            CAST(ROUND(ABS("t9"."on_time_ratio") * 1000, 0) AS BIGINT)
          ) / (
            1000
          )) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(ABS("t9"."on_time_ratio") * 1000, 0) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(CAST(CAST(ROUND(ABS("t9"."on_time_ratio") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
              THEN CAST(CAST(ROUND(ABS("t9"."on_time_ratio") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(CAST(CAST(ROUND(ABS("t9"."on_time_ratio") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
              ) || CAST(CAST(ROUND(ABS("t9"."on_time_ratio") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        'n/a'
      ) || ' → ' || COALESCE(
        CASE
          WHEN (
            "t9"."_pts_credit_score_0" < 0
          )
          AND (
            CAST(ROUND(ABS("t9"."_pts_credit_score_0") * 1000, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR(
            (
              CAST(ROUND(ABS("t9"."_pts_credit_score_0") * 1000, 0) AS BIGINT)
            ) / (
              1000
            )
          ) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(ABS("t9"."_pts_credit_score_0") * 1000, 0) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(
                CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_0") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              )
              THEN CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_0") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(
                  CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_0") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
                )
              ) || CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_0") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        'n/a'
      ) || '/40',
      'days overdue ' || COALESCE(
        CASE
          WHEN (
            "t9"."max_days_overdue" < 0
          )
          AND (
            CAST(ROUND(ABS(CAST("t9"."max_days_overdue" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."max_days_overdue" AS DOUBLE)) * 1, 0) AS BIGINT)) || CASE
          WHEN FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."max_days_overdue" AS DOUBLE)) * 1, 0) AS BIGINT)) = '1'
          THEN ' day'
          ELSE ' days'
        END,
        'n/a'
      ) || ' → ' || COALESCE(
        CASE
          WHEN (
            "t9"."_pts_credit_score_1" < 0
          )
          AND (
            CAST(ROUND(ABS("t9"."_pts_credit_score_1") * 1000, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR(
            (
              CAST(ROUND(ABS("t9"."_pts_credit_score_1") * 1000, 0) AS BIGINT)
            ) / (
              1000
            )
          ) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(ABS("t9"."_pts_credit_score_1") * 1000, 0) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(
                CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_1") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              )
              THEN CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_1") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(
                  CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_1") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
                )
              ) || CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_1") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        'n/a'
      ) || '/30',
      'credit used ' || COALESCE(
        CASE
          WHEN (
            "t9"."credit_utilization" < 0
          )
          AND (
            CAST(ROUND(ABS("t9"."credit_utilization") * 1000, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR(
            (
              CAST(ROUND(ABS("t9"."credit_utilization") * 1000, 0) AS BIGINT)
            ) / (
              1000
            )
          ) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(ABS("t9"."credit_utilization") * 1000, 0) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(
                CAST(CAST(ROUND(ABS("t9"."credit_utilization") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              )
              THEN CAST(CAST(ROUND(ABS("t9"."credit_utilization") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(
                  CAST(CAST(ROUND(ABS("t9"."credit_utilization") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
                )
              ) || CAST(CAST(ROUND(ABS("t9"."credit_utilization") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        'n/a'
      ) || ' → ' || COALESCE(
        CASE
          WHEN (
            "t9"."_pts_credit_score_2" < 0
          )
          AND (
            CAST(ROUND(ABS("t9"."_pts_credit_score_2") * 1000, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR(
            (
              CAST(ROUND(ABS("t9"."_pts_credit_score_2") * 1000, 0) AS BIGINT)
            ) / (
              1000
            )
          ) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(ABS("t9"."_pts_credit_score_2") * 1000, 0) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(
                CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_2") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              )
              THEN CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_2") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(
                  CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_2") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
                )
              ) || CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_2") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        'n/a'
      ) || '/15',
      'overdue_amount / outstanding ' || COALESCE(
        CASE
          WHEN (
            CASE
              WHEN "t9"."outstanding" = 0
              THEN CAST(NULL AS DOUBLE)
              ELSE CAST("t9"."overdue_amount" AS DOUBLE) / "t9"."outstanding"
            END < 0
          )
          AND (
            CAST(ROUND(
              ABS(
                CASE
                  WHEN "t9"."outstanding" = 0
                  THEN CAST(NULL AS DOUBLE)
                  ELSE CAST("t9"."overdue_amount" AS DOUBLE) / "t9"."outstanding"
                END
              ) * 1000,
              0
            ) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR(
            (
              CAST(ROUND(
                ABS(
                  CASE
                    WHEN "t9"."outstanding" = 0
                    THEN CAST(NULL AS DOUBLE)
                    ELSE CAST("t9"."overdue_amount" AS DOUBLE) / "t9"."outstanding"
                  END
                ) * 1000,
                0
              ) AS BIGINT)
            ) / (
              1000
            )
          ) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(
              ABS(
                CASE
                  WHEN "t9"."outstanding" = 0
                  THEN CAST(NULL AS DOUBLE)
                  ELSE CAST("t9"."overdue_amount" AS DOUBLE) / "t9"."outstanding"
                END
              ) * 1000,
              0
            ) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(
                CAST(CAST(ROUND(
                  ABS(
                    CASE
                      WHEN "t9"."outstanding" = 0
                      THEN CAST(NULL AS DOUBLE)
                      ELSE CAST("t9"."overdue_amount" AS DOUBLE) / "t9"."outstanding"
                    END
                  ) * 1000,
                  0
                ) AS BIGINT) % 1000 AS TEXT)
              )
              THEN CAST(CAST(ROUND(
                ABS(
                  CASE
                    WHEN "t9"."outstanding" = 0
                    THEN CAST(NULL AS DOUBLE)
                    ELSE CAST("t9"."overdue_amount" AS DOUBLE) / "t9"."outstanding"
                  END
                ) * 1000,
                0
              ) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(
                  CAST(CAST(ROUND(
                    ABS(
                      CASE
                        WHEN "t9"."outstanding" = 0
                        THEN CAST(NULL AS DOUBLE)
                        ELSE CAST("t9"."overdue_amount" AS DOUBLE) / "t9"."outstanding"
                      END
                    ) * 1000,
                    0
                  ) AS BIGINT) % 1000 AS TEXT)
                )
              ) || CAST(CAST(ROUND(
                ABS(
                  CASE
                    WHEN "t9"."outstanding" = 0
                    THEN CAST(NULL AS DOUBLE)
                    ELSE CAST("t9"."overdue_amount" AS DOUBLE) / "t9"."outstanding"
                  END
                ) * 1000,
                0
              ) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        'n/a'
      ) || ' → ' || COALESCE(
        CASE
          WHEN (
            "t9"."_pts_credit_score_3" < 0
          )
          AND (
            CAST(ROUND(ABS("t9"."_pts_credit_score_3") * 1000, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR(
            (
              CAST(ROUND(ABS("t9"."_pts_credit_score_3") * 1000, 0) AS BIGINT)
            ) / (
              1000
            )
          ) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(ABS("t9"."_pts_credit_score_3") * 1000, 0) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(
                CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_3") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              )
              THEN CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_3") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(
                  CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_3") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
                )
              ) || CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_3") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        'n/a'
      ) || '/15'
    ) || ')' AS "reason_en",
    CASE
      WHEN CASE
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
      END = 'AAA'
      THEN 'AAA 信用优秀'
      WHEN CASE
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
      END = 'AA'
      THEN 'AA 信用良好'
      WHEN CASE
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
      END = 'A'
      THEN 'A 信用一般'
      WHEN CASE
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
      END = 'B'
      THEN 'B 信用较差'
      WHEN CASE
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
      END = 'C'
      THEN 'C 信用差'
      ELSE CASE
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
      END
    END || '：' || CASE
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
      THEN '财务评级 ' || "t9"."credit_grade_finance" || '（credit_grade_finance）限为 ' || CASE
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
      END || '，按得分为 ' || "t9"."_class" || '：'
      ELSE ''
    END || '得分 ' || COALESCE(
      CASE
        WHEN (
          "t9"."credit_score" < 0
        )
        AND (
          CAST(ROUND(ABS("t9"."credit_score") * 1000, 0) AS BIGINT) > 0
        )
        THEN '-'
        ELSE ''
      END || FORMAT(
        '{:,}',
        CAST(FLOOR((
          CAST(ROUND(ABS("t9"."credit_score") * 1000, 0) AS BIGINT)
        ) / (
          1000
        )) AS BIGINT)
      ) || CASE
        WHEN (
          CAST(ROUND(ABS("t9"."credit_score") * 1000, 0) AS BIGINT) % 1000
        ) = 0
        THEN ''
        ELSE '.' || REGEXP_REPLACE(
          CASE
            WHEN 3 <= LENGTH(CAST(CAST(ROUND(ABS("t9"."credit_score") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
            THEN CAST(CAST(ROUND(ABS("t9"."credit_score") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            ELSE REPEAT(
              '0',
              3 - LENGTH(CAST(CAST(ROUND(ABS("t9"."credit_score") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
            ) || CAST(CAST(ROUND(ABS("t9"."credit_score") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
          END,
          '0+$',
          '',
          'g'
        )
      END,
      '无'
    ) || CASE
      WHEN "t9"."_class" = 'AAA'
      THEN ' ≥ 90'
      WHEN "t9"."_class" = 'AA'
      THEN ' ≥ 75'
      WHEN "t9"."_class" = 'A'
      THEN ' ≥ 60'
      WHEN "t9"."_class" = 'B'
      THEN ' ≥ 40'
      ELSE ' < 40'
    END || '（' || CONCAT_WS(
      '；',
      '按期回款率 ' || COALESCE(
        CASE
          WHEN (
            "t9"."on_time_ratio" < 0
          )
          AND (
            CAST(ROUND(ABS("t9"."on_time_ratio") * 1000, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR((
            CAST(ROUND(ABS("t9"."on_time_ratio") * 1000, 0) AS BIGINT)
          ) / (
            1000
          )) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(ABS("t9"."on_time_ratio") * 1000, 0) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(CAST(CAST(ROUND(ABS("t9"."on_time_ratio") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
              THEN CAST(CAST(ROUND(ABS("t9"."on_time_ratio") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(CAST(CAST(ROUND(ABS("t9"."on_time_ratio") * 1000, 0) AS BIGINT) % 1000 AS TEXT))
              ) || CAST(CAST(ROUND(ABS("t9"."on_time_ratio") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        '无'
      ) || ' → ' || COALESCE(
        CASE
          WHEN (
            "t9"."_pts_credit_score_0" < 0
          )
          AND (
            CAST(ROUND(ABS("t9"."_pts_credit_score_0") * 1000, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR(
            (
              CAST(ROUND(ABS("t9"."_pts_credit_score_0") * 1000, 0) AS BIGINT)
            ) / (
              1000
            )
          ) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(ABS("t9"."_pts_credit_score_0") * 1000, 0) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(
                CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_0") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              )
              THEN CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_0") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(
                  CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_0") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
                )
              ) || CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_0") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        '无'
      ) || '/40',
      '最长逾期天数 ' || COALESCE(
        CASE
          WHEN (
            "t9"."max_days_overdue" < 0
          )
          AND (
            CAST(ROUND(ABS(CAST("t9"."max_days_overdue" AS DOUBLE)) * 1, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT('{:,}', CAST(ROUND(ABS(CAST("t9"."max_days_overdue" AS DOUBLE)) * 1, 0) AS BIGINT)) || '天',
        '无'
      ) || ' → ' || COALESCE(
        CASE
          WHEN (
            "t9"."_pts_credit_score_1" < 0
          )
          AND (
            CAST(ROUND(ABS("t9"."_pts_credit_score_1") * 1000, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR(
            (
              CAST(ROUND(ABS("t9"."_pts_credit_score_1") * 1000, 0) AS BIGINT)
            ) / (
              1000
            )
          ) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(ABS("t9"."_pts_credit_score_1") * 1000, 0) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(
                CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_1") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              )
              THEN CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_1") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(
                  CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_1") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
                )
              ) || CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_1") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        '无'
      ) || '/30',
      '额度使用率 ' || COALESCE(
        CASE
          WHEN (
            "t9"."credit_utilization" < 0
          )
          AND (
            CAST(ROUND(ABS("t9"."credit_utilization") * 1000, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR(
            (
              CAST(ROUND(ABS("t9"."credit_utilization") * 1000, 0) AS BIGINT)
            ) / (
              1000
            )
          ) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(ABS("t9"."credit_utilization") * 1000, 0) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(
                CAST(CAST(ROUND(ABS("t9"."credit_utilization") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              )
              THEN CAST(CAST(ROUND(ABS("t9"."credit_utilization") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(
                  CAST(CAST(ROUND(ABS("t9"."credit_utilization") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
                )
              ) || CAST(CAST(ROUND(ABS("t9"."credit_utilization") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        '无'
      ) || ' → ' || COALESCE(
        CASE
          WHEN (
            "t9"."_pts_credit_score_2" < 0
          )
          AND (
            CAST(ROUND(ABS("t9"."_pts_credit_score_2") * 1000, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR(
            (
              CAST(ROUND(ABS("t9"."_pts_credit_score_2") * 1000, 0) AS BIGINT)
            ) / (
              1000
            )
          ) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(ABS("t9"."_pts_credit_score_2") * 1000, 0) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(
                CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_2") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              )
              THEN CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_2") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(
                  CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_2") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
                )
              ) || CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_2") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        '无'
      ) || '/15',
      'overdue_amount / outstanding ' || COALESCE(
        CASE
          WHEN (
            CASE
              WHEN "t9"."outstanding" = 0
              THEN CAST(NULL AS DOUBLE)
              ELSE CAST("t9"."overdue_amount" AS DOUBLE) / "t9"."outstanding"
            END < 0
          )
          AND (
            CAST(ROUND(
              ABS(
                CASE
                  WHEN "t9"."outstanding" = 0
                  THEN CAST(NULL AS DOUBLE)
                  ELSE CAST("t9"."overdue_amount" AS DOUBLE) / "t9"."outstanding"
                END
              ) * 1000,
              0
            ) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR(
            (
              CAST(ROUND(
                ABS(
                  CASE
                    WHEN "t9"."outstanding" = 0
                    THEN CAST(NULL AS DOUBLE)
                    ELSE CAST("t9"."overdue_amount" AS DOUBLE) / "t9"."outstanding"
                  END
                ) * 1000,
                0
              ) AS BIGINT)
            ) / (
              1000
            )
          ) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(
              ABS(
                CASE
                  WHEN "t9"."outstanding" = 0
                  THEN CAST(NULL AS DOUBLE)
                  ELSE CAST("t9"."overdue_amount" AS DOUBLE) / "t9"."outstanding"
                END
              ) * 1000,
              0
            ) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(
                CAST(CAST(ROUND(
                  ABS(
                    CASE
                      WHEN "t9"."outstanding" = 0
                      THEN CAST(NULL AS DOUBLE)
                      ELSE CAST("t9"."overdue_amount" AS DOUBLE) / "t9"."outstanding"
                    END
                  ) * 1000,
                  0
                ) AS BIGINT) % 1000 AS TEXT)
              )
              THEN CAST(CAST(ROUND(
                ABS(
                  CASE
                    WHEN "t9"."outstanding" = 0
                    THEN CAST(NULL AS DOUBLE)
                    ELSE CAST("t9"."overdue_amount" AS DOUBLE) / "t9"."outstanding"
                  END
                ) * 1000,
                0
              ) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(
                  CAST(CAST(ROUND(
                    ABS(
                      CASE
                        WHEN "t9"."outstanding" = 0
                        THEN CAST(NULL AS DOUBLE)
                        ELSE CAST("t9"."overdue_amount" AS DOUBLE) / "t9"."outstanding"
                      END
                    ) * 1000,
                    0
                  ) AS BIGINT) % 1000 AS TEXT)
                )
              ) || CAST(CAST(ROUND(
                ABS(
                  CASE
                    WHEN "t9"."outstanding" = 0
                    THEN CAST(NULL AS DOUBLE)
                    ELSE CAST("t9"."overdue_amount" AS DOUBLE) / "t9"."outstanding"
                  END
                ) * 1000,
                0
              ) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        '无'
      ) || ' → ' || COALESCE(
        CASE
          WHEN (
            "t9"."_pts_credit_score_3" < 0
          )
          AND (
            CAST(ROUND(ABS("t9"."_pts_credit_score_3") * 1000, 0) AS BIGINT) > 0
          )
          THEN '-'
          ELSE ''
        END || FORMAT(
          '{:,}',
          CAST(FLOOR(
            (
              CAST(ROUND(ABS("t9"."_pts_credit_score_3") * 1000, 0) AS BIGINT)
            ) / (
              1000
            )
          ) AS BIGINT)
        ) || CASE
          WHEN (
            CAST(ROUND(ABS("t9"."_pts_credit_score_3") * 1000, 0) AS BIGINT) % 1000
          ) = 0
          THEN ''
          ELSE '.' || REGEXP_REPLACE(
            CASE
              WHEN 3 <= LENGTH(
                CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_3") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              )
              THEN CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_3") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
              ELSE REPEAT(
                '0',
                3 - LENGTH(
                  CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_3") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
                )
              ) || CAST(CAST(ROUND(ABS("t9"."_pts_credit_score_3") * 1000, 0) AS BIGINT) % 1000 AS TEXT)
            END,
            '0+$',
            '',
            'g'
          )
        END,
        '无'
      ) || '/15'
    ) || '）' AS "reason_zh"
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
) AS "t10"
