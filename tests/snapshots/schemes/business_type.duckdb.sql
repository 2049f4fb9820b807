SELECT
  "t9"."customer_id",
  "t9"."_class" AS "class",
  CAST(NULL AS DOUBLE) AS "score",
  CAST([
    CAST(0 + CASE WHEN "t9"."_l0_0" THEN 1 ELSE 0 END + CASE WHEN "t9"."type" = '建筑工程公司' THEN 2 ELSE 0 END + CASE WHEN "t9"."type" = '建筑公司' THEN 4 ELSE 0 END + CASE WHEN "t9"."type" = '工程公司' THEN 8 ELSE 0 END + CASE WHEN "t9"."type" = '工程商' THEN 16 ELSE 0 END + CASE WHEN "t9"."type" = '装修公司' THEN 32 ELSE 0 END + CASE WHEN "t9"."type" = '装饰公司' THEN 64 ELSE 0 END + CASE WHEN "t9"."_c0" THEN 128 ELSE 0 END + CASE WHEN "t9"."_l1_0" THEN 256 ELSE 0 END + CASE WHEN "t9"."type" = '贸易公司' THEN 512 ELSE 0 END + CASE WHEN "t9"."type" = '贸易商' THEN 1024 ELSE 0 END + CASE WHEN "t9"."type" = '经销商' THEN 2048 ELSE 0 END + CASE WHEN "t9"."_c1" THEN 4096 ELSE 0 END + CASE WHEN "t9"."_l2_0" THEN 8192 ELSE 0 END + CASE WHEN "t9"."type" = '运营中心' THEN 16384 ELSE 0 END + CASE WHEN "t9"."_c2" THEN 32768 ELSE 0 END + CASE WHEN "t9"."_l3_0" THEN 65536 ELSE 0 END + CASE WHEN "t9"."type" = '工程方零售' THEN 131072 ELSE 0 END + CASE WHEN "t9"."type" = '建筑工程方零售' THEN 262144 ELSE 0 END + CASE WHEN "t9"."type" = '零售店' THEN 524288 ELSE 0 END + CASE WHEN "t9"."type" = '零售' THEN 1048576 ELSE 0 END + CASE WHEN "t9"."_c3" THEN 2097152 ELSE 0 END + CASE WHEN "t9"."type" = 'construction' THEN 4194304 ELSE 0 END + CASE WHEN "t9"."type" = 'Construction' THEN 8388608 ELSE 0 END + CASE WHEN "t9"."type" = 'contractor' THEN 16777216 ELSE 0 END + CASE WHEN "t9"."type" = 'Contractor' THEN 33554432 ELSE 0 END + CASE WHEN "t9"."type" = 'decoration' THEN 67108864 ELSE 0 END + CASE WHEN "t9"."type" = 'Decoration' THEN 134217728 ELSE 0 END + CASE WHEN "t9"."type" = 'trading' THEN 268435456 ELSE 0 END + CASE WHEN "t9"."type" = 'Trading' THEN 536870912 ELSE 0 END + CASE WHEN "t9"."type" = 'trader' THEN 1073741824 ELSE 0 END + CASE WHEN "t9"."type" = 'Trader' THEN 2147483648 ELSE 0 END + CASE WHEN "t9"."type" = 'distributor' THEN 4294967296 ELSE 0 END + CASE WHEN "t9"."type" = 'Distributor' THEN 8589934592 ELSE 0 END + CASE WHEN "t9"."type" = 'dealer' THEN 17179869184 ELSE 0 END + CASE WHEN "t9"."type" = 'Dealer' THEN 34359738368 ELSE 0 END + CASE WHEN "t9"."type" = 'operation centre' THEN 68719476736 ELSE 0 END + CASE WHEN "t9"."type" = 'Operation centre' THEN 137438953472 ELSE 0 END + CASE WHEN "t9"."type" = 'operation center' THEN 274877906944 ELSE 0 END + CASE WHEN "t9"."type" = 'Operation center' THEN 549755813888 ELSE 0 END + CASE WHEN "t9"."type" = 'project retail' THEN 1099511627776 ELSE 0 END + CASE WHEN "t9"."type" = 'Project retail' THEN 2199023255552 ELSE 0 END + CASE WHEN "t9"."type" = 'retail' THEN 4398046511104 ELSE 0 END + CASE WHEN "t9"."type" = 'Retail' THEN 8796093022208 ELSE 0 END AS DOUBLE)
  ] AS DOUBLE[]) AS "why",
  CAST(["t9"."type"] AS TEXT[]) AS "why_text"
FROM (
  SELECT
    "t8"."customer_id",
    "t8"."status",
    "t8"."type",
    "t8"."_c0",
    "t8"."_l0_0",
    "t8"."_c1",
    "t8"."_l1_0",
    "t8"."_c2",
    "t8"."_l2_0",
    "t8"."_c3",
    "t8"."_l3_0",
    RANDOM() AS "_barrier",
    "t8"."_class"
  FROM (
    SELECT
      "t7"."customer_id",
      "t7"."status",
      "t7"."type",
      "t7"."_c0",
      "t7"."_l0_0",
      "t7"."_c1",
      "t7"."_l1_0",
      "t7"."_c2",
      "t7"."_l2_0",
      "t7"."_c3",
      "t7"."_l3_0",
      "t7"."_barrier",
      CASE
        WHEN "t7"."_c0"
        THEN 'construction'
        WHEN "t7"."_c1"
        THEN 'trading'
        WHEN "t7"."_c2"
        THEN 'operation_centre'
        WHEN "t7"."_c3"
        THEN 'project_retail'
        ELSE 'other'
      END AS "_class"
    FROM (
      SELECT
        "t6"."customer_id",
        "t6"."status",
        "t6"."type",
        "t6"."_c0",
        "t6"."_l0_0",
        "t6"."_c1",
        "t6"."_l1_0",
        "t6"."_c2",
        "t6"."_l2_0",
        "t6"."_c3",
        "t6"."_l3_0",
        RANDOM() AS "_barrier"
      FROM (
        SELECT
          "t5"."customer_id",
          "t5"."status",
          "t5"."type",
          COALESCE(
            "t5"."type" IN (
              '建筑工程公司',
              '建筑公司',
              '工程公司',
              '工程商',
              '装修公司',
              '装饰公司',
              'construction',
              'Construction',
              'contractor',
              'Contractor',
              'decoration',
              'Decoration'
            ),
            FALSE
          ) AS "_c0",
          COALESCE(
            "t5"."type" IN (
              '建筑工程公司',
              '建筑公司',
              '工程公司',
              '工程商',
              '装修公司',
              '装饰公司',
              'construction',
              'Construction',
              'contractor',
              'Contractor',
              'decoration',
              'Decoration'
            ),
            FALSE
          ) AS "_l0_0",
          COALESCE(
            "t5"."type" IN (
              '贸易公司',
              '贸易商',
              '经销商',
              'trading',
              'Trading',
              'trader',
              'Trader',
              'distributor',
              'Distributor',
              'dealer',
              'Dealer'
            ),
            FALSE
          ) AS "_c1",
          COALESCE(
            "t5"."type" IN (
              '贸易公司',
              '贸易商',
              '经销商',
              'trading',
              'Trading',
              'trader',
              'Trader',
              'distributor',
              'Distributor',
              'dealer',
              'Dealer'
            ),
            FALSE
          ) AS "_l1_0",
          COALESCE(
            "t5"."type" IN (
              '运营中心',
              'operation centre',
              'Operation centre',
              'operation center',
              'Operation center'
            ),
            FALSE
          ) AS "_c2",
          COALESCE(
            "t5"."type" IN (
              '运营中心',
              'operation centre',
              'Operation centre',
              'operation center',
              'Operation center'
            ),
            FALSE
          ) AS "_l2_0",
          COALESCE(
            "t5"."type" IN (
              '工程方零售',
              '建筑工程方零售',
              '零售店',
              '零售',
              'project retail',
              'Project retail',
              'retail',
              'Retail'
            ),
            FALSE
          ) AS "_c3",
          COALESCE(
            "t5"."type" IN (
              '工程方零售',
              '建筑工程方零售',
              '零售店',
              '零售',
              'project retail',
              'Project retail',
              'retail',
              'Retail'
            ),
            FALSE
          ) AS "_l3_0"
        FROM (
          SELECT
            "t2"."customer_id",
            "t2"."status",
            "t4"."type"
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
