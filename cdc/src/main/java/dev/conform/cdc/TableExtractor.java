package dev.conform.cdc;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.conform.dsl.CdcSpec;
import dev.conform.spi.Column;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Reads a source table over JDBC into a landing file, streaming: rows are fetched in batches and
 * written as they come, so a table of any size needs little memory. With an audit column only the
 * rows whose value passed the stored high-water mark (less the lookback) are read, and the
 * extraction reports the new mark; the caller stores it only after the load has committed.
 */
public final class TableExtractor {
  /** Rows fetched per round trip. */
  static final int FETCH_SIZE = 10_000;

  private static final JsonFactory JSON = new JsonFactory();

  private TableExtractor() {}

  /**
   * The columns a load of {@code request} has, read from the table's metadata; with {@code audit},
   * also checks that its column exists, can hold a mark, and fits its lookback.
   */
  public static List<Column> describe(SourceRequest request, Optional<AuditColumn> audit) {
    try (Connection connection = SourceTable.connect(request)) {
      SourceTable table = SourceTable.resolve(connection, request);
      if (audit.isPresent()) {
        auditMark(table, request, audit.get());
      }
      return table.columns();
    } catch (SQLException e) {
      throw failure(request, "cannot describe the table", e);
    }
  }

  /** The marks of the audit column, once it is found to exist and to grow with every change. */
  private static AuditMark auditMark(SourceTable table, SourceRequest request, AuditColumn audit) {
    SourceColumn column = table.column(audit.column(), "its audit column");
    if (!CdcSpec.canBeAuditColumn(column.type())) {
      throw new ExtractFailure(
          "Cannot read "
              + request.describe()
              + ": audit column '"
              + column.name()
              + "' is of type "
              + column.typeName()
              + ", which does not grow with each change; use a timestamp, date or"
              + " increasing number column",
          null);
    }
    AuditMark mark = new AuditMark(column);
    mark.checkLookback(audit, request.describe());
    return mark;
  }

  /**
   * Writes the rows to read into {@code landingFile} (replaced when it exists; deleted when the
   * extraction fails). {@code progress} receives the running row count now and then.
   */
  public static Extracted extract(
      SourceRequest request, Optional<AuditColumn> audit, Path landingFile, LongConsumer progress) {
    try (Connection connection = SourceTable.connect(request)) {
      SourceTable table = SourceTable.resolve(connection, request);
      List<SourceColumn> loaded = table.loadedColumns();
      List<String> select = new ArrayList<>();
      loaded.forEach(c -> select.add(table.quote(c.name())));
      Optional<AuditMark> marks = Optional.empty();
      Comparable<?> previous = null;
      Optional<Comparable<?>> lowerBound = Optional.empty();
      if (audit.isPresent()) {
        AuditMark mark = auditMark(table, request, audit.get());
        marks = Optional.of(mark);
        select.add(table.quote(mark.column().name()));
        if (audit.get().mark().isPresent()) {
          previous = mark.parse(audit.get().mark().get(), request.describe());
          lowerBound = Optional.of(mark.lowerBound(previous, audit.get()));
        }
      }
      String sql =
          "SELECT "
              + String.join(", ", select)
              + " FROM "
              + table.qualifiedName()
              + (lowerBound.isPresent()
                  ? " WHERE "
                      + table.quote(marks.orElseThrow().column().name())
                      + " "
                      + marks.orElseThrow().comparison()
                      + " ?"
                  : "");
      Files.createDirectories(landingFile.toAbsolutePath().getParent());
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        statement.setFetchSize(FETCH_SIZE);
        if (lowerBound.isPresent()) {
          marks.orElseThrow().bind(statement, 1, lowerBound.get());
        }
        long rows = 0;
        Comparable<?> highest = previous;
        List<Column> columns = table.columns();
        try (ResultSet result = statement.executeQuery();
            JsonGenerator out =
                JSON.createGenerator(landingFile.toFile(), JsonEncoding.UTF8)
                    .setRootValueSeparator(null)) {
          while (result.next()) {
            out.writeStartObject();
            for (int i = 0; i < loaded.size(); i++) {
              out.writeFieldName(columns.get(i).name());
              String text = loaded.get(i).text(result, i + 1);
              if (text == null) {
                out.writeNull();
              } else {
                out.writeString(text);
              }
            }
            out.writeEndObject();
            out.writeRaw('\n');
            if (marks.isPresent()) {
              highest = AuditMark.max(highest, marks.get().read(result, loaded.size() + 1));
            }
            if (++rows % FETCH_SIZE == 0) {
              progress.accept(rows);
            }
          }
        }
        connection.commit();
        Optional<String> newMark =
            marks.isPresent() && highest != null
                ? Optional.of(marks.get().format(highest))
                : Optional.empty();
        return new Extracted(columns, rows, newMark, landingFile);
      }
    } catch (SQLException e) {
      throw Landing.discard(landingFile, failure(request, "reading its rows failed", e));
    } catch (IOException e) {
      throw Landing.unwritable("Cannot read " + request.describe(), landingFile, e);
    } catch (RuntimeException e) {
      throw Landing.discard(landingFile, e);
    }
  }

  private static ExtractFailure failure(SourceRequest request, String what, SQLException e) {
    return new ExtractFailure(
        "Cannot read "
            + request.describe()
            + ": "
            + what
            + ": "
            + SourceTable.message(e)
            + "; nothing was loaded and its position did not move",
        e);
  }
}
