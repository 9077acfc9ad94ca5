package dev.conform.runtime.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Conform's surrogate-key function on Spark gives the value of the MD5 formula of the others, over
 * the text Spark's casts write of the values.
 */
class Hash64Test {
  private final SparkSession spark = SharedSpark.session();

  @Test
  void givesTheFirst15HexDigitsOfTheMd5AsANumber() {
    // The values DuckDB gives for CAST('0x' || SUBSTR(MD5(t), 1, 15) AS BIGINT).
    List<Row> rows =
        spark
            .sql(
                "SELECT conform_hash64('a'), conform_hash64('Zürich|€|日本'),"
                    + " conform_hash64('Zürich', '€', '日本'),"
                    + " conform_hash64(CAST(NULL AS STRING), 1),"
                    + " conform_hash64('\\\\N|1')")
            .collectAsList();

    assertThat(rows.get(0).getLong(0)).isEqualTo(57446577476672362L);
    assertThat(rows.get(0).getLong(1)).isEqualTo(26158016732332255L);
    assertThat(rows.get(0).getLong(2)).isEqualTo(26158016732332255L);
    assertThat(rows.get(0).getLong(3)).isEqualTo(rows.get(0).getLong(4));
  }

  @Test
  void agreesWithSparksOwnFunctionsOnEveryText() {
    List<Row> differing =
        spark
            .sql(
                "SELECT t FROM (SELECT CONCAT_WS('|', CAST(id AS STRING), CHR(CAST(id % 900 AS INT)"
                    + " + 32), REPEAT('é', CAST(id % 7 AS INT))) t FROM RANGE(5000))"
                    + " WHERE conform_hash64(t)"
                    + " <> CAST(CONV(SUBSTR(MD5(t), 1, 15), 16, 10) AS BIGINT)")
            .collectAsList();

    assertThat(differing).isEmpty();
  }

  /** The rows of {@code query}, run with the session's settings changed by {@code settings}. */
  private List<Row> withConf(Map<String, String> settings, String query) {
    Map<String, String> before = new HashMap<>();
    settings.keySet().forEach(k -> before.put(k, spark.conf().get(k, null)));
    try {
      settings.forEach(spark.conf()::set);
      return spark.sql(query).collectAsList();
    } finally {
      before.forEach(
          (k, v) -> {
            if (v == null) {
              spark.conf().unset(k);
            } else {
              spark.conf().set(k, v);
            }
          });
    }
  }

  /**
   * Values of every type the function writes itself, NULLs, fractions of a second of every width,
   * and dates and timestamps across the years 1 to 9999 and beyond them, which Spark's formatters
   * write.
   */
  @Test
  void writesEveryValueAsSparksCastsDo() {
    String values =
        "SELECT id, CAST(id - 4000 AS INT) i, CAST(id % 65536 - 32768 AS SMALLINT) s,"
            + " CAST(id % 256 - 128 AS TINYINT) y, id % 3 = 0 b,"
            + " IF(id % 11 = 0, NULL, CONCAT('é', id)) t,"
            + " DATE_FROM_UNIX_DATE(CAST(PMOD(XXHASH64(id, 1), 6000000) - 3000000 AS INT)) d,"
            + " TIMESTAMP_MICROS(PMOD(XXHASH64(id, 2), 440000000000000000) - 130000000000000000"
            + " - PMOD(id, 7) * PMOD(XXHASH64(id, 3), 1000000)) ts"
            + " FROM RANGE(20000)";
    // The canonical text as Spark's casts write it.
    String text =
        String.join(
            " || '|' || ",
            Stream.of("id", "i", "s", "y", "b", "t", "d", "ts")
                .map(c -> "COALESCE(CAST(" + c + " AS STRING), '\\\\N')")
                .toList());
    String differing =
        "SELECT CAST(ts AS STRING), CAST(d AS STRING) FROM ("
            + values
            + ") WHERE conform_hash64(id, i, s, y, b, t, d, ts)"
            + " <> conform_hash64("
            + text
            + ")";
    long outsideYears1To9999 =
        spark
            .sql(
                "SELECT COUNT(*) FROM ("
                    + values
                    + ") WHERE YEAR(ts) NOT BETWEEN 1 AND 9999 AND YEAR(d) NOT BETWEEN 1 AND 9999")
            .first()
            .getLong(0);

    // Compiled into the query's code, and evaluated without: each must work, neither may hide
    // behind the other.
    assertThat(
            withConf(
                Map.of(
                    "spark.sql.codegen.fallback",
                    "false",
                    "spark.sql.codegen.factoryMode",
                    "CODEGEN_ONLY"),
                differing))
        .isEmpty();
    assertThat(
            withConf(
                Map.of(
                    "spark.sql.codegen.wholeStage",
                    "false",
                    "spark.sql.codegen.factoryMode",
                    "NO_CODEGEN"),
                differing))
        .isEmpty();
    assertThat(outsideYears1To9999).isPositive();
  }
}
