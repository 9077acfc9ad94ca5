package dev.conform.dsl;

import dev.conform.spi.DataType;
import dev.conform.spi.SourceData;
import java.nio.file.FileSystems;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.PatternSyntaxException;

/**
 * Checks how one source is read: files or a database table, over a connection of the right type,
 * with a key and CDC settings that fit its declared columns. Part of the {@link Validator}.
 */
final class SourceValidator {
  /** The connection types a table can be read over, in the order they are listed to users. */
  static final List<String> TABLE_CONNECTION_TYPES =
      List.of("postgresql", "mysql", "mariadb", "h2", "duckdb");

  private final SourceSpec source;
  private final Consumer<Diagnostic> report;
  private final boolean dsl;

  /** Declared column types by name; empty when the source declares none. */
  private final Map<String, DataType> columns = new LinkedHashMap<>();

  private SourceValidator(SourceSpec source, Consumer<Diagnostic> report) {
    this.source = source;
    this.report = report;
    this.dsl = SpecReader.isDsl(source.position().file());
    source.columns().forEach(c -> columns.putIfAbsent(c.name(), c.type()));
  }

  /**
   * Reports the problems of {@code source}; {@code connection} is the one it names, empty when that
   * does not resolve (reported elsewhere).
   */
  static void validate(
      SourceSpec source, Optional<ConnectionSpec> connection, Consumer<Diagnostic> report) {
    new SourceValidator(source, report).run(connection);
  }

  private void run(Optional<ConnectionSpec> connection) {
    Optional<String> path = source.path();
    Optional<Named> table = source.table();
    if (path.isPresent() && table.isPresent()) {
      report.accept(
          Diagnostic.error(
              DiagnosticCode.INVALID_VALUE,
              table.get().position(),
              "source '" + source.name() + "' names both path and table",
              "a source reads either files or a database table: remove path or table"));
    } else if (path.isPresent()) {
      connection.ifPresent(this::filesConnection);
      files(path.get());
    } else if (table.isPresent()) {
      connection.ifPresent(c -> tableConnection(c, table.get()));
    } else {
      report.accept(
          Diagnostic.error(
              DiagnosticCode.MISSING_KEY,
              source.position(),
              "source '" + source.name() + "' names neither path nor table",
              dsl
                  ? "add path '<glob>' to read files, or table <name> to read a database table"
                  : "add path: '<glob>' to read files, or table: <name> to read a database"
                      + " table"));
    }
    key();
    source.cdc().ifPresent(cdc -> cdc(cdc, connection));
    if (path.isEmpty() && table.isPresent()) {
      deletes(table.get());
    }
  }

  private void filesConnection(ConnectionSpec connection) {
    if (connection.type().equals("files")) {
      return;
    }
    report.accept(
        Diagnostic.error(
            DiagnosticCode.INVALID_VALUE,
            source.connection().position(),
            "source '"
                + source.name()
                + "' reads connection '"
                + connection.name()
                + "' of type '"
                + connection.type()
                + "'",
            TABLE_CONNECTION_TYPES.contains(connection.type())
                ? "read files from a connection of type files, or name a table instead of a path"
                    + " to read from '"
                    + connection.name()
                    + "'"
                : "read files from a connection of type files"));
  }

  private void tableConnection(ConnectionSpec connection, Named table) {
    if (TABLE_CONNECTION_TYPES.contains(connection.type())) {
      return;
    }
    report.accept(
        Diagnostic.error(
            DiagnosticCode.INVALID_VALUE,
            source.connection().position(),
            "source '"
                + source.name()
                + "' reads table '"
                + table.name()
                + "' over connection '"
                + connection.name()
                + "' of type '"
                + connection.type()
                + "'",
            "tables are read from connections of type " + orList(TABLE_CONNECTION_TYPES)));
  }

  private void files(String path) {
    if (source.format().isEmpty()) {
      report.accept(
          Diagnostic.error(
              DiagnosticCode.MISSING_KEY,
              source.position(),
              "cannot tell the format of source '" + source.name() + "' from its path",
              "add format csv, parquet or json"));
    }
    try {
      FileSystems.getDefault().getPathMatcher("glob:" + path);
    } catch (PatternSyntaxException e) {
      report.accept(
          Diagnostic.error(
              DiagnosticCode.INVALID_VALUE,
              source.position(),
              "path '"
                  + path
                  + "' of source '"
                  + source.name()
                  + "' is not a valid glob: "
                  + e.getDescription().replace("'", ""),
              "close every [ and {, or write \\[ for a [ in a file name"));
    }
  }

  private void key() {
    Map<String, Named> seen = new HashMap<>();
    for (Named column : source.key()) {
      Named first = seen.putIfAbsent(column.name(), column);
      if (first != null) {
        report.accept(
            Diagnostic.error(
                DiagnosticCode.DUPLICATE_NAME,
                column.position(),
                "column '"
                    + column.name()
                    + "' appears twice in the key of source '"
                    + source.name()
                    + "'",
                "first given at " + first.position()));
      } else if (!columns.isEmpty() && !columns.containsKey(column.name())) {
        report.accept(
            Validator.cannotResolve(
                DiagnosticCode.UNKNOWN_COLUMN, column, "key column", columns.keySet(), where()));
      }
    }
  }

  private void cdc(CdcSpec cdc, Optional<ConnectionSpec> connection) {
    String strategy = cdc.strategy().name();
    List<String> allowed = CdcSpec.SETTINGS.get(strategy);
    if (allowed == null) {
      report.accept(
          YamlDocument.invalidChoice(
              cdc.strategy().position(), "cdc strategy", strategy, CdcSpec.STRATEGIES));
      return;
    }
    cdc.settings()
        .forEach(
            (key, setting) -> {
              if (!allowed.contains(key)) {
                report.accept(
                    Diagnostic.error(
                        DiagnosticCode.UNKNOWN_KEY,
                        setting.keyPosition(),
                        "unknown cdc setting '" + key + "' for " + strategy,
                        key.equals("key")
                            ? "a capture compares rows by the source's key: move it to the"
                                + " source's key"
                            : Suggestions.didYouMean(key, allowed)
                                .orElse(
                                    allowed.isEmpty()
                                        ? strategy + " takes no settings"
                                        : strategy + " takes " + String.join(", ", allowed))));
              }
            });
    switch (strategy) {
      case CdcSpec.AUDIT_COLUMN -> auditColumn(cdc);
      case CdcSpec.CHANGE_LOG -> changeLog(cdc);
      case CdcSpec.LOG -> log(cdc, connection);
      default -> requireKey(cdc);
    }
  }

  /** Reports a strategy that reads a table given to a source of files. */
  private void requireTable(CdcSpec cdc) {
    if (source.table().isEmpty() && source.path().isPresent()) {
      report.accept(
          Diagnostic.error(
              DiagnosticCode.INVALID_VALUE,
              cdc.strategy().position(),
              cdc.strategy().name()
                  + " reads a database table, but source '"
                  + source.name()
                  + "' reads files",
              "remove cdc: a source of files reads each new file once; or capture them with"
                  + " snapshot_diff (full files) or log (Debezium change events)"));
    }
  }

  /** Reports a strategy that tells changes apart by key given to a source without one. */
  private void requireKey(CdcSpec cdc) {
    if (source.key().isEmpty()) {
      report.accept(
          Diagnostic.error(
              DiagnosticCode.MISSING_KEY,
              cdc.strategy().position(),
              "cdc "
                  + cdc.strategy().name()
                  + " of source '"
                  + source.name()
                  + "' needs the key that identifies its rows",
              dsl
                  ? "add key (<column>, ...) to the source"
                  : "add key: [<column>, ...] to the source"));
    }
  }

  private void changeLog(CdcSpec cdc) {
    requireTable(cdc);
    requireKey(cdc);
    cdc.setting("purge")
        .filter(p -> !p.value().equalsIgnoreCase("true") && !p.value().equalsIgnoreCase("false"))
        .ifPresent(
            p ->
                report.accept(
                    Diagnostic.error(
                        DiagnosticCode.INVALID_VALUE,
                        p.position(),
                        "invalid purge '" + p.value() + "' in the cdc of " + where(),
                        "purge is true (delete the log rows a committed run has read) or false")));
    cdc.setting("lookback")
        .filter(l -> !l.value().matches("[0-9]{1,18}"))
        .ifPresent(
            l ->
                invalid(
                    l.position(),
                    "invalid lookback '" + l.value() + "' in the cdc of " + where(),
                    "a change_log lookback is a whole number of log ids to read again, such as"
                        + " 100; 0 reads only ids above the mark"));
  }

  private void log(CdcSpec cdc, Optional<ConnectionSpec> connection) {
    cdc.setting("timeout")
        .filter(t -> CdcSpec.timeout(t.value()).isEmpty())
        .ifPresent(
            t ->
                invalid(
                    t.position(),
                    "invalid timeout '" + t.value() + "' in the cdc of " + where(),
                    "a log timeout is how long the server's decoding may make no progress before"
                        + " a run gives up, a duration such as 60s, 5m or 1h"));
    if (source.path().isPresent()) {
      if (source.format().isPresent() && source.format().get() != SourceData.Format.JSON) {
        invalid(
            cdc.strategy().position(),
            "cdc log of "
                + where()
                + " reads Debezium change events, but its files are "
                + source.format().get().name().toLowerCase(Locale.ROOT),
            "read Debezium events from json files (one envelope per line)");
      }
      for (String setting : List.of("slot", "publication")) {
        cdc.setting(setting)
            .ifPresent(
                s ->
                    invalid(
                        s.keyPosition(),
                        setting
                            + " names a PostgreSQL "
                            + setting
                            + ", but "
                            + where()
                            + " reads Debezium files",
                        "remove " + setting));
      }
      return;
    }
    connection
        .filter(c -> source.table().isPresent() && !c.type().equals("postgresql"))
        .ifPresent(
            c ->
                invalid(
                    cdc.strategy().position(),
                    "cdc log of "
                        + where()
                        + " reads PostgreSQL logical decoding, but connection '"
                        + c.name()
                        + "' is of type '"
                        + c.type()
                        + "'",
                    "capture a "
                        + c.type()
                        + " table with change_log or audit_column, or its Debezium events from"
                        + " files"));
  }

  private void invalid(Position at, String message, String hint) {
    report.accept(Diagnostic.error(DiagnosticCode.INVALID_VALUE, at, message, hint));
  }

  private void auditColumn(CdcSpec cdc) {
    requireTable(cdc);
    Optional<CdcSpec.Setting> column = cdc.setting("column");
    if (column.isEmpty()) {
      report.accept(
          Diagnostic.error(
              DiagnosticCode.MISSING_KEY,
              cdc.position(),
              "cdc audit_column of source '" + source.name() + "' names no column",
              dsl
                  ? "name the audit column, e.g. cdc audit_column (column updated_at)"
                  : "name the audit column, e.g. cdc: { strategy: audit_column, column: updated_at"
                      + " }"));
    }
    Optional<DataType> type = column.flatMap(this::auditColumnType);
    cdc.setting("lookback").ifPresent(lookback -> lookback(lookback, column, type));
  }

  /** The declared type of the audit column, when declared and fit to be one (else reported). */
  private Optional<DataType> auditColumnType(CdcSpec.Setting column) {
    if (columns.isEmpty()) {
      return Optional.empty();
    }
    DataType type = columns.get(column.value());
    if (type == null) {
      report.accept(
          Validator.cannotResolve(
              DiagnosticCode.UNKNOWN_COLUMN,
              new Named(column.value(), column.position()),
              "audit column",
              columns.keySet(),
              where()));
      return Optional.empty();
    }
    if (!CdcSpec.canBeAuditColumn(type)) {
      report.accept(
          Diagnostic.error(
              DiagnosticCode.TYPE_MISMATCH,
              column.position(),
              "audit column '" + column.value() + "' of " + where() + " is " + type,
              "an audit column is a timestamp, date, integer, bigint or decimal that grows with"
                  + " every change"));
      return Optional.empty();
    }
    return Optional.of(type);
  }

  private void lookback(
      CdcSpec.Setting lookback, Optional<CdcSpec.Setting> column, Optional<DataType> type) {
    Optional<Lookback> parsed = Lookback.parse(lookback.value());
    if (parsed.isEmpty()) {
      report.accept(
          Diagnostic.error(
              DiagnosticCode.INVALID_VALUE,
              lookback.position(),
              "invalid lookback '" + lookback.value() + "' in the cdc of " + where(),
              "use a duration such as 30s, 5m, 2h or 1d, or a whole number for a numeric audit"
                  + " column"));
      return;
    }
    if (type.isEmpty()) {
      return;
    }
    String audit = "audit column '" + column.orElseThrow().value() + "' is " + type.get();
    if (parsed.get() instanceof Lookback.Time time
        && !time.duration().isZero()
        && type.get().isNumeric()) {
      report.accept(
          Diagnostic.error(
              DiagnosticCode.TYPE_MISMATCH,
              lookback.position(),
              "lookback '" + lookback.value() + "' is a duration, but " + audit,
              "give a numeric audit column a whole number, e.g. lookback 100"));
    } else if (parsed.get() instanceof Lookback.Amount amount
        && amount.amount() > 0
        && type.get().isTemporal()) {
      report.accept(
          Diagnostic.error(
              DiagnosticCode.TYPE_MISMATCH,
              lookback.position(),
              "lookback '" + lookback.value() + "' is a number, but " + audit,
              "give a " + type.get() + " audit column a duration such as 30s, 5m, 2h or 1d"));
    }
  }

  /** Warns when nothing in the spec lets a table source see rows deleted from its table. */
  private void deletes(Named table) {
    if (source.deleteWhen().isPresent()) {
      return;
    }
    Optional<CdcSpec> cdc = source.cdc();
    String message;
    if (cdc.isEmpty()) {
      message =
          where()
              + " reads the whole table '"
              + table.name()
              + "' every run, which cannot see rows deleted from it";
    } else if (cdc.get().strategy().name().equals(CdcSpec.AUDIT_COLUMN)) {
      message =
          where()
              + " captures changes by audit_column, which cannot see rows deleted from table '"
              + table.name()
              + "'";
    } else {
      return;
    }
    report.accept(
        Diagnostic.warning(
            DiagnosticCode.CANNOT_SEE_DELETES,
            cdc.map(CdcSpec::position).orElse(table.position()),
            message + ": they stay current in the models built from it",
            "mark soft deletes with delete_when"));
  }

  private String where() {
    return "source '" + source.name() + "'";
  }

  /** {@code a, b or c}. */
  private static String orList(List<String> items) {
    return items.size() == 1
        ? items.get(0)
        : String.join(", ", items.subList(0, items.size() - 1))
            + " or "
            + items.get(items.size() - 1);
  }
}
