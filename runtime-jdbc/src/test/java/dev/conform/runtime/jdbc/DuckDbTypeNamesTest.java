package dev.conform.runtime.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conform.spi.DataType;
import dev.conform.spi.DuckDbTypeNames;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The names DuckDB itself reports for a query's columns map to Conform's types. */
class DuckDbTypeNamesTest {
  @Test
  void theTypeNamesDuckDbReportsMapToConformTypes() throws Exception {
    Map<String, DataType> expected = new LinkedHashMap<>();
    expected.put("CAST(1 AS TINYINT)", DataType.INTEGER);
    expected.put("CAST(1 AS USMALLINT)", DataType.INTEGER);
    expected.put("CAST(1 AS UINTEGER)", DataType.BIGINT);
    expected.put("CAST(1 AS HUGEINT)", DataType.BIGINT);
    expected.put("CAST(1 AS FLOAT)", DataType.DOUBLE);
    expected.put("CAST(1 AS DECIMAL(12,2))", DataType.decimal(12, 2));
    expected.put("TIMESTAMPTZ '2026-01-01 00:00:00+00'", DataType.TIMESTAMP);
    expected.put("TIMESTAMP_NS '2026-01-01'", DataType.TIMESTAMP);
    expected.put("DATE '2026-01-01'", DataType.DATE);
    expected.put("[1, 2]", DataType.STRING);
    expected.put("{'a': 1}", DataType.STRING);
    expected.put("MAP {'a': 1}", DataType.STRING);
    expected.put("INTERVAL 1 DAY", DataType.STRING);
    expected.put("'text'", DataType.STRING);
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      for (Map.Entry<String, DataType> value : expected.entrySet()) {
        try (ResultSet rs = statement.executeQuery("DESCRIBE SELECT " + value.getKey() + " AS v")) {
          rs.next();
          String name = rs.getString("column_type");
          assertThat(DuckDbTypeNames.typeOf(name))
              .as("%s (%s)", value.getKey(), name)
              .isEqualTo(value.getValue());
        }
      }
    }
  }
}
