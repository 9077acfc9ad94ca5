package dev.conform.runtime.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Conform's surrogate-key function on Spark gives the value of the MD5 formula of the others. */
class Hash64Test {
  private final SparkSession spark = SharedSpark.session();

  @Test
  void givesTheFirst15HexDigitsOfTheMd5AsANumber() {
    // The values DuckDB gives for CAST('0x' || SUBSTR(MD5(t), 1, 15) AS BIGINT).
    List<Row> rows =
        spark
            .sql(
                "SELECT conform_hash64('a'), conform_hash64('Zürich|€|日本'),"
                    + " conform_hash64(CAST(NULL AS STRING))")
            .collectAsList();

    assertThat(rows.get(0).getLong(0)).isEqualTo(57446577476672362L);
    assertThat(rows.get(0).getLong(1)).isEqualTo(26158016732332255L);
    assertThat(rows.get(0).isNullAt(2)).isTrue();
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
}
