package dev.conform.planner;

import dev.conform.spi.Column;
import dev.conform.spi.DataType;
import dev.conform.spi.SqlDialect;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.rel2sql.RelToSqlConverter;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlAlienSystemTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDialect.DatabaseProduct;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.DuckDBSqlDialect;
import org.apache.calcite.sql.dialect.H2SqlDialect;
import org.apache.calcite.sql.dialect.MysqlSqlDialect;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.apache.calcite.sql.dialect.SparkSqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlOperandTypeChecker;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Renders plans as SQL text for one dialect: queries through Calcite's {@link RelToSqlConverter},
 * and the DDL and DML around them (which Calcite cannot unparse well) by Conform itself.
 */
final class DialectRenderer {

  /**
   * A surrogate key: a 60-bit non-negative hash of the values' canonical text (each value as text,
   * NULL as {@code \N}, joined by {@code |}), the first 15 hex digits of its MD5, so that all
   * engines give the same keys for the same rows. Dialects hash the text with {@link #TEXT_HASH};
   * on Spark it is a function the Spark runtime registers in its sessions, which takes the values
   * (those of types it does not write itself cast to text) and writes their text much faster than
   * Spark's casts. {@link #query} renders it either way.
   */
  static final SqlFunction HASH64 =
      new ConformFunction("CONFORM_HASH64", ReturnTypes.BIGINT, OperandTypes.ONE_OR_MORE) {
        @Override
        void unparse(SqlWriter writer, SqlCall call, DatabaseProduct product) {
          if (product != DatabaseProduct.SPARK) {
            throw new IllegalStateException("Bug: CONFORM_HASH64 of values reached " + product);
          }
          SqlWriter.Frame hash = writer.startFunCall("CONFORM_HASH64");
          for (SqlNode value : call.getOperandList()) {
            writer.sep(",");
            value.unparse(writer, 0, 0);
          }
          writer.endFunCall(hash);
        }
      };

  /**
   * The types of values Spark's {@code CONFORM_HASH64} writes as text itself: those of the Spark
   * runtime's {@code Hash64.Kind}, which refuses others when a query is analyzed.
   */
  private static final Set<SqlTypeName> HASHED_AS_VALUES =
      EnumSet.of(
          SqlTypeName.BIGINT,
          SqlTypeName.INTEGER,
          SqlTypeName.SMALLINT,
          SqlTypeName.TINYINT,
          SqlTypeName.BOOLEAN,
          SqlTypeName.VARCHAR,
          SqlTypeName.DATE,
          SqlTypeName.TIMESTAMP);

  /** {@link #HASH64} of a canonical text, from MD5. */
  private static final SqlFunction TEXT_HASH =
      new ConformFunction("CONFORM_TEXT_HASH64", ReturnTypes.BIGINT, OperandTypes.STRING) {
        @Override
        void unparse(SqlWriter writer, SqlCall call, DatabaseProduct product) {
          String[] around =
              switch (product) {
                case POSTGRESQL ->
                    new String[] {
                      "CAST(CAST('x0' || SUBSTR(MD5(", "), 1, 15) AS BIT(64)) AS BIGINT)"
                    };
                case MYSQL ->
                    new String[] {"CAST(CONV(SUBSTR(MD5(", "), 1, 15), 16, 10) AS SIGNED)"};
                case H2 ->
                    new String[] {
                      "BITAND(RSHIFT(CAST(SUBSTRING(HASH('MD5', ",
                      ") FROM 1 FOR 8) AS BIGINT), 4), 1152921504606846975)"
                    };
                case DUCKDB -> new String[] {"CAST('0x' || SUBSTR(MD5(", "), 1, 15) AS BIGINT)"};
                default -> throw new IllegalStateException("Bug: no MD5 hash for " + product);
              };
          writer.print(around[0]);
          call.operand(0).unparse(writer, 0, 0);
          writer.print(around[1]);
        }
      };

  /**
   * NULL-safe equality, written natively by every dialect ({@code IS NOT DISTINCT FROM}, MySQL's
   * {@code <=>}). Calcite's own operator is rendered expanded into ORs, which engines cannot hash:
   * on DuckDB an anti-join over 20M rows took 2.9 s that way and 0.02 s natively.
   */
  static final SqlFunction NOT_DISTINCT =
      new ConformFunction("CONFORM_NOT_DISTINCT", ReturnTypes.BOOLEAN, OperandTypes.ANY_ANY) {
        @Override
        void unparse(SqlWriter writer, SqlCall call, DatabaseProduct product) {
          SqlWriter.Frame frame = writer.startList("(", ")");
          call.operand(0).unparse(writer, 0, 0);
          writer.print(product == DatabaseProduct.MYSQL ? " <=> " : " IS NOT DISTINCT FROM ");
          call.operand(1).unparse(writer, 0, 0);
          writer.endList(frame);
        }
      };

  /** A function of Conform's own, which writes itself for the dialect being written. */
  private abstract static class ConformFunction extends SqlFunction {
    ConformFunction(
        String name, SqlReturnTypeInference returnType, SqlOperandTypeChecker operandTypes) {
      super(
          name,
          SqlKind.OTHER_FUNCTION,
          returnType,
          null,
          operandTypes,
          SqlFunctionCategory.USER_DEFINED_FUNCTION);
    }

    abstract void unparse(SqlWriter writer, SqlCall call, DatabaseProduct product);

    @Override
    public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
      unparse(writer, call, writer.getDialect().getDatabaseProduct());
    }
  }

  private final SqlDialect dialect;
  private final org.apache.calcite.sql.SqlDialect calcite;

  DialectRenderer(SqlDialect dialect) {
    this.dialect = dialect;
    this.calcite = calciteDialect(dialect);
  }

  String quote(String identifier) {
    return calcite.quoteIdentifier(identifier);
  }

  String query(RelNode rel) {
    RelToSqlConverter converter = new RelToSqlConverter(calcite);
    SqlNode node = converter.visitRoot(withHashesRendered(rel)).asStatement();
    return node.toSqlString(calcite).getSql();
  }

  /** {@code rel} with each {@link #HASH64} in the form this dialect renders. */
  private RelNode withHashesRendered(RelNode rel) {
    RexBuilder rex = rel.getCluster().getRexBuilder();
    RelDataType text =
        rex.getTypeFactory()
            .createTypeWithNullability(
                rex.getTypeFactory().createSqlType(SqlTypeName.VARCHAR), true);
    RexShuttle hashes =
        new RexShuttle() {
          @Override
          public RexNode visitCall(RexCall call) {
            RexCall visited = (RexCall) super.visitCall(call);
            if (visited.getOperator() != HASH64) {
              return visited;
            }
            List<RexNode> values = visited.getOperands();
            if (dialect == SqlDialect.SPARK) {
              List<RexNode> passed = new ArrayList<>();
              for (RexNode value : values) {
                passed.add(
                    HASHED_AS_VALUES.contains(value.getType().getSqlTypeName())
                        ? value
                        : rex.makeCast(text, value, true));
              }
              return rex.makeCall(visited.getType(), HASH64, passed);
            }
            return rex.makeCall(
                visited.getType(), TEXT_HASH, List.of(canonicalText(rex, text, values)));
          }
        };
    return rel.accept(
        new RelHomogeneousShuttle() {
          @Override
          public RelNode visit(RelNode other) {
            return super.visit(other).accept(hashes);
          }
        });
  }

  /** The values' canonical text (see {@link #HASH64}), written by the dialect's casts. */
  private static RexNode canonicalText(RexBuilder rex, RelDataType text, List<RexNode> values) {
    RexNode result = null;
    for (RexNode value : values) {
      RexNode valueText =
          rex.makeCall(
              SqlStdOperatorTable.COALESCE,
              rex.makeCast(text, value, true),
              rex.makeLiteral("\\N"));
      result =
          result == null
              ? valueText
              : rex.makeCall(
                  SqlStdOperatorTable.CONCAT,
                  rex.makeCall(SqlStdOperatorTable.CONCAT, result, rex.makeLiteral("|")),
                  valueText);
    }
    return result;
  }

  String typeName(DataType type) {
    return typeName(dialect, type);
  }

  private static String typeName(SqlDialect dialect, DataType type) {
    return switch (dialect) {
      case DUCKDB ->
          switch (type.kind()) {
            case STRING -> "VARCHAR";
            case BOOLEAN -> "BOOLEAN";
            case INTEGER -> "INTEGER";
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE";
            case DECIMAL -> "DECIMAL(" + type.precision() + ", " + type.scale() + ")";
            case DATE -> "DATE";
            case TIMESTAMP -> "TIMESTAMP";
          };
      case POSTGRESQL, H2 ->
          switch (type.kind()) {
            case STRING -> "VARCHAR";
            case BOOLEAN -> "BOOLEAN";
            case INTEGER -> "INTEGER";
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE PRECISION";
            case DECIMAL -> "NUMERIC(" + type.precision() + ", " + type.scale() + ")";
            case DATE -> "DATE";
            case TIMESTAMP -> "TIMESTAMP";
          };
      case MYSQL ->
          switch (type.kind()) {
            case STRING -> "VARCHAR(1024)";
            case BOOLEAN -> "BOOLEAN";
            case INTEGER -> "INT";
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE";
            case DECIMAL -> "DECIMAL(" + type.precision() + ", " + type.scale() + ")";
            case DATE -> "DATE";
            case TIMESTAMP -> "DATETIME(6)";
          };
      case SPARK ->
          switch (type.kind()) {
            case STRING -> "STRING";
            case BOOLEAN -> "BOOLEAN";
            case INTEGER -> "INT";
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE";
            case DECIMAL -> "DECIMAL(" + type.precision() + ", " + type.scale() + ")";
            case DATE -> "DATE";
            case TIMESTAMP -> "TIMESTAMP";
          };
    };
  }

  String createTable(String table, List<Column> columns) {
    return createTable("CREATE TABLE IF NOT EXISTS ", table, columns);
  }

  /** A {@code CREATE TABLE} that fails when the table exists. */
  String createNewTable(String table, List<Column> columns) {
    return createTable("CREATE TABLE ", table, columns);
  }

  private String createTable(String create, String table, List<Column> columns) {
    return create
        + quote(table)
        + " ("
        + columns.stream()
            .map(c -> quote(c.name()) + " " + typeName(c.type()))
            .collect(Collectors.joining(", "))
        + ")";
  }

  /**
   * Statements that leave {@code table} empty with {@code columns}, in the run's transaction: a
   * drop and a create, or on Spark one replace (Iceberg keeps the table's history, so a failed run
   * can restore it; a drop would delete its files).
   */
  List<String> recreateTable(String table, List<Column> columns) {
    if (dialect == SqlDialect.SPARK) {
      return List.of(createTable("CREATE OR REPLACE TABLE ", table, columns));
    }
    return List.of("DROP TABLE IF EXISTS " + quote(table), createNewTable(table, columns));
  }

  String createTempTableAs(String table, RelNode rel) {
    String create =
        switch (dialect) {
          case DUCKDB, POSTGRESQL -> "CREATE TEMPORARY TABLE ";
          case H2 -> "CREATE LOCAL TEMPORARY TABLE ";
          case MYSQL -> "CREATE TEMPORARY TABLE ";
          case SPARK -> "CREATE TEMPORARY VIEW ";
        };
    return create + quote(table) + " AS\n" + query(rel);
  }

  /** Whether the dialect has temporary views (H2 and MySQL do not). */
  boolean hasTemporaryViews() {
    return switch (dialect) {
      case DUCKDB, POSTGRESQL, SPARK -> true;
      case H2, MYSQL -> false;
    };
  }

  /**
   * Whether the engine compares and carries rows ({@code ROW(a, b)}) as single values, NULL fields
   * equal under {@code IS NOT DISTINCT FROM}. A window then reads a neighbour's columns with one
   * call: on DuckDB, the replay's window over 20M events took 3.5 s with one LAG and one LEAD of a
   * row instead of 5.3 s with one of each per column.
   */
  boolean comparesRows() {
    return switch (dialect) {
      case DUCKDB -> true;
      case POSTGRESQL, H2, MYSQL, SPARK -> false;
    };
  }

  /**
   * Whether the dialect's runtime counts a statement's tallies while the statement reads their
   * relations ({@link SqlDialect#countsTalliesWhileRunning}). A first run's replay is then not
   * stored: the one statement that reads all of it, writing the versions, tallies what the other
   * steps need to know. (An engine that ran the tallies' queries instead would compute the replay
   * once per tally.) Being read once, the replay also gives the versions with one more window over
   * every group rather than a union with a second, smaller window: Spark keeps the first window's
   * partitioning and order, so it does not sort again. On Spark, storing a 20M-event replay cost
   * about half as much again as computing it.
   */
  boolean tallies() {
    return dialect.countsTalliesWhileRunning();
  }

  String createTempViewAs(String view, RelNode rel) {
    return "CREATE TEMPORARY VIEW " + quote(view) + " AS\n" + query(rel);
  }

  String dropTempView(String view) {
    return "DROP VIEW IF EXISTS " + quote(view);
  }

  String dropTemp(String table) {
    return switch (dialect) {
      case SPARK -> "DROP VIEW IF EXISTS " + quote(table);
      case DUCKDB, POSTGRESQL, H2, MYSQL -> "DROP TABLE IF EXISTS " + quote(table);
    };
  }

  String insert(String table, List<String> columns, RelNode rel) {
    return "INSERT INTO "
        + quote(table)
        + " ("
        + columns.stream().map(this::quote).collect(Collectors.joining(", "))
        + ")\n"
        + query(rel);
  }

  /**
   * The engine's own row identifier: pseudo columns every table has, stable while the table does
   * not change. {@code rowid} on DuckDB, {@code ctid} on PostgreSQL; on Spark's Iceberg tables the
   * data file {@code _file} and the position in it {@code _pos}. Deleting by it finds the rows
   * without probing the table's keys: on a 200M-row DuckDB table, deleting 400k rows took 0.03 s by
   * row id and 3.2 s by a join on the key. Empty where a dialect has none Conform can use.
   */
  List<Column> rowId() {
    return switch (dialect) {
      case DUCKDB -> List.of(Column.of("rowid", DataType.BIGINT));
      case POSTGRESQL -> List.of(Column.of("ctid", DataType.BIGINT));
      case SPARK ->
          List.of(Column.of("_file", DataType.STRING), Column.of("_pos", DataType.BIGINT));
      case H2, MYSQL -> List.of();
    };
  }

  /**
   * Deletes the rows of {@code table} whose {@link #rowId()} {@code rowIds} returns, its columns in
   * that order.
   */
  String deleteRows(String table, RelNode rowIds) {
    List<Column> id = rowId();
    if (id.isEmpty()) {
      throw new IllegalStateException("Bug: " + dialect + " has no row id");
    }
    if (id.size() == 1) {
      return "DELETE FROM "
          + quote(table)
          + " WHERE "
          + id.get(0).name()
          + " IN ("
          + query(rowIds)
          + ")";
    }
    List<String> names = rowIds.getRowType().getFieldNames();
    String match =
        IntStream.range(0, id.size())
            .mapToObj(i -> "r." + quote(names.get(i)) + " = t." + quote(id.get(i).name()))
            .collect(Collectors.joining(" AND "));
    return "DELETE FROM "
        + quote(table)
        + " t WHERE EXISTS (SELECT 1 FROM ("
        + query(rowIds)
        + ") r WHERE "
        + match
        + ")";
  }

  /**
   * Deletes the rows of {@code target} that match a row of {@code keys} on {@code keyColumns} and
   * satisfy {@code extra}, written over the aliases {@code t} (target) and {@code k} (keys). A join
   * form where the dialect has one: a correlated EXISTS is many times slower on DuckDB.
   */
  String deleteMatching(String target, String keys, List<String> keyColumns, String extra) {
    String match =
        keyColumns.stream()
                .map(c -> "k." + quote(c) + " = t." + quote(c))
                .collect(Collectors.joining(" AND "))
            + (extra.isEmpty() ? "" : " AND " + extra);
    String t = quote(target);
    String k = quote(keys);
    return switch (dialect) {
      case DUCKDB, POSTGRESQL -> "DELETE FROM " + t + " AS t USING " + k + " k WHERE " + match;
      case MYSQL -> "DELETE t FROM " + t + " t INNER JOIN " + k + " k ON " + match;
      case H2, SPARK ->
          "DELETE FROM " + t + " t WHERE EXISTS (SELECT 1 FROM " + k + " k WHERE " + match + ")";
    };
  }

  private static org.apache.calcite.sql.SqlDialect calciteDialect(SqlDialect dialect) {
    return switch (dialect) {
      case DUCKDB ->
          new DuckDBSqlDialect(DuckDBSqlDialect.DEFAULT_CONTEXT) {
            /** Only Oracle reads SUM(SUM(x)); this engine needs the inner one in a subquery. */
            @Override
            public boolean supportsNestedAggregations() {
              return false;
            }

            @Override
            public boolean supportsCharSet() {
              return false;
            }

            @Override
            public SqlNode getCastSpec(RelDataType type) {
              return timestampCast(type, SqlDialect.DUCKDB)
                  .orElseGet(() -> super.getCastSpec(type));
            }
          };
      case POSTGRESQL ->
          new PostgresqlSqlDialect(PostgresqlSqlDialect.DEFAULT_CONTEXT) {
            /** Only Oracle reads SUM(SUM(x)); this engine needs the inner one in a subquery. */
            @Override
            public boolean supportsNestedAggregations() {
              return false;
            }

            @Override
            public boolean supportsCharSet() {
              return false;
            }

            @Override
            public SqlNode getCastSpec(RelDataType type) {
              return timestampCast(type, SqlDialect.POSTGRESQL)
                  .orElseGet(() -> super.getCastSpec(type));
            }
          };
      case MYSQL ->
          new MysqlSqlDialect(MysqlSqlDialect.DEFAULT_CONTEXT) {
            @Override
            public boolean supportsCharSet() {
              return false;
            }

            @Override
            public SqlNode getCastSpec(RelDataType type) {
              return timestampCast(type, dialect).orElseGet(() -> super.getCastSpec(type));
            }
          };
      case H2 ->
          new H2SqlDialect(H2SqlDialect.DEFAULT_CONTEXT) {
            /** Only Oracle reads SUM(SUM(x)); this engine needs the inner one in a subquery. */
            @Override
            public boolean supportsNestedAggregations() {
              return false;
            }

            @Override
            public boolean supportsWindowFunctions() {
              return true;
            }

            @Override
            public boolean supportsCharSet() {
              return false;
            }

            @Override
            public SqlNode getCastSpec(RelDataType type) {
              return timestampCast(type, SqlDialect.H2).orElseGet(() -> super.getCastSpec(type));
            }
          };
      case SPARK ->
          new SparkSqlDialect(SparkSqlDialect.DEFAULT_CONTEXT) {
            @Override
            public boolean supportsCharSet() {
              return false;
            }

            @Override
            public SqlNode getCastSpec(RelDataType type) {
              return timestampCast(type, SqlDialect.SPARK).orElseGet(() -> super.getCastSpec(type));
            }

            /**
             * Spark escapes with backslashes in string literals ('\\N' would be 'N'), and reads the
             * standard's doubled quote as two literals side by side ('a''b' is 'ab').
             */
            @Override
            public void quoteStringLiteral(StringBuilder buf, String charsetName, String val) {
              buf.append('\'').append(val.replace("\\", "\\\\").replace("'", "\\'")).append('\'');
            }
          };
    };
  }

  /**
   * Conform's timestamps have microseconds, but Calcite's TIMESTAMP type has precision 0, which
   * engines read as whole seconds ({@code CAST(x AS TIMESTAMP(0))} drops the fraction): a cast to a
   * timestamp names the dialect's microsecond type instead.
   */
  private static Optional<SqlNode> timestampCast(RelDataType type, SqlDialect dialect) {
    String name = typeName(dialect, DataType.TIMESTAMP);
    if (type.getSqlTypeName() != SqlTypeName.TIMESTAMP) {
      return Optional.empty();
    }
    return Optional.of(
        new SqlDataTypeSpec(
            new SqlAlienSystemTypeNameSpec(name, SqlTypeName.TIMESTAMP, SqlParserPos.ZERO),
            SqlParserPos.ZERO));
  }
}
