SELECT
  `t9`.`customer_id`,
  `t9`.`_class` AS `class`,
  CAST(NULL AS DOUBLE) AS `score`,
  ARRAY(
    CAST(0 + IF(`t9`.`_l0_0`, 1, 0) + IF(`t9`.`personality` = '恩客', 2, 0) + IF(`t9`.`_c0`, 4, 0) + IF(`t9`.`_l1_0`, 8, 0) + IF(`t9`.`_c1`, 16, 0) + IF(`t9`.`_l2_0`, 32, 0) + IF(`t9`.`personality` = '牛客', 64, 0) + IF(`t9`.`_c2`, 128, 0) + IF(`t9`.`_l3_0`, 256, 0) + IF(`t9`.`personality` = '磨客', 512, 0) + IF(`t9`.`_c3`, 1024, 0) + IF(`t9`.`_l4_0`, 2048, 0) + IF(`t9`.`personality` = '怪客', 4096, 0) + IF(`t9`.`_c4`, 8192, 0) + IF(`t9`.`_l5_0`, 16384, 0) + IF(`t9`.`personality` = '沉默寡言型', 32768, 0) + IF(`t9`.`personality` = '沉默型', 65536, 0) + IF(`t9`.`_c5`, 131072, 0) + IF(`t9`.`_l6_0`, 262144, 0) + IF(`t9`.`personality` = '口若悬河型', 524288, 0) + IF(`t9`.`personality` = '健谈型', 1048576, 0) + IF(`t9`.`_c6`, 2097152, 0) + IF(`t9`.`_l7_0`, 4194304, 0) + IF(`t9`.`personality` = '讲价型', 8388608, 0) + IF(`t9`.`_c7`, 16777216, 0) + IF(`t9`.`_l8_0`, 33554432, 0) + IF(`t9`.`personality` = '忠诚型', 67108864, 0) + IF(`t9`.`_c8`, 134217728, 0) + IF(`t9`.`_l9_0`, 268435456, 0) + IF(`t9`.`personality` = '挑剔型', 536870912, 0) + IF(`t9`.`_c9`, 1073741824, 0) + IF(`t9`.`personality` = 'gracious', 2147483648, 0) + IF(`t9`.`personality` = 'arrogant', 4294967296, 0) + IF(`t9`.`personality` = 'reluctant', 8589934592, 0) + IF(`t9`.`personality` = 'odd', 17179869184, 0) + IF(`t9`.`personality` = 'silent', 34359738368, 0) + IF(`t9`.`personality` = 'talkative', 68719476736, 0) + IF(`t9`.`personality` = 'bargainer', 137438953472, 0) + IF(`t9`.`personality` = 'loyal', 274877906944, 0) + IF(`t9`.`personality` = 'picky', 549755813888, 0) AS DOUBLE)
  ) AS `why`,
  ARRAY(`t9`.`personality`) AS `why_text`
FROM (
  SELECT
    `t8`.`customer_id`,
    `t8`.`status`,
    `t8`.`personality`,
    `t8`.`_c0`,
    `t8`.`_l0_0`,
    `t8`.`_c1`,
    `t8`.`_l1_0`,
    `t8`.`_c2`,
    `t8`.`_l2_0`,
    `t8`.`_c3`,
    `t8`.`_l3_0`,
    `t8`.`_c4`,
    `t8`.`_l4_0`,
    `t8`.`_c5`,
    `t8`.`_l5_0`,
    `t8`.`_c6`,
    `t8`.`_l6_0`,
    `t8`.`_c7`,
    `t8`.`_l7_0`,
    `t8`.`_c8`,
    `t8`.`_l8_0`,
    `t8`.`_c9`,
    `t8`.`_l9_0`,
    RAND() AS `_barrier`,
    `t8`.`_class`
  FROM (
    SELECT
      `t7`.`customer_id`,
      `t7`.`status`,
      `t7`.`personality`,
      `t7`.`_c0`,
      `t7`.`_l0_0`,
      `t7`.`_c1`,
      `t7`.`_l1_0`,
      `t7`.`_c2`,
      `t7`.`_l2_0`,
      `t7`.`_c3`,
      `t7`.`_l3_0`,
      `t7`.`_c4`,
      `t7`.`_l4_0`,
      `t7`.`_c5`,
      `t7`.`_l5_0`,
      `t7`.`_c6`,
      `t7`.`_l6_0`,
      `t7`.`_c7`,
      `t7`.`_l7_0`,
      `t7`.`_c8`,
      `t7`.`_l8_0`,
      `t7`.`_c9`,
      `t7`.`_l9_0`,
      `t7`.`_barrier`,
      CASE
        WHEN `t7`.`_c0`
        THEN 'gracious'
        WHEN `t7`.`_c1`
        THEN 'vip'
        WHEN `t7`.`_c2`
        THEN 'arrogant'
        WHEN `t7`.`_c3`
        THEN 'reluctant'
        WHEN `t7`.`_c4`
        THEN 'odd'
        WHEN `t7`.`_c5`
        THEN 'silent'
        WHEN `t7`.`_c6`
        THEN 'talkative'
        WHEN `t7`.`_c7`
        THEN 'bargainer'
        WHEN `t7`.`_c8`
        THEN 'loyal'
        WHEN `t7`.`_c9`
        THEN 'picky'
        ELSE 'untagged'
      END AS `_class`
    FROM (
      SELECT
        `t6`.`customer_id`,
        `t6`.`status`,
        `t6`.`personality`,
        `t6`.`_c0`,
        `t6`.`_l0_0`,
        `t6`.`_c1`,
        `t6`.`_l1_0`,
        `t6`.`_c2`,
        `t6`.`_l2_0`,
        `t6`.`_c3`,
        `t6`.`_l3_0`,
        `t6`.`_c4`,
        `t6`.`_l4_0`,
        `t6`.`_c5`,
        `t6`.`_l5_0`,
        `t6`.`_c6`,
        `t6`.`_l6_0`,
        `t6`.`_c7`,
        `t6`.`_l7_0`,
        `t6`.`_c8`,
        `t6`.`_l8_0`,
        `t6`.`_c9`,
        `t6`.`_l9_0`,
        RAND() AS `_barrier`
      FROM (
        SELECT
          `t5`.`customer_id`,
          `t5`.`status`,
          `t5`.`personality`,
          COALESCE(`t5`.`personality` IN ('恩客', 'gracious'), FALSE) AS `_c0`,
          COALESCE(`t5`.`personality` IN ('恩客', 'gracious'), FALSE) AS `_l0_0`,
          COALESCE(`t5`.`personality` IN ('VIP', 'vip'), FALSE) AS `_c1`,
          COALESCE(`t5`.`personality` IN ('VIP', 'vip'), FALSE) AS `_l1_0`,
          COALESCE(`t5`.`personality` IN ('牛客', 'arrogant'), FALSE) AS `_c2`,
          COALESCE(`t5`.`personality` IN ('牛客', 'arrogant'), FALSE) AS `_l2_0`,
          COALESCE(`t5`.`personality` IN ('磨客', 'reluctant'), FALSE) AS `_c3`,
          COALESCE(`t5`.`personality` IN ('磨客', 'reluctant'), FALSE) AS `_l3_0`,
          COALESCE(`t5`.`personality` IN ('怪客', 'odd'), FALSE) AS `_c4`,
          COALESCE(`t5`.`personality` IN ('怪客', 'odd'), FALSE) AS `_l4_0`,
          COALESCE(`t5`.`personality` IN ('silent', '沉默寡言型', '沉默型'), FALSE) AS `_c5`,
          COALESCE(`t5`.`personality` IN ('silent', '沉默寡言型', '沉默型'), FALSE) AS `_l5_0`,
          COALESCE(`t5`.`personality` IN ('talkative', '口若悬河型', '健谈型'), FALSE) AS `_c6`,
          COALESCE(`t5`.`personality` IN ('talkative', '口若悬河型', '健谈型'), FALSE) AS `_l6_0`,
          COALESCE(`t5`.`personality` IN ('bargainer', '讲价型'), FALSE) AS `_c7`,
          COALESCE(`t5`.`personality` IN ('bargainer', '讲价型'), FALSE) AS `_l7_0`,
          COALESCE(`t5`.`personality` IN ('loyal', '忠诚型'), FALSE) AS `_c8`,
          COALESCE(`t5`.`personality` IN ('loyal', '忠诚型'), FALSE) AS `_l8_0`,
          COALESCE(`t5`.`personality` IN ('picky', '挑剔型'), FALSE) AS `_c9`,
          COALESCE(`t5`.`personality` IN ('picky', '挑剔型'), FALSE) AS `_l9_0`
        FROM (
          SELECT
            `t2`.`customer_id`,
            `t2`.`status`,
            `t4`.`personality`
          FROM `tw_tw_metrics` AS `t2`
          LEFT OUTER JOIN (
            SELECT
              `t1`.`customer_id`,
              `t1`.`type`,
              `t1`.`outlet`,
              `t1`.`created_date`,
              `t1`.`payment_terms_days`,
              `t1`.`scale`,
              `t1`.`management_level`,
              `t1`.`purchasing_power`,
              `t1`.`marketing_level`,
              `t1`.`growth_ability`,
              `t1`.`competitive_advantage`,
              `t1`.`intent`,
              `t1`.`share_of_wallet`,
              `t1`.`upcoming_purchases`,
              `t1`.`flag`,
              `t1`.`annual_agreement`,
              `t1`.`personality`,
              `t1`.`credit_grade_finance`
            FROM `tw_customers` AS `t1`
          ) AS `t4`
            ON `t2`.`customer_id` = `t4`.`customer_id`
        ) AS `t5`
      ) AS `t6`
    ) AS `t7`
  ) AS `t8`
) AS `t9`
