SELECT
  "t9"."customer_id",
  "t9"."_class" AS "class",
  CAST(NULL AS DOUBLE) AS "score",
  CAST([
    CAST(0 + CASE WHEN "t9"."_l0_0" THEN 1 ELSE 0 END + CASE WHEN "t9"."personality" = '恩客' THEN 2 ELSE 0 END + CASE WHEN "t9"."_c0" THEN 4 ELSE 0 END + CASE WHEN "t9"."_l1_0" THEN 8 ELSE 0 END + CASE WHEN "t9"."_c1" THEN 16 ELSE 0 END + CASE WHEN "t9"."_l2_0" THEN 32 ELSE 0 END + CASE WHEN "t9"."personality" = '牛客' THEN 64 ELSE 0 END + CASE WHEN "t9"."_c2" THEN 128 ELSE 0 END + CASE WHEN "t9"."_l3_0" THEN 256 ELSE 0 END + CASE WHEN "t9"."personality" = '磨客' THEN 512 ELSE 0 END + CASE WHEN "t9"."_c3" THEN 1024 ELSE 0 END + CASE WHEN "t9"."_l4_0" THEN 2048 ELSE 0 END + CASE WHEN "t9"."personality" = '怪客' THEN 4096 ELSE 0 END + CASE WHEN "t9"."_c4" THEN 8192 ELSE 0 END + CASE WHEN "t9"."_l5_0" THEN 16384 ELSE 0 END + CASE WHEN "t9"."personality" = '沉默寡言型' THEN 32768 ELSE 0 END + CASE WHEN "t9"."personality" = '沉默型' THEN 65536 ELSE 0 END + CASE WHEN "t9"."_c5" THEN 131072 ELSE 0 END + CASE WHEN "t9"."_l6_0" THEN 262144 ELSE 0 END + CASE WHEN "t9"."personality" = '口若悬河型' THEN 524288 ELSE 0 END + CASE WHEN "t9"."personality" = '健谈型' THEN 1048576 ELSE 0 END + CASE WHEN "t9"."_c6" THEN 2097152 ELSE 0 END + CASE WHEN "t9"."_l7_0" THEN 4194304 ELSE 0 END + CASE WHEN "t9"."personality" = '讲价型' THEN 8388608 ELSE 0 END + CASE WHEN "t9"."_c7" THEN 16777216 ELSE 0 END + CASE WHEN "t9"."_l8_0" THEN 33554432 ELSE 0 END + CASE WHEN "t9"."personality" = '忠诚型' THEN 67108864 ELSE 0 END + CASE WHEN "t9"."_c8" THEN 134217728 ELSE 0 END + CASE WHEN "t9"."_l9_0" THEN 268435456 ELSE 0 END + CASE WHEN "t9"."personality" = '挑剔型' THEN 536870912 ELSE 0 END + CASE WHEN "t9"."_c9" THEN 1073741824 ELSE 0 END + CASE WHEN "t9"."personality" = 'gracious' THEN 2147483648 ELSE 0 END + CASE WHEN "t9"."personality" = 'arrogant' THEN 4294967296 ELSE 0 END + CASE WHEN "t9"."personality" = 'reluctant' THEN 8589934592 ELSE 0 END + CASE WHEN "t9"."personality" = 'odd' THEN 17179869184 ELSE 0 END + CASE WHEN "t9"."personality" = 'silent' THEN 34359738368 ELSE 0 END + CASE WHEN "t9"."personality" = 'talkative' THEN 68719476736 ELSE 0 END + CASE WHEN "t9"."personality" = 'bargainer' THEN 137438953472 ELSE 0 END + CASE WHEN "t9"."personality" = 'loyal' THEN 274877906944 ELSE 0 END + CASE WHEN "t9"."personality" = 'picky' THEN 549755813888 ELSE 0 END AS DOUBLE)
  ] AS DOUBLE[]) AS "why",
  CAST(["t9"."personality"] AS TEXT[]) AS "why_text"
FROM (
  SELECT
    "t8"."customer_id",
    "t8"."status",
    "t8"."personality",
    "t8"."_c0",
    "t8"."_l0_0",
    "t8"."_c1",
    "t8"."_l1_0",
    "t8"."_c2",
    "t8"."_l2_0",
    "t8"."_c3",
    "t8"."_l3_0",
    "t8"."_c4",
    "t8"."_l4_0",
    "t8"."_c5",
    "t8"."_l5_0",
    "t8"."_c6",
    "t8"."_l6_0",
    "t8"."_c7",
    "t8"."_l7_0",
    "t8"."_c8",
    "t8"."_l8_0",
    "t8"."_c9",
    "t8"."_l9_0",
    RANDOM() AS "_barrier",
    "t8"."_class"
  FROM (
    SELECT
      "t7"."customer_id",
      "t7"."status",
      "t7"."personality",
      "t7"."_c0",
      "t7"."_l0_0",
      "t7"."_c1",
      "t7"."_l1_0",
      "t7"."_c2",
      "t7"."_l2_0",
      "t7"."_c3",
      "t7"."_l3_0",
      "t7"."_c4",
      "t7"."_l4_0",
      "t7"."_c5",
      "t7"."_l5_0",
      "t7"."_c6",
      "t7"."_l6_0",
      "t7"."_c7",
      "t7"."_l7_0",
      "t7"."_c8",
      "t7"."_l8_0",
      "t7"."_c9",
      "t7"."_l9_0",
      "t7"."_barrier",
      CASE
        WHEN "t7"."_c0"
        THEN 'gracious'
        WHEN "t7"."_c1"
        THEN 'vip'
        WHEN "t7"."_c2"
        THEN 'arrogant'
        WHEN "t7"."_c3"
        THEN 'reluctant'
        WHEN "t7"."_c4"
        THEN 'odd'
        WHEN "t7"."_c5"
        THEN 'silent'
        WHEN "t7"."_c6"
        THEN 'talkative'
        WHEN "t7"."_c7"
        THEN 'bargainer'
        WHEN "t7"."_c8"
        THEN 'loyal'
        WHEN "t7"."_c9"
        THEN 'picky'
        ELSE 'untagged'
      END AS "_class"
    FROM (
      SELECT
        "t6"."customer_id",
        "t6"."status",
        "t6"."personality",
        "t6"."_c0",
        "t6"."_l0_0",
        "t6"."_c1",
        "t6"."_l1_0",
        "t6"."_c2",
        "t6"."_l2_0",
        "t6"."_c3",
        "t6"."_l3_0",
        "t6"."_c4",
        "t6"."_l4_0",
        "t6"."_c5",
        "t6"."_l5_0",
        "t6"."_c6",
        "t6"."_l6_0",
        "t6"."_c7",
        "t6"."_l7_0",
        "t6"."_c8",
        "t6"."_l8_0",
        "t6"."_c9",
        "t6"."_l9_0",
        RANDOM() AS "_barrier"
      FROM (
        SELECT
          "t5"."customer_id",
          "t5"."status",
          "t5"."personality",
          COALESCE("t5"."personality" IN ('恩客', 'gracious'), FALSE) AS "_c0",
          COALESCE("t5"."personality" IN ('恩客', 'gracious'), FALSE) AS "_l0_0",
          COALESCE("t5"."personality" IN ('VIP', 'vip'), FALSE) AS "_c1",
          COALESCE("t5"."personality" IN ('VIP', 'vip'), FALSE) AS "_l1_0",
          COALESCE("t5"."personality" IN ('牛客', 'arrogant'), FALSE) AS "_c2",
          COALESCE("t5"."personality" IN ('牛客', 'arrogant'), FALSE) AS "_l2_0",
          COALESCE("t5"."personality" IN ('磨客', 'reluctant'), FALSE) AS "_c3",
          COALESCE("t5"."personality" IN ('磨客', 'reluctant'), FALSE) AS "_l3_0",
          COALESCE("t5"."personality" IN ('怪客', 'odd'), FALSE) AS "_c4",
          COALESCE("t5"."personality" IN ('怪客', 'odd'), FALSE) AS "_l4_0",
          COALESCE("t5"."personality" IN ('silent', '沉默寡言型', '沉默型'), FALSE) AS "_c5",
          COALESCE("t5"."personality" IN ('silent', '沉默寡言型', '沉默型'), FALSE) AS "_l5_0",
          COALESCE("t5"."personality" IN ('talkative', '口若悬河型', '健谈型'), FALSE) AS "_c6",
          COALESCE("t5"."personality" IN ('talkative', '口若悬河型', '健谈型'), FALSE) AS "_l6_0",
          COALESCE("t5"."personality" IN ('bargainer', '讲价型'), FALSE) AS "_c7",
          COALESCE("t5"."personality" IN ('bargainer', '讲价型'), FALSE) AS "_l7_0",
          COALESCE("t5"."personality" IN ('loyal', '忠诚型'), FALSE) AS "_c8",
          COALESCE("t5"."personality" IN ('loyal', '忠诚型'), FALSE) AS "_l8_0",
          COALESCE("t5"."personality" IN ('picky', '挑剔型'), FALSE) AS "_c9",
          COALESCE("t5"."personality" IN ('picky', '挑剔型'), FALSE) AS "_l9_0"
        FROM (
          SELECT
            "t2"."customer_id",
            "t2"."status",
            "t4"."personality"
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
