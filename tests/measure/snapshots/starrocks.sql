-- digecon measure enterprises: 数字产业化 accounts (starrocks)
-- inputs: digecon_records(enterprise_id, region_code, industry_code, year, labour_compensation, net_production_taxes, depreciation, operating_surplus, revenue, _row) with money in 万元;
--         digecon_lookup(industry_code, de_code, share, counts) from the concordance
-- output: region_code, de_code, year, value_added (亿元), enterprises
-- mode: per record
WITH `t12` AS (
  SELECT
    `t11`.`region_code`,
    `t11`.`de_code`,
    `t11`.`year_i`,
    SUM(`t11`.`va` * `t11`.`share`) / 10000.0 AS `value_added`,
    SUM(`t11`.`n` * `t11`.`counts`) AS `enterprises`
  FROM (
    SELECT
      *
    FROM (
      SELECT
        `t9`.`region_code`,
        `t9`.`industry_code`,
        `t9`.`year_i`,
        `t9`.`va`,
        `t9`.`n`,
        `t2`.`de_code`,
        `t2`.`share`,
        `t2`.`counts`
      FROM (
        SELECT
          `t7`.`region_code`,
          `t7`.`industry_code`,
          `t7`.`year_i`,
          `t7`.`va`,
          1 AS `n`
        FROM (
          SELECT
            `t6`.`enterprise_id`,
            `t6`.`region_code`,
            `t6`.`industry_code`,
            `t6`.`year`,
            `t6`.`labour_compensation`,
            `t6`.`net_production_taxes`,
            `t6`.`depreciation`,
            `t6`.`operating_surplus`,
            `t6`.`revenue`,
            `t6`.`_row`,
            `t6`.`year_i`,
            `t6`.`va`,
            `t6`.`reason`,
            `t6`.`column`,
            `t6`.`found`
          FROM (
            SELECT
              `t5`.`enterprise_id`,
              `t5`.`region_code`,
              `t5`.`industry_code`,
              `t5`.`year`,
              `t5`.`labour_compensation`,
              `t5`.`net_production_taxes`,
              `t5`.`depreciation`,
              `t5`.`operating_surplus`,
              `t5`.`revenue`,
              `t5`.`_row`,
              `t5`.`year_i`,
              `t5`.`va`,
              CASE WHEN `t5`.`_dup` > 0 THEN '同一企业同一年份重复' ELSE `t5`.`reason` END AS `reason`,
              CASE WHEN `t5`.`_dup` > 0 THEN 'enterprise_id,year' ELSE `t5`.`column` END AS `column`,
              CASE
                WHEN `t5`.`_dup` > 0
                THEN CONCAT(CONCAT(`t5`.`enterprise_id`, ','), CAST(`t5`.`year_i` AS STRING))
                ELSE `t5`.`found`
              END AS `found`,
              `t5`.`_dup`
            FROM (
              SELECT
                `t4`.`enterprise_id`,
                `t4`.`region_code`,
                `t4`.`industry_code`,
                `t4`.`year`,
                `t4`.`labour_compensation`,
                `t4`.`net_production_taxes`,
                `t4`.`depreciation`,
                `t4`.`operating_surplus`,
                `t4`.`revenue`,
                `t4`.`_row`,
                `t4`.`year_i`,
                `t4`.`va`,
                `t4`.`reason`,
                `t4`.`column`,
                `t4`.`found`,
                CASE
                  WHEN `t4`.`reason` IS NULL
                  THEN ROW_NUMBER() OVER (
                    PARTITION BY `t4`.`enterprise_id`, `t4`.`year_i`
                    ORDER BY CASE WHEN `t4`.`_row` IS NULL THEN 1 ELSE 0 END, `t4`.`_row` ASC
                  ) - 1
                  ELSE 0
                END AS `_dup`
              FROM (
                SELECT
                  `t1`.`enterprise_id`,
                  `t1`.`region_code`,
                  `t1`.`industry_code`,
                  `t1`.`year`,
                  `t1`.`labour_compensation`,
                  `t1`.`net_production_taxes`,
                  `t1`.`depreciation`,
                  `t1`.`operating_surplus`,
                  `t1`.`revenue`,
                  `t1`.`_row`,
                  CAST(TRIM(`t1`.`year`) AS BIGINT) AS `year_i`,
                  CAST(TRIM(`t1`.`labour_compensation`) AS DOUBLE) + CAST(TRIM(`t1`.`net_production_taxes`) AS DOUBLE) + CAST(TRIM(`t1`.`depreciation`) AS DOUBLE) + CAST(TRIM(`t1`.`operating_surplus`) AS DOUBLE) AS `va`,
                  CASE
                    WHEN (
                      `t1`.`year` IS NULL
                    ) OR (
                      TRIM(`t1`.`year`) = ''
                    )
                    THEN '缺少年份'
                    WHEN (
                      CAST(TRIM(`t1`.`year`) AS BIGINT) IS NULL
                    )
                    OR (
                      CAST(TRIM(`t1`.`year`) AS BIGINT) < 1949
                    )
                    OR (
                      CAST(TRIM(`t1`.`year`) AS BIGINT) > 2100
                    )
                    THEN '年份不是1949–2100之间的整数'
                    WHEN (
                      `t1`.`labour_compensation` IS NULL
                    )
                    OR (
                      TRIM(`t1`.`labour_compensation`) = ''
                    )
                    THEN '金额为空'
                    WHEN CAST(TRIM(`t1`.`labour_compensation`) AS DOUBLE) IS NULL
                    OR IS_NAN(CAST(TRIM(`t1`.`labour_compensation`) AS DOUBLE))
                    THEN '金额不是数字'
                    WHEN (
                      `t1`.`net_production_taxes` IS NULL
                    )
                    OR (
                      TRIM(`t1`.`net_production_taxes`) = ''
                    )
                    THEN '金额为空'
                    WHEN CAST(TRIM(`t1`.`net_production_taxes`) AS DOUBLE) IS NULL
                    OR IS_NAN(CAST(TRIM(`t1`.`net_production_taxes`) AS DOUBLE))
                    THEN '金额不是数字'
                    WHEN (
                      `t1`.`depreciation` IS NULL
                    ) OR (
                      TRIM(`t1`.`depreciation`) = ''
                    )
                    THEN '金额为空'
                    WHEN CAST(TRIM(`t1`.`depreciation`) AS DOUBLE) IS NULL
                    OR IS_NAN(CAST(TRIM(`t1`.`depreciation`) AS DOUBLE))
                    THEN '金额不是数字'
                    WHEN (
                      `t1`.`operating_surplus` IS NULL
                    )
                    OR (
                      TRIM(`t1`.`operating_surplus`) = ''
                    )
                    THEN '金额为空'
                    WHEN CAST(TRIM(`t1`.`operating_surplus`) AS DOUBLE) IS NULL
                    OR IS_NAN(CAST(TRIM(`t1`.`operating_surplus`) AS DOUBLE))
                    THEN '金额不是数字'
                    WHEN (
                      `t1`.`region_code` IS NULL
                    ) OR (
                      TRIM(`t1`.`region_code`) = ''
                    )
                    THEN '缺少地区代码'
                    WHEN NOT (
                      `t1`.`industry_code` IN (
                        SELECT
                          `t0`.`industry_code`
                        FROM `digecon_lookup` AS `t0`
                      )
                    )
                    THEN '行业代码不在GB/T 4754-2017中'
                    ELSE CAST(NULL AS STRING)
                  END AS `reason`,
                  CASE
                    WHEN (
                      `t1`.`year` IS NULL
                    ) OR (
                      TRIM(`t1`.`year`) = ''
                    )
                    THEN 'year'
                    WHEN (
                      CAST(TRIM(`t1`.`year`) AS BIGINT) IS NULL
                    )
                    OR (
                      CAST(TRIM(`t1`.`year`) AS BIGINT) < 1949
                    )
                    OR (
                      CAST(TRIM(`t1`.`year`) AS BIGINT) > 2100
                    )
                    THEN 'year'
                    WHEN (
                      `t1`.`labour_compensation` IS NULL
                    )
                    OR (
                      TRIM(`t1`.`labour_compensation`) = ''
                    )
                    THEN 'labour_compensation'
                    WHEN CAST(TRIM(`t1`.`labour_compensation`) AS DOUBLE) IS NULL
                    OR IS_NAN(CAST(TRIM(`t1`.`labour_compensation`) AS DOUBLE))
                    THEN 'labour_compensation'
                    WHEN (
                      `t1`.`net_production_taxes` IS NULL
                    )
                    OR (
                      TRIM(`t1`.`net_production_taxes`) = ''
                    )
                    THEN 'net_production_taxes'
                    WHEN CAST(TRIM(`t1`.`net_production_taxes`) AS DOUBLE) IS NULL
                    OR IS_NAN(CAST(TRIM(`t1`.`net_production_taxes`) AS DOUBLE))
                    THEN 'net_production_taxes'
                    WHEN (
                      `t1`.`depreciation` IS NULL
                    ) OR (
                      TRIM(`t1`.`depreciation`) = ''
                    )
                    THEN 'depreciation'
                    WHEN CAST(TRIM(`t1`.`depreciation`) AS DOUBLE) IS NULL
                    OR IS_NAN(CAST(TRIM(`t1`.`depreciation`) AS DOUBLE))
                    THEN 'depreciation'
                    WHEN (
                      `t1`.`operating_surplus` IS NULL
                    )
                    OR (
                      TRIM(`t1`.`operating_surplus`) = ''
                    )
                    THEN 'operating_surplus'
                    WHEN CAST(TRIM(`t1`.`operating_surplus`) AS DOUBLE) IS NULL
                    OR IS_NAN(CAST(TRIM(`t1`.`operating_surplus`) AS DOUBLE))
                    THEN 'operating_surplus'
                    WHEN (
                      `t1`.`region_code` IS NULL
                    ) OR (
                      TRIM(`t1`.`region_code`) = ''
                    )
                    THEN 'region_code'
                    WHEN NOT (
                      `t1`.`industry_code` IN (
                        SELECT
                          `t0`.`industry_code`
                        FROM `digecon_lookup` AS `t0`
                      )
                    )
                    THEN 'industry_code'
                    ELSE CAST(NULL AS STRING)
                  END AS `column`,
                  CASE
                    WHEN (
                      `t1`.`year` IS NULL
                    ) OR (
                      TRIM(`t1`.`year`) = ''
                    )
                    THEN ''
                    WHEN (
                      CAST(TRIM(`t1`.`year`) AS BIGINT) IS NULL
                    )
                    OR (
                      CAST(TRIM(`t1`.`year`) AS BIGINT) < 1949
                    )
                    OR (
                      CAST(TRIM(`t1`.`year`) AS BIGINT) > 2100
                    )
                    THEN `t1`.`year`
                    WHEN (
                      `t1`.`labour_compensation` IS NULL
                    )
                    OR (
                      TRIM(`t1`.`labour_compensation`) = ''
                    )
                    THEN ''
                    WHEN CAST(TRIM(`t1`.`labour_compensation`) AS DOUBLE) IS NULL
                    OR IS_NAN(CAST(TRIM(`t1`.`labour_compensation`) AS DOUBLE))
                    THEN `t1`.`labour_compensation`
                    WHEN (
                      `t1`.`net_production_taxes` IS NULL
                    )
                    OR (
                      TRIM(`t1`.`net_production_taxes`) = ''
                    )
                    THEN ''
                    WHEN CAST(TRIM(`t1`.`net_production_taxes`) AS DOUBLE) IS NULL
                    OR IS_NAN(CAST(TRIM(`t1`.`net_production_taxes`) AS DOUBLE))
                    THEN `t1`.`net_production_taxes`
                    WHEN (
                      `t1`.`depreciation` IS NULL
                    ) OR (
                      TRIM(`t1`.`depreciation`) = ''
                    )
                    THEN ''
                    WHEN CAST(TRIM(`t1`.`depreciation`) AS DOUBLE) IS NULL
                    OR IS_NAN(CAST(TRIM(`t1`.`depreciation`) AS DOUBLE))
                    THEN `t1`.`depreciation`
                    WHEN (
                      `t1`.`operating_surplus` IS NULL
                    )
                    OR (
                      TRIM(`t1`.`operating_surplus`) = ''
                    )
                    THEN ''
                    WHEN CAST(TRIM(`t1`.`operating_surplus`) AS DOUBLE) IS NULL
                    OR IS_NAN(CAST(TRIM(`t1`.`operating_surplus`) AS DOUBLE))
                    THEN `t1`.`operating_surplus`
                    WHEN (
                      `t1`.`region_code` IS NULL
                    ) OR (
                      TRIM(`t1`.`region_code`) = ''
                    )
                    THEN ''
                    WHEN NOT (
                      `t1`.`industry_code` IN (
                        SELECT
                          `t0`.`industry_code`
                        FROM `digecon_lookup` AS `t0`
                      )
                    )
                    THEN `t1`.`industry_code`
                    ELSE CAST(NULL AS STRING)
                  END AS `found`
                FROM `digecon_records` AS `t1`
              ) AS `t4`
            ) AS `t5`
          ) AS `t6`
        ) AS `t7`
        WHERE
          `t7`.`reason` IS NULL
      ) AS `t9`
      INNER JOIN `digecon_lookup` AS `t2`
        ON `t9`.`industry_code` = `t2`.`industry_code`
    ) AS `t10`
    WHERE
      `t10`.`de_code` <> '_outside'
  ) AS `t11`
  GROUP BY
    1,
    2,
    3
)
SELECT
  `t16`.`region_code`,
  `t16`.`de_code`,
  `t16`.`year_i` AS `year`,
  `t16`.`value_added`,
  `t16`.`enterprises`
FROM (
  SELECT
    *
  FROM `t12` AS `t13`
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      `t14`.`region_code`,
      `t14`.`de_code`,
      `t14`.`year_i`,
      SUM(`t14`.`value_added`) AS `value_added`,
      SUM(`t14`.`enterprises`) AS `enterprises`
    FROM (
      SELECT
        CONCAT(
          SUBSTRING(
            `t13`.`region_code`,
            IF((
              0 + 1
            ) >= 1, 0 + 1, 0 + 1 + CHAR_LENGTH(`t13`.`region_code`)),
            2
          ),
          '0000'
        ) AS `region_code`,
        `t13`.`de_code`,
        `t13`.`year_i`,
        `t13`.`value_added`,
        `t13`.`enterprises`
      FROM `t12` AS `t13`
      WHERE
        SUBSTRING(
          `t13`.`region_code`,
          IF((
            2 + 1
          ) >= 1, 2 + 1, 2 + 1 + CHAR_LENGTH(`t13`.`region_code`)),
          4
        ) <> '0000'
    ) AS `t14`
    GROUP BY
      1,
      2,
      3
  ) AS `t15`
) AS `t16`;
