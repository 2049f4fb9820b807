SELECT
  "t4"."customer_id",
  CAST("t4"."n" - 1 AS DOUBLE) AS "frequency",
  CAST("t4"."last" - "t4"."first" AS DOUBLE) / 7.0 AS "recency",
  CAST(19813 - "t4"."first" AS DOUBLE) / 7.0 AS "T",
  CASE
    WHEN "t4"."n" > 1
    THEN (
      CAST("t4"."total" - "t4"."first_value" AS DOUBLE) / CAST("t4"."n" - 1 AS DOUBLE)
    ) / 100.0
    ELSE 0.0
  END AS "monetary_value"
FROM (
  SELECT
    "t3"."customer_id",
    COUNT(*) AS "n",
    MIN("t3"."dn") AS "first",
    MAX("t3"."dn") AS "last",
    SUM("t3"."value") AS "total",
    FIRST("t3"."value" ORDER BY "t3"."dn") AS "first_value"
  FROM (
    SELECT
      "t2"."customer_id",
      "t2"."day",
      "t2"."value",
      "t2"."top",
      DATE_DIFF('DAY', MAKE_DATE(1970, 1, 1), "t2"."day") AS "dn"
    FROM (
      SELECT
        "t1"."customer_id",
        "t1"."day",
        SUM("t1"."amount") AS "value",
        MAX("t1"."amount") AS "top"
      FROM (
        SELECT
          "t0"."customer_id",
          "t0"."order_id",
          CAST("t0"."amount" * 100 AS BIGINT) AS "amount",
          CAST("t0"."cost" * 100 AS BIGINT) AS "cost",
          CAST("t0"."order_date" AS DATE) AS "day",
          DATE_DIFF('DAY', MAKE_DATE(1970, 1, 1), "t0"."due_date") AS "due_dn",
          DATE_DIFF('DAY', MAKE_DATE(1970, 1, 1), CAST("t0"."order_date" AS DATE)) AS "dn"
        FROM "orders" AS "t0"
        WHERE
          CAST("t0"."order_date" AS DATE) <= MAKE_DATE(2024, 3, 31)
      ) AS "t1"
      GROUP BY
        1,
        2
    ) AS "t2"
    WHERE
      "t2"."value" > 0
  ) AS "t3"
  GROUP BY
    1
) AS "t4"
