package dev.conform.cdc;

import dev.conform.spi.Column;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.duckdb.DuckDBAppender;

/**
 * A table read whole each run as one full snapshot, taken when its extraction starts (in UTC). Its
 * rows stream from the source in fetches of {@value TableExtractor#FETCH_SIZE} into the store.
 */
final class TableSnapshots implements SnapshotSource {
  private final SourceRequest request;

  TableSnapshots(SourceRequest request) {
    this.request = request;
  }

  @Override
  public List<Column> describe() {
    return TableExtractor.describe(request, Optional.empty());
  }

  @Override
  public String origin() {
    return "table " + request.table() + " through " + request.connection();
  }

  @Override
  public List<Snapshot> snapshots() {
    return List.of(new TableSnapshot(SnapshotTime.utc(Instant.now())));
  }

  @Override
  public String from(List<Snapshot> snapshots) {
    return "table " + request.table();
  }

  @Override
  public boolean retakes() {
    return true;
  }

  @Override
  public String describeSource() {
    return request.describe();
  }

  private final class TableSnapshot implements Snapshot {
    private final LocalDateTime at;

    TableSnapshot(LocalDateTime at) {
      this.at = at;
    }

    @Override
    public String describe() {
      return request.describe();
    }

    @Override
    public LocalDateTime at() {
      return at;
    }

    @Override
    public void stage(SnapshotStore store, List<Column> columns, LongConsumer progress)
        throws SQLException {
      store.createStaged(columns.size());
      try (Connection connection = SourceTable.connect(request)) {
        SourceTable table = SourceTable.resolve(connection, request);
        List<SourceColumn> loaded = table.loadedColumns();
        List<String> select = new ArrayList<>();
        loaded.forEach(c -> select.add(table.quote(c.name())));
        String sql = "SELECT " + String.join(", ", select) + " FROM " + table.qualifiedName();
        try (PreparedStatement statement = connection.prepareStatement(sql);
            DuckDBAppender appender = store.stagedAppender()) {
          statement.setFetchSize(TableExtractor.FETCH_SIZE);
          long rows = 0;
          try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
              appender.beginRow();
              for (int i = 0; i < loaded.size(); i++) {
                String text = loaded.get(i).text(result, i + 1);
                if (text == null) {
                  appender.appendNull();
                } else {
                  appender.append(text);
                }
              }
              appender.endRow();
              if (++rows % TableExtractor.FETCH_SIZE == 0) {
                progress.accept(rows);
              }
            }
          }
          connection.commit();
        }
      } catch (SQLException e) {
        throw new ExtractFailure(
            "Cannot read "
                + request.describe()
                + ": reading its rows failed: "
                + SourceTable.message(e)
                + "; nothing was loaded and its snapshot did not move",
            e);
      }
    }
  }
}
