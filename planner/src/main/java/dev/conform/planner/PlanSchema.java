package dev.conform.planner;

import dev.conform.spi.Column;
import java.util.List;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeImpl;
import org.apache.calcite.rel.type.RelProtoDataType;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.tools.FrameworkConfig;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.RelBuilder;

/**
 * The tables one planning pass can see: warehouse tables, source staging tables and the temporary
 * tables earlier steps create. Not thread-safe; one per plan.
 */
final class PlanSchema {

  private final SchemaPlus root = CalciteSchema.createRootSchema(false, false).plus();
  private final FrameworkConfig config =
      Frameworks.newConfigBuilder()
          .defaultSchema(root)
          .parserConfig(SqlParser.config().withCaseSensitive(true))
          .typeSystem(WideDecimalTypeSystem.INSTANCE)
          .context(Contexts.of(RelBuilder.Config.DEFAULT.withSimplify(false).withBloat(-1)))
          .build();
  private final RelBuilder builder = RelBuilder.create(config);

  RelBuilder builder() {
    return builder;
  }

  RelDataTypeFactory typeFactory() {
    return builder.getTypeFactory();
  }

  /** Declares a table with the given columns; {@code nullable} applies to every column. */
  void addTable(String name, List<Column> columns, boolean nullable) {
    RelDataTypeFactory.Builder row = typeFactory().builder();
    for (Column column : columns) {
      row.add(column.name(), CalciteTypes.toCalcite(typeFactory(), column.type(), nullable));
    }
    addTable(name, row.build());
  }

  /** Declares a table whose rows look like {@code rel}'s output, for a step that stores it. */
  void addTable(String name, RelNode rel) {
    addTable(name, rel.getRowType());
  }

  void addTable(String name, RelDataType rowType) {
    RelProtoDataType proto = RelDataTypeImpl.proto(rowType);
    root.add(
        name,
        new AbstractTable() {
          @Override
          public RelDataType getRowType(RelDataTypeFactory factory) {
            return proto.apply(factory);
          }
        });
  }
}
