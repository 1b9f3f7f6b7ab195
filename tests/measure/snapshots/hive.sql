-- digecon measure enterprises: 数字产业化 accounts (hive)
-- inputs: digecon_records(enterprise_id, region_code, industry_code, year, labour_compensation, net_production_taxes, depreciation, operating_surplus, revenue, _row) with money in 万元;
--         digecon_lookup(industry_code, de_code, share, counts) from the concordance
-- output: region_code, de_code, year, value_added (亿元), enterprises
-- mode: per record
WITH `t5` AS (
  SELECT
    `t4`.`_row`,
    CAST(TRIM(`t4`.`year`) AS BIGINT) AS `year_i`,
    COALESCE(`t4`.`enterprise_id`, '') AS `_eid`,
    `t4`.`enterprise_id` IS NULL AS `_no_eid`
  FROM (
    SELECT
      *
    FROM `digecon_records` AS `t1`
    WHERE
      NOT CAST(TRIM(`t1`.`year`) AS BIGINT) IS NULL
      AND CAST(TRIM(`t1`.`year`) AS BIGINT) >= 1949
      AND CAST(TRIM(`t1`.`year`) AS BIGINT) <= 2100
      AND (
        NOT CAST(TRIM(`t1`.`labour_compensation`) AS DOUBLE) IS NULL
        AND NOT ISNAN(CAST(TRIM(`t1`.`labour_compensation`) AS DOUBLE))
      )
      AND (
        NOT CAST(TRIM(`t1`.`net_production_taxes`) AS DOUBLE) IS NULL
        AND NOT ISNAN(CAST(TRIM(`t1`.`net_production_taxes`) AS DOUBLE))
      )
      AND (
        NOT CAST(TRIM(`t1`.`depreciation`) AS DOUBLE) IS NULL
        AND NOT ISNAN(CAST(TRIM(`t1`.`depreciation`) AS DOUBLE))
      )
      AND (
        NOT CAST(TRIM(`t1`.`operating_surplus`) AS DOUBLE) IS NULL
        AND NOT ISNAN(CAST(TRIM(`t1`.`operating_surplus`) AS DOUBLE))
      )
      AND NOT (
        (
          `t1`.`region_code` IS NULL
        ) OR (
          TRIM(`t1`.`region_code`) = ''
        )
      )
      AND NOT `t1`.`industry_code` IS NULL
      AND `t1`.`industry_code` IN (
        SELECT
          `t0`.`industry_code`
        FROM `digecon_lookup` AS `t0`
      )
  ) AS `t4`
), `t22` AS (
  SELECT
    `t21`.`region_code`,
    `t21`.`de_code`,
    `t21`.`year_i`,
    SUM(`t21`.`va` * `t21`.`share`) / 10000.0 AS `value_added`,
    SUM(`t21`.`n` * `t21`.`counts`) AS `enterprises`
  FROM (
    SELECT
      *
    FROM (
      SELECT
        `t19`.`region_code`,
        `t19`.`industry_code`,
        `t19`.`year_i`,
        `t19`.`va`,
        `t19`.`n`,
        `t2`.`de_code`,
        `t2`.`share`,
        `t2`.`counts`
      FROM (
        SELECT
          `t17`.`region_code`,
          `t17`.`industry_code`,
          `t17`.`year_i`,
          `t17`.`va`,
          1 AS `n`
        FROM (
          SELECT
            `t16`.`enterprise_id`,
            `t16`.`region_code`,
            `t16`.`industry_code`,
            `t16`.`year`,
            `t16`.`labour_compensation`,
            `t16`.`net_production_taxes`,
            `t16`.`depreciation`,
            `t16`.`operating_surplus`,
            `t16`.`revenue`,
            `t16`.`_row`,
            `t16`.`year_i`,
            `t16`.`va`
          FROM (
            SELECT
              *
            FROM (
              SELECT
                `t14`.`enterprise_id`,
                `t14`.`region_code`,
                `t14`.`industry_code`,
                `t14`.`year`,
                `t14`.`labour_compensation`,
                `t14`.`net_production_taxes`,
                `t14`.`depreciation`,
                `t14`.`operating_surplus`,
                `t14`.`revenue`,
                `t14`.`_row`,
                `t14`.`year_i`,
                `t14`.`va`,
                `t12`.`_dup_row`
              FROM (
                SELECT
                  `t11`.`enterprise_id`,
                  `t11`.`region_code`,
                  `t11`.`industry_code`,
                  `t11`.`year`,
                  `t11`.`labour_compensation`,
                  `t11`.`net_production_taxes`,
                  `t11`.`depreciation`,
                  `t11`.`operating_surplus`,
                  `t11`.`revenue`,
                  `t11`.`_row`,
                  `t11`.`year_i`,
                  `t11`.`va`
                FROM (
                  SELECT
                    *
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
                      (
                        NOT CAST(TRIM(`t1`.`year`) AS BIGINT) IS NULL
                      )
                      AND (
                        CAST(TRIM(`t1`.`year`) AS BIGINT) >= 1949
                      )
                      AND (
                        CAST(TRIM(`t1`.`year`) AS BIGINT) <= 2100
                      )
                      AND (
                        NOT CAST(TRIM(`t1`.`labour_compensation`) AS DOUBLE) IS NULL
                        AND NOT ISNAN(CAST(TRIM(`t1`.`labour_compensation`) AS DOUBLE))
                      )
                      AND (
                        NOT CAST(TRIM(`t1`.`net_production_taxes`) AS DOUBLE) IS NULL
                        AND NOT ISNAN(CAST(TRIM(`t1`.`net_production_taxes`) AS DOUBLE))
                      )
                      AND (
                        NOT CAST(TRIM(`t1`.`depreciation`) AS DOUBLE) IS NULL
                        AND NOT ISNAN(CAST(TRIM(`t1`.`depreciation`) AS DOUBLE))
                      )
                      AND (
                        NOT CAST(TRIM(`t1`.`operating_surplus`) AS DOUBLE) IS NULL
                        AND NOT ISNAN(CAST(TRIM(`t1`.`operating_surplus`) AS DOUBLE))
                      )
                      AND NOT (
                        (
                          `t1`.`region_code` IS NULL
                        ) OR (
                          TRIM(`t1`.`region_code`) = ''
                        )
                      )
                      AND (
                        NOT `t1`.`industry_code` IS NULL
                      )
                      AND `t1`.`industry_code` IN (
                        SELECT
                          `t0`.`industry_code`
                        FROM `digecon_lookup` AS `t0`
                      ) AS `_ok`
                    FROM `digecon_records` AS `t1`
                  ) AS `t9`
                  WHERE
                    `t9`.`_ok`
                ) AS `t11`
              ) AS `t14`
              LEFT OUTER JOIN (
                SELECT
                  `t7`.`_row` AS `_dup_row`
                FROM `t5` AS `t7`
                LEFT SEMI JOIN `t5` AS `t8`
                  ON `t7`.`_eid` = `t8`.`_eid`
                  AND `t7`.`_no_eid` = `t8`.`_no_eid`
                  AND `t7`.`year_i` = `t8`.`year_i`
                  AND `t7`.`_row` > `t8`.`_row`
              ) AS `t12`
                ON `t14`.`_row` = `t12`.`_dup_row`
            ) AS `t15`
            WHERE
              `t15`.`_dup_row` IS NULL
          ) AS `t16`
        ) AS `t17`
      ) AS `t19`
      INNER JOIN `digecon_lookup` AS `t2`
        ON `t19`.`industry_code` = `t2`.`industry_code`
    ) AS `t20`
    WHERE
      `t20`.`de_code` <> '_outside'
  ) AS `t21`
  GROUP BY
    1,
    2,
    3
)
SELECT
  `t26`.`region_code`,
  `t26`.`de_code`,
  `t26`.`year_i` AS `year`,
  `t26`.`value_added`,
  `t26`.`enterprises`
FROM (
  SELECT
    *
  FROM `t22` AS `t23`
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      `t24`.`region_code`,
      `t24`.`de_code`,
      `t24`.`year_i`,
      SUM(`t24`.`value_added`) AS `value_added`,
      SUM(`t24`.`enterprises`) AS `enterprises`
    FROM (
      SELECT
        CONCAT(
          SUBSTRING(
            `t23`.`region_code`,
            IF((
              0 + 1
            ) >= 1, 0 + 1, 0 + 1 + LENGTH(`t23`.`region_code`)),
            2
          ),
          '0000'
        ) AS `region_code`,
        `t23`.`de_code`,
        `t23`.`year_i`,
        `t23`.`value_added`,
        `t23`.`enterprises`
      FROM `t22` AS `t23`
      WHERE
        SUBSTRING(
          `t23`.`region_code`,
          IF((
            2 + 1
          ) >= 1, 2 + 1, 2 + 1 + LENGTH(`t23`.`region_code`)),
          4
        ) <> '0000'
    ) AS `t24`
    GROUP BY
      1,
      2,
      3
  ) AS `t25`
) AS `t26`;
