-- digecon measure enterprises: 数字产业化 accounts (starrocks)
-- inputs: digecon_records(enterprise_id, region_code, industry_code, year, labour_compensation, net_production_taxes, depreciation, operating_surplus, revenue, _row) with money in 万元;
--         digecon_lookup(industry_code, de_code, share, counts) from the concordance
-- output: region_code, de_code, year, value_added (亿元), enterprises
-- mode: per record
WITH `t21` AS (
  SELECT
    `t20`.`region_code`,
    `t20`.`de_code`,
    `t20`.`year_i`,
    SUM(`t20`.`va` * `t20`.`share`) / 10000.0 AS `value_added`,
    SUM(`t20`.`n` * `t20`.`counts`) AS `enterprises`
  FROM (
    SELECT
      *
    FROM (
      SELECT
        `t18`.`region_code`,
        `t18`.`industry_code`,
        `t18`.`year_i`,
        `t18`.`va`,
        `t18`.`n`,
        `t2`.`de_code`,
        `t2`.`share`,
        `t2`.`counts`
      FROM (
        SELECT
          `t16`.`region_code`,
          `t16`.`industry_code`,
          `t16`.`year_i`,
          `t16`.`va`,
          1 AS `n`
        FROM (
          SELECT
            `t15`.`enterprise_id`,
            `t15`.`region_code`,
            `t15`.`industry_code`,
            `t15`.`year`,
            `t15`.`labour_compensation`,
            `t15`.`net_production_taxes`,
            `t15`.`depreciation`,
            `t15`.`operating_surplus`,
            `t15`.`revenue`,
            `t15`.`_row`,
            `t15`.`year_i`,
            `t15`.`va`
          FROM (
            SELECT
              *
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
                `t13`.`_dup_row`
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
                  CAST(TRIM(`t4`.`year`) AS BIGINT) AS `year_i`,
                  CAST(TRIM(`t4`.`labour_compensation`) AS DOUBLE) + CAST(TRIM(`t4`.`net_production_taxes`) AS DOUBLE) + CAST(TRIM(`t4`.`depreciation`) AS DOUBLE) + CAST(TRIM(`t4`.`operating_surplus`) AS DOUBLE) AS `va`
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
                      AND NOT IS_NAN(CAST(TRIM(`t1`.`labour_compensation`) AS DOUBLE))
                    )
                    AND (
                      NOT CAST(TRIM(`t1`.`net_production_taxes`) AS DOUBLE) IS NULL
                      AND NOT IS_NAN(CAST(TRIM(`t1`.`net_production_taxes`) AS DOUBLE))
                    )
                    AND (
                      NOT CAST(TRIM(`t1`.`depreciation`) AS DOUBLE) IS NULL
                      AND NOT IS_NAN(CAST(TRIM(`t1`.`depreciation`) AS DOUBLE))
                    )
                    AND (
                      NOT CAST(TRIM(`t1`.`operating_surplus`) AS DOUBLE) IS NULL
                      AND NOT IS_NAN(CAST(TRIM(`t1`.`operating_surplus`) AS DOUBLE))
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
              ) AS `t6`
              LEFT OUTER JOIN (
                SELECT
                  `t10`.`_row` AS `_dup_row`
                FROM (
                  SELECT
                    `t8`.`_row`,
                    `t8`.`year_i`,
                    `t8`.`_eid`,
                    `t8`.`_no_eid`
                  FROM (
                    SELECT
                      *
                    FROM (
                      SELECT
                        `t1`.`_row`,
                        CAST(TRIM(`t1`.`year`) AS BIGINT) AS `year_i`,
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
                          AND NOT IS_NAN(CAST(TRIM(`t1`.`labour_compensation`) AS DOUBLE))
                        )
                        AND (
                          NOT CAST(TRIM(`t1`.`net_production_taxes`) AS DOUBLE) IS NULL
                          AND NOT IS_NAN(CAST(TRIM(`t1`.`net_production_taxes`) AS DOUBLE))
                        )
                        AND (
                          NOT CAST(TRIM(`t1`.`depreciation`) AS DOUBLE) IS NULL
                          AND NOT IS_NAN(CAST(TRIM(`t1`.`depreciation`) AS DOUBLE))
                        )
                        AND (
                          NOT CAST(TRIM(`t1`.`operating_surplus`) AS DOUBLE) IS NULL
                          AND NOT IS_NAN(CAST(TRIM(`t1`.`operating_surplus`) AS DOUBLE))
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
                        ) AS `_ok`,
                        COALESCE(`t1`.`enterprise_id`, '') AS `_eid`,
                        `t1`.`enterprise_id` IS NULL AS `_no_eid`
                      FROM `digecon_records` AS `t1`
                    ) AS `t7`
                    WHERE
                      `t7`.`_ok`
                  ) AS `t8`
                ) AS `t10`
                LEFT SEMI JOIN (
                  SELECT
                    `t8`.`_row`,
                    `t8`.`year_i`,
                    `t8`.`_eid`,
                    `t8`.`_no_eid`
                  FROM (
                    SELECT
                      *
                    FROM (
                      SELECT
                        `t1`.`_row`,
                        CAST(TRIM(`t1`.`year`) AS BIGINT) AS `year_i`,
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
                          AND NOT IS_NAN(CAST(TRIM(`t1`.`labour_compensation`) AS DOUBLE))
                        )
                        AND (
                          NOT CAST(TRIM(`t1`.`net_production_taxes`) AS DOUBLE) IS NULL
                          AND NOT IS_NAN(CAST(TRIM(`t1`.`net_production_taxes`) AS DOUBLE))
                        )
                        AND (
                          NOT CAST(TRIM(`t1`.`depreciation`) AS DOUBLE) IS NULL
                          AND NOT IS_NAN(CAST(TRIM(`t1`.`depreciation`) AS DOUBLE))
                        )
                        AND (
                          NOT CAST(TRIM(`t1`.`operating_surplus`) AS DOUBLE) IS NULL
                          AND NOT IS_NAN(CAST(TRIM(`t1`.`operating_surplus`) AS DOUBLE))
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
                        ) AS `_ok`,
                        COALESCE(`t1`.`enterprise_id`, '') AS `_eid`,
                        `t1`.`enterprise_id` IS NULL AS `_no_eid`
                      FROM `digecon_records` AS `t1`
                    ) AS `t7`
                    WHERE
                      `t7`.`_ok`
                  ) AS `t8`
                ) AS `t11`
                  ON `t10`.`_eid` = `t11`.`_eid`
                  AND `t10`.`_no_eid` = `t11`.`_no_eid`
                  AND `t10`.`year_i` = `t11`.`year_i`
                  AND `t10`.`_row` > `t11`.`_row`
              ) AS `t13`
                ON `t6`.`_row` = `t13`.`_dup_row`
            ) AS `t14`
            WHERE
              `t14`.`_dup_row` IS NULL
          ) AS `t15`
        ) AS `t16`
      ) AS `t18`
      INNER JOIN `digecon_lookup` AS `t2`
        ON `t18`.`industry_code` = `t2`.`industry_code`
    ) AS `t19`
    WHERE
      `t19`.`de_code` <> '_outside'
  ) AS `t20`
  GROUP BY
    1,
    2,
    3
)
SELECT
  `t25`.`region_code`,
  `t25`.`de_code`,
  `t25`.`year_i` AS `year`,
  `t25`.`value_added`,
  `t25`.`enterprises`
FROM (
  SELECT
    *
  FROM `t21` AS `t22`
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      `t23`.`region_code`,
      `t23`.`de_code`,
      `t23`.`year_i`,
      SUM(`t23`.`value_added`) AS `value_added`,
      SUM(`t23`.`enterprises`) AS `enterprises`
    FROM (
      SELECT
        CONCAT(
          SUBSTRING(
            `t22`.`region_code`,
            IF((
              0 + 1
            ) >= 1, 0 + 1, 0 + 1 + CHAR_LENGTH(`t22`.`region_code`)),
            2
          ),
          '0000'
        ) AS `region_code`,
        `t22`.`de_code`,
        `t22`.`year_i`,
        `t22`.`value_added`,
        `t22`.`enterprises`
      FROM `t21` AS `t22`
      WHERE
        SUBSTRING(
          `t22`.`region_code`,
          IF((
            2 + 1
          ) >= 1, 2 + 1, 2 + 1 + CHAR_LENGTH(`t22`.`region_code`)),
          4
        ) <> '0000'
    ) AS `t23`
    GROUP BY
      1,
      2,
      3
  ) AS `t24`
) AS `t25`;
