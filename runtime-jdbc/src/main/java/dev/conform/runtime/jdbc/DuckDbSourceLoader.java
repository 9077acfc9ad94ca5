package dev.conform.runtime.jdbc;

import static dev.conform.runtime.jdbc.SqlText.identifier;
import static dev.conform.runtime.jdbc.SqlText.literal;
import static java.util.Objects.requireNonNull;

import dev.conform.spi.Column;
import dev.conform.spi.DataType;
import dev.conform.spi.LoadCounts;
import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.SourceData;
import dev.conform.spi.Step.LoadSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Loads one source into its staging and reject tables on DuckDB, set-based: DuckDB reads the files
 * itself and converts every column with {@code TRY_CAST}, so no row passes through Java.
 *
 * <p>The staging table is created with the converted columns plus two helper columns holding the
 * reason and raw record of rows that did not convert; those rows are copied to the reject table,
 * deleted from staging, and the helper columns dropped. This reads each file once.
 */
final class DuckDbSourceLoader {
  private static final String ROW_COLUMN = "_conform_row";
  private static final String INLINE_PREFIX = "_conform_inline_";

  private final Connection connection;

  DuckDbSourceLoader(Connection connection) {
    this.connection = requireNonNull(connection, "connection is null");
  }

  /** A column the source offers: its name there and the type DuckDB reads it as. */
  private record SourceColumn(String name, String engineType) {}

  /**
   * The relation a load converts from, with one source column per declared column; {@code
   * rereadable} when reading it again costs less than storing it (Parquet: columnar, typed).
   */
  private record SourceRelation(
      String from,
      List<SourceColumn> columns,
      String originExpression,
      Optional<String> dateFormat,
      Optional<String> timestampFormat,
      boolean rereadable) {}

  LoadCounts load(LoadSource step) throws SQLException {
    String failurePrefix = "Cannot read source '" + step.source() + "'";
    if (step.data() instanceof SourceData.Files files) {
      return convert(step, fileRelation(step, DuckDbFileScan.of(files, failurePrefix)));
    }
    SourceData.InlineRows rows = (SourceData.InlineRows) step.data();
    String inlineTable = INLINE_PREFIX + step.stagingTable();
    // Dropped only on success: after a failure DuckDB refuses every statement until the rollback,
    // which removes the table anyway, and a failing DROP would hide the real error.
    LoadCounts counts = convert(step, inlineRelation(step, rows, inlineTable, failurePrefix));
    execute("DROP TABLE " + identifier(inlineTable));
    return counts;
  }

  private SourceRelation fileRelation(LoadSource step, DuckDbFileScan scan) throws SQLException {
    List<String> declared = step.columns().stream().map(Column::name).toList();
    return switch (scan.format()) {
      case CSV -> {
        List<String> names = List.of();
        if (!scan.hasHeader()) {
          int width = describe(scan.textColumnsScan(List.of())).size();
          names = declared.subList(0, Math.min(width, declared.size()));
        }
        List<SourceColumn> offered = describe(scan.textColumnsScan(names));
        yield relation(scan, match(step, scan, offered, names), scan.loadingScan(names, List.of()));
      }
      case PARQUET -> {
        List<SourceColumn> offered = describe(scan.detectingScan());
        yield relation(
            scan, match(step, scan, offered, List.of()), scan.loadingScan(List.of(), List.of()));
      }
      case JSON -> {
        List<SourceColumn> matched =
            match(step, scan, describe(scan.detectingScan()), List.of()).stream()
                .map(column -> new SourceColumn(column.name(), "VARCHAR"))
                .toList();
        List<String> keys = matched.stream().map(SourceColumn::name).distinct().toList();
        yield relation(scan, matched, scan.loadingScan(List.of(), keys));
      }
    };
  }

  private static SourceRelation relation(
      DuckDbFileScan scan, List<SourceColumn> columns, String from) {
    return new SourceRelation(
        from,
        columns,
        "src." + identifier(DuckDbFileScan.FILE_COLUMN),
        scan.option("date_format"),
        scan.option("timestamp_format"),
        scan.format() == SourceData.Format.PARQUET);
  }

  /** Finds each declared column among the source's, by name, ignoring case. */
  private List<SourceColumn> match(
      LoadSource step, DuckDbFileScan scan, List<SourceColumn> offered, List<String> headerless)
      throws SQLException {
    List<SourceColumn> matched = new ArrayList<>();
    for (Column column : step.columns()) {
      Optional<SourceColumn> found = find(offered, column.name());
      if (found.isEmpty()) {
        throw scan.failure(
            "column '"
                + column.name()
                + "' is missing in file "
                + fileMissing(scan, column, headerless),
            null);
      }
      matched.add(found.get());
    }
    return matched;
  }

  /** The first file that lacks the column, so the message points at it. */
  private String fileMissing(DuckDbFileScan scan, Column column, List<String> headerless)
      throws SQLException {
    if (scan.paths().size() > 1) {
      for (String path : scan.paths()) {
        DuckDbFileScan single = scan.onlyFile(path);
        String sql =
            switch (scan.format()) {
              case CSV -> single.textColumnsScan(headerless);
              case PARQUET, JSON -> single.detectingScan();
            };
        if (find(describe(sql), column.name()).isEmpty()) {
          return path;
        }
      }
    }
    return scan.paths().get(0);
  }

  private static Optional<SourceColumn> find(List<SourceColumn> offered, String name) {
    return offered.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
  }

  private List<SourceColumn> describe(String scan) throws SQLException {
    List<SourceColumn> columns = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("DESCRIBE SELECT * FROM " + scan)) {
      while (rs.next()) {
        columns.add(new SourceColumn(rs.getString("column_name"), rs.getString("column_type")));
      }
    }
    return columns;
  }

  private SourceRelation inlineRelation(
      LoadSource step, SourceData.InlineRows rows, String inlineTable, String failurePrefix)
      throws SQLException {
    List<SourceColumn> offered =
        rows.columns().stream().map(name -> new SourceColumn(name, "VARCHAR")).toList();
    List<SourceColumn> matched = new ArrayList<>();
    for (Column column : step.columns()) {
      matched.add(
          find(offered, column.name())
              .orElseThrow(
                  () ->
                      new RuntimeFailure(
                          failurePrefix
                              + ": column '"
                              + column.name()
                              + "' is missing in the inline rows",
                          null)));
    }
    String definition =
        rows.columns().stream()
                .map(name -> identifier(name) + " VARCHAR")
                .collect(Collectors.joining(", "))
            + (rows.columns().isEmpty() ? "" : ", ")
            + identifier(ROW_COLUMN)
            + " BIGINT";
    execute("CREATE OR REPLACE TEMP TABLE " + identifier(inlineTable) + " (" + definition + ")");
    String placeholders = "?, ".repeat(rows.columns().size()) + "?";
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO " + identifier(inlineTable) + " VALUES (" + placeholders + ")")) {
      long number = 0;
      for (List<String> row : rows.rows()) {
        number++;
        for (int i = 0; i < row.size(); i++) {
          insert.setString(i + 1, row.get(i));
        }
        insert.setLong(row.size() + 1, number);
        insert.addBatch();
      }
      insert.executeBatch();
    }
    return new SourceRelation(
        identifier(inlineTable),
        matched,
        "'row ' || CAST(src." + identifier(ROW_COLUMN) + " AS VARCHAR)",
        Optional.empty(),
        Optional.empty(),
        false);
  }

  private LoadCounts convert(LoadSource step, SourceRelation relation) throws SQLException {
    List<Column> columns = step.columns();
    List<String> raw = new ArrayList<>();
    List<String> converted = new ArrayList<>();
    List<String> failing = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    List<String> record = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      Column column = columns.get(i);
      SourceColumn source = relation.columns().get(i);
      String r = identifier("r" + i);
      String v = identifier("v" + i);
      raw.add("src." + identifier(source.name()) + " AS " + r);
      Conversion conversion = conversion(r, source.engineType(), column.type(), relation);
      converted.add(conversion.expression() + " AS " + v);
      conversion
          .failure()
          .ifPresent(
              check -> {
                failing.add(check.replace("$v", v));
                reasons.add(
                    "WHEN "
                        + check.replace("$v", v)
                        + " THEN "
                        + literal("column '" + column.name() + "': cannot convert '")
                        + " || CAST("
                        + r
                        + " AS VARCHAR) || "
                        + literal("' to " + column.type()));
              });
      record.add(literal(column.name() + "=") + " || coalesce(CAST(" + r + " AS VARCHAR), '')");
    }
    String origin = identifier("o");
    raw.add(relation.originExpression() + " AS " + origin);
    converted.add(origin);
    for (int i = 0; i < columns.size(); i++) {
      converted.add(identifier("r" + i));
    }

    List<String> staged = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      staged.add(identifier("v" + i) + " AS " + identifier(columns.get(i).name()));
    }
    staged.add(origin + " AS " + identifier(LoadSource.ORIGIN_COLUMN));
    boolean canFail = !failing.isEmpty();
    if (canFail) {
      staged.add(
          "CASE " + String.join(" ", reasons) + " END AS " + identifier(LoadSource.REASON_COLUMN));
      staged.add(
          "CASE WHEN "
              + String.join(" OR ", failing)
              + " THEN concat_ws(', ', "
              + String.join(", ", record)
              + ") END AS "
              + identifier(LoadSource.RECORD_COLUMN));
    }
    String staging = identifier(step.stagingTable());
    String reject = identifier(step.rejectTable());
    String select =
        "SELECT "
            + String.join(", ", staged)
            + " FROM (SELECT "
            + String.join(", ", converted)
            + " FROM (SELECT "
            + String.join(", ", raw)
            + " FROM "
            + relation.from()
            + " AS src) AS raw) AS converted";
    if (!canFail && relation.rereadable()) {
      // Nothing can be rejected, and later steps read the files faster than a stored copy.
      execute("CREATE OR REPLACE TEMP VIEW " + staging + " AS " + select);
      createEmptyRejects(reject);
      return new LoadCounts(count(staging), 0);
    }
    long read = update("CREATE OR REPLACE TEMP TABLE " + staging + " AS " + select);
    String rejectColumns =
        identifier(LoadSource.ORIGIN_COLUMN)
            + ", "
            + identifier(LoadSource.REASON_COLUMN)
            + ", "
            + identifier(LoadSource.RECORD_COLUMN);
    if (!canFail) {
      createEmptyRejects(reject);
      return new LoadCounts(read, 0);
    }
    String rejected = identifier(LoadSource.REASON_COLUMN) + " IS NOT NULL";
    long rejectedCount =
        update(
            "CREATE OR REPLACE TEMP TABLE "
                + reject
                + " AS SELECT "
                + rejectColumns
                + " FROM "
                + staging
                + " WHERE "
                + rejected);
    if (rejectedCount > 0) {
      execute("DELETE FROM " + staging + " WHERE " + rejected);
    }
    execute("ALTER TABLE " + staging + " DROP COLUMN " + identifier(LoadSource.REASON_COLUMN));
    execute("ALTER TABLE " + staging + " DROP COLUMN " + identifier(LoadSource.RECORD_COLUMN));
    return new LoadCounts(read, rejectedCount);
  }

  /**
   * How one column converts: the expression of the converted value, and when the conversion can
   * fail, the condition (over {@code $v}, the converted value) that says a row did not convert.
   */
  private record Conversion(String expression, Optional<String> failure) {}

  private static Conversion conversion(
      String raw, String engineType, DataType target, SourceRelation relation) {
    String sqlType = DuckDbTypes.sqlType(target);
    if (!DuckDbTypes.isText(engineType)) {
      if (target.kind() == DataType.Kind.STRING) {
        return new Conversion("CAST(" + raw + " AS VARCHAR)", Optional.empty());
      }
      if (engineType.strip().equalsIgnoreCase(sqlType)) {
        return new Conversion(raw, Optional.empty());
      }
      return new Conversion(
          "TRY_CAST(" + raw + " AS " + sqlType + ")",
          Optional.of(raw + " IS NOT NULL AND $v IS NULL"));
    }
    // Empty text in a non-text column is a missing value, not a conversion failure.
    Optional<String> failure = Optional.of(raw + " <> '' AND $v IS NULL");
    String expression =
        switch (target.kind()) {
          case STRING -> raw;
          case BOOLEAN ->
              "CASE lower(trim("
                  + raw
                  + ")) WHEN 'true' THEN true WHEN '1' THEN true"
                  + " WHEN 'false' THEN false WHEN '0' THEN false END";
          case INTEGER, BIGINT ->
              // DuckDB rounds '1.5' to 2 when casting text to an integer; a fraction is not an
              // integer, so only whole numbers written with a decimal point pass.
              "CASE WHEN strpos("
                  + raw
                  + ", '.') = 0 THEN TRY_CAST("
                  + raw
                  + " AS "
                  + sqlType
                  + ") WHEN TRY_CAST("
                  + raw
                  + " AS DOUBLE) = trunc(TRY_CAST("
                  + raw
                  + " AS DOUBLE)) THEN TRY_CAST("
                  + raw
                  + " AS "
                  + sqlType
                  + ") END";
          case DOUBLE, DECIMAL -> "TRY_CAST(" + raw + " AS " + sqlType + ")";
          case DATE ->
              relation
                  .dateFormat()
                  .map(f -> "CAST(TRY_STRPTIME(" + raw + ", " + literal(f) + ") AS DATE)")
                  .orElse("TRY_CAST(" + raw + " AS DATE)");
          case TIMESTAMP ->
              relation
                  .timestampFormat()
                  .map(f -> "CAST(TRY_STRPTIME(" + raw + ", " + literal(f) + ") AS TIMESTAMP)")
                  .orElse("TRY_CAST(" + raw + " AS TIMESTAMP)");
        };
    return new Conversion(
        expression, target.kind() == DataType.Kind.STRING ? Optional.empty() : failure);
  }

  private void createEmptyRejects(String reject) throws SQLException {
    execute(
        "CREATE OR REPLACE TEMP TABLE "
            + reject
            + " ("
            + identifier(LoadSource.ORIGIN_COLUMN)
            + " VARCHAR, "
            + identifier(LoadSource.REASON_COLUMN)
            + " VARCHAR, "
            + identifier(LoadSource.RECORD_COLUMN)
            + " VARCHAR)");
  }

  private long count(String relation) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + relation)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private long update(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
      return SqlText.updateCount(statement);
    }
  }
}
